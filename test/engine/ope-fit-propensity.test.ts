// `aisle logs mdp` and the app's fit a simulator read logs with parseLogLinesToFit: the fit uses no
// propensity, so the rows it fits need none (empty, 'NA' or malformed alike, as `aisle ope --holdout`
// reads them); the rows a holdout sets aside are those `aisle ope` with the same holdout evaluates,
// so they need a valid one there as here. Without a holdout no row is checked.
import { describe, expect, it } from 'vitest';
import { parseLogLinesToFit } from '../../src/engine/ope/csv';
import { heldOutMask, type HoldoutChoice } from '../../src/engine/ope/data';
import { fitSimulator } from '../../src/engine/ope/simulator';
import { fitLogsTask } from '../../src/main/logs-task';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { problemsOf } from '../helpers/validation-problems';

/** A held-out row's refusal says why a fit, which weighs no row, needs its propensity. */
const HELD_RULE = "must be a decimal number in (0, 1] on a held-out row, the logging policy's probability of showing this action, by which off-policy evaluation weighs the row (the rows fitted need none)";

const ROWS = syntheticRows(600, 5);
const TEXT = logsCsv(ROWS);
const WHERE = { where: { policy: 'uniform' } };
/** The file's line of each uniform row (the rows `WHERE` keeps, in order): its index + 2, after the header. */
const KEPT_LINES = ROWS.flatMap((r, i) => (r.policy === 'uniform' ? [i + 2] : []));

/** TEXT with the pscore of the kept rows whose index `drop` picks replaced by `value`. */
function withPropensities(drop: (keptIndex: number) => boolean, value: string): string[] {
  const lines = TEXT.split('\n');
  KEPT_LINES.forEach((line, j) => {
    if (drop(j)) lines[line - 1] = lines[line - 1]!.replace(/,[\d.]+$/, `,${value}`);
  });
  return lines;
}

const fitOf = async (lines: string[], choice: HoldoutChoice) => fitSimulator(await parseLogLinesToFit(lines, 'logs.csv', WHERE, choice), { priorStrength: 1, ...choice });

describe('a simulator fitted to logs whose rows fitted have no propensity', () => {
  for (const choice of [{ holdout: 3 }, { holdoutLast: 30 }] as const) {
    it(`fits them (${JSON.stringify(choice)}): the same rows fitted and held out, the same MDP`, async () => {
      const held = heldOutMask(KEPT_LINES.length, choice);
      expect(held.reduce((s, h) => s + h, 0)).toBeGreaterThan(50);
      const before = await fitOf(TEXT.split('\n'), choice);
      for (const value of ['', 'NA', '1.5']) {
        const lines = withPropensities((j) => held[j] === 0, value);
        expect(lines[KEPT_LINES[held.indexOf(0)]! - 1]!.endsWith(`,${value}`)).toBe(true);
        const fit = await fitOf(lines, choice);
        expect(fit.rowsFitted).toBe(before.rowsFitted);
        expect(fit.rowsKept).toBe(300);
        expect(fit.columns.propensity).toBe('pscore');
        expect(fit.mdp).toEqual(before.mdp);
      }
    });

    it(`refuses a row held out without one, by line and column, as aisle ope would (${JSON.stringify(choice)})`, async () => {
      const held = heldOutMask(KEPT_LINES.length, choice);
      const evaluated = held.indexOf(1);
      const lines = withPropensities((j) => held[j] === 0 || j === evaluated, '');
      expect(await problemsOf(() => parseLogLinesToFit(lines, 'logs.csv', WHERE, choice))).toEqual([
        `logs.csv:${KEPT_LINES[evaluated]}: column "pscore": ${HELD_RULE}, got ""`,
      ]);
    });
  }

  it('without a holdout every row is fitted, so none needs one', async () => {
    const before = await fitOf(TEXT.split('\n'), {});
    const fit = await fitOf(withPropensities(() => true, ''), {});
    expect(fit.rowsFitted).toBe(300);
    expect(fit.mdp).toEqual(before.mdp);
  });

  it("the app's fit reads them as the CLI does: the fitted rows' empty propensities pass, a held-out row's is refused", async () => {
    const choice = { holdout: 3 };
    const held = heldOutMask(KEPT_LINES.length, choice);
    const task = (lines: string[]) => fitLogsTask({ text: lines.join('\n'), fileName: 'logs.csv', where: WHERE.where, columns: {}, priorStrength: 1, holdout: choice });
    const fitted = await task(withPropensities((j) => held[j] === 0, ''));
    expect(fitted.ok && fitted.rowsFitted).toBe(300 - held.reduce((s, h) => s + h, 0));
    const evaluated = held.indexOf(1);
    const refused = await task(withPropensities((j) => j === evaluated, ''));
    expect(refused.ok ? [] : refused.problems).toEqual([
      `logs.csv:${KEPT_LINES[evaluated]}: column "pscore": ${HELD_RULE}, got ""`,
    ]);
  });
});
