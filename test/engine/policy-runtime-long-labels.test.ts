// The policy runtime quotes a file's own labels (its states, its features) in the refusals of
// act(): each through quote(), escaped and cut after 60 characters, where the ambiguous state's,
// the unknown label's and the features' refusals quoted them whole (a label of 5,000 characters, a
// message of 10,000). The file's labels cannot hold control characters (the runtime refuses them
// at load, quoted escaped); what the caller sends (ESC[31m, U+202E, a line break, 5,000
// characters) is quoted as the labels are.
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { tabularPolicy } from '../helpers/policy';

const LONG = 'x'.repeat(5_000);
/** A label naming the number 1 (Number reads it so), 5,000 characters long. */
const LONG_ONE = `${'0'.repeat(4_999)}1`;
const HOSTILE = ['a\u001b[31mred', 'a\u202Eb', 'two\nlines', LONG];

/** The message `f` throws: no raw control character, nothing near the 5,000 characters. */
function refusal(f: () => unknown): string {
  let said = '';
  try {
    f();
  } catch (e) {
    said = (e as Error).message;
  }
  expect(said).not.toBe('');
  expect(said).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
  expect(said.length).toBeLessThan(500);
  return said;
}

describe("a policy's long labels in act()'s refusals", () => {
  it('the ambiguous state, both labels cut', () => {
    const p = loadPolicy(tabularPolicy({ states: [LONG_ONE, LONG] }));
    expect(refusal(() => p.act(1))).toMatch(/^state 1 is ambiguous: the state labelled "0{59}… is at index 0, and the state at index 1 is labelled "x{59}…: /);
  });

  it('a number out of range that a label names', () => {
    const p = loadPolicy(tabularPolicy({ states: [`${'0'.repeat(4_999)}2`, 'b'] }));
    expect(refusal(() => p.act(2))).toMatch(/^state 2 is out of range: the policy has 2 states \(0\.\.1\); the state labelled "0{59}…/);
  });

  it('an index sent as text, the label at that index cut', () => {
    const p = loadPolicy(tabularPolicy({ states: ['a', LONG] }));
    expect(refusal(() => p.act('1'))).toMatch(/^unknown state label "1": a string is always a state's label; for the state at index 1 \(labelled "x{59}…\), pass the number 1$/);
  });

  it('the feature named in a refused value, and the features listed', () => {
    const long = (c: string) => c.repeat(5_000);
    const p = loadPolicy({
      format: 'aisle.policy/v1',
      kind: 'mlp',
      env: { id: 'shop', params: {}, hash: 'cd' },
      actions: ['c0', 'c1'],
      network: { layers: [{ in: 3, out: 2, activation: 'linear' }], weights: [1, 0, 0, 0, 1, 1, 0, 0], encoding: { kind: 'vector', size: 3, features: [long('e'), long('f'), long('t')] }, output: 'q' },
    });
    expect(refusal(() => p.act([0.5, Number.NaN, 0.2]))).toMatch(/^observation\[1\] \("f{59}…\) must be a finite number/);
    expect(refusal(() => p.act([0.5, 0.1]))).toMatch(/^the observation must have 3 features, got 2 \(policy\.features, in order: "e{59}…, "f{59}…, "t{59}…\)$/);
  });

  it.each(HOSTILE.map((t) => [JSON.stringify(t.slice(0, 12)), t]))('a label %s the caller sends, with a long label beside it', (_shown, text) => {
    const p = loadPolicy(tabularPolicy({ states: ['a', 'y'.repeat(5_000)] }));
    refusal(() => p.act(text));
  });

  it.each(HOSTILE.slice(0, 3).map((t) => [JSON.stringify(t), t]))("a label %s in the file is refused at load, quoted escaped", (_shown, text) => {
    refusal(() => loadPolicy(tabularPolicy({ states: [text, 'b'] })));
  });
});
