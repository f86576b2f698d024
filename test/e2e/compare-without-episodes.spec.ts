// Compare opened from an address (bookmarked, typed) naming runs that stored no episodes (queued,
// or cancelled before their first): it compares the others and says in one line which runs were
// left out and why, where it failed whole ("runIds: run 44 has no stored episodes …", one run named
// at a time, no chart); one of them deleted elsewhere is then said not found. Also: its
// Configuration table writes numbers as the app does (2,000).
import { launchAndWait, openScreen, type Launched } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

// The first test's queued runs wait behind one worker: the pool's own has cores − 1, and on 3 cores or more they ran.
test.use({ serverWorkers: 1 });

test('an address naming runs without stored episodes compares the others and names them all, in one line', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('trained', undefined, { seeds: 1, episodes: 100 }));
  // One worker (pinned above: the pool's own has cores − 1) trains the first seed without end; the
  // other two wait, queued, and are cancelled there. A run is 'queued' until its worker has started
  // it, so they are looked at once the first runs: before it, they read 'queued' on any pool.
  const endless = await call<Launched>(server, 'experiments.launch', {
    experiment: { format: 'aisle.experiment/v1', name: 'endless', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 3 },
  });
  const [first, queuedA, queuedB] = endless.runIds as [number, number, number];
  await expect.poll(async () => (await call<{ status: string }>(server, 'runs.get', { id: first })).status).toBe('running');
  for (const id of [queuedA, queuedB]) expect((await call<{ status: string }>(server, 'runs.get', { id })).status).toBe('queued');
  await call(server, 'runs.cancel', { ids: [queuedA, queuedB] });
  await call(server, 'runs.cancel', { ids: [first] });
  await expect.poll(async () => (await call<{ status: string }>(server, 'runs.get', { id: first })).status).toBe('cancelled');

  await openScreen(app, `#/compare?runs=${queuedA},${trained.runIds[0]},${queuedB}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('compare-chart')).toBeVisible();
  await expect(app.getByTestId('compare-without-episodes')).toHaveText(
    `Left out of this address: runs ${queuedA} and ${queuedB} have no stored episodes (cancelled before their first episode).`,
  );
  await expect(app.getByTestId('compare-error')).toHaveCount(0);

  // Only such runs: one line saying so, and no failure under it.
  await openScreen(app, `#/compare?runs=${queuedA},${queuedB}`);
  await expect(app.getByTestId('compare-without-episodes')).toHaveText(
    `Left out of this address: runs ${queuedA} and ${queuedB} have no stored episodes (cancelled before their first episode): nothing is left to compare; add runs that have trained, or pick experiments.`,
  );
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  await expect(app.getByTestId('compare-chart')).toHaveCount(0);
  await expect(app.getByText(/has recorded/)).toHaveCount(0);
  await expect(app.getByText('Loading the runs…')).toHaveCount(0);

  // One of them deleted elsewhere (another window, `aisle delete`): its experiment is not compared
  // and it is in no group, yet its chip says it is gone and the line names the other alone (the old
  // screen asked again which picked runs are stored only for a change to a compared experiment or
  // group, and went on naming it).
  await call(server, 'runs.delete', { ids: [queuedB] });
  await expect(app.getByTestId('compare-unknown-run')).toHaveText(new RegExp(`^run ${queuedB} not found`));
  await expect(app.getByTestId('compare-without-episodes')).toHaveText(
    `Left out of this address: run ${queuedA} has no stored episodes (cancelled before its first episode): nothing is left to compare; add runs that have trained, or pick experiments.`,
  );
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
});

test('the Configuration table writes numbers as the app does: 2,000 episodes, not 2000', async ({ app, server }) => {
  const short = await launchAndWait(server, cliffExperiment('short', undefined, { seeds: 1, episodes: 1000 }));
  const long = await launchAndWait(server, cliffExperiment('long', undefined, { seeds: 1, episodes: 2000 }));
  await openScreen(app, `#/compare?experiments=${short.experimentId},${long.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.locator('[data-testid="config-diff-row"][data-path="episodes"] td')).toHaveText(['1,000', '2,000']);
  // Fractions and text as they were (the rows alike in both groups, folded away).
  await expect(app.locator('[data-testid="config-diff-row"][data-path="agent.alpha"] td')).toHaveText(['0.5', '0.5']);
  await expect(app.locator('[data-testid="config-diff-row"][data-path="agent.id"] td')).toHaveText(['q-learning', 'q-learning']);
});
