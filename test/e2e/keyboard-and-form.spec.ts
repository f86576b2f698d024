// Keyboard and form behaviour a tester reported: a number field whose text is not a number is a
// problem of that field (an empty one means the default), and so is a JSON field's text that does
// not parse, through the JSON view and a reload; a JSON view that does not parse says so
// in the form, with a way back and a way out; focus never drops to <body> after an action (Cancel
// on Runs and on a run, Run experiment again, Export, Delete on Policies through the modal dialog, whose Tab
// stays inside it and whose Escape gives focus back to its button); a button that cannot act keeps
// its Tab stop and says why; imports' messages go with the next edit; the "Edit as" tabs follow the
// WAI-ARIA tabs pattern (arrows, Home, End, one Tab stop).
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { launchAndWait, openScreen as open, type Launched } from './arrange';
import { call, cliffExperiment, expect, ROOT, test } from './fixtures';

/** What has focus: its data-testid, else its tag and text; "body" when focus was dropped. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (a === null || a === document.body) return 'body';
    return a.getAttribute('data-testid') ?? `${a.tagName.toLowerCase()}: ${(a.textContent ?? '').trim().slice(0, 60)}`;
  });
}

/** True while focus is inside the open confirmation dialog. */
function focusInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.closest('[data-testid=confirm-dialog]') != null);
}

const endlessToy = (name: string) => ({ format: 'aisle.experiment/v1', name, env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 100_000_000, seeds: 1 });

test('a number field: text that is not a number is its problem, an empty field means the default', async ({ app }) => {
  await open(app, '#/experiments/new');
  const episodes = app.getByTestId('input-episodes');
  const problem = app.getByTestId('problem-episodes');
  const state = app.getByTestId('validation-state');
  const launch = app.getByTestId('launch');
  await expect(episodes).toHaveValue('20000'); // the starter experiment's
  await expect(state).toHaveText('Ready: 5 × 20,000 episodes');

  // Emptied: the default applies, and the status says which (never "?").
  await episodes.fill('');
  await expect(state).toHaveText('Ready: 5 × 500 episodes');
  await expect(problem).toHaveCount(0);
  await expect(launch).toBeEnabled();

  // "e" typed into the empty field: the input still reports "" (React's onChange stays silent), but
  // its text is not a number — a problem under the field, described by it, and Launch waits.
  await episodes.pressSequentially('e');
  await expect(problem).toHaveText('is not a number: type digits, e.g. 500');
  await expect(episodes).toHaveAttribute('aria-invalid', 'true');
  await expect(episodes).toHaveAttribute('aria-describedby', /f-episodes-problems/);
  await expect(app.getByTestId('field-episodes')).toContainText('episodes');
  await expect(launch).toBeDisabled();
  await expect(launch).toHaveText('Launch');
  await expect(state).toHaveText('1 problem to fix');
  // A screen reader is told the answers, not the "Checking…" between a keystroke and its answer.
  await expect(state).not.toHaveAttribute('aria-live');
  await expect(app.getByTestId('validation-said')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('validation-said')).toHaveAttribute('aria-live', 'polite');

  // Deleted again (still ""): empty, so the default, and the problem goes.
  await episodes.press('Backspace');
  await expect(problem).toHaveCount(0);
  await expect(state).toHaveText('Ready: 5 × 500 episodes');
  await expect(launch).toBeEnabled();

  // "-" alone is not a number either.
  await episodes.pressSequentially('-');
  await expect(problem).toHaveText('is not a number: type digits, e.g. 500');
  await expect(launch).toBeDisabled();
  await episodes.press('Backspace');
  await expect(problem).toHaveCount(0);

  // Digits: that number; then "300e" (not a number) and back to 300.
  await episodes.pressSequentially('300');
  await expect(state).toHaveText('Ready: 5 × 300 episodes');
  await episodes.pressSequentially('e');
  await expect(problem).toHaveText('is not a number: type digits, e.g. 500');
  await expect(launch).toBeDisabled();
  await episodes.press('Backspace');
  await expect(problem).toHaveCount(0);
  await expect(state).toHaveText('Ready: 5 × 300 episodes');
  await expect(launch).toHaveText('Launch 5 runs');
  await expect(launch).toBeEnabled();
  // One episode is one episode.
  await episodes.fill('1');
  await expect(state).toHaveText('Ready: 5 × 1 episode');

  // A float field keeps its wording; an emptied name is "empty", not "must be a text".
  const alpha = app.getByTestId('input-agent.alpha');
  await alpha.fill('');
  await alpha.pressSequentially('-');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveText('is not a number: type digits, e.g. 0.5');
  await alpha.press('Backspace');
  await alpha.pressSequentially('0.5');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveCount(0);
  await app.getByTestId('input-name').fill('');
  await expect(app.getByTestId('problem-name')).toHaveText('must not be empty: give the experiment a name');
  await expect(launch).toBeDisabled();
});

