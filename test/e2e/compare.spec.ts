// Compare: two experiments (Q-learning and SARSA on the cliff, 3 seeds each) picked in the UI →
// two groups with bands (visible on the panel), an IQM with its CI per group, the improvement
// matrix, the config diff; switching the band to min–max redraws and survives a reload (the view
// lives in the URL); Save report and Save chart download the write-up and the chart.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import type { CompareResult, RunPage } from '../../src/shared/dto';
import { BAND_ALPHA, blend, contrastRatio, type Rgb } from '../../src/renderer/src/components/chart-colors';
import { test, expect, call, cliffExperiment, stopServer } from './fixtures';
import { launchAndWait, openScreen, saveScreenshot, type Launched } from './arrange';
import { clickCanvasLegend, inEachTheme } from './chart-legend';

/**
 * The bands as drawn (LineChart's data-band-fills): each one visible on the panel it is drawn on
 * (its fill, composited, lifted off the background by a contrast of 1.28 at least; the old 0.18
 * opacity gave 1.09 to 1.25) and lighter than an opaque line (opacity within BAND_ALPHA).
 */
async function expectVisibleBands(canvas: Locator, count: number): Promise<void> {
  const background = await canvas.evaluate((el) => getComputedStyle(el.closest('.panel')!).backgroundColor);
  const bg = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(background)!.slice(1).map(Number) as unknown as Rgb;
  const fills = (await canvas.getAttribute('data-band-fills'))!.split(';');
  expect(fills).toHaveLength(count);
  for (const fill of fills) {
    const [r, g, b, alpha] = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(fill)!.slice(1).map(Number) as [number, number, number, number];
    expect(alpha).toBeGreaterThanOrEqual(BAND_ALPHA.min);
    expect(alpha).toBeLessThanOrEqual(BAND_ALPHA.max);
    expect(contrastRatio(blend([r, g, b], alpha, bg), bg)).toBeGreaterThanOrEqual(1.28);
  }
}

/** A downloaded PNG's size and its top-left pixel (RGBA), decoded by the page's browser. */
async function pngCorner(app: Page, bytes: Buffer): Promise<{ size: number[]; pixel: number[] }> {
  return app.evaluate(async (data) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(data)], { type: 'image/png' }));
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    return { size: [bitmap.width, bitmap.height], pixel: [...context.getImageData(0, 0, 1, 1).data] };
  }, [...bytes]);
}

