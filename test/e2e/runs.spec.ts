// The Runs and Run detail screens in the browser mode: the server-side paged, filtered and sorted
// table, selection (compare, cancel, guarded delete), and one run's curves, panels and controls.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import type { RunDetail, RunPage } from '../../src/shared/dto';
import { countProgressPushes, holdCalls, launchAndWait, openScreen as open, saveScreenshot, type Launched } from './arrange';
import { call, cliffExperiment, expect, ROOT, startServer, stopServer, test } from './fixtures';

const endlessToy = (name: string) => ({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 });

const row = (page: Page, id: number) => page.locator(`[data-testid=run-row][data-id="${id}"]`);

// One training worker (the pool's own has cores − 1): the sidebar says '1 worker', and the README's
// screenshot shows one run of 'longer cliff' running and the other queued behind it; on 3 cores or
// more the sidebar said '2 workers' and both runs trained.
test.describe('the runs table on one training worker', () => {
  test.use({ serverWorkers: 1 });

  test('the runs table: paged on the server, filtered, sorted, searched, and selected runs compared', async ({ app, server }) => {
    const many = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('many seeds', undefined, { episodes: 20, seeds: 103 }) });
    const few = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('three seeds', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }) });
    await open(app, '#/runs');
    // The sidebar names the door and the database the service opened.
    await expect(app.getByTestId('app-info')).toHaveText(/^v\d+\.\d+\.\d+ · browser mode · 1 worker$/);
    await expect(app.getByTestId('app-info')).toHaveAttribute('title', server.dbPath);
    await expect(app.getByTestId('runs-total')).toHaveText('1–100 of 106 runs');
    await expect(app.getByTestId('run-row')).toHaveCount(100);
    await expect(app.getByTestId('run-row').first()).toHaveAttribute('data-id', '106'); // newest first
    await app.getByTestId('next-page').click();
    await expect(app.getByTestId('runs-total')).toHaveText('101–106 of 106 runs');
    await expect(app.getByTestId('run-row')).toHaveCount(6);

    await app.getByRole('button', { name: '‹ Previous' }).click();
    await expect(app.getByTestId('run-row')).toHaveCount(100);

    // Filter to one experiment by its link, then by status.
    await row(app, few.runIds[0]!).getByRole('link', { name: 'three seeds' }).click();
    await expect(app).toHaveURL(new RegExp(`experiment=${few.experimentId}`));
    await expect(app.getByTestId('run-row')).toHaveCount(3);
    await expect(app.locator('[data-testid=run-row][data-status=completed]')).toHaveCount(3);
    await app.getByTestId('filter-completed').check();
    await expect(app.getByTestId('runs-total')).toHaveText('1–3 of 3 runs');
    await app.getByTestId('filter-completed').uncheck();
    await app.getByTestId('filter-failed').check();
    await expect(app.getByTestId('run-row')).toHaveCount(0);
    await expect(app.getByText('No runs match these filters.')).toBeVisible();
    // Clear filters brings every run back (of every experiment); Back returns to the filters.
    await app.getByTestId('clear-filters').click();
    await expect(app.getByTestId('filter-failed')).not.toBeChecked();
    await expect(app).not.toHaveURL(/status=|experiment=/);
    await expect(app.getByTestId('run-row')).not.toHaveCount(0);
    await app.goBack();
    await expect(app.getByTestId('filter-failed')).toBeChecked();
    await expect(app.getByTestId('run-row')).toHaveCount(0);
    await app.getByTestId('filter-failed').uncheck();
    // Two filters clicked within one task, before the first has come back through the URL: both hold.
    await app.evaluate(() => ['completed', 'failed'].forEach((s) => document.querySelector<HTMLInputElement>(`[data-testid=filter-${s}]`)!.click()));
    await expect(app).toHaveURL(/status=completed,failed/);
    await expect(app.getByTestId('runs-total')).toHaveText('1–3 of 3 runs');
    await app.getByTestId('filter-completed').uncheck();
    await app.getByTestId('filter-failed').uncheck();

    // Sort by seed: descending first, then ascending.
    await app.getByTestId('sort-seed').click();
    await expect(app.getByTestId('run-row').first()).toHaveAttribute('data-id', String(few.runIds[2]));
    await app.getByTestId('sort-seed').click();
    await expect(app).toHaveURL(/desc=0/);
    await expect(app.getByTestId('run-row').first()).toHaveAttribute('data-id', String(few.runIds[0]));

    // Search across every experiment.
    await open(app, '#/runs');
    await app.getByTestId('runs-search').fill('many seeds');
    await expect(app.getByTestId('runs-total')).toHaveText(`1–100 of ${many.runIds.length} runs`);
    await app.getByTestId('runs-search').fill('');
    await expect(app.getByTestId('runs-total')).toHaveText('1–100 of 106 runs');

    // Select two runs and compare them.
    await row(app, 106).getByTestId('select-run').check();
    await row(app, 104).getByTestId('select-run').check();
    await expect(app.getByTestId('selection-count')).toHaveText('2 selected');
    await expect(app.getByTestId('cancel-selected')).toBeDisabled(); // both finished
    // A filter that hides them leaves them selected, and the count says so (Delete would act on them).
    await app.getByTestId('filter-failed').check();
    await expect(app.getByTestId('selection-count')).toHaveText('2 selected (2 not on this page)');
    await app.getByTestId('filter-failed').uncheck();
    await expect(app.getByTestId('selection-count')).toHaveText('2 selected');
    await app.getByTestId('compare-selected').click();
    await expect(app).toHaveURL(/#\/compare\?runs=104,106$/);

    // For the README: the table while a longer experiment runs (one run at a time on one worker).
    // ε = 1 keeps its episodes long, so it is still running when the table is drawn, however fast the machine.
    const explorer = { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 1 };
    const busy = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('longer cliff', explorer, { episodes: 10_000_000, seeds: 2 }) });
    await open(app, '#/runs');
    await expect(row(app, busy.runIds[0]!).getByTestId('run-status')).toHaveText('running');
    await expect(row(app, busy.runIds[1]!).getByTestId('run-status')).toHaveText('queued');
    await row(app, 105).getByTestId('select-run').check();
    await saveScreenshot(app, 'runs', { fullPage: false });
    await call(server, 'runs.cancel', { ids: busy.runIds });
  });
});

