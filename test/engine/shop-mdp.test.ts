// The exact mode: the exported aisle.mdp/v1 file against the simulator's own Monte-Carlo returns,
// the optimality gap of tabular runs, Q-learning reaching the optimum, and the long-term policy
// beating the myopic oracle.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/engine/env';
import { createShopEnv, shopToMdp, type ShopEnv, type ShopParamsInput } from '../../src/engine/envs/shop';
import { rollout } from '../../src/engine/evaluate';
import { parseMdp, type Mdp } from '../../src/engine/mdp/format';
import { evaluatePolicy, uniformRandomPolicy, valueIteration } from '../../src/engine/mdp/solve';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { prepareRun, train } from '../../src/engine/train';

/** Mean undiscounted return and its standard error over `episodes` sessions (evaluate.ts's rollout). */
function monteCarlo(env: ShopEnv, act: (observation: Observation) => number, episodes: number, seed: number): { mean: number; se: number } {
  const report = rollout(env, act, episodes, seed);
  return { mean: report.meanReturn, se: report.stdReturn / Math.sqrt(episodes) };
}

/** argmax of the oracle's expected immediate rewards: the myopic oracle. */
function myopic(env: ShopEnv): () => number {
  const values = new Float64Array(env.actionSpace.n);
  return () => {
    env.oracle.immediateValues(values);
    let best = 0;
    for (let a = 1; a < values.length; a++) if (values[a]! > values[best]!) best = a;
    return best;
  };
}

/** The myopic oracle's policy read off the MDP: argmax_a Σ p · r per state. */
function myopicPolicy(mdp: Mdp): Int32Array {
  const policy = new Int32Array(mdp.states);
  for (let s = 0; s < mdp.states; s++) {
    let best = -Infinity;
    for (let a = 0; a < mdp.actions; a++) {
      const pair = s * mdp.actions + a;
      let r = 0;
      for (let k = mdp.offsets[pair]!; k < mdp.offsets[pair + 1]!; k++) r += mdp.prob[k]! * mdp.reward[k]!;
      if (r > best) [best, policy[s]] = [r, a];
    }
  }
  return policy;
}

describe('shopToMdp', () => {
  it('writes a valid aisle.mdp/v1 file whose states are the discrete observation’s', () => {
    const file = shopToMdp({ exact: true, items: 10 });
    const mdp = parseMdp(file);
    const env = createShopEnv({ exact: true, items: 10 });
    expect(mdp.states).toBe(2 * 5 * 3 * 3 + 1);
    expect(mdp.stateLabels).toEqual(env.observationSpace.kind === 'discrete' ? env.observationSpace.labels : []);
    expect(mdp.actionLabels).toEqual(env.actionSpace.labels);
    expect(file.terminal).toEqual([mdp.states - 1]);
    // engagementStart 0.7 lies between levels 1 (0.5) and 2 (1): 60 % and 40 %, per segment.
    const start = { 3: 0.3, 6: 0.2, 48: 0.3, 51: 0.2 }; // (segment · 5 + none) · 9 + level · 3
    expect(Object.keys(file.start).map(Number)).toEqual(Object.keys(start).map(Number));
    for (const [s, p] of Object.entries(start)) expect(file.start[s]).toBeCloseTo(p, 14);
    expect(env.mdp).toBeDefined();
    expect(createShopEnv({ items: 10 }).mdp).toBeUndefined();
    expect(createShopEnv({ exact: true, observation: 'vector' }).mdp).toBeUndefined();
  });

  it('refuses configurations that are not exact, naming the field', () => {
    expect(() => shopToMdp({})).toThrow(ValidationError);
    expect(() => shopToMdp({})).toThrow(/^exact: only the exact mode is a finite MDP/);
    expect(() => shopToMdp({ exact: true, observeSegment: false })).toThrow(/^observeSegment: /);
    expect(() => shopToMdp({ exact: true, items: 1 })).toThrow(/^categories: 4 exceeds items 1/);
    expect(() => shopToMdp({ exact: true, items: 20_000, categories: 100 })).toThrow(/^exact: the exact MDP would have [\d,]+ states × 20,000 actions/);
  });

  const configs: [string, ShopParamsInput][] = [
    ['items, one per slate, clicks', { exact: true, items: 8, maxSteps: 200 }],
    ['categories, slates of 3, revenue', { exact: true, items: 12, actionLevel: 'category', slateSize: 3, reward: 'revenue', maxSteps: 200 }],
  ];
  it.each(configs)('matches the simulator’s Monte-Carlo returns for the optimal and a random policy (%s)', (_name, params) => {
    const mdp = parseMdp(shopToMdp(params));
    const horizon = { gamma: 1, horizon: 200 };
    const solution = valueIteration(mdp, horizon);
    // With leaving likely, the stage-0 greedy policy is optimal to within the horizon's tail.
    const optimal = evaluatePolicy(mdp, solution.policy, horizon);
    expect(optimal).toBeGreaterThan(solution.optimalReturn * (1 - 1e-6));
    const env = createShopEnv(params);
    const greedy = monteCarlo(env, (s) => solution.policy[s as number]!, 20_000, 1);
    expect(Math.abs(greedy.mean - optimal)).toBeLessThan(3.5 * greedy.se);
    const rng = new Rng(5, 0);
    const random = monteCarlo(env, () => rng.int(mdp.actions), 20_000, 2);
    const randomValue = evaluatePolicy(mdp, uniformRandomPolicy(mdp), horizon);
    expect(Math.abs(random.mean - randomValue)).toBeLessThan(3.5 * random.se);
    expect(optimal).toBeGreaterThan(randomValue);
  });
});

