// Reads of a run under way when the run is deleted (another window, `aisle delete`): Q-tables' tables
// and details, Policies' export run and Evaluate's run of the policy, Run detail's record, Compare's
// check of a run typed in and its comparison (of runs and experiments). Each answered 404, which
// Chromium logged in the console as "Failed to load resource" (the CI of bb7f3c06 failed on one:
// 404 qtables.get {"runId":2,"checkpointId":5}). They ask onlyStored, whose answer then says the run
// is gone, and the screen says it was deleted. Each read is held here until the run is deleted.
import { deletedWhileHeld, launchAndWait, openScreen as open } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

const gone = (id: number) => `run ${id} was deleted while this page was open (in another window, or with aisle delete): pick a run from the list`;

test('Q-tables: two runs’ tables and details read when A is deleted answer without failing, and A says it was deleted', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliffs deleted mid-read', undefined, { seeds: 2, episodes: 50, checkpoints: 3 }));
  const [a, b] = runIds as [number, number];
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^(qtables|runs)\.get$/,
    read: () => open(app, `#/qtables?a=${a}&b=${b}`),
    // Each side's table and details (two runs: their environments decide the colour scale).
    held: 4,
    remove: () => call(server, 'runs.delete', { ids: [a] }),
  });
  await expect(app.getByTestId('qt-A-missing')).toContainText(`A: ${gone(a)}`);
  await expect(app.getByTestId('qt-heatmap-a')).toHaveCount(0);
  // B is read as it was.
  await expect(app.getByTestId('qt-B-episode')).toHaveText(/^after 50 episodes · /);
  await expect(app.getByTestId('qt-B-missing')).toHaveCount(0);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('Q-tables: one run’s first checkpoint read when the run is deleted answers without failing, and A says it was deleted', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff deleted mid-read', undefined, { seeds: 1, episodes: 50, checkpoints: 3 }));
  const [a] = runIds as [number];
  // One run alone: its final table is read first (as B), then its first checkpoint (as A), held.
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^qtables\.get$/,
    only: (r) => (r.postData() ?? '').includes('checkpointId'),
    read: () => open(app, `#/qtables?a=${a}`),
    held: 1,
    remove: async () => {
      await expect(app).toHaveURL(/[?&]ca=\d+/);
      await call(server, 'runs.delete', { ids: [a] });
    },
  });
  await expect(app.getByTestId('qt-A-missing')).toContainText(`A: ${gone(a)}`);
  await expect(app.getByTestId('qt-B-missing')).toHaveCount(0);
  await expect(app.getByTestId('qt-heatmap-a')).toHaveCount(0);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('Policies: the export run’s and Evaluate’s reads of runs deleted meanwhile answer without failing, and the page says they were deleted', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff of the policy', undefined, { seeds: 1, episodes: 50 }));
  // A baseline's run is not in the export's list (nothing to export): the address's is read by its number.
  const baseline = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'random baseline', env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5, seeds: 1 });
  const [trainedRun, baselineRun] = [trained.runIds[0]!, baseline.runIds[0]!];
  const { policyId } = await call<{ policyId: number }>(server, 'policies.export', { runId: trainedRun });
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^runs\.get$/,
    read: () => open(app, `#/policies?export=${baselineRun}`),
    // Evaluate's of the policy's run (the newest policy is picked at once), and the export's of the address's run.
    held: 2,
    remove: async () => {
      await expect(app.getByTestId('eval-policy')).toHaveValue(String(policyId));
      await call(server, 'runs.delete', { ids: [trainedRun, baselineRun] });
    },
  });
  await expect(app.getByTestId('export-run-missing')).toHaveText(`R${gone(baselineRun).slice(1)}, or type another run’s number.`);
  await expect(app.locator(`[data-testid=policy-row][data-id="${policyId}"]`)).toContainText('run deleted');
  await expect(app.getByTestId('eval-experiment').locator('option[value="own"]')).toHaveText('the one it was trained on (its MDP, from an experiment here)');
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('Run detail: the record read when the run is deleted answers without failing, and the page says it was deleted', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff deleted mid-read', undefined, { seeds: 1, episodes: 50 }));
  const [id] = runIds as [number];
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^runs\.get$/,
    // Asked runs.stored first, as on arrival: the run is stored, and its record is read (held).
    read: () => open(app, `#/runs/${id}`),
    held: 1,
    remove: () => call(server, 'runs.delete', { ids: [id] }),
  });
  await expect(app.getByTestId('run-deleted')).toContainText(`Run ${id} was deleted while this page was open`);
  await expect(app.getByTestId('run-missing')).toHaveCount(0);
  await expect(app.getByTestId('run-detail')).toHaveCount(0);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('Compare: a run typed in, deleted while its details are read, answers without failing and is said to be no run', async ({ app, server }) => {
  const { experimentId, runIds } = await launchAndWait(server, cliffExperiment('cliff compared', undefined, { seeds: 2, episodes: 50 }));
  const [kept, deleted] = runIds as [number, number];
  await open(app, `#/compare?experiments=${experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^runs\.get$/,
    // Asked runs.stored first (both are), then each one's details (held).
    read: async () => {
      await app.locator('#compare-add-runs').fill(`${kept}, ${deleted}`);
      await app.locator('#compare-add-runs').press('Enter');
    },
    held: 2,
    remove: () => call(server, 'runs.delete', { ids: [deleted] }),
  });
  await expect(app.locator('#compare-add-runs-error')).toHaveText(`added 1 run (${kept}); not added: there is no run ${deleted}`);
  await expect(app).toHaveURL(new RegExp(`runs=${kept}(&|$)`));
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('Compare: a run picked by number and an experiment deleted while the comparison is read answer without failing, and their chips say not found', async ({ app, server }) => {
  const cliffs = await launchAndWait(server, cliffExperiment('cliffs compared by number', undefined, { seeds: 2, episodes: 50 }));
  const other = await launchAndWait(server, cliffExperiment('cliff compared, then deleted', undefined, { seeds: 1, episodes: 50 }));
  const [kept, deleted] = cliffs.runIds as [number, number];
  const { reads, failed, answered } = await deletedWhileHeld(app, {
    hold: /^compare\.runs$/,
    // Asked runs.stored and the experiments first (all stored), then the comparison (held).
    read: () => open(app, `#/compare?experiments=${other.experimentId}&runs=${kept},${deleted}`),
    held: 1,
    remove: async () => {
      await call(server, 'runs.delete', { ids: [deleted] });
      await call(server, 'experiments.delete', { id: other.experimentId });
    },
  });
  await expect(app.getByTestId('compare-unknown-run')).toHaveText(new RegExp(`^run ${deleted} not found`));
  await expect(app.getByTestId('compare-unknown-experiment')).toHaveText(new RegExp(`^experiment ${other.experimentId} not found`));
  // The run left is compared: one group, of one run.
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  // And the reads the deletes' events set off since, answered too.
  await expect.poll(reads.settled).toBe(true);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});