test('sort by experiment, agent and environment (A to Z first), and by progress as the fraction done', async ({ app, server }) => {
  const [one, two] = (await launchAndWait(server, cliffExperiment('beta cliff', { id: 'sarsa' }, { episodes: 50, seeds: 2 }))).runIds as [number, number];
  const bandit = { format: 'aisle.experiment/v1', name: 'Alpha bandit', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 50, seeds: 1 };
  const [three] = (await launchAndWait(server, bandit)).runIds as [number];
  // Still running, but with more episodes done than the finished runs have in all.
  const [four] = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') })).runIds as [number];
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', { search: `#${four}` })).runs[0]!.episodesDone).toBeGreaterThan(50);
  await open(app, '#/runs');
  const order = () => app.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
  const header = (name: string) => app.getByRole('columnheader', { name, exact: true });

  // Names ignore case: "endless toy" after "beta cliff", though "E" < "b" in code points.
  await app.getByTestId('sort-experiment').click();
  await expect(app).toHaveURL(/sort=experiment&desc=0/);
  await expect(header('experiment')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(order).toEqual([three, one, two, four]);
  await app.getByTestId('sort-experiment').click();
  await expect(header('experiment')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(order).toEqual([four, two, one, three]);

  await app.getByTestId('sort-agent').click(); // q-learning, sarsa, ucb1
  await expect(header('experiment')).toHaveAttribute('aria-sort', 'none');
  await expect.poll(order).toEqual([four, one, two, three]);
  await app.getByTestId('sort-env').click(); // bandit-testbed, seed-toy, tabular-mdp
  await expect.poll(order).toEqual([three, four, one, two]);

  // Most done first: the finished runs (all of theirs), then the endless one (a sliver of its own).
  await app.getByTestId('sort-episodesDone').click();
  await expect(app).toHaveURL(/sort=episodesDone$/);
  await expect.poll(order).toEqual([three, two, one, four]);
  await app.getByTestId('sort-episodesDone').click();
  await expect.poll(order).toEqual([four, one, two, three]);
  await call(server, 'runs.cancel', { ids: [four] });
});

test('cancel a running run from the table (asked first); delete asks first and says it cancels an active run', async ({ app, server }) => {
  const done = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('finished cliff', undefined, { seeds: 1 }) });
  const long = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') });
  const [longId] = long.runIds as [number];
  await open(app, '#/runs');
  await expect(row(app, longId).getByTestId('run-status')).toHaveText('running');
  const bar = row(app, longId).getByTestId('run-progress');
  const first = Number(await bar.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(first);
  // Its return over the last 100 episodes is read while it trains, and says it is so far.
  await expect(row(app, longId).getByTestId('return-last100')).toHaveText(/\d so far$/);

  await row(app, longId).getByTestId('select-run').check();
  await row(app, done.runIds[0]!).getByTestId('select-run').check();
  await app.getByTestId('delete-selected').click();
  await expect(app.getByTestId('confirm-dialog')).toContainText('Delete 2 runs?');
  await expect(app.getByTestId('confirm-dialog')).toContainText(`Run ${longId} is running: it is cancelled first.`);
  await expect(app.getByTestId('confirm')).toHaveText('Cancel and delete 2 runs');
  await app.getByRole('button', { name: 'Keep' }).click();

  // "Cancel 1 run", not a bare "Cancel" that reads like closing something; a run that has played
  // episodes is asked about first.
  await expect(app.getByTestId('cancel-selected')).toHaveText('Cancel 1 run');
  await app.getByTestId('cancel-selected').click();
  await expect(app.getByTestId('confirm-dialog')).toContainText('Cancel 1 run?');
  await expect(app.getByTestId('confirm-dialog')).toContainText(`Run ${longId} has played episodes.`);
  await app.getByRole('button', { name: 'Keep training' }).click();
  await expect(row(app, longId).getByTestId('run-status')).toHaveText('running');
  await app.getByTestId('cancel-selected').click();
  await app.getByTestId('confirm').click();
  await expect(row(app, longId).getByTestId('run-status')).toHaveText('cancelled');
  // Stopped early, it keeps its return, and says which episodes it is over.
  const stopped = row(app, longId).getByTestId('return-last100');
  await expect(stopped).toHaveText(/\d$/); // no longer "so far"
  await expect(stopped).toHaveAttribute('title', 'Over its last 100 stored episodes: the run stopped before the end');
  await expect(app.getByTestId('cancel-selected')).toBeDisabled();

  await app.getByTestId('delete-selected').click();
  await expect(app.getByTestId('confirm-dialog')).not.toContainText('cancelled first');
  await expect(app.getByTestId('confirm')).toHaveText('Delete 2 runs');
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('run-row')).toHaveCount(0);
  await expect(app.getByTestId('selection-count')).not.toContainText('selected');
});

test('delete a running run in one step: its dialog follows its status, and confirming cancels it, then deletes it', async ({ app, server }) => {
  const first = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') })).runIds[0]!;
  const second = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy 2') })).runIds[0]!;
  await open(app, '#/runs');
  await expect(row(app, first).getByTestId('run-status')).toHaveText('running');
  await row(app, first).getByTestId('select-run').check();
  await app.getByTestId('delete-selected').click();
  const dialog = app.getByTestId('confirm-dialog');
  await expect(dialog).toContainText(`Run ${first} is running: it is cancelled first.`);
  await expect(app.getByTestId('confirm')).toHaveText('Cancel and delete 1 run');
  // The run stops while the dialog is open (here from elsewhere): the dialog says so at once.
  await call(server, 'runs.cancel', { ids: [first] });
  await expect(dialog).not.toContainText('cancelled first');
  await expect(app.getByTestId('confirm')).toHaveText('Delete 1 run');
  await app.getByRole('button', { name: 'Keep' }).click();

  // A running run: one confirmation cancels it and deletes it, with no refusal on the way.
  await row(app, first).getByTestId('select-run').uncheck();
  await expect(row(app, second).getByTestId('run-status')).toHaveText('running');
  await row(app, second).getByTestId('select-run').check();
  await app.getByTestId('delete-selected').click();
  await app.getByTestId('confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(row(app, second)).toHaveCount(0);
  await expect(app.getByTestId('confirm-error')).toHaveCount(0);
  const left = await call<RunPage>(server, 'runs.list', {});
  expect(left.runs.map((r) => r.id)).toEqual([first]);
});

test('a confirmation stays open while its action runs: Escape and Keep do not hide the outcome', async ({ app, server }) => {
  const id = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('held delete') })).runIds[0]!;
  await call(server, 'runs.cancel', { ids: [id] });
  await open(app, '#/runs');
  await expect(row(app, id).getByTestId('run-status')).toHaveText('cancelled');
  await row(app, id).getByTestId('select-run').check();
  const dialog = app.getByTestId('confirm-dialog');
  // The delete is held, then refused: the refusal is shown in the dialog, which Escape did not close.
  // Held until the test has pressed Escape and Keep while it runs (a fixed 1.5 s left a slow machine
  // to refuse it before those keys, and they then closed a dialog whose action was over).
  const deletes = await holdCalls(app, /^runs\.delete$/, {
    answer: { status: 400, body: { ok: false, error: { name: 'ValidationError', message: 'held and refused by the test', status: 400 } } },
  });
  await app.getByTestId('delete-selected').click();
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('confirm')).toHaveText('Working…');
  await app.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  // Keep says it is not available now (aria-disabled, which Playwright waits out unless forced).
  await expect(dialog.getByRole('button', { name: 'Keep' })).toHaveAttribute('aria-disabled', 'true');
  await dialog.getByRole('button', { name: 'Keep' }).click({ force: true });
  await expect(dialog).toBeVisible();
  // The refusal goes to calls held before the release (a call not yet at the route would delete).
  await expect.poll(() => deletes.counts.held).toBe(1);
  deletes.release();
  await expect(app.getByTestId('confirm-error')).toContainText('held and refused by the test');
  await expect(app.getByTestId('confirm')).toHaveText('Delete 1 run');
  // Done, it closes as before; and once the action is over, Escape closes it.
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // Pressed again, the delete reaches the server (holdCalls refuses only what it held).
  await app.getByTestId('delete-selected').click();
  await app.getByTestId('confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(row(app, id)).toHaveCount(0);
});

