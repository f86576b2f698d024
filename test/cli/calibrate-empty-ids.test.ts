// `aisle shop calibrate` refuses a row without a customer, invoice or item id, naming the column in
// words that read: it said "every row needs a invoice id" and "a item id".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { problemsOf } from '../helpers/validation-problems';
import { tempDir } from '../helpers/tmp';

it('names an empty customer, invoice or item id, each with its article', async () => {
  const path = join(tempDir(), 'events.csv');
  writeFileSync(path, 'ts,customer,invoice,item,qty,price\n1300000000,,i1,A,1,1.5\n1300000000,c1,,A,1,1.5\n1300000000,c1,i1,,1,1.5\n');
  expect(await problemsOf(() => readEvents(path, 'events.csv', () => undefined))).toEqual([
    'events.csv:2: column "customer": is empty: every row needs a customer id',
    'events.csv:3: column "invoice": is empty: every row needs an invoice id',
    'events.csv:4: column "item": is empty: every row needs an item id',
  ]);
});