test('compares Q-learning and SARSA on the cliff', async ({ app, server }) => {
  const q = await launchAndWait(server, cliffExperiment('cliff q-learning'));
  const s = await launchAndWait(server, cliffExperiment('cliff sarsa', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }));

  await openScreen(app, '#/compare');
  await expect(app.getByTestId('compare-empty')).toBeVisible();
  // Nothing compared: neither save acts, and each says why.
  for (const id of ['compare-save-report', 'compare-save-chart']) await expect(app.getByTestId(id)).toHaveAttribute('aria-disabled', 'true');
  await expect(app.getByTestId('compare-save-blocker')).toHaveText('Pick experiments or runs to compare first.');
  // Both boxes clicked within one task, before the first click has come back through the URL as
  // props: each toggle applies to the selection current when it lands, so neither is lost.
  await app.evaluate((ids) => ids.forEach((id) => document.getElementById(`compare-exp-${id}`)!.click()), [q.experimentId, s.experimentId]);
  await expect(app).toHaveURL(new RegExp(`experiments=${q.experimentId},${s.experimentId}`));
  await expect(app.getByTestId(`compare-exp-${q.experimentId}`)).toBeChecked();
  await expect(app.getByTestId(`compare-exp-${s.experimentId}`)).toBeChecked();
  // The list scrolls; what is checked is summed up beside it, and can be removed from there.
  const chosen = app.getByTestId('compare-chosen-experiments');
  await expect(chosen.locator('.chip a')).toHaveText([`#${q.experimentId} cliff q-learning`, `#${s.experimentId} cliff sarsa`]);

  // Two groups (3 seeds each), drawn with a band each.
  const groups = app.getByTestId('compare-group');
  await expect(groups).toHaveCount(2);
  await expect(groups.getByTestId('group-label')).toHaveText([/q-learning/i, /sarsa/i]);
  const chart = app.getByTestId('compare-chart');
  await expect(chart).toHaveAttribute('data-groups', '2');
  await expect(chart).toHaveAttribute('data-bands', '2');
  await expect(chart).toHaveAttribute('data-band', 'ci95');
  const canvas = app.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  await expectVisibleBands(canvas, 2);

  // Summary: every group has 3 runs and an IQM inside its own 95 % CI.
  for (let i = 0; i < 2; i++) {
    const row = groups.nth(i);
    await expect(row.locator('td').nth(1)).toHaveText('3');
    const iqm = Number(await row.getByTestId('final-iqm').getAttribute('data-value'));
    const ci = row.getByTestId('final-iqm-ci');
    const lo = Number(await ci.getAttribute('data-lo'));
    const hi = Number(await ci.getAttribute('data-hi'));
    expect(Number.isFinite(iqm)).toBe(true);
    expect(lo).toBeLessThanOrEqual(iqm);
    expect(iqm).toBeLessThanOrEqual(hi);
    await expect(ci).toHaveText(/^\[.+, .+\]$/);
    // The mean's interval is Student's t: symmetric about the mean (a percentile bootstrap's is not, in general).
    const mean = Number(await row.getByTestId('final-mean').getAttribute('data-value'));
    const meanCi = row.getByTestId('final-mean-ci');
    const [meanLo, meanHi] = [Number(await meanCi.getAttribute('data-lo')), Number(await meanCi.getAttribute('data-hi'))];
    expect(meanHi - mean).toBeGreaterThan(0);
    expect(meanHi - mean).toBeCloseTo(mean - meanLo, 9);
  }
  const summary = app.getByTestId('compare-summary');
  await expect(summary.locator('th')).toContainText(['Mean 95 % CI (t)', 'IQM 95 % CI (bootstrap)']);
  // The band is the mean's t interval at each point, as the table's, named so and with its assumption.
  await expect(app.getByTestId('compare-band').locator('option:checked')).toHaveText('95 % t band of the mean');
  await expect(app.getByText(/shaded: 95 % t band of the mean across seeds at each point \(mean ± t\(0\.975, n − 1\) · s \/ √n.*roughly normal scores across seeds\)/)).toBeVisible();
  await expect(app.getByText(/bootstrap band|resamples; with few seeds/)).toHaveCount(0);
  await expect(app.getByTestId('compare-band-one-seed')).toHaveCount(0); // every group has 3 seeds

  // Probability of improvement: two off-diagonal cells, each inside its CI, complementary.
  const cells = app.getByTestId('improvement-cell');
  await expect(cells).toHaveCount(2);
  const p: number[] = [];
  for (let i = 0; i < 2; i++) {
    const cell = cells.nth(i);
    const value = Number(await cell.getAttribute('data-value'));
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
    expect(Number(await cell.getAttribute('data-lo'))).toBeLessThanOrEqual(value);
    expect(Number(await cell.getAttribute('data-hi'))).toBeGreaterThanOrEqual(value);
    p.push(value);
  }
  expect(p[0]! + p[1]!).toBeCloseTo(1, 9);
  await expect(app.locator('#improvement-hint')).toContainText('P(row > column)');
  // Three seeds a group: the matrix says how little a complete separation of 3 against 3 proves.
  await expect(app.getByTestId('few-runs')).toContainText('the smallest groups here have 3 and 3');
  await expect(app.getByTestId('few-runs')).toContainText('1 in 10 (p = 0.100');
  await expect(app.getByTestId('few-runs-ci')).toContainText('With fewer than 8 runs in a group, the bootstrap intervals (IQM, P(X > Y)) cover the truth less often than 95 %');

  // Config diff: agent.id differs and is highlighted first; the rest folds away.
  const agentRow = app.locator('[data-testid="config-diff-row"][data-path="agent.id"]');
  await expect(agentRow).toHaveAttribute('data-differs', 'true');
  await expect(agentRow).toHaveClass(/diff-changed/);
  await expect(agentRow.locator('td')).toHaveText(['q-learning', 'sarsa']);
  await expect(app.locator('[data-testid="config-diff-row"][data-differs="true"]').first()).toBeVisible();
  await expect(app.locator('[data-testid="config-diff-row"][data-path="episodes"]')).toBeHidden();

  await saveScreenshot(app, 'compare');

  // Save report: the Markdown write-up names both groups and tables their final performance.
  const stem = `aisle-compare-${q.experimentId}-${s.experimentId}`;
  await expect(app.getByTestId('compare-save-report')).not.toHaveAttribute('aria-disabled');
  const [report] = await Promise.all([app.waitForEvent('download'), app.getByTestId('compare-save-report').click()]);
  expect(report.suggestedFilename()).toBe(`${stem}.md`);
  const markdown = readFileSync((await report.path())!, 'utf8');
  expect(markdown).toContain(`Compared: experiments #${q.experimentId} “cliff q-learning”, #${s.experimentId} “cliff sarsa”.`);
  expect(markdown).toContain('| group | runs | seeds | mean | mean 95% CI (t) | IQM | IQM 95% CI (bootstrap) |');
  expect(markdown).toMatch(/^\| A · cliff q-learning · q-learning \| 3 \| 0–2 \| -?[\d,.]+ \| \[.+\] \| -?[\d,.]+ \| \[.+\] \|$/m);
  expect(markdown).toMatch(/^\| B · cliff sarsa · sarsa \| 3 \| 0–2 \| /m);
  // The report writes each value and its interval as the screen does (one rule, the same decimals in both).
  for (const [i, name] of ['A · cliff q-learning · q-learning', 'B · cliff sarsa · sarsa'].entries()) {
    const row = groups.nth(i);
    const shown = await Promise.all(['final-mean', 'final-mean-ci', 'final-iqm', 'final-iqm-ci'].map((id) => row.getByTestId(id).innerText()));
    expect(markdown).toContain(`| ${name} | 3 | 0–2 | ${shown.join(' | ')} |`);
  }
  expect(markdown).toContain('Few runs: the smallest groups here have 3 and 3.');
  await expect(app.getByTestId('compare-saved')).toHaveText(`Report on 2 groups saved to your downloads (${stem}.md).`);

  // Save chart: a PNG of the canvas, drawn on the panel's background (opaque), in the light scheme and the dark.
  const backgrounds: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme });
    const background = await canvas.evaluate((el) => getComputedStyle(el.closest('.panel')!).backgroundColor);
    const [chartFile] = await Promise.all([app.waitForEvent('download'), app.getByTestId('compare-save-chart').click()]);
    expect(chartFile.suggestedFilename()).toBe(`${stem}.png`);
    const png = readFileSync((await chartFile.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
    const { size, pixel } = await pngCorner(app, png);
    expect(size).toEqual(await canvas.evaluate((el: HTMLCanvasElement) => [el.width, el.height]));
    expect(`rgb(${pixel.slice(0, 3).join(', ')})`).toBe(background);
    expect(pixel[3]).toBe(255);
    await expect(app.getByTestId('compare-saved')).toHaveText(`Chart (PNG, ${size[0]} × ${size[1]} pixels) saved to your downloads (${stem}.png).`);
    backgrounds.push(background);
  }
  expect(backgrounds[0]).not.toBe(backgrounds[1]);
  await app.emulateMedia({ colorScheme: 'light' });

  // Min–max band: fetched again and redrawn.
  const drawnBefore = Number(await canvas.getAttribute('data-drawn'));
  await app.getByTestId('compare-band').selectOption('minmax');
  await expect(chart).toHaveAttribute('data-band', 'minmax');
  await expect.poll(async () => Number(await canvas.getAttribute('data-drawn'))).toBeGreaterThan(drawnBefore);
  await expect(app).toHaveURL(/band=minmax/);
  await expectVisibleBands(canvas, 2);

  // The view is in the URL: a reload shows the same comparison.
  await app.reload();
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-band', 'minmax');
  await expect(app.getByTestId('compare-band')).toHaveValue('minmax');

  // Removing an experiment from the summary unchecks it.
  await chosen.getByRole('button', { name: `Remove experiment ${s.experimentId}` }).click();
  await expect(app.getByTestId(`compare-exp-${s.experimentId}`)).not.toBeChecked();
  await expect(app.getByTestId('compare-group')).toHaveCount(1);

  // A metric the runs do not record is named above the picker and return compared instead, where
  // it was refused (its error alone): see unknown-run.spec.
  await openScreen(app, `#/compare?experiments=${q.experimentId}&metric=nonexistent`);
  await expect(app.getByTestId('unread-address')).toContainText('metric=nonexistent (“nonexistent” is not a metric every compared run records');
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  await expect(app.getByTestId('compare-group')).toHaveCount(1);

  // An experiment no longer stored (deleted, or a number typed) is named among the experiments, once,
  // not as a nameless "#999999" there and again among the single runs.
  // The experiments that are stored are still compared.
  await openScreen(app, `#/compare?experiments=${q.experimentId},999999`);
  await expect(chosen.getByTestId('compare-unknown-experiment')).toHaveText(/^experiment 999999 not found/);
  await expect(app.getByText('experiment 999999 not found')).toHaveCount(1);
  await expect(chosen).not.toContainText('#999999');
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  await chosen.getByRole('button', { name: 'Remove experiment 999999' }).click();
  await expect(app.getByTestId('compare-group')).toHaveCount(1);

  // One of two compared experiments deleted in another window: the other stays compared.
  await openScreen(app, `#/compare?experiments=${q.experimentId},${s.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await call(server, 'experiments.delete', { id: s.experimentId });
  await expect(chosen.getByTestId('compare-unknown-experiment')).toHaveText(new RegExp(`^experiment ${s.experimentId} not found`));
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  await expect(app.getByTestId('compare-save-report')).toBeEnabled();

  // So with runs picked by number: one deleted elsewhere (or never stored) leaves the comparison,
  // its chip saying so, and the rest are still compared.
  await openScreen(app, `#/compare?runs=${q.runIds.join(',')},999998`);
  await expect(app.getByTestId('compare-unknown-run')).toHaveText(/^run 999998 not found/);
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('group-runs')).toHaveAttribute('title', `runs ${q.runIds.join(', ')}`);
  await call(server, 'runs.delete', { ids: [q.runIds[0]] });
  await expect(app.getByTestId('compare-unknown-run')).toHaveCount(2);
  await expect(app.getByTestId('compare-unknown-run').first()).toHaveText(new RegExp(`^run ${q.runIds[0]} not found`));
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('group-runs')).toHaveAttribute('title', `runs ${q.runIds.slice(1).join(', ')}`);
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
});

