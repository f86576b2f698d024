// The Q-tables screen's list of differing states draws only the rows in its box's view and a margin
// (rowStretches), the rest stood for by gaps of their height: "Show all" drew a 20,000-state table's
// 3,416 at once (61,621 elements, 1.5 to 3 s from the click). And the top five of a row's 1,000 Q
// values are picked in one pass (shownActions), not by a sort, since every differing state's row, A's
// and B's, is ranked again at each "all values".
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { rowHeights, rowStretches, type Stretch } from '../../src/renderer/src/components/row-window';
import { shownActions, TOP_VALUES } from '../../src/shared/qtable-compare';

const even = (count: number, height = 20) => new Float64Array(count).fill(height);
/** The rows the stretches draw, in order. */
const drawn = (stretches: readonly Stretch[]) => stretches.flatMap((s) => ('gap' in s ? [] : Array.from({ length: s.end - s.first }, (_, i) => s.first + i)));
/** The height the stretches make, gaps and drawn rows. */
const total = (stretches: readonly Stretch[], heights: ArrayLike<number>) => stretches.reduce((sum, s) => sum + ('gap' in s ? s.gap : drawn([s]).reduce((t, r) => t + heights[r]!, 0)), 0);

describe('rowStretches', () => {
  it('draws the rows in view and a margin, a gap standing for the rest', () => {
    // A 400 px view at the top, 100 px margin: rows 0–24 (their tops 0–480 px are above 500 px).
    expect(rowStretches(even(1000), 0, 400, 100)).toEqual([{ first: 0, end: 25 }, { gap: 975 * 20 }]);
    // Scrolled to 10,000 px: from the row at 9,900 px to the one that starts before 10,500 px.
    expect(rowStretches(even(1000), 10_000, 400, 100)).toEqual([{ gap: 9900 }, { first: 495, end: 525 }, { gap: 475 * 20 }]);
    // At the end: the last rows, no gap after them.
    expect(rowStretches(even(1000), 20_000 - 400, 400, 100)).toEqual([{ gap: 975 * 20 }, { first: 975, end: 1000 }]);
  });

  it('draws at least the last row when the offset is past the end (a list that shrank under a scrolled box)', () => {
    expect(rowStretches(even(1000), 1e6, 400, 100)).toEqual([{ gap: 999 * 20 }, { first: 999, end: 1000 }]);
    expect(rowStretches(even(0), 0, 400, 100)).toEqual([]);
    expect(rowStretches(even(3), 0, 0, 0)).toEqual([{ first: 0, end: 1 }, { gap: 40 }]);
  });

  it('keeps drawing the row that holds the focus, wherever the box is scrolled', () => {
    expect(rowStretches(even(1000), 10_000, 400, 100, 3)).toEqual([{ gap: 60 }, { first: 3, end: 4 }, { gap: 9900 - 80 }, { first: 495, end: 525 }, { gap: 475 * 20 }]);
    expect(rowStretches(even(1000), 0, 400, 100, 990)).toEqual([{ first: 0, end: 25 }, { gap: 965 * 20 }, { first: 990, end: 991 }, { gap: 9 * 20 }]);
    // In view already, or just before it: nothing more, and no gap of nothing.
    expect(rowStretches(even(1000), 10_000, 400, 100, 500)).toEqual(rowStretches(even(1000), 10_000, 400, 100));
    expect(rowStretches(even(1000), 10_000, 400, 100, 494)).toEqual([{ gap: 494 * 20 }, { first: 494, end: 495 }, { first: 495, end: 525 }, { gap: 475 * 20 }]);
    // A row no longer in the list (another comparison) is let go.
    expect(rowStretches(even(10), 0, 400, 0, 50)).toEqual([{ first: 0, end: 10 }]);
  });

  it('keeps the scrollbar the whole list’s and covers the view, at any offset and row heights', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const count = 1 + Math.floor(rng.next() * 3000);
      const heights = Float64Array.from({ length: count }, () => 18 + Math.floor(rng.next() * 4) * 15 + (rng.next() < 0.01 ? 900 : 0));
      const whole = heights.reduce((s, h) => s + h, 0);
      const top = Math.floor(rng.next() * whole);
      const keep = rng.next() < 0.5 ? Math.floor(rng.next() * count) : undefined;
      const stretches = rowStretches(heights, top, 420, 600, keep);
      expect(total(stretches, heights)).toBeCloseTo(whole, 6);
      const rows = drawn(stretches);
      // In order, each once, the kept one among them.
      expect(rows).toEqual([...new Set(rows)].sort((x, y) => x - y));
      if (keep !== undefined) expect(rows).toContain(keep);
      // Every row any part of which is within the view is drawn.
      let y = 0;
      for (let r = 0; r < count; r++) {
        if (y + heights[r]! > top && y < top + 420) expect(rows).toContain(r);
        y += heights[r]!;
      }
      // And not many more: the view and margins of a list whose shortest rows are 18 px.
      expect(rows.length).toBeLessThanOrEqual(Math.ceil((420 + 2 * 600) / 18) + 3);
    }
  });
});

describe('rowHeights', () => {
  it('takes each measured row’s height and the median of them for the rest, a guess before any is measured', () => {
    expect([...rowHeights(3, new Map(), 30)]).toEqual([30, 30, 30]);
    // A row opened to its 1,000 values (900 px) does not make every row not yet drawn that tall.
    expect([...rowHeights(6, new Map([[0, 24], [1, 900], [2, 26]]), 30)]).toEqual([24, 900, 26, 26, 26, 26]);
    expect([...rowHeights(4, new Map([[0, 24], [3, 26]]), 30)]).toEqual([24, 25, 25, 26]);
    // Heights of rows past the list's end (a shorter comparison) are left out of it.
    expect(rowHeights(2, new Map([[5, 40]]), 30)).toHaveLength(2);
  });
});

describe('shownActions', () => {
  it('picks the top TOP_VALUES of a row in one pass, the same as a sort of all its values (largest first, ties in the table’s order)', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const length = TOP_VALUES + 2 + Math.floor(rng.next() * 1000);
      // Few distinct values, many ties (an untrained row's zeros), some negative.
      const row = Array.from({ length }, () => Math.floor(rng.next() * 8) - 4 + (rng.next() < 0.3 ? 0 : rng.next()));
      const sorted = row.map((_, a) => a).sort((x, y) => row[y]! - row[x]! || x - y);
      expect(shownActions(row)).toEqual(sorted.slice(0, TOP_VALUES));
      expect(shownActions(row, true)).toEqual(sorted);
    }
  });
});
