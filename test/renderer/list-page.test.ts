// The paged lists' `page=` (Runs, Experiments, and now Policies, which drew every stored policy at
// once): one reading of the value and one line for a malformed one, shared rather than copied; and a
// page past the end, which Runs and Experiments replaced by the last without a word whether the
// address named it or deletes emptied it: an address's is now named, a delete's still is not.
import { describe, expect, it } from 'vitest';
import { unreadIds } from '../../src/renderer/src/url-state';
import { PAGE_VALUE_KEY, pageOf, pagesOf, pastEndText, queryPage, watchPage, type PageWatch } from '../../src/renderer/src/components/list-page';
import { RUNS_VALUE_KEYS } from '../../src/renderer/src/components/runs-filters';
import { EXPERIMENTS_VALUE_KEYS } from '../../src/renderer/src/components/experiments-query';

const q = (s: string) => new URLSearchParams(s);

/** watchPage over answers in turn, from a screen just opened: each answer's `to` and line. */
function answers(steps: readonly (readonly [page: number, pages: number])[]): { to?: number; line: string | null }[] {
  let watch: PageWatch = {};
  return steps.map(([page, pages]) => {
    const next = watchPage(watch, page, pages);
    watch = next.watch;
    const shown = next.to ?? page;
    // As usePageWithin shows it once the address holds the page written (or the page kept).
    const line = watch.past !== undefined && watch.past.shown === shown ? pastEndText(watch.past.asked, watch.past.shown) : null;
    return { ...(next.to === undefined ? {} : { to: next.to }), line };
  });
}

describe('a paged list’s page in the address', () => {
  it('Runs and Experiments read page= with the one shared key, which names a malformed value', () => {
    expect(RUNS_VALUE_KEYS.page).toBe(PAGE_VALUE_KEY);
    expect(EXPERIMENTS_VALUE_KEYS.page).toBe(PAGE_VALUE_KEY);
    expect(unreadIds(q('page=abc'), {}, { page: PAGE_VALUE_KEY })).toBe('Left out of this address: page=abc (“abc” is not a page number: page takes a whole number from 1, such as page=2).');
    expect(queryPage(q('page=abc'))).toBe(1);
    expect(queryPage(q('page=0'))).toBe(1);
    expect(queryPage(q('page=3'))).toBe(3);
    expect(queryPage(q(''))).toBe(1);
  });

  it('counts pages and finds the page of a row', () => {
    expect(pagesOf(0, 100)).toBe(1);
    expect(pagesOf(100, 100)).toBe(1);
    expect(pagesOf(101, 100)).toBe(2);
    expect(pagesOf(300, 100)).toBe(3);
    expect(pageOf(0, 100)).toBe(1);
    expect(pageOf(99, 100)).toBe(1);
    expect(pageOf(100, 100)).toBe(2);
    expect(pageOf(299, 100)).toBe(3);
  });

  it('an address’s page past the end gives way to the last, named until another page is chosen', () => {
    // Opened at page=9 of a list of 3 pages: page 3 is shown, and the line says why.
    expect(answers([[9, 3], [3, 3], [2, 3], [3, 3]])).toEqual([
      { to: 3, line: 'Left out of this address: page=9 (past the last page, 3: page 3 is shown).' },
      { line: 'Left out of this address: page=9 (past the last page, 3: page 3 is shown).' },
      // Previous: gone, and not back with Next.
      { line: null },
      { line: null },
    ]);
    // page=5 of an empty list: its one page, which the address leaves out (to 1).
    expect(answers([[5, 1]])).toEqual([{ to: 1, line: 'Left out of this address: page=5 (past the last page, 1: page 1 is shown).' }]);
    // Typed into the address of the screen already open (page 2 shown): named as well.
    expect(answers([[2, 3], [7, 3]])).toEqual([{ line: null }, { to: 3, line: 'Left out of this address: page=7 (past the last page, 3: page 3 is shown).' }]);
  });

  it('a page emptied while it is shown (its rows deleted) gives way to the last without a word', () => {
    expect(answers([[3, 3], [3, 2], [2, 2]])).toEqual([{ line: null }, { to: 2, line: null }, { line: null }]);
  });
});
