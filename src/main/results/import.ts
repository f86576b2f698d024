/**
 * Reads a results file (see format.ts) into a database: checked (its kind, its pages, its schema
 * migrated forward on a private copy), then copied by SQLite into the store in one transaction with
 * new ids, every reference remapped. An experiment already there (imported before, or the very one
 * exported) is recognised by its content and not copied again. One copied beside an experiment of
 * the same name is named apart, "cliff (2)", as Run again names a repeat.
 */
import { closeSync, copyFileSync, existsSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { firstFive, listedName, ValidationError } from '../../engine/params';
import { ARTICLE, type FileKind } from '../../engine/file-kind';
import { aisleFileKind, socketInput } from '../files';
import { decodeRunState, RunStateFormatError, type RunState } from '../../engine/resume/format';
import { stateProblems } from '../../engine/resume/run-state';
import type { RunSpec } from '../../engine/train';
import { readPolicyText, storedMdpProblems, type StoredEnvironments } from '../policies';
import { cellText, rowProblems, runProblems, savedStateProblems } from '../row-problems';
import { hashProblems } from '../check-database';
import { errorCode } from '../make-dir';
import { nativeBinding } from '../store/db';
import { DamagedDataError, NotAisleDatabaseError, SchemaTooNewError, Store } from '../store';
import type { ImportedExperiment, ResultsImport, ResultsOrigin } from '../../shared/dto';
import { nameApart } from '../../shared/again-name';
import { passCommitGate, StoppedAtGateError } from './commit-gate';
import { inScratchFolder } from './scratch';
import { columnList, RESULTS_APPLICATION_ID, RESULTS_EXTENSION, RESULTS_FORMAT, storedColumns } from './format';

export type { ImportedExperiment, ResultsImport } from '../../shared/dto';

/** The schema name the file's checked copy is attached under, on the target's connection. */
const BUNDLE = 'results_in';

/**
 * Imports the results file `file` into `store` (a Store, or a connection of its own to the database
 * file: the app's import runs in a worker thread, see results-task.ts). A file that is not one, is
 * damaged or truncated, or was written by a newer Aisle is refused with one ValidationError naming
 * it, before the database is touched; a failure while copying rolls the whole import back.
 * @param folder where to make the file's checked copy: a worker's, which the thread that started it
 *   removes (a stopped worker runs no `finally`); else a private folder of its own, removed after it
 * @param gate shared with the thread that may stop the import, which it tells whether the commit had begun (commit-gate.ts)
 */
export function importResults(store: Pick<Store, 'db'>, file: string, { shownAs = file, folder: given, gate }: { shownAs?: string; folder?: string; gate?: SharedArrayBuffer } = {}): ResultsImport {
  const { db } = store;
  const inFolder = <T>(fn: (folder: string) => T): T => (given === undefined ? inScratchFolder(fn) : fn(given));
  return inFolder((folder) => {
    // A copy: migrating an older file forward writes to it, and the user's file stays as it was.
    const copy = join(folder, `results${RESULTS_EXTENSION}`);
    copyInto(file, copy, shownAs);
    const origin = checkedFile(shownAs, copy);
    openMigrated(shownAs, copy);
    try {
      db.prepare(`ATTACH DATABASE ? AS ${BUNDLE}`).run(copy);
    } catch (e) {
      // Aisle writes UTF-8: a header giving another text encoding (bytes 56–59) reads alone, and
      // failed here (SqliteError "attached databases must use the same text encoding", exit 1).
      if (errorCode(e) === 'SQLITE_ERROR' && /text encoding/.test(String(e))) throw new DamagedResultsError(shownAs, [String(e)], 'its header gives a text encoding other than the UTF-8 Aisle writes');
      throw e;
    }
    try {
      // IMMEDIATE, as Store.transaction: the write lock taken before the first read, so the copy
      // cannot fail with SQLITE_BUSY halfway when another process writes meanwhile.
      const experiments = db
        .transaction(() => {
          const copied = copyExperiments(db);
          // Stopped by now (commit-gate.ts), it rolls back; past here, a stop waits for the commit.
          if (!passCommitGate(gate)) throw new StoppedAtGateError();
          return copied;
        })
        .immediate();
      return { origin, experiments };
    } finally {
      db.prepare(`DETACH DATABASE ${BUNDLE}`).run();
    }
  });
}

/**
 * A results file whose pages or rows are damaged: one line for the user (SQLite's findings name
 * trees, pages and cells, which say nothing to them), SQLite's own words kept in `details` for
 * `--json` and bug reports.
 */
export class DamagedResultsError extends ValidationError {
  constructor(
    file: string,
    /** What was found, in SQLite's words (quick_check's lines, an error's message). */
    readonly details: readonly string[],
    why = "its database failed SQLite's integrity check",
  ) {
    super([`${file}: is damaged (${why}): export it again from the source, or copy it again in full if it was cut short`]);
  }
}

/** Where an Aisle file of another kind goes instead of `aisle results import`. */
const KIND_FIX: Record<FileKind, string> = {
  policy: 'import it with `aisle policies import` (the app: Policies, Import…)',
  experiment: 'run it with `aisle run` (the app: New experiment, Import…)',
  MDP: "name it in an experiment's environment (`\"env\": { \"id\": \"tabular-mdp\", \"mdp\": \"…\" }`)",
  'shop catalog': "name it in an experiment's shop environment (its `catalog`)",
};

function refused(file: string, problem: string): ValidationError {
  return new ValidationError([`${file}: ${problem}`]);
}

function copyInto(source: string, copy: string, file: string): void {
  let stat: Stats;
  try {
    stat = statSync(source);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') throw refused(file, `does not exist: give the path of an ${RESULTS_FORMAT} file (\`aisle results export\` writes one)`);
    throw unreadable(file, e);
  }
  if (stat.isDirectory()) throw refused(file, `is a folder: give the path of an ${RESULTS_FORMAT} file`);
  // A pipe (`curl … | aisle results import /dev/stdin`, a process substitution) has no size, and a
  // file copy of it copies nothing: it was refused as empty. It is read through to its end instead.
  const stream = !stat.isFile();
  const empty = () => refused(file, `is empty: give a file \`aisle results export\` wrote (a copy cut short?)`);
  // SQLite reads an empty file as an empty database, which the checks below would call another program's.
  if (!stream && stat.size === 0) throw empty();
  try {
    if (stream) copyStream(source, copy);
    else copyFileSync(source, copy);
    // A results file has no WAL (export writes it with a rollback journal); an Aisle database open
    // in the app has, holding its latest writes: copied too, so it reads as what it is.
    if (!stream && existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${copy}-wal`);
  } catch (e) {
    throw unreadable(file, e);
  }
  if (stream && statSync(copy).size === 0) throw empty();
}

/** Copies what a pipe or device gives, to its end, into `copy`. */
function copyStream(source: string, copy: string): void {
  const from = openSync(source, 'r');
  try {
    const to = openSync(copy, 'w', 0o600);
    try {
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (let n = readSync(from, buffer); n > 0; n = readSync(from, buffer)) writeSync(to, buffer, 0, n);
    } finally {
      closeSync(to);
    }
  } finally {
    closeSync(from);
  }
}

function unreadable(file: string, e: unknown): ValidationError {
  if (errorCode(e) === 'ENXIO') return socketInput(file);
  return refused(file, `cannot be read (${e instanceof Error ? e.message : String(e)})`);
}

/** The file's kind, format and pages checked on the copy; its provenance row. */
function checkedFile(file: string, copy: string): ResultsOrigin {
  const binding = nativeBinding();
  let db: Database.Database | undefined;
  try {
    db = new Database(copy, binding ? { nativeBinding: binding } : {});
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== RESULTS_APPLICATION_ID) {
      if (userVersion > 0) throw refused(file, `is an Aisle database, not a results file: export its experiments with \`aisle --db ${file} results export <experimentId...> -o <file>\`, or open it with --db`);
      const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      throw refused(file, `is not an Aisle results file (a SQLite database of another program${tables.length > 0 ? `, tables: ${firstFive(tables)}` : ''}): give a file \`aisle results export\` wrote`);
    }
    // SQLite checks a page when it reads it: a file cut short reads as whole until the lost pages are reached.
    const problems = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') {
      // Its first line names the schema ("*** in database main ***"), which the user never sees.
      const lines = problems.flatMap((p) => p.quick_check.split('\n')).filter((line) => !line.startsWith('***'));
      throw new DamagedResultsError(file, lines);
    }
    const row = db.prepare('SELECT format, app_version, source_database, source_host, exported_at FROM aisle_results').all() as {
      format: string;
      app_version: string;
      source_database: string;
      source_host: string;
      exported_at: number;
    }[];
    if (row.length !== 1) throw new DamagedResultsError(file, [`its aisle_results table holds ${row.length} rows, not 1`], 'it does not say once what it holds');
    const meta = row[0]!;
    // The file's own texts, as lists name a file's (listedName): quoted when they hold a control character or run long.
    if (meta.format !== RESULTS_FORMAT) throw refused(file, `is an ${listedName(String(meta.format))} file, and this Aisle reads ${RESULTS_FORMAT}: import it with the Aisle that wrote it (${listedName(String(meta.app_version))}) or a later one`);
    return { format: meta.format, appVersion: meta.app_version, sourceDatabase: meta.source_database, sourceHost: meta.source_host, exportedAt: meta.exported_at };
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    const code = errorCode(e);
    if (code === 'SQLITE_NOTADB') {
      const kind = aisleFileKind(copy, statSync(copy));
      if (kind !== undefined) throw refused(file, `is ${ARTICLE[kind]} file, not an Aisle results file: ${KIND_FIX[kind]}`);
      throw refused(file, `is not an Aisle results file (not a SQLite database): give a file \`aisle results export\` wrote`);
    }
    if (code?.startsWith('SQLITE_CORRUPT') || code?.startsWith('SQLITE_IOERR') || code === 'SQLITE_ERROR') throw new DamagedResultsError(file, [e instanceof Error ? e.message : String(e)]);
    throw e;
  } finally {
    db?.close();
  }
}