test('ids in the address that are not numbers are named as left out, not silently dropped', async ({ app }) => {
  await openScreen(app, '#/compare?runs=abc,def&experiments=0');
  await expect(app.getByTestId('unread-address')).toHaveText(
    'Left out of this address: runs=abc,def (“abc”, “def” are not run numbers: runs takes whole numbers such as runs=12,13); experiments=0 (“0” is not an experiment number: experiments takes whole numbers such as experiments=12,13).',
  );
  await expect(app.getByTestId('unread-address')).toHaveAttribute('role', 'alert');
  await openScreen(app, '#/compare');
  await expect(app.getByTestId('unread-address')).toHaveCount(0);
});

test('the y axis fits where the cliff curves settle, not their first episodes, and "Full y range" restores the whole span', async ({ app, server }) => {
  const q = await launchAndWait(server, cliffExperiment('cliff q', undefined, { seeds: 2 }));
  const s = await launchAndWait(server, cliffExperiment('cliff s', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }, { seeds: 2 }));
  const reply = await call<CompareResult>(server, 'compare.runs', { experimentIds: [q.experimentId, s.experimentId] });
  // The group means' first episodes (what the smoothed lines start at: the EMA is debiased) and their last.
  const first = Math.min(...reply.groups.map((g) => g.mean[0]!));
  const last = Math.min(...reply.groups.map((g) => g.mean[g.mean.length - 1]!));
  expect(first).toBeLessThan(4 * last); // a cliff's start: several times its end

  // With the default t band: of 2 seeds it is 12.7 times their half-spread each side (the final
  // mean's interval is as wide), so around a cliff's falls it spans thousands; fitted too it would
  // leave nothing to focus, so the lines alone set the axis and the bands run past it.
  await openScreen(app, `#/compare?experiments=${q.experimentId},${s.experimentId}`);
  const canvas = app.getByTestId('compare-canvas');
  const yMin = async () => Number(await canvas.getAttribute('data-y-min'));
  await expect(canvas).toHaveAttribute('data-drawn', /\d+/);
  // Focused: the axis ends well above the first episodes, and the cut-off start is marked and said.
  await expect.poll(yMin).toBeGreaterThan(first / 2);
  expect(await yMin()).toBeLessThanOrEqual(last);
  // Polled: a draw before the data settles (the smoothing still automatic) can have the focus without marks.
  await expect.poll(async () => Number(await canvas.getAttribute('data-clip-marks'))).toBeGreaterThan(0);
  await expect(app.getByTestId('compare-y-focus')).toContainText('The y axis fits the curves after their first tenth');
  await expect(app.getByTestId('compare-full-y')).not.toBeChecked();

  // Full range: down to the first episodes (and the bands' lows), nothing marked; kept in the address.
  await app.getByTestId('compare-full-y').check();
  await expect(app).toHaveURL(/[?&]y=full(&|$)/);
  await expect.poll(yMin).toBeLessThanOrEqual(first);
  await expect(canvas).toHaveAttribute('data-clip-marks', '0');
  await expect(app.getByTestId('compare-y-focus')).toHaveCount(0);
  await app.reload();
  await expect(app.getByTestId('compare-full-y')).toBeChecked();
  await expect.poll(yMin).toBeLessThanOrEqual(first);

  await app.getByTestId('compare-full-y').uncheck();
  await expect(app).not.toHaveURL(/y=full/);
  await expect.poll(yMin).toBeGreaterThan(first / 2);
});

