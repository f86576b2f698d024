/**
 * The three matrix products of a linear layer (forward, and the two backward products) in float32
 * lanes, with the JS set's register tiling and its skipping of all-zero blocks of dY.
 */
import { column4, hsum, hsum4 } from './lanes';

// ——— y = x·Wᵀ + b ———————————————————————————————————————————————————————————————————————————

/**
 * Pairs of rows against four weight rows (8 accumulators, 6 loads per 8 multiply-adds of 4 lanes),
 * reduced by one transpose-add per four outputs; then single outputs; then an odd last row.
 */
export function linearForward(y: usize, x: usize, w: usize, b: usize, batch: i32, nIn: i32, nOut: i32): void {
  const n4 = nIn & ~3;
  const rowX = <usize>nIn << 2;
  const rowY = <usize>nOut << 2;
  const zero = f32x4.splat(0);
  let r = 0;
  for (; r + 2 <= batch; r += 2) {
    const x0 = x + <usize>r * rowX;
    const x1 = x0 + rowX;
    const y0 = y + <usize>r * rowY;
    const y1 = y0 + rowY;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const w0 = w + <usize>o * rowX;
      const w1 = w0 + rowX;
      const w2 = w1 + rowX;
      const w3 = w2 + rowX;
      let a0 = zero, a1 = zero, a2 = zero, a3 = zero, c0 = zero, c1 = zero, c2 = zero, c3 = zero;
      for (let i = 0; i < n4; i += 4) {
        const k = <usize>i << 2;
        const u = v128.load(x0 + k);
        const v = v128.load(x1 + k);
        const p = v128.load(w0 + k);
        const q = v128.load(w1 + k);
        const s = v128.load(w2 + k);
        const t = v128.load(w3 + k);
        a0 = f32x4.add(a0, f32x4.mul(u, p)); a1 = f32x4.add(a1, f32x4.mul(u, q));
        a2 = f32x4.add(a2, f32x4.mul(u, s)); a3 = f32x4.add(a3, f32x4.mul(u, t));
        c0 = f32x4.add(c0, f32x4.mul(v, p)); c1 = f32x4.add(c1, f32x4.mul(v, q));
        c2 = f32x4.add(c2, f32x4.mul(v, s)); c3 = f32x4.add(c3, f32x4.mul(v, t));
      }
      let sa = hsum4(a0, a1, a2, a3);
      let sc = hsum4(c0, c1, c2, c3);
      for (let i = n4; i < nIn; i++) {
        const k = <usize>i << 2;
        const col = column4(w0 + k, w1 + k, w2 + k, w3 + k);
        sa = f32x4.add(sa, f32x4.mul(f32x4.splat(load<f32>(x0 + k)), col));
        sc = f32x4.add(sc, f32x4.mul(f32x4.splat(load<f32>(x1 + k)), col));
      }
      const bias = v128.load(b + (<usize>o << 2));
      v128.store(y0 + (<usize>o << 2), f32x4.add(sa, bias));
      v128.store(y1 + (<usize>o << 2), f32x4.add(sc, bias));
    }
    for (; o < nOut; o++) {
      const wo = w + <usize>o * rowX;
      let a = zero, c = zero;
      for (let i = 0; i < n4; i += 4) {
        const k = <usize>i << 2;
        const p = v128.load(wo + k);
        a = f32x4.add(a, f32x4.mul(v128.load(x0 + k), p));
        c = f32x4.add(c, f32x4.mul(v128.load(x1 + k), p));
      }
      let sa = hsum(a);
      let sc = hsum(c);
      for (let i = n4; i < nIn; i++) {
        const k = <usize>i << 2;
        const p = load<f32>(wo + k);
        sa += load<f32>(x0 + k) * p;
        sc += load<f32>(x1 + k) * p;
      }
      const bo = load<f32>(b + (<usize>o << 2));
      store<f32>(y0 + (<usize>o << 2), sa + bo);
      store<f32>(y1 + (<usize>o << 2), sc + bo);
    }
  }
  if (r < batch) linearForwardRow(y + <usize>r * rowY, x + <usize>r * rowX, w, b, nIn, nOut);
}