/** Opens the copy as the store opens a database, so an older file is migrated to this build's schema. */
function openMigrated(file: string, copy: string): void {
  // Checked as a results file (checkedFile); from here the copy is a database to migrate, which the
  // store refuses to open while its header says it is a results file.
  const raw = new Database(copy, nativeBinding() ? { nativeBinding: nativeBinding()! } : {});
  try {
    raw.pragma('application_id = 0');
  } catch (e) {
    // A header whose write version (byte 18) SQLite does not know opens read-only, reads pass its
    // checks, and this first write failed with SqliteError "attempt to write a readonly database", exit 1.
    if (errorCode(e) === 'SQLITE_READONLY') throw new DamagedResultsError(file, [e instanceof Error ? e.message : String(e)], 'its header says SQLite may only read it: its file format version was changed');
    throw e;
  } finally {
    raw.close();
  }
  let store: Store;
  try {
    store = Store.open(copy);
  } catch (e) {
    if (e instanceof SchemaTooNewError) throw refused(file, `was written by a newer Aisle (schema ${e.found}, this build knows ${e.known}): upgrade Aisle to import it (the file is left as it was)`);
    if (e instanceof NotAisleDatabaseError) throw refused(file, `${e.problem}: give a file \`aisle results export\` wrote`);
    // Its header's schema version (user_version, bytes 60–63) changed: the migrations from there
    // met tables already made (SqliteError "table experiments already exists", exit 1).
    if (errorCode(e)?.startsWith('SQLITE_')) throw new DamagedResultsError(file, [e instanceof Error ? e.message : String(e)], 'its tables are not those of the schema version its header gives');
    throw e;
  }
  try {
    // Every run's metrics, checkpoints and policies belong to a run in the file, and every run to an experiment.
    const broken = store.db.prepare('PRAGMA foreign_key_check').all();
    if (broken.length > 0) throw new DamagedResultsError(file, [`${broken.length} rows refer to rows it lacks (PRAGMA foreign_key_check)`], 'some of its rows refer to others it lacks');
    // The rows as the app reads them (row-problems.ts), then the policies as `aisle policies import` reads them.
    // The first problem refuses the file (leaving the loop closes the rows' cursor, which would keep the connection busy).
    for (const problem of rowProblems(store.db)) throw refused(file, `${problem} (${EDITED})`);
    // Settings against their stored identity, as `aisle check` reads them: Compare groups runs by it.
    for (const problem of hashProblems(store.db)) throw refused(file, `${problem} (${EDITED})`);
    // Each run's row against its config and its metrics (row-problems.ts, which `aisle check` runs too).
    for (const problem of runProblems(store.db)) throw refused(file, `${problem} (${EDITED})`);
    policyProblem(store, file);
    // Every metric chunk against the summary beside it, every checkpoint against its digest, as a
    // read of them checks: SQLite checks pages, not what a BLOB holds, and damaged values imported
    // were found only later, by a read that blamed the user's own database.
    try {
      for (const runId of store.db.prepare<[], number>('SELECT id FROM runs ORDER BY id').pluck().all()) {
        for (const name of store.metricNames(runId)) store.readMetricRaw(runId, name);
        for (const checkpoint of store.listCheckpoints(runId)) {
          if (checkpoint.kind === 'weights') store.getWeights(checkpoint.id);
          else store.getCheckpoint(checkpoint.id);
        }
        savedStateProblem(store, runId, file);
      }
      for (const problem of savedStateProblems(store.db)) throw refused(file, `${problem} (${EDITED})`);
    } catch (e) {
      if (e instanceof DamagedDataError) throw new DamagedResultsError(file, [e.message], `the file's ${e.message}`);
      throw e;
    }
  } catch (e) {
    // quick_check (checkedFile) reads every page but not every cell's content: a damaged record can
    // pass it and fail the first query that decodes it (SqliteError "database disk image is
    // malformed", exit 1). Only the copy is open here, so the damage is the file's.
    const code = errorCode(e);
    if (code?.startsWith('SQLITE_CORRUPT') || code?.startsWith('SQLITE_IOERR')) throw new DamagedResultsError(file, [e instanceof Error ? e.message : String(e)], 'a record in it is malformed, which SQLite found reading it');
    throw e;
  } finally {
    store.close();
  }
}

