// A run paused by a version of Aisle that recorded other metrics than this one is refused by
// Resume before anything changes: resumed, a new metric would start at the resume episode (a run
// `aisle results import` refuses), one no longer recorded would stop there.
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { behaviourConfig } from '../../src/engine/experiment';
import type { RunSpec } from '../../src/engine/train';
import { ValidationError } from '../../src/engine/params';
import { configHash } from '../../src/main/hash';
import { JobPool } from '../../src/main/jobs/pool';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { pauseAfter } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

const SPEC: RunSpec = { env: { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 50 }, agent: { id: 'q-learning' }, episodes: 3000, seed: 4 };

async function pausedRun(store: Store): Promise<number> {
  const hash = configHash(behaviourConfig(SPEC));
  const { runs } = store.createExperimentWithRuns({
    name: 'older',
    config: { name: 'older', env: SPEC.env, agent: SPEC.agent, episodes: SPEC.episodes, seeds: [SPEC.seed] },
    configHash: hash,
    runs: [{ seed: SPEC.seed, config: SPEC, configHash: hash, appVersion: 'test', episodesTotal: SPEC.episodes }],
  });
  const runId = runs[0]!.id;
  const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
  pool.enqueue(runId, SPEC);
  await pauseAfter(pool, store, runId, 1);
  await pool.idle();
  await pool.close();
  return runId;
}

it.each([
  ['lacks a metric this version records', (store: Store, runId: number) => store.db.prepare(`DELETE FROM metric_series WHERE run_id = ? AND name = 'train/epsilon'`).run(runId), /without metric "train\/epsilon", which this version of Aisle records .*would start at episode \d+/],
  ['records a metric this version no longer records', (store: Store, runId: number) => store.db.prepare(`UPDATE metric_series SET name = 'train/old' WHERE run_id = ? AND name = 'train/epsilon'`).run(runId), /without metric "train\/epsilon"/],
  ['records only a metric this version no longer records', (store: Store, runId: number) => store.db.prepare(`INSERT INTO metric_series (run_id, name, first_episode, next_episode) SELECT run_id, 'train/old', 0, next_episode FROM metric_series WHERE run_id = ? AND name = 'return'`).run(runId), /record metric "train\/old", which this version of Aisle no longer records: resumed, "train\/old" would stop at episode \d+/],
])('a paused run whose stored episodes %s is refused, left paused with its state', async (_what, older, message) => {
  const store = Store.open(join(tempDir(), 'older.db'));
  try {
    const runId = await pausedRun(store);
    older(store, runId);
    const before = { run: store.getRun(runId), series: store.metricSeries(runId), state: store.db.prepare('SELECT episode, data FROM run_states WHERE run_id = ?').get(runId) };
    expect(before.run.status).toBe('paused');
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    try {
      let caught: unknown;
      try {
        resumeRun(store, pool, runId);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as Error).message).toMatch(new RegExp(`run ${runId}: .*start it again \\(Run again in the app, \`aisle again 1\` in a terminal\\): this run stays paused`));
      expect((caught as Error).message).toMatch(message);
    } finally {
      await pool.close();
    }
    expect(store.getRun(runId)).toEqual(before.run);
    expect(store.metricSeries(runId)).toEqual(before.series);
    expect(store.db.prepare('SELECT episode, data FROM run_states WHERE run_id = ?').get(runId)).toEqual(before.state);
  } finally {
    store.close();
  }
});
