// With a holdout, `aisle ope` and the Off-policy screen evaluate only the rows it sets aside: the
// rows kept for a fit are never weighted, so they need no propensity (parseEvaluatedLogLines).
// Which rows are held out does not change: the fit's rows are counted all the same, so the seeded
// draw of 1 in k falls as on logs where every row has one. A row evaluated still needs its own.
import { describe, expect, it } from 'vitest';
import { parseEvaluatedLogLines, parseLogLines, type EvaluatedPart } from '../../src/engine/ope/csv';
import { evaluationRows, heldOutMask, type HoldoutChoice } from '../../src/engine/ope/data';
import { evaluateTargets } from '../../src/engine/ope/run';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { problemsOf } from '../helpers/validation-problems';

const ROWS = syntheticRows(600, 5);
const TEXT = logsCsv(ROWS);
const WHERE = { where: { policy: 'uniform' } };
/** The file's line of each uniform row (the rows `WHERE` keeps, in order): its index + 2, after the header. */
const KEPT_LINES = ROWS.flatMap((r, i) => (r.policy === 'uniform' ? [i + 2] : []));

const part = (choice: HoldoutChoice): EvaluatedPart => ({ choice, label: 'holdout', fix: 'hold out less' });

/** TEXT with the pscore of the kept rows whose index `drop` picks replaced by `value`. */
function withoutPropensities(drop: (keptIndex: number) => boolean, value = ''): string[] {
  const lines = TEXT.split('\n');
  KEPT_LINES.forEach((line, j) => {
    if (drop(j)) lines[line - 1] = lines[line - 1]!.replace(/,[\d.]+$/, `,${value}`);
  });
  return lines;
}

describe('rows a holdout keeps for the fit', () => {
  for (const choice of [{ holdout: 3 }, { holdoutLast: 30 }] as const) {
    it(`need no propensity (${JSON.stringify(choice)}): the same rows evaluated, the same estimates`, async () => {
      const held = heldOutMask(KEPT_LINES.length, choice);
      expect(held.reduce((s, h) => s + h, 0)).toBeGreaterThan(50);
      // The fit's rows with an empty pscore, or one that is no probability at all.
      const emptied = withoutPropensities((j) => held[j] === 0);
      const malformed = withoutPropensities((j) => held[j] === 0, 'NA');
      expect(emptied[KEPT_LINES[held.indexOf(0)]! - 1]).toMatch(/^uniform,.*,$/);
      const all = await parseLogLines(TEXT.split('\n'), 'logs.csv', WHERE);
      const before = evaluationRows(all, choice, 'holdout', 'hold out less');
      for (const lines of [emptied, malformed]) {
        const data = await parseEvaluatedLogLines(lines, 'logs.csv', WHERE, part(choice));
        expect(data.rowsKept).toBe(300);
        expect(data.action.length).toBe(before.action.length);
        expect(Array.from(data.action)).toEqual(Array.from(before.action));
        expect(Array.from(data.reward)).toEqual(Array.from(before.reward));
        expect(Array.from(data.propensity)).toEqual(Array.from(before.propensity));
        const options = { resamples: 100, seed: 4 };
        const [now] = (await evaluateTargets(data, [{ kind: 'uniform' }], () => Promise.reject(new Error('no logs: target')), options)).targets;
        const [then] = (await evaluateTargets(before, [{ kind: 'uniform' }], () => Promise.reject(new Error('no logs: target')), options)).targets;
        expect(now!.estimates).toEqual(then!.estimates);
      }
    });

    it(`still refuses a row evaluated without one, by line and column (${JSON.stringify(choice)})`, async () => {
      const held = heldOutMask(KEPT_LINES.length, choice);
      const evaluated = held.indexOf(1);
      const lines = withoutPropensities((j) => held[j] === 0 || j === evaluated);
      expect(await problemsOf(() => parseEvaluatedLogLines(lines, 'logs.csv', WHERE, part(choice)))).toEqual([
        `logs.csv:${KEPT_LINES[evaluated]}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got ""`,
      ]);
    });
  }

  it('names the first rows held out without one, and with 1 in k stops reading there, as without a holdout', async () => {
    const held = heldOutMask(KEPT_LINES.length, { holdout: 3 });
    const lines = withoutPropensities(() => true, 'NA');
    const first = KEPT_LINES.filter((_, j) => held[j] === 1).slice(0, 10);
    let read = 0;
    // Lines handed over one at a time: reading stops at the tenth row held out, not at the end of the file.
    function* counted() {
      for (const line of lines) {
        read++;
        yield line;
      }
    }
    expect(await problemsOf(() => parseEvaluatedLogLines(counted(), 'logs.csv', WHERE, part({ holdout: 3 })))).toEqual([
      `logs.csv:${first[0]}–${first[9]}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got "NA", on each of the first 10 rows checked, so reading stopped: is "pscore" the propensity column? If not, name the propensity column with --propensity-column`,
    ]);
    expect(read).toBe(first[9]);
  });

  it('without a holdout every row is evaluated, so every row needs one', async () => {
    const lines = withoutPropensities((j) => j === 4);
    expect(await problemsOf(() => parseEvaluatedLogLines(lines, 'logs.csv', WHERE, part({})))).toEqual([
      `logs.csv:${KEPT_LINES[4]}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got ""`,
    ]);
  });

  it('a holdout that sets no row or every row aside is refused as before, whatever the propensities', async () => {
    const lines = withoutPropensities(() => false);
    const few = lines.slice(0, KEPT_LINES[0]!); // the header and one uniform row
    expect(await problemsOf(() => parseEvaluatedLogLines(few, 'logs.csv', WHERE, part({ holdoutLast: 30 })))).toEqual([
      'holdout: holding out the last 30 % of the 1 row kept holds out every one of them, leaving none to fit on, as `aisle logs mdp` would refuse: hold out a smaller share, or none to evaluate on every row',
    ]);
  });
});
