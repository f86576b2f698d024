// Every kernel against a naive float64 recomputation, on odd shapes and batch 1, for every kernel
// set in `implementations` (the WebAssembly SIMD set joins when it runs here; arrays come from each
// set's own arenas, so the SIMD set runs its WASM code, not its JS fallback). Tolerance: the
// reference is exact-ish float64; a kernel may round to float32 on each store and (SIMD) add in
// float32, so the error bound is a few ulps per term: 1e-5 of the sum of |terms|.
import { beforeEach, describe, expect, it } from 'vitest';
import { Arena } from '../../src/engine/nn/arena';
import { jsKernels, type Kernels } from '../../src/engine/nn/kernels';
import { simdKernels } from '../../src/engine/nn/simd';
import { Rng } from '../../src/engine/rng';

const implementations: Kernels[] = simdKernels ? [jsKernels, simdKernels] : [jsKernels];
const SIZES = [1, 3, 5, 17, 63, 65, 127, 129];
const BATCHES = [1, 2, 3, 5, 17, 64, 65];
const TOL = 1e-5;
const SENTINEL = 12345.5;

/** The kernel set under test; each test's arrays come from one large arena of it. */
let current: Kernels = jsKernels;
let arena: Arena | null = null;
function alloc(n: number): Float32Array {
  arena ??= current.createArena(16 << 20);
  return arena.alloc(n);
}

function uniform(rng: Rng, n: number, extra = 0, lo = -1, hi = 1): Float32Array {
  const a = alloc(n + extra).fill(SENTINEL);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.next();
  return a;
}

/** One-hot-ish rows with whole zero blocks, as a selected-action loss or dead ReLUs produce. */
function sparse(rng: Rng, rows: number, cols: number): Float32Array {
  const a = alloc(rows * cols);
  for (let r = 0; r < rows; r++) if (rng.next() < 0.8) a[r * cols + rng.int(cols)] = 2 * rng.next() - 1;
  return a;
}

/** Fails with the first entry outside |got − ref| ≤ TOL·scale (scale = Σ|terms|, so rounding-aware). */
function expectClose(label: string, got: ArrayLike<number>, ref: ArrayLike<number>, scale: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) {
    const err = Math.abs(got[i]! - ref[i]!);
    if (!(err <= TOL * scale[i]! + 1e-30)) expect.fail(`${label}: entry ${i} is ${got[i]}, reference ${ref[i]} (Σ|terms| ${scale[i]})`);
  }
}

function expectUntouched(label: string, a: Float32Array, from: number): void {
  for (let i = from; i < a.length; i++) if (a[i] !== SENTINEL) expect.fail(`${label}: wrote past its prefix at ${i}`);
}

function shapes(): [number, number, number][] {
  const out: [number, number, number][] = [];
  let k = 0;
  for (const nIn of SIZES) {
    for (const nOut of SIZES) {
      out.push([1, nIn, nOut]);
      out.push([BATCHES[k++ % BATCHES.length]!, nIn, nOut]);
    }
  }
  return out;
}

