// A heatmap cell's value beside the greedy action's dot: the dot (radius 3, centred 6 px in from the
// cell's top right corner, with a 1 px stroke) touched a five-character value and covered a
// six-character one's last digit, when values were centred at half a 44 px cell less 3 px (found in
// a visual review of Q-tables). valueCells now widens a marked table's cells for a six-character
// value and centres values in the room the dot leaves them.
import { describe, expect, it } from 'vitest';
import { valueCells } from '../../src/renderer/src/components/heatmap';

/** The dot's left edge, stroke included, in a cell of width w. */
const dotLeft = (cellW: number) => cellW - 6 - 3 - 0.5;

describe('valueCells', () => {
  it('keeps a marked cell’s value 3 px clear of the dot and of the cell’s left edge, for values up to the width it is given', () => {
    for (const colWidest of [0, 20, 34, 60]) {
      for (const valueWidest of [24, 31, 37, 45]) {
        const { cellW, textX } = valueCells(colWidest, valueWidest, true);
        expect(textX + valueWidest / 2, `a ${valueWidest} px value's right edge, cell ${cellW}`).toBeLessThanOrEqual(dotLeft(cellW) - 3);
        expect(textX - valueWidest / 2, `a ${valueWidest} px value's left edge, cell ${cellW}`).toBeGreaterThanOrEqual(3);
        expect(cellW).toBeGreaterThanOrEqual(colWidest + 10);
      }
    }
  });
  it('leaves the old geometry short of that for a six-character value (37 px at 11 px): what it replaces', () => {
    const oldCellW = 44;
    const oldTextX = oldCellW / 2 - 3;
    expect(oldTextX + 37 / 2).toBeGreaterThan(dotLeft(oldCellW));
  });
  it('centres an unmarked cell’s value in cells of at least 44 px, as before', () => {
    for (const valueWidest of [0, 31, 37]) {
      const { cellW, textX } = valueCells(30, valueWidest, false);
      expect(textX).toBe(cellW / 2);
      expect(cellW).toBeGreaterThanOrEqual(44);
      expect(textX - valueWidest / 2).toBeGreaterThanOrEqual(3);
    }
    expect(valueCells(30, 31, false).cellW).toBe(44);
  });
});
