// Sessions in other pid namespaces (two containers sharing the database on a volume, or a
// container and its host): judged by their heartbeat, not by a pid that means nothing here; and a
// run another process took over (marked interrupted) refuses its owner's next writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import { LATEST_VERSION, MIGRATIONS, Store, migrate, schemaVersion, type NewExperiment } from '../../src/main/store';
import { RunTakenOverError } from '../../src/main/store/runs';
import { HEARTBEAT_MS, INTERRUPTED_MESSAGE, STALE_AFTER_MS, hostKey } from '../../src/main/store/sessions';
import type { RunSpec } from '../../src/engine/train';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');
/** A pid no process has (pid_max is at most 2^22 on Linux). */
const NO_SUCH_PID = 2 ** 31 - 2;
/** Another container's pid namespace, as its sessions record it. */
const ELSEWHERE = 'other-box/pid:[4026532999]';
const HASH = '0'.repeat(64);

function experiment(seeds: number[]): NewExperiment {
  return {
    name: 'namespaces',
    config: {},
    configHash: HASH,
    runs: seeds.map((seed) => ({ seed, config: { seed }, configHash: HASH, appVersion: 'test', episodesTotal: 1000 })),
  };
}

const returns = (from: number, count: number) => ({ start: from, count, columns: { return: Float32Array.from({ length: count }, (_, i) => from + i) } });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Moves the session rows `where` names (all by default) to another pid namespace, last seen `seenAgoMs` ago, with `pid`. */
function movedElsewhere(file: string, { pid = NO_SUCH_PID, seenAgoMs = 0, where = '1 = 1' }: { pid?: number; seenAgoMs?: number; where?: string } = {}): void {
  const raw = new Database(file);
  raw.prepare(`UPDATE store_sessions SET host = ?, pid = ?, seen_at = ? WHERE ${where}`).run(ELSEWHERE, pid, Date.now() - seenAgoMs);
  raw.close();
}

/** A Store that trains a run and has a second run queued, then "lives" elsewhere: its process's connection is dropped (it cannot beat). */
function runsOfAnotherContainer(file: string): { running: number; queued: number } {
  const owner = Store.open(file);
  const { runs } = owner.createExperimentWithRuns(experiment([1, 2]));
  owner.markRunning(runs[0]!.id);
  owner.appendMetrics(runs[0]!.id, returns(0, 10));
  owner.db.close(); // its connection is gone from this process; the row stays, as another container's would
  return { running: runs[0]!.id, queued: runs[1]!.id };
}

