// Can this checkout run the Electron app? Shared by `npm start` (scripts/start.mjs) and the
// Electron smoke test: the binary must be installed, and better-sqlite3 must be built for
// Electron's ABI rather than Node's (one build cannot serve both; see docs/packaging.md).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ELECTRON_BINDING, electronSqliteBuildIsCurrent } from './build-electron-sqlite.mjs';

const require = createRequire(import.meta.url);

/** The Electron executable, or why there is none. */
export function electronBinary() {
  let path;
  try {
    path = require('electron');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/Cannot find module 'electron'/.test(message)) return { path: null, reason: 'the electron package is not installed' };
    if (/failed to install correctly/.test(message)) return { path: null, reason: 'node_modules/electron has no binary: its download was skipped or failed' };
    return { path: null, reason: message.split('\n')[0] };
  }
  if (typeof path === 'string' && existsSync(path)) return { path, reason: null };
  return { path: null, reason: `node_modules/electron points at ${String(path)}, which does not exist` };
}

/**
 * The better-sqlite3 build for Electron's ABI (made by scripts/build-electron-sqlite.mjs), if any: one
 * made for another Electron ABI or another better-sqlite3 (an `npm ci` since) counts as none.
 */
export function electronSqliteBinding(path = ELECTRON_BINDING) {
  return electronSqliteBuildIsCurrent(path) ? path : null;
}

/** Whether the Electron app can start here; `reason` says why not, for one line of output. */
export function electronStatus() {
  const binary = electronBinary();
  if (!binary.path) return { ok: false, binary: null, reason: `Electron's binary is not installed here (${binary.reason})` };
  const sqlite = electronSqliteBinding();
  if (!sqlite) {
    return {
      ok: false,
      binary: binary.path,
      sqlite: null,
      reason: 'Electron is installed but better-sqlite3 has no build for this Electron yet (`npm run build:electron-sqlite`, see docs/packaging.md)',
    };
  }
  return { ok: true, binary: binary.path, sqlite, reason: null };
}