describe('learning the exact shop', () => {
  it('reports the greedy policy’s optimality gap for tabular runs', () => {
    const result = train({ env: { id: 'shop', exact: true, items: 8, maxSteps: 200 }, agent: { id: 'q-learning', gamma: 0.8 }, episodes: 200, seed: 0 });
    expect(result.greedy).toBeDefined();
    expect(result.greedy!.optimalityGap).toBeGreaterThanOrEqual(-1e-9);
    expect(result.metricNames).toEqual(['return', 'length', 'clicks', 'purchases', 'revenue', 'ctr', 'conversion', 'coverage', 'diversity', 'gini', 'novelty', 'train/epsilon']);
    const inexact = train({ env: { id: 'shop', items: 8 }, agent: { id: 'q-learning' }, episodes: 20, seed: 0 });
    expect(inexact.greedy).toBeUndefined();
  });

  it('Q-learning reaches a normalised score ≥ 0.99 on 2 segments × 5 last categories × 3 × 3 levels, 8 items', () => {
    for (const seed of [0, 1, 2]) {
      const result = train({
        env: { id: 'shop', exact: true, items: 8, maxSteps: 200 },
        agent: { id: 'q-learning', alpha: 0.02, gamma: 0.8, epsilon: 0.2 },
        episodes: 150_000,
        seed,
      });
      expect(result.greedy!.normalizedScore, `seed ${seed}`).toBeGreaterThanOrEqual(0.99);
    }
  });
});

describe('long-term value', () => {
  it('the optimal policy keeps users longer and earns clearly more than the myopic oracle (default shop, exact)', () => {
    const params = { exact: true, maxSteps: 200 } as const;
    const mdp = parseMdp(shopToMdp(params));
    const horizon = { gamma: 1, horizon: 200 };
    const optimal = valueIteration(mdp, horizon).optimalReturn;
    const myopicValue = evaluatePolicy(mdp, myopicPolicy(mdp), horizon);
    expect(optimal / myopicValue).toBeGreaterThan(1.15);
    // The oracle agent (reading env.oracle) plays that same policy.
    const env = createShopEnv(params);
    const played = monteCarlo(env, myopic(env), 20_000, 3);
    expect(Math.abs(played.mean - myopicValue)).toBeLessThan(3.5 * played.se);
  });

  it('Q-learning’s greedy policy beats the myopic oracle by more than 10 % on the suggested shop-fatigue preset', () => {
    const preset = { exact: true, actionLevel: 'category', ranking: 'quality', slateSize: 2, fatigueLoss: 0.3, fatigueIncrement: 0.5, fatigueDecay: 0.6, fatigueWeight: 0.5, maxSteps: 200 } as const;
    const learned: number[] = [];
    const oracle: number[] = [];
    for (const seed of [0, 1, 2, 3, 4]) {
      const spec = { env: { id: 'shop', ...preset }, agent: { id: 'q-learning', alpha: 0.05, gamma: 0.95, epsilon: 0.1 }, episodes: 10_000, seed };
      const prepared = prepareRun(spec);
      train(spec, {}, prepared);
      learned.push(monteCarlo(createShopEnv(preset), (s) => prepared.agent.greedyAction(s), 4000, 1000 + seed).mean);
      const env = createShopEnv(preset);
      oracle.push(monteCarlo(env, myopic(env), 4000, 1000 + seed).mean);
    }
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean(learned) / mean(oracle)).toBeGreaterThan(1.1);
    learned.forEach((v, i) => expect(v, `seed ${i}`).toBeGreaterThan(oracle[i]!));
  });
});
