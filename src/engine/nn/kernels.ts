/**
 * The numeric kernels every network and optimiser runs on, as one interface (`Kernels`) with the
 * reference implementation in TypeScript (`jsKernels`). The WebAssembly SIMD set (simd.ts, built from
 * src/engine/wasm/assembly-nn) implements the same interface, is the default where it loads, and is
 * held equal to this one by test/engine/nn-kernels.test.ts and nn-simd.test.ts.
 *
 * Contract for every implementation:
 * - Arrays are Float32Array views; the kernel touches only the prefix its explicit dimensions
 *   name (views are sized for a maximum batch and reused for smaller ones). A WASM set receives
 *   views into its own memory (see `createArena`) and uses `view.byteOffset` as the pointer.
 * - Matrices are row-major. Weights are W[out][in] (PyTorch's nn.Linear layout, so exported
 *   weights load there unchanged): the forward pass, run most often (online, target and acting
 *   passes), is then a dot product of two contiguous rows, which register-tiles well (measured
 *   here: ~1.6 GMAC/s for a 2×4 tile, against ~0.6–0.9 for the axpy form W[in][out] would force);
 *   the two backward products are row-axpy forms that skip all-zero blocks of dY, which makes
 *   the one-hot gradient of a selected-action loss (DQN) nearly free in the last layer.
 * - Outputs go to a preallocated `out` argument; nothing is allocated; the same inputs give the
 *   same bits on every run. Only arguments documented as "may alias" may share memory.
 * - A row of linearForward does not depend on the rows around it: forwarded alone (batch 1, the
 *   acting path) it gives the bits it gets in a batch, so a table filled in batches (DQN's Q-table)
 *   holds the values greedy actions are taken from (test/engine/nn-forward-order.test.ts). This set
 *   sums each output in one order on both paths; the SIMD set reduces each output's lanes by its
 *   place (in a whole group of four outputs or past the last) on both.
 * - The JavaScript set accumulates in float64 (dot products whole, axpy forms four terms at a
 *   time) and rounds to float32 on store, so a float32 SIMD set agrees to a relative tolerance
 *   (about 1e-5 of the sum of |terms|), not bitwise. Skipped zero blocks add nothing, so a NaN
 *   in W or X does not spread through a zero gradient here; a set that does not skip may differ
 *   in that case only.
 *
 * Adam follows Kingma & Ba (2015), "Adam: A Method for Stochastic Optimization", Algorithm 1, in
 * the form m̂/(√v̂ + ε) that PyTorch also uses.
 */
import { Arena } from './arena';

/** Read-only float input. */
export type In = Readonly<Float32Array>;

export interface Kernels {
  readonly name: string;
  /** Memory these kernels can read and write; every array passed to them should come from one. */
  createArena(floats: number): Arena;
  /** y = x·Wᵀ + b: y[r][o] = b[o] + Σᵢ x[r][i]·W[o][i], for r < batch. y must not alias x or w. */
  linearForward(y: Float32Array, x: In, w: In, b: In, batch: number, nIn: number, nOut: number): void;
  /** dX = dY·W: dx[r][i] = Σₒ dy[r][o]·W[o][i] (overwrites dx). */
  linearBackwardInput(dx: Float32Array, dy: In, w: In, batch: number, nIn: number, nOut: number): void;
  /** dW += dYᵀ·X and db += Σ_r dY[r] (accumulates, so gradients of several batches add up). */
  linearBackwardParams(dw: Float32Array, db: Float32Array, dy: In, x: In, batch: number, nIn: number, nOut: number): void;
  /** y = max(x, 0) over n floats (NaN passes through). y may alias x. */
  reluForward(y: Float32Array, x: In, n: number): void;
  /** dx = dy · [y > 0], from the forward OUTPUT y. dx may alias dy. */
  reluBackward(dx: Float32Array, dy: In, y: In, n: number): void;
  /** y = tanh(x). y may alias x. */
  tanhForward(y: Float32Array, x: In, n: number): void;
  /** dx = dy · (1 − y²), from the forward OUTPUT y. dx may alias dy. */
  tanhBackward(dx: Float32Array, dy: In, y: In, n: number): void;
  /** Row-wise softmax, max-subtracted. Every row needs one finite entry. y may alias x. */
  softmax(y: Float32Array, x: In, rows: number, cols: number): void;
  /** Row-wise log-softmax: y = x − max − log Σ exp(x − max). y may alias x. */
  logSoftmax(y: Float32Array, x: In, rows: number, cols: number): void;
  /**
   * One Adam step at timestep t ≥ 1 (bias corrections 1 − βᵗ):
   *   m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
   */
  adamStep(p: Float32Array, g: In, m: Float32Array, v: Float32Array, n: number, lr: number, beta1: number, beta2: number, eps: number, t: number): void;
  /** Σ x², accumulated in float64 (the square of the global gradient norm). */
  sumSquares(x: In, n: number): number;
  /** x ← s·x. */
  scale(x: Float32Array, n: number, s: number): void;
  /** Polyak averaging y ← (1−τ)·y + τ·x (soft target update). */
  polyak(y: Float32Array, x: In, n: number, tau: number): void;
}