/**
 * A stopped run's saved state (what Resume continues from) read as resume reads it, and checked to
 * be its own run's: a damaged or foreign one imported as a paused run that then could not resume.
 */
function savedStateProblem(store: Store, runId: number, file: string): void {
  const bytes = store.db.prepare<[number], Buffer>('SELECT data FROM run_states WHERE run_id = ?').pluck().get(runId);
  if (bytes === undefined) return;
  let state: RunState;
  try {
    state = decodeRunState(bytes);
  } catch (e) {
    if (e instanceof RunStateFormatError) throw new DamagedResultsError(file, [e.message], `the file's run ${runId}'s saved state ${e.message}`);
    throw e;
  }
  const problem = stateProblems(store.getRun(runId).config as RunSpec, state)[0];
  if (problem !== undefined) throw refused(file, `run ${runId}'s saved state: ${problem} (${EDITED})`);
  // Resume continues at the row's episode, from metrics cut back to it: a state past the episodes
  // done would continue after a stretch of episodes no metric holds, and one whose row and bytes
  // disagree would count its episodes from the wrong one.
  const { episode } = store.db.prepare<[number], { episode: number }>('SELECT episode FROM run_states WHERE run_id = ?').get(runId)!;
  // (One past the episodes done is savedStateProblems', checked after every run's.)
  if (episode !== state.episode) throw refused(file, `run ${runId}'s saved state: its row lists episode ${episode}, and its state says ${state.episode} (${EDITED})`);
}

