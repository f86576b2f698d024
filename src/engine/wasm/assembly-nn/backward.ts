/**
 * The two backward products of a linear layer in float32 lanes, register-blocked:
 *   dX = dY·W      dx[r][i] = Σₒ dy[r][o]·W[o][i]     (4 rows × 8 columns of dX in registers)
 *   dW += dYᵀ·X    dw[o][i] += Σ_r dy[r][o]·x[r][i]   (4 rows × 8 columns of dW in registers)
 * Each first lists the terms whose four coefficients are not all zero (the outputs o for a block of
 * rows of dX; the rows r for a block of rows of dW), then runs only those: the one-hot gradient of a
 * selected-action loss (DQN) makes the last layer's backward nearly free, and a NaN behind a zero
 * coefficient block does not spread. The bias gradient is summed in float64 in the JS set's order.
 */
import { hi, lo, pack } from './lanes';

/** Most terms listed at once; longer sums run in chunks of this many. */
export const LIST: i32 = 1024;
/** Bytes backward.ts keeps above the static data (heapBase() in nn.ts leaves them out of the arenas). */
export const SCRATCH_BYTES: usize = <usize>LIST * 20;
/** The listed terms: each one's source-row byte offset (i32), and its four coefficients (f32 × 4). */
const offsets: usize = __heap_base;
const coefs: usize = __heap_base + (<usize>LIST << 2);

/**
 * Lists k in [k0, k1) whose four coefficients at base + k·step + {0, 1, 2, 3}·lane are not all
 * zero: k·sRow into `offsets`, the coefficients packed into `coefs`. Returns how many.
 */
function listNonZero(base: usize, k0: i32, k1: i32, step: usize, lane: usize, sRow: usize): i32 {
  let n = 0;
  for (let k = k0; k < k1; k++) {
    const at = base + <usize>k * step;
    const c0 = load<f32>(at), c1 = load<f32>(at + lane), c2 = load<f32>(at + 2 * lane), c3 = load<f32>(at + 3 * lane);
    if (c0 != 0 || c1 != 0 || c2 != 0 || c3 != 0) {
      store<i32>(offsets + (<usize>n << 2), k * <i32>sRow);
      const c = coefs + (<usize>n << 4);
      store<f32>(c, c0); store<f32>(c, c1, 4); store<f32>(c, c2, 8); store<f32>(c, c3, 12);
      n++;
    }
  }
  return n;
}

/** As listNonZero for one coefficient per k (packed four bytes apart). */
function listNonZero1(base: usize, k0: i32, k1: i32, step: usize, sRow: usize): i32 {
  let n = 0;
  for (let k = k0; k < k1; k++) {
    const c0 = load<f32>(base + <usize>k * step);
    if (c0 != 0) {
      store<i32>(offsets + (<usize>n << 2), k * <i32>sRow);
      store<f32>(coefs + (<usize>n << 2), c0);
      n++;
    }
  }
  return n;
}

/**
 * The shared inner kernel. Four destination rows d, d + dRow, … (columns [0, nIn) of each) get
 * Σⱼ coefs[j][t]·src[offsets[j]..] over the n listed terms, t = 0…3 the destination row.
 * `accumulate` adds to what the destination holds; otherwise it is overwritten.
 */
