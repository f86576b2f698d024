// The Experiments and New experiment screens in the browser mode: the form generated from the
// catalog (an MDP imported through the file input, a bad alpha shown under its field), launching
// three seeds and watching them run live, the JSON view's round trip, importing an experiment with
// its MDP, "run again", and the list with its guarded delete.
import { join } from 'node:path';
import { holdCalls, launchAndWait, openScreen as open, saveScreenshot, type Launched } from './arrange';
import { call, cliffExperiment, expect, ROOT, test } from './fixtures';

const CLIFF_MDP = join(ROOT, 'resources/experiments/cliff.mdp.json');
const CLIFF_TEXT = 'MDP: cliff walking (Sutton & Barto, Example 6.6), 48 states × 4 actions';

test('a number that does not parse stays a problem in both views and across the round trip', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  await app.getByTestId('select-agent').selectOption('q-learning');
  const alpha = app.getByTestId('input-agent.alpha');
  const problem = app.getByTestId('problem-agent.alpha');
  await alpha.fill('0.5');
  await expect(app.getByTestId('launch')).toBeEnabled();
  await alpha.pressSequentially('e'); // "0.5e": not a number, and the draft holds that text, not 0.5
  await expect(problem).toHaveText('is not a number: type digits, e.g. 0.5');
  await expect(app.getByTestId('launch')).toBeDisabled();

  // "1-2" in episodes is not 1 (nor 500): the JSON view shows the text, and the count keeps both problems.
  const episodes = app.getByTestId('input-episodes');
  await episodes.fill('');
  await episodes.pressSequentially('1-2');
  await expect(app.getByTestId('problem-episodes')).toHaveText('is not a number: type digits, e.g. 500');
  await expect(app.getByTestId('validation-state')).toHaveText('2 problems to fix');
  await app.getByTestId('tab-json').click();
  const json = JSON.parse(await app.getByTestId('json-view').inputValue()) as { episodes: unknown; agent: { alpha: unknown } };
  expect(json.episodes).toBe('1-2');
  expect(json.agent.alpha).toBe('0.5e');
  await expect(app.getByTestId('problems')).toContainText('episodes: must be');
  await expect(app.getByTestId('validation-state')).toHaveText('2 problems to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();

  // Back in the form: the same text, still marked, and Launch still waits.
  await app.getByTestId('tab-form').click();
  await expect(episodes).toHaveValue('1-2');
  await expect(episodes).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByTestId('problem-episodes')).toContainText('got "1-2"');
  await expect(alpha).toHaveValue('0.5e');
  await expect(problem).toContainText('got "0.5e"');
  await expect(app.getByTestId('validation-state')).toHaveText('2 problems to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await episodes.fill('300');
  await alpha.fill('0.5');
  await expect(problem).toHaveCount(0);
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 5 × 300 episodes');
  // ArrowUp and ArrowDown step the number, within its range.
  await episodes.press('ArrowUp');
  await expect(episodes).toHaveValue('301');
  await alpha.fill('1');
  await alpha.press('ArrowUp');
  await expect(alpha).toHaveValue('1');
  await alpha.press('ArrowDown');
  await expect(alpha).toHaveValue('0.99');

  // A list of seeds whose text does not parse stays that text, and a list, across the JSON view.
  await app.getByTestId('tab-json').click();
  const view = app.getByTestId('json-view');
  await view.fill(JSON.stringify({ ...(JSON.parse(await view.inputValue()) as object), seeds: [0, 1, 7] }, null, 2));
  await app.getByTestId('tab-form').click();
  const seeds = app.getByTestId('input-seeds');
  await expect(seeds).toHaveValue('0, 1, 7');
  await seeds.fill('0, 1, x');
  await expect(app.getByTestId('problem-seeds')).toHaveText('list whole numbers separated by commas, e.g. 0, 1, 7');
  await app.getByTestId('tab-json').click();
  expect((JSON.parse(await view.inputValue()) as { seeds: unknown }).seeds).toBe('0, 1, x');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('tab-form').click();
  await expect(seeds).toHaveValue('0, 1, x');
  await expect(app.getByTestId('problem-seeds')).toContainText('or a list of seeds (whole numbers');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await seeds.fill('0, 1, 8');
  await expect(app.getByTestId('launch')).toHaveText('Launch 3 runs');
  // While an edit is checked, the label does not keep the last draft's count. The check is held until
  // the label is seen (a fixed 1.5 s left a slow machine to answer before the test looked).
  const checks = await holdCalls(app, /^experiments\.validate$/);
  await seeds.fill('0, 1');
  await expect(app.getByTestId('launch')).toHaveText('Launch');
  checks.release();
  await expect(app.getByTestId('launch')).toHaveText('Launch 2 runs');
  await seeds.fill('0, 1, 8');
  await expect(app.getByTestId('launch')).toHaveText('Launch 3 runs');
  // The count's problem for 1.5 suggests a list, [0, 1, 2]: typed into the count, a list makes the field a list, focus kept.
  await app.getByRole('button', { name: 'Use a count' }).click();
  await seeds.fill('1.5');
  await expect(app.getByTestId('problem-seeds')).toContainText('e.g. [0, 1, 2]');
  await seeds.fill('');
  await seeds.pressSequentially('[2, 3, 4, 5]');
  await expect(seeds).toBeFocused();
  await expect(seeds).toHaveValue('[2, 3, 4, 5]');
  await expect(app.getByTestId('launch')).toHaveText('Launch 4 runs');
  // 1e99 is out of range (the service says so); 1e999 is too large to be a number at all: one problem, not both.
  await alpha.fill('1e99');
  await expect(problem).toHaveText('must be a number in (0, 1], got 1e+99');
  await alpha.pressSequentially('9');
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveText('is a number too large to represent (it reads as Infinity): type a number in (0, 1]');
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
});