test('names the runs that stopped early, in the legend and under the final figures', async ({ app, server }) => {
  const done = await launchAndWait(server, cliffExperiment('cliff finished', undefined, { seeds: 2 }));
  // A long run, cancelled once it has stored some episodes: it ends partway.
  const long = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('cliff stopped', undefined, { seeds: 1, episodes: 100_000_000 }) });
  const list = async () => (await call<RunPage>(server, 'runs.list', { experimentId: long.experimentId })).runs;
  await expect.poll(async () => (await list())[0]!.episodesDone, { timeout: 30_000 }).toBeGreaterThan(0);
  await call(server, 'runs.cancel', { ids: long.runIds });
  await expect.poll(async () => (await list())[0]!.status, { timeout: 30_000 }).toBe('cancelled');
  const [stopped] = await list();

  await openScreen(app, `#/compare?experiments=${done.experimentId},${long.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  const note = app.getByTestId('partial-runs');
  await expect(note).toContainText('One run has not played all its episodes');
  await expect(note.getByTestId('partial-run')).toHaveCount(1);
  const item = note.locator(`[data-run="${stopped!.id}"]`);
  await expect(item).toContainText(`run #${stopped!.id} (seed 0): ${stopped!.episodesDone.toLocaleString('en-US')} of 100,000,000 episodes, cancelled`);
  await expect(item.getByRole('link')).toHaveAttribute('href', `#/runs/${stopped!.id}`);
  // The legend counts the group's partial runs; the finished group has none.
  const chart = app.getByTestId('compare-canvas');
  await expect(chart).toHaveAttribute('aria-label', /cliff finished · q-learning \(2 seeds\); cliff stopped · q-learning \(1 seed, 1 partial\)$/);
});

test('counts a configuration and seed once when an experiment was launched twice', async ({ app, server }) => {
  const first = await launchAndWait(server, cliffExperiment('cliff first', undefined, { seeds: 2 }));
  const again = await launchAndWait(server, cliffExperiment('cliff again', undefined, { seeds: 2 }));
  await openScreen(app, `#/compare?experiments=${first.experimentId},${again.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('group-label')).toHaveText('cliff first + cliff again · q-learning');
  await expect(app.getByTestId('compare-group').locator('td').nth(1)).toHaveText('2');
  const note = app.getByTestId('repeated-runs');
  await expect(note).toContainText('Counted once');
  await expect(note.getByTestId('repeated-run')).toHaveText([
    `run #${again.runIds[0]} repeats run #${first.runIds[0]} (seed 0)`,
    `run #${again.runIds[1]} repeats run #${first.runIds[1]} (seed 1)`,
  ]);

  // An unknown run id typed in is refused by name; the valid one beside it is added, and the comparison stays.
  await app.locator('#compare-add-runs').fill(`${first.runIds[0]}, 9999`);
  await app.locator('#compare-add-runs').press('Enter');
  await expect(app.locator('#compare-add-runs-error')).toHaveText(`added 1 run (${first.runIds[0]}); not added: there is no run 9999`);
  // Said as it comes: Enter leaves focus in the box.
  await expect(app.locator('#compare-add-runs-error')).toHaveAttribute('role', 'alert');
  await expect(app.locator('#compare-add-runs')).toHaveValue('9999');
  await expect(app).toHaveURL(new RegExp(`runs=${first.runIds[0]}(&|$)`));
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app).not.toHaveURL(/9999/);
  // A range past the last run names the missing ones once, as a range; a range typed backwards says so.
  const last = Math.max(...first.runIds, ...again.runIds);
  await app.locator('#compare-add-runs').fill(`${last}-${last + 5}`);
  await app.locator('#compare-add-runs').press('Enter');
  await expect(app.locator('#compare-add-runs-error')).toHaveText(`added 1 run (${last}); not added: there are no runs ${last + 1}–${last + 5}`);
  await app.locator('#compare-add-runs').fill(`${last}-${first.runIds[0]}`);
  await app.locator('#compare-add-runs').press('Enter');
  await expect(app.locator('#compare-add-runs-error')).toHaveText(`${last}-${first.runIds[0]} is reversed: write ${first.runIds[0]}-${last}`);

  // The final window is named by its label, and described by its help, or by its problem while the box holds no whole number.
  const finalWindow = app.getByTestId('compare-window');
  await expect(finalWindow).toHaveAccessibleName('Final window');
  await expect(finalWindow).toHaveAccessibleDescription('last episodes');
  await finalWindow.fill('0');
  await expect(finalWindow).toHaveAccessibleName('Final window');
  await expect(finalWindow).toHaveAccessibleDescription('a whole number from 1 to 1,000,000');
  await finalWindow.fill('100');

  // From the keyboard: a chip's × hands focus to the next chip's in its row, and Clear selection to the run-id box (they fell to <body>).
  const remove = (what: string) => app.getByRole('button', { name: `Remove ${what}`, exact: true });
  await remove(`experiment ${first.experimentId}`).focus();
  await app.keyboard.press('Enter');
  await expect(remove(`experiment ${again.experimentId}`)).toBeFocused();
  await remove(`run ${first.runIds[0]}`).focus();
  await app.keyboard.press('Enter');
  await expect(remove(`run ${first.runIds[0]}`)).toHaveCount(0);
  await expect(remove(`run ${last}`)).toBeFocused();
  await app.getByRole('button', { name: 'Clear selection' }).focus();
  await app.keyboard.press('Enter');
  await expect(remove(`run ${last}`)).toHaveCount(0);
  await expect(app.locator('#compare-add-runs')).toBeFocused();
});