describe('sessions in another pid namespace', () => {
  it('records where its pid means something: hostname and pid namespace, and when it was last seen', () => {
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    const row = store.db.prepare('SELECT pid, opened_at, host, seen_at FROM store_sessions').get() as { pid: number; opened_at: number; host: string; seen_at: number };
    expect(row).toMatchObject({ pid: process.pid, host: hostKey(), seen_at: row.opened_at });
    const namespace = fs.existsSync('/proc/self/ns/pid') ? fs.readlinkSync('/proc/self/ns/pid') : undefined;
    expect(hostKey()).toBe(namespace === undefined ? os.hostname() : `${os.hostname()}/${namespace}`);
    if (namespace !== undefined) expect(namespace).toMatch(/^pid:\[\d+\]$/);
    store.close();
  });

  it('leaves the runs of a session elsewhere alone while its heartbeat is fresh, though its pid names no process here', () => {
    const file = path.join(tempDir(), 'aisle.db');
    const { running, queued } = runsOfAnotherContainer(file);
    movedElsewhere(file, { seenAgoMs: STALE_AFTER_MS - 10_000 });

    const here = Store.open(file);
    expect(here.interruptedOnOpen).toEqual([]);
    expect(here.recoverInterrupted()).toEqual([]);
    expect(here.recoverIfFree()).toEqual([]);
    expect(here.otherSessionsAlive()).toBe(true);
    expect(here.getRun(running).status).toBe('running');
    expect(here.getRun(queued).status).toBe('queued');
    expect(here.db.prepare('SELECT count(*) FROM store_sessions').pluck().get()).toBe(2);
    here.close();
  });

  it('marks the runs of a session elsewhere interrupted once its heartbeat is stale, at its last sign of life', () => {
    const file = path.join(tempDir(), 'aisle.db');
    const { running, queued } = runsOfAnotherContainer(file);
    const lastBatch = new Database(file).prepare('SELECT progress_at FROM runs WHERE id = ?').pluck().get(running) as number;
    movedElsewhere(file, { seenAgoMs: STALE_AFTER_MS + 1000 });

    const here = Store.open(file);
    expect(here.interruptedOnOpen).toEqual([running, queued]);
    expect(here.getRun(running)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_MESSAGE, finishedAt: lastBatch, episodesDone: 10 });
    expect(here.getRun(queued).status).toBe('interrupted');
    expect(here.otherSessionsAlive()).toBe(false);
    expect(here.db.prepare('SELECT count(*) FROM store_sessions').pluck().get()).toBe(1); // its own
    here.close();
  });

  it('takes a session elsewhere with a stale heartbeat for gone even when its pid is a live process here', () => {
    // The pid is this very process: alive here, but another process there.
    const file = path.join(tempDir(), 'aisle.db');
    const { running } = runsOfAnotherContainer(file);
    movedElsewhere(file, { pid: process.pid, seenAgoMs: STALE_AFTER_MS + 1000 });
    const raw = new Database(file);
    raw.prepare('UPDATE store_sessions SET opened_at = ?').run(Date.now()); // opened after this process started
    raw.close();
    const here = Store.open(file);
    expect(here.getRun(running).status).toBe('interrupted');
    here.close();
  });

  it('goes on judging a session of this namespace by its pid: a dead one is interrupted at once, a live one is not, whatever its heartbeat', () => {
    const file = path.join(tempDir(), 'aisle.db');
    const dead = runsOfAnotherContainer(file);
    const raw = new Database(file);
    // Seen a moment ago, but its pid names no process: gone.
    raw.prepare('UPDATE store_sessions SET pid = ?, seen_at = ?').run(NO_SUCH_PID, Date.now());
    raw.close();
    const here = Store.open(file);
    expect(here.interruptedOnOpen).toEqual([dead.running, dead.queued]);

    // A live process here (this one), not seen for an hour: alive (its heartbeat is not looked at).
    const other = Store.open(file);
    const { runs } = other.createExperimentWithRuns(experiment([3]));
    other.markRunning(runs[0]!.id);
    other.db.prepare('UPDATE store_sessions SET seen_at = ?').run(Date.now() - 3_600_000);
    expect(here.recoverInterrupted()).toEqual([]);
    expect(here.getRun(runs[0]!.id).status).toBe('running');
    other.close();
    here.close();
  });

  it("judges a session an earlier build recorded (no host) by its pid, as that build did", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const { running } = runsOfAnotherContainer(file);
    const raw = new Database(file);
    raw.prepare('UPDATE store_sessions SET host = NULL, seen_at = NULL, pid = ?, opened_at = ?').run(process.pid, Date.now());
    raw.close();
    const here = Store.open(file);
    expect(here.getRun(running).status).toBe('running');
    here.db.prepare('UPDATE store_sessions SET pid = ? WHERE host IS NULL').run(NO_SUCH_PID);
    expect(here.recoverInterrupted()).toEqual([running, running + 1]);
    here.close();
  });

  it("does not interrupt its own runs when another process took it for gone and deleted its session row", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    const { runs } = store.createExperimentWithRuns(experiment([1]));
    store.markRunning(runs[0]!.id);
    store.db.prepare('DELETE FROM store_sessions').run();
    expect(store.recoverInterrupted()).toEqual([]);
    expect(store.getRun(runs[0]!.id).status).toBe('running');
    store.close(); // its runs are left over once it closes, as before
    const after = Store.open(file);
    expect(after.getRun(runs[0]!.id).status).toBe('interrupted');
    after.close();
  });
});

