// Q-tables: two runs side by side → the diff heatmap, the greedy-action agreement (checked against
// the agreement computed here from qtables.get of both runs), the states that differ, and the
// checkpoint scrubber moving a side to another episode; one colour scale for tables of one
// environment, one each (said in the legend) for tables of different environments.
import { chromium, type Request } from '@playwright/test';
import type { QTable } from '../../src/shared/dto';
import { fmt } from '../../src/shared/text';
import { test, expect, call, cliffExperiment, CHROMIUM, CHROMIUM_ARGS } from './fixtures';
import { launchAndWait, openScreen, saveScreenshot } from './arrange';
import { audit } from './axe';

/** The greedy action, or -1 for a state never updated (every action at one value): it has none. */
const argmax = (row: readonly number[]) => (row.every((v) => v === row[0]) ? -1 : row.reduce((best, v, i) => (v > row[best]! ? i : best), 0));
/** A Q-learning run on the coin-toss toy (nothing to learn): a table of any size, quickly. */
const toyExperiment = (name: string, env: Record<string, number>, extra: Record<string, number>) => ({
  format: 'aisle.experiment/v1',
  name,
  env: { id: 'seed-toy', ...env },
  agent: { id: 'q-learning', alpha: 0.5, gamma: 0.9, epsilon: 0.1 },
  ...extra,
});
const range = (...tables: QTable[]) => {
  const all = tables.flatMap((t) => t.q.flat());
  return { lo: String(Math.min(...all)), hi: String(Math.max(...all)) };
};

