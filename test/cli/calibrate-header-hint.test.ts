// `aisle shop calibrate` reads `ts,customer,invoice,item,qty,price`. A team that brings the original
// UCI Online Retail file (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice, CustomerID) or
// another shop's export was told only which columns were lacking; now the message says which of the
// file's columns to rename to what, and a time written as a date is named as such, with the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../src/cli/calibrate-data';
import { problemsOf } from '../helpers/validation-problems';
import { tempDir } from '../helpers/tmp';

function read(text: string): Promise<readonly string[]> {
  const path = join(tempDir(), 'events.csv');
  writeFileSync(path, text);
  return problemsOf(() => readEvents(path, 'events.csv', () => undefined));
}

describe('a header with other names for the columns', () => {
  it('the original UCI file: each column to rename, the times as unix seconds, and what else to leave out', async () => {
    const uci = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n';
    expect(await read(uci)).toEqual([
      'events.csv:1: the header lacks columns "ts", "customer", "invoice", "item", "qty", "price": the first line must name the columns ts,customer,invoice,item,qty,price; ' +
        'rename "InvoiceDate" to ts (its times as whole seconds since 1970, UTC), "CustomerID" to customer, "InvoiceNo" to invoice, "StockCode" to item, "Quantity" to qty, "UnitPrice" to price, ' +
        "and leave out the original Online Retail file's cancellations (a negative Quantity) and rows without a CustomerID",
    ]);
  });

  // Online Retail II (UCI, 2009–2011) names the customer "Customer ID", with a space: it was left out
  // of the renames, and the cancellations went unmentioned (its invoice column is Invoice).
  it('Online Retail II: its "Customer ID" too, and the same things to leave out', async () => {
    const ii = 'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085,United Kingdom\n';
    expect(await read(ii)).toEqual([
      'events.csv:1: the header lacks columns "ts", "customer", "item", "qty": the first line must name the columns ts,customer,invoice,item,qty,price; ' +
        'rename "InvoiceDate" to ts (its times as whole seconds since 1970, UTC), "Customer ID" to customer, "StockCode" to item, "Quantity" to qty, ' +
        "and leave out the original Online Retail file's cancellations (a negative Quantity) and rows without a Customer ID",
    ]);
  });

  it('names only the columns it recognises, and says nothing more when it recognises none', async () => {
    expect(await read('ts,user_id,invoice,sku,qty,price\n1300000000,c1,1,A,1,2.00\n')).toEqual([
      'events.csv:1: the header lacks columns "customer", "item": the first line must name the columns ts,customer,invoice,item,qty,price; rename "user_id" to customer, "sku" to item',
    ]);
    expect(await read('ts,customer,item,qty,price\n1,c,A,1,1\n')).toEqual(['events.csv:1: the header lacks column "invoice": the first line must name the columns ts,customer,invoice,item,qty,price']);
  });
});

describe('a time written as a date', () => {
  it.each([['2011-03-13T08:26:00Z'], ['12/1/2010 8:26'], ['2011-03-13']])('%s: says to convert the column to unix time', async (date) => {
    expect(await read(`ts,customer,invoice,item,qty,price\n${date},c1,1,A,1,2.00\n1300000000,c1,1,B,1,2.00\n`)).toEqual([
      `events.csv:2: column "ts": must be a whole number of seconds since 1970 (unix time) up to 253,402,300,799 (the end of 9999), got ${JSON.stringify(date)}: a date as text? Convert the column to unix time, whole seconds since 1970-01-01 UTC`,
    ]);
  });

  it('adds nothing to a time that is no date (a fraction of a second)', async () => {
    expect(await read('ts,customer,invoice,item,qty,price\n1300000000.5,c1,1,A,1,2.00\n')).toEqual([
      'events.csv:2: column "ts": must be a whole number of seconds since 1970 (unix time) up to 253,402,300,799 (the end of 9999), got "1300000000.5"',
    ]);
  });
});
