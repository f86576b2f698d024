// Network policies (`kind: "mlp"`): the dependency-free runtime serves DQN's Q-network and PPO's
// actor with the trained agent's own greedy actions, and refuses corrupt networks naming the field.
import { describe, expect, it } from 'vitest';
import { networkLayout, type NetworkWeights } from '../../src/engine/agent';
import type { Observation } from '../../src/engine/env';
import { ValidationError } from '../../src/engine/params';
import { parsePolicy } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { Rng } from '../../src/engine/rng';
import { Mlp, parameterCount, simdKernels, type Activation } from '../../src/engine/nn';
import { checkpointEpisodes, prepareRun, train, type RunSpec } from '../../src/engine/train';
import { expectNetworkAction, loadError } from '../helpers/policy';

const provenance = { runId: 1, agent: 'dqn', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-11-28T00:00:00Z' };

/** A policy file around a network, as src/main/policies.ts writes one. */
function mlpPolicy(w: NetworkWeights, actions: number, extra: Record<string, unknown> = {}) {
  const layout = networkLayout(w);
  return {
    format: 'aisle.policy/v1',
    kind: 'mlp',
    env: { id: 'seed-toy', params: {}, hash: 'cd' },
    actions: Array.from({ length: actions }, (_, a) => `a${a}`),
    network: { layers: layout.layers.map((l) => ({ ...l })), weights: Array.from(w.params), encoding: { ...layout.encoding }, output: layout.output },
    provenance,
    ...extra,
  };
}

/** Trains a run in-process and returns the agent, its final weights and some observations it met. */
function trained(spec: RunSpec, observations = 300) {
  const prepared = prepareRun(spec);
  const result = train(spec, {}, prepared);
  expect(result.status).toBe('completed');
  const { env } = prepared;
  const seen: Observation[] = [];
  const rng = new Rng(99, 0);
  let obs = env.reset(1234);
  while (seen.length < observations) {
    seen.push(typeof obs === 'number' ? obs : obs.slice());
    const r = env.step(rng.int(env.actionSpace.n));
    obs = r.terminated || r.truncated ? env.reset() : r.observation;
  }
  return { agent: prepared.agent, weights: result.weights!, actions: env.actionSpace.n, seen };
}

function expectClose(actual: readonly number[], expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]!))));
}