test('warns, above the chart and the improvement matrix, when the groups run on different environments', async ({ app, server }) => {
  const cliffRuns = await launchAndWait(server, cliffExperiment('cliff', undefined, { seeds: 2 }));
  const bandit = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 300, seeds: 2 });
  await openScreen(app, `#/compare?experiments=${cliffRuns.experimentId},${bandit.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  const warning = app.getByTestId('compare-environments');
  await expect(warning).toHaveAttribute('data-kind', 'tasks');
  await expect(warning).toContainText('These groups run on different environments (tabular-mdp, bandit-testbed)');
  await expect(app.getByText('a run’s chance to end above another’s compares tasks, not agents')).toBeVisible();
  // Whatever the interval reads, a comparison of tasks gets no green or red, and the cell says why.
  const cells = app.getByTestId('improvement-cell');
  await expect(cells).toHaveCount(2);
  for (const cell of await cells.all()) {
    await expect(cell).toHaveAttribute('data-verdict', 'withheld');
    await expect(cell).not.toHaveClass(/better|worse/);
    await expect(cell).toHaveAttribute('title', /no verdict: the groups run on different environments/);
  }
  await expect(app.locator('#improvement-hint')).toContainText('No verdict is given when a group has fewer than 2 runs');
  // One cliff run against the bandit's two: its zero-width intervals read n/a, and the cells say a group has 1 run.
  await openScreen(app, `#/compare?experiments=${bandit.experimentId}&runs=${cliffRuns.runIds[0]}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  const single = app.locator('[data-testid="compare-group"]').filter({ has: app.getByTestId('group-label').filter({ hasText: 'cliff' }) });
  await expect(single.getByTestId('final-mean-ci')).toHaveText('n/a (1 run)');
  await expect(single.getByTestId('final-iqm-ci')).toHaveText('n/a (1 run)');
  await expect(single.getByTestId('final-mean-ci')).not.toHaveAttribute('data-lo'); // no interval, not lo = hi
  // Nor a band around its curve: the bandit's two seeds have one, and the band option says why the cliff's has none.
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-bands', '1');
  await expect(app.getByTestId('compare-band-one-seed')).toHaveText('none for a group of one seed');
  await expect(app.getByTestId('improvement-cell').first()).toHaveAttribute('title', /no verdict: a group has 1 run, too few to tell a difference from chance/);
  // Two configurations of one environment: no such warning.
  const again = await launchAndWait(server, cliffExperiment('cliff sarsa', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }, { seeds: 2 }));
  await openScreen(app, `#/compare?experiments=${cliffRuns.experimentId},${again.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.getByTestId('compare-environments')).toHaveCount(0);
});

test("a chip and the chart's legend cut a sweep experiment's long name in its middle, keeping the settings that tell it apart", async ({ app, server }) => {
  const names = ['quickstart: cliff walking, q-learning (alpha=0.1, epsilon=0.05)', 'quickstart: cliff walking, q-learning (alpha=0.5, epsilon=0.05)'];
  const ids: number[] = [];
  for (const [i, name] of names.entries()) ids.push((await launchAndWait(server, cliffExperiment(name, { id: 'q-learning', alpha: [0.1, 0.5][i], gamma: 1, epsilon: 0.05 }, { seeds: 1, episodes: 50 }))).experimentId);
  await openScreen(app, `#/compare?experiments=${ids.join(',')}`);
  const chips = app.getByTestId('compare-chip-name');
  await expect(chips).toHaveCount(2);
  for (const [i, chip] of (await chips.all()).entries()) {
    // Retried: a chip shows its number alone until the experiments' names have come.
    await expect(chip).toHaveText(new RegExp(`^#${ids[i]} quickstart: .+… \\(alpha=${[0.1, 0.5][i]}, epsilon=0\\.05\\)$`), { useInnerText: true });
    // Cut in the words, not by the chip's width: nothing of it hidden; the whole name is its tooltip.
    expect(await chip.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(chip).toHaveAttribute('title', names[i]!);
  }
  // The chart's legend cuts them alike, the agent and seeds after the name whole; the legend item
  // under the pointer gives the canvas its whole label as title.
  const canvas = app.getByTestId('compare-canvas');
  const labels = names.map((name) => `${name} · q-learning (1 seed)`);
  await expect(canvas).toHaveAttribute('data-legend', [0.1, 0.5].map((alpha) => `quickstart: c… (alpha=${alpha}, epsilon=0.05) · q-learning (1 seed)`).join(';'));
  const box = (await canvas.boundingBox())!;
  const titles = new Set<string>();
  for (let x = 4; x < box.width; x += 8) {
    await app.mouse.move(box.x + x, box.y + 16);
    titles.add((await canvas.getAttribute('title')) ?? '');
  }
  expect([...titles].filter((t) => t !== '').sort()).toEqual(labels);
  await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(canvas).toHaveAttribute('title', '');
});