test('run detail: a curve per metric with smoothing, band and all points; config, fingerprint and the greedy policy against the optimum', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('detail cliff', undefined, { episodes: 5000, seeds: 1 }) });
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  await expect(app.getByTestId('greedy-panel')).toBeVisible();
  await expect(app.getByTestId('optimal-return')).toHaveText('-13');
  await expect(app.getByTestId('normalized-score')).not.toBeEmpty();
  // gamma 1: the exact returns are undiscounted, over the environment's 200 steps at most.
  await expect(app.getByTestId('greedy-caption')).toContainText('Expected returns over at most 200 steps, from the start states.');

  const detail = await call<{ metrics: string[] }>(server, 'runs.get', { id });
  expect(detail.metrics).toEqual(expect.arrayContaining(['return', 'length']));
  await expect(app.locator('canvas[data-drawn]')).toHaveCount(detail.metrics.length);
  // In reading order: the return, the length, then the agent's training metrics.
  const charts = await app.locator('figure.metric-chart').evaluateAll((figures) => figures.map((f) => f.getAttribute('data-testid')));
  expect(charts).toEqual(['metric-return', 'metric-length', 'metric-train/epsilon']);
  // A constant ε says so and takes a low chart; the return, which varies, a full one.
  await expect(app.getByTestId('metric-train/epsilon').getByTestId('constant-note')).toHaveText('0.1 at every episode');
  await expect(app.getByTestId('metric-return').getByTestId('constant-note')).toHaveCount(0);
  const heights = await app.locator('figure.metric-chart .chart').evaluateAll((all) => all.map((c) => (c as HTMLElement).offsetHeight));
  expect(heights[2]!).toBeLessThan(heights[0]! / 2);
  const returns = app.getByTestId('metric-return');
  await expect(returns.getByTestId('points-note')).toHaveText('1,667 bucket means of 5,000 episodes');

  // Smoothing starts automatic: with 1,667 bucket means (of 3 episodes), the EMA spans about 1 % of them (0.94), not TensorBoard's 0.6.
  await expect(app.getByTestId('smoothing-auto')).toBeChecked();
  await expect(app.getByTestId('smoothing-value')).toHaveText('0.94');
  expect(new URL(app.url()).hash).not.toContain('smooth=');
  // All 5,000 points shown: still automatic, that chart's EMA spans about 1 % of them (0.98), not 1 %
  // of the bucket means (0.94 on 5,000 raw points was a noisy band), and its caption says so.
  await returns.getByTestId('show-all').click();
  await expect(app.getByTestId('chart-return')).toHaveAttribute('aria-label', /return \(smoothed 0\.98\)/);
  await expect(returns.getByTestId('own-smoothing')).toHaveText('smoothed 0.98 here: auto, for all its points');
  await expect(app.getByTestId('metric-length').getByTestId('own-smoothing')).toHaveCount(0);
  await returns.getByRole('button', { name: /Back to/ }).click();
  await expect(returns.getByTestId('own-smoothing')).toHaveCount(0);
  // The min–max band starts off (it spans the buckets' extremes: on noisy returns it filled the chart
  // and set the y axis by the outliers), and draws when asked for.
  const chart = app.getByTestId('chart-return');
  await expect(app.getByTestId('band')).not.toBeChecked();
  await expect(chart).toHaveAttribute('data-band-fills', '');
  await app.getByTestId('band').check();
  await expect(app).toHaveURL(/band=on/);
  await expect(chart).not.toHaveAttribute('data-band-fills', '');
  // Controls redraw the charts: smoothing off, band off, then every point.
  const drawn = async () => Number(await chart.getAttribute('data-drawn'));
  const before = await drawn();
  await app.getByTestId('smoothing').fill('0');
  await expect(app.getByTestId('smoothing-value')).toHaveText('0.00');
  await expect(app.getByTestId('smoothing-auto')).not.toBeChecked();
  await app.getByTestId('band').uncheck();
  await expect.poll(drawn).toBeGreaterThan(before);
  await expect(chart).toHaveAttribute('data-band-fills', '');
  expect(new URL(app.url()).hash).not.toContain('band=');
  await returns.getByTestId('show-all').click();
  await expect(returns.getByTestId('points-note')).toHaveText('all 5,000 episodes');

  await expect(app.getByTestId('fingerprint')).toContainText('tabular-mdp');
  await expect(app.getByTestId('fingerprint')).toContainText('MDP hash');
  await expect(app.getByLabel('Environment configuration')).toContainText('MDP: cliff walking (Sutton & Barto, Example 6.6), 48 states × 4 actions');
  await expect(app.getByLabel('Agent configuration')).toContainText('q-learning');
  await expect(app.getByTestId('summary')).toContainText('return');
  await expect(app.getByRole('link', { name: 'Q-table', exact: true })).toHaveAttribute('href', `#/qtables?a=${id}`);
  await expect(app.getByRole('link', { name: 'Export policy' })).toHaveAttribute('href', `#/policies?export=${id}`);
  // It repeats the whole experiment, not this run: named so, as the Experiments screen's Run again opens the same draft.
  await expect(app.getByRole('link', { name: 'Run experiment again' })).toHaveAttribute('href', '#/experiments/new?from=1');
  await app.getByTestId('smoothing').fill('0.6');
  await app.getByTestId('band').check();
  await returns.getByRole('button', { name: /Back to/ }).click();
  await expect(returns.getByTestId('points-note')).toHaveText(/bucket means of 5,000 episodes$/);
  // The view lives in the URL: a reload keeps the smoothing and the band.
  await app.getByTestId('smoothing').fill('0.3');
  await expect(app).toHaveURL(/smooth=0\.3/);
  await expect(app).toHaveURL(/band=on/);
  await app.reload();
  await expect(app.getByTestId('smoothing-value')).toHaveText('0.30');
  await expect(app.getByTestId('band')).toBeChecked();
  await app.getByTestId('band').uncheck();
  // Back to automatic: the weight for the points again, and no `smooth` in the address.
  const beforeAuto = await drawn();
  await app.getByTestId('smoothing-auto').check();
  await expect(app.getByTestId('smoothing-value')).toHaveText('0.94');
  await expect(app).not.toHaveURL(/smooth=/);
  // The README's picture is what a user first sees: automatic smoothing, no band.
  await expect.poll(drawn).toBeGreaterThan(beforeAuto);
  await expect(chart).toHaveAttribute('data-band-fills', '');
  await saveScreenshot(app, 'run-detail', { fullPage: false });

  // Metrics CSV: a download of every stored episode, one column per metric. Pressed from the keyboard,
  // the button, disabled while it exports, has focus again once it is done. Downloaded as a Blob as
  // in Firefox and Safari: Chromium's save picker (which Playwright cannot answer) taken away, the
  // path without it (metrics-csv.spec writes to a picked file).
  await app.evaluate(() => delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker);
  await app.getByTestId('metrics-csv').focus();
  const [download] = await Promise.all([app.waitForEvent('download'), app.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe(`run-${id}-metrics.csv`);
  // Streamed by the host (never through the contract's JSON), it is the contract's CSV byte for byte.
  const downloaded = readFileSync((await download.path())!, 'utf8');
  expect(downloaded).toBe((await call<{ text: string }>(server, 'runs.metricsCsv', { id })).text);
  const [header, ...rows] = downloaded.trimEnd().split('\n');
  expect(header).toBe(`episode,${[...detail.metrics].sort().join(',')}`);
  expect(rows).toHaveLength(5000);
  expect(rows[4999]).toMatch(/^4999,\d+,-\d+,0\.1$/); // length, return, ε as stored (0.1, not 0.10000000149011612)
  await expect(app.getByTestId('metrics-csv-saved')).toHaveText(`5,000 episodes × ${detail.metrics.length} metrics saved to your downloads (run-${id}-metrics.csv).`);
  await expect(app.getByTestId('metrics-csv')).toBeFocused();
});

