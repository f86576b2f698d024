// `aisle ope` end to end: logs written here from a shop whose click probabilities are known (the
// real Open Bandit sample never enters the repository), the estimates checked against a
// computation written out in this test and against what the target policy really got, every
// kind of target, the refusals (exit 2, the option named), and the real sample when it is present.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heldOutMask } from '../../src/engine/ope/data';
import { Rng } from '../../src/engine/rng';
import { aisle as aisleWith, CLI, ROOT, unwrapped } from '../helpers/cli';
import { sharedData } from '../helpers/shared-data';

// One folder for the whole file (the logs are written once); `aisle ope` never opens a database,
// and the last test checks that the one named here was never created.
const dir = mkdtempSync(join(tmpdir(), 'aisle-ope-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DB = join(dir, 'never.db');
const aisle = (args: string[]) => aisleWith(args, { db: DB });

const ITEMS = 4;
const POSITIONS = 2;
/** P(click | position, item): item 2 is best at both positions, position 1 clicks more. */
const THETA = [
  [0.05, 0.1, 0.3, 0.15],
  [0.03, 0.06, 0.2, 0.1],
];
/** The "greedy" logging policy: item 2 with probability 0.7, each other 0.1. */
const GREEDY = [0.1, 0.1, 0.7, 0.1];

interface Row {
  policy: string;
  position: number;
  item: number;
  click: number;
  pscore: number;
}

/** Logs whose rewards are near a double's largest: their sums overflow. */
function hugeRewards(folder: string): string {
  const path = join(folder, 'huge.csv');
  writeFileSync(path, `item,click,pscore\n${Array.from({ length: 6 }, (_, i) => `${i % 2},${i % 3 ? 1.7e308 : 0},0.5`).join('\n')}\n`);
  return path;
}

function simulate(n: number, seed: number): Row[] {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  for (const policy of ['uniform', 'greedy']) {
    for (let i = 0; i < n; i++) {
      const position = 1 + rng.int(POSITIONS);
      let item: number;
      let pscore: number;
      if (policy === 'uniform') {
        item = rng.int(ITEMS);
        pscore = 1 / ITEMS;
      } else {
        let u = rng.next();
        item = 0;
        while (item < ITEMS - 1 && u >= GREEDY[item]!) u -= GREEDY[item++]!;
        pscore = GREEDY[item]!;
      }
      rows.push({ policy, position, item, click: rng.next() < THETA[position - 1]![item]! ? 1 : 0, pscore });
    }
  }
  return rows;
}

function writeLogs(dir: string, rows: readonly Row[], name = 'logs.csv'): string {
  const file = join(dir, name);
  writeFileSync(file, `policy,position,item,click,pscore\n${rows.map((r) => `${r.policy},${r.position},${r.item},${r.click},${r.pscore}`).join('\n')}\n`);
  return file;
}

interface Interval {
  point: number;
  lo: number;
  hi: number;
}
interface Report {
  logs: { rowsRead: number; rowsKept: number; actions: number; contexts: number; columns: { action: string; context: string | null } };
  logged: Interval;
  targets: {
    spec: string;
    name: string;
    estimates: Record<'ips' | 'snips' | 'dm' | 'dr', Interval>;
    diagnostics: { meanWeight: number; effectiveSampleSize: number; unsupportedMass: number };
    warnings: string[];
    truth?: Interval & { rows: number };
  }[];
}

function contextFreePolicy(dir: string, values: number[], actions = values.map((_, i) => String(i)), name = 'policy.json'): string {
  const greedy = values.indexOf(Math.max(...values));
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'aisle.policy/v1',
      kind: 'context-free',
      env: { id: 'shop', params: {}, hash: 'x' },
      actions,
      values,
      greedy,
      provenance: { runId: 1, agent: 'thompson', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-11-29T00:00:00Z' },
    }),
  );
  return file;
}