describe('the heartbeat', () => {
  it('moves seen_at on every HEARTBEAT_MS, puts back a row another process deleted, and stops at close', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    const seen = () => store.db.prepare('SELECT opened_at, seen_at FROM store_sessions').raw().all();
    expect(seen()).toEqual([[1_000_000, 1_000_000]]);
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(seen()).toEqual([[1_000_000, 1_000_000 + HEARTBEAT_MS]]);
    store.db.prepare('DELETE FROM store_sessions').run(); // taken for gone elsewhere
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(seen()).toEqual([[1_000_000, 1_000_000 + 2 * HEARTBEAT_MS]]);
    store.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('skips a beat, without waiting or throwing, while another process holds the write lock', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['setInterval', 'clearInterval', 'Date'] });
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    expect(() => vi.advanceTimersByTime(HEARTBEAT_MS)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(1000); // not the 10 s busy timeout
    other.exec('ROLLBACK');
    other.close();
    expect(store.db.prepare('SELECT seen_at FROM store_sessions').pluck().get()).toBe(1_000_000);
    expect(store.busyTimeoutMs).toBeGreaterThanOrEqual(5000); // given back
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(store.db.prepare('SELECT seen_at FROM store_sessions').pluck().get()).toBe(1_000_000 + 2 * HEARTBEAT_MS);
    store.close();
  });

  it('ends, without throwing, when the database is closed under it (a crash, a Store never closed)', () => {
    vi.useFakeTimers();
    const store = Store.open(path.join(tempDir(), 'aisle.db'));
    store.db.close();
    expect(() => vi.advanceTimersByTime(HEARTBEAT_MS * 3)).not.toThrow();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not keep a process alive (its timer is unref\'d); a reader, which registers no session, starts none', () => {
    const intervals = vi.spyOn(globalThis, 'setInterval');
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    expect(intervals).toHaveBeenCalledTimes(1);
    const timer = intervals.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    const reader = Store.open(file, { reader: true });
    expect(intervals).toHaveBeenCalledTimes(1);
    reader.close();
    store.close();
  });
});

describe('a run another process took over', () => {
  /** `owner` trains a run with 10 episodes stored and an autosave at episode 10; another process, taking it for gone, marks it interrupted. */
  function takenOver(file: string) {
    const owner = Store.open(file);
    const { runs } = owner.createExperimentWithRuns(experiment([1]));
    const id = runs[0]!.id;
    owner.markRunning(id);
    owner.appendMetrics(id, returns(0, 10));
    owner.autosaveRun(id, { episode: 10, data: Uint8Array.of(7) });
    const lastBatch = owner.db.prepare('SELECT progress_at FROM runs WHERE id = ?').pluck().get(id) as number;
    // The owner's container was paused past the staleness limit: the other finds its heartbeat stale.
    movedElsewhere(file, { seenAgoMs: STALE_AFTER_MS + 1000 });
    const other = Store.open(file);
    expect(other.interruptedOnOpen).toEqual([id]);
    return { owner, other, id, lastBatch };
  }

  it("refuses its owner's next metric batch, with why, writing nothing of it; what it stored before is kept", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const { owner, other, id, lastBatch } = takenOver(file);
    let refusal: unknown;
    try {
      owner.appendMetrics(id, returns(10, 5));
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(RunTakenOverError);
    expect((refusal as Error).message).toBe(
      `run ${id} was marked interrupted by another process, which took this one for gone; its training here stopped, and the episodes it stored before are kept`,
    );
    for (const store of [owner, other]) {
      expect(store.getRun(id)).toMatchObject({ status: 'interrupted', episodesDone: 10, finishedAt: lastBatch });
      expect(Array.from(store.readMetricRaw(id, 'return'))).toEqual(Array.from({ length: 10 }, (_, i) => i));
      expect(store.resumableAt(id)).toBe(10);
    }
    // Its autosave, checkpoints and end are refused too, with the same reason; nothing changes.
    expect(() => owner.autosaveRun(id, { episode: 10, data: Uint8Array.of(8) })).toThrow(RunTakenOverError);
    expect(() => owner.addCheckpoint(id, { episode: 9, kind: 'qtable', states: 1, actions: 1, data: Float64Array.of(1) })).toThrow(RunTakenOverError);
    expect(() => owner.finishRun(id, 'completed', { summary: {} })).toThrow(/run \d+ was marked interrupted by another process/);
    expect(() => owner.finishRun(id, 'paused', { state: { episode: 10, data: Uint8Array.of(9) } })).toThrow(RunTakenOverError);
    expect(other.getRun(id)).toMatchObject({ status: 'interrupted', episodesDone: 10 });
    expect(other.listCheckpoints(id)).toEqual([]);
    expect(other.resumableAt(id)).toBe(10);
    // The owner, alive after all, beats again: the others see it alive, and its own recovery leaves everything be.
    expect(owner.recoverInterrupted()).toEqual([]);
    owner.close();
    other.close();
  });

  it("refuses its old owner's writes once the other process has resumed it, and the resumed run goes on", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const { owner, other, id } = takenOver(file);
    expect(other.resumeRun(id).episode).toBe(10);
    expect(() => owner.appendMetrics(id, returns(10, 5))).toThrow(`run ${id} was marked interrupted by another process, which took this one for gone, and resumed it since;`);
    other.markRunning(id);
    expect(() => owner.appendMetrics(id, returns(10, 5))).toThrow(/and resumed it since/);
    expect(() => owner.finishRun(id, 'completed', { summary: {} })).toThrow(RunTakenOverError);
    other.appendMetrics(id, returns(10, 5));
    expect(other.finishRun(id, 'completed', { summary: {} })).toMatchObject({ status: 'completed', episodesDone: 15 });
    expect(Array.from(other.readMetricRaw(id, 'return'))).toEqual(Array.from({ length: 15 }, (_, i) => i));
    owner.close();
    other.close();
  });

  it("refuses to end a run another live process trains, which it used to overwrite", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const owner = Store.open(file);
    const { runs } = owner.createExperimentWithRuns(experiment([1]));
    const id = runs[0]!.id;
    owner.markRunning(id);
    const other = Store.open(file);
    expect(() => other.finishRun(id, 'completed', { summary: {} })).toThrow(`cannot mark run ${id} completed: another process is training it; stop it there`);
    expect(other.getRun(id).status).toBe('running');
    expect(owner.finishRun(id, 'completed', { summary: {} }).status).toBe('completed');
    other.close();
    owner.close();
  });

  it('writes metrics into runs it does not train as before (a tool filling a database)', () => {
    const file = path.join(tempDir(), 'aisle.db');
    const store = Store.open(file);
    const { runs } = store.createExperimentWithRuns(experiment([1]));
    store.appendMetrics(runs[0]!.id, returns(0, 3)); // queued, never marked running here
    expect(store.getRun(runs[0]!.id).episodesDone).toBe(3);
    store.close();
  });

  it.runIf(fs.existsSync(WORKER))('stops the run in the job pool at its next batch, with why, and the run stays interrupted with what it stored', async () => {
    const file = path.join(tempDir(), 'aisle.db');
    const owner = Store.open(file);
    const spec: RunSpec = {
      env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
      agent: { id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
      episodes: 5_000_000, // minutes: it is stopped long before
      seed: 1,
      checkpoints: 0,
    };
    const { runs } = owner.createExperimentWithRuns({
      name: 'pool',
      config: {},
      configHash: HASH,
      runs: [{ seed: 1, config: spec, configHash: HASH, appVersion: 'test', episodesTotal: spec.episodes }],
    });
    const id = runs[0]!.id;
    const pool = new JobPool({ workerPath: WORKER, sink: owner, size: 1, flushMs: 5 });
    const statuses: { status: string; error?: string }[] = [];
    const storeErrors: Error[] = [];
    let other: Store | undefined;
    pool.on('status', (e) => statuses.push({ status: e.status, ...('error' in e ? { error: e.error } : {}) }));
    pool.on('storeError', (e) => storeErrors.push(e.error));
    pool.on('progress', () => {
      if (other) return;
      // Another container, finding this one's heartbeat stale, marks the run interrupted.
      movedElsewhere(file, { seenAgoMs: STALE_AFTER_MS + 1000 });
      other = Store.open(file);
    });
    pool.enqueue(id, spec);
    await pool.idle();
    await pool.close();
    expect(other!.interruptedOnOpen).toEqual([id]);
    expect(storeErrors[0]).toBeInstanceOf(RunTakenOverError);
    expect(statuses.map((s) => s.status)).toEqual(['running', 'interrupted']);
    expect(statuses[1]!.error).toBe(`could not record the run: ${storeErrors[0]!.message}`);
    const run = other!.getRun(id);
    expect(run.status).toBe('interrupted');
    expect(run.episodesDone).toBeGreaterThan(0);
    expect(run.episodesDone).toBeLessThan(spec.episodes);
    // Every metric stored reaches the same episode: nothing was written after the run was taken over.
    for (const name of other!.metricNames(id)) expect(other!.readMetricRaw(id, name).length).toBe(run.episodesDone);
    owner.close();
    other!.close();
  });
});

