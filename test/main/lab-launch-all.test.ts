// Lab.launchAll, behind `aisle run --set` sweeps: every experiment of a sweep recorded in one
// transaction, so a failure while recording one leaves none of them stored or queued.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment, type Experiment } from '../../src/engine/experiment';
import { Lab } from '../../src/main/lab';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

function experiment(name: string): Experiment {
  return parseExperiment({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seeds: 2 });
}

describe('Lab.launchAll', () => {
  it('records and trains every experiment, its runs in seed order', async () => {
    const store = Store.open(join(tempDir(), 'a.db'));
    const lab = new Lab(store, { workerPath: WORKER, size: 1 });
    try {
      const launched = lab.launchAll([experiment('a'), experiment('b')]);
      expect(store.listExperiments().map((e) => [e.id, e.name])).toEqual(launched.map((l, i) => [l.experimentId, ['a', 'b'][i]]));
      await lab.pool.idle();
      for (const { runIds } of launched) expect(runIds.map((id) => [store.getRun(id).seed, store.getRun(id).status])).toEqual([[0, 'completed'], [1, 'completed']]);
    } finally {
      await lab.close();
      store.close();
    }
  });

  it('stores and queues nothing when one of the experiments cannot be recorded', async () => {
    const store = Store.open(join(tempDir(), 'a.db'));
    const lab = new Lab(store, { workerPath: WORKER, size: 1 });
    try {
      // A value JSON cannot hold: writing the second experiment's config throws, after the first's was written.
      const unwritable = { ...experiment('b'), description: 1n } as unknown as Experiment;
      expect(() => lab.launchAll([experiment('a'), unwritable])).toThrow(/BigInt/);
      expect(store.listExperiments()).toEqual([]);
      await lab.pool.idle();
    } finally {
      await lab.close();
      store.close();
    }
  });
});
