// Results files on the Experiments screen: the selected experiments exported (a download in the
// browser), imported back once deleted, recognised when already here, and a file that is not one
// refused inline.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentSummary, PolicyExport, PolicySummary, RunPage } from '../../src/shared/dto';
import { holdCalls, openScreen } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

test('selected experiments exported to a results file, imported once, and a wrong file refused inline', async ({ app, server }) => {
  test.setTimeout(120_000);
  for (const name of ['cliff one', 'cliff two']) await call(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { episodes: 5, seeds: 2, checkpoints: 1 }) });
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total, { timeout: 60_000 }).toBe(4);
  await openScreen(app, '#/experiments');
  const row = (name: string) => app.getByTestId('experiment-row').filter({ hasText: name });
  await expect(row('cliff one')).toHaveCount(1);

  // A policy exported from its first run goes with it, and stays here (without its run) once it is deleted.
  const exported = await call<PolicyExport>(server, 'policies.export', { runId: 1 });

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
  // The export's notice went when the import started: it is not about the import beside it.
  await expect(app.getByTestId('export-results-ok')).toHaveCount(0);

  // Deleted, it comes back with new ids, its runs with it.
  await call(server, 'experiments.delete', { id: 1 });
  await expect(row('cliff one')).toHaveCount(0);
  // Where a user's press of Import results… leaves focus (the file is given to its input directly).
  await app.getByTestId('import-results').focus();
  await app.getByTestId('import-results-file').setInputFiles(file);
  // Its policy was still here: counted apart, not stored twice, and now the imported first run's.
  await expect(app.getByTestId('import-results-ok')).toHaveText('“cliff one” imported as experiment #3, with 2 runs, 4 checkpoints and 1 policy (1 already stored).');
  // Disabled while it imported, the button had dropped focus to <body>: it takes it back once done.
  await expect(app.getByTestId('import-results')).toBeFocused();
  await expect(row('cliff one')).toHaveCount(1);
  const listed = await call<ExperimentSummary[]>(server, 'experiments.list');
  expect(listed.map((e) => [e.id, e.name]).sort()).toEqual([[2, 'cliff two'], [3, 'cliff one']]);
  const firstImported = (await call<RunPage>(server, 'runs.list', { experimentId: 3, limit: 10 })).runs.map((r) => r.id).sort((a, b) => a - b)[0];
  expect((await call<PolicySummary[]>(server, 'policies.list')).map((p) => [p.id, p.runId])).toEqual([[exported.policyId, firstImported]]);

  // A file that is not one: one line naming it, under the button, with no failed request in the
  // console (the refusal answered 400, which Chromium logged as "Failed to load resource").
  const failed: string[] = [];
  app.on('console', (m) => {
    if (m.type() === 'error') failed.push(m.text());
  });
  app.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await app.getByTestId('import-results-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are not results, only notes about them') });
  await expect(app.getByTestId('import-results-error')).toHaveText('notes.txt: is not an Aisle results file (not a SQLite database): give a file `aisle results export` wrote');
  await expect(app.getByTestId('import-results')).toBeFocused();
  await expect(app.getByTestId('import-results-ok')).toHaveCount(0);
  // A damaged one (cut short) alike.
  await app.getByTestId('import-results-file').setInputFiles({ ...file, buffer: bytes.subarray(0, bytes.length / 2) });
  await expect(app.getByTestId('import-results-error')).toHaveText(
    "night.aisle-results: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short",
  );
  expect(failed).toEqual([]);

  // Focus the user put elsewhere while an import ran (typing in the search box) stays there: the
  // button takes it back only where the import dropped it, or a Space typed next would press it.
  const held = await holdCalls(app, /^experiments\.importResults$/);
  await app.getByTestId('import-results-file').setInputFiles(file);
  await expect.poll(() => held.counts.held).toBe(1);
  const search = app.getByTestId('experiments-search');
  await search.click();
  await search.pressSequentially('cliff');
  held.release();
  await expect(app.getByTestId('import-results-ok')).toContainText('“cliff one” is already here as experiment #3');
  await expect(app.getByTestId('import-results')).toBeEnabled();
  // The button's focus, where it would come, comes in the effect after the render that enables it: two frames on.
  await app.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await expect(search).toBeFocused();
});

test('a results file larger than the app imports is refused by its size at once, naming the file and the command that reads it', async ({ app }) => {
  await openScreen(app, '#/experiments');
  // Sparse: its size is all that is looked at. The app exports files this large (long runs' metrics);
  // it used to read and upload it for seconds, then show the transport's "request body is larger than 83886080 bytes".
  const folder = mkdtempSync(join(tmpdir(), 'aisle-e2e-results-'));
  const file = join(folder, 'long-runs.aisle-results');
  writeFileSync(file, '');
  truncateSync(file, 97 * 2 ** 20);
  try {
    await app.getByTestId('import-results-file').setInputFiles(file);
    await expect(app.getByTestId('import-results-error')).toHaveText(
      'long-runs.aisle-results: is 97 MB, more than the 48 MB the app imports: import it in a terminal with `aisle results import long-runs.aisle-results`, which reads larger files',
    );
    await expect(app.getByTestId('import-results')).toBeFocused();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a file or experiment name without spaces, longer than the window, wraps in the line under Import rather than widening the page', async ({ app }) => {
  await app.setViewportSize({ width: 900, height: 700 });
  await openScreen(app, '#/experiments');
  const name = `night_${'x'.repeat(200)}_end.txt`;
  await app.getByTestId('import-results-file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('these are not results') });
  await expect(app.getByTestId('import-results-error')).toContainText(`${name}: is not an Aisle results file`);
  expect(await app.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
});