describe('migration 13', () => {
  it("keeps a version 12 file's sessions and runs, its sessions without a host or heartbeat", () => {
    const file = path.join(tempDir(), 'aisle.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.slice(0, 12));
    const opened = Date.now();
    old.exec(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (1, 'e', '{}', '${HASH}', 0)`);
    const insert = old.prepare(`INSERT INTO runs (id, experiment_id, seed, config, config_hash, app_version, episodes_total, status, created_at, started_at, progress_at, owner_session)
                                VALUES (?, 1, ?, '{}', '${HASH}', 'old', 10, ?, 0, ?, ?, ?)`);
    insert.run(1, 1, 'completed', 10, null, null);
    insert.run(2, 2, 'running', opened, opened, 'live'); // trained by an earlier build's process still alive (this one)
    insert.run(3, 3, 'running', opened, opened, 'dead'); // and by one that died
    old.prepare('INSERT INTO store_sessions (id, pid, opened_at) VALUES (?, ?, ?)').run('live', process.pid, opened);
    old.prepare('INSERT INTO store_sessions (id, pid, opened_at) VALUES (?, ?, ?)').run('dead', NO_SUCH_PID, opened);
    old.close();

    const store = Store.open(file);
    expect(schemaVersion(store.db)).toBe(LATEST_VERSION);
    expect(store.interruptedOnOpen).toEqual([3]);
    expect(store.listRuns().map((r) => [r.id, r.status])).toEqual([[1, 'completed'], [2, 'running'], [3, 'interrupted']]);
    expect(store.db.prepare('SELECT id, pid, opened_at, host, seen_at FROM store_sessions WHERE id = ?').raw().get('live')).toEqual(['live', process.pid, opened, null, null]);
    expect(() => store.db.exec(`INSERT INTO store_sessions (id, pid, opened_at, host) VALUES ('x', 1, 1, '')`)).toThrow(/CHECK constraint failed/);
    store.close();
  });
});
