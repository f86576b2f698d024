// idOf and idList: the numbers an address names a run, experiment or checkpoint by. Digits past 2^53
// are no id (no stored thing has one, and the service refused them with a 400: see beyondIds).
import { describe, expect, it } from 'vitest';
import { beyondIds, href, idList, idOf } from '../../src/renderer/src/router';

describe('idOf', () => {
  it('reads a positive whole number up to 2^53 − 1', () => {
    expect(idOf('12')).toBe(12);
    expect(idOf('9007199254740991')).toBe(9007199254740991);
    for (const text of ['abc', '1.5', '0', '-3', '', null]) expect(idOf(text)).toBeUndefined();
  });

  it('reads no id from digits past 2^53', () => {
    for (const text of ['9007199254740992', '99999999999999999999', '100000000000000000000']) {
      expect(idOf(text)).toBeUndefined();
      expect(beyondIds(text)).toBe(true);
    }
    expect(idList('3,99999999999999999999,4')).toEqual([3, 4]);
    for (const text of ['12', 'abc', '1e30', '', null]) expect(beyondIds(text)).toBe(false);
  });

  it('reads each id of a list once: runs=1,1,… drew a chip per repeat, and 3,000 of them were refused whole', () => {
    expect(idList('4,2,4,2,7')).toEqual([4, 2, 7]);
    expect(idList(Array(3000).fill('1').join(','))).toEqual([1]);
  });
});

describe('href', () => {
  it('writes a list with plain commas, as writeQuery does (Runs’ Compare link read runs=104%2C106)', () => {
    expect(href('compare', { runs: [104, 106] })).toBe('#/compare?runs=104,106');
    expect(href('runs', 12)).toBe('#/runs/12');
    expect(href('compare', { experiments: [1, 2], band: 'minmax' })).toBe('#/compare?experiments=1,2&band=minmax');
    expect(href('runs', { q: 'a,b c' })).toBe('#/runs?q=a,b+c');
  });
});
