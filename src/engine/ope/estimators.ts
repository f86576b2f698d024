/**
 * Off-policy evaluation: the value (mean reward per logged decision) a target policy π would have
 * had, estimated from logs of another policy, the logging policy μ, that recorded its propensities
 * p_i = μ(a_i | x_i). With n logged rows (x_i, a_i, r_i, p_i) and the importance weight
 * w_i = π(a_i | x_i) / p_i:
 *
 *   IPS   V = (1/n) Σ_i w_i r_i                                   (Horvitz & Thompson 1952; unbiased
 *                                                                   where π's actions have p > 0)
 *   SNIPS V = Σ_i w_i r_i / Σ_i w_i                               (Swaminathan & Joachims 2015: biased,
 *                                                                   bounded by the rewards, less variance)
 *   DM    V = (1/n) Σ_i Σ_a π(a | x_i) q̂(x_i, a)                  (the direct method: a reward model)
 *   DR    V = DM + (1/n) Σ_i w_i (r_i − q̂(x_i, a_i))               (Dudík, Langford & Li 2011: unbiased
 *                                                                   when the weights are right, low
 *                                                                   variance when q̂ is good)
 *
 * The reward model q̂ is the mean reward per (context, action) shrunk toward the action's mean over
 * the other contexts, itself shrunk toward the overall mean, each by `priorStrength` pseudo-rows:
 *   q̂₋ₓ(a) = (S_a − S_xa + m · r̄) / (N_a − N_xa + m),    q̂(x, a) = (S_xa + m · q̂₋ₓ(a)) / (N_xa + m)
 * (the cell's own rows are left out of the mean it is shrunk toward, so no row counts twice: with
 * no context column, or an action logged in one context only, the cell's mean is shrunk toward r̄
 * once); so an action the logs never show at all (a target's action outside their labels) is valued at r̄.
 * DM fits it on every row. DR cross-fits it (Chernozhukov et al. 2018; OBP's `n_folds`): the rows
 * are shuffled by a fixed seed into K folds (sampler.ts's crossFitFolds), and a row's terms use the
 * model fit on the other folds, so the correction is not
 * computed with a model that has seen the row (fit on the same rows, per-cell means make the
 * correction vanish wherever the weight is constant in a cell, and DR would only repeat DM).
 * `folds: 1` fits on every row as DM does. Every estimate comes with a percentile bootstrap
 * interval over the rows (the reward model refit in every resample; identical rows of a fold are
 * resampled as groups, see sampler.ts's Units), and `logged` is the logging policy's own mean reward.
 *
 * Diagnostics say whether to trust the weights: their mean (its expectation is 1 − the mass π puts
 * on actions μ never takes, so ≈ 1 when π's actions are covered and the propensities are right), the
 * effective sample size (Σw)² / Σw² (Kish), the largest weight, and the share of π's choices the logs
 * never show in that context (no reweighting sees what those earn; DM and DR extrapolate them from
 * q̂), at least the mass μ never takes: the logs may also lack actions μ takes but rarely.
 */
import { decimal, plural, thousands, ValidationError } from '../params';
import { Rng, Stream } from '../rng';
import { multinomialInto } from '../stats/binomial';
import { checkBootstrapOptions, percentileInterval } from '../stats/quantile';
import type { Interval } from '../stats/rliable';
import { checkLoggedBandit, rows, type LoggedBandit } from './data';
import type { TargetPolicy } from './targets';
import { DM, DR, IPS, LOGGED, Sampler, SNIPS, Units } from './sampler';

export const OPE_ESTIMATORS = ['ips', 'snips', 'dm', 'dr'] as const;
export type OpeEstimator = (typeof OPE_ESTIMATORS)[number];

export interface OffPolicyOptions {
  /** Bootstrap resamples (default 1000). */
  resamples?: number;
  /** Coverage of the intervals, in (0, 1) (default 0.95). */
  confidence?: number;
  /** Seed of the resampling stream: same seed ⇒ same intervals (default 0). */
  seed?: number;
  /** Pseudo-rows m of the reward model's shrinkage (default 1; 0: raw means). */
  priorStrength?: number;
  /** DR's cross-fitting folds K, 1 to 10 (default 3; 1: no cross-fitting). */
  folds?: number;
}