/** One row (the acting path, batch 1): eight weight rows at a time. */
function linearForwardRow(y0: usize, x0: usize, w: usize, b: usize, nIn: i32, nOut: i32): void {
  const n4 = nIn & ~3;
  const rowX = <usize>nIn << 2;
  const zero = f32x4.splat(0);
  let o = 0;
  for (; o + 8 <= nOut; o += 8) {
    const w0 = w + <usize>o * rowX, w1 = w0 + rowX, w2 = w1 + rowX, w3 = w2 + rowX;
    const w4 = w3 + rowX, w5 = w4 + rowX, w6 = w5 + rowX, w7 = w6 + rowX;
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    for (let i = 0; i < n4; i += 4) {
      const k = <usize>i << 2;
      const u = v128.load(x0 + k);
      a0 = f32x4.add(a0, f32x4.mul(u, v128.load(w0 + k))); a1 = f32x4.add(a1, f32x4.mul(u, v128.load(w1 + k)));
      a2 = f32x4.add(a2, f32x4.mul(u, v128.load(w2 + k))); a3 = f32x4.add(a3, f32x4.mul(u, v128.load(w3 + k)));
      a4 = f32x4.add(a4, f32x4.mul(u, v128.load(w4 + k))); a5 = f32x4.add(a5, f32x4.mul(u, v128.load(w5 + k)));
      a6 = f32x4.add(a6, f32x4.mul(u, v128.load(w6 + k))); a7 = f32x4.add(a7, f32x4.mul(u, v128.load(w7 + k)));
    }
    let s = hsum4(a0, a1, a2, a3);
    let t = hsum4(a4, a5, a6, a7);
    for (let i = n4; i < nIn; i++) {
      const k = <usize>i << 2;
      const u = f32x4.splat(load<f32>(x0 + k));
      s = f32x4.add(s, f32x4.mul(u, column4(w0 + k, w1 + k, w2 + k, w3 + k)));
      t = f32x4.add(t, f32x4.mul(u, column4(w4 + k, w5 + k, w6 + k, w7 + k)));
    }
    const at = <usize>o << 2;
    v128.store(y0 + at, f32x4.add(s, v128.load(b + at)));
    v128.store(y0 + at + 16, f32x4.add(t, v128.load(b + at + 16)));
  }
  for (; o < nOut; o++) {
    const wo = w + <usize>o * rowX;
    let a = zero;
    for (let i = 0; i < n4; i += 4) {
      const k = <usize>i << 2;
      a = f32x4.add(a, f32x4.mul(v128.load(x0 + k), v128.load(wo + k)));
    }
    let s = hsum(a);
    for (let i = n4; i < nIn; i++) s += load<f32>(x0 + (<usize>i << 2)) * load<f32>(wo + (<usize>i << 2));
    store<f32>(y0 + (<usize>o << 2), s + load<f32>(b + (<usize>o << 2)));
  }
}

// ——— the backward products: destination rows += a few scaled source rows ——————————————————————

/** dst a[..n] += p₀·s0 + … + p₃·s3 and b[..n] += q₀·s0 + … (all byte addresses of rows). */
function madd4to2(a: usize, b: usize, s0: usize, s1: usize, s2: usize, s3: usize, p0: f32, p1: f32, p2: f32, p3: f32, q0: f32, q1: f32, q2: f32, q3: f32, n: i32): void {
  const P0 = f32x4.splat(p0), P1 = f32x4.splat(p1), P2 = f32x4.splat(p2), P3 = f32x4.splat(p3);
  const Q0 = f32x4.splat(q0), Q1 = f32x4.splat(q1), Q2 = f32x4.splat(q2), Q3 = f32x4.splat(q3);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const u0 = v128.load(s0 + k), u1 = v128.load(s1 + k), u2 = v128.load(s2 + k), u3 = v128.load(s3 + k);
    const da = f32x4.add(f32x4.add(f32x4.mul(P0, u0), f32x4.mul(P1, u1)), f32x4.add(f32x4.mul(P2, u2), f32x4.mul(P3, u3)));
    const db = f32x4.add(f32x4.add(f32x4.mul(Q0, u0), f32x4.mul(Q1, u1)), f32x4.add(f32x4.mul(Q2, u2), f32x4.mul(Q3, u3)));
    v128.store(a + k, f32x4.add(v128.load(a + k), da));
    v128.store(b + k, f32x4.add(v128.load(b + k), db));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    const u0 = load<f32>(s0 + k), u1 = load<f32>(s1 + k), u2 = load<f32>(s2 + k), u3 = load<f32>(s3 + k);
    store<f32>(a + k, load<f32>(a + k) + ((p0 * u0 + p1 * u1) + (p2 * u2 + p3 * u3)));
    store<f32>(b + k, load<f32>(b + k) + ((q0 * u0 + q1 * u1) + (q2 * u2 + q3 * u3)));
  }
}

