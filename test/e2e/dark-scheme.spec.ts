// The dark theme follows the OS's colour scheme (emulated here) unless the sidebar's Theme says
// Light or Dark: the page goes dark, and so do the canvases CSS cannot reach (a line chart's ticks,
// read from the chart as drawn; the Q-table heatmap's header strip, read from its pixels; the
// difference's diverging scale, whose 0 is a dark neutral rather than white).
// Switching the scheme or the choice while a screen is open re-colours them with no reload; the
// choice outlives a reload, and is on the page before the app's own code has run.
import type { Locator, Page } from '@playwright/test';
import { launchAndWait, openScreen } from './arrange';
import { cliffExperiment, expect, test, type AisleServer } from './fixtures';

/** WCAG's relative luminance of a CSS colour written as #rrggbb or rgb()/rgba(): 0 is black, 1 white. */
function luminance(css: string): number {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  const parts = hex ? [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) : (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  if (parts.length !== 3) throw new Error(`not a colour: ${css}`);
  const [r, g, b] = parts.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const themeSelect = (page: Page) => page.getByRole('combobox', { name: 'Theme' });
const pageBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor).then(luminance);
const sidebarBackground = (page: Page) => page.locator('.sidebar').evaluate((e) => getComputedStyle(e).backgroundColor).then(luminance);
const tickColor = (chart: Locator) => chart.getAttribute('data-tick-color').then((c) => luminance(c ?? ''));
/** A finished cliff experiment's first run on Run detail under the OS's `colorScheme`, its return chart drawn. */
async function openReturnChart(app: Page, server: AisleServer, name: string, colorScheme: 'light' | 'dark', seeds: number) {
  const { runIds } = await launchAndWait(server, cliffExperiment(name, undefined, { seeds }));
  await app.emulateMedia({ colorScheme });
  await openScreen(app, `#/runs/${runIds[0]!}`);
  const chart = app.getByTestId('metric-return').locator('canvas[data-drawn]');
  await expect(chart).toBeVisible();
  return { runIds, chart };
}
/**
 * The colour of B − A's 0 on the difference's legend bar: the middle of its gradient, as the page computes it (the
 * heatmap colours its cells from the same stops).
 */
const diffZero = (page: Page) =>
  page
    .getByTestId('qt-legend-diff')
    .locator('.heat-legend-bar')
    .evaluate((bar) => {
      const stops = getComputedStyle(bar).backgroundImage.match(/rgba?\([^)]*\)/g) ?? [];
      return stops[(stops.length - 1) / 2] ?? '';
    })
    .then(luminance);
/** The heatmap's header strip, as drawn: a pixel at its top left. */
const heatmapHeader = (canvas: Locator) =>
  canvas.evaluate((c: HTMLCanvasElement) => {
    const [r, g, b] = c.getContext('2d')!.getImageData(2, 2, 1, 1).data;
    return `rgb(${r}, ${g}, ${b})`;
  }).then(luminance);

test('a dark OS scheme darkens the page, the charts’ ticks and the heatmap, and a switch re-colours them without a reload', async ({ app, server }) => {
  const { runIds, chart } = await openReturnChart(app, server, 'cliff dark', 'dark', 2);
  const [a, b] = runIds as [number, number];
  expect(await pageBackground(app)).toBeLessThan(0.05);
  await expect.poll(() => tickColor(chart)).toBeGreaterThan(0.35);

  // The same page, the scheme switched under it: dark ticks on the light page, then light again.
  // A mark on the document that a reload would wipe.
  await app.evaluate(() => (document.documentElement.dataset.sameLoad = 'yes'));
  await app.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageBackground(app)).toBeGreaterThan(0.8);
  await expect.poll(() => tickColor(chart)).toBeLessThan(0.2);
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => tickColor(chart)).toBeGreaterThan(0.35);
  await expect(app.locator('html')).toHaveAttribute('data-same-load', 'yes');

  // The Q-table heatmap's header strip is drawn on its canvas: dark, then light after a switch.
  await openScreen(app, `#/qtables?a=${a}&b=${b}`);
  const heatmap = app.getByTestId('qt-heatmap-diff').locator('canvas');
  await expect(heatmap).toHaveAttribute('data-drawn', /\d/);
  await expect.poll(() => heatmapHeader(heatmap)).toBeLessThan(0.05);
  // The difference's 0, where two near-equal tables put most of their cells, is a dark neutral on the dark panel: it
  // was the light scheme's near white (luminance 0.93), the table's most glaring cells the least different ones.
  await expect.poll(() => diffZero(app)).toBeLessThan(0.05);
  await expect(app.getByTestId('qt-legend-diff')).toContainText('(dark grey = 0)');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => heatmapHeader(heatmap)).toBeGreaterThan(0.8);
  await expect.poll(() => diffZero(app)).toBeGreaterThan(0.8);
  await expect(app.getByTestId('qt-legend-diff')).toContainText('(white = 0)');
});

