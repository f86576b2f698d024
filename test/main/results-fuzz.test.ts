// Seeded fuzzing of results files (aisle.results/v1, a SQLite database): a real export
// (test/fixtures/fuzz-results: `aisle results export` of 50-episode runs of the cliff's Q-learning, the
// shop-fatigue DQN and the UCB1 testbed, each with its checkpoints and policy) damaged byte by byte, and row by row
// (a cell made NULL, negative, huge, a text, a blob; a JSON cell's fields mutated as the policy
// fuzz mutates them; a row deleted), then imported as `aisle results import` and the app import
// it (importResults). Each import is refused with a ValidationError naming the file, the database
// left exactly as it was, or accepted, and what it stored reads back whole (`aisle check`'s read).
// Never another error. A failure names its case's seed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { checkDatabase } from '../../src/main/check-database';
import { importResults } from '../../src/main/results/import';
import { Store } from '../../src/main/store';
import { mutateDocument } from '../helpers/fuzz';
import { storeContents } from '../helpers/store-contents';
import { tempDir } from '../helpers/tmp';

const ORIGINAL = gunzipSync(readFileSync(resolve(__dirname, '../fixtures/fuzz-results/cliff-dqn-bandit.aisle-results.gz')));
const CASES = Number(process.env.AISLE_FUZZ_CASES ?? 60);
const TABLES = ['aisle_results', 'experiments', 'runs', 'metric_series', 'metric_chunks', 'checkpoints', 'run_states', 'policies'];
const RAW = /Cannot read prop|undefined is not|is not a function|is not iterable|Maximum call stack|Invalid array length|of undefined|\[object Object\]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ODD_CELLS: readonly unknown[] = [null, -1, 0, 2 ** 53, -(2 ** 62), 1e308, 1.5, '', 'x', '\u001b[2J', 'x'.repeat(5000), Buffer.from([0, 1, 2]), Buffer.alloc(0), '{"a":', '[]', '{"__proto__":{"x":1}}', 'NaN'];

/** One to three changes to the file's rows; returns what was done. */
function mutateRows(path: string, rng: Rng): string[] {
  const db = new Database(path);
  const done: string[] = [];
  try {
    for (let t = 1 + rng.int(3); t > 0; t--) {
      const table = TABLES[rng.int(TABLES.length)]!;
      const rows = db.prepare(`SELECT rowid AS _rowid, * FROM ${table}`).all() as Record<string, unknown>[];
      if (rows.length === 0) continue;
      const row = rows[rng.int(rows.length)]!;
      if (rng.int(8) === 0) {
        db.prepare(`DELETE FROM ${table} WHERE rowid = ?`).run(row._rowid);
        done.push(`${table} row ${String(row._rowid)} deleted`);
        continue;
      }
      const columns = Object.keys(row).filter((c) => c !== '_rowid');
      const column = columns[rng.int(columns.length)]!;
      let value: unknown = ODD_CELLS[rng.int(ODD_CELLS.length)];
      const old = row[column];
      // A JSON cell (a config, a policy, a summary) keeps its JSON, with its fields mutated.
      if (typeof old === 'string' && old.startsWith('{') && rng.bernoulli(0.6)) {
        const doc = JSON.parse(old) as object;
        value = JSON.stringify(doc, null, 0);
        const what = mutateDocument(doc, rng);
        value = JSON.stringify(doc);
        done.push(`${table}.${column} of row ${String(row._rowid)}: ${what.join('; ')}`);
      } else done.push(`${table}.${column} of row ${String(row._rowid)} = ${typeof value === 'string' ? JSON.stringify(value.slice(0, 20)) : String(value)}`);
      try {
        db.prepare(`UPDATE ${table} SET "${column}" = ? WHERE rowid = ?`).run(value, row._rowid);
      } catch {
        done.pop(); // a constraint of the file's own schema refused it: no change
      }
    }
  } finally {
    db.close();
  }
  return done;
}

/** One to three byte-level damages: a byte changed, a run of bytes zeroed, the file cut. */
function mutateBytes(bytes: Buffer, rng: Rng): { bytes: Buffer; done: string[] } {
  let out = Buffer.from(bytes);
  const done: string[] = [];
  for (let t = 1 + rng.int(3); t > 0; t--) {
    const at = rng.int(out.length);
    switch (rng.int(4)) {
      case 0:
        out[at] = rng.int(256);
        done.push(`byte ${at} changed`);
        break;
      case 1:
        out.fill(0, at, Math.min(out.length, at + 1 + rng.int(512)));
        done.push(`zeros at ${at}`);
        break;
      case 2:
        out = out.subarray(0, at);
        done.push(`cut at ${at}`);
        break;
      default: {
        // A byte of the header (its first 100 bytes: page size, counts, the application id).
        const h = rng.int(100);
        out[h] = rng.int(256);
        done.push(`header byte ${h} changed`);
      }
    }
  }
  return { bytes: out, done };
}

