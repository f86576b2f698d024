// Layout: every screen fits the window from 1280 down to 600 px wide — no page-level horizontal
// scroll (wide tables scroll inside their own panel), the Runs table's columns all visible at 1280
// and its return column at 900 and at 1000 with seven-digit episode counts (the columns read least give way), every Experiments row's actions
// on the same two lines and in view at every width, Experiments' header actions and its selection's buttons each on one line from 800 up, the whole Experiments table in its panel from 1000 px up (an experiment of 10,000,000
// episodes among them), the Policies table in its panel at 1024 and 1000 with a bandit's policy, a random search row on one line at 1024 and 1000,
// Q-tables' two run pickers side by side without overlapping. Long experiment names on purpose: they
// are what made selects, tables and the improvement matrix grow past the window.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { call, cliffExperiment, expect, test } from './fixtures';
import { drawnSettled, evaluateLogs, launchAndWait, openScreen, type Launched } from './arrange';

const WIDTHS = [1280, 1000, 800, 600] as const;
const SHOTS = process.env.AISLE_LAYOUT_SHOTS ?? '/tmp/layout-shots';

/** How far the page reaches past the window, in px (0: no horizontal scroll). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

// The first test's queued run waits behind one worker: the pool's own has cores − 1, and on 3 cores or more it ran.
test.use({ serverWorkers: 1 });

test('every screen fits the window from 1280 to 600 px: no page-level side-scroll, nothing overlapping', async ({ app, server }) => {
  test.setTimeout(90_000);
  const q = await launchAndWait(server, cliffExperiment('cliff walking with Q-learning and a deliberately long experiment name', undefined, { seeds: 2, checkpoints: 5 }));
  const s = await launchAndWait(server, cliffExperiment('cliff walking with SARSA, another long experiment name for the tables', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }, { seeds: 2 }));
  const [a, b] = q.runIds as [number, number];
  await call(server, 'policies.export', { runId: a, name: 'the greedy cliff policy of a run with a long experiment name' });
  // A running and a queued run (one worker), selected in Runs: their status pills must keep their colour.
  const busy = await call<Launched>(server, 'experiments.launch', {
    experiment: cliffExperiment('long cliff', { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 1 }, { episodes: 10_000_000, seeds: 2 }),
  });

  const screens: { name: string; hash: string; ready: (page: Page) => Promise<void> }[] = [
    { name: 'experiments', hash: '#/experiments', ready: (p) => expect(p.getByTestId('experiment-row')).toHaveCount(3) },
    { name: 'new-experiment', hash: '#/experiments/new', ready: (p) => expect(p.getByTestId('launch')).toBeVisible() },
    {
      name: 'runs',
      hash: '#/runs',
      ready: async (p) => {
        await expect(p.getByTestId('run-row')).toHaveCount(6);
        await expect(p.locator(`[data-testid=run-row][data-id="${busy.runIds[0]}"]`).getByTestId('run-status')).toHaveText('running');
        await expect(p.locator(`[data-testid=run-row][data-id="${busy.runIds[1]}"]`).getByTestId('run-status')).toHaveText('queued');
        for (const id of [...busy.runIds, a]) {
          const box = p.locator(`[data-testid=run-row][data-id="${id}"]`).getByTestId('select-run');
          if (!(await box.isChecked())) await box.check();
        }
      },
    },
    {
      name: 'run-detail',
      hash: `#/runs/${a}`,
      ready: async (p) => {
        await expect(p.getByTestId('greedy-panel')).toBeVisible();
        await expect(p.locator('canvas[data-drawn]').first()).toBeVisible();
      },
    },
    {
      name: 'compare',
      hash: `#/compare?experiments=${q.experimentId},${s.experimentId}`,
      ready: (p) => expect(p.getByTestId('improvement-cell')).toHaveCount(2),
    },
    { name: 'qtables', hash: `#/qtables?a=${a}&b=${b}`, ready: (p) => expect(p.getByTestId('qt-heatmap-diff')).toBeVisible() },
    { name: 'policies', hash: '#/policies', ready: (p) => expect(p.getByTestId('policy-row')).toHaveCount(1) },
    {
      name: 'off-policy',
      hash: '#/off-policy',
      ready: (p) => evaluateLogs(p, logs),
    },
  ];

  mkdirSync(SHOTS, { recursive: true });
  // Logs for the Off-policy screen, whose file names and column values are long enough to matter.
  const logs = join(SHOTS, 'off-policy-logs-with-a-long-file-name-for-the-summary.csv');
  writeFileSync(logs, logsCsv(syntheticRows(2000, 1)));
  const measured: Record<string, Record<number, number>> = {};
  for (const screen of screens) {
    await openScreen(app, screen.hash);
    await screen.ready(app);
    for (const width of WIDTHS) {
      await app.setViewportSize({ width, height: 860 });
      // Charts and heatmaps redraw for the new width on the next frames: the screenshot shows them redrawn.
      await drawnSettled(app);
      (measured[screen.name] ??= {})[width] = await overflow(app);
      await app.screenshot({ path: `${SHOTS}/${screen.name}-${width}.png`, fullPage: true });
      if (width === 1280 && screen.name === 'runs') {
        const last = await app.getByTestId('sort-returnLast100').boundingBox();
        expect(last, 'the Runs table’s last column header').not.toBeNull();
        expect.soft(last!.x + last!.width, 'the Runs table’s last column header lies inside the window').toBeLessThanOrEqual(width);
        const table = await app.getByTestId('runs-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
        expect.soft(table.table, 'the Runs table needs no side-scroll at 1280').toBeLessThanOrEqual(table.panel);
      }
      {
        // A title and the actions beside it share a middle: h1's bottom margin, inside its row, put the title 6 px above the
        // middle of Runs' search, a run's buttons and Compare's Save buttons.
        const offCentre = await app.locator('.row:has(> h1)').evaluateAll((rows) =>
          rows.flatMap((row) => {
            const title = row.querySelector(':scope > h1')!.getBoundingClientRect();
            const middle = (title.top + title.bottom) / 2;
            return [...row.children].flatMap((c) => {
              const box = c.getBoundingClientRect();
              if (c.tagName === 'H1' || box.height === 0 || box.top >= title.bottom || box.bottom <= title.top) return [];
              const off = Math.abs((box.top + box.bottom) / 2 - middle);
              return off > 2 ? [`${c.textContent!.trim().slice(0, 20) || c.className} ${off.toFixed(1)} px`] : [];
            });
          }),
        );
        expect.soft(offCentre, `${screen.name}'s title level with the actions beside it at ${width} px`).toEqual([]);
      }
      {
        // A title's box fits its text, as its focus ring (navigation focuses the title) shows it: alone on their line, Policies',
        // Off-policy's and New experiment's were as wide as the page (1212 px at 1440 around 86, 108 and 185 px of text).
        const titles = await app.locator('h1').evaluateAll((h1s) =>
          h1s.flatMap((h) => {
            const text = document.createRange();
            text.selectNodeContents(h);
            const [box, words] = [h.getBoundingClientRect().width, text.getBoundingClientRect().width];
            return box - words > 1 ? [`${h.textContent!.trim()}: ${Math.round(box)} px around ${Math.round(words)} px of text`] : [];
          }),
        );
        expect.soft(titles, `${screen.name}'s title as wide as its text at ${width} px`).toEqual([]);
      }
      if (width > 900 && screen.name === 'run-detail') {
        // The header's second column (seed, training time) where the right-hand panels' names start, its values where theirs do
        // (Fingerprint's): it started 22 px right of them (856 against 834 at 1440).
        const apart = await app.locator('.run-detail-screen').evaluate((page) => {
          const left = (e: Element) => Math.round(e.getBoundingClientRect().left);
          const header = page.querySelector('.header-kv')!.getBoundingClientRect();
          const right = [...page.querySelectorAll('.header-kv > dt')].filter((dt) => dt.getBoundingClientRect().left > (header.left + header.right) / 2);
          const fingerprint = page.querySelector('[data-testid=fingerprint] dl.kv')!;
          const [name, value] = [left(fingerprint.querySelector('dt')!), left(fingerprint.querySelector('dd')!)];
          return {
            count: right.length,
            off: right.flatMap((dt) => (left(dt) === name && left(dt.nextElementSibling!) === value ? [] : [`${dt.textContent} at ${left(dt)} and ${left(dt.nextElementSibling!)}, Fingerprint's at ${name} and ${value}`])),
          };
        });
        expect.soft(apart.count, `the header's second column (seed, training time) at ${width} px`).toBe(2);
        expect.soft(apart.off, `the header's second column on the right-hand panels' names and values at ${width} px`).toEqual([]);
      }
      if (screen.name === 'runs') {
        // Each line of the status filter starts at its row's left edge, as the title, the selection's toolbar and the table do: the
        // browser's own margin set the first checkbox 4 px in.
        const insets = await app.getByRole('group', { name: 'Status filter' }).evaluate((row) => {
          const edge = row.getBoundingClientRect().left;
          const boxes = [...row.querySelectorAll('label')].map((l) => ({ label: l.getBoundingClientRect(), box: l.querySelector('input')!.getBoundingClientRect() }));
          return boxes.filter((b, k) => k === 0 || b.label.left < boxes[k - 1]!.label.left).map((b) => Math.round((b.box.left - edge) * 10) / 10);
        });
        expect.soft(insets, `the status filter's lines from its row's edge at ${width} px`).toEqual(insets.map(() => 0));
      }
      if (screen.name === 'compare') {
        // The chart's controls' lines (Metric and Band, Smoothing and Final window, the checkboxes, as the width wraps them) one pitch
        // apart: a line of checkboxes was lower than a line of fields, and at 800 px the lines' middles stood 47 and 41.5 px apart.
        const pitches = await app.getByTestId('compare-metric').evaluate((select) => {
          const lines: { top: number; bottom: number }[] = [];
          const boxes = [...select.closest('.controls')!.children].map((c) => c.getBoundingClientRect()).sort((a, b) => a.top - b.top);
          for (const box of boxes) {
            const line = lines.at(-1);
            if (line && box.top < line.bottom) line.bottom = Math.max(line.bottom, box.bottom);
            else lines.push({ top: box.top, bottom: box.bottom });
          }
          const middles = lines.map((l) => (l.top + l.bottom) / 2);
          return middles.slice(1).map((m, k) => Math.round((m - middles[k]!) * 10) / 10);
        });
        const spread = pitches.length < 2 ? 0 : Math.max(...pitches) - Math.min(...pitches);
        expect.soft(spread, `Compare's control lines evenly apart at ${width} px (middles ${pitches.join(', ')} px apart)`).toBeLessThanOrEqual(1);
      }
      if (screen.name === 'compare') {
        // A group's name wraps between words, never inside a short hyphenated one (its agent's id): the matrix broke "q-learning" into
        // "q-" over "learning" at 800 px.
        const broken = await app.locator('.compare').evaluate((page) =>
          [...page.querySelectorAll('[data-testid=group-label], table.matrix th, table.config-diff thead th')].flatMap((cell) => {
            const words: string[] = [];
            const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walk.nextNode(); node; node = walk.nextNode()) {
              for (const m of node.textContent!.matchAll(/[\p{L}\p{N}_.]+(?:-[\p{L}\p{N}_.]+)+/gu)) {
                if (m[0].length > 24) continue;
                const word = document.createRange();
                word.setStart(node, m.index);
                word.setEnd(node, m.index + m[0].length);
                if (new Set([...word.getClientRects()].map((r) => Math.round(r.top))).size > 1) words.push(m[0]);
              }
            }
            return words;
          }),
        );
        expect.soft(broken, `hyphenated ids broken across lines in Compare's group names at ${width} px`).toEqual([]);
      }
      if (screen.name === 'new-experiment') {
        // The experiment's fields start where name or description does, and fields side by side have their inputs level (their middles,
        // a checkbox beside a text field, within 3 px): wrapped as they
        // fitted, seeds and checkpoints started at their neighbours' help texts' widths (519 and 853 px at 1440, the description at 817).
        const fields = await app.locator('.form-experiment > .form-row > *').evaluateAll((cells) =>
          cells.map((c) => ({ name: c.querySelector('.name, legend')?.textContent ?? '', left: Math.round(c.getBoundingClientRect().left), top: Math.round(c.getBoundingClientRect().top), input: ((r) => Math.round((r.top + r.bottom) / 2))(c.querySelector('input')!.getBoundingClientRect()) })),
        );
        const columns = new Set(fields.slice(0, 2).map((f) => f.left));
        expect.soft(fields.slice(2).filter((f) => !columns.has(f.left)).map((f) => `${f.name} at ${f.left}`), `the experiment's fields under name or description (${[...columns].join(', ')}) at ${width} px`).toEqual([]);
        const uneven = fields.filter((f) => fields.some((g) => g.top === f.top && Math.abs(g.input - f.input) > 3)).map((f) => `${f.name}'s input's middle at ${f.input}`);
        expect.soft(uneven, `inputs of the experiment's fields side by side level at ${width} px`).toEqual([]);
      }
      if (screen.name === 'policies') {
        // The origin's link to its run on one line: the cell wraps, and it broke inside the link ("run" over "1").
        const origin = await app.getByTestId('policy-row').first().locator('td:nth-child(3) a').evaluate((a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size);
        expect.soft(origin, `the origin's "run N" on one line at ${width} px`).toBe(1);
      }
      if (width >= 1000 && screen.name === 'policies') {
        // The row's buttons (Delete last) inside the panel, not behind its side-scroll.
        const table = await app.getByTestId('policy-list').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
        expect.soft(table.table, `the Policies table needs no side-scroll at ${width}`).toBeLessThanOrEqual(table.panel);
        // Created: the date over the time, each whole (it broke at the date's hyphens, "2026-" over "12-06" over "08:27").
        const created = await app.getByTestId('policy-row').first().locator('td:nth-child(7)').evaluate((td) => {
          const text = document.createRange();
          text.selectNodeContents(td);
          return new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
        });
        expect.soft(created, `the policy's created date and time on two lines at ${width}`).toBeLessThanOrEqual(2);
      }
      if (screen.name === 'run-detail') {
        // The header's, Fingerprint's, Environment's and Agent's values start at one x in each column of panels (one
        // column below 900 px): each list sized its names' column to its own names, and at 800 their values started at
        // 190, 174, 196 and 100 px. And a value in the monospace's smaller type sits on its name's baseline, not 2 px above it.
        const lists = await app.locator('.run-detail-screen dl.kv').evaluateAll((dls) =>
          dls.map((dl) => ({
            panel: Math.round(dl.closest('.panel')!.getBoundingClientRect().left),
            value: Math.round(dl.querySelector(':scope > dd')!.getBoundingClientRect().left),
            name: dl.closest('section')?.getAttribute('aria-label') ?? 'header',
          })),
        );
        expect(lists.length, 'the run detail’s four lists of names and values').toBe(4);
        const columns = new Map<number, typeof lists>();
        for (const l of lists) columns.set(l.panel, [...(columns.get(l.panel) ?? []), l]);
        for (const column of columns.values()) {
          expect.soft(new Set(column.map((l) => l.value)).size, `values of ${column.map((l) => `${l.name} at ${l.value}`).join(', ')} at ${width} px start at one x`).toBe(1);
        }
        const off = await app.getByTestId('fingerprint').locator('dl.kv > dt').evaluateAll((dts) =>
          dts.flatMap((dt) => {
            const bottom = (el: Element) => {
              const text = document.createRange();
              text.selectNodeContents(el);
              return text.getClientRects()[0]!.bottom;
            };
            const gap = Math.abs(bottom(dt) - bottom(dt.nextElementSibling!));
            return gap > 0.5 ? [`${dt.textContent} ${gap.toFixed(1)} px`] : [];
          }),
        );
        expect.soft(off, `Fingerprint's values on their name's baseline at ${width} px`).toEqual([]);
      }
      if (width >= 1000 && screen.name === 'experiments') {
        const table = await app.getByTestId('experiments-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
        expect.soft(table.table, `the Experiments table needs no side-scroll at ${width}`).toBeLessThanOrEqual(table.panel);
      }
      if (width >= 800 && screen.name === 'experiments') {
        // The count, search, Import results… and New experiment on one line (under the title at 800): they wrapped one
        // by one, and New experiment sat alone on a line of its own under the title.
        const middles = await Promise.all(
          [app.getByTestId('experiments-total'), app.getByTestId('experiments-search'), app.getByTestId('import-results'), app.getByTestId('new-experiment-link')].map(async (l) => {
            const box = (await l.boundingBox())!;
            return Math.round(box.y + box.height / 2);
          }),
        );
        expect.soft(Math.max(...middles) - Math.min(...middles), `Experiments' header actions on one line at ${width} px (middles ${middles.join(', ')})`).toBeLessThanOrEqual(4);
        // And the selection's three buttons together: Export results… wrapped alone onto a third line.
        const tops = await Promise.all(['compare-selected', 'delete-selected', 'export-results'].map(async (id) => Math.round((await app.getByTestId(id).boundingBox())!.y)));
        expect.soft(new Set(tops).size, `Compare, Delete and Export on one line at ${width} px (tops ${tops.join(', ')})`).toBe(1);
      }
      if (screen.name === 'experiments') {
        for (const row of await actionLines(app)) {
          expect.soft(row.lines, `experiment ${row.id}'s actions at ${width} px: Runs, Compare and Run again over Rename and Delete`).toEqual([
            ['Runs', 'Compare', 'Run again'],
            ['Rename', 'Delete'],
          ]);
          expect.soft(row.outOfView, `experiment ${row.id}'s actions at ${width} px in view, not behind the table's side-scroll`).toEqual([]);
        }
      }
      if (width >= 800 && screen.name === 'off-policy') {
        // The form's selects (Holdout's options are sentences) inside the panel, not behind its side-scroll.
        const form = await app.locator('.ope-form').evaluate((panel) => ({
          scroll: panel.scrollWidth,
          client: panel.clientWidth,
          wide: [...panel.querySelectorAll('select')].filter((s) => s.getBoundingClientRect().right > panel.getBoundingClientRect().right).map((s) => s.dataset.testid),
        }));
        expect.soft(form.wide, `Off-policy's selects past their panel's edge at ${width}`).toEqual([]);
        expect.soft(form.scroll, `the Off-policy form needs no side-scroll at ${width}`).toBeLessThanOrEqual(form.client);
        // Each select beside its name, Holdout's as its neighbours': its select, as wide as its longest option, fell
        // under "Holdout" (at 800 and 1000) while Level's, the filters' and DR cross-fitting's stood beside theirs.
        const apart = await app.locator('.ope-group .row > label:has(> select)').evaluateAll((labels) =>
          labels.flatMap((label) => {
            const name = document.createRange();
            name.selectNodeContents(label.firstChild!);
            const text = name.getBoundingClientRect();
            const select = label.querySelector('select')!.getBoundingClientRect();
            const middle = (text.top + text.bottom) / 2;
            return middle > select.top && middle < select.bottom ? [] : [`${label.textContent!.split(' ')[0]} (name ${Math.round(text.top)}, select ${Math.round(select.top)}-${Math.round(select.bottom)})`];
          }),
        );
        expect.soft(apart, `Off-policy's selects on their name's line at ${width} px`).toEqual([]);
      }
      if (screen.name === 'qtables') {
        // The colour legends' caption and end values each on one line: squeezed, the caption took two and "≤ -43.378"
        // put its sign over its number.
        for (const legend of ['qt-legend-ab', 'qt-legend-diff']) {
          const lines = await app.getByTestId(legend).evaluate((l) =>
            [...l.querySelectorAll(':scope > :first-child, :scope > .num')].map((part) => {
              const text = document.createRange();
              text.selectNodeContents(part);
              return `${part.textContent}: ${new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size}`;
            }),
          );
          expect.soft(lines.filter((l) => !l.endsWith(': 1')), `${legend}'s caption and end values on one line each at ${width} px`).toEqual([]);
        }
      }
      if (screen.name === 'qtables') {
        // "largest |B − A|" wrapped under the agreement's sentence is its next line, not 20 px down as if a paragraph apart.
        const stats = await app.locator('.qt-stats').evaluate((row) => {
          const [agreement, largest] = [row.querySelector('[data-testid=qt-agreement-text]')!, row.lastElementChild!].map((e) => e.getBoundingClientRect());
          return { wrapped: largest!.top >= agreement!.bottom - 1, gap: Math.round(largest!.top - agreement!.bottom) };
        });
        if (stats.wrapped) expect.soft(stats.gap, `"largest |B − A|" under the agreement at ${width} px`).toBeLessThanOrEqual(6);
        // Find state kept apart from the captions under it, as the figures from the row above them (10 px): it touched their grid (0 px;
        // 3 px over A's caption).
        const findGap = await app.locator('.qt-find').evaluate((row) => Math.round(row.nextElementSibling!.getBoundingClientRect().top - row.getBoundingClientRect().bottom));
        expect.soft(findGap, `Find state's row above the heatmaps' captions at ${width} px`).toBeGreaterThanOrEqual(8);
      }
      if (width === 1280 && screen.name === 'qtables') {
        const sideA = (await app.getByTestId('qt-side-A').boundingBox())!;
        const sideB = (await app.getByTestId('qt-side-B').boundingBox())!;
        const selectA = (await app.getByTestId('qt-A-run').boundingBox())!;
        expect.soft(sideA.x + sideA.width, 'A’s picker ends before B’s begins').toBeLessThanOrEqual(sideB.x);
        expect.soft(selectA.x + selectA.width, 'A’s run select stays inside A').toBeLessThanOrEqual(sideA.x + sideA.width);
        const episodeA = (await app.getByTestId('qt-A-episode').boundingBox())!;
        expect.soft(episodeA.x + episodeA.width, 'A’s episode text stays inside A').toBeLessThanOrEqual(sideA.x + sideA.width);
      }
    }
    await app.setViewportSize({ width: 1280, height: 860 });
  }
  await call(server, 'runs.cancel', { ids: busy.runIds });
  console.log(`page overflow (scrollWidth − innerWidth, px) at ${WIDTHS.join(' / ')}:`);
  for (const [name, byWidth] of Object.entries(measured)) console.log(`  ${name.padEnd(15)} ${WIDTHS.map((w) => String(byWidth[w]).padStart(5)).join(' ')}`);
  for (const [name, byWidth] of Object.entries(measured)) for (const w of WIDTHS) expect.soft(byWidth[w], `${name} at ${w} px overflows the window`).toBeLessThanOrEqual(0);
});

/**
 * Each experiment row's actions as the eye reads them: their names line by line (a line is the
 * actions sharing a top), and those that lie outside the table's panel (behind its side-scroll).
 */
