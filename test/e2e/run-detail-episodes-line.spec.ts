// Run detail's episodes field: the count ("10,000 / 10,000") on one line to the right of its progress
// bar at every width the layout test measures. In a 1000 px window the field's column is ~163 px, less
// than the bar's 120 px, the gap and the count together, and the whole count wrapped under the bar (at
// 800 px too). The bar now gives way down to 40 px; a count too wide even for that (100,000,000
// episodes at 1000 px) goes under it, but whole and inside its field.
import type { Page } from '@playwright/test';
import { drawnSettled, launchAndWait, openScreen, type Launched } from './arrange';
import { call, expect, test } from './fixtures';

const WIDTHS = [1280, 1000, 800, 600] as const;
const MIN_BAR = 40;
const GAP = 8;

const toy = (episodes: number) => ({ format: 'aisle.experiment/v1', name: `toy of ${episodes}`, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes, seeds: 1 });

/** Where the count and the bar lie: the count's lines, and how it stands against the bar and its field. */
function placed(page: Page) {
  return page.locator('[data-testid=run-detail] .header-kv [data-testid=episodes-done]').evaluate((count) => {
    const bar = count.parentElement!.querySelector('[data-testid=run-progress]')!.getBoundingClientRect();
    const field = count.parentElement!.getBoundingClientRect();
    const text = document.createRange();
    text.selectNodeContents(count);
    const rects = [...text.getClientRects()].filter((r) => r.width > 0);
    const box = text.getBoundingClientRect();
    return {
      text: count.textContent!,
      lines: new Set(rects.map((r) => Math.round(r.top))).size,
      beside: box.left >= bar.right && box.top < bar.bottom && box.bottom > bar.top,
      inField: box.right <= field.right + 0.5,
      room: field.width - box.width,
      bar: bar.width,
      widths: `field ${Math.round(field.width)}, bar ${Math.round(bar.width)}, count ${Math.round(box.width)}`,
    };
  });
}

test("the episodes field's count stays whole on one line, to the right of its bar where it fits, from 1280 to 600 px", async ({ app, server }) => {
  const done = await launchAndWait(server, toy(10_000));
  // The widest count a run shows: a running run of 100,000,000 episodes (it need not finish).
  const long = await call<Launched>(server, 'experiments.launch', { experiment: toy(100_000_000) });
  for (const [runId, shown] of [
    [done.runIds[0]!, /^10,000 \/ 10,000$/],
    [long.runIds[0]!, /^[\d,]+ \/ 100,000,000$/],
  ] as const) {
    await openScreen(app, `#/runs/${runId}`);
    await expect(app.locator('.header-kv [data-testid=episodes-done]')).toHaveText(shown);
    for (const width of WIDTHS) {
      await app.setViewportSize({ width, height: 860 });
      // The curves redraw for the new width (a chart's canvas is sized by script, a frame or two on).
      await drawnSettled(app);
      const at = await placed(app);
      const where = `run ${runId}'s "${at.text}" at ${width} px (${at.widths})`;
      expect.soft(at.lines, `${where}: on one line`).toBe(1);
      expect.soft(at.inField, `${where}: inside its field`).toBe(true);
      // Beside its bar wherever the field leaves the bar its least width: 10,000 / 10,000 at every width.
      if (runId === done.runIds[0] || at.room >= MIN_BAR + GAP) {
        expect.soft(at.beside, `${where}: to the right of its bar, on its line`).toBe(true);
        expect.soft(at.bar, `${where}: its bar's width`).toBeGreaterThanOrEqual(MIN_BAR - 0.5);
      }
    }
  }
});
