// `aisle check` (and a results import) reckoned every run's identity from its own config: canonical
// JSON and a sha-256 of the environment, an inline 20,000-state MDP each time (~0.4 s a run: 8.6 s
// of a 27 s check on the large-database audit's database). A run whose environment, agent and
// episodes are its experiment's very JSON, as every launch stores them, now has its experiment's
// identity, reckoned once; one that differs is reckoned from its own config, and named as before.
// Counted, not timed.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashProblems } from '../../src/main/check-database';
import { behaviourConfig, type Experiment } from '../../src/engine/experiment';
import * as hash from '../../src/main/hash';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

function sweepDb(seeds: number): string {
  const experiment = { env: { id: 'seed-toy', states: 4, actions: 2, stepsPerEpisode: 3 }, agent: { id: 'q-learning', alpha: 0.1 }, episodes: 5, seeds } as unknown as Experiment;
  const identity = hash.configHash(behaviourConfig(experiment));
  const db = join(tempDir(), 'a.db');
  const store = Store.open(db);
  store.createExperimentWithRuns({
    name: 'toy',
    config: experiment,
    configHash: identity,
    runs: Array.from({ length: seeds }, (_, seed) => ({ seed, config: { ...experiment, seed }, configHash: identity, appVersion: 'test', episodesTotal: 5 })),
  });
  store.close();
  return db;
}

describe("a run's identity checked", () => {
  it("is its experiment's, reckoned once, where its settings are its experiment's text for text", () => {
    const path = sweepDb(4);
    const db = new Database(path, { readonly: true });
    try {
      const reckoned = vi.spyOn(hash, 'configHash');
      expect([...hashProblems(db)]).toEqual([]);
      expect(reckoned).toHaveBeenCalledTimes(1);
    } finally {
      db.close();
    }
  });

  it('is reckoned from its own config where that differs, and named', () => {
    const path = sweepDb(4);
    const edit = new Database(path);
    edit.prepare("UPDATE runs SET config = json_set(config, '$.agent.alpha', 0.9) WHERE id = 3").run();
    edit.close();
    const db = new Database(path, { readonly: true });
    try {
      const reckoned = vi.spyOn(hash, 'configHash');
      expect([...hashProblems(db)]).toEqual([`run 3's config: its environment, agent or episodes are not those its stored identity (config_hash) was made from`]);
      expect(reckoned).toHaveBeenCalledTimes(2);
    } finally {
      db.close();
    }
  });
});
