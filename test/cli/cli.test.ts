// The `aisle` CLI end to end on a temporary database: run, runs, show, export, eval, solve, and the
// bad inputs that must exit 2 with one line naming the field while writing nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { float32Text, metricTable, TooManyValuesError } from '../../src/main/metrics-csv';
import { Store } from '../../src/main/store';
import { SEEDS_FOR_VERDICTS } from '../../src/shared/compare-text';
import { aisle, aisleSpawn, CLI, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const quickstart = join(ROOT, 'resources/experiments/quickstart.json');
const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');

function smallExperiment(dir: string, overrides: Record<string, unknown> = {}, agent: Record<string, unknown> = {}): string {
  const file = join(dir, 'exp.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.experiment/v1',
      name: 'cli test',
      env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 200 },
      agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1, ...agent },
      episodes: 200,
      seeds: 2,
      ...overrides,
    }),
  );
  return file;
}

function countRows(db: string, table: string): number {
  if (!existsSync(db)) return 0;
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('aisle run / runs / show', () => {
  it('trains every seed of the quickstart, stores it and prints a JSON summary', () => {
    const db = join(tempDir(), 'a.db');
    const r = aisle(['run', quickstart, '--json', '--workers', '2'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      experimentId: number;
      runs: { runId: number; seed: number; status: string; episodes: number; summary: Record<string, { mean: number; last100: number }>; greedy?: Record<string, number> }[];
    };
    expect(report.runs).toHaveLength(5);
    expect(report.runs.map((x) => x.seed)).toEqual([0, 1, 2, 3, 4]);
    for (const run of report.runs) {
      expect(run.status).toBe('completed');
      expect(run.episodes).toBe(500);
      expect(Object.keys(run.summary)).toEqual(expect.arrayContaining(['return', 'length']));
      // Q-learning on the cliff learns the optimal path (-13) greedily within 500 episodes.
      expect(run.greedy!.optimalReturn).toBe(-13);
      expect(run.greedy!.expectedReturn).toBeLessThanOrEqual(-13);
      expect(run.greedy!.optimalityGap).toBeCloseTo(run.greedy!.optimalReturn! - run.greedy!.expectedReturn!, 9);
    }
    expect(report.runs.filter((x) => x.greedy!.normalizedScore === 1).length).toBeGreaterThanOrEqual(4);

    const list = aisle(['runs', '--json'], { db });
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { total: number; runs: { id: number; status: string; returnLast100: number; partial: boolean; summary: { return: { last100: number } } }[] };
    expect(listed.total).toBe(5);
    expect(listed.runs.map((x) => x.status)).toEqual(Array(5).fill('completed'));
    // The table's `return (last 100)`, unmarked: each run played all its episodes.
    expect(listed.runs.map((x) => [x.returnLast100, x.partial])).toEqual(listed.runs.map((x) => [x.summary.return.last100, false]));

    const text = aisle(['runs'], { db });
    expect(text.stdout).toMatch(/q-learning/);
    // A finished run's episodes once, as `aisle run` prints them (500/500 took a sweep name's room).
    expect(text.stdout).toMatch(/ completed {2,}500 /);
    expect(text.stdout).not.toMatch(/500\/500/);

    const show = aisle(['show', String(report.runs[0]!.runId)], { db });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/greedy\.optimalReturn = -13/);
    expect(show.stdout).toMatch(/checkpoint/);
    // The inline MDP as its one-line summary, not its JSON (the next parameter wraps: the line is 100 characters wide).
    expect(show.stdout).toMatch(/^env {3}tabular-mdp mdp=<MDP: cliff walking \(Sutton & Barto, Example 6\.6\), 48 states × 4 actions>\n {6}maxSteps=1000$/m);
    expect(show.stdout).not.toMatch(/transitions/);
  });

  it('stores the full config, its hash, the seed and the app version with each run', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const r = aisle(['run', smallExperiment(dir), '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const { runs } = JSON.parse(r.stdout) as { runs: { runId: number }[] };
    const show = JSON.parse(aisle(['show', String(runs[1]!.runId), '--json'], { db }).stdout) as {
      seed: number; configHash: string; appVersion: string; config: { env: { mdp: { format: string } }; agent: { id: string; initialQ: number }; seed: number };
    };
    expect(show.seed).toBe(1);
    expect(show.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(show.appVersion).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(show.config.env.mdp.format).toBe('aisle.mdp/v1'); // the MDP is inlined: the run is self-contained
    expect(show.config.agent.initialQ).toBe(0); // defaults are filled in
    expect(show.config.seed).toBe(1);
  });

  it('runs a smoke version of an experiment file: --episodes and --seeds over its own, checked like it', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const r = aisle(['run', quickstart, '--episodes', '20', '--seeds', '2', '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { experimentId: number; runs: { seed: number; episodes: number }[] };
    expect(report.runs.map((x) => [x.seed, x.episodes])).toEqual([
      [0, 20],
      [1, 20],
    ]);
    // What is stored is what ran.
    const show = JSON.parse(aisle(['--json', 'show', '1'], { db }).stdout) as { config: { episodes: number } };
    expect(show.config.episodes).toBe(20);
    // Out-of-range overrides are usage errors naming the option; nothing more is stored.
    const zero = aisle(['run', quickstart, '--seeds', '0'], { db });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--seeds must be a whole number from 1 to 1000, got "0"/);
    // Not whole (1e3, as an experiment file takes it, is: f3417a2d).
    expect(aisle(['run', quickstart, '--episodes', '2.5'], { db }).code).toBe(2);
    expect(JSON.parse(aisle(['--json', 'runs'], { db }).stdout).total).toBe(2);
  });

  it('prints plain progress lines when not on a terminal', () => {
    const dir = tempDir();
    const r = aisle(['run', smallExperiment(dir)], { db: join(dir, 'a.db') });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/run \d+ seed 0: completed/);
    expect(r.stdout).toMatch(/greedy return {2}optimal {2}score/); // gamma 1: undiscounted, no γ in the header
    // With gamma < 1 the exact returns are discounted, and the header says by what.
    const discounted = aisle(['run', smallExperiment(dir, {}, { gamma: 0.9 })], { db: join(dir, 'a.db') });
    expect(discounted.code, discounted.stderr).toBe(0);
    expect(discounted.stdout).toMatch(/greedy return \(γ 0\.9\) {2}optimal \(γ 0\.9\) {2}score/);
  });

  it('shows a shop run’s catalog file as one line, not its JSON', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'shop.json');
    const catalog = join(ROOT, 'resources/shops/online-retail.shop.json');
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'calibrated', env: { id: 'shop', catalog }, agent: { id: 'random' }, episodes: 5, seeds: 1 }));
    expect(aisle(['run', file], { db }).code).toBe(0);
    const show = aisle(['show', '1'], { db });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^env {3}shop .*catalog=<catalog: 100 items in 8 categories> /m);
    expect(show.stdout).not.toMatch(/85123A/); // an item id from the catalog's JSON
  });

  it('unknown run ids exit 2 with a hint', () => {
    const dir = tempDir();
    Store.open(join(dir, 'a.db')).close();
    const r = aisle(['show', '999'], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run 999 does not exist/);
  });

  it('usage errors exit 2', () => {
    const dir = tempDir();
    expect(aisle(['frobnicate'], { db: join(dir, 'a.db') }).code).toBe(2);
    const help = aisle(['help', 'frobnicate'], { db: join(dir, 'a.db') });
    expect(help.code).toBe(2);
    expect(help.stderr).toMatch(/^aisle: unknown command 'frobnicate': its commands are run, .*\(see aisle --help\)\n$/);
    expect(aisle(['help', 'run'], { db: join(dir, 'a.db') }).code).toBe(0);
    expect(aisle(['run'], { db: join(dir, 'a.db') }).code).toBe(2);
    const r = aisle(['run', 'x.json', '--workers', 'zero'], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers must be a whole number/);
  });

  it("says in run's and again's help that Compare's verdicts need 5+ seeds", () => {
    const dir = tempDir();
    for (const command of ['run', 'again']) {
      const help = aisle(['help', command], { db: join(dir, 'a.db') });
      expect(help.code).toBe(0);
      // commander wraps the option's text: read it as one line.
      expect(help.stdout.replace(/\s+/g, ' ')).toContain('--seeds <n> runs, with seeds 0..n−1, over');
      expect(help.stdout.replace(/\s+/g, ' ')).toContain(SEEDS_FOR_VERDICTS);
    }
  });
});

