// Compare with window=0 in the address (named: the last 100 are used instead): typing 100, the
// default, in the Final window box wrote nothing (100 was the window in use), so the line naming
// window=0 stayed. Typing any valid window now writes it, or drops the key for the default.
import { describe, expect, it } from 'vitest';
import { finalWindowPatch } from '../../src/renderer/src/screens/compare';

describe('typing a final window over one the address does not read', () => {
  it('writes the default (the key dropped) over a window the address does not read', () => {
    for (const raw of ['0', 'abc', '-5', '99999999']) {
      expect(finalWindowPatch(raw, 100)).toEqual({ window: null });
      expect(finalWindowPatch(raw, 50)).toEqual({ window: 50 });
    }
  });

  it('writes nothing when the address already reads the window typed, and the window otherwise', () => {
    expect(finalWindowPatch(null, 100)).toBeNull();
    expect(finalWindowPatch('', 100)).toBeNull();
    expect(finalWindowPatch('100', 100)).toBeNull();
    expect(finalWindowPatch('50', 50)).toBeNull();
    expect(finalWindowPatch('50', 100)).toEqual({ window: null });
    expect(finalWindowPatch(null, 20)).toEqual({ window: 20 });
    expect(finalWindowPatch('50', 1000000)).toEqual({ window: 1000000 });
  });
});
