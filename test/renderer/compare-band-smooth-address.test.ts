// Compare's band=zzz and smooth=5, and Run detail's smooth=5, fell back to the 95 % t band and the
// automatic weight silently (and the slider's first write took smooth=5 out of the address): they
// are named in the line that names window=0, with what is used instead and what the key takes.
import { describe, expect, it } from 'vitest';
import { smoothingWrite, unreadIds } from '../../src/renderer/src/url-state';
import { COMPARE_VALUE_KEYS } from '../../src/renderer/src/screens/compare';
import { RUN_DETAIL_VALUE_KEYS } from '../../src/renderer/src/screens/run-detail';

const q = (s: string) => new URLSearchParams(s);
const SMOOTH = (raw: string) => `smooth=${raw} (“${raw}” is not a smoothing weight: smooth takes a number from 0 to 0.99, such as smooth=0.6; the automatic weight is used instead)`;

describe('band and smoothing left out of the address', () => {
  it('Compare names a band it does not draw and a weight it does not use', () => {
    expect(unreadIds(q('experiments=1&band=zzz&smooth=5'), {}, COMPARE_VALUE_KEYS)).toBe(
      `Left out of this address: band=zzz (“zzz” is not a band: band takes ci95 (the 95 % t band of the mean) or minmax (lowest to highest seed), such as band=minmax; the 95 % t band is drawn instead); ${SMOOTH('5')}.`,
    );
    for (const raw of ['-0.1', '1', 'abc', ' ']) expect(unreadIds(q(`smooth=${raw}`), {}, COMPARE_VALUE_KEYS)).toBe(`Left out of this address: ${SMOOTH(raw)}.`);
    expect(unreadIds(q('band=minmax&smooth=0.6'), {}, COMPARE_VALUE_KEYS)).toBeNull();
    expect(unreadIds(q('band=ci95&smooth=0&window=50'), {}, COMPARE_VALUE_KEYS)).toBeNull();
  });

  it('Compare names a pairing it does not read: pair=no or pair=0 compared paired by seed, unsaid', () => {
    for (const raw of ['no', '0', 'false', 'OFF', 'unpaired']) {
      expect(unreadIds(q(`experiments=1&pair=${raw}`), {}, COMPARE_VALUE_KEYS)).toBe(
        `Left out of this address: pair=${raw} (“${raw}” is not a pairing: pair takes off (every pair of groups compared unpaired, by Mann–Whitney), such as pair=off; groups on one environment config and the same seeds are paired by seed instead).`,
      );
    }
    expect(unreadIds(q('experiments=1&pair=off'), {}, COMPARE_VALUE_KEYS)).toBeNull();
    expect(unreadIds(q('experiments=1&pair='), {}, COMPARE_VALUE_KEYS)).toBeNull();
  });

  it('Run detail names a weight it does not use', () => {
    expect(unreadIds(q('smooth=5'), {}, RUN_DETAIL_VALUE_KEYS)).toBe(`Left out of this address: ${SMOOTH('5')}.`);
    expect(unreadIds(q('smooth=0.99'), {}, RUN_DETAIL_VALUE_KEYS)).toBeNull();
  });

  it('the slider leaves a weight it does not read in the address until a weight is picked, which replaces it', () => {
    // Automatic, as smooth=5 reads: nothing written, so the line naming it stays true.
    expect(smoothingWrite('5', null)).toBeNull();
    expect(smoothingWrite(null, null)).toBeNull();
    expect(smoothingWrite('0.3', 0.3)).toBeNull();
    // A weight picked over smooth=5: written so that the screen reads the address again (the line goes).
    expect(smoothingWrite('5', 0.7)).toBe('replace');
    // Else silently, as before: the screen already holds the weight.
    expect(smoothingWrite(null, 0.7)).toBe('silent');
    expect(smoothingWrite('0.3', null)).toBe('silent');
    expect(smoothingWrite('0.3', 0.5)).toBe('silent');
  });
});