test('first launch: the empty Experiments screen leads to the presets, which load with their files', async ({ app }) => {
  await open(app, '#/experiments');
  await expect(app.getByTestId('experiments-empty')).toContainText('No experiments yet.');
  await app.getByTestId('empty-start-from-preset').click();
  const list = app.getByTestId('preset-list');
  await expect(list).toBeVisible();
  // Name and description of each experiment file; the quickstart first; no MDP file among them.
  await expect(list.locator('li').first()).toContainText('quickstart: cliff walking, q-learning');
  await expect(list.getByTestId('preset-shop-fatigue.json')).toHaveText('shop fatigue: q-learning');
  await expect(list).toContainText('Fatigue is a long-term cost the next click barely shows');
  await expect(list.getByTestId('preset-cliff.mdp.json')).toHaveCount(0);

  // A shop preset with its catalog (resources/shops), as Import would load it.
  await list.getByTestId('preset-shop-calibrated.json').click();
  await expect(list).toHaveCount(0);
  await expect(app.getByTestId('import-note')).toHaveText('Loaded the preset shop-calibrated.json.');
  await expect(app.getByTestId('select-env')).toHaveValue('shop');
  await expect(app.getByTestId('summary-env.catalog')).toContainText(/^catalog: [0-9,]+ items in/);
  await expect(app.getByTestId('input-name')).toBeFocused();
  await expect(app.getByTestId('launch')).toBeEnabled();

  // The cliff quickstart with its MDP inline, from the toolbar's button.
  await app.getByTestId('presets-toggle').click();
  await app.getByTestId('preset-quickstart.json').click();
  await expect(app.getByTestId('select-env')).toHaveValue('tabular-mdp');
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 5 × 500 episodes');

  // The seed toy describes itself without internal wording.
  await app.getByTestId('select-env').selectOption('seed-toy');
  await expect(app.getByTestId('panel-env')).toContainText('Pure noise');
  await expect(app.getByTestId('panel-env')).not.toContainText('design brief');
});

test('New experiment launched as it opens: the starter learns, and its run reports its gap to the optimum', async ({ app }) => {
  test.setTimeout(90_000);
  await app.getByTestId('new-experiment-link').click();
  await expect(app.getByTestId('input-name')).toHaveValue('q-learning on shop (exact)');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 5 × 20,000 episodes');
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
  // Five seeds, the fewest Compare gives a verdict for, each trained in about a second.
  await expect(app.locator('[data-testid=run-row] [data-testid=run-status]')).toHaveText(Array<string>(5).fill('completed'), { timeout: 60_000 });

  await open(app, '#/runs/1');
  await expect(app.getByTestId('metric-return').locator('canvas[data-drawn]')).toHaveCount(1);
  // The shop in exact mode is solved exactly: the greedy policy's gap and normalised score, near the optimum.
  await expect(app.getByTestId('greedy-panel')).toBeVisible();
  await expect(app.getByTestId('greedy-gap')).toHaveAttribute('data-closeness', /^(optimal|near)$/);
  await expect(app.getByTestId('normalized-score')).toHaveText(/^(1|0\.99\d*)$/);
  await expect(app.getByTestId('optimality-gap')).not.toBeEmpty();
});

