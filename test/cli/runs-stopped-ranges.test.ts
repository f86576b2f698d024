// `aisle runs`' note under a listing of many stopped runs: stopped early in `aisle run --seeds 1000`,
// 999 runs never started, and `--limit 1000` listed their ids one by one on one line of some 5,000
// characters. Consecutive ids read as a range (which `aisle delete run` and `compare` read back).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle runs, many stopped runs', () => {
  it('gives their ids as ranges where consecutive, ascending', () => {
    const db = join(tempDir(), 'lab.db');
    const store = Store.open(db);
    const spec = { env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 10 };
    const experiment = { format: 'aisle.experiment/v1', name: 'many', env: spec.env, agent: spec.agent, episodes: spec.episodes, seeds: 8 };
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const { runs } = store.createExperimentWithRuns({ name: 'many', config: experiment, configHash: 'c'.repeat(64), runs: seeds.map((seed) => ({ seed, config: { ...spec, seed }, configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: spec.episodes })) });
    // Runs 1–8, cancelled while queued (a Ctrl-C before their first episode), but run 5, which finished.
    for (const run of runs) {
      if (run.id === 5) store.markRunning(run.id);
      store.finishRun(run.id, run.id === 5 ? 'completed' : 'cancelled');
    }
    store.close();
    const listed = aisle(['runs'], { db });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`runs 1–4, 6–8 stopped before the first episode: \`aisle --db ${db} resume <runId>\` starts one\n`);
  });
});