describe('a database path that cannot hold a database', () => {
  // Each fails at once with one line naming where the path came from, exit 2. The dangling-link
  // and /proc cases made Node's own recursive mkdir spin forever (hence the time limit).
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AISLE_DB: '', ...env }, timeout: 20_000 });
    return { code: r.status, signal: r.signal, stderr: r.stderr };
  };
  it('names --db or AISLE_DB and the problem', () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'unmounted'), join(dir, 'data'));
    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    writeFileSync(join(dir, 'empty.db'), '');
    // What a first open stopped before its schema leaves (QA: a command that only looks adopted it).
    const blank = new Database(join(dir, 'blank.db'));
    blank.pragma('auto_vacuum = INCREMENTAL');
    blank.pragma('journal_mode = WAL');
    blank.close();
    const blankBytes = readFileSync(join(dir, 'blank.db'));
    const quickstart = join(ROOT, 'resources', 'experiments', 'quickstart.json');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--db', join(dir, 'data', 'runs', 'aisle.db'), 'run', quickstart], {}, /^aisle: --db: .*aisle\.db cannot be created \(ENOENT.*\): give the path of an Aisle database/],
      [['--db', join(dir, 'notes.txt'), 'runs'], {}, /^aisle: --db: .*notes\.txt is not a SQLite database/],
      [['--db', dir, 'runs'], {}, /^aisle: --db: .* is a folder: give the path of a database file in it, e\.g\. --db <folder>\/aisle\.db$/m],
      [['run', quickstart], { AISLE_DB: join(dir, 'data', 'x', 'aisle.db') }, /^aisle: AISLE_DB: .* cannot be created/],
      // A command that only reads makes no database where the user pointed (a typo would leave an empty one).
      [['--db', join(dir, 'typo.db'), 'runs'], {}, /^aisle: --db: .*typo\.db does not exist: check the path, or create a database there by running an experiment: aisle --db \S+typo\.db run <experiment\.json>$/m],
      [['show', '1'], { AISLE_DB: join(dir, 'typo.db') }, /^aisle: AISLE_DB: .*typo\.db does not exist/],
      // Nor does resume, which can only continue a run the database holds (QA: it made typo.db, then said "run 1 does not exist").
      [['--db', join(dir, 'typo.db'), 'resume', '1'], {}, /^aisle: --db: .*typo\.db does not exist: check the path, or create a database there by running an experiment: aisle --db \S+typo\.db run <experiment\.json>$/m],
      // Nor in an empty file there (the shell's `>` makes one): it stays empty.
      [['--db', join(dir, 'empty.db'), 'runs'], {}, /^aisle: --db: .*empty\.db is an empty file, not an Aisle database: give the path of an Aisle database \(`aisle run` creates one, in this file too\)$/m],
      [['--db', join(dir, 'empty.db'), 'resume', '1'], {}, /^aisle: --db: .*empty\.db is an empty file, not an Aisle database/],
      [['--db', join(dir, 'blank.db'), 'runs'], {}, /^aisle: --db: .*blank\.db is a SQLite database with nothing in it \(no tables: a first open that stopped before making them leaves one\), not an Aisle database yet: give the path of an Aisle database \(`aisle run` makes one, in this file too\)$/m],
    ];
    if (process.platform === 'linux') cases.push([['--db', '/proc/aisle-none/aisle.db', 'run', quickstart], {}, /^aisle: --db: \/proc\/aisle-none\/aisle\.db cannot be created/]);
    for (const [args, env, message] of cases) {
      const r = run(args, env);
      expect(r.signal, args.join(' ')).toBeNull();
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('not a database');
    expect(existsSync(join(dir, 'typo.db'))).toBe(false);
    expect(statSync(join(dir, 'empty.db')).size).toBe(0);
    expect(readFileSync(join(dir, 'blank.db')).equals(blankBytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('blank.db'))).toEqual(['blank.db']);
    // A command that makes a database makes it one.
    expect(run(['--db', join(dir, 'blank.db'), 'run', quickstart, '--episodes', '2', '--seeds', '1']).code).toBe(0);
    expect(run(['--db', join(dir, 'blank.db'), 'runs']).code).toBe(0);
  });

  it("refuses another program's SQLite database and leaves it as it was", () => {
    const dir = tempDir();
    const file = join(dir, 'shop.db');
    const other = new Database(file);
    other.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE runs (x INTEGER)');
    other.close();
    const before = readFileSync(file);
    for (const args of [['runs'], ['run', join(ROOT, 'resources', 'experiments', 'quickstart.json')]]) {
      const r = run(['--db', file, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`aisle: --db: ${file} is a SQLite database of another program (its tables: customers, runs), not Aisle's: give an Aisle database, or a new file\n`);
    }
    expect(readFileSync(file).equals(before)).toBe(true); // no table, no version, no WAL
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('bad input: one line naming the field, exit 2, nothing written', () => {
  const cases: [string, (dir: string) => string, RegExp][] = [
    ['malformed JSON', (dir) => {
      const f = join(dir, 'bad.json');
      writeFileSync(f, '{ "format": "aisle.experiment/v1",\n  "name": "x" "env": {} }');
      return f;
    }, /malformed JSON at line 2, column \d+/],
    ['NaN in an experiment (Python writes it; JSON has no such number)', (dir) => {
      const f = join(dir, 'nan.json');
      writeFileSync(f, '{ "format": "aisle.experiment/v1", "name": "x",\n  "env": { "id": "seed-toy" }, "agent": { "id": "q-learning", "alpha": NaN } }');
      return f;
    }, /malformed JSON at line 2, column 72 \(NaN is not a number in JSON, which has no NaN or Infinity\): write a finite number there/],
    ['an MDP whose probabilities do not sum to 1', (dir) => {
      const mdp = join(dir, 'bad.mdp.json');
      writeFileSync(mdp, JSON.stringify({ format: 'aisle.mdp/v1', states: 2, actions: 2, start: { 0: 1 }, transitions: [[0, 0, 0.5, 1, 0], [0, 1, 1, 1, 0], [1, 0, 1, 0, 0], [1, 1, 1, 0, 0]] }));
      return smallExperiment(dir, { env: { id: 'tabular-mdp', mdp: 'bad.mdp.json' } });
    }, /env\.mdp.*\(state 0.*action 0.*\) sum to 0\.5/],
    ['an unknown agent id', (dir) => smallExperiment(dir, { agent: { id: 'q-lerning' } }), /agent\.id: unknown agent "q-lerning": choose one of .*q-learning/],
    ['a negative alpha', (dir) => smallExperiment(dir, {}, { alpha: -0.5 }), /agent\.alpha: must be a number in \(0, 1\], got -0\.5/],
    ['seeds that are neither a count nor a list', (dir) => smallExperiment(dir, { seeds: '5' }), /seeds: must be a count of runs \(a whole number from 1 to 1000, e\.g\. 5\) or a list of seeds \(whole numbers, e\.g\. \[0, 1, 2\]\)/],
    ['an epsilon above 1', (dir) => smallExperiment(dir, {}, { epsilon: 1.5 }), /agent\.epsilon: must be a number in \[0, 1\], got 1\.5/],
    ['a missing MDP file', (dir) => smallExperiment(dir, { env: { id: 'tabular-mdp', mdp: 'nope.mdp.json' } }), /env\.mdp: nope\.mdp\.json: file not found/],
    // Sizes the worker could not allocate are refused when the experiment is read, before anything is stored.
    [
      'a Q-table too large to keep',
      (dir) => smallExperiment(dir, { env: { id: 'seed-toy', states: 1_000_000, actions: 10_000 } }),
      /exp\.json: agent\.id: a Q-table of 1,000,000 states × 10,000 actions holds 10,000,000,000 values, more than the 33,554,432 \(256 MiB\) a tabular agent keeps: use an environment with fewer states or actions/,
    ],
    ['two Q-tables too large for Double Q-learning', (dir) => smallExperiment(dir, { env: { id: 'seed-toy', states: 100_000, actions: 200 } }, { id: 'double-q-learning' }), /agent\.id: 2 Q-tables of 100,000 states × 200 actions hold 40,000,000 values/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      const dir = tempDir();
      const db = join(dir, 'a.db');
      const r = aisle(['run', make(dir)], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(countRows(db, 'experiments')).toBe(0);
      expect(countRows(db, 'runs')).toBe(0);
    });
  }

  it('a DQN whose replay memory and network would not fit: both named, exit 2, nothing stored', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'dqn.json');
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'huge', env: { id: 'seed-toy', states: 1_000_000, actions: 10 }, agent: { id: 'dqn' }, episodes: 10, seeds: 1 }));
    const r = aisle(['run', file], { db });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/agent\.bufferSize: 10,000 transitions of 1,000,000 features need 74\.5 GiB of replay memory, more than 1 GiB: lower bufferSize, or choose the shop with observation "vector" \(the other environments have only discrete states\) or a tabular agent\n/);
    expect(r.stderr).toMatch(/agent\.hidden: a network of widths \[1000000, 64, 64, 10\] has 64,004,874 parameters, more than 16,777,216/);
    expect(countRows(db, 'runs')).toBe(0);
  });

  /** One run of the small experiment, trained and its policy exported to policy.json. */
  function exportedPolicy(): { db: string; exp: string; file: string } {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = smallExperiment(dir, { seeds: 1 });
    const r = aisle(['run', exp, '--json'], { db });
    const runId = (JSON.parse(r.stdout) as { runs: { runId: number }[] }).runs[0]!.runId;
    const file = join(dir, 'policy.json');
    expect(aisle(['export', String(runId), '-o', file], { db }).code).toBe(0);
    return { db, exp, file };
  }

  it('a policy file with a wrong-sized Q-table', () => {
    const { db, exp, file } = exportedPolicy();
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.q[3] = policy.q[3].slice(0, 3);
    writeFileSync(file, JSON.stringify(policy));
    const policiesBefore = countRows(db, 'policies');
    const bad = aisle(['eval', file, '--env', exp], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(`aisle: ${file}: policy.q[3]: must have one value per action (4), got 3`);
    expect(countRows(db, 'policies')).toBe(policiesBefore);
  });

  it('a policy that does not fit: the file named first, and a fix that is not what was just done', () => {
    const { db, file } = exportedPolicy();
    const toy = join(ROOT, 'resources/experiments/seed-toy.json');
    const other = aisle(['eval', file, '--env', toy], { db });
    expect(other.code).toBe(2);
    expect(unwrapped(other.stderr)).toBe(`aisle: ${file}: policy: has 48 states × 4 actions but the environment has 10 states × 5 actions: evaluate it on the environment it was trained on\n`);
    // A fifth action added by hand: on its own environment (its run's, in the database), the file is what is wrong.
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.actions.push('jump');
    for (const row of policy.q) row.push(-1e6); // never the best: greedy stays as it was
    writeFileSync(file, JSON.stringify(policy));
    const own = aisle(['eval', file], { db });
    expect(own.code).toBe(2);
    expect(unwrapped(own.stderr)).toBe(
      `aisle: ${file}: policy: has 48 states × 5 actions but the environment has 48 states × 4 actions: the environment is the one its file names, so the file was edited after export: export the policy again from its run\n`,
    );
  });

  it('a policy whose environment settings were edited after export: its own hash gives it away', () => {
    const { db, exp, file } = exportedPolicy();
    // As exported: evaluated on the environment it was trained on, without a warning.
    const clean = aisle(['eval', file, '--env', exp, '--episodes', '20'], { db });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toBe('');
    // Its episode cap edited: the file no longer matches its own hash, and eval says so.
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.env.params.maxSteps = 300;
    writeFileSync(file, JSON.stringify(policy));
    const edited = aisle(['eval', file, '--env', exp, '--episodes', '20'], { db });
    expect(edited.code, edited.stderr).toBe(0);
    expect(unwrapped(edited.stderr)).toMatch(/policy\.env: the settings in the file do not match its own hash [0-9a-f]{12}: the file was edited after export/);
  });

  it('a seed-toy policy edited after export: evaluated on its run\'s environment where the database has it, else said to be on the settings as edited', () => {
    const flat = (text: string) => text.replace(/\s+/g, ' '); // stdout is wrapped to the terminal
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = join(dir, 'toy.json');
    writeFileSync(exp, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', states: 4, actions: 3, stepsPerEpisode: 10 }, agent: { id: 'q-learning' }, episodes: 50, seeds: 1 }));
    const r = aisle(['run', exp, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const runId = (JSON.parse(r.stdout) as { runs: { runId: number }[] }).runs[0]!.runId;
    const file = join(dir, 'toy-policy.json');
    expect(aisle(['export', String(runId), '-o', file], { db }).code).toBe(0);
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    policy.env.params.stepsPerEpisode = 3;
    writeFileSync(file, JSON.stringify(policy));
    // Its run is in the database: the 10-step episodes it was trained on, not the 3 the file says.
    const here = aisle(['eval', file, '--episodes', '20'], { db });
    expect(here.code, here.stderr).toBe(0);
    expect(flat(here.stdout)).toContain(`(the environment it was trained on, read from run ${runId} in the database)`);
    expect(flat(here.stdout)).toMatch(/mean length 10\b/);
    expect(unwrapped(here.stderr)).toMatch(/not on the settings as edited: .*stepsPerEpisode/);
    // Another database: the file's settings are all there is, and the header does not call them the trained ones.
    const other = join(dir, 'other.db');
    // Its run 1 is another run, of the same environment as exported but another config (40 episodes, not 50): a run of the
    // same config and seed would be found as the policy's run brought here, and its environment read (policies.test.ts).
    expect(aisle(['run', exp, '--episodes', '40'], { db: other }).code).toBe(0);
    const edit = JSON.parse(readFileSync(file, 'utf8'));
    edit.provenance.runId = 99;
    edit.provenance.experimentId = 99;
    writeFileSync(file, JSON.stringify(edit));
    const elsewhere = aisle(['eval', file, '--episodes', '20'], { db: other });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(flat(elsewhere.stdout)).toContain('(the settings in its file, edited after export)');
    expect(flat(elsewhere.stdout)).not.toContain('the environment it was trained on');
    expect(flat(elsewhere.stdout)).toMatch(/mean length 3\b/);
    expect(unwrapped(elsewhere.stderr)).toMatch(/policy\.env: the settings in the file do not match its own hash/);
  });
});

describe('an output path that cannot be written', () => {
  it('names the option, exits 2, and leaves no file and no stored policy behind', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const r = aisle(['run', smallExperiment(dir, { seeds: 1 }), '--json'], { db });
    const runId = String((JSON.parse(r.stdout) as { runs: { runId: number }[] }).runs[0]!.runId);
    writeFileSync(join(dir, 'plain.txt'), 'x');
    const cases: [string[], RegExp][] = [
      [['export', runId, '-o', dir], /^aisle: -o .*: is a folder: give the path of a file/],
      [['export', runId, '-o', join(dir, 'plain.txt', 'policy.json')], /^aisle: -o .*policy\.json: cannot write it \(ENOTDIR.*\): give a path in a folder you can write to/],
      [['metrics', runId, '-o', join(dir, 'plain.txt', 'm.csv')], /^aisle: -o .*m\.csv: cannot write it \(ENOTDIR/],
      // The file's own path, not the temporary written beside it first (procfs makes no files).
      [['metrics', runId, '-o', '/proc/aisle-nope.csv'], /^aisle: -o \/proc\/aisle-nope\.csv: cannot write it \(ENOENT: no such file or directory\): give a path/],
      [['schemas', '--out', join(dir, 'plain.txt')], /^aisle: --out .*plain\.txt: is a file, not a folder/],
    ];
    for (const [args, message] of cases) {
      const out = aisle(args, { db });
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(out.stderr).not.toMatch(/\.tmp\b/);
    }
    // schemas has no default folder: without --out it writes nothing where the user stands.
    const schemas = aisle(['schemas'], { db, cwd: dir });
    expect(schemas.code).toBe(2);
    expect(schemas.stderr).toMatch(/^aisle: required option '-o, --out <dir>' not specified\n\(run `aisle schemas --help` for usage\)/);
    expect(existsSync(join(dir, 'resources'))).toBe(false);
    expect(countRows(db, 'policies')).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A missing folder on the way is made.
    const nested = join(dir, 'new', 'folder', 'policy.json');
    expect(aisle(['export', runId, '-o', nested], { db }).code).toBe(0);
    expect(JSON.parse(readFileSync(nested, 'utf8')).format).toBe('aisle.policy/v1');
  });
});

describe('aisle export / eval / solve', () => {
  it('exports a policy that evaluates to the run’s exact greedy return', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = smallExperiment(dir, { seeds: 1, episodes: 300 });
    const run = JSON.parse(aisle(['run', exp, '--json'], { db }).stdout) as { runs: { runId: number; greedy: { expectedReturn: number } }[] };
    const { runId, greedy } = run.runs[0]!;
    const file = join(dir, 'policy.json');
    const ex = aisle(['export', String(runId), '-o', file, '--json'], { db });
    expect(ex.code, ex.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(file, 'utf8'));
    expect(policy.format).toBe('aisle.policy/v1');
    expect(policy.states).toHaveLength(48);
    expect(policy.actions).toEqual(['up', 'right', 'down', 'left']);
    expect(policy.provenance).toMatchObject({ runId, seed: 0, agent: 'q-learning' });
    expect(policy.env.mdpHash).toMatch(/^[0-9a-f]{64}$/);

    const ev = aisle(['eval', file, '--env', exp, '--episodes', '50', '--json'], { db });
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout) as { fingerprintMatches: boolean; exact: { expectedReturn: number }; monteCarlo: { meanReturn: number; episodes: number } };
    expect(result.fingerprintMatches).toBe(true);
    expect(result.exact.expectedReturn).toBeCloseTo(greedy.expectedReturn, 9);
    // The cliff is deterministic: every greedy episode returns the exact value.
    expect(result.monteCarlo.meanReturn).toBeCloseTo(greedy.expectedReturn, 9);
    expect(result.monteCarlo.episodes).toBe(50);

    // Exported again (a second download, another terminal): the stored file, not one more row of it.
    const policyId = (JSON.parse(ex.stdout) as { policyId: number }).policyId;
    const againFile = join(dir, 'again.json');
    const again = aisle(['export', String(runId), '-o', againFile, '--json'], { db });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { policyId: number }).policyId).toBe(policyId);
    expect(readFileSync(againFile, 'utf8')).toBe(readFileSync(file, 'utf8')); // its createdAt too
    expect(countRows(db, 'policies')).toBe(1);
    // Under another name it is another policy; a path that cannot be written stores nothing.
    expect(aisle(['export', String(runId), '-o', join(dir, 'named.json'), '--name', 'mine'], { db }).code).toBe(0);
    expect(countRows(db, 'policies')).toBe(2);
    expect(aisle(['export', String(runId), '-o', dir, '--name', 'other'], { db }).code).toBe(2);
    expect(countRows(db, 'policies')).toBe(2);
    // And a database that refuses the row (read-only, its disk full: a trigger stands in) leaves no file.
    const raw = new Database(db);
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON policies BEGIN SELECT RAISE(ABORT, 'refused'); END");
    raw.close();
    const refusedFile = join(dir, 'refused.json');
    const refused = aisle(['export', String(runId), '-o', refusedFile, '--name', 'third'], { db });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/refused/);
    expect(existsSync(refusedFile)).toBe(false);
    expect(countRows(db, 'policies')).toBe(2);
  });

  it("says a stopped run's policy is a checkpoint, in the file, on export and on eval, with where the policy came from", () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = smallExperiment(dir, { seeds: 1, episodes: 300 }, { gamma: 0.9 });
    const { runs } = JSON.parse(aisle(['run', exp, '--json'], { db }).stdout) as { runs: { runId: number }[] };
    // Another run of it, cancelled with its last checkpoint at episode 100 (index 99).
    const store = Store.open(db);
    const config = store.getRun(runs[0]!.runId).config as Record<string, unknown>;
    // Its experiment's settings as a launch stores them: export checks a stored config as `aisle again` does.
    const experiment = { ...(store.getExperiment(1).config as Record<string, unknown>), name: 'stopped', seeds: [3] };
    const { runs: [stopped] } = store.createExperimentWithRuns({ name: 'stopped', config: experiment, configHash: 'f'.repeat(64), runs: [{ seed: 3, config: { ...config, seed: 3 }, configHash: 'e'.repeat(64), appVersion: 'test', episodesTotal: 300 }] });
    store.markRunning(stopped!.id);
    store.addCheckpoint(stopped!.id, { episode: 99, kind: 'qtable', states: 48, actions: 4, data: new Float64Array(48 * 4).fill(-1) });
    store.finishRun(stopped!.id, 'cancelled', { summary: {} });
    store.close();
    const file = join(dir, 'stopped.json');
    const ex = aisle(['export', String(stopped!.id), '-o', file], { db });
    expect(ex.code, ex.stderr).toBe(0);
    expect(unwrapped(ex.stderr)).toBe(`aisle: warning: run ${stopped!.id} was cancelled: the policy is its last checkpoint, what it had learned after 100 episodes\n`);
    expect(JSON.parse(readFileSync(file, 'utf8')).provenance).toMatchObject({ runId: stopped!.id, episodes: 100, status: 'cancelled', gamma: 0.9 });
    const exJson = JSON.parse(aisle(['export', String(stopped!.id), '-o', file, '--json'], { db }).stdout) as { warnings: string[] };
    expect(exJson.warnings).toEqual([expect.stringMatching(/was cancelled: the policy is its last checkpoint/)]);
    // A completed run's export says nothing of the kind.
    const done = aisle(['export', String(runs[0]!.runId), '-o', join(dir, 'done.json')], { db });
    expect(done.stderr).toBe('');

    const ev = aisle(['eval', file, '--env', exp, '--episodes', '5'], { db, env: { COLUMNS: '1000' } }); // each sentence on a line
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stderr).toMatch(/^aisle: warning: run \d+ was cancelled: the policy is its last checkpoint/m);
    expect(ev.stdout).toMatch(new RegExp(`^from run ${stopped!.id} of "stopped" \\(q-learning, seed 3, 100 episodes, gamma 0\\.9\\), exported \\S+ by Aisle `, 'm'));
    expect(ev.stdout).toMatch(/^exact \(gamma 0\.9, the experiment's agent's; horizon 200\)/m);
  });

  it('warns when a policy is evaluated on a different environment of the same shape', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const exp = smallExperiment(dir, { seeds: 1 });
    const run = JSON.parse(aisle(['run', exp, '--json'], { db }).stdout) as { runs: { runId: number }[] };
    const file = join(dir, 'policy.json');
    aisle(['export', String(run.runs[0]!.runId), '-o', file], { db });
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 'aisle.experiment/v1', name: 'o', env: { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 }, agent: { id: 'q-learning' } }));
    const ev = aisle(['eval', file, '--env', other, '--episodes', '5'], { db });
    expect(ev.code).toBe(0);
    // The warning names the setting that differs, not only the hashes.
    expect(unwrapped(ev.stderr)).toMatch(/warning: the environment differs from the one the policy was trained on: params\.maxSteps 200 → 50 \(tabular-mdp [0-9a-f]{12} vs tabular-mdp [0-9a-f]{12}\)/);
    // The same sizes with the actions named in another order: only the labels can tell, and the
    // policy, served by index, would play each action as another: refused, exit 2, in one line.
    const relabelled = JSON.parse(readFileSync(cliffMdp, 'utf8')) as { actions: string[] };
    relabelled.actions = ['left', 'down', 'right', 'up'];
    const relabelledFile = join(dir, 'relabelled.mdp.json');
    writeFileSync(relabelledFile, JSON.stringify(relabelled));
    writeFileSync(other, JSON.stringify({ format: 'aisle.experiment/v1', name: 'o', env: { id: 'tabular-mdp', mdp: relabelledFile, maxSteps: 200 }, agent: { id: 'q-learning' } }));
    const swapped = aisle(['eval', file, '--env', other, '--episodes', '5'], { db });
    expect(swapped.code).toBe(2);
    expect(unwrapped(swapped.stderr)).toBe(
      `aisle: ${file}: policy.actions[0]: action 0 is "up" in the policy but "left" in the environment, whose action 3 is "up": its actions are named in another order, and the policy takes them by index, so each action it chooses would be played as another: evaluate it on the environment it was trained on, or train a policy on this one\n`,
    );
    expect(swapped.stdout).toBe('');
    expect(ev.stderr).not.toMatch(/policy\.actions/);
  });

  it('evaluates a policy on the environment it was trained on when --env is left out (an MDP it only names, from its run in the database)', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const shop = join(ROOT, 'resources/experiments/shop-small.json');
    expect(aisle(['run', shop, '--episodes', '100', '--seeds', '1'], { db }).code).toBe(0);
    const file = join(dir, 'shop-policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const own = aisle(['--json', 'eval', file, '--episodes', '40'], { db });
    expect(own.code, own.stderr).toBe(0);
    const given = aisle(['--json', 'eval', file, '--env', shop, '--episodes', '40'], { db });
    const [a, b] = [JSON.parse(own.stdout), JSON.parse(given.stdout)] as { fingerprintMatches: boolean; monteCarlo: unknown; exact: unknown }[];
    expect(a!.fingerprintMatches).toBe(true);
    expect(a!.monteCarlo).toEqual(b!.monteCarlo);
    expect(a!.exact).toBeDefined();

    const cliffExperiment = smallExperiment(dir, { seeds: 1 });
    expect(aisle(['run', cliffExperiment], { db }).code).toBe(0);
    const cliffPolicy = join(dir, 'cliff-policy.json');
    expect(aisle(['export', '2', '-o', cliffPolicy], { db }).code).toBe(0);
    // The file names its MDP by hash only; the database it was exported from holds it.
    const fromRun = aisle(['--json', 'eval', cliffPolicy, '--episodes', '40'], { db });
    expect(fromRun.code, fromRun.stderr).toBe(0);
    const fromFile = aisle(['--json', 'eval', cliffPolicy, '--env', cliffExperiment, '--episodes', '40'], { db });
    const [c, d] = [JSON.parse(fromRun.stdout), JSON.parse(fromFile.stdout)] as { fingerprintMatches: boolean; monteCarlo: unknown; exact: unknown }[];
    expect(c!.fingerprintMatches).toBe(true);
    expect(c!.monteCarlo).toEqual(d!.monteCarlo);
    // The same figure; its γ said as the training's where no experiment was named, the experiment's where one was.
    expect(c!.exact).toEqual({ ...(d!.exact as object), gammaFrom: 'policy' });
    expect(d!.exact).toMatchObject({ gammaFrom: 'experiment' });
    expect(aisle(['eval', cliffPolicy, '--episodes', '40'], { db, env: { COLUMNS: '1000' } }).stdout).toMatch(/^policy .*cliff-policy\.json on tabular-mdp \(the environment it was trained on, read from run 2 in the database\)$/m);
    // The exact value discounted (γ 0.9): the Monte-Carlo episodes are discounted by it too, to set
    // beside it. The cliff is deterministic, so the two are one number.
    const discounted = JSON.parse(aisle(['--json', 'eval', cliffPolicy, '--episodes', '40', '--gamma', '0.9'], { db }).stdout) as {
      monteCarlo: { meanReturn: number; discounted: { gamma: number; meanReturn: number } };
      exact: { expectedReturn: number };
    };
    expect(discounted.monteCarlo.discounted.gamma).toBe(0.9);
    expect(discounted.monteCarlo.discounted.meanReturn).toBeCloseTo(discounted.exact.expectedReturn, 9);
    expect(discounted.monteCarlo.meanReturn).not.toBeCloseTo(discounted.exact.expectedReturn, 1);
    expect(aisle(['eval', cliffPolicy, '--episodes', '40', '--gamma', '0.9'], { db, env: { COLUMNS: '1000' } }).stdout).toMatch(/^discounted by gamma 0\.9, as the exact value below: mean -?[\d,.]+ \(95% CI/m);
    expect((c as { monteCarlo: { discounted?: unknown } }).monteCarlo.discounted).toBeUndefined(); // γ 1: no second mean
    // A database named that is not there is said as such (a typo), not as one without the run.
    const typo = aisle(['eval', cliffPolicy], { db: join(dir, 'typo.db') });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^aisle: --db: .*typo\.db does not exist: check the path, or create a database there by running an experiment/);
    // Another database without its run 2 or experiment 2, but with an experiment on the same MDP (another config: 150 episodes, the
    // environment's settings the same): evaluated there, as the app's Evaluate does (sameMdpExperiment), saying so, nothing to warn of.
    const otherDb = join(dir, 'other.db');
    expect(aisle(['run', smallExperiment(dir, { seeds: 1, episodes: 150 })], { db: otherDb }).code).toBe(0);
    const elsewhere = aisle(['eval', cliffPolicy, '--episodes', '40'], { db: otherDb, env: { COLUMNS: '1000' } });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stdout).toMatch(/^policy .*cliff-policy\.json on tabular-mdp \(the MDP it was trained on, read from experiment 1 in the database: its run 2 and experiment 2 are not there\)$/m);
    expect(elsewhere.stderr).toBe('');
    // Not one whose run 2 is another run (here: of the shop), and no experiment on that MDP: the policy file alone cannot be evaluated.
    const shopDb = join(dir, 'shop.db');
    expect(aisle(['run', shop, '--episodes', '20', '--seeds', '2'], { db: shopDb }).code).toBe(0);
    const noMdp = aisle(['eval', cliffPolicy], { db: shopDb });
    expect(noMdp.code).toBe(2);
    expect(noMdp.stderr).toMatch(
      /^aisle: --env: .*cliff-policy\.json was trained on an MDP \(sha256 [0-9a-f]{12}…\) that a policy file names but does not hold, and neither its run 2 nor any experiment in the database \(--db\) is on that MDP: give the experiment whose environment to evaluate on$/m,
    );

    // Its hash edited: its run still holds the MDP the file names, evaluated there with the warning an edited file gets.
    const rehashed = join(dir, 'rehashed.json');
    const cliffFile = JSON.parse(readFileSync(cliffPolicy, 'utf8')) as { env: { hash: string } };
    writeFileSync(rehashed, JSON.stringify({ ...cliffFile, env: { ...cliffFile.env, hash: 'f'.repeat(64) } }));
    const edited = aisle(['--json', 'eval', rehashed, '--episodes', '40'], { db });
    expect(edited.code, edited.stderr).toBe(0);
    const editedReport = JSON.parse(edited.stdout) as { monteCarlo: unknown; warnings: string[] };
    expect(editedReport.monteCarlo).toEqual(c!.monteCarlo);
    expect(editedReport.warnings.join('\n')).toMatch(/^policy\.env: the settings in the file do not match its own hash f{12}/m);
    // A setting of the file's out of range: named where it is in the file, as import names it, not blamed on --env.
    const shopFile = JSON.parse(readFileSync(file, 'utf8')) as { env: { params: Record<string, unknown> } };
    const outOfRange = join(dir, 'out-of-range.json');
    writeFileSync(outOfRange, JSON.stringify({ ...shopFile, env: { ...shopFile.env, params: { ...shopFile.env.params, maxSteps: -3 } } }));
    const bad = aisle(['eval', outOfRange], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^aisle: .*out-of-range\.json: policy\.env\.params\.maxSteps: .*got -3: export the policy again from its run$/m);
    expect(bad.stderr).not.toContain('--env');
    // So is an MDP policy's, though its run in the database would serve the MDP: import refuses the file.
    const mdpFile = JSON.parse(readFileSync(cliffPolicy, 'utf8')) as { env: { params: Record<string, unknown>; mdpHash?: string } };
    const notANumber = join(dir, 'nan.json');
    writeFileSync(notANumber, JSON.stringify({ ...mdpFile, env: { ...mdpFile.env, params: { ...mdpFile.env.params, maxSteps: 'NaN' } } }));
    expect(aisle(['eval', notANumber], { db })).toMatchObject({ code: 2, stderr: expect.stringMatching(/nan\.json: policy\.env\.params\.maxSteps: must be a whole number in \[1, 10,000,000\], got "NaN": export the policy again from its run\n$/) });
    // And an MDP policy without its MDP's hash, which the schema's default MDP stood in for (exit 0, another MDP's figures).
    const { mdpHash: _hash, ...withoutHash } = mdpFile.env;
    const unnamed = join(dir, 'unnamed-mdp.json');
    writeFileSync(unnamed, JSON.stringify({ ...mdpFile, env: withoutHash }));
    const noHash = 'policy.env.mdpHash: is missing: a tabular-mdp policy names the MDP it was trained on by its hash, which the file must hold';
    expect(aisle(['eval', unnamed], { db })).toMatchObject({ code: 2, stderr: expect.stringContaining(`unnamed-mdp.json: ${noHash}: export the policy again from its run\n`) });
    expect(aisle(['eval', unnamed, '--env', cliffExperiment], { db }).code).toBe(2);
    expect(aisle(['policies', 'import', unnamed], { db })).toMatchObject({ code: 2, stderr: expect.stringContaining(noHash) });
  });

  it('solves an MDP exactly', () => {
    const dir = tempDir();
    const r = aisle(['solve', cliffMdp, '--json'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { optimalReturn: number; errorBound: number; states: { label: string; actionLabel: string | null; value: number }[] };
    expect(out.optimalReturn).toBe(-13);
    // How far the values can be from the exact ones: round-off only (γ 1 stops only on an exact fixed point).
    expect(out.errorBound).toBeGreaterThan(0);
    expect(out.errorBound).toBeLessThan(1e-9);
    const start = out.states.find((s) => s.label === 'r3c0 start')!;
    expect(start.actionLabel).toBe('up');
    expect(start.value).toBe(-13);
    const text = aisle(['solve', cliffMdp, '--gamma', '0.9', '--horizon', '100'], { db: join(dir, 'a.db') });
    expect(text.stdout).toMatch(/optimal expected return from the start distribution: -/);
    expect(aisle(['solve', cliffMdp, '--gamma', '2'], { db: join(dir, 'a.db') }).code).toBe(2);
  });
});

