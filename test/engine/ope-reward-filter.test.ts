// Rows kept by their reward are refused, by `aisle ope`, `aisle logs mdp` and the app alike: on
// Open Bandit's random rows `--where click=1` kept the 46 clicked rows, and the evaluation printed
// 'logging policy: mean click 1 (95% CI 1 … 1)' with IPS, SNIPS, DM and DR all about 1, as if every
// policy clicked always; a simulator fitted to them pays 1 for every action.
import { describe, expect, it } from 'vitest';
import { parseEvaluatedLogLines, parseLogLinesToFit, parseTargetRowLines } from '../../src/engine/ope/csv';
import { appHowToName } from '../../src/main/logs-task';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { problemsOf } from '../helpers/validation-problems';

const LINES = logsCsv(syntheticRows(200, 3)).split('\n');
const CLI = 'logs.csv: cannot keep rows by column "click": it is the reward, and on the rows with click=1 every reward is 1, which leaves the estimates and a fit nothing to tell: drop click=1';

describe('a filter on the reward column', () => {
  it('is refused, naming the filter to drop, whether the rows are evaluated, a target’s or fitted', async () => {
    const where = { policy: 'uniform', click: '1' };
    expect(await problemsOf(() => parseEvaluatedLogLines(LINES, 'logs.csv', { where }, { choice: {}, label: 'holdout', fix: '' }))).toEqual([CLI]);
    expect(await problemsOf(() => parseTargetRowLines(LINES, 'logs.csv', { where }))).toEqual([CLI]);
    expect(await problemsOf(() => parseLogLinesToFit(LINES, 'logs.csv', { where }, {}))).toEqual([CLI]);
  });

  it('says what to do in the app’s words there, and lets a filter on any other column through', async () => {
    expect(await problemsOf(() => parseLogLinesToFit(LINES, 'logs.csv', { where: { click: '0' }, howToName: appHowToName }, {}))).toEqual([
      'logs.csv: cannot keep rows by column "click": it is the reward, and on the rows with click=0 every reward is 0, which leaves the estimates and a fit nothing to tell: set the click filter to any',
    ]);
    // The reward another column: click is a filter like any other.
    const read = await parseLogLinesToFit(LINES, 'logs.csv', { reward: 'position', context: null, where: { click: '1' } }, {});
    expect(read.rowsKept).toBeGreaterThan(0);
  });
});