test('diffs the Q-tables of two runs and scrubs through checkpoints', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 2, checkpoints: 5 }));
  const [a, b] = runIds as [number, number];
  const qa = await call<QTable>(server, 'qtables.get', { runId: a });
  const qb = await call<QTable>(server, 'qtables.get', { runId: b });
  // Only states with a greedy action in both tables are compared; the cliff's unreached cells are counted apart.
  const comparable = qa.q.flatMap((row, s) => (argmax(row) >= 0 && argmax(qb.q[s]!) >= 0 ? [s] : []));
  const differing = comparable.filter((s) => argmax(qa.q[s]!) !== argmax(qb.q[s]!));
  const agreement = (100 * (comparable.length - differing.length)) / comparable.length;
  // The goal (47), terminal, is left out of the count, as the export's notice leaves it out.
  const neverA = qa.q.filter((row, s) => s !== 47 && argmax(row) < 0).length;
  const neverB = qb.q.filter((row, s) => s !== 47 && argmax(row) < 0).length;
  expect(qa.terminal).toEqual([47]);
  expect(neverA).toBeGreaterThan(0);

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
  await expect(app.getByTestId('qt-agreement-text')).toContainText(
    `of the states where both tables have one (${comparable.length - differing.length} of ${comparable.length})`,
  );
  await expect(app.getByTestId('qt-untouched')).toHaveText(`; ${neverA} of 47 states with every action at one value in A${neverB > 0 ? `, ${neverB} in B` : ''}, not counting the terminal state, which training never updates: no greedy action to compare`);
  expect(differing.length).toBeGreaterThan(0);
  await expect(app.getByTestId('qt-differing').locator('tbody tr')).toHaveCount(Math.min(differing.length, 100));
  // The columns of Q values, A's and B's, are written with one number of decimals, so that they line
  // up and compare: each value's own trailing zeros dropped put -24.91 beside -25.176. Each text is its value, rounded.
  const decimalsShown = new Set<number>();
  for (const [column, table] of [
    [4, qa],
    [5, qb],
  ] as const) {
    const cells = app.getByTestId('qt-differing').locator(`tbody tr td:nth-child(${column}) .qrow > span:not(.muted)`);
    const texts = await cells.allInnerTexts();
    expect(texts.length).toBe(Math.min(differing.length, 100) * table.actions.length);
    const decimals = texts.map((t) => t.split(': ')[1]!.split('.')[1]?.length ?? 0);
    for (const d of decimals) decimalsShown.add(d);
    texts.forEach((t, i) => {
      const [state, action] = [differing[Math.floor(i / table.actions.length)]!, i % table.actions.length];
      expect(t.startsWith(`${table.actions[action]}: `)).toBe(true);
      expect(Math.abs(Number(t.split(': ')[1]!.replace(/,/g, '')) - table.q[state]![action]!)).toBeLessThanOrEqual(0.5 * 10 ** -decimals[i]! + 1e-12);
    });
  }
  expect([...decimalsShown]).toHaveLength(1);
  // Two runs of one environment: one colour scale, spanning both tables, and the legend says so.
  const shared = app.getByTestId('qt-legend-ab');
  await expect(shared).toContainText('Q of A and B (one scale)');
  await expect(shared).toHaveAttribute('data-lo', range(qa, qb).lo);
  await expect(shared).toHaveAttribute('data-hi', range(qa, qb).hi);
  // The steps into the cliff (about −100) are far from the other values: set aside from the colours, which span the rest.
  expect(Number(await shared.getAttribute('data-from'))).toBeGreaterThan(Number(range(qa, qb).lo));
  await expect(app.getByTestId('qt-legend-ab-outliers')).toContainText('a few far from the rest take the end colours');
  await expect(app.getByTestId('qt-legend-a')).toHaveCount(0);
  await expect(app.getByTestId('qt-scale')).toHaveAttribute('data-shared', 'true');
  await expect(app.getByTestId('qt-scale')).toContainText('One colour scale for A and B, as they are runs of the same environment (tabular-mdp');

  await saveScreenshot(app, 'qtables');

  // The cliff's cells no episode reaches (the cliff itself, the goal) keep every action at one value:
  // counted in the caption as the export counts them (the terminal goal aside), and no greedy action is marked on them.
  const untouched = qa.q.filter((row, s) => s !== 47 && row.every((v) => v === row[0])).length;
  if (untouched > 0) await expect(app.getByTestId('qt-untouched-a')).toHaveText(`${untouched} of 47 states ${untouched === 1 ? 'has' : 'have'} every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: no greedy action marked`);
  else await expect(app.getByTestId('qt-untouched-a')).toHaveCount(0);

  // The scrubber: A back to its first checkpoint shows that checkpoint's episode, and the URL keeps it.
  const checkpoints = [...qa.checkpoints].sort((x, y) => x.episode - y.episode);
  expect(checkpoints.length).toBeGreaterThan(2);
  const episode = app.getByTestId('qt-A-episode');
  await expect(episode).toHaveAttribute('data-episode', String(checkpoints.at(-1)!.episode));
  // Labelled by the episodes played before it (the store keeps the 0-based index of the last one):
  // the final checkpoint of a run of N episodes reads "after N episodes", not "episode N − 1".
  const after = (c: { episode: number }) => `after ${(c.episode + 1).toLocaleString('en-US')} episodes`;
  await expect(episode).toContainText(`${after(checkpoints.at(-1)!)} · ${checkpoints.length} of ${checkpoints.length}`);
  await app.getByTestId('qt-A-scrubber').fill('0');
  await expect(episode).toHaveAttribute('data-episode', String(checkpoints[0]!.episode));
  await expect(episode).toContainText(after(checkpoints[0]!));
  await expect(app).toHaveURL(new RegExp(`ca=${checkpoints[0]!.id}`));
  await expect(app.locator('figcaption').first()).toContainText(after(checkpoints[0]!));

  // One run alone: its first checkpoint against its final one (learning progress), two tables read.
  const reads: string[] = [];
  const countReads = (r: Request) => void (r.url().includes('qtables.get') && reads.push(r.postData() ?? ''));
  await openScreen(app, '#/runs'); // leaves the screen, and the tables it held
  await expect(app.getByTestId('runs')).toBeVisible();
  app.on('request', countReads);
  await openScreen(app, `#/qtables?a=${b}`);
  await expect(app).toHaveURL(/ca=\d+/);
  await expect(app.getByTestId('qt-B-episode')).toHaveAttribute('data-episode', String(qb.episode));
  await expect(app.getByTestId('qt-heatmap-diff')).toBeVisible();
  // The diff shows first with A as B (its final table), and the address names A's first checkpoint
  // a render before A reads it: A showing it is the second read answered, none left to count.
  await expect(app.getByTestId('qt-A-episode')).toHaveText(new RegExp(` · 1 of ${qb.checkpoints.length}$`));
  app.off('request', countReads);
  // Each asks onlyStored: a read under way when its run is deleted says so rather than answer 404 (deleted-mid-read.spec.ts).
  expect(reads.map((body) => JSON.parse(body) as unknown)).toEqual([
    { runId: b, onlyStored: true },
    { runId: b, checkpointId: expect.any(Number), onlyStored: true },
  ]);
  await expect(app.getByTestId('qt-scale')).toContainText('as they are two checkpoints of one run');
  // Picking a second run from there compares the two runs' final tables, not A's first checkpoint.
  await expect(app.getByTestId('qt-A-episode')).not.toHaveAttribute('data-episode', String(qb.episode));
  await app.getByTestId('qt-B-run').selectOption(String(a));
  await expect(app).not.toHaveURL(/ca=/);
  await expect(app.getByTestId('qt-A-episode')).toHaveAttribute('data-episode', String(qb.episode));
  await expect(app.getByTestId('qt-B-episode')).toHaveAttribute('data-episode', String(qa.episode));
  // Both runs end at the same episode, and a side shows its last table while its next read is under
  // way (A's first checkpoint of run b, with no checkpoint named, reads as its final one): the
  // episodes above hold at once, so the agreement is awaited until it is the two final tables'.
  await expect.poll(async () => Number(await app.getByTestId('qt-agreement').getAttribute('data-value'))).toBeCloseTo(agreement, 9);
  // A run can also be picked by its number (the lists hold only the newest runs).
  await app.getByTestId('qt-B-run-number').fill(String(b));
  await app.getByTestId('qt-B-run-number').press('Enter');
  await expect(app).toHaveURL(new RegExp(`b=${b}(&|$)`));
  await expect(app.getByTestId('qt-agreement')).toHaveAttribute('data-value', '100');
});

