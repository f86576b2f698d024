// Gradient checks. The module computes in float32; this file re-implements the forward pass and
// every loss in FLOAT64 and takes central finite differences of that, at the same weights (float32
// values are exact in float64). With h = 1e-6 the difference quotient has truncation error
// ~h²·|f'''| ≈ 1e-12 and cancellation error ~1e-16/h ≈ 1e-10, so it is the float64 truth to ~1e-9.
// The analytic float32 gradient carries rounding of ~1e-7 relative to the sum of |terms| that make
// each entry; an entry much smaller than its terms (cancellation) is therefore measured against a
// floor of 1e-2 × the largest entry: relative error |a − n| / max(|a|, |n|, floor) < 1e-3 leaves
// ~100× headroom over float32 rounding while any real bug (a missing term, a wrong sign, a
// skipped block) gives errors of order 1. ReLU and Huber kinks are kept ≥ 1e-4 away, so no
// difference straddles one.
import { describe, expect, it } from 'vitest';
import {
  entropy, entropyBackward, huberSelected, logSoftmax, logSoftmaxBackward, mseSelected, selectedLogProb,
  selectedLogProbBackward, valueMse,
} from '../../src/engine/nn/losses';
import { Mlp, type Activation } from '../../src/engine/nn/mlp';
import { Rng } from '../../src/engine/rng';

const H = 1e-6;
const KINK = 1e-4;

function uniform(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

/** Float64 forward of `net`'s architecture with parameters theta; checks ReLU kinks are far. */
function forward64(net: Mlp, theta: ArrayLike<number>, x: ArrayLike<number>, batch: number): Float64Array {
  let a = Float64Array.from({ length: batch * net.nIn }, (_, i) => x[i]!);
  for (const L of net.layers) {
    const z = new Float64Array(batch * L.nOut);
    const bias = L.offset + L.nIn * L.nOut;
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < L.nOut; o++) {
        let s = theta[bias + o]!;
        for (let i = 0; i < L.nIn; i++) s += a[r * L.nIn + i]! * theta[L.offset + o * L.nIn + i]!;
        if (L.activation === 'relu' && Math.abs(s) < KINK) throw new Error('a ReLU input sits on its kink: choose another seed');
        z[r * L.nOut + o] = L.activation === 'relu' ? Math.max(s, 0) : L.activation === 'tanh' ? Math.tanh(s) : s;
      }
    }
    a = z;
  }
  return a;
}

function relError(a: number, n: number, floor: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
}

function expectGradClose(label: string, analytic: ArrayLike<number>, numeric: ArrayLike<number>): void {
  let maxAbs = 0;
  for (let j = 0; j < numeric.length; j++) maxAbs = Math.max(maxAbs, Math.abs(numeric[j]!));
  expect(maxAbs, `${label}: gradient is identically zero, the check would prove nothing`).toBeGreaterThan(0);
  for (let j = 0; j < numeric.length; j++) {
    const e = relError(analytic[j]!, numeric[j]!, 1e-2 * maxAbs);
    if (!(e < 1e-3)) expect.fail(`${label}: entry ${j} analytic ${analytic[j]} vs numeric ${numeric[j]} (rel. error ${e.toExponential(2)})`);
  }
}

/** Central differences of loss64(forward64(θ, x)) in every parameter and (optionally) every input. */
function numericGrads(net: Mlp, x: Float32Array, batch: number, loss64: (out: Float64Array) => number) {
  const theta = Float64Array.from(net.params);
  const xs = Float64Array.from(x.subarray(0, batch * net.nIn));
  const f = () => loss64(forward64(net, theta, xs, batch));
  const diff = (v: Float64Array, j: number): number => {
    const v0 = v[j]!;
    v[j] = v0 + H;
    const up = f();
    v[j] = v0 - H;
    const down = f();
    v[j] = v0;
    return (up - down) / (2 * H);
  };
  return {
    params: Float64Array.from(theta, (_, j) => diff(theta, j)),
    input: Float64Array.from(xs, (_, j) => diff(xs, j)),
  };
}

function makeNet(sizes: number[], activations: Activation[], seed: number, maxBatch = 8): Mlp {
  return new Mlp({ sizes, activations }, { rng: new Rng(seed), maxBatch });
}

