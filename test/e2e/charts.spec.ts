// Run detail's learning curves share one episode axis: a running run's span the episodes it played,
// rounded up to the next 1-2-5 number,
// a cancelled run's end with its last stored episode (with a note saying so), a finished run's
// with its last episode. Episodes count from 0 and an axis ends at the count (see EpisodeAxis). The axis ends are read from the drawn charts (LineChart's data-x-min/max).
import type { Page } from '@playwright/test';
import type { RunDetail, Series } from '../../src/shared/dto';
import { launchAndWait, openScreen, type Launched } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

const endlessToy = { format: 'aisle.experiment/v1', name: 'endless toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 };

/** Every drawn chart's x-axis ends, in chart order. */
async function axes(page: Page): Promise<string[]> {
  return page.locator('figure.metric-chart canvas[data-drawn]').evaluateAll((all) => all.map((c) => `${c.getAttribute('data-x-min')}…${c.getAttribute('data-x-max')}`));
}

/** Every drawn chart's plot area's left edge, in chart order. */
async function plotLefts(page: Page): Promise<number[]> {
  return page.locator('figure.metric-chart canvas[data-drawn]').evaluateAll((all) => all.map((c) => Number(c.getAttribute('data-plot-left'))));
}

test('run detail: every chart of a run on one episode axis, fitting what it played while it runs, ending where it was cancelled', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy });
  const id = runIds[0]!;
  await openScreen(app, `#/runs/${id}`);
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('running');
  // The run detail lists its metrics once the first episodes are stored (it refreshes every 2 s).
  await expect.poll(async () => (await call<RunDetail>(server, 'runs.get', { id })).metrics.length, { timeout: 20_000 }).toBeGreaterThan(1);
  const metrics = (await call<RunDetail>(server, 'runs.get', { id })).metrics;
  await expect(app.locator('figure.metric-chart canvas[data-drawn]')).toHaveCount(metrics.length, { timeout: 20_000 });

  // Running: all charts share one end, a 1-2-5 number above the episodes played so far, far short
  // of the plan (100,000,000 episodes), which pressed the curves into a sliver at the left edge.
  await expect
    .poll(async () => {
      const ends = new Set(await axes(app));
      const [only] = [...ends];
      const end = ends.size === 1 && only !== undefined ? Number(only.replace(/^0…/, '')) : NaN;
      return /^[125]0*$/.test(String(end)) && end < 100_000_000;
    })
    .toBe(true);
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('running');
  await expect(app.getByTestId('curves-stopped')).toHaveCount(0);

  await app.getByTestId('cancel-run').click();
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('cancelled');
  const stopped = await call<RunDetail>(server, 'runs.get', { id });
  expect(stopped.status).toBe('cancelled');
  const done = stopped.episodesDone;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(100_000_000);

  // Cancelled: in every chart the axis ends with the last stored episode (done − 1, as they count
  // from 0), and the note says the run stopped rather than the data being missing.
  await expect.poll(() => axes(app)).toEqual(metrics.map(() => `0…${done}`));
  await expect(app.getByTestId('curves-stopped')).toHaveText(
    `Cancelled after ${done.toLocaleString('en-US')} of 100,000,000 planned episodes: the episode axis ends where the run stopped.`,
  );
  await expect(app.getByTestId('metric-return').getByTestId('points-note')).toContainText(`${done.toLocaleString('en-US')} episodes`);
  // The plot areas start at one x too, though the y labels differ in width ("75", "105", "0.106").
  await expect.poll(async () => new Set(await plotLefts(app)).size).toBe(1);
  // The same after a reload, from the stored run alone.
  await app.reload();
  await expect(app.locator('figure.metric-chart canvas[data-drawn]')).toHaveCount(metrics.length);
  await expect.poll(() => axes(app)).toEqual(metrics.map(() => `0…${done}`));
  await expect(app.getByTestId('curves-stopped')).toBeVisible();
});

test('run detail: a finished run’s charts end with its last episode, not at the next round tick', async ({ app, server }) => {
  // 230 episodes (0 to 229): chart.js fitting the data alone ran the axis on to its next round tick.
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff 230', undefined, { episodes: 230, seeds: 1 }));
  const id = runIds[0]!;
  const { metrics } = await call<RunDetail>(server, 'runs.get', { id });
  await openScreen(app, `#/runs/${id}`);
  await expect(app.locator('figure.metric-chart canvas[data-drawn]')).toHaveCount(metrics.length);
  await expect.poll(() => axes(app)).toEqual(metrics.map(() => '0…230'));
  await expect.poll(async () => new Set(await plotLefts(app)).size).toBe(1);
  await expect(app.getByTestId('curves-stopped')).toHaveCount(0);
});

