// Repeats named apart inside the launch's transaction: three `aisle again 1` at once each picked
// "cliff (2)" before storing, from the same list of names, and all three were stored under it.
// Two connections to one database file stand for two processes.
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExperiment, type Experiment } from '../../src/engine/experiment';
import { Lab } from '../../src/main/lab';
import { Store } from '../../src/main/store';
import { againName, nameApart } from '../../src/shared/again-name';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

function experiment(name: string): Experiment {
  return parseExperiment({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5, seeds: 1 });
}

const opened: { lab: Lab; store: Store }[] = [];
function connection(db: string): { lab: Lab; store: Store } {
  const store = Store.open(db);
  const c = { lab: new Lab(store, { workerPath: WORKER, size: 1 }), store };
  opened.push(c);
  return c;
}

afterEach(async () => {
  for (const { lab, store } of opened.splice(0)) {
    await lab.pool.idle();
    await lab.close();
    store.close();
  }
});

const names = (store: Store) => store.listExperiments().map((e) => e.name);
const storedName = (store: Store, id: number) => (store.getExperiment(id).config as { name: string }).name;

describe('a repeat named apart in the launch transaction', () => {
  it('gives three repeats picked at once three names, on two connections', () => {
    const db = join(tempDir(), 'a.db');
    const [a, b] = [connection(db), connection(db)];
    a.lab.launchAll([experiment('cliff')]);
    // Each process reads the names, then launches: all three picked "cliff (2)".
    const picked = [0, 1, 2].map(() => againName('cliff', names(a.store)));
    expect(picked).toEqual(['cliff (2)', 'cliff (2)', 'cliff (2)']);
    const launched = [a, b, a].map((c, i) => c.lab.launchAll([experiment(picked[i]!)], 'experiment 1', true)[0]!);
    expect(names(b.store)).toEqual(['cliff', 'cliff (2)', 'cliff (3)', 'cliff (4)']);
    expect(launched.map((l) => l.name)).toEqual(['cliff (2)', 'cliff (3)', 'cliff (4)']);
    // The stored config carries the name too (Run again starts from it).
    for (const l of launched) expect(storedName(b.store, l.experimentId)).toBe(l.name);
  });

  it('keeps one number for the experiments of one sweep', () => {
    const db = join(tempDir(), 'a.db');
    const [a, b] = [connection(db), connection(db)];
    a.lab.launchAll([experiment('cliff')]);
    const sweep = ['cliff (2) (alpha=0.1)', 'cliff (2) (alpha=0.5)'];
    b.lab.launchAll([experiment('cliff (2)')], 'experiment 1', true); // another process's repeat, stored first
    const launched = a.lab.launchAll(sweep.map(experiment), 'experiment 1', true);
    expect(names(a.store).slice(2)).toEqual(['cliff (3) (alpha=0.1)', 'cliff (3) (alpha=0.5)']);
    expect(launched.map((l) => l.name)).toEqual(['cliff (3) (alpha=0.1)', 'cliff (3) (alpha=0.5)']);
    // A name still free is kept as picked.
    expect(a.lab.launchAll([experiment('cliff (9)')], 'experiment 1', true)[0]!.name).toBe('cliff (9)');
  });

  it('leaves a launch that is not a repeat under its name, as before (`aisle run` of one file twice)', () => {
    const { lab, store } = connection(join(tempDir(), 'a.db'));
    lab.launchAll([experiment('cliff')]);
    expect(lab.launchAll([experiment('cliff')])[0]!.name).toBe('cliff');
    expect(names(store)).toEqual(['cliff', 'cliff']);
  });
});

describe('nameApart', () => {
  it('renumbers a repeat whose number another name holds, with or without values', () => {
    expect(nameApart('cliff (2)', ['cliff', 'cliff (2) (alpha=0.1)'], new Set(), true)).toBe('cliff (3)');
    expect(nameApart('cliff (2) (alpha=0.1)', ['cliff', 'cliff (2)'], new Set(), true)).toBe('cliff (3) (alpha=0.1)');
    expect(nameApart('cliff (2)', ['cliff', 'cliff (3)'], new Set(), true)).toBe('cliff (2)');
    // A long name's repeat swept, its base cut to leave room for its number and values: the number
    // another process's repeat took meanwhile, with the base cut otherwise (or not), is taken too.
    const y = (n: number) => 'y'.repeat(n);
    expect(nameApart(`${y(184)} (2) (alpha=0.1)`, [y(200), `${y(196)} (2)`], new Set(), true)).toBe(`${y(184)} (3) (alpha=0.1)`);
    expect(nameApart(`${y(182)} (2) (alpha=0.125)`, [y(200), `${y(184)} (2) (alpha=0.1)`], new Set(), true)).toBe(`${y(182)} (3) (alpha=0.125)`);
    expect(nameApart(`${y(196)} (2)`, [y(200), `${y(182)} (2) (alpha=0.125)`], new Set(), true)).toBe(`${y(196)} (3)`);
    // One that only starts alike holds no number of it.
    expect(nameApart(`${y(184)} (2) (alpha=0.1)`, [y(200), `${y(150)} (2)`], new Set(), true)).toBe(`${y(184)} (2) (alpha=0.1)`);
  });

  it('renames an import only when the very name is stored, or was given earlier in the import', () => {
    expect(nameApart('cliff', ['cliff'], new Set(), false)).toBe('cliff (2)');
    expect(nameApart('cliff (alpha=0.1)', ['cliff (alpha=0.5)'], new Set(), false)).toBe('cliff (alpha=0.1)');
    expect(nameApart('cliff', ['cliff'], new Set(['cliff (2)']), false)).toBe('cliff (3)');
    expect(nameApart('cliff', [], new Set(['cliff']), false)).toBe('cliff (2)');
  });
});
