// The simulated shop in the app, with no UI code written for it: the form generated from the shop's
// schema (its fields with their help texts, a preset imported from resources/experiments), and the
// shop's metrics (clicks, revenue, CTR, Gini…) in a run's detail and in Compare.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { launchAndWait, openScreen } from './arrange';
import { expect, ROOT, test } from './fixtures';

const preset = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(ROOT, 'resources/experiments', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** New experiment starts on the starter's small shop: picked afresh, the shop comes with its own defaults. */
async function freshShop(app: Page): Promise<void> {
  await openScreen(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('seed-toy');
  await app.getByTestId('select-env').selectOption('shop');
}

test('the form offers the shop with its parameters and help texts, and imports a shop preset', async ({ app }) => {
  await freshShop(app);
  await expect(app.getByTestId('panel-env')).toContainText('shop');
  // A shop parameter with its default, its range and its description as help.
  await expect(app.getByTestId('input-env.fatigueLoss')).toHaveValue('0.1');
  await expect(app.getByTestId('field-env.fatigueLoss')).toContainText('Engagement lost per step per unit of fatigue');
  await expect(app.getByTestId('field-env.items')).toContainText('Number of items in the generated catalog');
  // Its ~55 parameters folded in groups, closed while they hold the defaults; a group opens on a click.
  const engagement = app.getByTestId('group-env.Engagement, fatigue and leaving');
  await expect(engagement).not.toHaveAttribute('open');
  await expect(engagement.locator('summary')).toHaveText('Engagement, fatigue and leaving 10 settings, defaults');
  await expect(app.getByTestId('input-env.fatigueLoss')).toBeHidden();
  await engagement.locator('summary').click();
  await expect(app.getByTestId('input-env.fatigueLoss')).toBeVisible();
  await app.getByTestId('input-env.fatigueLoss').fill('0.2');
  await expect(engagement.locator('summary')).toHaveText('Engagement, fatigue and leaving 1 of 10 changed');
  // A shop baseline from the agent catalog.
  await app.getByTestId('select-agent').selectOption('myopic-oracle');
  await expect(app.getByTestId('launch')).toBeEnabled();

  // A preset file from resources/experiments fills the form.
  await app.getByTestId('import-input').setInputFiles(join(ROOT, 'resources/experiments/shop-fatigue.json'));
  await expect(app.getByTestId('input-name')).toHaveValue('shop fatigue: q-learning');
  await expect(app.getByTestId('select-env')).toHaveValue('shop');
  await expect(app.getByTestId('input-env.fatigueLoss')).toHaveValue('0.3');
  // The preset's changed settings are in open groups; the groups it leaves at the defaults stay closed.
  await expect(engagement).toHaveAttribute('open');
  await expect(app.getByTestId('group-env.Drift')).not.toHaveAttribute('open');
  await expect(app.getByTestId('select-agent')).toHaveValue('q-learning');
  await expect(app.getByTestId('input-seeds')).toHaveValue('10');
  await expect(app.getByTestId('launch')).toBeEnabled();
});

test('a shop run shows the shop metrics in its detail and in Compare', async ({ app, server }) => {
  test.setTimeout(120_000);
  // shop-fatigue's shop, shortened: Q-learning against the myopic oracle, 2 seeds each.
  const q = await launchAndWait(server, { ...preset('shop-fatigue'), episodes: 300, seeds: 2 });
  const myopic = await launchAndWait(server, { ...preset('shop-fatigue-myopic'), episodes: 300, seeds: 2 });

  await openScreen(app, `#/runs/${q.runIds[0]}`);
  await expect(app.getByTestId('run-detail')).toBeVisible();
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('completed');
  for (const metric of ['return', 'clicks', 'purchases', 'revenue', 'ctr', 'conversion', 'coverage', 'diversity', 'gini', 'novelty']) {
    await expect(app.getByTestId(`metric-${metric}`)).toBeVisible();
  }
  await expect(app.getByTestId('metric-revenue').locator('canvas[data-drawn]')).toHaveCount(1);

  await openScreen(app, '#/compare');
  await app.getByTestId(`compare-exp-${q.experimentId}`).check();
  await app.getByTestId(`compare-exp-${myopic.experimentId}`).check();
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  const metric = app.getByTestId('compare-metric');
  for (const name of ['clicks', 'revenue', 'ctr', 'conversion', 'coverage', 'gini', 'novelty']) await expect(metric.locator(`option[value="${name}"]`)).toHaveCount(1);
  // The picker names a metric's direction: the exposure Gini is fairer low (Compare's improvement is then P(X < Y)).
  await expect(metric.locator('option[value="gini"]')).toHaveText('gini (lower is better)');
  await metric.selectOption('ctr');
  await expect(app).toHaveURL(/metric=ctr/);
  await expect(app.getByTestId('compare-chart')).toHaveAttribute('data-groups', '2');
  await expect(app.getByTestId('compare-canvas')).toHaveAttribute('data-drawn', /\d+/);
});

test('a folded group says how many problems it hides, and "N problems to fix" leads to the first one', async ({ app }) => {
  await freshShop(app);
  const catalog = app.getByTestId('group-env.Catalog');
  const slates = app.getByTestId('group-env.Slates and clicks');
  await catalog.locator('summary').click();
  await app.getByTestId('input-env.priceMedian').fill('1e9');
  await app.getByTestId('input-env.items').fill('300');
  await slates.locator('summary').click();
  await app.getByTestId('input-env.slateSize').fill('2.5');
  await expect(app.getByTestId('problem-env.priceMedian')).toBeVisible();
  await expect(app.getByTestId('problem-env.slateSize')).toBeVisible();

  // Folded, each group names its problem; an invalid value is not counted as a change.
  await catalog.locator('summary').click();
  await slates.locator('summary').click();
  await expect(catalog).not.toHaveAttribute('open');
  await expect(slates).not.toHaveAttribute('open');
  await expect(catalog.locator('summary')).toHaveText('Catalog 1 of 14 changed 1 problem');
  await expect(slates.locator('summary')).toHaveText('Slates and clicks 7 settings 1 problem');
  await expect(catalog.getByTestId('group-problems')).toHaveCSS('color', 'rgb(198, 40, 40)');

  // The footer's count is a button: it opens the first problem's group and focuses its field.
  const go = app.getByTestId('go-to-problem');
  await expect(go).toHaveText('2 problems to fix');
  await go.click();
  await expect(catalog).toHaveAttribute('open');
  await expect(app.getByTestId('input-env.priceMedian')).toBeFocused();
  await app.getByTestId('input-env.priceMedian').fill('30');
  await go.click();
  await expect(slates).toHaveAttribute('open');
  await expect(app.getByTestId('input-env.slateSize')).toBeFocused();
  await app.getByTestId('input-env.slateSize').fill('2');
  await expect(app.getByTestId('launch')).toBeEnabled();
  await expect(catalog.locator('summary')).toHaveText('Catalog 2 of 14 changed');
});

test("shop drift: the learning curves mark the preference shift at the shop's shiftAt, on a run's page and in Compare", async ({ app, server }) => {
  test.setTimeout(120_000);
  // shop-drift, shortened: the shift at episode 60 of 150.
  const drift = (name: string, shiftAt: number | null) => {
    const p = preset(name);
    return { ...p, name: `${p.name as string} (shift ${shiftAt})`, env: { ...(p.env as object), shiftAt }, episodes: 150, seeds: 1 };
  };
  const q = await launchAndWait(server, drift('shop-drift', 60));
  const myopic = await launchAndWait(server, drift('shop-drift-myopic', 60));
  const later = await launchAndWait(server, drift('shop-drift-myopic', 100));
  const none = await launchAndWait(server, drift('shop-drift-myopic', null));

  await openScreen(app, `#/runs/${q.runIds[0]}`);
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('completed');
  for (const metric of ['return', 'revenue']) {
    const canvas = app.getByTestId(`chart-${metric}`);
    await expect(canvas).toHaveAttribute('data-episode-marks', '60 preference shift');
    await expect(canvas).toHaveAttribute('aria-label', /; marked: preference shift at episode 60$/);
  }
  // A shop without a shift marks nothing.
  await openScreen(app, `#/runs/${none.runIds[0]}`);
  await expect(app.getByTestId('chart-return')).toHaveAttribute('data-drawn', /\d+/);
  await expect(app.getByTestId('chart-return')).toHaveAttribute('data-episode-marks', '');

  // Compare: groups that shift at one episode share the mark, and the caption says what it is.
  await openScreen(app, '#/compare');
  await app.getByTestId(`compare-exp-${q.experimentId}`).check();
  await app.getByTestId(`compare-exp-${myopic.experimentId}`).check();
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  await expect(app.getByTestId('compare-canvas')).toHaveAttribute('data-episode-marks', '60 preference shift');
  await expect(app.getByTestId('compare-marks')).toHaveText(/^\s*Dashed vertical line: preference shift at episode 60\.$/);
  await expect(app.getByTestId('compare-marks-note')).toHaveCount(0);
  // A group that shifts elsewhere: no mark would be everyone's, and the note says each group's.
  await app.getByTestId(`compare-exp-${later.experimentId}`).check();
  await expect(app.getByTestId('compare-group')).toHaveCount(3);
  await expect(app.getByTestId('compare-canvas')).toHaveAttribute('data-episode-marks', '');
  await expect(app.getByTestId('compare-marks')).toHaveCount(0);
  const note = app.getByTestId('compare-marks-note');
  await expect(note).toContainText("Not marked on the chart: the groups' environments change at different episodes (");
  await expect(note).toContainText('preference shift at episode 60');
  await expect(note).toContainText('preference shift at episode 100');
});