describe('aisle schemas', () => {
  it('writes the JSON Schemas and says where, in JSON with --json as every command does', () => {
    const dir = tempDir();
    const out = join(dir, 'schemas');
    const text = aisle(['schemas', '--out', out], { db: join(dir, 'a.db') });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`wrote 3 schemas to ${out}\n`);
    const json = aisle(['schemas', '--out', out, '--json'], { db: join(dir, 'a.db') });
    expect(json.code, json.stderr).toBe(0);
    const names = ['experiment.schema.json', 'mdp.schema.json', 'policy.schema.json'];
    expect(JSON.parse(json.stdout)).toEqual({ paths: names.map((name) => join(out, name)) });
    expect(readdirSync(out).sort()).toEqual(names);
    // -o, as every other command that writes takes it: it was "required option '--out <dir>' not specified".
    const short = join(dir, 'short');
    const o = aisle(['schemas', '-o', short], { db: join(dir, 'a.db') });
    expect(o.code, o.stderr).toBe(0);
    expect(readdirSync(short).sort()).toEqual(names);
  });
});

describe('aisle metrics', () => {
  it('prints a run’s stored metrics as CSV or JSON, whole or in part, and refuses what does not exist', async () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', smallExperiment(dir)], { db }).code).toBe(0);
    const store = Store.open(db);
    const stored = Object.fromEntries(['length', 'return', 'train/epsilon'].map((n) => [n, Array.from(store.readMetricRaw(1, n))]));
    // A table past maxValues (the app's cap) is refused before any value is read.
    expect(() => metricTable(store, 1, { maxValues: 599 })).toThrow(TooManyValuesError);
    expect(() => metricTable(store, 1, { maxValues: 599 })).toThrow('run 1 has 600 metric values, more than 599');
    expect(metricTable(store, 1, { maxValues: 600 }).series).toHaveLength(3);
    // A run that stored nothing yet (queued; or killed before its first episode) says so, named metric or not.
    const { runs: [queued] } = store.createExperimentWithRuns({ name: 'queued', config: {}, configHash: 'b'.repeat(64), runs: [{ seed: 0, config: {}, configHash: 'b'.repeat(64), appVersion: 'test', episodesTotal: 1 }] });
    for (const metrics of [undefined, ['return']]) {
      expect(() => metricTable(store, queued!.id, metrics ? { metrics } : {})).toThrow(new RegExp(`run ${queued!.id} has no metrics yet \\(status queued\\)$`));
    }
    store.deleteRuns([queued!.id]);
    store.close();

    const csv = aisle(['metrics', '1'], { db });
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('episode,length,return,train/epsilon');
    expect(lines).toHaveLength(200);
    lines.forEach((line, i) => {
      const [episode, ...cells] = line.split(',');
      expect(Number(episode)).toBe(i);
      // Each cell is the shortest decimal of the stored float32 (ε 0.1 prints as 0.1).
      expect(cells.map((c) => Math.fround(Number(c)))).toEqual([stored.length![i], stored.return![i], stored['train/epsilon']![i]]);
      expect(cells[2]).toBe('0.1');
    });

    const part = aisle(['metrics', '1', '--metric', 'return', 'length', '--from', '190', '--to', '195', '--json'], { db });
    expect(part.code, part.stderr).toBe(0);
    expect(JSON.parse(part.stdout)).toEqual({ runId: 1, from: 190, to: 195, metrics: { return: stored.return!.slice(190, 195), length: stored.length!.slice(190, 195) } });

    const file = join(dir, 'm.csv');
    const written = aisle(['metrics', '1', '-o', file], { db });
    expect(written.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(csv.stdout);
    // It says what it wrote, as every command writing a file does.
    expect(written.stdout).toBe(`wrote ${file}: 200 episodes (0 to 199) × 3 metrics\n`);
    const writtenJson = aisle(['metrics', '1', '--metric', 'return', '-o', join(dir, 'm.json'), '--json'], { db });
    expect(JSON.parse(writtenJson.stdout)).toEqual({ path: join(dir, 'm.json'), runId: 1, from: 0, to: 200, metrics: ['return'] });

    const unknown = aisle(['metrics', '1', '--metric', 'reward'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('aisle: metric "reward" does not exist: run 1 has length, return, train/epsilon');
    // Every unknown name at once, not only the first.
    const unknowns = aisle(['metrics', '1', '--metric', 'return', 'nope', 'zz'], { db });
    expect(unknowns.code).toBe(2);
    expect(unknowns.stderr.trim()).toBe('aisle: metrics "nope", "zz" do not exist: run 1 has length, return, train/epsilon');
    expect(aisle(['metrics', '99'], { db }).code).toBe(2);
    const range = aisle(['metrics', '1', '--from', '10', '--to', '5'], { db });
    expect(range.code).toBe(2);
    expect(range.stderr.trim()).toBe('aisle: --to (5) must not be below --from (10): give the lower first, --from 5 --to 10 (--to is not included)');
    // --to is not included: an equal pair holds nothing, a mistake rather than a header alone.
    const empty = aisle(['metrics', '1', '--from', '5', '--to', '5'], { db });
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr.trim()).toBe('aisle: --from 5 --to 5 holds no episodes (--to is not included): give --to 6 for episode 5 alone');
  });

  it('writes each float32 as the shortest decimal that reads back the same', () => {
    const rng = new Rng(7);
    const values = [0.1, 1 / 3, 1e-45, 3.4e38, -2.5, 100, 16777215, 0, ...Array.from({ length: 2000 }, () => (rng.next() - 0.5) * 10 ** rng.int(20))].map(Math.fround);
    for (const v of values) {
      const text = float32Text(v);
      expect(Math.fround(Number(text)), text).toBe(v);
      // Not a digit too many: one significant digit fewer no longer reads back as v.
      const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
      if (digits > 1) expect(Math.fround(Number(v.toPrecision(digits - 1))), text).not.toBe(v);
    }
    expect([float32Text(Math.fround(0.1)), float32Text(-0), float32Text(NaN), float32Text(Infinity)]).toEqual(['0.1', '-0', '', 'Infinity']);
  });
});

/** A temporary database and an experiment of two seed-toy runs long enough to be stopped mid-way (5·10⁹ steps each). */
function longExperiment(): { db: string; file: string } {
  const dir = tempDir();
  const file = join(dir, 'long.json');
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'long', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 50_000_000, seeds: 2 }));
  return { db: join(dir, 'a.db'), file };
}