test('run detail of a running run: live progress and Cancel', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') });
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const status = app.getByTestId('run-detail').getByTestId('run-status');
  await expect(status).toHaveText('running');
  const bar = app.getByTestId('run-detail').getByTestId('run-progress');
  const first = Number(await bar.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(first);
  await expect.poll(() => app.locator('canvas[data-drawn]').count()).toBeGreaterThanOrEqual(1);
  // The summary is there while it trains, over the episodes played so far (the first of them, when its last read is behind the progress).
  await expect(app.getByTestId('summary-so-far')).toContainText(/^So far: over the (first [\d,]+ of the )?[\d,]+ episodes played of 100,000,000\.$/);
  await expect(app.getByTestId('summary-return')).toBeVisible();
  await expect(app.getByTestId('summary')).not.toContainText('No episodes recorded yet');
  // The curves follow the run, one read of a metric at a time: a tick during a read waits for it,
  // here with every read slowed to 1.5 s, twice the ticks' interval (a long run on a busy server).
  await app.route(/runs\.metrics/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  const inFlight = new Map<Request, string>(); // the reads seen to start, by the metric they read
  let reads = 0;
  let most = 0;
  app.on('request', (r) => {
    if (!r.url().includes('runs.metrics')) return;
    const metric = (JSON.parse(r.postData() ?? '{}') as { metric: string }).metric;
    reads++;
    inFlight.set(r, metric);
    most = Math.max(most, [...inFlight.values()].filter((m) => m === metric).length);
  });
  const done = (r: Request) => void inFlight.delete(r);
  app.on('requestfinished', done);
  app.on('requestfailed', done);
  await expect.poll(() => reads, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
  expect(most).toBe(1);
  // "Cancel run" asks first, since the run has played episodes.
  await expect(app.getByTestId('cancel-run')).toHaveText('Cancel run');
  await app.getByTestId('cancel-run').click();
  await expect(app.getByTestId('confirm-dialog')).toContainText(`Cancel run ${id}?`);
  await expect(app.getByTestId('confirm-dialog')).toContainText(/It has played [\d,]+ of 100,000,000 episodes\./);
  await app.getByRole('button', { name: 'Keep training' }).click();
  await expect(status).toHaveText('running');
  await app.getByTestId('cancel-run').click();
  await app.getByTestId('confirm').click();
  await expect(status).toHaveText('cancelled');
  await expect(app.getByTestId('cancel-run')).toHaveCount(0);
});

test('run detail: a one-step horizon reads "1 step", the discounted caption points below to the curves, and a long run says why its points are means', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('one step', { id: 'q-learning', gamma: 0.9 }, { seeds: 1, episodes: 50, env: { ...cliffExperiment('').env, maxSteps: 1 } }));
  await open(app, `#/runs/${runIds[0]!}`);
  await expect(app.getByTestId('greedy-caption')).toContainText('Expected returns discounted by γ = 0.9 over 1 step, from the start states: the return curve below is undiscounted');

  // More episodes than a chart draws one by one: the note says so plainly.
  const id = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('long toy') })).runIds[0]!;
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', {})).runs.find((r) => r.id === id)!.episodesDone, { timeout: 60_000 }).toBeGreaterThan(210_000);
  await call(server, 'runs.cancel', { ids: [id] });
  await expect.poll(async () => (await call<RunPage>(server, 'runs.list', {})).runs.find((r) => r.id === id)!.status).toBe('cancelled');
  await open(app, `#/runs/${id}`);
  await expect(app.getByTestId('metric-return').getByTestId('too-many-note')).toHaveText(
    /^This run has [\d,]+ episodes, more than the 200,000 a chart can draw one by one without slowing down: each point is the mean of about [\d,]+ episodes\.$/,
  );
});

