// Runs' Compare selected with runs that stored no episodes (queued, or cancelled before their
// first): they are left out, as Compare's run-id box leaves them out, rather than failing the
// whole comparison one such run at a time.
import type { Page } from '@playwright/test';
import { launchAndWait, openScreen, type Launched } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

const row = (page: Page, id: number) => page.locator(`[data-testid=run-row][data-id="${id}"]`);

// Its queued runs wait behind one worker: the pool's own has cores − 1, and on 3 cores or more they ran.
test.use({ serverWorkers: 1 });

test('Compare selected leaves out the selected runs with no stored episodes, and says why when all are such', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff trained', undefined, { seeds: 1 }));
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

  await openScreen(app, '#/runs');
  await expect(row(app, queuedB)).toHaveAttribute('data-status', 'cancelled');
  await expect(row(app, queuedA)).toHaveAttribute('data-status', 'cancelled');
  // Only runs without episodes: nothing to compare, and the button says so instead of opening a failure.
  await row(app, queuedA).getByTestId('select-run').check();
  await row(app, queuedB).getByTestId('select-run').check();
  const compare = app.getByTestId('compare-selected');
  await expect(compare).toHaveAttribute('aria-disabled', 'true');
  await expect(compare).toHaveAccessibleDescription('None of the selected runs has stored episodes to compare (queued, or stopped before their first).');
  // With a trained run beside them, Compare opens on it alone, and the comparison draws.
  await row(app, trained.runIds[0]!).getByTestId('select-run').check();
  await expect(compare).not.toHaveAttribute('aria-disabled');
  await expect(compare).toHaveAttribute('title', 'Compares 1 run: 2 selected runs without stored episodes left out');
  await compare.click();
  await expect(app).toHaveURL(new RegExp(`#/compare\\?runs=${trained.runIds[0]}$`));
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByText(/has no stored episodes/)).toHaveCount(0);
});
