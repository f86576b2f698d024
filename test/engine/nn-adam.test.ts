import { describe, expect, it } from 'vitest';
import { Adam, clipGradNorm, type Trainable } from '../../src/engine/nn/adam';
import { jsKernels } from '../../src/engine/nn/kernels';
import { valueMse } from '../../src/engine/nn/losses';
import { Mlp } from '../../src/engine/nn/mlp';
import { Rng } from '../../src/engine/rng';

function trainable(params: number[]): Trainable {
  return { params: Float32Array.from(params), grads: new Float32Array(params.length), kernels: jsKernels };
}

describe('Adam', () => {
  it('takes two steps as computed by hand (lr 0.1, β 0.9/0.999, ε 1e-8)', () => {
    // θ = [1, −0.5, 3], g₁ = [0.5, −0.2, 0], g₂ = [1, 0.1, 0].
    // Step 1: m̂ = g₁, v̂ = g₁², so each moving coordinate moves by lr·sign(g₁) (less ε):
    //   θ₁ = [0.9, −0.4, 3].
    // Step 2, first coordinate: m = 0.9·0.05 + 0.1·1 = 0.145, v = 0.999·0.00025 + 0.001 = 0.00124975,
    //   m̂ = 0.145/0.19 = 0.763158, v̂ = 0.00124975/0.001999 = 0.625188, √v̂ = 0.790688,
    //   θ₂ = 0.9 − 0.1·0.763158/0.790688 = 0.8034818.
    // Second coordinate: m = −0.008, v = 0.00004996, m̂ = −0.0421053, √v̂ = 0.158090,
    //   θ₂ = −0.4 + 0.0266337 = −0.3733663. A zero gradient leaves the third coordinate alone.
    const net = trainable([1, -0.5, 3]);
    const adam = new Adam(net, { lr: 0.1 });
    net.grads.set([0.5, -0.2, 0]);
    adam.step();
    expect(adam.t).toBe(1);
    expect(net.params[0]).toBeCloseTo(0.9, 6);
    expect(net.params[1]).toBeCloseTo(-0.4, 6);
    net.grads.set([1, 0.1, 0]);
    adam.step();
    expect(adam.t).toBe(2);
    expect(net.params[0]).toBeCloseTo(0.8034818, 6);
    expect(net.params[1]).toBeCloseTo(-0.3733663, 6);
    expect(net.params[2]).toBe(3);
    expect(adam.m[0]).toBeCloseTo(0.145, 7);
    expect(adam.v[0]).toBeCloseTo(0.00124975, 9);
  });

  it('lr is mutable (annealing) and reset/load restore the state', () => {
    const net = trainable([1]);
    const adam = new Adam(net, { lr: 0.1 });
    net.grads[0] = 1;
    adam.lr = 0;
    adam.step();
    expect(net.params[0]).toBe(1);
    const saved = { m: Float32Array.from(adam.m), v: Float32Array.from(adam.v), t: adam.t };
    adam.reset();
    expect(adam.t).toBe(0);
    expect(adam.m[0]).toBe(0);
    adam.load(saved);
    expect(adam.t).toBe(1);
    expect(adam.m[0]).toBe(saved.m[0]);
    expect(() => adam.load({ m: [1, 2], v: [1, 2], t: 1 })).toThrow(/moments/);
    expect(() => new Adam(net, { beta1: 1 })).toThrow(/beta1/);
  });

  it('converges on a small regression problem: the loss falls by more than 10×', () => {
    const rng = new Rng(42);
    const n = 256, batch = 32;
    const xs = Float32Array.from({ length: 2 * n }, () => 2 * rng.next() - 1);
    const ys = Float32Array.from({ length: n }, (_, i) => Math.sin(2 * xs[2 * i]!) + xs[2 * i + 1]! ** 2);
    const net = new Mlp({ sizes: [2, 32, 32, 1], activations: ['tanh', 'tanh', 'linear'] }, { rng, maxBatch: n });
    const adam = new Adam(net, { lr: 3e-3 });
    const fullLoss = () => valueMse(net.forward(xs, n), ys, n, new Float32Array(n));
    const before = fullLoss();
    for (let step = 0; step < 600; step++) {
      const o = (step * batch) % n;
      const prediction = net.forward(xs.subarray(2 * o, 2 * (o + batch)), batch);
      net.zeroGrad();
      valueMse(prediction, ys.subarray(o, o + batch), batch, net.dOut);
      net.backward();
      adam.step();
    }
    const after = fullLoss();
    expect(after).toBeLessThan(before / 10);
  });
});

describe('clipGradNorm', () => {
  it('scales gradients above the max norm and returns the pre-clip norm', () => {
    const g = Float32Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBeCloseTo(5, 6);
    expect(g[0]).toBeCloseTo(0.6, 5);
    expect(g[1]).toBeCloseTo(0.8, 5);
    const small = Float32Array.from([0.3, 0.4]);
    expect(clipGradNorm(small, 1)).toBeCloseTo(0.5, 6);
    expect(Array.from(small)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
    const net = trainable([0, 0, 0, 0]);
    net.grads.set([2, 2, 2, 2]);
    expect(new Adam(net).clipGradNorm(2)).toBeCloseTo(4, 6);
    expect(Math.hypot(...net.grads)).toBeCloseTo(2, 5);
  });
});