test('run detail: each y axis fits its curve after the first episodes, and "full y range" shows them all', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff focus', undefined, { seeds: 1 }));
  const id = runIds[0]!;
  const [series] = await call<Series[]>(server, 'runs.metrics', { runIds: [id], metric: 'return', maxPoints: 2000 });
  const lowest = Math.min(...series!.mean);
  const first = series!.mean[0]!;
  const last = series!.mean[series!.mean.length - 1]!;
  expect(first).toBeLessThan(4 * last); // a cliff's start: several times its end

  await openScreen(app, `#/runs/${id}`);
  const chart = app.getByTestId('metric-return');
  const canvas = chart.locator('canvas[data-drawn]');
  const yMin = async () => Number(await canvas.getAttribute('data-y-min'));
  await expect(canvas).toHaveCount(1);
  await expect.poll(yMin).toBeGreaterThan(first / 2);
  // Polled: a draw before the data settles (the smoothing still automatic) can have the focus without marks.
  await expect.poll(async () => Number(await canvas.getAttribute('data-clip-marks'))).toBeGreaterThan(0);
  await expect(chart.getByTestId('y-focus-note')).toContainText('The y axis fits the curves after their first tenth');

  await app.getByTestId('full-y').check();
  await expect(app).toHaveURL(/[?&]y=full(&|$)/);
  await expect.poll(yMin).toBeLessThanOrEqual(lowest);
  await expect(canvas).toHaveAttribute('data-clip-marks', '0');
  await expect(chart.getByTestId('y-focus-note')).toHaveCount(0);
});

test('run detail: a smoothing value still settling survives another control\'s write to the address', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('smoothing and band', undefined, { seeds: 1 }));
  // The page's clock is Playwright's, stopped once the screen shows and moved on by hand: the
  // slider's value rests (is written to the address) 300 ms of it after its last move, whatever
  // the machine's speed.
  await app.clock.install();
  await app.reload();
  await openScreen(app, `#/runs/${runIds[0]}`);
  const slider = app.getByTestId('smoothing');
  await expect(slider).toBeVisible();
  await app.clock.pauseAt((await app.evaluate(() => Date.now())) + 1000);
  // A value that has reached the address (silently: the screen's props do not know it yet)…
  await slider.fill('0.3');
  await app.clock.runFor(300);
  await expect(app).toHaveURL(/smooth=0\.3/);
  // …then a new one, and the band switched on before the new one rests: the band's write
  // brought the props up to the address, which still said 0.3, and moved the slider back.
  await slider.fill('0.1');
  await app.getByTestId('band').click();
  await expect(app).toHaveURL(/band=on/);
  await expect(app).toHaveURL(/smooth=0\.1(&|$)/);
  await app.clock.runFor(600); // past the slider's own write
  await expect(app.getByTestId('smoothing-value')).toHaveText('0.10');
  await expect(app).toHaveURL(/smooth=0\.1(&|$)/);
});

