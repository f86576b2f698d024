// "Start from a preset" opens New experiment with its preset list open (presets=open in the
// address): once a preset is picked the list closes and the address says so, so a reload, or Back
// from the runs it launched, shows the preset's form without the list above it.
import { openScreen } from './arrange';
import { expect, test } from './fixtures';

const hash = (page: { url: () => string }) => new URL(page.url()).hash;

test('the preset list, picked from, leaves the address; opened again with its button, it comes back after a reload', async ({ app }) => {
  await openScreen(app, '#/experiments/new?presets=open');
  await expect(app.getByTestId('preset-list')).toBeVisible();
  await app.getByTestId('preset-quickstart.json').click();
  await expect(app.getByTestId('preset-list')).toHaveCount(0);
  await expect(app.locator('#f-name')).toHaveValue('quickstart: cliff walking, q-learning');
  expect(hash(app)).toBe('#/experiments/new');
  await app.reload();
  await expect(app.locator('#f-name')).toHaveValue('quickstart: cliff walking, q-learning');
  await expect(app.getByTestId('preset-list')).toHaveCount(0);

  await app.getByTestId('presets-toggle').click();
  await expect(app.getByTestId('preset-list')).toBeVisible();
  expect(hash(app)).toBe('#/experiments/new?presets=open');
  await app.reload();
  await expect(app.getByTestId('preset-list')).toBeVisible();
  await app.getByTestId('presets-toggle').click();
  await expect(app.getByTestId('preset-list')).toHaveCount(0);
  expect(hash(app)).toBe('#/experiments/new');
  // The address that opens it, followed while the form is shown, opens it again.
  await openScreen(app, '#/experiments/new?presets=open');
  await expect(app.getByTestId('preset-list')).toBeVisible();
  await expect(app.locator('#f-name')).toHaveValue('quickstart: cliff walking, q-learning');
});