/** What a hand-edited file's problem is followed by, as the name check says it. */
const EDITED = 'a file edited by hand? export it again from the source';

/**
 * Each policy as `aisle policies import` checks its file (readPolicyText: its environment's
 * settings too), with the sizes its row lists. A policy refused here would have been stored, shown
 * and written out again by `aisle policies export` as if it were sound.
 */
function policyProblem(store: Store, file: string): void {
  // One policy's file in memory at a time (a 20,000-state table's is 2 MB, a shop's ~15 MB): read
  // all first, 221 of them held 453 MB of text at once. By id, as storedMdpProblems reads the
  // database while a policy is checked, which an open iterate() would not allow.
  const ids = store.db.prepare<[], number>('SELECT id FROM policies ORDER BY id').pluck();
  const policy = store.db.prepare<[number], { id: number; json: string; kind: string; envId: string; states: number; actions: number }>(
    'SELECT id, json, kind, env_id AS envId, states, actions FROM policies WHERE id = ?',
  );
  // Each environment the policies were trained on found and built once: the file does not change meanwhile.
  const built: StoredEnvironments = new Map();
  for (const id of ids.all()) {
    const row = policy.get(id)!;
    const read = readPolicyText(row.json, `policy ${row.id}`);
    if (!read.ok) throw refused(file, `policy ${row.id}: ${read.problems[0]} (${EDITED})`);
    const listed = read.sizes;
    const field = (['kind', 'envId', 'states', 'actions'] as const).find((k) => listed[k] !== row[k]);
    if (field) throw refused(file, `policy ${row.id}: its row lists ${field} ${cellText(row[field])}, and its file says ${cellText(listed[field])} (${EDITED})`);
    // A tabular-MDP policy names its MDP by hash only: its tables against that MDP as the file holds
    // it (its run's or experiment's), as `aisle policies import` checks them against the database's.
    const [misfit] = storedMdpProblems(store, read, 'in the file', built);
    if (misfit !== undefined) throw refused(file, `policy ${row.id}: ${misfit} (${EDITED})`);
  }
}

