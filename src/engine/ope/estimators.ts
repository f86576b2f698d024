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
 * all contexts, itself shrunk toward the overall mean, each by `priorStrength` pseudo-rows:
 *   q̂(a)    = (S_a + m · r̄) / (N_a + m),    q̂(x, a) = (S_xa + m · q̂(a)) / (N_xa + m)
 * It is fit on the same rows it corrects (no cross-fitting: with counts per cell, as OBP's default
 * DR does). Every estimate comes with a percentile bootstrap interval over the rows (the reward
 * model refit in every resample; identical rows are resampled as groups, see Units), and `logged` is the logging policy's own mean reward.
 *
 * Diagnostics say whether to trust the weights: their mean (≈ 1 when π's actions are covered and
 * the propensities are right; its expectation is 1 − the unsupported mass), the effective sample
 * size (Σw)² / Σw² (Kish), the largest weight, and the share of π's choices the logs never show in
 * that context (no reweighting sees what those earn; DM and DR extrapolate them from q̂).
 */
import { Rng, Stream } from '../rng';
import { multinomialInto } from '../stats/binomial';
import { checkBootstrapOptions, percentileInterval } from '../stats/quantile';
import type { Interval } from '../stats/rliable';
import { checkLoggedBandit, rows, type LoggedBandit } from './data';
import type { TargetPolicy } from './targets';

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
}

export interface OffPolicyDiagnostics {
  /** (1/n) Σ w_i: ≈ 1 − unsupportedMass when the propensities are right. */
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
  readonly seed: number;
  readonly priorStrength: number;
  /** What makes an estimate doubtful, in the user's words (see offPolicyWarnings). */
  readonly warnings: readonly string[];
}

/** The five statistics of one (re)sample, in this order. */
const LOGGED = 0;
const IPS = 1;
const SNIPS = 2;
const DM = 3;
const DR = 4;

/**
 * The logs as units for the statistics: the distinct (context, action, reward, weight) rows with
 * their counts when there are few of them (clicks on a catalog: a few hundred groups however many
 * rows), otherwise the rows themselves, each counted once. A resample of the n rows is then, per
 * group, exactly Multinomial(n; count_g / n), drawn in O(groups); rows are drawn one by one only
 * when they are mostly distinct.
 */
class Units {
  readonly cell: Int32Array;
  readonly action: Int32Array;
  readonly context: Int32Array;
  readonly reward: Float64Array;
  readonly weight: Float64Array;
  /** How many logged rows each unit stands for. */
  readonly count: Float64Array;
  readonly grouped: boolean;

  constructor(data: LoggedBandit, target: TargetPolicy) {
    const n = rows(data);
    const A = data.actionLabels.length;
    const weightOf = (i: number) => target.probs[data.context[i]! * A + data.action[i]!]! / data.propensity[i]!;
    const limit = Math.max(16, n >>> 3);
    // (cell → reward → weight → group), number-keyed maps: a few hundred ns a row.
    const index = new Map<number, Map<number, Map<number, number>>>();
    const cells: number[] = [];
    const rewards: number[] = [];
    const weights: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n && cells.length <= limit; i++) {
      const c = data.context[i]! * A + data.action[i]!;
      const r = data.reward[i]!;
      const w = weightOf(i);
      let byReward = index.get(c);
      if (!byReward) index.set(c, (byReward = new Map()));
      let byWeight = byReward.get(r);
      if (!byWeight) byReward.set(r, (byWeight = new Map()));
      const g = byWeight.get(w);
      if (g !== undefined) counts[g]!++;
      else {
        byWeight.set(w, cells.length);
        cells.push(c);
        rewards.push(r);
        weights.push(w);
        counts.push(1);
      }
    }
    this.grouped = cells.length <= limit;
    if (this.grouped) {
      this.cell = Int32Array.from(cells);
      this.reward = Float64Array.from(rewards);
      this.weight = Float64Array.from(weights);
      this.count = Float64Array.from(counts);
    } else {
      this.cell = Int32Array.from({ length: n }, (_, i) => data.context[i]! * A + data.action[i]!);
      this.reward = data.reward;
      this.weight = Float64Array.from({ length: n }, (_, i) => weightOf(i));
      this.count = new Float64Array(n).fill(1);
    }
    this.action = Int32Array.from(this.cell, (c) => c % A);
    this.context = Int32Array.from(this.cell, (c) => Math.floor(c / A));
  }
}

/**
 * Everything one sample's statistics need, allocated once: a sample is a multiplicity k_u per
 * unit (the units' own counts for the logs themselves), and the statistics are weighted sums over
 * units, the reward model's cells included, so a resample costs O(units + the target's support),
 * not O(contexts × actions).
 */
