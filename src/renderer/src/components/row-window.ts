/**
 * Which rows of a long table to draw: those in its scroll box's view and a margin above and below,
 * the rest stood for by two gaps (spacer rows) of their height, so that the scrollbar is the whole
 * table's and a row scrolled to is drawn where it belongs. The Q-tables screen's list of differing
 * states drew every one of a 20,000-state table's 3,416 (some 60,000 elements, 1.5 s from the click,
 * and each "all values" after it re-rendered them all); a box of 420 px shows some twenty.
 *
 * Heights are those measured where a row has been drawn, else an estimate: the median of the
 * measured (a row opened to its 1,000 values, hundreds of pixels tall, does not make every row
 * not yet drawn count as one), or a guess before any is measured.
 */

/** A stretch of the table's body: rows `first` to `end - 1` drawn, or a gap of `gap` pixels standing for rows not drawn. */
export type Stretch = { readonly first: number; readonly end: number } | { readonly gap: number };

/** The heights of `count` rows: each measured one's, the median of the measured for the rest (`guess` while none is). */
export function rowHeights(count: number, measured: ReadonlyMap<number, number>, guess: number): Float64Array {
  const known = [...measured.values()].sort((x, y) => x - y);
  const mid = known.length >> 1;
  const estimate = known.length === 0 ? guess : known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  const heights = new Float64Array(count).fill(estimate);
  for (const [row, height] of measured) if (row < count) heights[row] = height;
  return heights;
}

/**
 * The stretches to draw for a view of `view` pixels whose top is `top` pixels below the first row's
 * (the box's scroll offset less its header): every row any part of which is within `margin` pixels
 * of the view, at least one, and the row `keep` wherever it is (the row holding the keyboard's
 * focus: taken out of the page as it scrolls away, its button would drop the focus to the page's
 * start), each gap between them the height of the rows it stands for. Gaps of no height are left out.
 */
export function rowStretches(heights: ArrayLike<number>, top: number, view: number, margin: number, keep?: number): Stretch[] {
  const count = heights.length;
  if (count === 0) return [];
  const from = top - margin;
  const to = top + Math.max(0, view) + margin;
  let first = 0;
  let y = 0;
  while (first < count - 1 && y + heights[first]! <= from) y += heights[first++]!;
  let end = first + 1;
  y += heights[first]!;
  while (end < count && y < to) y += heights[end++]!;
  const sum = (a: number, b: number) => {
    let total = 0;
    for (let i = a; i < b; i++) total += heights[i]!;
    return total;
  };
  const drawn: Array<[number, number]> = [[first, end]];
  if (keep !== undefined && keep >= 0 && keep < count && (keep < first || keep >= end)) {
    if (keep < first) drawn.unshift([keep, keep + 1]);
    else drawn.push([keep, keep + 1]);
  }
  const stretches: Stretch[] = [];
  let at = 0;
  for (const [a, b] of drawn) {
    const gap = sum(at, a);
    if (gap > 0) stretches.push({ gap });
    stretches.push({ first: a, end: b });
    at = b;
  }
  const after = sum(at, count);
  if (after > 0) stretches.push({ gap: after });
  return stretches;
}
