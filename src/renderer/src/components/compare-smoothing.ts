/**
 * The smoothing sliders (Compare, Run detail): TensorBoard's debiased exponential moving average
 * from the engine's statistics (src/engine/stats/smoothing.ts, pure code that runs anywhere), with
 * the slider's value clamped into the estimator's domain and plain arrays for chart.js.
 */
import { emaSmooth as engineEma } from '../../../engine/stats/smoothing';

export function emaSmooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  return Array.from(engineEma(values, w));
}

/**
 * A mean line and its band, smoothed alike: the EMA is linear with positive weights, so lo ≤ mean ≤
 * hi at every point before gives the same after, and the smoothed line never leaves its own band
 * (a raw band beside a smoothed line does, wherever the curve moves fast). Weight 0: as given.
 */
export function smoothBand(mean: readonly number[], lo: readonly number[], hi: readonly number[], weight: number): { y: number[]; lo: number[]; hi: number[] } {
  return { y: emaSmooth(mean, weight), lo: emaSmooth(lo, weight), hi: emaSmooth(hi, weight) };
}
