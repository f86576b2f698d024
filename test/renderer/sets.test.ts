import { describe, expect, it } from 'vitest';
import { withMember } from '../../src/renderer/src/sets';

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
