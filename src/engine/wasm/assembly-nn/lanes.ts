/** Lane helpers shared by the nn kernels: horizontal sums, gathers, float32 ⇄ float64 lanes. */

/** (Σ a0, Σ a1, Σ a2, Σ a3): the lane sums of four accumulators as one vector (a 4×4 transpose-add). */
// @ts-ignore: decorator
@inline export function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(s01, s23, 0, 1, 4, 5), v128.shuffle<f32>(s01, s23, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline export function hsum(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/** (w0[i], w1[i], w2[i], w3[i]): one column of four rows (the tail of a row length not divisible by 4). */
// @ts-ignore: decorator
@inline export function column4(w0: usize, w1: usize, w2: usize, w3: usize): v128 {
  let v = f32x4.splat(load<f32>(w0));
  v = f32x4.replace_lane(v, 1, load<f32>(w1));
  v = f32x4.replace_lane(v, 2, load<f32>(w2));
  return f32x4.replace_lane(v, 3, load<f32>(w3));
}

/** Lanes 0–1 and 2–3 of a float32 vector as float64 vectors. */
// @ts-ignore: decorator
@inline export function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline export function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}
/** Two float64 vectors rounded (to nearest, as a Float32Array store) into one float32 vector. */
// @ts-ignore: decorator
@inline export function pack(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}
