// The database in trouble, as docs/cli.md's "Crashes and recovery" describes it: a newer Aisle's
// file, bytes damaged inside a metric, a disk that refuses writes while runs train. Each is one
// line naming the database and what to do, a non-zero exit, and the file left as it was.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../src/main/store';
import { aisle, CLI, ROOT, seedToyExperiment } from '../helpers/cli';

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

describe('a disk that refuses the database’s writes while runs train', () => {
  it('interrupts the runs with their last autosave kept, names the database and what to do once, and exits 1; with space again the run resumes from it', { timeout: 180_000 }, () => {
    const { db, file } = seedToyExperiment('toy', 4000, 2);
    // Long episodes: the disk fills after a dozen metric batches (100 ms apart) or so, and run 1,
    // autosaving every 50 ms, has one by then; the rest of it, resumed, trains in a second or two.
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', stepsPerEpisode: 20_000 }, agent: { id: 'q-learning' }, episodes: 4000, seeds: 2 }));
    // A file-size limit (512-byte blocks) stands in for a full disk: the database's writes past it fail.
    const r = spawnSync('sh', ['-c', 'ulimit -f 1000; exec "$0" "$@"', process.execPath, CLI, '--db', db, 'run', file, '--workers', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AISLE_DB: '', AISLE_AUTOSAVE_SECONDS: '0.05' },
      timeout: 100_000,
    });
    expect(r.status, r.stderr).toBe(1);
    const problem = `aisle: --db: ${db} could not be read or written (disk I/O error): the disk may be full or failing: free some space or check the disk, then try again`;
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(problem);
    expect(r.stderr.split(problem)).toHaveLength(2); // said once
    const stopped = /^run 1 seed 0: interrupted: (could not record the run: disk I\/O error \(the disk may be full or failing\); it continues from its last autosave, at episode [\d,]+: free some space or check the disk, then resume it \(Resume in the app, `aisle resume 1` in a terminal\))$/m;
    expect(r.stderr).toMatch(stopped);
    // The summary says how the runs ended here, though the database may not have recorded it.
    expect(r.stdout).toMatch(/^1 +0 +interrupted /m);
    expect(r.stdout).toContain(`run 1 (interrupted): ${stopped.exec(r.stderr)![1]}`);
    expect(r.stdout).not.toMatch(/running|queued|failed/);

    const runs = aisle(['runs', '--json'], { db });
    expect(runs.code, runs.stderr).toBe(0);
    const listed = (JSON.parse(runs.stdout) as { runs: { id: number; status: string }[] }).runs;
    expect(listed.map((run) => run.status)).toEqual(['interrupted', 'interrupted']);
    const check = new Database(db, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('foreign_key_check')).toEqual([]);
    check.close();

    // Space freed: run 1 continues from its autosave to its end.
    const resumed = aisle(['resume', '1'], { db });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^run 1: resumed at episode [\d,]+ of 4,000$/m);
    expect(resumed.stdout).toMatch(/^status +completed$/m);
  });
});
