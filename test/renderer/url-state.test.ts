// unreadIds: the parts of an address the screens leave out (not positive whole numbers), named with what they take.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';

const q = (s: string) => new URLSearchParams(s);

describe('unreadIds', () => {
  it('is null when every id reads, or the key is absent or empty', () => {
    expect(unreadIds(q('runs=1,2,30&a=4&band=minmax'), { runs: { noun: 'run', list: true }, a: { noun: 'run' }, b: { noun: 'run' } })).toBeNull();
    expect(unreadIds(q('runs=&a='), { runs: { noun: 'run', list: true }, a: { noun: 'run' } })).toBeNull();
    expect(unreadIds(q('runs=1,,2,'), { runs: { noun: 'run', list: true } })).toBeNull();
  });

  it('names each key whose value is not an id, the items that are not, and an example of what it takes', () => {
    expect(unreadIds(q('runs=3,abc,0&experiments=x'), { runs: { noun: 'run', list: true }, experiments: { noun: 'experiment', list: true } })).toBe(
      'Left out of this address: runs=3,abc,0 (“abc”, “0” are not run numbers: runs takes whole numbers such as runs=12,13); experiments=x (“x” is not an experiment number: experiments takes whole numbers such as experiments=12,13).',
    );
    expect(unreadIds(q('a=1.5&cb=-2'), { a: { noun: 'run' }, cb: { noun: 'checkpoint' } })).toBe(
      'Left out of this address: a=1.5 (“1.5” is not a run number: a takes a whole number such as a=12); cb=-2 (“-2” is not a checkpoint number: cb takes a whole number such as cb=12).',
    );
    // A single id is not a list: "1,2" is not one run.
    expect(unreadIds(q('a=1,2'), { a: { noun: 'run' } })).toContain('a=1,2 (“1,2” is not a run number');
  });

  it('says a whole number past 2^53 names nothing, rather than reading it as an id (asked about, it failed with a 400)', () => {
    expect(unreadIds(q('a=100000000000000000000&cb=99999999999999999999'), { a: { noun: 'run' }, cb: { noun: 'checkpoint' } })).toBe(
      'Left out of this address: a=100000000000000000000 (there is no run 100000000000000000000); cb=99999999999999999999 (there is no checkpoint 99999999999999999999).',
    );
    expect(unreadIds(q('runs=3,abc,99999999999999999999&experiments=9007199254740993,9007199254740992'), { runs: { noun: 'run', list: true }, experiments: { noun: 'experiment', list: true } })).toBe(
      'Left out of this address: runs=3,abc,99999999999999999999 (“abc” is not a run number: runs takes whole numbers such as runs=12,13; there is no run 99999999999999999999); experiments=9007199254740993,9007199254740992 (there are no experiments 9007199254740993, 9007199254740992).',
    );
    // The largest exact one still reads.
    expect(unreadIds(q('a=9007199254740991'), { a: { noun: 'run' } })).toBeNull();
  });
});

describe('an address of very long values', () => {
  const line = (query: string) => unreadIds(new URLSearchParams(query), { runs: { noun: 'run', list: true }, a: { noun: 'run' } }, { smooth: { reads: () => false, what: ['a smoothing weight', 'smoothing weights'], takes: 'a number from 0 to 0.99' } })!;

  it('names each value cut, and at most five of a list: thousands of them were said back whole, twice', () => {
    const m = 'm'.repeat(300);
    expect(line(`smooth=${m}`)).toBe(`Left out of this address: smooth=${'m'.repeat(60)}… (“${'m'.repeat(60)}…” is not a smoothing weight: smooth takes a number from 0 to 0.99).`);
    const many = Array.from({ length: 3000 }, (_, i) => `x${i}`).join(',');
    const said = line(`runs=${many}`);
    expect(said).toContain('(“x0”, “x1”, “x2”, “x3”, “x4” and 2,995 more are not run numbers: runs takes whole numbers such as runs=12,13)');
    expect(said.length).toBeLessThan(300);
    expect(line(`a=${'9'.repeat(500)}`).length).toBeLessThan(300);
    expect(line('smooth=1&smooth=2&smooth=3').length).toBeLessThan(300);
  });
});
