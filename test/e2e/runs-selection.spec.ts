// The Runs screen's selection follows deletions made elsewhere: runs deleted by a second client of
// the same server (another window or tab) or by `aisle delete run` in a terminal (another process on
// the same database) leave the selection, so its count ("N not on this page") and Delete's dialog
// name only runs that still exist.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RunPage } from '../../src/shared/dto';
import { launchAndWait, openScreen as open } from './arrange';
import { call, cliffExperiment, expect, ROOT, test } from './fixtures';

const row = (page: Page, id: number) => page.locator(`[data-testid=run-row][data-id="${id}"]`);

test('runs deleted by another window or by `aisle delete` leave the selection and its count', async ({ app, server }) => {
  const aisle = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', server.dbPath, ...args], { cwd: ROOT, encoding: 'utf8' });
  const runIds = (await launchAndWait(server, cliffExperiment('selected cliff', undefined, { episodes: 20, seeds: 5 }))).runIds as [number, number, number, number, number];
  await open(app, '#/runs');
  for (const id of runIds) await row(app, id).getByTestId('select-run').check();
  const count = app.getByTestId('selection-count');
  await expect(count).toHaveText('5 selected');

  // Hidden by a filter, they stay selected and the count says so.
  await app.getByTestId('filter-failed').check();
  await expect(count).toHaveText('5 selected (5 not on this page)');
  // Window 2 deletes one through the contract; the terminal another (a commit noticed within a look, about a second).
  await call(server, 'runs.delete', { ids: [runIds[0]] });
  await expect(count).toHaveText('4 selected (4 not on this page)');
  const deleted = aisle('delete', 'run', String(runIds[1]), '--yes');
  expect(deleted.status, deleted.stderr).toBe(0);
  await expect(count).toHaveText('3 selected (3 not on this page)');

  // One deleted while its row is shown leaves the selection too, not the page only.
  await app.getByTestId('filter-failed').uncheck();
  await expect(count).toHaveText('3 selected');
  await call(server, 'runs.delete', { ids: [runIds[2]] });
  await expect(row(app, runIds[2])).toHaveCount(0);
  await expect(count).toHaveText('2 selected');
  await app.getByTestId('delete-selected').click();
  await expect(app.getByRole('dialog')).toContainText(`Runs ${runIds[3]}, ${runIds[4]}, with their metrics and checkpoints.`);
});

test('a selection of more runs than one call takes (1,000) is deleted whole', async ({ app, server }) => {
  const toy = (name: string, seeds: number) => ({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 1, seeds, checkpoints: 0 });
  await call(server, 'experiments.launch', { experiment: toy('many toys', 1000) });
  await call(server, 'experiments.launch', { experiment: toy('one more toy', 1) });
  const completed = async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total;
  await expect.poll(completed, { timeout: 60_000 }).toBe(1001);
  await open(app, '#/runs');
  await expect(app.getByTestId('runs-total')).toHaveText('1–100 of 1,001 runs');
  // Every run, page by page (the selection stays across pages).
  for (let page = 1; page <= 11; page++) {
    // On the page's own rows: the box still checked from the page before would make check() a no-op.
    const n = (x: number) => x.toLocaleString('en-US');
    await expect(app.getByTestId('runs-total')).toHaveText(`${n((page - 1) * 100 + 1)}–${n(Math.min(page * 100, 1001))} of 1,001 runs`);
    await app.getByLabel('Select every run on this page').check();
    await expect(app.getByTestId('selection-count')).toContainText(`${n(Math.min(page * 100, 1001))} selected`);
    if (page < 11) await app.getByTestId('next-page').click();
  }
  await expect(app.getByTestId('selection-count')).toHaveText('1,001 selected (1,000 not on this page)');
  await app.getByTestId('delete-selected').click();
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('runs-total')).toHaveText('0 runs');
  await expect(app.getByTestId('selection-count')).toHaveText('Select runs to compare, cancel or delete them.');
});
