// A pool whose thread is kept busy (a long read answering the app, a loaded machine) while a fast
// run trains: the worker waits once too many of its messages are unhandled (MOST_UNHANDLED), where
// they piled up in memory for as long as the thread was busy, and goes on with the same results once
// the pool has caught up. A cancel or a pause while it waits ends the run at once, without the pool
// handling any of what waits. The worker is the built one, watched (test/fixtures/counting-worker.mjs):
// its posts are counted as it makes them, against the batches the pool has handled.
import { join, resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import { MOST_UNHANDLED, MOST_UNHANDLED_BYTES } from '../../src/main/jobs/run-control';
import type { RunSink } from '../../src/main/jobs/pool-contract';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import type { RunSpec } from '../../src/engine/train';
import { expectStoredEqualsStraight, poolOfOne } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const WATCHED = resolve(__dirname, '../fixtures/counting-worker.mjs');
/** The watched worker's counters (see the fixture): metric batches posted, ends posted, blocked in Atomics.wait. */
const METRICS = 0;
const ENDS = 1;
const WAITING = 2;
const POSTED_KIB = 3;
/**
 * Metric batches a worker may post after its wait for the pool before it waits again: one as its
 * state is autosaved, one with its next block of episodes.
 */
const BATCHES_BETWEEN_WAITS = 2;

/** The tabular kernel: ~100 blocks of 1,024 episodes, a batch every block or two at flushMs 1, far more than MOST_UNHANDLED. */
function spec(seed: number): RunSpec {
  return {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 50_000 } },
    episodes: 100_000,
    seed,
    checkpoints: 3,
  };
}

function setup(s: RunSpec) {
  const store = Store.open(join(tempDir(), 'backpressure.db'));
  const { runs } = store.createExperimentWithRuns({
    name: 'backpressure test',
    config: {},
    configHash: 'a'.repeat(64),
    runs: [{ seed: s.seed, config: s, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: s.episodes }],
  });
  return { store, runId: runs[0]!.id };
}

/** A pool of one watched worker, a metric batch every ms, and the worker's counters. */
async function watchedPool(store: RunSink): Promise<{ pool: JobPool; counters: Int32Array }> {
  const channel = new BroadcastChannel('aisle-counting-worker');
  const shared = new Promise<Int32Array>((res) => (channel.onmessage = (e) => res(new Int32Array((e as { data: SharedArrayBuffer }).data))));
  const pool = new JobPool({ workerPath: WATCHED, sink: store, size: 1, flushMs: 1 });
  await pool.warm();
  const counters = await shared;
  channel.close();
  return { pool, counters };
}

/**
 * Keeps this thread busy, handling nothing (as a long read does), until `until` holds; false if it
 * did not within 20 s (the test fails on that, rather than hanging: no timer runs while it is held).
 */
function holdUntil(until: () => boolean): boolean {
  const giveUp = Date.now() + 20_000;
  while (!until()) if (Date.now() > giveUp) return false;
  return true;
}

/** Holds the pool in its first metric batch until the worker waits (or ends: the old code ran to its end); then `whileHeld`. */
function holdInFirstBatch(pool: JobPool, counters: Int32Array, whileHeld: () => void = () => {}) {
  const seen = { batches: 0, mostAhead: 0, waited: undefined as boolean | undefined, endedWhileHeld: false };
  pool.on('metrics', () => {
    seen.batches++;
    if (seen.batches === 1) {
      seen.waited = holdUntil(() => Atomics.load(counters, WAITING) === 1 || Atomics.load(counters, ENDS) > 0) && Atomics.load(counters, ENDS) === 0;
      whileHeld();
      seen.endedWhileHeld = Atomics.load(counters, ENDS) > 0;
    }
    // Posted and not handled: this one and those after it.
    seen.mostAhead = Math.max(seen.mostAhead, Atomics.load(counters, METRICS) - (seen.batches - 1));
  });
  return seen;
}

/**
 * Trains `s` on a watched pool held in its first batch until the worker waits, then stops it there
 * with `stop` (a cancel, a pause), the pool still held: the worker must end the run with what it
 * posted still unhandled.
 */
