/**
 * A paged table shown from its first row when its page changes (Next, Previous, Back to another
 * page). Next sits under the table: pressed after scrolling down a page, it kept that scroll, so
 * the new page opened at its last rows (Runs, whose table scrolls in its own box: runs 15 to 1 of
 * page 2's 54 to 1) or, past a shorter page, the one before opened at its middle (Experiments,
 * scrolled with the window). Focus stays where it was (the pager's button).
 */
import { useEffect, type RefObject } from 'react';

/** Scrolls `box` (the table's panel) to its top, and the window up to the box where it is above. */
export function showFromTop(box: HTMLElement | null): void {
  if (!box) return;
  box.scrollTop = 0;
  if (box.getBoundingClientRect().top < 0) box.scrollIntoView({ block: 'start' });
}

/** showFromTop whenever `page` (the address's page number) changes; the first render has it so already. */
export function usePageTop(box: RefObject<HTMLElement | null>, page: number): void {
  useEffect(() => showFromTop(box.current), [box, page]);
}
