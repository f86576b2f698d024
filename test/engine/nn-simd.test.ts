// The WebAssembly SIMD kernels (src/engine/nn/simd.ts) against the reference jsKernels, on arrays
// inside a SIMD arena (where the WASM code runs; plain arrays take the JS fallback). Matrix
// products add in float32 lanes: equal to 1e-5 of Σ|terms|. Element-wise kernels compute in
// float64 lanes in the JS order: equal bit for bit. Then whole networks: Adam training with SIMD
// tracks the JS one, and is deterministic for a seed.
import { beforeEach, describe, expect, it } from 'vitest';
import { Adam, Arena, defaultKernels, huberSelected, jsKernels, Mlp, simdKernels, simdUnavailableReason, type Kernels } from '../../src/engine/nn';
import { Rng, Stream } from '../../src/engine/rng';

const SIZES = [1, 3, 5, 7, 8, 63, 65, 127, 128];
const BATCHES = [1, 2, 3, 5, 7, 17, 64, 65];
const TOL = 1e-5;
const SENTINEL = 12345.5;

function fill(rng: Rng, a: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) a[i] = 2 * rng.next() - 1;
}

/** One-hot-ish rows (a selected-action loss's dY): whole blocks of zeros, some rows empty. */
function fillSparse(rng: Rng, a: Float32Array, rows: number, cols: number): void {
  a.fill(0, 0, rows * cols);
  for (let r = 0; r < rows; r++) if (rng.next() < 0.8) a[r * cols + rng.int(cols)] = 2 * rng.next() - 1;
}

/**
 * n floats followed by `extra` sentinel floats (to catch writes past the prefix), all from one
 * large arena per test, so that every array lives in one WASM memory and the WASM code runs (arrays
 * from two memories would take the JS fallback and compare JS with JS).
 */
let arena: Arena | null = null;
function simdArray(k: Kernels, n: number, extra = 4): Float32Array {
  arena ??= k.createArena(8 << 20);
  const a = arena.alloc(n + extra);
  a.fill(SENTINEL, n);
  return a;
}
beforeEach(() => {
  arena = null;
});

function expectClose(label: string, got: Float32Array, ref: Float32Array, scale: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const err = Math.abs(got[i]! - ref[i]!);
    if (!(err <= TOL * scale[i]! + 1e-30)) expect.fail(`${label}: entry ${i} is ${got[i]}, JS ${ref[i]} (Σ|terms| ${scale[i]})`);
  }
  for (let i = n; i < got.length; i++) if (got[i] !== SENTINEL) expect.fail(`${label}: wrote past its prefix at ${i}`);
}

function expectSameBits(label: string, got: Float32Array, ref: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) if (!Object.is(got[i], ref[i])) expect.fail(`${label}: entry ${i} is ${got[i]}, JS ${ref[i]}`);
}

function shapes(): [number, number, number][] {
  const out: [number, number, number][] = [];
  let k = 0;
  for (const nIn of SIZES) for (const nOut of SIZES) out.push([1, nIn, nOut], [BATCHES[k++ % BATCHES.length]!, nIn, nOut]);
  return out;
}

/** A copy of `a` on a plain ArrayBuffer (the JS reference's input). */
const plain = (a: Float32Array): Float32Array => Float32Array.from(a);

it('reports why SIMD is unavailable, or has it', () => {
  expect(simdKernels === null).toBe(simdUnavailableReason !== null);
  expect(defaultKernels()).toBe(simdKernels ?? jsKernels);
});