function actionLines(page: Page): Promise<{ id: string; lines: string[][]; outOfView: string[] }[]> {
  return page.getByTestId('experiment-row').evaluateAll((rows) =>
    rows.map((row) => {
      const panel = row.closest('.panel')!.getBoundingClientRect();
      const actions = [...row.querySelectorAll<HTMLElement>('td:last-child a, td:last-child button')].map((a) => ({ name: a.textContent!.trim(), box: a.getBoundingClientRect() }));
      // A link's and a button's boxes on one line may start a pixel or two apart; lines are a text line (~18 px) apart.
      const lines: { top: number; names: string[] }[] = [];
      for (const a of [...actions].sort((x, y) => x.box.top - y.box.top || x.box.left - y.box.left)) {
        const line = lines.at(-1);
        if (line && a.box.top - line.top < 6) line.names.push(a.name);
        else lines.push({ top: a.box.top, names: [a.name] });
      }
      return {
        id: row.getAttribute('data-id')!,
        lines: lines.map((l) => l.names),
        outOfView: actions.filter((a) => a.box.left < panel.left || a.box.right > panel.right).map((a) => a.name),
      };
    }),
  );
}

test('Runs in a 1000 px window with a run of a million episodes: return (last 100) in view without side-scrolling', async ({ app, server }) => {
  // Seven-digit counts ("1,000,000 / 1,000,000") widen the episodes column: with the environment
  // still beside the agent, the return column ran 70 px past the edge of a 1000 px window.
  test.setTimeout(90_000);
  const bandit = { format: 'aisle.experiment/v1', name: '10-armed testbed, a million pulls', env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'ucb1', c: 2 }, episodes: 1_000_000, seeds: 1 };
  await launchAndWait(server, bandit, 60_000);
  for (const width of [1000, 1050]) {
    await app.setViewportSize({ width, height: 700 });
    await openScreen(app, '#/runs');
    await expect(app.getByTestId('run-row')).toHaveCount(1);
    await expect(app.getByTestId('run-row').first()).toContainText('1,000,000 / 1,000,000');
    const table = await app.getByTestId('runs-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
    expect(table.table, `the Runs table needs no side-scroll at ${width} px`).toBeLessThanOrEqual(table.panel);
    for (const cell of [app.getByTestId('sort-returnLast100'), app.getByTestId('return-last100').first()]) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width, `return (last 100) ends inside the ${width} px window`).toBeLessThanOrEqual(width);
    }
    // The headers wrap here, but a sorted column's arrow stays beside its name: "#" over "▾" read as two headers.
    const idLines = await app.getByTestId('sort-id').evaluate((b) => {
      const text = document.createRange();
      text.selectNodeContents(b);
      return new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    expect(idLines, `"#" and its sort arrow on one line at ${width} px`).toBe(1);
  }
});

