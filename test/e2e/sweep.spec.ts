// New experiment's Sweep (`aisle run --set` in the app): a parameter and its values make an
// experiment per value, launched together and opened side by side in Compare; a bad value is said
// under its row and holds Launch back, like any other problem of the form.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Row 1 of the Sweep section sweeps alpha with a value out of its range; row 0, its values empty, sweeps nothing. */
async function badAlphaInSecondRow(app: Page): Promise<void> {
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-1').selectOption('agent.alpha');
  await app.getByTestId('sweep-values-1').fill('0.1, 1.5');
  await expect(app.getByTestId('sweep-problem-1')).toHaveText('alpha = 1.5: must be a number in (0, 1], got 1.5');
}

test('a sweep of alpha launches an experiment per value and opens Compare on them', async ({ app }) => {
  test.setTimeout(120_000);
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('input-episodes').fill('300');
  await app.getByTestId('input-seeds').fill('2');
  const sweep = app.getByTestId('sweep');
  await expect(sweep).not.toHaveAttribute('open');
  await sweep.locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('agent.alpha');
  await app.getByTestId('sweep-values-0').fill('0.1, 0.5');
  await expect(app.getByTestId('sweep-summary')).toHaveText('2 experiments × 2 seeds = 4 runs');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 2 experiments, 4 runs');
  await expect(app.getByTestId('launch')).toHaveText('Launch 4 runs');
  // Large counts are grouped, as the form's others are.
  await app.getByTestId('input-seeds').fill('1000');
  await expect(app.getByTestId('sweep-summary')).toHaveText('2 experiments × 1,000 seeds = 2,000 runs');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 2 experiments, 2,000 runs');
  await expect(app.getByTestId('launch')).toHaveText('Launch 2,000 runs');
  await app.getByTestId('input-seeds').fill('2');
  await expect(app.getByTestId('launch')).toHaveText('Launch 4 runs');

  // The rows are part of the tab's draft: a reload keeps them.
  await app.reload();
  await expect(app.getByTestId('sweep')).toHaveAttribute('open');
  await expect(app.getByTestId('sweep-values-0')).toHaveValue('0.1, 0.5');
  await expect(app.getByTestId('launch')).toHaveText('Launch 4 runs');

  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/compare\?experiments=1,2$/);
  const labels = app.getByTestId('compare-group').getByTestId('group-label');
  await expect(labels).toHaveCount(2, { timeout: 90_000 });
  await expect(labels.nth(0)).toContainText('alpha=0.1');
  await expect(labels.nth(1)).toContainText('alpha=0.5');
});

test('from the keyboard, Add a parameter to sweep moves to the new row and Remove to the row that takes its place', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('sweep').locator('summary').focus();
  await app.keyboard.press('Enter');
  await app.getByTestId('sweep-add').focus();
  // The new row sits above Add: focus left on Add had Tab go on to Launch, past the row.
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('sweep-path-0')).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('sweep-values-0')).toBeFocused();
  await app.keyboard.type('0.1, 0.5');
  await app.getByTestId('sweep-add').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('sweep-path-1')).toBeFocused();
  // Remove takes its own button away: focus goes to the row now in its place, then to Add when none is.
  await app.getByTestId('sweep-remove-0').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('sweep-path-0')).toBeFocused();
  await expect(app.locator('[data-testid^="sweep-row-"]')).toHaveCount(1);
  await app.getByTestId('sweep-remove-0').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('sweep-add')).toBeFocused();
  await expect(app.locator('[data-testid^="sweep-row-"]')).toHaveCount(0);
});

