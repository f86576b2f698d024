// `aisle check` reads the database in one read transaction, and names what its rows hold that the
// app would misread: a run's config, its seed, a metric with a chunk missing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkDatabase } from '../../src/main/check-database';
import { behaviourConfig, type Experiment } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { Store } from '../../src/main/store';
import { aisle, cliffExperimentFile } from '../helpers/cli';
import { recutAcrossCell } from '../helpers/recut-chunks';
import { tempDir } from '../helpers/tmp';

describe('checkDatabase', () => {
  it('reads the rows as they were when it began: a run deleted by another process meanwhile is read whole', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', cliffExperimentFile(dir)], { db }).code).toBe(0);
    const store = Store.open(db);
    const other = new Database(db);
    try {
      // The app deletes run 2 while the check is reading run 1.
      const list = store.listCheckpoints.bind(store);
      let deleted = false;
      store.listCheckpoints = (runId: number) => {
        if (!deleted) {
          deleted = true;
          other.pragma('foreign_keys = ON');
          expect(other.prepare('DELETE FROM runs WHERE id = 2').run().changes).toBe(1);
        }
        return list(runId);
      };
      const check = checkDatabase(store);
      expect(deleted).toBe(true);
      expect(check.problems).toEqual([]);
      expect(check.read.runs).toBe(2);
      // And the delete was real: a check started after it reads one run.
      expect(checkDatabase(store).read.runs).toBe(1);
    } finally {
      other.close();
      store.close();
    }
  }, 60_000);

  it("names a run's config without its agent, a seed its config does not say, a metric with a chunk missing and a saved state that is not one", () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'toy.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'aisle.experiment/v1', name: 'long toy', env: { id: 'seed-toy', stepsPerEpisode: 1 }, agent: { id: 'q-learning' }, episodes: 20_000, seeds: 2 }),
    );
    expect(aisle(['run', file], { db }).code).toBe(0);
    const edit = new Database(db);
    const chunks = edit.prepare("SELECT c.rowid AS rowid, c.start_episode AS start FROM metric_chunks c JOIN metric_series s ON s.id = c.series_id WHERE s.run_id = 2 AND s.name = 'return' ORDER BY c.start_episode").all() as { rowid: number; start: number }[];
    expect(chunks.length).toBeGreaterThan(2);
    edit.prepare('DELETE FROM metric_chunks WHERE rowid = ?').run(chunks[1]!.rowid);
    edit.prepare("UPDATE runs SET config = json_remove(config, '$.agent') WHERE id = 1").run();
    edit.prepare('UPDATE runs SET seed = 7 WHERE id = 2').run();
    edit.prepare("INSERT INTO run_states (run_id, episode, created_at, data) VALUES (2, 5, 0, randomblob(64))").run();
    edit.close();
    const store = Store.open(db);
    try {
      const { problems } = checkDatabase(store);
      expect(problems).toEqual([
        "run 1's config: agent: must be an object with an id",
        'run 2: its row lists seed 7, and its config says 1',
        `run 2's metric "return": its values from episode ${chunks[1]!.start} on are missing`,
        'run 2\'s saved state (what Resume continues from) is not an Aisle run state (its first bytes are not "AISLERUN")',
      ]);
    } finally {
      store.close();
    }
  }, 60_000);

  it("names a run's row unlike its config, metrics not from 0 to its episodes done, a chunk past its cell and a saved state past its episodes done, as a results import refuses them", () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'toy.json');
    writeFileSync(
      file,
      JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', stepsPerEpisode: 1 }, agent: { id: 'q-learning' }, episodes: 5000, seeds: 3 }),
    );
    expect(aisle(['run', file], { db }).code).toBe(0);
    const edit = new Database(db);
    edit.prepare("UPDATE runs SET env_id = 'cliff' WHERE id = 1").run();
    edit.prepare('UPDATE runs SET episodes_done = 4999 WHERE id = 2').run();
    // Run 2's "length" stored from episode 4096 on: its first chunk deleted, its first episode moved past it (no gap).
    const length = edit.prepare("SELECT id FROM metric_series WHERE run_id = 2 AND name = 'length'").pluck().get() as number;
    edit.prepare('DELETE FROM metric_chunks WHERE series_id = ? AND start_episode = 0').run(length);
    edit.prepare('UPDATE metric_series SET first_episode = 4096 WHERE id = ?').run(length);
    // Run 3's "return" cut again into chunks of episodes 0–2999 and 3000–4999 (as results.test's import edit), every value and summary sound.
    recutAcrossCell(edit, 3, 'return');
    edit.prepare('INSERT INTO run_states (run_id, episode, created_at, data) VALUES (3, 6000, 0, randomblob(64))').run();
    edit.close();
    const store = Store.open(db);
    try {
      const fix = '(the database edited by hand, or damaged? restore it from a backup)';
      const { problems } = checkDatabase(store);
      expect(problems).toEqual([
        `run 1: its row lists environment "cliff", and its config says "seed-toy" ${fix}`,
        `run 2's metric "length": its values start at episode 4096, not 0 (a run stores every metric from its first episode) ${fix}`,
        `run 2's metric "return": its values cover 5000 episodes, and the run's row lists 4999 episodes done ${fix}`,
        `run 2's metric "train/epsilon": its values cover 5000 episodes, and the run's row lists 4999 episodes done ${fix}`,
        `run 3's metric "return": its chunk of episodes 3000–4999 runs past episode 4095, where the store ends every chunk (one per 4096 episodes) ${fix}`,
        `run 3's saved state: it continues at episode 6000, past the run's 5000 episodes done ${fix}`,
        'run 3\'s saved state (what Resume continues from) is not an Aisle run state (its first bytes are not "AISLERUN")',
      ]);
    } finally {
      store.close();
    }
  }, 60_000);

  it("names a config edited inside its row, whose settings are not those its stored identity (config_hash) was made from, and a run whose identity is not its experiment's (QA)", () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', cliffExperimentFile(dir, { seeds: 3 })], { db }).code).toBe(0);
    const sound = Store.open(db);
    try {
      expect(checkDatabase(sound).problems).toEqual([]);
    } finally {
      sound.close();
    }
    const edit = new Database(db);
    // A valid config still, as every other check reads it: only its identity tells.
    edit.prepare("UPDATE runs SET config = json_set(config, '$.agent.alpha', 0.9) WHERE id = 1").run();
    edit.prepare("UPDATE experiments SET config = json_set(config, '$.episodes', 7) WHERE id = 1").run();
    edit.prepare(`UPDATE runs SET config_hash = '${'f'.repeat(64)}' WHERE id = 3`).run();
    // A run's config and identity edited together: sound as a pair, not its experiment's.
    const moved = JSON.parse(edit.prepare("SELECT config FROM runs WHERE id = 2").pluck().get() as string) as { -readonly [K in keyof Experiment]: Experiment[K] };
    moved.agent = { ...moved.agent, alpha: 0.33 };
    edit.prepare('UPDATE runs SET config = ?, config_hash = ? WHERE id = 2').run(JSON.stringify(moved), configHash(behaviourConfig(moved)));
    // Outside the identity: the name a rename changes, the seed.
    edit.prepare("UPDATE experiments SET config = json_set(config, '$.name', 'renamed') WHERE id = 1").run();
    edit.close();
    const store = Store.open(db);
    try {
      const fix = 'it was changed after it was stored (the database edited by hand, or damaged): restore the database from a backup';
      expect(checkDatabase(store).problems).toEqual([
        `experiment 1's config: its environment, agent or episodes are not those its stored identity (config_hash) was made from: ${fix}`,
        `run 1's config: its environment, agent or episodes are not those its stored identity (config_hash) was made from: ${fix}`,
        `run 2: its stored identity (config_hash) is not its experiment 1's, whose settings it was trained on: ${fix}`,
        `run 3's config: its environment, agent or episodes are not those its stored identity (config_hash) was made from: ${fix}`,
      ]);
    } finally {
      store.close();
    }
  }, 60_000);
});
