/**
 * What every CLI command shares: the database location, the worker script, output in text or JSON,
 * and the exit codes (0 success, 1 a run failed, 2 invalid input or usage, 130 interrupted — or
 * 128 + the signal's number when `aisle run` was stopped by SIGTERM or SIGHUP, 141 as SIGPIPE when its output was closed). The files a command
 * writes (`-o`) are output-files.ts's.
 */
import { existsSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DECIMAL } from '../engine/csv';
import { escapeControl, ValidationError } from '../engine/params';
import { errorCode } from '../main/make-dir';
import { dbFolderProblem, namesFolder } from '../main/db-option';
import { resolveDbPath } from '../main/store/paths';
import { BUSY_TIMEOUT_MS, NotAisleDatabaseError, SchemaTooNewError, Store } from '../main/store';
import { holdsNoSchema } from '../main/store/db';
import { sameDecimals } from '../shared/figures';
import { fmt as appFmt, shellWord } from '../shared/text';
import { displayWidth, nameTruncated, padded } from './display-width';

export const EXIT = { ok: 0, runFailed: 1, invalid: 2, interrupted: 130 } as const;

/** An error the user can fix: printed as one line per problem, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** Where the database path came from, for messages. */
function databaseSource(opts: GlobalOptions): string {
  return opts.db !== undefined ? '--db' : process.env.AISLE_DB ? 'AISLE_DB' : 'the default database';
}

/** The database as a file the command reads, which no output may replace (`aisle export 1 -o aisle.db`). */
export function databaseInput(opts: GlobalOptions): InputFile {
  return { what: `the database (${databaseSource(opts)})`, path: resolveDbPath({ flag: opts.db, env: process.env }), database: true };
}

/**
 * Opens the database `--db`, `AISLE_DB` or the default names. A path that cannot hold a database
 * (a folder that cannot be made, a directory, a device such as /dev/null, a file that is not
 * SQLite, another program's SQLite database) is the user's to fix: one line naming where the path
 * came from, exit 2. `makes` says where a missing database is made: anywhere (true: `run`, `serve`,
 * `results import`, whose file is the database's whole content), at the default path only
 * ('default': `policies import`, whose file is all it needs, as the app makes it there), or nowhere (false: the commands
 * that only read, the default for `reads`). A typo'd --db would otherwise be left behind empty and
 * reported as "no runs", and a command that only looks would leave a database on a machine where
 * nothing was ever run. Refused, a missing database is one line naming its path and how to make
 * one, exit 2; but with `empty` (a listing: `runs`, `experiments`, `policies`) a missing default
 * database reads as an empty one, in memory: on a fresh machine "no runs yet" is the honest answer.
 */