// ——— matrix products ———————————————————————————————————————————————————————————————————————————

function linearForward(y: Float32Array, x: In, w: In, b: In, batch: number, nIn: number, nOut: number): void {
  let r = 0;
  // Pairs of rows against four weight rows: 8 float64 accumulators, 6 loads per 8 multiply-adds.
  for (; r + 2 <= batch; r += 2) {
    const x0 = r * nIn;
    const x1 = x0 + nIn;
    const y0 = r * nOut;
    const y1 = y0 + nOut;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const w0 = o * nIn;
      const w1 = w0 + nIn;
      const w2 = w1 + nIn;
      const w3 = w2 + nIn;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let i = 0; i < nIn; i++) {
        const u = x[x0 + i]!;
        const v = x[x1 + i]!;
        const p = w[w0 + i]!;
        const q = w[w1 + i]!;
        const s = w[w2 + i]!;
        const t = w[w3 + i]!;
        a0 += u * p; a1 += u * q; a2 += u * s; a3 += u * t;
        c0 += v * p; c1 += v * q; c2 += v * s; c3 += v * t;
      }
      const b0 = b[o]!, b1 = b[o + 1]!, b2 = b[o + 2]!, b3 = b[o + 3]!;
      y[y0 + o] = a0 + b0; y[y0 + o + 1] = a1 + b1; y[y0 + o + 2] = a2 + b2; y[y0 + o + 3] = a3 + b3;
      y[y1 + o] = c0 + b0; y[y1 + o + 1] = c1 + b1; y[y1 + o + 2] = c2 + b2; y[y1 + o + 3] = c3 + b3;
    }
    for (; o < nOut; o++) {
      const wo = o * nIn;
      let a = 0, c = 0;
      for (let i = 0; i < nIn; i++) {
        const p = w[wo + i]!;
        a += x[x0 + i]! * p;
        c += x[x1 + i]! * p;
      }
      y[y0 + o] = a + b[o]!;
      y[y1 + o] = c + b[o]!;
    }
  }
  if (r < batch) linearForwardRow(y, x, w, b, r, nIn, nOut);
}

/** One row (the acting path, batch 1): eight weight rows at a time. */
function linearForwardRow(y: Float32Array, x: In, w: In, b: In, r: number, nIn: number, nOut: number): void {
  const x0 = r * nIn;
  const y0 = r * nOut;
  let o = 0;
  for (; o + 8 <= nOut; o += 8) {
    const w0 = o * nIn, w1 = w0 + nIn, w2 = w1 + nIn, w3 = w2 + nIn;
    const w4 = w3 + nIn, w5 = w4 + nIn, w6 = w5 + nIn, w7 = w6 + nIn;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (let i = 0; i < nIn; i++) {
      const u = x[x0 + i]!;
      a0 += u * w[w0 + i]!; a1 += u * w[w1 + i]!; a2 += u * w[w2 + i]!; a3 += u * w[w3 + i]!;
      a4 += u * w[w4 + i]!; a5 += u * w[w5 + i]!; a6 += u * w[w6 + i]!; a7 += u * w[w7 + i]!;
    }
    y[y0 + o] = a0 + b[o]!; y[y0 + o + 1] = a1 + b[o + 1]!; y[y0 + o + 2] = a2 + b[o + 2]!; y[y0 + o + 3] = a3 + b[o + 3]!;
    y[y0 + o + 4] = a4 + b[o + 4]!; y[y0 + o + 5] = a5 + b[o + 5]!; y[y0 + o + 6] = a6 + b[o + 6]!; y[y0 + o + 7] = a7 + b[o + 7]!;
  }
  for (; o < nOut; o++) {
    const wo = o * nIn;
    let a = 0;
    for (let i = 0; i < nIn; i++) a += x[x0 + i]! * w[wo + i]!;
    y[y0 + o] = a + b[o]!;
  }
}

