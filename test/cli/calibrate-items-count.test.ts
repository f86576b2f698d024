// `aisle shop calibrate --items 1000` said "the 1000 most purchased of 1,200 items": the catalog's
// size ungrouped beside the data's grouped count, in one sentence (and so did the --experiment's
// description). Both are grouped now.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('shop calibrate with a catalog of a thousand items or more', () => {
  it('writes its size grouped, as the items in the data', () => {
    const dir = tempDir();
    // 1,200 items, the first 1,000 bought twice (by two customers), the rest once.
    const rows: string[] = [];
    for (let i = 0; i < 1_200; i++) {
      rows.push(`${1_300_000_000 + i * 60},c${i % 30},i${i},it${i},1,2.5`);
      if (i < 1_000) rows.push(`${1_300_100_000 + i * 60},d${i % 30},j${i},it${i},1,2.5`);
    }
    rows.sort((a, b) => Number(a.split(',')[0]) - Number(b.split(',')[0]));
    writeFileSync(join(dir, 'events.csv'), `ts,customer,invoice,item,qty,price\n${rows.join('\n')}\n`);
    const r = aisle(['shop', 'calibrate', 'events.csv', '--items', '1000', '--categories', '2', '-o', 'shop.json', '--experiment', 'exp.json'], { db: join(dir, 'aisle.db'), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the 1,000 most purchased of 1,200 items');
    // And the experiment's description, which groups its other counts.
    expect((JSON.parse(readFileSync(join(dir, 'exp.json'), 'utf8')) as { description: string }).description).toContain('the 1,000 most purchased items');
  });
});