export function openStore(
  opts: GlobalOptions,
  { reads = false, makes = !reads, empty = false }: { reads?: boolean; makes?: boolean | 'default'; empty?: boolean } = {},
): Store {
  const file = resolveDbPath({ flag: opts.db, env: process.env });
  const isDefault = databaseSource(opts) === 'the default database';
  const mayMake = makes === true || (makes === 'default' && isDefault);
  const fail = (problem: string, fix = 'give the path of an Aisle database, or of a new file in a folder you can write to') => databaseError(opts, problem, fix);
  // SQLite opens a device or a pipe and fails later with "disk I/O error", which names nothing.
  const stat = statIfAny(file);
  if (stat?.isDirectory()) throw fail('is a folder', 'give the path of a database file in it, e.g. --db <folder>/aisle.db');
  // `--db lab/` (a folder not made yet): path.resolve drops the slash, and `run` made a file `lab`.
  const given = opts.db !== undefined ? opts.db : process.env.AISLE_DB;
  const folder = given !== undefined ? dbFolderProblem(databaseSource(opts), given) : undefined;
  if (folder !== undefined) throw new UsageError(folder);
  // `AISLE_DB='~/lab.db'` (quoted, or set in a .env file or a Dockerfile, where no shell expands
  // it): a folder named "~" was made in the current one, and the runs stored there.
  if (given !== undefined && !stat && /^~([\\/]|$)/.test(given)) {
    throw new UsageError(`${databaseSource(opts)}: ${given} starts with "~", which no shell expanded here (it was quoted, or set in a file): give the full path, ${join(homedir(), given.slice(2))}`);
  }
  if (stat && !stat.isFile()) throw fail('is not a regular file (a device or a pipe)');
  if (!mayMake && !stat) {
    if (!isDefault) throw fail('does not exist', `check the path, or create a database there by running an experiment: ${aisleCommand(opts, 'run <experiment.json>')}`);
    if (empty) return Store.open(':memory:', { reader: true });
    throw fail('does not exist yet (neither the app nor `aisle run` has made it)', 'create it by running an experiment, aisle run <experiment.json>, or name another database with --db or AISLE_DB');
  }
  // An empty file is no database yet either: a command that only looks would make it one (a typo'd
  // --db that the shell's `>` had created, say). Unless SQLite's log beside it holds its first pages.
  if (makes !== true && stat?.size === 0 && !(statIfAny(`${file}-wal`)?.size ?? 0)) throw fail('is an empty file, not an Aisle database', 'give the path of an Aisle database (`aisle run` creates one, in this file too)');
  // Nor a SQLite file with nothing in it, as a first open stopped before its schema leaves one (a
  // page: a disk full, a kill): a command that only looks made it an Aisle database and said "no runs".
  if (makes !== true && stat !== undefined && stat.size > 0 && stat.size <= BLANK_DATABASE_BYTES && holdsNoSchema(file)) {
    throw fail('is a SQLite database with nothing in it (no tables: a first open that stopped before making them leaves one), not an Aisle database yet', 'give the path of an Aisle database (`aisle run` makes one, in this file too)');
  }
  try {
    // Nor made if it went missing since the look above: SQLite is told the file must exist. Not its
    // read-only mode: such a connection to a WAL database leaves an empty -wal and a -shm beside it
    // when it closes (measured: it may not remove them), and could neither migrate an older
    // database for this build to read nor mark a dead process's runs interrupted, as a reader does.
    return Store.open(file, { reader: reads, mustExist: !mayMake });
  } catch (e) {
    if (e instanceof NotAisleDatabaseError) throw fail(e.problem, 'give an Aisle database, or a new file');
    // Refused before anything is written to it (see openDatabase): the file stays as the newer Aisle left it.
    if (e instanceof SchemaTooNewError) {
      throw fail(`was written by a newer Aisle (schema ${e.found}, this build knows ${e.known})`, 'open it with that Aisle or upgrade this one, or give another database with --db (the file is left as it was)');
    }
    const problem = databasePathProblem(e);
    if (problem === undefined) throw e; // a damaged, read-only… database: main() says so (databaseFailure)
    throw fail(problem);
  }
}

/** Larger, a SQLite file holds something: only files this small are opened to see whether they hold no schema. */
const BLANK_DATABASE_BYTES = 64 * 1024;

/**
 * Runs `command` on the database opened as openStore's `reads` opens it (a missing one is refused,
 * not created empty, unless `makes`; `empty`: see openStore) and closes it, whatever happens. Such a
 * store may still write (rename, delete, policies import): it only registers no
 * session, which matters to a process that trains runs.
 */
export function withStore<T>(opts: GlobalOptions, command: (store: Store) => T, { makes = false, empty = false }: { makes?: boolean | 'default'; empty?: boolean } = {}): T {
  const store = openStore(opts, { reads: true, makes, empty });
  try {
    return command(store);
  } finally {
    store.close();
  }
}

/**
 * A SQLite error the database file itself caused, at any point of a command (damaged, read-only,
 * a full or failing disk, locked by another process too long), as one line naming the database
 * and what to do, exit 2 (the user's to fix, not a run that failed); undefined for anything else.
 */