describe('mlp policies served by the runtime', () => {
  it('DQN on seed-toy (one-hot): act(state) is the agent\'s greedy action in every state, values its Q', () => {
    const spec: RunSpec = { env: { id: 'seed-toy', states: 30, actions: 6, stepsPerEpisode: 50 }, agent: { id: 'dqn', hidden: [16, 16], learningStarts: 100, batchSize: 16 }, episodes: 40, seed: 3 };
    const { agent, weights, actions } = trained(spec, 0);
    expect(weights.output).toBe('q');
    expect(weights.encoding).toEqual({ kind: 'one-hot', n: 30 });
    const policy = loadPolicy(JSON.stringify(mlpPolicy(weights, actions)));
    expect(policy.kind).toBe('mlp');
    const table = agent.values!();
    for (let s = 0; s < 30; s++) {
      expectNetworkAction(policy.act(s), policy.values(s), agent.greedyAction(s), `state ${s}`);
      expectClose(policy.values(s), table.q.subarray(s * actions, (s + 1) * actions));
    }
    expect(new Set(Array.from({ length: 30 }, (_, s) => policy.act(s))).size).toBeGreaterThan(1); // not a constant policy
  });

  it('DQN on the shop\'s feature vectors: act(vector) is the agent\'s greedy action on many observations', () => {
    const spec: RunSpec = { env: { id: 'shop', observation: 'vector' }, agent: { id: 'dqn', hidden: [32], learningStarts: 64, batchSize: 32 }, episodes: 15, seed: 2 };
    const { agent, weights, actions, seen } = trained(spec);
    expect(weights.encoding.kind).toBe('vector');
    const policy = loadPolicy(mlpPolicy(weights, actions));
    for (const obs of seen) {
      const greedy = agent.greedyAction(obs);
      const vector = obs as Float32Array;
      expectNetworkAction(policy.act(Array.from(vector)), policy.values(vector), greedy, `observation ${vector.join(', ')}`);
      expect(policy.act(vector)).toBe(policy.act(Array.from(vector)));
    }
    expect(new Set(seen.map((o) => policy.act(o as Float32Array))).size).toBeGreaterThan(1);
  });

  it('PPO (actor logits, tanh layers): act is the argmax of the logits, on one-hot states and on vectors', () => {
    const toy: RunSpec = { env: { id: 'seed-toy', states: 12, actions: 4, stepsPerEpisode: 64 }, agent: { id: 'ppo', hidden: [16], nSteps: 128, batchSize: 32 }, episodes: 20, seed: 5 };
    const a = trained(toy, 0);
    expect(a.weights.output).toBe('logits');
    expect(a.weights.spec.activations).toEqual(['tanh', 'linear']);
    const p1 = loadPolicy(mlpPolicy(a.weights, a.actions));
    for (let s = 0; s < 12; s++) expectNetworkAction(p1.act(s), p1.values(s), a.agent.greedyAction(s), `state ${s}`);

    const shop: RunSpec = { env: { id: 'shop', observation: 'vector' }, agent: { id: 'ppo', hidden: [32, 32], nSteps: 128, batchSize: 32 }, episodes: 15, seed: 1 };
    const b = trained(shop);
    const p2 = loadPolicy(mlpPolicy(b.weights, b.actions));
    for (const obs of b.seen) expectNetworkAction(p2.act(obs as Float32Array), p2.values(obs as Float32Array), b.agent.greedyAction(obs), 'shop observation');
  });

  it('computes activation(W·x + b) per layer in PyTorch\'s layout, by state index, label or feature vector', () => {
    // 2 inputs → 2 hidden (relu) → 3 outputs: W1 = [[1, 0], [0, −1]], b1 = [0, 1]; W2 = [[1, 0], [0, 1], [−1, 0]], b2 = [0, 0, 0.5].
    const params = Float32Array.of(1, 0, 0, -1, 0, 1, 1, 0, 0, 1, -1, 0, 0, 0, 0.5);
    const doc = { ...mlpPolicy({ spec: { sizes: [2, 2, 3], activations: ['relu', 'linear'] }, params, encoding: { kind: 'one-hot', n: 2 }, output: 'q' }, 3), states: ['home', 'cart'] };
    const p = loadPolicy(doc);
    expect(p.states).toEqual(['home', 'cart']);
    expect(p.values('home')).toEqual([1, 1, -0.5]); // h = relu([1, 0 + 1]) = [1, 1]
    expect(p.act('home')).toBe(0); // ties go to the lowest index
    expect(p.values(1)).toEqual([0, 0, 0.5]); // h = relu([0, −1 + 1]) = [0, 0]
    expect(p.actLabel('cart')).toBe('a2');
    expect(p.values([2, -3])).toEqual([2, 4, -1.5]); // the encoded features themselves
    expect(() => p.act(2)).toThrow(/out of range/);
    expect(() => p.act('checkout')).toThrow(/unknown state label/);
    // Positions as labels: the number 1 names state "1" (index 0) and index 1 (state "2"), and is refused.
    const positions = loadPolicy({ ...doc, states: ['1', '2'] });
    expect(positions.values('2')).toEqual([0, 0, 0.5]);
    expect(() => positions.values(1)).toThrow(/^state 1 is ambiguous: the state labelled "1" is at index 0, and the state at index 1 is labelled "2"/);
    expect(() => p.act([1, 2, 3])).toThrow(/must have 2 features, got 3/);
    expect(() => p.act([1, Number.NaN])).toThrow(/observation\[1\] must be a finite number/);
    // Finite for a double, infinite for the float32 the network computes in: refused, not served as action 0.
    expect(() => p.act([1e39, 0])).toThrow(/observation\[0\] must be a finite number within float32's range \(±3\.4e38\), got 1e\+39/);
    // Numbers sent as text (a query string's "1"): said to be text, where "got 1" read as a number refused.
    expect(() => p.act(['1', '0'] as unknown as number[])).toThrow('observation[0] must be a finite number within float32\'s range (±3.4e38), got the text "1": send numbers, not strings');
    // Within float32, but overflowing inside the network: no action is chosen (the outputs are ±Infinity or NaN).
    const wide = loadPolicy(mlpPolicy({ spec: { sizes: [2, 2], activations: ['linear'] }, params: Float32Array.of(10, 10, 1, 1, 0, 0), encoding: { kind: 'vector', size: 2 }, output: 'q' }, 2));
    expect(() => wide.act([3e38, 3e38])).toThrow(/^the network's output 0 is Infinity for this observation .*no action can be chosen$/);
    expect(wide.act([1, 2])).toBe(0);
    expect(() => p.act(null as never)).toThrow(/^this policy takes a feature vector of 2 numbers, a state index or a state label, got null$/);
    expect(() => p.act(undefined as never)).toThrow(TypeError);

    const tanh = loadPolicy(mlpPolicy({ spec: { sizes: [2, 2], activations: ['tanh'] }, params: Float32Array.of(1, 0, 0, 1, 0, 0), encoding: { kind: 'vector', size: 2 }, output: 'logits' }, 2));
    expect(tanh.values([0.5, -2])).toEqual([Math.fround(Math.tanh(0.5)), Math.fround(Math.tanh(-2))]);
    expect(tanh.states).toEqual([]);
    expect(() => tanh.act(0)).toThrow(/takes a feature vector of 2 numbers/);
  });
});

describe('the runtime\'s arithmetic', () => {
  // The agent acts with the WebAssembly SIMD kernel, one observation per forward pass: the runtime
  // must give its outputs bit for bit, or a near-tie serves another action than the agent's (the
  // float64 sums it took before differed in the last bits: 1 of 200,000 shop observations of a
  // trained DQN got another action).
  it.skipIf(simdKernels === null)('gives the SIMD kernel\'s outputs on one observation bit for bit, for widths around its groups of 4 and 8', () => {
    const rng = new Rng(7, 0);
    const activations: Activation[] = ['relu', 'tanh', 'linear'];
    for (let trial = 0; trial < 60; trial++) {
      const depth = 1 + rng.int(3);
      const sizes = Array.from({ length: depth + 1 }, () => 1 + rng.int(21));
      const acts = Array.from({ length: depth }, (_, l) => (l === depth - 1 ? 'linear' : activations[rng.int(3)]!));
      const net = new Mlp({ sizes, activations: acts }, { rng, maxBatch: 1, kernels: simdKernels! });
      for (let i = 0; i < net.params.length; i++) net.params[i] = rng.normal() * 0.7 + 0.1; // biases too, not the zeros of an untrained net
      const policy = loadPolicy(mlpPolicy({ spec: net.spec, params: net.params, encoding: { kind: 'vector', size: sizes[0]! }, output: 'q' }, sizes[depth]!));
      for (let k = 0; k < 20; k++) {
        const x = Float32Array.from({ length: sizes[0]! }, () => rng.normal() * 3);
        const agent = Array.from(net.forward(x, 1).subarray(0, sizes[depth]!));
        expect(policy.values(x), `sizes ${sizes.join('→')}, ${acts.join(', ')}`).toEqual(agent);
      }
    }
  });
});

describe('corrupt mlp policies', () => {
  const good = () => mlpPolicy({ spec: { sizes: [3, 4, 2], activations: ['relu', 'linear'] }, params: new Float32Array(3 * 4 + 4 + 4 * 2 + 2).fill(0.5), encoding: { kind: 'vector', size: 3 }, output: 'q' }, 2);
  const withNetwork = (change: (n: Record<string, unknown> & { layers: Record<string, unknown>[]; weights: unknown[] }) => void) => {
    const doc = good();
    change(doc.network as never);
    return doc;
  };

  it('serves labels nobody can change behind its back: frozen copies, not the document\'s arrays', () => {
    const doc = { ...good(), actions: ['hats', 'socks'] };
    const p = loadPolicy(doc);
    doc.actions[0] = 'gloves';
    expect(p.actLabel([1, 2, 3])).toBe('hats');
    expect(() => (p.actions as string[]).push('x')).toThrow(TypeError);
    expect(() => ((p.actions as string[])[0] = 'x')).toThrow(TypeError);
    expect(Object.isFrozen(p.features) && Object.isFrozen(p.states)).toBe(true);
  });

  it('loads the intact one', () => {
    expect(loadPolicy(good()).act([1, 2, 3])).toBe(0);
    expect(loadPolicy(good()).features).toEqual([]);
    const named = withNetwork((n) => (n.encoding = { kind: 'vector', size: 3, features: ['price', 'engagement', 'time'] }));
    expect(loadPolicy(named).features).toEqual(['price', 'engagement', 'time']);
    expect(parsePolicy(named).kind).toBe('mlp');
    expect(parsePolicy(good()).kind).toBe('mlp');
  });

  it('refuses each defect with the field named, from the runtime and from parsePolicy', () => {
    const cases: [unknown, RegExp][] = [
      [withNetwork((n) => n.weights.pop()), /^policy\.network\.weights: the layers need 26 weights, got 25$/],
      [withNetwork((n) => (n.weights[7] = Number.NaN)), /^policy\.network\.weights\[7\]: must be a finite float32, got null$/],
      [withNetwork((n) => (n.weights[3] = 1e39)), /^policy\.network\.weights\[3\]: must be a finite float32/],
      [withNetwork((n) => (n.weights[0] = '1')), /^policy\.network\.weights\[0\]: must be a finite float32, got "1"$/],
      [withNetwork((n) => (n.layers[1]!.activation = 'sigmoid')), /^policy\.network\.layers\[1\]\.activation: must be one of relu, tanh, linear, got "sigmoid"$/],
      [withNetwork((n) => (n.layers[1]!.in = 5)), /^policy\.network\.layers\[1\]\.in: must equal the previous layer's out \(4\), got 5$/],
      [withNetwork((n) => (n.layers[0]!.out = 0)), /^policy\.network\.layers\[0\]\.out: must be a whole number/],
      [withNetwork((n) => (n.layers = [])), /^policy\.network\.layers: must list 1\.\.32 layers, got 0$/],
      [withNetwork((n) => (n.encoding = { kind: 'vector', size: 4 })), /^policy\.network\.encoding\.size: must equal the first layer's in \(3\), got 4$/],
      [withNetwork((n) => (n.encoding = { kind: 'pixels' })), /^policy\.network\.encoding: /],
      [withNetwork((n) => (n.encoding = { kind: 'vector', size: 3, features: ['a', 'b'] })), /^policy\.network\.encoding\.features: must name each of the 3 inputs, got 2$/],
      [withNetwork((n) => (n.encoding = { kind: 'vector', size: 3, features: ['a', 'b', 'a'] })), /^policy\.network\.encoding\.features\[2\]: label "a" repeats/],
      [withNetwork((n) => (n.encoding = { kind: 'vector', size: 3, features: ['a', '', 'c'] })), /^policy\.network\.encoding\.features\[1\]: label must not be empty/],
      [{ ...good(), actions: ['buy', 'sell\u202Eyub'] }, /^policy\.actions\[1\]: label .* must not contain control characters/],
      [withNetwork((n) => (n.output = 'probabilities')), /^policy\.network\.output: must be "q" or "logits"/],
      [{ ...good(), actions: ['a', 'b', 'c'] }, /^policy\.network\.layers\[1\]\.out: must equal the number of actions \(3\), got 2$/],
      [{ ...good(), states: ['s'] }, /^policy\.states: only a one-hot encoded policy has state labels$/],
      [{ ...good(), network: undefined }, /^policy\.network: must be an object/],
      [withNetwork((n) => (n.layers[0]!.bias = false)), /^policy\.network\.layers\[0\]\.bias: a layer has no field "bias" \(its fields: in, out, activation\): remove it or correct its name$/],
      [withNetwork((n) => (n.encoding = { kind: 'vector', size: 3, scale: 2 })), /^policy\.network\.encoding\.scale: a vector encoding has no field "scale"/],
      [{ ...good(), comment: 'v2' }, /^policy\.comment: an mlp policy has no field "comment"/],
      [{ ...good(), kind: 'forest' }, /^policy\.kind: must be "tabular", "context-free" or "mlp", got "forest"$/],
    ];
    for (const [doc, message] of cases) {
      // Through JSON text, as a file arrives (NaN becomes null there).
      expect(loadError(JSON.stringify(doc)), String(message)).toMatch(message);
      expect(() => parsePolicy(JSON.parse(JSON.stringify(doc))), String(message)).toThrow(ValidationError);
    }
  });

  it('refuses a huge declared network before walking its weights', () => {
    const huge = withNetwork((n) => {
      n.layers = [{ in: 100_000, out: 1_000, activation: 'relu' }, { in: 1_000, out: 2, activation: 'linear' }];
      n.encoding = { kind: 'vector', size: 100_000 };
    });
    expect(loadError(huge)).toMatch(/^policy\.network\.layers: more than 16,777,216 weights \(2\^24\), the most the runtime serves: train a smaller network$/);
    const deep = withNetwork((n) => (n.layers = Array.from({ length: 40 }, () => ({ in: 3, out: 3, activation: 'relu' }))));
    expect(loadError(deep)).toMatch(/^policy\.network\.layers: must list 1\.\.32 layers, got 40$/);
  });

  it('rejects unknown fields and __proto__ keys in the network without polluting prototypes', () => {
    const text = JSON.stringify(good()).replace('"output"', '"__proto__":{"polluted":true},"output"');
    const hostile: unknown = JSON.parse(text);
    expect(() => loadPolicy(hostile)).toThrow('policy.network.__proto__: a network has no field "__proto__" (its fields: layers, weights, encoding, output): remove it or correct its name');
    try {
      parsePolicy(hostile);
      throw new Error('expected a ValidationError');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).problems.join('\n')).toMatch(/policy\.network/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('train() and network weights', () => {
  it('reports a network agent\'s weights at the checkpoint episodes and returns a copy of the final ones', () => {
    const spec: RunSpec = { env: { id: 'seed-toy', states: 5, actions: 3, stepsPerEpisode: 20 }, agent: { id: 'dqn', hidden: [8], learningStarts: 10, batchSize: 8 }, episodes: 20, seed: 1, checkpoints: 3 };
    const prepared = prepareRun(spec);
    const seen: number[] = [];
    const tables: number[] = [];
    const result = train(spec, {
      onWeights: (episode, w) => {
        seen.push(episode);
        expect(w.params.length).toBe(parameterCount(w.spec.sizes));
      },
      onCheckpoint: (episode) => void tables.push(episode),
    }, prepared);
    expect(seen).toEqual(checkpointEpisodes(20, 3));
    expect(tables).toEqual(seen); // DQN on discrete states keeps a Q-table view too
    const live = prepared.agent.weights!();
    expect(result.weights!.params).not.toBe(live.params);
    expect(Array.from(result.weights!.params)).toEqual(Array.from(live.params));

    const onlyWeights: number[] = [];
    train(spec, { onWeights: (e) => void onlyWeights.push(e) });
    expect(onlyWeights).toEqual(seen);
  });

  it('a tabular agent reports no weights', () => {
    const spec: RunSpec = { env: { id: 'seed-toy', states: 5, actions: 3, stepsPerEpisode: 20 }, agent: { id: 'q-learning' }, episodes: 10, seed: 1, checkpoints: 2 };
    let called = false;
    const result = train(spec, { onWeights: () => void (called = true) });
    expect(called).toBe(false);
    expect(result.weights).toBeUndefined();
  });
});