test('a bad value of a sweep is said under its row and counted; Start over forgets the sweep', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('agent.alpha');
  await app.getByTestId('sweep-values-0').fill('0.1, 1.5');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('alpha = 1.5: must be a number in (0, 1], got 1.5');
  await expect(app.getByTestId('sweep-values-0')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  // A refused value leaves no count to claim: "3 experiments × 5 seeds" stood beside the errors under 2 and abc.
  await app.getByTestId('sweep-values-0').fill('0.1, 2, abc');
  await expect(app.getByTestId('sweep-problem-0')).toContainText('alpha = abc');
  await expect(app.getByTestId('sweep-problem-0')).toContainText('alpha = 2');
  await expect(app.getByTestId('sweep-summary')).toHaveText('no count until its problems are fixed');
  await expect(app.getByTestId('launch')).toHaveText('Launch');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('sweep-values-0').fill('0.1, 0.2');
  await expect(app.getByTestId('sweep-summary')).toHaveText('2 experiments × 5 seeds = 10 runs');
  await expect(app.getByTestId('launch')).toHaveText('Launch 10 runs');
  await app.getByTestId('sweep-values-0').fill('0.1, 1.5');
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  // Folded away, the section still says it holds a problem, and the count opens it at the value.
  await app.getByTestId('sweep').locator('summary').click();
  await expect(app.getByTestId('sweep').locator('summary')).toContainText('1 problem');
  await app.getByTestId('go-to-problem').click();
  await expect(app.getByTestId('sweep-values-0')).toBeFocused();

  // More than 64 experiments is a problem of the sweep's.
  await app.getByTestId('sweep-values-0').fill(Array.from({ length: 13 }, (_, i) => (i + 1) / 20).join(', '));
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-1').selectOption('agent.gamma');
  await app.getByTestId('sweep-values-1').fill('0.9, 0.95, 0.99, 0.995, 1');
  await expect(app.getByTestId('sweep-summary')).toHaveText('65 experiments × 5 seeds = 325 runs');
  await expect(app.getByTestId('sweep-problem')).toHaveText('13 × 5 values give 65 experiments, more than 64 in one sweep: sweep fewer values at a time');
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();

  await app.getByTestId('start-over').click();
  await app.getByTestId('confirm-dialog').getByTestId('confirm').click();
  await expect(app.getByTestId('sweep-row-0')).toHaveCount(0);
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready: 5 × /);
  await app.reload();
  await expect(app.getByTestId('sweep-row-0')).toHaveCount(0);
});

test('the JSON view says a sweep is set, names its row in each problem, and leads back to the Sweep section', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('input-seeds').fill('5');
  await badAlphaInSecondRow(app);

  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('json-sweep')).toContainText("Sweep: no count until its problems are fixed, set in the form's Sweep section");
  // The row without values sweeps nothing; the problem names the row it is under in the form.
  await expect(app.getByTestId('problems')).toHaveText('Sweep, alpha (agent): alpha = 1.5: must be a number in (0, 1], got 1.5');
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');

  await app.getByTestId('json-sweep-edit').click();
  await expect(app.getByTestId('tab-form')).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('sweep')).toHaveAttribute('open');
  await expect(app.getByTestId('sweep-values-1')).toBeFocused();
  await app.keyboard.press('ControlOrMeta+a');
  await app.keyboard.type('0.1, 0.5');
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 2 experiments, 10 runs');
  await expect(app.getByTestId('problems')).toHaveCount(0);
  await expect(app.getByTestId('launch')).toHaveText('Launch 10 runs');
  await expect(app.getByTestId('json-sweep')).toContainText("Sweep: 2 experiments × 5 seeds = 10 runs, set in the form's Sweep section");

  // Without a sweep, nothing to say.
  await app.getByTestId('tab-form').click();
  await app.getByTestId('sweep-remove-1').click();
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready: 5 × /);
  await expect(app.getByTestId('json-sweep')).toHaveCount(0);
});

test('on the JSON view, the count of problems takes a sweep problem to its row in the form', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await badAlphaInSecondRow(app);

  // The file holds no sweep, so its editor is no place to fix one: the count goes to the row's values.
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('problems')).toHaveText('Sweep, alpha (agent): alpha = 1.5: must be a number in (0, 1], got 1.5');
  await app.getByTestId('go-to-problem').click();
  await expect(app.getByTestId('tab-form')).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('sweep')).toHaveAttribute('open');
  await expect(app.getByTestId('sweep-values-1')).toBeFocused();

  // A problem of the file's own is still fixed in the JSON view.
  await app.getByTestId('sweep-values-1').fill('0.1, 0.5');
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('problems')).toHaveCount(0);
  const json = app.getByTestId('json-view');
  await json.fill((await json.inputValue()).replace(/"episodes": \d+/, '"episodes": 0'));
  await expect(app.getByTestId('go-to-problem')).toHaveText(/^\d+ problems? to fix$/);
  await app.getByTestId('go-to-problem').click();
  await expect(json).toBeFocused();
});