function rows4(d: usize, dRow: usize, nIn: i32, src: usize, n: i32, accumulate: bool): void {
  const zero = f32x4.splat(0);
  const d1 = d + dRow, d2 = d1 + dRow, d3 = d2 + dRow;
  const n8 = nIn & ~7;
  const n4 = nIn & ~3;
  let i = 0;
  for (; i < n8; i += 8) {
    const k = <usize>i << 2;
    let a0 = zero, b0 = zero, a1 = zero, b1 = zero, a2 = zero, b2 = zero, a3 = zero, b3 = zero;
    if (accumulate) {
      a0 = v128.load(d + k); b0 = v128.load(d + k, 16); a1 = v128.load(d1 + k); b1 = v128.load(d1 + k, 16);
      a2 = v128.load(d2 + k); b2 = v128.load(d2 + k, 16); a3 = v128.load(d3 + k); b3 = v128.load(d3 + k, 16);
    }
    const sk = src + k;
    for (let j = 0; j < n; j++) {
      const s = sk + <usize>load<i32>(offsets + (<usize>j << 2));
      const c = coefs + (<usize>j << 4);
      const u = v128.load(s);
      const v = v128.load(s, 16);
      let p = v128.load32_splat(c);
      a0 = f32x4.add(a0, f32x4.mul(p, u)); b0 = f32x4.add(b0, f32x4.mul(p, v));
      p = v128.load32_splat(c, 4);
      a1 = f32x4.add(a1, f32x4.mul(p, u)); b1 = f32x4.add(b1, f32x4.mul(p, v));
      p = v128.load32_splat(c, 8);
      a2 = f32x4.add(a2, f32x4.mul(p, u)); b2 = f32x4.add(b2, f32x4.mul(p, v));
      p = v128.load32_splat(c, 12);
      a3 = f32x4.add(a3, f32x4.mul(p, u)); b3 = f32x4.add(b3, f32x4.mul(p, v));
    }
    v128.store(d + k, a0); v128.store(d + k, b0, 16); v128.store(d1 + k, a1); v128.store(d1 + k, b1, 16);
    v128.store(d2 + k, a2); v128.store(d2 + k, b2, 16); v128.store(d3 + k, a3); v128.store(d3 + k, b3, 16);
  }
  if (i < n4) {
    const k = <usize>i << 2;
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    if (accumulate) {
      a0 = v128.load(d + k); a1 = v128.load(d1 + k); a2 = v128.load(d2 + k); a3 = v128.load(d3 + k);
    }
    for (let j = 0; j < n; j++) {
      const u = v128.load(src + k + <usize>load<i32>(offsets + (<usize>j << 2)));
      const c = coefs + (<usize>j << 4);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(c), u));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(c, 4), u));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(c, 8), u));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(c, 12), u));
    }
    v128.store(d + k, a0); v128.store(d1 + k, a1); v128.store(d2 + k, a2); v128.store(d3 + k, a3);
    i += 4;
  }
  for (; i < nIn; i++) {
    const k = <usize>i << 2;
    let s0: f32 = accumulate ? load<f32>(d + k) : 0;
    let s1: f32 = accumulate ? load<f32>(d1 + k) : 0;
    let s2: f32 = accumulate ? load<f32>(d2 + k) : 0;
    let s3: f32 = accumulate ? load<f32>(d3 + k) : 0;
    for (let j = 0; j < n; j++) {
      const u = load<f32>(src + k + <usize>load<i32>(offsets + (<usize>j << 2)));
      const c = coefs + (<usize>j << 4);
      s0 += load<f32>(c) * u; s1 += load<f32>(c, 4) * u; s2 += load<f32>(c, 8) * u; s3 += load<f32>(c, 12) * u;
    }
    store<f32>(d + k, s0); store<f32>(d1 + k, s1); store<f32>(d2 + k, s2); store<f32>(d3 + k, s3);
  }
}

/** rows4 for one destination row (terms from listNonZero1). */
function rows1(d: usize, nIn: i32, src: usize, n: i32, accumulate: bool): void {
  const zero = f32x4.splat(0);
  const n16 = nIn & ~15;
  const n4 = nIn & ~3;
  let i = 0;
  for (; i < n16; i += 16) {
    const k = <usize>i << 2;
    let a = zero, b = zero, c = zero, e = zero;
    if (accumulate) {
      a = v128.load(d + k); b = v128.load(d + k, 16); c = v128.load(d + k, 32); e = v128.load(d + k, 48);
    }
    for (let j = 0; j < n; j++) {
      const s = src + k + <usize>load<i32>(offsets + (<usize>j << 2));
      const p = v128.load32_splat(coefs + (<usize>j << 2));
      a = f32x4.add(a, f32x4.mul(p, v128.load(s))); b = f32x4.add(b, f32x4.mul(p, v128.load(s, 16)));
      c = f32x4.add(c, f32x4.mul(p, v128.load(s, 32))); e = f32x4.add(e, f32x4.mul(p, v128.load(s, 48)));
    }
    v128.store(d + k, a); v128.store(d + k, b, 16); v128.store(d + k, c, 32); v128.store(d + k, e, 48);
  }
  for (; i < n4; i += 4) {
    const k = <usize>i << 2;
    let a = accumulate ? v128.load(d + k) : zero;
    for (let j = 0; j < n; j++) {
      const p = v128.load32_splat(coefs + (<usize>j << 2));
      a = f32x4.add(a, f32x4.mul(p, v128.load(src + k + <usize>load<i32>(offsets + (<usize>j << 2)))));
    }
    v128.store(d + k, a);
  }
  for (; i < nIn; i++) {
    const k = <usize>i << 2;
    let s: f32 = accumulate ? load<f32>(d + k) : 0;
    for (let j = 0; j < n; j++) s += load<f32>(coefs + (<usize>j << 2)) * load<f32>(src + k + <usize>load<i32>(offsets + (<usize>j << 2)));
    store<f32>(d + k, s);
  }
}

