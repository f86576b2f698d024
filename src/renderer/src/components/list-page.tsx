/**
 * What the paged lists (Runs, Experiments, Policies) share about their `page=` address value: what
 * it takes, as UnreadAddress names a malformed one (page=-3, page=2.5), and what happens when it
 * lies past the last page (the last page is shown, the address says so, and the line names it).
 */
import { useEffect, useRef, useState } from 'react';
import { queryWhole, readsWhole, writeQuery, type ValueKey } from '../url-state';

/** `page=` as UnreadAddress names a value it does not read (page=-3, page=2.5: the first page in its place). */
export const PAGE_VALUE_KEY: ValueKey = { reads: (s) => readsWhole(s, 1), what: ['a page number', 'page numbers'], takes: 'a whole number from 1, such as page=2' };

/** The page the address names: the first when it names none or one PAGE_VALUE_KEY does not read. */
export function queryPage(query: URLSearchParams): number {
  // page=2.5 is named (the line) and the first page shown, as page=0 is: it was page 2, unsaid.
  return queryWhole(query, 'page', 1, 1);
}

/** How many pages `count` rows take, `size` a page (one when there are none). */
export function pagesOf(count: number, size: number): number {
  return Math.max(1, Math.ceil(count / size));
}

/** The page on which the row at `index` (from 0) of the list stands, `size` a page. */
export function pageOf(index: number, size: number): number {
  return Math.floor(index / size) + 1;
}

/** The line naming an address's page past the last one, once the last is shown in its place. */
export function pastEndText(asked: number, pages: number): string {
  return `Left out of this address: page=${asked} (past the last page, ${pages}: page ${pages} is shown).`;
}

/** What usePageWithin keeps between answers: the page last answered, and a page past the end the address named. */
export interface PageWatch {
  readonly seen?: number;
  readonly past?: { readonly asked: number; readonly shown: number };
}

/**
 * usePageWithin's step at an answer for `page` of `pages`: past the end, `to` is the last page to
 * show in its place, and when the page is new to the screen (the address named it: typed, a link
 * kept from a longer list) it is kept as `past`, to be named until another page is chosen. A page
 * that falls past the end while it is shown (its rows deleted, here or elsewhere) gives way to the
 * last without a word, as it always has: the user did not ask for it.
 */
export function watchPage(watch: PageWatch, page: number, pages: number): { watch: PageWatch; to?: number } {
  const fresh = watch.seen !== page;
  if (page > pages) return { watch: { seen: page, past: fresh ? { asked: page, shown: pages } : watch.past }, to: pages };
  return { watch: { seen: page, past: !fresh || watch.past?.shown === page ? watch.past : undefined } };
}

/**
 * Keeps the address's page within the list's `pages` once `answered` (watchPage): past the end the
 * last page replaces it. Returns the line naming an address's page past the end, while the last page
 * shown in its place is; null otherwise. `path` is the screen's, so a write after the user has left
 * lands nowhere (writeQuery).
 */
export function usePageWithin(page: number, pages: number, answered: boolean, path: string): string | null {
  const watch = useRef<PageWatch>({});
  const [past, setPast] = useState<PageWatch['past']>();
  useEffect(() => {
    if (!answered) return;
    const next = watchPage(watch.current, page, pages);
    watch.current = next.watch;
    setPast(next.watch.past);
    if (next.to !== undefined) writeQuery({ page: next.to > 1 ? next.to : undefined }, 'replace', path);
  }, [answered, page, pages, path]);
  return past !== undefined && past.shown === page ? pastEndText(past.asked, past.shown) : null;
}

/** usePageWithin's line, where the screen names what its address holds (beside UnreadAddress). */
export function PastEndLine({ text }: { text: string | null }) {
  return text === null ? null : (
    <p className="error" role="alert" data-testid="page-past-end">
      {text}
    </p>
  );
}