test('a half-filled form survives a reload and a trip to another screen, until Start over', async ({ app }) => {
  await app.getByTestId('new-experiment-link').click();
  const name = app.getByTestId('input-name');
  const defaultName = await name.inputValue();
  await app.getByTestId('select-agent').selectOption('sarsa');
  await name.fill('my draft');
  await app.getByTestId('input-seeds').fill('7');
  await app.reload();
  await expect(name).toHaveValue('my draft');
  await expect(app.getByTestId('select-agent')).toHaveValue('sarsa');
  await expect(app.getByTestId('input-seeds')).toHaveValue('7');
  await app.getByRole('link', { name: 'Runs' }).click();
  await app.goBack();
  await expect(name).toHaveValue('my draft');
  // The JSON view comes back after a reload too, with the draft.
  await app.getByTestId('tab-json').click();
  await app.reload();
  await expect(app.getByTestId('tab-json')).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('json-view')).toHaveValue(/"name": "my draft"/);
  await app.getByTestId('tab-form').click();
  // Start over asks first: Keep keeps the draft, confirming forgets it.
  await app.getByTestId('start-over').click();
  const dialog = app.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Start over?');
  await dialog.getByRole('button', { name: 'Keep' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(name).toHaveValue('my draft');
  await app.getByTestId('start-over').click();
  await dialog.getByTestId('confirm').click();
  await expect(name).toHaveValue(defaultName);
  await expect(name).toBeFocused();
  await expect(app.getByTestId('start-over')).toHaveCount(0);
  await app.reload();
  await expect(name).toHaveValue(defaultName);
});

test('create an experiment from the form, fix a bad value inline, launch 3 seeds and watch them run', async ({ app }) => {
  test.setTimeout(120_000);
  await app.getByTestId('new-experiment-link').click();
  await expect(app.getByTestId('new-experiment')).toBeVisible();

  // An MDP file imported through the (hidden) file input becomes the tabular MDP's inline MDP.
  await app.getByTestId('import-input').setInputFiles(CLIFF_MDP);
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  await expect(app.getByTestId('select-env')).toHaveValue('tabular-mdp');
  await app.getByTestId('select-agent').selectOption('q-learning');
  await expect(app.getByTestId('input-name')).toHaveValue(/^q-learning on cliff walking/);

  // A bad alpha: the service's problem appears under the alpha field, and Launch is disabled.
  const alpha = app.getByTestId('input-agent.alpha');
  await alpha.fill('-1');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveText('must be a number in (0, 1], got -1');
  await expect(alpha).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await expect(app.getByTestId('problems')).toHaveCount(0); // placed under its field, not in the general list

  await alpha.fill('0.5');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveCount(0);
  await expect(alpha).toHaveAttribute('aria-invalid', 'false');
  await app.getByTestId('input-agent.gamma').fill('1');
  // A uniformly random behaviour (ε = 1) keeps every episode at maxSteps, so a run lasts a few
  // seconds even on the WebAssembly kernel (≈ 40M steps); Q-learning, being off-policy, still learns
  // the optimal greedy path from it. (The starter's ε is a schedule: a constant is chosen first.)
  await app.getByTestId('mode-agent.epsilon-constant').check();
  await app.getByTestId('input-agent.epsilon').fill('1');
  await app.getByTestId('input-env.maxSteps').fill('200');
  await app.getByTestId('input-episodes').fill('400000');
  await app.getByTestId('input-seeds').fill('3');
  await app.getByTestId('input-name').fill('cliff from the form');
  await expect(app.getByTestId('launch')).toHaveText('Launch 3 runs');
  await expect(app.getByTestId('launch')).toBeEnabled();
  await saveScreenshot(app, 'new-experiment', { fullPage: false });

  // Every value a run's progress bar shows is recorded in the page, so how fast the machine trains
  // cannot make the test miss the moments between two polls.
  await app.evaluate(() => {
    const seen: Record<string, number[]> = {};
    (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
    const record = (): void => {
      for (const bar of document.querySelectorAll('[data-testid=run-row] [data-testid=run-progress]')) {
        const id = bar.closest('[data-testid=run-row]')!.getAttribute('data-id')!;
        const fraction = Number(bar.getAttribute('aria-valuenow')) / Number(bar.getAttribute('aria-valuemax'));
        const list = (seen[id] ??= []);
        if (list[list.length - 1] !== fraction) list.push(fraction);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });

  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
  await expect(app.getByTestId('run-row')).toHaveCount(3);

  // Live progress: some run's bar shows a value strictly between 0 and done, then a larger one.
  await expect
    .poll(
      () =>
        app.evaluate(() => {
          const seen = (window as unknown as { progressSeen: Record<string, number[]> }).progressSeen;
          return Object.values(seen).some((fractions) =>
            fractions.some((f, i) => f > 0 && f < 1 && fractions.slice(i + 1).some((later) => later > f)),
          );
        }),
      { timeout: 60_000 },
    )
    .toBe(true);

  // The run's detail: charts drawn while it runs, then the exact greedy evaluation once it completes.
  await app.locator('[data-testid=run-row][data-id="1"] td').nth(3).click();
  await expect(app).toHaveURL(/#\/runs\/1$/);
  await expect(app.getByTestId('run-detail')).toBeVisible();
  await expect.poll(() => app.locator('canvas[data-drawn]').count()).toBeGreaterThanOrEqual(1);
  await expect(app.getByTestId('greedy-panel')).toBeVisible({ timeout: 60_000 });
  await expect(app.getByTestId('run-detail').getByTestId('run-status')).toHaveText('completed');
  await expect(app.getByTestId('optimal-return')).toHaveText('-13');
  await expect(app.getByTestId('greedy-return')).not.toBeEmpty();
});

test('the JSON view and the form edit the same experiment', async ({ app }) => {
  await open(app, '#/experiments/new');
  await expect(app.getByTestId('input-agent.epsilon.decayEpisodes')).toHaveValue('10000'); // the starter's schedule

  // JSON → form: a constant epsilon, then a schedule.
  await app.getByTestId('tab-json').click();
  const json = app.getByTestId('json-view');
  const experiment = JSON.parse(await json.inputValue());
  experiment.agent.epsilon = 0.25;
  await json.fill(JSON.stringify(experiment, null, 2));
  await app.getByTestId('tab-form').click();
  await expect(app.getByTestId('input-agent.epsilon')).toHaveValue('0.25');

  await app.getByTestId('tab-json').click();
  experiment.agent.epsilon = { start: 1, end: 0.05, decayEpisodes: 400 };
  await json.fill(JSON.stringify(experiment, null, 2));
  await app.getByTestId('tab-form').click();
  await expect(app.getByTestId('mode-agent.epsilon-object')).toBeChecked();
  await expect(app.getByTestId('input-agent.epsilon.start')).toHaveValue('1');
  await expect(app.getByTestId('input-agent.epsilon.decayEpisodes')).toHaveValue('400');

  // Form → JSON.
  await app.getByTestId('input-agent.alpha').fill('0.3');
  await app.getByTestId('input-agent.epsilon.end').fill('0.01');
  await app.getByTestId('tab-json').click();
  const back = JSON.parse(await json.inputValue());
  expect(back.agent).toMatchObject({ id: 'q-learning', alpha: 0.3, epsilon: { start: 1, end: 0.01, decayEpisodes: 400 } });

  // A syntax error is shown inline and blocks Launch; the form keeps the last good experiment.
  await json.fill('{ "name": ');
  await expect(app.getByTestId('json-error')).toContainText('malformed JSON at line ');
  await expect(json).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await json.fill(JSON.stringify(back, null, 2));
  await expect(app.getByTestId('json-error')).toHaveCount(0);
  await expect(app.getByTestId('launch')).toBeEnabled();

  // A problem with no field of its own in the JSON view is listed above Launch.
  await json.fill(JSON.stringify({ ...back, agent: { ...back.agent, alpha: 2 } }, null, 2));
  await expect(app.getByTestId('problems')).toContainText('agent.alpha: must be a number in (0, 1], got 2');

  // Text that does not parse is the one problem: the last draft's alpha is not listed nor counted
  // (its text is gone) until the text parses again.
  const alphaTwo = JSON.stringify({ ...back, agent: { ...back.agent, alpha: 2 } }, null, 2);
  for (const broken of ['[]', alphaTwo.slice(0, -1)]) {
    await json.fill(broken);
    await expect(app.getByTestId('json-error')).toBeVisible();
    await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
    await expect(app.getByTestId('problems')).toHaveCount(0);
  }
  await app.getByTestId('tab-form').click();
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveCount(0);
  await app.getByTestId('tab-json').click();
  await json.fill(alphaTwo);
  await expect(app.getByTestId('problems')).toContainText('agent.alpha: must be a number in (0, 1], got 2');
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');

  // The format has no field in the form: its problem is listed above Launch there too, where "1 problem to fix" leads.
  await json.fill(JSON.stringify({ ...back, format: 'aisle.policy/v1' }, null, 2));
  await expect(app.getByTestId('problems')).toHaveText('format: this is a policy ("aisle.policy/v1"), not an experiment: give an experiment file ("aisle.experiment/v1") here');
  await app.getByTestId('tab-form').click();
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('problems')).toHaveText('format: this is a policy ("aisle.policy/v1"), not an experiment: give an experiment file ("aisle.experiment/v1") here');
  await app.getByTestId('go-to-problem').click();
  await expect(app.getByTestId('problems')).toBeFocused();
});

test('the form is generated from the catalog: every environment and agent gets its fields', async ({ app }) => {
  await open(app, '#/experiments/new');
  await expect(app.getByTestId('input-name')).toHaveValue('q-learning on shop (exact)');
  await app.getByTestId('input-episodes').fill('500');
  await app.getByTestId('select-env').selectOption('bandit-testbed');
  await expect(app.getByTestId('input-env.arms')).toHaveValue('10');
  await expect(app.getByTestId('field-env.arms')).toContainText('whole number in [2, 1000]');
  // The range is part of the label, a word apart: "arms whole number in [2, 1000]", not "armswhole number…".
  await expect(app.getByTestId('input-env.arms')).toHaveAccessibleName('arms whole number in [2, 1000]');
  await expect(app.getByTestId('input-name')).toHaveValue('q-learning on bandit-testbed'); // an automatic name follows

  // An enum is a select; an optional number without default starts empty and stays out of the JSON.
  await app.getByTestId('select-agent').selectOption('thompson');
  await app.getByTestId('input-agent.model').selectOption('bernoulli');
  await app.getByTestId('select-agent').selectOption('epsilon-greedy');
  await expect(app.getByTestId('input-agent.alpha')).toHaveValue('');
  await expect(app.getByTestId('input-agent.alpha')).toHaveAttribute('placeholder', 'not set');
  await app.getByTestId('tab-json').click();
  expect(JSON.parse(await app.getByTestId('json-view').inputValue()).agent).toEqual({ id: 'epsilon-greedy', epsilon: 0.1, initialQ: 0 });
  await app.getByTestId('tab-form').click();

  // Emptied, the constant says which default applies, as the other number fields do.
  await app.getByTestId('input-agent.epsilon').fill('');
  await expect(app.getByTestId('input-agent.epsilon')).toHaveAttribute('placeholder', 'default 0.1');
  await app.getByTestId('input-seeds').fill('');
  await expect(app.getByTestId('input-seeds')).toHaveAttribute('placeholder', 'default 1');
  await app.getByTestId('input-seeds').fill('1');
  // Constant / schedule: the schedule starts equal to the constant and decays over half the episodes.
  await app.getByTestId('input-agent.epsilon').fill('0.2');
  await app.getByTestId('mode-agent.epsilon-object').check();
  await expect(app.getByTestId('input-agent.epsilon.start')).toHaveValue('0.2');
  await expect(app.getByTestId('input-agent.epsilon.end')).toHaveValue('0.2');
  await expect(app.getByTestId('input-agent.epsilon.decayEpisodes')).toHaveValue('250');
  await app.getByTestId('mode-agent.epsilon-constant').check();
  await expect(app.getByTestId('input-agent.epsilon')).toHaveValue('0.2');

  await app.getByTestId('select-agent').selectOption('random');
  await expect(app.getByTestId('panel-agent')).toContainText('No parameters.');
  await expect(app.getByTestId('launch')).toBeEnabled();
});

test('an imported experiment file whose fittedTo records another environment comes in without it, the note saying why with the import', async ({ app }) => {
  await open(app, '#/experiments/new');
  const stale = { ...cliffExperiment('stale fit', undefined, { seeds: 1, episodes: 20 }), fittedTo: { logs: 'logs.csv', where: {}, rows: 10, envHash: 'c'.repeat(64) } };
  // Whether the fit note was already on the page when the import's note appeared (the same render),
  // rather than after the form's next check of the draft.
  await app.evaluate(() => {
    const w = window as { fitNoteWithImport?: boolean };
    new MutationObserver((_, observer) => {
      if (!document.querySelector('[data-testid="import-note"]')) return;
      w.fitNoteWithImport = document.querySelector('[data-testid="fit-note"]') !== null;
      observer.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
  });
  await app.getByTestId('import-input').setInputFiles({ name: 'stale.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(stale)) });
  await expect(app.getByTestId('import-note')).toHaveText('Imported stale.json.');
  await expect(app.getByTestId('fit-note')).toContainText('Note: fittedTo: no longer applies: it records the rows of logs.csv a simulator was fitted to, and env is no longer that simulator');
  expect(await app.evaluate(() => (window as { fitNoteWithImport?: boolean }).fitNoteWithImport)).toBe(true);
  await app.getByTestId('tab-json').click();
  expect(JSON.parse(await app.getByTestId('json-view').inputValue())).not.toHaveProperty('fittedTo');
  await expect(app.getByTestId('fit-note')).toBeVisible(); // still there once the form has checked the draft
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/);
});

test('import an experiment file with its MDP, and start a new experiment from a stored one', async ({ app, server }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('import-input').setInputFiles([join(ROOT, 'resources/experiments/quickstart.json'), CLIFF_MDP]);
  await expect(app.getByTestId('input-name')).toHaveValue('quickstart: cliff walking, q-learning');
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  await expect(app.getByTestId('input-agent.alpha')).toHaveValue('0.5');
  await expect(app.getByTestId('input-seeds')).toHaveValue('5');

  // The experiment alone cannot be read: its MDP file is missing, and the import says so.
  await app.getByTestId('import-input').setInputFiles(join(ROOT, 'resources/experiments/quickstart.json'));
  await expect(app.getByTestId('import-problems')).toContainText('env.mdp');
  // A file that is not JSON says where its syntax breaks; a policy file says where it belongs.
  await app.getByTestId('import-input').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await expect(app.getByTestId('import-problems')).toHaveText(/^notes\.json: malformed JSON at line 1, column 2 \(Unexpected token/);
  // An experiment file (its format is read from its start) that breaks later is named once, not twice.
  await app.getByTestId('import-input').setInputFiles({ name: 'bad-syntax.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "format": "aisle.experiment/v1",\n  "name": oops\n}\n') });
  await expect(app.getByTestId('import-problems')).toHaveText(/^bad-syntax\.json: malformed JSON at line 3/);
  // A file saved as Latin-1 is refused where its first byte that is not UTF-8 is, not stored with U+FFFD in its names.
  const latin1 = Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]);
  await app.getByTestId('import-input').setInputFiles({ name: 'latin1.json', mimeType: 'application/json', buffer: latin1 });
  await expect(app.getByTestId('import-problems')).toHaveText('latin1.json: is not UTF-8 text (at line 2, column 15): save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)');
  const policy = JSON.stringify({ format: 'aisle.policy/v1', kind: 'context-free', env: { id: 'bandit-testbed', params: {}, hash: 'x' } });
  await app.getByTestId('import-input').setInputFiles({ name: 'policy.json', mimeType: 'application/json', buffer: Buffer.from(policy) });
  await expect(app.getByTestId('import-problems')).toHaveText('policy.json: this is a policy file (aisle.policy/v1): import it on the Policies screen');
  // A file that Replace… picked for the MDP and that cannot be read is said under that field, where
  // the user is (not at the top of the page), and the field keeps its MDP.
  const chooser = app.waitForEvent('filechooser');
  await app.locator('[id="f-env.mdp"]').click();
  await (await chooser).setFiles({ name: 'cut.mdp.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "aisle.mdp/v1", "states": [') });
  await expect(app.getByTestId('field-env.mdp').getByTestId('import-problems')).toHaveText(/^cut\.mdp\.json: malformed JSON at line 1/);
  await expect(app.getByTestId('import-problems')).toHaveCount(1);
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  // Its button is named for what it does and described by the MDP in place, then by what went wrong.
  const replace = app.locator('[id="f-env.mdp"]');
  await expect(replace).toHaveAccessibleName('Replace… (mdp)');
  await expect(replace).toHaveAccessibleDescription(/^MDP: cliff walking.* cut\.mdp\.json: malformed JSON/);
  // An experiment file picked there is refused there too, the form kept: Import… puts one in place of the whole form.
  const name = await app.getByTestId('input-name').inputValue();
  const experimentChooser = app.waitForEvent('filechooser');
  await replace.click();
  await (await experimentChooser).setFiles(join(ROOT, 'resources/experiments/bandit-ucb.json'));
  await expect(app.getByTestId('field-env.mdp').getByTestId('import-problems')).toHaveText(
    'bandit-ucb.json: an experiment file (aisle.experiment/v1), not an aisle.mdp/v1 file: open an experiment with Import… at the top of the form',
  );
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  await expect(app.getByTestId('input-name')).toHaveValue(name);

  const { experimentId } = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('stored cliff', { id: 'sarsa', alpha: 0.4, gamma: 1, epsilon: 0.2 }) });
  await open(app, `#/experiments/new?from=${experimentId}`);
  await expect(app.getByRole('heading', { name: `New experiment from #${experimentId}` })).toBeVisible();
  // Run again's draft is named apart from the experiment it repeats (Experiments and Run detail alike).
  await expect(app.getByTestId('input-name')).toHaveValue('stored cliff (2)');
  await expect(app.getByTestId('select-agent')).toHaveValue('sarsa');
  await expect(app.getByTestId('input-agent.alpha')).toHaveValue('0.4');
  await expect(app.getByTestId('input-seeds')).toHaveValue('3');
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(CLIFF_TEXT);
  await expect(app.getByTestId('launch')).toBeEnabled();
  // Another window's Run again (or `aisle again`) stores its "(2)" while this draft is open: the name
  // is checked again where it is stored, so this one becomes "(3)" rather than a second "(2)".
  await call(server, 'experiments.launch', { experiment: cliffExperiment('stored cliff (2)', undefined, { episodes: 5, seeds: 1 }), repeat: true });
  await app.getByTestId('input-episodes').fill('5');
  await app.getByTestId('input-seeds').fill('1');
  await app.getByTestId('launch').click();
  await expect(app.getByTestId('runs')).toBeVisible();
  const names = async () => (await call<{ name: string }[]>(server, 'experiments.list', {})).map((e) => e.name).sort();
  await expect.poll(names).toEqual(['stored cliff', 'stored cliff (2)', 'stored cliff (3)']);
});

test('an address that names no experiment to start from says so, and the next address is not blamed for the last', async ({ app, server }) => {
  await open(app, '#/experiments/new?from=999999');
  await expect(app.getByRole('alert')).toHaveText('Experiment 999999 could not be loaded: experiment 999999 does not exist: the Experiments screen lists the experiments there are');
  // from= that is not a number: said so (not "Experiment NaN", not the last address's error), and the form starts empty.
  await open(app, '#/experiments/new?from=abc');
  await expect(app.getByRole('alert')).toHaveText(
    'This address names no experiment to start from: from= takes an experiment\'s number (#/experiments/new?from=12), got “abc”. The form below starts empty; to start from a stored experiment, use Run again on its row in Experiments.',
  );
  await expect(app.getByRole('heading', { level: 1 })).toHaveText('New experiment');
  await expect(app.getByTestId('launch')).toBeVisible();
  await open(app, '#/experiments/new?from=1.5');
  await expect(app.getByTestId('bad-from-address')).toContainText('got “1.5”');
  await expect(app.getByTestId('launch')).toBeVisible();

  // A stored experiment after those: its own form, and no message.
  const { experimentId } = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('stored cliff', undefined, { episodes: 1, seeds: 1 }) });
  await open(app, `#/experiments/new?from=${experimentId}`);
  await expect(app.getByTestId('input-name')).toHaveValue('stored cliff (2)');
  await expect(app.getByRole('alert')).toHaveCount(0);
});

