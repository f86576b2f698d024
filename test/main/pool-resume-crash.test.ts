// A resumed run whose worker throws or dies before it records an episode (it runs out of memory
// taking its checkpoint back, or crashes as it starts) played nothing here: it is interrupted, as a
// crash of its process leaves it, keeping the checkpoint it was resumed from. It was failed, and
// failing drops a run's saved state: a long run's only way to continue was deleted by a crash.
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import { Store } from '../../src/main/store';
import type { RunSpec } from '../../src/engine/train';
import { tempDir } from '../helpers/tmp';

const CRASHING = resolve(__dirname, '../fixtures/crashing-worker.mjs');
const THROWING = resolve(__dirname, '../fixtures/throwing-worker.mjs');

it.each([
  ['dies', CRASHING, /^the training worker exited unexpectedly \(code 3\) as the run was resumed; it continues from its checkpoint, at episode 120: resume it again/],
  ['throws', THROWING, /^Array buffer allocation failed as the run was resumed; it continues from its checkpoint, at episode 120: resume it again/],
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
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(said);
    expect(store.resumableAt(runId)).toBe(120);
    expect(run.episodesDone).toBe(120);
  } finally {
    store.close();
  }
});

it('still fails a run resumed that recorded episodes before its worker died, and a run never resumed', async () => {
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
