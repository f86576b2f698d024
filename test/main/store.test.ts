import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ActiveRunError,
  IllegalTransitionError,
  LATEST_VERSION,
  MIGRATIONS,
  NotFoundError,
  SchemaTooNewError,
  NotAisleDatabaseError,
  Store,
  defaultDbPath,
  migrate,
  openDatabase,
  resolveDbPath,
  schemaVersion,
  type NewExperiment,
} from '../../src/main/store';
import { toContractError } from '../../src/shared/dispatch';
import { isAlive, processStartMs } from '../../src/main/store/sessions';

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

type Created = ReturnType<Store['createExperimentWithRuns']>;

function experiment(seeds: number[] = [1, 2, 3]): NewExperiment {
  const config = { name: 'quickstart', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 100, seeds };
  return {
    name: 'quickstart',
    config,
    configHash: hash(JSON.stringify(config)),
    source: 'form',
    runs: seeds.map((seed) => ({
      seed,
      config: { ...config, seed },
      configHash: hash(JSON.stringify({ ...config, seed })),
      appVersion: '0.1.0',
      episodesTotal: 100,
    })),
  };
}

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-store-'));
  dbPath = path.join(dir, 'nested', 'aisle.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The database file as an earlier build left it: migrated to `version` only, holding experiment 1
 * with a completed run 1 and its metric series 1 ("r", episodes [0, episodes)) but no chunks yet.
 */
function fileAtVersion(version: number, episodes: number): Database.Database {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, version));
  db.exec(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (1, 'e', '{}', '${'0'.repeat(64)}', 0)`);
  db.exec(`INSERT INTO runs (id, experiment_id, seed, config, config_hash, app_version, episodes_total, status, created_at)
           VALUES (1, 1, 1, '{}', '${'0'.repeat(64)}', 'old', ${episodes}, 'completed', 0)`);
  db.exec(`INSERT INTO metric_series (id, run_id, name, first_episode, next_episode) VALUES (1, 1, 'r', 0, ${episodes})`);
  return db;
}

/** A chunk row's present, min, max and sum, as the writer computes them (the reader checks a chunk against them). */
function summaryOf(values: Float32Array): [number, number, number, number] {
  const sum = values.reduce((total, v) => total + v, 0);
  return [values.length, Math.min(...values), Math.max(...values), sum];
}

describe('migrations', () => {
  it('bring a new file to the latest version, in WAL mode, with the parent folder created', () => {
    const store = Store.open(dbPath);
    expect(fs.existsSync(dbPath)).toBe(true);
    expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
    store.close();
  });

  it.runIf(process.platform !== 'win32')('make a new database and its folders for their owner only; an existing file keeps its mode', () => {
    const nested = path.join(path.dirname(dbPath), 'made', 'here', 'own.db');
    const store = Store.open(nested);
    store.createExperimentWithRuns({ name: 'e', config: {}, configHash: 'a'.repeat(64), runs: [] }); // a write: the -wal file exists
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(nested)).toBe(0o600);
    expect(mode(`${nested}-wal`)).toBe(0o600);
    expect(mode(path.dirname(nested))).toBe(0o700);
    expect(mode(path.dirname(path.dirname(nested)))).toBe(0o700);
    store.close();
    fs.chmodSync(nested, 0o640);
    Store.open(nested).close();
    expect(mode(nested)).toBe(0o640);
    // A link to a database not made yet (--db lab.db → runs/lab.db): the exclusive create refused the
    // link (EEXIST), and SQLite made the file it reaches with the umask's mode, 0644: readable by all.
    const target = path.join(path.dirname(nested), 'linked', 'target.db');
    fs.mkdirSync(path.dirname(target));
    const link = path.join(path.dirname(nested), 'link.db');
    fs.symlinkSync(target, link);
    Store.open(link).close();
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(mode(target)).toBe(0o600);
  });

  it('are a no-op on reopening', () => {
    Store.open(dbPath).close();
    const db = openDatabase(dbPath);
    expect(migrate(db)).toEqual([]);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it("refuse another program's database (tables, user_version 0) without touching it", () => {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    const raw = new Database(dbPath);
    raw.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    raw.close();
    const before = fs.readFileSync(dbPath);
    expect(() => Store.open(dbPath)).toThrow(NotAisleDatabaseError);
    expect(() => Store.open(dbPath)).toThrow(`${dbPath} is a SQLite database of another program (its tables: customers), not Aisle's: give an Aisle database or a new file`);
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
    // An empty file (no schema at all) is a new database.
    fs.writeFileSync(dbPath, '');
    Store.open(dbPath).close();
    const opened = new Database(dbPath);
    expect(schemaVersion(opened)).toBe(LATEST_VERSION);
    opened.close();
  });

  it('refuse a database written by a newer Aisle', () => {
    Store.open(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    expect(() => Store.open(dbPath)).toThrow(SchemaTooNewError);
    expect(() => Store.open(dbPath)).toThrow(
      `this database was written by a newer Aisle (schema ${LATEST_VERSION + 5}, this build knows ${LATEST_VERSION}): ` +
        'upgrade Aisle or use another --db',
    );
  });

  it('leave a newer Aisle\'s database byte for byte as it was (not switched to WAL first)', () => {
    Store.open(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma('journal_mode = DELETE'); // as a newer Aisle might keep it
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(dbPath);
    expect(before[18]).toBe(1); // the header's read/write versions: 1 = rollback journal, 2 = WAL
    expect(() => Store.open(dbPath)).toThrow(SchemaTooNewError);
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
  });

  it('carry a version 4 file’s metrics into version 5 unchanged, and then allow constant chunks', () => {
    // A file as the previous build left it: schema 4, a run with a metric in two chunks.
    const old = fileAtVersion(4, 5000);
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i));
    const raw = (from: number, to: number) => Buffer.from(values.slice(from, to).buffer);
    const put = old.prepare(`INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data) VALUES (1, ?, ?, ?, ?, ?, ?, ?)`);
    put.run(0, 4096, ...summaryOf(values.slice(0, 4096)), raw(0, 4096));
    put.run(4096, 904, ...summaryOf(values.slice(4096, 5000)), raw(4096, 5000));
    // Schema 4 refuses a constant chunk.
    expect(() => put.run(8192, 10, 10, 0, 0, 0, raw(0, 1))).toThrow(/CHECK constraint failed/);
    old.close();

    const store = Store.open(dbPath);
    expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
    expect(Buffer.from(store.readMetricRaw(1, 'r').buffer).equals(Buffer.from(values.buffer))).toBe(true);
    // Now a constant chunk is allowed, and one of the wrong length still is not.
    const putNew = store.db.prepare(`INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data) VALUES (1, ?, 10, 10, 0, 0, 0, ?)`);
    expect(() => putNew.run(8192, raw(0, 1))).not.toThrow();
    expect(() => putNew.run(12288, raw(0, 2))).toThrow(/CHECK constraint failed/);
    // Deleting the run still takes its chunks (the rebuilt table kept its foreign key).
    store.db.exec('DELETE FROM runs WHERE id = 1');
    expect(store.db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(0);
    store.close();
  });

  it('carry a version 5 file’s chunks into version 6 unchanged, and then allow int8 and int16 chunks', () => {
    const old = fileAtVersion(5, 8200);
    const values = Float32Array.from({ length: 4096 }, (_, i) => Math.cos(i));
    const put = old.prepare(`INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data) VALUES (1, ?, ?, ?, ?, ?, ?, ?)`);
    put.run(0, 4096, ...summaryOf(values), Buffer.from(values.buffer));
    put.run(4096, 4096, ...summaryOf(new Float32Array(4096).fill(7)), Buffer.from(Float32Array.of(7).buffer)); // constant
    // Schema 5 refuses an int8 chunk.
    expect(() => put.run(8192, 8, 8, 1, 8, 36, Buffer.from(Int8Array.of(1, 2, 3, 4, 5, 6, 7, 8).buffer))).toThrow(/CHECK constraint failed/);
    old.close();

    const store = Store.open(dbPath);
    expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
    const want = new Float32Array(8192);
    want.set(values);
    want.fill(7, 4096);
    expect(Buffer.from(store.readMetricRaw(1, 'r', { to: 8192 }).buffer).equals(Buffer.from(want.buffer))).toBe(true);
    const putNew = store.db.prepare(`INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data) VALUES (1, 8192, ?, ?, ?, ?, ?, ?)`);
    // int8 and int16 need every value present and more than 4 of them.
    expect(() => putNew.run(8, 7, 0, 0, 0, Buffer.alloc(8))).toThrow(/CHECK constraint failed/);
    expect(() => putNew.run(3, 3, 0, 0, 0, Buffer.alloc(3))).toThrow(/CHECK constraint failed/);
    expect(() => putNew.run(8, 8, 0, 0, 0, Buffer.alloc(9))).toThrow(/CHECK constraint failed/);
    expect(() => putNew.run(8, 8, 0, 0, 0, Buffer.alloc(16))).not.toThrow(); // int16
    store.db.exec('DELETE FROM metric_chunks WHERE start_episode = 8192');
    expect(() => putNew.run(8, ...summaryOf(Float32Array.of(1, -2, 3, -4, 5, -6, 7, -8)), Buffer.from(Int8Array.of(1, -2, 3, -4, 5, -6, 7, -8).buffer))).not.toThrow();
    expect(Array.from(store.readMetricRaw(1, 'r', { from: 8192 }))).toEqual([1, -2, 3, -4, 5, -6, 7, -8]);
    store.db.exec('DELETE FROM runs WHERE id = 1');
    expect(store.db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(0);
    store.close();
  });

  it('count a version 8 file’s experiments’ deleted runs from then on, whoever deletes them', () => {
    const old = fileAtVersion(8, 10);
    old.exec(`INSERT INTO runs (id, experiment_id, seed, config, config_hash, app_version, episodes_total, status, created_at)
              VALUES (2, 1, 2, '{}', '${'0'.repeat(64)}', 'old', 10, 'completed', 0)`);
    old.exec(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (2, 'f', '{}', '${'0'.repeat(64)}', 0)`);
    old.close();
    const store = Store.open(dbPath);
    const counts = () => store.db.prepare('SELECT id, runs_deleted FROM experiments ORDER BY id').raw().all();
    expect(counts()).toEqual([[1, 0], [2, 0]]);
    // Plain SQL on another connection, as another process's delete: counted all the same.
    const other = openDatabase(dbPath);
    other.exec('DELETE FROM runs WHERE id = 1');
    expect(counts()).toEqual([[1, 1], [2, 0]]);
    // An experiment deleted whole takes its runs, and its row, with it.
    other.exec('DELETE FROM experiments WHERE id = 1');
    expect(counts()).toEqual([[2, 0]]);
    expect(store.db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    other.close();
    store.close();
  });

  it("give a version 11 file's runs a training time from their start and end (right for runs never paused), and index it for the runs list", () => {
    const old = fileAtVersion(11, 10);
    old.exec(`UPDATE runs SET started_at = 1000, finished_at = 61000, progress_at = 60500 WHERE id = 1`);
    const insert = old.prepare(`INSERT INTO runs (id, experiment_id, seed, config, config_hash, app_version, episodes_total, status, created_at, started_at, finished_at, progress_at)
                                VALUES (?, 1, ?, '{}', '${'0'.repeat(64)}', 'old', 10, ?, 0, ?, ?, ?)`);
    insert.run(2, 2, 'running', 2000, null, 9000); // training (in a process of this build, or a dead one): to its last batch
    insert.run(3, 3, 'queued', null, null, null); // never started
    insert.run(4, 4, 'paused', 3000, 8000, 7900);
    insert.run(5, 5, 'queued', 3000, null, 4000); // resumed, waiting: to its last sign of life
    insert.run(6, 6, 'interrupted', 5000, 5000, null); // crashed before its first batch
    old.close();
    const store = Store.open(dbPath);
    const times = () => store.db.prepare('SELECT id, active_ms FROM runs ORDER BY id').raw().all();
    expect(times()).toEqual([[1, 60_000], [2, 7_000], [3, null], [4, 5_000], [5, 1_000], [6, 0]]);
    // Its process is gone (no session): interrupted at its last batch, with the time it had then.
    expect(store.getRun(2)).toMatchObject({ status: 'interrupted', finishedAt: 9_000, activeMs: 7_000, activeAt: null });
    expect(store.db.prepare(`SELECT name FROM pragma_index_info('runs_listing')`).pluck().all()).toEqual(expect.arrayContaining(['active_ms', 'progress_at']));
    expect(() => store.db.exec('UPDATE runs SET active_ms = -1 WHERE id = 1')).toThrow(/CHECK constraint failed/);
    store.close();
  });

  it('leave a connection that read the tables before another process migrated the file with the current schema', () => {
    // The app and `aisle run` opening a new database at once: one connection reads the tables as
    // an earlier migration left them, then the other brings the file to the latest version.
    const first = fileAtVersion(2, 0);
    const late = new Database(dbPath);
    expect(late.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(migrate(first)).toEqual(MIGRATIONS.slice(2).map((m) => m.version));
    first.close();
    expect(migrate(late)).toEqual([]);
    // Migration 3 made return_last100 a plain column, which the Store's statements update.
    const store = new Store(late);
    expect(store.getRun(1).status).toBe('completed');
    store.close();
  });

  it('roll a failing migration back whole', () => {
    const db = new Database(':memory:');
    const broken = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'b'`).pluck().get()).toBe(0);
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: '' }])).toThrow(/versions must run 1, 2, 3/);
    db.close();
  });
});