export function databaseFailure(e: unknown, opts: GlobalOptions): UsageError | undefined {
  const code = errorCode(e);
  if (code === undefined || !code.startsWith('SQLITE_')) return undefined;
  const message = e instanceof Error ? e.message : String(e);
  const say = (problem: string, fix: string) => databaseError(opts, problem, fix);
  if (code.startsWith('SQLITE_CORRUPT')) return say(`is damaged (${message})`, 'restore it from a backup, or give another database with --db');
  // Opening a database even to read it writes its shared-memory file (WAL mode's <file>-shm) beside it.
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return say(
      `cannot be opened, even to read it: its folder cannot be written (${message}), and SQLite keeps a file beside it while it is open (${basename(resolveDbPath({ flag: opts.db, env: process.env }))}-shm)`,
      'copy it (with its -wal file, if there is one) to a folder you can write to and give that copy, or ask for write access to its folder',
    );
  }
  if (code.startsWith('SQLITE_READONLY')) return say(`cannot be written (${message})`, 'check the permissions of the file and of its folder (SQLite writes its journal beside it), or copy it to a folder you can write to');
  if (code === 'SQLITE_FULL') return say(`cannot grow: the disk is full (${message})`, 'free some space, then try again');
  if (code.startsWith('SQLITE_IOERR')) return say(`could not be read or written (${message})`, 'the disk may be full or failing: free some space or check the disk, then try again');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return say(`was locked by another process (the app or another aisle command) for over ${BUSY_TIMEOUT_MS / 1000} s`, 'try again once it is done (deleting a large experiment can hold it that long)');
  }
  return undefined;
}

/** One line naming where the database came from, its path, what is wrong and the fix. */
function databaseError(opts: GlobalOptions, problem: string, fix: string): UsageError {
  return new UsageError(`${databaseSource(opts)}: ${resolveDbPath({ flag: opts.db, env: process.env })} ${problem}: ${fix}`);
}

/** The system errors of a path that cannot be made or written: the user's to fix, not a failure. */
export const FOLDER_ERRORS: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENAMETOOLONG', 'ELOOP']);

/** What is wrong with a database path, from the error opening it threw (undefined: not a path problem). */
function databasePathProblem(e: unknown): string | undefined {
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB') return 'is not a SQLite database';
  if (code === 'SQLITE_CANTOPEN') return `cannot be opened (${message})`;
  if (code !== undefined && FOLDER_ERRORS.has(code)) return `cannot be created (${message})`;
  return undefined;
}

/** A file a command reads, which none of its outputs may replace: what it is (for messages) and its path. */
export interface InputFile {
  readonly what: string;
  readonly path: string;
  /** A SQLite database: its log and journal files beside it (path-wal, -shm, -journal) are its too. */
  readonly database?: true;
}

export { namesFolder };

/** The file's stat, or undefined when there is none (or it cannot be looked at: opening it will say why). */
export function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The built worker script, next to the built CLI (out/main/worker.js). */
export function workerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'worker.js'), join(here, '..', 'worker.js')]) if (existsSync(candidate)) return candidate;
  throw new Error(`the training worker was not found next to ${here}: run \`npm run build\``);
}

/**
 * The pool's autosave interval from AISLE_AUTOSAVE_SECONDS (default: the pool's, 60 s; 0: no
 * autosave): how often a training run's state is written, for `aisle resume` after a crash.
 */
export function autosaveOption(): { autosaveMs?: number } {
  const text = process.env.AISLE_AUTOSAVE_SECONDS?.trim();
  if (!text) return {};
  const seconds = Number(text);
  // A decimal number, as the options take one (arguments.ts): Number() alone read 0x10 as 16 s.
  if (!(DECIMAL.test(text) && Number.isFinite(seconds) && seconds >= 0)) throw new UsageError(`AISLE_AUTOSAVE_SECONDS: "${text}" is not a number of seconds ≥ 0: set it to 60 (the default), or 0 for no autosave`);
  return { autosaveMs: seconds * 1000 };
}

