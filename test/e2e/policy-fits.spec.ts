// A stored policy's choices that could only be refused are marked before anything is pressed, by the
// checks the evaluations make (policies.fits, policies.fitLogs): on Policies, an experiment whose
// environment has other states or actions is a disabled option saying why; on Off-policy, a stored
// policy none of whose actions the logs show is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';
import { contextFreePolicy, tabularPolicy } from '../helpers/policy';
import { launchAndWait, openScreen } from './arrange';
import { call, cliffExperiment, expect, test } from './fixtures';

let logsDir: string;
test.beforeAll(() => {
  logsDir = mkdtempSync(join(tmpdir(), 'aisle-logs-'));
});
test.afterAll(() => rmSync(logsDir, { recursive: true, force: true }));

test('Evaluate marks the environments a policy cannot run on, and Off-policy the policies the logs cannot take', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1, episodes: 50 }));
  const toy = await launchAndWait(server, { ...cliffExperiment('toy', undefined, { seeds: 1, episodes: 2 }), env: { id: 'seed-toy' } });
  const exported = await call<{ policyId: number }>(server, 'policies.export', { runId: trained.runIds[0]! });

  await openScreen(app, '#/policies');
  await app.getByTestId('eval-policy').selectOption(String(exported.policyId));
  const picker = app.getByTestId('eval-experiment');
  const misfit = picker.locator(`option[value="${toy.experimentId}"]`);
  await expect(misfit).toBeDisabled();
  await expect(misfit).toContainText(/ — cannot run this policy: has 48 states × 4 actions but the environment has \d+ states? × \d+ actions?$/);
  const own = picker.locator(`option[value="${trained.experimentId}"]`);
  await expect(own).toBeEnabled();
  await expect(own).not.toContainText('cannot run');
  await picker.selectOption(String(trained.experimentId));
  await expect(app.getByTestId('eval-run')).toBeEnabled();
  await expect(app.getByTestId('eval-misfit')).toHaveCount(0);
  await expect(picker).not.toHaveAttribute('aria-invalid');

  // Another policy picked that no experiment fits (an imported 2 × 3 MDP policy): the cliff experiment stays chosen, and
  // its misfit is the select's problem, tied to it and said from a live region (found in the keyboard and screen-reader audit).
  const tiny = await call<{ ok: true; policy: { id: number } }>(server, 'policies.import', { text: JSON.stringify(tabularPolicy({ name: 'tiny' })), fileName: 'tiny.json' });
  await app.getByTestId('eval-policy').selectOption(String(tiny.policy.id));
  const misfitLine = app.getByTestId('eval-misfit');
  await expect(misfitLine).toContainText('cannot run this policy: has 2 states × 3 actions but the environment has 48 states × 4 actions');
  await expect(picker).toHaveValue(String(trained.experimentId));
  await expect(picker).toHaveAttribute('aria-invalid', 'true');
  await expect(picker).toHaveAttribute('aria-describedby', (await misfitLine.getAttribute('id'))!);
  await expect(misfitLine.locator('xpath=..')).toHaveAttribute('aria-live', 'polite');
  await app.getByTestId('eval-policy').selectOption(String(exported.policyId));
  await expect(misfitLine).toHaveCount(0);
  await expect(picker).not.toHaveAttribute('aria-invalid');

  // Logs of other actions than up, right, down and left: the stored policy is offered, disabled, saying why.
  const file = join(logsDir, 'logs.csv');
  writeFileSync(file, logsCsv(syntheticRows(200, 3)));
  await openScreen(app, '#/off-policy');
  await app.getByTestId('logs-input').setInputFiles(file);
  const stored = app.getByTestId('target-policy-id').locator(`option[value="${exported.policyId}"]`);
  await expect(stored).toBeDisabled();
  await expect(stored).toContainText('cannot run on these logs: none of its actions is logged');
  await expect(stored).toHaveAttribute('title', /^none of the policy's actions \(up, right, down, left\) appears in the logs' actions/);

  // Socks logged by the uniform policy only: a policy of socks fits the file, not the greedy policy's rows.
  const socks = await call<{ ok: true; policy: { id: number } }>(server, 'policies.import', {
    text: JSON.stringify(contextFreePolicy({ name: 'socks', actions: ['socks', 'belts', 'ties'], values: [0.5, 0.25, 0.125], greedy: 0 })),
    fileName: 'socks.json',
  });
  const rows = syntheticRows(200, 3).map((r) => (r.policy === 'greedy' && r.item === 'socks' ? { ...r, item: 'bags' } : r));
  writeFileSync(file, logsCsv(rows));
  await app.reload();
  await app.getByTestId('logs-input').setInputFiles(file);
  const socksOption = app.getByTestId('target-policy-id').locator(`option[value="${socks.policy.id}"]`);
  await expect(socksOption).toBeEnabled();
  // Filtered to the greedy policy's rows, whose actions the evaluation checks it against: marked, as Evaluate would refuse it.
  await app.getByTestId('where-policy').selectOption('greedy');
  await expect(socksOption).toBeDisabled();
  await expect(socksOption).toHaveAttribute('title', /^none of the policy's actions \(socks, belts, ties\) appears in the logs' actions \(bags, hats, shoes\)/);
  await app.getByTestId('where-policy').selectOption('uniform');
  await expect(socksOption).toBeEnabled();
});
