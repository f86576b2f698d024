// A shop preset that names a catalog file (the calibrated Online Retail shop): imported into the
// form together with that file, which the form then holds inline; imported alone, an inline
// message says which file to pick with it.
import { join } from 'node:path';
import { openScreen } from './arrange';
import { expect, ROOT, test } from './fixtures';

const PRESET = join(ROOT, 'resources/experiments/shop-calibrated.json');
const CATALOG = join(ROOT, 'resources/shops/online-retail.shop.json');

test('a calibrated-shop preset imports with its catalog file and launches', async ({ app }) => {
  await openScreen(app, '#/experiments/new');
  await app.getByTestId('import-input').setInputFiles(PRESET);
  await expect(app.getByTestId('import-problems')).toContainText('pick online-retail.shop.json together with shop-calibrated.json (select both files when importing)');
  await app.getByTestId('import-input').setInputFiles([PRESET, CATALOG]);
  await expect(app.getByTestId('select-env')).toHaveValue('shop');
  await expect(app.getByTestId('field-env.catalog')).toContainText('an inline object');
  await expect(app.getByTestId('import-problems')).toHaveCount(0);
  // Shortened, then launched: the run trains on the calibrated catalog and completes.
  await app.getByTestId('input-episodes').fill('200');
  await app.getByTestId('input-seeds').fill('1');
  await expect(app.getByTestId('launch')).toHaveText('Launch 1 run');
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
  await expect(app.locator('[data-testid=run-row] [data-testid=run-status]')).toHaveText('completed', { timeout: 60_000 });
});
