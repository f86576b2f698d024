// A paged table opens a new page at its first row: Next, pressed under a page scrolled to its last
// rows, kept that scroll, so the Runs table (which scrolls in its own box) showed page 2's last
// rows, and Experiments (scrolled with the window) the middle of a page.
import type { RunPage } from '../../src/shared/dto';
import { openScreen } from './arrange';
import { call, expect, test } from './fixtures';

const toy = (name: string, seeds: number) => ({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 1, seeds, checkpoints: 0 });
const completed = (server: Parameters<typeof call>[0]) => async () => (await call<RunPage>(server, 'runs.list', { status: ['completed'], limit: 1 })).total;

test('Runs: Next and Previous under a page scrolled to its end show the other page from its first row', async ({ app, server }) => {
  await call(server, 'experiments.launch', { experiment: toy('toys', 180) });
  await expect.poll(completed(server), { timeout: 60_000 }).toBe(180);
  await openScreen(app, '#/runs');
  const rows = app.getByTestId('run-row');
  await expect(rows).toHaveCount(100);
  await rows.last().scrollIntoViewIfNeeded();
  await expect(rows.first()).not.toBeInViewport();
  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('runs-total')).toHaveText('101–180 of 180 runs');
  await expect(rows.first()).toHaveAttribute('data-id', '80');
  await expect(rows.first()).toBeInViewport();
  await expect(app.getByTestId('next-page')).toBeFocused();

  await rows.last().scrollIntoViewIfNeeded();
  await app.getByRole('button', { name: '‹ Previous' }).click();
  await expect(rows.first()).toHaveAttribute('data-id', '180');
  await expect(rows.first()).toBeInViewport();
  // Back to page 2 with the browser's Back: the address's page, however it changes.
  await rows.last().scrollIntoViewIfNeeded();
  await app.goBack();
  await expect(rows.first()).toHaveAttribute('data-id', '80');
  await expect(rows.first()).toBeInViewport();
});

test('Experiments: Next under a page scrolled to its end shows the next page from its first row', async ({ app, server }) => {
  test.setTimeout(120_000);
  const eight = Array.from({ length: 8 }, (_, i) => i + 1);
  for (const gamma of [0.9, 0.99]) {
    await call(server, 'experiments.launchSweep', {
      experiment: { ...toy('toy', 1), agent: { id: 'q-learning', gamma } },
      sweep: [
        { path: 'agent.alpha', values: eight.map((i) => i / 10) },
        { path: 'episodes', values: eight },
      ],
    });
  }
  await expect.poll(completed(server), { timeout: 60_000, intervals: [200, 500] }).toBe(128);
  await openScreen(app, '#/experiments');
  const rows = app.getByTestId('experiment-row');
  await expect(rows).toHaveCount(100);
  await app.getByTestId('next-page').scrollIntoViewIfNeeded();
  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('experiments-range')).toHaveText('101–128 of 128 experiments');
  await expect(rows.first()).toBeInViewport();
  await expect(app.getByTestId('next-page')).toBeFocused();
});
