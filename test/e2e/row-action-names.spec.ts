// The actions on a table's rows name their row to a screen reader: every row's read "Runs, Compare,
// Run again, Rename, Delete" (Experiments) or "Evaluate, Save, Delete…" (Policies) alike, whatever
// the row, where the visible word alone is enough for a sighted user beside the row's name.
import { launchAndWait, openScreen } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

test('row actions on Experiments and Policies carry their experiment or policy in their accessible name', async ({ app, server }) => {
  const { experimentId, runIds } = await launchAndWait(server, cliffExperiment('cliff named', undefined, { seeds: 1, episodes: 20 }));
  const { policyId } = await call<{ policyId: number }>(server, 'policies.export', { runId: runIds[0]!, name: 'greedy named' });
  await openScreen(app, '#/experiments');
  const row = app.locator(`[data-testid=experiment-row][data-id="${experimentId}"]`);
  const about = `experiment ${experimentId}, cliff named`;
  await expect(row.getByTestId('rename-experiment')).toHaveAccessibleName(`Rename ${about}`);
  await expect(row.getByTestId('delete-experiment')).toHaveAccessibleName(`Delete ${about}`);
  await expect(row.getByRole('link', { name: `Runs of ${about}`, exact: true })).toHaveAttribute('href', `#/runs?experiment=${experimentId}`);
  await expect(row.getByRole('link', { name: `Compare ${about}`, exact: true })).toBeVisible();
  await expect(row.getByRole('link', { name: `Run again ${about}`, exact: true })).toBeVisible();
  // Seen, the words are as they were.
  await expect(row.getByTestId('rename-experiment')).toHaveText(/^Rename/);
  expect(await row.getByTestId('rename-experiment').evaluate((b) => (b as HTMLElement).innerText.trim())).toBe('Rename');

  await openScreen(app, '#/policies');
  const policy = app.locator(`[data-testid=policy-row][data-id="${policyId}"]`);
  for (const name of ['Evaluate', 'Save'].map((verb) => `${verb} policy ${policyId}, greedy named`).concat(`Delete policy ${policyId}, greedy named…`)) {
    await expect(policy.getByRole('button', { name, exact: true })).toBeVisible();
  }
});
