#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/better_sqlite3.node, beside (not
// instead of) the Node.js build in node_modules that the CLI, the browser mode and the tests use.
// The Electron app loads this build through better-sqlite3's `nativeBinding` option
// (AISLE_SQLITE_BINDING, set by `npm start`). Needs Electron's headers from electronjs.org, so it
// runs on a machine with internet; packaged apps do not need it (electron-builder rebuilds the
// module for Electron itself, see docs/packaging.md).
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
export const ELECTRON_BINDING = join(root, 'native', 'electron', 'better_sqlite3.node');

/**
 * What a build must have been made for: Electron's ABI (node_modules/electron/abi_version) and the
 * better-sqlite3 whose JavaScript loads it. After an `npm ci` that brings another Electron major or
 * another better-sqlite3, the build on disk is for neither: it is made again, not loaded.
 */
export function electronSqliteTarget() {
  const electron = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  let abi = null;
  try {
    abi = readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
  } catch {
    // An Electron without abi_version: its version stands in for the ABI.
  }
  const betterSqlite3 = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')).version;
  return { electron, abi, betterSqlite3 };
}

/** The stamp written beside a build: what it was made for. */
export const stampOf = (binding) => `${binding}.json`;

/** Whether the build at `binding` exists and was made for today's Electron ABI and better-sqlite3. */
export function electronSqliteBuildIsCurrent(binding = ELECTRON_BINDING) {
  if (!existsSync(binding)) return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampOf(binding), 'utf8'));
  } catch {
    return false; // made before builds were stamped, or by hand: made again
  }
  const target = electronSqliteTarget();
  const sameElectron = target.abi !== null ? stamp?.abi === target.abi : stamp?.electron === target.electron;
  return sameElectron && stamp?.betterSqlite3 === target.betterSqlite3;
}

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

/**
 * node-gyp's environment for Electron's headers. node-gyp takes every `npm_config_*` variable as an
 * option, over its command line: Debian's npm sets nodedir=/usr, which made node-gyp build against
 * Node's own headers (a Node build, reported as Electron's). So the headers are named here, in the
 * variables, and any nodedir is dropped.
 */
export function electronGypEnv(env, electronVersion) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (!/^npm_(package_)?config_(node_gyp_)?(nodedir|target|dist_?url)$/i.test(key)) out[key] = value;
  }
  return { ...out, npm_config_target: electronVersion, npm_config_dist_url: 'https://electronjs.org/headers' };
}

/**
 * The NODE_MODULE_VERSION a built addon was compiled for, as far as this Node can tell: its own when
 * the addon loads here, the one Node's refusal names, or null (it failed to load for another reason).
 */
export function addonAbi(file) {
  const r = spawnSync(process.execPath, ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', file], { encoding: 'utf8' });
  if (r.status === 0) return process.versions.modules;
  return /using NODE_MODULE_VERSION (\d+)/.exec(r.stderr ?? '')?.[1] ?? null;
}

/**
 * Builds into `out` (native/electron/better_sqlite3.node) and stamps it; `gyp` and `env` are for
 * tests. A build that turns out to be for another ABI than Electron's is refused, never installed.
 */
export function buildElectronSqlite({ quiet = false, out = ELECTRON_BINDING, gyp = nodeGyp(), env = process.env } = {}) {
  const target = electronSqliteTarget();
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  if (!gyp) return { ok: false, reason: 'node-gyp not found (run this through `npm run build:electron-sqlite`)' };
  const work = mkdtempSync(join(tmpdir(), 'aisle-sqlite-electron-'));
  try {
    for (const part of ['binding.gyp', 'package.json', 'src', 'deps']) cpSync(join(source, part), join(work, part), { recursive: true });
    const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${target.electron}`, '--dist-url=https://electronjs.org/headers'], {
      cwd: work,
      env: electronGypEnv(env, target.electron),
      stdio: quiet ? 'ignore' : 'inherit',
    });
    const built = join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status !== 0 || !existsSync(built)) return { ok: false, reason: `node-gyp could not build better-sqlite3 for Electron ${target.electron} (are Electron's headers reachable?)` };
    const abi = addonAbi(built);
    if (target.abi !== null && target.abi !== process.versions.modules && abi !== null && abi !== target.abi) {
      const what = abi === process.versions.modules ? `Node.js's ABI (${abi})` : `ABI ${abi}`;
      return { ok: false, reason: `node-gyp built better-sqlite3 for ${what}, not Electron ${target.electron}'s (${target.abi}): a nodedir or target in npm's config may point it at other headers; nothing was installed` };
    }
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(built, out);
    writeFileSync(stampOf(out), `${JSON.stringify({ electron: target.electron, abi: target.abi, betterSqlite3: target.betterSqlite3 })}\n`);
    return { ok: true, path: out, electronVersion: target.electron };
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
