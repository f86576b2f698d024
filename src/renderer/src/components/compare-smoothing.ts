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
