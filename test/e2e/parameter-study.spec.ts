// Compare's Parameter study: a sweep of the cliff quickstart's alpha (0.01, 0.1, 1: two decades, so
// a log axis) by epsilon (0.05, 0.1, 0.2), launched from New experiment's Sweep, is drawn as the mean
// final return against alpha, a line per epsilon, each point its group's figures from the
// final-performance table with its t interval as a bar; the x axis swaps to epsilon (kept in the
// address, and in the saved report) and back. Where the lines share an alpha their points are dodged
// a few pixels apart, centred on it. A line hidden by its legend's toggle (Tab, Space) stays hidden
// across a theme switch, and a click on the canvas legend moves its toggle too. axe finds nothing serious on the whole page, whose nine-group
// tables scroll sideways: each scrolling box is a named region the keyboard reaches and scrolls. Two
// experiments of the sweep make no panel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RunPage } from '../../src/shared/dto';
import { openScreen } from './arrange';
import { clickCanvasLegend, inEachTheme } from './chart-legend';
import { audit } from './axe';
import { call, expect, ROOT, test, type AisleServer } from './fixtures';

const ALPHAS = [0.01, 0.1, 1];
const EPSILONS = [0.05, 0.1, 0.2];
const SEEDS = 2;

/** Waits until every run in the database has completed (9 experiments × 2 seeds, training in the background under whatever load CI has). */
async function allCompleted(server: AisleServer, runs: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const page = await call<RunPage>(server, 'runs.list', { limit: 500 });
        const failed = page.runs.find((r) => r.status === 'failed' || r.status === 'interrupted' || r.status === 'cancelled');
        if (failed) throw new Error(`run ${failed.id} ended ${failed.status}: ${failed.error ?? ''}`);
        return page.runs.filter((r) => r.status === 'completed').length;
      },
      { timeout: 150_000, intervals: [500, 1000] },
    )
    .toBe(runs);
}

interface Shown {
  /** The final-performance table: each group's key, mean (raw) and mean and interval as written. */
  readonly table: Record<string, { mean: number; text: [string, string] }>;
  /** The study's table, in its order: each point's group key, x, mean (raw), mean and interval as written. */
  readonly points: { key: string; x: number; mean: number; text: [string, string]; cells: string[] }[];
  /** What the chart drew (its canvas's data-points): the data, and the pixel x of the point drawn and of its true x. */
  readonly drawn: { line: string; x: number; y: number; lo: number | null; hi: number | null; px: number; tx: number }[];
}

/** Both tables and the chart's points, read in one go so that they come from one answer of the service. */
function shown(app: Page): Promise<Shown> {
  return app.evaluate(() => {
    const text = (el: Element | null) => el?.textContent?.trim() ?? '';
    const table: Shown['table'] = {};
    for (const row of document.querySelectorAll('[data-testid=compare-group]')) {
      table[row.getAttribute('data-key')!] = {
        mean: Number(row.querySelector('[data-testid=final-mean]')!.getAttribute('data-value')),
        text: [text(row.querySelector('[data-testid=final-mean]')), text(row.querySelector('[data-testid=final-mean-ci]'))],
      };
    }
    const points = [...document.querySelectorAll('[data-testid=parameter-study-point]')].map((row) => {
      const cells = [...row.querySelectorAll('td')].map(text);
      return { key: row.getAttribute('data-key')!, x: Number(row.getAttribute('data-x')), mean: Number(row.getAttribute('data-mean')), text: cells.slice(-2) as [string, string], cells };
    });
    const drawn = JSON.parse(document.querySelector('[data-testid=parameter-study-canvas]')?.getAttribute('data-points') ?? '[]') as Shown['drawn'];
    return { table, points, drawn };
  });
}

