// The other commands' tables fitted to the terminal (100 characters off a terminal, or COLUMNS), as
// `aisle run`'s are (terminal-width.test.ts). `aisle compare`: five groups made a table of
// probabilities 110 to 150 characters wide, and a shop's group labels pushed the groups' table
// past 100; `aisle solve`: a Q column per action; `aisle runs` and `aisle experiments`: long
// experiment names. Each narrow output is read back and holds the same cells as the output at an
// unlimited width.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { table, truncatedColumn, wrapped } from '../../src/cli/context';
import { displayWidth } from '../../src/cli/display-width';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const WIDE = '100000';

interface Tables {
  /** Every table's header, rule and row lines. */
  lines: string[];
  /** "first column's header|row's first word|column" → the cell: stacked tables merged. */
  cells: Map<string, string>;
}

/** The tables in a command's output, read by their rule lines' column spans. */
function readTables(text: string): Tables {
  const lines = text.split('\n');
  const found: Tables = { lines: [], cells: new Map() };
  lines.forEach((rule, i) => {
    if (!/^[─ ]+$/.test(rule)) return;
    const spans = [...rule.matchAll(/─+/g)].map((m) => m.index);
    const cut = (line: string) => spans.map((start, k) => line.slice(start, spans[k + 1]).trim());
    const header = cut(lines[i - 1]!);
    found.lines.push(lines[i - 1]!, rule);
    for (let r = i + 1; r < lines.length && lines[r] !== ''; r++) {
      found.lines.push(lines[r]!);
      const row = cut(lines[r]!);
      header.forEach((h, k) => found.cells.set(`${header[0]}|${row[0]!.split(' ')[0]}|${h}`, row[k]!));
    }
  });
  return found;
}

function run(db: string, file: string, seeds: number): void {
  const r = aisle(['run', join(ROOT, 'resources/experiments', file), '--episodes', '30', '--seeds', String(seeds)], { db });
  expect(r.code, r.stderr).toBe(0);
}

