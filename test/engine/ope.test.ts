import { describe, expect, it } from 'vitest';
import { checkLoggedBandit, deterministicTarget, empiricalTarget, evaluateOffPolicy, selectRows, targetFromDistributions, uniformTarget, type LoggedBandit } from '../../src/engine/ope';
import { decimal, ValidationError } from '../../src/engine/params';
import { droppedResamples } from '../../src/engine/ope/estimators';
import { policyTarget } from '../../src/engine/ope/run';
import { crossFitFolds } from '../../src/engine/ope/sampler';
import { parsePolicy } from '../../src/engine/policy/format';
import { Rng } from '../../src/engine/rng';
import { logs } from '../helpers/logged-bandit';


/** Four rows solved by hand below. */
const HAND = logs([
  ['a', 'x', 1, 0.5],
  ['a', 'y', 0, 0.5],
  ['b', 'x', 0, 0.25],
  ['b', 'y', 1, 0.75],
]);

describe('off-policy estimators on four rows solved by hand', () => {
  const always = (d: LoggedBandit) => deterministicTarget(d, new Map([['*', 'x']]), 'always x');

  it('IPS, SNIPS, DM and DR with raw cell means (m = 0)', () => {
    // w = [2, 0, 4, 0]; IPS = (2·1)/4; SNIPS = 2/6; q̂(a,x) = 1, q̂(b,x) = 0: DM = ½·1 + ½·0, DR adds (2·0 + 4·0)/4.
    const r = evaluateOffPolicy(HAND, always(HAND), { priorStrength: 0, resamples: 50, folds: 1 });
    expect(r.estimates.ips.point).toBeCloseTo(0.5, 12);
    expect(r.estimates.snips.point).toBeCloseTo(1 / 3, 12);
    expect(r.estimates.dm.point).toBeCloseTo(0.5, 12);
    expect(r.estimates.dr.point).toBeCloseTo(0.5, 12);
    expect(r.logged.point).toBeCloseTo(0.5, 12);
    expect(r.diagnostics.meanWeight).toBeCloseTo(1.5, 12);
    expect(r.diagnostics.effectiveSampleSize).toBeCloseTo(36 / 20, 12);
    expect(r.diagnostics.maxWeight).toBe(4);
    expect(r.diagnostics.rowsWithWeight).toBe(2);
    expect(r.diagnostics.unsupportedMass).toBe(0);
  });

  it("the effective sample size of a weight whose square is beyond a double's range: about 1 row, not NaN, and warned of", () => {
    // w = [2, 2e200, 2, 2]: (Σ w)² / Σ w² = 1 + ~6e-200, where Σ w² = 4e400 would be ∞.
    const huge = logs([
      ['a', 'x', 1, 0.5],
      ['a', 'x', 0, 5e-201],
      ['b', 'x', 0, 0.5],
      ['b', 'x', 1, 0.5],
    ]);
    const r = evaluateOffPolicy(huge, always(huge), { priorStrength: 0, resamples: 20, folds: 1 });
    expect(r.diagnostics.maxWeight).toBeCloseTo(2e200, -188);
    expect(r.diagnostics.effectiveSampleSize).toBeCloseTo(1, 12);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^the effective sample size is 1 of 4 rows: a few rows carry the estimate/));
  });

  it('the shrunk reward model (m = 1) moves DM and DR as computed by hand', () => {
    // r̄ = ½. Each cell is shrunk toward x's mean over the other context's rows, so no row counts twice:
    // q̂₋ₐ(x) = (0 + ½)/2 = ¼, q̂(a,x) = (1 + ¼)/2 = ⅝; q̂₋b(x) = (1 + ½)/2 = ¾, q̂(b,x) = (0 + ¾)/2 = ⅜.
    // DM = ½·⅝ + ½·⅜ = ½; DR = ½ + (2·(1 − ⅝) + 4·(0 − ⅜))/4 = 5/16.
    // (Shrunk toward x's mean over every row, ½, row 0 and row 2 would count twice: DR 3/8.)
    const r = evaluateOffPolicy(HAND, always(HAND), { priorStrength: 1, resamples: 50, folds: 1 });
    expect(r.estimates.dm.point).toBeCloseTo(0.5, 12);
    expect(r.estimates.dr.point).toBeCloseTo(5 / 16, 12);
    expect(r.estimates.ips.point).toBeCloseTo(0.5, 12); // no reward model in IPS
  });

  it('values an action the logs never show at all at the overall mean r̄, as the reward model’s formula does, not at 0', () => {
    // Half the mass on x, half on "z" (no row, no label). m = 1: q̂(z) = (0 + ½)/1 = ½ = q̂(·, z);
    // DM = ½·(½·¾ + ½·¼) + ½·½ = ½. m = 0: q̂(z) falls back to r̄ = ½ too: DM = ½·½ + ½·½ = ½.
    const half = (d: LoggedBandit) => targetFromDistributions(d, new Map([['*', new Map([['x', 0.5], ['z', 0.5]])]]), 'half x, half z');
    expect([...half(HAND).unlisted]).toEqual([0.5, 0.5]);
    for (const m of [0, 1]) {
      const r = evaluateOffPolicy(HAND, half(HAND), { priorStrength: m, resamples: 50, folds: 1 });
      expect(r.estimates.dm.point).toBeCloseTo(0.5, 12);
      expect(r.diagnostics.unsupportedMass).toBeCloseTo(0.5, 12);
    }
    // Rewards of 1 everywhere but one 0: r̄ = ¾, so "z" is worth ¾ (it read 0, pulling DM down to ~half).
    const mostly = logs([
      ['a', 'x', 1, 0.5],
      ['a', 'y', 1, 0.5],
      ['b', 'x', 0, 0.25],
      ['b', 'y', 1, 0.75],
    ]);
    const onlyZ = deterministicTarget(mostly, new Map([['*', 'z']]), 'always z');
    const r = evaluateOffPolicy(mostly, onlyZ, { priorStrength: 1, resamples: 50, folds: 2 });
    expect(r.estimates.dm.point).toBeCloseTo(0.75, 12);
    // DR: no row has weight, so each fold's DM on the other fold's mean: fold 0 (rows 0, 1) with r̄ of rows 2, 3 = ½, and fold 1 with 1.
    expect(r.estimates.dr.point).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
  });

  it('DR cross-fitted on 2 folds: each row corrected with the model fit on the other fold', () => {
    // The seeded shuffle puts rows 0, 1 (context a) in fold 0 and rows 2, 3 (context b) in fold 1 (m = 0).
    expect(Array.from(crossFitFolds(4, 2))).toEqual([0, 0, 1, 1]);
    // Without fold 0 (rows 2, 3): q̂(a, x) has no row of its cell and falls back to x's mean there, 0.
    // Without fold 1 (rows 0, 1): q̂(b, x) falls back to x's mean there, 1.
    // Direct part: fold 0's rows (context a) 2·0/4, fold 1's (context b) 2·1/4: ½.
    // Correction: row 0, w = 2: 2·(1 − 0); row 2, w = 4: 4·(0 − 1); the y rows weigh 0: (2 − 4)/4 = −½.
    const r = evaluateOffPolicy(HAND, always(HAND), { priorStrength: 0, resamples: 50, folds: 2 });
    expect(r.estimates.dr.point).toBeCloseTo(0, 12);
    expect(r.estimates.dm.point).toBeCloseTo(0.5, 12); // DM keeps the model fit on every row
    expect(r.folds).toBe(2);
  });

  it('deals the rows of logs written a slate at a time into every fold: each row corrected by a model that saw its position', () => {
    // 1,000 slates of positions 1, 2, 3 on consecutive rows, 2 items shown uniformly; a click at position 1 always, never below.
    const rng = new Rng(8, 0);
    const rows: [string, string, number, number][] = [];
    for (let slate = 0; slate < 1000; slate++) for (const position of ['1', '2', '3']) rows.push([position, rng.int(2) === 0 ? 'x' : 'y', position === '1' ? 1 : 0, 0.5]);
    const data = logs(rows);
    const folds = crossFitFolds(rows.length, 3);
    // Every position in every fold, about a third of its rows each (row i mod 3 put position i + 1 alone in fold i).
    for (const position of [0, 1, 2]) {
      for (let f = 0; f < 3; f++) {
        const inFold = rows.filter((_, i) => i % 3 === position && folds[i] === f).length;
        expect(inFold).toBeGreaterThan(280);
        expect(inFold).toBeLessThan(390);
      }
    }
    expect(new Set([0, 1, 2].map((f) => folds.filter((g) => g === f).length))).toEqual(new Set([1000]));
    // The rewards are the cells' means, so a model that saw each row's cell corrects nothing: DR is DM, ⅓ exactly.
    // (Each fold one position, DR's corrections carried the split of x and y at position 1 as noise.)
    const r = evaluateOffPolicy(data, deterministicTarget(data, new Map([['*', 'x']]), 'always x'), { priorStrength: 0, resamples: 50, folds: 3 });
    expect(r.estimates.dm.point).toBeCloseTo(1 / 3, 12);
    expect(r.estimates.dr.point).toBeCloseTo(1 / 3, 12);
  });

  it('with the weight constant in each cell, an uncross-fitted DR repeats DM; cross-fitted, it does not', () => {
    const { data } = synthetic(5, 3000);
    const best = deterministicTarget(data, new Map([['*', '2']]), 'always 2');
    const plain = evaluateOffPolicy(data, best, { priorStrength: 0, resamples: 20, folds: 1 });
    expect(plain.estimates.dr.point).toBeCloseTo(plain.estimates.dm.point, 12);
    const crossed = evaluateOffPolicy(data, best, { priorStrength: 0, resamples: 20, folds: 3 });
    expect(Math.abs(crossed.estimates.dr.point - crossed.estimates.dm.point)).toBeGreaterThan(1e-6);
    expect(() => evaluateOffPolicy(data, best, { folds: 0 })).toThrow(/folds must be a whole number from 1 to 10/);
  });

  it('intervals hold their point and depend on the seed only', () => {
    const target = always(HAND);
    const a = evaluateOffPolicy(HAND, target, { seed: 3, resamples: 200 });
    const b = evaluateOffPolicy(HAND, target, { seed: 3, resamples: 200 });
    expect(b).toEqual(a);
    for (const e of Object.values(a.estimates)) {
      expect(e.lo).toBeLessThanOrEqual(e.point);
      expect(e.hi).toBeGreaterThanOrEqual(e.point);
    }
    expect(a.estimates.ips.hi).toBeGreaterThan(a.estimates.ips.lo);
  });
});