interface BundleExperiment {
  id: number;
  name: string;
  config_hash: string;
  created_at: number;
}

/** The runs' seeds and creation times, in one order: with the config hash and creation time, an experiment's identity. */
function runsKey(db: Database.Database, schema: string, experimentId: number): string {
  return JSON.stringify(db.prepare(`SELECT seed, created_at FROM ${schema}.runs WHERE experiment_id = ? ORDER BY seed, created_at`).raw().all(experimentId));
}

/** Inside the store's transaction: each experiment of the file copied with new ids, or recognised. */
function copyExperiments(db: Database.Database): ImportedExperiment[] {
  const insertOne = (table: 'experiments' | 'runs' | 'metric_series' | 'policies' | 'metric_chunks' | 'checkpoints' | 'run_states', set: Record<string, string>, where: string, orderBy = '') => {
    // Every stored column but the id, those in `set` given by the expression there.
    const columns = storedColumns(db, 'main', table).filter((c) => c !== 'id');
    const values = columns.map((c) => set[c] ?? `b."${c}"`);
    return db.prepare(`INSERT INTO main.${table} (${columnList(columns)}) SELECT ${values.join(', ')} FROM ${BUNDLE}.${table} b WHERE ${where}${orderBy}`);
  };
  // An experiment is new here: nobody has edited it, and none of its runs were deleted.
  const insertExperiment = insertOne('experiments', { revision: '0', runs_deleted: '0' }, 'b.id = @from');
  // The owner session is the exporting machine's; a run there no process here can claim.
  const insertRun = insertOne('runs', { experiment_id: '@to', owner_session: 'NULL' }, 'b.id = @from');
  const insertSeries = insertOne('metric_series', { run_id: '@to' }, 'b.id = @from');
  const insertPolicy = insertOne('policies', { run_id: '@to' }, 'b.id = @from');
  // The rows of one series or run (metric chunks and run states have no id column of their own).
  const copyChunks = insertOne('metric_chunks', { series_id: '@to' }, 'b.series_id = @from');
  const copyCheckpoints = insertOne('checkpoints', { run_id: '@to' }, 'b.run_id = @from', ' ORDER BY b.id');
  const copyState = insertOne('run_states', { run_id: '@to' }, 'b.run_id = @from');
  // A policy whose very file is stored here already (`aisle policies import` of the file exported
  // at home, an earlier results file, or another run of this one that made the same policy) is that
  // one, not a copy: as policies.import, two rows of one file would be told apart by nothing.
  const samePolicy = db.prepare<[number], number>(`SELECT id FROM main.policies WHERE json = (SELECT json FROM ${BUNDLE}.policies WHERE id = ?) ORDER BY id LIMIT 1`).pluck();
  // A policy belongs to one run (policies.run_id). One reused that no run here holds (its run was
  // deleted, or the file came in by Import policy) becomes the imported run's, whose page then lists
  // it as it did where it was exported; one another run here holds stays that run's.
  const adoptPolicy = db.prepare<[number, number]>('UPDATE main.policies SET run_id = ? WHERE id = ? AND run_id IS NULL');
  const ids = (sql: string, id: number) => db.prepare<[number], number>(sql).pluck().all(id);
  const bundleExperiments = db.prepare<[], BundleExperiment>(`SELECT id, name, config_hash, created_at FROM ${BUNDLE}.experiments ORDER BY id`).all();
  // Recognised among the experiments stored before this import only, each by one experiment of the
  // file at most: a sweep's experiments are made within a millisecond with one behaviour hash and
  // one set of seeds, and the second of two such was taken for the first one's copy, just made,
  // and silently left out (exit 0). Their settings beyond behaviour (evaluation, checkpoints…) tell
  // them apart too; name and description do not, as a rename at home keeps an experiment itself.
  const before = db.prepare<[], number | null>('SELECT max(id) FROM main.experiments').pluck().get() ?? 0;
  const candidates = db.prepare<[string, number, number], number>('SELECT id FROM main.experiments WHERE config_hash = ? AND created_at = ? AND id <= ? ORDER BY id').pluck();
  const settings = (schema: string) => db.prepare<[number], string>(`SELECT json_remove(config, '$.name', '$.description') FROM ${schema}.experiments WHERE id = ?`).pluck();
  const [settingsThere, settingsHere] = [settings(BUNDLE), settings('main')];
  const claimed = new Set<number>();
  // An experiment copied beside one of the same name is named apart, "cliff (2)" (nameApart): two
  // copies of "cliff" from two machines would be told apart in no list, picker or comparison. The
  // name is picked here, in the transaction, so a launch or import meanwhile cannot take it too.
  const namesBefore = db.prepare<[], string>('SELECT name FROM main.experiments').pluck().all();
  const namesGiven = new Set<string>();
  const rename = db.prepare<{ name: string; id: number }>("UPDATE main.experiments SET name = @name, config = json_set(config, '$.name', @name) WHERE id = @id");

  return bundleExperiments.map((e) => {
    const key = runsKey(db, BUNDLE, e.id);
    const own = settingsThere.get(e.id);
    const here = candidates.all(e.config_hash, e.created_at, before).find((id) => !claimed.has(id) && settingsHere.get(id) === own && runsKey(db, 'main', id) === key);
    if (here !== undefined) {
      claimed.add(here);
      return { from: e.id, id: here, name: e.name, alreadyImported: true, runs: [], policies: [], checkpoints: 0 };
    }
    const experimentId = Number(insertExperiment.run({ from: e.id }).lastInsertRowid);
    const name = nameApart(e.name, namesBefore, namesGiven, false);
    namesGiven.add(name);
    if (name !== e.name) rename.run({ name, id: experimentId });
    const runs: { from: number; id: number }[] = [];
    const policies: ImportedExperiment['policies'][number][] = [];
    let checkpoints = 0;
    for (const from of ids(`SELECT id FROM ${BUNDLE}.runs WHERE experiment_id = ? ORDER BY id`, e.id)) {
      const runId = Number(insertRun.run({ from, to: experimentId }).lastInsertRowid);
      runs.push({ from, id: runId });
      for (const series of ids(`SELECT id FROM ${BUNDLE}.metric_series WHERE run_id = ? ORDER BY id`, from)) {
        const seriesId = Number(insertSeries.run({ from: series, to: runId }).lastInsertRowid);
        copyChunks.run({ from: series, to: seriesId });
      }
      checkpoints += copyCheckpoints.run({ from, to: runId }).changes;
      copyState.run({ from, to: runId });
      for (const policy of ids(`SELECT id FROM ${BUNDLE}.policies WHERE run_id = ? ORDER BY id`, from)) {
        const stored = samePolicy.get(policy);
        if (stored !== undefined) {
          adoptPolicy.run(runId, stored);
          policies.push({ from: policy, id: stored, alreadyStored: true });
        }
        else policies.push({ from: policy, id: Number(insertPolicy.run({ from: policy, to: runId }).lastInsertRowid), alreadyStored: false });
      }
    }
    return { from: e.id, id: experimentId, name: e.name, ...(name !== e.name ? { renamed: name } : {}), alreadyImported: false, runs, policies, checkpoints };
  });
}
