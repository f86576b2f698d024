// Compare's chart of a metric every group holds at one value: chart.js spread the flat axis to the
// value ± 1, so the shop's diversity, 0 with slates of one category and a share in [0, 1], read
// −1.0 to 1.0. The axis keeps within the metric's declared range.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, ROOT } from './fixtures';
import { launchAndWait, openScreen } from './arrange';

const preset = (file: string) => ({ ...JSON.parse(readFileSync(join(ROOT, 'resources/experiments', file), 'utf8')), seeds: 2, episodes: 2000 });

test("a metric flat in every group keeps the chart's axis within its range: diversity 0 reads 0 to 1, not −1 to 1", async ({ app, server }) => {
  const ids: number[] = [];
  for (const file of ['shop-fatigue.json', 'shop-fatigue-myopic.json']) ids.push((await launchAndWait(server, preset(file))).experimentId);
  await openScreen(app, `#/compare?experiments=${ids.join(',')}&metric=diversity`);
  await expect(app.getByTestId('compare-group')).toHaveCount(2);
  const canvas = app.getByTestId('compare-canvas');
  await expect(canvas).toHaveAttribute('data-y-ticks', /^0;.*;1(\.0)?$/);
  const ticks = (await canvas.getAttribute('data-y-ticks'))!.split(';').map(Number);
  expect(Math.min(...ticks)).toBe(0);
  expect(Math.max(...ticks)).toBe(1);
  // The two groups' lines, both at 0, lie on one another: the chart says so (they are drawn in turns).
  await expect(app.getByTestId('compare-identical')).toHaveText(/^Both groups have identical curves: /);
  // A metric that is not flat keeps its own fit: the return spans more than one value.
  await openScreen(app, `#/compare?experiments=${ids.join(',')}&metric=return`);
  await expect(canvas).not.toHaveAttribute('data-y-ticks', /^0;.*;1(\.0)?$/);
  await expect(app.getByTestId('compare-identical')).toHaveCount(0);
});
