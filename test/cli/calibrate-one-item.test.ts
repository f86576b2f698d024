// Events of one item only cannot make a shop: the refusal counted them ungrouped, "all its 12000
// purchase lines are of one item (A)", where every other count in calibrate's output is grouped.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/cli/calibrate';
import { ValidationError } from '../../src/engine/params';
import { tempDir } from '../helpers/tmp';

describe('shop calibrate on events of one item', () => {
  it('refuses them, counting the purchase lines grouped', async () => {
    const file = join(tempDir(), 'events.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `${1_300_000_000 + i * 60},c${i % 40},i${i},A,1,2.5`);
    writeFileSync(file, `ts,customer,invoice,item,qty,price\n${rows.join('\n')}\n`);
    const refused = await calibrate(file, 'events.csv', { items: 10, categories: 2, gapMinutes: 60 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).problems).toEqual(['events.csv: all its 12,000 purchase lines are of one item (A): a shop needs purchases of at least 2 items to calibrate']);
  });
});
