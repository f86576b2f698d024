// `aisle runs` read and parsed every listed run's config for its agent's id alone: a run on a
// 20,000-state MDP holds it inline, 3.8 MB of JSON, and listing 50 such runs took 1.5 s of CPU and
// 570 MB (found by the large-database audit). It now lists the runs without their configs, the
// agent's id from its own column, and prints the same table and JSON. Counted, not timed: no
// config text is parsed.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runsCommand } from '../../src/cli/inspect';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

afterEach(() => vi.restoreAllMocks());

/** Stands for an inline MDP: text no list of runs needs. */
const BIG = 'x'.repeat(100_000);

function bigConfigDb(): string {
  const db = join(tempDir(), 'aisle.db');
  const store = Store.open(db);
  for (let i = 1; i <= 3; i++) {
    const config = { env: { id: 'tabular-mdp', mdp: { name: BIG } }, agent: { id: 'sarsa' }, episodes: 5 };
    store.createExperimentWithRuns({
      name: `walk ${i}`,
      config,
      configHash: 'a'.repeat(64),
      runs: [0, 1].map((seed) => ({ seed, config: { ...config, seed }, configHash: 'a'.repeat(64), episodesTotal: 5, appVersion: 'test' })),
    });
  }
  store.close();
  return db;
}

describe('aisle runs', () => {
  it('parses no run config, and lists the agent from its column', () => {
    const db = bigConfigDb();
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
    const parse = vi.spyOn(JSON, 'parse');
    expect(runsCommand({ db })).toBe(0);
    expect(parse.mock.calls.filter(([text]) => String(text).includes(BIG))).toEqual([]);
    expect(out).toMatch(/^6 +3 walk 3 +sarsa +1 +interrupted/m);
    expect(out).toMatch(/^1 +1 walk 1 +sarsa +0 +interrupted/m);
  });

  it('--json lists the runs as before: every field of the row but the config', () => {
    const db = bigConfigDb();
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
    const parse = vi.spyOn(JSON, 'parse');
    expect(runsCommand({ db, json: true, limit: 2 })).toBe(0);
    expect(parse.mock.calls.filter(([text]) => String(text).includes(BIG))).toEqual([]);
    const listed = JSON.parse(out) as { total: number; runs: Record<string, unknown>[] };
    expect(listed.total).toBe(6);
    expect(listed.runs.map((r) => r.id)).toEqual([6, 5]);
    const store = Store.open(db, { reader: true });
    try {
      const { config: _config, ...row } = store.getRun(6);
      expect(Object.keys(listed.runs[0]!)).toEqual([...Object.keys(row), 'trainingMs', 'returnLast100', 'partial']);
      expect(listed.runs[0]).toMatchObject({ ...row, returnLast100: null, partial: false });
    } finally {
      store.close();
    }
  });
});
