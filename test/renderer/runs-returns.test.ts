// The Runs table's "return (last 100)": one number of decimals down the column, as Compare's tables.
import { describe, expect, it } from 'vitest';
import { returnTexts } from '../../src/renderer/src/components/runs-returns';
import { sameDecimals } from '../../src/shared/figures';

const rows = (...returns: (number | null)[]) => returns.map((returnLast100) => ({ returnLast100 }));

describe('returnTexts', () => {
  it('gives every return of the page the decimals of the most precise, as Compare does', () => {
    // Each cell with its own decimals read "-44.5" above "-49.61".
    expect(returnTexts(rows(-44.5, -49.61, -13))).toEqual(['-44.50', '-49.61', '-13.00']);
    expect(returnTexts(rows(-44.5, -49.6124, 1234.5))).toEqual(['-44.500', '-49.612', '1,234.500']);
    expect(returnTexts(rows(-44.5, -49.61))).toEqual(sameDecimals([-44.5, -49.61]));
  });
  it('leaves a run with no return yet as a dash, asking no decimals of the others', () => {
    expect(returnTexts(rows(null, -44.5, -49.61, null))).toEqual(['–', '-44.50', '-49.61', '–']);
    expect(returnTexts(rows(-13, null))).toEqual(['-13', '–']);
  });
});
