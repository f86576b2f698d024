// Compare's Parameter study for a random search: five cliff experiments, each at an (alpha, epsilon)
// pair of its own (no value shared: no grid, as a random search samples them), launched through the
// contract. The panel is a slice study: a scatter per setting (alpha on a log axis: 0.004 … 0.9),
// every point its group's final-performance mean and interval, not joined; the best group (the
// highest mean in the final-performance table) drawn as the diamond and named in the caption; the
// table best first. axe finds nothing serious on the page, the table folded or open.
import type { Page } from '@playwright/test';
import { launchAndWait, openScreen } from './arrange';
import { audit } from './axe';
import { cliffExperiment, expect, test } from './fixtures';

const PAIRS: readonly [number, number][] = [
  [0.42, 0.07],
  [0.004, 0.21],
  [0.09, 0.12],
  [0.9, 0.28],
  [0.035, 0.03],
];

interface Shown {
  /** The final-performance table: each group's key, raw mean and the mean and interval as written. */
  readonly table: Record<string, { mean: number; text: string }>;
  /** The study's table in its order: group key, raw mean, its cells. */
  readonly rows: { key: string; mean: number; best: boolean; cells: string[] }[];
  /** Each panel's setting, scale, and what its canvas drew. */
  readonly panels: { x: string; scale: string; joined: string; drawn: { x: number; y: number; lo: number | null; hi: number | null; style: string }[] }[];
}

function shown(app: Page): Promise<Shown> {
  return app.evaluate(() => {
    const text = (el: Element | null) => el?.textContent?.trim() ?? '';
    const table: Shown['table'] = {};
    for (const row of document.querySelectorAll('[data-testid=compare-group]')) {
      table[row.getAttribute('data-key')!] = {
        mean: Number(row.querySelector('[data-testid=final-mean]')!.getAttribute('data-value')),
        text: `${text(row.querySelector('[data-testid=final-mean]'))} ${text(row.querySelector('[data-testid=final-mean-ci]'))}`,
      };
    }
    const rows = [...document.querySelectorAll('[data-testid=slice-study-point]')].map((row) => ({
      key: row.getAttribute('data-key')!,
      mean: Number(row.getAttribute('data-mean')),
      best: row.hasAttribute('data-best'),
      cells: [...row.querySelectorAll('td')].map(text),
    }));
    const panels = [...document.querySelectorAll('[data-testid=slice-panel]')].map((panel) => {
      const canvas = panel.querySelector('canvas')!;
      return { x: panel.getAttribute('data-x')!, scale: canvas.getAttribute('data-x-scale') ?? '', joined: canvas.getAttribute('data-joined') ?? '', drawn: JSON.parse(canvas.getAttribute('data-points') ?? '[]') as Shown['panels'][number]['drawn'] };
    });
    return { table, rows, panels };
  });
}

test('a random search of alpha and epsilon is drawn as a slice per setting whose points are the final-performance means, the best marked', async ({ app, server }) => {
  test.setTimeout(180_000);
  for (const [i, [alpha, epsilon]] of PAIRS.entries()) {
    await launchAndWait(server, cliffExperiment(`cliff walking with Q-learning, a random search of the step size and the exploration rate, trial ${i + 1}`, { id: 'q-learning', alpha, gamma: 1, epsilon }, { seeds: 2, episodes: 60 }), 90_000);
  }
  await openScreen(app, '#/compare?experiments=1,2,3,4,5');
  await expect(app.getByTestId('compare-group')).toHaveCount(5);
  const panel = app.getByTestId('slice-study');
  await expect(panel).toHaveAttribute('data-kind', 'slice');
  await expect(app.getByTestId('slice-panel')).toHaveCount(2);
  // Its own test ids, none of the grid's study: they were shared, so a test of either panel passed on the other.
  await expect(app.locator('[data-testid^=parameter-study]')).toHaveCount(0);

  await expect
    .poll(async () => {
      const { table, rows, panels } = await shown(app);
      const problems: string[] = [];
      if (rows.length !== 5) problems.push(`${rows.length} rows`);
      // The rows are the final-performance figures, best (highest mean) first, the first one marked.
      for (const r of rows) if (table[r.key]?.text !== r.cells.slice(-2).join(' ')) problems.push(`${r.key}: ${r.cells.slice(-2).join(' ')} against ${table[r.key]?.text}`);
      const means = rows.map((r) => r.mean);
      if (means.some((m, i) => i > 0 && m > means[i - 1]!)) problems.push(`not best first: ${means.join(', ')}`);
      const highest = Math.max(...Object.values(table).map((t) => t.mean));
      if (rows[0]?.mean !== highest || !rows[0]?.best || rows.slice(1).some((r) => r.best)) problems.push('the best row is not the highest mean alone');
      if (panels.map((p) => `${p.x}:${p.scale}`).join() !== 'agent.alpha:logarithmic,agent.epsilon:linear') problems.push(`panels ${panels.map((p) => `${p.x}:${p.scale}`).join()}`);
      for (const [k, p] of panels.entries()) {
        // Every group at its own value of this setting, at its table mean.
        const drawn = p.drawn.map((d) => `${d.x}:${d.y}`).sort();
        const expected = rows.map((r) => `${Number(r.cells[k])}:${r.mean}`).sort();
        if (drawn.join() !== expected.join()) problems.push(`${p.x} drew ${drawn.join()} against ${expected.join()}`);
        // Not joined, and the best group's point alone is the diamond.
        if (p.joined !== 'false') problems.push(`${p.x}: joined ${p.joined}`);
        const diamonds = p.drawn.filter((d) => d.style === 'rectRot').map((d) => d.y);
        if (diamonds.join() !== String(rows[0]?.mean)) problems.push(`${p.x}: diamonds at ${diamonds.join()}`);
        if (p.drawn.some((d) => d.lo === null || d.hi === null || d.lo > d.y || d.hi < d.y)) problems.push(`${p.x}: a bar does not hold its mean`);
      }
      return problems;
    })
    .toEqual([]);

  // The caption names the best with its values, as its row reads.
  const best = (await shown(app)).rows[0]!;
  // By the group's name, as the app names groups everywhere: the CLI's letters (A, B, …) are named nowhere here.
  expect(best.cells[2]).not.toMatch(/^[A-Z]$/);
  await expect(app.getByTestId('slice-study-caption')).toContainText(`best: ${best.cells[2]}, alpha=${best.cells[0]}, epsilon=${best.cells[1]}, mean ${best.cells.at(-2)} ${best.cells.at(-1)}`);
  await expect(panel).toHaveAttribute('data-best', best.key);
  // Each canvas's label names its setting and scale.
  await expect(app.getByTestId('slice-study-canvas').first()).toHaveAttribute('aria-label', /by alpha \(agent\.alpha\), log scale/);

  const violations = async () => (await audit(app)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
  expect(await violations(), 'serious or critical violations, the table folded').toEqual([]);
  await panel.locator('summary').click();
  await expect(app.getByTestId('slice-study-points')).toBeVisible();
  expect(await violations(), 'serious or critical violations, the table open').toEqual([]);
  // At 1280 × 800 a group's long name wraps, so the figures after it stay in view, not behind the table's side-scroll.
  await app.setViewportSize({ width: 1280, height: 800 });
  await expect
    .poll(() => app.getByTestId('slice-study-points').evaluate((t) => t.scrollWidth - t.parentElement!.clientWidth), { message: 'the table fits its box at 1280 px' })
    .toBeLessThanOrEqual(0);
});