/** a[..n] += p·s and b[..n] += q·s. */
function madd1to2(a: usize, b: usize, s: usize, p: f32, q: f32, n: i32): void {
  const P = f32x4.splat(p), Q = f32x4.splat(q);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const u = v128.load(s + k);
    v128.store(a + k, f32x4.add(v128.load(a + k), f32x4.mul(P, u)));
    v128.store(b + k, f32x4.add(v128.load(b + k), f32x4.mul(Q, u)));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    const u = load<f32>(s + k);
    store<f32>(a + k, load<f32>(a + k) + p * u);
    store<f32>(b + k, load<f32>(b + k) + q * u);
  }
}

/** a[..n] += p₀·s0 + … + p₃·s3. */
function madd4to1(a: usize, s0: usize, s1: usize, s2: usize, s3: usize, p0: f32, p1: f32, p2: f32, p3: f32, n: i32): void {
  const P0 = f32x4.splat(p0), P1 = f32x4.splat(p1), P2 = f32x4.splat(p2), P3 = f32x4.splat(p3);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    const d = f32x4.add(
      f32x4.add(f32x4.mul(P0, v128.load(s0 + k)), f32x4.mul(P1, v128.load(s1 + k))),
      f32x4.add(f32x4.mul(P2, v128.load(s2 + k)), f32x4.mul(P3, v128.load(s3 + k))),
    );
    v128.store(a + k, f32x4.add(v128.load(a + k), d));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    store<f32>(a + k, load<f32>(a + k) + ((p0 * load<f32>(s0 + k) + p1 * load<f32>(s1 + k)) + (p2 * load<f32>(s2 + k) + p3 * load<f32>(s3 + k))));
  }
}

/** a[..n] += p·s. */
function madd1to1(a: usize, s: usize, p: f32, n: i32): void {
  const P = f32x4.splat(p);
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const k = <usize>i << 2;
    v128.store(a + k, f32x4.add(v128.load(a + k), f32x4.mul(P, v128.load(s + k))));
  }
  for (let i = n4; i < n; i++) {
    const k = <usize>i << 2;
    store<f32>(a + k, load<f32>(a + k) + p * load<f32>(s + k));
  }
}

/** dX = dY·W (overwrites dx); blocks of dY that are all zero are skipped. */
export function linearBackwardInput(dx: usize, dy: usize, w: usize, batch: i32, nIn: i32, nOut: i32): void {
  const rowX = <usize>nIn << 2;
  const rowY = <usize>nOut << 2;
  memory.fill(dx, 0, <usize>batch * rowX);
  let r = 0;
  for (; r + 2 <= batch; r += 2) {
    const x0 = dx + <usize>r * rowX;
    const y0 = dy + <usize>r * rowY;
    const y1 = y0 + rowY;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const k = <usize>o << 2;
      const pv = v128.load(y0 + k);
      const qv = v128.load(y1 + k);
      // Skip when all eight are zero (±0), as the JS set does: bits other than the sign all clear.
      if (!v128.any_true(v128.and(v128.or(pv, qv), i32x4.splat(0x7fffffff)))) continue;
      const w0 = w + <usize>o * rowX;
      madd4to2(x0, x0 + rowX, w0, w0 + rowX, w0 + 2 * rowX, w0 + 3 * rowX,
        f32x4.extract_lane(pv, 0), f32x4.extract_lane(pv, 1), f32x4.extract_lane(pv, 2), f32x4.extract_lane(pv, 3),
        f32x4.extract_lane(qv, 0), f32x4.extract_lane(qv, 1), f32x4.extract_lane(qv, 2), f32x4.extract_lane(qv, 3), nIn);
    }
    for (; o < nOut; o++) {
      const p = load<f32>(y0 + (<usize>o << 2));
      const q = load<f32>(y1 + (<usize>o << 2));
      if (p != 0 || q != 0) madd1to2(x0, x0 + rowX, w + <usize>o * rowX, p, q, nIn);
    }
  }
  if (r < batch) {
    const x0 = dx + <usize>r * rowX;
    const y0 = dy + <usize>r * rowY;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const pv = v128.load(y0 + (<usize>o << 2));
      if (!v128.any_true(v128.and(pv, i32x4.splat(0x7fffffff)))) continue;
      const w0 = w + <usize>o * rowX;
      madd4to1(x0, w0, w0 + rowX, w0 + 2 * rowX, w0 + 3 * rowX,
        f32x4.extract_lane(pv, 0), f32x4.extract_lane(pv, 1), f32x4.extract_lane(pv, 2), f32x4.extract_lane(pv, 3), nIn);
    }
    for (; o < nOut; o++) {
      const p = load<f32>(y0 + (<usize>o << 2));
      if (p != 0) madd1to1(x0, w + <usize>o * rowX, p, nIn);
    }
  }
}