test('a sweep of alpha by epsilon is drawn as a parameter study whose points are the final-performance means; x swaps to epsilon and back', async ({ app, server }) => {
  test.setTimeout(240_000);
  await app.getByTestId('new-experiment-link').click();
  // The cliff quickstart: alpha tells on it within 100 episodes (the docs' screenshot shows a slope).
  await app.getByTestId('presets-toggle').click();
  await app.getByTestId('preset-quickstart.json').click();
  await expect(app.getByTestId('select-env')).toHaveValue('tabular-mdp');
  await app.getByTestId('input-episodes').fill('100');
  await app.getByTestId('input-seeds').fill(String(SEEDS));
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('agent.alpha');
  await app.getByTestId('sweep-values-0').fill(ALPHAS.join(', '));
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-1').selectOption('agent.epsilon');
  await app.getByTestId('sweep-values-1').fill(EPSILONS.join(', '));
  await expect(app.getByTestId('sweep-summary')).toHaveText(`9 experiments × ${SEEDS} seeds = ${9 * SEEDS} runs`);
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/compare\?experiments=/);
  await allCompleted(server, 9 * SEEDS);

  // Every run done, the screen's last refresh in: 9 groups of 2 runs, none partial.
  const groups = app.getByTestId('compare-group');
  await expect(groups).toHaveCount(9, { timeout: 30_000 });
  await expect(app.getByTestId('partial-runs')).toHaveCount(0, { timeout: 30_000 });
  for (let i = 0; i < 9; i++) await expect(groups.nth(i).locator('td').nth(1)).toHaveText(String(SEEDS));

  const panel = app.getByTestId('parameter-study');
  await expect(panel.getByRole('heading', { name: 'Parameter study' })).toBeVisible();
  // A grid's study, not a random search's slices (whose panel has test ids of its own).
  await expect(app.locator('[data-testid^=slice-study]')).toHaveCount(0);
  // Its heading as far under its panel's top edge as the other panels' headings (within 2 px: it shares its row with the
  // x-axis select, centred on it): h2's 20 px margin put it at 35 px, the others at 15.
  const headingTops = await app.locator('.compare .panel h2').evaluateAll((hs) =>
    Object.fromEntries(hs.map((h) => [h.textContent, Math.round(h.getBoundingClientRect().top - h.closest('.panel')!.getBoundingClientRect().top)])),
  );
  expect(Math.abs(headingTops['Parameter study']! - headingTops['Final performance']!), `headings' offsets in their panels: ${JSON.stringify(headingTops)}`).toBeLessThanOrEqual(2);
  await expect(panel).toHaveAttribute('data-x', 'agent.alpha');
  await expect(panel).toHaveAttribute('data-series', 'agent.epsilon');
  await expect(panel).toHaveAttribute('data-log-scale', 'true');
  const canvas = app.getByTestId('parameter-study-canvas');
  await expect(canvas).toHaveAttribute('data-x-scale', 'logarithmic');
  await expect(canvas).toHaveAttribute('aria-label', /by alpha \(agent\.alpha\), log scale, a line per epsilon: epsilon=0\.05, epsilon=0\.1, epsilon=0\.2/);
  await expect(app.getByTestId('parameter-study-caption')).toContainText("Mean final return against agent.alpha (log scale: its values span 2 decades or more), a line per value of agent.epsilon");
  // Two seeds a group: every point has its bar.
  await expect(canvas).toHaveAttribute('data-bars', '9');

  // The points are the final-performance table's means, figure for figure, sorted by alpha then epsilon;
  // the chart drew each of them on its epsilon's line. Polled: the chart's last draw may trail the tables by a frame.
  const expectPointsMatch = async (x: 'alpha' | 'epsilon') => {
    await expect
      .poll(async () => {
        const { table, points, drawn } = await shown(app);
        const problems: string[] = [];
        if (points.length !== 9) problems.push(`${points.length} points`);
        for (const p of points) {
          const row = table[p.key];
          if (!row) problems.push(`point ${p.key} has no row`);
          else if (row.mean !== p.mean || row.text.join(' ') !== p.text.join(' ')) problems.push(`${p.key}: ${p.text.join(' ')} against the table's ${row.text.join(' ')}`);
        }
        const xs = points.map((p) => p.x);
        if (xs.some((v, i) => i > 0 && v < xs[i - 1]!)) problems.push(`not sorted by ${x}: ${xs.join(', ')}`);
        const drawnPoints = drawn.map((d) => `${d.x}:${d.y}`).sort();
        const tablePoints = points.map((p) => `${p.x}:${p.mean}`).sort();
        if (drawnPoints.join() !== tablePoints.join()) problems.push(`drawn ${drawnPoints.join()} against ${tablePoints.join()}`);
        const lines = [...new Set(drawn.map((d) => d.line))];
        const expected = (x === 'alpha' ? EPSILONS.map((e) => `epsilon=${e}`) : ALPHAS.map((a) => `alpha=${a}`)).join();
        if (lines.join() !== expected) problems.push(`lines ${lines.join()}`);
        if (drawn.some((d) => d.lo === null || d.hi === null || d.lo > d.y || d.hi < d.y)) problems.push('a bar does not hold its mean');
        // Three lines share each x: their points (and bars) stand 6 px apart, centred on the true x.
        for (const value of new Set(drawn.map((d) => d.x))) {
          const at = drawn.filter((d) => d.x === value);
          const offsets = at.map((d) => Math.round(d.px - d.tx)).sort((a, b) => a - b);
          if (offsets.join() !== '-6,0,6') problems.push(`at ${x} ${value} the points are drawn at ${offsets.join(', ')} px from it`);
        }
        // Each line keeps its side at every x, so a line reads as one.
        for (const line of lines) {
          const sides = new Set(drawn.filter((d) => d.line === line).map((d) => Math.round(d.px - d.tx)));
          if (sides.size !== 1) problems.push(`${line} is drawn at ${[...sides].join(', ')} px from its x values`);
        }
        return problems;
      })
      .toEqual([]);
  };
  await expectPointsMatch('alpha');
  await expect(app.getByTestId('parameter-study-point').first().locator('td').first()).toHaveText('0.01');

  // The table is there for a screen reader and opens for the eye; axe finds nothing serious on the
  // whole page either way. Nine groups make the matrix and the configuration tables wider than
  // their panels: they scroll sideways, so each must be reachable from the keyboard.
  const violations = async () => (await audit(app)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
  expect(await violations(), 'serious or critical violations, the tables folded').toEqual([]);
  await panel.locator('summary').click();
  await app.getByTestId('config-diff').locator('summary').click();
  await expect(app.getByTestId('parameter-study-points')).toBeVisible();
  expect(await violations(), 'serious or critical violations, the tables open').toEqual([]);
  await panel.locator('summary').click();
  await app.getByTestId('config-diff').locator('summary').click();
  // The matrix's box: Tab from its heading reaches it, it shows the focus ring, and the arrow keys scroll it.
  const matrix = app.getByRole('region', { name: 'Probability of improvement' });
  await expect(matrix).toHaveAttribute('tabindex', '0');
  await app.getByRole('heading', { name: 'Probability of improvement' }).click();
  await app.keyboard.press('Tab');
  await expect(matrix).toBeFocused();
  expect(await matrix.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await app.keyboard.press('ArrowRight');
  await expect.poll(() => matrix.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await panel.screenshot({ path: join(ROOT, 'docs', 'screenshots', 'parameter-study.png') });

  // Swap: epsilon on x (linear: 0.05 to 0.2 is less than a decade), a line per alpha, kept in the address.
  await app.getByTestId('parameter-study-x').selectOption('agent.epsilon');
  await expect(app).toHaveURL(/[?&]study=agent\.epsilon/);
  await expect(panel).toHaveAttribute('data-x', 'agent.epsilon');
  await expect(panel).toHaveAttribute('data-series', 'agent.alpha');
  await expect(panel).toHaveAttribute('data-log-scale', 'false');
  await expect(canvas).toHaveAttribute('data-x-scale', 'linear');
  await expectPointsMatch('epsilon');
  // Save report tables the study as the panel shows it, epsilon first.
  const [report] = await Promise.all([app.waitForEvent('download'), app.getByTestId('compare-save-report').click()]);
  const markdown = readFileSync((await report.path())!, 'utf8');
  expect(markdown).toContain('## Parameter study');
  expect(markdown).toContain('| agent.epsilon | agent.alpha | group | runs | mean | mean 95% CI (t) |');
  await app.reload();
  await expect(app.getByTestId('parameter-study')).toHaveAttribute('data-x', 'agent.epsilon');
  await expect(app.getByTestId('parameter-study-x')).toHaveValue('agent.epsilon');
  await expect(app.getByTestId('parameter-study-canvas')).toHaveAttribute('data-x-scale', 'linear');

  // And back: the default choice leaves the address.
  await app.getByTestId('parameter-study-x').selectOption('agent.alpha');
  await expect(app.getByTestId('parameter-study-canvas')).toHaveAttribute('data-x-scale', 'logarithmic');
  await expect(app).not.toHaveURL(/study=/);
  await expectPointsMatch('alpha');

  // Its legend is Compare's: a toggle per line the keyboard reaches (chart.js's canvas legend alone
  // took a mouse), and a line hidden stays hidden when a theme switch makes the chart anew (it came back).
  const studyCanvas = app.getByTestId('parameter-study-canvas');
  const toggles = app.getByTestId('parameter-study-canvas-legend').getByRole('button');
  await expect(toggles).toHaveText(EPSILONS.map((e) => `epsilon=${e}`));
  const first = toggles.first();
  await app.getByRole('heading', { level: 1 }).focus();
  for (let i = 0; i < 120 && !(await first.evaluate((b) => b === document.activeElement)); i++) await app.keyboard.press('Tab');
  await expect(first).toBeFocused();
  await app.keyboard.press('Space');
  await expect(first).toHaveAttribute('aria-pressed', 'false');
  await expect(studyCanvas).toHaveAttribute('data-hidden', 'epsilon=0.05');
  // The two lines left take the dodge's places for two: 3 px either side of each value.
  await expect.poll(async () => [...new Set((await shown(app)).drawn.filter((d) => d.line !== 'epsilon=0.05').map((d) => Math.round(d.px - d.tx)))].sort((p, q) => p - q)).toEqual([-3, 3]);
  await inEachTheme(app, studyCanvas, async () => {
    await expect(studyCanvas).toHaveAttribute('data-hidden', 'epsilon=0.05');
    await expect(first).toHaveAttribute('aria-pressed', 'false');
    await expect(toggles.nth(1)).toHaveAttribute('aria-pressed', 'true');
  });
  // A click on the canvas legend (along its row, until one lands on an item) goes the same way: its toggle follows.
  await app.getByRole('heading', { level: 1 }).focus();
  const hidden = await clickCanvasLegend(app, studyCanvas);
  expect(hidden).not.toBe('epsilon=0.05');
  for (const [i, e] of EPSILONS.entries()) await expect(toggles.nth(i)).toHaveAttribute('aria-pressed', String(!hidden.split(';').includes(`epsilon=${e}`)));
  // A study= the sweep does not vary was dropped unsaid: it is named, with alpha on the axis instead.
  const unread = app.getByTestId('unread-address');
  await expect(unread).toHaveCount(0);
  await openScreen(app, `${new URL(app.url()).hash}&study=zzz`);
  await expect(unread).toHaveText(/^Left out of this address: study=zzz \(“zzz” is not a setting this sweep varies over 3 values or more: study takes one of agent\.alpha, agent\.epsilon, .*; agent\.alpha is on the x axis instead\)\.$/);
  await expect(app.getByTestId('parameter-study')).toHaveAttribute('data-x', 'agent.alpha');

  // Two experiments of the sweep (alpha 0.01 and 0.1 at epsilon 0.05): a difference, not a curve, so no panel.
  await openScreen(app, '#/compare?experiments=1,4');
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.getByTestId('parameter-study')).toHaveCount(0);
  await openScreen(app, '#/compare?experiments=1,4&study=agent.alpha');
  await expect(unread).toContainText('study=agent.alpha (“agent.alpha” is not a setting of this comparison’s parameter study');
});