class Sampler {
  private readonly n: number;
  private readonly A: number;
  // The reward model's sums: per cell (x · A + a), per action, and rows per context.
  private readonly cellSum: Float64Array;
  private readonly cellCount: Float64Array;
  private readonly actionSum: Float64Array;
  private readonly actionCount: Float64Array;
  private readonly contextCount: Float64Array;
  /** π's support per context: supportStart[x]..supportStart[x + 1] into supportAction / supportProb. */
  private readonly supportStart: Int32Array;
  private readonly supportAction: Int32Array;
  private readonly supportProb: Float64Array;
  readonly out = new Float64Array(5);

  constructor(
    data: LoggedBandit,
    target: TargetPolicy,
    readonly units: Units,
    private readonly m: number,
  ) {
    this.n = rows(data);
    const A = (this.A = data.actionLabels.length);
    const C = data.contextLabels.length;
    this.cellSum = new Float64Array(C * A);
    this.cellCount = new Float64Array(C * A);
    this.actionSum = new Float64Array(A);
    this.actionCount = new Float64Array(A);
    this.contextCount = new Float64Array(C);
    this.supportStart = new Int32Array(C + 1);
    const actions: number[] = [];
    const probs: number[] = [];
    for (let x = 0; x < C; x++) {
      this.supportStart[x] = actions.length;
      for (let a = 0; a < A; a++) {
        const p = target.probs[x * A + a]!;
        if (p > 0) {
          actions.push(a);
          probs.push(p);
        }
      }
    }
    this.supportStart[C] = actions.length;
    this.supportAction = Int32Array.from(actions);
    this.supportProb = Float64Array.from(probs);
  }

  /** The statistics of the sample with multiplicities k per unit into `out`. */
  compute(k: ArrayLike<number>): Float64Array {
    const { n, A, cellSum, cellCount, actionSum, actionCount, contextCount } = this;
    const { cell, weight, reward, action, context } = this.units;
    const size = cell.length;
    for (let u = 0; u < size; u++) {
      cellSum[cell[u]!] = 0;
      cellCount[cell[u]!] = 0;
    }
    actionSum.fill(0);
    actionCount.fill(0);
    contextCount.fill(0);
    let total = 0;
    let ipsSum = 0;
    let weightSum = 0;
    for (let u = 0; u < size; u++) {
      const times = k[u]!;
      if (times === 0) continue;
      const r = reward[u]!;
      const w = weight[u]!;
      total += times * r;
      ipsSum += times * w * r;
      weightSum += times * w;
      const c = cell[u]!;
      const a = action[u]!;
      cellSum[c] = cellSum[c]! + times * r;
      cellCount[c] = cellCount[c]! + times;
      actionSum[a] = actionSum[a]! + times * r;
      actionCount[a] = actionCount[a]! + times;
      contextCount[context[u]!] = contextCount[context[u]!]! + times;
    }
    const mean = total / n;
    // DM: Σ_x (N_x / n) Σ_{a ∈ supp π(·|x)} π(a|x) q̂(x, a).
    let dm = 0;
    const { supportStart, supportAction, supportProb } = this;
    for (let x = 0; x + 1 < supportStart.length; x++) {
      const nx = contextCount[x]!;
      if (nx === 0) continue;
      let vx = 0;
      for (let s = supportStart[x]!; s < supportStart[x + 1]!; s++) vx += supportProb[s]! * this.q(x * A + supportAction[s]!, supportAction[s]!, mean);
      dm += (nx / n) * vx;
    }
    // DR's correction: (1/n) Σ_u k_u w_u (r_u − q̂(x_u, a_u)).
    let correction = 0;
    for (let u = 0; u < size; u++) {
      const times = k[u]!;
      const w = weight[u]!;
      if (times === 0 || w === 0) continue;
      correction += times * w * (reward[u]! - this.q(cell[u]!, action[u]!, mean));
    }
    const out = this.out;
    out[LOGGED] = mean;
    out[IPS] = ipsSum / n;
    out[SNIPS] = weightSum > 0 ? ipsSum / weightSum : NaN;
    out[DM] = dm;
    out[DR] = dm + correction / n;
    return out;
  }

  /** q̂(x, a) from the current sums (see the header). */
  private q(cell: number, a: number, mean: number): number {
    const m = this.m;
    const actionMean = this.actionCount[a]! + m > 0 ? (this.actionSum[a]! + m * mean) / (this.actionCount[a]! + m) : mean;
    const count = this.cellCount[cell]!;
    return count + m > 0 ? (this.cellSum[cell]! + m * actionMean) / (count + m) : actionMean;
  }
}

/**
 * Estimates the target's value from the logs with IPS, SNIPS, DM and DR, each with its bootstrap
 * interval, and the logging policy's own value. Throws a ValidationError for malformed logs and a
 * RangeError for options out of range.
 */
