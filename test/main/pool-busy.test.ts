// A run whose database another process keeps locked (the app deleting a large experiment beside
// `aisle run`): its writes wait in order and are retried, never stopping the main thread, the run
// completes with every episode stored once, and training pauses while much waits; a lock held past
// the give-up time interrupts the run with a clear message.
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import type { PoolOptions } from '../../src/main/jobs/pool-contract';
import { Store } from '../../src/main/store';
import { train, type RunSpec } from '../../src/engine/train';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');
/** The store's busy timeout here: the lock below outlasts it many times over. */
const BUSY_TIMEOUT_MS = 50;

function spec(seed: number, episodes: number): RunSpec {
  return {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
    episodes,
    seed,
    checkpoints: 3,
  };
}

function setup(specs: RunSpec[], busyTimeoutMs = BUSY_TIMEOUT_MS) {
  const file = join(tempDir(), 'busy.db');
  const store = Store.open(file, { busyTimeoutMs });
  const { runs } = store.createExperimentWithRuns({
    name: 'busy test',
    config: {},
    configHash: 'a'.repeat(64),
    runs: specs.map((s) => ({ seed: s.seed, config: s, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: s.episodes })),
  });
  // Another process's connection to the same file: BEGIN IMMEDIATE holds the write lock until COMMIT.
  const other = new Database(file);
  return { store, other, ids: runs.map((r) => r.id) };
}

function pool(store: Store, options: Partial<PoolOptions> = {}): JobPool {
  return new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5, retryMs: { first: 10, most: 50 }, reportWaitAfterMs: 20, ...options });
}

