/**
 * What every CLI command shares: the database location, the worker script, output in text or JSON,
 * and the exit codes (0 success, 1 a run failed, 2 invalid input or usage, 130 interrupted — or
 * 128 + the signal's number when `aisle run` was stopped by SIGTERM or SIGHUP).
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../engine/params';
import { errorCode, makeDirectory } from '../main/make-dir';
import { resolveDbPath } from '../main/store/paths';
import { Store } from '../main/store';

export const EXIT = { ok: 0, runFailed: 1, invalid: 2, interrupted: 130 } as const;

/** An error the user can fix: printed as one line per problem, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/**
 * Opens the database `--db`, `AISLE_DB` or the default names. A path that cannot hold a database
 * (a folder that cannot be made, a directory, a file that is not SQLite) is the user's to fix: one
 * line naming where the path came from, exit 2.
 */
export function openStore(opts: GlobalOptions): Store {
  const file = resolveDbPath({ flag: opts.db, env: process.env });
  try {
    return Store.open(file);
  } catch (e) {
    const problem = databasePathProblem(e);
    if (problem === undefined) throw e;
    const source = opts.db !== undefined ? '--db' : process.env.AISLE_DB ? 'AISLE_DB' : 'the default database';
    throw new UsageError(`${source}: ${file} ${problem}: give the path of an Aisle database, or of a new file in a folder you can write to`);
  }
}

const FOLDER_ERRORS = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR']);

/** What is wrong with a database path, from the error opening it threw (undefined: not a path problem). */
function databasePathProblem(e: unknown): string | undefined {
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') return 'is not a SQLite database';
  if (code === 'SQLITE_CANTOPEN') return `cannot be opened (${message})`;
  if (code !== undefined && FOLDER_ERRORS.has(code)) return `cannot be created (${message})`;
  return undefined;
}

/**
 * Writes an output file (its folder made if missing) atomically: a temporary file, then a rename,
 * so a crash never leaves half a file. A path that cannot be written is the user's to fix: one
 * line naming the option, exit 2. Returns the absolute path.
 */
export function writeOutput(option: string, file: string, content: string | Iterable<string>): string {
  const path = resolve(file);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${option} ${file}: is a folder: give the path of a file (in that folder, say)`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    makeDirectory(dirname(path));
    const fd = openSync(tmp, 'w');
    try {
      for (const piece of typeof content === 'string' ? [content] : content) writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // There was no temporary file (its folder could not be made or is not one).
    }
    const code = errorCode(e);
    if (code !== undefined && (FOLDER_ERRORS.has(code) || code === 'ENOSPC' || code === 'EEXIST')) {
      throw new UsageError(`${option} ${file}: cannot write it (${e instanceof Error ? e.message : String(e)}): give a path in a folder you can write to`);
    }
    throw e;
  }
  return path;
}

/** The built worker script, next to the built CLI (out/main/worker.js). */
export function workerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'worker.js'), join(here, '..', 'worker.js')]) if (existsSync(candidate)) return candidate;
  throw new Error(`the training worker was not found next to ${here}: run \`npm run build\``);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** JSON output: typed arrays as arrays, non-finite numbers as null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Formats a number for tables: up to 4 significant decimals, no exponent for everyday sizes. */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) return x.toExponential(2);
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

export { plural } from '../shared/text';

/** A plain text table with left-aligned first column and right-aligned numbers. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 || !/^[-−–\d.∞%e+]+$/.test(c) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Problems of an error, one per line, for the user. */
export function problemsOf(e: unknown): string[] {
  if (e instanceof ValidationError) return [...e.problems];
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
