/**
 * Writes chosen experiments, with everything their runs own, to a results file (see format.ts): a
 * new database in the store's schema, filled by SQLite itself (ATTACH, INSERT … SELECT) in one
 * read of the source, written beside the destination and renamed over it, so the file is whole or
 * absent, through a power loss too (SQLite syncs the file at its commit; the folder is synced after
 * the rename, as the CLI's output files are).
 */
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { chmodSync, closeSync, existsSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, type Stats } from 'node:fs';
import { ValidationError } from '../../engine/params';
import type Database from 'better-sqlite3';
import { CHUNK_EPISODES, DamagedDataError, NotFoundError, openDatabase, type Store } from '../store';
import { sqliteHead } from '../store/db';
import { Artifacts } from '../store/artifacts';
import { Metrics } from '../store/metrics';
import { parseStored, storedNumbers } from '../store/records';
import { decodeRunState, RunStateFormatError } from '../../engine/resume/format';
import type { ExportedExperiment } from '../../shared/dto';
import { errorCode } from '../make-dir';
import { syncFolder } from '../sync-folder';
import { APP_VERSION } from '../version';
import { passCommitGate, StoppedAtGateError } from './commit-gate';
import { exportTemporary, removeExportTemporary } from './scratch';
import { columnList, RESULTS_APPLICATION_ID, RESULTS_FORMAT, RESULTS_META_SQL, RESULTS_TABLES, storedColumns, type ResultsTable } from './format';

export type { ExportedExperiment } from '../../shared/dto';

/** Where the file was written, and what it holds. */
export interface WrittenResults {
  readonly path: string;
  readonly experiments: ExportedExperiment[];
}

/** The schema name the results file is attached under, on the source database's connection. */
const BUNDLE = 'results_out';

/**
 * Which rows of each table belong to the experiments `json_each(?)` lists (a JSON array of ids),
 * as a WHERE clause over the table's own columns.
 */
const SELECTED: Record<ResultsTable, string> = {
  experiments: 'id IN (SELECT value FROM json_each(?))',
  runs: 'experiment_id IN (SELECT value FROM json_each(?))',
  metric_series: 'run_id IN (SELECT id FROM main.runs WHERE experiment_id IN (SELECT value FROM json_each(?)))',
  metric_chunks: `series_id IN (SELECT s.id FROM main.metric_series s JOIN main.runs r ON r.id = s.run_id
                                WHERE r.experiment_id IN (SELECT value FROM json_each(?)))`,
  checkpoints: 'run_id IN (SELECT id FROM main.runs WHERE experiment_id IN (SELECT value FROM json_each(?)))',
  run_states: 'run_id IN (SELECT id FROM main.runs WHERE experiment_id IN (SELECT value FROM json_each(?)))',
  // A policy exported from one of the runs; imported ones, and those of deleted runs, belong to none.
  policies: 'run_id IN (SELECT id FROM main.runs WHERE experiment_id IN (SELECT value FROM json_each(?)))',
};

/**
 * Exports the experiments `ids` of `store` to `file` (replaced if it exists). Refuses an unknown id
 * (NotFoundError, naming every one) and an experiment with a queued or running run (see
 * activeRunsProblem) before anything is written.
 * @param store a Store, or a connection of its own to the database file (the app's export runs in a
 *   worker thread, which cannot use the Store's: see results-task.ts)
 * @param sourceDatabase the database's path: its file name is recorded as where the results came
 *   from (not its folder, which often names the user, in a file meant to be handed on)
 * @param gate shared with the thread that may stop the export, which it tells whether the rename had begun (commit-gate.ts)
 */