/**
 * A synthetic shop whose truth is known: 3 contexts, 6 actions, click probabilities θ(x, a); a
 * softmax logging policy μ that records its propensities; the value of a target π is then exactly
 * Σ_x P(x) Σ_a π(a|x) θ(x, a).
 */
function synthetic(seed: number, n: number) {
  const C = 3;
  const A = 6;
  const world = new Rng(12345); // the same world for every seed
  const theta = Float64Array.from({ length: C * A }, () => 0.05 + 0.5 * world.next());
  const mu = new Float64Array(C * A);
  for (let x = 0; x < C; x++) {
    const scores = Array.from({ length: A }, () => Math.exp(1.5 * world.next()));
    const z = scores.reduce((s, v) => s + v, 0);
    scores.forEach((s, a) => (mu[x * A + a] = s / z));
  }
  const rng = new Rng(seed);
  const context = new Int32Array(n);
  const action = new Int32Array(n);
  const reward = new Float64Array(n);
  const propensity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.int(C);
    let u = rng.next();
    let a = 0;
    while (a < A - 1 && u >= mu[x * A + a]!) u -= mu[x * A + a++]!;
    context[i] = x;
    action[i] = a;
    propensity[i] = mu[x * A + a]!;
    reward[i] = rng.next() < theta[x * A + a]! ? 1 : 0;
  }
  const data: LoggedBandit = { contextLabels: ['0', '1', '2'], actionLabels: ['0', '1', '2', '3', '4', '5'], context, action, reward, propensity };
  return { data, theta, mu, C, A };
}