test('draws a 20,000-state table only where it is scrolled to', async ({ app, server }) => {
  // 7 actions: the list of differing states cuts each row to its top 5, with a button to show all 7.
  const experiment = toyExperiment('big toy', { states: 20_000, actions: 7, stepsPerEpisode: 2000 }, { episodes: 10, seeds: 2, checkpoints: 2 });
  const { runIds } = await launchAndWait(server, experiment);
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const heatmap = app.getByTestId('qt-heatmap-diff');
  await expect(heatmap).toHaveAttribute('data-rows', '20000');
  const canvas = heatmap.locator('canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  // The canvas stays window-sized however many states there are…
  expect((await canvas.boundingBox())!.height).toBeLessThan(500);
  // …and scrolling to the end draws the last rows within a frame or two: counted in the page's
  // animation frames, not in milliseconds (a busy machine's frames come late, and in the same order).
  const before = Number(await canvas.getAttribute('data-drawn'));
  const drawn = await heatmap.evaluate(async (el) => {
    el.scrollTop = el.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return Number(el.querySelector('canvas')!.dataset.drawn);
  });
  expect(drawn).toBeGreaterThan(before);

  // The list of differing states holds every one of them (its "Show all" drew 3,416 rows at once, 1.5 to 3 s), drawn
  // where it is scrolled to: the rows in its box's view and a margin, a screen reader told how many there are.
  const [qa, qb] = await Promise.all(runIds.map((runId) => call<QTable>(server, 'qtables.get', { runId })));
  const differing = qa!.q.flatMap((row, s) => (argmax(row) >= 0 && argmax(qb!.q[s]!) >= 0 && argmax(row) !== argmax(qb!.q[s]!) ? [s] : []));
  expect(differing.length).toBeGreaterThan(1000);
  const list = app.getByTestId('qt-differing');
  /** A row's first cell: its state's name, then its button. */
  const stateCell = (s: number) => new RegExp(`^${qa!.states[s]!} (all values|top 5)$`);
  const drawnRows = list.locator('tbody tr[data-k]');
  await expect(list).toHaveAttribute('aria-rowcount', String(differing.length + 1));
  await expect(drawnRows.first()).toHaveAttribute('aria-rowindex', '2');
  await expect(drawnRows.first().locator('td').first()).toHaveText(stateCell(differing[0]!));
  expect(await drawnRows.count()).toBeLessThan(100);
  // Scrolled to its end, the list draws its last state, in the last row; the 21st row's button, holding the
  // keyboard's focus, is drawn still, between two gaps, and keeps it (taken out of the page, or drawn anew, it
  // dropped the focus to the page's start).
  const focusedRow = list.locator('tbody tr[aria-rowindex="22"]');
  await focusedRow.getByTestId('qt-differing-all').focus();
  await list.evaluate((table) => (table.parentElement!.scrollTop = table.parentElement!.scrollHeight));
  await expect(drawnRows.last()).toHaveAttribute('aria-rowindex', String(differing.length + 1));
  await expect(drawnRows.first()).toHaveAttribute('aria-rowindex', '22');
  await expect(list.locator('tbody tr.row-gap')).toHaveCount(2);
  await expect(focusedRow.getByTestId('qt-differing-all')).toBeFocused();
  // Gaps, a row drawn apart from the rest, aria-rowcount and aria-rowindex: still a table axe finds nothing wrong with.
  expect(await audit(app, '[data-testid=qt-differing]')).toEqual([]);
  await app.keyboard.press('Enter');
  await expect(focusedRow.locator('.qrow').first()).toHaveAttribute('data-shown', '7');
  await expect(focusedRow.getByTestId('qt-differing-all')).toBeFocused();
  // Gaps, a row drawn apart from the rest, aria-rowcount and aria-rowindex: still a table axe finds nothing wrong with.
  expect(await audit(app, '[data-testid=qt-differing]')).toEqual([]);
  await expect(drawnRows.last().locator('td').first()).toHaveText(stateCell(differing.at(-1)!));
  // In the box's view, not under a gap: its bottom the box's.
  await expect
    .poll(() => drawnRows.last().evaluate((tr) => Math.round(tr.closest('.table-scroll')!.getBoundingClientRect().bottom - tr.getBoundingClientRect().bottom)))
    .toBeLessThanOrEqual(1);
  expect(await drawnRows.count()).toBeLessThan(100);
  // Find state brings a differing state's row under the list's header too (the page's own Find reaches only rows drawn).
  const wanted = differing.find((s) => s >= 1000 && s < 10_000 && s > differing[200]!)!; // four digits: no state before it holds its name
  await app.getByTestId('qt-find').fill(qa!.states[wanted]!);
  await app.getByTestId('qt-find').press('Enter');
  const found = list.locator(`tbody tr[aria-rowindex="${differing.indexOf(wanted) + 2}"]`);
  await expect(found.locator('td').first()).toHaveText(stateCell(wanted));
  await expect
    .poll(() => found.evaluate((tr) => Math.abs(Math.round(tr.getBoundingClientRect().top - tr.closest('table')!.querySelector('th')!.getBoundingClientRect().bottom))))
    .toBeLessThanOrEqual(1);
});

test('a table of 400 actions scrolls across under a canvas of its box’s size, painted and read where it is scrolled to', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, toyExperiment('wide toy', { states: 6, actions: 400, stepsPerEpisode: 50 }, { episodes: 20, seeds: 2 }));
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const heatmap = app.getByTestId('qt-heatmap-diff');
  await expect(heatmap).toHaveAttribute('data-cols', '400');
  const canvas = heatmap.locator('canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  const seen = await heatmap.evaluate(async (el) => {
    const c = el.querySelector('canvas')!;
    // The opacity of a pixel in the first row's middle (below the 22 px header, in an 18 px row), 5 px from the canvas's right end.
    const edge = () => c.getContext('2d')!.getImageData(c.width - Math.ceil(5 * devicePixelRatio), Math.floor(31 * devicePixelRatio), 1, 1).data[3];
    const before = { canvas: c.getBoundingClientRect().width, box: el.clientWidth, table: el.scrollWidth, edge: edge() };
    el.scrollLeft = el.scrollWidth;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { before, after: { edge: edge(), scrolled: el.scrollLeft } };
  });
  // The canvas is the box's width, the table many times wider; painted at either end of the scroll.
  expect(seen.before.canvas).toBeLessThanOrEqual(seen.before.box);
  expect(seen.before.table).toBeGreaterThan(5 * seen.before.box);
  expect(seen.before.edge).toBe(255);
  expect(seen.after).toEqual({ edge: 255, scrolled: seen.before.table - seen.before.box });
  // The pointer reads the cell under it at the scroll's offset: the last action at the right end.
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width - 6, y: 31 } });
  await expect(app.getByTestId('qt-heatmap-diff-readout')).toContainText('× 399 =');
});

