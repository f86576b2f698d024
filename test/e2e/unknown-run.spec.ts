// A run number that is no run, opened on Run detail, Q-tables or Policies: each says so inline,
// naming the number, and asks whether it is stored before reading it, so no read answers 404 (which
// Chromium logged as "Failed to load resource" in the console for each). So does an experiment
// number that is no experiment (deleted), in Compare's address and in the Runs list's filter.
import type { QTable } from '../../src/shared/dto';
import { deletedWhileHeld, launchAndWait, openScreen as open, watchFailures } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

test('run numbers that are no run: said inline on Run detail, Q-tables and Policies, with no failed request in the console', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('known cliff', undefined, { seeds: 1, episodes: 50 }));
  const known = runIds[0]!;
  const { failed, answered } = watchFailures(app);

  await open(app, '#/runs/9999');
  const missing = app.getByTestId('run-missing');
  await expect(missing).toHaveText('Run 9999 does not exist (deleted, or never stored in this database): the Runs screen lists the runs there are. Back to Runs');
  await expect(app.getByTestId('run-detail')).toHaveCount(0);

  await open(app, '#/qtables?a=9999');
  await expect(app.getByTestId('qt-A-missing')).toHaveText(/^A: there is no run 9999: pick a run from the list, or type another run’s number/);
  await expect(app.getByTestId('qt-B-missing')).toHaveCount(0); // B is the same run as A: said once
  await open(app, `#/qtables?a=${known}&b=9998`);
  await expect(app.getByTestId('qt-B-missing')).toHaveText(/^B: there is no run 9998: /);
  await expect(app.getByTestId('qt-A-missing')).toHaveCount(0);
  // A's table is read all the same (the one run that exists): its scrubber names its final checkpoint.
  await expect(app.getByTestId('qt-A-episode')).toContainText('after 50 episodes');

  await open(app, '#/policies?export=9997');
  await expect(app.getByTestId('export-run-missing')).toHaveText('Left out of this address: export=9997 (there is no run 9997: pick a run from the list, or type another run’s number).');
  // And a number typed there.
  await app.getByTestId('export-run-number').fill('9996');
  await app.getByTestId('export-run-number').press('Enter');
  await expect(app.getByTestId('export-run-missing')).toHaveText('There is no run 9996: pick a run from the list, or type another run’s number.');

  expect(answered).toEqual([]);
  expect(failed).toEqual([]);

  // Run detail's message offers the way back.
  await open(app, '#/runs/9999');
  await app.getByRole('link', { name: 'Back to Runs' }).click();
  await expect(app).toHaveURL(/#\/runs$/);
  await expect(app.locator(`[data-testid=run-row][data-id="${known}"]`)).toBeVisible();
});