describe('off-policy estimators on logs whose truth is known', () => {
  it('IPS and DR are unbiased for a greedy target and their intervals cover the truth', () => {
    const seeds = 30;
    const n = 4000;
    const estimates: Record<'ips' | 'snips' | 'dm' | 'dr', number[]> = { ips: [], snips: [], dm: [], dr: [] };
    const covered = { ips: 0, dr: 0 };
    let truth = NaN;
    for (let seed = 0; seed < seeds; seed++) {
      const { data, theta, C, A } = synthetic(seed, n);
      // The target: each context's best action (what a greedy recommender would do).
      const best = new Map<string, string>();
      truth = 0;
      for (let x = 0; x < C; x++) {
        let b = 0;
        for (let a = 1; a < A; a++) if (theta[x * A + a]! > theta[x * A + b]!) b = a;
        best.set(String(x), String(b));
        truth += theta[x * A + b]! / C;
      }
      const r = evaluateOffPolicy(data, deterministicTarget(data, best, 'greedy'), { seed, resamples: 300 });
      for (const k of ['ips', 'snips', 'dm', 'dr'] as const) estimates[k].push(r.estimates[k].point);
      for (const k of ['ips', 'dr'] as const) if (r.estimates[k].lo <= truth && truth <= r.estimates[k].hi) covered[k]++;
      expect(r.diagnostics.unsupportedMass).toBe(0);
    }
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0) / (xs.length - 1));
    for (const k of ['ips', 'snips', 'dr'] as const) {
      // The mean of 30 estimates is within 4 standard errors of the truth.
      expect(Math.abs(mean(estimates[k]) - truth)).toBeLessThan((4 * sd(estimates[k])) / Math.sqrt(seeds));
    }
    // 95 % intervals cover in most seeds (27 of 30 expected).
    expect(covered.ips).toBeGreaterThanOrEqual(24);
    expect(covered.dr).toBeGreaterThanOrEqual(24);
    // With a reward model per cell, DR varies less than IPS.
    expect(sd(estimates.dr)).toBeLessThan(sd(estimates.ips));
    // The logging policy is worse than the greedy target: the estimators see it.
    expect(mean(estimates.dr)).toBeGreaterThan(0.3);
  });

  it('evaluating the logging policy itself gives weights of exactly 1: IPS and SNIPS are the logged mean, DR nearly', () => {
    const { data, mu, C, A } = synthetic(7, 2000);
    const dists = new Map<string, Map<string, number>>();
    for (let x = 0; x < C; x++) dists.set(String(x), new Map(Array.from({ length: A }, (_, a) => [String(a), mu[x * A + a]!])));
    const r = evaluateOffPolicy(data, targetFromDistributions(data, dists, 'the logging policy'), { resamples: 100 });
    expect(r.diagnostics.meanWeight).toBeCloseTo(1, 12);
    expect(r.diagnostics.effectiveSampleSize).toBeCloseTo(2000, 6);
    expect(r.estimates.ips.point).toBeCloseTo(r.logged.point, 12);
    expect(r.estimates.snips.point).toBeCloseTo(r.logged.point, 12);
    // DR differs by DM's μ(a|x) against the logs' own frequencies of a in x: sampling noise.
    expect(Math.abs(r.estimates.dr.point - r.logged.point)).toBeLessThan(0.005);
    expect(r.estimates.dr.point).not.toBe(r.logged.point);
  });

  it('the empirical target of logs reproduces their policy: logs evaluated against themselves', () => {
    const { data } = synthetic(3, 3000);
    const target = empiricalTarget(data, data, 'these logs');
    // π̂(a|x) is μ's frequency, close to μ: the mean weight is close to 1, and DM recovers the logged mean.
    const r = evaluateOffPolicy(data, target, { resamples: 100 });
    expect(r.diagnostics.meanWeight).toBeGreaterThan(0.9);
    expect(r.diagnostics.meanWeight).toBeLessThan(1.1);
    expect(r.estimates.dm.point).toBeCloseTo(r.logged.point, 2);
  });
});