// The two backward products share one inner step: destination rows += a few scaled source rows
// (dX: rows of dX += dY-scaled rows of W; dW: rows of dW += dY-scaled rows of X). Blocks whose
// coefficients are all zero are skipped before the call.

/** dst[a..] += p₀·src[s₀..] + … + p₃·src[s₃..] and dst[b..] += q₀·src[s₀..] + … over n floats. */
function madd4to2(
  dst: Float32Array, a: number, b: number, src: In, s0: number, s1: number, s2: number, s3: number,
  p0: number, p1: number, p2: number, p3: number, q0: number, q1: number, q2: number, q3: number, n: number,
): void {
  for (let i = 0; i < n; i++) {
    const u0 = src[s0 + i]!;
    const u1 = src[s1 + i]!;
    const u2 = src[s2 + i]!;
    const u3 = src[s3 + i]!;
    dst[a + i] = dst[a + i]! + (p0 * u0 + p1 * u1 + p2 * u2 + p3 * u3);
    dst[b + i] = dst[b + i]! + (q0 * u0 + q1 * u1 + q2 * u2 + q3 * u3);
  }
}

/** dst[a..] += p·src[s..] and dst[b..] += q·src[s..] over n floats. */
function madd1to2(dst: Float32Array, a: number, b: number, src: In, s: number, p: number, q: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const u = src[s + i]!;
    dst[a + i] = dst[a + i]! + p * u;
    dst[b + i] = dst[b + i]! + q * u;
  }
}

/** dst[a..] += p₀·src[s₀..] + … + p₃·src[s₃..] over n floats. */
function madd4to1(dst: Float32Array, a: number, src: In, s0: number, s1: number, s2: number, s3: number, p0: number, p1: number, p2: number, p3: number, n: number): void {
  for (let i = 0; i < n; i++) dst[a + i] = dst[a + i]! + (p0 * src[s0 + i]! + p1 * src[s1 + i]! + p2 * src[s2 + i]! + p3 * src[s3 + i]!);
}

/** dst[a..] += p·src[s..] over n floats. */
function madd1to1(dst: Float32Array, a: number, src: In, s: number, p: number, n: number): void {
  for (let i = 0; i < n; i++) dst[a + i] = dst[a + i]! + p * src[s + i]!;
}

function linearBackwardInput(dx: Float32Array, dy: In, w: In, batch: number, nIn: number, nOut: number): void {
  dx.fill(0, 0, batch * nIn);
  let r = 0;
  for (; r + 2 <= batch; r += 2) {
    const x0 = r * nIn;
    const y0 = r * nOut;
    const y1 = y0 + nOut;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const p0 = dy[y0 + o]!, p1 = dy[y0 + o + 1]!, p2 = dy[y0 + o + 2]!, p3 = dy[y0 + o + 3]!;
      const q0 = dy[y1 + o]!, q1 = dy[y1 + o + 1]!, q2 = dy[y1 + o + 2]!, q3 = dy[y1 + o + 3]!;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
      const w0 = o * nIn;
      madd4to2(dx, x0, x0 + nIn, w, w0, w0 + nIn, w0 + 2 * nIn, w0 + 3 * nIn, p0, p1, p2, p3, q0, q1, q2, q3, nIn);
    }
    for (; o < nOut; o++) {
      const p = dy[y0 + o]!;
      const q = dy[y1 + o]!;
      if (p !== 0 || q !== 0) madd1to2(dx, x0, x0 + nIn, w, o * nIn, p, q, nIn);
    }
  }
  if (r < batch) {
    const x0 = r * nIn;
    const y0 = r * nOut;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const p0 = dy[y0 + o]!, p1 = dy[y0 + o + 1]!, p2 = dy[y0 + o + 2]!, p3 = dy[y0 + o + 3]!;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0) continue;
      const w0 = o * nIn;
      madd4to1(dx, x0, w, w0, w0 + nIn, w0 + 2 * nIn, w0 + 3 * nIn, p0, p1, p2, p3, nIn);
    }
    for (; o < nOut; o++) {
      const p = dy[y0 + o]!;
      if (p !== 0) madd1to1(dx, x0, w, o * nIn, p, nIn);
    }
  }
}

