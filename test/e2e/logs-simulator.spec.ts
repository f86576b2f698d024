// Train on your logs, in the app: the off-policy screen fits a simulator to the uniform policy's
// rows with 1 row in 3 held out (the summary says how many rows it fitted, as `aisle logs mdp`
// does), hands it to New experiment (a tabular-mdp environment with the MDP inline, one decision per
// episode, 5 seeds and a description of the rows, as `aisle logs mdp --experiment` writes it), whose
// launched runs learn on it; the learned policy, exported, is evaluated back on the off-policy
// screen, which kept the file and choices, on the held-out rows only, and beats uniform there;
// scored on every row instead, it is said to be scored on the rows its simulator was fitted to. The
// draft's fittedTo goes once its environment is edited, in the JSON view too.
// A stale simulator's New experiment button stays a Tab stop, described by the notice that says why it does nothing.
// A shop's purchase records, without a propensity column, fit too; only Evaluate asks for one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentDetail, PolicyExport, RunPage } from '../../src/shared/dto';
import { heldOut, logsCsv, syntheticRows } from '../helpers/logs-csv';
import { openScreen } from './arrange';
import { call, expect, ROOT, test } from './fixtures';

test('fits a simulator to the logs, trains on it in a new experiment, and evaluates the learned policy on the held-out rows', async ({ app, server }) => {
  const rows = syntheticRows(4000, 5);
  const file = join(server.dataDir, 'shop-logs.csv'); // removed with the server's folder
  writeFileSync(file, logsCsv(rows));
  const uniform = rows.filter((r) => r.policy === 'uniform');
  const held = heldOut(uniform.length, 3).filter(Boolean).length;

  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(file);
  await app.getByTestId('where-policy').selectOption('uniform');
  await app.getByTestId('ope-holdout').selectOption('3');
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-summary')).toHaveText(
    `2 contexts (position), 4 actions (item), fitted on ${(uniform.length - held).toLocaleString('en-US')} of the 2,000 rows kept (1 row in 3 held out). A step pays click 1 with the model’s probability, else 0. Its MDP: 4 states (one per context, and two end states, for a reward of 1 and of 0) × 4 actions.`,
  );
  await expect(app.getByTestId('simulator-values')).toContainText('the best policy in the simulator:');
  // The pages are left mixed: said with the simulator as above the filters (and as `aisle logs mdp` warns).
  await expect(app.getByTestId('simulator-mixed')).toContainText('The rows kept mix 2 values of page (cart, home). This column says which policy logged a row');
  await expect(app.getByTestId('simulator-mixed')).toContainText('Pick one value of each above and fit again');
  // The result takes focus, so a screen reader reads what was fitted.
  await expect(app.getByTestId('simulator-result')).toBeFocused();
  // The panel, for the README (without the focus ring).
  await app.getByTestId('simulator-result').blur();
  await app.getByTestId('logs-simulator').screenshot({ path: join(ROOT, 'docs', 'screenshots', 'off-policy-simulator.png') });

  // Another holdout: the simulator no longer matches the choices, and says so; refitted, it uses the rows before the newest 20 %.
  await app.getByTestId('ope-holdout').selectOption('last:20');
  await expect(app.getByTestId('simulator-stale')).toBeVisible();
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-summary')).toContainText('fitted on 1,600 of the 2,000 rows kept (the last 20 % held out)');
  await app.getByTestId('ope-holdout').selectOption('0');
  await expect(app.getByTestId('simulator-stale')).toBeVisible();
  await expect(app.getByTestId('simulator-experiment')).toBeDisabled();
  await app.getByTestId('ope-holdout').selectOption('3');
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-summary')).toContainText('(1 row in 3 held out)');
  await expect(app.getByTestId('simulator-stale')).toHaveCount(0);

  await app.getByTestId('simulator-experiment').click();
  await expect(app).toHaveURL(/#\/experiments\/new\?draft=logs$/);
  await expect(app.getByTestId('new-experiment-title')).toHaveText('New experiment on a simulator of your logs');
  await expect(app.getByTestId('select-env')).toHaveValue('tabular-mdp');
  // As `aisle logs mdp --experiment` writes it: Q-learning with a small step, and enough
  // one-decision episodes to try each of the 2 × 4 context-action pairs often.
  await expect(app.getByTestId('input-episodes')).toHaveValue('16000');
  await expect(app.getByTestId('select-agent')).toHaveValue('q-learning');
  await expect(app.getByTestId('input-agent.alpha')).toHaveValue('0.01');
  // Its seeds, name and description too; the description records what the evaluation on the held-out rows must repeat.
  await expect(app.getByTestId('input-seeds')).toHaveValue('5');
  await expect(app.getByTestId('input-name')).toHaveValue('learn from shop-logs.csv');
  await expect(app.getByTestId('input-description')).toHaveValue(
    new RegExp(
      `^Q-learning on a simulator fitted to shop-logs\\.csv \\(the rows with policy=uniform; ${(uniform.length - held).toLocaleString('en-US')} rows fitted, 1 row in 3 held out; prior 1 pseudo-row; 2 contexts × 4 actions\\): one decision per episode\\. Evaluate a policy learned here on the rows the fit held out: `,
    ),
  );
  await expect(app.getByTestId('launch')).toBeEnabled({ timeout: 15_000 });
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs/);

  // The runs learn on the simulator; the first one's policy is exported (as the Policies screen would).
  let runId = 0;
  await expect
    .poll(
      async () => {
        const page = await call<RunPage>(server, 'runs.list', { limit: 50 });
        runId = page.runs.find((r) => r.status === 'completed')?.id ?? 0;
        return page.runs.length > 0 && page.runs.every((r) => r.status === 'completed');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const exported = await call<PolicyExport>(server, 'policies.export', { runId, name: 'learned on the simulator' });
  // It learned what the logs say: hats click most at both positions.
  if (exported.policy.kind !== 'tabular') throw new Error(`expected a tabular policy, got ${exported.policy.kind}`);
  expect(exported.policy.greedy.slice(0, 2).map((a) => exported.policy.actions[a])).toEqual(['hats', 'hats']);

  // Back on the off-policy screen, everything is as it was left (the file, its rows, the holdout,
  // the simulator): the stored policy is evaluated on the held-out rows only.
  await openScreen(app, '#/off-policy');
  await expect(app.getByTestId('logs-summary')).toContainText('shop-logs.csv: 4,000 rows');
  await expect(app.getByTestId('where-policy')).toHaveValue('uniform');
  await expect(app.getByTestId('ope-holdout')).toHaveValue('3');
  await expect(app.getByTestId('simulator-summary')).toContainText('(1 row in 3 held out)');
  await expect(app.getByTestId('simulator-stale')).toHaveCount(0);
  await app.getByTestId('target-policy-id').selectOption(String(exported.policyId));
  await expect(app.getByTestId('target-uniform')).toBeChecked();
  await app.getByTestId('ope-evaluate').click();
  await expect(app.getByTestId('ope-logged')).toContainText(`over the ${held} rows held out (1 row in 3) of 2,000 kept of 4,000;`);
  await expect(app.getByTestId('ope-target')).toHaveCount(2);
  const ips = async (n: number) => Number(await app.getByTestId('ope-target').nth(n).locator('[data-testid=ope-row][data-estimator=ips] [data-testid=ope-value]').getAttribute('data-value'));
  await expect(app.getByTestId('ope-target').nth(1)).toContainText('learned on the simulator');
  // Hats click most at both positions (0.3 and 0.18, against 0.16 and 0.10 on average): a policy that
  // learned that earns about half again as much as uniform on rows it never saw.
  expect(await ips(1)).toBeGreaterThan(1.3 * (await ips(0)));
  await expect(app.getByTestId('ope-fit-overlap')).toHaveCount(0);

  // Scored on every row of the policy's logs, two in three of them are rows its simulator was fitted to (its provenance records them): the screen says so on that target, and how to score the others.
  expect(exported.policy.provenance.fittedTo).toEqual({ logs: 'shop-logs.csv', where: { policy: 'uniform' }, holdout: 3, rows: uniform.length - held, envHash: exported.policy.env.hash });
  await app.getByTestId('ope-holdout').selectOption('0');
  await app.getByTestId('ope-evaluate').click();
  const fitted = (uniform.length - held).toLocaleString('en-US');
  await expect(app.getByTestId('ope-target').nth(1).getByTestId('ope-fit-overlap')).toHaveText(
    `stored policy #${exported.policyId} “learned on the simulator” was learned on a simulator fitted to ${fitted} of the 2,000 rows scored (shop-logs.csv, the rows with policy=uniform, ${fitted} rows fitted, 1 row in 3 held out): an estimate on rows a policy learned from is optimistically biased. To avoid it, score it on the rows the fit held out: evaluate on the rows where policy=uniform with Holdout 1 row in 3.`,
  );
  await expect(app.getByTestId('ope-fit-overlap')).toHaveCount(1);
});

test('Download of a fitted simulator says where it went from a status already on the page, focus kept on the button', async ({ app, server }) => {
  // The line came in a status of its own, with its text, which screen readers do not reliably read (found in the keyboard and screen-reader audit).
  const file = join(server.dataDir, 'download-logs.csv');
  writeFileSync(file, logsCsv(syntheticRows(400, 5)));
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(file);
  await app.getByTestId('where-policy').selectOption('uniform');
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-result')).toBeFocused();
  const status = app.getByTestId('simulator-result').getByRole('status');
  await expect(status).toHaveCount(1);
  await expect(status).toHaveText('');
  await app.getByTestId('simulator-save').focus();
  const [download] = await Promise.all([app.waitForEvent('download'), app.keyboard.press('Enter')]);
  await expect(status).toHaveText(`Saved to your downloads (${download.suggestedFilename()}).`);
  await expect(status.getByTestId('simulator-saved')).toHaveCount(1);
  await expect(app.getByTestId('simulator-save')).toBeFocused();
});

test('a stale simulator’s New experiment on it stays a Tab stop, described by the notice that says why; Enter and a click do nothing', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles({ name: 'logs.csv', mimeType: 'text/csv', buffer: Buffer.from(logsCsv(syntheticRows(400, 3))) });
  await app.getByTestId('where-policy').selectOption('uniform');
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-summary')).toContainText('of the 200 rows kept');
  const button = app.getByTestId('simulator-experiment');
  await expect(button).not.toHaveAttribute('aria-disabled');
  // Another holdout: the notice says the simulator is stale.
  await app.getByTestId('ope-holdout').selectOption('3');
  const why = 'The choices above changed since this simulator was fitted: fit it again to use them.';
  await expect(app.getByTestId('simulator-stale')).toHaveText(why);
  // Tab from Fit reaches it (a disabled button would be skipped), and the notice is its description.
  await app.getByTestId('fit-simulator').focus();
  await app.keyboard.press('Tab');
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(button).toHaveAccessibleDescription(why);
  await expect(app.getByText(why)).toHaveCount(1); // said once on the screen
  await app.keyboard.press('Enter');
  await button.click({ force: true });
  await expect(button).toBeFocused();
  await expect(app).toHaveURL(/#\/off-policy$/);
  // Fitted again to these choices, the same key opens the experiment.
  await app.getByTestId('fit-simulator').click();
  await expect(app.getByTestId('simulator-stale')).toHaveCount(0);
  await expect(button).toHaveAccessibleDescription('');
  await button.focus();
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(/#\/experiments\/new\?draft=logs$/);
});

test('an environment edited in the JSON view is no longer the simulator fitted: the draft drops fittedTo and says why', async ({ app, server }) => {
  const file = join(server.dataDir, 'small-logs.csv');
  writeFileSync(file, logsCsv(syntheticRows(600, 5)));
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(file);
  await app.getByTestId('fit-simulator').click();
  await app.getByTestId('simulator-experiment').click();
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/, { timeout: 15_000 });
  await app.getByTestId('tab-json').click();
  const view = app.getByTestId('json-view');
  const draft = JSON.parse(await view.inputValue()) as { env: Record<string, unknown>; fittedTo?: unknown };
  expect(draft.fittedTo).toMatchObject({ logs: 'small-logs.csv', envHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  // Unedited, the fit stays (the check that compares the fingerprints has answered: Ready).
  await expect(app.getByTestId('fit-note')).toHaveCount(0);

  await view.fill(JSON.stringify({ ...draft, env: { ...draft.env, maxSteps: 2 }, episodes: 100, seeds: 1 }, null, 2));
  await expect(app.getByTestId('fit-note')).toContainText('Note: fittedTo: no longer applies: it records the rows of small-logs.csv a simulator was fitted to, and env is no longer that simulator');
  await expect.poll(async () => JSON.parse(await view.inputValue()) as object).not.toHaveProperty('fittedTo');
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/);
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=(\d+)/);
  const experimentId = Number(/experiment=(\d+)/.exec(app.url())![1]);
  const stored = await call<ExperimentDetail>(server, 'experiments.get', { id: experimentId });
  expect(stored.config).not.toHaveProperty('fittedTo');
  expect(stored.config.env).toMatchObject({ id: 'tabular-mdp', maxSteps: 2 });
});

test('purchase records without a propensity column fit a simulator; Evaluate says it needs one, and why', async ({ app }) => {
  await openScreen(app, '#/off-policy');
  const purchases = 'customer,item,qty\n1,a,2\n1,b,1\n2,a,4\n2,c,10\n3,b,1\n3,a,2\n';
  await app.getByTestId('logs-input').setInputFiles({ name: 'purchases.csv', mimeType: 'text/csv', buffer: Buffer.from(purchases) });
  await expect(app.getByTestId('logs-summary')).toContainText('purchases.csv: 6 rows');
  await expect(app.getByTestId('role-action')).toHaveValue('item');
  await expect(app.getByTestId('role-propensity')).toHaveValue('');
  await app.getByTestId('role-reward').selectOption('qty');
  const fit = app.getByTestId('fit-simulator');
  await expect(fit).not.toHaveAttribute('aria-disabled');
  await expect(app.getByTestId('simulator-blocker')).toHaveCount(0);
  // The evaluation is what needs the propensities: it says so, and where to go instead.
  await expect(app.getByTestId('ope-evaluate')).toHaveAttribute('aria-disabled', 'true');
  await expect(app.getByTestId('ope-blocker')).toHaveText(/^Choose the propensity column\. It holds the logging policy's probability of showing each row's action, by which off-policy estimates \(IPS, SNIPS, DR\) weight the row;.*though a simulator can be fitted to them \(Train on these logs, below\)\.$/);
  await app.getByTestId('ope-holdout').selectOption('2');
  await fit.click();
  await expect(app.getByTestId('simulator-summary')).toContainText('One state (no context column), 3 actions (item), fitted on');
  await expect(app.getByTestId('simulator-no-propensity')).toHaveText(/^These logs have no propensity column, so a policy learned on this simulator cannot be evaluated off-policy on them/);
  await expect(app.getByTestId('simulator-values')).not.toContainText('Hold out rows above');
  await app.getByTestId('simulator-experiment').click();
  await expect(app.getByTestId('input-description')).toHaveValue(/one decision per episode\. These logs have no propensity column/);
});
