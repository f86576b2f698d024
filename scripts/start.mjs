#!/usr/bin/env node
// `npm start [-- --db path --port N --host H --open | --no-open]`: builds when any source is newer than the
// build, then opens the Electron app when it can run here, and otherwise the browser mode
// (`aisle serve`) with one line saying why (no binary, no build of better-sqlite3 for it, no
// display). Ctrl-C stops either cleanly.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronStatus } from './electron-status.mjs';
import { cannotRunReason, noDisplayReason } from './electron-display.mjs';
import { buildElectronSqlite } from './build-electron-sqlite.mjs';
import { buildIfStale } from './build-if-stale.mjs';
import { databasePath, parseStartOptions, START_USAGE, StartUsageError } from './start-options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The options, or `npm start: <what is wrong>` and the usage line, exit 2, before anything is built or started. */
function parseArgs(argv) {
  try {
    return parseStartOptions(argv);
  } catch (e) {
    if (!(e instanceof StartUsageError)) throw e;
    process.stderr.write(`npm start: ${e.message}\n${START_USAGE}\n`);
    process.exit(2);
  }
}

/**
 * Runs the child in the foreground; its exit code is ours. Ctrl-C reaches it directly (same process
 * group), so we do not pass SIGINT on (a second one makes `aisle serve` quit without cleaning up);
 * only if it is still running a second later, or on SIGTERM/SIGHUP, do we ask it to stop.
 */
function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  process.on('SIGINT', () => setTimeout(() => child.kill('SIGTERM'), 1000).unref());
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (e) => {
    process.stderr.write(`aisle: could not start ${command}: ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

const opts = parseArgs(process.argv.slice(2));
// Paths as typed where `npm start` was run (npm starts us in the project's folder).
const typedIn = process.env.INIT_CWD ?? process.cwd();
opts.db = databasePath(opts.db, typedIn);
if (process.env.AISLE_DB) process.env.AISLE_DB = databasePath(process.env.AISLE_DB, typedIn);
buildIfStale();
let status = electronStatus();
// Without a display, or without a system library it needs, Electron exits at once: the browser mode,
// before two minutes of building for it.
const headless = status.binary ? noDisplayReason() : null;
const broken = status.binary && !headless ? cannotRunReason(status.binary) : null;
if (headless) status = { ...status, ok: false, reason: `Electron is installed but cannot open a window here: ${headless}` };
else if (broken) status = { ...status, ok: false, reason: broken };
else if (!status.ok && status.binary) {
  // First start with Electron present, or Electron or better-sqlite3 changed since the last build:
  // build better-sqlite3 for its ABI beside the Node build.
  process.stderr.write('aisle: building better-sqlite3 for Electron (first start, or a new Electron or better-sqlite3; about two minutes)…\n');
  const built = buildElectronSqlite({ quiet: true });
  status = built.ok ? electronStatus() : { ...status, reason: `Electron is installed but ${built.reason}` };
}
if (status.ok) {
  const env = { ...process.env, AISLE_SQLITE_BINDING: status.sqlite };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary behave as plain Node
  run(status.binary, ['.', ...(opts.db ? ['--db', opts.db] : [])], env);
} else {
  process.stdout.write(`${status.reason}; starting the browser mode instead.\n`);
  const args = [join(root, 'out', 'main', 'cli.js'), ...(opts.db ? ['--db', opts.db] : []), 'serve'];
  if (opts.port) args.push('--port', opts.port);
  if (opts.host) args.push('--host', opts.host);
  if (opts.open !== undefined) args.push(opts.open ? '--open' : '--no-open');
  run(process.execPath, args);
}