describe.runIf(simdKernels !== null)('simdKernels against jsKernels', () => {
  const k = simdKernels!;

  it('linearForward on odd shapes, batch 1 and odd batches', () => {
    const rng = new Rng(1);
    let differs = 0;
    for (const [B, I, O] of shapes()) {
      const x = simdArray(k, B * I), w = simdArray(k, O * I), b = simdArray(k, O), y = simdArray(k, B * O);
      fill(rng, x, B * I); fill(rng, w, O * I); fill(rng, b, O);
      const ref = new Float32Array(B * O);
      jsKernels.linearForward(ref, plain(x), plain(w), plain(b), B, I, O);
      k.linearForward(y, x, w, b, B, I, O);
      const scale = new Float64Array(B * O);
      for (let r = 0; r < B; r++) for (let o = 0; o < O; o++) {
        let s = Math.abs(b[o]!);
        for (let i = 0; i < I; i++) s += Math.abs(x[r * I + i]! * w[o * I + i]!);
        scale[r * O + o] = s;
      }
      expectClose(`forward ${B}×${I}→${O}`, y, ref, scale, B * O);
      for (let i = 0; i < B * O; i++) if (y[i] !== ref[i]) differs++;
    }
    expect(differs).toBeGreaterThan(0); // float32 lanes, not the JS code: the WASM path ran
  });

  it('linearBackwardInput, dense and with zero blocks of dY (which must not spread NaN)', () => {
    const rng = new Rng(2);
    for (const sparse of [false, true]) {
      for (const [B, I, O] of shapes()) {
        const dy = simdArray(k, B * O), w = simdArray(k, O * I), dx = simdArray(k, B * I);
        if (sparse) fillSparse(rng, dy, B, O);
        else fill(rng, dy, B * O);
        fill(rng, w, O * I);
        dx.fill(7, 0, B * I); // overwritten, not accumulated
        if (sparse && O >= 4) {
          // dY's first block of four columns is zero in every row and its weight rows are NaN: a
          // kernel that skips zero blocks (both sets do) leaves dX finite.
          for (let r = 0; r < B; r++) dy.fill(0, r * O, r * O + 4);
          w.fill(NaN, 0, 4 * I);
        }
        const ref = new Float32Array(B * I);
        jsKernels.linearBackwardInput(ref, plain(dy), plain(w), B, I, O);
        k.linearBackwardInput(dx, dy, w, B, I, O);
        const scale = new Float64Array(B * I);
        for (let r = 0; r < B; r++) for (let i = 0; i < I; i++) {
          let s = 0;
          for (let o = 0; o < O; o++) if (dy[r * O + o] !== 0) s += Math.abs(dy[r * O + o]! * w[o * I + i]!);
          scale[r * I + i] = s;
        }
        for (let i = 0; i < B * I; i++) if (Number.isNaN(ref[i])) expect.fail('the JS reference spread NaN: test setup is wrong');
        expectClose(`backwardInput ${sparse ? 'sparse' : 'dense'} ${B}×${I}←${O}`, dx, ref, scale, B * I);
      }
    }
  });

  it('linearBackwardParams accumulates dW and db, dense and sparse', () => {
    const rng = new Rng(3);
    for (const sparse of [false, true]) {
      for (const [B, I, O] of shapes()) {
        const dy = simdArray(k, B * O), x = simdArray(k, B * I), dw = simdArray(k, O * I), db = simdArray(k, O);
        if (sparse) fillSparse(rng, dy, B, O);
        else fill(rng, dy, B * O);
        fill(rng, x, B * I); fill(rng, dw, O * I); fill(rng, db, O); // accumulates into what is there
        const refW = plain(dw).subarray(0, O * I), refB = plain(db).subarray(0, O);
        jsKernels.linearBackwardParams(refW, refB, plain(dy), plain(x), B, I, O);
        const scaleW = new Float64Array(O * I), scaleB = new Float64Array(O);
        for (let o = 0; o < O; o++) {
          let sb = Math.abs(db[o]!);
          for (let r = 0; r < B; r++) sb += Math.abs(dy[r * O + o]!);
          scaleB[o] = sb;
          for (let i = 0; i < I; i++) {
            let s = Math.abs(dw[o * I + i]!);
            for (let r = 0; r < B; r++) s += Math.abs(dy[r * O + o]! * x[r * I + i]!);
            scaleW[o * I + i] = s;
          }
        }
        k.linearBackwardParams(dw, db, dy, x, B, I, O);
        const label = `backwardParams ${sparse ? 'sparse' : 'dense'} ${B}×${I}→${O}`;
        expectClose(`${label} dW`, dw, refW, scaleW, O * I);
        expectSameBits(`${label} db`, db, refB, O); // float64 sums in the JS order
      }
    }
  });

  it('backward products longer than the kernel term list (1024) run in chunks', () => {
    const rng = new Rng(6);
    const B = 1029, I = 6, O = 1027;
    const dy = simdArray(k, B * O), w = simdArray(k, O * I), x = simdArray(k, B * I);
    fill(rng, dy, B * O); fill(rng, w, O * I); fill(rng, x, B * I);
    const dx = simdArray(k, B * I), dw = simdArray(k, O * I), db = simdArray(k, O);
    const refX = new Float32Array(B * I), refW = new Float32Array(O * I), refB = new Float32Array(O);
    jsKernels.linearBackwardInput(refX, plain(dy), plain(w), B, I, O);
    jsKernels.linearBackwardParams(refW, refB, plain(dy), plain(x), B, I, O);
    k.linearBackwardInput(dx, dy, w, B, I, O);
    k.linearBackwardParams(dw, db, dy, x, B, I, O);
    const scaleX = new Float64Array(B * I), scaleW = new Float64Array(O * I);
    for (let r = 0; r < B; r++) for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) {
      const t = Math.abs(dy[r * O + o]!);
      scaleX[r * I + i] = scaleX[r * I + i]! + t * Math.abs(w[o * I + i]!);
      scaleW[o * I + i] = scaleW[o * I + i]! + t * Math.abs(x[r * I + i]!);
    }
    expectClose('backwardInput, 1027 outputs', dx, refX, scaleX, B * I);
    expectClose('backwardParams, 1029 rows', dw, refW, scaleW, O * I);
    expectSameBits('backwardParams db, 1029 rows', db, refB, O);
  });

  it('element-wise and row-wise kernels give the JS bits exactly (ReLU, Adam, Σx², scale, Polyak, tanh, softmaxes)', () => {
    const rng = new Rng(4);
    for (const n of [1, 3, 4, 5, 7, 63, 65, 127, 1000, 1003]) {
      const x = simdArray(k, n), y = simdArray(k, n), dy = simdArray(k, n);
      fill(rng, x, n); fill(rng, dy, n);
      x[0] = -0; if (n > 2) x[2] = NaN; if (n > 1) dy[1] = -0;
      const ref = new Float32Array(n);
      jsKernels.reluForward(ref, plain(x), n);
      k.reluForward(y, x, n);
      expectSameBits(`reluForward ${n}`, y, ref, n);
      jsKernels.reluBackward(ref, plain(dy), plain(y), n);
      const dx = simdArray(k, n);
      k.reluBackward(dx, dy, y, n);
      expectSameBits(`reluBackward ${n}`, dx, ref, n);
      k.reluForward(x, x, n); // aliasing allowed
      expectSameBits(`reluForward in place ${n}`, x, y, n);

      const g = simdArray(k, n), p = simdArray(k, n), m = simdArray(k, n), v = simdArray(k, n);
      fill(rng, g, n); fill(rng, p, n); fill(rng, m, n);
      for (let i = 0; i < n; i++) v[i] = rng.next();
      const [pj, mj, vj] = [plain(p), plain(m), plain(v)];
      for (let t = 1; t <= 3; t++) {
        jsKernels.adamStep(pj, plain(g), mj, vj, n, 1e-3, 0.9, 0.999, 1e-8, t);
        k.adamStep(p, g, m, v, n, 1e-3, 0.9, 0.999, 1e-8, t);
      }
      expectSameBits(`adam p ${n}`, p, pj, n);
      expectSameBits(`adam m ${n}`, m, mj, n);
      expectSameBits(`adam v ${n}`, v, vj, n);

      expect(k.sumSquares(g, n)).toBe(jsKernels.sumSquares(plain(g), n));
      const gj = plain(g);
      jsKernels.scale(gj, n, 0.3);
      k.scale(g, n, 0.3);
      expectSameBits(`scale ${n}`, g, gj, n);
      const yj = plain(p);
      jsKernels.polyak(yj, plain(m), n, 0.005);
      k.polyak(p, m, n, 0.005);
      expectSameBits(`polyak ${n}`, p, yj, n);
      // tanh and the softmaxes are the JS code run on the views (simd.ts says why).
      const t = simdArray(k, n), tj = new Float32Array(n);
      k.tanhForward(t, x, n);
      jsKernels.tanhForward(tj, plain(x), n);
      expectSameBits(`tanhForward ${n}`, t, tj, n);
      k.tanhBackward(dx, dy, t, n);
      jsKernels.tanhBackward(tj, plain(dy), plain(t), n);
      expectSameBits(`tanhBackward ${n}`, dx, tj, n);
      const cols = n % 7 === 0 ? 7 : n % 5 === 0 ? 5 : 1;
      k.softmax(t, dy, n / cols, cols);
      jsKernels.softmax(tj, plain(dy), n / cols, cols);
      expectSameBits(`softmax ${n}`, t, tj, n);
      k.logSoftmax(t, dy, n / cols, cols);
      jsKernels.logSoftmax(tj, plain(dy), n / cols, cols);
      expectSameBits(`logSoftmax ${n}`, t, tj, n);
      for (const a of [y, dx, p, m, v, g, t]) for (let i = n; i < a.length; i++) expect(a[i]).toBe(SENTINEL);
    }
  });

  it('gives an arena larger than a slab a memory of its own', () => {
    const small = k.createArena(64).alloc(64);
    const a = k.createArena(3 << 20).alloc(3 << 20); // 12 MiB, more than the 8 MiB slab
    expect(a.buffer).not.toBe(small.buffer);
    small.fill(1);
    a[a.length - 1] = 2;
    k.scale(a, a.length, 0.5);
    expect(a[a.length - 1]).toBe(1);
    expect(small[0]).toBe(1);
  });

  it('falls back to the JS kernels for arrays outside its memory, with the same bits', () => {
    const rng = new Rng(5);
    const w = new Float32Array(12), x = new Float32Array(6), b = new Float32Array(4);
    fill(rng, w, 12); fill(rng, x, 6); fill(rng, b, 4);
    const y = new Float32Array(8), ref = new Float32Array(8);
    k.linearForward(y, x, w, b, 2, 3, 4);
    jsKernels.linearForward(ref, x, w, b, 2, 3, 4);
    expectSameBits('fallback forward', y, ref, 8);
    const inSimd = simdArray(k, 12);
    inSimd.set(w);
    k.polyak(inSimd, x.subarray(0, 6), 6, 0.5); // two memories
    const refP = plain(w);
    jsKernels.polyak(refP, x, 6, 0.5);
    expectSameBits('fallback polyak', inSimd, refP, 6);
  });
});

