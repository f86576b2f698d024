// Bad input to the commands that read files: each refusal is one line that says which file (of
// several, which one) and what is wrong in it, exit 2.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectLogsText } from '../../src/main/logs-task';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** One line on stderr, exit 2. */
function expectRefused(r: { code: number; stderr: string }, message: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toBe(`aisle: ${message}\n`);
}

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('a policy or MDP file with a problem in it', () => {
  let dir: string;
  let db: string;
  let good: string;
  let corrupt: string;
  let logs: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aisle-bad-policy-')); // shared by the tests below
    db = join(dir, 'a.db');
    const experiment = write(dir, 'toy.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', states: 2, actions: 2, stepsPerEpisode: 3 }, agent: { id: 'q-learning' }, episodes: 2 }));
    expect(aisle(['run', experiment], { db }).code).toBe(0);
    good = join(dir, 'good.json');
    expect(aisle(['export', '1', '-o', good], { db }).code).toBe(0);
    const policy = JSON.parse(readFileSync(good, 'utf8')) as { q: unknown[][] };
    policy.q[1]![0] = 'abc';
    corrupt = write(dir, 'corrupt.json', JSON.stringify(policy));
    logs = write(dir, 'logs.csv', 'action,reward,propensity\n0,1,0.5\n1,0,0.5\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('eval names the policy file before the field', () => {
    expectRefused(aisle(['eval', corrupt], { db }), `${corrupt}: policy.q[1][0]: must be a finite number, got "abc"`);
  });

  it('ope says which of its --target files the problem is in', () => {
    expectRefused(aisle(['ope', logs, '--target', good, '--target', corrupt], { db }), `--target ${corrupt}: policy.q[1][0]: must be a finite number, got "abc"`);
  });

  it('an experiment or an MDP given as a policy is named as what it is', () => {
    const experiment = join(ROOT, 'resources/experiments/quickstart.json');
    expectRefused(aisle(['eval', experiment], { db }), `${experiment}: policy.format: this is an experiment ("aisle.experiment/v1"), not a policy: give a policy file ("aisle.policy/v1") here`);
    const mdp = join(ROOT, 'resources/experiments/cliff.mdp.json');
    expectRefused(aisle(['ope', logs, '--target', mdp], { db }), `--target ${mdp}: policy.format: this is an MDP ("aisle.mdp/v1"), not a policy: give a policy file ("aisle.policy/v1") here`);
  });

  it('solve given an experiment names the MDP file the experiment names, as a path from where it runs', () => {
    const experiment = join(ROOT, 'resources/experiments/quickstart.json');
    expectRefused(
      aisle(['solve', experiment], { db, cwd: join(ROOT, 'resources') }),
      `${experiment}: mdp.format: this is an experiment ("aisle.experiment/v1"), not an MDP: solve the MDP file its env.mdp names, \`aisle solve experiments/cliff.mdp.json\``,
    );
    // An experiment holding its MDP inline has no file to name: refused as before.
    const inline = write(dir, 'inline.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'inline', env: { id: 'tabular-mdp', mdp: JSON.parse(readFileSync(join(ROOT, 'resources/experiments/cliff.mdp.json'), 'utf8')) }, agent: { id: 'q-learning' }, episodes: 5 }));
    expectRefused(aisle(['solve', inline], { db }), `${inline}: mdp.format: this is an experiment ("aisle.experiment/v1"), not an MDP: give an MDP file ("aisle.mdp/v1") here`);
  });

  it('solve names the MDP file before the field', () => {
    const mdp = write(dir, 'bad.mdp.json', JSON.stringify({ format: 'aisle.mdp/v1', name: 'bad', states: 2, actions: ['a'], start: { 0: 1 }, terminal: [1], transitions: [[0, 0, 1.2, 1, 0]] }));
    expectRefused(aisle(['solve', mdp], { db }), `${mdp}: mdp.transitions[0][2]: probability must be a number in (0, 1], got 1.2`);
  });
});