describe.each(implementations.map((k) => [k.name, k] as const))('kernels %s', (_name, k) => {
  beforeEach(() => {
    current = k;
    arena = null;
  });

  it('linearForward: y = x·Wᵀ + b', () => {
    const rng = new Rng(1);
    for (const [B, I, O] of shapes()) {
      const x = uniform(rng, B * I), w = uniform(rng, O * I), b = uniform(rng, O);
      const y = uniform(rng, B * O, 7);
      k.linearForward(y, x, w, b, B, I, O);
      const ref = new Float64Array(B * O), scale = new Float64Array(B * O);
      for (let r = 0; r < B; r++) {
        for (let o = 0; o < O; o++) {
          let s = b[o]!, a = Math.abs(b[o]!);
          for (let i = 0; i < I; i++) { s += x[r * I + i]! * w[o * I + i]!; a += Math.abs(x[r * I + i]! * w[o * I + i]!); }
          ref[r * O + o] = s; scale[r * O + o] = a;
        }
      }
      expectClose(`forward ${B}×${I}→${O}`, y, ref, scale, B * O);
      expectUntouched(`forward ${B}×${I}→${O}`, y, B * O);
    }
  });

  it('linearBackwardInput: dX = dY·W, dense and sparse dY', () => {
    const rng = new Rng(2);
    for (const [B, I, O] of shapes()) {
      for (const dy of [uniform(rng, B * O), sparse(rng, B, O)]) {
        const w = uniform(rng, O * I);
        const dx = uniform(rng, B * I, 5);
        k.linearBackwardInput(dx, dy, w, B, I, O);
        const ref = new Float64Array(B * I), scale = new Float64Array(B * I);
        for (let r = 0; r < B; r++) {
          for (let i = 0; i < I; i++) {
            let s = 0, a = 0;
            for (let o = 0; o < O; o++) { s += dy[r * O + o]! * w[o * I + i]!; a += Math.abs(dy[r * O + o]! * w[o * I + i]!); }
            ref[r * I + i] = s; scale[r * I + i] = a;
          }
        }
        expectClose(`dX ${B}×${I}←${O}`, dx, ref, scale, B * I);
        expectUntouched(`dX ${B}×${I}←${O}`, dx, B * I);
      }
    }
  });

  it('linearBackwardParams: dW += dYᵀ·X, db += Σ dY, dense and sparse dY', () => {
    const rng = new Rng(3);
    for (const [B, I, O] of shapes()) {
      for (const dy of [uniform(rng, B * O), sparse(rng, B, O)]) {
        const x = uniform(rng, B * I);
        const dw = uniform(rng, O * I, 3), db = uniform(rng, O, 3);
        const refW = Float64Array.from(dw.subarray(0, O * I)), scaleW = refW.map(Math.abs);
        const refB = Float64Array.from(db.subarray(0, O)), scaleB = refB.map(Math.abs);
        k.linearBackwardParams(dw, db, dy, x, B, I, O);
        for (let o = 0; o < O; o++) {
          let sb = refB[o]!, ab = scaleB[o]!;
          for (let r = 0; r < B; r++) { sb += dy[r * O + o]!; ab += Math.abs(dy[r * O + o]!); }
          refB[o] = sb; scaleB[o] = ab;
          for (let i = 0; i < I; i++) {
            let s = refW[o * I + i]!, a = scaleW[o * I + i]!;
            for (let r = 0; r < B; r++) { s += dy[r * O + o]! * x[r * I + i]!; a += Math.abs(dy[r * O + o]! * x[r * I + i]!); }
            refW[o * I + i] = s; scaleW[o * I + i] = a;
          }
        }
        expectClose(`dW ${B}×${I}→${O}`, dw, refW, scaleW, O * I);
        expectClose(`db ${B}×${I}→${O}`, db, refB, scaleB, O);
        expectUntouched(`dW ${B}×${I}→${O}`, dw, O * I);
        expectUntouched(`db ${B}×${I}→${O}`, db, O);
      }
    }
  });

  it('relu and tanh, forward and backward, in place and out of place', () => {
    const rng = new Rng(4);
    for (const n of [1, 3, 5, 17, 63, 65, 127, 129]) {
      const x = uniform(rng, n, 0, -3, 3), dy = uniform(rng, n);
      const y = uniform(rng, n, 4), dx = uniform(rng, n, 4);
      k.reluForward(y, x, n);
      k.reluBackward(dx, dy, y, n);
      for (let i = 0; i < n; i++) {
        expect(y[i]).toBe(Math.max(x[i]!, 0));
        expect(dx[i]).toBe(x[i]! > 0 ? dy[i] : 0);
      }
      expectUntouched('relu', y, n);
      k.tanhForward(y, x, n);
      k.tanhBackward(dx, dy, y, n);
      const ones = new Float64Array(n).fill(1);
      expectClose('tanh', y, Array.from(x.subarray(0, n), Math.tanh), ones, n);
      expectClose('tanh backward', dx, Array.from({ length: n }, (_, i) => dy[i]! * (1 - y[i]! * y[i]!)), ones, n);
      const inPlace = x.slice(0, n);
      k.reluForward(inPlace, inPlace, n);
      expect(Array.from(inPlace)).toEqual(Array.from(x.subarray(0, n), (v) => Math.max(v, 0)));
    }
    const nan = new Float32Array([Number.NaN, -1, 2]);
    k.reluForward(nan, nan, 3);
    expect(Number.isNaN(nan[0])).toBe(true);
  });

  it('softmax and logSoftmax are row-wise, stable for large logits', () => {
    const rng = new Rng(5);
    for (const cols of SIZES) {
      for (const rows of [1, 3]) {
        const x = uniform(rng, rows * cols, 0, -5, 5);
        x[0] = 1000; // would overflow exp without the max subtraction
        const p = uniform(rng, rows * cols, 2), lp = uniform(rng, rows * cols, 2);
        k.softmax(p, x, rows, cols);
        k.logSoftmax(lp, x, rows, cols);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
          const m = Math.max(...row);
          const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
          for (let j = 0; j < cols; j++) {
            expect(p[r * cols + j]).toBeCloseTo(Math.exp(row[j]! - lse), 6);
            expect(Math.abs(lp[r * cols + j]! - (row[j]! - lse))).toBeLessThanOrEqual(1e-6 * (Math.abs(row[j]!) + Math.abs(lse)) + 1e-6);
          }
        }
        expectUntouched('softmax', p, rows * cols);
        expectUntouched('logSoftmax', lp, rows * cols);
      }
    }
  });

  it('adamStep matches the formula in float64', () => {
    const rng = new Rng(6);
    for (const n of [1, 5, 129]) {
      const p = uniform(rng, n), g = uniform(rng, n), m = uniform(rng, n, 0, -0.1, 0.1), v = uniform(rng, n, 0, 0, 0.01);
      const [p0, m0, v0] = [Float64Array.from(p), Float64Array.from(m), Float64Array.from(v)];
      const [lr, b1, b2, eps, t] = [0.01, 0.9, 0.999, 1e-8, 7];
      k.adamStep(p, g, m, v, n, lr, b1, b2, eps, t);
      for (let i = 0; i < n; i++) {
        const mi = b1 * m0[i]! + (1 - b1) * g[i]!;
        const vi = b2 * v0[i]! + (1 - b2) * g[i]! * g[i]!;
        const pi = p0[i]! - (lr * (mi / (1 - b1 ** t))) / (Math.sqrt(vi / (1 - b2 ** t)) + eps);
        expect(m[i]).toBeCloseTo(mi, 7);
        expect(v[i]).toBeCloseTo(vi, 9);
        expect(Math.abs(p[i]! - pi)).toBeLessThan(1e-6);
      }
    }
  });

  it('sumSquares, scale and polyak', () => {
    const rng = new Rng(7);
    for (const n of [1, 3, 5, 17, 129]) {
      const x = uniform(rng, n, 2);
      let ss = 0;
      for (let i = 0; i < n; i++) ss += x[i]! * x[i]!;
      expect(k.sumSquares(x, n)).toBeCloseTo(ss, 10);
      const y = uniform(rng, n, 2);
      const y0 = Float64Array.from(y.subarray(0, n));
      k.polyak(y, x, n, 0.25);
      expectClose('polyak', y, Array.from(y0, (v, i) => 0.75 * v + 0.25 * x[i]!), new Float64Array(n).fill(1), n);
      expectUntouched('polyak', y, n);
      k.scale(x, n, 0.5);
      expect(k.sumSquares(x, n)).toBeCloseTo(ss / 4, 10);
      expectUntouched('scale', x, n);
    }
  });

  it('createArena gives aligned, zeroed, disjoint views in one buffer', () => {
    const arena = k.createArena(Arena.floatsFor([3, 17, 1]));
    const a = arena.alloc(3), b = arena.alloc(17), c = arena.alloc(1);
    expect(a.buffer).toBe(b.buffer);
    expect(b.buffer).toBe(c.buffer);
    for (const v of [a, b, c]) expect((v.byteOffset - arena.byteOffset) % 64).toBe(0);
    b.fill(1);
    expect(a.every((v) => v === 0) && c.every((v) => v === 0)).toBe(true);
    expect(() => arena.alloc(1)).toThrow(/exhausted/);
  });
});

describe('Arena', () => {
  it('carves a region of a larger (e.g. WebAssembly) buffer and checks its bounds', () => {
    const buffer = new ArrayBuffer(1024);
    const arena = new Arena(buffer, 256, 64);
    const v = arena.alloc(20);
    expect(v.byteOffset).toBe(256);
    expect(arena.alloc(10).byteOffset).toBe(256 + 32 * 4);
    expect(arena.usedFloats).toBe(48);
    expect(() => arena.alloc(17)).toThrow(/exhausted/);
    expect(() => new Arena(buffer, 1000, 64)).toThrow(/past the end/);
  });
});
