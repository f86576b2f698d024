// A logs file's column names in the lines that name them (the CLI's and the Off-policy screen's
// alike): the columns a filter keeps mixed, a row that drives its cell, one column in two roles, a
// column named that the file lacks or nearly has, a filter's unknown column with the file's columns
// listed, a row's problem in it, a filter on the reward column, a filter no row passes (its column
// and value, and the values the column holds). A header's name reached them raw and whole (ESC[31m recolouring the terminal, U+202E
// reversing the rest of the line, a line break splitting it, 5,000 characters printed in full); it
// is now quoted (show) or listed (listedName) as a message names a file's text. Ordinary names read
// as before (ope-column-suggestion, ope-reward-filter and logged-data assert those whole).
import { describe, expect, it } from 'vitest';
import { dominantRowsText, CLI_DOMINANT_FIX, type DominantRows } from '../../src/engine/ope/dominant-rows';
import { mixedColumnsText } from '../../src/engine/ope/logging-columns';
import { parseLogLines } from '../../src/engine/ope/csv';
import { show } from '../../src/engine/params';
import { problemsOf } from '../helpers/validation-problems';

/** Each name, and how a message quotes it (listedName's quotes are show's). */
const HOSTILE: [string, string, string][] = [
  ['an ESC sequence', 'a\u001b[31mred', '"a\\u001b[31mred"'],
  ['U+202E', 'a\u202Eb', '"a\\u202eb"'],
  ['a line break', 'two\nlines', '"two\\nlines"'],
  ['5,000 characters', 'x'.repeat(5_000), `"${'x'.repeat(60)}"…`],
];

function safe(line: string): void {
  expect(line).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
  expect(line.length).toBeLessThan(1_500);
}

/** A logs file whose header holds `name` beside ordinary columns (a file's lines are read one by one: no header holds a line break). */
const lines = (name: string) => [`policy,item,click,pscore,${name}`, 'random,a,1,0.5,u', 'random,b,0,0.5,v'];
const inHeader = HOSTILE.filter(([, name]) => !name.includes('\n'));

describe.each(HOSTILE)('a column name holding %s', (_what, name, shown) => {
  it('in the note of the columns the rows kept mix', () => {
    const column = `policy ${name}`; // a name that says which policy logged a row
    const said = mixedColumnsText([{ name: column, values: ['bts', 'random'] }], 'above');
    safe(said);
    // Quoted as show() quotes a text (its own cases: params tests): here, that it is quoted at all.
    expect(said).toContain(`The rows kept mix 2 values of ${show(column)} (bts, random).`);
    expect(show(column)).toMatch(/^"policy /);
  });

  it('in the warning of a row that drives its cell', () => {
    const d: DominantRows = { rows: [{ context: 'c', action: 'a', line: 3, row: 2, reward: 100, share: 0.9, cellRows: 2, mean: 50, meanWithout: 1 }], count: 1, median: 1, prior: 1, clearingPrior: 100 };
    const said = dominantRowsText(d, 'logs.csv', { action: name, reward: name, context: name }, CLI_DOMINANT_FIX)!;
    safe(said);
    expect(said).toContain(`logs.csv:3 (${shown}=c, ${shown}=a): ${shown} 100,`);
    expect(said).toContain(`median nonzero |${shown}| fitted`);
  });
});

describe.each(inHeader)('a header name holding %s', (_what, name, shown) => {
  it('in the refusal of one column in two roles', async () => {
    const [said] = await problemsOf(() => parseLogLines(lines(name), 'logs.csv', { action: name, context: name }));
    safe(said!);
    expect(said).toBe(`logs.csv: column ${shown} is both the action and the context: choose another column for one of them (--action-column or --context-column)`);
  });

  it('in the refusal of a column the file lacks, its near name and its columns', async () => {
    const typed = name.toUpperCase() === name ? `${name}Z` : name.toUpperCase();
    const [said] = await problemsOf(() => parseLogLines(lines(name), 'logs.csv', { action: typed }));
    safe(said!);
    expect(said).toContain(`(its columns: policy, item, click, pscore, ${shown})`);
    const [filter] = await problemsOf(() => parseLogLines(lines(name), 'logs.csv', { where: { [typed]: 'u' } }));
    safe(filter!);
    expect(filter).toContain(`(its columns: policy, item, click, pscore, ${shown})`);
    // Typed in another case, the file's name is offered, quoted.
    if (typed === name.toUpperCase()) expect(said).toContain(`: did you mean ${shown}?`);
  });
  it("in a row's problem under it, and on rows that all break it, asking whether it is that role's column", async () => {
    const header = `policy,item,click,pscore,${name}`;
    const [one] = await problemsOf(() => parseLogLines([header, 'random,a,1,0.5,often', 'random,b,0,0.5,1'], 'logs.csv', { reward: name }));
    safe(one!);
    expect(one).toBe(`logs.csv:2: column ${shown}: must be a finite decimal number (the reward, such as a click's 0 or 1), got "often"`);
    // Every row checked breaks it: one line, ending in the question.
    const [all] = await problemsOf(() => parseLogLines([header, ...Array.from({ length: 12 }, () => 'random,a,1,0.5,often')], 'logs.csv', { reward: name }));
    safe(all!);
    expect(all).toContain(`: column ${shown}: must be a finite decimal number`);
    expect(all).toContain(`: is ${shown} the reward column? If not, name the reward column with --reward-column`);
  });

  it('in the refusal of a filter on the reward column', async () => {
    const rewarded = [`policy,item,pscore,${name}`, `random,a,0.5,${name}`, 'random,b,0.5,0'];
    const [said] = await problemsOf(() => parseLogLines(rewarded, 'logs.csv', { reward: name, where: { [name]: name } }));
    safe(said!);
    expect(said).toBe(`logs.csv: cannot keep rows by column ${shown}: it is the reward, and on the rows with ${shown}=${shown} every reward is ${shown}, which leaves the estimates and a fit nothing to tell: drop ${shown}=${shown}`);
  });
  it('in the refusal of filters no row passes: the filter asked, the column and the values it holds', async () => {
    const held = [`policy,item,click,pscore,${name}`, `random,a,1,0.5,${name}`, 'random,b,0,0.5,0'];
    const [said] = await problemsOf(() => parseLogLines(held, 'logs.csv', { where: { [name]: 'none', policy: name } }));
    safe(said!);
    expect(said).toBe(`logs.csv: no row has ${shown}=none, policy=${shown} (values seen in column ${shown}: 0, ${shown})`);
  });
});
