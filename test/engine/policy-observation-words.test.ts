// A network policy on feature vectors whose file names its features (as every shop export does):
// a wrong observation is refused naming the feature, not only its position, and an object of named
// features is told to be an array in the file's order.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { tabularPolicy } from '../helpers/policy';

/** 3 named inputs → 2 actions, one linear layer: W = [[1, 0, 0], [0, 1, 1]], b = [0, 0]. */
function namedVectorPolicy() {
  return {
    format: 'aisle.policy/v1',
    kind: 'mlp',
    env: { id: 'shop', params: {}, hash: 'cd' },
    actions: ['c0', 'c1'],
    network: {
      layers: [{ in: 3, out: 2, activation: 'linear' }],
      weights: [1, 0, 0, 0, 1, 1, 0, 0],
      encoding: { kind: 'vector', size: 3, features: ['engagement', 'fatigue', 'time'] },
      output: 'q',
    },
    provenance: { runId: 1, agent: 'dqn', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-12-07T00:00:00Z' },
  };
}

describe('refusing an observation of a policy whose features are named', () => {
  const p = loadPolicy(namedVectorPolicy());

  it('serves a right one', () => {
    expect(p.features).toEqual(['engagement', 'fatigue', 'time']);
    expect(p.act([0.9, 0.1, 0.2])).toBe(0);
    expect(p.act([0.1, 0.5, 0.2])).toBe(1);
  });

  it('names the feature of a value that is not a finite number', () => {
    expect(() => p.act([0.5, Number.NaN, 0.2])).toThrow('observation[1] ("fatigue") must be a finite number within float32\'s range (±3.4e38), got NaN');
    expect(() => p.act([0.5, 0.1, null] as unknown as number[])).toThrow('observation[2] ("time") must be a finite number within float32\'s range (±3.4e38), got null');
    expect(() => p.act(['0.5', 0.1, 0.2] as unknown as number[])).toThrow('observation[0] ("engagement") must be a finite number within float32\'s range (±3.4e38), got the text "0.5": send numbers, not strings');
  });

  it('says which features, in which order, when the length is wrong or a state is given', () => {
    expect(() => p.act([0.5, 0.1])).toThrow('the observation must have 3 features, got 2 (policy.features, in order: "engagement", "fatigue", "time")');
    expect(() => p.act(2)).toThrow('this policy takes a feature vector of 3 numbers (policy.features, in order: "engagement", "fatigue", "time"), not a state');
  });

  it('tells an object of named features to be an array in that order', () => {
    expect(() => p.act({ engagement: 0.5, fatigue: 0.1, time: 0.2 } as never)).toThrow(
      'this policy takes a feature vector, an array of 3 numbers (policy.features, in order: "engagement", "fatigue", "time"), got an object without a length: put its values in an array in that order',
    );
    expect(() => p.act({} as never)).toThrow(/^this policy takes a feature vector, an array of 3 numbers \(policy\.features, in order: .*\), got an object without a length$/);
  });

  it('shows the first five names of a long list', () => {
    const names = Array.from({ length: 7 }, (_, i) => `f${i}`);
    const doc = namedVectorPolicy();
    const wide = loadPolicy({ ...doc, network: { ...doc.network, layers: [{ in: 7, out: 2, activation: 'linear' }], weights: new Array(16).fill(0), encoding: { kind: 'vector', size: 7, features: names } } });
    expect(() => wide.act([0])).toThrow('the observation must have 7 features, got 1 (policy.features, in order: "f0", "f1", "f2", "f3", "f4", …)');
  });
});

describe('the range of the features a policy was trained on (encoding low and high)', () => {
  const doc = namedVectorPolicy();
  const ranged = (extra: Record<string, unknown>) => ({ ...doc, network: { ...doc.network, encoding: { ...doc.network.encoding, ...extra } } });
  const p = loadPolicy(ranged({ low: 0, high: 1 }));

  it('serves features within it, the bounds included', () => {
    expect(p.act([1, 0, 0])).toBe(0);
    expect(p.act([0, 1, 1])).toBe(1);
  });

  it('refuses a feature outside it, naming the feature and the range', () => {
    expect(() => p.act([70, 0.1, 0.2])).toThrow(
      'observation[0] ("engagement") must be within [0, 1], the range of the features the policy was trained on (policy.network.encoding\'s low and high), got 70: send it on the scale the environment gives it',
    );
    expect(() => p.values([0.5, -0.25, 0.2])).toThrow(/^observation\[1\] \("fatigue"\) must be within \[0, 1\]/);
    expect(() => p.trained([0.5, 0.1, 1.5])).toThrow(/^observation\[2\] \("time"\) must be within \[0, 1\]/);
    // Without a range (a file written before it), any finite value is served as before.
    expect(loadPolicy(doc).act([70, 0.1, 0.2])).toBe(0);
  });

  it('refuses a range that is not one, from the runtime and from parsePolicy', () => {
    expect(() => loadPolicy(ranged({ low: 1, high: 0 }))).toThrow('policy.network.encoding.low: must not exceed high (0), got 1');
    expect(() => loadPolicy(ranged({ high: '1' }))).toThrow('policy.network.encoding.high: must be a finite number, or be left out, got "1"');
    expect(() => parsePolicy(ranged({ low: Number.NEGATIVE_INFINITY }))).toThrow(/policy\.network\.encoding\.low: must be a finite number, or be left out/);
    const oneHot = { ...doc, states: ['a', 'b', 'c'], network: { ...doc.network, encoding: { kind: 'one-hot', n: 3, low: 0 } } };
    expect(() => loadPolicy(oneHot)).toThrow(/^policy\.network\.encoding\.low: a one-hot encoding has no field "low"/);
    expect(parsePolicy(ranged({ low: 0, high: 1 }))).toMatchObject({ network: { encoding: { low: 0, high: 1 } } });
  });
});

describe('refusing a state a tabular policy cannot take', () => {
  const p = loadPolicy(tabularPolicy());

  it('says a number that is not a whole number is no state index, not that it is out of range', () => {
    for (const state of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => p.act(state)).toThrow(`state ${state} is not a state index: give a whole number in 0..1, or a state label (a string)`);
    }
    expect(() => p.act(2)).toThrow('state 2 is out of range: the policy has 2 states (0..1)');
    expect(() => p.act(-1)).toThrow('state -1 is out of range: the policy has 2 states (0..1)');
  });

  it('says an index sent as text is read as a label, naming the number to send', () => {
    expect(() => p.act('1')).toThrow('unknown state label "1": a string is always a state\'s label; for the state at index 1 (labelled "cart"), pass the number 1');
    expect(() => p.act('7')).toThrow(/^unknown state label "7"$/);
    expect(() => p.act('checkout')).toThrow(/^unknown state label "checkout"$/);
    expect(p.act(1)).toBe(0);
  });
});