test("a schedule's field of the wrong kind (a fraction where a whole number goes) is that field's problem, and the footer's link focuses it", async ({ app }) => {
  await open(app, '#/experiments/new');
  const decay = app.getByTestId('input-agent.epsilon.decayEpisodes');
  await expect(decay).toHaveValue('10000'); // the starter experiment's schedule
  await decay.fill('1.5');
  await expect(app.getByTestId('problem-agent.epsilon.decayEpisodes')).toHaveText('must be a whole number ≥ 1, got 1.5');
  await expect(decay).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
  await app.getByTestId('input-episodes').focus();
  await app.getByTestId('go-to-problem').click();
  await expect(decay).toBeFocused();
});

test('a JSON field: text that does not parse stays its problem through the JSON view and a reload', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('select-agent').selectOption('dqn');
  const hidden = app.getByTestId('input-agent.hidden');
  const problem = app.getByTestId('problem-agent.hidden');
  const launch = app.getByTestId('launch');
  await expect(launch).toBeEnabled();

  await hidden.fill('[64, 6');
  await expect(problem).toContainText('malformed JSON at line 1, column 7 (');
  await expect(hidden).toHaveAttribute('aria-invalid', 'true');
  await expect(launch).toBeDisabled();

  // The JSON view holds the text (not the last good value), and back in the form it is the field's
  // problem again: Launch cannot use the old value meanwhile.
  await app.getByTestId('tab-json').click();
  await expect(app.getByTestId('json-view')).toHaveValue(/"hidden": "\[64, 6"/);
  await expect(launch).toBeDisabled();
  await app.getByTestId('tab-form').click();
  await expect(hidden).toHaveValue('[64, 6');
  await expect(problem).toContainText('malformed JSON at line 1, column 7 (');
  await expect(launch).toBeDisabled();

  // The same after a reload, which restores the draft.
  await app.reload();
  await expect(hidden).toHaveValue('[64, 6');
  await expect(problem).toContainText('malformed JSON at line 1, column 7 (');
  await expect(launch).toBeDisabled();

  // Fixed: the value, no problem, and Launch.
  await hidden.fill('[64, 64]');
  await expect(problem).toHaveCount(0);
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 5 × 20,000 episodes');
  await expect(launch).toBeEnabled();
});

test('a JSON view that does not parse: the form says so above it, with Back and Discard', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('input-seeds').fill('10');
  await expect(app.getByTestId('launch')).toHaveText('Launch 10 runs');
  await app.getByTestId('tab-json').click();
  const json = app.getByTestId('json-view');
  const good = await json.inputValue();
  const broken = good.slice(0, good.lastIndexOf('}'));
  await json.fill(broken);
  await expect(app.getByTestId('json-error')).toContainText('malformed JSON at line ');

  await app.getByTestId('tab-form').click();
  const pending = app.getByTestId('json-pending');
  await expect(pending).toContainText('The JSON view holds text that does not parse (malformed JSON at line ');
  await expect(pending).toHaveAttribute('role', 'alert');
  // Above the form, where the user looks.
  const [pendingBox, formBox] = await Promise.all([pending.boundingBox(), app.getByTestId('input-name').boundingBox()]);
  expect(pendingBox!.y).toBeLessThan(formBox!.y);
  await expect(app.getByTestId('validation-state')).toHaveText('1 problem to fix');
  await expect(app.getByTestId('launch')).toBeDisabled();
  await expect(app.getByTestId('launch')).toHaveText('Launch'); // no "Launch 10 runs" while it cannot

  // Back to the JSON view: the broken text is still there, and has focus.
  await app.getByTestId('json-pending-back').click();
  await expect(app.getByTestId('tab-json')).toHaveAttribute('aria-selected', 'true');
  await expect(json).toHaveValue(broken);
  await expect(json).toBeFocused();

  // Discard: the JSON view goes back to the last good draft, the problem with it.
  await app.getByTestId('tab-form').click();
  await app.getByTestId('json-pending-discard').click();
  await expect(pending).toHaveCount(0);
  await expect(app.getByTestId('validation-state')).toHaveText('Ready: 10 × 20,000 episodes');
  await expect(app.getByTestId('launch')).toHaveText('Launch 10 runs');
  await expect(app.getByTestId('launch')).toBeEnabled();
  await expect.poll(() => focused(app)).toBe('input-name');
  await app.getByTestId('tab-json').click();
  await expect(json).toHaveValue(good);
  await expect(app.getByTestId('json-error')).toHaveCount(0);
});