function output(args: string[], db: string, columns: string): string {
  const r = aisle(args, { db, env: { COLUMNS: columns } });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

describe('aisle compare on a narrow terminal', () => {
  it('names the groups above their table and splits the probabilities over tables that each name the rows, no value lost', () => {
    const db = join(tempDir(), 'a.db');
    for (const file of ['shop-fatigue.json', 'shop-fatigue-myopic.json', 'shop-fatigue-popular.json', 'shop-small.json', 'shop-small-random.json']) run(db, file, 2);
    const args = ['compare', '1', '2', '3', '4', '5'];
    const { groups } = JSON.parse(aisle(['--json', ...args], { db }).stdout) as { groups: { label: string; final: { mean: number } }[] };
    const wide = readTables(output(args, db, WIDE));
    // Both tables are wider than 100: the groups' (their labels) and the probabilities' (five columns).
    for (const header of [/^group /, /^ {3}A /]) expect(wide.lines[wide.lines.findIndex((l) => header.test(l)) + 1]!.length).toBeGreaterThan(100);
    for (const columns of [80, 100]) {
      const text = output(args, db, String(columns));
      const narrow = readTables(text);
      for (const line of narrow.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      // The groups' labels, whole, above their table; in it, each group by its letter.
      const lines = text.split('\n');
      const legend = lines.slice(lines.indexOf('') + 1, lines.findIndex((l) => l.startsWith('group ')) - 1);
      for (const line of legend) expect(line.length, line).toBeLessThanOrEqual(columns);
      expect(legend.map((l) => l.trim()).join(' ')).toBe(groups.map((g, i) => `${String.fromCharCode(65 + i)}  ${g.label}`).join(' '));
      // Every other cell as at an unlimited width, the probabilities' table now in several.
      const firstColumn = (key: string) => key.startsWith('group|') && key.endsWith('|group');
      expect(new Map([...narrow.cells].filter(([k]) => !firstColumn(k)))).toEqual(new Map([...wide.cells].filter(([k]) => !firstColumn(k))));
      expect(lines.filter((l) => /^ {3}[A-E]( |$)/.test(l)).length).toBeGreaterThan(1);
    }
  });

  it('keeps the labels in the table when it fits', () => {
    const db = join(tempDir(), 'a.db');
    run(db, 'quickstart.json', 2);
    run(db, 'cliff-sarsa.json', 2);
    // The table is 131 characters wide (its mean's t interval, [-202.559, -118.274], is wider than a
    // bootstrap's was): at 131 columns its labels go above it, at 132 they stay in it.
    expect(output(['compare', '1', '2'], db, '131')).toMatch(/^A {2}quickstart: cliff walking, q-learning · q-learning\n/m);
    expect(output(['compare', '1', '2'], db, '132')).toMatch(/^A {2}quickstart: cliff walking, q-learning · q-learning {2}.* 2 {2}0, 1 /m);
  });
});

describe('aisle solve on a narrow terminal', () => {
  it('splits the Q columns over tables that each start with the state', () => {
    const dir = tempDir();
    // One decision among 16 items, the simulator `aisle logs mdp` writes from logs of 16 items.
    const actions = Array.from({ length: 16 }, (_, a) => `item${a}`);
    const name = 'a simulator of sixteen items fitted to the logs of a shop, with policy=uniform and campaign=all, one row in three held out';
    const mdp = { format: 'aisle.mdp/v1', name, states: ['slot 1', 'slot 2', 'end'], actions, start: { 0: 0.5, 1: 0.5 }, terminal: [2], transitions: [0, 1].flatMap((s) => actions.map((_, a) => [s, a, 1, 2, ((a * 7 + s * 3) % 16) / 100])) };
    const file = join(dir, 'items.mdp.json');
    writeFileSync(file, JSON.stringify(mdp));
    const db = join(dir, 'a.db');
    const wide = readTables(output(['solve', file], db, WIDE));
    expect(Math.max(...wide.lines.map((l) => l.length))).toBeGreaterThan(150);
    for (const columns of [80, 100]) {
      const text = output(['solve', file], db, String(columns));
      const narrow = readTables(text);
      for (const line of narrow.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      // The sentences above the tables wrap too, words whole.
      const head = text.slice(0, text.indexOf('\n\n')).split('\n');
      for (const line of head) expect(line.length, line).toBeLessThanOrEqual(columns);
      expect(head.join(' ')).toMatch(new RegExp(`^${name}: 3 states, 16 actions, gamma 1, horizon 1000 optimal expected return from the start distribution: `));
      expect(narrow.cells).toEqual(wide.cells);
      expect(narrow.lines.filter((l) => l.startsWith('state ')).length).toBeGreaterThan(1);
    }
  });
});

describe('aisle runs and aisle experiments on a narrow terminal', () => {
  const LONG = 'shop fatigue, ten items: q-learning with a constant step against the myopic oracle and the most popular items';

  it('cut a long experiment name to fit, ending in "…", and keep every other cell', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const file = join(dir, 'long.json');
    run(db, 'quickstart.json', 1);
    const shop = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/shop-fatigue.json'), 'utf8')) as object;
    writeFileSync(file, JSON.stringify({ ...shop, name: LONG }));
    expect(aisle(['run', file, '--episodes', '30', '--seeds', '2'], { db }).code).toBe(0);
    for (const args of [['runs'], ['experiments']]) {
      const wide = readTables(output(args, db, WIDE));
      expect(Math.max(...wide.lines.map((l) => l.length))).toBeGreaterThan(130);
      for (const columns of [80, 100]) {
        const narrow = readTables(output(args, db, String(columns)));
        for (const line of narrow.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
        expect([...narrow.cells.keys()].sort()).toEqual([...wide.cells.keys()].sort());
        for (const [key, cell] of narrow.cells) {
          const whole = wide.cells.get(key)!;
          if (cell === whole) continue;
          // Only names are cut, and only at their end: in `aisle runs` the experiment's id before it stays.
          expect(key).toMatch(/\|(experiment|name)$/);
          expect(cell.endsWith('…') && whole.startsWith(cell.slice(0, -1)), `${cell} / ${whole}`).toBe(true);
          expect(cell.length).toBeGreaterThanOrEqual(20);
        }
      }
    }
    // --json gives the name whole, whatever the width.
    expect((JSON.parse(output(['--json', 'experiments'], db, '80')) as { name: string }[]).map((e) => e.name)).toContain(LONG);
  });

  it("cut a sweep's names in their middle, so the settings that tell them apart stay", () => {
    const db = join(tempDir(), 'a.db');
    const sweep = aisle(['run', join(ROOT, 'resources/experiments/quickstart.json'), '--episodes', '20', '--seeds', '1', '--set', 'agent.alpha=0.1,0.5', '--set', 'agent.epsilon=0.05,0.2'], { db });
    expect(sweep.code, sweep.stderr).toBe(0);
    const names = (JSON.parse(output(['--json', 'experiments'], db, '80')) as { name: string }[]).map((e) => e.name);
    expect(names).toHaveLength(4);
    for (const columns of [80, 100]) {
      const narrow = readTables(output(['experiments'], db, String(columns)));
      for (const line of narrow.lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      const shown = [...narrow.cells].filter(([key]) => key.endsWith('|name')).map(([, cell]) => cell);
      expect(shown).toHaveLength(4);
      // Each cut name keeps its start and its whole "(alpha=…, epsilon=…)": four names, four different cells.
      expect(new Set(shown).size).toBe(4);
      const cut = shown.filter((cell) => !names.includes(cell));
      expect(cut.length).toBeGreaterThan(0);
      for (const cell of cut) {
        expect(cell).toMatch(/^quickstart.*… \(alpha=[\d.]+, epsilon=[\d.]+\)$/);
        const [start, end] = cell.split('…') as [string, string];
        expect(names.some((n) => n.startsWith(start) && n.endsWith(end))).toBe(true);
      }
    }
  });
});

/** The characters of `line` that start before its display column `column`. */
function columnsBefore(line: string, column: number): string {
  let text = '';
  for (const char of line) {
    if (displayWidth(text) >= column) break;
    text += char;
  }
  return text;
}

describe('names in Chinese or with emoji on a narrow terminal', () => {
  it('cut to the width in terminal columns: no line wider, the columns after them in line', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const shop = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/shop-small.json'), 'utf8')) as object;
    for (const [k, name] of ['强化学习推荐实验：悬崖行走上的 Q 学习与购物车疲劳的比较', '🚀 a small shop 🎉 with q-learning, a long name with emoji 🎈 in it'].entries()) {
      const file = join(dir, `${k}.json`);
      writeFileSync(file, JSON.stringify({ ...shop, name }));
      expect(aisle(['run', file, '--episodes', '5', '--seeds', '1'], { db }).code).toBe(0);
    }
    for (const columns of [60, 80]) {
      for (const args of [['runs'], ['experiments']]) {
        const text = output(args, db, String(columns));
        for (const line of text.trimEnd().split('\n')) expect(displayWidth(line), text).toBeLessThanOrEqual(columns);
        // On every line of a table, its rule's last column is preceded by two blank columns.
        for (const lines of text.trimEnd().split('\n\n').map((t) => t.split('\n'))) {
          const start = lines[1]!.lastIndexOf(' ') + 1; // the rule is one column a character
          for (const line of lines) expect(columnsBefore(line, start), text).toMatch(/ {2}$/);
          for (const line of lines) expect(displayWidth(columnsBefore(line, start)), text).toBe(start);
        }
      }
    }
    // At 80 columns `aisle experiments` cuts the names just enough for one table as wide as the terminal.
    expect(Math.max(...output(['experiments'], db, '80').split('\n').map(displayWidth))).toBe(80);
  });
});

describe('truncatedColumn and wrapped', () => {
  const header = ['id', 'name', 'runs'];
  const rows = [
    ['1', 'a short one', '3 completed'],
    ['2', 'a much longer name than the other', '1 failed'],
  ];
  it('cuts the column just enough for the table to fit, and no cell below the least width', () => {
    expect(truncatedColumn(header, rows, 1, 5, 100)).toEqual(rows);
    // 2 + 2 + 33 + 2 + 11 = 50 characters: at 40 the names may have 23.
    const cut = truncatedColumn(header, rows, 1, 5, 40);
    expect(cut.map((r) => r[1])).toEqual(['a short one', 'a much longer name tha…']);
    expect(Math.max(...table(header, cut).split('\n').map((l) => l.length))).toBe(40);
    expect(truncatedColumn(header, rows, 1, 12, 10).map((r) => r[1])).toEqual(['a short one', 'a much long…']);
    // A name ending in "(…)", a sweep's settings, is cut in its middle: the settings stay.
    const sweep = [['1', 'quickstart: cliff walking, q-learning (alpha=0.1, epsilon=0.05)', '5 completed']];
    expect(truncatedColumn(header, sweep, 1, 5, 60)[0]![1]).toBe('quickstart: clif… (alpha=0.1, epsilon=0.05)');
  });
  it('wraps words under the first, never breaking one', () => {
    expect(wrapped('A  ', ['one', 'two', 'three', 'fourteen'], 13)).toBe('A  one two\n   three\n   fourteen');
  });
});