/**
 * Where a command says what it did: standard output, unless an output file was written into it
 * (`-o /dev/stdout`, or a pipe that is stdout), where the data went and the report would be mixed
 * into it: then standard error. See {@link wroteIntoStdout}.
 */
let reportStream: NodeJS.WriteStream | undefined;

/** An output file went into this process's standard output: what follows about it goes to standard error. */
export function wroteIntoStdout(): void {
  reportStream = process.stderr;
}

/** Writes a command's report ("wrote …", its --json summary): see {@link wroteIntoStdout}. */
export function report(text: string): void {
  (reportStream ?? process.stdout).write(text);
}

/**
 * A report's lines, each with its control characters escaped (escapeControl): they name the files
 * and paths given and the files' texts (a logs header's column names), an ESC sequence in which
 * reached the terminal raw.
 */
export function reportLines(lines: readonly string[]): void {
  report(`${lines.map(escapeControl).join('\n')}\n`);
}

export function printJson(value: unknown): void {
  report(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** JSON output: typed arrays as arrays, non-finite numbers as null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** A number for tables and messages as the app writes it (its fmt), with 4 digits here: 40,000, 21,739.13, 0.000377. */
export function fmt(x: number | null | undefined, digits = 4): string {
  return appFmt(x, digits);
}

export { plural, shellWord } from '../shared/text';

/**
 * A table column's numbers with the same decimals (sameDecimals, at `digits`), so that a column
 * reads down: "3.70" under "3.64", not "3.7". A missing value is '–'.
 */
export function columnTexts(values: readonly (number | null | undefined)[], digits = 4): string[] {
  return sameDecimals(values.map((v) => v ?? Number.NaN), digits);
}

/** A stored time (ms since 1970) as the listings print it: UTC to the second, "2026-11-30 22:40:01". */
export function dateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A plain text table with left-aligned first column and right-aligned numbers. Widths here and in
 * the helpers below are terminal columns (displayWidth), so a name in Chinese lines up.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = columnWidths(header, rows);
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => padded(c, widths[i]!, i > 0 && /^[-−–\d.,∞%e+]+\*?$/.test(c))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

function columnWidths(header: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
}

/**
 * How wide a table may be: the terminal's width when `stream` (stdout unless said) prints to one;
 * otherwise `COLUMNS` when set (as `ls` and Python read it), else 100.
 */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (stream.isTTY && stream.columns > 0) return stream.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : 100;
}

/**
 * `table`, fitted to `width` columns: when its lines would be wider, the columns after the first
 * `keep` (which say what a row is: a run's number, seed…) are split over several tables printed one
 * under another, each starting with those columns again. A column wider than the width on its own
 * gets a table of its own.
 */
export function fittedTable(header: readonly string[], rows: readonly (readonly string[])[], keep: number, width = outputWidth()): string {
  const widths = columnWidths(header, rows);
  // The kept columns' width, with the two spaces after each.
  const kept = widths.slice(0, keep).reduce((sum, w) => sum + w + 2, 0);
  const parts: number[][] = [];
  let line = Infinity; // the last part's line width so far
  for (let i = keep; i < header.length; i++) {
    if (line + 2 + widths[i]! <= width) {
      parts[parts.length - 1]!.push(i);
      line += 2 + widths[i]!;
    } else {
      parts.push([i]);
      line = kept + widths[i]!;
    }
  }
  if (parts.length <= 1) return table(header, rows);
  const pick = <T>(cells: readonly T[], columns: readonly number[]) => [...cells.slice(0, keep), ...columns.map((i) => cells[i]!)];
  return parts.map((columns) => table(pick(header, columns), rows.map((r) => pick(r, columns)))).join('\n\n');
}

/**
 * The rows with column `column`'s cells cut ("…" where), to the widest that lets the table fit
 * `width` columns, but never below `least` (nor its header's width): for a name, which another
 * command prints whole. A name ending in "(…)" (a sweep's settings) is cut in its middle, so that
 * part stays (nameTruncated). Rows that fit are returned as they are.
 */
export function truncatedColumn(header: readonly string[], rows: readonly (readonly string[])[], column: number, least: number, width = outputWidth()): string[][] {
  const widths = columnWidths(header, rows);
  const over = widths.reduce((sum, w) => sum + w + 2, -2) - width;
  const fit = Math.max(least, displayWidth(header[column]!), widths[column]! - over);
  return rows.map((r) => r.map((c, i) => (i === column ? nameTruncated(c, fit) : c)));
}

/**
 * `label` and the words after it (a sentence, split at its spaces, or the words themselves),
 * wrapped to `width` with the following lines under the first word. A word given whole (a
 * parameter whose value is a catalog's summary, "mdp=<MDP: cliff walking …>") stays on one line
 * when it fits one; wider than a line, it is split at its spaces after all, rather than run past
 * the edge. A word without a space (a long path) is never broken: one wider than the width stands
 * alone.
 */
export function wrapped(label: string, words: string | readonly string[], width = outputWidth()): string {
  const lines: string[] = [];
  const indent = ' '.repeat(displayWidth(label));
  let line = label;
  let used = indent.length; // the line's columns
  // A "%" after a space stays with its number ("the 5 % level"): a line starting with it reads as a stray sign.
  const split = (text: string) => text.split(/ +(?!%)/);
  const given = typeof words === 'string' ? split(words) : words.flatMap((w) => (indent.length + displayWidth(w) > width ? split(w) : [w]));
  for (const word of given) {
    const w = displayWidth(word);
    if (line === label) {
      line += word;
      used += w;
    } else if (used + 1 + w <= width) {
      line += ` ${word}`;
      used += 1 + w;
    } else {
      lines.push(line);
      line = indent + word;
      used = indent.length + w;
    }
  }
  return [...lines, line].join('\n');
}

/**
 * A warning on stderr, `aisle: warning: ` then the text wrapped to stderr's width as stdout's
 * sentences are (`aisle ope`'s fit-overlap warning is a paragraph). Errors stay one line a
 * problem, as the README promises scripts.
 *
 * Its control characters are escaped here, for every caller: warnings carry a file's texts (a
 * logs header's column names, a --target as given, a policy's labels) and an ESC sequence in one
 * drove the terminal, U+202E reversed the line, a line break split it. No warning holds a line
 * break of its own (wrapped() makes its lines), and a text its caller escaped holds no control
 * character left to escape twice. Long texts are cut where they are quoted (listedName, show).
 */
export function warn(text: string): void {
  process.stderr.write(`${wrapped('aisle: warning: ', escapeControl(text), outputWidth(process.stderr))}\n`);
}

/**
 * A table of one row turned on its side: one line per column, its name then its value. A one-run
 * summary of a dozen metrics reads down a narrow column instead of across 300 characters. A value
 * too long for `width` (a policy's provenance) wraps under its first word.
 */
export function transposedTable(header: readonly string[], row: readonly string[], width = outputWidth()): string {
  const names = Math.max(...header.map(displayWidth));
  return header.map((h, i) => wrapped(`${padded(h, names)}  `, row[i] ?? '', width).trimEnd()).join('\n');
}

/**
 * A command to type next, on the database this one used: `aisle compare 3 4`, with `--db <path>`
 * when the user gave one (without it, the command would read the default database instead).
 */
export function aisleCommand(opts: GlobalOptions, command: string): string {
  return `aisle${opts.db !== undefined ? ` --db ${shellWord(opts.db)}` : ''} ${command}`;
}

/** Problems of an error, one per line, for the user. */
export function problemsOf(e: unknown): string[] {
  if (e instanceof ValidationError) return [...e.problems];
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
