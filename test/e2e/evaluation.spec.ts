// The New experiment form's greedy evaluation: off until ticked, its settings from the schema with
// a bad count named under its field, and the launched run's eval/greedy_return in run detail and
// Compare, stored at the evaluation episodes only.
import { openScreen as open } from './arrange';
import { expect, test } from './fixtures';

test('greedy evaluation: ticked in the form, refused below 1, stored at its episodes and shown in run detail and Compare', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('select-agent').selectOption('q-learning');
  await app.getByTestId('input-episodes').fill('60');
  await app.getByTestId('input-seeds').fill('2');
  const box = app.getByTestId('input-evaluation');
  await expect(box).not.toBeChecked();
  await expect(app.getByTestId('field-evaluation')).toContainText('Off when absent');
  await app.getByTestId('tab-json').click();
  expect(JSON.parse(await app.getByTestId('json-view').inputValue())).not.toHaveProperty('evaluation');
  await app.getByTestId('tab-form').click();

  await box.check();
  const every = app.getByTestId('input-evaluation.every');
  await expect(every).toHaveValue('3'); // a twentieth of the 60 episodes
  await expect(app.getByTestId('input-evaluation.episodes')).toHaveValue('10');
  await every.fill('0');
  await expect(app.getByTestId('problem-evaluation.every')).toContainText('must be a whole number ≥ 1, got 0');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await every.fill('20');
  await app.getByTestId('input-evaluation.episodes').fill('4');
  await expect(app.getByTestId('problem-evaluation.every')).toHaveCount(0);
  await app.getByTestId('tab-json').click();
  expect(JSON.parse(await app.getByTestId('json-view').inputValue())).toMatchObject({ evaluation: { every: 20, episodes: 4 } });
  await app.getByTestId('tab-form').click();
  await expect(app.getByTestId('launch')).toBeEnabled();
  await app.getByTestId('launch').click();
  await expect(app.locator('[data-testid=run-row][data-status=completed]')).toHaveCount(2, { timeout: 45_000 });

  await open(app, '#/runs/1');
  const greedy = app.getByTestId('metric-eval/greedy_return');
  await expect(greedy.getByTestId('points-note')).toHaveText('3 values in 60 episodes');
  await expect(app.getByTestId('summary-eval/greedy_return')).toContainText('3 of 60');
  // In a 1024 × 768 window the Summary's half of the width holds its table, "episodes with a value" included: the metric
  // names break after their "/" (eval/greedy_return_std) rather than push that column behind the panel's side-scroll.
  await app.setViewportSize({ width: 1024, height: 768 });
  const summary = app.getByTestId('summary');
  await expect.poll(() => summary.evaluate((s) => s.querySelector('table')!.getBoundingClientRect().width)).toBeLessThanOrEqual(
    await summary.evaluate((s) => s.clientWidth - parseFloat(getComputedStyle(s).paddingLeft) - parseFloat(getComputedStyle(s).paddingRight)),
  );
  expect(await summary.evaluate((s) => s.scrollWidth - s.clientWidth), 'the Summary panel needs no side-scroll at 1024 px').toBe(0);
  await app.setViewportSize({ width: 1280, height: 860 });

  await open(app, '#/compare?experiments=1');
  await app.getByTestId('compare-metric').selectOption('eval/greedy_return');
  await expect(app.getByTestId('compare-group')).toHaveCount(1);
  await expect(app.getByTestId('compare-error')).toHaveCount(0);
  await expect(app.getByTestId('compare-chart').locator('canvas[data-drawn]')).toBeVisible();
  // Three evaluations are three measurements, not a curve with a transient: none is cut off the y axis.
  await expect(app.getByTestId('compare-chart').getByText('The y axis fits')).toHaveCount(0);
});
