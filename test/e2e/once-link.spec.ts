// The link Aisle opens in a browser itself carries a one-time code, not the token, and the browser is
// given it in a page only this user can read: a browser's command line is readable by every local
// user for as long as it runs. The page trades the code for the token and works as from the printed
// link; the same link used again is refused with what to do.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliffExperiment, call, expect, startServer, stopServer, test } from './fixtures';

test('the link Aisle opens works once, without the token in it; used again it says to open the printed link', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisle-once-'));
  const opened = join(dir, 'opened.txt');
  // A stand-in for the desktop's opener: keeps what Aisle gave it. Its xdg-mime names no snap.
  writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'xdg-mime'), '#!/bin/sh\necho chromium.desktop\n', { mode: 0o755 });
  const server = await startServer(dir, 0, dir);
  try {
    await expect.poll(() => existsSync(opened) && readFileSync(opened, 'utf8').length > 0, { timeout: 20_000 }).toBe(true);
    const page = readFileSync(opened, 'utf8');
    expect(page).toMatch(/^file:\/\/.*\/user-data\/browser-open\/open-\d+\.html$/);
    const link = /<a href="([^"]*)">/.exec(readFileSync(fileURLToPath(page), 'utf8'))![1]!;
    expect(link).toMatch(/#once=[A-Za-z0-9_-]+$/);
    expect(link).not.toContain(server.token);
    await call(server, 'experiments.launch', { experiment: cliffExperiment('seen through the one-time link', undefined, { seeds: 1, episodes: 20 }) });

    // The page opened as the browser opens it leads to the link.
    await app.goto(page);
    await app.waitForURL((url) => url.origin === server.origin, { waitUntil: 'load' });
    await app.goto(`${server.origin}/#/experiments`);
    await expect(app.getByTestId('experiment-row').filter({ hasText: 'seen through the one-time link' })).toHaveCount(1);
    // The code is gone from the address bar and history; a reload goes on with the token it was traded for.
    expect(app.url()).not.toContain('once=');
    await app.reload();
    await expect(app.getByTestId('experiment-row').filter({ hasText: 'seen through the one-time link' })).toHaveCount(1);
    // The same link opened again in this tab (only the fragment changes): refused, the tab goes on.
    await app.goto(link);
    await expect(app.getByTestId('connection-lost')).toHaveCount(0);
    await call(server, 'experiments.launch', { experiment: cliffExperiment('launched after', undefined, { seeds: 1, episodes: 20 }) });
    await app.goto(`${server.origin}/#/experiments`);
    await expect(app.getByTestId('experiment-row').filter({ hasText: 'launched after' })).toHaveCount(1);

    // Anyone else who read it (another window, another user) is refused, and told what to do.
    const other = await app.context().browser()!.newContext();
    try {
      const page = await other.newPage();
      await page.goto(link);
      await expect(page.getByRole('alert')).toHaveText('AisleThis one-time link was used already or has expired: open the link Aisle printed in its terminal.');
      expect(page.url()).not.toContain('once=');
    } finally {
      await other.close();
    }
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tab opened without the link (a Ctrl+click on an in-app link) uses the token the last tab was given; a tab with none says to open the link, and takes it when pasted in', async ({ app, server }) => {
  await expect(app.getByTestId('app-info')).toHaveText(/ · browser mode · /);
  const opened = await app.context().newPage();
  await opened.goto(`${server.origin}/#/runs`);
  await expect(opened.getByTestId('app-info')).toHaveText(/ · browser mode · /);
  await expect(opened.getByTestId('connection-lost')).toHaveCount(0);

  const other = await app.context().browser()!.newContext();
  try {
    const page = await other.newPage();
    await page.goto(`${server.origin}/#/runs`);
    await expect(page.getByRole('alert')).toHaveText('AisleThis page needs the link Aisle printed when it started (it carries the token of that launch): open that link, here or in another tab.');
    // The printed link pasted into the same tab: only the fragment changes, and the page takes it.
    await page.goto(server.url);
    await expect(page.getByTestId('app-info')).toHaveText(/ · browser mode · /);
  } finally {
    await other.close();
  }
});
