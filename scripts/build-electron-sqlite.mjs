#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, beside (not
// instead of) the Node.js build in node_modules that the CLI, the browser mode and the tests use.
// The Electron app loads this build through better-sqlite3's `nativeBinding` option
// (AISLE_SQLITE_BINDING, set by `npm start`). Needs Electron's headers from electronjs.org, so it
// runs on a machine with internet; packaged apps do not need it (electron-builder rebuilds the
// module for Electron itself, see docs/packaging.md).
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const ELECTRON_BINDING = join(root, 'native', 'electron', 'better_sqlite3.node');

function nodeGyp() {
  // npm puts its bundled node-gyp here while running scripts; otherwise find it next to npm.
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const npmCli = process.env.npm_execpath;
  if (npmCli) {
    const candidate = join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export function buildElectronSqlite({ quiet = false } = {}) {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const gyp = nodeGyp();
  if (!gyp) return { ok: false, reason: 'node-gyp not found (run this through `npm run build:electron-sqlite`)' };
  const work = mkdtempSync(join(tmpdir(), 'aisle-sqlite-electron-'));
  try {
    for (const part of ['binding.gyp', 'package.json', 'src', 'deps']) cpSync(join(source, part), join(work, part), { recursive: true });
    const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers'], {
      cwd: work,
      stdio: quiet ? 'ignore' : 'inherit',
    });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) return { ok: false, reason: `node-gyp could not build better-sqlite3 for Electron ${electronVersion} (are Electron's headers reachable?)` };
    mkdirSync(dirname(ELECTRON_BINDING), { recursive: true });
    copyFileSync(built, ELECTRON_BINDING);
    return { ok: true, path: ELECTRON_BINDING, electronVersion };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = buildElectronSqlite();
  if (result.ok) console.log(`aisle: built better-sqlite3 for Electron ${result.electronVersion}: ${result.path}`);
  else {
    console.error(`aisle: ${result.reason}`);
    process.exit(1);
  }
}