describe('the bootstrap over groups of identical rows', () => {
  it('gives the intervals that resampling the rows one by one gives', () => {
    // The same logs twice: with 0/1 rewards (a few dozen distinct rows: resampled as groups) and
    // with each reward nudged by a different 1e-13 (every row distinct: resampled row by row).
    const { data } = synthetic(21, 5000);
    const nudged = { ...data, reward: data.reward.map((r, i) => r + i * 1e-13) };
    const target = uniformTarget(data);
    const grouped = evaluateOffPolicy(data, target, { resamples: 2000, seed: 1 });
    const rowwise = evaluateOffPolicy(nudged, target, { resamples: 2000, seed: 1 });
    for (const k of ['ips', 'snips', 'dm', 'dr'] as const) {
      const a = grouped.estimates[k];
      const b = rowwise.estimates[k];
      expect(a.point).toBeCloseTo(b.point, 8);
      // Two independent bootstraps of 2000 resamples: their percentiles agree to a few % of the width.
      const width = b.hi - b.lo;
      expect(Math.abs(a.lo - b.lo)).toBeLessThan(0.1 * width);
      expect(Math.abs(a.hi - b.hi)).toBeLessThan(0.1 * width);
    }
    expect(grouped.diagnostics.effectiveSampleSize).toBeCloseTo(rowwise.diagnostics.effectiveSampleSize, 6);
  });
});

