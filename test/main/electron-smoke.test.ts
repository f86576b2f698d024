// The real Electron app, launched by Playwright on the built output with a fresh database. Runs only
// where Electron's binary is installed, better-sqlite3 is built for Electron and there is a display;
// anywhere else the test is reported as skipped with the reason (these machines cannot download the binary).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noDisplayReason } from '../../scripts/electron-display.mjs';
import { electronStatus } from '../../scripts/electron-status.mjs';
import { tempDir } from '../helpers/tmp';

const ROOT = resolve(__dirname, '..', '..');
const status = electronStatus();
const noDisplay = noDisplayReason() !== null;
const reason = !status.ok
  ? status.binary
    ? 'better-sqlite3 has no build for Electron (npm run build:electron-sqlite; see docs/packaging.md)'
    : 'Electron binary not installed (cannot download here)'
  : noDisplay
    ? 'no display for Electron (run under xvfb-run)'
    : null;

describe('the Electron app', () => {
  it.skipIf(reason !== null)(reason === null ? 'launches the built app and shows the window titled Aisle' : `skipped: ${reason}`, async () => {
    const { _electron } = await import('playwright-core');
    const data = tempDir('aisle-electron-');
    // A throwaway userData folder (window-state.json, the one-app lock) on every platform; the database is the --db one.
    const env: Record<string, string> = { ...(process.env as Record<string, string>), AISLE_DB: '', AISLE_USER_DATA: join(data, 'userData'), AISLE_SQLITE_BINDING: status.ok ? status.sqlite : '' };
    delete env.ELECTRON_RUN_AS_NODE;
    const app = await _electron.launch({ args: [join(ROOT, 'out', 'main', 'index.js'), '--db', join(data, 'aisle.db')], cwd: ROOT, env, timeout: 60_000 });
    try {
      const window = await app.firstWindow();
      await window.waitForLoadState('domcontentloaded');
      expect(await window.title()).toBe('Aisle');
      expect(await window.evaluate(() => typeof (window as unknown as { aisle?: unknown }).aisle)).toBe('object');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      // The preload exposes the contract's six functions, nothing more (no ipcRenderer), and a call
      // reaches the service: better-sqlite3 loaded for Electron, on the database --db named.
      expect(await window.evaluate(() => Object.keys((window as unknown as { aisle: object }).aisle).sort())).toEqual(['invoke', 'onEvent', 'openFiles', 'saveFile', 'saveMetricsCsv', 'setTheme']);
      const info = await window.evaluate(() => (window as unknown as { aisle: { invoke(command: string, input: unknown): Promise<unknown> } }).aisle.invoke('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { door: 'electron', dbPath: join(data, 'aisle.db') } });
    } finally {
      await app.close();
    }
  });
});
