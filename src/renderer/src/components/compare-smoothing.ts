/**
 * The Compare view's smoothing slider: TensorBoard's debiased exponential moving average, so a curve
 * looks the way it would in TensorBoard at the same slider value. The renderer may not import
 * src/engine, so this mirrors src/engine/stats/smoothing.ts (the derivation is there);
 * test/renderer/compare-smoothing.test.ts holds the two equal.
 *
 *     last_k = w · last_{k−1} + (1 − w) · v_k,  last_0 = 0;   smoothed_k = last_k / (1 − w^k)
 *
 * Non-finite values pass through and do not count towards k; a constant series is returned as is.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(Number.isFinite(weight) ? weight : 0, 0), 0.999);
  const n = values.length;
  if (w === 0 || values.every((v) => v === values[0])) return values.slice();
  const out = new Array<number>(n);
  let last = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    k++;
    out[i] = last / (1 - Math.pow(w, k));
  }
  return out;
}