describe('aisle ope', () => {
  const rows = simulate(6000, 11);
  const logs = writeLogs(dir, rows);

  it("estimates another logged policy's value from the uniform policy's logs, as computed here, and covers what it really got", () => {
    const r = aisle(['ope', logs, '--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--json', '--resamples', '400']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.logs).toMatchObject({ rowsRead: 12000, rowsKept: 6000, actions: ITEMS, contexts: POSITIONS, columns: { action: 'item', context: 'position' } });
    const [t] = report.targets;
    // IPS written out: the target is the greedy rows' item frequencies per position.
    const uniform = rows.filter((x) => x.policy === 'uniform');
    const greedy = rows.filter((x) => x.policy === 'greedy');
    const freq = (pos: number, item: number) => greedy.filter((x) => x.position === pos && x.item === item).length / greedy.filter((x) => x.position === pos).length;
    const ips = uniform.reduce((s, x) => s + (freq(x.position, x.item) / x.pscore) * x.click, 0) / uniform.length;
    expect(t!.estimates.ips.point).toBeCloseTo(ips, 12);
    expect(report.logged.point).toBeCloseTo(uniform.reduce((s, x) => s + x.click, 0) / uniform.length, 12);
    // The truth: the greedy rows' own click rate, which every estimator's interval covers.
    const truth = greedy.reduce((s, x) => s + x.click, 0) / greedy.length;
    expect(t!.truth!.point).toBeCloseTo(truth, 12);
    expect(t!.truth!.rows).toBe(6000);
    for (const k of ['ips', 'snips', 'dm', 'dr'] as const) {
      expect(t!.estimates[k].lo).toBeLessThanOrEqual(truth);
      expect(t!.estimates[k].hi).toBeGreaterThanOrEqual(truth);
    }
    // The greedy policy is better than uniform, and the estimates say so.
    expect(t!.estimates.dr.lo).toBeGreaterThan(report.logged.point);
    expect(t!.diagnostics.unsupportedMass).toBe(0);
    expect(t!.warnings).toEqual([]);
  });

  it("takes a logs: target's rows without propensities (a deterministic policy logs none), as it takes them with; the rows evaluated still need theirs", () => {
    // The greedy rows' pscore emptied: they are only the target's source, never weighted.
    const file = join(dir, 'no-greedy-pscore.csv');
    writeFileSync(file, `policy,position,item,click,pscore\n${rows.map((r) => `${r.policy},${r.position},${r.item},${r.click},${r.policy === 'greedy' ? '' : r.pscore}`).join('\n')}\n`);
    const args = ['--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--json', '--resamples', '100'];
    const r = aisle(['ope', file, ...args]);
    expect(r.code, r.stderr).toBe(0);
    const [t] = (JSON.parse(r.stdout) as Report).targets;
    const [withThem] = (JSON.parse(aisle(['ope', logs, ...args]).stdout) as Report).targets;
    // The same frequencies, so the same estimates; the same truth (its point exactly: the interval groups rows by their weights).
    expect(t!.estimates).toEqual(withThem!.estimates);
    expect(t!.truth!.rows).toBe(6000);
    expect(t!.truth!.point).toBe(withThem!.truth!.point);
    // Evaluating those rows is refused, naming their lines and the column; an evaluated row without one as well.
    const greedy = aisle(['ope', file, '--where', 'policy=greedy', '--target', 'uniform']);
    expect(greedy.code).toBe(2);
    const firstGreedy = rows.findIndex((x) => x.policy === 'greedy') + 2;
    expect(greedy.stderr).toBe(
      `aisle: ${file}:${firstGreedy}–${firstGreedy + 9}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got "", ` +
        'on each of the first 10 rows checked, so reading stopped: is "pscore" the propensity column? If not, name the propensity column with --propensity-column\n',
    );
    const lines = `policy,position,item,click,pscore\n${rows.map((x) => `${x.policy},${x.position},${x.item},${x.click},${x.policy === 'greedy' || x === rows[4] ? '' : x.pscore}`).join('\n')}\n`;
    const oneMissing = join(dir, 'one-uniform-pscore-missing.csv');
    writeFileSync(oneMissing, lines);
    const missing = aisle(['ope', oneMissing, ...args]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`aisle: ${oneMissing}:6: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got ""\n`);
  });

  it('with --holdout or --holdout-last evaluates only the rows held out, so only they need a propensity: the same rows and estimates', () => {
    const uniform = rows.filter((x) => x.policy === 'uniform');
    for (const [option, value] of [['--holdout', '3'], ['--holdout-last', '30']] as const) {
      // The rows held out are those the engine's split sets aside among the uniform rows (the rows --where keeps).
      const held = heldOutMask(uniform.length, option === '--holdout' ? { holdout: 3 } : { holdoutLast: 30 });
      const heldRow = new Set(uniform.filter((_, j) => held[j] === 1));
      const fitRow = (x: Row) => x.policy === 'uniform' && !heldRow.has(x);
      const file = join(dir, `no-fit-pscore${option}.csv`);
      writeFileSync(file, `policy,position,item,click,pscore\n${rows.map((x) => `${x.policy},${x.position},${x.item},${x.click},${fitRow(x) ? '' : x.pscore}`).join('\n')}\n`);
      const args = ['--where', 'policy=uniform', option, value, '--target', 'logs:policy=greedy', '--json', '--resamples', '100'];
      const r = aisle(['ope', file, ...args]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report & { logs: { rowsEvaluated: number } };
      const before = JSON.parse(aisle(['ope', logs, ...args]).stdout) as Report & { logs: { rowsEvaluated: number } };
      expect(report.logs.rowsEvaluated).toBe(heldRow.size);
      expect({ ...report.logs, file: undefined }).toEqual({ ...before.logs, file: undefined }); // all but the file: the same rows kept and evaluated
      expect(report.targets[0]!.estimates).toEqual(before.targets[0]!.estimates);
      // A row held out without one is still refused, by its line and column.
      const first = [...heldRow][0]!;
      const oneMissing = join(dir, `held-pscore-missing${option}.csv`);
      writeFileSync(oneMissing, `policy,position,item,click,pscore\n${rows.map((x) => `${x.policy},${x.position},${x.item},${x.click},${fitRow(x) || x === first ? '' : x.pscore}`).join('\n')}\n`);
      const missing = aisle(['ope', oneMissing, ...args]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(`aisle: ${oneMissing}:${rows.indexOf(first) + 2}: column "pscore": must be a decimal number in (0, 1], the logging policy's probability of showing this action, got ""\n`);
    }
  });

  it("says when the target's rows lack contexts the rows evaluated have: there its choices are a guess, and its truth is not of that traffic", () => {
    const r = aisle(['ope', logs, '--where', 'policy=uniform', '--target', 'logs:policy=greedy,position=1', '--json', '--resamples', '50']);
    expect(r.code, r.stderr).toBe(0);
    const [t] = (JSON.parse(r.stdout) as Report).targets;
    const share = (100 * rows.filter((x) => x.policy === 'uniform' && x.position === 2).length) / 6000;
    expect(t!.warnings).toContain(
      `the target's rows (policy=greedy, position=1) never show context "2", which ${share.toFixed(1)} % of the rows evaluated have: there it is taken to choose as over all its rows, a guess, ` +
        'and what it really got is measured on its own contexts only, so the estimates and that truth cover different traffic: evaluate on the contexts its rows show (--where)',
    );
    // Evaluated on the contexts its rows show: nothing to say.
    const kept = aisle(['ope', logs, '--where', 'policy=uniform,position=1', '--target', 'logs:policy=greedy,position=1', '--json', '--resamples', '50']);
    expect(kept.code, kept.stderr).toBe(0);
    expect((JSON.parse(kept.stdout) as Report).targets[0]!.warnings.filter((w) => w.includes('never show'))).toEqual([]);
  });

  it('prints a table per target, with whether each interval covers the truth', () => {
    const r = aisle(['ope', logs, '--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--target', 'uniform', '--resamples', '100']);
    expect(r.code, r.stderr).toBe(0);
    // Sentences wrap at the output's width (100 off a terminal), words whole.
    expect(r.stdout).toMatch(/6,000\s+rows\s+with\s+policy=uniform\s+of\s+12,000;\s+4\s+actions\s+\(column\s+"item"\),\s+2\s+contexts\s+\(column\s+"position"\)/);
    expect(Math.max(...r.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(r.stdout).toMatch(/what it really got, on its own 6,000 rows: /);
    expect(r.stdout).toMatch(/IPS +[\d.]+ +[\d.]+ +[\d.]+ +yes/);
    // Every figure of a target's table, and a mean and its interval, with one number of decimals (0.0100, not 0.01 above 0.0119).
    const tables = r.stdout.split('target: ').slice(1).map((part) => [...part.matchAll(/^ +(?:IPS|SNIPS|DM|DR) +([\d.]+) +([\d.]+) +([\d.]+)/gm)].flatMap((m) => m.slice(1)));
    expect(tables.map((figures) => figures.length)).toEqual([12, 12]);
    for (const figures of tables) expect(new Set(figures.map((f) => f.split('.')[1]?.length ?? 0)).size).toBe(1);
    const means = [...r.stdout.matchAll(/: (?:mean click )?([\d.]+) \(95% CI ([\d.]+) … ([\d.]+)\)/g)].map((m) => m.slice(1));
    expect(means).toHaveLength(2);
    for (const figures of means) expect(new Set(figures.map((f) => f.split('.')[1]?.length ?? 0)).size).toBe(1);
    expect(r.stdout).toMatch(/target: uniform over 4 actions/);
  });

  it('says neither yes nor no for an estimate without an interval: SNIPS where no row has weight', () => {
    // The rows of item 0 evaluate the policy of the rows of item 1: no row has weight, SNIPS is undefined.
    const r = aisle(['ope', logs, '--where', 'policy=uniform,item=0', '--target', 'logs:policy=greedy,item=1', '--resamples', '50']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ +IPS +0\.0+ +0\.0+ +0\.0+ +no$/m);
    expect(r.stdout).toMatch(/^ +SNIPS +– +– +– +–$/m);
    expect(r.stdout).toMatch(/^ +DR +[\d.]+ +[\d.]+ +[\d.]+ +(yes|no)$/m);
  });

  it("--json gives the resamples SNIPS's interval rests on, per target, where the warning said it alone", () => {
    // One row of 100 shows x: about 37 % of the resamples miss it and have no SNIPS.
    const file = join(dir, 'one-x.csv');
    writeFileSync(file, `action,reward,propensity\n${Array.from({ length: 100 }, (_, i) => `${i === 0 ? 'x' : 'y'},${i % 3 === 0 ? 1 : 0},0.5`).join('\n')}\n`);
    const r = aisle(['ope', file, '--target', 'action:x', '--target', 'uniform', '--json', '--resamples', '1000']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report & { resamples: number; targets: { snipsResamples: number }[] };
    expect(report.resamples).toBe(1000);
    const [x, uniform] = report.targets;
    const said = x!.warnings.map((w) => /^SNIPS's interval rests on ([\d,]+) of the 1,000 resamples/.exec(w)).find((m) => m !== null);
    expect(said, x!.warnings.join('\n')).toBeDefined();
    expect(x!.snipsResamples).toBe(Number(said![1]!.replace(/,/g, '')));
    expect(x!.snipsResamples).toBeLessThan(1000);
    expect(uniform!.snipsResamples).toBe(1000);
  });

  it('reads logs from a pipe (/dev/stdin) as from the file, a logs: target included, where reading them again found the pipe empty', () => {
    // A shell's pipe (a FIFO), as `zcat logs.csv.gz | aisle ope /dev/stdin …` makes.
    const args = ['--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--target', 'uniform', '--json', '--resamples', '50'];
    const piped = spawnSync('sh', ['-c', 'f="$1" node="$2" cli="$3" db="$4"; shift 4; cat "$f" | "$node" "$cli" --db "$db" ope /dev/stdin "$@"', 'sh', logs, process.execPath, CLI, DB, ...args], { encoding: 'utf8' });
    expect(piped.status, piped.stderr).toBe(0);
    const fromFile = JSON.parse(aisle(['ope', logs, ...args]).stdout) as Report;
    const fromPipe = JSON.parse(piped.stdout) as Report;
    expect(fromPipe.targets).toEqual(fromFile.targets);
    expect(fromPipe.targets[0]!.truth!.rows).toBe(6000);
  });

  it('fits its sentences to a narrow terminal, the target headings too', () => {
    const r = aisleWith(['ope', logs, '--where', 'policy=uniform', '--target', 'logs:policy=greedy', '--resamples', '50'], { db: DB, env: { COLUMNS: '60' } });
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(r.stdout).toContain('target: the policy of the rows with policy=greedy (its\n        action frequencies per context)');
  });

  it('evaluates the other way round with a warning: the greedy logs rarely show what uniform shows', () => {
    // A policy over these items and one more, which it always shows.
    const beyond = contextFreePolicy(dir, [0.1, 0.2, 0.9], ['0', '1', 'hats']);
    const r = aisle(['ope', logs, '--where', 'policy=greedy', '--target', 'uniform', '--target', beyond, '--json', '--resamples', '100']);
    expect(r.code, r.stderr).toBe(0);
    const [uniform, never] = (JSON.parse(r.stdout) as Report).targets;
    expect(uniform!.diagnostics.meanWeight).toBeGreaterThan(0.9);
    expect(uniform!.diagnostics.effectiveSampleSize).toBeLessThan(6000 * 0.6);
    // An item the logs never show: everything the target does is unseen, and it says so. (An action target
    // the logs never show, or a policy none of whose actions they show, is refused: see below.)
    expect(never!.diagnostics.unsupportedMass).toBe(1);
    expect(never!.warnings.join('\n')).toMatch(/100 % of its choices on actions these logs never show/);
    expect(never!.warnings.join('\n')).toMatch(/no logged row is an action the target takes/);
  });

  it('evaluates a context-free policy file: its best item everywhere, or its k-th best at position k', () => {
    const policy = contextFreePolicy(dir, [0.1, 0.05, 0.4, 0.2]);
    const best = JSON.parse(aisle(['ope', logs, '--where', 'policy=uniform', '--target', policy, '--json', '--resamples', '50']).stdout) as Report;
    const ranked = JSON.parse(aisle(['ope', logs, '--where', 'policy=uniform', '--target', policy, '--positions', '--json', '--resamples', '50']).stdout) as Report;
    // IPS of "item 2 everywhere" is 4 × the clicks on item 2 per uniform row; ranked puts item 3 at position 2.
    const uniform = rows.filter((x) => x.policy === 'uniform');
    const ips = (choose: (pos: number) => number) => uniform.reduce((s, x) => s + (x.item === choose(x.position) ? x.click * ITEMS : 0), 0) / uniform.length;
    expect(best.targets[0]!.estimates.ips.point).toBeCloseTo(ips(() => 2), 12);
    expect(ranked.targets[0]!.estimates.ips.point).toBeCloseTo(ips((pos) => (pos === 1 ? 2 : 3)), 12);
    expect(ranked.targets[0]!.name).toMatch(/k-th best action at position k/);
  });

  it("reads a policy file past the 256 MB other JSON files are read to, as aisle eval does (a network within the format's limits exports to ~400 MB)", () => {
    // It said '--target …/big.json: file is 257 MB, above the 256 MB limit: give a smaller file'. A
    // small policy stands in for such a network, its file padded past the limit with whitespace.
    const big = contextFreePolicy(dir, [0.1, 0.05, 0.4, 0.2], undefined, 'big.json');
    const blanks = ' '.repeat(16 * 1024 * 1024);
    for (let i = 0; i < 16; i++) appendFileSync(big, blanks);
    appendFileSync(big, '\n');
    const r = aisle(['ope', logs, '--where', 'policy=uniform', '--target', big, '--json', '--resamples', '10']);
    rmSync(big);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const small = JSON.parse(aisle(['ope', logs, '--where', 'policy=uniform', '--target', contextFreePolicy(dir, [0.1, 0.05, 0.4, 0.2], undefined, 'small.json'), '--json', '--resamples', '10']).stdout) as Report;
    expect((JSON.parse(r.stdout) as Report).targets[0]!.estimates).toEqual(small.targets[0]!.estimates);
  });

  it('refuses what it cannot evaluate: exit 2, one line naming the option', () => {
    const cases: [string[], RegExp][] = [
      [['ope', logs], /--target: give at least one policy/],
      [['ope', logs, '--target', 'uniform', '--where', 'policy'], /--where: "policy" is not column=value/],
      [['ope', logs, '--target', 'uniform', '--where', 'policy=a', '--where', 'policy=b'], /column "policy" is given twice/],
      [['ope', logs, '--target', 'uniform', '--action-column', 'arm'], /has no column "arm" .*--action-column/],
      [['ope', logs, '--target', 'uniform', '--where', 'policy=nobody'], /no row has policy=nobody/],
      // A near miss of a keyword is not looked up as a file: it says which was meant.
      [['ope', logs, '--target', 'unifrom'], /^aisle: --target unifrom: no such policy file, and not a target keyword: did you mean uniform\?/],
      [['ope', logs, '--target', 'action=item2'], /did you mean action:item2\?/],
      [['ope', logs, '--target', 'missing-policy.json'], /^aisle: --target missing-policy\.json: file not found/],
      // JSON given as the logs: one line saying so, not a missing column per role.
      [['ope', join(ROOT, 'resources/experiments/quickstart.json'), '--target', 'uniform'], /^aisle: .*quickstart\.json:1: this is not a CSV file: it starts with "\{", as JSON does/],
      [['ope', logs, '--target', 'logs:policy=nobody'], /no row has policy=nobody/],
      // Named as the other --target refusals name it: it read '--target logs:: "policy" is not column=value'.
      [['ope', logs, '--target', 'logs:policy'], /^aisle: --target logs:policy: "policy" is not column=value \(e\.g\. policy=random\)$/m],
      [['ope', logs, '--target', 'logs:policy=a,policy=b'], /^aisle: --target logs:policy=a,policy=b: column "policy" is given twice \(a and b\)/],
      [['ope', logs, '--target', 'action:'], /action: needs the action label/],
      // A label or policy the logs never show would be estimated at a confident 0: a typo, most likely.
      [['ope', logs, '--target', 'action:9'], /target action:9: "9" never appears in the logs' actions \(0, 1, 2, 3\): give one of them/],
      [['ope', logs, '--target', contextFreePolicy(dir, [0.1, 0.2], ['hats', 'shoes'], 'elsewhere.json')], /elsewhere\.json: none of the policy's actions \(hats, shoes\) appears in the logs' actions \(0, 1, 2, 3\)/],
      [['ope', logs, '--target', join(dir, 'missing.json')], /missing\.json/],
      [['ope', logs, '--target', contextFreePolicy(dir, [0.1, 0.2]), '--positions', '--context-column', 'policy'], /positions: context "greedy" is not a position/],
      // Without a context there is no column of positions: said so, not 'context "" … the context column must hold slate positions'.
      [['ope', logs, '--target', contextFreePolicy(dir, [0.1, 0.2]), '--positions', '--context-column', 'none'], /^aisle: positions: the logs were read without a context, and the contexts must be the slate positions 1, 2, …: read them with the column that holds the positions as the context \(--context-column/],
      [['ope', logs, '--target', 'uniform', '--resamples', '5'], /--resamples must be a whole number from 10/],
      [['ope', join(dir, 'nothing.csv'), '--target', 'uniform'], /nothing\.csv/],
      // Rewards whose sums pass a double's range: every estimate would have read ∞.
      [['ope', hugeRewards(dir), '--target', 'uniform'], /^aisle: logs\.reward: the estimates pass a double's range \(~1\.8e308\) and would read ∞: the largest reward is 1\.70e\+308 .*rescale the reward column/],
    ];
    for (const [args, message] of cases) {
      const r = aisle(args);
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('refuses a policy whose states are not the logs\' contexts, and an mlp policy', () => {
    const tabular = join(dir, 'tabular.json');
    writeFileSync(
      tabular,
      JSON.stringify({
        format: 'aisle.policy/v1',
        kind: 'tabular',
        env: { id: 'tabular-mdp', params: {}, hash: 'x' },
        states: ['s0', 's1'],
        actions: ['0', '1', '2', '3'],
        q: [
          [0, 0, 1, 0],
          [0, 1, 0, 0],
        ],
        greedy: [2, 1],
        provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-11-29T00:00:00Z' },
      }),
    );
    const r = aisle(['ope', logs, '--target', tabular]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the logs' contexts "1", "2" are not states of the policy \(its states: s0, s1\)/);
    // Read without a context, the logs' one context "" was named as if they had it: 'the logs' contexts "" are not states …'.
    const none = aisle(['ope', logs, '--context-column', 'none', '--target', tabular]);
    expect(none.code).toBe(2);
    expect(unwrapped(none.stderr)).toContain(
      `${tabular}: the logs were read without a context, and the policy acts per state (its states: s0, s1): read them with the column that holds its states as the context (--context-column; on the Off-policy screen, context)\n`,
    );
    // With the states as contexts (a context column holding s0/s1), it serves the greedy action per state.
    const states = join(dir, 'states.csv');
    writeFileSync(states, `state,item,click,pscore\n${rows.filter((x) => x.policy === 'uniform').map((x) => `s${x.position - 1},${x.item},${x.click},${x.pscore}`).join('\n')}\n`);
    const ok = aisle(['ope', states, '--context-column', 'state', '--target', tabular, '--json', '--resamples', '20']);
    expect(ok.code, ok.stderr).toBe(0);
    const uniform = rows.filter((x) => x.policy === 'uniform');
    const ips = uniform.reduce((s, x) => s + (x.item === (x.position === 1 ? 2 : 1) ? x.click * ITEMS : 0), 0) / uniform.length;
    expect((JSON.parse(ok.stdout) as Report).targets[0]!.estimates.ips.point).toBeCloseTo(ips, 12);
    const mlp = join(dir, 'mlp.json');
    writeFileSync(
      mlp,
      JSON.stringify({
        format: 'aisle.policy/v1',
        kind: 'mlp',
        env: { id: 'shop', params: {}, hash: 'x' },
        actions: ['0', '1', '2', '3'],
        network: { layers: [{ in: 2, out: 4, activation: 'linear' }], weights: Array.from({ length: 12 }, (_, i) => i / 10), encoding: { kind: 'vector', size: 2 }, output: 'q' },
        provenance: { runId: 1, agent: 'dqn', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-11-29T00:00:00Z' },
      }),
    );
    const refused = aisle(['ope', logs, '--target', mlp]);
    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stderr).toMatch(/an mlp policy acts on feature vectors, which these logs do not carry/);
  });

  it('opened no database', () => {
    expect(existsSync(DB)).toBe(false);
  });
});

const REAL = sharedData('open-bandit/obd_events.csv');

describe('aisle ope on the Open Bandit sample', () => {
  it.skipIf(!existsSync(REAL))(`estimates Bernoulli Thompson sampling from the random policy's logs and covers its real click rate, per campaign (${REAL}; skipped when it is absent)`, () => {
    for (const campaign of ['men', 'women']) {
      const r = aisle(['ope', REAL, '--where', `policy=random,campaign=${campaign}`, '--target', `logs:policy=bts,campaign=${campaign}`, '--json', '--resamples', '500']);
      expect(r.code, r.stderr).toBe(0);
      const t = (JSON.parse(r.stdout) as Report).targets[0]!;
      for (const k of ['ips', 'snips', 'dr'] as const) {
        expect(t.estimates[k].lo, `${campaign} ${k}`).toBeLessThanOrEqual(t.truth!.point);
        expect(t.estimates[k].hi, `${campaign} ${k}`).toBeGreaterThanOrEqual(t.truth!.point);
      }
      expect(t.diagnostics.meanWeight).toBeGreaterThan(0.9);
      expect(t.diagnostics.meanWeight).toBeLessThan(1.1);
    }
    // The other way round, BTS's near-deterministic logs say little about the uniform policy: the warning names it.
    const back = aisle(['ope', REAL, '--where', 'policy=bts,campaign=women', '--target', 'uniform', '--json', '--resamples', '100']);
    expect(back.code, back.stderr).toBe(0);
    expect((JSON.parse(back.stdout) as Report).targets[0]!.warnings.join('\n')).toMatch(/effective sample size is [\d.]+ of 10,000 rows/);
  });
});