describe('a CSV header line that does not split into columns', () => {
  // Read as a header of no columns, such a line was reported as every needed column missing
  // ("has no column \"action\" … (its columns: )"), three lines that named nothing in the file.
  const NOT_CSV = 'this is not a CSV file: it starts with "{", as JSON does: give a CSV file with a header row (column names separated by commas)';
  const OPEN_QUOTE = 'the header has a quote left open at the end of the line: close the quote';

  it('JSON on one line, given to ope, logs mdp or shop calibrate, is called JSON', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const json = write(dir, 'exp.json', JSON.stringify({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 1 }));
    expectRefused(aisle(['ope', json, '--target', 'uniform'], { db }), `${json}:1: ${NOT_CSV}`);
    expectRefused(aisle(['logs', 'mdp', json], { db }), `${json}:1: ${NOT_CSV}`);
    expectRefused(aisle(['shop', 'calibrate', json], { db }), `${json}:1: ${NOT_CSV}`);
  });

  it('a quote left open in the header is named as such', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const logs = write(dir, 'logs.csv', 'action,"reward,propensity\n0,1,0.5\n');
    expectRefused(aisle(['ope', logs, '--target', 'uniform'], { db }), `${logs}:1: ${OPEN_QUOTE}`);
    const events = write(dir, 'events.csv', 'ts,customer,invoice,item,"qty,price\n1300000000,c1,1,A,1,1.00\n');
    expectRefused(aisle(['shop', 'calibrate', events], { db }), `${events}:1: ${OPEN_QUOTE}`);
  });

  it('the app\'s Off-policy import says the same', () => {
    expect(inspectLogsText('{"format":"aisle.experiment/v1","name":"x"}\n', 'exp.json')).toEqual({ ok: false, problems: [`exp.json:1: ${NOT_CSV}`] });
    expect(inspectLogsText('action,"reward,propensity\n0,1,0.5\n', 'logs.csv')).toEqual({ ok: false, problems: [`logs.csv:1: ${OPEN_QUOTE}`] });
  });
});

describe('shop calibrate on a file that is not comma-separated transactions', () => {
  // The missing-columns check came first and caught these too, as "the header lacks columns
  // \"ts\", \"customer\", …", which does not say what the file is nor how to fix it.
  it('calls pretty-printed JSON JSON, and a file separated by semicolons so', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const json = join(ROOT, 'resources/experiments/quickstart.json');
    expectRefused(aisle(['shop', 'calibrate', json], { db }), `${json}:1: this is not a CSV file: it starts with "{", as JSON does: give a CSV file with a header row (column names separated by commas)`);
    const semicolons = write(dir, 'events.csv', 'ts;customer;invoice;item;qty;price\n1300000000;c1;1;A;1;1.00\n');
    expectRefused(
      aisle(['shop', 'calibrate', semicolons], { db }),
      `${semicolons}:1: the header is one column, "ts;customer;invoice;item;qty;price": its fields look separated by semicolons, and Aisle reads comma-separated CSV: save the file with commas between the fields`,
    );
  });
});

describe('a command group without its command', () => {
  // commander prints the help on stderr there; it used to exit 0, so a script's `aisle shop` typo passed.
  it('prints the group\'s usage on stderr and exits 2; asking for help still exits 0 with it on stdout', () => {
    const db = join(tempDir(), 'never.db');
    for (const args of [[], ['shop'], ['logs']]) {
      const r = aisle(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Usage: aisle/);
    }
    const json = aisle(['--json', 'shop'], { db });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: ['a command is needed: the usage on stderr lists them'] } });
    for (const args of [['--help'], ['help'], ['help', 'shop'], ['shop', '--help']]) {
      const r = aisle(args, { db });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: aisle/);
    }
  });
});