test('A, B and their difference scroll together, each keeping its state labels in view at its left edge', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, toyExperiment('wide toy', { states: 6, actions: 400, stepsPerEpisode: 50 }, { episodes: 20, seeds: 2 }));
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const [a, b, diff] = ['qt-heatmap-a', 'qt-heatmap-b', 'qt-heatmap-diff'].map((id) => app.getByTestId(id));
  await expect(diff!).toHaveAttribute('data-cols', '400');
  await expect(a!.locator('canvas')).toHaveAttribute('data-drawn', /\d+/);
  // A pixel of the first row, 8 px from the canvas's left edge: the label gutter's, left of the label's text.
  const gutterPixel = () =>
    a!.evaluate((el) => {
      const c = el.querySelector('canvas')!;
      return [...c.getContext('2d')!.getImageData(Math.floor(8 * devicePixelRatio), Math.floor(31 * devicePixelRatio), 1, 1).data];
    });
  const unscrolled = await gutterPixel();
  await a!.evaluate(async (el) => {
    el.scrollLeft = 3000;
    el.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  for (const other of [b!, diff!]) await expect.poll(() => other.evaluate((el) => el.scrollLeft)).toBe(3000);
  // Scrolled 3,000 px across, the gutter still holds the labels, not a cell scrolled beneath it.
  expect(await gutterPixel()).toEqual(unscrolled);
  // Over the labels the pointer reads no cell; right of them, the cell at the scroll's offset.
  const canvas = a!.locator('canvas');
  await canvas.hover({ position: { x: 10, y: 31 } });
  await expect(app.getByTestId('qt-heatmap-a-readout')).not.toContainText('=');
  await canvas.hover({ position: { x: 200, y: 31 } });
  await expect(app.getByTestId('qt-heatmap-a-readout')).toContainText(/^0 × \d+ =/);
});

