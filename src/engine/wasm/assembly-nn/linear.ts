/** The forward product of a linear layer in float32 lanes, with the JS set's register tiling. */
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

/**
 * One row (the acting path, batch 1): eight weight rows at a time, then four, then single outputs.
 * Each output is reduced as the batch path above reduces it, by a transpose-add (hsum4) where it
 * falls in a whole group of four and by hsum past the last one, so a row gives the same bits alone
 * as in a batch (DQN's Q-table, filled in batches, is then the network its greedy action and the
 * exported policy use). The policy runtime (src/engine/policy/runtime.ts) repeats this order.
 */
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
  if (o + 4 <= nOut) {
    const w0 = w + <usize>o * rowX, w1 = w0 + rowX, w2 = w1 + rowX, w3 = w2 + rowX;
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (let i = 0; i < n4; i += 4) {
      const k = <usize>i << 2;
      const u = v128.load(x0 + k);
      a0 = f32x4.add(a0, f32x4.mul(u, v128.load(w0 + k))); a1 = f32x4.add(a1, f32x4.mul(u, v128.load(w1 + k)));
      a2 = f32x4.add(a2, f32x4.mul(u, v128.load(w2 + k))); a3 = f32x4.add(a3, f32x4.mul(u, v128.load(w3 + k)));
    }
    let s = hsum4(a0, a1, a2, a3);
    for (let i = n4; i < nIn; i++) {
      const k = <usize>i << 2;
      s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(x0 + k)), column4(w0 + k, w1 + k, w2 + k, w3 + k)));
    }
    const at = <usize>o << 2;
    v128.store(y0 + at, f32x4.add(s, v128.load(b + at)));
    o += 4;
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
