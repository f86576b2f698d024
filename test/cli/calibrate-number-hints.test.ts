// Numbers as spreadsheets and pandas write them, in the files `shop calibrate` and `aisle ope` read.
// Every qty that was not plain digits was refused as 'must be a whole number ≥ 1 (returns and
// cancellations are not purchases: remove them)': "1,234" (a thousands separator) and "6.0" (pandas'
// float column) were told they were returns. A price, reward or propensity written "1,234.5" or
// "2,55" was refused with no word of the separator (found by the real-data audit's CSV battery).
// Now only a qty below 1 is called a return, "6.0" is read as ts's "1300000000.0" is, and a
// thousands separator or a decimal comma is named with the number written plainly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EventRow, readEvents } from '../../src/cli/calibrate-data';
import { numberFormatHint } from '../../src/engine/csv';
import { parseLogLines } from '../../src/engine/ope/csv';
import { problemsOf } from '../helpers/validation-problems';
import { tempDir } from '../helpers/tmp';

const HEADER = 'ts,customer,invoice,item,qty,price';

function events(qty: string, price = '2.55'): string {
  const path = join(tempDir(), 'events.csv');
  writeFileSync(path, `${HEADER}\n1300000000,c1,i1,A,1,1.5\n1300000060,c1,i1,B,${qty},${price}\n`);
  return path;
}

describe('a qty or a price as an export writes it', () => {
  it('calls only a qty below 1 a return or a cancellation', async () => {
    const returns = 'must be a whole number ≥ 1 (returns and cancellations are not purchases: remove them)';
    expect(await problemsOf(() => readEvents(events('-2'), 'events.csv', () => undefined))).toEqual([`events.csv:3: column "qty": ${returns}, got "-2"`]);
    expect(await problemsOf(() => readEvents(events('0'), 'events.csv', () => undefined))).toEqual([`events.csv:3: column "qty": ${returns}, got "0"`]);
    expect(await problemsOf(() => readEvents(events('"1,234"'), 'events.csv', () => undefined))).toEqual([
      'events.csv:3: column "qty": must be a whole number ≥ 1, got "1,234": a thousands separator? Write the number without it, 1234',
    ]);
    expect(await problemsOf(() => readEvents(events('6.5'), 'events.csv', () => undefined))).toEqual(['events.csv:3: column "qty": must be a whole number ≥ 1, got "6.5"']);
  });

  it('reads a whole qty written as a decimal, as pandas writes a float column', async () => {
    const rows: EventRow[] = [];
    await readEvents(events('6.0'), 'events.csv', (row) => void rows.push(row));
    expect(rows.map((r) => r.qty)).toEqual([1, 6]);
  });

  it('names a thousands separator or a decimal comma in a price', async () => {
    expect(await problemsOf(() => readEvents(events('1', '"1,234.5"'), 'events.csv', () => undefined))).toEqual([
      'events.csv:3: column "price": must be a decimal number such as 2.55, got "1,234.5": a thousands separator? Write the number without it, 1234.5',
    ]);
    expect(await problemsOf(() => readEvents(events('1', '"2,55"'), 'events.csv', () => undefined))).toEqual([
      'events.csv:3: column "price": must be a decimal number such as 2.55, got "2,55": a decimal comma? Write the number with a point, 2.55',
    ]);
  });
});

describe('a reward or a propensity as an export writes it', () => {
  it('names a thousands separator or a decimal comma', async () => {
    const logs = (reward: string, p: string) => ['item,click,pscore', 'a,0,0.5', `b,${reward},${p}`];
    expect(await problemsOf(() => parseLogLines(logs('"1,250"', '0.5'), 'logs.csv'))).toEqual([
      'logs.csv:3: column "click": must be a finite decimal number (the reward, such as a click\'s 0 or 1), got "1,250": a thousands separator? Write the number without it, 1250',
    ]);
    expect(await problemsOf(() => parseLogLines(logs('1', '"0,125"'), 'logs.csv'))).toEqual([
      'logs.csv:3: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got "0,125": a decimal comma? Write the number with a point, 0.125',
    ]);
  });

  it('says nothing of a value that is neither', () => {
    for (const text of ['x', '1,2,3', '12,34,567', '0,125,000', '', '1.234,5']) expect(numberFormatHint(text)).toEqual({});
  });
});