/** The run's stored metrics and checkpoints are exactly what training it here gives: every episode once. */
function expectStoredAsTrained(store: Store, runId: number, s: RunSpec): void {
  const run = store.getRun(runId);
  expect(run.error).toBeNull();
  expect(run.status).toBe('completed');
  expect(run.episodesDone).toBe(s.episodes);
  const rows: number[][] = [];
  const checkpoints: number[] = [];
  const local = train(s, { onEpisode: (_e, row) => void rows.push(Array.from(row)), onCheckpoint: (e) => void checkpoints.push(e) });
  expect(run.summary).toEqual(JSON.parse(JSON.stringify(local.summary)));
  local.metricNames.forEach((name, m) => {
    expect(Array.from(store.readMetricRaw(runId, name))).toEqual(rows.map((r) => Math.fround(r[m]!)));
  });
  expect(store.listCheckpoints(runId).map((c) => c.episode)).toEqual([...checkpoints, s.episodes - 1]);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobPool on a database another process has locked', () => {
  it('keeps the writes, retries them once the lock is released, and completes the runs with every episode stored once', async () => {
    // Two runs on one worker: the second starts while the first one's end still waits.
    const specs = [spec(7, 3000), spec(8, 2000)];
    const { store, other, ids } = setup(specs);
    const jobs = pool(store);
    const waiting: string[] = [];
    const resumed: number[] = [];
    const statuses: string[] = [];
    jobs.on('storeWaiting', (e) => waiting.push(`${e.runId}: ${e.message}`));
    jobs.on('storeResumed', (e) => resumed.push(e.runId));
    jobs.on('status', (e) => {
      statuses.push(`${e.runId} ${e.status}`);
      if (e.runId === ids[0] && e.status === 'running') other.exec('BEGIN IMMEDIATE'); // the other process starts a long write
    });
    // Released once the second run's training is over (its last batch arrived): all either sent had to wait.
    let lastBatchSeen = false;
    let released = 0;
    jobs.on('metrics', (m) => {
      if (m.runId !== ids[1] || m.start + m.count < specs[1]!.episodes) return;
      lastBatchSeen = true;
      void wait(200).then(() => {
        released = Date.now();
        other.exec('COMMIT');
      });
    });
    ids.forEach((id, i) => jobs.enqueue(id, specs[i]!));
    await jobs.idle();
    await jobs.close();
    other.close();

    expect(lastBatchSeen).toBe(true);
    expect(statuses).toEqual([`${ids[0]} running`, `${ids[0]} completed`, `${ids[1]} running`, `${ids[1]} completed`]);
    // Each run told once, in no particular order (the report comes once writes have waited a while:
    // by then the first run's training may be over and the second's under way).
    expect([...waiting].sort()).toEqual(ids.map((id) => `${id}: waiting for the database: another process is writing`).sort());
    expect([...resumed].sort((a, b) => a - b)).toEqual(ids);
    specs.forEach((s, i) => {
      expectStoredAsTrained(store, ids[i]!, s);
      // Its start and end as they happened, not when the writes got through.
      expect(store.getRun(ids[i]!).finishedAt).toBeLessThan(released);
    });
    store.close();
  });

  it('never stops the main thread for the lock: timers run and reads are answered while it is held, and the run completes with every episode once', async () => {
    const s = spec(11, 100_000);
    // A busy timeout longer than the test may last (60 s): a write that waited for the lock on
    // this thread would stop it, with the timers and reads below, until the test timed out.
    const { store, other, ids } = setup([s], 120_000);
    const id = ids[0]!;
    const jobs = pool(store);
    let lockedAt: number | undefined; // episodes stored when the lock was taken
    let batchesLocked = 0; // the worker's batches received (and their writes refused) while it is held
    let received = 0; // episodes the worker has sent
    jobs.on('metrics', (m) => {
      received = m.start + m.count;
      if (lockedAt !== undefined) return void batchesLocked++;
      // Once the first batch is stored: the other process starts a long write.
      other.exec('BEGIN IMMEDIATE');
      lockedAt = store.getRun(id).episodesDone;
    });
    jobs.enqueue(id, s);
    await vi.waitFor(() => expect(lockedAt).toBeDefined());
    // Many turns of the event loop, each answering reads, while batches arrive and wait (up to 10 of
    // them, or all the run sends: on a quiet machine it trains in a fraction of a second).
    let turns = 0;
    while (turns < 50 || (batchesLocked < 10 && received < s.episodes)) {
      await new Promise((r) => setImmediate(r));
      turns++;
      expect(store.listRunItems({}).runs.map((r) => [r.id, r.status, r.episodesDone])).toEqual([[id, 'running', lockedAt]]);
      expect(store.readMetricRaw(id, 'return').length).toBe(lockedAt);
    }
    expect(batchesLocked).toBeGreaterThan(0);
    expect(jobs.isActive(id)).toBe(true);
    other.exec('COMMIT');
    await jobs.idle();
    await jobs.close();
    other.close();
    expectStoredAsTrained(store, id, s);
    store.close();
  });

  it('pauses training while more than the backlog limit waits, and resumes it when the lock is released', async () => {
    const s = spec(3, 100_000);
    const { store, other, ids } = setup([s]);
    const jobs = pool(store, { maxBacklogBytes: 1 }); // the first batch held up pauses the worker
    let received = 0;
    let waiting: () => void;
    const held = new Promise<void>((res) => (waiting = res));
    jobs.on('status', (e) => e.status === 'running' && other.exec('BEGIN IMMEDIATE'));
    jobs.on('metrics', (m) => (received = m.start + m.count));
    jobs.on('storeWaiting', () => waiting());
    jobs.enqueue(ids[0]!, s);
    await held;
    await wait(300); // what was sent before the pause arrives
    const paused = received;
    await wait(300);
    expect(received).toBe(paused); // nothing more came: the worker waits
    expect(paused).toBeLessThan(s.episodes);
    other.exec('COMMIT');
    await jobs.idle();
    await jobs.close();
    other.close();
    const run = store.getRun(ids[0]!);
    expect(run.status).toBe('completed');
    expect(run.episodesDone).toBe(s.episodes);
    const returns = store.readMetricRaw(ids[0]!, 'return');
    expect(returns.length).toBe(s.episodes);
    expect(returns.every((v) => Number.isFinite(v))).toBe(true);
    store.close();
  });

  it('interrupts the run with a clear message when the lock is held past the give-up time, and records it once it is released', async () => {
    const s = spec(5, 3000);
    const { store, other, ids } = setup([s]);
    const jobs = pool(store, { giveUpMs: 300 });
    const statuses: { status: string; error?: string }[] = [];
    jobs.on('status', (e) => {
      statuses.push({ status: e.status, ...(e.status === 'interrupted' ? { error: e.error } : {}) });
      if (e.status === 'running') other.exec('BEGIN IMMEDIATE');
    });
    jobs.enqueue(ids[0]!, s);
    await jobs.idle();
    // Every write waited from its start, so it stored no episode (and no autosave): resumed, it starts from its first.
    const message = `could not record the run: the database was locked by another process for over 0.3 s; it stored no episode: resume it (Resume in the app, \`aisle resume ${ids[0]}\` in a terminal)`;
    expect(statuses).toEqual([{ status: 'running' }, { status: 'interrupted', error: message }]);
    expect(store.getRun(ids[0]!).status).toBe('running'); // the lock is still held
    other.exec('COMMIT');
    await vi.waitFor(() => expect(store.getRun(ids[0]!).status).toBe('interrupted'));
    expect(store.getRun(ids[0]!).error).toBe(message);
    await jobs.close();
    other.close();
    store.close();
  });

  it('cancelling a queued run while the database is locked is kept too, and written once it is released', async () => {
    const first = spec(1, 3000);
    const queued = spec(2, 100);
    const { store, other, ids } = setup([first, queued]);
    const jobs = pool(store);
    const statuses: string[] = [];
    jobs.on('status', (e) => statuses.push(`${e.runId} ${e.status}`));
    jobs.enqueue(ids[0]!, first);
    jobs.enqueue(ids[1]!, queued);
    other.exec('BEGIN IMMEDIATE');
    expect(jobs.cancel(ids[1]!)).toBe(true);
    expect(jobs.isActive(ids[1]!)).toBe(true); // its end is not written yet
    expect(store.getRun(ids[1]!).status).toBe('queued');
    other.exec('COMMIT');
    await jobs.idle();
    await jobs.close();
    other.close();
    expect(store.getRun(ids[1]!).status).toBe('cancelled');
    expect(store.getRun(ids[0]!).status).toBe('completed');
    expect(statuses).toContain(`${ids[1]} cancelled`);
    store.close();
  });
});