export interface OffPolicyDiagnostics {
  /** (1/n) Σ w_i: between 1 − unsupportedMass and 1 when the propensities are right (see offPolicyWarnings). */
  readonly meanWeight: number;
  /** Kish's effective sample size (Σ w)² / Σ w² (n when every weight is equal). */
  readonly effectiveSampleSize: number;
  readonly maxWeight: number;
  /** Rows whose weight is > 0 (the rows IPS and SNIPS learn from). */
  readonly rowsWithWeight: number;
  /** The average over rows of π's probability of actions the logs never show in the row's context. */
  readonly unsupportedMass: number;
}

export interface OffPolicyReport {
  readonly target: string;
  readonly rows: number;
  readonly actions: number;
  readonly contexts: number;
  /** The logging policy's own value: the logs' mean reward. */
  readonly logged: Interval;
  readonly estimates: Readonly<Record<OpeEstimator, Interval>>;
  readonly diagnostics: OffPolicyDiagnostics;
  readonly confidence: number;
  readonly resamples: number;
  /**
   * The resamples SNIPS's interval rests on: `resamples`, less those that drew no row of weight
   * (SNIPS is undefined there; droppedResamples' warning says so); 0 when no logged row has weight.
   */
  readonly snipsResamples: number;
  readonly seed: number;
  readonly priorStrength: number;
  readonly folds: number;
  /** What makes an estimate doubtful, in the user's words (see offPolicyWarnings). */
  readonly warnings: readonly string[];
}

/**
 * Estimates the target's value from the logs with IPS, SNIPS, DM and DR, each with its bootstrap
 * interval, and the logging policy's own value. Throws a ValidationError for malformed logs and a
 * RangeError for options out of range.
 */
