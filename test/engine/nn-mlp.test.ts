import { describe, expect, it } from 'vitest';
import { maxOf, argmax } from '../../src/engine/agent';
import { Adam } from '../../src/engine/nn/adam';
import { huberSelected } from '../../src/engine/nn/losses';
import { Mlp, parameterCount, type MlpSpec } from '../../src/engine/nn/mlp';
import { Rng, Stream } from '../../src/engine/rng';

// The benchmark workload of /work/shared/bench/torch_dqn_step.py.
const IN = 64, NA = 100, BATCH = 64, GAMMA = 0.99, ROWS = 1024;
const DQN_SPEC: MlpSpec = { sizes: [IN, 128, 128, NA], activations: ['relu', 'relu', 'linear'] };

/** Online and target networks, Adam, and a fixed synthetic replay sample, as in the torch reference. */
function dqnSetup(seed: number, spec: MlpSpec = DQN_SPEC) {
  const rng = new Rng(seed, Stream.agent);
  const online = new Mlp(spec, { rng, maxBatch: BATCH });
  const target = new Mlp(spec, { rng, maxBatch: BATCH });
  target.copyFrom(online);
  const adam = new Adam(online, { lr: 1e-3 });
  const nIn = spec.sizes[0]!, nA = spec.sizes[spec.sizes.length - 1]!;
  const data = new Rng(1, Stream.env);
  const s = Float32Array.from({ length: ROWS * nIn }, () => 2 * data.next() - 1);
  const s2 = Float32Array.from({ length: ROWS * nIn }, () => 2 * data.next() - 1);
  const a = Int32Array.from({ length: ROWS }, () => data.int(nA));
  const r = Float32Array.from({ length: ROWS }, () => data.next());
  const done = Float32Array.from({ length: ROWS }, () => (data.next() < 0.05 ? 1 : 0));
  // Views made once: the timed loop allocates nothing.
  const blocks = Array.from({ length: ROWS / BATCH }, (_, k) => {
    const o = k * BATCH;
    return {
      s: s.subarray(o * nIn, (o + BATCH) * nIn), s2: s2.subarray(o * nIn, (o + BATCH) * nIn),
      a: a.subarray(o, o + BATCH), r: r.subarray(o, o + BATCH), done: done.subarray(o, o + BATCH),
    };
  });
  const tdTarget = new Float32Array(BATCH);
  /** One DQN update: yᵢ = rᵢ + γ(1 − doneᵢ)·max_a' Q_target(s'ᵢ, a'), Huber on Q(sᵢ, aᵢ), Adam. */
  const update = (k: number): number => {
    const b = blocks[k % blocks.length]!;
    const qNext = target.forward(b.s2, BATCH);
    for (let i = 0; i < BATCH; i++) tdTarget[i] = b.r[i]! + GAMMA * (1 - b.done[i]!) * maxOf(qNext, i * nA, nA);
    const q = online.forward(b.s, BATCH);
    online.zeroGrad();
    const loss = huberSelected(q, b.a, tdTarget, BATCH, nA, online.dOut);
    online.backward();
    adam.step();
    return loss;
  };
  const act = (k: number): number => argmax(online.forward(s.subarray((k % ROWS) * nIn, (k % ROWS + 1) * nIn), 1), 0, nA);
  return { online, target, adam, update, act, s };
}

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

