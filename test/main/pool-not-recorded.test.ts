// A run whose writes the store refuses for good (a full disk, a database locked past giveUpMs): it
// stops interrupted, as a crash would leave it, its last autosave kept, with an error saying so and
// what to do; once the store takes writes again, resuming it continues from that autosave (what it
// stored after is cut back) to the metrics of the run trained straight through.
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import type { RunSink } from '../../src/main/jobs/pool-contract';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { seedToyQLearning, storeOneRun } from '../helpers/one-run';
import { expectStoredEqualsStraight } from '../helpers/resume';
import { cliff, openService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

const SPEC = seedToyQLearning({ episodes: 30_000, seed: 4, checkpoints: 3 });

function setup(file: string): { store: Store; runId: number } {
  const store = Store.open(file, { busyTimeoutMs: 50 });
  return { store, runId: storeOneRun(store, 'not recorded', SPEC) };
}

/**
 * The store as the pool's sink, `refuse` called before each metric batch and autosave is written
 * (it throws to refuse it), told the episode of the last autosave it wrote and the batches since.
 */
function sinkOf(store: Store, refuse: (autosavedAt: number | undefined, batchesSince: number) => void): RunSink & { autosavedAt?: number } {
  let batchesSince = 0;
  const sink: RunSink & { autosavedAt?: number } = {
    markRunning: (id, at) => store.markRunning(id, at),
    appendMetrics: (id, batch, done, at) => {
      refuse(sink.autosavedAt, batchesSince);
      store.appendMetrics(id, batch, done, at);
      batchesSince++;
    },
    addCheckpoint: (id, c) => store.addCheckpoint(id, c),
    finishRun: (id, status, details) => void store.finishRun(id, status, details),
    autosaveRun: (id, state, at) => {
      refuse(sink.autosavedAt, batchesSince);
      store.autosaveRun(id, state, at);
      sink.autosavedAt = state.episode;
      batchesSince = 0;
    },
    withoutWaiting: (write) => store.withoutWaiting(write),
  };
  return sink;
}

/** Resumes the run on a pool writing to the store as usual, and waits for it to end. */
async function resumeToTheEnd(store: Store, runId: number): Promise<{ episode: number }> {
  const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
  const resumed = resumeRun(store, pool, runId);
  await pool.idle();
  await pool.close();
  return resumed;
}

describe('a run whose writes the store refuses for good', () => {
  it('a full disk: it is interrupted with its last autosave kept, and resumed from it to the run straight through', async () => {
    const { store, runId } = setup(join(tempDir(), 'full.db'));
    // The disk fills the second metric batch after the run's first autosave: one batch past it is stored.
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const sink = sinkOf(store, (autosavedAt, batchesSince) => {
      if (autosavedAt !== undefined && batchesSince >= 1) throw full;
    });
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 5, autosaveMs: 20 });
    const statuses: { status: string; error?: string }[] = [];
    pool.on('status', (e) => statuses.push({ status: e.status, ...('error' in e && e.error !== undefined ? { error: e.error } : {}) }));
    pool.enqueue(runId, SPEC);
    await pool.idle();
    await pool.close();

    const at = sink.autosavedAt!;
    expect(at).toBeGreaterThan(0);
    const message = `could not record the run: database or disk is full; it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: free some space, then resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)`;
    expect(statuses).toEqual([{ status: 'running' }, { status: 'interrupted', error: message }]);
    const run = store.getRun(runId);
    expect(run).toMatchObject({ status: 'interrupted', error: message, summary: null });
    expect(run.episodesDone).toBeGreaterThan(at); // a batch past it, which resuming cuts back
    expect(run.episodesDone).toBeLessThan(SPEC.episodes);
    expect(store.resumableAt(runId)).toBe(at);

    // Space freed: the run goes on from its autosave, as if it had never stopped.
    expect(await resumeToTheEnd(store, runId)).toMatchObject({ episode: at });
    expectStoredEqualsStraight(store, runId, SPEC);
    store.close();
  });

  it('a lock held past the give-up time: interrupted once it is released, its autosave kept, and resumed from it', async () => {
    const file = join(tempDir(), 'locked.db');
    const { store, runId } = setup(file);
    // Another process takes the write lock after the batch that follows the run's first autosave.
    const other = new Database(file);
    let locked = false;
    const sink = sinkOf(store, (autosavedAt, batchesSince) => {
      if (autosavedAt === undefined || batchesSince < 1 || locked) return;
      locked = true;
      other.exec('BEGIN IMMEDIATE');
    });
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 5, autosaveMs: 20, retryMs: { first: 10, most: 50 }, giveUpMs: 300 });
    const ends: { status: string; error?: string }[] = [];
    pool.on('status', (e) => e.status !== 'running' && ends.push({ status: e.status, ...('error' in e && e.error !== undefined ? { error: e.error } : {}) }));
    pool.enqueue(runId, SPEC);
    await pool.idle();

    const at = sink.autosavedAt!;
    const message = `could not record the run: the database was locked by another process for over 0.3 s; it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)`;
    expect(ends).toEqual([{ status: 'interrupted', error: message }]);
    expect(store.getRun(runId).status).toBe('running'); // the lock is still held
    other.exec('COMMIT');
    await vi.waitFor(() => expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', error: message }));
    expect(store.getRun(runId).episodesDone).toBeGreaterThan(at);
    await pool.close();
    other.close();
    expect(store.resumableAt(runId)).toBe(at);

    expect(await resumeToTheEnd(store, runId)).toMatchObject({ episode: at });
    expectStoredEqualsStraight(store, runId, SPEC);
    store.close();
  });
});

describe("the app's view of a run whose writes the store refuses for good", () => {
  it('hears it interrupted with its error, lists it so, and its Resume trains it', async () => {
    const t = openService({ workers: 1 });
    try {
      // The disk is full from the run's first metric batch: it stored no episode, and Resume starts it.
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      const refused = vi.spyOn(t.store, 'appendMetrics').mockImplementation(() => {
        throw full;
      });
      const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 300, seeds: 1 }) });
      const runId = runIds[0]!;
      const message = `could not record the run: database or disk is full; it stored no episode: free some space, then resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)`;
      expect(await t.until([runId], ['interrupted', 'failed', 'completed'])).toMatchObject([{ runId, status: 'interrupted', error: message }]);
      expect(await t.call('runs.get', { id: runId })).toMatchObject({ status: 'interrupted', error: message, resumableAt: 0 });
      expect((await t.call('runs.list', {})).runs).toMatchObject([{ id: runId, status: 'interrupted' }]);

      refused.mockRestore(); // space freed
      expect(await t.call('runs.resume', { id: runId })).toMatchObject({ runId, episode: 0 });
      await t.until([runId], ['completed', 'failed']);
      expect(await t.call('runs.get', { id: runId })).toMatchObject({ status: 'completed', error: null, episodesDone: 300 });
    } finally {
      await t.close();
    }
  });
});
