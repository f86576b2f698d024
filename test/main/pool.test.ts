// The job pool with real worker threads: same results as in-process training, cancellation,
// a worker that throws or dies failing only its own run, and FIFO order across a small pool.
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { JobPool, STARTS_BEFORE_GIVING_UP } from '../../src/main/jobs/pool';
import { STOPPED_MESSAGE, type RunSink } from '../../src/main/jobs/pool-contract';
import { Store } from '../../src/main/store';
import { QUEUED_INTERRUPTED_MESSAGE } from '../../src/main/store/sessions';
import { train, type RunSpec } from '../../src/engine/train';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');
const CRASHING = resolve(__dirname, '../fixtures/crashing-worker.mjs');

function spec(seed: number, episodes = 300, agent: Record<string, unknown> = {}): RunSpec {
  return {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0, ...agent },
    episodes,
    seed,
    checkpoints: 3,
  };
}

function setup(specs: RunSpec[]) {
  const store = Store.open(join(tempDir(), 'pool.db'));
  const { runs } = store.createExperimentWithRuns({
    name: 'pool test',
    config: {},
    configHash: 'a'.repeat(64),
    runs: specs.map((s) => ({ seed: s.seed, config: s, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: s.episodes })),
  });
  return { store, ids: runs.map((r) => r.id) };
}