describe('an empty JSON file', () => {
  it('is called empty, by every command that reads one, and nothing is stored', () => {
    const dir = tempDir();
    const db = join(dir, 'new.db');
    const empty = write(dir, 'empty.json', '');
    const message = `${empty}: the file is empty: expected JSON: check that it is the right file and that it was saved`;
    expectRefused(aisle(['run', empty], { db }), message);
    expectRefused(aisle(['eval', empty], { db }), message);
    expectRefused(aisle(['solve', empty], { db }), message);
    expectRefused(aisle(['shop', 'export-mdp', empty], { db }), message);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a CSV file saved as UTF-16', () => {
  // Read as UTF-8 its header was a NUL between every letter, and ope printed three lines of
  // "has no column … (its columns: \u0000a\u0000c…)"; calibrate said every column was missing.
  it('is named as UTF-16 by ope, logs mdp and shop calibrate', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const utf16 = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(`\ufeff${text}`, 'utf16le'));
      return file;
    };
    const logs = utf16('logs.csv', 'action,reward,propensity\n0,1,0.5\n1,0,0.5\n');
    const events = utf16('events.csv', 'ts,customer,invoice,item,qty,price\n1300000000,c1,1,A,1,1.00\n');
    const refusal = (file: string) => `${file}: is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)`;
    expectRefused(aisle(['ope', logs, '--target', 'uniform'], { db }), refusal(logs));
    expectRefused(aisle(['logs', 'mdp', logs], { db }), refusal(logs));
    expectRefused(aisle(['shop', 'calibrate', events], { db }), refusal(events));
  });

  it('a binary file is named by what it is, not told to be saved as UTF-8: a database, a results file, a gzip or zip archive', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const home = join(dir, 'home.db');
    expect(aisle(['run', join(ROOT, 'resources/experiments/bandit-ucb.json'), '--episodes', '10', '--seeds', '1'], { db: home }).code).toBe(0);
    const results = join(dir, 'x.aisle-results');
    expect(aisle(['results', 'export', '1', '-o', results], { db: home }).code).toBe(0);
    const sqlite = (file: string) => `${file}: is a SQLite database (an Aisle database or results file?), not a JSON or CSV file: import a results file with \`aisle results import\` or the app's Import results`;
    expectRefused(aisle(['eval', home], { db }), sqlite(home));
    expectRefused(aisle(['policies', 'import', results], { db: home }), sqlite(results));
    expectRefused(aisle(['run', results], { db }), sqlite(results));
    // The other way round: an Aisle JSON file given to `aisle results import` says where it goes.
    const policy = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', policy], { db: home }).code).toBe(0);
    expectRefused(aisle(['results', 'import', policy], { db: home }), `${policy}: is a policy file, not an Aisle results file: import it with \`aisle policies import\` (the app: Policies, Import…)`);
    const experiment = join(ROOT, 'resources/experiments/bandit-ucb.json');
    expectRefused(aisle(['results', 'import', experiment], { db: home }), `${experiment}: is an experiment file, not an Aisle results file: run it with \`aisle run\` (the app: New experiment, Import…)`);
    const gz = join(dir, 'logs.csv.gz');
    writeFileSync(gz, gzipSync('action,reward,propensity\n0,1,0.5\n'));
    expectRefused(aisle(['ope', gz, '--target', 'uniform'], { db }), `${gz}: is gzip-compressed: decompress it first (e.g. gunzip -k ${gz})`);
    const zip = join(dir, 'experiment.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]));
    expectRefused(aisle(['run', zip], { db }), `${zip}: is a zip archive: extract the file from it first`);
  });

  it('is named as UTF-16 for a JSON file too (an experiment saved by Windows PowerShell), not as Latin-1', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const experiment = join(dir, 'experiment.json');
    writeFileSync(experiment, Buffer.from(`\ufeff${readFileSync(join(ROOT, 'resources/experiments/bandit-ucb.json'), 'utf8')}`, 'utf16le'));
    expectRefused(aisle(['run', experiment], { db }), `${experiment}: is UTF-16 text, not UTF-8: save it as UTF-8 (e.g. iconv -f utf-16 -t utf-8)`);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a JSON file with a key given twice', () => {
  // A line copied to be edited and left in place: JSON.parse kept the last value, and the run
  // trained with an alpha the user did not see.
  it('is refused naming the key and both places, and nothing is stored', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const text = readFileSync(join(ROOT, 'resources/experiments/quickstart.json'), 'utf8').replace('"alpha": 0.5,', '"alpha": 0.5,\n    "alpha": 0.1,');
    const experiment = write(dir, 'twice.json', text.replace('"cliff.mdp.json"', JSON.stringify(join(ROOT, 'resources/experiments/cliff.mdp.json'))));
    const r = aisle(['run', experiment, '--episodes', '2'], { db });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^aisle: .*twice\.json: "alpha" is given twice in one object \(at line 6, column \d+ and line 7, column 5\): remove the one you did not mean \(JSON would silently keep the last\)\n$/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('a CSV file in Latin-1', () => {
  // Read leniently, "café" and "cafè" both became "caf\ufffd": one item, one context, silently.
  const refusal = (file: string, line: number) => `${file}: is not UTF-8 text (at line ${line}): save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)`;

  it('is refused by ope and shop calibrate, naming the line of the first byte that is not UTF-8', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const latin1 = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, Buffer.from(text, 'latin1'));
      return file;
    };
    const logs = latin1('logs.csv', 'context,action,reward,propensity\ncafé,0,1,0.5\ncafè,1,0,0.5\n');
    expectRefused(aisle(['ope', logs, '--target', 'uniform'], { db }), refusal(logs, 2));
    const events = latin1('events.csv', 'ts,customer,invoice,item,qty,price\n1300000000,c1,1,A,1,1.00\n1300000000,c1,1,crème,1,1.00\n');
    expectRefused(aisle(['shop', 'calibrate', events], { db }), refusal(events, 3));
  });

  it('is found past the first chunk read, and a character split between two chunks is no problem', () => {
    const dir = tempDir();
    const db = join(dir, 'never.db');
    const header = Buffer.from('context,action,reward,propensity\n');
    // Rows of 10 bytes up to byte 65,533, then a context whose two-byte é starts at byte 65,535:
    // split between the first 64 KiB chunk read and the next.
    const rows = Array.from({ length: 6550 }, (_, i) => Buffer.from(`a,${i % 2},${i % 2},0.5\n`));
    rows.push(Buffer.from('xx\u00e9,1,0,0.5\n'));
    for (let i = 0; i < 10_000; i++) rows.push(Buffer.from(`b,${i % 2},${i % 2},0.5\n`));
    const good = join(dir, 'good.csv');
    writeFileSync(good, Buffer.concat([header, ...rows]));
    expect(readFileSync(good).subarray(65_535, 65_537)).toEqual(Buffer.from('\u00e9'));
    expect(aisle(['ope', good, '--target', 'uniform'], { db }).code).toBe(0);
    rows[9000] = Buffer.from('caf\u00e9,1,0,0.5\n', 'latin1');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, Buffer.concat([header, ...rows]));
    expectRefused(aisle(['ope', bad, '--target', 'uniform'], { db }), refusal(bad, 9002));
  });
});

describe('a bad option value with --json', () => {
  // stdout's problem used to keep commander's preamble ("option '--limit <n>' argument '0' is invalid. …")
  // while stderr had the plain line: a script showing the JSON problem showed a different message.
  it('gives stdout\'s problem in the words stderr has', () => {
    const db = join(tempDir(), 'never.db');
    for (const [args, problem] of [
      [['runs', '--limit', '0', '--json'], '--limit must be a whole number from 1 to 1,000,000, got "0"'],
      [['show', 'abc', '--json'], 'runId must be a whole number from 1 up, got "abc"'],
    ] as const) {
      const r = aisle([...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout)).toEqual({ error: { exitCode: 2, problems: [problem] } });
      expect(r.stderr).toMatch(new RegExp(`^aisle: ${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    }
  });
});
