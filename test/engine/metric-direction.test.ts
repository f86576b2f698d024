// Every metric a run can record has a declared direction (Compare reads its probability of
// improvement, verdicts and a search's best by it), and the directions Compare relies on read as meant:
// the shop's gini lower, an episode's length better long in the shop and without direction elsewhere.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVALUATION_METRICS } from '../../src/engine/greedy-evaluation';
import { commonDirection, declaredDirection, directionWords, RUN_METRIC_DIRECTIONS } from '../../src/engine/metric-direction';
import { agents, environments, findAgent, findEnvironment, metricDirection } from '../../src/engine/registry';
import type { RunSpec } from '../../src/engine/train';
import { pairings } from '../helpers/pairings';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8')) as unknown;

const ENVS: Record<string, RunSpec['env']> = {
  'seed-toy': { id: 'seed-toy' },
  'tabular-mdp': { id: 'tabular-mdp', mdp: cliff, maxSteps: 20 },
  'bandit-testbed': { id: 'bandit-testbed' },
  'shop (discrete)': { id: 'shop', maxSteps: 5 },
  'shop (vector)': { id: 'shop', maxSteps: 5, observation: 'vector' },
};

describe('metric directions', () => {
  it('are declared for every metric of every environment and agent a run can pair, the greedy evaluation’s included', () => {
    const envsBuilt = new Set<string>();
    const agentsBuilt = new Set<string>();
    for (const def of agents) {
      for (const { name, env, prepared } of pairings(ENVS, def.id)) {
        envsBuilt.add(env.id);
        agentsBuilt.add(def.id);
        for (const metric of [...prepared.metricNames, ...EVALUATION_METRICS]) {
          expect(declaredDirection(metric, findEnvironment(env.id), def), `${name} × ${def.id}: ${metric}`).not.toBeUndefined();
        }
        // And each declares only what it reports (a misspelt name would leave the real one undeclared).
        const reported = new Set(prepared.metricNames);
        for (const metric of Object.keys(def.metricDirections)) expect(reported.has(metric), `${def.id} declares ${metric}`).toBe(true);
      }
    }
    expect([...envsBuilt].sort()).toEqual(environments.map((e) => e.id).sort());
    expect([...agentsBuilt].sort()).toEqual(agents.map((a) => a.id).sort());
  });

  it('read the shop’s exposure Gini and the losses as lower, its sales and the return as higher, the diagnostics as neither', () => {
    const shop = findEnvironment('shop');
    expect(declaredDirection('gini', shop, findAgent('q-learning'))).toBe('lower');
    for (const metric of ['clicks', 'purchases', 'revenue', 'ctr', 'conversion', 'coverage', 'diversity', 'novelty', 'return']) {
      expect(declaredDirection(metric, shop, findAgent('q-learning')), metric).toBe('higher');
    }
    expect(declaredDirection('train/loss', shop, findAgent('dqn'))).toBe('lower');
    expect(declaredDirection('train/value_loss', shop, findAgent('ppo'))).toBe('lower');
    expect(declaredDirection('train/epsilon', shop, findAgent('dqn'))).toBeNull();
    expect(declaredDirection('train/policy_loss', shop, findAgent('ppo'))).toBeNull();
    expect(declaredDirection('eval/greedy_return_std', shop, findAgent('q-learning'))).toBeNull();
    expect(declaredDirection('no/such-metric', shop, findAgent('q-learning'))).toBeUndefined();
    // A name on the object's prototype is no declaration.
    expect(declaredDirection('constructor', shop, findAgent('q-learning'))).toBeUndefined();
  });

  it('let the environment give `length` its direction: long in the shop, none in a tabular MDP or the testbed', () => {
    expect(RUN_METRIC_DIRECTIONS.length).toBeNull();
    expect(metricDirection('length', [{ envId: 'shop', agentId: 'q-learning' }])).toBe('higher');
    expect(metricDirection('length', [{ envId: 'tabular-mdp', agentId: 'q-learning' }])).toBeNull();
    expect(metricDirection('length', [{ envId: 'bandit-testbed', agentId: 'ucb1' }])).toBeNull();
  });

  it('give runs of several kinds their common direction, and none when they disagree or one is unknown', () => {
    expect(metricDirection('gini', [{ envId: 'shop', agentId: 'q-learning' }, { envId: 'shop', agentId: 'dqn' }])).toBe('lower');
    expect(metricDirection('return', [{ envId: 'shop', agentId: 'q-learning' }, { envId: 'tabular-mdp', agentId: 'sarsa' }])).toBe('higher');
    // Better long in the shop, no direction on the cliff: no single reading.
    expect(metricDirection('length', [{ envId: 'shop', agentId: 'q-learning' }, { envId: 'tabular-mdp', agentId: 'sarsa' }])).toBeNull();
    expect(metricDirection('train/loss', [{ envId: 'shop', agentId: 'dqn' }, { envId: 'shop', agentId: 'gone-agent' }])).toBeNull();
    expect(commonDirection(['lower', 'lower'])).toBe('lower');
    expect(commonDirection(['lower', 'higher'])).toBeNull();
    expect(commonDirection(['higher', undefined])).toBeNull();
    expect(commonDirection([])).toBeNull();
  });

  it('are named in words beside a metric', () => {
    expect(directionWords('lower')).toBe('lower is better');
    expect(directionWords('higher')).toBe('higher is better');
    expect(directionWords(null)).toBe('no better direction');
  });
});
