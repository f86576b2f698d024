// The Q-table heatmap from the keyboard: the keys move one focused cell as in a data grid, and the
// box scrolls just enough to show it (the drawing, ring and announcement: test/e2e/qtables.spec.ts).
import { describe, expect, it } from 'vitest';
import { movedCell, scrolledTo } from '../../src/renderer/src/components/heatmap-keys';

const big = { rows: 20_000, cols: 5, page: 23 };

describe('movedCell', () => {
  it('moves a cell with the arrows, and stops at the edges', () => {
    expect(movedCell({ row: 10, col: 2 }, 'ArrowDown', big)).toEqual({ row: 11, col: 2 });
    expect(movedCell({ row: 10, col: 2 }, 'ArrowUp', big)).toEqual({ row: 9, col: 2 });
    expect(movedCell({ row: 10, col: 2 }, 'ArrowRight', big)).toEqual({ row: 10, col: 3 });
    expect(movedCell({ row: 10, col: 2 }, 'ArrowLeft', big)).toEqual({ row: 10, col: 1 });
    expect(movedCell({ row: 0, col: 0 }, 'ArrowUp', big)).toEqual({ row: 0, col: 0 });
    expect(movedCell({ row: 0, col: 0 }, 'ArrowLeft', big)).toEqual({ row: 0, col: 0 });
    expect(movedCell({ row: 19_999, col: 4 }, 'ArrowDown', big)).toEqual({ row: 19_999, col: 4 });
    expect(movedCell({ row: 19_999, col: 4 }, 'ArrowRight', big)).toEqual({ row: 19_999, col: 4 });
  });

  it('moves a screen of rows with PageUp and PageDown, keeping the action', () => {
    expect(movedCell({ row: 100, col: 3 }, 'PageDown', big)).toEqual({ row: 123, col: 3 });
    expect(movedCell({ row: 100, col: 3 }, 'PageUp', big)).toEqual({ row: 77, col: 3 });
    expect(movedCell({ row: 10, col: 3 }, 'PageUp', big)).toEqual({ row: 0, col: 3 });
    expect(movedCell({ row: 19_990, col: 3 }, 'PageDown', big)).toEqual({ row: 19_999, col: 3 });
    // A view too short for a whole row still moves by one.
    expect(movedCell({ row: 5, col: 0 }, 'PageDown', { ...big, page: 0 })).toEqual({ row: 6, col: 0 });
  });

  it('goes to the row\'s first and last action with Home and End, and to the table\'s ends with Ctrl or ⌘', () => {
    expect(movedCell({ row: 100, col: 3 }, 'Home', big)).toEqual({ row: 100, col: 0 });
    expect(movedCell({ row: 100, col: 1 }, 'End', big)).toEqual({ row: 100, col: 4 });
    expect(movedCell({ row: 100, col: 3 }, 'Home', big, { ctrlKey: true })).toEqual({ row: 0, col: 0 });
    expect(movedCell({ row: 100, col: 1 }, 'End', big, { ctrlKey: true })).toEqual({ row: 19_999, col: 4 });
    expect(movedCell({ row: 100, col: 1 }, 'End', big, { metaKey: true })).toEqual({ row: 19_999, col: 4 });
  });

  it('leaves other keys (Tab, letters, Enter) to the page, and does nothing in an empty table', () => {
    for (const key of ['Tab', 'a', 'Enter', ' ', 'Escape']) expect(movedCell({ row: 1, col: 1 }, key, big)).toBeUndefined();
    expect(movedCell({ row: 0, col: 0 }, 'ArrowDown', { rows: 0, cols: 5, page: 10 })).toBeUndefined();
  });
});

describe('scrolledTo', () => {
  it('scrolls only as far as brings the cell into the view', () => {
    expect(scrolledTo(100, 400, 200, 18)).toBe(100); // in view: stays
    expect(scrolledTo(100, 400, 90, 18)).toBe(90); // above: its top at the view's top
    expect(scrolledTo(100, 400, 495, 18)).toBe(113); // below: its bottom at the view's bottom
  });
});
