/**
 * The band around a learning curve averaged over seeds (the shaded region in the Compare view): at
 * each x, the Student's t 95 % interval of the mean across seeds, as Compare's table gives for the
 * final values, or the seeds' range.
 */
import { tHalfWidth95 } from './describe';
import { clampToRange, type MetricRange } from '../metric-range';

/** Which band curveBand draws around the mean curve. */
export type BandKind = 'ci95' | 'minmax' | 'std';

/** Mean curve and band, one entry per x; lo and hi are NaN where there is no band (fewer than 2 seeds; for 'ci95', seeds all equal). */
export interface CurveBand {
  mean: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
}

/**
 * Mean over seeds of aligned learning curves (`series[s][i]` = seed s at the i-th x) with a band:
 * - 'ci95': Student's t 95 % interval of the mean over the m seeds present at x,
 *   mean ± t_{0.975, m−1} · s / √m (s with the m − 1 denominator): the final table's mean interval,
 *   point by point. It covers the mean curve's value at x 95 % of the time for normal scores
 *   across seeds at any m ≥ 2, where the percentile bootstrap it replaced covered it about 50 % of
 *   the time with 2 seeds, 75 % with 3 and 90 % with 10. Where the seeds present are all equal
 *   (every seed at a normalised score of 1) there is no spread to estimate it from: no band, as
 *   with one seed, where the formula's zero width would draw certainty. Its ends are clamped into
 *   `range`, the metric's bounds where it has some (a share: metric-range.ts), as the final
 *   table's interval is; the true mean lies inside, so that drops none of the coverage.
 * - 'minmax': the smallest and largest seed at each x;
 * - 'std': mean ± the sample standard deviation (m − 1 denominator) over seeds.
 *
 * Missing values: a NaN, or an x beyond a shorter series, leaves that seed out at that x only (the
 * tail of runs of unequal length is banded over the seeds that reach it). Where fewer than 2 seeds
 * are present there is no spread, hence no band: lo = hi = NaN (mean NaN too where none is). A
 * zero-width band there (lo = hi = mean) would read as certainty, and be drawn as such.
 */
export function curveBand(series: readonly ArrayLike<number>[], kind: BandKind, range?: MetricRange): CurveBand {
  const seeds = series.length;
  const length = series.reduce((max, s) => Math.max(max, s.length), 0);
  const band: CurveBand = { mean: new Float64Array(length), lo: new Float64Array(length), hi: new Float64Array(length) };
  const column = new Float64Array(seeds); // the present seeds' values at one x, first m of them

  for (let i = 0; i < length; i++) {
    let m = 0;
    let sum = 0;
    let spread = false;
    for (let s = 0; s < seeds; s++) {
      const v = i < series[s]!.length ? series[s]![i]! : NaN;
      if (Number.isNaN(v)) continue;
      if (m > 0 && v !== column[0]) spread = true;
      column[m++] = v;
      sum += v;
    }
    const mean = m > 0 ? sum / m : NaN;
    band.mean[i] = mean;
    if (m < 2 || (kind === 'ci95' && !spread)) {
      band.lo[i] = band.hi[i] = NaN;
      continue;
    }
    switch (kind) {
      case 'minmax': {
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < m; k++) {
          if (column[k]! < lo) lo = column[k]!;
          if (column[k]! > hi) hi = column[k]!;
        }
        band.lo[i] = lo;
        band.hi[i] = hi;
        break;
      }
      case 'std':
      case 'ci95': {
        let squares = 0; // two-pass, as summarize: Σ(v − mean)² does not cancel as Σv² − m·mean² can
        for (let k = 0; k < m; k++) squares += (column[k]! - mean) ** 2;
        const std = Math.sqrt(squares / (m - 1));
        if (kind === 'std') {
          band.lo[i] = mean - std;
          band.hi[i] = mean + std;
          break;
        }
        const half = tHalfWidth95(std, m);
        band.lo[i] = clampToRange(mean - half, range);
        band.hi[i] = clampToRange(mean + half, range);
        break;
      }
      default: {
        const unknown: never = kind;
        throw new Error(`unknown band kind ${String(unknown)}`);
      }
    }
  }
  return band;
}