describe('targets', () => {
  it('uniform covers every logged action; a deterministic target on an action never shown there is unsupported', () => {
    const u = uniformTarget(HAND);
    expect([...u.probs]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect([...u.unsupported]).toEqual([0, 0]);
    const data = logs([
      ['a', 'x', 1, 0.5],
      ['b', 'y', 0, 0.5],
    ]);
    const t = deterministicTarget(data, new Map([['*', 'y']]), 'always y');
    expect([...t.unsupported]).toEqual([1, 0]); // context a never shows y
    const r = evaluateOffPolicy(data, t, { resamples: 20 });
    expect(r.diagnostics.unsupportedMass).toBe(0.5);
    // An action the logs do not know at all: all of its mass is unsupported.
    expect([...deterministicTarget(data, new Map([['*', 'zzz']]), 'z').unsupported]).toEqual([1, 1]);
  });

  it('the empirical target takes frequencies per context, and the source\'s overall ones for a context it lacks', () => {
    const source = logs([
      ['a', 'x', 0, 1],
      ['a', 'x', 0, 1],
      ['a', 'y', 0, 1],
      ['b', 'y', 0, 1],
    ]);
    const data = logs(
      [
        ['a', 'x', 0, 0.5],
        ['c', 'y', 0, 0.5],
      ],
      ['a', 'c'],
      ['x', 'y'],
    );
    const t = empiricalTarget(data, source, 'source');
    expect(t.probs[0]).toBeCloseTo(2 / 3, 12);
    expect(t.probs[1]).toBeCloseTo(1 / 3, 12);
    expect(t.probs[2]).toBeCloseTo(2 / 4, 12); // context c: the source's x in 2 of 4 rows
    expect(t.probs[3]).toBeCloseTo(2 / 4, 12);
  });

  it('gives a context the source lacks its overall frequencies even where the source has a context labelled "*"', () => {
    // "*" is also the key of a distribution for every context: the source's context "*" took its place.
    const source = logs([
      ['*', 'x', 0, 1],
      ['a', 'y', 0, 1],
      ['a', 'y', 0, 1],
      ['a', 'y', 0, 1],
    ]);
    const data = logs([['*', 'x', 0, 0.5], ['a', 'y', 0, 0.5], ['c', 'x', 0, 0.5]], ['*', 'a', 'c'], ['x', 'y']);
    const t = empiricalTarget(data, source, 'source');
    expect(Array.from(t.probs)).toEqual([1, 0, 0, 1, 1 / 4, 3 / 4]);
  });

  it('refuses distributions that do not sum to 1, probabilities outside [0, 1] and a missing context, naming each', () => {
    expect(() => targetFromDistributions(HAND, new Map([['*', new Map([['x', 0.5]])]]), 't')).toThrow(/context "\*" sum to 0.5, not 1/);
    expect(() => targetFromDistributions(HAND, new Map([['*', new Map([['x', 1.5], ['y', -0.5]])]]), 't')).toThrow(/action "x" in context "\*" must be in \[0, 1\], got 1.5/);
    expect(() => targetFromDistributions(HAND, new Map([['a', new Map([['x', 1]])]]), 't')).toThrow(ValidationError);
    expect(() => targetFromDistributions(HAND, new Map([['a', new Map([['x', 1]])]]), 't')).toThrow(/no distribution for context "b"/);
  });
});

describe('input checks', () => {
  it('names the row and the field of malformed logs', () => {
    const bad = { ...HAND, propensity: Float64Array.from([0.5, 0, 0.25, 0.75]) };
    expect(() => checkLoggedBandit(bad)).toThrow(/row 1: propensity must be in \(0, 1\]/);
    const short = { ...HAND, reward: new Float64Array(3) };
    expect(() => checkLoggedBandit(short)).toThrow(/logs.reward: has 3 values for 4 rows/);
    expect(() => checkLoggedBandit({ ...HAND, action: Int32Array.from([0, 5, 0, 1]) })).toThrow(/row 1: action index 5/);
  });

  it('refuses options out of range and a target built for other logs', () => {
    const t = uniformTarget(HAND);
    expect(() => evaluateOffPolicy(HAND, t, { confidence: 1 })).toThrow(/confidence must be in \(0, 1\)/);
    expect(() => evaluateOffPolicy(HAND, t, { resamples: 0 })).toThrow(/resamples must be a positive integer/);
    expect(() => evaluateOffPolicy(HAND, t, { priorStrength: -1 })).toThrow(/priorStrength/);
    const other = logs([['a', 'x', 1, 1]]);
    expect(() => evaluateOffPolicy(HAND, uniformTarget(other))).toThrow(/build it from these logs/);
  });

  it('refuses rewards whose sums pass a double’s range, naming the largest reward and weight, where every estimate read ∞', () => {
    const huge = logs([
      ['a', 'x', 1.7e308, 0.5],
      ['a', 'y', 1.7e308, 0.5],
      ['b', 'x', 0, 0.5],
    ]);
    const fail = () => evaluateOffPolicy(huge, uniformTarget(huge), { resamples: 10 });
    expect(fail).toThrow(ValidationError);
    expect(fail).toThrow(
      "logs.reward: the estimates pass a double's range (~1.8e308) and would read ∞: the largest reward is 1.70e+308 and the largest importance weight 1 (the target's probability of a row's action over its propensity; the least propensity is 0.5); rescale the reward column (into thousands or millions, say) and read the estimates in that unit",
    );
    // The weight is the target's: always y weighs the row of x 0, whatever its propensity.
    const rare = logs([
      ['a', 'x', 1e9, 1e-300],
      ['a', 'y', 1.7e308, 0.5],
      ['a', 'y', 1.7e308, 0.5],
    ]);
    expect(() => evaluateOffPolicy(rare, deterministicTarget(rare, new Map([['*', 'y']]), 'always y'), { resamples: 10 })).toThrow(/the largest importance weight 2 \(the target's probability of a row's action over its propensity; the least propensity is 1.00e-300\)/);
    // Modest rewards over a tiny propensity: the weight does it.
    const tiny = logs([
      ['a', 'x', 1e9, 1e-300],
      ['a', 'y', 1e9, 1],
    ]);
    expect(() => evaluateOffPolicy(tiny, uniformTarget(tiny), { resamples: 10 })).toThrow(/the largest reward is 1,000,000,000 and the largest importance weight 5.00e\+299 /);
    // The same rows a thousand times smaller are estimated.
    const scaled = logs([
      ['a', 'x', 1.7e305, 0.5],
      ['a', 'y', 1.7e305, 0.5],
      ['b', 'x', 0, 0.5],
    ]);
    expect(Number.isFinite(evaluateOffPolicy(scaled, uniformTarget(scaled), { resamples: 10 }).estimates.ips.point)).toBe(true);
  });
});

describe('offPolicyWarnings on the effective sample size', () => {
  const d = (effectiveSampleSize: number, maxWeight: number) => ({ meanWeight: 1, effectiveSampleSize, maxWeight, rowsWithWeight: 3, unsupportedMass: 0 });
  it('says a few rows carry the estimate only when the weight is concentrated, and too few rows when there are simply few', async () => {
    const { offPolicyWarnings } = await import('../../src/engine/ope/estimators');
    // 3 rows of equal weight: nothing is concentrated, there are just few rows.
    expect(offPolicyWarnings(d(3, 1), 3, 0.01)).toEqual(['only 3 rows, an effective sample size of 3: too few for the intervals to be reliable']);
    // 1,000 rows whose weight sits on about 4 of them.
    expect(offPolicyWarnings(d(4.2, 34), 1000, 0.01)).toEqual([
      'the effective sample size is 4.2 of 1,000 rows: a few rows carry the estimate (the largest weight is 34), so the intervals are unreliable',
    ]);
    expect(offPolicyWarnings(d(500, 2), 1000, 0.01)).toEqual([]);
  });
});

describe('offPolicyWarnings on the mean weight', () => {
  it('asks whether the propensities are right, and names mixed action sets as a cause', async () => {
    const { offPolicyWarnings } = await import('../../src/engine/ope/estimators');
    const [warning] = offPolicyWarnings({ meanWeight: 0.87, effectiveSampleSize: 5000, maxWeight: 2, rowsWithWeight: 5000, unsupportedMass: 0 }, 10_000, 0.005);
    expect(warning).toMatch(/^the mean importance weight is 0\.87, expected about 1: are the propensities/);
    // Words that fit both doors (the CLI's --where, the app's rows filter), and neither's name for it.
    expect(warning).toMatch(/mixed together do this too: filter the rows to one of them\.\)$/);
    expect(warning).not.toMatch(/--where|in the app/);
    expect(offPolicyWarnings({ meanWeight: 0.99, effectiveSampleSize: 5000, maxWeight: 2, rowsWithWeight: 5000, unsupportedMass: 0 }, 10_000, 0.005)).toEqual([]);
  });

  it('flags a mean weight far from 1 even when a few heavy rows make its standard error wide', async () => {
    const { offPolicyWarnings } = await import('../../src/engine/ope/estimators');
    // Open Bandit with every row kept (two logging policies, two campaigns): 1.393, standard error 0.3.
    const mixed = { meanWeight: 1.393, effectiveSampleSize: 6.6, maxWeight: 21_739.13, rowsWithWeight: 3000, unsupportedMass: 0 };
    const warnings = offPolicyWarnings(mixed, 40_000, 0.3);
    expect(warnings.find((w) => w.startsWith('the mean importance weight'))).toMatch(
      /^the mean importance weight is 1\.393, expected about 1 \(a few heavy rows can move it that far by chance, but they rarely do\): are the propensities the logging policy's probabilities for these rows, and these rows one policy's/,
    );
    // Written as the app's and the CLI's weights line writes the same numbers (mean 1.393, largest 21,739.13, 6.6 of 40,000 rows).
    expect(warnings).toContain('the effective sample size is 6.6 of 40,000 rows: a few rows carry the estimate (the largest weight is 21,739.13), so the intervals are unreliable');
    // Within a fifth of 1 and of its standard errors: no warning.
    expect(offPolicyWarnings({ ...mixed, meanWeight: 1.15, effectiveSampleSize: 5000 }, 40_000, 0.3)).toEqual([]);
  });
});

