// The exported MDP against the simulator one transition at a time. shop-mdp.test compares expected
// returns, a sum over whole sessions in which errors of opposite sign can cancel and an error in a
// rarely visited state hardly moves the mean; here the exact-mode environment plays uniformly random
// actions and every observed (state, action) → next state must be a row of the MDP, the observed
// next-state frequencies of each well-visited pair must fit the rows' probabilities (χ² summed over
// the pairs), each pair's mean reward its expected immediate reward Σ p · r, and the session starts
// the start distribution.
import { describe, expect, it } from 'vitest';
import { createShopEnv, shopToMdp, type ShopParamsInput } from '../../src/engine/envs/shop';
import { parseMdp } from '../../src/engine/mdp/format';
import { Rng } from '../../src/engine/rng';

interface Fit {
  /** Σ over the pairs of χ², its degrees of freedom, and how many pairs were tested. */
  chi2: number;
  df: number;
  pairs: number;
  /** Σ over the tested pairs of z² of the mean reward against Σ p · r (≈ χ² with `pairs` degrees of freedom). */
  rewardZ2: number;
  /** Observed transitions that the MDP has no row for, as "s -a-> s'". */
  missing: string[];
  /** χ² of the session starts against the start distribution, and its degrees of freedom. */
  startChi2: number;
  startDf: number;
}

const MIN_VISITS = 100;
const MIN_EXPECTED = 5;

/** χ² of observed counts against expected ones, bins with expected < MIN_EXPECTED pooled (into the smallest kept bin if the pool is small). */
function chiSquare(observed: number[], expected: number[]): { chi2: number; df: number } {
  const bins: [number, number][] = [];
  let restO = 0;
  let restE = 0;
  observed.forEach((o, j) => {
    if (expected[j]! >= MIN_EXPECTED) bins.push([o, expected[j]!]);
    else {
      restO += o;
      restE += expected[j]!;
    }
  });
  if (restE >= MIN_EXPECTED || bins.length === 0) bins.push([restO, restE]);
  else if (restE > 0 || restO > 0) {
    const smallest = bins.reduce((a, b) => (b[1] < a[1] ? b : a));
    smallest[0] += restO;
    smallest[1] += restE;
  }
  let chi2 = 0;
  for (const [o, e] of bins) chi2 += e > 0 ? (o - e) ** 2 / e : o > 0 ? Infinity : 0;
  return { chi2, df: bins.length - 1 };
}

