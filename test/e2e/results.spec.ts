// Results files on the Experiments screen: the selected experiments exported (a download in the
// browser), imported back once deleted, recognised when already here, and a file that is not one
// refused inline.
import { readFileSync } from 'node:fs';
import type { ExperimentSummary, RunPage } from '../../src/shared/dto';
import { openScreen } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

test('selected experiments exported to a results file, imported once, and a wrong file refused inline', async ({ app, server }) => {
  test.setTimeout(120_000);
  for (const name of ['cliff one', 'cliff two']) await call(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { episodes: 5, seeds: 2, checkpoints: 1 }) });
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total, { timeout: 60_000 }).toBe(4);
  await openScreen(app, '#/experiments');
  const row = (name: string) => app.getByTestId('experiment-row').filter({ hasText: name });
  await expect(row('cliff one')).toHaveCount(1);

  // Nothing selected: the button says why it cannot act.
  await expect(app.getByTestId('export-results')).toHaveAttribute('aria-disabled', 'true');
  await row('cliff one').getByTestId('select-experiment').check();
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-results').click()]);
  expect(download.suggestedFilename()).toBe('experiment-1.aisle-results');
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3');
  await expect(app.getByTestId('export-results-ok')).toHaveText('Saved 1 experiment with 2 runs to your downloads (experiment-1.aisle-results).');

  // Still here: recognised, not imported again.
  const file = { name: 'night.aisle-results', mimeType: 'application/vnd.sqlite3', buffer: bytes };
  await app.getByTestId('import-results-file').setInputFiles(file);
  await expect(app.getByTestId('import-results-ok')).toHaveText('“cliff one” is already here as experiment #1: not imported again.');

  // Deleted, it comes back with new ids, its runs with it.
  await call(server, 'experiments.delete', { id: 1 });
  await expect(row('cliff one')).toHaveCount(0);
  await app.getByTestId('import-results-file').setInputFiles(file);
  await expect(app.getByTestId('import-results-ok')).toHaveText('“cliff one” imported as experiment #3, with 2 runs, 4 checkpoints and 0 policies.');
  await expect(row('cliff one')).toHaveCount(1);
  const listed = await call<ExperimentSummary[]>(server, 'experiments.list');
  expect(listed.map((e) => [e.id, e.name]).sort()).toEqual([[2, 'cliff two'], [3, 'cliff one']]);

  // A file that is not one: one line naming it, under the button.
  await app.getByTestId('import-results-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are not results, only notes about them') });
  await expect(app.getByTestId('import-results-error')).toHaveText('notes.txt: is not an Aisle results file (not a SQLite database): give a file `aisle results export` wrote');
  await expect(app.getByTestId('import-results-ok')).toHaveCount(0);
});
