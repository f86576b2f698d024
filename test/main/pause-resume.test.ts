// Pausing a run on the job pool (real worker threads) and resuming it, in another pool as another
// process would: the stored metrics, summary and final Q-table or weights are those of the same
// run trained straight through, bit for bit (the metrics as float32, as they are stored), and its
// training time leaves out the time it stood paused. The status and checkpoint are written
// together; what cannot be resumed is refused naming why, with nothing changed.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import { pauseRun, resumeRun } from '../../src/main/resume';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate, NotFoundError, NotResumableError, openDatabase, Store } from '../../src/main/store';
import { ValidationError } from '../../src/engine/params';
import type { RunSpec } from '../../src/engine/train';
import { expectStoredEqualsStraight, notElsewhere, pauseAfter, pausedOnItsOwnPool, poolOfOne } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

function setup(specs: RunSpec[], file = join(tempDir(), 'pause.db')) {
  const store = Store.open(file);
  const { runs } = store.createExperimentWithRuns({
    name: 'pause test',
    config: {},
    configHash: 'a'.repeat(64),
    runs: specs.map((s) => ({ seed: s.seed, config: s, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: s.episodes })),
  });
  return { store, file, ids: runs.map((r) => r.id) };
}

const CASES: Record<string, RunSpec> = {
  // The WebAssembly kernel: paused at the end of a chunk of episodes.
  'q-learning on seed-toy (kernel)': {
    env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
    agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 20_000 } },
    episodes: 60_000,
    seed: 3,
    checkpoints: 4,
  },
  'ucb1 on the bandit testbed (JavaScript)': { env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'ucb1' }, episodes: 40_000, seed: 5, checkpoints: 0 },
  'dqn on seed-toy (JavaScript, weights)': {
    env: { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 50 },
    agent: { id: 'dqn', hidden: [8], batchSize: 8, bufferSize: 500, learningStarts: 50 },
    episodes: 600,
    seed: 2,
    checkpoints: 2,
  },
};

describe('pause and resume on the job pool', () => {
  for (const [name, s] of Object.entries(CASES)) {
    it(`${name}: paused, resumed in another pool, equals the run straight through, its training time without the pause`, async () => {
      const { store, ids } = setup([s]);
      const runId = ids[0]!;
      await pausedOnItsOwnPool(store, runId, s);
      const paused = store.getRun(runId);
      expect(paused.status).toBe('paused');
      expect(paused.episodesDone).toBeGreaterThan(0);
      expect(paused.episodesDone, 'paused before the end').toBeLessThan(s.episodes);
      expect(store.resumableAt(runId), 'the checkpoint is at the episodes stored').toBe(paused.episodesDone);
      expect(paused.activeMs).toBeGreaterThan(0);
      expect(paused.activeMs).toBeLessThanOrEqual(paused.finishedAt! - paused.startedAt!);
      // Held paused at least this long: the resume's start is taken after it.
      const HELD_MS = 300;
      await new Promise((res) => setTimeout(res, HELD_MS));

      const second = poolOfOne(store);
      const resumed = resumeRun(store, second, runId);
      expect(resumed.episode).toBe(paused.episodesDone);
      await second.idle();
      await second.close();
      expectStoredEqualsStraight(store, runId, s);
      expect(store.resumableAt(runId), 'a completed run keeps no checkpoint').toBeNull();
      const done = store.getRun(runId);
      expect(done.startedAt, 'its first start').toBe(paused.startedAt);
      expect(done.activeMs!, 'it trained on after the resume').toBeGreaterThanOrEqual(paused.activeMs!);
      expect(done.activeMs!, 'the pause left out').toBeLessThanOrEqual(done.finishedAt! - done.startedAt! - HELD_MS);
      expect(store.getRunItem(runId).activeMs).toBe(done.activeMs);
      store.close();
    });
  }

  it('a queued run is paused at once, and resumes from its start', async () => {
    const s = CASES['ucb1 on the bandit testbed (JavaScript)']!;
    const { store, ids } = setup([s, { ...s, seed: 6, episodes: 300 }]);
    const pool = poolOfOne(store);
    pool.enqueue(ids[0]!, s);
    pool.enqueue(ids[1]!, { ...s, seed: 6, episodes: 300 });
    pauseRun(store, pool, ids[1]!, notElsewhere);
    pauseRun(store, pool, ids[0]!, notElsewhere);
    await pool.idle();
    expect(store.getRun(ids[1]!).status).toBe('paused');
    expect(store.getRun(ids[1]!).episodesDone).toBe(0);
    expect(resumeRun(store, pool, ids[1]!).episode).toBe(0);
    await pool.idle();
    await pool.close();
    expectStoredEqualsStraight(store, ids[1]!, { ...s, seed: 6, episodes: 300 });
    store.close();
  });

  it('a cancelled run keeps its checkpoint when it stopped between episodes, and resumes', async () => {
    const s = CASES['q-learning on seed-toy (kernel)']!;
    const { store, ids } = setup([s]);
    const pool = poolOfOne(store);
    const started = new Promise<void>((res) => pool.on('progress', (p) => p.episodesDone > 0 && res()));
    pool.enqueue(ids[0]!, s);
    await started;
    pool.cancel(ids[0]!);
    await pool.idle();
    expect(store.getRun(ids[0]!).status).toBe('cancelled');
    expect(store.resumableAt(ids[0]!)).toBe(store.getRun(ids[0]!).episodesDone);
    resumeRun(store, pool, ids[0]!);
    await pool.idle();
    await pool.close();
    expectStoredEqualsStraight(store, ids[0]!, s);
    store.close();
  });

  it('a resumed run cancelled while it waits for a worker keeps its checkpoint, and resumes from it', async () => {
    const s = CASES['q-learning on seed-toy (kernel)']!;
    const other = { ...s, seed: 4 };
    const { store, ids } = setup([s, other]);
    const [runId, busy] = [ids[0]!, ids[1]!];
    await pausedOnItsOwnPool(store, runId, s);
    const at = store.resumableAt(runId);
    expect(at).toBeGreaterThan(0);

    // One worker, busy with another run: the resumed one waits in the queue, and is cancelled there.
    const pool = poolOfOne(store);
    pool.enqueue(busy, other);
    expect(resumeRun(store, pool, runId).episode).toBe(at);
    expect(store.getRun(runId).status).toBe('queued');
    expect(pool.cancel(runId)).toBe(true);
    await pool.idle();
    expect(store.getRun(runId).status).toBe('cancelled');
    expect(store.resumableAt(runId), 'the checkpoint it was queued with').toBe(at);
    expect(resumeRun(store, pool, runId).episode).toBe(at);
    await pool.idle();
    await pool.close();
    expectStoredEqualsStraight(store, runId, s);
    store.close();
  });
});