describe('results files, fuzzed', () => {
  let dir = '';
  let target: Store;
  // A database per test, in a folder of its own (tempDir removes it after the test).
  beforeEach(() => {
    dir = tempDir('aisle-results-fuzz-');
    target = Store.open(join(dir, 'lab.db'));
  });
  afterEach(() => target.close());

  /** Imports `file`: refused in words with the database as it was, or stored and read back whole. */
  function expectImported(file: string, what: string): 'imported' | 'refused' {
    const before = storeContents(target.db);
    try {
      importResults(target, file, { shownAs: 'fuzz.aisle-results' });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw new Error(`${what}: importResults threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
      for (const p of e.problems) {
        expect(p, what).toMatch(/^fuzz\.aisle-results[: ]/);
        expect(p, what).not.toMatch(RAW);
        expect(p, what).not.toMatch(CONTROL);
        expect(p.length, what).toBeLessThan(2000);
      }
      expect(storeContents(target.db) === before, `${what}: a refused import changed the database`).toBe(true);
      return 'refused';
    }
    // What was accepted is sound: `aisle check` reads every row of it back.
    expect(checkDatabase(target).problems, what).toEqual([]);
    return 'imported';
  }

  it('imports the file as exported', () => {
    const file = join(dir, 'as-exported.aisle-results');
    writeFileSync(file, ORIGINAL);
    expect(expectImported(file, 'as exported')).toBe('imported');
  });

  it(`refuses damaged bytes in words, or imports what is sound (${CASES} cases)`, () => {
    const file = join(dir, 'bytes.aisle-results');
    for (let seed = 1; seed <= CASES; seed++) {
      const { bytes, done } = mutateBytes(ORIGINAL, new Rng(seed, 4));
      writeFileSync(file, bytes);
      expectImported(file, `bytes seed ${seed} (${done.join('; ')})`);
    }
  });

  it(`refuses mutated rows in words, nothing half-written, or imports what reads back whole (${CASES} cases)`, () => {
    const file = join(dir, 'rows.aisle-results');
    const pristine = join(dir, 'pristine.aisle-results');
    writeFileSync(pristine, ORIGINAL);
    for (let seed = 1; seed <= CASES; seed++) {
      copyFileSync(pristine, file);
      const done = mutateRows(file, new Rng(seed, 5));
      expectImported(file, `rows seed ${seed} (${done.join('; ')})`);
    }
  });
});

describe('what fuzzing results files found', () => {
  let dir = '';
  let target: Store;
  beforeEach(() => {
    dir = tempDir('aisle-results-found-');
    target = Store.open(join(dir, 'lab.db'));
  });
  afterEach(() => target.close());

  /** The file as exported, changed by `sql` on its rows and `bytes` on its bytes, imported: its refusal's problems (the database left as it was). */
  function refusal(sql: string, bytes: (b: Buffer) => Buffer = (b) => b): readonly string[] {
    const file = join(dir, 'found.aisle-results');
    writeFileSync(file, ORIGINAL);
    const db = new Database(file);
    db.exec(sql);
    db.close();
    writeFileSync(file, bytes(readFileSync(file)));
    const before = storeContents(target.db);
    try {
      importResults(target, file, { shownAs: 'found.aisle-results' });
    } catch (e) {
      expect(storeContents(target.db) === before).toBe(true);
      if (e instanceof ValidationError) return e.problems;
      throw e;
    }
    throw new Error('imported');
  }

  it('refuses a DQN checkpoint whose layout is not a network\'s, as damage (test/main/results: its kind and shape cases)', () => {
    // Was "Cannot read properties of undefined (reading '0')", exit 1.
    expect(refusal("UPDATE checkpoints SET shape = '{}' WHERE id = (SELECT min(id) FROM checkpoints WHERE kind = 'weights')")[0]).toMatch(
      /^found\.aisle-results: is damaged \(the file's run \d+'s checkpoint after [\d,]+ episodes: its layout \{\} is not a network's/,
    );
  });

  it('refuses a file SQLite cannot read through as damaged, not with SQLite\'s error (bytes seeds 372, 659, 1129 and 1848)', () => {
    // Each was a SqliteError, exit 1: a write version SQLite does not know (byte 18: read-only), a record
    // quick_check passes but a query cannot decode, a schema version that is not the tables' (byte 60),
    // a text encoding that is not UTF-8 (byte 59).
    const at = (i: number, v: number) => (b: Buffer) => {
      b[i] = v;
      return b;
    };
    expect(refusal('', at(18, 9))).toEqual(["found.aisle-results: is damaged (its header says SQLite may only read it: its file format version was changed): export it again from the source, or copy it again in full if it was cut short"]);
    expect(refusal('', (b) => mutateBytes(b, new Rng(659, 4)).bytes)[0]).toMatch(/^found\.aisle-results: is damaged \(a record in it is malformed, which SQLite found reading it\)/);
    expect(refusal('', at(63, 3))[0]).toMatch(/^found\.aisle-results: is damaged \(its tables are not those of the schema version its header gives\)/);
    expect(refusal('', (b) => mutateBytes(b, new Rng(1848, 4)).bytes)[0]).toMatch(/^found\.aisle-results: is damaged \(its header gives a text encoding other than the UTF-8 Aisle writes\)/);
  });
});