function linearBackwardParams(dw: Float32Array, db: Float32Array, dy: In, x: In, batch: number, nIn: number, nOut: number): void {
  let o = 0;
  for (; o + 2 <= nOut; o += 2) {
    const w0 = o * nIn;
    let s0 = 0, s1 = 0;
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const k = r * nOut + o;
      const p0 = dy[k]!, p1 = dy[k + nOut]!, p2 = dy[k + 2 * nOut]!, p3 = dy[k + 3 * nOut]!;
      const q0 = dy[k + 1]!, q1 = dy[k + nOut + 1]!, q2 = dy[k + 2 * nOut + 1]!, q3 = dy[k + 3 * nOut + 1]!;
      s0 += p0 + p1 + p2 + p3;
      s1 += q0 + q1 + q2 + q3;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) continue;
      const x0 = r * nIn;
      madd4to2(dw, w0, w0 + nIn, x, x0, x0 + nIn, x0 + 2 * nIn, x0 + 3 * nIn, p0, p1, p2, p3, q0, q1, q2, q3, nIn);
    }
    for (; r < batch; r++) {
      const p = dy[r * nOut + o]!;
      const q = dy[r * nOut + o + 1]!;
      s0 += p;
      s1 += q;
      if (p !== 0 || q !== 0) madd1to2(dw, w0, w0 + nIn, x, r * nIn, p, q, nIn);
    }
    db[o] = db[o]! + s0;
    db[o + 1] = db[o + 1]! + s1;
  }
  if (o < nOut) {
    const w0 = o * nIn;
    let s0 = 0;
    let r = 0;
    for (; r + 4 <= batch; r += 4) {
      const k = r * nOut + o;
      const p0 = dy[k]!, p1 = dy[k + nOut]!, p2 = dy[k + 2 * nOut]!, p3 = dy[k + 3 * nOut]!;
      s0 += p0 + p1 + p2 + p3;
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0) continue;
      const x0 = r * nIn;
      madd4to1(dw, w0, x, x0, x0 + nIn, x0 + 2 * nIn, x0 + 3 * nIn, p0, p1, p2, p3, nIn);
    }
    for (; r < batch; r++) {
      const p = dy[r * nOut + o]!;
      s0 += p;
      if (p !== 0) madd1to1(dw, w0, x, r * nIn, p, nIn);
    }
    db[o] = db[o]! + s0;
  }
}

// ——— element-wise, row-wise, optimiser ——————————————————————————————————————————————————————

function reluForward(y: Float32Array, x: In, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    y[i] = v < 0 ? 0 : v;
  }
}

function reluBackward(dx: Float32Array, dy: In, y: In, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = y[i]! > 0 ? dy[i]! : 0;
}

function tanhForward(y: Float32Array, x: In, n: number): void {
  for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
}

function tanhBackward(dx: Float32Array, dy: In, y: In, n: number): void {
  for (let i = 0; i < n; i++) {
    const t = y[i]!;
    dx[i] = dy[i]! * (1 - t * t);
  }
}

function softmax(y: Float32Array, x: In, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = x[o]!;
    for (let j = 1; j < cols; j++) if (x[o + j]! > max) max = x[o + j]!;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[o + j]! - max);
      y[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < cols; j++) y[o + j] = y[o + j]! * inv;
  }
}

function logSoftmax(y: Float32Array, x: In, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = x[o]!;
    for (let j = 1; j < cols; j++) if (x[o + j]! > max) max = x[o + j]!;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[o + j]! - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < cols; j++) y[o + j] = x[o + j]! - lse;
  }
}

function adamStep(p: Float32Array, g: In, m: Float32Array, v: Float32Array, n: number, lr: number, beta1: number, beta2: number, eps: number, t: number): void {
  const stepSize = lr / (1 - Math.pow(beta1, t));
  const invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(beta2, t));
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + c1 * gi;
    const vi = beta2 * v[i]! + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i]! - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}

function sumSquares(x: In, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = x[i]!, b = x[i + 1]!, c = x[i + 2]!, d = x[i + 3]!;
    s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
  }
  for (; i < n; i++) s0 += x[i]! * x[i]!;
  return s0 + s1 + (s2 + s3);
}

function scale(x: Float32Array, n: number, s: number): void {
  for (let i = 0; i < n; i++) x[i] = x[i]! * s;
}

function polyak(y: Float32Array, x: In, n: number, tau: number): void {
  const keep = 1 - tau;
  for (let i = 0; i < n; i++) y[i] = keep * y[i]! + tau * x[i]!;
}

/** The reference kernels: plain TypeScript on any Float32Array. */
export const jsKernels: Kernels = {
  name: 'js',
  createArena: (floats) => new Arena(new ArrayBuffer(floats * 4)),
  linearForward,
  linearBackwardInput,
  linearBackwardParams,
  reluForward,
  reluBackward,
  tanhForward,
  tanhBackward,
  softmax,
  logSoftmax,
  adamStep,
  sumSquares,
  scale,
  polyak,
};
