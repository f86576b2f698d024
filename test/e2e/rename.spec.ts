// Renaming an experiment from the Experiments screen: its name and description edited in a row
// under it (Escape leaves them, a blank or too long name is said under the field and nothing is
// stored, Enter saves), focus back on Rename, and the new name in the list, in Runs and in Compare;
// the same editor in Run detail's header; another process's rename shown by the screens open meanwhile.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { holdCalls, launchAndWait, openScreen as open } from './arrange';
import { call, cliffExperiment, expect, ROOT, test, type AisleServer } from './fixtures';
import type { ExperimentDetail } from '../../src/shared/dto';

/**
 * The editor that `rename` opens, used as a user would, on the experiment named 'cliff q-learning'
 * ('first try'): Escape leaves it, a blank and a too long name are refused under the field, and
 * Enter saves 'cliff alpha 0.5' ('step size 0.5'). Focus is back on `rename` whenever it closes;
 * `shown` is where the screen names the experiment.
 */
async function renameInEditor(app: Page, server: AisleServer, experimentId: number, rename: Locator, shown: Locator): Promise<void> {
  const form = app.getByTestId('rename-form');
  const name = app.getByTestId('rename-name');
  const stored = async () => (await call<ExperimentDetail>(server, 'experiments.get', { id: experimentId })).name;
  await expect(shown.getByRole('link', { name: 'cliff q-learning', exact: true })).toBeVisible();

  // Escape leaves everything as it was, and focus goes back to Rename.
  await rename.click();
  await expect(rename).toHaveAttribute('aria-expanded', 'true');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('cliff q-learning');
  await expect(app.getByTestId('rename-description')).toHaveValue('first try');
  // Under a description filled in, "Empty: no description." read as if it were none.
  await expect(app.getByTestId('rename-description')).toHaveAccessibleDescription('Leave it empty for no description.');
  await name.fill('not this');
  await name.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(rename).toBeFocused();
  await expect(rename).toHaveAttribute('aria-expanded', 'false');
  await expect(shown.getByRole('link', { name: 'cliff q-learning', exact: true })).toBeVisible();
  expect(await stored()).toBe('cliff q-learning');

  // A blank name: said under the field, marked, the form stays open and nothing is sent or stored.
  let updates = 0;
  app.on('request', (r) => void (r.url().includes('experiments.update') && updates++));
  await app.keyboard.press('Enter'); // Rename, from the keyboard
  await expect(name).toBeFocused();
  await name.fill('   ');
  await name.press('Enter');
  await expect(app.getByTestId('rename-name-problem')).toHaveText('Name: must not be empty: give the experiment a name');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  // Said as it comes (focus stayed in the name, which its problem did not yet describe then).
  await expect(app.getByTestId('rename-name-problem')).toHaveAttribute('role', 'alert');
  await expect(form).toBeVisible();
  await name.fill('x'.repeat(201));
  await app.getByTestId('rename-save').click();
  await expect(app.getByTestId('rename-name-problem')).toHaveText('Name: has 201 characters, more than 200: shorten it');
  await expect(name).toBeFocused();
  expect(await stored()).toBe('cliff q-learning');
  expect(updates).toBe(0); // refused in the editor, before any request (the service would answer 400)

  // Enter saves: the screen shows the new name at once.
  await name.fill('cliff alpha 0.5');
  await app.getByTestId('rename-description').fill('step size 0.5');
  await name.press('Enter');
  await expect(form).toHaveCount(0);
  await expect(rename).toBeFocused();
  await expect(shown.getByRole('link', { name: 'cliff alpha 0.5', exact: true })).toBeVisible();
  expect(await stored()).toBe('cliff alpha 0.5');
}

test('rename an experiment: Escape cancels, a blank name is refused in place, Enter saves and every list shows the new name', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 2, episodes: 50, description: 'first try' }));
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await renameInEditor(app, server, experimentId, row.getByTestId('rename-experiment'), row);
  await expect(row.getByTestId('experiment-description')).toHaveText('step size 0.5');

  // Runs, run detail and Compare's legend name it so too.
  await row.getByRole('link', { name: 'Runs' }).click();
  await expect(app.getByTestId('run-row')).toHaveCount(2);
  for (const runRow of await app.getByTestId('run-row').all()) await expect(runRow).toContainText('cliff alpha 0.5');
  await open(app, `#/compare?experiments=${experimentId}`);
  await expect(app.getByText('cliff alpha 0.5 · q-learning').first()).toBeVisible();
});