test("by keyboard: Tab reaches a toggle per group, Space hides the group's curve and says so, a click on the canvas legend presses its toggle too, and a curve hidden stays hidden across a theme switch", async ({ app, server }) => {
  const ids: number[] = [];
  for (const [name, agent] of [['cliff q-learning', { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 }], ['cliff sarsa', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }]] as const) {
    ids.push((await launchAndWait(server, cliffExperiment(name, agent, { seeds: 1, episodes: 50 }))).experimentId);
  }
  await openScreen(app, `#/compare?experiments=${ids.join(',')}`);
  const canvas = app.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-legend', 'cliff q-learning · q-learning (1 seed);cliff sarsa · sarsa (1 seed)');
  const legend = app.getByTestId('compare-canvas-legend');
  const q = legend.getByRole('button', { name: 'cliff q-learning · q-learning (1 seed)' });
  const sarsa = legend.getByRole('button', { name: 'cliff sarsa · sarsa (1 seed)' });
  await expect(q).toHaveAttribute('aria-pressed', 'true');
  await expect(sarsa).toHaveAttribute('aria-pressed', 'true');
  // Out of sight until focus comes in: the chart looks as it did.
  expect((await legend.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
  await app.getByRole('heading', { level: 1 }).focus();
  for (let i = 0; i < 60 && !(await q.evaluate((b) => b === document.activeElement)); i++) await app.keyboard.press('Tab');
  await expect(q).toBeFocused();
  expect((await legend.boundingBox())?.width ?? 0).toBeGreaterThan(100);
  await app.keyboard.press('Space');
  await expect(q).toHaveAttribute('aria-pressed', 'false');
  await expect(canvas).toHaveAttribute('data-hidden', 'cliff q-learning · q-learning (1 seed)');
  await app.keyboard.press('Tab');
  await expect(sarsa).toBeFocused();
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Space');
  await expect(q).toHaveAttribute('aria-pressed', 'true');
  await expect(canvas).toHaveAttribute('data-hidden', '');
  // The other way: a click on the canvas legend (along its row, until one lands on an item) releases that group's toggle.
  await app.getByRole('heading', { level: 1 }).focus();
  expect(await clickCanvasLegend(app, canvas)).toBe('cliff q-learning · q-learning (1 seed)');
  await expect(q).toHaveAttribute('aria-pressed', 'false');
  await expect(sarsa).toHaveAttribute('aria-pressed', 'true');
  // A theme switched makes the chart anew (its colours are its options): the hidden curve came back,
  // where a refresh of the data keeps it hidden. Both ways, light to dark and back.
  await inEachTheme(app, canvas, async () => {
    await expect(canvas).toHaveAttribute('data-hidden', 'cliff q-learning · q-learning (1 seed)');
    await expect(q).toHaveAttribute('aria-pressed', 'false');
    await expect(sarsa).toHaveAttribute('aria-pressed', 'true');
  });
});

test('warns when the groups trained for different numbers of episodes', async ({ app, server }) => {
  const long = await launchAndWait(server, cliffExperiment('cliff long', undefined, { seeds: 2, episodes: 200 }));
  const short = await launchAndWait(server, cliffExperiment('cliff short', undefined, { seeds: 2, episodes: 50 }));
  await openScreen(app, `#/compare?experiments=${long.experimentId},${short.experimentId}`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.getByTestId('compare-training-lengths')).toContainText('These groups trained for different numbers of episodes (50 and 200)');
  await expect(app.getByTestId('compare-training-lengths')).toContainText('Compare them at a common episode count');
});

test('runs picked by number refresh while they train, as a whole experiment does', async ({ app, server }) => {
  // The shop with the random agent plays on the JavaScript loop: a hundred million sessions train
  // for far longer than the test (two million finished within it once), and are cancelled at its end.
  const experiment = { format: 'aisle.experiment/v1', name: 'live by number', env: { id: 'shop', exact: true, actionLevel: 'category', slateSize: 2 }, agent: { id: 'random' }, episodes: 100_000_000, seeds: 1 };
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment });
  const id = runIds[0]!;
  try {
    await expect.poll(async () => (await call<{ episodesDone: number }>(server, 'runs.get', { id })).episodesDone).toBeGreaterThan(0);
    let asked = 0;
    app.on('request', (r) => void (r.url().includes('compare.runs') && asked++));
    await openScreen(app, `#/compare?runs=${id}`);
    await expect(app.getByTestId('compare-canvas')).toHaveAttribute('data-drawn', /\d+/);
    // Progress alone (no status change while it trains) asks for the comparison again, at most every 1.5 s.
    await expect.poll(() => asked, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const { status } = await call<{ status: string }>(server, 'runs.get', { id });
    expect(status).toBe('running');
  } finally {
    await call(server, 'runs.cancel', { ids: [id] });
  }
});

test('with the server stopped, Compare says Aisle is not reachable, in the app’s words, and does not also say it is loading', async ({ app, server }) => {
  await openScreen(app, '#/experiments');
  await expect(app.getByTestId('experiments')).toBeVisible();
  await stopServer(server);
  await expect(app.getByTestId('connection-lost')).toBeVisible({ timeout: 15_000 });
  await openScreen(app, '#/compare');
  await expect(app.getByTestId('compare-experiments-error')).toHaveText(/^Aisle is not reachable \(.+\): was it stopped\? Start it again and open the new link it prints\.$/);
  await expect(app.getByText('Loading experiments…')).toHaveCount(0);
  expect(await app.locator('main').innerText()).not.toContain('`');
});

test('Save report and Save chart wait for the comparison of the selection in the address, and stay on while the same selection refreshes', async ({ app, server }) => {
  const one = await launchAndWait(server, cliffExperiment('cliff one', undefined, { seeds: 1, episodes: 50 }));
  const two = await launchAndWait(server, cliffExperiment('cliff two', { id: 'sarsa', alpha: 0.5, gamma: 1, epsilon: 0.1 }, { seeds: 1, episodes: 50 }));
  const report = app.getByTestId('compare-save-report');
  const chart = app.getByTestId('compare-save-chart');
  await openScreen(app, `#/compare?experiments=${one.experimentId}`);
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-groups', '1');
  await expect(report).not.toHaveAttribute('aria-disabled');

  // The comparison's replies held until released: the screen still draws the last one meanwhile.
  const held: (() => void)[] = [];
  const release = () => held.splice(0).forEach((resolve) => resolve());
  await app.route(/compare\.runs/, async (route) => {
    await new Promise<void>((resolve) => held.push(resolve));
    await route.continue();
  });
  const asked = app.waitForRequest(/compare\.runs/);
  await openScreen(app, `#/compare?experiments=${one.experimentId},${two.experimentId}`);
  await asked;
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-groups', '1');
  // That one is the first experiment's alone: saved now, it would go out under both names.
  for (const button of [report, chart]) await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(app.getByTestId('compare-save-blocker')).toHaveText('The comparison is still loading.');
  release();
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-groups', '2');
  await expect(report).not.toHaveAttribute('aria-disabled');

  // A refresh of the same selection (one of its experiments renamed) keeps both buttons on while it loads.
  const refreshed = app.waitForRequest(/compare\.runs/);
  await call(server, 'experiments.update', { id: two.experimentId, name: 'cliff two renamed' });
  await refreshed;
  for (const button of [report, chart]) await expect(button).not.toHaveAttribute('aria-disabled');
  const [file] = await Promise.all([app.waitForEvent('download'), report.click()]);
  expect(file.suggestedFilename()).toBe(`aisle-compare-${one.experimentId}-${two.experimentId}.md`);
  await expect(app.getByTestId('compare-saved')).toHaveText(`Report on 2 groups saved to your downloads (aisle-compare-${one.experimentId}-${two.experimentId}.md).`);
  release();
  await expect(app.getByTestId('group-label')).toContainText(['cliff two renamed']);
});

