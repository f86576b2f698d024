/**
 * What the deep presets must show (docs/shop-results.md, "Deep agents on vector observations"),
 * trained in-process on fixed seeds: on shop-fatigue's shop observed as a feature vector, DQN's and
 * PPO's greedy policies each beat the myopic oracle — the best greedy policy — in mean return over
 * 10 seeds, with the 95 % bootstrap CI of the difference above zero. Evaluated as in
 * shop-results.test.ts: 1,000 fresh sessions per seed (`rollout`, evaluation seed 10,000 + seed) with
 * the agent's greedyAction (DQN: argmax of Q; PPO: argmax of the actor's logits, no sampling), the
 * oracle rolled out on the same evaluation seeds. The presets are read from resources/experiments,
 * so these are the shipped experiments' numbers (`npx aisle run resources/experiments/shop-fatigue-dqn.json`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rollout } from '../../src/engine/evaluate';
import type { Experiment } from '../../src/engine/experiment';
import { stratifiedBootstrapCI } from '../../src/engine/stats';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';
import { loadExperimentFile } from '../../src/main/files';
import { ROOT } from '../helpers/cli';

const preset = (name: string): Experiment => loadExperimentFile(join(ROOT, 'resources/experiments', `${name}.json`));
const spec = (e: Experiment, seed: number): RunSpec => ({ env: e.env, agent: e.agent, episodes: e.episodes, seed });
const SEEDS = Array.from({ length: 10 }, (_, i) => i);
const EVAL_EPISODES = 1000;
const evalSeed = (seed: number) => 10_000 + seed;
const mean = (v: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
};
const diffOfMeans = (s: readonly Float64Array[]) => mean(s[0]!) - mean(s[1]!);
const fmt = (v: ArrayLike<number>) => Array.from(v, (x) => x.toFixed(2)).join(' ');
/** Printed for docs/shop-results.md (`npx vitest run test/engine/deep-shop-results.test.ts`). */
const report = (line: string) => console.log(`[deep-shop-results] ${line}`);

/** The myopic oracle's greedy return per seed on an experiment's shop (it does not learn). */
function oracleReturns(env: Experiment['env']): Float64Array {
  const oracle = { ...preset('shop-fatigue-myopic'), env };
  return Float64Array.from(SEEDS, (seed) => {
    const o = prepareRun({ ...spec(oracle, seed), episodes: 1 });
    return rollout(o.env, (x) => o.agent.greedyAction(x), EVAL_EPISODES, evalSeed(seed)).meanReturn;
  });
}

/** Trains the preset on every seed and returns its greedy policy's mean return per seed. */
function greedyReturns(e: Experiment): Float64Array {
  return Float64Array.from(SEEDS, (seed) => {
    const prepared = prepareRun(spec(e, seed));
    const r = train(spec(e, seed), {}, prepared);
    expect(r.status).toBe('completed');
    const { env, agent } = prepared;
    return rollout(env, (o) => agent.greedyAction(o), EVAL_EPISODES, evalSeed(seed)).meanReturn;
  });
}

/**
 * The agent's mean must also be the one docs/shop-results.md and the README print (`documented`):
 * a change that moves the numbers (one that sums float32 products in another order does) fails
 * here until the docs are updated with this test's output, instead of leaving them stale.
 */
function beatsOracle(name: string, agentLabel: string, documented: string): void {
  const e = preset(name);
  const tabular = preset('shop-fatigue');
  // The same shop as shop-fatigue (and so as its myopic oracle), only observed as a vector.
  expect(e.env).toEqual({ ...tabular.env, observation: 'vector' });
  const agent = greedyReturns(e);
  const oracle = oracleReturns(e.env);
  const ci = stratifiedBootstrapCI([agent, oracle], diffOfMeans, { seed: 0, resamples: 5000 });
  report(
    `${name}: ${agentLabel} ${mean(agent).toFixed(3)} [${fmt(agent)}], myopic oracle ${mean(oracle).toFixed(3)} [${fmt(oracle)}], ` +
      `difference ${ci.point.toFixed(3)} (95 % CI ${ci.lo.toFixed(3)} … ${ci.hi.toFixed(3)}), ratio ${(mean(agent) / mean(oracle)).toFixed(3)}`,
  );
  expect(mean(agent)).toBeGreaterThan(mean(oracle));
  expect(ci.lo).toBeGreaterThan(0);
  expect(mean(agent).toFixed(3), `${name}'s greedy mean moved: update docs/shop-results.md and the README with the line printed above`).toBe(documented);
}

describe('deep agents on shop-fatigue with vector observations', () => {
  it('the myopic oracle earns the same with the vector observation as with the discrete one (it reads the true state)', () => {
    const discrete = oracleReturns(preset('shop-fatigue').env);
    const vector = oracleReturns(preset('shop-fatigue-dqn').env);
    report(`myopic oracle: discrete ${mean(discrete).toFixed(3)}, vector ${mean(vector).toFixed(3)} [${fmt(vector)}]`);
    expect(Array.from(vector)).toEqual(Array.from(discrete));
  });

  // About 3–6 s a seed on a loaded two-core machine; the timeouts leave room for a slower CI.
  it('DQN’s greedy policy beats the myopic oracle over 10 seeds, CI of the difference above 0', () => {
    beatsOracle('shop-fatigue-dqn', 'dqn', '5.272');
  }, 600_000);

  it('PPO’s greedy policy beats the myopic oracle over 10 seeds, CI of the difference above 0', () => {
    beatsOracle('shop-fatigue-ppo', 'ppo', '5.696');
  }, 600_000);
});
