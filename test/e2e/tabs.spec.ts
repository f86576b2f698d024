// Tabs of one Aisle share one event stream: over HTTP/1.1 Chromium keeps at most 6 connections to
// a host and each open stream holds one, so with a stream per tab the 7th tab's calls never went
// out. Eight tabs all answer and update live, and still do once the tab holding the stream closes.
import type { BrowserContext, Frame, Page } from '@playwright/test';
import { launchAndWait, openScreen } from './arrange';
import { call, cliffExperiment, expect, startServer, stopServer, test } from './fixtures';

/**
 * Loads `page` again and waits until the new page's event stream has been answered. `goto` returns at
 * the load event, and the stream of a page just loaded may go out after it: a route installed then
 * counted that stream too (a busy machine saw two streams held where the test opened one). Only a
 * response after the reload's navigation counts (not the stream of the page being replaced).
 */
async function streamOpen(page: Page): Promise<void> {
  let navigated = false;
  const onNavigated = (frame: Frame) => {
    if (frame === page.mainFrame()) navigated = true;
  };
  page.on('framenavigated', onNavigated);
  try {
    const opened = page.waitForResponse((response) => navigated && response.url().includes('/api/events'));
    await page.reload();
    await opened;
  } finally {
    page.off('framenavigated', onNavigated);
  }
}

/**
 * Holds back each event stream `page` opens until `release`; `held` says how many it has opened. (A
 * fixed hold of 1.5 s left a slow machine to open the stream before the test's change fell in the gap.)
 */
async function holdStreams(page: Page): Promise<{ held: () => number; release: () => void }> {
  let held = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/events**', async (route) => {
    held++;
    await released;
    await route.continue();
  });
  return { held: () => held, release };
}

/** `count` more tabs of `context`, each loaded at `url` (the link Aisle printed). */
async function openTabs(context: BrowserContext, url: string, count: number): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    await tab.goto(url);
    tabs.push(tab);
  }
  return tabs;
}

test('eight tabs of one Aisle all answer and follow new runs live, before and after the tab holding the stream closes', async ({ app, server }) => {
  const tabs = [app, ...(await openTabs(app.context(), server.url, 7))];
  for (const tab of tabs) {
    await openScreen(tab, '#/runs');
    // Each tab's own calls go out: the sidebar's foot is the app.info call's answer.
    await expect(tab.getByTestId('app-info')).toHaveText(/ · browser mode · /);
  }
  // A run launched elsewhere (the CLI, another window) shows in every tab without a reload.
  await call(server, 'experiments.launch', { experiment: cliffExperiment('one', undefined, { seeds: 1, episodes: 20 }) });
  for (const tab of tabs) await expect(tab.getByTestId('run-row')).toHaveCount(1);
  // The first tab subscribed first, so it holds the stream: closed, another tab takes it over.
  await tabs[0]!.close();
  await call(server, 'experiments.launch', { experiment: cliffExperiment('two', undefined, { seeds: 1, episodes: 20 }) });
  for (const tab of tabs.slice(1)) await expect(tab.getByTestId('run-row')).toHaveCount(2);
});

test('tabs sharing the stream all hear that the connection is lost, then that Aisle was restarted; the new link reconnects the tab it is opened in', async ({ app, server }) => {
  // The tabs' clock is Playwright's (flowing as the real one until moved by hand): the check that
  // nothing is tried again moves it past the retries it would make, however slow the machine.
  await app.clock.install();
  await app.reload();
  const tabs = [app, ...(await openTabs(app.context(), server.url, 2))];
  for (const tab of tabs) {
    await openScreen(tab, '#/experiments');
    await expect(tab.getByTestId('experiments')).toBeVisible();
  }
  const port = Number(new URL(server.origin).port);
  await stopServer(server);
  for (const tab of tabs) await expect(tab.getByTestId('connection-lost')).toContainText('Reconnecting…', { timeout: 15_000 });
  const restarted = await startServer(server.dataDir, port);
  try {
    // The tab holding the stream finds its token refused, and says so to the others.
    for (const tab of tabs) await expect(tab.getByTestId('connection-lost')).toHaveText(/^Aisle was restarted: open the new link it printed\./, { timeout: 15_000 });
    // Refused for good: the old link is not tried again every few seconds (each try a 401 in the console).
    // 7 s of the tabs' clock go by at once (a stream was tried again every 3 s, its retry's timer
    // firing in them), then each tab makes a request of its own: a try its timers made went out
    // before it, so it is counted by the time that request is seen.
    const tries: string[] = [];
    const count = (request: { url(): string }) => void (request.url().includes('/api/') && tries.push(request.url()));
    for (const tab of tabs) tab.on('request', count);
    await app.clock.runFor(7000);
    for (const [i, tab] of tabs.entries()) {
      const mark = `/after-the-wait-${i}`;
      await Promise.all([tab.waitForRequest((r) => r.url().endsWith(mark)), tab.evaluate((url) => void fetch(url).catch(() => {}), mark)]);
    }
    for (const tab of tabs) tab.off('request', count);
    expect(tries).toEqual([]);
    await tabs[1]!.goto(restarted.url);
    await expect(tabs[1]!.getByTestId('connection-lost')).toHaveCount(0, { timeout: 15_000 });
    await call(restarted, 'experiments.launch', { experiment: cliffExperiment('after the restart', undefined, { seeds: 1, episodes: 20 }) });
    await expect(tabs[1]!.getByTestId('experiment-row').filter({ hasText: 'after the restart' })).toHaveCount(1);
    // A tab that opens the new link after another did joins that tab's stream: it asks for the
    // stream's state on joining (it would otherwise hear it only when it changes, and kept saying
    // Aisle was restarted), and follows the runs launched from then on.
    await tabs[2]!.goto(restarted.url);
    await expect(tabs[2]!.getByTestId('connection-lost')).toHaveCount(0, { timeout: 15_000 });
    await expect(tabs[2]!.getByTestId('experiment-row').filter({ hasText: 'after the restart' })).toHaveCount(1);
    await call(restarted, 'experiments.launch', { experiment: cliffExperiment('later still', undefined, { seeds: 1, episodes: 20 }) });
    for (const tab of tabs.slice(1)) await expect(tab.getByTestId('experiment-row').filter({ hasText: 'later still' })).toHaveCount(1);
  } finally {
    await stopServer(restarted);
  }
});

