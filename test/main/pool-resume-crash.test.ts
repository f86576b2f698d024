// A run whose worker dies (the thread crashes or exits: out of memory) once it has an autosave, or a
// resumed run whose worker throws or dies before it records an episode (it runs out of memory taking
// its checkpoint back, or crashes as it starts): it is interrupted, as a crash of its process leaves
// it, keeping its last autosave or the checkpoint it was resumed from, and resuming it gives the run
// straight through. It was failed, and failing drops a run's saved state: a long run's only way to
// continue was deleted by a crash. A run with no autosave yet, and a training error (which resuming
// would repeat), still fail. A worker that dies again from the same autosave says how many times and
// what to try, the run still interrupted there.
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import type { RunSink } from '../../src/main/jobs/pool-contract';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import type { RunSpec } from '../../src/engine/train';
import { seedToyQLearning, storeOneRun } from '../helpers/one-run';
import { expectStoredEqualsStraight, poolOfOne } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const CRASHING = resolve(__dirname, '../fixtures/crashing-worker.mjs');
const THROWING = resolve(__dirname, '../fixtures/throwing-worker.mjs');
const DIES_AFTER_AUTOSAVE = resolve(__dirname, '../fixtures/autosave-crashing-worker.mjs');

it.each([
  ['dies', CRASHING, /^the training worker exited unexpectedly \(code 3\) as the run was resumed; it continues from its checkpoint, at episode 120: resume it again/],
  ['runs out of memory', THROWING, /^the training worker ran out of memory \(Array buffer allocation failed\) as the run was resumed; it continues from its checkpoint, at episode 120: resume it again/],
])("keeps a resumed run's checkpoint, interrupted, when its worker %s before recording an episode", async (_how, workerPath, said) => {
  const spec: RunSpec = { env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 }, agent: { id: 'crash' }, episodes: 300, seed: 1, checkpoints: 0 };
  const store = Store.open(join(tempDir(), 'pool.db'));
  try {
    const { runs } = store.createExperimentWithRuns({
      name: 'crash on resume',
      config: {},
      configHash: 'a'.repeat(64),
      runs: [{ seed: 1, config: spec, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: 300 }],
    });
    const runId = runs[0]!.id;
    // Paused at episode 120 with its state (the crashing worker dies before it reads it).
    store.markRunning(runId);
    store.appendMetrics(runId, { start: 0, count: 120, columns: { return: new Float32Array(120).fill(1) } });
    const data = Uint8Array.of(1, 2, 3, 4);
    store.finishRun(runId, 'paused', { summary: {}, state: { episode: 120, data } });
    const resumed = store.resumeRun(runId);
    expect(resumed.episode).toBe(120);

    const pool = new JobPool({ workerPath, sink: store, size: 1 });
    pool.enqueue(runId, spec, { episode: 120, data });
    await pool.idle();
    await pool.close();

    const run = store.getRunState(runId);
    expect(run.status, String(run.error)).toBe('interrupted');
    expect(run.error).toMatch(said);
    expect(store.resumableAt(runId)).toBe(120);
    expect(run.episodesDone).toBe(120);
  } finally {
    store.close();
  }
});

it('still fails a run whose worker dies before it played an episode, never resumed (it has no autosave)', async () => {
  const spec: RunSpec = { env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 }, agent: { id: 'crash' }, episodes: 300, seed: 1, checkpoints: 0 };
  const store = Store.open(join(tempDir(), 'pool.db'));
  try {
    const { runs } = store.createExperimentWithRuns({
      name: 'crash',
      config: {},
      configHash: 'a'.repeat(64),
      runs: [{ seed: 1, config: spec, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: 300 }],
    });
    const pool = new JobPool({ workerPath: CRASHING, sink: store, size: 1 });
    pool.enqueue(runs[0]!.id, spec);
    await pool.idle();
    await pool.close();
    expect(store.getRunState(runs[0]!.id).status).toBe('failed');
  } finally {
    store.close();
  }
});