describe('Mlp gradients against float64 finite differences', () => {
  const configs: [string, Activation[]][] = [
    ['relu, relu, linear', ['relu', 'relu', 'linear']],
    ['tanh, tanh, linear', ['tanh', 'tanh', 'linear']],
    ['linear, linear, linear', ['linear', 'linear', 'linear']],
    ['relu, tanh, tanh (non-linear output)', ['relu', 'tanh', 'tanh']],
    ['tanh, linear, relu (ReLU output)', ['tanh', 'linear', 'relu']],
  ];
  it.each(configs)('%s: parameters and input, batch below maxBatch', (_label, activations) => {
    const rng = new Rng(11);
    const net = makeNet([5, 7, 6, 4], activations, 3);
    const batch = 5;
    const x = uniform(rng, batch * 5);
    const c = uniform(rng, batch * 4); // loss Σ c·out, so ∂loss/∂out = c
    const out = net.forward(x, batch);
    const out64 = forward64(net, net.params, x, batch);
    for (let i = 0; i < batch * 4; i++) expect(Math.abs(out[i]! - out64[i]!)).toBeLessThan(1e-5);
    const dInput = new Float32Array(batch * 5);
    net.zeroGrad();
    net.backward(c, dInput);
    const num = numericGrads(net, x, batch, (o) => o.reduce((s, v, i) => s + c[i]! * v, 0));
    expectGradClose('params', net.grads, num.params);
    expectGradClose('input', dInput, num.input);
  });

  it('backward accumulates: two passes without zeroGrad give twice the gradient', () => {
    const net = makeNet([3, 4, 2], ['tanh', 'linear'], 5);
    const x = uniform(new Rng(1), 9);
    const c = new Float32Array([1, -2, 0.5, 0.25, -1, 3]);
    net.forward(x, 3);
    net.zeroGrad();
    net.backward(c);
    const once = Float32Array.from(net.grads);
    net.backward(c);
    for (let j = 0; j < once.length; j++) expect(net.grads[j]).toBeCloseTo(2 * once[j]!, 6);
  });
});

