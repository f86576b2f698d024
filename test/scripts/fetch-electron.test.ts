// The postinstall that fetches Electron's binary (scripts/fetch-electron.mjs) never fails `npm ci`:
// run from a copy beside a fake node_modules/electron whose installer fails as it does offline,
// crashes, succeeds, or is skipped, it exits 0 every time and says what happened and how to retry.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'fetch-electron.mjs');

/** A checkout holding the script and, unless `installer` is null, an electron package with that install.js. */
function checkout(installer: string | null): string {
  const root = tempDir('aisle-fetch-electron-');
  mkdirSync(join(root, 'scripts'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'fetch-electron.mjs'));
  if (installer !== null) {
    const electron = join(root, 'node_modules', 'electron');
    mkdirSync(electron, { recursive: true });
    writeFileSync(join(electron, 'package.json'), '{"name":"electron","version":"41.7.1"}');
    writeFileSync(join(electron, 'install.js'), installer);
  }
  return root;
}

function fetchIn(root: string, env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env, ...env };
  if (!('ELECTRON_SKIP_BINARY_DOWNLOAD' in env)) delete clean.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return spawnSync(process.execPath, [join(root, 'scripts', 'fetch-electron.mjs')], { encoding: 'utf8', env: clean });
}

const RETRY = "aisle: to try again where Electron's download host can be reached: node scripts/fetch-electron.mjs";

describe('fetching Electron after npm install', () => {
  it('warns and exits 0 when the download host cannot be reached, saying how to try again', () => {
    const root = checkout("console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous>'); process.exit(1);");
    const r = fetchIn(root);
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      'aisle: warning: could not download the Electron binary (RequestError: getaddrinfo ENOTFOUND github.com).',
      'aisle: the CLI, the browser mode (`npm start` falls back to it) and `npm test` work without it;',
      RETRY,
    ]);
  });

  it('says how the installer ended when it crashed without a word, and exits 0', () => {
    const r = fetchIn(checkout('process.exit(3);'));
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('could not download the Electron binary (its installer exited with 3).');
    expect(r.stderr).toContain(RETRY);
  });

  it('says so when the binary is installed', () => {
    const root = checkout("require('node:fs').writeFileSync(require('node:path').join(__dirname, 'path.txt'), 'electron');");
    const r = fetchIn(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('aisle: Electron binary installed.\n');
    expect(r.stderr).toBe('');
  });

  it('runs no installer under ELECTRON_SKIP_BINARY_DOWNLOAD, nor without the electron package', () => {
    const root = checkout("require('node:fs').writeFileSync(require('node:path').join(__dirname, 'ran'), '');");
    const skipped = fetchIn(root, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(skipped.status).toBe(0);
    expect(skipped.stdout).toBe('aisle: ELECTRON_SKIP_BINARY_DOWNLOAD is set; not downloading the Electron binary.\n');
    expect(existsSync(join(root, 'node_modules', 'electron', 'ran'))).toBe(false);
    const none = fetchIn(checkout(null));
    expect([none.status, none.stdout, none.stderr]).toEqual([0, '', '']);
  });
});
