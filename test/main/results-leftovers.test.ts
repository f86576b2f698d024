// What a results import or export stopped halfway (Ctrl-C or kill during its synchronous copy, so
// no handler runs) leaves in the temporary folder or beside the destination, a file as large as
// the results, is removed by the next one; a live process's, and other names, stay.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { behaviourConfig } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { exportResults } from '../../src/main/results/export';
import { removeExportTemporary } from '../../src/main/results/scratch';
import { importResults } from '../../src/main/results/import';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

/** The id of a process that has ended (ids are reused only after many others: not within this test). */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('results leftovers', () => {
  let dir: string;
  let scratch: string;
  let store: Store;
  const tmpBefore = process.env.TMPDIR;

  beforeEach(() => {
    dir = tempDir();
    scratch = tempDir();
    // os.tmpdir() reads TMPDIR on each call: the import's private folders go here.
    process.env.TMPDIR = scratch;
    store = Store.open(path.join(dir, 'home.db'));
    const identity = configHash(behaviourConfig({ env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10 }));
    const { experiment } = store.createExperimentWithRuns({
      name: 'cliff',
      config: { name: 'cliff', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [0] },
      configHash: identity,
      source: 'form',
      runs: [{ seed: 0, config: { name: 'cliff', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seed: 0 }, configHash: identity, appVersion: '0.1.0', episodesTotal: 10 }],
    });
    store.markRunning(1);
    store.appendMetrics(1, { start: 0, count: 10, columns: { return: Float32Array.from({ length: 10 }, (_, i) => i) } });
    store.finishRun(1, 'completed', { summary: {} });
    expect(experiment.id).toBe(1);
  });

  afterEach(() => {
    store.close();
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
  });

  it("an import removes the private folders of imports whose process ended, keeping a live process's", () => {
    const file = path.join(dir, 'r.aisle-results');
    exportResults(store, [1], file, 'home.db');
    const dead = path.join(scratch, `aisle-results-${endedPid()}-Ab12Cd`);
    const live = path.join(scratch, `aisle-results-${process.ppid}-Xy34Zw`);
    const other = path.join(scratch, 'aisle-results-notes');
    for (const folder of [dead, live, other]) {
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'results.aisle-results'), 'a copy cut short');
    }
    const target = Store.open(path.join(dir, 'target.db'));
    try {
      expect(importResults(target, file).experiments.map((e) => e.alreadyImported)).toEqual([false]);
    } finally {
      target.close();
    }
    expect(fs.readdirSync(scratch).sort()).toEqual([path.basename(live), path.basename(other)].sort());
  });

  it('an export removes the files an export to the same destination left when its process ended', () => {
    const file = path.join(dir, 'night.aisle-results');
    const deadPid = endedPid();
    const left = [`night.aisle-results.${deadPid}.tmp`, `night.aisle-results.${deadPid}.tmp-journal`];
    const kept = [`night.aisle-results.${process.ppid}.tmp`, `other.aisle-results.${deadPid}.tmp`, `night.aisle-results.${deadPid}.tmp.bak`];
    for (const name of [...left, ...kept]) fs.writeFileSync(path.join(dir, name), 'half a file');
    exportResults(store, [1], file, 'home.db');
    const names = fs.readdirSync(dir);
    for (const name of left) expect(names).not.toContain(name);
    for (const name of kept) expect(names).toContain(name);
    expect(names).toContain('night.aisle-results');
  });

  it('an export to a name the system takes but near its 255-byte limit is written (its temporary\'s name was refused, ENAMETOOLONG), and its leftovers are found', () => {
    for (const name of [`${'b'.repeat(240)}.aisle-results`, `${'结'.repeat(80)}.res`]) {
      const file = path.join(dir, name);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      const deadPid = endedPid();
      const cut = Array.from(name);
      while (Buffer.byteLength(cut.join('')) > 255 - '.0123456789.tmp-journal'.length) cut.pop();
      const left = `${cut.join('')}.${deadPid}.tmp-journal`;
      fs.writeFileSync(path.join(dir, left), 'half a file');
      exportResults(store, [1], file, 'home.db');
      const names = fs.readdirSync(dir);
      expect(names).toContain(name);
      expect(names).not.toContain(left);
      expect(names.filter((n) => n.includes('.tmp'))).toEqual([]);
    }
  });

  it('a temporary that cannot be removed stops the export before anything is written, and removing it never throws', () => {
    const file = path.join(dir, 'night.aisle-results');
    // Something at this process's temporary name that rm (not recursive) cannot remove, as a root
    // process meets no read-only folder: a folder with a file in it.
    const stuck = `${file}.${process.pid}.tmp-wal`;
    fs.mkdirSync(stuck);
    fs.writeFileSync(path.join(stuck, 'x'), '');
    expect(() => exportResults(store, [1], file, 'home.db')).toThrow(/tmp-wal/);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
    expect(removeExportTemporary(file)).toEqual([stuck]);
    fs.rmSync(stuck, { recursive: true });
    expect(removeExportTemporary(file)).toEqual([]);
    exportResults(store, [1], file, 'home.db');
    expect(fs.existsSync(file)).toBe(true);
  });

  it('an export whose last step fails says so, not that its temporary could not be removed, and leaves none', () => {
    // The destination a folder with a file in it: the rename over it fails (EISDIR), after the copy.
    const file = path.join(dir, 'busy');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'x'), '');
    expect(() => exportResults(store, [1], file, 'home.db')).toThrow(/rename/);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('busy.'))).toEqual([]);
  });

  it('an export whose folder is removed while it copies names that folder, not the database it reads (QA: it read as --db failing)', () => {
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const file = path.join(out, 'r.aisle-results');
    // The folder goes once the copy is under way: just before the first row is written into the file.
    const db = new Proxy(store.db, {
      get(target, prop) {
        if (prop !== 'prepare') {
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (sql: string) => {
          if (sql.startsWith('INSERT INTO results_out.experiments')) fs.rmSync(out, { recursive: true, force: true });
          return target.prepare(sql);
        };
      },
    });
    let thrown: unknown;
    try {
      exportResults({ db }, [1], file, 'home.db');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((thrown as Error).message).toMatch(new RegExp(`^the folder ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was removed or moved while the results were written into it \\(SQLite: .+\\)$`));
    // The source is whole and still usable.
    expect(store.db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(store.getRun(1)?.status).toBe('completed');
  });
});