test('an address past a screen that takes no id is an unknown page, not the list it starts with', async ({ app }) => {
  await open(app, '#/experiments/999999');
  await expect(app.getByTestId('unknown-page')).toHaveText('Unknown page “experiments/999999”. Open a screen from the sidebar.');
  await expect(app.getByTestId('experiments-empty')).toHaveCount(0);
  await expect(app).toHaveTitle('Aisle');
  await open(app, '#/runs/12/metrics');
  await expect(app.getByTestId('unknown-page')).toHaveText('Unknown page “runs/12/metrics”. Open a screen from the sidebar.');
  await open(app, '#/experiments');
  await expect(app.getByTestId('experiments-empty')).toBeVisible();
  await expect(app).toHaveTitle('Experiments · Aisle');
});

test('the experiments list: run counts live, and delete offers to cancel the active runs first', async ({ app, server }) => {
  const done = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('short cliff') });
  const long = await call<Launched>(server, 'experiments.launch', {
    experiment: { format: 'aisle.experiment/v1', name: 'endless toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 },
  });
  const row = (id: number) => app.locator(`[data-testid=experiment-row][data-id="${id}"]`);
  await expect(row(done.experimentId).getByTestId('run-counts')).toHaveText('3 completed');
  await expect(row(long.experimentId).getByTestId('run-counts')).toContainText('1 running');
  await expect(row(done.experimentId).getByRole('link', { name: 'Compare' })).toHaveAttribute('href', `#/compare?experiments=${done.experimentId}`);
  await saveScreenshot(app, 'experiments', { fullPage: false });

  await row(long.experimentId).getByTestId('delete-experiment').click();
  await expect(app.getByTestId('confirm-dialog')).toBeVisible();
  await expect(app.getByTestId('confirm-dialog')).toContainText('Its queued or running run is cancelled first. Its run, its metrics and checkpoints are deleted too.');
  await expect(app.getByTestId('confirm')).toHaveText('Cancel its runs and delete');
  await app.getByRole('button', { name: 'Keep' }).click();
  await expect(app.getByTestId('confirm-dialog')).toHaveCount(0);
  // Focus goes back to the button that opened the dialog (a keyboard user carries on from there).
  await expect(row(long.experimentId).getByTestId('delete-experiment')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('confirm-dialog')).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(row(long.experimentId).getByTestId('delete-experiment')).toBeFocused();

  // Confirmed: its running run is cancelled, then the experiment and its runs deleted.
  await row(long.experimentId).getByTestId('delete-experiment').click();
  await app.getByTestId('confirm').click();
  await expect(row(long.experimentId)).toHaveCount(0);
  await expect.poll(async () => (await call<{ total: number }>(server, 'runs.list', { experimentId: long.experimentId })).total).toBe(0);
  await expect(app.getByTestId('experiment-row')).toHaveCount(1);
  // Its row and button are gone: focus is on the heading, not dropped to <body>.
  await expect(app.getByRole('heading', { name: 'Experiments', level: 1 })).toBeFocused();

  await row(done.experimentId).getByRole('link', { name: 'Runs' }).click();
  await expect(app).toHaveURL(new RegExp(`#/runs\\?experiment=${done.experimentId}$`));
  await expect(app.getByTestId('run-row')).toHaveCount(3);
});

