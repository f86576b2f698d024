// Compare's probability-of-improvement matrix says its verdicts in words, as the saved report and
// `aisle compare` do: "better", "worse", or "no verdict" where one is withheld. The screen said them
// by colour alone (green, red, white), and "no verdict" only in a cell's title, on hover: on the
// shop-fatigue presets (5 seeds each), Q-learning against the myopic oracle read "0.84 [0.52, 1.00]",
// an interval above ½, which the report calls "no verdict" (the pair's test does not hold).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, ROOT } from './fixtures';
import { launchAndWait, openScreen } from './arrange';

const preset = (file: string) => ({ ...JSON.parse(readFileSync(join(ROOT, 'resources/experiments', file), 'utf8')), seeds: 5 });

test('each cell of the improvement matrix reads its verdict in words, the report’s words', async ({ app, server }) => {
  const ids: number[] = [];
  for (const file of ['shop-fatigue.json', 'shop-fatigue-myopic.json', 'shop-fatigue-popular.json']) ids.push((await launchAndWait(server, preset(file))).experimentId);
  await openScreen(app, `#/compare?experiments=${ids.join(',')}`);
  const cells = app.getByTestId('improvement-cell');
  await expect(cells).toHaveCount(6);

  // Every kind of cell is here: a verdict each way, and one withheld by the pair's test.
  const verdicts = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
  expect(verdicts).toContain('better');
  expect(verdicts).toContain('worse');
  expect(verdicts).toContain('withheld');
  const words: Record<string, string | null> = { better: 'better', worse: 'worse', withheld: 'no verdict', none: null };
  for (const cell of await cells.all()) {
    const word = words[(await cell.getAttribute('data-verdict'))!];
    if (word === null) await expect(cell.getByTestId('improvement-word')).toHaveCount(0);
    else await expect(cell.getByTestId('improvement-word')).toHaveText(word!);
  }

  // The screen's cells read as the report's: "0.84 [0.52, 1.00] no verdict", "1 [1, 1] better".
  const [report] = await Promise.all([app.waitForEvent('download'), app.getByTestId('compare-save-report').click()]);
  const markdown = readFileSync((await report.path())!, 'utf8');
  const rows = markdown.split('\n').filter((line) => /^\| [A-C] \| /.test(line));
  expect(rows).toHaveLength(3);
  const reportCells = rows.map((line) => line.split('|').slice(2, -1).map((c) => c.trim()));
  for (const cell of await cells.all()) {
    const [i, j] = [Number(await cell.getAttribute('data-row')), Number(await cell.getAttribute('data-col'))];
    const shown = (await cell.innerText()).replace(/\s+/g, ' ').trim();
    expect(shown).toBe(reportCells[i]![j]);
  }
});