test('Experiments in a 1024 × 768 window (and 1000): the whole table in its panel, the environment and seeds folded', async ({ app, server }) => {
  // The Experiments table needed 948 px in the 794 px panel: runs and created lay under the sticky actions until scrolled sideways.
  test.setTimeout(90_000);
  for (const alpha of [0.1, 0.5]) {
    await launchAndWait(server, cliffExperiment(`quickstart: cliff walking, q-learning (alpha=${alpha}, epsilon=0.05)`, { id: 'q-learning', alpha, gamma: 1, epsilon: 0.05 }, { seeds: 2, episodes: 20 }));
  }
  await launchAndWait(server, { ...cliffExperiment('cliff walking, sarsa', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }, { seeds: 1, episodes: 20 }), description: 'SARSA learns the safer path along the top of the grid.' });
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('experiment-row')).toHaveCount(3);
  for (const width of [1024, 1000]) {
    await app.setViewportSize({ width, height: 768 });
    const table = await app.getByTestId('experiments-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
    expect.soft(table.table, `the Experiments table needs no side-scroll at ${width} px`).toBeLessThanOrEqual(table.panel);
    // Nothing hidden: the environment under the agent, the seeds under the episodes.
    const sweep = app.locator('[data-testid=experiment-row][data-id="1"]');
    await expect.soft(sweep.locator('.folded-env')).toHaveText('on tabular-mdp');
    await expect.soft(sweep.locator('.folded-seeds')).toHaveText('× 2 seeds');
    await expect.soft(app.locator('[data-testid=experiment-row][data-id="3"] .folded-seeds')).toHaveText('× 1 seed');
  }
  // 1280: every column of its own, as before.
  await app.setViewportSize({ width: 1280, height: 800 });
  await expect(app.getByTestId('sort-env')).toBeVisible();
  await expect(app.locator('[data-testid=experiment-row][data-id="1"] .folded-env')).toBeHidden();
});