describe('a crash (SIGKILL) mid-run', () => {
  it('loses nothing committed: the runs read back as interrupted with every stored episode intact', async () => {
    const { db, file } = longExperiment();
    const child = aisleSpawn(['run', file, '--workers', '2'], { db });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // Until both runs have committed a few metric batches (read through a second connection, as
    // the app would read while the CLI writes).
    const committed = (): number[] => {
      if (!existsSync(db)) return [];
      const d = new Database(db, { readonly: true, timeout: 5000 });
      try {
        return (d.prepare(`SELECT episodes_done AS n FROM runs WHERE status = 'running'`).all() as { n: number }[]).map((r) => r.n);
      } catch {
        return []; // the schema is still being created
      } finally {
        d.close();
      }
    };
    const deadline = Date.now() + 90_000;
    for (let done = committed(); !(done.length === 2 && done.every((n) => n > 10_000)); done = committed()) {
      if (Date.now() > deadline) throw new Error(`the runs never got going: ${JSON.stringify(done)}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    child.kill('SIGKILL'); // no handler runs: the process and its workers vanish mid-write
    expect(await exited).toBe('SIGKILL');

    // The next process to open the database finds the runs' owner gone and marks them interrupted.
    const list = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: { id: number; status: string; episodesDone: number }[] };
    expect(list.runs.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);
    const d = new Database(db, { readonly: true });
    try {
      expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const run of list.runs) {
        expect(run.episodesDone).toBeGreaterThan(10_000);
        // Metrics and progress are committed together: every series ends where the run says it did.
        const ends = d.prepare(`SELECT name, first_episode AS first, next_episode AS next FROM metric_series WHERE run_id = ? ORDER BY name`).all(run.id);
        expect(ends).toEqual(['length', 'return', 'train/epsilon'].map((name) => ({ name, first: 0, next: run.episodesDone })));
      }
    } finally {
      d.close();
    }
    // And every stored episode reads back: a 100-step seed-toy episode is 100 long and returns 0..100.
    const show = aisle(['show', String(list.runs[0]!.id), '--json'], { db });
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout) as { status: string };
    expect(shown.status).toBe('interrupted');
    const store = Store.open(db);
    try {
      for (const run of list.runs) {
        const lengths = store.readMetricRaw(run.id, 'length');
        const returns = store.readMetricRaw(run.id, 'return');
        expect(lengths.length).toBe(run.episodesDone);
        expect(lengths.every((v) => v === 100)).toBe(true);
        expect(returns.every((v) => Number.isInteger(v) && v >= 0 && v <= 100)).toBe(true);
      }
      // `show` summarises an interrupted run from its stored episodes: the mean of all, the last 100.
      const first = list.runs[0]!;
      const text = aisle(['show', String(first.id)], { db }).stdout;
      // Counts grouped as the app writes them: 16,384, not 16384.
      expect(text).toContain(`episodes ${first.episodesDone.toLocaleString('en-US')}/`);
      expect(text).toContain(`from the ${first.episodesDone.toLocaleString('en-US')} stored episodes (the run did not finish):`);
      const returns = store.readMetricRaw(first.id, 'return');
      const tail = returns.subarray(returns.length - 100);
      const row = text.split('\n').find((l) => l.startsWith('return '))!.trim().split(/\s+/);
      expect(Number(row[1])).toBeCloseTo(returns.reduce((a, b) => a + b, 0) / returns.length, 3);
      expect(Number(row[2])).toBeCloseTo(tail.reduce((a, b) => a + b, 0) / 100, 3);
      expect(text.split('\n').find((l) => l.startsWith('length '))!.trim().split(/\s+/).slice(1)).toEqual(['100', '100']);
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('Ctrl-C', () => {
  it('cancels the runs cleanly and exits 130', async () => {
    const { db, file } = longExperiment();
    const child = aisleSpawn(['run', file], { db });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupted once some episodes are stored (a fixed delay is too short on a loaded machine).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const listed = aisle(['runs', '--json'], { db });
      if (listed.code === 0 && (JSON.parse(listed.stdout) as { runs: { episodesDone: number }[] }).runs.some((r) => r.episodesDone > 0)) break;
      if (Date.now() > deadline) throw new Error(`no episodes were stored:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelling/);
    const list = JSON.parse(aisle(['runs', '--json'], { db }).stdout) as { runs: { status: string; episodesDone: number }[] };
    expect(list.runs.map((r) => r.status).sort()).toEqual(['cancelled', 'cancelled']);
    expect(list.runs.some((r) => r.episodesDone > 0)).toBe(true);
  });
});
