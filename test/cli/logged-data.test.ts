// readLogs on small logs files written here (the Open Bandit Dataset never enters the repository):
// column defaults and names, `where` filters, label order, row validation (`logs.csv:LINE: column …`),
// and one read of the real sample when it is present (test/helpers/shared-data.ts says where).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPEN_QUOTE_FAULT } from '../../src/engine/csv';
import { MAX_POLICY_CELLS } from '../../src/engine/ope/data';
import { ValidationError } from '../../src/engine/params';
import { readLogs, readLogsToFit } from '../../src/cli/logged-data';
import { tempDir } from '../helpers/tmp';
import { sharedData } from '../helpers/shared-data';

const OBD_HEADER = 'policy,campaign,ts_ms,item,position,click,pscore,uf0,uf1,uf2,uf3,affinity';

/** Six impressions shaped like the Open Bandit Dataset: two policies, two campaigns. */
function obdFixture(): string {
  const rows = [
    'random,men,1574553793442,14,3,0,0.0294118,0,0,0,0,0', // line 2
    'random,men,1574553816705,2,1,1,0.0294118,0,0,1,0,0', // line 3
    'random,women,1574553939519,10,2,0,0.0217391,0,0,0,0,0', // line 4
    'bts,men,1574554095760,14,1,1,0.25,0,0,2,0,0', // line 5
    'random,men,1574554095761,10,2,0,0.0294118,0,1,2,0,0', // line 6
    'bts,women,1574554095762,2,3,0,0.5,0,0,2,0,0', // line 7
  ];
  return `${OBD_HEADER}\n${rows.join('\n')}\n`;
}