export function evaluateOffPolicy(data: LoggedBandit, target: TargetPolicy, options: OffPolicyOptions = {}): OffPolicyReport {
  const { resamples = 1000, confidence = 0.95, seed = 0, priorStrength = 1 } = options;
  checkBootstrapOptions(confidence, resamples);
  if (!(priorStrength >= 0 && Number.isFinite(priorStrength))) throw new RangeError(`priorStrength must be a finite number ≥ 0, got ${priorStrength}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  checkLoggedBandit(data);
  const n = rows(data);
  const A = data.actionLabels.length;
  const C = data.contextLabels.length;
  if (target.probs.length !== C * A || target.unsupported.length !== C) {
    throw new RangeError(`the target's table is ${target.probs.length} cells for ${C} contexts × ${A} actions: build it from these logs`);
  }
  const units = new Units(data, target);
  const sampler = new Sampler(data, target, units, priorStrength);
  const point = Float64Array.from(sampler.compute(units.count));

  const replicates = Array.from({ length: 5 }, () => new Float64Array(resamples));
  const counts = [0, 0, 0, 0, 0];
  const k = new Float64Array(units.count.length);
  const rng = new Rng(seed, Stream.bootstrap);
  for (let b = 0; b < resamples; b++) {
    if (units.grouped) multinomialInto(rng, n, units.count, k);
    else {
      k.fill(0);
      for (let i = 0; i < n; i++) k[rng.int(n)]!++;
    }
    const s = sampler.compute(k);
    for (let j = 0; j < 5; j++) if (!Number.isNaN(s[j]!)) replicates[j]![counts[j]!++] = s[j]!;
  }
  const interval = (j: number): Interval => {
    if (Number.isNaN(point[j]!) || counts[j] === 0) return { point: point[j]!, lo: NaN, hi: NaN };
    return { point: point[j]!, ...percentileInterval(replicates[j]!, counts[j]!, confidence) };
  };

  let sum = 0;
  let squares = 0;
  let max = 0;
  let positive = 0;
  let unsupported = 0;
  for (let u = 0; u < units.count.length; u++) {
    const wu = units.weight[u]!;
    const times = units.count[u]!;
    sum += times * wu;
    squares += times * wu * wu;
    if (wu > max) max = wu;
    if (wu > 0) positive += times;
    unsupported += times * target.unsupported[units.context[u]!]!;
  }
  const meanWeight = sum / n;
  const diagnostics: OffPolicyDiagnostics = {
    meanWeight,
    effectiveSampleSize: squares > 0 ? (sum * sum) / squares : 0,
    maxWeight: max,
    rowsWithWeight: positive,
    unsupportedMass: unsupported / n,
  };
  const weightSE = n > 1 ? Math.sqrt(Math.max(0, squares / n - meanWeight * meanWeight) / (n - 1)) : 0;
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
    seed,
    priorStrength,
    warnings: offPolicyWarnings(diagnostics, n, weightSE),
  };
}

/** Shares under this are not worth a warning. */
const UNSUPPORTED_WARNING = 0.01;

/**
 * Why an estimate may mislead: the target chooses actions the logs never show (IPS and SNIPS
 * cannot see them), few rows carry the weight (a low effective sample size: wide, unstable
 * intervals), or the mean weight is far from its expectation 1 − unsupported (by more than four
 * standard errors and 0.05): the propensities are probably not the logging policy's for these rows.
 */
export function offPolicyWarnings(d: OffPolicyDiagnostics, n: number, weightSE: number): string[] {
  const out: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`;
  if (d.unsupportedMass > UNSUPPORTED_WARNING) {
    out.push(`the target puts ${pct(d.unsupportedMass)} of its choices on actions these logs never show in that context: IPS and SNIPS cannot see what those earn, DM and DR extrapolate it from the reward model`);
  }
  if (d.rowsWithWeight === 0) out.push('no logged row is an action the target takes: the logs say nothing about it (IPS is 0, SNIPS undefined)');
  else if (d.effectiveSampleSize < Math.max(10, 0.01 * n)) {
    out.push(`the effective sample size is ${d.effectiveSampleSize.toFixed(1)} of ${n} rows: a few rows carry the estimate (the largest weight is ${d.maxWeight.toPrecision(3)}), so the intervals are unreliable`);
  }
  const expected = 1 - d.unsupportedMass;
  if (d.rowsWithWeight > 0 && Math.abs(d.meanWeight - expected) > Math.max(4 * weightSE, 0.05)) {
    out.push(`the mean importance weight is ${d.meanWeight.toPrecision(3)}, expected about ${expected.toPrecision(3)}: are the propensities the logging policy's probabilities for these rows (and these rows one policy's)?`);
  }
  return out;
}