test('run detail: a metric stored at some episodes says how many values and where, not "at every episode"; a constant chart’s tick is at its value', async ({ app, server }) => {
  // DQN on the bandit testbed: one step per episode and learningStarts 500, so the loss is stored
  // once, at the last of 500 episodes.
  const bandit = { format: 'aisle.experiment/v1', name: 'bandit dqn', env: { id: 'bandit-testbed' }, agent: { id: 'dqn' }, episodes: 500, seeds: 1 };
  const { runIds } = await launchAndWait(server, bandit);
  await openScreen(app, `#/runs/${runIds[0]!}`);
  const loss = app.getByTestId('metric-train/loss');
  await expect(loss.getByTestId('constant-note')).toHaveText(/^[\d.]+: 1 value, at episode 499$/);
  // Its y axis's one tick reads the value as the note does (chart.js wrote 1.001 as "1").
  const value = (await loss.getByTestId('constant-note').textContent())!.split(':')[0]!;
  await expect(loss.locator('canvas[data-drawn]')).toHaveAttribute('data-y-ticks', value);
  await expect(loss.getByTestId('points-note')).toHaveText('1 value in 500 episodes');
  await expect(app.getByTestId('summary-train/loss')).toContainText('1 of 500');
  await expect(app.getByTestId('summary-return')).toContainText('all');
  // A metric's mean and its last 100's mean have the same decimals (-0.101 beside -0.020, not -0.02).
  const cells = await app.getByTestId('summary-return').locator('td').allTextContents();
  const decimals = (cell: string) => (cell.includes('.') ? cell.length - cell.indexOf('.') - 1 : 0);
  expect(decimals(cells[1]!), cells.join(' | ')).toBe(decimals(cells[2]!));

  const length = app.getByTestId('metric-length');
  await expect(length.getByTestId('constant-note')).toHaveText('1 at every episode');
  await expect(length.locator('canvas[data-drawn]')).toHaveAttribute('data-y-ticks', '1');
});