function write(text: string, name = 'logs.csv'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** The ValidationError's problems when reading fails (the test fails when it does not). */
async function problems(path: string, options?: Parameters<typeof readLogs>[2]): Promise<readonly string[]> {
  const error = await readLogs(path, 'logs.csv', options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

/** The labels of a column's indices, row by row. */
const named = (labels: readonly string[], indices: Int32Array) => [...indices].map((i) => labels[i]);

describe('readLogs', () => {
  it('resolves the Open Bandit Dataset columns by default and orders integer labels as numbers', async () => {
    const logs = await readLogs(write(obdFixture()), 'logs.csv');
    expect(logs.columns).toEqual({ action: 'item', reward: 'click', propensity: 'pscore', context: 'position' });
    expect(logs.rowsRead).toBe(6);
    expect(logs.rowsKept).toBe(6);
    expect(logs.actionLabels).toEqual(['2', '10', '14']); // numeric order: "2" before "10"
    expect(logs.contextLabels).toEqual(['1', '2', '3']);
    expect(named(logs.actionLabels, logs.action)).toEqual(['14', '2', '10', '14', '10', '2']);
    expect(named(logs.contextLabels, logs.context)).toEqual(['3', '1', '2', '1', '2', '3']);
    expect(logs.action).toBeInstanceOf(Int32Array);
    expect(logs.reward).toBeInstanceOf(Float64Array);
    expect([...logs.reward]).toEqual([0, 1, 0, 1, 0, 0]);
    expect([...logs.propensity]).toEqual([0.0294118, 0.0294118, 0.0217391, 0.25, 0.0294118, 0.5]);
  });

  it('prefers the generic column names, and orders non-integer labels as strings', async () => {
    const text = 'context,action,reward,propensity,item,click,pscore,position\n' + 'b,shoe,0.5,0.2,1,1,1,1\n' + 'a,Hat,-1,1,1,1,1,1\n' + 'b,10,2e-1,.5,1,1,1,1\n';
    const logs = await readLogs(write(text), 'logs.csv');
    expect(logs.columns).toEqual({ action: 'action', reward: 'reward', propensity: 'propensity', context: 'context' });
    expect(logs.actionLabels).toEqual(['10', 'Hat', 'shoe']); // code-unit order: digits, upper case, lower case
    expect(logs.contextLabels).toEqual(['a', 'b']);
    expect(named(logs.actionLabels, logs.action)).toEqual(['shoe', 'Hat', '10']);
    expect([...logs.reward]).toEqual([0.5, -1, 0.2]);
    expect([...logs.propensity]).toEqual([0.2, 1, 0.5]);
  });

  it('reads explicitly named columns', async () => {
    const logs = await readLogs(write(obdFixture()), 'logs.csv', { action: 'campaign', reward: 'affinity', propensity: 'pscore', context: 'uf2' });
    expect(logs.columns).toEqual({ action: 'campaign', reward: 'affinity', propensity: 'pscore', context: 'uf2' });
    expect(logs.actionLabels).toEqual(['men', 'women']);
    expect(logs.contextLabels).toEqual(['0', '1', '2']);
    expect(named(logs.contextLabels, logs.context)).toEqual(['0', '1', '0', '2', '2', '2']);
  });

  it('gives every row the context "" with context: null, or when the file has no context column', async () => {
    const logs = await readLogs(write(obdFixture()), 'logs.csv', { context: null });
    expect(logs.columns.context).toBeNull();
    expect(logs.contextLabels).toEqual(['']);
    expect([...logs.context]).toEqual([0, 0, 0, 0, 0, 0]);
    const bare = await readLogs(write('item,click,pscore\na,1,0.5\nb,0,0.5\n'), 'logs.csv');
    expect(bare.columns.context).toBeNull();
    expect(bare.contextLabels).toEqual(['']);
  });

  it('keeps the rows where every filter holds, compared with the trimmed field', async () => {
    const men = await readLogs(write(obdFixture()), 'logs.csv', { where: { policy: 'random', campaign: 'men' } });
    expect(men.rowsRead).toBe(6);
    expect(men.rowsKept).toBe(3);
    expect(men.actionLabels).toEqual(['2', '10', '14']);
    expect(named(men.actionLabels, men.action)).toEqual(['14', '2', '10']);
    const bts = await readLogs(write(obdFixture().replace('bts,women', ' bts ,women')), 'logs.csv', { where: { policy: 'bts' } });
    expect(bts.rowsKept).toBe(2);
    expect([...bts.propensity]).toEqual([0.25, 0.5]);
    expect(bts.actionLabels).toEqual(['2', '14']); // only the kept rows' actions
  });

  it('does not validate the rows a filter drops, beyond their field count', async () => {
    const text = obdFixture().replace('bts,men,1574554095760,14,1,1,0.25', 'bts,men,1574554095760,,1,x,0');
    const logs = await readLogs(write(text), 'logs.csv', { where: { policy: 'random' } });
    expect(logs.rowsKept).toBe(4);
    const short = obdFixture().replace('bts,men,1574554095760,14,1,1,0.25,', 'bts,men,1574554095760,14,1,1,0.25');
    expect(await problems(write(short), { where: { policy: 'random' } })).toEqual([
      'logs.csv:5: has 11 fields, the header has 12: check for a missing or extra comma',
    ]);
  });

  it('reads CRLF lines, a byte-order mark on the header, quoted fields and blank trailing lines', async () => {
    const text = '\uFEFF' + obdFixture().replace('random,men,1574553816705', '"random","men",1574553816705').split('\n').join('\r\n') + '\r\n\r\n';
    const logs = await readLogs(write(text), 'logs.csv', { where: { policy: 'random' } });
    expect(logs.columns.context).toBe('position');
    expect(logs.rowsRead).toBe(6);
    expect(logs.rowsKept).toBe(4);
    expect(logs.contextLabels).toEqual(['1', '2', '3']);
  });

  it.each([
    ['a propensity of 0', (t: string) => t.replace('14,1,1,0.25', '14,1,1,0'), 5, 'column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "0"'],
    ['a propensity above 1', (t: string) => t.replace('14,1,1,0.25', '14,1,1,1.5'), 5, 'column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "1.5"'],
    ['a propensity that is no number', (t: string) => t.replace('14,1,1,0.25', '14,1,1,abc'), 5, 'column "pscore": must be a decimal number in (0, 1]'],
    // In (0, 1], but its weight 1/p is ∞: IPS, DR and the weights' mean read ∞ or −∞.
    ['a propensity whose weight is infinite', (t: string) => t.replace('14,1,1,0.25', '14,1,1,1e-320'), 5, 'column "pscore": must be at least 1e-300: a smaller one weighs its row more than 1e300 (1 / propensity), past what the estimates\' sums of weights times rewards can hold (a double\'s range, ~1.8e308), got "1e-320"'],
    // Its weight 1e301 is finite: the message said it was beyond a double's range.
    ['a propensity whose weight leaves the sums no room', (t: string) => t.replace('14,1,1,0.25', '14,1,1,1e-301'), 5, 'column "pscore": must be at least 1e-300: a smaller one weighs its row more than 1e300 (1 / propensity), past what the estimates\' sums of weights times rewards can hold (a double\'s range, ~1.8e308), got "1e-301"'],
    ['an empty propensity', (t: string) => t.replace('14,1,1,0.25', '14,1,1,'), 5, 'column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got ""'],
    ['a reward that is no number', (t: string) => t.replace('2,1,1,0.0294118', '2,1,x,0.0294118'), 3, 'column "click": must be a finite decimal number (the reward, such as a click\'s 0 or 1), got "x"'],
    ['an infinite reward', (t: string) => t.replace('2,1,1,0.0294118', '2,1,1e999,0.0294118'), 3, 'column "click": must be a finite decimal number (the reward, such as a click\'s 0 or 1), got "1e999"'],
    ['a hexadecimal reward', (t: string) => t.replace('2,1,1,0.0294118', '2,1,0x1,0.0294118'), 3, 'column "click": must be a finite decimal number'],
    ['an empty action', (t: string) => t.replace('1574553939519,10,', '1574553939519,,'), 4, 'column "item": is empty: every row needs the action it showed'],
    ['an empty context', (t: string) => t.replace('1574553939519,10,2,', '1574553939519,10, ,'), 4, 'column "position": is empty'],
    ['a missing field', (t: string) => t.replace('bts,women,1574554095762,2,3,', 'bts,women,1574554095762,2,'), 7, 'has 11 fields, the header has 12: check for a missing or extra comma'],
    ['an unterminated quote', (t: string) => t.replace('bts,women', '"bts,women'), 7, 'a quoted field is still open at the end of the line: Aisle reads one record per line, so a field cannot hold a line break'],
    // RFC 4180 quotes a whole field: a quote inside one that does not start with it was read as part of the value.
    ['a quote inside an unquoted field', (t: string) => t.replace('bts,women', 'bts,wo"men'), 7, 'character 7, field 2: a quote inside wo"men, a field that does not start with one: quote the whole field and double the quote inside it, "wo""men"'],
    ['text after a closing quote', (t: string) => t.replace('bts,women', '"bts"x,women'), 7, 'character 6, field 1: text after the closing quote of "bts"x…: quote the whole field, or put a comma after the quote'],
  ])('refuses %s, naming the line and the column', async (_what, edit, line, message) => {
    const found = await problems(write(edit(obdFixture())));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`logs.csv:${line}: ${message}`);
  });

  it('finds the usual column names in another case (a spreadsheet\'s "Action", "Reward"), an exact name first', async () => {
    const logs = await readLogs(write('Action,Reward,PROPENSITY,Position\na,1,0.5,1\nb,0,0.5,2\n'), 'logs.csv');
    expect(logs.columns).toEqual({ action: 'Action', reward: 'Reward', propensity: 'PROPENSITY', context: 'Position' });
    expect([...logs.reward]).toEqual([1, 0]);
    // "item" exactly before "Action" in another case: the usual names keep their order, exact matches first.
    expect((await readLogs(write('Action,item,click,pscore\na,x,1,0.5\n'), 'logs.csv')).columns.action).toBe('item');
  });

  it('stops at a quoted field holding a line break with one problem, where the next line was read as a knock-on fault', async () => {
    const found = await problems(write('action,reward,propensity\n"a,x",1,0.5\n"b\nline",0,0.5\n"c",1,0.5\n'));
    expect(found).toEqual([`logs.csv:3: ${OPEN_QUOTE_FAULT}`]);
  });

  it('lists up to 10 malformed rows, then stops', async () => {
    const rows = Array.from({ length: 15 }, (_, i) => (i % 2 ? `a${i},0,2` : `a${i},x,0.5`));
    const found = await problems(write(`item,click,pscore\n${rows.join('\n')}\n`));
    expect(found).toHaveLength(11);
    expect(found[0]).toBe('logs.csv:2: column "click": must be a finite decimal number (the reward, such as a click\'s 0 or 1), got "x"');
    expect(found[1]).toBe('logs.csv:3: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "2"');
    expect(found[9]).toContain('logs.csv:11: column "pscore"');
    expect(found[10]).toBe('logs.csv: stopped after 10 problems: fix these and run again');
  });

  it('says once, asking whether it is the column meant, when a column fails on every row checked', async () => {
    // The logging policy's name where the propensity was looked for: one problem, not ten alike.
    const rows = Array.from({ length: 15 }, (_, i) => `a${i},0,${i % 3 ? 'random' : 'bts'},0.5`);
    const file = write(`item,click,policy,pscore\n${rows.join('\n')}\n`);
    expect(await problems(file, { propensity: 'policy' })).toEqual([
      'logs.csv:2–11: column "policy": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "bts", "random", on each of the first 10 rows checked, so reading stopped: is "policy" the propensity column? If not, name the propensity column with --propensity-column',
    ]);
    // An empty action column: the rule has no value to show.
    const empty = write(`item,click,pscore\n${Array.from({ length: 12 }, () => ',0,0.5').join('\n')}\n`);
    expect(await problems(empty)).toEqual([
      'logs.csv:2–11: column "item": is empty: every row needs the action it showed, on each of the first 10 rows checked, so reading stopped: is "item" the action column? If not, name the action column with --action-column',
    ]);
  });

  it('names a missing column, the file’s columns and the option that names it', async () => {
    const file = write('policy,item,pscore\nrandom,1,0.5\n');
    expect(await problems(file)).toEqual([
      'logs.csv: has no column "reward" or "click" (its columns: policy, item, pscore): name the reward column with --reward-column',
    ]);
    expect(await problems(file, { action: 'arm', reward: 'policy', context: 'slot' })).toEqual([
      'logs.csv: has no column "arm" (its columns: policy, item, pscore): name the action column with --action-column',
      'logs.csv: has no column "slot" (its columns: policy, item, pscore): name the context column with --context-column',
    ]);
  });

  it('says what a missing propensity is and what to put there, and spots a file separated by semicolons or tabs', async () => {
    expect(await problems(write('item,click\n1,0\n'))).toEqual([
      'logs.csv: has no column "propensity", "pscore" or "propensity_score" (its columns: item, click): name the propensity column with --propensity-column ' +
        "(the logging policy's probability of showing each row's action, by which off-policy estimates (IPS, SNIPS, DR) weight the row; for an action drawn uniformly from k, it is 1/k: logs without it cannot be evaluated off-policy, though a simulator can be fitted to them)",
    ]);
    // Told the logs have none (--propensity-column none), the evaluation says the same.
    expect(await problems(write('item,click\n1,0\n'), { propensity: null })).toEqual([
      "logs.csv: off-policy evaluation needs the propensity column (the logging policy's probability of showing each row's action, by which off-policy estimates (IPS, SNIPS, DR) weight the row; " +
        'for an action drawn uniformly from k, it is 1/k: logs without it cannot be evaluated off-policy, though a simulator can be fitted to them): name the propensity column with --propensity-column',
    ]);
    expect(await problems(write('item;click;pscore\n1;0;0.5\n'))).toEqual([
      'logs.csv:1: the header is one column, "item;click;pscore": its fields look separated by semicolons, and Aisle reads comma-separated CSV: save the file with commas between the fields',
    ]);
    expect((await problems(write('item\tclick\tpscore\n1\t0\t0.5\n')))[0]).toMatch(/its fields look separated by tabs/);
  });

  it('refuses one column in two roles, naming both', async () => {
    expect(await problems(write(obdFixture()), { context: 'item' })).toEqual([
      'logs.csv: column "item" is both the action and the context: choose another column for one of them (--action-column or --context-column)',
    ]);
  });

  it('refuses a filter on a column the file lacks', async () => {
    expect(await problems(write(obdFixture()), { where: { policy: 'random', policyName: 'x' } })).toEqual([
      `logs.csv: cannot keep rows by column "policyName": there is no such column (its columns: ${OBD_HEADER.split(',').join(', ')})`,
    ]);
  });

  it('says which values a filter column holds when no row passes', async () => {
    expect(await problems(write(obdFixture()), { where: { policy: 'foo' } })).toEqual([
      'logs.csv: no row has policy=foo (values seen in column "policy": bts, random)',
    ]);
    expect(await problems(write(obdFixture()), { where: { policy: 'bts', campaign: 'kids' } })).toEqual([
      'logs.csv: no row has policy=bts, campaign=kids (values seen in column "campaign": men, women)',
    ]);
    expect(await problems(write(obdFixture()), { where: { policy: 'bts', ts_ms: '1574553793442' } })).toEqual([
      'logs.csv: no row has policy=bts, ts_ms=1574553793442 (each value occurs, but never on the same row)',
    ]);
    const many = Array.from({ length: 12 }, (_, i) => `${i},a,1,0.5`).join('\n');
    expect(await problems(write(`policy,item,click,pscore\n${many}\n`), { where: { policy: 'x' } })).toEqual([
      'logs.csv: no row has policy=x (values seen in column "policy": 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (12 in all))',
    ]);
    // Values first seen out of order (Open Bandit's items: 14, 10, 31, 12, …): the ten listed are the
    // lowest of them all, not the first eleven seen, sorted ("7, 8, 10, 12, …", as if 0 to 6 did not exist).
    const reversed = Array.from({ length: 12 }, (_, i) => `${11 - i},a,1,0.5`).join('\n');
    expect(await problems(write(`policy,item,click,pscore\n${reversed}\n`), { where: { policy: 'x' } })).toEqual([
      'logs.csv: no row has policy=x (values seen in column "policy": 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (12 in all))',
    ]);
  });

  it('quotes a value holding a comma, as --where takes it, so the list of values reads as its values', async () => {
    const pages = 'page,item,click,pscore\n"home, top",a,1,0.5\nother,b,0,0.5\n';
    expect(await problems(write(pages), { where: { page: 'home' } })).toEqual(['logs.csv: no row has page=home (values seen in column "page": "home, top", other)']);
    expect(await problems(write(pages), { where: { page: 'a, b' } })).toEqual(['logs.csv: no row has page="a, b" (values seen in column "page": "home, top", other)']);
  });

  it('refuses an empty file, a header without rows and a repeated column', async () => {
    expect(await problems(write('\n\n'))).toEqual(['logs.csv: the file is empty: expected a header line naming the columns, then one row per logged impression']);
    expect(await problems(write(`${OBD_HEADER}\n\n`))).toEqual(['logs.csv: has a header but no rows: the logs need at least one row']);
    expect(await problems(write('item,click,item,pscore\n1,0,1,0.5\n'))).toEqual([
      'logs.csv:1: the header names column "item" twice (columns 1 and 3): remove or rename one of them',
    ]);
  });

  it('refuses a missing file and a folder', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.csv');
    expect(await problems(missing)).toEqual([`logs.csv: file not found (${missing}): check the path`]);
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    expect(await problems(folder)).toEqual(['logs.csv: is a folder: give the path of the logs CSV file']);
  });

  it('refuses more action × context cells than a target policy may hold', async () => {
    // One action per row and a context column as wide: sqrt(MAX_POLICY_CELLS) + 1 of each.
    const n = Math.floor(Math.sqrt(MAX_POLICY_CELLS)) + 1;
    const rows = Array.from({ length: n }, (_, i) => `${i},${i},0,1`);
    const found = await problems(write(`item,position,click,pscore\n${rows.join('\n')}\n`));
    expect(found[0]).toContain(`logs.csv: ${n.toLocaleString('en-US')} actions × ${n.toLocaleString('en-US')} contexts is more than 10,000,000 cells`);
  });

  const REAL = sharedData('open-bandit/obd_events.csv');
  it.skipIf(!existsSync(REAL))(`reads the random policy's men's campaign from the real Open Bandit sample (${REAL}; skipped when it is absent)`, async () => {
    const logs = await readLogs(REAL, 'obd_events.csv', { where: { policy: 'random', campaign: 'men' } });
    expect(logs.rowsRead).toBe(40_000);
    expect(logs.rowsKept).toBe(10_000);
    expect(logs.action.length).toBe(10_000);
    expect(logs.actionLabels).toHaveLength(34);
    expect(logs.contextLabels).toEqual(['1', '2', '3']);
    expect(logs.propensity.every((p) => p === 0.0294118)).toBe(true);
    expect(logs.reward.reduce((s, r) => s + r, 0)).toBe(46);
  });
});

describe('readLogsToFit', () => {
  // A shop's purchase records: no propensity column, which a simulator's fit does not use.
  const purchases = 'customer,item,qty\n17850,85123A,6\n17850,71053,6\n13047,85123A,2\n';

  it('reads logs without a propensity column, with none', async () => {
    const logs = await readLogsToFit(write(purchases), 'logs.csv', { reward: 'qty' });
    expect(logs.columns).toEqual({ action: 'item', reward: 'qty', propensity: null, context: null });
    expect(logs.propensity).toBeNull();
    expect(logs.actionLabels).toEqual(['71053', '85123A']);
    expect([...logs.reward]).toEqual([6, 6, 2]);
    // Told there is none (--propensity-column none), a file that has one is read without it.
    const told = await readLogsToFit(write(obdFixture()), 'logs.csv', { propensity: null });
    expect(told.columns.propensity).toBeNull();
    expect(told.propensity).toBeNull();
  });

  it('grows its columns past the first 1,024 rows: the propensities with the others where the logs have them, none invented where they have not', async () => {
    const n = 2500;
    const pscore = (i: number) => ((i % 4) + 1) / 4;
    const rows = Array.from({ length: n }, (_, i) => `${i % 7},${i % 2}`);
    const withColumn = await readLogsToFit(write(`item,click,pscore\n${rows.map((r, i) => `${r},${pscore(i)}`).join('\n')}\n`), 'logs.csv');
    expect(withColumn.propensity && [...withColumn.propensity]).toEqual(rows.map((_, i) => pscore(i)));
    const without = await readLogsToFit(write(`item,click\n${rows.join('\n')}\n`), 'logs.csv');
    expect(without.propensity).toBeNull();
    expect(without.columns.propensity).toBeNull();
    expect([...without.reward]).toEqual(rows.map((_, i) => i % 2));
    expect(without.action).toHaveLength(n);
  });

  it('checks a propensity column the file has on the rows a holdout sets aside only (those aisle ope evaluates), and refuses one named that it lacks', async () => {
    const read = await readLogsToFit(write(obdFixture()), 'logs.csv');
    expect(read.columns.propensity).toBe('pscore');
    expect(read.propensity && [...read.propensity]).toEqual([0.0294118, 0.0294118, 0.0217391, 0.25, 0.0294118, 0.5]);
    const failed = (path: string, options: Parameters<typeof readLogsToFit>[2], holdout: Parameters<typeof readLogsToFit>[3] = {}) =>
      readLogsToFit(path, 'logs.csv', options, holdout).then(
        () => [],
        (e: unknown) => (e as ValidationError).problems,
      );
    // The fit weighs no row: without a holdout, a row's malformed propensity is not read (NaN).
    const malformed = write('item,click,pscore\n1,0,0.5\n1,0,1.5\n');
    const fitted = await readLogsToFit(malformed, 'logs.csv');
    expect(fitted.propensity && [...fitted.propensity]).toEqual([0.5, NaN]);
    // Held out (the last 50 %: line 3), the row is one aisle ope --holdout-last 50 evaluates, and refuses as it does.
    expect(await failed(malformed, {}, { holdoutLast: 50 })).toEqual([
      'logs.csv:3: column "pscore": must be a decimal number in (0, 1] on a held-out row, the logging policy\'s probability of showing this action, by which off-policy evaluation weighs the row (the rows fitted need none), got "1.5"',
    ]);
    expect(await failed(write('item,click,pscore\n1,0,1.5\n1,0,0.5\n'), {}, { holdoutLast: 50 })).toEqual([]);
    expect(await failed(write(purchases), { reward: 'qty', propensity: 'prob' })).toEqual([
      'logs.csv: has no column "prob" (its columns: customer, item, qty): name the propensity column with --propensity-column',
    ]);
  });
});
