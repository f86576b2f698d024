// New experiment's Random search (`aisle run --sample` in the app): distributions per parameter, a
// number of trials and a search seed; the experiments launched are those the engine's sampler draws
// for that seed (as the command draws them), opened side by side in Compare. Bad bounds are said
// under their row and hold Launch back.
import type { Page } from '@playwright/test';
import { openScreen as open } from './arrange';
import { call, expect, test } from './fixtures';
import { sampleValues } from '../../src/engine/sweep-sample';

/** Opens the form's Sweep as a random search of `trials` for `seed`, with a first row on `path`. */
async function randomSearchOf(app: Page, { trials, seed, path }: { trials: number; seed: number; path: string }): Promise<void> {
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-mode-random').check();
  await app.getByTestId('sweep-trials').fill(String(trials));
  await app.getByTestId('sweep-seed').fill(String(seed));
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption(path);
}

test('a random search of 4 trials launches the experiments the engine draws for its seed and opens Compare on them', async ({ app, server }) => {
  test.setTimeout(120_000);
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('input-episodes').fill('30');
  await app.getByTestId('input-seeds').fill('2');
  await randomSearchOf(app, { trials: 4, seed: 7, path: 'agent.alpha' });
  await app.getByTestId('sweep-kind-0').selectOption('log');
  // Bad bounds, said under the row: the lower bound of a log-uniform above 0, both inside alpha's range.
  await app.getByTestId('sweep-lo-0').fill('0');
  await app.getByTestId('sweep-hi-0').fill('1');
  await expect(app.getByTestId('sweep-problem-0')).toContainText('log-uniform needs a lower bound above 0');
  await app.getByTestId('sweep-lo-0').fill('0.01');
  await app.getByTestId('sweep-hi-0').fill('2');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText("2 is outside the parameter's range: it must be in (0, 1]");
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('sweep-hi-0').fill('1');
  await expect(app.getByTestId('sweep-problem-0')).toHaveCount(0);
  await expect(app.getByTestId('sweep-summary')).toHaveText('4 experiments × 2 seeds = 8 runs');
  await expect(app.getByTestId('launch')).toHaveText('Launch 8 runs');

  // Kept in the tab's draft, as a grid's rows are.
  await app.reload();
  await expect(app.getByTestId('sweep-mode-random')).toBeChecked();
  await expect(app.getByTestId('sweep-lo-0')).toHaveValue('0.01');
  await expect(app.getByTestId('launch')).toHaveText('Launch 8 runs');

  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/compare\?experiments=1,2,3,4$/);
  const labels = app.getByTestId('compare-group').getByTestId('group-label');
  await expect(labels).toHaveCount(4, { timeout: 90_000 });
  // `aisle run --sample agent.alpha=log:0.01:1 --trials 4 --search-seed 7` draws these.
  const [alpha] = sampleValues([{ kind: 'log', lo: 0.01, hi: 1 }], 4, 7);
  for (let t = 0; t < 4; t++) await expect(labels.nth(t)).toContainText(`alpha=${alpha![t]}`);

  // Run again of one of them, launched as a new search: its experiments are named as `aisle again
  // --sample` names them, "<name> (2) (alpha=…)", the new draw in place of the first search's value.
  const first = (await call<{ id: number; name: string }[]>(server, 'experiments.list')).find((e) => e.id === 1)!;
  const base = first.name.replace(/ \(alpha=[\d.]+\)$/, '');
  expect(base).not.toBe(first.name);
  await open(app, '#/experiments/new?from=1');
  // Opened before a search is chosen: a repeat of the same values keeps them in its name, after its number, which the search's names keep.
  await expect(app.getByTestId('input-name')).toHaveValue(first.name.replace(base, `${base} (2)`));
  await randomSearchOf(app, { trials: 2, seed: 3, path: 'agent.alpha' });
  await app.getByTestId('sweep-lo-0').fill('0.1');
  await app.getByTestId('sweep-hi-0').fill('0.9');
  await expect(app.getByTestId('launch')).toHaveText('Launch 4 runs');
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/compare\?experiments=5,6$/);
  const again = (await call<{ id: number; name: string }[]>(server, 'experiments.list')).filter((e) => e.id > 4).map((e) => e.name);
  expect(again).toHaveLength(2);
  for (const name of again) {
    expect(name.startsWith(`${base} (2) (alpha=`), name).toBe(true);
    expect(name).not.toContain(first.name);
  }
});