// Its refresh read runs.get, which answered 404 once the run was gone: the page said so, and the
// console logged a failed resource. A refresh asks onlyStored, whose answer then says the run is gone.
test('a run page open while its run is deleted says so with no failed request in the console', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff deleted while open', undefined, { seeds: 1, episodes: 50 }));
  const id = runIds[0]!;
  await open(app, `#/runs/${id}`);
  const { metrics } = await call<{ metrics: string[] }>(server, 'runs.get', { id });
  // Its curves read and drawn first: a read under way when the run goes is another matter.
  await expect(app.locator('canvas[data-drawn]')).toHaveCount(metrics.length);
  const { failed, answered } = watchFailures(app);
  await call(server, 'runs.delete', { ids: [id] });
  await expect(app.getByTestId('run-deleted')).toContainText(`Run ${id} was deleted while this page was open`);
  await expect(app.getByTestId('run-detail')).toHaveCount(0);
  await expect(app.getByTestId('run-missing')).toHaveCount(0);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

// Its curve reads, under way when the run went, answered 404 (failed resources in the console):
// they ask runs.metrics with onlyStored, whose answer then holds no series, and the page says why.
test('curve reads under way when the run is deleted answer without failing, and the page says it was deleted', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff deleted mid-read', undefined, { seeds: 1, episodes: 50 }));
  const id = runIds[0]!;
  // Every curve read is held until the run is gone: each reaches the server after the delete.
  const { failed, answered } = await deletedWhileHeld(app, {
    hold: /^runs\.metrics$/,
    read: () => open(app, `#/runs/${id}`),
    remove: () => call(server, 'runs.delete', { ids: [id] }),
  });
  await expect(app.getByTestId('run-deleted')).toContainText(`Run ${id} was deleted while this page was open`);
  await expect(app.getByTestId('run-detail')).toHaveCount(0);
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

// A shown run that left Q-tables' list was read again at once: qtables.get answered 404 (a failed
// resource in the console) and the side said 'run N does not exist'. Its reads ask onlyStored, whose
// answer says the run is gone, with no question first (it asked runs.stored again, a request more,
// before they took onlyStored); Policies' export asks runs.stored for a run its list does not hold.
// Both say the run was deleted.
test('Q-tables and Policies with their run deleted while open say it was deleted, with no failed request in the console', async ({ app, server }) => {
  const { runIds, experimentId } = await launchAndWait(server, cliffExperiment('cliffs deleted under their tables', undefined, { seeds: 3, episodes: 50, checkpoints: 3 }));
  const [a, b, c] = runIds as [number, number, number];
  const { policyId } = await call<{ policyId: number }>(server, 'policies.export', { runId: c });
  const { failed, answered } = watchFailures(app);
  const gone = (id: number) => `run ${id} was deleted while this page was open (in another window, or with aisle delete): pick a run from the list`;
  // The reads of a run asked (the pickers' runs.list aside).
  const asked: string[] = [];
  app.on('request', (r) => {
    const command = r.url().replace(/^.*\/api\/call\//, '');
    if (/^(runs\.(get|stored)|qtables\.get)$/.test(command)) asked.push(command);
  });

  // Two runs side by side, A's deleted.
  await open(app, `#/qtables?a=${a}&b=${b}`);
  await expect(app.getByTestId('qt-heatmap-diff')).toBeVisible();
  asked.length = 0;
  await call(server, 'runs.delete', { ids: [a] });
  await expect(app.getByTestId('qt-A-missing')).toContainText(`A: ${gone(a)}`);
  await expect(app.getByTestId('qt-heatmap-a')).toHaveCount(0);
  await expect(app.getByTestId('qt-B-missing')).toHaveCount(0);
  // A's table, read again (its details, read already, still say it has one), said it was gone.
  expect(asked).toEqual(['qtables.get']);
  // One run alone (its first checkpoint against its last), deleted: said once, under A.
  await open(app, `#/qtables?a=${b}`);
  await expect(app.getByTestId('qt-heatmap-diff')).toBeVisible();
  // Its first checkpoint picked as A and read: the diff showed first with A as B (its final table),
  // and a delete then met A's read under way, a read deleted mid-way, not this test's matter.
  await expect(app).toHaveURL(/[?&]ca=\d+/);
  await expect(app.getByTestId('qt-A-episode')).toHaveText(/ · 1 of \d+$/);
  asked.length = 0;
  await call(server, 'runs.delete', { ids: [b] });
  await expect(app.getByTestId('qt-A-missing')).toContainText(`A: ${gone(b)}`);
  await expect(app.getByTestId('qt-B-missing')).toHaveCount(0);
  await expect(app.getByTestId('qt-heatmap-a')).toHaveCount(0);
  // Its reads (its details, no longer listed; the tables, as the details read in the two runs' view
  // above say it has one) said it was gone, with no question first.
  expect(asked).toContain('runs.get');
  expect(asked).not.toContain('runs.stored');

  // Policies: the run chosen for export, and its policy in Evaluate.
  await open(app, `#/policies?export=${c}`);
  await expect(app.getByTestId('export-run')).toHaveValue(String(c));
  await app.getByTestId('eval-policy').selectOption(String(policyId));
  await expect(app.getByTestId('eval-experiment').locator('option[value="own"]')).toHaveText(`the one it was trained on (run ${c})`);
  // That label comes with the policy; its run's details (runs.get, for the experiment Evaluate
  // offers first) come after, and a delete could meet that read under way. Offered, they have come.
  await expect(app.getByTestId('eval-experiment')).toHaveValue(String(experimentId));
  await call(server, 'runs.delete', { ids: [c] });
  await expect(app.getByTestId('export-run-missing')).toHaveText(`R${gone(c).slice(1)}, or type another run’s number.`);
  await expect(app.getByTestId('export-run')).toHaveValue('');
  await expect(app.getByTestId('eval-experiment').locator('option[value="own"]')).toHaveText('the one it was trained on (its MDP, from an experiment here)');
  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('a checkpoint number that is not its run’s (ca=9999, another run’s): Q-tables names it and shows the run’s final table, with no failed request in the console', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('checkpointed cliff', undefined, { seeds: 2, episodes: 50, checkpoints: 3 }));
  const [a, b] = runIds as [number, number];
  const [ofA, ofB] = await Promise.all(runIds.map((runId) => call<QTable>(server, 'qtables.get', { runId })));
  const { failed, answered } = watchFailures(app);
  const unread = app.getByTestId('unread-address');
  const finalTable = `after 50 episodes · ${ofA!.checkpoints.length} of ${ofA!.checkpoints.length}`;

  // The read answered 404 (a failed request in the console) and A showed only its error.
  await open(app, `#/qtables?a=${a}&ca=9999`);
  await expect(unread).toHaveText(`Left out of this address: ca=9999 (there is no checkpoint 9999 of run ${a}; A shows run ${a}'s final table instead).`);
  await expect(app.getByTestId('qt-A-episode')).toHaveText(finalTable);
  await expect(app.getByTestId('qt-heatmap-a').locator('canvas')).toHaveAttribute('data-drawn', /\d/);
  // B's checkpoint, one of run A's: not run B's.
  await open(app, `#/qtables?a=${a}&b=${b}&cb=${ofA!.checkpoints[0]!.id}`);
  await expect(unread).toHaveText(`Left out of this address: cb=${ofA!.checkpoints[0]!.id} (there is no checkpoint ${ofA!.checkpoints[0]!.id} of run ${b}; B shows run ${b}'s final table instead).`);
  await expect(app.getByTestId('qt-B-episode')).toHaveText(`after 50 episodes · ${ofB!.checkpoints.length} of ${ofB!.checkpoints.length}`);
  // A run B that is no run: said, not read; A's table all the same.
  await open(app, `#/qtables?a=${a}&b=9999&ca=${ofA!.checkpoints[0]!.id}`);
  await expect(app.getByTestId('qt-B-missing')).toHaveText(/^B: there is no run 9999: /);
  await expect(app.getByTestId('qt-A-episode')).toHaveText(`after ${ofA!.checkpoints[0]!.episode + 1} episodes · 1 of ${ofA!.checkpoints.length}`);
  await expect(unread).toHaveCount(0);
  // Checkpoints of their runs are read as before, with nothing said.
  await open(app, `#/qtables?a=${a}&b=${b}&ca=${ofA!.checkpoints[0]!.id}&cb=${ofB!.checkpoints[1]!.id}`);
  await expect(app.getByTestId('qt-B-episode')).toHaveText(`after ${ofB!.checkpoints[1]!.episode + 1} episodes · 2 of ${ofB!.checkpoints.length}`);
  await expect(unread).toHaveCount(0);

  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('an experiment number that is no experiment (deleted): Compare and Runs say so, with no failed request in the console', async ({ app, server }) => {
  const kept = await launchAndWait(server, cliffExperiment('kept cliff', undefined, { seeds: 2, episodes: 50 }));
  const gone = await launchAndWait(server, cliffExperiment('gone cliff', undefined, { seeds: 2, episodes: 50 }));
  await call(server, 'experiments.delete', { id: gone.experimentId });
  const { failed, answered } = watchFailures(app);

  // A bookmarked comparison of both: the one still stored is compared, the other named as not found.
  await open(app, `#/compare?experiments=${kept.experimentId},${gone.experimentId}`);
  await expect(app.getByTestId('compare-unknown-experiment')).toHaveText(new RegExp(`^experiment ${gone.experimentId} not found`));
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('compare-group').getByTestId('group-label')).toHaveText(/kept cliff/);

  // Its runs' list: said to be no experiment, not "No runs match these filters".
  await open(app, `#/runs?experiment=${gone.experimentId}`);
  await expect(app.getByTestId('experiment-missing')).toHaveText(
    `experiment ${gone.experimentId} does not exist: the Experiments screen lists the experiments there are. Show every experiment's runs`,
  );
  await expect(app.getByTestId('clear-filters')).toHaveCount(0);
  // The kept one's list is its runs, with no such line.
  await open(app, `#/runs?experiment=${kept.experimentId}`);
  await expect(app.getByTestId('run-row')).toHaveCount(2);
  await expect(app.getByTestId('experiment-missing')).toHaveCount(0);

  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('a metric the compared runs do not record (metric=zzz): Compare names it in the address line and shows return, with no failed request in the console', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('metric cliff', undefined, { seeds: 2, episodes: 50 }));
  const { failed, answered } = watchFailures(app);
  const unread = app.getByTestId('unread-address');
  const metric = app.getByTestId('compare-metric');

  // Asked for as it was, the comparison answered 400 and the screen showed the refusal alone.
  await open(app, `#/compare?experiments=${experimentId}&metric=zzz`);
  await expect(unread).toHaveText(
    'Left out of this address: metric=zzz (“zzz” is not a metric every compared run records: metric takes one of length, return, train/epsilon, such as metric=length; return is shown instead).',
  );
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(metric).toHaveValue('return');
  // zzz is no option: the list holds the metrics there are.
  await expect(metric.locator('option')).toHaveText([/^return/, /^length/, /^train\/epsilon/]);
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  // A metric picked from the list is written, and the line goes.
  await metric.selectOption('length');
  await expect(app).toHaveURL(/metric=length/);
  await expect(metric).toHaveValue('length');
  await expect(unread).toHaveCount(0);

  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});

test('numbers past 2^53 in the address (a paste gone wrong): said to be no run, experiment or checkpoint on every screen, never asked about', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('known cliff', undefined, { seeds: 1, episodes: 50 }));
  const { failed, answered } = watchFailures(app);
  const huge = '99999999999999999999';

  // Each asked the service, which refused the number with a 400 and its schema's words ("id: must be a whole-number id").
  await open(app, `#/runs/${huge}`);
  await expect(app.getByTestId('run-missing')).toHaveText(`Run ${huge} does not exist (deleted, or never stored in this database): the Runs screen lists the runs there are. Back to Runs`);
  await open(app, `#/compare?runs=${runIds[0]},${huge}&experiments=${huge}`);
  await expect(app.getByTestId('unread-address')).toHaveText(
    `Left out of this address: runs=${runIds[0]},${huge} (there is no run ${huge}); experiments=${huge} (there is no experiment ${huge}).`,
  );
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await open(app, `#/qtables?a=${huge}&cb=${huge}`);
  await expect(app.getByTestId('unread-address')).toHaveText(`Left out of this address: a=${huge} (there is no run ${huge}); cb=${huge} (there is no checkpoint ${huge}).`);
  await open(app, `#/policies?export=${huge}`);
  await expect(app.getByTestId('unread-address')).toHaveText(`Left out of this address: export=${huge} (there is no run ${huge}).`);
  await open(app, `#/runs?experiment=${huge}`);
  await expect(app.getByTestId('unread-address')).toHaveText(`Left out of this address: experiment=${huge} (there is no experiment ${huge}).`);
  await expect(app.getByTestId('run-row')).toHaveCount(1);

  expect(answered).toEqual([]);
  expect(failed).toEqual([]);
});