test('Dark chosen on a light OS darkens the page, the charts and the heatmap at once, and still after a reload', async ({ app, server }) => {
  const { runIds, chart } = await openReturnChart(app, server, 'cliff dark choice', 'light', 2);
  const [a, b] = runIds as [number, number];
  await expect(themeSelect(app)).toHaveValue('system');
  expect(await pageBackground(app)).toBeGreaterThan(0.8);
  await expect.poll(() => tickColor(chart)).toBeLessThan(0.2);

  await app.evaluate(() => (document.documentElement.dataset.sameLoad = 'yes'));
  await themeSelect(app).selectOption('Dark');
  await expect.poll(() => pageBackground(app)).toBeLessThan(0.05);
  await expect.poll(() => tickColor(chart)).toBeGreaterThan(0.35);
  // Form controls and scrollbars follow the chosen theme, not the OS.
  expect(await app.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
  await expect(app.locator('html')).toHaveAttribute('data-same-load', 'yes');

  await openScreen(app, `#/qtables?a=${a}&b=${b}`);
  const heatmap = app.getByTestId('qt-heatmap-diff').locator('canvas');
  await expect(heatmap).toHaveAttribute('data-drawn', /\d/);
  await expect.poll(() => heatmapHeader(heatmap)).toBeLessThan(0.05);

  await app.reload();
  await expect(themeSelect(app)).toHaveValue('dark');
  expect(await pageBackground(app)).toBeLessThan(0.05);
  await expect(heatmap).toHaveAttribute('data-drawn', /\d/);
  await expect.poll(() => heatmapHeader(heatmap)).toBeLessThan(0.05);
  // Back to System, from the keyboard: the light OS's scheme again, heatmap included.
  await themeSelect(app).focus();
  await app.keyboard.press('Home');
  await expect(themeSelect(app)).toHaveValue('system');
  await expect.poll(() => pageBackground(app)).toBeGreaterThan(0.8);
  await expect.poll(() => heatmapHeader(heatmap)).toBeGreaterThan(0.8);
});

test('System follows the OS both ways; Light holds on a dark OS, before the app’s code has run too', async ({ app }) => {
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(themeSelect(app)).toHaveValue('system');
  await expect.poll(() => pageBackground(app)).toBeLessThan(0.05);
  // The sidebar is darker than the page in the dark theme as in the light one.
  expect(await sidebarBackground(app)).toBeLessThan(await pageBackground(app));
  await app.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageBackground(app)).toBeGreaterThan(0.8);
  expect(await sidebarBackground(app)).toBeLessThan(await pageBackground(app));

  await app.emulateMedia({ colorScheme: 'dark' });
  await themeSelect(app).selectOption('Light');
  await expect.poll(() => pageBackground(app)).toBeGreaterThan(0.8);
  expect(await app.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('light');

  // A reload with the app's scripts refused: what paints first is the stylesheet and the chosen
  // theme alone, and it is light, not the dark OS's scheme that the app would correct a moment later.
  await app.route(/\/assets\/.*\.js$/, (route) => route.abort());
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await pageBackground(app)).toBeGreaterThan(0.8);
  await app.unroute(/\/assets\/.*\.js$/);
});

test('the charts take their colours from the stylesheet, read again when the theme changes', async ({ app, server }) => {
  const { chart } = await openReturnChart(app, server, 'cliff stylesheet', 'light', 1);
  // A dark muted colour the app does not ship: chosen next, Dark draws the chart's ticks in it.
  await app.evaluate(() => document.documentElement.style.setProperty('--muted', 'light-dark(#5f6673, #c0ffee)'));
  await themeSelect(app).selectOption('Dark');
  await expect(chart).toHaveAttribute('data-tick-color', 'rgb(192, 255, 238)');
  await themeSelect(app).selectOption('Light');
  await expect(chart).toHaveAttribute('data-tick-color', 'rgb(95, 102, 115)');
});
