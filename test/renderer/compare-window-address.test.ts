// Address values a screen reads other than as ids, named when it cannot read them (UnreadAddress),
// as an id that is no number is: Compare's window=0, window=99999999 or window=abc silently became
// 100 (the box showed 100, nothing said why).
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { COMPARE_VALUE_KEYS, finalWindowOf, finalWindowPatch } from '../../src/renderer/src/screens/compare';

const q = (s: string) => new URLSearchParams(s);

describe('Compare’s final window left out of the address', () => {
  it('Compare names a final window it does not read, and the window it uses instead', () => {
    for (const raw of ['0', '99999999', 'abc', '-5']) {
      expect(unreadIds(q(`experiments=1&window=${raw}`), {}, COMPARE_VALUE_KEYS)).toBe(
        `Left out of this address: window=${raw} (“${raw}” is not a final window: window takes a whole number of episodes from 1 to 1,000,000, such as window=50; the last 100 are used instead).`,
      );
    }
    for (const raw of ['1', '50', '1000000']) expect(unreadIds(q(`window=${raw}`), {}, COMPARE_VALUE_KEYS)).toBeNull();
  });

  it('a window that is no whole number (window=50.4) is named and the default used, as runs=1.5 is no run: it was used as 50, unsaid', () => {
    for (const raw of ['50.4', '0.5', '999999.9']) {
      expect(unreadIds(q(`experiments=1&window=${raw}`), {}, COMPARE_VALUE_KEYS)).toBe(
        `Left out of this address: window=${raw} (“${raw}” is not a final window: window takes a whole number of episodes from 1 to 1,000,000, such as window=50; the last 100 are used instead).`,
      );
      expect(finalWindowOf(q(`window=${raw}`))).toBe(100);
    }
    // What the line calls read is what the screen uses.
    expect(finalWindowOf(q('window=50'))).toBe(50);
    expect(finalWindowOf(q('window=0'))).toBe(100);
    expect(finalWindowOf(q(''))).toBe(100);
    // Typing 50 over window=50.4 writes it, so that the line goes.
    expect(finalWindowPatch('50.4', 50)).toEqual({ window: 50 });
    expect(finalWindowPatch('50', 50)).toBeNull();
  });
});
