// Item ids become the calibrated catalog's ids (and the top item of each category names it), and a
// catalog id holds no control character. An events file whose stock code held a tab (in a quoted
// field) was calibrated with exit 0, and the catalog and experiment written were then refused by
// `aisle run`: 'env.catalog.items[0].id: must not contain control characters (found U+0009 at
// character 2)' (found by the real-data audit's CSV battery). calibrate refuses the row now, by
// its line and column, as it refuses an id too long for the catalog.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/cli/calibrate';
import { ValidationError } from '../../src/engine/params';
import { shopCatalogSchema } from '../../src/engine/envs/shop/params';
import { tempDir } from '../helpers/tmp';

async function problems(item: string): Promise<readonly string[] | undefined> {
  const file = join(tempDir(), 'events.csv');
  const rows = ['1300000000,c1,i1,A,1,2.5', `1300000060,c1,i1,${item},2,1.5`, '1300000120,c2,i2,B,1,3'];
  writeFileSync(file, `ts,customer,invoice,item,qty,price\n${rows.join('\n')}\n`);
  return calibrate(file, 'events.csv', { items: 10, categories: 2, gapMinutes: 60 }).then(
    () => undefined,
    (e: unknown) => (e instanceof ValidationError ? e.problems : [String(e)]),
  );
}

describe('shop calibrate on a stock code holding a control character', () => {
  it('refuses the row by its line and column, naming the character', async () => {
    expect(await problems('"B\t2"')).toEqual(['events.csv:3: column "item": holds a control character (U+0009 at character 2), which a catalog item id cannot hold: remove it, got "B\\t2"']);
    expect(await problems('B\u00002')).toEqual(['events.csv:3: column "item": holds a control character (U+0000 at character 2), which a catalog item id cannot hold: remove it, got "B\\u00002"']);
  });

  it('is what the catalog refuses, and a code with other characters is taken', async () => {
    expect(shopCatalogSchema.safeParse({ items: [{ id: 'B\t2', category: 0, price: 1, quality: 1, attractiveness: 0 }] }).success).toBe(false);
    expect(await problems('"B 2, blue"')).toBeUndefined();
  });
});