describe('what resume refuses, changing nothing', () => {
  const s = CASES['ucb1 on the bandit testbed (JavaScript)']!;

  it('an unknown run, a finished one, a running one', async () => {
    const { store, ids } = setup([{ ...s, episodes: 50 }]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    expect(() => resumeRun(store, pool, 999)).toThrow(NotFoundError);
    expect(() => pauseRun(store, pool, 999, notElsewhere)).toThrow(NotFoundError);
    pool.enqueue(ids[0]!, { ...s, episodes: 50 });
    await pool.idle();
    expect(() => resumeRun(store, pool, ids[0]!)).toThrow(new NotResumableError(ids[0]!, `run ${ids[0]} is completed: only a paused, cancelled or interrupted run can be resumed (it has finished)`));
    expect(() => pauseRun(store, pool, ids[0]!, notElsewhere)).toThrow(`run ${ids[0]} is completed: only a queued or running run can be paused`);
    expect(store.getRun(ids[0]!).status).toBe('completed');
    // A failed one is started again, naming its experiment as the no-checkpoint refusal does: it said `aisle again` alone.
    const { experiment, runs: [failed] } = store.createExperimentWithRuns({ name: 'fails', config: {}, configHash: 'b'.repeat(64), runs: [{ seed: 0, config: s, configHash: 'b'.repeat(64), appVersion: 'test', episodesTotal: 50 }] });
    store.markRunning(failed!.id);
    store.finishRun(failed!.id, 'failed', { error: 'boom' });
    expect(() => resumeRun(store, pool, failed!.id)).toThrow(`run ${failed!.id} is failed: only a paused, cancelled or interrupted run can be resumed (it failed: start it again (Run again in the app, \`aisle again ${experiment.id}\` in a terminal))`);
    await pool.close();
    store.close();
  });

  it('a damaged checkpoint: one error naming it, and the run stays paused', async () => {
    const { store, ids } = setup([s]);
    const pool = poolOfOne(store);
    pool.enqueue(ids[0]!, s);
    await pauseAfter(pool, store, ids[0]!, 1);
    await pool.idle();
    store.db.prepare("UPDATE run_states SET data = CAST(replace(CAST(data AS TEXT), 'ucb1', 'ucb2') AS BLOB) WHERE run_id = ?").run(ids[0]!);
    const error = (() => {
      try {
        resumeRun(store, pool, ids[0]!);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      `checkpoint: run ${ids[0]}'s checkpoint is damaged: its checksum does not match its bytes; it cannot be resumed: start the experiment again (Run again in the app, \`aisle again ${store.getRun(ids[0]!).experimentId}\` in a terminal)`,
    ]);
    expect(store.getRun(ids[0]!).status).toBe('paused');
    expect(pool.pending).toBe(0);
    await pool.close();
    store.close();
  });

  // A checkpoint the service's checks pass but the worker's run cannot take back (an Aisle whose run
  // held other tables or metrics saved it; here the stored config is edited so the tables differ),
  // and a stored config this build no longer builds: the run played nothing on, so it is paused again
  // with its checkpoint and why, rather than failed with its checkpoint dropped.
  for (const [name, edit, why] of [
    ['a checkpoint that does not fit the run its worker builds', "json_set(config, '$.env.arms', 12)", /^could not be resumed: checkpoint\.env\.[^:]*: .*the checkpoint does not fit the run/],
    ['a stored config this build cannot build', "json_set(config, '$.env.arms', 0)", /^could not be resumed: .*env\.arms/],
  ] as const) {
    it(`${name}: the run is paused again with its checkpoint and why, nothing lost`, async () => {
      const { store, ids } = setup([s, { ...s, seed: 6, episodes: 300 }]);
      const pool = poolOfOne(store);
      pool.enqueue(ids[0]!, s);
      await pauseAfter(pool, store, ids[0]!, 1);
      await pool.idle();
      const paused = store.getRun(ids[0]!);
      const at = store.resumableAt(ids[0]!);
      const stored = Array.from(store.readMetricRaw(ids[0]!, 'reward'));
      expect(at).toBe(paused.episodesDone);
      store.db.prepare(`UPDATE runs SET config = ${edit} WHERE id = ?`).run(ids[0]!);
      const statuses: { status: string; error?: string }[] = [];
      pool.on('status', (e) => e.runId === ids[0] && statuses.push({ status: e.status, ...('error' in e && e.error ? { error: e.error } : {}) }));
      expect(resumeRun(store, pool, ids[0]!).episode).toBe(at);
      pool.enqueue(ids[1]!, { ...s, seed: 6, episodes: 300 });
      await pool.idle();
      const after = store.getRun(ids[0]!);
      expect(after.status).toBe('paused');
      expect(after.error).toMatch(why);
      expect(after.error).toMatch(/it stays paused with its checkpoint: start the experiment again .*`aisle again` in a terminal\)$/);
      expect(statuses.at(-1)).toEqual({ status: 'paused', error: after.error });
      expect(store.resumableAt(ids[0]!), 'its checkpoint kept').toBe(at);
      expect(after.episodesDone).toBe(paused.episodesDone);
      expect(Array.from(store.readMetricRaw(ids[0]!, 'reward')), 'its metrics as they were').toEqual(stored);
      expect(store.getRun(ids[1]!).status, 'the pool carries on').toBe('completed');
      await pool.close();
      store.close();
    });
  }

  it('an interrupted run without a checkpoint, which played episodes', () => {
    const { store, ids } = setup([s]);
    store.markRunning(ids[0]!);
    store.appendMetrics(ids[0]!, { start: 0, count: 2, columns: { return: Float32Array.from([1, 2]) } });
    store.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(ids[0]!);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1 });
    expect(() => resumeRun(store, pool, ids[0]!)).toThrow(/has no checkpoint to resume from: it stopped without one \(a crash before its first autosave, which a run writes every 60 s while it trains, or a stop inside an episode\)/);
    expect(store.getRun(ids[0]!).status).toBe('interrupted');
    store.close();
  });
});

