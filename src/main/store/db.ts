/** Opens the run database the way every process (the app, the CLI, the browser-mode host) must:
 * WAL, foreign keys, a busy timeout, and the schema migrated. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { closeSync, existsSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { errorCode, makeDirectory } from '../make-dir';
import { LATEST_VERSION, migrate, NotAisleDatabaseError, SchemaTooNewError, schemaVersion } from './migrations';
import { searchFold } from '../../shared/search-fold';

/**
 * How long a write waits for another process's write to finish before failing with SQLITE_BUSY.
 * Writes here are short (a metric batch is a few ms), so this is only reached if something is stuck.
 * The job pool's writes do not wait at all (they are retried: see WriteQueue), nor do reads (WAL).
 * The app's commands wait less (COMMAND_BUSY_TIMEOUT_MS in service.ts): this is the CLI's wait.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export function isMemoryPath(file: string): boolean {
  return file === ':memory:' || file === '';
}

/**
 * A better-sqlite3 native module built for another ABI than node_modules' one: the Electron app in
 * a source checkout loads native/electron/better_sqlite3.node (set by `npm start`), while the CLI
 * and the tests keep the Node.js build. Unset in packaged apps, whose node_modules are rebuilt for
 * Electron by electron-builder.
 */
export function nativeBinding(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const binding = env.AISLE_SQLITE_BINDING;
  return binding ? binding : undefined;
}

/** A results file's `PRAGMA application_id` ("AiRs": see results/format.ts, whose RESULTS_APPLICATION_ID is this one). */
export const RESULTS_FILE_ID = 0x41695273;

/**
 * `busyTimeoutMs`: see {@link BUSY_TIMEOUT_MS} (tests lower it, to lock the database without waiting 10 s).
 * `mustExist`: a missing file is an error (SQLITE_CANTOPEN), and neither it nor its folder is made:
 * for a command that only reads, which looked for the file first, should it go in between.
 */
export function openDatabase(file: string, { busyTimeoutMs = BUSY_TIMEOUT_MS, mustExist = false }: { busyTimeoutMs?: number; mustExist?: boolean } = {}): Database.Database {
  // Runs, catalogs fitted to a shop's sales and MDPs fitted to its logs are the user's alone: a
  // database made here, and the folders made for it, are for its owner only (0600, 0700; SQLite
  // gives its -wal and -shm files the database's mode). One that exists keeps its own.
  const onDisk = !isMemoryPath(file);
  if (onDisk && !mustExist) {
    makeDirectory(path.dirname(file), 0o700);
    try {
      closeSync(openSync(file, 'wx', 0o600));
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
      // A link to a file not made yet (--db lab.db → runs/lab.db): the exclusive create refuses the
      // link itself, and SQLite made the file it reaches with the umask's mode (0644, readable by
      // all). Made here through the link, 0600; a file that exists (a link's target too) is kept. One
      // that cannot be made (its folder missing) is left to SQLite, which says so as for any path.
      if (lstatSync(file).isSymbolicLink() && !existsSync(file)) {
        try {
          closeSync(openSync(file, 'a', 0o600));
        } catch {
          // SQLite's open below names the trouble
        }
      }
    }
  } else if (onDisk && !existsSync(path.dirname(file))) {
    // A reader's open (mustExist) makes nothing, and better-sqlite3 says a missing folder with a TypeError, which names no path and no SQLite code:
    // said as SQLite says a missing file, so that the CLI names the database and what to do.
    throw new Database.SqliteError(`unable to open database file: its folder ${path.dirname(file)} does not exist`, 'SQLITE_CANTOPEN');
  }
  const binding = nativeBinding();
  const db = new Database(file, { timeout: busyTimeoutMs, fileMustExist: onDisk && mustExist, ...(binding ? { nativeBinding: binding } : {}) });
  try {
    const empty = isEmpty(db);
    // Before any pragma that changes the file (WAL): another program's database is left as it was.
    if (!empty && schemaVersion(db) === 0) {
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
      throw new NotAisleDatabaseError(file, tables.length > 0 ? tables : ['none, but other objects']);
    }
    // A results file is a SQLite database with Aisle's schema, but no database to open: opened, it
    // was switched to WAL and written to (its checksum changed). Its header says what it is.
    if (!empty && db.pragma('application_id', { simple: true }) === RESULTS_FILE_ID) {
      throw new NotAisleDatabaseError(file, [], `is an Aisle results file (\`aisle results export\` writes them), not a database: import it with \`aisle results import ${path.basename(file)}\``);
    }
    // A newer Aisle's database is refused before WAL too: it is left exactly as that Aisle wrote it.
    if (schemaVersion(db) > LATEST_VERSION) throw new SchemaTooNewError(schemaVersion(db), LATEST_VERSION);
    // Only settable before the first table exists; lets deleting runs give pages back to the OS
    // (`PRAGMA incremental_vacuum` after deletes) instead of leaving a file that never shrinks.
    if (empty) db.pragma('auto_vacuum = INCREMENTAL');
    // An in-memory database answers 'memory' here; WAL only exists for files.
    db.pragma('journal_mode = WAL');
    // With WAL, NORMAL is safe against corruption; a power cut may lose the last few commits.
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL into the database every 32 MiB instead of every 4 MiB (the default): each
    // checkpoint fsyncs, and at the default a busy run's metric writes spent ~60 % of their time in
    // those fsyncs (measured here). Durability is unchanged (NORMAL never fsyncs at commit); the
    // WAL file is cut back to 64 MiB after a checkpoint.
    db.pragma('wal_autocheckpoint = 8192');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('foreign_keys = ON');
    // Up to 32 MiB of page cache (the default is 2 MiB), so re-reading a 1M-episode metric while
    // a chart zooms is served from memory instead of ~1,200 page reads through the OS.
    db.pragma('cache_size = -32768');
    // Searches and name sorts fold text as the page does (src/shared/search-fold.ts).
    db.function('aisle_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? searchFold(text) : text));
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Whether the SQLite file `file` holds no schema at all: what a first open stopped before its
 * schema was written leaves (its first page: the header, WAL mode set, then a disk full or a kill
 * before the first migration committed). Read from the file's first page, not through SQLite,
 * whose read-only open leaves a -shm and an empty -wal beside it: SQLite's header, `user_version`
 * 0, and the schema table's page a leaf with no cells. A log beside it with anything in it may hold
 * the schema (a young database's is there until checkpointed): not blank then. False for anything
 * else, or what cannot be read: opening it will say why.
 */
export function holdsNoSchema(file: string): boolean {
  try {
    if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return false;
  } catch {
    return false;
  }
  const page = sqliteHead(file, 108);
  return (
    page !== undefined &&
    page.readUInt32BE(60) === 0 && // user_version
    page[100] === 0x0d && // sqlite_schema's root: a table leaf…
    page.readUInt16BE(103) === 0 // …holding no row
  );
}

/**
 * The first `length` bytes (at least the 16 of SQLite's header string) of the file at `file` when
 * it starts as a SQLite database does; undefined for anything else, a shorter file, or one that
 * cannot be read. What `-o` refuses to replace, results export's check of its destination and
 * holdsNoSchema read of a file without opening it through SQLite.
 */
export function sqliteHead(file: string, length: number): Buffer | undefined {
  const head = Buffer.alloc(Math.max(length, 16));
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return read === head.length && head.toString('latin1', 0, 16) === 'SQLite format 3\0' ? head : undefined;
}

function isEmpty(db: Database.Database): boolean {
  return db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() === 0;
}
