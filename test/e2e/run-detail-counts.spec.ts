// Run detail of a running run names one number of episodes played: the progress bar, the episodes
// field, the Summary's "So far" line and the learning curves in view say the same count at any one
// instant, while the summary itself (read every 2 s) says which of those episodes it is over.
import type { Page } from '@playwright/test';
import type { Launched } from './arrange';
import { openScreen as open } from './arrange';
import { call, expect, test } from './fixtures';

const endlessToy = { format: 'aisle.experiment/v1', name: 'counted toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 };

const count = (text: string) => Number(text.replaceAll(',', ''));

/** What the screen says at one instant: read in one task of the page, so no render falls between the reads. */
function shown(page: Page) {
  return page.evaluate(() => {
    const text = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';
    return {
      bar: document.querySelector('[data-testid="run-detail"] [data-testid="run-progress"]')?.getAttribute('aria-valuenow') ?? '',
      field: text('episodes-done'),
      soFar: text('summary-so-far'),
      // The episodes each learning curve in view is over (one out of view is not read: see curve-snapshot.ts).
      curves: [...document.querySelectorAll('[data-testid="chart-grid"] figure')]
        .filter((f) => {
          const box = f.getBoundingClientRect();
          return box.bottom > 0 && box.top < window.innerHeight;
        })
        .map((f) => f.querySelector('[data-testid="points-note"]')?.textContent ?? '')
        .filter((note) => note !== ''),
    };
  });
}

const SO_FAR = /^So far: over the (?:first ([\d,]+) of the )?([\d,]+) episodes played of 100,000,000\.$/;

test('a running run: the Summary names the episodes played that the progress bar and the episodes field show, at every instant', async ({ app, server }) => {
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy });
  await open(app, `#/runs/${runIds[0]}`);
  await expect(app.getByTestId('summary-so-far')).toBeVisible();
  await expect(app.getByTestId('points-note').first()).toBeVisible();
  // Read with the charts in view, then with them scrolled away (they stop reading their curves then).
  let last = -1;
  for (let i = 0; i < 8; i++) {
    if (i === 4) await app.getByTestId('fingerprint').scrollIntoViewIfNeeded();
    // A new count each time: the progress has moved since the last reading.
    await expect.poll(async () => count((await shown(app)).field.split(' / ')[0]!)).not.toBe(last);
    const now = await shown(app);
    const played = count(now.field.split(' / ')[0]!);
    expect(now.field).toMatch(/^[\d,]+ \/ 100,000,000$/);
    expect(count(now.bar)).toBe(played);
    const soFar = SO_FAR.exec(now.soFar);
    expect(soFar, now.soFar).not.toBeNull();
    expect(count(soFar![2]!), `"${now.soFar}" beside the episodes field's "${now.field}"`).toBe(played);
    // The summary's own episodes, when it is behind, are a first part of those played.
    if (soFar![1] !== undefined) expect(count(soFar![1])).toBeLessThan(played);
    // The curves in view are over those same episodes, every one of them (each read its own, on its own schedule: 361,472 beside 709,632).
    if (i < 4) {
      expect(now.curves.length).toBeGreaterThan(0);
      for (const note of now.curves) expect(note, `a curve beside the episodes field's "${now.field}"`).toMatch(new RegExp(` ${now.field.split(' / ')[0]!} episodes$`));
    }
    last = played;
  }
});
