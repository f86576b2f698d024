// Focus on arrival at a screen, done once for every screen in the app: following a link (run
// detail's Q-table link, the sidebar), a button or Back and Forward moves focus to the new screen's
// main heading, which a screen reader then reads; a screen that names its own target keeps it; a
// change of the query within a screen (a filter) leaves focus where the user is.
// And what Tab reaches is ringed, visibly, on the dark sidebar and on every screen.
import type { Page } from '@playwright/test';
import { launchAndWait, openScreen } from './arrange';
import { cliffExperiment, expect, test } from './fixtures';

/** What has focus, as "h1: its text" (its tag and text), "body" when focus was dropped. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (a === null || a === document.body) return 'body';
    return `${a.tagName.toLowerCase()}: ${(a.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 100)}`;
  });
}

const SIDEBAR = [
  ['Off-policy', 'Off-policy'],
  ['Runs', 'Runs'],
  ['Compare', 'Compare'],
  ['Q-tables', 'Q-tables'],
  ['Policies', 'Policies'],
  ['Experiments', 'Experiments'],
] as const;

test('arriving at a screen by a link, the sidebar or Back and Forward: its heading has focus', async ({ app, server }) => {
  test.setTimeout(90_000);
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff for focus', undefined, { seeds: 1, checkpoints: 2 }));
  const id = runIds[0]!;

  // A run's page loads before its heading exists: the heading takes focus once it does.
  await openScreen(app, `#/runs/${id}`);
  await expect.poll(() => focused(app)).toBe(`h1: Run ${id} completed`);

  // Run detail's "Q-table" link, by keyboard: the link goes with its screen, and the Q-tables
  // heading (no tabindex of its own) takes focus without becoming a Tab stop.
  await app.getByRole('link', { name: 'Q-table', exact: true }).focus();
  await app.keyboard.press('Enter');
  // (Q-tables may then add the checkpoint it shows, &ca=…, to the address.)
  await expect(app).toHaveURL(new RegExp(`#/qtables\\?a=${id}(&|$)`));
  await expect.poll(() => focused(app)).toBe('h1: Q-tables');
  await expect(app.getByRole('heading', { level: 1, name: 'Q-tables' })).toHaveAttribute('tabindex', '-1');

  // Back to the run, Forward to Q-tables again.
  await app.goBack();
  await expect(app).toHaveURL(new RegExp(`#/runs/${id}$`));
  await expect.poll(() => focused(app)).toBe(`h1: Run ${id} completed`);
  await app.goForward();
  await expect.poll(() => focused(app)).toBe('h1: Q-tables');

  // Every sidebar link, by keyboard and by mouse: focus leaves the link for the heading.
  const sidebar = app.getByRole('navigation', { name: 'Screens' });
  for (const [link, heading] of SIDEBAR) {
    await sidebar.getByRole('link', { name: link, exact: true }).focus();
    await app.keyboard.press('Enter');
    await expect.poll(() => focused(app), `after the sidebar's ${link}`).toBe(`h1: ${heading}`);
  }
  for (const [link, heading] of SIDEBAR) {
    await sidebar.getByRole('link', { name: link, exact: true }).click();
    await expect.poll(() => focused(app), `after a click on the sidebar's ${link}`).toBe(`h1: ${heading}`);
  }
  // From the heading the keyboard carries on into the screen, not from the top of the window:
  // the search of the experiments, then Import results… and New experiment beside it, in the
  // order they are shown. (The search comes with the list: until the list has arrived, Tab from
  // the heading goes to Import results….)
  await app.getByTestId('experiments-search').waitFor();
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('experiments-search')).toBeFocused();
  await app.keyboard.press('Tab');
  expect(await focused(app)).toBe('button: Import results…');
  await app.keyboard.press('Tab');
  expect(await focused(app)).toBe('a: New experiment');

  // Back from Experiments to Policies (the previous screen).
  await app.goBack();
  await expect(app).toHaveURL(/#\/policies$/);
  await expect.poll(() => focused(app)).toBe('h1: Policies');
});

test('Compare’s Save chart and Save report keep focus once saved (disabled while saving, they dropped it to <body>)', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('cliff for saving', undefined, { seeds: 2, episodes: 50 }));
  await openScreen(app, `#/compare?experiments=${experimentId}`);
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-groups', '1');
  for (const [id, name] of [['compare-save-chart', 'Save chart'], ['compare-save-report', 'Save report']] as const) {
    await expect(app.getByTestId(id)).not.toHaveAttribute('aria-disabled');
    await app.getByTestId(id).focus();
    await Promise.all([app.waitForEvent('download'), app.keyboard.press('Enter')]);
    await expect(app.getByTestId('compare-saved')).toContainText('saved to your downloads');
    await expect.poll(() => focused(app), `after ${name}`).toBe(`button: ${name}`);
  }
});

test('a screen that names its own target keeps it; a query change within a screen leaves focus alone', async ({ app }) => {
  // An unknown address has no heading: its message takes focus.
  await app.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Runs', exact: true }).focus();
  await openScreen(app, '#/no-such-screen');
  await expect(app.getByTestId('unknown-page')).toContainText('Unknown page “no-such-screen”');
  await expect.poll(() => focused(app)).toBe('p: Unknown page “no-such-screen”. Open a screen from the sidebar.');

  // A run address without a number, and a run that does not exist: no heading, the message takes focus.
  await openScreen(app, '#/runs/abc');
  await expect.poll(() => focused(app)).toMatch(/^p: This address names no run/);
  await openScreen(app, '#/runs/99999');
  await expect.poll(() => focused(app)).toMatch(/^p: Run 99999 does not exist/);

  // Runs: a status filter lives in the query, so checking it keeps focus on the checkbox.
  await openScreen(app, '#/runs');
  await expect.poll(() => focused(app)).toBe('h1: Runs');
  const filter = app.getByTestId('filter-completed');
  await filter.focus();
  await app.keyboard.press('Space');
  await expect(app).toHaveURL(/#\/runs\?status=completed$/);
  await expect(filter).toBeChecked();
  await expect(filter).toBeFocused();

  // The experiment chip's ✕ goes with its click (a query change too): the heading takes focus.
  await openScreen(app, '#/runs?experiment=1');
  const clear = app.getByRole('button', { name: 'Show runs of every experiment' });
  await clear.focus();
  await app.keyboard.press('Enter');
  await expect(clear).toHaveCount(0);
  await expect.poll(() => focused(app)).toBe('h1: Runs');
});

/** The focused element's outline and the colour behind it (the nearest background that is not transparent). */
function ring(page: Page): Promise<{ what: string; style: string; width: number; color: string; behind: string }> {
  return page.evaluate(() => {
    const a = document.activeElement as HTMLElement;
    const cs = getComputedStyle(a);
    let behind = 'rgb(255, 255, 255)';
    for (let el: HTMLElement | null = a; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg !== 'transparent' && !/rgba\(.*, 0\)$/.test(bg)) {
        behind = bg;
        break;
      }
    }
    return { what: `${a.tagName.toLowerCase()}: ${(a.textContent ?? '').trim().slice(0, 40)}`, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, behind };
  });
}

function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('a control reached by Tab is ringed at 3:1 or more against what is behind it: the sidebar, its Theme and Off-policy, in both schemes', async ({ app }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme });
    await openScreen(app, '#/experiments');
    await openScreen(app, '#/off-policy');
    await expect.poll(() => focused(app)).toBe('h1: Off-policy');
    const seen: string[] = [];
    // From the heading: Off-policy's file button, then (past the page's end) the sidebar's links and its Theme.
    for (let i = 0; i < 12 && seen.length < 4; i++) {
      await app.keyboard.press('Tab');
      const r = await ring(app);
      if (!/^(button: Choose a logs file|a: Runs|a: Off-policy|select: )/.test(r.what) || seen.includes(r.what)) continue;
      seen.push(r.what);
      expect(`${r.what}: ${r.style} ${r.width}px`, `${colorScheme}`).toBe(`${r.what}: solid ${Math.max(2, r.width)}px`);
      expect(contrast(r.color, r.behind), `${colorScheme}: ${r.what}: ${r.color} on ${r.behind}`).toBeGreaterThanOrEqual(3);
    }
    expect(seen).toHaveLength(4);
  }
});