test('run detail: a greedy policy far from the optimum says so before its normalised score, which the caption explains', async ({ app, server }) => {
  // One episode of Q-learning on the cliff: the greedy policy is far from the optimum, yet the
  // random policy falls off the cliff so often that the score still reads high.
  const { runIds } = await launchAndWait(server, cliffExperiment('barely trained', undefined, { seeds: 1, episodes: 1 }));
  const id = runIds[0]!;
  const g = (await call<RunDetail>(server, 'runs.get', { id })).greedy!;
  expect(g.optimalityGap).toBeGreaterThan(0.1 * Math.abs(g.optimalReturn));
  expect(g.normalizedScore!).toBeGreaterThan(0.5);
  await open(app, `#/runs/${id}`);
  const verdict = app.getByTestId('greedy-gap');
  await expect(verdict).toHaveAttribute('data-closeness', 'far');
  await expect(verdict).toContainText(/^Far from optimal: [\d,.]+ below the optimum \(-13\), a gap of .+ the optimal return’s size\. Its normalised score, 0\.\d+, looks good only because the random policy does far worse/);
  // The gap is the table's first column; the caption says what the score is measured from.
  await expect(app.getByTestId('greedy-panel').locator('th').first()).toHaveText('gap (optimal − greedy)');
  await expect(app.getByTestId('optimality-gap')).not.toBeEmpty();
  await expect(app.getByTestId('greedy-caption')).toContainText('It is measured from the random policy’s return, which can be very poor');
});

test('the experiment filter’s chip names the experiment', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('chip cliff', undefined, { seeds: 1 }));
  await open(app, `#/runs?experiment=${experimentId}`);
  await expect(app.getByTestId('experiment-chip')).toHaveText(`chip cliff #${experimentId} ✕`);
});