describe('migration 11', () => {
  it("keeps a version-10 database's runs and their metrics, and admits 'paused' and run_states", () => {
    const file = join(tempDir(), 'v9.db');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, MIGRATIONS.slice(0, 10));
    old.exec(`INSERT INTO experiments (name, config, config_hash, created_at) VALUES ('e', '{}', '${'a'.repeat(64)}', 1);
      INSERT INTO runs (experiment_id, seed, status, config, config_hash, app_version, episodes_total, episodes_done, created_at)
        VALUES (1, 1, 'cancelled', '{}', '${'a'.repeat(64)}', 'old', 10, 2, 1);
      INSERT INTO metric_series (run_id, name, first_episode, next_episode) VALUES (1, 'return', 0, 2);`);
    expect(() => old.prepare("UPDATE runs SET status = 'paused'").run()).toThrow(/CHECK constraint failed/);
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT status, episodes_done FROM runs').get()).toEqual({ status: 'cancelled', episodes_done: 2 });
    expect(db.prepare('SELECT count(*) FROM metric_series').pluck().get()).toBe(1);
    db.prepare("UPDATE runs SET status = 'paused'").run();
    expect(() => db.prepare("UPDATE runs SET status = 'resting'").run()).toThrow(/CHECK constraint failed/);
    db.prepare('INSERT INTO run_states (run_id, episode, created_at, data) VALUES (1, 2, 3, x\'00\')').run();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.prepare('DELETE FROM runs').run();
    expect(db.prepare('SELECT count(*) FROM run_states').pluck().get()).toBe(0);
    db.close();
  });
});
