// The CLI against hostile or careless surroundings: a reader that closes the pipe early, input
// files that never end (/dev/zero) or are huge, a byte-order mark, a device as the database,
// outputs that would replace an input or each other, and the wording of missing files, counts
// and empty metric ranges.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EVENTS_BYTES, OPE_LOGS_BYTES } from '../../src/cli/calibrate-data';
import { databaseFailure } from '../../src/cli/context';
import { MAX_JSON_BYTES } from '../../src/main/files';
import { aisle, CLI, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { sharedData } from '../helpers/shared-data';

const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');
const shopSmall = join(ROOT, 'resources/experiments/shop-small.json');
const HEADER = 'ts,customer,invoice,item,qty,price';
const EVENTS = `${HEADER}\n1300000000,c1,1,A,1,1.00\n1300000000,c1,1,B,2,2.50\n1300090000,c2,2,A,1,1.10\n`;

/** One line on stderr, exit 2: the shape of every refusal. */
function expectRefused(r: { code: number; stderr: string }, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  if (typeof message === 'string') expect(r.stderr).toBe(`aisle: ${message}\n`);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

function write(dir: string, name: string, text: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A chain MDP of n states whose `solve --json` prints far more than a pipe holds. */
function chainMdp(dir: string, n: number): string {
  const transitions: number[][] = [];
  for (let s = 0; s < n; s++) transitions.push([s, 0, 1, s, 0], [s, 1, 1, Math.min(s + 1, n - 1), 1]);
  return write(dir, 'chain.mdp.json', JSON.stringify({ format: 'aisle.mdp/v1', name: 'chain', states: n, actions: ['stay', 'move'], start: { 0: 1 }, terminal: [], transitions }));
}

describe('a reader that closes the pipe early', () => {
  // bin/aisle.js imports out/main/cli.js and calls main(); `node out/main/cli.js` runs the same
  // main as a script. Both must stop quietly: the bin path crashed with "Unhandled 'error' event".
  const asBin = ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(pathToFileURL(CLI).href)}); process.exitCode = await main(process.argv);`, 'aisle'];
  let dir: string;
  let db: string;
  let mdp: string;
  let shop: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aisle-pipe-')); // shared by the tests below (tempDir's go after each)
    db = join(dir, 'a.db');
    const exp = write(dir, 'many.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'many', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 1, seeds: 1000 }));
    expect(aisle(['run', exp, '--workers', '2'], { db }).code).toBe(0);
    mdp = chainMdp(dir, 3000);
    shop = write(dir, 'shop.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'shop', env: { id: 'shop', exact: true, items: 16, categories: 4, segments: 3, fatigueLevels: 3, maxSteps: 50 }, agent: { id: 'q-learning' }, episodes: 1 }));
    // Each output must be far more than a pipe holds (64 kB), or the reader closes after the end.
    for (const args of [['--json', 'runs', '--limit', '1000'], ['--json', 'solve', mdp], ['shop', 'export-mdp', shop]]) {
      expect(aisle(args, { db }).stdout.length, args.join(' ')).toBeGreaterThan(250_000);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function closeAfterFirstChunk(entry: string[], args: string[]): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [...entry, '--db', db, ...args], { cwd: ROOT, env: { ...process.env, AISLE_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await exited) as [number | null];
    return { code, stderr };
  }

  for (const [entry, argv] of [
    ['bin/aisle.js', asBin],
    ['out/main/cli.js', [CLI]],
  ] as const) {
    it.each([
      ['runs', ['--json', 'runs', '--limit', '1000']],
      ['solve', ['--json', 'solve', 'MDP']],
      ['shop export-mdp', ['shop', 'export-mdp', 'SHOP']],
    ])(`%s through ${entry}: exit 0, no stack trace`, async (_what, args) => {
      const r = await closeAfterFirstChunk([...argv], args.map((a) => (a === 'MDP' ? mdp : a === 'SHOP' ? shop : a)));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    });
  }
});

describe('input files are read up to a limit', () => {
  const zero = '/dev/zero';
  it.skipIf(!existsSync(zero))('an endless device is refused at the limit, not read without end', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const endless = `${zero}: file holds more than the 256 MB limit (reading stopped there): give a smaller file`;
    expectRefused(aisle(['solve', zero], { db }), endless);
    expectRefused(aisle(['run', zero], { db }), endless);
    expectRefused(aisle(['shop', 'calibrate', zero], { db }), endless);
    expect(existsSync(db)).toBe(false);
  });

  it('a (sparse) file one byte over the limit is refused before reading, naming its size, larger than the limit as said (it was rounded up to "257 MB")', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const mdp = write(dir, 'huge.mdp.json', '');
    truncateSync(mdp, MAX_JSON_BYTES + 1);
    expectRefused(aisle(['solve', mdp], { db }), `${mdp}: file is 256.000001 MB, above the 256 MB limit: give a smaller file`);
    const exp = write(dir, 'exp.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'tabular-mdp', mdp: 'huge.mdp.json' }, agent: { id: 'q-learning' }, episodes: 1 }));
    expectRefused(aisle(['run', exp], { db }), `${exp}: env.mdp: huge.mdp.json: file is 256.000001 MB, above the 256 MB limit: give a smaller file`);
    const csv = write(dir, 'huge.csv', '');
    truncateSync(csv, MAX_EVENTS_BYTES + 1);
    expectRefused(aisle(['shop', 'calibrate', csv], { db }), `${csv}: file is 256.000001 MB, above the 256 MB limit: give a smaller file`);
  });

  it("aisle ope reads logs past that limit, up to its own, as the full Open Bandit Dataset's campaigns need", () => {
    // It said "file is 4097 MB, above the 256 MB limit" to this file, as to any past 256 MB (the
    // campaigns' CSV files run past 1 GB). The file is sparse: nothing is written.
    const dir = tempDir();
    const csv = write(dir, 'huge.csv', '');
    truncateSync(csv, OPE_LOGS_BYTES + 1);
    expectRefused(aisle(['ope', csv, '--target', 'uniform'], { db: join(dir, 'a.db') }), `${csv}: file is 4,096.000001 MB, above the 4,096 MB limit: give a smaller file`);
  });

  it('aisle logs mdp reads logs up to the same limit as aisle ope, the logs it fits being those ope evaluates', () => {
    // It refused this file for its size, 257 MB above 256 MB; read now, its one line of NUL bytes runs past
    // the line bound instead (the sparse file's 256 MB are read in a second or two). Nothing is written.
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const csv = write(dir, 'huge.csv', '');
    truncateSync(csv, MAX_EVENTS_BYTES + 1);
    expectRefused(aisle(['logs', 'mdp', csv], { db }), `${csv}:1: the line runs past 268,435,456 characters without a line break: give a CSV file, one row per line`);
    truncateSync(csv, OPE_LOGS_BYTES + 1);
    expectRefused(aisle(['logs', 'mdp', csv], { db }), `${csv}: file is 4,096.000001 MB, above the 4,096 MB limit: give a smaller file`);
  });

  const REAL = sharedData('online-retail/online_retail_events.csv');
  it.skipIf(!existsSync(REAL))('the events limit leaves room for the real Online Retail file (shop-calibrate.test.ts calibrates it)', () => {
    expect(readFileSync(REAL).length * 10).toBeLessThan(MAX_EVENTS_BYTES);
  });
});

describe('a UTF-8 byte-order mark', () => {
  it('is not part of a JSON file or an events CSV', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const mdp = write(dir, 'bom.mdp.json', Buffer.concat([bom, readFileSync(cliffMdp)]));
    const solved = aisle(['solve', mdp], { db });
    expect(solved.code, solved.stderr).toBe(0);
    expect(solved.stdout).toMatch(/^cliff walking/);
    const exp = write(dir, 'bom.json', Buffer.concat([bom, Buffer.from(JSON.stringify({ format: 'aisle.experiment/v1', name: 'bom', env: { id: 'tabular-mdp', mdp: 'bom.mdp.json', maxSteps: 50 }, agent: { id: 'q-learning' }, episodes: 2, seeds: 1 }))]));
    const ran = aisle(['run', exp], { db });
    expect(ran.code, ran.stderr).toBe(0);
    const csv = write(dir, 'bom.csv', Buffer.concat([bom, Buffer.from(EVENTS)]));
    const calibrated = aisle(['shop', 'calibrate', csv, '--json'], { db });
    expect(calibrated.code, calibrated.stderr).toBe(0);
    expect((JSON.parse(calibrated.stdout) as { calibration: { rows: number } }).calibration.rows).toBe(3);
  });
});

describe('a device as the database', () => {
  it.skipIf(!existsSync('/dev/null'))('--db /dev/null and AISLE_DB=/dev/null name the option, exit 2', () => {
    const problem = '/dev/null is not a regular file (a device or a pipe): give the path of an Aisle database, or of a new file in a folder you can write to';
    expectRefused(aisle(['runs'], { db: '/dev/null' }), `--db: ${problem}`);
    const r = spawnSync(process.execPath, [CLI, 'runs'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AISLE_DB: '/dev/null' }, timeout: 20_000 });
    expectRefused({ code: r.status ?? -1, stderr: r.stderr }, `AISLE_DB: ${problem}`);
  });
});

describe('a damaged database', () => {
  it('a truncated database is one line naming it and the fix, exit 2, and is left as it was', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', join(ROOT, 'resources/experiments/quickstart.json'), '--seeds', '2'], { db }).code).toBe(0);
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, readFileSync(db).subarray(0, 20_000));
    const before = readFileSync(damaged);
    for (const args of [['runs'], ['show', '1'], ['run', join(ROOT, 'resources/experiments/quickstart.json')]]) {
      expectRefused(aisle(args, { db: damaged }), `--db: ${damaged} is damaged (database disk image is malformed): restore it from a backup, or give another database with --db`);
    }
    expect(readFileSync(damaged).equals(before)).toBe(true);
  });

  it('read-only, full, failing and locked databases are each one line naming the database and the fix; other errors are left alone', () => {
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    const opts = { db: '/data/a.db' };
    const text = (e: unknown) => databaseFailure(e, opts)?.message;
    expect(text(sqlite('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'))).toBe(
      '--db: /data/a.db cannot be written (attempt to write a readonly database): check the permissions of the file and of its folder (SQLite writes its journal beside it), or copy it to a folder you can write to',
    );
    // A database in a folder the user cannot write (a colleague's, a read-only share): not even readable, and why.
    expect(text(sqlite('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database'))).toBe(
      '--db: /data/a.db cannot be opened, even to read it: its folder cannot be written (attempt to write a readonly database), and SQLite keeps a file beside it while it is open (a.db-shm): copy it (with its -wal file, if there is one) to a folder you can write to and give that copy, or ask for write access to its folder',
    );
    expect(text(sqlite('SQLITE_FULL', 'database or disk is full'))).toBe('--db: /data/a.db cannot grow: the disk is full (database or disk is full): free some space, then try again');
    expect(text(sqlite('SQLITE_IOERR_WRITE', 'disk I/O error'))).toMatch(/^--db: \/data\/a\.db could not be read or written \(disk I\/O error\): the disk may be full or failing/);
    expect(text(sqlite('SQLITE_BUSY', 'database is locked'))).toMatch(/^--db: \/data\/a\.db was locked by another process \(the app or another aisle command\) for over 10 s: try again once it is done/);
    expect(text(sqlite('SQLITE_CORRUPT_INDEX', 'database disk image is malformed'))).toMatch(/is damaged \(database disk image is malformed\): restore it from a backup/);
    expect(databaseFailure(sqlite('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'), opts)).toBeUndefined(); // a bug of ours, not the file's
    expect(databaseFailure(Object.assign(new Error('x'), { code: 'ENOENT' }), opts)).toBeUndefined();
    expect(databaseFailure(new Error('plain'), opts)).toBeUndefined();
  });
});

describe('an output that would replace an input or another output', () => {
  it('shop calibrate refuses -o or --experiment at its events file (also through a link), or at each other', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const events = write(dir, 'victim.csv', EVENTS);
    expectRefused(aisle(['shop', 'calibrate', events, '-o', events], { db }), `-o ${events}: would replace the events file, which this command reads: give another path`);
    expectRefused(aisle(['shop', 'calibrate', 'victim.csv', '-o', './sub/../victim.csv'], { db, cwd: dir }), /^aisle: -o \.\/sub\/\.\.\/victim\.csv: would replace the events file/);
    symlinkSync(events, join(dir, 'link.json'));
    expectRefused(aisle(['shop', 'calibrate', events, '-o', join(dir, 'link.json')], { db }), /^aisle: -o .*link\.json: would replace the events file/);
    expectRefused(aisle(['shop', 'calibrate', events, '-o', join(dir, 'shop.json'), '--experiment', events], { db }), /^aisle: --experiment .*victim\.csv: would replace the events file/);
    const same = join(dir, 'same.json');
    expectRefused(aisle(['shop', 'calibrate', events, '-o', same, '--experiment', same], { db }), `--experiment ${same}: is also the -o file: give each output its own path`);
    expect(readFileSync(events, 'utf8')).toBe(EVENTS);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'victim.csv']);
  });

  it('shop calibrate writes the catalog and the experiment both or neither', () => {
    const dir = tempDir();
    const events = write(dir, 'events.csv', EVENTS);
    const blocker = write(dir, 'blocker', 'a file, so no folder can be made under it');
    const r = aisle(['shop', 'calibrate', events, '-o', join(dir, 'out', 'shop.json'), '--experiment', join(blocker, 'exp.json')], { db: join(dir, 'a.db') });
    expectRefused(r, /^aisle: --experiment .*blocker\/exp\.json: cannot write it \(ENOTDIR/);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'events.csv']); // no out/shop.json, no out/, no temporary
  });

  it('shop export-mdp refuses -o at its experiment; export and metrics refuse -o at the database', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = write(dir, 'shop.json', readFileSync(shopSmall, 'utf8'));
    expectRefused(aisle(['shop', 'export-mdp', exp, '-o', exp], { db }), `-o ${exp}: would replace the experiment file, which this command reads: give another path`);
    expect(readFileSync(exp, 'utf8')).toBe(readFileSync(shopSmall, 'utf8'));
    const run = write(dir, 'run.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'r', env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 }, agent: { id: 'q-learning' }, episodes: 5, seeds: 1 }));
    expect(aisle(['run', run], { db }).code).toBe(0);
    expectRefused(aisle(['export', '1', '-o', db], { db }), `-o ${db}: would replace the database (--db), which this command reads: give another path`);
    expectRefused(aisle(['metrics', '1', '-o', 'a.db'], { db, cwd: dir }), '-o a.db: would replace the database (--db), which this command reads: give another path');
    // Nor beside it where SQLite keeps its log (deleted on close: the file written there was gone).
    expectRefused(aisle(['results', 'export', '1', '-o', `${db}-wal`], { db }), `-o ${db}-wal: is a file SQLite keeps beside the database (--db), and may replace or delete: give another path`);
    expectRefused(aisle(['metrics', '1', '-o', 'a.db-shm'], { db, cwd: dir }), '-o a.db-shm: is a file SQLite keeps beside the database (--db), and may replace or delete: give another path');
    expect(readFileSync(db).subarray(0, 16).toString()).toBe('SQLite format 3\0');
    expect((JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { total: number }).total).toBe(1);
  });

  it('schemas --out at a file is refused naming it, and the file is left as it was', () => {
    const dir = tempDir();
    const file = write(dir, 'notes.txt', 'mine');
    expectRefused(aisle(['schemas', '--out', file], { db: join(dir, 'a.db') }), `--out ${file}: is a file, not a folder: give the folder to write the schemas in (made if missing)`);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('an output replaced keeps its permissions, and a link is written through (the link stays)', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const run = write(dir, 'run.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'r', env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 }, agent: { id: 'q-learning' }, episodes: 5, seeds: 1 }));
    expect(aisle(['run', run], { db }).code).toBe(0);
    const kept = write(dir, 'private.json', 'old');
    chmodSync(kept, 0o600);
    expect(aisle(['export', '1', '-o', kept], { db }).code).toBe(0);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(kept, 'utf8')).format).toBe('aisle.policy/v1');
    // deploy/current.json → v1.json: the export replaces v1.json's content, and current.json is still the link.
    const v1 = write(dir, 'v1.json', 'old');
    const current = join(dir, 'current.json');
    symlinkSync(v1, current);
    const ex = aisle(['export', '1', '-o', current], { db });
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toContain(`wrote ${current}:`);
    expect(lstatSync(current).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(v1, 'utf8')).format).toBe('aisle.policy/v1');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('wording', () => {
  it('a missing file is "file not found" for a CSV as for JSON', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expectRefused(aisle(['shop', 'calibrate', join(dir, 'nope.csv')], { db }), `${join(dir, 'nope.csv')}: file not found: check the path`);
    expectRefused(aisle(['solve', join(dir, 'nope.json')], { db }), `${join(dir, 'nope.json')}: file not found: check the path`);
  });

  it('show lists a shop run\'s settings without the catalog generator\'s when a catalog is given', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const catalog = { items: [{ category: 0, price: 10, quality: 0.5, attractiveness: 0 }, { category: 0, price: 20, quality: 0.9, attractiveness: 1 }] };
    const run = write(dir, 'run.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'c', env: { id: 'shop', catalog, maxSteps: 5 }, agent: { id: 'random' }, episodes: 2, seeds: 1 }));
    expect(aisle(['run', run], { db }).code).toBe(0);
    // The env line and the lines it wraps onto, up to the agent's.
    const env = /^env [\s\S]*?(?=^agent )/m.exec(aisle(['show', '1'], { db }).stdout)![0];
    expect(env).toMatch(/^env {3}shop catalogSeed=0 catalog=<catalog: 2 items in 1 category> ranking=attractiveness segments=2\s/);
    expect(env).not.toMatch(/\b(items|categories|priceMedian|qualityAlpha|clickbaitShare)=/);
  });

  it('run warns, once, of a shop shift after the last episode and trains anyway (a smoke run of shop-drift)', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const drift = join(ROOT, 'resources/experiments/shop-drift.json');
    const r = aisle(['run', drift, '--episodes', '20', '--seeds', '1'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stderr)).toContain('aisle: warning: env.shiftAt: the shift at episode 3,000 never happens in 20 episodes (episodes 0 to 19): set shiftAt below 20, or raise episodes\n');
    expect(r.stderr.match(/warning:/g)).toHaveLength(1);
    const full = aisle(['run', drift, '--episodes', '3001', '--seeds', '1'], { db });
    expect(full.code, full.stderr).toBe(0);
    expect(full.stderr).not.toContain('warning:');
  });

  it('solve counts one state and one action in the singular', () => {
    const dir = tempDir();
    const mdp = write(dir, 'one.mdp.json', JSON.stringify({ format: 'aisle.mdp/v1', name: 'one', states: 1, actions: ['stay'], start: { 0: 1 }, terminal: [], transitions: [[0, 0, 1, 0, 1]] }));
    const r = aisle(['solve', mdp, '--horizon', '3'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('one: 1 state, 1 action, gamma 1, horizon 3');
  });

  it('metrics: a range past the stored episodes is refused; a metric named twice is one column', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const run = write(dir, 'run.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'r', env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 }, agent: { id: 'q-learning' }, episodes: 20, seeds: 1 }));
    expect(aisle(['run', run], { db }).code).toBe(0);
    expectRefused(aisle(['metrics', '1', '--from', '600'], { db }), '--from 600: run 1 has no episodes from 600 (it has 20 episodes, 0 to 19): give a --from below 20');
    expectRefused(aisle(['metrics', '1', '--to', '0'], { db }), '--to 0: run 1 has no episodes before 0 (it has 20 episodes, 0 to 19): give a --to above 0');
    const last = aisle(['metrics', '1', '--from', '19'], { db });
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout.trim().split('\n')).toHaveLength(2);
    const twice = aisle(['metrics', '1', '--metric', 'return', 'length', 'return', '--to', '2'], { db });
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stdout.split('\n')[0]).toBe('episode,return,length');
    const json = aisle(['metrics', '1', '--metric', 'return', 'return', '--json'], { db });
    expect(Object.keys((JSON.parse(json.stdout) as { metrics: Record<string, unknown> }).metrics)).toEqual(['return']);
  });

  it('a usage error speaks as every other error ("aisle: …", once) and points at its own command\'s help', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const cases: [string[], string, string][] = [
      [['run'], "missing required argument 'experiment'", 'aisle run'],
      [['runs', '--bogus'], "unknown option '--bogus'", 'aisle runs'],
      [['show', 'abc'], 'runId must be a whole number from 1 up, got "abc"', 'aisle show'],
      [['run', 'x.json', '--workers', 'abc'], '--workers must be a whole number from 1 to 256, got "abc"', 'aisle run'],
      [['runs', '--status', 'bogus'], '--status must be one of queued, running, completed, failed, cancelled, interrupted, paused, got "bogus"', 'aisle runs'],
      [['shop', 'calibrate', 'x.csv', '--items', '0'], '--items must be a whole number from 2 to 2000, got "0"', 'aisle shop calibrate'],
      [['frobnicate'], "unknown command 'frobnicate'", 'aisle'],
      // One value given twice: refused, not the last kept (`ope --holdout 3 --holdout 5` scored other rows than the fit held out).
      [['run', 'x.json', '--episodes', '10', '--episodes', '20'], '--episodes is given twice (10 and 20): give it once', 'aisle run'],
      [['ope', 'x.csv', '--target', 'uniform', '--holdout', '3', '--holdout=5'], '--holdout is given twice (3 and 5): give it once', 'aisle ope'],
      [['metrics', '1', '-o', 'a.csv', '--output', 'b.csv'], '--output is given twice (a.csv and b.csv): give it once', 'aisle metrics'],
      [['runs', '--db', join(dir, 'b.db')], `--db is given twice (${db} and ${join(dir, 'b.db')}): give it once`, 'aisle'],
    ];
    for (const [args, line, command] of cases) {
      const r = aisle(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`aisle: ${line}\n(run \`${command} --help\` for usage)\n`);
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe('an empty output path or name, and an empty --host', () => {
  // An unset shell variable gives an empty argument: it must not print, write to the current folder
  // or listen on every interface in its place.
  it('is refused by name, exit 2, and nothing is written', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const cases: [string[], RegExp][] = [
      [['metrics', '1', '-o', ''], /^aisle: -o: give a file path$/m],
      [['export', '1', '-o', ' '], /-o: give a file path/],
      [['schemas', '--out', ''], /--out: give a file path/],
      [['logs', 'mdp', 'logs.csv', '-o', 'sim.json', '--experiment', ''], /--experiment: give a file path/],
      [['shop', 'calibrate', 'events.csv', '-o', ''], /-o: give a file path/],
      [['shop', 'export-mdp', 'exp.json', '-o', ''], /-o: give a file path/],
      [['export', '1', '-o', 'p.json', '--name', 'x'.repeat(501)], /--name must be 1 to 500 characters, none of them control characters, got 501 characters/],
      [['export', '1', '-o', 'p.json', '--name', ''], /--name must be 1 to 500 characters, none of them control characters, got ""/],
      [['export', '1', '-o', '-'], /-o -: give a file path \(to print instead, leave -o out where the command allows it\)/],
      [['serve', '--no-open', '--host', ''], /--host: give an address \(127\.0\.0\.1 for this machine only, 0\.0\.0\.0 for every network interface\)/],
    ];
    for (const [args, message] of cases) {
      const r = aisle(args, { db, cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('serve --host that is not an address of this machine: exit 2, naming it', () => {
    const r = aisle(['serve', '--no-open', '--host', '192.0.2.1', '--port', '0'], { db: join(tempDir(), 'a.db') });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('aisle: --host 192.0.2.1: not an address of this machine: give one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface)\n');
  });
});

describe('control characters from a file in an error message', () => {
  it('are written as escapes, so a CSV header cannot drive the terminal', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'esc.csv'), 'act\u001b]0;PWNED\u0007ion,reward,propensity\na,1,0.5\n');
    const r = aisle(['ope', 'esc.csv', '--target', 'uniform'], { db: join(dir, 'a.db'), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('act\\u001b]0;PWNED\\u0007ion');
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('an error under --json', () => {
  it('is also one JSON object on stdout, with the exit code and the problems, for a script to parse', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'seed-toy' }, agent: { id: 'q-learning', alpha: 7 }, episodes: 5 }));
    const bad = aisle(['--json', 'run', 'bad.json'], { db: join(dir, 'a.db'), cwd: dir });
    expect(bad.code).toBe(2);
    const parsed = JSON.parse(bad.stdout) as { error: { exitCode: number; problems: string[] } };
    expect(parsed.error.exitCode).toBe(2);
    expect(parsed.error.problems).toEqual([expect.stringMatching(/agent\.alpha: must be a number in \(0, 1\], got 7/)]);
    expect(bad.stderr).toMatch(/agent\.alpha/); // and on stderr, as without --json
    // A usage error too; and without --json, stdout stays empty.
    const usage = aisle(['run', '--json'], { db: join(dir, 'a.db'), cwd: dir });
    expect(JSON.parse(usage.stdout)).toEqual({ error: { exitCode: 2, problems: ["missing required argument 'experiment'"] } });
    expect(aisle(['run', 'bad.json'], { db: join(dir, 'a.db'), cwd: dir }).stdout).toBe('');
  });
});
