/**
 * The summary row of a set of runs (the Compare view's table): count, mean, sample standard
 * deviation, range, median and interquartile mean. NaN marks a missing run and is left out.
 */
import { dropNaN, quantileInPlace } from './quantile';
import { interquartileMean } from './rliable';

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