export function evaluateOffPolicy(data: LoggedBandit, target: TargetPolicy, options: OffPolicyOptions = {}): OffPolicyReport {
  const steps = offPolicySteps(data, target, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The bootstrap says how far it has gone about this many times (more often than a progress display draws: the caller throttles). */
const PROGRESS_REPORTS = 1000;

/**
 * evaluateOffPolicy one step at a time: yields the resamples drawn so far, every 1/PROGRESS_REPORTS
 * of them (a long evaluation can show its progress, and a caller that awaits between steps can stop
 * it), and returns the report. Nothing random happens between the steps: the report is the same
 * however they are driven.
 */
export function* offPolicySteps(data: LoggedBandit, target: TargetPolicy, options: OffPolicyOptions = {}): Generator<number, OffPolicyReport, undefined> {
  const { resamples = 1000, confidence = 0.95, seed = 0, priorStrength = 1, folds = 3 } = options;
  if (!(Number.isInteger(folds) && folds >= 1 && folds <= 10)) throw new RangeError(`folds must be a whole number from 1 to 10, got ${folds}`);
  checkBootstrapOptions(confidence, resamples);
  if (!(priorStrength >= 0 && Number.isFinite(priorStrength))) throw new RangeError(`priorStrength must be a finite number ≥ 0, got ${priorStrength}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  checkLoggedBandit(data);
  const n = rows(data);
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  if (target.probs.length !== C * A || target.unsupported.length !== C || target.unlisted.length !== C) {
    throw new RangeError(`the target's table is ${target.probs.length} cells for ${C} contexts × ${A} actions: build it from these logs`);
  }
  const units = new Units(data, target, folds);
  const sampler = new Sampler(data, target, units, priorStrength, folds);
  // Each unit's multiplicity in a sample, whole numbers up to n: the logs themselves first (the
  // groups' counts, or 1 a row), then each resample in turn, in one array (4 bytes a unit, not 8).
  const k = new Int32Array(units.size);
  if (units.count !== undefined) k.set(units.count);
  else k.fill(1);
  const point = Float64Array.from(sampler.compute(k));
  if (point.some(overflowed)) throw overflowError(data, units);

  const replicates = Array.from({ length: 5 }, () => new Float64Array(resamples));
  const counts = [0, 0, 0, 0, 0];
  const rng = new Rng(seed, Stream.bootstrap);
  const step = Math.ceil(resamples / PROGRESS_REPORTS);
  for (let b = 0; b < resamples; b++) {
    if (units.count !== undefined) multinomialInto(rng, n, units.count, k);
    else {
      k.fill(0);
      for (let i = 0; i < n; i++) k[rng.int(n)]!++;
    }
    const s = sampler.compute(k);
    if (s.some(overflowed)) throw overflowError(data, units);
    for (let j = 0; j < 5; j++) if (!Number.isNaN(s[j]!)) replicates[j]![counts[j]!++] = s[j]!;
    if ((b + 1) % step === 0 || b + 1 === resamples) yield b + 1;
  }
  const interval = (j: number): Interval => {
    if (Number.isNaN(point[j]!) || counts[j] === 0) return { point: point[j]!, lo: NaN, hi: NaN };
    return { point: point[j]!, ...percentileInterval(replicates[j]!, counts[j]!, confidence) };
  };

  let sum = 0;
  let max = 0;
  let positive = 0;
  let unsupported = 0;
  // The rewards of the rows the target's actions match: one value only, and IPS's interval can only be that value.
  let lowest = Infinity;
  let highest = -Infinity;
  // And of all rows: a DR estimate outside their range is its corrections overshooting.
  let least = Infinity;
  let most = -Infinity;
  for (let u = 0; u < units.size; u++) {
    const wu = units.weight[u]!;
    const times = units.count?.[u] ?? 1;
    sum += times * wu;
    if (wu > max) max = wu;
    const r = units.reward[u]!;
    if (r < least) least = r;
    if (r > most) most = r;
    if (wu > 0) {
      positive += times;
      if (r < lowest) lowest = r;
      if (r > highest) highest = r;
    }
    unsupported += times * target.unsupported[units.context[u]!]!;
  }
  const meanWeight = sum / n;
  // Kish's (Σ w)² / Σ w² on the weights over the largest: the same ratio, where a weight past
  // ~1e154 (a propensity under ~1e-154) would square to ∞ and leave it NaN, with its warning unsaid.
  let scaledSum = 0;
  let scaledSquares = 0;
  for (let u = 0; u < units.size && max > 0; u++) {
    const v = units.weight[u]! / max;
    const times = units.count?.[u] ?? 1;
    scaledSum += times * v;
    scaledSquares += times * v * v;
  }
  const diagnostics: OffPolicyDiagnostics = {
    meanWeight,
    effectiveSampleSize: scaledSquares > 0 ? (scaledSum * scaledSum) / scaledSquares : 0,
    maxWeight: max,
    rowsWithWeight: positive,
    unsupportedMass: unsupported / n,
  };
  // The weights' standard error from the same scaled sums: Σ w² itself is ∞ past ~1e154, and an
  // error of ∞ left a mean weight of 5e159 (propensities of 1e-160) unflagged.
  const scaledMean = scaledSum / n;
  const weightSE = n > 1 ? max * Math.sqrt(Math.max(0, scaledSquares / n - scaledMean * scaledMean) / (n - 1)) : 0;
  return {
    target: target.name,
    rows: n,
    actions: A,
    contexts: C,
    logged: interval(LOGGED),
    estimates: { ips: interval(IPS), snips: interval(SNIPS), dm: interval(DM), dr: interval(DR) },
    diagnostics,
    confidence,
    resamples,
    snipsResamples: counts[SNIPS]!,
    seed,
    priorStrength,
    folds,
    warnings: [
      // Every row of one reward says so for every estimate at once; else the rows the target takes may.
      ...(least === most ? [oneRewardWarning(n, least)] : []),
      ...offPolicyWarnings(diagnostics, n, weightSE, least !== most && positive > 0 && lowest === highest ? lowest : undefined, highestMeanWeight(data, target)),
      ...outsideRange(point[DR]!, least, most),
      // SNIPS is undefined on a resample without a row of weight: its interval rests on the others only.
      ...(Number.isNaN(point[SNIPS]!) ? [] : droppedResamples(counts[SNIPS]!, resamples)),
    ],
  };
}

/**
 * How many resamples SNIPS's interval rests on, when fewer than were drawn: a resample that drew
 * no row of weight (one row of weight among n is missed by about 37 % of them) has no SNIPS, and is
 * left out of its interval, while the report's resample count is every one drawn.
 */
export function droppedResamples(kept: number, resamples: number): string[] {
  if (kept >= resamples) return [];
  if (kept === 0) return [`SNIPS has no interval: none of the ${thousands(resamples)} resamples drew a row whose action the target takes, where SNIPS is undefined`];
  const other = resamples - kept;
  return [
    `SNIPS's interval rests on ${thousands(kept)} of the ${thousands(resamples)} resamples: the other ${other === 1 ? 'one' : thousands(other)} drew no row whose action the target takes, where SNIPS is undefined, and ${other === 1 ? 'is' : 'are'} left out`,
  ];
}

/** An estimate that came out ±∞: its sums of rewards (times weights) passed a double's range. */
const overflowed = (x: number): boolean => x === Infinity || x === -Infinity;

/**
 * Rewards, or rewards times importance weights, too large for a double's sums (~1.8e308): every
 * estimate would read ∞ (and DR, ∞ − ∞, nothing). Names the largest reward and weight (the target's,
 * from `units`), and the fix.
 */
function overflowError(data: LoggedBandit, units: Units): ValidationError {
  let largest = 0;
  let least = 1;
  for (let i = 0; i < data.reward.length; i++) {
    largest = Math.max(largest, Math.abs(data.reward[i]!));
    least = Math.min(least, data.propensity[i]!);
  }
  // The weight π(a | x) / propensity, not 1 / the least propensity: the target may not take that row's action at all.
  const heaviest = units.weight.reduce((w, x) => Math.max(w, x), 0);
  return new ValidationError([
    `logs.reward: the estimates pass a double's range (~1.8e308) and would read ∞: the largest reward is ${decimal(largest, 4)} and the largest importance weight ${decimal(heaviest, 4)} (the target's probability of a row's action over its propensity; the least propensity is ${decimal(least, 4)}); ` +
      'rescale the reward column (into thousands or millions, say) and read the estimates in that unit',
  ]);
}

/**
 * Every logged row got the reward v (no click in 100 impressions): the reward model is v everywhere,
 * so DM's, DR's, SNIPS's and the logs' own intervals collapse onto v, and IPS's onto v times the
 * weights' mean, whatever the policy.
 */
function oneRewardWarning(n: number, v: number): string {
  const seen = n === 1 ? `the one row got a reward of ${decimal(v, 4)}` : `every one of the ${thousands(n)} rows got the same reward (${decimal(v, 4)})`;
  const collapsed = v === 0 ? "every interval here, the logging policy's too, can only be that value" : "the intervals of SNIPS, DM, DR and the logging policy's mean can only be that value (and IPS's only that value times the weights' mean)";
  return `${seen}: ${collapsed}, so they say that no other reward was seen, not that any policy's rate is exactly that`;
}

/** DR's point estimate beyond the logged rewards' range (a click rate below 0): its weighted corrections overshoot the reward model. */
function outsideRange(dr: number, least: number, most: number): string[] {
  const slack = 1e-12 * Math.max(1, most - least);
  if (!(dr < least - slack || dr > most + slack)) return [];
  return [
    `DR's estimate ${decimal(dr, 4)} lies outside the logged rewards' range [${decimal(least, 4)}, ${decimal(most, 4)}]: its weighted corrections overshoot the reward model, as they can on few rows; read it with its interval (SNIPS, a weighted mean of the rewards, stays within the range)`,
  ];
}

/**
 * The largest mean weight right propensities give these rows: at least 1, more where the logging
 * policy makes choices no row here shows. A row in context x shows one of the actions S_x the rows
 * show there, so its expected weight is π(S_x | x) / μ(S_x | x) = (1 − unsupported_x) / M_x: a
 * uniform target over the actions the logs happen to show weighs each row 1 / (their number ×
 * propensity), above 1 when the logging policy had others. M_x, the logging policy's share on S_x,
 * is the sum of the mean propensity of each action shown, but taken only as far below 1 as rows
 * this many can have missed: Good and Turing's estimate of the share of choices no row shows,
 * f1 / n_x (f1 the actions shown once, f2 twice), plus two standard errors, √(f1 + 2 f2) / n_x
 * (Esty 1983). Propensities that leave more unshown than that (each action shown many times, yet
 * summing far below 1) are still too small, and the mean weight is still said to be off.
 */
export function highestMeanWeight(data: LoggedBandit, target: TargetPolicy): number {
  const n = rows(data);
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  // Per (context, action) shown: its rows and the sum of their propensities.
  const slotOf = new Map<number, number>();
  const cellOf: number[] = [];
  const count: number[] = [];
  const propensitySum: number[] = [];
  for (let i = 0; i < n; i++) {
    const cell = data.context[i]! * A + data.action[i]!;
    let s = slotOf.get(cell);
    if (s === undefined) {
      slotOf.set(cell, (s = cellOf.length));
      cellOf.push(cell);
      count.push(0);
      propensitySum.push(0);
    }
    count[s]!++;
    propensitySum[s]! += data.propensity[i]!;
  }
  const rowsIn = new Float64Array(C);
  const shownShare = new Float64Array(C);
  const once = new Float64Array(C);
  const twice = new Float64Array(C);
  for (let s = 0; s < cellOf.length; s++) {
    const x = Math.floor(cellOf[s]! / A);
    rowsIn[x]! += count[s]!;
    shownShare[x]! += propensitySum[s]! / count[s]!;
    if (count[s] === 1) once[x]!++;
    else if (count[s] === 2) twice[x]!++;
  }
  let expected = 0;
  for (let x = 0; x < C; x++) {
    const nx = rowsIn[x]!;
    if (nx === 0) continue;
    const missed = Math.min(1, (once[x]! + 2 * Math.sqrt(once[x]! + 2 * twice[x]!)) / nx);
    const share = Math.min(1, Math.max(shownShare[x]!, 1 - missed));
    expected += share > 0 ? (nx / n) * ((1 - target.unsupported[x]!) / share) : 0;
  }
  return Math.max(1, expected);
}

/** Shares under this are not worth a warning. */
const UNSUPPORTED_WARNING = 0.01;

/** A mean weight this far outside its expected range (as a share of the bound it passes) is flagged, even where a few heavy rows make its standard error wide. */
const FAR_MEAN_WEIGHT = 0.2;

/**
 * Why an estimate may mislead: the target chooses actions the logs never show (IPS and SNIPS
 * cannot see them), few rows carry the weight (a low effective sample size: wide, unstable
 * intervals), or the mean weight is far outside its expected range (by more than four standard
 * errors and 0.05, or, where a few heavy rows carry the weight, by a fifth of the bound whatever the error): the propensities are probably not
 * the logging policy's for these rows, or the rows mix logging policies. The range is from
 * 1 − unsupported, where the logging policy never makes the target's choices the logs lack (they
 * weigh 0 and never occur), to 1, where it makes them and these rows merely lack them (the rows it
 * did log weigh as many as all of them would: uniform logs over 34 items, 50 rows a context, lack
 * about a fifth of the items in each, and every weight of the uniform target is still exactly 1),
 * or `highest` where the logging policy makes choices no row shows at all (highestMeanWeight).
 */
export function offPolicyWarnings(d: OffPolicyDiagnostics, n: number, weightSE: number, sameReward?: number, highest = 1): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${decimal(100 * x, 1)} %`;
  if (sameReward !== undefined) {
    // SNIPS averages only these rows' rewards: its interval collapses onto the one value seen. IPS's
    // is that value times each resample's mean weight, which varies unless the value is 0.
    const collapsed = sameReward === 0 ? "IPS's and SNIPS's intervals can only be that value" : "SNIPS's interval can only be that value (and IPS's only that value times the weights' mean)";
    // One such row is not "all 1 rows … the same reward".
    const seen = d.rowsWithWeight === 1 ? `the one row whose action the target takes got a reward of ${decimal(sameReward, 4)}` : `all ${thousands(d.rowsWithWeight)} rows whose action the target takes got the same reward (${decimal(sameReward, 4)})`;
    out.push(`${seen}: ${collapsed}, so they say that no other was seen on ${d.rowsWithWeight === 1 ? 'it' : 'these rows'}, not that the target's rate is exactly that (DM and DR lean on the reward model there)`);
  }
  if (d.unsupportedMass > UNSUPPORTED_WARNING) {
    out.push(`the target puts ${pct(d.unsupportedMass)} of its choices on actions these logs never show in that context: IPS and SNIPS cannot see what those earn, DM and DR extrapolate it from the reward model`);
  }
  if (d.rowsWithWeight === 0) out.push('no logged row is an action the target takes: the logs say nothing about it (IPS is 0, SNIPS undefined)');
  else if (d.effectiveSampleSize < Math.max(10, 0.01 * n)) {
    // Few rows in all, weighted about evenly, are not "a few rows carrying the estimate": say which it is.
    if (d.effectiveSampleSize >= 0.5 * n) out.push(`only ${plural(n, 'row')}, an effective sample size of ${decimal(d.effectiveSampleSize, 1)}: too few for the intervals to be reliable`);
    else out.push(`the effective sample size is ${decimal(d.effectiveSampleSize, 1)} of ${thousands(n)} rows: a few rows carry the estimate (the largest weight is ${decimal(d.maxWeight, 3)}), so the intervals are unreliable`);
  }
  const lowest = 1 - d.unsupportedMass;
  const bound = d.meanWeight < lowest ? lowest : highest;
  const off = d.meanWeight < lowest ? lowest - d.meanWeight : Math.max(0, d.meanWeight - highest);
  const significant = off > Math.max(4 * weightSE, 0.05);
  // The standard error is wide and itself unreliable where a few rows carry most of the weight (the
  // effective sample size well under the rows with weight): there a mean weight far off is flagged
  // whatever it says. Where the rows with weight weigh alike (a deterministic target: each
  // 1 / propensity), it is sound, and a fifth off by chance is common (a greedy policy scored on 2,000
  // uniform rows of 34 items: about 1 evaluation in 8, its standard error ~0.13): there it takes 3.5 of them too.
  const heavyRows = d.effectiveSampleSize < 0.5 * d.rowsWithWeight;
  const far = off > FAR_MEAN_WEIGHT * bound && (heavyRows || off > 3.5 * weightSE);
  if (d.rowsWithWeight > 0 && (significant || far)) {
    // Far off with a wide standard error (a few heavy rows) may be chance, but it is where wrong propensities show first.
    const chance = significant ? '' : heavyRows ? ' (a few heavy rows can move it that far by chance, but they rarely do)' : ' (chance moves it that far only rarely)';
    const [low, one, high] = [decimal(lowest, 3), decimal(1, 3), decimal(highest, 3)];
    let expected: string;
    if (low === one && high === one) expected = 'expected about 1';
    else {
      const ends = [
        low === one ? '1 where the logging policy makes no choice these rows never show' : `${low} where the logging policy never makes the target's choices these rows lack`,
        high === one ? '1 where it makes them and they just were not logged here' : `${high} where it makes choices no row here shows, as far as the propensities of those shown, summing below 1, and the actions shown only once or twice say it can`,
      ];
      expected = `expected between ${low} and ${high} (${ends.join(', ')})`;
    }
    // Shown by the CLI and the app alike: "filter the rows" is --where to one, the rows filter to the other.
    out.push(`the mean importance weight is ${decimal(d.meanWeight, 3)}, ${expected}${chance}: are the propensities the logging policy's probabilities for these rows, and these rows one policy's over one set of actions? (Rows of campaigns or pages with different actions mixed together do this too: filter the rows to one of them.)`);
  }
  return out;
}
