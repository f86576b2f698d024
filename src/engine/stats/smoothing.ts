/**
 * The Run and Compare views' "smoothing" slider: TensorBoard's debiased exponential moving average,
 * so a curve smoothed in Aisle looks the way it would in TensorBoard at the same slider value.
 *
 * With weight w ∈ [0, 1) and the k-th finite value v_k:
 *
 *     last_k     = w · last_{k−1} + (1 − w) · v_k,   last_0 = 0
 *     smoothed_k = last_k / (1 − w^k)
 *
 * Starting from 0 biases the average towards 0 by exactly the factor (1 − w^k) (for a constant c,
 * last_k = c(1 − w^k)), so dividing by it removes the bias; in particular smoothed_1 = v_1, and
 * smoothed_k is the average of v_1..v_k with weights w^{k−j}. Non-finite values (NaN, ±Infinity)
 * are copied to the output unchanged and neither update `last` nor count towards k; a series whose
 * values are all equal is returned unchanged (TensorBoard's guard against rounding drift, #786).
 *
 * Source: TensorBoard, `resmoothDataset` in tensorboard/components/vz_line_chart2/line-chart.ts
 * (debiasing introduced in 2.x; https://github.com/tensorflow/tensorboard).
 */

/** Debiased EMA of `values` with smoothing `weight` in [0, 1) (0 = no smoothing). */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const n = values.length;
  const out = new Float64Array(n);
  const first = n > 0 ? values[0]! : NaN;
  let isConstant = true;
  for (let i = 1; i < n && isConstant; i++) isConstant = values[i] === first;
  if (isConstant) {
    for (let i = 0; i < n; i++) out[i] = values[i]!;
    return out;
  }
  let last = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    k++;
    out[i] = last / (1 - Math.pow(weight, k)); // Math.pow, as TensorBoard, to match it to the bit
  }
  return out;
}