describe('experiments and runs', () => {
  let store: Store;
  beforeEach(() => {
    store = Store.open(':memory:');
  });
  afterEach(() => store.close());

  it('creates an experiment with its runs, each with its config snapshot, hash, seed and version', () => {
    const input = experiment();
    const { experiment: e, runs } = store.createExperimentWithRuns(input);
    expect(e).toMatchObject({ name: 'quickstart', config: input.config, configHash: input.configHash, source: 'form' });
    expect(runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    for (const [i, run] of runs.entries()) {
      expect(run).toMatchObject({
        experimentId: e.id,
        status: 'queued',
        config: input.runs[i]!.config,
        configHash: input.runs[i]!.configHash,
        appVersion: '0.1.0',
        episodesTotal: 100,
        episodesDone: 0,
        startedAt: null,
        finishedAt: null,
        summary: null,
        error: null,
      });
      expect(Number.isInteger(run.id)).toBe(true);
      expect(store.getRun(run.id)).toEqual(run);
    }
    expect(store.getExperiment(e.id)).toEqual(e);
  });

  it('writes nothing when one run violates a constraint half-way', () => {
    const input = experiment();
    const bad: NewExperiment = { ...input, runs: [input.runs[0]!, input.runs[1]!, { ...input.runs[2]!, episodesTotal: -1 }] };
    expect(() => store.createExperimentWithRuns(bad)).toThrow(/CHECK constraint failed/);
    const notHex: NewExperiment = { ...input, runs: [input.runs[0]!, { ...input.runs[1]!, configHash: 'nope' }] };
    expect(() => store.createExperimentWithRuns(notHex)).toThrow(/CHECK constraint failed/);
    expect(store.listExperiments()).toEqual([]);
    expect(store.countRuns()).toBe(0);
  });

  it('lists experiments with run counts by status', () => {
    const { experiment: a, runs } = store.createExperimentWithRuns(experiment());
    const { experiment: b } = store.createExperimentWithRuns(experiment([7]));
    store.markRunning(runs[0]!.id);
    store.finishRun(runs[0]!.id, 'completed');
    store.finishRun(runs[1]!.id, 'cancelled');
    const [la, lb] = store.listExperiments();
    expect(la!.id).toBe(a.id);
    expect(la!.runsTotal).toBe(3);
    expect(la!.runCounts).toEqual({ queued: 1, running: 0, completed: 1, failed: 0, cancelled: 1, interrupted: 0, paused: 0 });
    expect(lb!.id).toBe(b.id);
    expect(lb!.runCounts.queued).toBe(1);
  });

  it('follows the status lifecycle and refuses illegal transitions', () => {
    const { runs } = store.createExperimentWithRuns(experiment([1, 2, 3, 4]));
    const [a, b, c, d] = runs.map((r) => r.id) as [number, number, number, number];

    const running = store.markRunning(a);
    expect(running.status).toBe('running');
    expect(running.startedAt).toBeTypeOf('number');
    const done = store.finishRun(a, 'completed', { summary: { return: { mean: 1.5, last100: 2 } }, greedy: { score: 0.9 } });
    expect(done).toMatchObject({ status: 'completed', summary: { return: { mean: 1.5, last100: 2 } }, greedy: { score: 0.9 } });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt!);

    store.markRunning(b);
    expect(store.finishRun(b, 'failed', { error: 'agent diverged' })).toMatchObject({ status: 'failed', error: 'agent diverged' });
    expect(store.finishRun(c, 'cancelled').status).toBe('cancelled'); // a queued run can be cancelled

    expect(() => store.finishRun(c, 'completed')).toThrow(IllegalTransitionError);
    expect(() => store.finishRun(c, 'completed')).toThrow(
      `cannot mark run ${c} completed: it is cancelled, and only a running run can become completed`,
    );
    expect(() => store.markRunning(a)).toThrow(`cannot mark run ${a} running: it is completed`);
    expect(() => store.finishRun(d, 'completed')).toThrow(/it is queued/);
    expect(() => store.finishRun(a, 'failed')).toThrow(IllegalTransitionError);
    expect(store.getRun(a).status).toBe('completed');
  });

  it("keeps a resumed run's first start, and counts its training time without its pause", () => {
    const { runs } = store.createExperimentWithRuns(experiment([1]));
    const id = runs[0]!.id;
    expect(store.getRun(id)).toMatchObject({ activeMs: null, activeAt: null }); // queued: never trained
    expect(store.markRunning(id, 1_000)).toMatchObject({ activeMs: 0, activeAt: 1_000 });
    expect(store.finishRun(id, 'paused', { at: 5_000 })).toMatchObject({ activeMs: 4_000, activeAt: null });
    store.resumeRun(id);
    expect(store.getRun(id)).toMatchObject({ status: 'queued', startedAt: 1_000, finishedAt: null, activeMs: 4_000, activeAt: null });
    // Paused from 5,000 to 9,000: the resume counts on from 4,000, not from 8,000.
    expect(store.markRunning(id, 9_000)).toMatchObject({ startedAt: 1_000, activeMs: 4_000, activeAt: 9_000 });
    const finished = store.finishRun(id, 'completed', { at: 12_000 });
    expect(finished).toMatchObject({ startedAt: 1_000, finishedAt: 12_000, activeMs: 7_000, activeAt: null });
    expect(finished.finishedAt! - finished.startedAt! - finished.activeMs!, 'the pause').toBe(4_000);
    expect(store.listRuns({ orderBy: 'startedAt' }).find((r) => r.id === id)?.startedAt).toBe(1_000);
    expect(store.getRunItem(id)).toMatchObject({ activeMs: 7_000, activeAt: null });
    expect(store.getRunState(id)).toMatchObject({ activeMs: 7_000, activeAt: null });
  });

  it('adds each metric batch\'s stretch to a running run\'s training time, and none to a queued run cancelled', () => {
    const { runs } = store.createExperimentWithRuns(experiment([1, 2]));
    const [id, queued] = [runs[0]!.id, runs[1]!.id];
    const batch = (start: number) => ({ start, count: 2, columns: { return: Float32Array.of(1, 2) } });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      store.markRunning(id, 1_000);
      vi.setSystemTime(3_500);
      store.appendMetrics(id, batch(0));
      expect(store.getRun(id)).toMatchObject({ activeMs: 2_500, activeAt: 3_500 });
      expect(store.getRunItem(id)).toMatchObject({ activeMs: 2_500, activeAt: 3_500 });
      vi.setSystemTime(4_000);
      store.appendMetrics(id, batch(2));
      expect(store.getRun(id)).toMatchObject({ activeMs: 3_000, activeAt: 4_000 });
      // A finish whose time was taken before a batch that waited for the lock counts no negative stretch.
      expect(store.finishRun(id, 'completed', { at: 3_900 })).toMatchObject({ activeMs: 3_000, finishedAt: 3_900 });
      expect(store.finishRun(queued, 'cancelled', { at: 6_000 })).toMatchObject({ activeMs: null, finishedAt: 6_000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('lists, counts, filters, orders and pages runs', () => {
    const { experiment: e1, runs: r1 } = store.createExperimentWithRuns(experiment([1, 2, 3]));
    const { experiment: e2 } = store.createExperimentWithRuns(experiment([4, 5]));
    store.markRunning(r1[1]!.id);
    expect(store.countRuns()).toBe(5);
    expect(store.countRuns({ experimentId: e2.id })).toBe(2);
    expect(store.listRuns({ status: 'running' }).map((r) => r.id)).toEqual([r1[1]!.id]);
    expect(store.countRuns({ status: ['running', 'queued'], experimentId: e1.id })).toBe(3);
    expect(store.countRuns({ status: [] })).toBe(0);
    expect(store.listRuns({ descending: true, limit: 2 }).map((r) => r.seed)).toEqual([5, 4]);
    expect(store.listRuns({ limit: 2, offset: 2 }).map((r) => r.seed)).toEqual([3, 4]);
    expect(store.listRuns({ orderBy: 'startedAt', descending: true })[0]!.id).toBe(r1[1]!.id);
    // Prepared once per query shape.
    expect(store.listRuns({ experimentId: e1.id }).map((r) => r.seed)).toEqual([1, 2, 3]);
  });

  it('deletes an experiment with everything its runs own; exported policies stay, without a run', () => {
    const { experiment: e, runs } = store.createExperimentWithRuns(experiment());
    const id = runs[0]!.id;
    store.markRunning(id);
    store.appendMetrics(id, { start: 0, count: 3, columns: { return: Float32Array.of(1, 2, 3) } });
    store.addCheckpoint(id, { episode: 3, kind: 'qtable', states: 1, actions: 2, data: Float64Array.of(1, 2) });
    const policy = store.savePolicy({ runId: id, json: '{}' });
    expect(() => store.deleteExperiment(e.id)).toThrow(`cannot delete experiment ${e.id}: run ${id} is running; cancel it first`);
    expect(() => store.deleteRuns([id])).toThrow(/it is running; cancel it first/);
    // A typed refusal: the app answers it 409 (a run started after the service's own check), the CLI exit 2.
    for (const attempt of [() => store.deleteExperiment(e.id), () => store.deleteRuns([id])]) {
      const refusal = (() => {
        try {
          attempt();
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(ActiveRunError);
      expect(toContractError(refusal)).toMatchObject({ name: 'Conflict', status: 409 });
    }
    store.finishRun(id, 'completed');
    store.deleteExperiment(e.id);
    for (const table of ['experiments', 'runs', 'metric_series', 'metric_chunks', 'checkpoints']) {
      expect(store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    expect(store.getPolicy(policy)).toMatchObject({ id: policy, runId: null, origin: 'export' });
    expect(() => store.getExperiment(e.id)).toThrow(NotFoundError);
  });

  it('deletes one run, and never hands its id out again', () => {
    const { experiment: e, runs } = store.createExperimentWithRuns(experiment([1]));
    const id = runs[0]!.id;
    store.appendMetrics(id, { start: 0, count: 2, columns: { return: Float32Array.of(1, 2) } });
    store.deleteRuns([id]);
    expect(() => store.getRun(id)).toThrow(NotFoundError);
    expect(store.db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(0);
    expect(store.getExperiment(e.id).id).toBe(e.id);
    const again = store.createExperimentWithRuns(experiment([1])).runs[0]!;
    expect(again.id).toBeGreaterThan(id);
  });

  it('deletes several runs in one transaction: all of them, or none when one is running or unknown', () => {
    const { runs } = store.createExperimentWithRuns(experiment([1, 2, 3]));
    const [a, b, c] = runs.map((r) => r.id) as [number, number, number];
    for (const id of [a, b]) store.appendMetrics(id, { start: 0, count: 2, columns: { return: Float32Array.of(1, 2) } });
    store.markRunning(c);
    expect(() => store.deleteRuns([a, b, c])).toThrow(`cannot delete run ${c}: it is running; cancel it first`);
    expect(() => store.deleteRuns([a, b, 42])).toThrow('run 42 does not exist');
    expect(store.listRuns().map((r) => r.id)).toEqual([a, b, c]);
    expect(store.readMetricRaw(a, 'return').length).toBe(2);
    store.deleteRuns([a, b]);
    expect(store.listRuns().map((r) => r.id)).toEqual([c]);
    expect(store.db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(0);
  });

  it('deletes several experiments in one transaction: all of them, or none when one has a running run or is unknown', () => {
    const [a, b, c] = [1, 2, 3].map(() => store.createExperimentWithRuns(experiment([1, 2]))) as [Created, Created, Created];
    const running = c.runs[1]!.id;
    store.markRunning(running);
    // The running run is the last experiment's: the first two were checked, and are not deleted.
    expect(() => store.deleteExperiments([a.experiment.id, b.experiment.id, c.experiment.id])).toThrow(`cannot delete experiment ${c.experiment.id}: run ${running} is running; cancel it first`);
    expect(() => store.deleteExperiments([a.experiment.id, 42])).toThrow('experiment 42 does not exist');
    expect(store.listExperiments().map((e) => e.id)).toEqual([a.experiment.id, b.experiment.id, c.experiment.id]);
    expect(store.listRuns()).toHaveLength(6);
    store.deleteExperiments([b.experiment.id, a.experiment.id, b.experiment.id]); // named twice: deleted once
    expect(store.listExperiments().map((e) => e.id)).toEqual([c.experiment.id]);
    expect(store.listRuns().map((r) => r.experimentId)).toEqual([c.experiment.id, c.experiment.id]);
  });

  it('says what does not exist and how to find what does', () => {
    expect(() => store.getRun(42)).toThrow(new NotFoundError('run', 42));
    expect(() => store.getRun(42)).toThrow('run 42 does not exist: list runs with `aisle runs`');
    // The app's words (the contract sends these): its screen, not a CLI command.
    expect(new NotFoundError('run', 42).appMessage).toBe('run 42 does not exist: the Runs screen lists the runs there are');
    expect(new NotFoundError('policy', 3).appMessage).toBe('policy 3 does not exist: it may have been deleted');
    expect(() => store.markRunning(42)).toThrow('run 42 does not exist');
    expect(() => store.finishRun(42, 'completed')).toThrow('run 42 does not exist');
    expect(() => store.deleteRuns([42])).toThrow('run 42 does not exist');
    expect(() => store.getExperiment(7)).toThrow('experiment 7 does not exist: list experiments with `aisle experiments`');
    expect(() => store.deleteExperiment(7)).toThrow(NotFoundError);
    expect(() => store.getCheckpoint(3)).toThrow('checkpoint 3 does not exist');
    expect(() => store.getPolicy(3)).toThrow('policy 3 does not exist: list policies with `aisle policies`');
    expect(() => store.appendMetrics(42, { start: 0, count: 1, columns: { r: Float32Array.of(1) } })).toThrow(
      'run 42 does not exist',
    );
    expect(() => store.metricNames(42)).toThrow('run 42 does not exist');
    expect(() => store.listCheckpoints(42)).toThrow('run 42 does not exist');
    expect(() => store.savePolicy({ runId: 42, json: '{}' })).toThrow('run 42 does not exist');
    const { runs } = store.createExperimentWithRuns(experiment([1]));
    store.appendMetrics(runs[0]!.id, { start: 0, count: 1, columns: { return: Float32Array.of(1) } });
    expect(() => store.readMetric(runs[0]!.id, 'loss')).toThrow(
      `metric "loss" does not exist: run ${runs[0]!.id} has return`,
    );
  });
});

describe('interrupted runs', () => {
  it('marks a run left running interrupted when the store is reopened', () => {
    const first = Store.open(dbPath);
    const { runs } = first.createExperimentWithRuns(experiment([1, 2]));
    first.markRunning(runs[0]!.id);
    first.appendMetrics(runs[0]!.id, { start: 0, count: 10, columns: { return: Float32Array.from({ length: 10 }, (_, i) => i) } });
    first.db.close(); // as if the process died: no orderly close

    // The dead process's session row is still there, but its pid is ours and alive; emulate a
    // dead process by pointing the session at a pid that cannot exist.
    const raw = new Database(dbPath);
    raw.prepare('UPDATE store_sessions SET pid = ?').run(2 ** 31 - 2);
    raw.close();

    const second = Store.open(dbPath);
    // The running run, and the queued one: its queue died with the process, nothing would start it.
    expect(second.interruptedOnOpen).toEqual([runs[0]!.id, runs[1]!.id]);
    const run = second.getRun(runs[0]!.id);
    expect(run.status).toBe('interrupted');
    expect(run.episodesDone).toBe(10);
    expect(run.error).toMatch(/stopped before the run finished/);
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.startedAt!);
    // Listed, and sorted, by the return over its stored episodes (0–9): it has no summary of its own.
    expect(second.getRunItem(runs[0]!.id).returnLast100).toBe(4.5);
    expect(second.getRunItem(runs[1]!.id).returnLast100).toBeNull();
    const queued = second.getRun(runs[1]!.id);
    expect([queued.status, queued.episodesDone, queued.startedAt]).toEqual(['interrupted', 0, null]);
    expect(queued.error).toBe('interrupted: the process that queued it stopped before starting it');
    expect(() => second.finishRun(runs[0]!.id, 'completed')).toThrow(/it is interrupted/);
    expect(second.recoverInterrupted()).toEqual([]);
    second.close();
  });

  it('leaves the queued runs of a process still alive alone', () => {
    const first = Store.open(dbPath);
    const { runs } = first.createExperimentWithRuns(experiment([1]));
    const second = Store.open(dbPath); // the first is alive (this very process): its queue holds the run
    expect(second.interruptedOnOpen).toEqual([]);
    expect(second.getRun(runs[0]!.id).status).toBe('queued');
    second.close();
    expect(first.getRun(runs[0]!.id).status).toBe('queued');
    first.close();
  });

  it("leaves a run this process resumed alone while it waits for a worker, when another process dies meanwhile", () => {
    const app = Store.open(dbPath);
    const { runs } = app.createExperimentWithRuns(experiment([1]));
    const runId = runs[0]!.id;
    app.markRunning(runId);
    app.finishRun(runId, 'paused');
    // A terminal's `aisle` opens the database too, and is killed.
    const cli = Store.open(dbPath);
    cli.db.close();
    const raw = new Database(dbPath);
    raw.prepare('UPDATE store_sessions SET pid = ? WHERE rowid = (SELECT max(rowid) FROM store_sessions)').run(2 ** 31 - 2); // the CLI's, opened last
    raw.close();
    // The app queues its run again (its workers busy), and recovers the dead process's runs.
    app.resumeRun(runId);
    expect(app.recoverInterrupted()).toEqual([]);
    expect(app.getRun(runId).status, 'still in the queue of a live process').toBe('queued');
    app.markRunning(runId);
    app.close();
  });

  it('keeps a crashed run\'s training time to its last metric batch, and goes on from there when it is resumed', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const first = Store.open(dbPath);
      const { runs } = first.createExperimentWithRuns(experiment([1]));
      const id = runs[0]!.id;
      first.markRunning(id, 10_000);
      vi.setSystemTime(12_000);
      first.appendMetrics(id, { start: 0, count: 2, columns: { return: Float32Array.of(1, 2) } });
      first.autosaveRun(id, { episode: 2, data: Uint8Array.of(1) });
      first.db.close(); // the process died at 12,000 + the time of a batch, unknown
      const raw = new Database(dbPath);
      raw.prepare('UPDATE store_sessions SET pid = ?').run(2 ** 31 - 2);
      raw.close();

      vi.setSystemTime(50_000); // found the next morning
      const second = Store.open(dbPath);
      expect(second.getRun(id)).toMatchObject({ status: 'interrupted', finishedAt: 12_000, activeMs: 2_000, activeAt: null });
      second.resumeRun(id);
      second.markRunning(id, 60_000);
      vi.setSystemTime(61_000);
      second.appendMetrics(id, { start: 2, count: 2, columns: { return: Float32Array.of(3, 4) } });
      expect(second.finishRun(id, 'completed', { at: 61_500 })).toMatchObject({ startedAt: 10_000, finishedAt: 61_500, activeMs: 3_500 });
      second.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('marks its own unfinished runs interrupted on close', () => {
    const first = Store.open(dbPath);
    const { runs } = first.createExperimentWithRuns(experiment([1]));
    first.markRunning(runs[0]!.id);
    first.close();
    const second = Store.open(dbPath);
    expect(second.getRun(runs[0]!.id).status).toBe('interrupted');
    second.close();
  });

  it.skipIf(!fs.existsSync('/proc/self/stat'))('takes a pid reused by a process that started after the session opened (after a reboot) for a dead one', async () => {
    const first = Store.open(dbPath);
    const { runs } = first.createExperimentWithRuns(experiment([1]));
    first.markRunning(runs[0]!.id);
    first.db.close(); // the process died…
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' }); // …and its pid went to a new process
    try {
      await new Promise((r) => setTimeout(r, 100));
      const started = processStartMs(other.pid!)!;
      expect(Math.abs(started - Date.now())).toBeLessThan(10_000); // the start time /proc gives is now-ish
      expect(isAlive(other.pid!, Date.now())).toBe(true); // a session it opened now would be its own
      expect(isAlive(other.pid!, Date.now() - 3_600_000)).toBe(false); // one opened an hour ago is not
      const raw = new Database(dbPath);
      raw.prepare('UPDATE store_sessions SET pid = ?, opened_at = ?').run(other.pid, Date.now() - 3_600_000);
      raw.close();
      const second = Store.open(dbPath);
      expect(second.interruptedOnOpen).toEqual([runs[0]!.id]);
      second.close();
    } finally {
      other.kill();
    }
  });

  it.runIf(fs.existsSync('/proc/self/stat'))('takes a killed process its parent has not reaped yet (a zombie) for a dead one', async () => {
    // sh starts a short child, prints its pid, then becomes `sleep`, which never reaps it: the
    // child, once done, stays a zombie as long as the sleep runs.
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((done) => parent.stdout.once('data', (d: Buffer) => done(d.toString()))));
      await expect.poll(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.charAt(0), { timeout: 5000 }).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow(); // the signal test alone takes it for alive
      expect(isAlive(pid, Date.now())).toBe(false);
      expect(isAlive(parent.pid!, Date.now())).toBe(true);
    } finally {
      parent.kill();
    }
  });

  /** A run left `running` by a process that died (its session's pid names no process). */
  function runOfDeadProcess() {
    const first = Store.open(dbPath);
    const { runs } = first.createExperimentWithRuns(experiment([1]));
    first.markRunning(runs[0]!.id);
    first.db.close(); // the process died, leaving its session
    const raw = new Database(dbPath);
    raw.prepare('UPDATE store_sessions SET pid = ?').run(2 ** 31 - 2);
    raw.close();
    return runs;
  }

  it('a reader opens without the write lock: not held up by a writer, and it recovers only when the lock is free', () => {
    const runs = runOfDeadProcess();
    const raw = new Database(dbPath);
    raw.exec('BEGIN IMMEDIATE'); // another process writes (a long delete)
    const reader = Store.open(dbPath, { reader: true }); // a writer's open would wait out the busy timeout and throw SQLITE_BUSY
    expect(reader.interruptedOnOpen).toEqual([]); // the lock is taken: left to the next writer
    expect(reader.getRun(runs[0]!.id).status).toBe('running');
    reader.close();
    raw.exec('COMMIT');
    raw.close();
    const again = Store.open(dbPath, { reader: true });
    expect(again.interruptedOnOpen).toEqual([runs[0]!.id]); // the lock is free: the reader recovers
    again.close();
    // A reader leaves no session behind, and closing it interrupts nothing.
    const check = new Database(dbPath);
    expect(check.prepare('SELECT count(*) FROM store_sessions').pluck().get()).toBe(0);
    check.close();
  });

  it("a reader opens a database it cannot write (read-only, or its disk full) with a dead process's session: it reads, leaving the recovery to the next writer", () => {
    const runs = runOfDeadProcess();
    const db = openDatabase(dbPath);
    db.pragma('query_only = ON'); // every write refused with SQLITE_READONLY, as a file only root could write is to anyone else
    const reader = new Store(db, { reader: true });
    expect(reader.interruptedOnOpen).toEqual([]);
    expect(reader.getRun(runs[0]!.id).status).toBe('running');
    reader.close();
    const writer = Store.open(dbPath);
    expect(writer.interruptedOnOpen).toEqual([runs[0]!.id]);
    writer.close();
  });

  it('leaves alone a run another live store (the app, while the CLI looks) is running', () => {
    const app = Store.open(dbPath);
    const { runs } = app.createExperimentWithRuns(experiment([1]));
    app.markRunning(runs[0]!.id);
    const cli = Store.open(dbPath);
    expect(cli.interruptedOnOpen).toEqual([]);
    expect(cli.getRun(runs[0]!.id).status).toBe('running');
    cli.close();
    expect(app.finishRun(runs[0]!.id, 'completed').status).toBe('completed');
    app.close();
  });
});

describe('checkpoints and policies', () => {
  let store: Store;
  let runId: number;
  beforeEach(() => {
    store = Store.open(':memory:');
    runId = store.createExperimentWithRuns(experiment([1])).runs[0]!.id;
  });
  afterEach(() => store.close());

  it('round-trip a Q-table at float64 precision, listed without data', () => {
    const data = Float64Array.from({ length: 6 }, (_, i) => Math.PI * (i + 1) * 1e-9 + i);
    const labels = { states: ['home', 'cart'], actions: ['a', 'b', 'c'] };
    const info = store.addCheckpoint(runId, { episode: 50, kind: 'qtable', states: 2, actions: 3, data, labels });
    store.addCheckpoint(runId, { episode: 100, kind: 'qtable', states: 2, actions: 3, data: new Float64Array(6) });
    const list = store.listCheckpoints(runId);
    expect(list.map((c) => c.episode)).toEqual([50, 100]);
    expect(list[0]).toEqual(info);
    expect(list[0]).toEqual({ id: info.id, runId, episode: 50, kind: 'qtable', shape: [2, 3], createdAt: info.createdAt });
    const back = store.getCheckpoint(info.id);
    expect(back.data).toBeInstanceOf(Float64Array);
    expect(Array.from(back.data)).toEqual(Array.from(data));
    expect(back).toMatchObject({ states: 2, actions: 3, labels });
    expect(store.getCheckpoint(list[1]!.id).labels).toBeNull();
    expect(() =>
      store.addCheckpoint(runId, { episode: 1, kind: 'qtable', states: 2, actions: 3, data: new Float64Array(5) }),
    ).toThrow('a 2×3 Q-table has 6 values, got 5');
  });

  it('round-trip a policy', () => {
    const json = JSON.stringify({ format: 'aisle-policy', greedy: [0, 2, 1] });
    const id = store.savePolicy({ runId, name: 'best', json });
    const unnamed = store.savePolicy({ runId, json: '{"greedy":[]}' });
    expect(store.getPolicy(id)).toMatchObject({ id, runId, name: 'best', json });
    expect(store.listPolicies(runId).map((p) => [p.id, p.name])).toEqual([[id, 'best'], [unnamed, null]]);
    expect(store.listPolicies().length).toBe(2);
    expect(() => store.savePolicy({ runId, json: 'not json' })).toThrow(/CHECK constraint failed/);
  });
});

describe('database paths', () => {
  it('follow the per-platform app-data folder Electron uses for "Aisle"', () => {
    expect(defaultDbPath({}, 'linux', '/home/ann')).toBe('/home/ann/.config/Aisle/aisle.db');
    expect(defaultDbPath({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ann')).toBe('/xdg/Aisle/aisle.db');
    expect(defaultDbPath({ XDG_CONFIG_HOME: '' }, 'linux', '/home/ann')).toBe('/home/ann/.config/Aisle/aisle.db');
    expect(defaultDbPath({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Aisle/aisle.db');
    expect(defaultDbPath({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Aisle\\aisle.db',
    );
    expect(defaultDbPath({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Aisle\\aisle.db');
  });

  it('prefer --db, then AISLE_DB, then the default', () => {
    const env = { AISLE_DB: '/env/aisle.db', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveDbPath({ flag: '/flag/aisle.db', env })).toBe('/flag/aisle.db');
    expect(resolveDbPath({ env })).toBe('/env/aisle.db');
    expect(resolveDbPath({ flag: '', env })).toBe('/env/aisle.db');
    expect(resolveDbPath({ flag: 'rel.db', env })).toBe(path.resolve('rel.db'));
    expect(resolveDbPath({ flag: ':memory:', env })).toBe(':memory:');
    expect(resolveDbPath({ env: {} })).toBe(defaultDbPath({}));
  });
});