/** dX = dY·W (overwrites dx): per block of four rows of dX, the outputs o with a non-zero dY. */
export function linearBackwardInput(dx: usize, dy: usize, w: usize, batch: i32, nIn: i32, nOut: i32): void {
  const rowX = <usize>nIn << 2;
  const rowY = <usize>nOut << 2;
  let r = 0;
  for (; r + 4 <= batch; r += 4) {
    const d = dx + <usize>r * rowX;
    const y0 = dy + <usize>r * rowY;
    for (let o0 = 0, first = true; first || o0 < nOut; o0 += LIST, first = false) {
      const n = listNonZero(y0, o0, min(nOut, o0 + LIST), 4, rowY, rowX);
      if (first || n > 0) rows4(d, rowX, nIn, w, n, !first);
    }
  }
  for (; r < batch; r++) {
    const d = dx + <usize>r * rowX;
    const y0 = dy + <usize>r * rowY;
    for (let o0 = 0, first = true; first || o0 < nOut; o0 += LIST, first = false) {
      const n = listNonZero1(y0, o0, min(nOut, o0 + LIST), 4, rowX);
      if (first || n > 0) rows1(d, nIn, w, n, !first);
    }
  }
}

/** dW += dYᵀ·X and db += Σ_r dY[r]: per block of four rows of dW, the rows r with a non-zero dY. */
export function linearBackwardParams(dw: usize, db: usize, dy: usize, x: usize, batch: i32, nIn: i32, nOut: i32): void {
  const rowX = <usize>nIn << 2;
  const rowY = <usize>nOut << 2;
  let o = 0;
  for (; o + 4 <= nOut; o += 4) {
    const d = dw + <usize>o * rowX;
    const c = dy + (<usize>o << 2);
    for (let r0 = 0; r0 < batch; r0 += LIST) {
      const n = listNonZero(c, r0, min(batch, r0 + LIST), rowY, 4, rowX);
      if (n > 0) rows4(d, rowX, nIn, x, n, true);
    }
  }
  for (; o < nOut; o++) {
    const c = dy + (<usize>o << 2);
    for (let r0 = 0; r0 < batch; r0 += LIST) {
      const n = listNonZero1(c, r0, min(batch, r0 + LIST), rowY, rowX);
      if (n > 0) rows1(dw + <usize>o * rowX, nIn, x, n, true);
    }
  }
  // db[o] += Σ_r dy[r][o] in float64, four rows at a time and then the rest (the JS set's order
  // for each o), four outputs side by side in two float64 vectors.
  let k = 0;
  for (; k + 4 <= nOut; k += 4) {
    const c = dy + (<usize>k << 2);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const at = c + <usize>r * rowY;
      const p0 = v128.load(at), p1 = v128.load(at + rowY), p2 = v128.load(at + 2 * rowY), p3 = v128.load(at + 3 * rowY);
      s0 = f64x2.add(s0, f64x2.add(f64x2.add(f64x2.add(lo(p0), lo(p1)), lo(p2)), lo(p3)));
      s1 = f64x2.add(s1, f64x2.add(f64x2.add(f64x2.add(hi(p0), hi(p1)), hi(p2)), hi(p3)));
    }
    for (; r < batch; r++) {
      const p = v128.load(c + <usize>r * rowY);
      s0 = f64x2.add(s0, lo(p));
      s1 = f64x2.add(s1, hi(p));
    }
    const bo = db + (<usize>k << 2);
    const b = v128.load(bo);
    v128.store(bo, pack(f64x2.add(lo(b), s0), f64x2.add(hi(b), s1)));
  }
  for (; k < nOut; k++) {
    const c = dy + (<usize>k << 2);
    let s: f64 = 0;
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const at = c + <usize>r * rowY;
      s += <f64>load<f32>(at) + <f64>load<f32>(at + rowY) + <f64>load<f32>(at + 2 * rowY) + <f64>load<f32>(at + 3 * rowY);
    }
    for (; r < batch; r++) s += <f64>load<f32>(c + <usize>r * rowY);
    const bo = db + (<usize>k << 2);
    store<f32>(bo, <f32>(<f64>load<f32>(bo) + s));
  }
}
