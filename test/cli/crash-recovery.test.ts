// The database in trouble, as docs/cli.md's "Crashes and recovery" describes it: a newer Aisle's
// file, bytes damaged inside a metric, a disk that refuses writes while runs train. Each is one
// line naming the database and what to do, a non-zero exit, and the file left as it was.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../src/main/store';
import { aisle, seedToyExperiment } from '../helpers/cli';

/** One line on stderr, exit 2. */
function expectOneLine(r: { code: number; stderr: string }, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  if (typeof message === 'string') expect(r.stderr).toBe(`aisle: ${message}\n`);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('a database written by a newer Aisle', () => {
  it('is refused naming the file and what to do, exit 2, and left byte for byte as it was', () => {
    const { db, file } = seedToyExperiment('toy', 20, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const raw = new Database(db);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = readFileSync(db);
    const message = `--db: ${db} was written by a newer Aisle (schema ${LATEST_VERSION + 1}, this build knows ${LATEST_VERSION}): open it with that Aisle or upgrade this one, or give another database with --db (the file is left as it was)`;
    for (const args of [['runs'], ['show', '1'], ['run', file]]) expectOneLine(aisle(args, { db }), message);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('bytes damaged inside a stored metric', () => {
  it('are refused where they would be read, naming the database, the run, the metric and its episodes, exit 2', () => {
    const { db, file } = seedToyExperiment('toy', 10_000, 1);
    expect(aisle(['run', file], { db }).code).toBe(0);
    // What a failing disk does to a page of a BLOB: SQLite checks its pages' structure, not this.
    const raw = new Database(db);
    const series = raw.prepare("SELECT id FROM metric_series WHERE run_id = 1 AND name = 'return'").pluck().get() as number;
    const data = raw.prepare('SELECT data FROM metric_chunks WHERE series_id = ? AND start_episode = 4096').pluck().get(series) as Buffer;
    for (let i = 100; i < 300; i++) data[i] = (i * 37) & 0xff;
    raw.prepare('UPDATE metric_chunks SET data = ? WHERE series_id = ? AND start_episode = 4096').run(data, series);
    raw.close();
    const message = `--db: ${db} is damaged (run 1's metric "return", episodes 4,096–8,191: the stored values do not match the summary stored beside them): restore it from a backup, or give another database with --db`;
    expectOneLine(aisle(['metrics', '1'], { db }), message);
    expectOneLine(aisle(['compare', '1'], { db }), message);
    // The episodes before it still read.
    const head = aisle(['metrics', '1', '--metric', 'return', '--to', '4096'], { db });
    expect(head.code, head.stderr).toBe(0);
    expect(head.stdout.trim().split('\n')).toHaveLength(4097);
  });
});