test('a screen waits for its tab’s event stream before it reads: what changes while the stream opens is not missed', async ({ app, server }) => {
  // A stream slow to open (a busy server, a slow network): the list is read once it is open, so an
  // experiment renamed in between (by another tab, or `aisle rename`) shows its new name, without a
  // reload. (A rename sends one event, and nothing after it that would read the list again.)
  const { experimentId } = await launchAndWait(server, cliffExperiment('before the reload', undefined, { seeds: 1, episodes: 20 }));
  // The tab alone (so it opens the stream itself), loaded again with its stream held back until the rename is made.
  await streamOpen(app);
  const { held, release } = await holdStreams(app);
  await app.reload();
  await expect.poll(held).toBe(1);
  await call(server, 'experiments.update', { id: experimentId, name: 'renamed while the stream opened' });
  release();
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await expect(row.getByRole('link', { name: 'renamed while the stream opened', exact: true })).toBeVisible();
  await expect(app.getByTestId('connection-lost')).toHaveCount(0);
});

test('without Web Locks (a page on a LAN address over plain HTTP) the tabs elect the holder among themselves: eight all answer and follow, and one takes over when it closes', async ({ app, server }) => {
  // Such a page is not a secure context: navigator.locks is undefined there, as it is made here.
  const context = await app.context().browser()!.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined, configurable: true }));
    const tabs = await openTabs(context, server.url, 8);
    expect(await tabs[0]!.evaluate(() => navigator.locks)).toBeUndefined();
    for (const tab of tabs) {
      await openScreen(tab, '#/runs');
      await expect(tab.getByTestId('app-info')).toHaveText(/ · browser mode · /);
    }
    await call(server, 'experiments.launch', { experiment: cliffExperiment('one', undefined, { seeds: 1, episodes: 20 }) });
    for (const tab of tabs) await expect(tab.getByTestId('run-row')).toHaveCount(1);
    // Each tab closed in turn, the first (the holder) first: another takes the stream over each time.
    for (let i = 0; i < 3; i++) {
      await tabs.shift()!.close();
      await call(server, 'experiments.launch', { experiment: cliffExperiment(`after ${i + 1} closed`, undefined, { seeds: 1, episodes: 20 }) });
      for (const tab of tabs) await expect(tab.getByTestId('run-row')).toHaveCount(2 + i);
    }
  } finally {
    await context.close();
  }
});

test('a tab taking the stream over is sent what was pushed while no tab held it: a rename meanwhile shows', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('before the handover', undefined, { seeds: 1, episodes: 20 }));
  await openScreen(app, '#/experiments');
  const [second] = (await openTabs(app.context(), server.url, 1)) as [Page];
  await openScreen(second, '#/experiments');
  const row = second.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await expect(row.getByRole('link', { name: 'before the handover', exact: true })).toBeVisible();
  // The second tab's own stream, once it takes over, is held back until the rename is made: the rename falls in that gap.
  const { held, release } = await holdStreams(second);
  await app.close();
  await expect.poll(held).toBe(1);
  await call(server, 'experiments.update', { id: experimentId, name: 'renamed during the handover' });
  release();
  // Its stream opens naming the last event it had (from the tab that held it): the server sends the rename.
  await expect(row.getByRole('link', { name: 'renamed during the handover', exact: true })).toBeVisible();
  await expect(second.getByTestId('connection-lost')).toHaveCount(0);
});

test('a stream that does not open within 4 s: the screen shows, the bar says live updates are not coming, and goes once it opens', async ({ app, server }) => {
  await streamOpen(app);
  // The stream is held until the screen has shown and said so, however long that takes (it was held
  // 7 s, and the screen had to show within 6 s of the reload: 2 s for a busy machine to draw it).
  let open = () => {};
  const opens = new Promise<void>((resolve) => (open = resolve));
  let held = 0;
  await app.route('**/api/events**', async (route) => {
    held++;
    await opens;
    await route.continue();
  });
  await app.reload();
  await expect(app.getByRole('heading', { name: 'Experiments', level: 1 })).toBeVisible();
  await expect(app.getByTestId('connection-lost')).toContainText('Lost the connection to Aisle: live updates have stopped');
  expect(held, 'the screen showed while its stream was held').toBe(1);
  await call(server, 'experiments.launch', { experiment: cliffExperiment('launched while held', undefined, { seeds: 1, episodes: 20 }) });
  open();
  // Once the stream opens the connection has come back: the screen reads again, and shows it.
  await expect(app.getByTestId('connection-lost')).toHaveCount(0);
  await expect(app.getByTestId('experiment-row').filter({ hasText: 'launched while held' })).toHaveCount(1);
  expect(held).toBe(1);
});