test('a valid experiment that probably does not mean what it says gets a note, and launches', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('tab-json').click();
  const json = app.getByTestId('json-view');
  const late = { format: 'aisle.experiment/v1', name: 'late shift', env: { id: 'shop', shiftAt: 50, maxSteps: 5 }, agent: { id: 'random' }, episodes: 20, seeds: 1 };
  await json.fill(JSON.stringify(late, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 20 episodes');
  await expect(app.getByTestId('warnings')).toHaveText(
    'Note: env.shiftAt: the shift at episode 50 never happens in 20 episodes (episodes 0 to 19): set shiftAt below 20, or raise episodes',
  );
  await expect(app.getByTestId('launch')).toBeEnabled();
  // Within the run, nothing to say.
  await json.fill(JSON.stringify({ ...late, episodes: 60 }, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 60 episodes');
  await expect(app.getByTestId('warnings')).toHaveCount(0);
  // DQN on a bandit: one step per episode, so 500 episodes end before its first update.
  await json.fill(JSON.stringify({ format: 'aisle.experiment/v1', name: 'dqn bandit', env: { id: 'bandit-testbed' }, agent: { id: 'dqn' }, episodes: 500, seeds: 1 }, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 500 episodes');
  await expect(app.getByTestId('warnings')).toContainText('Note: agent.learningStarts: the network\'s first update would come at step 500');
  // The starter's ε decay over 10,000 episodes, kept while the run is cut to 500: it never gets near its end.
  const decay = { format: 'aisle.experiment/v1', name: 'short decay', env: { id: 'seed-toy' }, agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 10_000 } }, episodes: 500, seeds: 1 };
  await json.fill(JSON.stringify(decay, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 500 episodes');
  await expect(app.getByTestId('warnings')).toHaveText(
    'Note: agent.epsilon.decayEpisodes: ε falls from 1 to 0.05 over 10,000 episodes, and the run has 500 episodes: it ends at 0.953, never reaching 0.05; lower decayEpisodes to at most 500, or raise episodes',
  );
  await expect(app.getByTestId('launch')).toBeEnabled();
  // 1,000 seeds × 100,000,000 episodes of DQN: the disk its metrics would take, beside Ready.
  await json.fill(JSON.stringify({ format: 'aisle.experiment/v1', name: 'huge', env: { id: 'seed-toy' }, agent: { id: 'dqn', epsilon: 0.1 }, episodes: 100_000_000, seeds: 1000 }, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/);
  await expect(app.getByTestId('warnings')).toHaveText(
    'Note: episodes: 1,000 runs × 100,000,000 episodes × 5 metrics would store 500,000,000,000 values, up to about 2,200 GB on disk; lower episodes or seeds if that is not meant',
  );
});

test('Launch pressed while an edit is being checked waits for that check: a new note is shown first, and launches nothing', async ({ app, server }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('tab-json').click();
  const json = app.getByTestId('json-view');
  const launch = app.getByTestId('launch');
  const late = { format: 'aisle.experiment/v1', name: 'late shift', env: { id: 'shop', shiftAt: 50, maxSteps: 5 }, agent: { id: 'random' }, episodes: 60, seeds: 1 };
  await json.fill(JSON.stringify(late, null, 2));
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 60 episodes');
  await expect(app.getByTestId('warnings')).toHaveCount(0);
  // From here a check is held while the test looks at the screen waiting for it (as a busy machine
  // keeps it a while), until the test lets it through; each launch is counted. A fixed delay (2 s)
  // left a slow machine to answer before the test saw 'Checking…'.
  let gate = Promise.resolve();
  let letThrough = () => {};
  const holdChecks = () => void (gate = new Promise<void>((r) => (letThrough = r)));
  const answerChecks = () => {
    letThrough();
    gate = Promise.resolve();
  };
  await app.route(/experiments\.validate/, async (route) => {
    await gate;
    await route.continue();
  });
  let launches = 0;
  app.on('request', (r) => void (r.url().includes('experiments.launch') && launches++));

  // 20 episodes puts the shift past the last one: Launch at once waits, then shows the note instead.
  holdChecks();
  await json.fill(JSON.stringify({ ...late, episodes: 20 }, null, 2));
  await launch.click();
  await expect(app.getByTestId('validation-state')).toHaveText('Checking… Launch follows if nothing new comes up.');
  answerChecks();
  const warnings = app.getByTestId('warnings');
  await expect(warnings).toContainText('Note: env.shiftAt: the shift at episode 50 never happens in 20 episodes');
  await expect(warnings).toContainText('Launch waited for these notes, new with your last edit: press Launch again to launch as it is.');
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 1 × 20 episodes');
  expect(launches).toBe(0);
  await expect(app).toHaveURL(/#\/experiments\/new$/);

  // An edit that makes a problem: Launch at once shows it, and hands its focus to the count that leads there.
  holdChecks();
  await json.fill(JSON.stringify({ ...late, episodes: 0 }, null, 2));
  await launch.focus();
  await app.keyboard.press('Enter');
  answerChecks();
  await expect(app.getByTestId('go-to-problem')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('go-to-problem')).toBeFocused();
  await expect(launch).toBeDisabled();
  expect(launches).toBe(0);
  await json.fill(JSON.stringify({ ...late, episodes: 20 }, null, 2));
  await expect(warnings).toContainText('Note: env.shiftAt: the shift at episode 50 never happens in 20 episodes');

  // Another edit whose check brings only the note already seen: Enter on Launch at once launches it, once checked.
  holdChecks();
  await json.fill(JSON.stringify({ ...late, name: 'late shift, seen', episodes: 20 }, null, 2));
  await launch.focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('validation-state')).toHaveText('Checking… Launch follows if nothing new comes up.');
  answerChecks();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
  expect(launches).toBe(1);
  const listed = await call<{ name: string }[]>(server, 'experiments.list', {});
  expect(listed.map((e) => e.name)).toEqual(['late shift, seen']);
});

test("an experiment's description is shown under its name in the list and on its runs' pages", async ({ app, server }) => {
  const description = 'Fatigue is a long-term cost the next click barely shows: compare with the myopic oracle.';
  const launched = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('described', undefined, { seeds: 1, episodes: 20, description }) });
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${launched.experimentId}"]`);
  await expect(row.getByTestId('experiment-description')).toHaveText(description);
  await expect(row.locator('td.name-cell')).toHaveAttribute('title', `described\napp\n${description}`);
  await expect(app).toHaveTitle('Experiments · Aisle'); // the tab names the screen
  await open(app, `#/runs/${launched.runIds[0]}`);
  await expect(app.getByTestId('run-experiment-description')).toHaveText(description);
  await expect(app).toHaveTitle(`Run ${launched.runIds[0]} · Aisle`);
  // In a 1280 × 800 window the name and description take the header's width, their label at their top: in the second of
  // its four columns a long description stood as a narrow column, "experiment" and agent · environment centred halfway down it.
  await app.setViewportSize({ width: 1280, height: 800 });
  const panel = (await app.locator('dl.header-kv').boundingBox())!;
  const cell = (await app.getByTestId('run-experiment').boundingBox())!;
  const label = (await app.locator('dl.header-kv > dt').first().boundingBox())!;
  expect(cell.width, 'the experiment and its description span the header').toBeGreaterThan(panel.width * 0.7);
  expect(Math.abs(label.y - cell.y), '"experiment" level with the name, not halfway down the description').toBeLessThan(4);
});

test('the checkpoints help says when the chosen agent keeps nothing to snapshot', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('select-agent').selectOption('q-learning');
  await expect(app.getByTestId('field-checkpoints')).not.toContainText('keeps neither');
  await app.getByTestId('select-agent').selectOption('random');
  await expect(app.getByTestId('field-checkpoints')).toContainText('Uniform random keeps neither, so its runs store none.');
});

test('experiments of one name are told apart, and at 1280 px the list gives the width to the name, not the actions', async ({ app, server }) => {
  const name = "shop fatigue: DQN on the user's features, launched again";
  const first = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { seeds: 1, episodes: 20 }) });
  const again = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment(name, undefined, { seeds: 1, episodes: 20 }) });
  await app.setViewportSize({ width: 1280, height: 800 });
  await open(app, '#/experiments');
  for (const id of [first.experimentId, again.experimentId]) {
    const row = app.locator(`[data-testid=experiment-row][data-id="${id}"]`);
    const link = row.locator('td.name-cell > a');
    await expect(link).toHaveText(name);
    // The whole name shows: not cut at the end of a line, nor clamped below.
    const cut = await link.evaluate((a) => ({ wide: a.scrollWidth > a.clientWidth, tall: a.scrollHeight > a.clientHeight + 1 }));
    expect(cut).toEqual({ wide: false, tall: false });
    const nameWidth = (await row.locator('td.name-cell').boundingBox())!.width;
    const actionsWidth = (await row.locator('td').last().boundingBox())!.width;
    expect(actionsWidth).toBeLessThan(nameWidth);
  }
  // Compare's picker: each beside its number and created date.
  await open(app, '#/compare');
  for (const id of [first.experimentId, again.experimentId]) {
    await expect(app.locator(`label[for="compare-exp-${id}"]`).getByTestId('compare-exp-when')).toHaveText(new RegExp(`^#${id} · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$`));
  }
});