test('New experiment\'s random search in a 1024 × 768 window (and 1000): a row\'s parameter, distribution, bounds and Remove on one line', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  // New experiment's random search, on the starter's shop: its longest parameter label beside a distribution, two bounds and Remove.
  // They wrapped at 1024, "to" and Remove on a line of their own.
  await openScreen(app, '#/experiments/new');
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-mode-random').check();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption({ label: 'affinityConcentration (environment)' });
  const row = app.getByTestId('sweep-row-0');
  const controls = () =>
    row.evaluate((r) => {
      const boxes = [...r.querySelectorAll('select, input, button')].map((c) => c.getBoundingClientRect());
      return { top: Math.max(...boxes.map((b) => b.top)), bottom: Math.min(...boxes.map((b) => b.bottom)), count: boxes.length, select: r.querySelector('select')!.getBoundingClientRect().width };
    });
  const whole = (await controls()).select;
  for (const kind of ['uniform', 'choice'] as const) {
    await app.getByTestId('sweep-kind-0').selectOption(kind);
    for (const width of [1024, 1000]) {
      await app.setViewportSize({ width, height: 768 });
      const line = await controls();
      expect.soft(line.count, `the ${kind} row's controls`).toBe(kind === 'uniform' ? 5 : 4);
      // On one line: every control's box spans the same height (the lowest top above the highest bottom).
      expect.soft(line.top, `the ${kind} row's parameter, distribution, ${kind === 'uniform' ? 'bounds' : 'values'} and Remove on one line at ${width} px`).toBeLessThan(line.bottom);
      // The parameter's select as wide as at 1280: its label whole.
      expect.soft(line.select, `the parameter's select at ${width} px`).toBeGreaterThanOrEqual(whole);
    }
    await app.setViewportSize({ width: 1280, height: 800 });
  }
});