test('the "Edit as" tabs: arrows, Home and End select a tab and move focus to it; only the selected tab is a Tab stop', async ({ app }) => {
  await open(app, '#/experiments/new');
  const [form, json] = [app.getByTestId('tab-form'), app.getByTestId('tab-json')];
  const panel = app.getByRole('tabpanel');
  const selected = async () => [await form.getAttribute('aria-selected'), await json.getAttribute('aria-selected')];
  await expect(form).toHaveAttribute('aria-selected', 'true');
  await expect(form).toHaveAttribute('tabindex', '0');
  await expect(json).toHaveAttribute('tabindex', '-1');
  // Both tabs control the one panel, which the selected tab labels.
  const panelId = (await panel.getAttribute('id'))!;
  await expect(form).toHaveAttribute('aria-controls', panelId);
  await expect(json).toHaveAttribute('aria-controls', panelId);
  await expect(panel).toHaveAttribute('aria-labelledby', (await form.getAttribute('id'))!);
  await expect(app.getByRole('tabpanel', { name: 'Form' })).toContainText('episodes');

  // Right: the JSON view, selected and focused, in the panel it now labels; Tab order follows.
  await form.focus();
  await app.keyboard.press('ArrowRight');
  await expect(json).toBeFocused();
  expect(await selected()).toEqual(['false', 'true']);
  await expect(json).toHaveAttribute('tabindex', '0');
  await expect(form).toHaveAttribute('tabindex', '-1');
  await expect(app.getByRole('tabpanel', { name: 'JSON view' }).getByTestId('json-view')).toBeVisible();
  // Right from the last tab wraps to the first; Left from the first to the last; Home and End.
  await app.keyboard.press('ArrowRight');
  await expect(form).toBeFocused();
  await expect(app.getByTestId('input-name')).toBeVisible();
  await app.keyboard.press('ArrowLeft');
  await expect(json).toBeFocused();
  await expect(json).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('Home');
  await expect(form).toBeFocused();
  await expect(form).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('End');
  await expect(json).toBeFocused();
  await expect(json).toHaveAttribute('aria-selected', 'true');

  // One Tab stop: Tab leaves the tab list (to Start from a preset…), Shift+Tab comes back to the selected tab.
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('presets-toggle')).toBeFocused();
  await app.keyboard.press('Shift+Tab');
  await expect(json).toBeFocused();
  // Enter on a focused tab (a button) still selects it, as a click does.
  await form.focus();
  await app.keyboard.press('Enter');
  await expect(form).toHaveAttribute('aria-selected', 'true');
});

test('what an import said goes with the next edit', async ({ app }) => {
  await open(app, '#/experiments/new');
  // The experiment without its MDP file fails; an edit in the JSON view clears the message.
  await app.getByTestId('import-input').setInputFiles(join(ROOT, 'resources/experiments/quickstart.json'));
  await expect(app.getByTestId('import-problems')).toContainText('env.mdp');
  await app.getByTestId('tab-json').click();
  await app.getByTestId('json-view').focus();
  await app.keyboard.press('Control+End');
  await app.keyboard.type('\n'); // after the final "}": the same experiment, but an edit
  await expect(app.getByTestId('json-error')).toHaveCount(0);
  await expect(app.getByTestId('import-problems')).toHaveCount(0);

  // "Imported …" goes with the next edit in the form.
  await app.getByTestId('tab-form').click();
  await app.getByTestId('import-input').setInputFiles(join(ROOT, 'resources/experiments/cliff.mdp.json'));
  await expect(app.getByTestId('import-note')).toHaveText('Imported cliff.mdp.json.');
  await app.getByTestId('input-seeds').fill('2');
  await expect(app.getByTestId('import-note')).toHaveCount(0);
});