test('the Experiments table from 1000 to 1920 px: 100,000,000 episodes, a thousand runs and long ids wrap, and never side-scroll', async ({ app, server }) => {
  // At 1000 px the table fitted experiments of 10,000,000 episodes by a few pixels: one of 100,000,000 episodes and 1,000 runs, of double-q-learning
  // on bandit-testbed, ran 48 px past the panel (and 14 px at 1280), every number and id on one line.
  test.setTimeout(90_000);
  await launchAndWait(server, cliffExperiment('quickstart: cliff walking, q-learning (alpha=0.1, epsilon=0.05)', { id: 'q-learning', alpha: 0.1, gamma: 1, epsilon: 0.05 }, { seeds: 2, episodes: 20 }));
  const huge = await call<Launched>(server, 'experiments.launch', {
    experiment: { format: 'aisle.experiment/v1', name: 'a thousand bandits', env: { id: 'bandit-testbed' }, agent: { id: 'double-q-learning' }, episodes: 100_000_000, seeds: 1000 },
  });
  await call(server, 'runs.cancel', { ids: huge.runIds });
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${huge.experimentId}"]`);
  await expect(row.getByTestId('run-counts')).toHaveText('1,000 cancelled');
  const fits = async (what: string, widths: readonly number[]) => {
    for (const width of widths) {
      await app.setViewportSize({ width, height: 768 });
      const table = await app.getByTestId('experiments-table').evaluate((t) => ({ table: t.scrollWidth, panel: t.parentElement!.clientWidth }));
      expect.soft(table.table, `the Experiments table with ${what} needs no side-scroll at ${width} px`).toBeLessThanOrEqual(table.panel);
      // The numbers stay whole, each on one line.
      const lines = await row.locator('td.num').evaluateAll((cells) =>
        cells.filter((td) => td.getClientRects().length > 0).map((td) => {
          const range = document.createRange();
          range.selectNodeContents(td.firstChild!);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        }),
      );
      expect.soft(lines, `#, episodes and seeds (under the episodes below 1280 px) each on one line at ${width} px`).toEqual(width >= 1280 ? [1, 1, 1] : [1, 1]);
    }
  };
  await fits('100,000,000 episodes and 1,000 runs', [1000, 1024, 1280]);
  // At 1280 px (the wide layout, its ids capped at 9rem) the longest built-in ids are still whole, each on one line.
  const idLines = await row.locator('.col-agent .id, .col-env .id').evaluateAll((spans) => spans.map((s) => `${s.textContent} ${s.getClientRects().length === 1 && s.getBoundingClientRect().height < 24 ? 'whole' : 'wrapped'}`));
  expect(idLines).toEqual(['bandit-testbed whole', 'double-q-learning whole']);
  // No built-in id is long (double-q-learning is the longest): results imported from elsewhere may name one that is. Written into the drawn row,
  // it wraps in its cell rather than widen the table.
  const long = 'a-contextual-bandit-with-a-learned-prior-from-last-years-logs';
  await row.evaluate((tr, id) => {
    for (const span of tr.querySelectorAll('.col-agent .id, .col-env .id')) span.textContent = id;
    tr.querySelector('.folded-env')!.textContent = ` on ${id}`;
  }, long);
  // At 1280 px the wide layout (every column shown) ran 22 px past its 1050 px panel with these ids (10rem each); check each laptop and desktop width from 1000 px up.
  await fits('an agent and an environment of 61 characters', [1000, 1024, 1100, 1280, 1366, 1440, 1920]);
  // All of it shown, on lines of its own width.
  const shown = await row.locator('.col-agent .id').evaluate((span) => ({ cut: span.scrollWidth > span.clientWidth, lines: span.getClientRects()[0]!.height > 40 }));
  expect(shown).toEqual({ cut: false, lines: true });
});

