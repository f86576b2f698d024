/**
 * A chart's legend from the e2e specs: clicked on its canvas, and kept across a theme switch (a
 * theme switched makes the chart anew: its colours are its options).
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Clicks along the top row of `canvas`'s legend, 8 px at a time from its left, until a click lands
 * on an item and hides or shows its curve (the canvas's data-hidden changes); data-hidden then.
 */
export async function clickCanvasLegend(page: Page, canvas: Locator): Promise<string> {
  const before = (await canvas.getAttribute('data-hidden')) ?? '';
  const box = (await canvas.boundingBox())!;
  let hidden = before;
  for (let x = 4; x < box.width && hidden === before; x += 8) {
    await page.mouse.click(box.x + x, box.y + 16);
    // Chart.js handles a canvas's events at the next animation frame: read before it, a click that
    // hid the curve read as a miss, and the next click, on the same item, showed the curve again.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    hidden = (await canvas.getAttribute('data-hidden')) ?? '';
  }
  return hidden;
}

/** Switches the theme to Dark and back to Light, each time running `check` once the new chart has drawn. */
export async function inEachTheme(page: Page, canvas: Locator, check: () => Promise<void>): Promise<void> {
  const theme = page.getByRole('combobox', { name: 'Theme' });
  for (const scheme of ['Dark', 'Light']) {
    const ticks = (await canvas.getAttribute('data-tick-color'))!;
    await theme.selectOption(scheme);
    // Drawn by the new chart: its ticks in the theme's colour (the same draw writes data-hidden).
    await expect(canvas).not.toHaveAttribute('data-tick-color', ticks);
    await check();
  }
}