test('a rename refused for no field (the database busy) is said below the fields, and focus is back on Save to try again', async ({ app, server }) => {
  const { experimentId } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1, episodes: 50 }));
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await row.getByTestId('rename-experiment').click();
  const name = app.getByTestId('rename-name');
  const save = app.getByTestId('rename-save');
  await expect(name).toBeFocused();
  await name.fill('cliff busy');
  // Answered as the service answers a call while another process holds the database, once the
  // page has shown Save disabled (which drops the focus pressed there to <body>).
  const busy = 'the database is busy (held by the test): try again';
  const updates = await holdCalls(app, /^experiments\.update$/, { answer: { status: 503, body: { ok: false, error: { name: 'Busy', message: busy, status: 503 } } } });
  await save.click();
  await expect(save).toBeDisabled();
  // The answer goes to calls held before the release: Save read disabled before the call reached
  // the route (about 1 press in 100 here), and released then, the rename went to the server.
  await expect.poll(() => updates.counts.held).toBe(1);
  updates.release();
  await expect(app.getByTestId('rename-form').getByRole('alert')).toContainText(busy);
  await expect(save).toBeEnabled();
  // Focus left on <body> sent a keyboard user back to the top of the window.
  await expect(save).toBeFocused();
  expect((await call<ExperimentDetail>(server, 'experiments.get', { id: experimentId })).name).toBe('cliff q-learning');

  // Pressed again from the keyboard, once the database answers (the call reaches the server): stored, and focus back on Rename.
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('rename-form')).toHaveCount(0);
  await expect(row.getByTestId('rename-experiment')).toBeFocused();
  await expect(row.getByRole('link', { name: 'cliff busy', exact: true })).toBeVisible();
});

test("Run detail's header renames its experiment with the same editor: the header, Runs and Experiments show the new name; a deleted experiment takes the page with its run", async ({ app, server }) => {
  const { experimentId, runIds } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 2, episodes: 50, description: 'first try' }));
  await open(app, `#/runs/${runIds[0]}`);
  const experiment = app.getByTestId('run-experiment');
  // On a run's page the button says which thing it renames.
  const rename = experiment.getByRole('button', { name: 'Rename experiment' });
  await renameInEditor(app, server, experimentId, rename, experiment);
  await expect(app.getByTestId('run-experiment-description')).toHaveText('step size 0.5');

  // Runs (the header's link) and Experiments name it so too.
  await experiment.getByRole('link', { name: 'cliff alpha 0.5', exact: true }).click();
  await expect(app.getByTestId('run-row')).toHaveCount(2);
  for (const runRow of await app.getByTestId('run-row').all()) await expect(runRow).toContainText('cliff alpha 0.5');
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await expect(row.getByRole('link', { name: 'cliff alpha 0.5', exact: true })).toBeVisible();
  await expect(row.getByTestId('experiment-description')).toHaveText('step size 0.5');

  // The experiment deleted (with its runs) while the editor is open: the run is gone too, and its page says so in place of the editor.
  await open(app, `#/runs/${runIds[1]}`);
  await rename.click();
  const name = app.getByTestId('rename-name');
  await expect(name).toBeFocused();
  await call(server, 'experiments.delete', { id: experimentId });
  await expect(app.getByTestId('run-deleted')).toContainText(`Run ${runIds[1]} was deleted while this page was open`);
  await expect(app.getByTestId('rename-form')).toHaveCount(0);
});

test("another process's rename (`aisle rename`) shows in the open Experiments, run detail and Compare screens", async ({ app, server }) => {
  const { experimentId, runIds } = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1, episodes: 50 }));
  const rename = (name: string, description: string) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', server.dbPath, 'rename', String(experimentId), '--name', name, '--description', description], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };
  await open(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  await expect(row.getByRole('link', { name: 'cliff q-learning', exact: true })).toBeVisible();
  rename('from the terminal', 'described there');
  await expect(row.getByRole('link', { name: 'from the terminal', exact: true })).toBeVisible();
  await expect(row.getByTestId('experiment-description')).toHaveText('described there');

  await open(app, `#/runs/${runIds[0]}`);
  await expect(app.getByRole('link', { name: 'from the terminal', exact: true })).toBeVisible();
  rename('renamed again', 'and described again');
  await expect(app.getByRole('link', { name: 'renamed again', exact: true })).toBeVisible();
  await expect(app.getByTestId('run-experiment-description')).toHaveText('and described again');

  await open(app, `#/compare?experiments=${experimentId}`);
  await expect(app.getByText('renamed again · q-learning').first()).toBeVisible();
  rename('a third name', '');
  await expect(app.getByText('a third name · q-learning').first()).toBeVisible();
});