function fit(params: ShopParamsInput, steps: number, seed: number): Fit {
  const mdp = parseMdp(shopToMdp(params));
  const env = createShopEnv(params);
  const A = mdp.actions;
  const pairs = mdp.states * A;
  const visits = new Float64Array(pairs);
  const rewardSum = new Float64Array(pairs);
  const rewardSq = new Float64Array(pairs);
  const toNext = new Map<number, number>(); // (pair · states + next) → count
  const starts = new Float64Array(mdp.states);
  const rng = new Rng(seed, 7);
  let s = env.reset(seed) as number;
  let sessions = 1;
  starts[s]!++;
  for (let t = 0; t < steps; t++) {
    const a = rng.int(A);
    const r = env.step(a);
    const next = r.observation as number;
    const pair = s * A + a;
    visits[pair]!++;
    rewardSum[pair]! += r.reward;
    rewardSq[pair]! += r.reward * r.reward;
    const key = pair * mdp.states + next;
    toNext.set(key, (toNext.get(key) ?? 0) + 1);
    if (r.terminated || r.truncated) {
      s = env.reset() as number;
      starts[s]!++;
      sessions++;
    } else s = next;
  }

  const missing: string[] = [];
  for (const key of toNext.keys()) {
    const pair = Math.floor(key / mdp.states);
    const next = key % mdp.states;
    let found = false;
    for (let k = mdp.offsets[pair]!; k < mdp.offsets[pair + 1]!; k++) if (mdp.next[k] === next && mdp.prob[k]! > 0) found = true;
    if (!found) missing.push(`${mdp.stateLabels[Math.floor(pair / A)]} -${mdp.actionLabels[pair % A]}-> ${mdp.stateLabels[next]}`);
  }

  let chi2 = 0;
  let df = 0;
  let tested = 0;
  let rewardZ2 = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const n = visits[pair]!;
    if (n < MIN_VISITS) continue;
    tested++;
    const observed: number[] = [];
    const expected: number[] = [];
    let meanReward = 0;
    let rowSecond = 0;
    for (let k = mdp.offsets[pair]!; k < mdp.offsets[pair + 1]!; k++) {
      observed.push(toNext.get(pair * mdp.states + mdp.next[k]!) ?? 0);
      expected.push(n * mdp.prob[k]!);
      meanReward += mdp.prob[k]! * mdp.reward[k]!;
      rowSecond += mdp.prob[k]! * mdp.reward[k]! ** 2;
    }
    const c = chiSquare(observed, expected);
    chi2 += c.chi2;
    df += c.df;
    // z of the pair's mean reward. Its variance: the sample's, or, if larger, the spread of the
    // rows' (merged, mean) rewards, a lower bound of the true one that a pair whose rare outcome
    // never came up (a sample variance of 0) still has.
    const sampleVariance = rewardSq[pair]! / n - (rewardSum[pair]! / n) ** 2;
    const variance = Math.max(sampleVariance, rowSecond - meanReward ** 2, 1e-12) / n;
    rewardZ2 += (rewardSum[pair]! / n - meanReward) ** 2 / variance;
  }
  const startObserved: number[] = [];
  const startExpected: number[] = [];
  mdp.start.forEach((p, st) => {
    if (p > 0 || starts[st]! > 0) {
      startObserved.push(starts[st]!);
      startExpected.push(sessions * p);
    }
  });
  const start = chiSquare(startObserved, startExpected);
  return { chi2, df, pairs: tested, rewardZ2, missing, startChi2: start.chi2, startDf: start.df };
}

/** How many standard deviations (√(2 df)) a χ² of `df` degrees of freedom lies above its mean; 4.5 is far in the tail even for few df. */
const standardised = (chi2: number, df: number) => (chi2 - df) / Math.sqrt(2 * Math.max(1, df));

const configs: [string, ShopParamsInput][] = [
  ['the default shop with item actions', { exact: true, items: 8, maxSteps: 200 }],
  ['category actions, slates of 3, revenue, 4 engagement and 3 fatigue levels', { exact: true, items: 12, actionLevel: 'category', slateSize: 3, reward: 'revenue', engagementLevels: 4, maxSteps: 200 }],
  ['slates of 2 of 6 items, fatigue strong, weighted reward, a start between levels', { exact: true, items: 6, categories: 2, slateSize: 2, fatigueIncrement: 0.8, fatigueDecay: 0.7, fatigueLevels: 4, engagementStart: 0.6, reward: 'weighted', maxSteps: 200 }],
];

describe('the exported MDP, transition by transition', () => {
  it.each(configs)('gives the simulator’s next-state frequencies and rewards (%s)', (_name, params) => {
    const f = fit(params, 400_000, 11);
    expect(f.missing, 'transitions the MDP has no row for').toEqual([]);
    expect(f.pairs).toBeGreaterThan(50);
    expect(standardised(f.chi2, f.df), `next states: χ² ${f.chi2.toFixed(1)} on ${f.df} df over ${f.pairs} pairs`).toBeLessThan(4.5);
    expect(standardised(f.rewardZ2, f.pairs), `rewards: Σ z² ${f.rewardZ2.toFixed(1)} over ${f.pairs} pairs`).toBeLessThan(4.5);
    expect(standardised(f.startChi2, f.startDf), `starts: χ² ${f.startChi2.toFixed(2)} on ${f.startDf} df`).toBeLessThan(4.5);
  });
});