async function stoppedWhileWaiting(s: RunSpec, stop: (pool: JobPool, runId: number) => boolean): Promise<{ store: Store; runId: number }> {
  const { store, runId } = setup(s);
  const { pool, counters } = await watchedPool(store);
  let stopped: boolean | undefined;
  let ended: boolean | undefined;
  let unhandledAtEnd: number | undefined;
  const seen = holdInFirstBatch(pool, counters, () => {
    stopped = stop(pool, runId);
    // Still held: the worker, woken by the stop, ends the run with nothing more handled.
    ended = holdUntil(() => Atomics.load(counters, ENDS) > 0);
    unhandledAtEnd = Atomics.load(counters, METRICS) - seen.batches;
  });
  pool.enqueue(runId, s);
  await pool.idle();
  await pool.close();
  expect(seen.waited).toBe(true);
  expect(stopped).toBe(true);
  expect(ended, 'the worker ended the run while the pool was held').toBe(true);
  expect(unhandledAtEnd, 'batches posted before the end and still unhandled').toBeGreaterThan(0);
  return { store, runId };
}

describe('a worker ahead of a busy pool', () => {
  it(`waits once ${MOST_UNHANDLED} of its messages are unhandled, and completes the run as trained straight through once the pool catches up`, async () => {
    const s = spec(7);
    const { store, runId } = setup(s);
    const { pool, counters } = await watchedPool(store);
    const seen = holdInFirstBatch(pool, counters);
    pool.enqueue(runId, s);
    await pool.idle();
    await pool.close();
    expect(seen.waited, 'the worker waited for the held pool, rather than training on to its end').toBe(true);
    expect(seen.endedWhileHeld).toBe(false);
    expect(seen.mostAhead).toBeGreaterThan(1);
    expect(seen.mostAhead).toBeLessThanOrEqual(MOST_UNHANDLED + BATCHES_BETWEEN_WAITS);
    expect(seen.batches).toBeGreaterThan(MOST_UNHANDLED + BATCHES_BETWEEN_WAITS);
    expect(Atomics.load(counters, METRICS), 'every batch posted was handled').toBe(seen.batches);
    expectStoredEqualsStraight(store, runId, s);
    store.close();
  });

  it('is cancelled while it waits: the run ends cancelled with the pool still held, none of what waits handled first', async () => {
    const s = spec(8);
    const { store, runId } = await stoppedWhileWaiting(s, (pool, id) => pool.cancel(id));
    const run = store.getRun(runId);
    expect(run.status).toBe('cancelled');
    expect(run.episodesDone).toBeLessThan(s.episodes);
    // What it sent before the cancel is all written, in order.
    expect(store.readMetricRaw(runId, 'return').length).toBe(run.episodesDone);
    store.close();
  });

  it('is paused while it waits: the run ends paused with the pool still held, and resumed it equals the run straight through', async () => {
    const s = spec(9);
    const { store, runId } = await stoppedWhileWaiting(s, (pool, id) => pool.pauseRun(id));
    const paused = store.getRun(runId);
    expect(paused.status).toBe('paused');
    expect(paused.episodesDone).toBeLessThan(s.episodes);
    expect(store.resumableAt(runId)).toBe(paused.episodesDone);

    const second = poolOfOne(store);
    resumeRun(store, second, runId);
    await second.idle();
    await second.close();
    expectStoredEqualsStraight(store, runId, s);
    store.close();
  });
});

/**
 * Seed-toy of 1M states × 4 actions: each Q-table snapshot is 4M doubles, 32 MiB, and the final
 * values another; 8 snapshots, one every 250 episodes (the kernel's blocks end at each). Fewer than
 * MOST_UNHANDLED messages hold them all: only the bound on bytes holds the worker back.
 */
const SNAPSHOT_BYTES = 1_000_000 * 4 * 8;
function bigSnapshots(seed: number): RunSpec {
  return {
    env: { id: 'seed-toy', states: 1_000_000, actions: 4, stepsPerEpisode: 10 },
    agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 1000 } },
    episodes: 2000,
    seed,
    checkpoints: 8,
  };
}

/**
 * A sink that keeps what it is given as digests (a sum of each snapshot's values weighted by their
 * place, each metric batch's sum), not the 300 MB of snapshots: enough to tell two runs apart.
 */