test('finds a state by its name: the heatmaps scroll to it, and Find again goes to the next', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, toyExperiment('tall toy', { states: 200, actions: 4, stepsPerEpisode: 50 }, { episodes: 20, seeds: 2 }));
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const [a, b] = ['qt-heatmap-a', 'qt-heatmap-b'].map((id) => app.getByTestId(id));
  await expect(a!).toHaveAttribute('data-rows', '200');
  const find = app.getByTestId('qt-find');
  const result = app.getByTestId('qt-find-result');
  await find.fill('15');
  await find.press('Enter');
  await expect(result).toHaveText('state 15: 1 of 12 matches (Find again for the next)'); // 15, 115, 150–159
  await expect.poll(() => a!.evaluate((el) => el.scrollTop)).toBe(15 * 18);
  await find.press('Enter');
  await expect(result).toHaveText('state 115: 2 of 12 matches (Find again for the next)');
  await expect.poll(() => a!.evaluate((el) => el.scrollTop)).toBe(115 * 18);
  await expect.poll(() => b!.evaluate((el) => el.scrollTop)).toBe(115 * 18); // one grid: B scrolls with A
  await find.fill('x');
  await find.press('Enter');
  await expect(result).toHaveText('no state\'s name holds “x”');
});

test('reads a 20,000-state heatmap from the keyboard: one tab stop, a cell moved by the keys, ringed and announced', async ({ app, server }) => {
  const experiment = toyExperiment('big toy', { states: 20_000, actions: 5, stepsPerEpisode: 2000 }, { episodes: 10, seeds: 2, checkpoints: 2 });
  const { runIds } = await launchAndWait(server, experiment);
  const qa = await call<QTable>(server, 'qtables.get', { runId: runIds[0]! });
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  const heatmap = app.getByTestId('qt-heatmap-a');
  const canvas = heatmap.locator('canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  const said = app.getByTestId('qt-heatmap-a-cell');
  /** The words a cell is announced with: its state, its action, its value, and whether it is the greedy one. */
  const words = (row: number, col: number) => `state ${qa.states[row]}, action ${qa.actions[col]}: ${fmt(qa.q[row]![col]!, 4)}${argmax(qa.q[row]!) === col ? ' (greedy)' : ''}`;
  const drawn = () => canvas.evaluate((el: HTMLCanvasElement) => el.toDataURL());

  await expect(said).toHaveText('');
  const unfocused = await drawn();
  await heatmap.focus();
  await expect(said).toHaveText(words(0, 0));
  await expect(app.getByTestId('qt-heatmap-a-readout')).toContainText(`${qa.states[0]} × ${qa.actions[0]} = `);
  // The focused cell is ringed on the canvas: the drawing differs from the unfocused one.
  await expect.poll(drawn).not.toBe(unfocused);
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowDown');
  await expect(said).toHaveText(words(1, 1));
  await app.keyboard.press('End');
  await expect(said).toHaveText(words(1, 4));
  await app.keyboard.press('Home');
  await expect(said).toHaveText(words(1, 0));
  // A screen of rows: the 440 px view less its header shows 23 rows of 18 px.
  await app.keyboard.press('PageDown');
  await expect(said).toHaveText(words(24, 0));
  await app.keyboard.press('PageUp');
  await expect(said).toHaveText(words(1, 0));
  // To the last state: the box scrolls to show it.
  await app.keyboard.press('Control+End');
  await expect(said).toHaveText(words(19_999, 4));
  await expect.poll(() => heatmap.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(2);
  await app.keyboard.press('Control+Home');
  await expect(said).toHaveText(words(0, 0));
  await expect.poll(() => heatmap.evaluate((el) => el.scrollTop)).toBe(0);
  // The keys moved the cell, not the focus; Tab leaves the heatmap, whose ring and announcement go with it.
  await expect(heatmap).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(heatmap).not.toBeFocused();
  await expect(said).toHaveText('');
  await expect.poll(drawn).toBe(unfocused);
});

test('a state whose greedy actions differ lists its top 5 Q values per table, and all of them on asking, its state at the top of its row', async ({ app, server }) => {
  // 400 actions made each row of the differing states' list some hundred lines of Q values: one state a view.
  const { runIds } = await launchAndWait(server, toyExperiment('wide toy', { states: 3, actions: 400, stepsPerEpisode: 200 }, { episodes: 20, seeds: 2, checkpoints: 1 }));
  await openScreen(app, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
  await expect(app.getByTestId('qt-differing-top')).toContainText('its 5 largest Q values per table, largest first, of 400 actions');
  const row = app.getByTestId('qt-differing').locator('tbody tr').first();
  await expect(row).toBeVisible();
  await expect(row.locator('.qrow').first()).toHaveAttribute('data-shown', '5');
  await expect(row.locator('.qrow').first()).toContainText('… 395 more');
  // The greedy action in bold leads the values shown, and is the one the Greedy A column names.
  await expect(row.locator('.qrow').first().locator('span').first()).toHaveClass('qrow-greedy');
  const greedyA = (await row.locator('td').nth(1).innerText()).trim();
  expect((await row.locator('.qrow').first().locator('span').first().innerText()).startsWith(`${greedyA}: `)).toBe(true);
  expect((await row.boundingBox())!.height).toBeLessThan(200);
  // "all values" lists every action's for that state, its state and greedy actions still at the top of the row.
  await row.getByTestId('qt-differing-all').click();
  await expect(row.locator('.qrow').first()).toHaveAttribute('data-shown', '400');
  await expect(row.locator('.qrow').nth(1)).toHaveAttribute('data-shown', '400');
  await expect(app.getByTestId('qt-differing').locator('tbody tr').nth(1).locator('.qrow').first()).toHaveAttribute('data-shown', '5');
  const offsets = await row.evaluate((tr) => {
    const top = tr.getBoundingClientRect().top;
    return [...tr.querySelectorAll('td')].slice(0, 3).map((td) => {
      const text = document.createRange();
      text.selectNodeContents(td);
      return text.getBoundingClientRect().top - top;
    });
  });
  expect((await row.boundingBox())!.height).toBeGreaterThan(400);
  for (const offset of offsets) expect(offset).toBeLessThan(20);
  await row.getByTestId('qt-differing-all').click();
  await expect(row.locator('.qrow').first()).toHaveAttribute('data-shown', '5');
});

test('tables of different environments get a colour scale each, and the legend says so', async ({ app, server }) => {
  // The cliff's values are −100…0; a coin-toss toy of the same size (48 states × 4 actions) earns 0…1 a step.
  // A sweep's kind of name: what tells its experiments apart is at its end.
  const cliffName = 'cliff walking with Q-learning, a sweep of the step size (alpha=0.5, epsilon=0.1)';
  const cliff = await launchAndWait(server, cliffExperiment(cliffName, undefined, { seeds: 1 }));
  const toy = await launchAndWait(server, toyExperiment('coin toy', { states: 48, actions: 4, stepsPerEpisode: 50 }, { episodes: 50, seeds: 1 }));
  const [a, b] = [cliff.runIds[0]!, toy.runIds[0]!];
  const qa = await call<QTable>(server, 'qtables.get', { runId: a });
  const qb = await call<QTable>(server, 'qtables.get', { runId: b });
  // On one scale the toy's table would be a sliver at its top end: all one colour.
  expect(Number(range(qb).hi) - Number(range(qb).lo)).toBeLessThan((Number(range(qa, qb).hi) - Number(range(qa, qb).lo)) / 10);

  await app.setViewportSize({ width: 1280, height: 800 });
  await openScreen(app, `#/qtables?a=${a}&b=${b}`);
  // At 1280 × 800 A's half-width picker shows the run's number and greedy score and cuts the rest of its label (all of it
  // in the select's title); the experiment, agent and seed stand whole under it, so the run picked reads at a glance.
  const pickerA = app.getByTestId('qt-A-run');
  await expect(pickerA).toHaveAttribute('title', new RegExp(`^run ${a} · greedy return -?[\\d.,]+ \\(exact\\) · `));
  expect(await pickerA.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.text), 'the option names the run and its score first').toMatch(new RegExp(`^run ${a} · greedy return -?[\\d.,]+ \\(exact\\) · `));
  await expect(app.getByTestId('qt-A-run-name')).toHaveText(`${cliffName} · q-learning · seed 0`);
  await expect(app.getByTestId('qt-B-run-name')).toHaveText('coin toy · q-learning · seed 0');
  const nameBox = (await app.getByTestId('qt-A-run-name').boundingBox())!;
  const sideA = (await app.getByTestId('qt-side-A').boundingBox())!;
  expect(nameBox.x + nameBox.width, 'the name wraps inside A').toBeLessThanOrEqual(sideA.x + sideA.width);
  const legendA = app.getByTestId('qt-legend-a');
  const legendB = app.getByTestId('qt-legend-b');
  await expect(legendA).toContainText('Q of A (own scale)');
  await expect(legendB).toContainText('Q of B (own scale)');
  await expect(legendA).toHaveAttribute('data-lo', range(qa).lo);
  await expect(legendA).toHaveAttribute('data-hi', range(qa).hi);
  await expect(legendB).toHaveAttribute('data-lo', range(qb).lo);
  await expect(legendB).toHaveAttribute('data-hi', range(qb).hi);
  await expect(app.getByTestId('qt-legend-ab')).toHaveCount(0);
  const note = app.getByTestId('qt-scale');
  await expect(note).toHaveAttribute('data-shared', 'false');
  await expect(note).toHaveText(
    'A colour scale each, as they are runs of different environments (tabular-mdp and seed-toy): the same colour in A and B can be different values.',
  );
  // Same size, but not diffed: cell by cell, a cliff's table against a toy's compares nothing.
  await expect(app.getByText('The tables are of different environments (tabular-mdp and seed-toy): pick runs of the same environment to diff them.')).toBeVisible();
  await expect(app.getByTestId('qt-heatmap-a')).toBeVisible();
  await expect(app.getByTestId('qt-heatmap-diff')).toHaveCount(0);
  await expect(app.getByTestId('qt-legend-diff')).toHaveCount(0);
  await expect(app.getByTestId('qt-marks-legend')).toHaveText('● greedy action');

  // Another shape: not diffed, so nothing says how a diff or its marks would read.
  const small = await launchAndWait(server, toyExperiment('small toy', { states: 6, actions: 3, stepsPerEpisode: 20 }, { episodes: 20, seeds: 1 }));
  await openScreen(app, `#/qtables?a=${a}&b=${small.runIds[0]!}`);
  await expect(app.getByText('The tables have different shapes (48 × 4 and 6 × 3): pick runs of the same environment to diff them.')).toBeVisible();
  await expect(app.getByTestId('qt-marks-legend')).toHaveText('● greedy action');
  await expect(app.getByTestId('qt-heatmap-diff')).toHaveCount(0);
  await expect(app.getByTestId('qt-gamma')).toHaveCount(0);
});

test('lists only runs that stored a Q-table: not a DQN run on feature vectors, nor one cancelled before its first checkpoint, whose page offers no export either', async ({ app, server }) => {
  const cliff = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1 }));
  const dqn = await launchAndWait(server, {
    format: 'aisle.experiment/v1',
    name: 'shop dqn on features',
    env: { id: 'shop', exact: true, actionLevel: 'category', slateSize: 2, maxSteps: 20, observation: 'vector' },
    agent: { id: 'dqn', hidden: [8], learningStarts: 16, batchSize: 8 },
    episodes: 5,
    seeds: 1,
  });
  // 64 long Q-learning runs cancelled at once: the last is still queued behind the others (a worker
  // per core but one), and ends cancelled at episode 0 with nothing stored. (A run cancelled while
  // training keeps its Q-table as it stands, and is listed.)
  const launched = await call<{ runIds: number[] }>(server, 'experiments.launch', { experiment: cliffExperiment('cliff cancelled', undefined, { seeds: 64, episodes: 100_000_000 }) });
  await call(server, 'runs.cancel', { ids: launched.runIds });
  const queued = { runIds: [launched.runIds.at(-1)!] };
  await expect.poll(async () => (await call<{ status: string }>(server, 'runs.get', { id: queued.runIds[0]! })).status).toBe('cancelled');
  expect((await call<{ episodesDone: number }>(server, 'runs.get', { id: queued.runIds[0]! })).episodesDone).toBe(0);

  await openScreen(app, '#/qtables');
  const options = app.getByTestId('qt-A-run').locator('option');
  await expect(options.filter({ hasText: `run ${cliff.runIds[0]} ·` })).toHaveCount(1);
  await expect(options.filter({ hasText: `run ${dqn.runIds[0]} ·` })).toHaveCount(0);
  await expect(options.filter({ hasText: `run ${queued.runIds[0]} ·` })).toHaveCount(0);
  // Policies' export list drops the cancelled run too (it stored nothing); the DQN run exports its network.
  await openScreen(app, '#/policies');
  const offered = app.getByTestId('export-run').locator('option');
  await expect(offered.filter({ hasText: `run ${dqn.runIds[0]} ·` })).toHaveCount(1);
  await expect(offered.filter({ hasText: `run ${queued.runIds[0]} ·` })).toHaveCount(0);
  // Its page offers neither (Export policy used to lead to the Policies screen's refusal); the DQN run's offers the export.
  await openScreen(app, `#/runs/${queued.runIds[0]}`);
  await expect(app.getByTestId('run-status')).toBeVisible();
  await expect(app.getByRole('link', { name: 'Export policy' })).toHaveCount(0);
  await expect(app.getByRole('link', { name: 'Q-table', exact: true })).toHaveCount(0);
  await openScreen(app, `#/runs/${dqn.runIds[0]}`);
  await expect(app.getByRole('link', { name: 'Export policy' })).toHaveAttribute('href', `#/policies?export=${dqn.runIds[0]}`);

  // Opened by its number all the same, each says why it has no Q-table, from its details: no read that fails (a 404 in the console).
  const failed: string[] = [];
  app.on('response', (r) => {
    if (r.url().includes('/api/call/') && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await openScreen(app, `#/qtables?a=${dqn.runIds[0]}`);
  await expect(app.getByTestId('qt-A-none')).toHaveText(
    `A: run ${dqn.runIds[0]} has no Q-table: DQN learns a network, whose Q values make a table only on discrete states (a shop observed as feature vectors gives none); export or evaluate its policy on the Policies screen.`,
  );
  await openScreen(app, `#/qtables?a=${cliff.runIds[0]}&b=${queued.runIds[0]}`);
  await expect(app.getByTestId('qt-B-none')).toHaveText(`B: run ${queued.runIds[0]} has no Q-table (agent q-learning, status cancelled): it stopped before its first checkpoint; a tabular agent saves one at its checkpoints and at the end.`);
  await expect(app.getByTestId('qt-A-episode')).toContainText('after 200 episodes');
  expect(failed).toEqual([]);
});

test('a run or checkpoint in the address that is not a number is named as left out', async ({ app }) => {
  await openScreen(app, '#/qtables?a=abc&cb=1.5');
  await expect(app.getByTestId('unread-address')).toHaveText(
    'Left out of this address: a=abc (“abc” is not a run number: a takes a whole number such as a=12); cb=1.5 (“1.5” is not a checkpoint number: cb takes a whole number such as cb=12).',
  );
  await openScreen(app, '#/qtables');
  await expect(app.getByTestId('unread-address')).toHaveCount(0);
});

test('A, B and their difference sit side by side, and a one-row table wider than its figure keeps its row in view', async ({ app, server }) => {
  // A bandit's table: one state, ten arms, wider than a third of the panel.
  const bandit = await launchAndWait(server, {
    format: 'aisle.experiment/v1',
    name: 'arms',
    env: { id: 'bandit-testbed' },
    agent: { id: 'epsilon-greedy' },
    episodes: 200,
    seeds: 1,
    checkpoints: 3,
  });
  await app.setViewportSize({ width: 1280, height: 800 });
  await openScreen(app, `#/qtables?a=${bandit.runIds[0]}`);
  await expect(app.getByTestId('qt-heatmap-diff')).toBeVisible();
  // B's table arrives after A's (its own checkpoint read), and a heatmap is remade when its table
  // does: measure once all three have settled, retrying while one is between renders.
  await expect(async () => {
    const boxes = await Promise.all(['qt-heatmap-a', 'qt-heatmap-b', 'qt-heatmap-diff'].map((id) => app.getByTestId(id).boundingBox()));
    const [a, b, diff] = boxes;
    expect(a && b && diff, 'all three heatmaps are laid out').toBeTruthy();
    expect(b!.y).toBe(a!.y);
    expect(diff!.y).toBe(a!.y);
    expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x);
  }).toPass({ timeout: 15_000 });
  for (const id of ['qt-heatmap-a', 'qt-heatmap-b', 'qt-heatmap-diff']) {
    const fit = await app.getByTestId(id).evaluate((el) => ({
      wide: el.scrollWidth > el.clientWidth,
      shown: el.clientHeight,
      needed: el.querySelector('canvas')!.offsetHeight,
    }));
    expect(fit.wide, `${id} is wider than its figure (the case that clipped the row)`).toBe(true);
    expect(fit.shown, `${id} shows its whole row above its side-scrollbar`).toBeGreaterThanOrEqual(fit.needed);
  }
});

test('with classic scrollbars, a tall table wider than its box keeps its last row above the side-scrollbar and its header in view', async ({ server }) => {
  // Playwright's headless Chromium hides scrollbars (--hide-scrollbars); Electron on Linux and Windows
  // shows them, 15 px or so under a table wider than its box, in the box's height.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--hide-scrollbars'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(server.url);
    const { runIds } = await launchAndWait(server, toyExperiment('tall wide toy', { states: 300, actions: 60, stepsPerEpisode: 50 }, { episodes: 20, seeds: 2 }));
    const qa = await call<QTable>(server, 'qtables.get', { runId: runIds[0]! });
    await openScreen(page, `#/qtables?a=${runIds[0]}&b=${runIds[1]}`);
    const heatmap = page.getByTestId('qt-heatmap-a');
    await expect(heatmap.locator('canvas')).toHaveAttribute('data-drawn', /\d+/);
    const sideBar = await heatmap.evaluate((el: HTMLElement) => el.offsetHeight - el.clientHeight - 2);
    expect(sideBar, 'the box has a side-scrollbar (the case that hid a row)').toBeGreaterThan(0);
    // The view under the scrollbar is the canvas's whole height: none of its rows is covered.
    await expect.poll(() => heatmap.evaluate((el) => el.clientHeight - el.querySelector('canvas')!.offsetHeight)).toBe(0);
    // The keys' last row is drawn in view, above the scrollbar, and the header stays at the box's top.
    await heatmap.focus();
    await page.keyboard.press('Control+End');
    await expect(page.getByTestId('qt-heatmap-a-cell')).toContainText(`state ${qa.states[299]}, action ${qa.actions[59]}:`);
    await expect.poll(() => heatmap.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThan(2);
    const placed = await heatmap.evaluate((el) => ({ canvasTop: el.querySelector('canvas')!.getBoundingClientRect().top - el.getBoundingClientRect().top - el.clientTop }));
    expect(placed.canvasTop).toBe(0);
  } finally {
    await browser.close();
  }
});