test('24 groups: each its own colour or dash, and a legend that lists them all above a plot of its usual height', async ({ app, server }) => {
  test.setTimeout(120_000);
  const ids: number[] = [];
  for (let i = 0; i < 24; i++) {
    const epsilon = (i + 1) / 100;
    const experiment = { format: 'aisle.experiment/v1', name: `eps ${epsilon}`, env: { id: 'bandit-testbed' }, agent: { id: 'epsilon-greedy', epsilon }, episodes: 30, seeds: 1 };
    ids.push((await launchAndWait(server, experiment)).experimentId);
  }
  await openScreen(app, `#/compare?experiments=${ids.join(',')}`);
  const canvas = app.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-legend', /^(?:[^;]+;){23}[^;]+$/);
  // Chart.js gives a legend half the chart at most and drops what does not fit (21 of 24 were listed).
  await expect(canvas).toHaveAttribute('data-legend-fits', 'true');
  const { height } = (await canvas.boundingBox())!;
  expect(height).toBeGreaterThan(400);
  // The 21st group repeats the first's colour, dashed: its swatch is striped, the first's plain.
  const swatches = app.getByTestId('compare-summary').locator('.swatch');
  await expect(swatches).toHaveCount(24);
  expect(await swatches.nth(0).evaluate((el) => el.style.background)).not.toContain('gradient');
  expect(await swatches.nth(20).evaluate((el) => el.style.background)).toContain('repeating-linear-gradient');
  const colors = await swatches.evaluateAll((els) => els.slice(0, 20).map((el) => (el as HTMLElement).style.background));
  expect(new Set(colors).size).toBe(20);
});

test('a long selection of runs shows its first chips and a button for the rest', async ({ app, server }) => {
  const { runIds } = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'many seeds', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 20, seeds: 30 });
  await openScreen(app, `#/compare?runs=${runIds.join(',')}`);
  const chips = app.locator('.compare-picker-runs').filter({ hasText: 'Single runs:' }).locator('.chip');
  await expect(chips).toHaveCount(20);
  const fold = app.getByTestId('compare-runs-fold');
  await expect(fold).toHaveText('+ 10 more runs');
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await fold.click();
  await expect(chips).toHaveCount(30);
  await expect(fold).toHaveText('show fewer');
  // Every run is compared whatever the chips show.
  await expect(app.getByTestId('group-runs')).toHaveText('30');
});

test('run ids typed in that are no run are refused without a failed request in the console, and an edit clears the refusal', async ({ app, server }) => {
  const runs = await launchAndWait(server, cliffExperiment('cliff', undefined, { seeds: 1 }));
  const failed: string[] = [];
  app.on('console', (m) => {
    if (m.type() === 'error') failed.push(m.text());
  });
  await openScreen(app, '#/compare');
  const box = app.locator('#compare-add-runs');
  await box.fill(`${runs.runIds[0]}, 9999`);
  await box.press('Enter');
  await expect(app.locator('#compare-add-runs-error')).toHaveText(`added 1 run (${runs.runIds[0]}); not added: there is no run 9999`);
  await expect(box).toHaveAttribute('aria-invalid', 'true');
  // Each id was looked up; none that is no run answered 404 (a "Failed to load resource" per id).
  expect(failed).toEqual([]);
  // The refusal described the text before the edit: emptied, or changed, the box is no longer said wrong.
  await box.fill('');
  await expect(app.locator('#compare-add-runs-error')).toHaveCount(0);
  await expect(box).not.toHaveAttribute('aria-invalid', 'true');
  await box.fill('0');
  await box.press('Enter');
  await expect(app.locator('#compare-add-runs-error')).toContainText('not a run id: 0');
  await box.pressSequentially('1');
  await expect(app.locator('#compare-add-runs-error')).toHaveCount(0);
});

test("groups whose lines lie on one another: each swatch beside them shows its line's dashes as drawn, in turn with the others'", async ({ app, server }) => {
  // The chart drew such lines in alternating dashes of their colours, while the tables' swatches showed plain colour.
  const ids: number[] = [];
  for (const epsilon of [0.1, 0.3]) {
    const experiment = { format: 'aisle.experiment/v1', name: `eps ${epsilon}`, env: { id: 'bandit-testbed' }, agent: { id: 'epsilon-greedy', epsilon }, episodes: 30, seeds: 2 };
    ids.push((await launchAndWait(server, experiment)).experimentId);
  }
  // A bandit's episode is one step: every group's length is 1 throughout, one line.
  await openScreen(app, `#/compare?experiments=${ids.join(',')}&metric=length`);
  await expect(app.getByTestId('compare-identical')).toHaveText(/^Both groups have identical curves: /);
  const swatches = (table: string) =>
    app
      .getByTestId(table)
      .locator('.swatch')
      .evaluateAll((els) => els.map((el) => ({ dash: (el as HTMLElement).dataset.dash ?? '', background: (el as HTMLElement).style.background })));
  const summary = await swatches('compare-summary');
  // Each its colour 6 px, then 6 px of the other's turn; the second's dash starts where the first's ends.
  expect(summary.map((s) => s.dash)).toEqual(['6 6', '6 6']);
  expect(summary[0]!.background).toMatch(/^repeating-linear-gradient\(90deg, rgb\([^)]+\) 0px, rgb\([^)]+\) 6px, transparent 6px, transparent 12px\)$/);
  expect(summary[1]!.background).toMatch(/^repeating-linear-gradient\(90deg, rgb\([^)]+\) -6px, rgb\([^)]+\) 0px, transparent 0px, transparent 6px\)$/);
  // The matrix's and the configuration's swatches alike.
  expect((await swatches('improvement-matrix')).map((s) => s.dash)).toEqual(['6 6', '6 6', '6 6', '6 6']);
  expect((await swatches('config-diff')).map((s) => s.dash)).toEqual(['6 6', '6 6', '6 6', '6 6']);
  // The return's lines part: solid again.
  await openScreen(app, `#/compare?experiments=${ids.join(',')}&metric=return`);
  await expect(app.getByTestId('compare-identical')).toHaveCount(0);
  await expect.poll(async () => (await swatches('compare-summary')).map((s) => s.dash)).toEqual(['', '']);
});

