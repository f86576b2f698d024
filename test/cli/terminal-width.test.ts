// Output fitted to the terminal (100 characters off a terminal, or COLUMNS). `aisle run`'s
// summary: the shop's eleven metrics and the greedy policy's four columns made one table about 300
// characters wide; now the metric columns are split over stacked tables that each keep the run's
// columns, and a lone run's summary is turned on its side. `aisle show`: the shop's fifty
// parameters made one line of some 900 characters; now they wrap, as its sentences do. --json is untouched.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fittedTable, table, transposedTable } from '../../src/cli/context';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const shop = join(ROOT, 'resources/experiments/shop-fatigue.json');

/** The metrics the summary shows, sorted: the run's stored metrics but the training ones (train/epsilon). */
function shownMetrics(db: string, runId: number): string[] {
  const { metrics } = JSON.parse(aisle(['--json', 'show', String(runId)], { db }).stdout) as { metrics: string[] };
  return metrics.filter((m) => !m.startsWith('train/')).sort();
}
const GREEDY = ['greedy return (γ 0.95)', 'optimal (γ 0.95)', 'score', 'verdict'];

const HEADER = /^run {2}seed {2}status/;

describe('aisle run’s summary on a narrow terminal', () => {
  for (const columns of [undefined, 80, 120]) {
    it(`splits the shop's columns into tables no wider than ${columns ?? 100} characters, each naming the runs${columns ? ` (COLUMNS=${columns})` : ''}`, () => {
      const db = join(tempDir(), 'a.db');
      const r = aisle(['run', shop, '--episodes', '30', '--seeds', '3'], { db, env: columns ? { COLUMNS: String(columns) } : {} });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns ?? 100);
      const headers = lines.filter((l) => HEADER.test(l));
      expect(headers.length).toBeGreaterThan(1);
      // Every metric and the greedy policy's columns are in some table's header, once.
      const cells = headers.flatMap((h) => h.split(/ {2,}/).slice(4));
      expect(cells.slice(0, -4).sort()).toEqual(shownMetrics(db, 1));
      expect(cells.slice(-4)).toEqual(GREEDY);
      // Each table has all three runs' rows, starting with their number and seed.
      for (const seed of [0, 1, 2]) expect(lines.filter((l) => new RegExp(`^${seed + 1} +${seed} +completed +30 `).test(l))).toHaveLength(headers.length);
      expect(lines[0]).toBe('metrics: each run’s mean over its 30 episodes'); // fewer than 100: all of them
    });
  }

  it('writes each number column with one count of decimals, so that it reads down', () => {
    const db = join(tempDir(), 'a.db');
    const r = aisle(['run', shop, '--episodes', '40', '--seeds', '4'], { db, env: { COLUMNS: '400' } });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const header = lines.findIndex((l) => HEADER.test(l));
    const rows = lines.slice(header + 2, header + 6).map((l) => l.trim().split(/ +/));
    const names = lines[header]!.split(/ {2,}/);
    // The metric columns and the greedy policy's two returns: every cell of one has the same decimals.
    const numeric = names.map((_, i) => i).filter((i) => i >= 4 && i < names.length - 2);
    expect(numeric.length).toBeGreaterThan(8);
    const decimals = (cell: string) => (cell.includes('.') ? cell.length - cell.indexOf('.') - 1 : 0);
    for (const i of numeric) expect(new Set(rows.map((row) => decimals(row[i]!))).size, `${names[i]}: ${rows.map((row) => row[i]).join(' ')}`).toBe(1);
  });

  it('turns a lone run’s summary on its side: one line per metric', () => {
    const db = join(tempDir(), 'a.db');
    const r = aisle(['run', shop, '--episodes', '30', '--seeds', '1'], { db });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(lines.slice(0, 5).map((l) => l.split(/ {2,}/))).toEqual([['metrics: the run’s mean over its 30 episodes'], ['run', '1'], ['seed', '0'], ['status', 'completed'], ['episodes', '30']]);
    const names = lines.slice(5).map((l) => l.split(/ {2,}/)[0]);
    expect(names.slice(0, -4).sort()).toEqual(shownMetrics(db, 1));
    expect(names.slice(-4)).toEqual(GREEDY);
  });

  it('--json gives the whole report, whatever the width', () => {
    const db = join(tempDir(), 'a.db');
    const r = aisle(['run', shop, '--episodes', '30', '--seeds', '2', '--json'], { db, env: { COLUMNS: '40' } });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: { summary: Record<string, { last100: number }> }[] };
    expect(report.runs).toHaveLength(2);
    expect(Object.keys(report.runs[0]!.summary)).toContain('novelty');
  });
});