export function exportResults(store: Pick<Store, 'db'>, ids: readonly number[], given: string, sourceDatabase: string, gate?: SharedArrayBuffer): WrittenResults {
  const unique = [...new Set(ids)];
  const db = store.db;
  const destination = resultsDestination(given);
  if (destination.problem !== undefined) throw new ValidationError([`${given}: ${destination.problem}`]);
  const file = destination.path;
  const tmp = exportTemporary(file);
  let attached = false;
  try {
    // A file to hand on: made with the user's usual mode (0666 less the umask, as any file they
    // save), not the 0600 of a database made to keep (which then refused the colleague importing it).
    try {
      closeSync(openSync(tmp, 'wx', 0o666));
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e; // no folder: openDatabase makes it
    }
    // The schema, migrated to this build's version, in a rollback-journal file: one file to send.
    const created = openDatabase(tmp);
    try {
      created.pragma('journal_mode = DELETE');
      created.pragma(`application_id = ${RESULTS_APPLICATION_ID}`);
      created.exec(RESULTS_META_SQL);
    } finally {
      created.close();
    }
    db.prepare('ATTACH DATABASE ? AS ' + BUNDLE).run(tmp);
    attached = true;
    // One read transaction: the check for active runs and the copy see the same database, whatever
    // another process commits meanwhile. Deferred, so the source takes no write lock.
    const experiments = db.transaction(() => {
      const found = assertExportable(db, unique);
      assertReadsWhole(db, found);
      const selected = JSON.stringify(unique);
      for (const table of RESULTS_TABLES) {
        const columns = columnList(storedColumns(db, 'main', table));
        db.prepare(`INSERT INTO ${BUNDLE}.${table} (${columns}) SELECT ${columns} FROM main.${table} WHERE ${SELECTED[table]}`).run(selected);
      }
      db.prepare(`INSERT INTO ${BUNDLE}.aisle_results (format, app_version, source_database, source_host, exported_at) VALUES (?, ?, ?, ?, ?)`).run(
        RESULTS_FORMAT,
        APP_VERSION,
        basename(sourceDatabase),
        hostname(),
        Date.now(),
      );
      const count = (sql: string, id: number) => db.prepare<[number], number>(sql).pluck().get(id) ?? 0;
      return found.map((e) => ({
        id: e.id,
        name: e.name,
        runs: count(`SELECT count(*) FROM ${BUNDLE}.runs WHERE experiment_id = ?`, e.id),
        checkpoints: count(`SELECT count(*) FROM ${BUNDLE}.checkpoints c JOIN ${BUNDLE}.runs r ON r.id = c.run_id WHERE r.experiment_id = ?`, e.id),
        policies: count(`SELECT count(*) FROM ${BUNDLE}.policies p JOIN ${BUNDLE}.runs r ON r.id = p.run_id WHERE r.experiment_id = ?`, e.id),
      }));
    })();
    db.prepare(`DETACH DATABASE ${BUNDLE}`).run();
    attached = false;
    // A file replaced keeps its permissions, as the CLI's other output files do.
    if (destination.mode !== undefined) chmodSync(tmp, destination.mode);
    // Stopped by now (commit-gate.ts), nothing replaces the file; past here, a stop waits for the rename.
    if (!passCommitGate(gate)) throw new StoppedAtGateError();
    renameSync(tmp, file);
    syncFolder(dirname(file));
    return { path: given, experiments };
  } catch (caught) {
    const copying = attached;
    if (attached) db.prepare(`DETACH DATABASE ${BUNDLE}`).run();
    const e = copying ? outputGone(caught, tmp, file) : caught;
    // The failure is the error to tell; a temporary file that could not be removed with it (the
    // folder made read-only meanwhile) is named in it, for the user to remove.
    const left = removeExportTemporary(file);
    if (left.length > 0 && e instanceof Error) e.message += ` (the unfinished copy ${left.join(', ')} could not be removed: delete it by hand)`;
    throw e;
  }
}

/**
 * Where a results file named `file` is written, and why it cannot be, if so. A link is written
 * through (its target replaced, the link kept), as the CLI's other output files are. A pipe or a
 * device is refused: the file is a SQLite database made beside its destination and renamed over
 * it, and renamed over `/dev/null` (by root) or a FIFO it replaced the node itself with a file,
 * the reader getting nothing. An Aisle database is refused too: replaced by a results file, its
 * experiments were lost without a word. `mode`: the permissions of a file replaced, kept.
 */
