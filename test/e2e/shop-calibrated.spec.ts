// A shop preset that names a catalog file (the calibrated Online Retail shop): imported into the
// form together with that file, which the form then holds inline; imported alone, an inline
// message says which file to pick with it. A catalog file on its own (what `aisle shop calibrate`
// writes) becomes the shop's catalog (onto the untouched starter, with the shop's default settings in
// place of the starter's small exact shop), and a bad one is reported under its field.
import { readFileSync, writeFileSync } from 'node:fs';
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
  await expect(app.getByTestId('summary-env.catalog')).toHaveText('catalog: 100 items in 8 categories');
  await expect(app.getByTestId('import-problems')).toHaveCount(0);
  // Shortened, then launched: the run trains on the calibrated catalog and completes.
  await app.getByTestId('input-episodes').fill('200');
  await app.getByTestId('input-seeds').fill('1');
  await expect(app.getByTestId('launch')).toHaveText('Launch 1 run');
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
  await expect(app.locator('[data-testid=run-row] [data-testid=run-status]')).toHaveText('completed', { timeout: 60_000 });

  // Its detail names the catalog in one line, in the fingerprint and the environment's table.
  await openScreen(app, '#/runs/1');
  await expect(app.getByTestId('fingerprint')).toContainText('"catalog":"<catalog: 100 items in 8 categories>"');
  await expect(app.getByTestId('fingerprint')).not.toContainText('85123A'); // an item id in the catalog's JSON
  await expect(app.getByRole('region', { name: 'Environment configuration' })).toContainText('catalog: 100 items in 8 categories');
});

test('a catalog imported onto the untouched starter trains on the shop’s defaults, not the starter’s small exact shop', async ({ app }) => {
  await openScreen(app, '#/experiments/new');
  await expect(app.getByTestId('input-env.exact')).toBeChecked();
  await app.getByTestId('import-input').setInputFiles(CATALOG);
  await expect(app.getByTestId('import-note')).toHaveText('Imported online-retail.shop.json as the shop’s catalog; the settings the starter chose for its small shop are back at the shop’s and the agent’s defaults.');
  await expect(app.getByTestId('summary-env.catalog')).toHaveText('catalog: 100 items in 8 categories');
  await expect(app.getByTestId('input-env.exact')).not.toBeChecked();
  await expect(app.getByTestId('input-env.maxSteps')).toHaveValue('100');
  await expect(app.getByTestId('input-env.segments')).toHaveValue('2');
  await expect(app.getByTestId('input-name')).toHaveValue('q-learning on shop');
  await expect(app.getByTestId('launch')).toBeEnabled();
});

test('a catalog file on its own becomes the shop’s catalog; a bad one is reported under its field', async ({ app, server }) => {
  await openScreen(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('seed-toy'); // New experiment starts on the shop: the import must switch to it
  await app.getByTestId('import-input').setInputFiles(CATALOG);
  await expect(app.getByTestId('import-note')).toHaveText('Imported online-retail.shop.json as the shop’s catalog.');
  await expect(app.getByTestId('select-env')).toHaveValue('shop');
  await expect(app.getByTestId('summary-env.catalog')).toHaveText('catalog: 100 items in 8 categories');
  await expect(app.getByTestId('launch')).toBeEnabled();

  // The same catalog with a negative price: the service's problem appears under the field.
  const bad = JSON.parse(readFileSync(CATALOG, 'utf8')) as { items: { price: number }[] };
  bad.items[3]!.price = -1;
  const file = join(server.dataDir, 'bad.shop.json'); // removed with the server's folder
  writeFileSync(file, JSON.stringify(bad));
  await app.getByTestId('import-input').setInputFiles(file);
  await expect(app.getByTestId('problem-env.catalog')).toContainText('items[3].price');
  await expect(app.getByTestId('launch')).toBeDisabled();
});