test("New experiment's random search rows at 1024 × 768 and 1000 px on one line, and narrower under their parameter as one line, Remove never alone", async ({ app }) => {
  // Below a 1000 px window a row's controls wrapped one by one: Remove alone on a line, as near the next row's parameter as its own.
  await app.setViewportSize({ width: 1280, height: 800 });
  await open(app, '#/experiments/new');
  await app.getByTestId('sweep').locator('summary').click();
  await app.getByTestId('sweep-mode-random').check();
  for (const [i, label, kind] of [
    [0, 'affinityConcentration (environment)', 'uniform'],
    [1, 'priceItemStd (environment)', 'choice'],
  ] as const) {
    await app.getByTestId('sweep-add').click();
    await app.getByTestId(`sweep-path-${i}`).selectOption({ label });
    await app.getByTestId(`sweep-kind-${i}`).selectOption(kind);
  }
  /** The row's parameter, and the span of the rest of its controls (distribution, bounds or values, Remove). */
  const layout = (i: number) =>
    app.getByTestId(`sweep-row-${i}`).evaluate((r) => {
      const [parameter, ...rest] = [...r.querySelectorAll('select, input, button')].map((c) => c.getBoundingClientRect());
      return {
        parameter: { top: parameter!.top, bottom: parameter!.bottom, left: parameter!.left },
        rest: { top: Math.max(...rest.map((b) => b.top)), bottom: Math.min(...rest.map((b) => b.bottom)), left: Math.min(...rest.map((b) => b.left)) },
      };
    });
  for (const width of [1024, 1000]) {
    await app.setViewportSize({ width, height: 768 });
    for (const i of [0, 1]) {
      const { parameter, rest } = await layout(i);
      expect.soft(Math.max(parameter.top, rest.top), `row ${i}'s controls on one line at ${width} px`).toBeLessThan(Math.min(parameter.bottom, rest.bottom));
    }
  }
  for (const width of [960, 600]) {
    await app.setViewportSize({ width, height: 768 });
    for (const i of [0, 1]) {
      const { parameter, rest } = await layout(i);
      expect.soft(rest.top, `row ${i}'s distribution, ${i === 0 ? 'bounds' : 'values'} and Remove on one line at ${width} px`).toBeLessThan(rest.bottom);
      expect.soft(rest.top, `… under its parameter at ${width} px`).toBeGreaterThanOrEqual(parameter.bottom);
      expect.soft(rest.left, `… set in from it at ${width} px`).toBeGreaterThan(parameter.left);
    }
  }
  // A grid's rows alike in a 600 px window: the values and Remove under the parameter.
  await app.getByTestId('sweep-mode-grid').check();
  const { parameter, rest } = await layout(0);
  expect.soft(rest.top, "a grid row's values and Remove on one line at 600 px").toBeLessThan(rest.bottom);
  expect.soft(rest.top).toBeGreaterThanOrEqual(parameter.bottom);
  expect.soft(rest.left).toBeGreaterThan(parameter.left);
});
