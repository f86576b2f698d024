// `aisle shop calibrate` end to end on a small events file written here (the real Online Retail
// data never enters the repository), its row validation (exit 2, `events.csv:LINE: column …`), and
// one run on the real file when it is present (test/helpers/shared-data.ts says where it is looked for).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/engine/envs/shop/catalog';
import { loadExperimentFile } from '../../src/main/files';
import { aisle, CLI, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { sharedData } from '../helpers/shared-data';

const HEADER = 'ts,customer,invoice,item,qty,price';
const HOUR = 3600;

/**
 * Three customers. Items A, B, C are always bought together, D and E together, F alone. Sessions
 * (gap 60 min): c1 has invoice 1 and, 30 min later, invoice 2 (one session of 5 lines), then a day
 * later invoice 3 (3 lines); c2 has invoices 4 (2 lines) and 5 two hours later (3 lines); c3 has
 * invoice 6 (1 line). Lengths 5, 3, 2, 3, 1: mean 2.8, p95 5.
 */
function fixture(): string {
  const t0 = 1_300_000_000;
  const rows = [
    [t0, 'c1', '1', 'A', 2, '1.00'],
    [t0, 'c1', '1', 'B', 1, '2.00'],
    [t0, 'c1', '1', 'C', 1, '3.00'],
    [t0 + 1800, 'c1', '2', 'D', 1, '4.00'],
    [t0 + 1800, 'c1', '2', 'E', 1, '5.00'],
    [t0 + 2000, 'c2', '4', 'D', 3, '4.50'],
    [t0 + 2000, 'c2', '4', 'E', 1, '5.00'],
    [t0 + 2000 + 2 * HOUR, 'c2', '5', 'A', 1, '1.50'],
    [t0 + 2000 + 2 * HOUR, 'c2', '5', 'B', 1, '2.00'],
    [t0 + 2000 + 2 * HOUR, 'c2', '5', 'C', 1, '3.00'],
    [t0 + 24 * HOUR, 'c1', '3', 'A', 1, '1.20'],
    [t0 + 24 * HOUR, 'c1', '3', 'B', 1, '2.00'],
    [t0 + 24 * HOUR, 'c1', '3', 'C', 1, '3.00'],
    [t0 + 25 * HOUR, 'c3', '6', 'F', 1, '9.99'],
  ];
  return `${HEADER}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

function write(dir: string, text: string, name = 'events.csv'): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

interface Report {
  catalogPath?: string;
  catalog: { categories: string[]; items: { id: string; category: number; price: number; quality: number; attractiveness: number }[] };
  env: { leaveBase: number; leaveSlope: number; maxSteps: number };
  calibration: { rows: number; customers: number; invoices: number; sessions: number; sessionLength: { mean: number; median: number; p95: number } };
}

describe('aisle shop calibrate', () => {
  it('measures prices, popularity, repeat purchases, co-purchase categories and session lengths', () => {
    const dir = tempDir();
    const events = write(dir, fixture());
    const out = join(dir, 'shop.json');
    const exp = join(dir, 'experiments', 'calibrated.json');
    const r = aisle(['shop', 'calibrate', events, '-o', out, '--experiment', exp, '--items', '5', '--categories', '2', '--json'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.calibration).toMatchObject({ rows: 14, customers: 3, invoices: 6, sessions: 5 });
    expect(report.calibration.sessionLength).toMatchObject({ mean: 2.8, median: 3, p95: 5 });
    // Top 5 by purchase lines: A, B, C (3 each), then D, E (2 each); F (1) is left out. Ties by id.
    const items = report.catalog.items;
    expect(items.map((i) => i.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(items.map((i) => i.price)).toEqual([1.2, 2, 3, 4, 5]); // medians: A of 1.00, 1.50, 1.20; D of 4.00, 4.50 (lower middle)
    // Co-purchase: {A, B, C} and {D, E} are two categories, the one with the top item first.
    expect(items.map((i) => i.category)).toEqual([0, 0, 0, 1, 1]);
    expect(report.catalog.categories).toEqual(['k1 (A)', 'k2 (D)']);
    // Repeat rate: c1 bought A, B, C in two sessions, c2 in one → 1/2; D, E: nobody twice → 0.
    expect(items.map((i) => i.quality)).toEqual([1, 1, 1, 0, 0]);
    // Centred log-popularity: ln 3 − mean(ln 3 ×3, ln 2 ×2) and ln 2 − that mean.
    const meanLog = (3 * Math.log(3) + 2 * Math.log(2)) / 5;
    expect(items[0]!.attractiveness).toBeCloseTo(Math.log(3) - meanLog, 3);
    expect(items[3]!.attractiveness).toBeCloseTo(Math.log(2) - meanLog, 3);
    // Session params: leave probability at the start engagement = 1 / 2.8, maxSteps = p95.
    const startLeave = report.env.leaveBase + report.env.leaveSlope * (1 - 0.7);
    expect(startLeave).toBeCloseTo(1 / 2.8, 2);
    expect(report.env.maxSteps).toBe(5);

    // The catalog file is a valid shop catalog, and the experiment loads it by its relative path.
    const catalog = parseCatalog(JSON.parse(readFileSync(out, 'utf8')));
    expect(catalog.items).toBe(5);
    expect(catalog.categories).toBe(2);
    const experiment = loadExperimentFile(exp);
    expect(experiment.env).toMatchObject({ id: 'shop', maxSteps: 5, leaveBase: report.env.leaveBase });
    expect(JSON.parse(readFileSync(exp, 'utf8')).env.catalog).toBe('../shop.json');
  });

  it('says when --categories asks for more categories than the catalog has items: a category needs one (the default lowered says nothing)', () => {
    const dir = tempDir();
    const events = write(dir, fixture());
    const db = join(dir, 'a.db');
    const asked = aisle(['shop', 'calibrate', events, '--items', '3', '--categories', '5', '--json'], { db });
    expect(asked.code, asked.stderr).toBe(0);
    const warning = "--categories 5: is more than the catalog's 3 items, and a category needs one: it has 1 co-purchase category"; // A, B, C are bought together
    expect(unwrapped(asked.stderr)).toBe(`aisle: warning: ${warning}\n`);
    const report = JSON.parse(asked.stdout) as Report & { warnings?: string[] };
    expect(report.catalog.categories).toHaveLength(1);
    expect(report.warnings).toEqual([warning]);
    // The default 8 over the same 3 items: lowered as well, but not a choice the user made.
    const byDefault = aisle(['shop', 'calibrate', events, '--items', '3', '--json'], { db });
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stderr).toBe('');
    expect((JSON.parse(byDefault.stdout) as { warnings?: string[] }).warnings).toBeUndefined();
  });

  it('reads events from a pipe (/dev/stdin) as from the file, where its second pass found the pipe empty', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const events = write(dir, fixture());
    // A shell's pipe (a FIFO), as `zcat events.csv.gz | aisle shop calibrate /dev/stdin` makes.
    const piped = (file: string, ...args: string[]) => {
      const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" --db "$4" shop calibrate /dev/stdin --items 5 --categories 2 "$5"', 'sh', file, process.execPath, CLI, db, ...args], { encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const fromFile = aisle(['shop', 'calibrate', events, '--items', '5', '--categories', '2', '--json'], { db });
    const fromPipe = piped(events, '--json');
    expect(fromPipe.code, fromPipe.stderr).toBe(0);
    const report = (r: { stdout: string }) => JSON.parse(r.stdout) as Report;
    expect(report(fromPipe).catalog).toEqual(report(fromFile).catalog);
    // Its faults are named at their lines as in the file, once.
    const broken = piped(write(dir, fixture().replace(',A,2,', ',"A\nX",2,'), 'broken.csv'), '--json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('/dev/stdin:2: a quoted field is still open at the end of the line: Aisle reads one record per line, so a field cannot hold a line break');
    expect(broken.stderr).not.toContain('/dev/stdin:3');
  });

  it('a longer gap merges c2’s two invoices into one session', () => {
    const dir = tempDir();
    const r = aisle(['shop', 'calibrate', write(dir, fixture()), '--gap', '180'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.calibration.sessions).toBe(4);
    expect(report.calibration.sessionLength.mean).toBe(3.5);
  });

  it('keeps an invoice whole when its lines are stamped hours apart, as logs with a time per line have them', () => {
    const dir = tempDir();
    // c2's second invoice made part of its first: its lines two hours after the first ones continue that session.
    const r = aisle(['shop', 'calibrate', write(dir, fixture().replace(/,c2,5,/g, ',c2,4,'))], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.calibration).toMatchObject({ invoices: 5, sessions: 4 });
    expect(report.calibration.sessionLength.mean).toBe(3.5);
  });

  it('names the line a customer’s rows go back in time after: one mis-dated row is the one named by every later row of its customer', () => {
    const dir = tempDir();
    const future = 1_300_000_000 + 30 * HOUR;
    const r = aisle(['shop', 'calibrate', write(dir, fixture().replace(/^\d+(,c1,1,B)/m, `${future}$1`))], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    // c1's rows on lines 4, 5, 6 and 12–14 are dated before line 3's.
    expect(lines.map((l) => /events\.csv:(\d+):/.exec(l)?.[1])).toEqual(['4', '5', '6', '12', '13', '14']);
    expect(lines[0]).toBe(
      `aisle: ${dir}/events.csv:4: column "ts": customer c1's purchases go back in time after line 3 (${future}), got "1300000000": sort the file by ts (each customer's rows must come in time order), or correct line 3's ts if it is the one wrong`,
    );
    expect(lines.every((l) => l.includes('after line 3 ('))).toBe(true);
  });

  it.each([
    ['a letter in qty', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,x,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['a cancellation (negative qty)', (t: string) => t.replace('c2,4,E,1,5.00', 'c2,4,E,-1,5.00'), 8, 'column "qty"'],
    ['a zero price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,0'), 15, 'column "price": must be a unit price > 0 and at most 1000000000 (the catalog\'s limit), got "0"'],
    // Every price becomes (the median of) a catalog price: the catalog's bound applies to each row.
    ['a price above the catalog\'s limit', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,1e308'), 15, 'column "price": must be a unit price > 0 and at most 1000000000 (the catalog\'s limit), got "1e308"'],
    ['a negative price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,-9.99'), 15, 'column "price": must be a unit price > 0 and at most 1000000000'],
    // Number() would read these as 16, Infinity, 0 and 0.
    ['a hexadecimal price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,0x10'), 15, 'column "price": must be a decimal number such as 2.55, got "0x10"'],
    ['an infinite price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,Infinity'), 15, 'column "price": must be a decimal number such as 2.55, got "Infinity"'],
    ['an empty price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,'), 15, 'column "price": must be a decimal number such as 2.55, got ""'],
    ['a blank price', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,  '), 15, 'column "price": must be a decimal number such as 2.55, got ""'],
    ['a price with a unit', (t: string) => t.replace('c3,6,F,1,9.99', 'c3,6,F,1,9.99€'), 15, 'column "price": must be a decimal number such as 2.55, got "9.99€"'],
    ['a hexadecimal qty', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,0x10,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['a qty in exponent form', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,1e3,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['a fractional qty', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,1.5,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['an infinite qty', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,Infinity,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['an empty qty', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,,2.00'), 3, 'column "qty": must be a whole number ≥ 1'],
    ['a qty too large to hold exactly', (t: string) => t.replace('c1,1,B,1,2.00', 'c1,1,B,99999999999999999999,2.00'), 3, 'column "qty": 99999999999999999999 is more than 9007199254740991'],
    ['a time beyond the year 9999', (t: string) => t.replace(/^1300000000,c1,1,A/m, '99999999999999999,c1,1,A'), 2, 'column "ts": must be a whole number of seconds since 1970 (unix time) up to 253,402,300,799 (the end of 9999), got "99999999999999999"'],
    // Read as seconds, 1300000000000 would be the year 43166, and its gaps a thousand times too long.
    ['a time in milliseconds', (t: string) => t.replace(/^1300000000,c1,1,A/m, '1300000000000,c1,1,A'), 2, 'column "ts": must be a whole number of seconds since 1970 (unix time) up to 253,402,300,799 (the end of 9999), got "1300000000000": in milliseconds? Divide the column by 1000'],
    ['an item id longer than a catalog id', (t: string) => t.replace('c3,6,F,1', `c3,6,${'F'.repeat(201)},1`), 15, 'column "item": is 201 characters long, more than a catalog item id\'s 200'],
    ['a missing field', (t: string) => t.replace('c1,1,C,1,3.00', 'c1,1,C,1'), 4, 'has 5 fields, the header has 6'],
    ['an empty item', (t: string) => t.replace('c1,2,D,1,4.00', 'c1,2,,1,4.00'), 5, 'column "item": is empty'],
    ['a date instead of unix time', (t: string) => t.replace(/^1300000000,c1,1,A/m, '2011-03-13,c1,1,A'), 2, 'column "ts": must be a whole number of seconds'],
    ['a time with a fraction of a second', (t: string) => t.replace(/^1300000000,c1,1,A/m, '1300000000.5,c1,1,A'), 2, 'column "ts": must be a whole number of seconds'],
    ['purchases out of time order', (t: string) => t.replace(/^\d+(,c1,3,C)/m, '1$1'), 14, 'column "ts": customer c1\'s purchases go back in time'],
  ])('refuses %s with events.csv:LINE naming the column, exit 2, writing nothing', (_what, edit, line, message) => {
    const dir = tempDir();
    const out = join(dir, 'shop.json');
    const bad = edit(fixture());
    expect(bad).not.toBe(fixture());
    const r = aisle(['shop', 'calibrate', write(dir, bad), '-o', out], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`aisle: ${join(dir, 'events.csv')}:${line}: ${message}`); // the file as given
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('says a problem every row has once, as aisle ope does: the lines, the first values and the count, where it listed ten lines alike', () => {
    const dir = tempDir();
    const out = join(dir, 'shop.json');
    // Every time in milliseconds (an export's ts_ms): the first 10 rows, 4 distinct times among them.
    const r = aisle(['shop', 'calibrate', write(dir, fixture().replace(/^(\d+),/gm, '$1000,')), '-o', out], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `aisle: ${dir}/events.csv:2–11: column "ts": must be a whole number of seconds since 1970 (unix time) up to 253,402,300,799 (the end of 9999), got "1300000000000", "1300001800000", "1300002000000", …: in milliseconds? Divide the column by 1000, on each of the first 10 rows checked, so reading stopped`,
    ]);
    expect(existsSync(out)).toBe(false);
    // Problems that differ are each listed, as before: a qty on odd lines, a price on even ones.
    const lines = fixture().split('\n');
    const mixed = lines.map((l, i) => (i === 0 || l === '' ? l : i % 2 ? l.replace(/,\d+,([\d.]+)$/, ',x,$1') : l.replace(/,[\d.]+$/, ',y'))).join('\n');
    const m = aisle(['shop', 'calibrate', write(dir, mixed), '-o', out], { db: join(dir, 'a.db') });
    expect(m.code).toBe(2);
    const found = m.stderr.trim().split('\n');
    expect(found).toHaveLength(11);
    expect(found[0]).toBe(`aisle: ${dir}/events.csv:2: column "qty": must be a whole number ≥ 1, got "x"`);
    expect(found[1]).toBe(`aisle: ${dir}/events.csv:3: column "price": must be a decimal number such as 2.55, got "y"`);
    expect(found[10]).toBe(`aisle: ${dir}/events.csv: stopped after 10 problems: fix these and run again`);
  });

  it('accepts whole seconds written as decimals, as pandas writes a float column ("1300000000.0")', () => {
    const dir = tempDir();
    const plain = aisle(['shop', 'calibrate', write(dir, fixture())], { db: join(dir, 'a.db') });
    const floats = aisle(['shop', 'calibrate', write(dir, fixture().replace(/^(\d+),/gm, '$1.0,'))], { db: join(dir, 'a.db') });
    expect(fixture().replace(/^(\d+),/gm, '$1.0,')).toMatch(/^1300000000\.0,c1,1,A/m);
    expect(floats.code, floats.stderr).toBe(0);
    expect(floats.stdout).toBe(plain.stdout);
  });

  it('accepts plain decimal prices: a sign, no leading digit, an exponent, the catalog\'s largest price', () => {
    const dir = tempDir();
    const text = fixture().replace('c1,1,A,2,1.00', 'c1,1,A,2,+1.00').replace('c2,5,A,1,1.50', 'c2,5,A,1,.15e1').replace('c3,6,F,1,9.99', 'c3,6,F,1,1E9');
    const r = aisle(['shop', 'calibrate', write(dir, text), '--items', '6'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const items = (JSON.parse(r.stdout) as Report).catalog.items;
    expect(items.find((i) => i.id === 'A')!.price).toBe(1.2);
    expect(items.find((i) => i.id === 'F')!.price).toBe(1e9);
  });

  it.each([
    ['a repeated column', 'ts,ts,customer,invoice,item,qty,price\n1,1,c,1,A,1,1\n', 'events.csv:1: the header names column "ts" twice (columns 1 and 2): remove or rename one of them'],
    ['a repeated column in another case', 'ts,customer,invoice,item,qty,price,PRICE\n1,c,1,A,1,1,1\n', 'events.csv:1: the header names column "price" twice (columns 6 and 7)'],
    ['only a header', `${HEADER}\n`, 'events.csv: has a header but no purchase rows: add one row per purchase line below the header'],
    ['an empty file', '', 'events.csv: the file is empty'],
    ['one purchase line', `${HEADER}\n1291191960,c1,1,A,2,1.00\n`, 'events.csv: its only purchase line is of one item (A): a shop needs purchases of at least 2 items to calibrate'],
    ['purchases of one item', `${HEADER}\n1291191960,c1,1,A,2,1.00\n1291195560,c2,2,A,1,1.50\n1291199160,c1,3,A,1,1.00\n`, 'events.csv: all its 3 purchase lines are of one item (A): a shop needs purchases of at least 2 items'],
  ])('refuses %s, exit 2, in one line, writing nothing', (_what, text, message) => {
    const dir = tempDir();
    const out = join(dir, 'shop.json');
    const r = aisle(['shop', 'calibrate', write(dir, text), '-o', out], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`aisle: ${dir}/${message}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a file without the columns, a missing file and bad options, exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const header = aisle(['shop', 'calibrate', write(dir, 'ts,customer,item,qty,price\n1,c,A,1,1\n')], { db });
    expect(header.code).toBe(2);
    // Errors name the file as given, as every command's do (not its basename).
    expect(header.stderr).toContain(`${join(dir, 'events.csv')}:1: the header lacks column "invoice"`);
    const missing = aisle(['shop', 'calibrate', join(dir, 'nope.csv')], { db });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`aisle: ${join(dir, 'nope.csv')}: file not found: check the path`);
    const folder = aisle(['shop', 'calibrate', dir], { db });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`aisle: ${dir}: is a folder: give the path of the events CSV file`);
    // A shop recommends one item among others: one item is refused as data with one item is.
    for (const n of ['0', '1']) {
      const items = aisle(['shop', 'calibrate', write(dir, fixture()), '--items', n], { db });
      expect(items.code).toBe(2);
      expect(items.stderr).toContain('--items must be a whole number from 2 to 2000');
    }
    const exp = aisle(['shop', 'calibrate', write(dir, fixture()), '--experiment', join(dir, 'e.json')], { db });
    expect(exp.code).toBe(2);
    expect(exp.stderr).toContain('--experiment: the experiment refers to the catalog file: give -o');
    // Nor a stream for -o: the experiment named the catalog '../../dev/stdout', which `aisle run` then read.
    const streamed = aisle(['shop', 'calibrate', write(dir, fixture()), '-o', '/dev/stdout', '--experiment', join(dir, 'streamed.json')], { db });
    expect(streamed).toMatchObject({ code: 2, stdout: '' });
    expect(streamed.stderr).toBe('aisle: --experiment: the experiment refers to the catalog by its file, and -o /dev/stdout is a stream (a pipe, a terminal or standard output), not a file: give -o a file, -o <shop.json>\n');
    expect(existsSync(join(dir, 'streamed.json'))).toBe(false);
    // An -o that cannot be written into (a descriptor not given to it) is said before the events are read,
    // as logs mdp says it: it was said only after the calibration, or here the file's absence.
    const closed = aisle(['shop', 'calibrate', join(dir, 'no-such-events.csv'), '-o', '/dev/fd/9'], { db });
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/^aisle: -o \/dev\/fd\/9: descriptor 9 (is not open|was not given)/);
  });

  it('one category: "1 co-purchase category"; a catalog cut to one item: its shop’s novelty never reads below 0', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const out = join(dir, 'shop.json');
    const exp = join(dir, 'exp.json');
    const r = aisle(['shop', 'calibrate', write(dir, fixture()), '--items', '2', '--categories', '1', '-o', out, '--experiment', exp], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ in 1 co-purchase category\n/);
    expect(JSON.parse(readFileSync(exp, 'utf8')).description).toContain(' and 1 co-purchase category; ');
    const catalog = JSON.parse(readFileSync(out, 'utf8')) as { items: unknown[] };
    writeFileSync(out, JSON.stringify({ ...catalog, items: catalog.items.slice(0, 1) }));
    // Novelty with one item is 0 exactly (its popularity is 1); the window’s running sum once read −1.5e-14.
    expect(aisle(['run', exp, '--episodes', '300', '--seeds', '1'], { db }).code).toBe(0);
    const metrics = aisle(['metrics', '1', '--metric', 'novelty', '--json'], { db });
    expect(metrics.code, metrics.stderr).toBe(0);
    const novelty = (JSON.parse(metrics.stdout) as { metrics: { novelty: number[] } }).metrics.novelty;
    expect(novelty).toHaveLength(300);
    expect(Math.min(...novelty)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...novelty)).toBeLessThan(1e-12);
  });

  const REAL = sharedData('online-retail/online_retail_events.csv');
  it.skipIf(!existsSync(REAL))(`calibrates the real Online Retail file (${REAL}; skipped when it is absent)`, () => {
    const dir = tempDir();
    const r = aisle(['shop', 'calibrate', REAL, '-o', join(dir, 'shop.json'), '--json'], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.calibration).toMatchObject({ rows: 396_337, customers: 4334 });
    expect(report.catalog.items).toHaveLength(100);
    expect(report.catalog.items[0]!.id).toBe('85123A'); // WHITE HANGING HEART T-LIGHT HOLDER, the best seller
    expect(report.catalog.categories).toHaveLength(8);
    // Sessions are long baskets (a wholesaler's shop): mean ≈ 23 lines, roughly geometric (median ≈ ln 2 · mean).
    const s = report.calibration.sessionLength;
    expect(s.mean).toBeGreaterThan(15);
    expect(Math.abs(s.median - Math.LN2 * s.mean) / s.median).toBeLessThan(0.15);
    // The shipped preset is this calibration.
    const shipped = JSON.parse(readFileSync(join(ROOT, 'resources/shops/online-retail.shop.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'shop.json'), 'utf8'))).toEqual(shipped);
  });
});

describe('aisle shop calibrate: its report', () => {
  it("escapes a control character in the events file's name, which it names the catalog by", () => {
    const dir = tempDir();
    const events = write(dir, fixture(), 'events\u001b[31m\u202E.csv');
    const r = aisle(['shop', 'calibrate', events, '-o', join(dir, 'shop.json'), '--items', '6', '--categories', '2'], { db: join(dir, 'never.db') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n/g, ' ')).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u); // its own line breaks aside
    expect(r.stdout).toContain(' from events\\u001b[31m\\u202e.csv: 14 purchase lines');
  });
});
