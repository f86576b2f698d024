// An imported experiment beside a stored one of the same name is named apart ("cliff (2)"), in the
// import's transaction: kept under its name, two copies of "cliff" were told apart in no list,
// picker or comparison.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { behaviourConfig } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { exportResults } from '../../src/main/results/export';
import { importResults } from '../../src/main/results/import';
import { Store, type NewExperiment } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

function experiment(name: string, seed: number): NewExperiment {
  const config = { name, env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [seed] };
  const hash = configHash(behaviourConfig(config));
  return { name, config, configHash: hash, runs: [{ seed, config: { ...config, seed }, configHash: hash, appVersion: '0.1.0', episodesTotal: 10 }] };
}

/** A results file of one database's experiments named `names` (each its own seed, so none is another's copy). */
function resultsFile(dir: string, file: string, names: { name: string; seed: number }[]): string {
  const db = join(dir, `${file}.db`);
  const store = Store.open(db);
  try {
    const ids = names.map(({ name, seed }) => {
      const { experiment: created, runs } = store.createExperimentWithRuns(experiment(name, seed));
      for (const run of runs) {
        store.markRunning(run.id);
        store.finishRun(run.id, 'completed', {});
      }
      return created.id;
    });
    const out = join(dir, `${file}.aisle-results`);
    exportResults(store, ids, out, db);
    return out;
  } finally {
    store.close();
  }
}

const named = (store: Store) => store.listExperiments().map((e) => [e.name, (e.config as { name: string }).name]);

describe('results import beside an experiment of the same name', () => {
  it('names the copy apart, says so, and still recognises it on a second import', () => {
    const dir = tempDir();
    const laptop = resultsFile(dir, 'laptop', [{ name: 'cliff', seed: 1 }, { name: 'cliff', seed: 2 }, { name: 'shelf', seed: 3 }]);
    const office = resultsFile(dir, 'office', [{ name: 'cliff', seed: 4 }]);
    const store = Store.open(join(dir, 'home.db'));
    try {
      store.createExperimentWithRuns(experiment('cliff', 0));
      const first = importResults(store, laptop).experiments;
      expect(first.map((e) => [e.name, e.renamed])).toEqual([['cliff', 'cliff (2)'], ['cliff', 'cliff (3)'], ['shelf', undefined]]);
      expect(importResults(store, office).experiments.map((e) => [e.name, e.renamed])).toEqual([['cliff', 'cliff (4)']]);
      // The stored config carries the name too (Run again starts from it).
      expect(named(store)).toEqual([['cliff', 'cliff'], ['cliff (2)', 'cliff (2)'], ['cliff (3)', 'cliff (3)'], ['shelf', 'shelf'], ['cliff (4)', 'cliff (4)']]);
      // A name is not an experiment's identity: the same file again is recognised, not copied.
      const again = importResults(store, laptop).experiments;
      expect(again.map((e) => [e.alreadyImported, e.id, e.renamed])).toEqual(first.map((e) => [true, e.id, undefined]));
      expect(store.listExperiments()).toHaveLength(5);
    } finally {
      store.close();
    }
  });
});
