/**
 * Order statistics shared by the estimators: dropping missing values, quantiles with numpy's
 * default convention, and the percentile interval of a bootstrap distribution.
 *
 * Quantiles interpolate linearly between order statistics (Hyndman & Fan 1996, definition 7 —
 * numpy.percentile's default `method="linear"`, which is what arch's percentile interval and
 * therefore rliable use): for sorted x₀ ≤ … ≤ x_{n−1}, Q(p) = x_k + (h − k)(x_{k+1} − x_k) with
 * h = (n − 1)p, k = ⌊h⌋.
 */

/** The non-NaN values, in their original order (NaN marks a missing value throughout the engine). */
export function dropNaN(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[j++] = v;
  }
  return out;
}

/**
 * Rearranges a[left..right] so that a[k] holds the value it would have if sorted, everything
 * before it is ≤ and everything after it is ≥ (Hoare's FIND, in Wirth's formulation). Expected
 * O(n), against O(n log n) for a sort: a bootstrap takes two quantiles of its replicates. No NaN allowed.
 */
function selectInPlace(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const pivot = a[k]!;
    let i = left;
    let j = right;
    do {
      while (a[i]! < pivot) i++;
      while (pivot < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) left = i;
    if (k < i) right = j;
  }
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of a[0..n), definition 7. Reorders a[0..n) (selection, not a full
 * sort); a must hold no NaN. NaN when n = 0.
 */
export function quantileInPlace(a: Float64Array, n: number, p: number): number {
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const k = Math.min(Math.floor(h), n - 1);
  selectInPlace(a, k, 0, n - 1);
  const below = a[k]!;
  const frac = h - k;
  if (frac === 0 || k + 1 >= n) return below;
  // After selection a[k+1..n) are all ≥ a[k]; the next order statistic is their minimum.
  let above = a[k + 1]!;
  for (let i = k + 2; i < n; i++) if (a[i]! < above) above = a[i]!;
  return below + frac * (above - below);
}

/** The p-quantile of the non-NaN values (does not modify the input). NaN if there are none. */
export function quantile(values: ArrayLike<number>, p: number): number {
  const a = dropNaN(values);
  return quantileInPlace(a, a.length, p);
}

/** The median of the non-NaN values (the mean of the two middle ones when their count is even). */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/**
 * The percentile bootstrap interval (Efron & Tibshirani 1993, §13.3): the (1 − c)/2 and
 * (1 + c)/2 quantiles of the bootstrap replicates stats[0..n). Reorders stats.
 */
export function percentileInterval(stats: Float64Array, n: number, confidence: number): { lo: number; hi: number } {
  const alpha = (1 - confidence) / 2;
  return { lo: quantileInPlace(stats, n, alpha), hi: quantileInPlace(stats, n, 1 - alpha) };
}

/** Throws unless 0 < confidence < 1 and resamples is a positive integer. */
export function checkBootstrapOptions(confidence: number, resamples: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
}