test('a row whose parameter the environment no longer has is fixed at its parameter: counted, focused, and said without its values', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('env.catalogSeed');
  await app.getByTestId('sweep-values-0').fill(Array.from({ length: 64 }, (_, i) => i).join(', '));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 64 experiments, 320 runs');
  await app.getByTestId('select-env').selectOption('seed-toy');

  const problem = app.getByTestId('sweep-problem-0');
  await expect(problem).toHaveText(/^catalogSeed \(all 64 values\): environment seed-toy has no parameter "catalogSeed": its parameters are /);
  await expect(problem).not.toContainText('63');
  const select = app.getByTestId('sweep-path-0');
  const values = app.getByTestId('sweep-values-0');
  await expect(select).toHaveAttribute('aria-invalid', 'true');
  await expect(select).toHaveAttribute('aria-describedby', 'sweep-0-problems');
  await expect(values).toHaveAttribute('aria-invalid', 'false');
  // The problem under the row keeps the select in line with the values.
  const [selectBox, valuesBox] = [await select.boundingBox(), await values.boundingBox()];
  expect(Math.abs(selectBox!.y + selectBox!.height - (valuesBox!.y + valuesBox!.height))).toBeLessThanOrEqual(2);

  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await app.getByTestId('go-to-problem').click();
  await expect(select).toBeFocused();
  // From the JSON view too.
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('problems')).toHaveText(/^Sweep, env\.catalogSeed: catalogSeed \(all 64 values\): /);
  await app.getByTestId('go-to-problem').click();
  await expect(app.getByTestId('tab-form')).toHaveAttribute('aria-selected', 'true');
  await expect(select).toBeFocused();

  await select.selectOption('env.states');
  await values.fill('5, 10');
  await expect(problem).toHaveCount(0);
  await expect(select).toHaveAttribute('aria-invalid', 'false');
});

test("an ε schedule's fields sweep as rows of their own; values that do not read are said under their row", async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  // The starter's ε is a schedule (from 1 to 0.05): its fields are parameters to sweep, named with it.
  await app.getByTestId('sweep-path-0').selectOption('agent.epsilon.decayEpisodes');
  await app.getByTestId('sweep-values-0').fill('0, 500');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('epsilon.decayEpisodes = 0: must be a whole number ≥ 1, got 0');
  // A trailing comma is the next value not typed yet.
  await app.getByTestId('sweep-values-0').fill('100, 500,');
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready: 2 experiments, \d+ runs?$/);
  await expect(app.getByTestId('sweep-problem-0')).toHaveCount(0);

  // An empty value between commas is said as `aisle run --set` says it, and holds Launch back.
  await app.getByTestId('sweep-values-0').fill('100,,500');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('an empty value in the list: separate the values by single commas');
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('problems')).toHaveText('Sweep, epsilon.decayEpisodes (agent): an empty value in the list: separate the values by single commas');
  await app.getByTestId('go-to-problem').click();
  await expect(app.getByTestId('sweep-values-0')).toBeFocused();
});

test("the shop's shiftAt, a number or null, sweeps as `aisle run --set env.shiftAt=null,2000,4000` does", async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('input-seeds').fill('1');
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('env.shiftAt');
  await expect(app.getByTestId('sweep-path-0').locator('option:checked')).toHaveText('shiftAt (environment)');
  await app.getByTestId('sweep-values-0').fill('null, 2000, 4000');
  // The starter shop is exact, which takes no shift: each number is refused under the row, as `aisle run --set` refuses it.
  await expect(app.getByTestId('sweep-problem-0')).toHaveText(
    ['2000', '4000'].map((v) => `shiftAt = ${v}: the exact mode needs shiftAt null (a shift changes the dynamics with the episode): set shiftAt to null or exact to false`).join('\n'),
  );
  await expect(app.getByTestId('sweep-summary')).toHaveText('no count until its problems are fixed');
  await app.getByTestId('input-env.exact').uncheck();
  await expect(app.getByTestId('sweep-problem-0')).toHaveCount(0);
  await expect(app.getByTestId('sweep-summary')).toHaveText('3 experiments × 1 seed = 3 runs');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 3 experiments, 3 runs');
});

/** Opens the Sweep section (folded) and sweeps alpha over `values` in its first row. */
async function sweepAlpha(app: Page, values: string): Promise<void> {
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption('agent.alpha');
  await app.getByTestId('sweep-values-0').fill(values);
}