test('a name longer than a narrow window (no spaces to wrap at) is cut in the chip, its ✕ in sight and the page not wider than the window', async ({ app, server }) => {
  const name = `shop_fatigue_${'x'.repeat(180)}_end`;
  const { experimentId } = await launchAndWait(server, cliffExperiment(name, undefined, { seeds: 1 }));
  await app.setViewportSize({ width: 900, height: 700 });
  await open(app, `#/runs?experiment=${experimentId}`);
  const chip = app.getByTestId('experiment-chip');
  await expect(chip).toContainText(`#${experimentId}`);
  await expect(chip.getByRole('button', { name: 'Show runs of every experiment' })).toBeInViewport({ ratio: 1 });
  await expect(chip.locator('.chip-name')).toHaveAttribute('title', name);
  expect(await app.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
});

test('a run address that names no run says so, and an unknown run number says where runs are listed', async ({ app }) => {
  await open(app, '#/runs/abc');
  await expect(app.getByTestId('bad-run-address')).toContainText('This address names no run');
  await expect(app.getByTestId('bad-run-address')).not.toContainText('NaN');
  await open(app, '#/runs/987');
  await expect(app.getByTestId('run-missing')).toHaveText('Run 987 does not exist (deleted, or never stored in this database): the Runs screen lists the runs there are. Back to Runs');
  // The list's experiment filter, when it is not a number, is named as left out (the list shows every run).
  await open(app, '#/runs?experiment=abc');
  await expect(app.getByTestId('unread-address')).toHaveText('Left out of this address: experiment=abc (“abc” is not an experiment number: experiment takes a whole number such as experiment=12).');
  await expect(app.getByTestId('experiment-chip')).toHaveCount(0);
  // A number that names no experiment: said so, not "No runs match these filters".
  await open(app, '#/runs?experiment=999999');
  await expect(app.getByTestId('experiment-missing')).toHaveText(
    "experiment 999999 does not exist: the Experiments screen lists the experiments there are. Show every experiment's runs",
  );
  await expect(app.getByTestId('clear-filters')).toHaveCount(0);
  // Set in from the panel's edge as the other empty lists' lines are, not against its border.
  const inset = await app.getByTestId('experiment-missing').evaluate((p) => p.getBoundingClientRect().left - p.parentElement!.getBoundingClientRect().left + parseFloat(getComputedStyle(p).paddingLeft));
  expect(inset).toBeGreaterThanOrEqual(12);
  await app.getByRole('button', { name: "Show every experiment's runs" }).click();
  await expect(app).toHaveURL(/#\/runs$/);
  await expect(app.getByTestId('experiment-missing')).toHaveCount(0);
});

test('a run page open while its run is deleted elsewhere says so and offers none of its buttons', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff gone', undefined, { seeds: 1, episodes: 50 }));
  await open(app, `#/runs/${runIds[0]}`);
  await expect(app.getByRole('link', { name: 'Export policy' })).toBeVisible();
  await call(server, 'runs.delete', { ids: runIds });
  // It kept the whole page, Export policy and Run experiment again included, under "Could not refresh: run N does not exist".
  await expect(app.getByTestId('run-deleted')).toContainText(`Run ${runIds[0]} was deleted while this page was open`);
  await expect(app.getByTestId('run-detail')).toHaveCount(0);
  await expect(app.getByRole('link', { name: 'Export policy' })).toHaveCount(0);
});

test('cancelling the runs of a "running" filter leaves no stale Cancel button', async ({ app, server }) => {
  const long = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') });
  const [longId] = long.runIds as [number];
  await open(app, '#/runs?status=running');
  await expect(row(app, longId).getByTestId('run-status')).toHaveText('running');
  await expect.poll(async () => Number(await row(app, longId).getByTestId('run-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0); // so Cancel asks
  await row(app, longId).getByTestId('select-run').check();
  await expect(app.getByTestId('cancel-selected')).toHaveText('Cancel 1 run');
  await app.getByTestId('cancel-selected').click();
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('run-row')).toHaveCount(0); // cancelled: it left the filter
  await expect(app.getByTestId('cancel-selected')).toBeDisabled();
});

test('with nothing to act on, Compare, Cancel and Delete stay Tab stops and say why; Enter and a click do nothing', async ({ app, server }) => {
  const [done] = (await launchAndWait(server, cliffExperiment('finished cliff', undefined, { seeds: 1 }))).runIds as [number];
  const cancels: string[] = [];
  app.on('request', (r) => {
    if (r.url().includes('runs.cancel')) cancels.push(r.url());
  });
  await open(app, '#/runs');
  await expect(row(app, done)).toHaveAttribute('data-status', 'completed');
  const cancelWhy = 'Select running or queued runs to cancel them.';
  // Nothing selected: Tab from the selection line reaches each in turn (a disabled button would be
  // skipped), and each says why, under it while focused and as its description.
  await app.getByTestId('selection-count').focus();
  for (const [testId, why] of [
    ['compare-selected', 'Select runs to compare them.'],
    ['cancel-selected', cancelWhy],
    ['delete-selected', 'Select runs to delete them.'],
  ] as const) {
    const button = app.getByTestId(testId);
    await app.keyboard.press('Tab');
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-disabled', 'true');
    await expect(button).toHaveAccessibleDescription(why);
    await expect(app.getByTestId(`${testId}-blocker`)).toHaveText(why);
    await expect.poll(async () => (await app.getByTestId(`${testId}-blocker`).boundingBox())?.width ?? 0).toBeGreaterThan(100);
    await app.keyboard.press('Enter');
    await button.click({ force: true });
    await expect(button).toBeFocused();
  }
  // A finished run selected: Compare and Delete act, Cancel still has nothing to cancel.
  await row(app, done).getByTestId('select-run').check();
  const cancel = app.getByTestId('cancel-selected');
  await expect(app.getByTestId('compare-selected')).not.toHaveAttribute('aria-disabled');
  await expect(app.getByTestId('delete-selected')).toHaveAccessibleDescription('');
  await expect(cancel).toHaveAccessibleDescription(cancelWhy);
  await cancel.focus();
  await app.keyboard.press('Enter');
  await cancel.click({ force: true });
  await expect(cancel).toBeFocused();
  await app.getByTestId('delete-selected').click();
  await expect(app.getByTestId('confirm-dialog')).toContainText('Delete 1 run?');
  await app.getByRole('button', { name: 'Keep', exact: true }).click();
  await app.getByTestId('compare-selected').click();
  await expect(app).toHaveURL(new RegExp(`#/compare\\?runs=${done}$`));
  // No blocked press asked the service to cancel anything.
  expect(cancels).toHaveLength(0);
});

test('runs that `aisle run` trains on the same database appear and move live, without a reload, marked as its: Cancel leaves them to it and says so before and after', async ({ app, server }) => {
  const own = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('trained here') })).runIds[0]!;
  await open(app, '#/runs');
  const file = join(server.dataDir, 'terminal.json');
  writeFileSync(file, JSON.stringify({ ...cliffExperiment('from the terminal', undefined, { seeds: 1 }), episodes: 100_000_000 }));
  const cli = spawn(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', server.dbPath, 'run', file], { stdio: 'ignore' });
  try {
    const row = app.getByTestId('run-row').filter({ hasText: 'from the terminal' });
    const ownRow = app.locator(`[data-testid=run-row][data-id="${own}"]`);
    await expect(row).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
    const id = Number(await row.getAttribute('data-id'));
    const elsewhere = `run ${id} is trained by another Aisle process (\`aisle run\` or another window): stop it there`;
    const notHere = `Not cancelled from here: ${elsewhere}.`;
    // The row says whose it is, before anything is pressed; this process's own says nothing.
    await expect(row.getByTestId('run-elsewhere')).toHaveText('in another Aisle process');
    await expect(row.getByTestId('run-elsewhere')).toHaveAttribute('title', notHere);
    await expect(ownRow.getByTestId('run-elsewhere')).toHaveCount(0);
    // Selected alone, it cannot be cancelled from here, and the button says why, beside it and as its
    // description; nor deleted, and the dialog says why, in its text and its button's description.
    await row.getByTestId('select-run').check();
    await expect(app.getByTestId('cancel-selected')).toBeDisabled();
    await expect(app.getByTestId('cancel-selected-blocker')).toHaveText(notHere);
    await expect(app.getByTestId('cancel-selected')).toHaveAccessibleDescription(notHere);
    // In the row of buttons, the reason shows under Cancel while it has focus (Tab reaches it); Escape hides it.
    const width = async () => (await app.getByTestId('cancel-selected-blocker').boundingBox())?.width ?? 0;
    expect(await width()).toBeLessThanOrEqual(1);
    await app.getByTestId('compare-selected').focus();
    await app.keyboard.press('Tab');
    await expect(app.getByTestId('cancel-selected')).toBeFocused();
    await expect.poll(width).toBeGreaterThan(100);
    await app.keyboard.press('Escape');
    await expect.poll(width).toBeLessThanOrEqual(1);
    await expect(app.getByTestId('cancel-selected')).toBeFocused();
    await app.getByTestId('delete-selected').click();
    const notDeleted = `Nothing can be deleted yet: ${elsewhere}, then delete.`;
    await expect(app.getByTestId('confirm-blocker')).toHaveText(notDeleted);
    await expect(app.getByTestId('confirm')).toBeDisabled(); // aria-disabled: it keeps focus where it is
    await expect(app.getByTestId('confirm')).toHaveAccessibleDescription(notDeleted);
    await app.getByRole('button', { name: 'Keep', exact: true }).click();
    // With this process's own run: Cancel counts that one, and its dialog says which it leaves.
    await expect.poll(async () => Number(await ownRow.getByTestId('run-progress').getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(0); // so Cancel asks
    await ownRow.getByTestId('select-run').check();
    await expect(app.getByTestId('cancel-selected')).toHaveText('Cancel 1 run');
    await expect(app.getByTestId('cancel-selected-blocker')).toHaveCount(0);
    await app.getByTestId('cancel-selected').click();
    await expect(app.getByTestId('cancel-not-here')).toHaveText(notHere);
    await app.getByTestId('confirm').click();
    // This process cancels its own run, and says where the other is trained.
    await expect(app.getByTestId('not-cancelled')).toHaveText(`Cancelled run ${own}. Not cancelled: ${elsewhere}.`);
    await expect(ownRow).toHaveAttribute('data-status', 'cancelled');
    await expect(row).toHaveAttribute('data-status', 'running');
    // Its experiment says so too, and its delete says to stop it there first.
    await open(app, '#/experiments');
    const experiment = app.getByTestId('experiment-row').filter({ hasText: 'from the terminal' });
    await expect(experiment.getByTestId('run-elsewhere')).toHaveAttribute('title', notHere);
    await expect(app.getByTestId('experiment-row').filter({ hasText: 'trained here' }).getByTestId('run-elsewhere')).toHaveCount(0);
    await experiment.getByTestId('delete-experiment').click();
    await expect(app.getByTestId('confirm-blocker')).toHaveText(notDeleted);
    await expect(app.getByTestId('confirm')).toHaveText('Delete experiment'); // it has no run this process could cancel
    await expect(app.getByTestId('confirm')).toBeDisabled();
    await expect(app.getByTestId('confirm')).toHaveAccessibleDescription(notDeleted);
    await app.getByRole('button', { name: 'Keep', exact: true }).click();
    // Its detail page follows its progress, says whose it is, and why its Cancel does nothing; then its end (Ctrl-C in the terminal cancels it).
    await open(app, `#/runs/${id}`);
    const bar = app.getByTestId('run-detail').getByTestId('run-progress');
    const first = Number(await bar.getAttribute('aria-valuenow'));
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeGreaterThan(first);
    await expect(app.getByTestId('run-detail').getByTestId('run-elsewhere')).toHaveText('in another Aisle process');
    await expect(app.getByTestId('cancel-run')).toBeDisabled();
    await expect(app.getByTestId('cancel-run-blocker')).toHaveText(notHere);
    await expect(app.getByTestId('cancel-run')).toHaveAccessibleDescription(notHere);
    // Pause says why as Cancel does, under itself while focused or hovered: its sentence stood beside it, and broke the header's buttons onto three lines.
    await expect(app.getByTestId('pause-run-blocker')).toHaveText(notHere.replace('cancelled', 'paused'));
    const top = async (testId: string) => (await app.getByTestId(testId).boundingBox())!.y;
    expect(await top('pause-run')).toBe(await top('cancel-run'));
    expect(await top('metrics-csv')).toBe(await top('cancel-run'));
    // By keyboard too: Tab from the heading reaches it, and Enter asks nothing (it has played episodes, so Cancel here would).
    await app.getByTestId('run-title').focus();
    await app.keyboard.press('Tab');
    await expect(app.getByTestId('cancel-run')).toBeFocused();
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('cancel-run')).toBeFocused();
    await expect(app.getByTestId('confirm-dialog')).toHaveCount(0);
    cli.kill('SIGINT');
    await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('cancelled', { timeout: 15_000 });
    await expect(app.getByTestId('run-detail').getByTestId('run-elsewhere')).toHaveCount(0);
  } finally {
    cli.kill('SIGKILL');
  }
});

test('when the server stops, a bar says the connection is lost and the screen may be out of date', async ({ app, server }) => {
  await launchAndWait(server, cliffExperiment('before the drop', undefined, { seeds: 1, episodes: 20 }));
  await open(app, '#/runs');
  await expect(app.getByTestId('run-row')).toHaveCount(1);
  await expect(app.getByTestId('connection-lost')).toHaveCount(0);
  await stopServer(server);
  const bar = app.getByTestId('connection-lost');
  await expect(bar).toBeVisible({ timeout: 15_000 });
  await expect(bar).toHaveText(
    'Lost the connection to Aisle: live updates have stopped and what you see may be out of date. Reconnecting… If Aisle was stopped, start it again and open the new link it prints.',
  );
  await expect(bar).toHaveAttribute('role', 'alert');
});

test('after a restart the bar says so, and the new link opened in the same tab reconnects without showing its token', async ({ app, server }) => {
  await open(app, '#/experiments');
  await expect(app.getByTestId('experiments')).toBeVisible();
  const port = Number(new URL(server.origin).port);
  const bar = app.getByTestId('connection-lost');
  const restartedText = /^Aisle was restarted: open the new link it printed\./;
  await stopServer(server);
  await expect(bar).toContainText('Reconnecting…', { timeout: 15_000 });
  // What `npm start -- --port N` does: the same port and database, a new token.
  let restarted = await startServer(server.dataDir, port);
  try {
    await launchAndWait(restarted, cliffExperiment('after the restart', undefined, { seeds: 1, episodes: 20 }));
    // The new server answers, but refuses the page's old token: the bar says why, not "Reconnecting…".
    await expect(bar).toHaveText(restartedText, { timeout: 15_000 });
    // The new link in the same tab changes only the fragment (no reload): the page takes its token
    // in, drops it from the URL, reconnects and fetches the screen again.
    const reopen = async (url: string, token: string) => {
      await app.goto(url);
      await expect(bar).toHaveCount(0, { timeout: 15_000 });
      await expect(app.getByTestId('experiment-row').filter({ hasText: 'after the restart' })).toHaveCount(1);
      await expect(app.getByTestId('unknown-page')).toHaveCount(0);
      expect(new URL(app.url()).hash).toBe('');
      expect(await app.locator('body').innerText()).not.toContain(token);
    };
    await reopen(restarted.url, restarted.token);
    // Started again, a reload (the token from before the restart is the stored one) says the same.
    await stopServer(restarted);
    restarted = await startServer(server.dataDir, port);
    await app.reload();
    await expect(bar).toHaveText(restartedText, { timeout: 15_000 });
    await reopen(restarted.url, restarted.token);
  } finally {
    await stopServer(restarted);
  }
});

test("a sweep's runs keep the settings their experiment's name ends with: the name is cut in its middle, not at its end", async ({ app, server }) => {
  // A sweep's names, as Sweep writes them: the same start, the settings that tell them apart at the end.
  const start = 'q-learning on the cliff walking grid, with a long description shared by every experiment of this sweep, as such names are';
  const names = ['(alpha=0.1, epsilon=0.05)', '(alpha=0.5, epsilon=0.05)'].map((settings) => ({ settings: ` (exact) ${settings}`, name: `${start} (exact) ${settings}` }));
  for (const [i, { name }] of names.entries()) {
    await launchAndWait(server, cliffExperiment(name, { id: 'q-learning', alpha: [0.1, 0.5][i], gamma: 1, epsilon: 0.05 }, { seeds: 1, episodes: 20 }));
  }
  const settingsShownWhole = async (page: Page) => {
    for (const { name, settings } of names) {
      const link = page.getByRole('link', { name, exact: true });
      await expect(link).toBeVisible();
      // The settings are drawn whole, inside the link's box; the start is the part cut.
      const drawn = await link.evaluate((a) => {
        const tail = a.querySelector('.cut-name-settings');
        const head = a.querySelector('.cut-name-start');
        if (!tail || !head) return null;
        const box = a.getBoundingClientRect();
        const t = tail.getBoundingClientRect();
        return {
          settingsWhole: tail.scrollWidth <= tail.clientWidth && tail.scrollHeight <= tail.clientHeight,
          settingsInside: t.left >= box.left - 0.5 && t.right <= box.right + 0.5 && t.bottom <= box.bottom + 0.5,
          startCut: head.scrollWidth > head.clientWidth,
          text: tail.textContent,
        };
      });
      expect(drawn).toEqual({ settingsWhole: true, settingsInside: true, startCut: true, text: settings });
    }
  };
  await open(app, '#/runs');
  await expect(app.getByTestId('run-row')).toHaveCount(2);
  await settingsShownWhole(app);
  // The whole name stays in the link's title.
  await expect(app.getByRole('link', { name: names[0]!.name, exact: true })).toHaveAttribute('title', new RegExp(`^${names[0]!.name.replace(/[().]/g, '\\$&')}: runs of experiment \\d+$`));
  await open(app, '#/experiments');
  await expect(app.getByTestId('experiment-row')).toHaveCount(2);
  await settingsShownWhole(app);
});

test('while the connection is lost a running run stops its clock, and it goes on from the server once the link works again', async ({ app, server }) => {
  const port = Number(new URL(server.origin).port);
  const running = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('a long run') });
  const runId = running.runIds[0]!;
  // The page's clock is Playwright's (flowing as the real one until moved by hand): the check that
  // the run's clock stands still moves it on by 2.5 s at once, its one-second ticks owed firing.
  await app.clock.install();
  await app.reload();
  await open(app, `#/runs/${runId}`);
  const clock = app.getByTestId('run-elapsed');
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('running', { timeout: 15_000 });
  const ticking = await clock.innerText();
  await expect(clock).not.toHaveText(ticking);
  await stopServer(server);
  await expect(app.getByTestId('connection-lost')).toBeVisible({ timeout: 15_000 });
  // Stopped: the same time a few ticks later (it counted on, 29.5 s against the run's 12.2 s), marked as unknown beyond it.
  const frozen = clock.getByTestId('elapsed-unknown');
  await expect(frozen).toHaveText(/^\d+(\.\d)? (ms|s|min \d+ s)\?$/);
  const stopped = await clock.innerText();
  await app.clock.runFor(2_500);
  // Two frames on, what the ticks set is drawn.
  await app.evaluate(() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))));
  expect(await clock.innerText()).toBe(stopped);
  await expect(frozen).toHaveAttribute('title', /connection to Aisle was lost/);
  // The server again, and its new link: the run is fetched anew, stopped with the server, its clock no longer marked unknown.
  const restarted = await startServer(server.dataDir, port);
  try {
    await app.goto(restarted.url);
    await expect(app.getByTestId('connection-lost')).toHaveCount(0, { timeout: 15_000 });
    await open(app, `#/runs/${runId}`);
    await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText(/^(interrupted|cancelled)$/, { timeout: 15_000 });
    await expect(clock.getByTestId('elapsed-unknown')).toHaveCount(0);
  } finally {
    await stopServer(restarted);
  }
});