interface GridFigure {
  readonly id: string;
  readonly constant: boolean;
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** The chart grid's figures in reading order, with their edges relative to the grid's. */
async function gridFigures(page: Page): Promise<GridFigure[]> {
  return page.getByTestId('chart-grid').evaluate((grid) => {
    const g = grid.getBoundingClientRect();
    return [...grid.querySelectorAll('figure.metric-chart')].map((f) => {
      const r = f.getBoundingClientRect();
      return {
        id: f.getAttribute('data-testid')!,
        constant: f.querySelector('[data-testid=constant-note]') !== null,
        top: Math.round(r.top - g.top),
        bottom: Math.round(r.bottom - g.top),
        left: Math.round(r.left - g.left),
        right: Math.round(g.right - r.right),
      };
    });
  });
}

/** What leaves a hole: a row whose charts end at different heights, or mixes low and full charts, or a full row that stops short of the grid's right edge. */
function holes(figures: readonly GridFigure[]): string[] {
  const rows = new Map<number, GridFigure[]>();
  for (const f of figures) rows.set(f.top, [...(rows.get(f.top) ?? []), f]);
  const found: string[] = [];
  for (const row of rows.values()) {
    const names = row.map((f) => f.id).join(', ');
    if (new Set(row.map((f) => f.bottom)).size > 1) found.push(`${names}: end at different heights`);
    if (new Set(row.map((f) => f.constant)).size > 1) found.push(`${names}: low and full charts side by side`);
    if (!row[0]!.constant && row[row.length - 1]!.right > 1) found.push(`${names}: a full row short of the right edge`);
  }
  return found;
}

test('run detail: one-value metrics take low charts grouped after the full ones, and the grid has no holes', async ({ app, server }) => {
  // The 10-armed testbed with ε-greedy: the return, reward and % optimal vary (three full charts, so
  // the last spans the row); the length (one pull) and ε hold one value each.
  const bandit = { format: 'aisle.experiment/v1', name: 'bandit grid', env: { id: 'bandit-testbed' }, agent: { id: 'epsilon-greedy', epsilon: 0.1 }, episodes: 300, seeds: 1 };
  const { runIds } = await launchAndWait(server, bandit);
  const { metrics } = await call<RunDetail>(server, 'runs.get', { id: runIds[0]! });
  await openScreen(app, `#/runs/${runIds[0]!}`);
  await expect(app.locator('figure.metric-chart canvas[data-drawn]')).toHaveCount(metrics.length);
  await expect(app.getByTestId('chart-grid').locator('[data-testid=constant-note]')).toHaveCount(2);
  await expect(app.getByTestId('chart-grid').getByRole('heading', { name: 'Metrics of one value' })).toBeVisible();
  await expect.poll(async () => (await gridFigures(app)).map((f) => f.id)).toEqual(['metric-return', 'metric-optimal', 'metric-reward', 'metric-length', 'metric-train/epsilon']);
  await expect.poll(async () => holes(await gridFigures(app))).toEqual([]);
  const figures = await gridFigures(app);
  // The odd third full chart spans the row; the two low ones share theirs.
  expect(figures[2]!.left).toBe(0);
  expect(figures[2]!.right).toBe(0);
  expect(figures[3]!.top).toBe(figures[4]!.top);
  const heights = await app.locator('figure.metric-chart .chart').evaluateAll((all) => all.map((c) => (c as HTMLElement).offsetHeight));
  expect(heights[3]!).toBeLessThan(heights[0]! / 2);

  // A cliff run (return and length vary, ε does not): the same, and at 900 px too.
  const cliff = await launchAndWait(server, cliffExperiment('cliff grid', undefined, { seeds: 1 }));
  await openScreen(app, `#/runs/${cliff.runIds[0]!}`);
  await expect(app.getByTestId('metric-train/epsilon').getByTestId('constant-note')).toBeVisible();
  // A low chart's metric is named by its caption alone: written up its 90 px plot, "train/epsilon" ran past the height ("train/epsilo").
  await expect(app.getByTestId('metric-train/epsilon').locator('canvas[data-drawn]')).toHaveAttribute('data-y-title', '');
  await expect(app.getByTestId('metric-return').locator('canvas[data-drawn]')).toHaveAttribute('data-y-title', 'return');
  await expect.poll(async () => holes(await gridFigures(app))).toEqual([]);
  await app.setViewportSize({ width: 900, height: 700 });
  await expect.poll(async () => holes(await gridFigures(app))).toEqual([]);
});

test("run detail: a running run's episode axis keeps up with the curves it draws, however fast the run plays", async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy });
  const id = runIds[0]!;
  await openScreen(app, `#/runs/${id}`);
  await expect(app.getByTestId('metric-return').locator('canvas[data-drawn]')).toHaveCount(1, { timeout: 20_000 });
  // The curves are fetched every 700 ms, and the axis followed the run's record, read every 2 s:
  // a fast run's curves (a resumed one's first seconds) ran past the axis end, clipped, for up to 2 s.
  // Both ends are read from the same draw (the canvas's attributes, written as it renders), so the
  // check does not race the next refresh.
  // Every draw is looked at (its counter, written last, is watched), not the canvas every 100 ms, which
  // a loaded machine stretches over fewer draws: eight, some 5 s of the 700 ms refreshes, so two or
  // more of the record's 2 s reads fall among them.
  // The watch ends after 20 s with the draws seen so far, and says so, well inside the test's own
  // 60 s, whose timeout would only say it ran out.
  const [wanted, within] = [8, 20_000];
  const canvas = app.getByTestId('metric-return').locator('canvas[data-drawn]');
  const draws = await canvas.evaluate(
    (el: HTMLElement, { wanted, within }) =>
      new Promise<{ end: number; drawn: number }[]>((done) => {
        const seen: { end: number; drawn: number }[] = [];
        const finish = () => {
          observer.disconnect();
          clearTimeout(timer);
          done(seen);
        };
        const observer = new MutationObserver(() => {
          seen.push({ end: Number(el.dataset.xMax), drawn: Number(el.dataset.dataXEnd) });
          if (seen.length >= wanted) finish();
        });
        const timer = setTimeout(finish, within);
        observer.observe(el, { attributes: true, attributeFilter: ['data-drawn'] });
      }),
    { wanted, within },
  );
  expect(draws.length, `draws of the return curve in ${within / 1000} s (they come every 700 ms while the run plays: it stopped, or they did)`).toBe(wanted);
  expect(draws.filter(({ end, drawn }) => drawn > end).map(({ end, drawn }) => `a curve drawn to episode ${drawn}, the axis ending at ${end}`)).toEqual([]);
  expect(draws.at(-1)!.drawn, 'the run played on while it was watched').toBeGreaterThan(draws[0]!.drawn);
  await app.getByTestId('cancel-run').click();
  await app.getByTestId('confirm').click();
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('cancelled');
});

test('compare: a short run whose first tenth the y axis fits out still starts its x axis at episode 0', async ({ app, server }) => {
  // 50 episodes of the cliff: the first 5 fall far below the rest, beyond the fitted y axis; chart.js
  // then fitted x to the points inside it, and the axis began at episode 5 with its marks off the plot.
  const { experimentId } = await launchAndWait(server, cliffExperiment('short cliff', undefined, { episodes: 50, seeds: 1 }));
  await openScreen(app, `#/compare?experiments=${experimentId}`);
  const canvas = app.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /.*/);
  await expect(app.getByTestId('compare-chart')).toContainText('marked on its edge');
  await expect(canvas).toHaveAttribute('data-x-min', '0');
});