export function resultsDestination(file: string): { path: string; problem?: string; mode?: number } {
  let path = resolve(file);
  // What is there, as the kernel follows the path: `/dev/stdout` to a pipe (`| gzip`) names no file
  // its link's text leads to (/proc/<pid>/fd/pipe:[…]), where the export then failed to write
  // `pipe:[…].<pid>.tmp`, 'no such file or directory', rather than saying a pipe takes no results file.
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    // Nothing there (or not to be looked at): the export's own writing says why.
    return { path: followed(path) ?? path };
  }
  // (A folder fails the rename, leaving it as it was; the CLI refuses it first, as every -o.)
  if (!stats.isFile() && !stats.isDirectory()) {
    const what = stats.isFIFO() ? 'a pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device';
    return { path, problem: `is ${what}: a results file is a database written whole to a file, not streamed: give the path of a file (then copy or send that file)` };
  }
  const target = followed(path);
  if (target === undefined) return { path };
  path = target;
  if (isAisleDatabase(path)) return { path, problem: 'is an Aisle database, which this would replace with a results file: give another path (or delete it first)' };
  // A database open in the app, or left by a process killed, may hold everything in its log (its
  // header then says schema 0 until the log is written into it). Replaced, the database was lost,
  // and SQLite read that log into the results file at its next open (a -wal beside a file is read
  // whatever the file's header says): neither survived whole.
  if (holdsLog(path)) return { path, problem: `is a database in use, or one whose last writes were not yet written into it (its log, ${basename(path)}-wal, is beside it), which this would replace with a results file: give another path` };
  return { path, mode: stats.mode & 0o7777 };
}

/** The path a symbolic link at `path` leads to, `path` itself when it is no link; undefined when it cannot be looked at. */
function followed(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? linkTarget(path) : path;
  } catch {
    return undefined;
  }
}

/** A link's target, followed to the end; a dangling link's, as its text names it. */
function linkTarget(link: string): string {
  try {
    return realpathSync(link);
  } catch {
    return resolve(dirname(link), readlinkSync(link));
  }
}

