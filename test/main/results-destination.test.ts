// Where `aisle results export` (and the app's Export results) writes: a link is written through, a
// file replaced keeps its permissions, and what the rename would destroy (a pipe, a device, an
// Aisle database) is refused, left as it was.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { exportResults } from '../../src/main/results/export';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = tempDir();
  store = Store.open(path.join(dir, 'home.db'));
  const config = { name: 'e', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [] };
  store.createExperimentWithRuns({ name: 'e', config, configHash: 'a'.repeat(64), source: 'form', runs: [] });
});

afterEach(() => store.close());

it('writes through a link, replacing its target with the permissions it had, the link kept', () => {
  const target = path.join(dir, 'target.aisle-results');
  fs.writeFileSync(target, 'old');
  fs.chmodSync(target, 0o640);
  const link = path.join(dir, 'link.aisle-results');
  fs.symlinkSync('target.aisle-results', link);
  const written = exportResults(store, [1], link, 'home.db');
  expect(written.path).toBe(link);
  expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  expect(fs.readFileSync(target).subarray(0, 15).toString()).toBe('SQLite format 3');
  expect(fs.statSync(target).mode & 0o777).toBe(0o640);
});

it('refuses a pipe, leaving it a pipe', () => {
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  expect(() => exportResults(store, [1], fifo, 'home.db')).toThrow(ValidationError);
  expect(() => exportResults(store, [1], fifo, 'home.db')).toThrow(`${fifo}: is a pipe (FIFO): a results file is a database written whole to a file, not streamed`);
  expect(fs.statSync(fifo).isFIFO()).toBe(true);
  expect(fs.readdirSync(dir).sort()).toEqual(['fifo', 'home.db', 'home.db-shm', 'home.db-wal']);
});

it('refuses an Aisle database, leaving it as it was', () => {
  const other = path.join(dir, 'other.db');
  Store.open(other).close();
  const before = fs.readFileSync(other);
  expect(() => exportResults(store, [1], other, 'home.db')).toThrow(`${other}: is an Aisle database, which this would replace with a results file: give another path (or delete it first)`);
  expect(fs.readFileSync(other).equals(before)).toBe(true);
  // A results file there is replaced, as documented.
  const results = path.join(dir, 'x.aisle-results');
  exportResults(store, [1], results, 'home.db');
  expect(() => exportResults(store, [1], results, 'home.db')).not.toThrow();
});

it('refuses a database whose writes are still in its log, open in another Aisle or left by a crash, leaving it as it was', () => {
  // A young database open in the app (or left by a killed `aisle run`) holds its schema and rows in
  // its -wal: its file's header still says schema 0. Replaced, its log was read into the results
  // file by the next open (SQLite reads a -wal beside any file): the database's pages over the results.
  const live = path.join(dir, 'live.db');
  const other = Store.open(live);
  try {
    expect(fs.readFileSync(live).readUInt32BE(60)).toBe(0);
    expect(fs.statSync(`${live}-wal`).size).toBeGreaterThan(0);
    const before = fs.readFileSync(live);
    expect(() => exportResults(store, [1], live, 'home.db')).toThrow(
      `${live}: is a database in use, or one whose last writes were not yet written into it (its log, live.db-wal, is beside it), which this would replace with a results file: give another path`,
    );
    expect(fs.readFileSync(live).equals(before)).toBe(true);
  } finally {
    other.close();
  }
  // The store's own database, open here, is refused the same way.
  expect(() => exportResults(store, [1], path.join(dir, 'home.db'), 'home.db')).toThrow('home.db-wal, is beside it');
});
