// States training never updated: the runtime's trained() (what a service can ask), and the count an
// export reports (neverUpdated: the Q-tables screen's test, terminal states left out).
import { describe, expect, it } from 'vitest';
import { neverUpdated, neverUpdatedNote, parsePolicy } from '../../src/engine/policy/format';
import { ValidationError } from '../../src/engine/params';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { contextFreePolicy, tabularPolicy } from '../helpers/policy';

describe('trained()', () => {
  it('is false in a tabular state whose actions all hold one value, where act() serves the first action', () => {
    // A file written before trained() existed: nothing in it says which states were updated, the Q-table does.
    const p = loadPolicy(tabularPolicy({ states: ['home', 'cart', 'checkout'], q: [[0, 2, 1], [0, 0, 0], [-3, -3, -3]], greedy: [1, 0, 0] }));
    expect([0, 1, 2].map((s) => p.trained(s))).toEqual([true, false, false]);
    expect(p.trained('cart')).toBe(false);
    expect(p.act('cart')).toBe(0); // the tie-break trained() warns of
    expect(() => p.trained(3)).toThrow(/out of range/);
  });

  it("reads the file's `updated` where it has one: a state of one action can read trained; a file without it reads as before", () => {
    // One action: every row holds one value, so the Q-table alone says "never updated" everywhere.
    const single = { states: ['home', 'cart', 'checkout'], actions: ['shoes'], q: [[0.75], [0], [0]], greedy: [0, 0, 0] };
    expect([0, 1, 2].map((s) => loadPolicy(tabularPolicy(single)).trained(s))).toEqual([false, false, false]); // a file without it, as before
    // A file that says state 1 was updated (back onto 0, say) and state 2 never: its word is taken.
    const withUpdated = loadPolicy(tabularPolicy({ ...single, updated: [true, true, false] }));
    expect([0, 1, 2].map((s) => withUpdated.trained(s))).toEqual([true, true, false]);
    expect(withUpdated.trained('checkout')).toBe(false);
    // More actions: the file's word over the row's (an update can tie a row again).
    const tied = loadPolicy(tabularPolicy({ q: [[0, 2, 1], [1, 1, 1]], updated: [true, true] }));
    expect(tied.trained('cart')).toBe(true);
    expect(parsePolicy(tabularPolicy({ ...single, updated: [true, true, false] }))).toMatchObject({ updated: [true, true, false] });
  });

  it('refuses an `updated` of the wrong length or with other than true and false, naming the field', () => {
    expect(() => loadPolicy(tabularPolicy({ updated: [true] }))).toThrow('policy.updated: must have one true or false per state (2), or be left out, got 1');
    expect(() => loadPolicy(tabularPolicy({ updated: [true, 1] }))).toThrow('policy.updated[1]: must be true or false, got 1');
    expect(() => loadPolicy(tabularPolicy({ updated: 'yes' }))).toThrow('policy.updated: must have one true or false per state (2), or be left out, got "yes"');
    expect(() => parsePolicy(tabularPolicy({ updated: [true, null] }))).toThrow(ValidationError);
  });

  it('is false for a context-free policy whose values are all equal, whatever the observation', () => {
    expect(loadPolicy(contextFreePolicy()).trained([0.5, 1])).toBe(true);
    const flat = loadPolicy(contextFreePolicy({ values: [0.5, 0.5, 0.5], greedy: 0 }));
    expect(flat.trained(7)).toBe(false);
    expect(() => flat.trained(-1)).toThrow(/not a state index/);
  });
});

describe('neverUpdated', () => {
  const q = [[0, 0], [1, 0], [0, 0], [2, 2], [0, 0.5]];

  it('counts the flat rows that are not terminal, and the terminal states apart', () => {
    expect(neverUpdated({ q })).toEqual({ states: 3, of: 5, terminal: 0 });
    // State 2 is terminal: not counted, and not among the states it is counted of.
    expect(neverUpdated({ q }, Uint8Array.from([0, 0, 1, 0, 0]))).toEqual({ states: 2, of: 4, terminal: 1 });
  });

  it('counts a state of one action as updated when its value has left the initial one', () => {
    // One action: every row holds one value, so "all its actions at one value" says nothing.
    const single = [[0], [0.75], [-1], [0]];
    expect(neverUpdated({ q: single }, undefined, 0)).toEqual({ states: 2, of: 4, terminal: 0 });
    expect(neverUpdated({ q: single }, Uint8Array.from([0, 0, 0, 1]), 0)).toEqual({ states: 1, of: 3, terminal: 1 });
    expect(neverUpdated({ q: single }, undefined, -1)).toEqual({ states: 1, of: 4, terminal: 0 });
    // The initial value unknown: none is said to be never updated.
    expect(neverUpdated({ q: single })).toEqual({ states: 0, of: 4, terminal: 0 });
    // More actions: the initial value changes nothing (a row of one value is a tie-break however it came).
    expect(neverUpdated({ q }, undefined, 0)).toEqual(neverUpdated({ q }));
  });

  it("counts by the file's `updated` where it has one, the terminal states still apart", () => {
    const updated = [true, true, false, false, true];
    expect(neverUpdated({ q, updated })).toEqual({ states: 2, of: 5, terminal: 0 });
    expect(neverUpdated({ q: [[0], [0]], updated: [true, false] }, undefined, 0)).toEqual({ states: 1, of: 2, terminal: 0 });
    expect(neverUpdated({ q, updated }, Uint8Array.from([0, 0, 1, 0, 0]))).toEqual({ states: 1, of: 4, terminal: 1 });
  });

  it('says it in one sentence only when some state counts', () => {
    expect(neverUpdatedNote({ states: 678, of: 757, terminal: 0 })).toBe('678 of 757 states have every action at one value (never reached in training, or no action came out ahead): the policy serves their first action there, a tie-break');
    expect(neverUpdatedNote({ states: 1, of: 1_200, terminal: 11 })).toBe('1 of 1,200 states has every action at one value (never reached in training, or no action came out ahead), not counting the 11 terminal states, which training never updates: the policy serves its first action there, a tie-break');
    expect(neverUpdatedNote({ states: 21, of: 90, terminal: 1 })).toBe('21 of 90 states have every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: the policy serves their first action there, a tie-break');
    expect(neverUpdatedNote({ states: 0, of: 47, terminal: 1 })).toBeUndefined();
  });
});
