// Q-tables: two runs side by side → the diff heatmap, the greedy-action agreement (checked against
// the agreement computed here from qtables.get of both runs), the states that differ, and the
// checkpoint scrubber moving a side to another episode.
import type { QTable } from '../../src/shared/dto';
import { test, expect, call, cliffExperiment } from './fixtures';
import { launchAndWait, openScreen, saveScreenshot } from './arrange';

const argmax = (row: readonly number[]) => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);

test('diffs the Q-tables of two runs and scrubs through checkpoints', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 2, checkpoints: 5 }));
  const [a, b] = runIds as [number, number];
  const qa = await call<QTable>(server, 'qtables.get', { runId: a });
  const qb = await call<QTable>(server, 'qtables.get', { runId: b });
  const differing = qa.q.flatMap((row, s) => (argmax(row) === argmax(qb.q[s]!) ? [] : [s]));
  const agreement = (100 * (qa.states.length - differing.length)) / qa.states.length;

  await openScreen(app, `#/qtables?a=${a}&b=${b}`);
  for (const id of ['qt-heatmap-a', 'qt-heatmap-b', 'qt-heatmap-diff']) {
    const heatmap = app.getByTestId(id);
    await expect(heatmap).toBeVisible();
    await expect(heatmap).toHaveAttribute('data-rows', String(qa.states.length));
    await expect(heatmap).toHaveAttribute('data-cols', String(qa.actions.length));
    await expect(heatmap.locator('canvas')).toHaveAttribute('data-drawn', /\d+/);
  }
  const shown = app.getByTestId('qt-agreement');
  await expect(shown).toBeVisible();
  expect(Number(await shown.getAttribute('data-value'))).toBeCloseTo(agreement, 9);
  await expect(shown).toContainText('%');
  if (differing.length) await expect(app.getByTestId('qt-differing').locator('tbody tr')).toHaveCount(Math.min(differing.length, 100));

  await saveScreenshot(app, 'qtables');

  // The scrubber: A back to its first checkpoint shows that checkpoint's episode, and the URL keeps it.
  const checkpoints = [...qa.checkpoints].sort((x, y) => x.episode - y.episode);
  expect(checkpoints.length).toBeGreaterThan(2);
  const episode = app.getByTestId('qt-A-episode');
  await expect(episode).toHaveAttribute('data-episode', String(checkpoints.at(-1)!.episode));
  await app.getByTestId('qt-A-scrubber').fill('0');
  await expect(episode).toHaveAttribute('data-episode', String(checkpoints[0]!.episode));
  await expect(episode).toContainText(`episode ${checkpoints[0]!.episode}`);
  await expect(app).toHaveURL(new RegExp(`ca=${checkpoints[0]!.id}`));
  await expect(app.locator('figcaption').first()).toContainText(`episode ${checkpoints[0]!.episode.toLocaleString('en-US')}`);

  // One run alone: its first checkpoint against its final one (learning progress).
  await openScreen(app, `#/qtables?a=${b}`);
  await expect(app).toHaveURL(/ca=\d+/);
  await expect(app.getByTestId('qt-B-episode')).toHaveAttribute('data-episode', String(qb.episode));
  await expect(app.getByTestId('qt-heatmap-diff')).toBeVisible();
  // Picking a second run from there compares the two runs' final tables, not A's first checkpoint.
  await expect(app.getByTestId('qt-A-episode')).not.toHaveAttribute('data-episode', String(qb.episode));
  await app.getByTestId('qt-B-run').selectOption(String(a));
  await expect(app).not.toHaveURL(/ca=/);
  await expect(app.getByTestId('qt-A-episode')).toHaveAttribute('data-episode', String(qb.episode));
  await expect(app.getByTestId('qt-B-episode')).toHaveAttribute('data-episode', String(qa.episode));
  expect(Number(await app.getByTestId('qt-agreement').getAttribute('data-value'))).toBeCloseTo(agreement, 9);
  // A run can also be picked by its number (the lists hold only the newest runs).
  await app.getByTestId('qt-B-run-number').fill(String(b));
  await app.getByTestId('qt-B-run-number').press('Enter');
  await expect(app).toHaveURL(new RegExp(`b=${b}(&|$)`));
  await expect(app.getByTestId('qt-agreement')).toHaveAttribute('data-value', '100');
});

test('draws a 20,000-state table only where it is scrolled to', async ({ app, server }) => {
  const experiment = {
    format: 'aisle.experiment/v1',
    name: 'big toy',
    env: { id: 'seed-toy', states: 20_000, actions: 5, stepsPerEpisode: 2000 },
    agent: { id: 'q-learning', alpha: 0.5, gamma: 0.9, epsilon: 0.1 },
    episodes: 10,
    seeds: 2,
    checkpoints: 2,
  };
  const { runIds } = await launchAndWait(server, experiment);
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const heatmap = app.getByTestId('qt-heatmap-diff');
  await expect(heatmap).toHaveAttribute('data-rows', '20000');
  const canvas = heatmap.locator('canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  // The canvas stays window-sized however many states there are…
  expect((await canvas.boundingBox())!.height).toBeLessThan(500);
  // …and scrolling to the end draws the last rows within a frame or two.
  const before = Number(await canvas.getAttribute('data-drawn'));
  const ms = await heatmap.evaluate(async (el) => {
    const start = performance.now();
    el.scrollTop = el.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - start;
  });
  await expect.poll(async () => Number(await canvas.getAttribute('data-drawn'))).toBeGreaterThan(before);
  expect(ms).toBeLessThan(500);
  await expect(app.getByTestId('qt-differing').locator('tbody tr')).toHaveCount(100);
});
