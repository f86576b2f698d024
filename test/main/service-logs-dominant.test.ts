// logs.simulator's reply carries the rows that drive a cell's fitted mean (dominant-rows.ts) as
// fitSimulator returns them, lines of the text given included, for the Off-policy screen to warn beside the fit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeAll(() => {
  t = openService({ workers: 1 });
});
afterAll(async () => {
  await t.close();
});

/** Purchases of items a, b, c, 1 to 9 units each, then `last`. */
function purchases(last: string): string {
  const lines = ['customer,item,qty'];
  for (let k = 0; k < 60; k++) lines.push(`${k},${'abc'[k % 3]},${1 + ((k * 7) % 9)}`);
  return `${[...lines, last].join('\n')}\n`;
}

describe('logs.simulator', () => {
  it('names the row that drives its cell by its line in the text, and none of ordinary rows', async () => {
    const columns = { action: 'item', reward: 'qty', propensity: null, context: null };
    const reply = await t.call('logs.simulator', { text: purchases('61,b,80995'), fileName: 'purchases.csv', columns, prior: 1 });
    if (!reply.ok) throw new Error(reply.problems.join('\n'));
    expect(reply.dominant).toMatchObject({ count: 1, prior: 1, rows: [{ context: '', action: 'b', line: 62, reward: 80995, cellRows: 21 }] });
    const ordinary = await t.call('logs.simulator', { text: purchases('61,b,9'), fileName: 'purchases.csv', columns, prior: 1 });
    expect(ordinary).toMatchObject({ ok: true, dominant: { count: 0, rows: [] } });
  });
});