describe('a run whose worker dies mid-run', () => {
  // Long enough that its worker, autosaving every ms, dies well before the end, however loaded the machine.
  const SPEC = seedToyQLearning({ episodes: 100_000, seed: 4, checkpoints: 3 });

  afterEach(() => {
    delete process.env.AISLE_FIXTURE_THROWS;
    delete process.env.AISLE_FIXTURE_OUT_OF_MEMORY;
    delete process.env.AISLE_FIXTURE_NO_MEMORY;
  });

  type Ends = { status: string; error?: string }[];

  /**
   * Trains the stored run (resumes it, with `resume`) on a pool of DIES_AFTER_AUTOSAVE until it
   * ends: the statuses it heard, and the episode of the last autosave written. With `busyOnce`, the
   * database refuses the first autosave as locked, and the pool retries it 200 ms later.
   */
  async function trainUntilItDies(store: Store, runId: number, autosaveMs: number, how: { resume?: boolean; busyOnce?: boolean } = {}): Promise<{ ends: Ends; autosavedAt?: number }> {
    let autosavedAt: number | undefined;
    let busy = how.busyOnce === true;
    const sink: RunSink = {
      markRunning: (id, at) => store.markRunning(id, at),
      appendMetrics: (id, batch, done, at) => store.appendMetrics(id, batch, done, at),
      addCheckpoint: (id, c) => store.addCheckpoint(id, c),
      finishRun: (id, status, details) => void store.finishRun(id, status, details),
      autosaveRun: (id, state, at) => {
        if (busy) {
          busy = false;
          throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        }
        store.autosaveRun(id, state, at);
        autosavedAt = state.episode;
      },
      withoutWaiting: (write) => store.withoutWaiting(write),
    };
    const pool = new JobPool({ workerPath: DIES_AFTER_AUTOSAVE, sink, size: 1, flushMs: 5, autosaveMs, retryMs: { first: 200, most: 200 } });
    const ends: Ends = [];
    pool.on('status', (e) => e.status !== 'running' && ends.push({ status: e.status, ...('error' in e && e.error !== undefined ? { error: e.error } : {}) }));
    if (how.resume) resumeRun(store, pool, runId);
    else pool.enqueue(runId, SPEC);
    await pool.idle();
    await pool.close();
    return { ends, ...(autosavedAt !== undefined ? { autosavedAt } : {}) };
  }

  /** Resumes the run on a pool of the real worker, and waits for it to end. */
  async function resumeToTheEnd(store: Store, runId: number): Promise<{ episode: number }> {
    const pool = poolOfOne(store);
    const resumed = resumeRun(store, pool, runId);
    await pool.idle();
    await pool.close();
    return resumed;
  }

  /** Trains the run until its worker dies after its first autosave: interrupted there, a batch past it stored. */
  async function diedAfterAnAutosave(store: Store, runId: number): Promise<number> {
    const { ends, autosavedAt } = await trainUntilItDies(store, runId, 1);
    expect(autosavedAt, JSON.stringify(ends)).toBeDefined();
    const at = autosavedAt!;
    expect(at).toBeGreaterThan(0);
    const message = `the training worker exited unexpectedly (code 3); it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)`;
    expect(ends).toEqual([{ status: 'interrupted', error: message }]);
    const run = store.getRun(runId);
    expect(run).toMatchObject({ status: 'interrupted', error: message, summary: null });
    expect(run.episodesDone).toBeGreaterThan(at); // a batch past it, which resuming cuts back
    expect(run.episodesDone).toBeLessThan(SPEC.episodes);
    expect(store.resumableAt(runId)).toBe(at);
    return at;
  }

  it('after an autosave: interrupted, its last autosave kept, and resumed from it to the run straight through', async () => {
    const store = Store.open(join(tempDir(), 'died.db'));
    try {
      const runId = storeOneRun(store, 'died', SPEC);
      const at = await diedAfterAnAutosave(store, runId);
      expect(await resumeToTheEnd(store, runId)).toMatchObject({ episode: at });
      expectStoredEqualsStraight(store, runId, SPEC);
    } finally {
      store.close();
    }
  });

  // A worker that dies deterministically (out of memory at the same episode each time) looped:
  // resumed, it died again before its next autosave, and the run was interrupted with the same words
  // each time, nothing saying that resuming again would die again.
  it('resumed, dying again after more episodes but before an autosave: says it died twice from that episode and what to try, stays interrupted there, and resumes from it again', async () => {
    const store = Store.open(join(tempDir(), 'died-twice.db'));
    try {
      const runId = storeOneRun(store, 'died twice', SPEC);
      const at = await diedAfterAnAutosave(store, runId);
      const episode = at.toLocaleString('en-US');
      // Resumed on a pool that autosaves never: its worker dies two metric batches on.
      const { ends } = await trainUntilItDies(store, runId, 0, { resume: true });
      const message =
        `the training worker exited unexpectedly (code 3); its worker has now died twice from episode ${episode}, each time before its next autosave, so resuming it as it is will most likely stop there again: ` +
        `resume it once what stopped its worker is dealt with (Resume in the app, \`aisle resume ${runId}\` in a terminal), or start the experiment again (Run again in the app, \`aisle again\` in a terminal); it stays interrupted, resumable from episode ${episode}`;
      expect(ends).toEqual([{ status: 'interrupted', error: message }]);
      const run = store.getRun(runId);
      expect(run).toMatchObject({ status: 'interrupted', error: message });
      expect(run.episodesDone).toBeGreaterThan(at);
      expect(store.resumableAt(runId)).toBe(at);

      // A third time: counted on.
      const third = await trainUntilItDies(store, runId, 0, { resume: true });
      expect(third.ends).toEqual([{ status: 'interrupted', error: message.replace('died twice', 'died 3 times') }]);
      expect(store.resumableAt(runId)).toBe(at);

      expect(await resumeToTheEnd(store, runId)).toMatchObject({ episode: at });
      expectStoredEqualsStraight(store, runId, SPEC);
    } finally {
      store.close();
    }
  });

  /**
   * Trains the run until its worker dies a batch after its first autosave, then resumes it, never
   * autosaving, until it dies again: the autosave it died from twice, with what each death said.
   */
  async function diedTwice(store: Store, runId: number): Promise<{ at: number; first: Ends; second: Ends }> {
    const first = await trainUntilItDies(store, runId, 1);
    const at = first.autosavedAt!;
    expect(at, JSON.stringify(first.ends)).toBeGreaterThan(0);
    expect(store.resumableAt(runId)).toBe(at);
    const second = await trainUntilItDies(store, runId, 0, { resume: true });
    expect(store.getRun(runId).status).toBe('interrupted');
    expect(store.resumableAt(runId)).toBe(at);
    return { at, first: first.ends, second: second.ends };
  }

  /** The second death's words after `reason`, with `what` to try. */
  const twice = (reason: string, at: number, what: string) => {
    const episode = at.toLocaleString('en-US');
    return `${reason}; its worker has now died twice from episode ${episode}, each time before its next autosave, so resuming it as it is will most likely stop there again: ${what}; it stays interrupted, resumable from episode ${episode}`;
  };
  const startAgain = 'or start the experiment again with settings that need less memory (Run again in the app, `aisle again` in a terminal)';

  it("out of JavaScript heap twice from one autosave (Node's ERR_WORKER_OUT_OF_MEMORY): names the heap limit and how to raise it", async () => {
    process.env.AISLE_FIXTURE_OUT_OF_MEMORY = '1'; // read by the worker, whose environment is copied as it starts
    const store = Store.open(join(tempDir(), 'heap-twice.db'));
    try {
      const runId = storeOneRun(store, 'heap twice', SPEC);
      const { at, first, second } = await diedTwice(store, runId);
      const reason = 'the training worker crashed: Worker terminated due to reaching memory limit: JS heap out of memory';
      expect(first).toEqual([{ status: 'interrupted', error: `${reason}; it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)` }]);
      const what = `its worker ran out of JavaScript heap at Node's limit (at most about 4,096 MB unless raised): resume it from a terminal with a higher one, \`NODE_OPTIONS=--max-old-space-size=8192 aisle resume ${runId}\` (MB; the machine needs that much free), ${startAgain}`;
      expect(second).toEqual([{ status: 'interrupted', error: twice(reason, at, what) }]);
    } finally {
      store.close();
    }
  });

  // A typed array the machine had no memory for (RangeError: Array buffer allocation failed, which
  // the worker reports as the run's training error) failed the run, dropping its autosave, though
  // freeing memory was all it needed.
  // A WebAssembly memory (the kernels', a network's) that got none fails with other words, as Node
  // 20 gives them (checked under `ulimit -v`): it failed the run, its autosave dropped, until they were known.
  it.each([
    ['a typed array', 'Array buffer allocation failed'],
    ['a WebAssembly memory', 'WebAssembly.Memory(): could not allocate memory'],
    ['a WebAssembly instance', 'WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance'],
    ['a WebAssembly memory growing', 'WebAssembly.Memory.grow(): Unable to grow instance memory'],
  ])('out of machine memory for %s after an autosave: interrupted there, and twice: says so and to free memory or train fewer runs beside it', async (_what, words) => {
    process.env.AISLE_FIXTURE_NO_MEMORY = words === 'Array buffer allocation failed' ? '1' : words;
    const store = Store.open(join(tempDir(), 'no-memory.db'));
    try {
      const runId = storeOneRun(store, 'no memory', SPEC);
      const { at, first, second } = await diedTwice(store, runId);
      const reason = `the training worker ran out of memory (${words})`;
      expect(first).toEqual([{ status: 'interrupted', error: `${reason}; it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal)` }]);
      const what = `the machine had no memory left for it: free some (close other programs, or train fewer runs beside it: fewer workers, \`--workers 1\`), then resume it (Resume in the app, \`aisle resume ${runId}\` in a terminal), ${startAgain}`;
      expect(second).toEqual([{ status: 'interrupted', error: twice(reason, at, what) }]);
    } finally {
      store.close();
    }
  });

  it('resumed after a new autosave and dying after it: a first death from that autosave, said as the first', async () => {
    const store = Store.open(join(tempDir(), 'died-later.db'));
    try {
      const runId = storeOneRun(store, 'died later', SPEC);
      const at = await diedAfterAnAutosave(store, runId);
      // Resumed autosaving every ms: its worker dies a batch after its next autosave.
      const { ends, autosavedAt } = await trainUntilItDies(store, runId, 1, { resume: true });
      expect(autosavedAt).toBeGreaterThan(at);
      expect(ends).toEqual([{ status: 'interrupted', error: expect.stringMatching(new RegExp(`^the training worker exited unexpectedly \\(code 3\\); it continues from its last autosave, at episode ${autosavedAt!.toLocaleString('en-US')}: resume it `)) as unknown }]);
    } finally {
      store.close();
    }
  });

  it('while its first autosave waits for a locked database: interrupted at that autosave once it is written', async () => {
    const store = Store.open(join(tempDir(), 'died-locked.db'));
    try {
      const runId = storeOneRun(store, 'died locked', SPEC);
      // The worker dies while the autosave, and the batch after it, wait for the lock's retry.
      const { ends, autosavedAt } = await trainUntilItDies(store, runId, 1, { busyOnce: true });
      expect(autosavedAt, JSON.stringify(ends)).toBeDefined();
      const at = autosavedAt!;
      expect(at).toBeGreaterThan(0);
      expect(ends).toEqual([{ status: 'interrupted', error: expect.stringContaining(`; it continues from its last autosave, at episode ${at.toLocaleString('en-US')}: resume it`) as unknown }]);
      expect(store.getRun(runId).episodesDone).toBeGreaterThan(at);
      expect(store.resumableAt(runId)).toBe(at);
    } finally {
      store.close();
    }
  });

  it('before its first autosave: failed as before, with no checkpoint, though it played episodes', async () => {
    const store = Store.open(join(tempDir(), 'died-early.db'));
    try {
      const runId = storeOneRun(store, 'died early', SPEC);
      const { ends, autosavedAt } = await trainUntilItDies(store, runId, 0);
      expect(autosavedAt).toBeUndefined();
      expect(ends).toEqual([{ status: 'failed', error: 'the training worker exited unexpectedly (code 3)' }]);
      const run = store.getRun(runId);
      expect(run.status).toBe('failed');
      expect(run.episodesDone).toBeGreaterThan(0);
      expect(store.resumableAt(runId)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('a training error after an autosave: failed as before, its autosave dropped (resuming would throw again)', async () => {
    process.env.AISLE_FIXTURE_THROWS = '1'; // read by the worker, whose environment is copied as it starts
    const store = Store.open(join(tempDir(), 'threw.db'));
    try {
      const runId = storeOneRun(store, 'threw', SPEC);
      const { ends, autosavedAt } = await trainUntilItDies(store, runId, 1);
      expect(autosavedAt).toBeGreaterThan(0);
      expect(ends).toEqual([{ status: 'failed', error: 'the training threw' }]);
      expect(store.getRun(runId).status).toBe('failed');
      expect(store.resumableAt(runId)).toBeNull();
    } finally {
      store.close();
    }
  });
});