/** N Adam steps of a 64-128-128-100 Q-network on Huber loss of random selected actions. */
function trainQ(kernels: Kernels, steps: number): Mlp {
  const net = new Mlp({ sizes: [64, 128, 128, 100], activations: ['relu', 'relu', 'linear'] }, { rng: new Rng(7, Stream.agent), maxBatch: 64, kernels });
  const adam = new Adam(net);
  const data = new Rng(8, Stream.env);
  const x = new Float32Array(64 * 64), target = new Float32Array(64), actions = new Int32Array(64);
  for (let s = 0; s < steps; s++) {
    fill(data, x, x.length);
    for (let i = 0; i < 64; i++) {
      actions[i] = data.int(100);
      target[i] = 2 * data.next();
    }
    const q = net.forward(x, 64);
    net.zeroGrad();
    huberSelected(q, actions, target, 64, 100, net.dOut);
    net.backward();
    adam.clipGradNorm(10);
    adam.step();
  }
  return net;
}

describe.runIf(simdKernels !== null)('an Mlp on simdKernels', () => {
  it('is the default kernel set', () => {
    const net = new Mlp({ sizes: [3, 2], activations: ['linear'] }, { rng: new Rng(1), maxBatch: 1 });
    expect(net.kernels.name).toBe('wasm-simd');
  });

  it('trained 30 Adam steps, tracks the JS-trained network', () => {
    const js = trainQ(jsKernels, 30);
    const simd = trainQ(simdKernels!, 30);
    let maxDiff = 0;
    for (let i = 0; i < js.params.length; i++) maxDiff = Math.max(maxDiff, Math.abs(js.params[i]! - simd.params[i]!));
    // Adam normalises each step to about lr = 1e-3, so a rounding difference in a near-zero gradient
    // could in principle move a weight by up to lr per step; measured here: 8e-7 after 30 steps.
    expect(maxDiff).toBeLessThan(1e-4);
    expect(maxDiff).toBeGreaterThan(0); // the two sets really differ in float32 rounding
    const probe = new Float32Array(64 * 64);
    fill(new Rng(9), probe, probe.length);
    const a = Float32Array.from(js.forward(probe, 64).subarray(0, 64 * 100));
    const b = simd.forward(probe, 64);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(a[i]!)));
  });

  it('gives identical weights for the same seed', () => {
    const a = trainQ(simdKernels!, 20);
    const b = trainQ(simdKernels!, 20);
    expect(Buffer.from(a.params.buffer, a.params.byteOffset, a.params.byteLength).equals(Buffer.from(b.params.buffer, b.params.byteOffset, b.params.byteLength))).toBe(true);
  });
});
