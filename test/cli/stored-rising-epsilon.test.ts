// Experiments written before a rising ε schedule was refused (a file, a database row) still open:
// `aisle export`, `aisle show` and `aisle eval --env` read them; only `aisle run`, which launches a
// new experiment, refuses one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle, cliffExperimentFile, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const RISING = { start: 0.1, end: 0.5, decayEpisodes: 10 };
const REFUSED = 'agent.epsilon.end: must not exceed start (0.1), got 0.5: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)';

describe('an experiment with a rising ε, stored before the rule', () => {
  it('is exported, shown and evaluated against; only launching it anew is refused', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const run = aisle(['run', cliffExperimentFile(dir, { seeds: 1, agent: { id: 'q-learning', epsilon: { start: 0.5, end: 0.1, decayEpisodes: 10 } } }), '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    // What an older Aisle stored: the same rows with the schedule rising.
    const sqlite = new Database(db);
    const rise = `json_replace(config, '$.agent.epsilon.start', ${RISING.start}, '$.agent.epsilon.end', ${RISING.end})`;
    sqlite.exec(`UPDATE experiments SET config = ${rise}; UPDATE runs SET config = ${rise}`);
    sqlite.close();

    const policy = join(dir, 'policy.json');
    const exported = aisle(['export', '1', '-o', policy], { db });
    expect(exported.code, exported.stderr).toBe(0);
    const shown = aisle(['show', '1'], { db });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('epsilon={"start":0.1,"end":0.5,"decayEpisodes":10}');

    // The experiment file as it was written then: evaluating on its environment reads it.
    const old = cliffExperimentFile(dir, { agent: { id: 'q-learning', gamma: 1, epsilon: RISING } });
    const evaluated = aisle(['eval', policy, '--env', old, '--episodes', '5', '--json'], { db });
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ exact: { gamma: 1, gammaFrom: 'experiment' } });

    // Launching it is defining a new experiment: refused with the rule's message, nothing stored.
    const launched = aisle(['run', old], { db });
    expect(launched.code).toBe(2);
    expect(launched.stderr).toContain(`${old}: ${REFUSED}`);
    const store = Store.open(db, { reader: true });
    expect(store.listExperiments()).toHaveLength(1);
    store.close();
  });

  it('gives its shop to `aisle shop export-mdp`', () => {
    const dir = tempDir();
    const file = join(dir, 'shop.json');
    const experiment = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/shop-small.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...experiment, agent: { id: 'q-learning', epsilon: RISING } }));
    const r = aisle(['shop', 'export-mdp', file, '-o', join(dir, 'shop.mdp.json')], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
  });
});
