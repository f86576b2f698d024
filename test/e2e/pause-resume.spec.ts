// Run detail's Pause and Resume in the browser mode: a training run paused keeps its checkpoint
// (status paused, Resume offered at its episode), resumes where it stopped, and a Resume the
// service refuses (a checkpoint damaged on disk) says why inline, the run left paused. An
// interrupted run with an autosave says from which episode Resume continues it. Pressed from the
// keyboard, each hands focus to the other as it takes its place. Pause waits, disabled, until the
// run reads as paused.
import type { Locator, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import type { RunDetail } from '../../src/shared/dto';
import type { Launched } from './arrange';
import { countHandledAnswers, openScreen as open } from './arrange';
import { call, expect, test, type AisleServer } from './fixtures';

const endlessToy = { format: 'aisle.experiment/v1', name: 'paused toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 };

/** Launches the endless toy and opens its run's page, once it reads as running; `status` is the header's. */
async function openRunning(app: Page, server: AisleServer): Promise<{ id: number; status: Locator }> {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy });
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const status = app.getByTestId('run-detail').getByTestId('run-status');
  await expect(status).toHaveText('running');
  return { id, status };
}

test('run detail: Pause keeps a checkpoint, Resume continues from it, a refused Resume says why', async ({ app, server }) => {
  const { id, status } = await openRunning(app, server);
  await expect(app.getByTestId('resume-run')).toHaveCount(0);
  const bar = app.getByTestId('run-detail').getByTestId('run-progress');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);

  await app.getByTestId('pause-run').click();
  await expect(status).toHaveText('paused');
  await expect(app.getByTestId('pause-run')).toHaveCount(0);
  const paused = await call<RunDetail>(server, 'runs.get', { id });
  expect(paused.resumableAt).toBe(paused.episodesDone);
  expect(paused.resumableAt).toBeGreaterThan(0);
  await expect(app.getByTestId('resume-run')).toHaveAttribute('title', new RegExp(`checkpoint at episode ${paused.resumableAt!.toLocaleString('en-US')}:`));

  // A double click resumes it once: the second click was sent too, and its refusal ("not paused")
  // shown under a resumed run. Resume now waits, disabled: one call, its answer handled, no refusal.
  const resumesHandled = await countHandledAnswers(app, 'runs.resume');
  const resumesSent: string[] = [];
  app.on('request', (r) => void (r.url().endsWith('/api/call/runs.resume') && resumesSent.push(r.url())));
  await app.getByTestId('resume-run').dblclick();
  await expect(status).toHaveText('running');
  await expect.poll(resumesHandled).toBe(1);
  expect(resumesSent).toHaveLength(1);
  await expect(app.getByText('Run not paused or resumed')).toHaveCount(0);
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(paused.episodesDone);

  // From the keyboard: the button that takes the pressed one's place takes its focus (it fell to <body>).
  await app.getByTestId('pause-run').focus();
  await app.keyboard.press('Enter');
  await expect(status).toHaveText('paused');
  await expect(app.getByTestId('resume-run')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(status).toHaveText('running');
  await expect(app.getByTestId('pause-run')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(status).toHaveText('paused');
  await expect(app.getByTestId('resume-run')).toBeFocused();

  // A checkpoint damaged on disk: Resume says so beside the buttons, and the run stays paused, focus back on Resume.
  const db = new Database(server.dbPath);
  db.prepare("UPDATE run_states SET data = x'00' WHERE run_id = ?").run(id);
  db.close();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('alert').filter({ hasText: 'Run not paused or resumed' })).toContainText(`checkpoint: run ${id}'s checkpoint is not an Aisle run state`);
  await expect(status).toHaveText('paused');
  await expect(app.getByTestId('resume-run')).toBeFocused();
});

test('run detail: Pause waits, disabled, from its answer until the run reads as paused', async ({ app, server }) => {
  // runs.pause answers once the worker is told; the run reads as paused once its episodes under way
  // end and its results so far are written, which behind a fast run's backlog took seconds. Here
  // the answer comes and the run goes on (the server never hears the pause): the interval held open.
  const { id, status } = await openRunning(app, server);
  const pausesHandled = await countHandledAnswers(app, 'runs.pause');
  await app.route('**/api/call/runs.pause', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: { runId: id } }) }));
  await app.getByTestId('pause-run').click();
  await expect.poll(pausesHandled).toBe(1);
  await expect(app.getByTestId('pause-run')).toHaveText('Pausing…');
  await expect(app.getByTestId('pause-run')).toBeDisabled();
  await expect(status).toHaveText('running');
  // The run's end, whatever it is, lets the header go: cancelled here, it offers neither.
  await app.unroute('**/api/call/runs.pause');
  await call(server, 'runs.cancel', { ids: [id] });
  await expect(status).toHaveText('cancelled');
  await expect(app.getByTestId('pause-run')).toHaveCount(0);
});

test('run detail: an interrupted run with an autosave says so, and Resume continues from it', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: { ...endlessToy, name: 'crashed toy' } });
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const status = app.getByTestId('run-detail').getByTestId('run-status');
  const bar = app.getByTestId('run-detail').getByTestId('run-progress');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await app.getByTestId('pause-run').click();
  await expect(status).toHaveText('paused');
  // Its state as an autosave its process wrote before it was killed: the run left interrupted.
  const db = new Database(server.dbPath);
  db.prepare("UPDATE runs SET status = 'interrupted', error = 'interrupted: the process running it stopped before the run finished' WHERE id = ?").run(id);
  db.close();
  // The app opened afresh after the crash (setting the hash it already has would not fetch the run
  // again, and whether a late refresh of the pause saw the change was a race).
  await app.reload();
  await expect(status).toHaveText('interrupted');
  const interrupted = await call<RunDetail>(server, 'runs.get', { id });
  const episode = interrupted.resumableAt!.toLocaleString('en-US');
  await expect(app.getByTestId('resume-autosave')).toHaveText(`Resume continues from its last autosave, at episode ${episode}`);
  await expect(app.getByTestId('resume-run')).toHaveAttribute('title', new RegExp(`last autosave at episode ${episode}:`));
  await app.getByTestId('resume-run').click();
  await expect(status).toHaveText('running');
  await expect(app.getByTestId('resume-autosave')).toHaveCount(0);
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(interrupted.episodesDone);
  await app.getByTestId('pause-run').click();
  await expect(status).toHaveText('paused');
});