describe('Mlp', () => {
  it('lays parameters out flat: W₁ (out×in), b₁, W₂, b₂, … with layer views into params and grads', () => {
    const net = new Mlp({ sizes: [3, 5, 2], activations: ['relu', 'linear'] }, { rng: new Rng(1), maxBatch: 4 });
    expect(net.params.length).toBe(parameterCount([3, 5, 2]));
    expect(net.params.length).toBe(3 * 5 + 5 + 5 * 2 + 2);
    const [l0, l1] = net.layers;
    expect([l0!.offset, l1!.offset]).toEqual([0, 20]);
    expect(l0!.w.byteOffset).toBe(net.params.byteOffset);
    expect(l0!.b.byteOffset).toBe(net.params.byteOffset + 15 * 4);
    expect(l1!.db.byteOffset).toBe(net.grads.byteOffset + 30 * 4);
    expect(net.params.buffer).toBe(net.grads.buffer); // one arena
    l1!.w[1 * 5 + 1] = 7; // W₂[1][1]: row 1 (output 1), column 1 (input 1)
    expect(net.params[20 + 1 * 5 + 1]).toBe(7);
    // y = x·Wᵀ + b with a hand-set linear layer.
    const lin = new Mlp({ sizes: [2, 2], activations: ['linear'] }, { rng: new Rng(1), maxBatch: 1 });
    lin.params.set([1, 2, 3, 4, 10, 20]); // W = [[1, 2], [3, 4]], b = [10, 20]
    expect(Array.from(lin.forward(Float32Array.of(1, 1), 1))).toEqual([13, 27]);
  });

  it('initialises ReLU layers with He normal and tanh/linear layers with Glorot uniform; biases zero', () => {
    const net = new Mlp({ sizes: [200, 300, 100], activations: ['relu', 'tanh'] }, { rng: new Rng(7), maxBatch: 1, outputGain: 0.5 });
    const [he, glorot] = net.layers;
    const std = (w: Float32Array) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std(he!.w) / Math.sqrt(2 / 200)).toBeCloseTo(1, 1);
    const limit = 0.5 * Math.sqrt(6 / 400);
    expect(Math.max(...glorot!.w.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(std(glorot!.w) / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);
    expect(he!.b.every((v) => v === 0) && glorot!.b.every((v) => v === 0)).toBe(true);
  });

  it('copyFrom (hard update) and polyak (soft update)', () => {
    const spec: MlpSpec = { sizes: [4, 6, 3], activations: ['tanh', 'linear'] };
    const a = new Mlp(spec, { rng: new Rng(1), maxBatch: 2 });
    const b = new Mlp(spec, { rng: new Rng(2), maxBatch: 2 });
    const b0 = Float32Array.from(b.params);
    b.polyak(a, 0.1);
    for (let i = 0; i < b.params.length; i++) expect(b.params[i]).toBeCloseTo(0.9 * b0[i]! + 0.1 * a.params[i]!, 6);
    b.copyFrom(a);
    expect(Array.from(bits(b.params))).toEqual(Array.from(bits(a.params)));
    const x = Float32Array.of(0.1, -0.2, 0.3, 0.4);
    expect(Array.from(b.forward(x, 1).subarray(0, 3))).toEqual(Array.from(a.forward(x, 1).subarray(0, 3)));
    const other = new Mlp({ sizes: [4, 5, 3], activations: ['tanh', 'linear'] }, { rng: new Rng(1), maxBatch: 2 });
    expect(() => b.copyFrom(other)).toThrow(/differ in shape/);
    other.loadParams(Array.from({ length: other.params.length }, (_, i) => i));
    expect(other.layers[1]!.b[2]).toBe(4 * 5 + 5 + 3 * 5 + 2);
    expect(() => other.loadParams([1, 2])).toThrow(/parameters/);
    expect(() => b.polyak(a, 1.5)).toThrow(/tau/);
  });

  it('checks its arguments', () => {
    const rng = new Rng(1);
    expect(() => new Mlp({ sizes: [3], activations: [] }, { rng, maxBatch: 1 })).toThrow(/at least/);
    expect(() => new Mlp({ sizes: [3, 2], activations: [] }, { rng, maxBatch: 1 })).toThrow(/activations/);
    expect(() => new Mlp({ sizes: [3, 0], activations: ['relu'] }, { rng, maxBatch: 1 })).toThrow(/positive/);
    const net = new Mlp({ sizes: [3, 2], activations: ['relu'] }, { rng, maxBatch: 2 });
    expect(() => net.backward()).toThrow(/forward pass first/);
    expect(() => net.forward(new Float32Array(9), 3)).toThrow(/batch/);
    expect(() => net.forward(new Float32Array(5), 2)).toThrow(/need 6 floats/);
    net.input.set([1, 2, 3]);
    expect(net.forward(net.input, 1)[0]).toBe(Math.max(0, net.forward(Float32Array.of(1, 2, 3), 1)[0]!));
  });
});

describe('determinism', () => {
  const run = (seed: number) => {
    const spec: MlpSpec = { sizes: [IN, 32, 32, NA], activations: ['relu', 'tanh', 'linear'] };
    const { online, target, update } = dqnSetup(seed, spec);
    for (let k = 0; k < 25; k++) {
      update(k);
      target.polyak(online, 0.05);
    }
    return { online: Float32Array.from(online.params), target: Float32Array.from(target.params) };
  };

  it('same seed ⇒ bitwise identical weights after N updates; different seed ⇒ different', () => {
    const a = run(3), b = run(3), c = run(4);
    expect(Array.from(bits(a.online))).toEqual(Array.from(bits(b.online)));
    expect(Array.from(bits(a.target))).toEqual(Array.from(bits(b.target)));
    expect(a.online.some((v, i) => v !== c.online[i])).toBe(true);
  });
});

describe('speed (printed for comparison with torch_dqn_step.py, not asserted)', () => {
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  const rate = (fn: (k: number) => unknown, warmup: number, blocks: number, minMs: number): number[] => {
    let k = 0;
    for (; k < warmup; k++) fn(k);
    const out: number[] = [];
    for (let b = 0; b < blocks; b++) {
      const t0 = performance.now();
      let n = 0, el: number;
      do { fn(k++); n++; el = performance.now() - t0; } while (el < minMs);
      out.push((n * 1000) / el);
    }
    return out;
  };

  it('DQN update (64-128-128-100, batch 64, Huber, Adam) and batch-1 acting with the default kernels', () => {
    const { online, update, act } = dqnSetup(1);
    const updates = median(rate(update, 20, 5, 400));
    const actUs = 1e6 / median(rate(act, 200, 5, 200));
    console.log(`nn/${online.kernels.name}: ${updates.toFixed(0)} DQN updates/s, ${actUs.toFixed(1)} µs per batch-1 act ` +
      '(PyTorch on this machine: ~550–820 updates/s, ~80–130 µs per act)');
    expect(updates).toBeGreaterThan(0);
  });
});