describe('the mean weight where the logs lack some of the target\'s choices', () => {
  // Uniform logs over 34 items at 3 positions, 150 rows: each position lacks about a fifth of the items.
  const rng = new Rng(5, 0);
  const items = Array.from({ length: 34 }, (_, i) => String(i));
  const rows = Array.from({ length: 150 }, () => [String(1 + rng.int(3)), items[rng.int(34)]!, rng.next() < 0.05 ? 1 : 0, 1 / 34] as [string, string, number, number]);
  const data = logs(rows, undefined, items);

  it('is not said to be off when the logging policy makes those choices and these rows merely lack them: every weight is 1', () => {
    const report = evaluateOffPolicy(data, uniformTarget(data), { resamples: 50 });
    expect(report.diagnostics.unsupportedMass).toBeGreaterThan(0.1);
    expect(report.diagnostics.meanWeight).toBeCloseTo(1, 12);
    expect(report.warnings.filter((w) => w.includes('mean importance weight'))).toEqual([]);
  });

  it('is said to be off below 1 − the unseen share, and above 1, naming the range', async () => {
    const { offPolicyWarnings } = await import('../../src/engine/ope/estimators');
    const d = (meanWeight: number) => ({ meanWeight, effectiveSampleSize: 150, maxWeight: 2, rowsWithWeight: 150, unsupportedMass: 0.194 });
    const range = "expected between 0.806 and 1 (0.806 where the logging policy never makes the target's choices these rows lack, 1 where it makes them and they just were not logged here): are the propensities";
    for (const w of [0.806, 0.9, 1]) expect(offPolicyWarnings(d(w), 150, 0.01).filter((x) => x.includes('mean importance weight')), String(w)).toEqual([]);
    expect(offPolicyWarnings(d(0.62), 150, 0.01).find((x) => x.includes('mean importance weight'))).toContain(`the mean importance weight is 0.62, ${range}`);
    expect(offPolicyWarnings(d(1.3), 150, 0.01).find((x) => x.includes('mean importance weight'))).toContain(`the mean importance weight is 1.3, ${range}`);
  });
});

describe('offPolicyWarnings on rows of one reward', () => {
  it('says an interval of one value only means no other reward was seen on the rows the target takes', () => {
    // 400 rows logged uniformly over 4 actions, a click only on action y: a target always showing x matches ~100 rows, all without a click.
    const rng = new Rng(3, 0);
    const rows = Array.from({ length: 400 }, () => {
      const action = ['x', 'y', 'z', 'w'][rng.int(4)]!;
      return ['', action, action === 'y' && rng.next() < 0.5 ? 1 : 0, 0.25] as [string, string, number, number];
    });
    const data = logs(rows);
    const always = (a: string) => deterministicTarget(data, new Map([['*', a]]), `always ${a}`);
    const x = evaluateOffPolicy(data, always('x'), { resamples: 200 });
    expect(x.estimates.ips).toMatchObject({ point: 0, lo: 0, hi: 0 });
    expect(x.warnings).toContain(
      `all ${x.diagnostics.rowsWithWeight} rows whose action the target takes got the same reward (0): IPS's and SNIPS's intervals can only be that value, so they say that no other was seen on these rows, not that the target's rate is exactly that (DM and DR lean on the reward model there)`,
    );
    // Action y's rows have clicks and misses: no such warning.
    expect(evaluateOffPolicy(data, always('y'), { resamples: 200 }).warnings.filter((w) => w.includes('same reward'))).toEqual([]);
  });
  it("says only SNIPS's interval is that value when it is not 0: IPS's moves with the weights' mean", () => {
    // 2 rows of a (propensity 0.05), both clicked, among 28 of b: always a weighs them 20 each, IPS 40 / 30.
    const rows: [string, string, number, number][] = [['', 'a', 1, 0.05], ['', 'a', 1, 0.05]];
    for (let i = 0; i < 28; i++) rows.push(['', 'b', i % 5 === 0 ? 1 : 0, 0.95]);
    const data = logs(rows);
    const a = evaluateOffPolicy(data, deterministicTarget(data, new Map([['*', 'a']]), 'always a'), { resamples: 200 });
    expect(a.estimates.ips.point).toBeCloseTo(40 / 30, 12);
    expect(a.estimates.ips.hi).toBeGreaterThan(a.estimates.ips.lo);
    expect(a.estimates.snips).toMatchObject({ point: 1, lo: 1, hi: 1 });
    expect(a.warnings).toContain(
      "all 2 rows whose action the target takes got the same reward (1): SNIPS's interval can only be that value (and IPS's only that value times the weights' mean), so they say that no other was seen on these rows, not that the target's rate is exactly that (DM and DR lean on the reward model there)",
    );
  });
});