test('focus stays on the page after Cancel on Runs, Delete on Runs, Cancel on a run and Run experiment again', async ({ app, server }) => {
  test.setTimeout(90_000);
  const { runIds } = await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy') });
  const id = runIds[0]!;
  await open(app, '#/runs');
  const row = app.locator(`[data-testid=run-row][data-id="${id}"]`);
  await expect(row.getByTestId('run-status')).toHaveText('running');
  await expect.poll(async () => Number(await row.getByTestId('run-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0); // so Cancel asks
  await row.getByTestId('select-run').check();

  // Cancel by keyboard (confirmed in the dialog): the button ends disabled; focus goes to the
  // selection's status line.
  await app.getByTestId('cancel-selected').focus();
  await app.keyboard.press('Enter');
  await app.getByTestId('confirm').focus();
  await app.keyboard.press('Enter');
  await expect(row.getByTestId('run-status')).toHaveText('cancelled');
  await expect(app.getByTestId('cancel-selected')).toBeDisabled();
  // The status comes with the run's push, which can be handled before the cancel's answer closes the
  // dialog (and focus leaves it): looked for until it has moved.
  await expect.poll(() => focused(app)).toBe('selection-count');

  // Delete one run: the dialog says "Run N" (not "Runs N"); afterwards Delete is disabled (nothing
  // selected) and focus is on the status line again.
  await app.getByTestId('delete-selected').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('confirm-dialog')).toContainText(`Run ${id}, with its metrics`);
  await app.getByTestId('confirm').focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(row).toHaveCount(0);
  await expect(app.getByTestId('delete-selected')).toBeDisabled();
  expect(await focused(app)).toBe('selection-count');

  // Cancel on a run's page: the button leaves; the heading (with the status badge) takes focus.
  const second = (await call<Launched>(server, 'experiments.launch', { experiment: endlessToy('endless toy 2') })).runIds[0]!;
  await open(app, `#/runs/${second}`);
  const status = app.getByTestId('run-detail').getByTestId('run-status');
  await expect(status).toHaveText('running');
  await expect.poll(async () => Number(await app.getByTestId('run-detail').getByTestId('run-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await app.getByTestId('cancel-run').focus();
  await app.keyboard.press('Enter');
  await app.getByTestId('confirm').focus();
  await app.keyboard.press('Enter');
  await expect(status).toHaveText('cancelled');
  await expect(app.getByTestId('cancel-run')).toHaveCount(0);
  await expect.poll(() => focused(app)).toBe('run-title');

  // Run experiment again (a link that leaves with its screen): the new screen's heading takes focus.
  await app.getByRole('link', { name: 'Run experiment again' }).focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('new-experiment-title')).toHaveText(/^New experiment from #\d+$/);
  await expect.poll(() => focused(app)).toBe('new-experiment-title');
});

test('a button that cannot act says why to the keyboard: Tab reaches it, the reason is its description, Enter and Space do nothing', async ({ app }) => {
  const evaluations: string[] = [];
  app.on('request', (r) => {
    if (r.url().includes('logs.evaluate')) evaluations.push(r.url());
  });
  await open(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles({ name: 'logs.csv', mimeType: 'text/csv', buffer: Buffer.from(logsCsv(syntheticRows(400, 3))) });
  await expect(app.getByTestId('logs-summary')).toContainText('logs.csv: 400 rows');
  await app.getByTestId('target-uniform').uncheck();
  const evaluate = app.getByTestId('ope-evaluate');
  const why = 'Choose at least one policy to evaluate.';
  // The field before it, then Tab: a disabled button would be skipped, and its reason never heard.
  await app.getByTestId('ope-folds').focus();
  await app.keyboard.press('Tab');
  await expect(evaluate).toBeFocused();
  await expect(evaluate).toHaveAttribute('aria-disabled', 'true');
  await expect(evaluate).toHaveAccessibleDescription(why);
  await expect(app.getByTestId('ope-blocker')).toHaveText(why);
  await app.keyboard.press('Enter');
  await app.keyboard.press('Space');
  await expect(evaluate).toBeFocused();
  await expect(evaluate).toHaveText('Evaluate');
  // Once it can act, the same key evaluates: one request, the enabled press's alone.
  await app.getByTestId('target-uniform').check();
  await expect(evaluate).not.toHaveAttribute('aria-disabled');
  await expect(evaluate).toHaveAccessibleDescription('');
  await evaluate.focus();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('ope-results')).toBeVisible();
  expect(evaluations).toHaveLength(1);
});

test('Policies: focus after Export; Delete asks in the modal dialog (Tab stays in it, Escape gives focus back)', async ({ app, server }) => {
  test.setTimeout(90_000);
  const { runIds } = await launchAndWait(server, cliffExperiment('cliff for a policy', undefined, { seeds: 1 }));
  await open(app, `#/policies?export=${runIds[0]}`);
  await expect(app.getByTestId('export-run')).toHaveValue(String(runIds[0]));

  // Export by keyboard: the button is disabled while it works; the notice takes focus.
  await app.getByTestId('export-button').focus();
  await Promise.all([app.waitForEvent('download'), app.keyboard.press('Enter')]);
  await expect(app.getByTestId('export-notice')).toContainText('stored as policy #');
  await expect.poll(() => focused(app)).toBe('export-notice');

  const rows = app.getByTestId('policy-row');
  await expect(rows).toHaveCount(1);
  const policyId = (await rows.first().getAttribute('data-id'))!;
  const deleteButton = rows.first().getByTestId('delete-policy');

  // Delete…: the modal dialog, focus inside it on Keep.
  await deleteButton.focus();
  await app.keyboard.press('Enter');
  const dialog = app.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`Delete policy #${policyId}?`);
  await expect(dialog.getByRole('button', { name: 'Keep' })).toBeFocused();

  // Tab cycles Keep → Delete → Keep; Shift+Tab the other way. Focus never leaves the dialog.
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('confirm')).toBeFocused();
  await app.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Keep' })).toBeFocused();
  await app.keyboard.press('Tab');
  await app.keyboard.press('Tab');
  expect(await focusInDialog(app)).toBe(true);
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Shift+Tab');
  await app.keyboard.press('Shift+Tab');
  expect(await focusInDialog(app)).toBe(true);

  // Escape: the dialog goes, nothing is deleted, focus is back on the button that opened it.
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(deleteButton).toBeFocused();
  await expect(rows).toHaveCount(1);

  // Keep does the same.
  await app.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Enter'); // Keep has focus
  await expect(dialog).toHaveCount(0);
  await expect(deleteButton).toBeFocused();

  // Delete: the row goes with its button; the notice that says so takes focus.
  await app.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('confirm')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(rows).toHaveCount(0);
  await expect(app.getByTestId('policy-deleted')).toHaveText(`Deleted policy #${policyId}.`);
  expect(await focused(app)).not.toBe('body');
  expect(await focused(app)).toBe('policy-deleted');
});

test('Tab through New experiment: every focused field scrolls clear of the sticky Launch bar', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await open(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('seed-toy');
  await app.getByTestId('select-agent').selectOption('q-learning');
  await app.getByTestId('input-name').focus();
  const bar = app.getByTestId('launch-bar');
  let checked = 0;
  for (let i = 0; i < 40; i++) {
    await app.keyboard.press('Tab');
    const inBar = await app.evaluate(() => document.activeElement?.closest('[data-testid=launch-bar]') != null);
    if (inBar) break;
    const box = await app.evaluate(() => {
      const r = document.activeElement!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, id: document.activeElement!.id };
    });
    const barTop = (await bar.boundingBox())!.y;
    expect(box.bottom, `${box.id} (bottom ${box.bottom}) is under the Launch bar (top ${barTop})`).toBeLessThanOrEqual(barTop);
    expect(box.top).toBeGreaterThanOrEqual(0);
    checked++;
  }
  // The form's fields were all reached (name, description, episodes, seeds, checkpoints, both panels).
  expect(checked).toBeGreaterThan(8);
  await expect(app.getByTestId('input-agent.initialQ')).toBeAttached();
});
