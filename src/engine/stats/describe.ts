/**
 * The summary row of a set of runs (the Compare view's table): count, mean, sample standard
 * deviation, range, median and interquartile mean. NaN marks a missing run and is left out.
 */
import { dropNaN, quantileInPlace } from './quantile';
import { interquartileMean } from './rliable';
import { clampToRange, type MetricRange } from '../metric-range';

export interface Summary {
  /** Number of non-NaN values. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator, numpy's ddof=1); NaN when n < 2. */
  std: number;
  min: number;
  max: number;
  /** Mean of the two middle values when n is even. */
  median: number;
  /** Interquartile mean with rliable's convention (see {@link interquartileMean}). */
  iqm: number;
}

/** Summary statistics of the non-NaN values; with none, n = 0 and every statistic is NaN. */
export function summarize(values: ArrayLike<number>): Summary {
  const finite = dropNaN(values);
  const n = finite.length;
  if (n === 0) return { n, mean: NaN, std: NaN, min: NaN, max: NaN, median: NaN, iqm: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = finite[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let squares = 0; // two-pass: Σ(v − mean)² does not cancel catastrophically as Σv² − n·mean² can
  for (let i = 0; i < n; i++) squares += (finite[i]! - mean) ** 2;
  const std = n >= 2 ? Math.sqrt(squares / (n - 1)) : NaN;
  const iqm = interquartileMean(finite);
  return { n, mean, std, min, max, median: quantileInPlace(finite, n, 0.5), iqm };
}

/** t_{0.975, ν} for ν = 1..30 (scipy.stats.t.ppf(0.975, ν), to 10 decimals). */
const T975 = [
  12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052, 2.5705818356, 2.4469118511, 2.3646242516, 2.3060041352, 2.2621571628, 2.228138852, 2.2009851601,
  2.1788128297, 2.1603686565, 2.1447866879, 2.1314495456, 2.1199052992, 2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473, 2.0796138447, 2.0738730679,
  2.0686576104, 2.0638985616, 2.0595385528, 2.0555294386, 2.0518305165, 2.0484071418, 2.0452296421, 2.0422724563,
];

/**
 * Student's t quantile t_{0.975, ν}: the multiplier of a two-sided 95 % interval of a mean estimated
 * with ν = n − 1 degrees of freedom. A table up to ν = 30, then the Cornish–Fisher expansion in 1/ν
 * (Abramowitz & Stegun 26.7.5, four terms: within 3e-8 of the exact quantile from ν = 31 on).
 */
export function studentT975(df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) throw new RangeError(`degrees of freedom must be a whole number ≥ 1, got ${df}`);
  if (df <= T975.length) return T975[df - 1]!;
  const x = 1.959963984540054; // the normal's 0.975 quantile
  const x2 = x * x;
  const g1 = (x * (x2 + 1)) / 4;
  const g2 = (x * ((5 * x2 + 16) * x2 + 3)) / 96;
  const g3 = (x * (((3 * x2 + 19) * x2 + 17) * x2 - 15)) / 384;
  const g4 = (x * ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945)) / 92160;
  return x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/** Half the width of the Student's t 95 % interval of a mean of n ≥ 2 values with sample standard deviation `std`: t_{0.975, n−1} · std / √n. */
export function tHalfWidth95(std: number, n: number): number {
  return (studentT975(n - 1) * std) / Math.sqrt(n);
}

/**
 * A mean with its interval; lo and hi are null when the interval does not exist: fewer than 2 values,
 * or values all equal (see hasSpread).
 */
export interface MeanTInterval {
  mean: number;
  lo: number | null;
  hi: number | null;
}

/**
 * Whether the non-NaN values show any spread: two of them at least, not all equal. Without it there
 * is nothing to estimate an interval from: one value has no spread, and n equal values (every seed
 * reaching a normalised score of 1, a share that stayed 0) have a t interval, and a bootstrap one,
 * of zero width, "1 [1, 1]", which reads as certainty where the runs cannot show how far the mean
 * could be. Equality is of the values themselves, not a standard deviation of 0: the mean of
 * n equal values can round off them (0.1 three times: 0.10000000000000002), leaving s ≈ 1e-17.
 */
export function hasSpread(values: ArrayLike<number>): boolean {
  let first = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return true;
  }
  return false;
}

/**
 * Student's t 95 % interval of the mean of the non-NaN values: mean ± t_{0.975, n−1} · s / √n, s
 * the sample standard deviation. Exact for normal scores at any n ≥ 2, where the percentile
 * bootstrap of the mean covers the true mean about 50 % of the time with 2 values, 75 % with 3 and
 * 90 % with 10 (it cannot see spread the sample did not show). Values with no spread (one, or all
 * equal: hasSpread) have no interval: lo = hi = null (and the mean is NaN with none).
 *
 * `range`: the values' bounds where they have some (a share in [0, 1]: metric-range.ts); the
 * interval's ends are clamped into it, since the t interval is symmetric about the mean and a
 * share's near 1 can reach past 1. The true mean lies in the range, so clamping never drops it
 * from the interval: the coverage is unchanged.
 */
export function studentTMeanCI(values: ArrayLike<number>, range?: MetricRange): MeanTInterval {
  const { n, mean, std } = summarize(values);
  if (n < 2 || !hasSpread(values)) return { mean, lo: null, hi: null };
  const half = tHalfWidth95(std, n);
  return { mean, lo: clampToRange(mean - half, range), hi: clampToRange(mean + half, range) };
}