/** Whether a SQLite log (`<path>-wal`) with anything in it is beside `path`. */
function holdsLog(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** A SQLite file whose header gives it a schema version (Aisle's migrations set it) and no results file's id. */
function isAisleDatabase(path: string): boolean {
  const header = sqliteHead(path, 72);
  return header !== undefined && header.readUInt32BE(60) > 0 && header.readUInt32BE(68) !== RESULTS_APPLICATION_ID;
}

/**
 * SQLite's error while the copy was written (attached), when its file is no longer there (its folder removed or
 * moved meanwhile: SQLite then fails to make its journal beside it, SQLITE_IOERR or CANTOPEN), as an
 * error naming the destination with ENOENT's code: SQLite's code alone read as the source database
 * failing ("--db … could not be read or written: the disk may be full"). Any other error as it was.
 */
function outputGone(e: unknown, tmp: string, file: string): unknown {
  if (!errorCode(e)?.startsWith('SQLITE_') || existsSync(tmp)) return e;
  return Object.assign(new Error(`the folder ${dirname(file)} was removed or moved while the results were written into it (SQLite: ${e instanceof Error ? e.message : String(e)})`), { code: 'ENOENT' });
}

/**
 * The experiments `ids` (unique), checked to be exportable now: NotFoundError naming every unknown
 * id, ValidationError for runs still training (activeRunsProblem). The CLI checks this before it
 * hands the copy to a worker, whose errors reach it without their class; the export checks it
 * again in its read transaction.
 */
export function assertExportable(db: Database.Database, ids: readonly number[]): { id: number; name: string }[] {
  const found = db.prepare<[string], { id: number; name: string }>('SELECT id, name FROM main.experiments WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids));
  const missing = ids.filter((id) => !found.some((e) => e.id === id));
  if (missing.length > 0) throw new NotFoundError('experiment', missing);
  const problem = activeRunsProblem(db, ids);
  if (problem !== undefined) throw new ValidationError([problem]);
  return found;
}

/** Episodes of a metric read at a time, whole chunks, as `aisle check` reads them: a long run is checked in bounded memory. */
const CHECK_WINDOW = 256 * CHUNK_EPISODES;

/**
 * Reads back what the experiments' runs stored, as a results import checks it (their JSON texts,
 * every metric chunk against the summary beside it, every checkpoint against its digest, every
 * saved run state's checksum): a ValidationError naming the first experiment damaged, before
 * anything is written.
 * SQLite checks pages, not what a BLOB holds, so a database damaged on disk exported its damage
 * whole, exit 0, into a file that every import then refused ("export it again from the source").
 */
function assertReadsWhole(db: Database.Database, experiments: readonly { id: number }[]): void {
  const metrics = new Metrics(db);
  const artifacts = new Artifacts(db);
  const runsOf = db.prepare<[number], number>('SELECT id FROM main.runs WHERE experiment_id = ? ORDER BY id').pluck();
  const savedState = db.prepare<[number], Buffer>('SELECT data FROM main.run_states WHERE run_id = ?').pluck();
  const reports = db.prepare<[number], { summary: string | null; greedy: string | null }>('SELECT summary, greedy FROM main.runs WHERE id = ?');
  // The JSON texts their tables' CHECKs admitted when written (SQLite checks them on writes only):
  // one damaged was refused by the results file's own CHECK, in SQLite's words ("CHECK constraint
  // failed: json_valid(config)"). Checked by SQLite, then the first one not JSON read for its words.
  const notJson = db.prepare<{ id: number }, { what: string; text: string }>(
    `SELECT 'experiment ' || id || '''s config' AS what, config AS text FROM main.experiments WHERE id = @id AND NOT json_valid(config)
     UNION ALL SELECT 'run ' || id || '''s config', config FROM main.runs WHERE experiment_id = @id AND NOT json_valid(config)
     UNION ALL SELECT 'run ' || id || '''s summary', summary FROM main.runs WHERE experiment_id = @id AND NOT json_valid(ifnull(summary, '{}'))
     UNION ALL SELECT 'run ' || id || '''s exact report', greedy FROM main.runs WHERE experiment_id = @id AND NOT json_valid(ifnull(greedy, '{}'))
     UNION ALL SELECT 'stored policy #' || p.id || ': its file', p.json FROM main.policies p JOIN main.runs r ON r.id = p.run_id
       WHERE r.experiment_id = @id AND NOT json_valid(p.json)
     LIMIT 1`,
  );
  for (const { id } of experiments) {
    try {
      const damaged = notJson.get({ id });
      if (damaged !== undefined) {
        parseStored(damaged.text, damaged.what);
        throw new DamagedDataError(`${damaged.what}: is not JSON`);
      }
      for (const runId of runsOf.all(id)) {
        // Their values numbers, as the store reads them and an import checks them (a summary edited to {"x": 1}).
        const { summary, greedy } = reports.get(runId)!;
        if (summary !== null) storedNumbers(summary, `run ${runId}'s summary`, 2);
        if (greedy !== null) storedNumbers(greedy, `run ${runId}'s exact report`, 1);
        for (const { name, firstEpisode, nextEpisode } of metrics.series(runId)) {
          for (let from = firstEpisode; from < nextEpisode; from += CHECK_WINDOW) metrics.readRaw(runId, name, { from, to: Math.min(from + CHECK_WINDOW, nextEpisode) });
        }
        for (const checkpoint of artifacts.listCheckpoints(runId)) {
          if (checkpoint.kind === 'weights') artifacts.getWeights(checkpoint.id);
          else artifacts.getCheckpoint(checkpoint.id);
        }
        const state = savedState.get(runId);
        if (state === undefined) continue;
        try {
          decodeRunState(state);
        } catch (e) {
          if (e instanceof RunStateFormatError) throw new DamagedDataError(`run ${runId}'s saved state ${e.message}`);
          throw e;
        }
      }
    } catch (e) {
      if (!(e instanceof DamagedDataError)) throw e;
      throw new ValidationError([
        `experiment ${id} cannot be exported: the database is damaged (${e.message}): \`aisle check\` lists all its damage; export the other experiments, or restore the database from a backup`,
      ]);
    }
  }
}

/**
 * Why the experiments cannot be exported yet, or undefined. A queued or running run is refused
 * rather than left out: its metrics are still growing and its owner is a process of this machine,
 * so a copy would be a torn snapshot, and the file would lack seeds the comparison was run with
 * without the reader knowing. A paused run exports with its state, resumable where it lands.
 */
function activeRunsProblem(db: Database.Database, ids: readonly number[]): string | undefined {
  const active = db
    .prepare<[string], { id: number; experiment_id: number; status: string }>(
      `SELECT id, experiment_id, status FROM main.runs WHERE experiment_id IN (SELECT value FROM json_each(?)) AND status IN ('queued', 'running') ORDER BY id`,
    )
    .all(JSON.stringify(ids));
  if (active.length === 0) return undefined;
  const experiments = [...new Set(active.map((r) => r.experiment_id))];
  const runs = active.map((r) => `${r.id} (${r.status})`).join(', ');
  return (
    `${experiments.length === 1 ? `experiment ${experiments[0]} has` : `experiments ${experiments.join(', ')} have`} runs still training: ${runs}; ` +
    'wait for them to finish, or pause them (a paused run is exported with its state and resumes where it is imported), then export again'
  );
}