test('pairs two agents on the same environment and seeds by seed, and "Pair by seed" turns it off in the address', async ({ app, server }) => {
  const bandit = (name: string, agent: Record<string, unknown>) => ({ format: 'aisle.experiment/v1', name, env: { id: 'bandit-testbed' }, agent, episodes: 300, seeds: 6 });
  const ucb = await launchAndWait(server, bandit('ucb', { id: 'ucb1' }));
  const greedy = await launchAndWait(server, bandit('greedy', { id: 'epsilon-greedy', epsilon: 0.1 }));
  await openScreen(app, `#/compare?experiments=${ucb.experimentId},${greedy.experimentId}`);
  const cells = app.getByTestId('improvement-cell');
  await expect(cells).toHaveCount(2);
  await expect(app.getByTestId('compare-paired')).toBeChecked();
  for (const cell of await cells.all()) await expect(cell).toHaveAttribute('data-test', 'paired');
  await expect(cells.first().getByTestId('improvement-paired')).toContainText('Δ ');
  // Δ on its own line under P, as the verdict word under it: beside P a cell was twice as wide, the row labels squeezed to a word a line at 900 px.
  await expect(cells.first().getByTestId('improvement-paired')).toHaveCSS('display', 'block');
  await expect(app.getByTestId('improvement-pairing')).toContainText('“ucb · ucb1”–“greedy · epsilon-greedy”: paired by seed (6 pairs): Wilcoxon signed-rank p = ');
  // Off: every pair unpaired, said so, and kept in the address.
  await app.getByTestId('compare-paired').uncheck();
  await expect(app).toHaveURL(/[?&]pair=off/);
  for (const cell of await cells.all()) await expect(cell).toHaveAttribute('data-test', 'unpaired');
  await expect(app.getByTestId('improvement-paired')).toHaveCount(0);
  await expect(app.getByTestId('improvement-pairing')).toHaveText('“ucb · ucb1”–“greedy · epsilon-greedy”: unpaired: Mann–Whitney (pairing turned off)');
  await app.reload();
  await expect(app.getByTestId('compare-paired')).not.toBeChecked();
  await expect(cells.first()).toHaveAttribute('data-test', 'unpaired');
  await app.getByTestId('compare-paired').check();
  await expect(app).not.toHaveURL(/pair=off/);
  await expect(cells.first()).toHaveAttribute('data-test', 'paired');
});

// Past 100 experiments the picker lists a page, read for its filter where the experiments are
// stored (it read every experiment and filtered them in the page): the filter, the count, Next, and
// a chosen experiment of another page named in its chip, read by its number.
test('the picker’s filter and pages read the experiments’ pages: what matches, its count, the next page, and a chosen one elsewhere named', async ({ app, server }) => {
  test.setTimeout(120_000);
  const toy = { format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', stepsPerEpisode: 5 }, agent: { id: 'sarsa' }, episodes: 2, seeds: 1, checkpoints: 0 };
  const alphas = Array.from({ length: 51 }, (_, i) => ((i + 1) * 9) / 1000);
  // Two sweeps (at most 64 experiments each), of 2 and 3 episodes: 102 experiments.
  const launched: { experimentId: number; name: string }[] = [];
  for (const episodes of [2, 3]) {
    const one = await call<{ experiments: { experimentId: number; name: string }[] }>(server, 'experiments.launchSweep', { experiment: { ...toy, episodes }, sweep: [{ path: 'agent.alpha', values: alphas }] });
    launched.push(...one.experiments);
  }
  const sweep = { experiments: launched };
  const ids = sweep.experiments.map((e) => e.experimentId).sort((a, b) => b - a);
  const oldest = ids.at(-1)!;
  const requests: string[] = [];
  app.on('request', (r) => void (r.url().includes('/api/call/experiments.') && requests.push(`${r.url().replace(/^.*\/api\/call\//, '')} ${r.postData() ?? ''}`)));
  await openScreen(app, `#/compare?experiments=${oldest}`);
  await expect(app.getByTestId('compare-exp-total')).toHaveText('1–100 of 102 experiments');
  await expect(app.getByTestId(`compare-exp-${ids[0]}`)).toBeVisible();
  await expect(app.getByTestId(`compare-exp-${oldest}`)).toHaveCount(0);
  // The oldest, checked, is on the second page: its chip names it all the same.
  await expect(app.getByTestId('compare-chip-name')).toHaveText(`#${oldest} ${sweep.experiments.find((e) => e.experimentId === oldest)!.name}`);
  await app.getByTestId('next-page').click();
  await expect(app.getByTestId('compare-exp-total')).toHaveText('101–102 of 102 experiments');
  await expect(app.getByTestId(`compare-exp-${oldest}`)).toBeChecked();
  await app.getByTestId('compare-exp-filter').fill('alpha=0.09');
  // α 0.09 and 0.099, of each sweep: every name holding the text, as the Experiments search finds them.
  const matching = sweep.experiments.filter((e) => e.name.includes('alpha=0.09'));
  await expect(app.getByTestId('compare-exp-total')).toHaveText(`1–${matching.length} of ${matching.length} experiments`);
  await expect(app.locator('.compare-picker-list tbody tr')).toHaveCount(matching.length);
  await app.getByTestId('compare-exp-filter').fill('no such experiment');
  await expect(app.getByTestId('compare-exp-none')).toHaveText('No experiment matches “no such experiment”.');
  // Never every experiment: their pages, and the chosen one by its number.
  expect(requests.filter((r) => r.startsWith('experiments.list') && !r.includes('"ids"'))).toEqual([]);
  expect(requests.some((r) => r.startsWith('experiments.page') && r.includes('"search":"alpha=0.09"'))).toBe(true);
});
