import { describe, expect, it } from 'vitest';
import { withMember, withMembers } from '../../src/renderer/src/sets';

describe('withMember', () => {
  it('adds and removes without touching the set it was given', () => {
    const set: ReadonlySet<number> = new Set([1, 2]);
    expect([...withMember(set, 3, true)]).toEqual([1, 2, 3]);
    expect([...withMember(set, 1, false)]).toEqual([2]);
    expect([...set]).toEqual([1, 2]);
  });

  it('gives back the same set when nothing changes, so a state update re-renders nothing', () => {
    const set: ReadonlySet<string> = new Set(['a']);
    expect(withMember(set, 'a', true)).toBe(set);
    expect(withMember(set, 'b', false)).toBe(set);
  });
});

describe('withMembers', () => {
  it('adds or removes several at once, the given set untouched, and gives it back when nothing changes', () => {
    const set: ReadonlySet<number> = new Set([1, 2]);
    expect([...withMembers(set, [3, 4, 1], true)]).toEqual([1, 2, 3, 4]);
    expect([...withMembers(set, [1, 5, 2], false)]).toEqual([]);
    expect([...set]).toEqual([1, 2]);
    expect(withMembers(set, [1, 2], true)).toBe(set);
    expect(withMembers(set, [7, 8], false)).toBe(set);
  });
});
