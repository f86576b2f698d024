/**
 * The element-wise kernels (ReLU, Adam, Σx², scale, Polyak). They compute in float64 lanes in the
 * JS set's operation order, so their bits equal the JS set's.
 */
import { hi, lo, pack } from './lanes';

/** y = max(x, 0), NaN passing through (x < 0 ? 0 : x, lane by lane). */
export function reluForward(y: usize, x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const v = v128.load(x + k);
    v128.store(y + k, v128.bitselect(zero, v, f32x4.lt(v, zero)));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    const v = load<f32>(x + k);
    store<f32>(y + k, v < 0 ? 0 : v);
  }
}

/** dx = dy · [y > 0]. */
export function reluBackward(dx: usize, dy: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    v128.store(dx + k, v128.and(v128.load(dy + k), f32x4.gt(v128.load(y + k), zero)));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    store<f32>(dx + k, load<f32>(y + k) > 0 ? load<f32>(dy + k) : 0);
  }
}

/**
 * One Adam step; stepSize = lr/(1−β₁ᵗ) and invSqrtBc2 = 1/√(1−β₂ᵗ) come from the host (Math.pow).
 * Per element, in float64 as the JS set: m ← β₁m + c₁g; v ← β₂v + (c₂g)g; p ← p − stepSize·m/(√v·invSqrtBc2 + ε).
 */
export function adamStep(p: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f64, invSqrtBc2: f64, beta1: f64, beta2: f64, c1: f64, c2: f64, eps: f64): void {
  const B1 = f64x2.splat(beta1), B2 = f64x2.splat(beta2), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2);
  const S = f64x2.splat(stepSize), I = f64x2.splat(invSqrtBc2), E = f64x2.splat(eps);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const gv = v128.load(g + k), mv = v128.load(m + k), vv = v128.load(v + k), pv = v128.load(p + k);
    const g0 = lo(gv), g1 = hi(gv);
    const m0 = f64x2.add(f64x2.mul(B1, lo(mv)), f64x2.mul(C1, g0));
    const m1 = f64x2.add(f64x2.mul(B1, hi(mv)), f64x2.mul(C1, g1));
    const v0 = f64x2.add(f64x2.mul(B2, lo(vv)), f64x2.mul(f64x2.mul(C2, g0), g0));
    const v1 = f64x2.add(f64x2.mul(B2, hi(vv)), f64x2.mul(f64x2.mul(C2, g1), g1));
    v128.store(m + k, pack(m0, m1));
    v128.store(v + k, pack(v0, v1));
    const p0 = f64x2.sub(lo(pv), f64x2.div(f64x2.mul(S, m0), f64x2.add(f64x2.mul(f64x2.sqrt(v0), I), E)));
    const p1 = f64x2.sub(hi(pv), f64x2.div(f64x2.mul(S, m1), f64x2.add(f64x2.mul(f64x2.sqrt(v1), I), E)));
    v128.store(p + k, pack(p0, p1));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    const gi = <f64>load<f32>(g + k);
    const mi = beta1 * <f64>load<f32>(m + k) + c1 * gi;
    const vi = beta2 * <f64>load<f32>(v + k) + c2 * gi * gi;
    store<f32>(m + k, <f32>mi);
    store<f32>(v + k, <f32>vi);
    store<f32>(p + k, <f32>(<f64>load<f32>(p + k) - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps)));
  }
}

/** Σ x² in float64: lanes s0..s3 take every fourth element, the tail goes to s0, then s0 + s1 + (s2 + s3). */
export function sumSquares(x: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const l = lo(v), h = hi(v);
    a = f64x2.add(a, f64x2.mul(l, l));
    b = f64x2.add(b, f64x2.mul(h, h));
  }
  let s0 = f64x2.extract_lane(a, 0);
  for (let i = n4; i < n; i++) {
    const u = <f64>load<f32>(x + (<usize>i << 2));
    s0 += u * u;
  }
  return s0 + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1));
}

/** x ← s·x (in float64, rounded on store). */
export function scale(x: usize, n: i32, s: f64): void {
  const S = f64x2.splat(s);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const v = v128.load(x + k);
    v128.store(x + k, pack(f64x2.mul(lo(v), S), f64x2.mul(hi(v), S)));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    store<f32>(x + k, <f32>(<f64>load<f32>(x + k) * s));
  }
}

/** y ← (1−τ)·y + τ·x (in float64, rounded on store). */
export function polyak(y: usize, x: usize, n: i32, tau: f64): void {
  const keep = 1 - tau;
  const K = f64x2.splat(keep), T = f64x2.splat(tau);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const yv = v128.load(y + k), xv = v128.load(x + k);
    v128.store(y + k, pack(
      f64x2.add(f64x2.mul(K, lo(yv)), f64x2.mul(T, lo(xv))),
      f64x2.add(f64x2.mul(K, hi(yv)), f64x2.mul(T, hi(xv))),
    ));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    store<f32>(y + k, <f32>(keep * <f64>load<f32>(y + k) + tau * <f64>load<f32>(x + k)));
  }
}
