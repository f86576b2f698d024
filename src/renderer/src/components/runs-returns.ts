/**
 * The Runs table's "return (last 100)" column: one number of decimals down the page, as Compare's
 * tables choose theirs (sameDecimals, at Compare's 3 digits) and `aisle runs` writes the same column:
 * each cell written with its own (fmt) read -44.5 above -49.61.
 */
import type { RunSummary } from '../../../shared/dto';
import { sameDecimals } from '../../../shared/figures';

/** The column's text for each row, '–' where a run has no return yet. */
export function returnTexts(rows: readonly Pick<RunSummary, 'returnLast100'>[]): string[] {
  return sameDecimals(rows.map((r) => r.returnLast100 ?? Number.NaN));
}
