// A propensity out of (0, 1] is refused by its line and column; where the value shows the likely
// cause, the message says it and how to fix the file: a 0 (a small propensity rounded when the logs
// were written, 0.00001 as "0.0000"; a logging policy never logs an action it shows with chance 0)
// and a percentage ("2.94%", a spreadsheet's format). Before, both read only "must be a decimal
// number in (0, 1]", and ten rounded rows asked whether "pscore" was the propensity column at all.
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { problemsOf } from '../helpers/validation-problems';

const RULE = "must be a decimal number in (0, 1], the logging policy's probability of showing this action";
const ZERO_HINT =
  ': a propensity of 0 says the logging policy never shows this action, yet this row shows it: were the propensities rounded when the logs were written (0.00001 as 0.0000)? Write them with more significant digits';

/** A header and `n` rows of item, position, click and the given pscore. */
function logs(pscores: readonly string[]): string[] {
  return ['item,position,click,pscore', ...pscores.map((p, i) => `${i % 4},${1 + (i % 3)},${i % 7 === 0 ? 1 : 0},${p}`)];
}

describe('a propensity of 0 or a percentage', () => {
  it('names a 0 as a rounded propensity, on its line', async () => {
    const lines = logs(['0.25', '0.25', '0', '0.25']);
    expect(await problemsOf(() => parseLogLines(lines, 'logs.csv'))).toEqual([`logs.csv:4: column "pscore": ${RULE}, got "0"${ZERO_HINT}`]);
  });

  it('says it once for ten rows rounded to "0.0000", still asking whether it is the column meant', async () => {
    const lines = logs(Array.from({ length: 12 }, () => '0.0000'));
    expect(await problemsOf(() => parseLogLines(lines, 'logs.csv'))).toEqual([
      `logs.csv:2–11: column "pscore": ${RULE}, got "0.0000"${ZERO_HINT}, on each of the first 10 rows checked, so reading stopped: is "pscore" the propensity column? If not, name the propensity column with --propensity-column`,
    ]);
  });

  it('names a percentage as one, with the fraction to write', async () => {
    const lines = logs(['0.25', '2.94%', '0.25']);
    expect(await problemsOf(() => parseLogLines(lines, 'logs.csv'))).toEqual([`logs.csv:3: column "pscore": ${RULE}, got "2.94%": a percentage? Write it as a fraction (2.5% as 0.025)`]);
  });

  it('says it of a held-out row of a fit too', async () => {
    const lines = logs(['0.25', '0.25', '0']);
    const problems = await problemsOf(() => parseLogLinesToFit(lines, 'logs.csv', {}, { holdoutLast: 50 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^logs\.csv:4: column "pscore": must be a decimal number in \(0, 1\] on a held-out row, .*, got "0": a propensity of 0 says/);
  });

  it('adds nothing where the value shows no cause (above 1, not a number, empty)', async () => {
    for (const p of ['1.5', 'abc', '']) {
      expect(await problemsOf(() => parseLogLines(logs(['0.25', p]), 'logs.csv'))).toEqual([`logs.csv:3: column "pscore": ${RULE}, got ${JSON.stringify(p)}`]);
    }
  });
});
