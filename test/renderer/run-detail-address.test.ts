// Run detail's chart keys in the address (a hand-edited, cut or pasted link) were never audited:
// band=zzz (or Compare's band=minmax) drew no band and y=zzz fitted the axis, unsaid, and a key given
// twice (band=on&band=zzz) was read at its first value, the other dropped unsaid. Each is named in the
// address's line, as Compare's are, with what the key takes and what is used instead.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { RUN_DETAIL_VALUE_KEYS } from '../../src/renderer/src/screens/run-detail';
import { COMPARE_VALUE_KEYS } from '../../src/renderer/src/screens/compare';

const q = (s: string) => new URLSearchParams(s);
const line = (s: string) => unreadIds(q(s), {}, RUN_DETAIL_VALUE_KEYS);
const BAND = (raw: string) =>
  `band=${raw} (“${raw}” is not a band setting: band takes on (the min–max band: each bucket of episodes’ lowest to highest value), such as band=on; no band is drawn instead)`;
const Y = (raw: string) => `y=${raw} (“${raw}” is not a y range: y takes full (every value, the first episodes’ too), such as y=full; the axis is fitted to the curves after their first episodes instead)`;

describe('Run detail’s chart keys left out of the address', () => {
  it('names a band or y range it does not read: bad, Compare’s, numbers, huge, negative', () => {
    for (const raw of ['zzz', 'minmax', 'ci95', '1', '-1', '99999999999999999999', 'ON', ' on']) expect(line(`band=${raw}`)).toBe(`Left out of this address: ${BAND(raw)}.`);
    for (const raw of ['zzz', 'FULL', '0', '-5']) expect(line(`y=${raw}`)).toBe(`Left out of this address: ${Y(raw)}.`);
    expect(line('band=zzz&y=fit&smooth=5')).toBe(
      `Left out of this address: smooth=5 (“5” is not a smoothing weight: smooth takes a number from 0 to 0.99, such as smooth=0.6; the automatic weight is used instead); ${BAND('zzz')}; ${Y('fit')}.`,
    );
  });

  it('reads band=on, y=full and an empty key as before, unnamed', () => {
    for (const s of ['band=on', 'y=full', 'band=on&y=full&smooth=0.6', 'band=&y=', '', 'band=on&band=', 'band=on&band=on']) expect(line(s)).toBeNull();
  });

  it('names a key given twice whose later value differs: only the first is read', () => {
    expect(line('band=on&band=zzz')).toBe('Left out of this address: band=zzz (band is given 2 times: only the first, band=on, is read).');
    expect(line('y=&y=full')).toBe('Left out of this address: y=full (y is given 2 times: only the first, y=, is read).');
    expect(line('smooth=0.3&smooth=5&smooth=0.7')).toBe('Left out of this address: smooth=5, smooth=0.7 (smooth is given 3 times: only the first, smooth=0.3, is read).');
    // The first unread as well: both said.
    expect(line('band=zzz&band=on')).toBe(`Left out of this address: ${BAND('zzz')}; band=on (band is given 2 times: only the first, band=zzz, is read).`);
  });

  it('Compare names a y range it does not read, and a key given twice, alike', () => {
    expect(unreadIds(q('experiments=1&y=zzz'), {}, COMPARE_VALUE_KEYS)).toBe(`Left out of this address: ${Y('zzz')}.`);
    expect(unreadIds(q('experiments=1&y=full'), {}, COMPARE_VALUE_KEYS)).toBeNull();
    expect(unreadIds(q('window=50&window=abc'), {}, COMPARE_VALUE_KEYS)).toBe('Left out of this address: window=abc (window is given 2 times: only the first, window=50, is read).');
    expect(unreadIds(q('runs=1&runs=2'), { runs: { noun: 'run', list: true } })).toBe('Left out of this address: runs=2 (runs is given 2 times: only the first, runs=1, is read).');
  });
});
