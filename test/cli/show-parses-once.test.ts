// `aisle show` of a run whose experiment holds an inline MDP, and the app's Run detail of each of
// an experiment's runs, were suspected of parsing that MDP again for every run (2,000 states x 10
// actions: ~0.35 s a show). Measured, they do not: show checks the stored config once (the run's
// settings read beside its experiment's, src/cli/stored-config.ts) and Run detail fingerprints the
// environment once per config hash, which a run shares with its experiment's other seeds. These
// hold that: each MDP parse counted, no time measured.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as mdpFormat from '../../src/engine/mdp/format';
import * as policies from '../../src/main/policies';
import { runSpecOf } from '../../src/main/lab';
import { Store } from '../../src/main/store';
import { showCommand } from '../../src/cli/inspect';
import { parsedCliffExperiment } from '../helpers/cli';
import { openService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

/** A database with the cliff experiment (its MDP inline) and its `seeds` runs, as a launch stores them. */
function cliffDb(seeds: number): string {
  const experiment = parsedCliffExperiment(seeds);
  const db = join(tempDir(), 'a.db');
  const store = Store.open(db);
  store.createExperimentWithRuns({
    name: experiment.name,
    config: experiment,
    configHash: 'c'.repeat(64),
    runs: Array.from({ length: seeds }, (_, seed) => ({ seed, config: runSpecOf(experiment, seed), configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: 20 })),
  });
  store.close();
  return db;
}

afterEach(() => vi.restoreAllMocks());

describe('a run of an inline MDP shown', () => {
  it('parses the MDP once a show, whichever of the experiment\'s runs', () => {
    const db = cliffDb(4);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const parse = vi.spyOn(mdpFormat, 'parseMdp');
    for (const json of [false, true]) {
      for (let runId = 1; runId <= 4; runId++) {
        parse.mockClear();
        expect(showCommand(runId, { db, json })).toBe(0);
        expect(parse.mock.calls.length).toBe(1);
      }
    }
  });

  it("builds the environment once for Run detail of all the experiment's runs", async () => {
    const service = openService({ dbPath: cliffDb(4), workers: 1 });
    try {
      const build = vi.spyOn(policies, 'createEnv');
      const fingerprints = [];
      for (let id = 1; id <= 4; id++) fingerprints.push((await service.call('runs.get', { id })).fingerprint);
      expect(build.mock.calls.length).toBe(1);
      expect(new Set(fingerprints.map((f) => f.hash)).size).toBe(1);
    } finally {
      await service.close();
    }
  });
});
