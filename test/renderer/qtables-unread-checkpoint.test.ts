// Q-tables with ca=abc (or a checkpoint number past 2^53) beside a valid run: the screen took it for
// "one run, nothing else chosen" and wrote the run's first checkpoint over it, so the line naming
// ca=abc only flashed. An unread ca stays, named, and nothing is picked over it.
import { describe, expect, it } from 'vitest';
import { picksFirstCheckpoint } from '../../src/renderer/src/screens/qtables';
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
});