test('Runs in a 900 × 700 window: return (last 100) in view without side-scrolling, names on two lines, the search placeholder whole', async ({ app, server }) => {
  await launchAndWait(server, cliffExperiment('cliff walking with Q-learning and a deliberately long experiment name that wraps', undefined, { seeds: 2 }));
  await app.setViewportSize({ width: 900, height: 700 });
  await openScreen(app, '#/runs');
  await expect(app.getByTestId('run-row')).toHaveCount(2);

  // The columns read least give way (the progress bar beside its own episode counts, elapsed); return (last 100) stays.
  await expect(app.getByTestId('sort-episodesDone')).toBeHidden();
  await expect(app.getByTestId('sort-elapsed')).toBeHidden();
  await expect(app.getByTestId('sort-env')).toBeVisible();
  const table = await app.getByTestId('runs-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
  expect(table.table, 'the Runs table needs no side-scroll at 900 px').toBeLessThanOrEqual(table.panel);
  for (const cell of [app.getByTestId('sort-returnLast100'), app.getByTestId('return-last100').first()]) {
    const box = (await cell.boundingBox())!;
    expect(box.x + box.width, 'return (last 100) ends inside the window').toBeLessThanOrEqual(900);
  }
  await expect(app.getByTestId('return-last100').first()).not.toHaveText('–');

  // A long name takes two lines instead of being cut after a few words.
  const lines = await app
    .getByTestId('run-row')
    .first()
    .locator('td.name-cell > a')
    .evaluate((a) => {
      const text = document.createRange();
      text.selectNodeContents(a);
      return Math.round(a.getBoundingClientRect().height / text.getClientRects()[0]!.height);
    });
  expect(lines, 'the long name’s lines shown').toBe(2);

  // The placeholder fits its box; the label says the whole of it.
  const search = app.getByTestId('runs-search');
  await expect(search).toHaveAccessibleName('Search runs by experiment name, agent or environment');
  const fit = await search.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontSize} ${style.fontFamily}`;
    return { text: context.measureText(input.placeholder).width, box: input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) };
  });
  expect(fit.text, 'the search placeholder fits its box').toBeLessThanOrEqual(fit.box);

  // Narrower still, the environment folds under the agent.
  await app.setViewportSize({ width: 600, height: 700 });
  await expect(app.getByTestId('sort-env')).toBeHidden();
  await expect(app.getByTestId('run-row').first().locator('.folded-env')).toBeVisible();
  await expect(app.getByTestId('run-row').first().locator('.folded-env')).toHaveText('on tabular-mdp');
});

test('the sidebar column keeps its colour down a page taller than the window, as a full-page screenshot shows it', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 300 });
  await openScreen(app, '#/experiments/new');
  await expect(app.getByTestId('launch')).toBeVisible();
  expect(await app.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(900);
  const shot = (await app.screenshot({ fullPage: true })).toString('base64');
  // Decoded in a blank page of the same browser, leaving the app's page as the screenshot took it.
  const blank = await app.context().newPage();
  const [bottomLeft, bottomContent, topLeft] = await blank.evaluate(async (png) => {
    const image = new Image();
    image.src = `data:image/png;base64,${png}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const g = canvas.getContext('2d')!;
    g.drawImage(image, 0, 0);
    const pixel = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));
    return [pixel(10, image.height - 3), pixel(400, image.height - 3), pixel(10, 3)];
  }, shot);
  await blank.close();
  expect(bottomLeft).toEqual(topLeft);
  expect(bottomLeft).not.toEqual(bottomContent);
});