function digestSink(): RunSink & { readonly seen: string[]; status?: string } {
  const seen: string[] = [];
  const digest = (data: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[i]! * ((i % 7) + 1);
    return sum;
  };
  const sink = {
    seen,
    status: undefined as string | undefined,
    markRunning: () => {},
    appendMetrics: (_runId: number, batch: { start: number; count: number; columns: Record<string, ArrayLike<number>> }) => {
      for (const [name, values] of Object.entries(batch.columns)) seen.push(`${batch.start}+${batch.count} ${name} ${digest(values)}`);
    },
    addCheckpoint: (_runId: number, c: { episode: number; data: ArrayLike<number> }) => void seen.push(`checkpoint ${c.episode} ${c.data.length} ${digest(c.data)}`),
    finishRun: (_runId: number, status: string) => void (sink.status = status),
  };
  return sink;
}

describe("a worker whose messages are large (Q-table snapshots of 32 MiB)", () => {
  it(`waits once ${MOST_UNHANDLED_BYTES / 2 ** 20} MiB of them are unhandled, well before ${MOST_UNHANDLED} messages, and stores the run as trained straight through`, async () => {
    const s = bigSnapshots(3);
    const held = digestSink();
    const { pool, counters } = await watchedPool(held);
    let inFlight = 0;
    // Held in the first batch: everything the worker posted after 'started' (no bytes) is unhandled.
    const seen = holdInFirstBatch(pool, counters, () => (inFlight = Atomics.load(counters, POSTED_KIB) * 1024));
    pool.enqueue(1, s);
    await pool.idle();
    await pool.close();
    expect(seen.waited, 'the worker waited for the held pool, rather than posting its snapshots to its end').toBe(true);
    // The bound and one message (a snapshot; metric batches here are a few KB): the old count let
    // 16 messages, 8 snapshots and their batches, 256 MiB and more, pile up.
    expect(inFlight).toBeGreaterThan(MOST_UNHANDLED_BYTES);
    expect(inFlight).toBeLessThanOrEqual(MOST_UNHANDLED_BYTES + SNAPSHOT_BYTES + 64 * 1024);
    expect(held.status).toBe('completed');

    // The same run, the pool never held: the same snapshots and metrics, in the same order.
    const straight = digestSink();
    const second = new JobPool({ workerPath: WATCHED, sink: straight, size: 1, flushMs: 1 });
    second.enqueue(1, s);
    await second.idle();
    await second.close();
    expect(held.seen.filter((l) => l.startsWith('checkpoint')).length).toBe(9);
    expect(held.seen).toEqual(straight.seen);
  });

  it('is cancelled while it waits before a snapshot: the run ends cancelled with the pool still held', async () => {
    const sink = digestSink();
    const { pool, counters } = await watchedPool(sink);
    let ended: boolean | undefined;
    const seen = holdInFirstBatch(pool, counters, () => {
      pool.cancel(1);
      ended = holdUntil(() => Atomics.load(counters, ENDS) > 0);
    });
    pool.enqueue(1, bigSnapshots(4));
    await pool.idle();
    await pool.close();
    expect(seen.waited).toBe(true);
    expect(ended, 'the worker, woken by the cancel, ended the run while the pool was held').toBe(true);
    expect(sink.status).toBe('cancelled');
  });
});

describe('a worker whose post throws (a structured clone out of memory)', () => {
  // test/fixtures/post-throwing-worker.mjs: the built worker, its first 'finished' post throwing.
  // The message never reaches the pool, so nothing would ever take it off the count: a 'finished'
  // past MOST_UNHANDLED_BYTES (here 1M states × 20 actions, 160 MiB) left the 'failed' posted after
  // it waiting for good, and the run running. A run that hung so would time this test out.
  it.each([
    ['small (1,000 × 4)', 1000, 4],
    [`larger than ${MOST_UNHANDLED_BYTES / 2 ** 20} MiB (1M × 20)`, 1_000_000, 20],
  ])("ends the run failed, naming the clone's error, whatever the lost message's size: %s", async (_label, states, actions) => {
    const sink = digestSink() as ReturnType<typeof digestSink> & { error?: string };
    sink.finishRun = (_runId: number, status: string, details?: { error?: string }) => void ((sink.status = status), (sink.error = details?.error));
    const pool = new JobPool({ workerPath: resolve(__dirname, '../fixtures/post-throwing-worker.mjs'), sink, size: 1, flushMs: 1 });
    pool.enqueue(1, {
      env: { id: 'seed-toy', states, actions, stepsPerEpisode: 10 },
      agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 100 } },
      episodes: 200,
      seed: 1,
    });
    await pool.idle();
    await pool.close();
    expect(sink.status).toBe('failed');
    expect(sink.error).toContain('Data cannot be cloned, out of memory');
  });
});
