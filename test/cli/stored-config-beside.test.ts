// The stored-config check (src/cli/stored-config.ts) reads a run whose settings are its
// experiment's, as SQLite compares them (Store.besideExperiment), without parsing an inline MDP
// once for the experiment and again for each run: an MDP of a million transitions took ~1.5 s
// before `aisle show` printed. What SQLite and JSON.parse read differently in a config edited by
// hand, a key written twice (SQLite finds the first, JSON.parse keeps the last) or with an escape,
// must still be refused as the full check refuses it.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runSpecOf } from '../../src/main/lab';
import { Store } from '../../src/main/store';
import { StoredConfigs } from '../../src/cli/stored-config';
import { tempDir } from '../helpers/tmp';
import { parsedCliffExperiment } from '../helpers/cli';

const CHANGED = 'it was changed after it was stored (the database edited by hand, or damaged): restore the database from a backup';

/** A store with experiment 1 (cliff walking, its MDP inline) and its runs 1, 2 and 3 (seeds 0, 1, 2), as a launch writes them. */
function stored(): Store {
  const experiment = parsedCliffExperiment(3);
  const store = Store.open(join(tempDir(), 'a.db'));
  store.createExperimentWithRuns({
    name: experiment.name,
    config: experiment,
    configHash: 'c'.repeat(64),
    runs: experiment.seeds.map((seed) => ({ seed, config: runSpecOf(experiment, seed), configHash: 'c'.repeat(64), appVersion: 'test', episodesTotal: 20 })),
  });
  return store;
}

/** Writes a config's text as a hand with a SQLite tool would, keys twice and escapes included. */
function write(store: Store, table: 'experiments' | 'runs', id: number, text: (stored: string) => string): void {
  const before = store.db.prepare<[number], string>(`SELECT config FROM ${table} WHERE id = ?`).pluck().get(id)!;
  store.db.prepare(`UPDATE ${table} SET config = ? WHERE id = ?`).run(text(before), id);
}

/** The message a check refuses with, or '' when it passes. */
function refusal(check: () => void): string {
  try {
    check();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** A field added at the end of a stored object's text: JSON.parse keeps it over one of the same name before. */
const appended = (text: string, field: string) => `${text.slice(0, -1)},${field}}`;

describe('stored configs read beside their experiment', () => {
  it("reads one run's config for the experiment's check and no other, and not the experiment's", () => {
    const store = stored();
    const readConfig = vi.spyOn(store, 'getRunConfig');
    const readExperiment = vi.spyOn(store, 'getExperiment');
    const checks = new StoredConfigs(store);
    checks.experimentWithRuns(1);
    checks.run(store.getRun(2));
    expect(readConfig.mock.calls).toEqual([[1]]);
    expect(readExperiment).not.toHaveBeenCalled();
    expect(store.besideExperiment(3, ['env', 'agent'])).toEqual({ experimentRest: expect.objectContaining({ name: 'cliff', seeds: [0, 1, 2] }), seed: 2 });
    store.close();
  });

  it("refuses an experiment whose other fields were edited, as the full check says it", () => {
    const store = stored();
    write(store, 'experiments', 1, (t) => t.replace('"name":"cliff"', '"name":""'));
    const full = refusal(() => new StoredConfigs(store).experiment(1));
    expect(full).toMatch(/^experiment 1's stored config: name: /);
    expect(full).toContain(CHANGED);
    expect(refusal(() => new StoredConfigs(store).run(store.getRun(1)))).toBe(full);
    expect(refusal(() => new StoredConfigs(store).experimentWithRuns(1))).toBe(full);
    store.close();
  });

  it('refuses an experiment holding a setting twice, the second one wrong', () => {
    const store = stored();
    write(store, 'experiments', 1, (t) => appended(t, '"agent":{"id":"q-learning","alpha":5,"gamma":1,"epsilon":0.1}'));
    const said = `experiment 1's stored config: agent.alpha: must be a number in (0, 1], got 5; ${CHANGED}`;
    expect(refusal(() => new StoredConfigs(store).run(store.getRun(1)))).toBe(said);
    expect(refusal(() => new StoredConfigs(store).experimentWithRuns(1))).toBe(said);
    store.close();
  });

  for (const [what, field] of [
    ['twice', '"env":{"id":"tabular-mdp","mdp":{"format":"aisle.mdp/v1","states":0,"actions":1,"transitions":[]},"maxSteps":200}'],
    ['with an escape in its name', '"\\u0065nv":{"id":"tabular-mdp","mdp":{"format":"aisle.mdp/v1","states":0,"actions":1,"transitions":[]},"maxSteps":200}'],
  ] as const) {
    it(`refuses a run holding its env ${what}, the second one wrong, while its siblings pass`, () => {
      const store = stored();
      write(store, 'runs', 2, (t) => appended(t, field));
      const said = refusal(() => new StoredConfigs(store).run(store.getRun(2)));
      expect(said).toMatch(/^run 2's stored config: env\.mdp\.states: /);
      expect(refusal(() => new StoredConfigs(store).experimentWithRuns(1))).toBe(said);
      expect(refusal(() => new StoredConfigs(store).run(store.getRun(1)))).toBe('');
      expect(refusal(() => new StoredConfigs(store).run(store.getRun(3)))).toBe('');
      store.close();
    });
  }

  it("refuses a run's seed that is not a seed, written once or twice", () => {
    const store = stored();
    write(store, 'runs', 2, (t) => t.replace('"seed":1', '"seed":true'));
    write(store, 'runs', 3, (t) => appended(t, '"seed":-1'));
    expect(refusal(() => new StoredConfigs(store).run(store.getRun(2)))).toBe(`run 2's stored config: seed: must be a whole number from 0 to 2,147,483,647, got true; ${CHANGED}`);
    expect(refusal(() => new StoredConfigs(store).run(store.getRun(3)))).toBe(`run 3's stored config: seed: must be a whole number from 0 to 2,147,483,647, got -1; ${CHANGED}`);
    expect(refusal(() => new StoredConfigs(store).experimentWithRuns(1))).toMatch(/^run 2's stored config: seed: /);
    store.close();
  });
});
