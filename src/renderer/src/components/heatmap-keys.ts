/**
 * The heatmap's keyboard: one tab stop whose focused cell the keys move, as in a data grid (the
 * ARIA Authoring Practices' grid pattern). A table of 20,000 states is read a cell at a time, a
 * screen of rows at a time, or from its ends, where a pointer is the only way in without it.
 */

/** A cell: its row (state) and column (action). */
export interface Cell {
  readonly row: number;
  readonly col: number;
}

/** What a key sees of the heatmap: its size, and how many rows one screen of it shows. */
export interface GridSize {
  readonly rows: number;
  readonly cols: number;
  readonly page: number;
}

/** The key's modifiers that change a move (Ctrl, or ⌘ on a Mac, with Home and End). */
export interface KeyMods {
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
}

/**
 * The cell a key moves `from` to, or undefined when the key is not the heatmap's (Tab and the rest
 * keep their meaning). Arrows move one cell; PageUp and PageDown a screen of rows; Home and End
 * to the row's first and last action; with Ctrl (or ⌘) to the first cell of the first state and the
 * last of the last. Moves stop at the edges (the focused cell stays where it was).
 */
export function movedCell(from: Cell, key: string, size: GridSize, mods: KeyMods = {}): Cell | undefined {
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  if (lastRow < 0 || lastCol < 0) return undefined;
  const at = (row: number, col: number): Cell => ({ row: Math.max(0, Math.min(lastRow, row)), col: Math.max(0, Math.min(lastCol, col)) });
  const page = Math.max(1, size.page);
  const toEnd = mods.ctrlKey === true || mods.metaKey === true;
  switch (key) {
    case 'ArrowUp':
      return at(from.row - 1, from.col);
    case 'ArrowDown':
      return at(from.row + 1, from.col);
    case 'ArrowLeft':
      return at(from.row, from.col - 1);
    case 'ArrowRight':
      return at(from.row, from.col + 1);
    case 'PageUp':
      return at(from.row - page, from.col);
    case 'PageDown':
      return at(from.row + page, from.col);
    case 'Home':
      return toEnd ? at(0, 0) : at(from.row, 0);
    case 'End':
      return toEnd ? at(lastRow, lastCol) : at(from.row, lastCol);
    default:
      return undefined;
  }
}

/** The scroll offset along one axis that brings [start, start + length) into a view of `view` at `offset` (unchanged when it is in view). */
export function scrolledTo(offset: number, view: number, start: number, length: number): number {
  if (start < offset) return start;
  if (start + length > offset + view) return start + length - view;
  return offset;
}