describe('losses against float64 finite differences', () => {
  const nA = 4;
  const batch = 6;
  const setup = (seed: number) => {
    const rng = new Rng(seed);
    const net = makeNet([5, 8, nA], ['relu', 'linear'], seed);
    const x = uniform(rng, batch * 5);
    const actions = Int32Array.from({ length: batch }, () => rng.int(nA));
    const weights = uniform(rng, batch, 0.2, 1);
    return { rng, net, x, actions, weights };
  };
  const huber64 = (d: number) => (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5);

  it('Huber (δ = 1) on selected actions, both regimes, with and without weights', () => {
    for (const weighted of [false, true]) {
      const { rng, net, x, actions, weights } = setup(21);
      const q = net.forward(x, batch);
      // Targets at ±0.5 (quadratic) and ±2.5 (linear) from Q(s, a), well away from the |d| = 1 kink.
      const targets = Float32Array.from({ length: batch }, (_, i) => q[i * nA + actions[i]!]! + (i % 2 ? 0.5 : -2.5) * (rng.next() < 0.5 ? 1 : -1));
      const w = weighted ? weights : null;
      net.zeroGrad();
      const loss = huberSelected(q, actions, targets, batch, nA, net.dOut, 1, w);
      net.backward();
      const loss64 = (o: Float64Array) => {
        let s = 0;
        for (let i = 0; i < batch; i++) {
          const d = o[i * nA + actions[i]!]! - targets[i]!;
          if (Math.abs(Math.abs(d) - 1) < KINK) throw new Error('Huber kink');
          s += (w ? w[i]! : 1) * huber64(d);
        }
        return s / batch;
      };
      expect(loss).toBeCloseTo(loss64(forward64(net, net.params, x, batch)), 5);
      expectGradClose(`huber weighted=${weighted}`, net.grads, numericGrads(net, x, batch, loss64).params);
    }
  });

  it('MSE on selected actions, weighted; gradient only at the taken actions', () => {
    const { rng, net, x, actions, weights } = setup(22);
    const q = net.forward(x, batch);
    const targets = uniform(rng, batch, -2, 2);
    net.zeroGrad();
    const loss = mseSelected(q, actions, targets, batch, nA, net.dOut, weights);
    for (let i = 0; i < batch * nA; i++) if (i % nA !== actions[Math.floor(i / nA)]) expect(net.dOut[i]).toBe(0);
    net.backward();
    const loss64 = (o: Float64Array) => {
      let s = 0;
      for (let i = 0; i < batch; i++) s += weights[i]! * (o[i * nA + actions[i]!]! - targets[i]!) ** 2;
      return s / batch;
    };
    expect(loss).toBeCloseTo(loss64(forward64(net, net.params, x, batch)), 5);
    expectGradClose('mse', net.grads, numericGrads(net, x, batch, loss64).params);
    expect(() => mseSelected(q, [0, 1, 2, 3, 4, 0], targets, batch, nA, net.dOut)).toThrow(/not in \[0, 4\)/);
  });

  it('log-softmax + selected log-probabilities + entropy (a PPO-style objective)', () => {
    const { rng, net, x, actions } = setup(23);
    const logits = net.forward(x, batch);
    const logp = new Float32Array(batch * nA);
    logSoftmax(logp, logits, batch, nA);
    const coefs = uniform(rng, batch, -1, 1);
    const beta = -0.3;
    const lpSel = new Float32Array(batch);
    selectedLogProb(lpSel, logp, actions, batch, nA);
    net.zeroGrad();
    selectedLogProbBackward(net.dOut, logp, actions, coefs, batch, nA);
    entropyBackward(net.dOut, logp, batch, nA, beta);
    const ent = entropy(logp, batch, nA);
    net.backward();
    const logSoftmax64 = (o: Float64Array, i: number) => {
      const row = Array.from(o.subarray(i * nA, (i + 1) * nA));
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
      return row.map((v) => v - lse);
    };
    const loss64 = (o: Float64Array) => {
      let s = 0, h = 0;
      for (let i = 0; i < batch; i++) {
        const lp = logSoftmax64(o, i);
        s += coefs[i]! * lp[actions[i]!]!;
        h -= lp.reduce((acc, v) => acc + Math.exp(v) * v, 0);
      }
      return s + (beta * h) / batch;
    };
    const out64 = forward64(net, net.params, x, batch);
    let h64 = 0;
    for (let i = 0; i < batch; i++) {
      const lp = logSoftmax64(out64, i);
      expect(lpSel[i]).toBeCloseTo(lp[actions[i]!]!, 5);
      h64 -= lp.reduce((acc, v) => acc + Math.exp(v) * v, 0);
    }
    expect(ent).toBeCloseTo(h64 / batch, 5);
    expectGradClose('policy', net.grads, numericGrads(net, x, batch, loss64).params);
  });

  it('logSoftmaxBackward for an arbitrary upstream gradient', () => {
    const rng = new Rng(24);
    const rows = 3, n = 5;
    const z = uniform(rng, rows * n, -3, 3);
    const dLogp = uniform(rng, rows * n);
    const logp = new Float32Array(rows * n);
    logSoftmax(logp, z, rows, n);
    const dz = new Float32Array(rows * n);
    logSoftmaxBackward(dz, dLogp, logp, rows, n);
    const f = (v: Float64Array) => {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const row = v.subarray(r * n, (r + 1) * n);
        const lse = Math.log(row.reduce((a, u) => a + Math.exp(u), 0));
        for (let j = 0; j < n; j++) s += dLogp[r * n + j]! * (row[j]! - lse);
      }
      return s;
    };
    const z64 = Float64Array.from(z);
    const num = Float64Array.from(z64, (_, j) => {
      const v0 = z64[j]!;
      z64[j] = v0 + H; const up = f(z64);
      z64[j] = v0 - H; const down = f(z64);
      z64[j] = v0;
      return (up - down) / (2 * H);
    });
    expectGradClose('log-softmax', dz, num);
  });

  it('value head: a one-output critic, and a column of a shared policy-and-value head', () => {
    const rng = new Rng(25);
    const x = uniform(rng, batch * 5);
    const targets = uniform(rng, batch, -2, 2);
    const critic = makeNet([5, 8, 1], ['tanh', 'linear'], 26);
    const v = critic.forward(x, batch);
    critic.zeroGrad();
    const loss = valueMse(v, targets, batch, critic.dOut);
    critic.backward();
    const loss64 = (o: Float64Array) => o.reduce((s, u, i) => s + (u - targets[i]!) ** 2, 0) / batch;
    expect(loss).toBeCloseTo(loss64(forward64(critic, critic.params, x, batch)), 5);
    expectGradClose('critic', critic.grads, numericGrads(critic, x, batch, loss64).params);

    const shared = makeNet([5, 8, nA + 1], ['relu', 'linear'], 27);
    const out = shared.forward(x, batch);
    shared.zeroGrad();
    valueMse(out, targets, batch, shared.dOut, nA + 1, nA, 0.5);
    for (let i = 0; i < batch * (nA + 1); i++) if (i % (nA + 1) !== nA) expect(shared.dOut[i]).toBe(0);
    shared.backward();
    const sharedLoss64 = (o: Float64Array) => {
      let s = 0;
      for (let i = 0; i < batch; i++) s += (o[i * (nA + 1) + nA]! - targets[i]!) ** 2;
      return (0.5 * s) / batch;
    };
    expectGradClose('shared value column', shared.grads, numericGrads(shared, x, batch, sharedLoss64).params);
  });
});