/**
 * dW += dYᵀ·X and db += Σ_r dY[r]; blocks of dY that are all zero are skipped. The bias sums are
 * accumulated in float64 in the JS set's order, so db matches it bitwise.
 */
export function linearBackwardParams(dw: usize, db: usize, dy: usize, x: usize, batch: i32, nIn: i32, nOut: i32): void {
  const rowX = <usize>nIn << 2;
  const rowY = <usize>nOut << 2;
  let o = 0;
  for (; o + 2 <= nOut; o += 2) {
    const w0 = dw + <usize>o * rowX;
    let s0: f64 = 0, s1: f64 = 0;
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const k = dy + <usize>r * rowY + (<usize>o << 2);
      const p0 = load<f32>(k), p1 = load<f32>(k + rowY), p2 = load<f32>(k + 2 * rowY), p3 = load<f32>(k + 3 * rowY);
      const q0 = load<f32>(k, 4), q1 = load<f32>(k + rowY, 4), q2 = load<f32>(k + 2 * rowY, 4), q3 = load<f32>(k + 3 * rowY, 4);
      s0 += <f64>p0 + <f64>p1 + <f64>p2 + <f64>p3;
      s1 += <f64>q0 + <f64>q1 + <f64>q2 + <f64>q3;
      if (p0 == 0 && p1 == 0 && p2 == 0 && p3 == 0 && q0 == 0 && q1 == 0 && q2 == 0 && q3 == 0) continue;
      const x0 = x + <usize>r * rowX;
      madd4to2(w0, w0 + rowX, x0, x0 + rowX, x0 + 2 * rowX, x0 + 3 * rowX, p0, p1, p2, p3, q0, q1, q2, q3, nIn);
    }
    for (; r < batch; r++) {
      const k = dy + <usize>r * rowY + (<usize>o << 2);
      const p = load<f32>(k);
      const q = load<f32>(k, 4);
      s0 += <f64>p;
      s1 += <f64>q;
      if (p != 0 || q != 0) madd1to2(w0, w0 + rowX, x + <usize>r * rowX, p, q, nIn);
    }
    const bo = db + (<usize>o << 2);
    store<f32>(bo, <f32>(<f64>load<f32>(bo) + s0));
    store<f32>(bo, <f32>(<f64>load<f32>(bo, 4) + s1), 4);
  }
  if (o < nOut) {
    const w0 = dw + <usize>o * rowX;
    let s0: f64 = 0;
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const k = dy + <usize>r * rowY + (<usize>o << 2);
      const p0 = load<f32>(k), p1 = load<f32>(k + rowY), p2 = load<f32>(k + 2 * rowY), p3 = load<f32>(k + 3 * rowY);
      s0 += <f64>p0 + <f64>p1 + <f64>p2 + <f64>p3;
      if (p0 == 0 && p1 == 0 && p2 == 0 && p3 == 0) continue;
      const x0 = x + <usize>r * rowX;
      madd4to1(w0, x0, x0 + rowX, x0 + 2 * rowX, x0 + 3 * rowX, p0, p1, p2, p3, nIn);
    }
    for (; r < batch; r++) {
      const p = load<f32>(dy + <usize>r * rowY + (<usize>o << 2));
      s0 += <f64>p;
      if (p != 0) madd1to1(w0, x + <usize>r * rowX, p, nIn);
    }
    const bo = db + (<usize>o << 2);
    store<f32>(bo, <f32>(<f64>load<f32>(bo) + s0));
  }
}