test('Compare\'s list of experiments keeps its columns in the panel beside a long name without spaces', async ({ app, server }) => {
  const long = `unbroken${'x'.repeat(150)}`;
  await launchAndWait(server, cliffExperiment(long, undefined, { seeds: 1, episodes: 20 }));
  await app.setViewportSize({ width: 1280, height: 800 });
  await openScreen(app, '#/compare');
  const list = app.locator('.compare-picker-list');
  await expect(list.getByText(long)).toHaveCount(1);
  const panel = await list.boundingBox();
  const runsDone = await list.getByRole('columnheader', { name: 'Runs done' }).boundingBox();
  expect(panel).not.toBeNull();
  expect(runsDone).not.toBeNull();
  // The last column's right edge within the list's box: not pushed past it, where it was cut off.
  expect(runsDone!.x + runsDone!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 1);
  expect(await list.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
});

test('Policies at 1024 and 1000 px with a bandit\'s policy (context-free, its Ranking button, bandit-testbed, any state × 10): the row\'s buttons in the panel', async ({ app, server }) => {
  const arms = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 30, seeds: 1 });
  await call(server, 'policies.export', { runId: arms.runIds[0], name: 'the greedy arm of the ten-armed testbed, for the serving team' });
  await openScreen(app, '#/policies');
  await expect(app.getByTestId('policy-kind')).toHaveText('context-free');
  for (const width of [1024, 1000]) {
    await app.setViewportSize({ width, height: 800 });
    // The widest columns' text (the environment's id, the size's header) wraps before the buttons go behind a side-scroll (they were cut at Save).
    const table = await app.getByTestId('policy-list').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
    expect.soft(table.table, `the Policies table needs no side-scroll at ${width}`).toBeLessThanOrEqual(table.panel);
  }
  // Where the table fits whole, the ids are not broken at their hyphen to make room: a long name wraps first.
  await app.setViewportSize({ width: 1280, height: 800 });
  const lines = await app.getByTestId('policy-row').first().locator('td:nth-child(4)').evaluate((td) => {
    const text = document.createRange();
    text.selectNodeContents(td);
    return new Set([...text.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  expect.soft(lines, 'bandit-testbed on one line at 1280').toBe(1);
});