describe('JobPool', () => {
  it('gives the same metrics, checkpoints and summary in a worker as in-process', async () => {
    const s = spec(7, 400);
    const { store, ids } = setup([s]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    pool.enqueue(ids[0]!, s);
    await pool.idle();
    await pool.close();

    const rows: number[][] = [];
    const checkpoints: number[] = [];
    const local = train(s, { onEpisode: (_e, row) => void rows.push(Array.from(row)), onCheckpoint: (e) => void checkpoints.push(e) });
    const run = store.getRun(ids[0]!);
    expect(run.status).toBe('completed');
    expect(run.episodesDone).toBe(400);
    expect(run.summary).toEqual(JSON.parse(JSON.stringify(local.summary)));
    local.metricNames.forEach((name, m) => {
      const stored = Array.from(store.readMetricRaw(ids[0]!, name));
      expect(stored).toEqual(rows.map((r) => Math.fround(r[m]!)));
    });
    const cps = store.listCheckpoints(ids[0]!);
    expect(cps.map((c) => c.episode)).toEqual([...checkpoints, 399]);
    const final = store.getCheckpoint(cps[cps.length - 1]!.id);
    expect(Array.from(final.data)).toEqual(Array.from(local.values!.q));
    store.close();
  });

  it('gives written metric columns back to the worker, whose next batches and runs collect into them with the same results', async () => {
    // Many batches (1 ms apart) over runs back to back on one worker: its later batches are
    // collected in buffers that held earlier ones, which must not show through.
    const specs = [spec(11, 20_000), spec(12, 20_000), spec(13, 20_000)];
    const { store, ids } = setup(specs);
    const written: Float32Array[] = [];
    let batches = 0;
    const sink: RunSink = {
      markRunning: (id, at) => store.markRunning(id, at),
      appendMetrics: (id, batch, done) => {
        batches++;
        for (const c of Object.values(batch.columns)) written.push(c as Float32Array);
        store.appendMetrics(id, batch, done);
      },
      addCheckpoint: (id, c) => store.addCheckpoint(id, c),
      finishRun: (id, status, details) => store.finishRun(id, status, details),
    };
    const listened: number[] = [];
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 1 });
    pool.on('metrics', (m) => listened.push(m.columns[0]!.length));
    specs.forEach((s, i) => pool.enqueue(ids[i]!, s));
    await pool.idle();
    await pool.close();
    expect(batches).toBeGreaterThan(3 * specs.length);
    // Each batch went back once written: its buffers are detached here. The listener saw them whole.
    expect(written.every((c) => c.buffer.byteLength === 0)).toBe(true);
    expect(listened.every((n) => n > 0)).toBe(true);
    specs.forEach((s, r) => {
      const rows: number[][] = [];
      const local = train(s, { onEpisode: (_e, row) => void rows.push(Array.from(row)) });
      expect(store.getRun(ids[r]!).status).toBe('completed');
      local.metricNames.forEach((name, m) => {
        expect(Array.from(store.readMetricRaw(ids[r]!, name)), `run ${r}, ${name}`).toEqual(rows.map((row) => Math.fround(row[m]!)));
      });
    });
    store.close();
  });

  it("writes a run's metrics up to a checkpoint before the checkpoint (a process killed between them left one past its stored episodes)", async () => {
    // The tabular kernel (blocks) and the JavaScript path (an episode at a time, network weights).
    const specs = [
      spec(21, 3000),
      { env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 20 }, agent: { id: 'dqn', hidden: [8], batchSize: 8, learningStarts: 16, bufferSize: 200 }, episodes: 120, seed: 22, checkpoints: 4 },
    ];
    const { store, ids } = setup(specs);
    const stored = new Map<number, number>();
    const early: string[] = [];
    let checkpoints = 0;
    const sink: RunSink = {
      markRunning: (id, at) => store.markRunning(id, at),
      appendMetrics: (id, batch, done) => {
        stored.set(id, batch.start + batch.count);
        store.appendMetrics(id, batch, done);
      },
      addCheckpoint: (id, c) => {
        checkpoints++;
        if ((stored.get(id) ?? 0) <= c.episode) early.push(`run ${id}: checkpoint at episode ${c.episode} with ${stored.get(id) ?? 0} episodes written`);
        return store.addCheckpoint(id, c);
      },
      finishRun: (id, status, details) => store.finishRun(id, status, details),
    };
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 50 });
    specs.forEach((s, i) => pool.enqueue(ids[i]!, s));
    await pool.idle();
    await pool.close();
    expect(ids.map((id) => store.getRun(id).status)).toEqual(['completed', 'completed']);
    expect(checkpoints).toBeGreaterThanOrEqual(6);
    expect(early).toEqual([]);
    store.close();
  });

  it('runs a FIFO queue on a bounded number of workers and reports progress', async () => {
    const specs = [1, 2, 3, 4].map((seed) => spec(seed, 200));
    const { store, ids } = setup(specs);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 2 });
    const started: number[] = [];
    let maxConcurrent = 0;
    const progress = new Map<number, number>();
    pool.on('status', (e) => {
      if (e.status === 'running') started.push(e.runId);
      maxConcurrent = Math.max(maxConcurrent, store.countRuns({ status: 'running' }));
    });
    pool.on('progress', (p) => progress.set(p.runId, p.episodesDone));
    // The order the pool hands runs to its workers. (The order they report running in is the
    // workers': under load, a worker's first run can report after the other worker has run three.)
    const handedOut: number[] = [];
    const originalPost = Worker.prototype.postMessage;
    const post = vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, ...args: Parameters<Worker['postMessage']>) {
      const msg = args[0] as { type?: string; runId?: number };
      if (msg.type === 'start') handedOut.push(msg.runId!);
      originalPost.apply(this, args);
    });
    ids.forEach((id, i) => pool.enqueue(id, specs[i]!));
    await pool.idle();
    await pool.close();
    post.mockRestore();
    // FIFO: every run handed out once, in the order queued; each reported running once.
    expect(handedOut).toEqual(ids);
    expect([...started].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(maxConcurrent).toBeLessThanOrEqual(2);
    for (const id of ids) {
      expect(store.getRun(id).status).toBe('completed');
      expect(progress.get(id)).toBe(200);
    }
    store.close();
  });

  it('cancels a running run after its current episode and a queued run at once', async () => {
    const long = spec(1, 5_000_000);
    const queued = spec(2, 100);
    const { store, ids } = setup([long, queued]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    const running = new Promise<void>((res) => pool.on('progress', (p) => p.runId === ids[0] && p.episodesDone > 0 && res()));
    pool.enqueue(ids[0]!, long);
    pool.enqueue(ids[1]!, queued);
    await running;
    expect(pool.cancel(ids[1]!)).toBe(true);
    expect(store.getRun(ids[1]!).status).toBe('cancelled');
    const t = performance.now();
    expect(pool.cancel(ids[0]!)).toBe(true);
    await pool.idle();
    const latency = performance.now() - t;
    console.log(`cancel → cancelled recorded in ${latency.toFixed(1)} ms`);
    const run = store.getRun(ids[0]!);
    expect(run.status).toBe('cancelled');
    expect(run.episodesDone).toBeGreaterThan(0);
    expect(run.episodesDone).toBeLessThan(5_000_000);
    // Everything played before the stop was recorded.
    expect(store.readMetricRaw(ids[0]!, 'return').length).toBe(run.episodesDone);
    expect(pool.cancel(12345)).toBe(false);
    await pool.close();
    store.close();
  });

  it('cancels inside an episode: a DQN episode of a million steps (minutes of play) stops where it is, with no episode recorded', async () => {
    const long: RunSpec = {
      env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 1_000_000 },
      agent: { id: 'dqn', hidden: [8], learningStarts: 10, trainFrequency: 1, batchSize: 8 },
      episodes: 2,
      seed: 1,
      checkpoints: 0,
    };
    const { store, ids } = setup([long]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    const running = new Promise<void>((res) => pool.on('status', (e) => e.runId === ids[0] && e.status === 'running' && res()));
    pool.enqueue(ids[0]!, long);
    await running;
    await new Promise((r) => setTimeout(r, 200)); // well inside the first episode
    expect(pool.cancel(ids[0]!)).toBe(true);
    await pool.idle();
    const run = store.getRun(ids[0]!);
    expect(run.error).toBeNull();
    expect(run.status).toBe('cancelled');
    expect(run.episodesDone).toBe(0); // the episode under way is dropped, not recorded half-played
    await pool.close();
    store.close();
  });

  it('closing stops the running run and leaves a queued one to be marked interrupted (never started), not cancelled', async () => {
    const long = spec(1, 5_000_000);
    const queued = spec(2, 100);
    const { store, ids } = setup([long, queued]);
    const file = store.db.name;
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    const running = new Promise<void>((res) => pool.on('progress', (p) => p.runId === ids[0] && p.episodesDone > 0 && res()));
    pool.enqueue(ids[0]!, long);
    pool.enqueue(ids[1]!, queued);
    await running;
    await pool.close();
    expect(store.getRun(ids[0]!).status).toBe('cancelled');
    // Said why, since no one pressed Cancel: the restarted app shows it on the run's page and in its status's title.
    expect(store.getRun(ids[0]!).error).toBe(STOPPED_MESSAGE);
    expect(store.getRun(ids[1]!).status).toBe('queued');
    store.close();
    const reopened = Store.open(file);
    const never = reopened.getRun(ids[1]!);
    expect(never.status).toBe('interrupted');
    expect(never.error).toBe(QUEUED_INTERRUPTED_MESSAGE);
    reopened.close();
  });

  it('fails a run whose training throws, with the message, and carries on', async () => {
    const bad = spec(1, 100, { alpha: 7 }); // out of range: the engine re-validates and throws
    const good = spec(2, 100);
    const { store, ids } = setup([bad, good]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    pool.enqueue(ids[0]!, bad);
    pool.enqueue(ids[1]!, good);
    await pool.idle();
    await pool.close();
    const failed = store.getRun(ids[0]!);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/alpha/);
    expect(store.getRun(ids[1]!).status).toBe('completed');
    store.close();
  });

  it('fails a run whose worker dies, replaces the worker and carries on', async () => {
    const crash = spec(1, 100, {});
    const crashSpec = { ...crash, agent: { id: 'crash' } };
    const after = spec(2, 100);
    const { store, ids } = setup([crash, after]);
    const pool = new JobPool({ workerPath: CRASHING, sink: store, size: 1 });
    pool.enqueue(ids[0]!, crashSpec);
    pool.enqueue(ids[1]!, after);
    await pool.idle();
    await pool.close();
    const failed = store.getRun(ids[0]!);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/exited unexpectedly \(code 3\)/);
    expect(store.getRun(ids[1]!).status).toBe('completed');
    store.close();
  });

  it('warm() rejects, naming the reason, when a worker dies before it is ready (it used to wait for ever)', async () => {
    const sink: RunSink = { markRunning: () => {}, appendMetrics: () => {}, addCheckpoint: () => {}, finishRun: () => {} };
    const pool = new JobPool({ workerPath: resolve(__dirname, '../fixtures/broken-worker.mjs'), sink, size: 2 });
    await expect(pool.warm()).rejects.toThrow('a training worker could not start: the worker script is broken');
    await pool.close();
  });

  it('refuses a run queued while it closes, which would start on a worker about to be stopped', async () => {
    const specs = [spec(1, 1_000_000), spec(2, 100)];
    const { store, ids } = setup(specs);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    const started = new Promise<void>((res) => pool.on('progress', () => res()));
    pool.enqueue(ids[0]!, specs[0]!);
    await started;
    const closing = pool.close(); // waits for the training run to report its cancel
    expect(() => pool.enqueue(ids[1]!, specs[1]!)).toThrow('Aisle is closing: start the run again once it has restarted');
    await closing;
    expect(() => pool.enqueue(ids[1]!, specs[1]!)).toThrow('the job pool is closed');
    expect(store.getRun(ids[1]!).status).toBe('queued'); // never started: the store's close marks it interrupted
    store.close();
  });

  it('fails the queued runs with the worker\'s error when every new worker dies as it loads, rather than starting workers for ever', async () => {
    const specs = [spec(1, 100), spec(2, 100)];
    const { store, ids } = setup(specs);
    let spawned = 0;
    const pool = new JobPool({ workerPath: resolve(__dirname, '../fixtures/broken-worker.mjs'), sink: store, size: 1 });
    const spawn = (pool as unknown as { spawn: () => void }).spawn.bind(pool);
    (pool as unknown as { spawn: () => void }).spawn = () => {
      spawned++;
      spawn();
    };
    pool.enqueue(ids[0]!, specs[0]!);
    pool.enqueue(ids[1]!, specs[1]!);
    await pool.idle(); // it never resolved: the queue waited for a worker that never came
    expect(spawned).toBe(STARTS_BEFORE_GIVING_UP);
    for (const id of ids) {
      const run = store.getRun(id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/^no training worker could start \(3 tried in a row\): the training worker crashed: the worker script is broken/);
    }
    await pool.close();
    store.close();
  });

  it('a write the store refuses interrupts that run and the pool carries on, even when marking it interrupted is refused too', async () => {
    const specs = [spec(1, 200), spec(2, 200), spec(3, 200)];
    const { store, ids } = setup(specs);
    // The store refuses run 1's metrics (a full disk, a lock held too long) and then refuses to mark
    // run 1 interrupted as well; run 2's metrics are refused but its end is recorded; run 3 is fine.
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const sink: RunSink = {
      markRunning: (id) => store.markRunning(id),
      appendMetrics: (id, batch, done) => {
        if (id !== ids[2]) throw full;
        store.appendMetrics(id, batch, done);
      },
      addCheckpoint: (id, c) => store.addCheckpoint(id, c),
      finishRun: (id, status, details) => {
        if (id === ids[0]) throw full;
        store.finishRun(id, status, details);
      },
    };
    const pool = new JobPool({ workerPath: WORKER, sink, size: 1, flushMs: 5 });
    const statuses: string[] = [];
    const storeErrors: number[] = [];
    pool.on('status', (e) => e.status !== 'running' && statuses.push(`${e.runId} ${e.status}`));
    pool.on('storeError', (e) => storeErrors.push(e.runId));
    ids.forEach((id, i) => pool.enqueue(id, specs[i]!));
    await pool.idle();
    await pool.close();
    expect(statuses).toEqual([`${ids[0]} interrupted`, `${ids[1]} interrupted`, `${ids[2]} completed`]);
    expect(storeErrors).toEqual([ids[0], ids[0], ids[1]]); // run 1: the metrics, then its end; run 2: the metrics
    expect(store.getRun(ids[0]!).status).toBe('running'); // left for the store's recovery (interrupted at the next open)
    // None of its episodes was stored: resumed, it starts from its first.
    expect(store.getRun(ids[1]!)).toMatchObject({
      status: 'interrupted',
      error: `could not record the run: database or disk is full; it stored no episode: free some space, then resume it (Resume in the app, \`aisle resume ${ids[1]}\` in a terminal)`,
    });
    expect(store.getRun(ids[2]!).status).toBe('completed');
    store.close();
  });
});
