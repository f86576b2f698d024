// A run whose results wait for a database another process is writing to says so on the Runs table
// and on its page, and stops saying so once they are written: the test process holds the write
// lock of the browser-mode server's database, as `aisle run` or a second app would.
import Database from 'better-sqlite3';
import { openScreen as open, type Launched } from './arrange';
import type { ResultsExport, RunPage } from '../../src/shared/dto';
import { call, cliffExperiment, expect, test } from './fixtures';

const NOTICE = 'Waiting for the database: another Aisle process is writing. Training goes on; results are stored when it is done.';
const endlessToy = { format: 'aisle.experiment/v1', name: 'endless toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 };

test('a run waiting for another process to finish writing says so on Runs and on its page, until its results are written', async ({ app, server }) => {
  const id = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy })).runIds[0]!;
  await open(app, '#/runs');
  const row = app.locator(`[data-testid=run-row][data-id="${id}"]`);
  await expect(row).toHaveAttribute('data-status', 'running');
  await expect(row.getByTestId('database-wait')).toHaveCount(0);

  const other = new Database(server.dbPath);
  try {
    other.exec('BEGIN IMMEDIATE');
    // In the status cell: short, with the whole notice for hover and screen readers.
    const mark = row.getByTestId('database-wait');
    await expect(mark).toHaveText('waiting for the database');
    await expect(mark).toHaveAttribute('title', NOTICE);
    await expect(row.getByTestId('run-status')).toHaveText('running');
    // Its page, opened while it waits, says so beside its progress.
    await open(app, `#/runs/${id}`);
    const notice = app.getByTestId('run-detail').getByTestId('database-wait');
    await expect(notice).toHaveText(NOTICE);
    // In a status that was on the page before it came, so that it is read when it comes.
    await expect(notice.locator('xpath=..')).toHaveRole('status');
    // A page loaded while it waits (a reload, a second window) says so too: it asks when it opens.
    await app.reload();
    await expect(notice).toHaveText(NOTICE);
    other.exec('ROLLBACK');
    await expect(notice).toHaveCount(0);
    // The waiting results are stored: its progress moves on.
    const bar = app.getByTestId('run-detail').getByTestId('run-progress');
    const before = Number(await bar.getAttribute('aria-valuenow'));
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(before);
    await open(app, '#/runs');
    await expect(row).toHaveAttribute('data-status', 'running');
    await expect(row.getByTestId('database-wait')).toHaveCount(0);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  }
});

test("a run waiting for the app's own results import names the file on its page", async ({ app, server }) => {
  await call(server, 'experiments.launch', { experiment: cliffExperiment('small', undefined, { episodes: 5, seeds: 1 }) });
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total, { timeout: 60_000 }).toBe(1);
  const { base64 } = await call<ResultsExport>(server, 'experiments.exportResults', { ids: [1] });
  const id = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy })).runIds[0]!;
  await open(app, `#/runs/${id}`);
  const notice = app.getByTestId('run-detail').getByTestId('database-wait');
  await expect(notice).toHaveCount(0);

  // Holds the lock as the import's transaction does, while the import is under way (it waits for it).
  const other = new Database(server.dbPath);
  try {
    other.exec('BEGIN IMMEDIATE');
    const importing = call(server, 'experiments.importResults', { base64, fileName: 'night.aisle-results' });
    const NAMED = 'Waiting for the database: this app is importing results (night.aisle-results). Training goes on; results are stored when it is done.';
    await expect(notice).toHaveText(NAMED);
    // A page loaded meanwhile asks, and is told who writes too.
    await app.reload();
    await expect(notice).toHaveText(NAMED);
    other.exec('ROLLBACK');
    await importing;
    await expect(notice).toHaveCount(0);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  }
});

test('a run that starts waiting while the page has no event stream says so once the stream opens', async ({ app, server }) => {
  const id = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy })).runIds[0]!;
  // The page loaded again with its event stream refused (a proxy, a network dropping it): it says
  // live updates have stopped, and hears no push of the run starting to wait.
  await app.route('**/api/events**', (route) => route.abort());
  await open(app, `#/runs/${id}`);
  await app.reload();
  await expect(app.getByTestId('connection-lost')).toContainText('Lost the connection to Aisle');
  const notice = app.getByTestId('run-detail').getByTestId('database-wait');
  const other = new Database(server.dbPath);
  try {
    other.exec('BEGIN IMMEDIATE');
    await expect.poll(async () => (await call<{ runId: number }[]>(server, 'runs.waitingForDatabase', {})).map((r) => r.runId), { timeout: 30_000 }).toEqual([id]);
    await expect(notice).toHaveCount(0);
    // The stream opens (its retry): the page asks which runs wait, and says this one does.
    await app.unroute('**/api/events**');
    await expect(app.getByTestId('connection-lost')).toHaveCount(0, { timeout: 15_000 });
    await expect(notice).toHaveText(NOTICE);
    other.exec('ROLLBACK');
    await expect(notice).toHaveCount(0);
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
  }
});
