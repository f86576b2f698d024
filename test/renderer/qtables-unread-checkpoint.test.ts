// Q-tables with ca=abc (or a checkpoint number past 2^53) beside a valid run: the screen took it for
// "one run, nothing else chosen" and wrote the run's first checkpoint over it, so the line naming
// ca=abc only flashed. An unread ca stays, named, and nothing is picked over it.
import { describe, expect, it } from 'vitest';
import { checkpointRead, picksFirstCheckpoint, qtablesIdKeys } from '../../src/renderer/src/screens/qtables';
import { unreadIds } from '../../src/renderer/src/url-state';

const q = (s: string) => new URLSearchParams(s);

describe('Q-tables keeps a checkpoint it does not read in the address', () => {
  it('picks no first checkpoint over an unread ca, which stays named', () => {
    for (const raw of ['abc', '99999999999999999999', '0', '-3']) {
      expect(picksFirstCheckpoint(q(`a=1&ca=${raw}`))).toBe(false);
      expect(unreadIds(q(`a=1&ca=${raw}`), { ca: { noun: 'checkpoint' } })).toContain(`ca=${raw}`);
    }
  });

  it('picks the first checkpoint for one run and nothing else chosen, as before', () => {
    expect(picksFirstCheckpoint(q('a=1'))).toBe(true);
    expect(picksFirstCheckpoint(q('a=1&ca='))).toBe(true);
    // An unread b or cb is not written over by ca: it stays named as it was.
    expect(picksFirstCheckpoint(q('a=1&cb=abc'))).toBe(true);
    for (const s of ['', 'a=abc', 'a=1&ca=2', 'a=1&b=2', 'a=1&cb=3']) expect(picksFirstCheckpoint(q(s))).toBe(false);
  });

  it('says what each side shows in place of what it does not read: a checkpoint left out is its run’s final table', () => {
    const line = (s: string) => unreadIds(q(s), qtablesIdKeys(q(s)));
    expect(line('a=1&ca=abc')).toBe("Left out of this address: ca=abc (“abc” is not a checkpoint number: ca takes a whole number such as ca=12; A shows run 1's final table instead).");
    expect(line('a=1&ca=99999999999999999999')).toBe("Left out of this address: ca=99999999999999999999 (there is no checkpoint 99999999999999999999; A shows run 1's final table instead).");
    expect(line('a=1&b=2&cb=0')).toBe("Left out of this address: cb=0 (“0” is not a checkpoint number: cb takes a whole number such as cb=12; B shows run 2's final table instead).");
    // B left out of the address is A's run (as with no b), its checkpoint too.
    expect(line('a=1&b=abc&cb=-3')).toBe(
      "Left out of this address: b=abc (“abc” is not a run number: b takes a whole number such as b=12; B shows run 1 (A's) instead); cb=-3 (“-3” is not a checkpoint number: cb takes a whole number such as cb=12; B shows run 1's final table instead).",
    );
    // With no run A, no side shows anything in their place: the line names them only.
    expect(line('a=abc&ca=x')).toBe(
      'Left out of this address: a=abc (“abc” is not a run number: a takes a whole number such as a=12); ca=x (“x” is not a checkpoint number: ca takes a whole number such as ca=12).',
    );
    expect(line('a=1&b=2&ca=3&cb=4')).toBeNull();
  });
});

// ca=5 with no run A (cb=5 with no run on either side) was dropped unsaid: the screen asked to pick run A.
describe('Q-tables names a checkpoint with no run to take it of', () => {
  const line = (s: string) => unreadIds(q(s), qtablesIdKeys(q(s)));
  it('says the side has no run, and what to do', () => {
    expect(line('ca=5')).toBe('Left out of this address: ca=5 (A has no run to take a checkpoint of: pick run A first).');
    expect(line('ca=5&cb=6')).toBe('Left out of this address: ca=5 (A has no run to take a checkpoint of: pick run A first); cb=6 (B has no run to take a checkpoint of: pick run B first).');
    // B's run without A's: B's checkpoint is read, A's is not.
    expect(line('b=2&ca=5&cb=6')).toBe('Left out of this address: ca=5 (A has no run to take a checkpoint of: pick run A first).');
  });
});

// ca=9999 (no checkpoint of run A's, or another run's) was read at once: the read answered 404, a
// failed request in the browser's console, and A showed only the error. It is read only once known
// to be one of the run's; otherwise named in the address line, A showing the run's final table.
describe('Q-tables reads a checkpoint of the address only once it is known to be its run’s', () => {
  const list = (...ids: number[]) => ids.map((id) => ({ id }));
  it('reads a known checkpoint, and the final table in place of an unknown one, naming it', () => {
    expect(checkpointRead(4, [list(3, 4, 5)], false, false)).toEqual({ checkpointId: 4, wait: false, needsDetail: false, unknown: false, known: [3, 4, 5] });
    // The lists of a table read and of the run's details are one run's: either may know it.
    expect(checkpointRead(6, [list(3, 4, 5), list(3, 4, 5, 6)], false, false)).toMatchObject({ checkpointId: 6, unknown: false });
    const unknown = checkpointRead(9999, [list(3, 4, 5)], false, false);
    expect(unknown).toEqual({ wait: false, needsDetail: false, unknown: true, known: [3, 4, 5] });
    expect(unknown.checkpointId).toBeUndefined(); // the final table is read
    // No checkpoint asked: the final table, nothing to wait for.
    expect(checkpointRead(undefined, [], false, false)).toEqual({ wait: false, needsDetail: false, unknown: false });
  });

  it('with no list yet, waits: for the other side’s read of the same run’s final table, or for the run’s details; read all the same when those failed', () => {
    expect(checkpointRead(4, [], true, false)).toEqual({ wait: true, needsDetail: false, unknown: false });
    expect(checkpointRead(4, [], false, false)).toEqual({ wait: true, needsDetail: true, unknown: false });
    expect(checkpointRead(4, [], false, true)).toMatchObject({ checkpointId: 4, wait: false, unknown: false });
  });

  it('the address line names the unknown checkpoint, its run, and what the side shows instead', () => {
    const line = (s: string, known: { A?: number[]; B?: number[] }) => unreadIds(q(s), qtablesIdKeys(q(s), known));
    expect(line('a=1&ca=9999', { A: [3, 4, 5] })).toBe("Left out of this address: ca=9999 (there is no checkpoint 9999 of run 1; A shows run 1's final table instead).");
    expect(line('a=1&b=2&ca=3&cb=4', { A: [3], B: [4, 5] })).toBeNull();
    expect(line('a=1&b=2&cb=3', { A: [3], B: [4, 5] })).toBe("Left out of this address: cb=3 (there is no checkpoint 3 of run 2; B shows run 2's final table instead).");
    // Not yet known: nothing said, nothing read.
    expect(line('a=1&ca=9999', {})).toBeNull();
  });
});
