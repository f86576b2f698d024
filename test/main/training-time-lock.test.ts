// A run's training time leaves out the time its results waited for a database another process had
// locked (the app deleting a large experiment beside `aisle run`): a metric batch counts the run's
// training up to when the batch came from its worker, not up to when its write got through. Before,
// a run that trained 2 s under a lock held 14 s read 15 s of training in `aisle runs`.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import type { RunSink } from '../../src/main/jobs/pool-contract';
import { Store } from '../../src/main/store';
import { seedToyQLearning, storeOneRun } from '../helpers/one-run';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

const SPEC = seedToyQLearning({ episodes: 2000, seed: 3 });

function setup(): { store: Store; runId: number } {
  const store = Store.open(join(tempDir(), 'training-time.db'));
  return { store, runId: storeOneRun(store, 'training time', SPEC) };
}

describe("a run's training time beside a locked database", () => {
  it('counts a metric batch up to when it was played, not when its write got through', () => {
    const { store, runId } = setup();
    store.markRunning(runId, 1_000);
    const columns = { return: new Float32Array(100).fill(1), length: new Float32Array(100).fill(1) };
    // Played by 3 s; written (Date.now(), long after) once the lock was released.
    store.appendMetrics(runId, { start: 0, count: 100, columns }, 100, 3_000);
    store.appendMetrics(runId, { start: 100, count: 100, columns }, 200, 3_500);
    expect(store.getRun(runId).activeMs).toBe(2_500);
    store.finishRun(runId, 'cancelled', { at: 4_000 });
    expect(store.getRun(runId).activeMs).toBe(3_000);
    store.close();
  });

  it('the pool writes each batch with the moment it came from the worker, the same on every retry', async () => {
    const { store, runId } = setup();
    // Every batch's first write is refused as another process's lock refuses it, then retried.
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const attempts = new Map<number, (number | undefined)[]>();
    const sink: RunSink = {
      markRunning: (id, at) => void store.markRunning(id, at),
      appendMetrics: (id, batch, done, at) => {
        const seen = attempts.get(batch.start) ?? [];
        attempts.set(batch.start, [...seen, at]);
        if (seen.length === 0) throw busy;
        store.appendMetrics(id, batch, done, at);
      },
      addCheckpoint: (id, c) => store.addCheckpoint(id, c),
      finishRun: (id, status, details) => void store.finishRun(id, status, details),
      withoutWaiting: (write) => write(),
    };
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 5, retryMs: { first: 1, most: 5 } });
    pool.enqueue(runId, SPEC);
    await pool.idle();
    await pool.close();
    expect(store.getRun(runId).status).toBe('completed');
    expect(attempts.size).toBeGreaterThan(0);
    for (const ats of attempts.values()) {
      expect(ats.length).toBe(2);
      expect(typeof ats[0]).toBe('number');
      expect(ats[1]).toBe(ats[0]);
    }
    store.close();
  });
});