// One worker (the pool's own has cores − 1): each run starts as the one before is cancelled, the
// case this test is about; on 3 cores or more the next run started at once, beside the one before.
test.describe('with one training worker', () => {
  test.use({ serverWorkers: 1 });
  test("a running run's return shows once its first episodes are stored, also when it starts as another run ends", async ({ app, server }) => {
    // Episodes of about a second: a run's first is stored well after the reads its start prompts.
    const slowToy = (name: string) => ({ ...endlessToy(name), env: { id: 'seed-toy', stepsPerEpisode: 4_000_000 } });
    // The page's clock is Playwright's, stopped while each run starts and moved on by hand 1 ms a
    // look, so the table's 3 s pace of reading returns cannot come, however slow or busy the machine,
    // while a read asked at the run's first stored episode needs no more. The page counts the
    // progress pushes it has handled, by run.
    const handled = await countProgressPushes(app);
    await app.clock.install();
    await app.reload();
    await open(app, '#/runs');
    let previous = (await call<Launched>(server, 'experiments.launch', { experiment: slowToy('slow toy') })).runIds[0]!;
    await expect(row(app, previous).getByTestId('return-last100')).toHaveText(/\d so far$/);
    // The run before kept the table's 3 s reads of returns going: the next run showed "–" until the
    // next of those (up to 3 s), not from its first stored episode.
    for (let i = 0; i < 3; i++) {
      const id = (await call<Launched>(server, 'experiments.launch', { experiment: slowToy(`slow toy ${i}`) })).runIds[0]!;
      await expect(row(app, id)).toHaveAttribute('data-status', 'queued');
      // Stopped 6 s on, then 300 ms more: the reads and timers owed fire in the jump (a timer may fire
      // as at its end) and the 250 ms pace has let its last read go; the run before's next progress
      // asks the 3 s pace's read at once, or has it owed at most 3 s after the jump's end. Either way
      // the 3 s pace reads no more for ~2.7 s of this clock, which moves ~1 ms a look from here.
      await app.clock.pauseAt((await app.evaluate(() => Date.now())) + 6000);
      await app.clock.runFor(300);
      const seen = await handled(previous);
      await expect.poll(() => handled(previous)).toBeGreaterThan(seen);
      // A read it asked goes (the run before still trains: it holds no return for this run).
      await app.clock.runFor(1);
      await call(server, 'runs.cancel', { ids: [previous] });
      const cell = row(app, id).getByTestId('return-last100');
      await expect
        .poll(
          async () => {
            await app.clock.runFor(1);
            return (await cell.textContent()) ?? '';
          },
          { timeout: 30_000 },
        )
        .toMatch(/\d so far$/);
      await app.clock.resume();
      previous = id;
    }
    await call(server, 'runs.cancel', { ids: [previous] });
  });
});

test('the cancel dialog of a running run counts its episodes live while it is open', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') });
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const bar = app.getByTestId('run-detail').getByTestId('run-progress');
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await app.getByTestId('cancel-run').click();
  const dialog = app.getByTestId('confirm-dialog');
  const played = async () => Number((/It has played ([\d,]+) of/.exec((await dialog.textContent()) ?? '')?.[1] ?? '').replaceAll(',', ''));
  const first = await played();
  expect(first).toBeGreaterThan(0);
  await expect.poll(played).toBeGreaterThan(first);
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('cancelled');
});