describe('aisle show on a narrow terminal', () => {
  it('wraps a shop run’s parameters to the width, every word kept whole', () => {
    const db = join(tempDir(), 'a.db');
    expect(aisle(['run', shop, '--episodes', '30', '--seeds', '1'], { db }).code).toBe(0);
    const show = (columns: number) => aisle(['show', '1'], { db, env: { COLUMNS: String(columns) } }).stdout.trimEnd().split('\n');
    const wide = show(100_000);
    const env = wide.find((l) => l.startsWith('env   '))!;
    expect(env.length).toBeGreaterThan(500);
    for (const columns of [100, 80, 60]) {
      const lines = show(columns);
      const start = lines.findIndex((l) => l.startsWith('env   '));
      const end = lines.findIndex((l) => l.startsWith('agent '));
      for (const line of lines.slice(start, end + 1)) expect(line.length, line).toBeLessThanOrEqual(columns);
      // Joined back, the wrapped lines say what the one long line said.
      expect(lines.slice(start + 1, end).every((l) => l.startsWith('      '))).toBe(true);
      expect(lines.slice(start, end).map((l, i) => (i === 0 ? l : l.trim())).join(' ')).toBe(env);
      // After the agent's parameters, the sentences (the verdict on the greedy policy) wrap too, every word kept.
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      const words = (text: readonly string[]) => text.join(' ').split(/\s+/).filter((w) => w !== '');
      expect(words(lines.slice(lines.indexOf('', end)))).toEqual(words(wide.slice(wide.indexOf('', wide.findIndex((l) => l.startsWith('agent '))))));
    }
  });
});

describe('fittedTable', () => {
  const header = ['run', 'seed', 'alpha', 'beta', 'gamma'];
  const rows = [
    ['1', '0', '1.5', '22.25', '-3'],
    ['2', '1', '10', '2', '-300'],
  ];
  it('is the plain table when it fits', () => {
    expect(fittedTable(header, rows, 2, 40)).toBe(table(header, rows));
    // 3 + 2 + 4 + 2 + 5 + 2 + 5 + 2 + 5 = 30 characters: exactly the width still fits.
    expect(fittedTable(header, rows, 2, 30)).toBe(table(header, rows));
  });
  it('splits the other columns over tables that each start with the kept ones', () => {
    expect(fittedTable(header, rows, 2, 29)).toBe(
      [table(['run', 'seed', 'alpha', 'beta'], [['1', '0', '1.5', '22.25'], ['2', '1', '10', '2']]), table(['run', 'seed', 'gamma'], [['1', '0', '-3'], ['2', '1', '-300']])].join('\n\n'),
    );
    // Too narrow for even one column beside the kept ones: one column a table, wider than asked.
    expect(fittedTable(header, rows, 2, 5).split('\n\n')).toHaveLength(3);
  });
  it('right-aligns a number marked with an asterisk (aisle runs: a return from an unfinished run\'s stored episodes) as the other numbers', () => {
    expect(table(['run', 'return'], [['1', '-57.42'], ['2', '-4.5*']]).split('\n')).toEqual(['run  return', '───  ──────', '1    -57.42', '2     -4.5*']);
  });
  it('turns one row on its side', () => {
    expect(transposedTable(['run', 'status', 'return'], ['7', 'completed', '-13'])).toBe('run     7\nstatus  completed\nreturn  -13');
  });
});
