// Q-tables with ca=abc (or a checkpoint number past 2^53) beside a valid run: the screen took it for
// "one run, nothing else chosen" and wrote the run's first checkpoint over it, so the line naming
// ca=abc only flashed. An unread ca stays, named, and nothing is picked over it.
import { describe, expect, it } from 'vitest';
import { picksFirstCheckpoint, qtablesIdKeys } from '../../src/renderer/src/screens/qtables';
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
