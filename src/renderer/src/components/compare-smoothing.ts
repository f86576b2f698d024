/**
 * The smoothing sliders (Compare, Run detail): TensorBoard's debiased exponential moving average
 * from the engine's statistics (src/engine/stats/smoothing.ts, pure code that runs anywhere), with
 * the slider's value clamped into the estimator's domain and plain arrays for chart.js.
 */
import type { MetricRange } from '../../../engine/metric-range';
import { curveBand, type BandKind } from '../../../engine/stats/band';
import { emaSmooth as engineEma } from '../../../engine/stats/smoothing';

export function emaSmooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  return Array.from(engineEma(values, w));
}

/**
 * A group's line and band as Compare draws them at smoothing `weight`: each run's curve smoothed
 * (the EMA above), then the mean across the runs with a value at each point and the band across
 * them (Student's t of that mean, or the runs' range: curveBand). The EMA is linear, so where
 * every run has a value the line is the smoothed mean; the band is that line's own interval. The
 * raw band's bounds smoothed instead keep each point's spread across seeds, episode noise
 * included, which the smoothing averages away from the line: on shop-fatigue's 10 seeds at 0.95 it
 * was several times as wide as the final table's interval of the same means. Weight 0: the
 * group's own line and band. Where fewer than 2 runs have a value there is no band: a gap (NaN,
 * which chart.js skips) rather than a zero-width band that reads as certainty; so too for the t
 * band where the runs' values are all equal; a group of one run gives the line alone. `range`: the
 * metric's bounds (CompareResult.metricRange), which the t band is kept inside, as the unsmoothed one is.
 */
export function smoothedGroupCurve(
  group: {
    readonly mean: readonly number[];
    readonly lo: readonly (number | null)[];
    readonly hi: readonly (number | null)[];
    readonly runValues: readonly (readonly (number | null)[])[];
  },
  weight: number,
  kind: BandKind,
  range?: MetricRange,
): { y: number[]; lo?: number[]; hi?: number[] } {
  const banded = group.runValues.length > 1;
  const gaps = (band: readonly (number | null)[]) => band.map((v) => v ?? Number.NaN);
  if (!(weight > 0)) return banded ? { y: [...group.mean], lo: gaps(group.lo), hi: gaps(group.hi) } : { y: [...group.mean] };
  const smoothed = group.runValues.map((values) => engineEma(gaps(values), Math.min(weight, 0.999)));
  const band = curveBand(smoothed, kind, range);
  const y = Array.from(band.mean);
  return banded ? { y, lo: Array.from(band.lo), hi: Array.from(band.hi) } : { y };
}