test('a preset or an imported experiment file replaces the sweep set for the experiment before, as Run again starts without one', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await sweepAlpha(app, '0.1, 0.5');
  await expect(app.getByTestId('sweep-summary')).toHaveText('2 experiments × 5 seeds = 10 runs');

  // The preset is the experiment Launch makes: one, of its own seeds, not a sweep of it.
  await app.getByTestId('presets-toggle').click();
  await app.getByTestId('preset-cliff-sarsa.json').click();
  await expect(app.getByTestId('input-name')).toHaveValue('cliff walking, sarsa');
  await expect(app.getByTestId('sweep-values-0')).toHaveCount(0);
  await expect(app.getByTestId('launch')).toHaveText('Launch 5 runs');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 5 × 500 episodes');
  // Nor does a reload bring the rows back: the kept draft lost them too.
  await app.reload();
  await expect(app.getByTestId('launch')).toHaveText('Launch 5 runs');

  // The same for an experiment file imported through Import….
  await sweepAlpha(app, '0.1, 0.5, 2');
  await expect(app.getByTestId('sweep-problem-0')).toContainText('alpha = 2');
  await app.getByTestId('import-input').setInputFiles({
    name: 'toy.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100, seeds: 2 })),
  });
  await expect(app.getByTestId('input-name')).toHaveValue('toy');
  await expect(app.getByTestId('sweep-problem-0')).toHaveCount(0);
  await expect(app.getByTestId('launch')).toHaveText('Launch 2 runs');
});

/**
 * New experiment with a problem of the draft's own (alpha 7: the service stops at it and checks no
 * sweep, and "2 experiments × 5 seeds = 10 runs" stood meanwhile), and a Sweep row of `path` = `values`.
 */
async function rowBesideOwnProblem(app: Page, path: string, values: string): Promise<void> {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('input-agent.alpha').fill('7');
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-add').click();
  await app.getByTestId('sweep-path-0').selectOption(path);
  await app.getByTestId('sweep-values-0').fill(values);
}

/** Row 0 given good `values`, then the draft's own problem fixed: counted, and launched. */
async function fixedAndCounted(app: Page, values: string): Promise<void> {
  await app.getByTestId('sweep-values-0').fill(values);
  await expect(app.getByTestId('sweep-summary')).toHaveText('2 experiments × 5 seeds = 10 runs');
  await app.getByTestId('input-agent.alpha').fill('0.5');
  await expect(app.getByTestId('launch')).toHaveText('Launch 10 runs');
}

test("a sweep's value out of range is said at once while the form has a problem of its own, and no runs are counted", async ({ app }) => {
  await rowBesideOwnProblem(app, 'episodes', '300, 1e9');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('episodes = 1000000000: must be a whole number in [1, 100,000,000], got 1,000,000,000');
  await expect(app.getByTestId('sweep-summary')).toHaveText('no count until its problems are fixed');
  await expect(app.getByTestId('go-to-problem')).toHaveText('2 problems to fix');
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('json-sweep')).toContainText('Sweep: no count until its problems are fixed');
  await app.getByTestId('tab-form').click();
  await fixedAndCounted(app, '300, 600');
});

test("a sweep's choice not among its options, or a schedule's start under its end, is said at once while the form has a problem of its own", async ({ app }) => {
  await rowBesideOwnProblem(app, 'env.ranking', 'quality, best');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText('ranking = best: must be one of "attractiveness", "quality", got "best"');
  await expect(app.getByTestId('sweep-summary')).toHaveText('no count until its problems are fixed');
  await expect(app.getByTestId('go-to-problem')).toHaveText('2 problems to fix');
  // The starter's ε falls from 1 to 0.05: a start of 0.01 would make it rise, which the service refuses.
  await app.getByTestId('sweep-path-0').selectOption('agent.epsilon.start');
  await app.getByTestId('sweep-values-0').fill('0.9, 0.01');
  await expect(app.getByTestId('sweep-problem-0')).toHaveText(
    'epsilon.start = 0.01: agent.epsilon.end: must not exceed start (0.01), got 0.05: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)',
  );
  await expect(app.getByTestId('sweep-summary')).toHaveText('no count until its problems are fixed');
  await fixedAndCounted(app, '0.9, 0.5');
});