describe('a context-free policy file at slate positions', () => {
  it('shows at position 1 the action it serves everywhere else, its greedy one, where values tie', () => {
    const policy = parsePolicy({
      format: 'aisle.policy/v1',
      kind: 'context-free',
      env: { id: 'shop', params: {}, hash: 'x' },
      actions: ['a', 'b', 'c'],
      values: [0.5, 0.5, 0.1],
      greedy: 1,
      provenance: { runId: 1, agent: 'thompson', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-12-01T00:00:00Z' },
    });
    const data = logs([['1', 'a', 1, 0.5], ['1', 'b', 0, 0.5], ['2', 'a', 0, 0.5], ['2', 'c', 1, 0.5]], undefined, ['a', 'b', 'c']);
    const chosen = (t: { probs: Float64Array }) => [0, 1].map((x) => data.actionLabels[[0, 1, 2].find((a) => t.probs[x * 3 + a] === 1)!]);
    expect(chosen(policyTarget(policy, 'tie.json', data, false))).toEqual(['b', 'b']);
    expect(chosen(policyTarget(policy, 'tie.json', data, true))).toEqual(['b', 'a']);
  });
});

describe('the warnings of one row', () => {
  it('speak of one row and one action, not "all 1 rows" and "uniform over 1 actions"', () => {
    const data = logs([['', 'a', 1, 0.5]]);
    const report = evaluateOffPolicy(data, uniformTarget(data), { resamples: 50 });
    expect(report.target).toBe('uniform over 1 action');
    expect(report.warnings.slice(0, 2)).toEqual([
      "the one row got a reward of 1: the intervals of SNIPS, DM, DR and the logging policy's mean can only be that value (and IPS's only that value times the weights' mean), so they say that no other reward was seen, not that any policy's rate is exactly that",
      'only 1 row, an effective sample size of 1: too few for the intervals to be reliable',
    ]);
    // One row among others whose rewards differ: said of the rows the target takes.
    const two = logs([['', 'a', 1, 0.5], ['', 'b', 0, 0.5]]);
    expect(evaluateOffPolicy(two, deterministicTarget(two, new Map([['*', 'a']]), 'always a'), { resamples: 50 }).warnings[0]).toBe(
      "the one row whose action the target takes got a reward of 1: SNIPS's interval can only be that value (and IPS's only that value times the weights' mean), so they say that no other was seen on it, not that the target's rate is exactly that (DM and DR lean on the reward model there)",
    );
  });
});

describe("SNIPS's interval where resamples drew no row of weight", () => {
  it('says how many resamples it rests on when some had no SNIPS, and nothing when none was left out', () => {
    // One row of 100 is the target's action: about 1 resample in e (0.99¹⁰⁰ ≈ 37 %) misses it and has
    // no SNIPS; the report said 1,000 resamples with nothing of those left out.
    const data = logs(Array.from({ length: 100 }, (_, i) => ['', i === 0 ? 'x' : 'y', i % 3 === 0 ? 1 : 0, 0.5] as [string, string, number, number]));
    const r = evaluateOffPolicy(data, deterministicTarget(data, new Map([['*', 'x']]), 'always x'), { resamples: 1000 });
    expect(r.resamples).toBe(1000);
    const said = r.warnings.map((w) => /^SNIPS's interval rests on (\d+) of the 1,000 resamples: the other (\d+) drew no row whose action the target takes, where SNIPS is undefined, and are left out$/.exec(w)).find((m) => m !== null);
    expect(said, r.warnings.join('\n')).toBeDefined();
    const [kept, other] = [Number(said![1]), Number(said![2])];
    expect(kept + other).toBe(1000);
    expect(kept).toBeGreaterThan(560);
    expect(kept).toBeLessThan(710);
    // The count is a field of the report too (aisle ope --json's targets[].snipsResamples), not only words.
    expect(r.snipsResamples).toBe(kept);
    // Every row of weight: every resample has a SNIPS.
    const all = evaluateOffPolicy(data, uniformTarget(data), { resamples: 1000 });
    expect(all.warnings.filter((w) => w.startsWith('SNIPS'))).toEqual([]);
    expect(all.snipsResamples).toBe(1000);
    // No row of weight (the rows without the one x, x still among the labels): SNIPS has no interval, on none of them.
    const none = selectRows(data, (i) => i !== 0);
    const nothing = evaluateOffPolicy(none, deterministicTarget(none, new Map([['*', 'x']]), 'always x'), { resamples: 50 });
    expect(nothing.estimates.snips.point).toBeNaN();
    expect(nothing.snipsResamples).toBe(0);
  });

  it('words the counts of one, and a SNIPS no resample has', () => {
    expect(droppedResamples(1000, 1000)).toEqual([]);
    expect(droppedResamples(999, 1000)).toEqual(["SNIPS's interval rests on 999 of the 1,000 resamples: the other one drew no row whose action the target takes, where SNIPS is undefined, and is left out"]);
    expect(droppedResamples(0, 50)).toEqual(['SNIPS has no interval: none of the 50 resamples drew a row whose action the target takes, where SNIPS is undefined']);
  });
});

describe('logs whose every row got the same reward', () => {
  // 300 impressions over 3 items and 2 positions, none clicked (a click rate of 0.5 % makes this common).
  const rng = new Rng(12, 0);
  const rows = Array.from({ length: 300 }, () => [String(1 + rng.int(2)), ['x', 'y', 'z'][rng.int(3)]!, 0, 1 / 3] as [string, string, number, number]);

  it('says every interval can only be that value, DM and DR included, not only those of the rows the target takes', () => {
    const data = logs(rows);
    const r = evaluateOffPolicy(data, deterministicTarget(data, new Map([['*', 'x']]), 'always x'), { resamples: 100 });
    for (const k of ['ips', 'snips', 'dm', 'dr'] as const) expect(r.estimates[k], k).toMatchObject({ point: 0, lo: 0, hi: 0 });
    expect(r.logged).toMatchObject({ point: 0, lo: 0, hi: 0 });
    expect(r.warnings).toEqual([
      "every one of the 300 rows got the same reward (0): every interval here, the logging policy's too, can only be that value, so they say that no other reward was seen, not that any policy's rate is exactly that",
    ]);
  });

  it("says IPS's alone moves with the weights' mean where that reward is not 0", () => {
    const clicked = logs(rows.map(([x, a]) => [x, a, 1, a === 'x' ? 0.5 : 0.25]));
    const r = evaluateOffPolicy(clicked, deterministicTarget(clicked, new Map([['*', 'x']]), 'always x'), { resamples: 100 });
    for (const k of ['snips', 'dm', 'dr'] as const) for (const end of ['point', 'lo', 'hi'] as const) expect(r.estimates[k][end], `${k} ${end}`).toBeCloseTo(1, 12);
    expect(r.estimates.ips.hi).toBeGreaterThan(r.estimates.ips.lo);
    expect(r.warnings[0]).toBe(
      "every one of the 300 rows got the same reward (1): the intervals of SNIPS, DM, DR and the logging policy's mean can only be that value (and IPS's only that value times the weights' mean), so they say that no other reward was seen, not that any policy's rate is exactly that",
    );
    expect(r.warnings.filter((w) => w.includes('whose action the target takes'))).toEqual([]);
  });
});

describe('a DR estimate outside the rewards’ range', () => {
  it('is said to overshoot, and an estimate within it is not', () => {
    // 101 of 400 uniform rows show x, none clicked; the reward model, shrunk toward the overall mean, gives x a small
    // positive rate, and DR's correction −(4 · 101 / 400) · q̂(x) takes it below 0.
    const rows: [string, string, number, number][] = [];
    for (let i = 0; i < 101; i++) rows.push(['', 'x', 0, 0.25]);
    for (let i = 0; i < 99; i++) rows.push(['', 'y', i % 2, 0.25]);
    for (let i = 0; i < 100; i++) rows.push(['', 'z', 0, 0.25], ['', 'w', 0, 0.25]);
    const data = logs(rows);
    const always = (a: string) => deterministicTarget(data, new Map([['*', a]]), `always ${a}`);
    const x = evaluateOffPolicy(data, always('x'), { resamples: 100, folds: 1, priorStrength: 10 });
    expect(x.estimates.dr.point).toBeLessThan(0);
    expect(x.warnings).toContain(
      `DR's estimate ${decimal(x.estimates.dr.point, 4)} lies outside the logged rewards' range [0, 1]: its weighted corrections overshoot the reward model, as they can on few rows; read it with its interval (SNIPS, a weighted mean of the rewards, stays within the range)`,
    );
    // As the app's and the CLI's tables write it: four significant digits, no exponent.
    expect(x.warnings.find((w) => w.startsWith("DR's estimate"))).toMatch(/^DR's estimate -0\.0*[1-9]\d{0,3} lies/);
    const y = evaluateOffPolicy(data, always('y'), { resamples: 100, folds: 1, priorStrength: 10 });
    expect(y.estimates.dr.point).toBeGreaterThan(0);
    expect(y.warnings.filter((w) => w.startsWith("DR's estimate"))).toEqual([]);
  });
});
