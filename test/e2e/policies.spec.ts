// Policies: export a run's policy (a real browser download of a valid aisle.policy/v1 file), import
// it back, evaluate it (its exact expected return is the run's own greedy evaluation), see the
// fingerprint warning on another environment, and get an inline error naming the field for a
// corrupted file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import type { QTable, RunDetail } from '../../src/shared/dto';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { test, expect, call, cliffExperiment, ROOT } from './fixtures';
import { countHandledAnswers, holdCalls, launchAndWait, openScreen, saveScreenshot } from './arrange';

/**
 * On Policies, the run is offered for export under its label (`offered`); choosing it and pressing
 * Export downloads the policy file, returned parsed.
 */
async function exportFromList<T>(app: Page, runId: number, offered: RegExp): Promise<T> {
  await openScreen(app, '#/policies');
  await expect(app.getByTestId('export-run').locator(`option[value="${runId}"]`)).toHaveText(offered);
  await app.getByTestId('export-run').selectOption(String(runId));
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-button').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as T;
}

test('exports, imports, evaluates and rejects policies', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1 }));
  const runId = trained.runIds[0]!;
  const run = await call<RunDetail>(server, 'runs.get', { id: runId });
  const table = await call<QTable>(server, 'qtables.get', { runId });
  expect(run.greedy).not.toBeNull();
  // Same MDP, shorter episodes: a different environment fingerprint of the same shape (its agent's γ 0.9).
  const base = cliffExperiment('cliff short episodes', { id: 'q-learning', alpha: 0.5, gamma: 0.9, epsilon: 0.1 }, { seeds: 1, episodes: 1 });
  const other = await launchAndWait(server, { ...base, env: { ...base.env, maxSteps: 50 } });

  // Export: the download is the policy file, named after the Name typed.
  await openScreen(app, `#/policies?export=${runId}`);
  await expect(app.getByTestId('export-run')).toHaveValue(String(runId));
  await app.getByTestId('export-name').fill('Greedy cliff (v2)');
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-button').click()]);
  expect(download.suggestedFilename()).toBe('greedy-cliff-v2.json');
  const text = readFileSync((await download.path())!, 'utf8');
  const policy = JSON.parse(text) as { format: string; kind: string; states: string[]; actions: string[]; q: number[][]; greedy: number[]; provenance: { runId: number } };
  expect(policy.format).toBe('aisle.policy/v1');
  expect(policy.kind).toBe('tabular');
  expect(policy.states).toEqual(table.states);
  expect(policy.actions).toEqual(table.actions);
  expect(policy.q).toHaveLength(table.states.length);
  expect(policy.greedy).toHaveLength(table.states.length);
  expect(policy.provenance.runId).toBe(runId);
  await expect(app.getByTestId('export-notice')).toContainText(/; stored as policy #\d+\./);
  const rows = app.getByTestId('policy-row');
  await expect(rows).toHaveCount(1);
  // Exported again: the policy stored, said so as Import says it of a file stored before (it said "stored as policy #1").
  await Promise.all([app.waitForEvent('download'), app.getByTestId('export-button').click()]);
  await expect(app.getByTestId('export-notice')).toContainText(/; already stored as policy #\d+: not stored again\./);
  await expect(rows).toHaveCount(1);

  // Files are picked with a button, as New experiment's Import…, not the browser's "Choose Files / No file chosen".
  await expect(app.getByTestId('policy-import-button')).toHaveText('Import…');
  await expect(app.getByTestId('policy-import-file')).toBeHidden();
  // The downloaded file imported back is the policy already stored: said so, and not stored twice.
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'greedy-cliff-v2.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(app.getByTestId('policy-import-same')).toHaveText(/^greedy-cliff-v2\.json: already stored as policy #\d+ \(“Greedy cliff \(v2\)”, tabular, 48 × 4\): not imported again$/);
  await expect(app.getByTestId('policy-import-ok')).toHaveCount(0);
  await expect(rows).toHaveCount(1);
  // Another file (renamed): a second, imported policy; imported again, still one.
  const copy = JSON.stringify({ ...(JSON.parse(text) as object), name: 'cliff copy' });
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'cliff-policy.json', mimeType: 'application/json', buffer: Buffer.from(copy) });
  await expect(app.getByTestId('policy-import-ok')).toContainText('imported as policy #');
  await expect(rows).toHaveCount(2);
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'cliff-policy.json', mimeType: 'application/json', buffer: Buffer.from(copy) });
  await expect(app.getByTestId('policy-import-same')).toContainText('cliff-policy.json: already stored as policy #');
  await expect(rows).toHaveCount(2);
  // Save from the list names the file after the policy too (the exported one: listed last, newest first).
  const [saved] = await Promise.all([app.waitForEvent('download'), rows.last().getByRole('button', { name: 'Save' }).click()]);
  expect(saved.suggestedFilename()).toBe('greedy-cliff-v2.json');
  const imported = app.locator('[data-testid="policy-row"][data-origin="import"]');
  await expect(imported).toHaveCount(1);
  const importedId = (await imported.getAttribute('data-id'))!;
  // The policy just imported is the one Evaluate offers (it had stayed on the one exported before).
  await expect(app.getByTestId('eval-policy')).toHaveValue(importedId);

  // Opened again, Evaluate offers the newest policy first: the one just imported.
  await app.reload();
  await expect(app.getByTestId('eval-policy')).toHaveValue(importedId);
  // Evaluate the imported policy on the experiment it was trained in: exact = the run's greedy value.
  await app.getByTestId('eval-policy').selectOption(importedId);
  await app.getByTestId('eval-experiment').selectOption(String(trained.experimentId));
  await app.getByTestId('eval-episodes').fill('200');
  // From the keyboard: Evaluate, disabled while it evaluates, has focus again once the answer is shown.
  await app.getByTestId('eval-run').focus();
  await app.keyboard.press('Enter');
  const exact = app.getByTestId('eval-exact-return');
  await expect(exact).toBeVisible();
  await expect(app.getByTestId('eval-run')).toBeFocused();
  expect(Number(await exact.getAttribute('data-value'))).toBeCloseTo(run.greedy!.expectedReturn, 9);
  expect(Number(await app.getByTestId('eval-optimal-return').getAttribute('data-value'))).toBeCloseTo(run.greedy!.optimalReturn, 9);
  await expect(app.getByTestId('eval-mc-ci')).toHaveText(/^\[.+, .+\]$/);
  // The mean and its interval share their decimals, as Compare writes a value and its interval.
  const decimals = (text: string) => (/\.(\d+)/.exec(text)?.[1] ?? '').length;
  const ci = (await app.getByTestId('eval-mc-ci').textContent())!.slice(1, -1).split(', ');
  const mean = (await app.getByTestId('eval-mc-return').textContent())!;
  expect(ci.map(decimals), `${mean} [${ci.join(', ')}]`).toEqual([decimals(mean), decimals(mean)]);
  // The gap to the optimum comes first, said in words; the caption says what the score is measured from.
  expect(Number(await app.getByTestId('eval-gap').getAttribute('data-value'))).toBeCloseTo(run.greedy!.optimalityGap, 9);
  await expect(app.getByTestId('eval-exact').locator('dt').first()).toHaveText('Optimality gap');
  await expect(app.getByTestId('eval-gap-verdict')).toHaveText(/^(Optimal|Near optimal|Far from optimal): /);
  await expect(app.getByTestId('eval-score-caption')).toContainText('measured from the random policy’s return');
  await expect(app.getByTestId('eval-warning')).toHaveCount(0);
  // γ 1: the undiscounted mean is the one to set beside the exact value; no second mean.
  await expect(app.getByTestId('eval-mc-discounted')).toHaveCount(0);
  await saveScreenshot(app, 'policies');

  // On another environment the fingerprint warning shows.
  await app.getByTestId('eval-experiment').selectOption(String(other.experimentId));
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-warning')).toContainText('differs');
  // Its agent's γ 0.9 discounts the exact value: the episodes are discounted by it too, beside the
  // undiscounted mean (the cliff is deterministic: the discounted mean is the exact value).
  const discounted = app.getByTestId('eval-mc-discounted');
  await expect(discounted).toBeVisible();
  await expect(app.getByTestId('eval-result').locator('dt', { hasText: 'Mean return (discounted, γ 0.9)' })).toBeVisible();
  expect(Number(await discounted.getAttribute('data-value'))).toBeCloseTo(Number(await app.getByTestId('eval-exact-return').getAttribute('data-value')), 9);
  // Stacked in an 800 px window, Monte-Carlo's and Exact's values start at one x: sized to their own names, they started at 253 and 153.
  await app.setViewportSize({ width: 800, height: 900 });
  const valuesAt = await app.getByTestId('eval-result').locator('dl.kv').evaluateAll((dls) => dls.map((dl) => Math.round(dl.querySelector('dd')!.getBoundingClientRect().left)));
  expect(valuesAt.length, 'Monte-Carlo and Exact').toBe(2);
  expect(new Set(valuesAt).size, `the lists' values at ${valuesAt.join(' and ')} px`).toBe(1);
  await app.setViewportSize({ width: 1280, height: 860 });

  // A corrupted file: one Q-row short of a value → an inline error naming the field, nothing stored.
  const corrupted = JSON.parse(text) as { q: number[][] };
  corrupted.q[3] = corrupted.q[3]!.slice(1);
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(corrupted)) });
  const problems = app.getByTestId('policy-import-problems');
  await expect(problems).toContainText('broken.json was not imported');
  await expect(problems.locator('li').first()).toContainText('q[3]');
  await expect(rows).toHaveCount(2);
  // A policy for an environment this Aisle does not have is refused by its field, not stored.
  const fromElsewhere = JSON.parse(text) as { name: string; env: { id: string } };
  fromElsewhere.name = 'elsewhere';
  fromElsewhere.env.id = 'no-such-env';
  const elsewhere = JSON.stringify(fromElsewhere);
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'elsewhere.json', mimeType: 'application/json', buffer: Buffer.from(elsewhere) });
  await expect(problems).toContainText('elsewhere.json was not imported');
  await expect(problems.locator('li')).toHaveText(['policy.env.id: unknown environment "no-such-env": Aisle\'s environments are shop, tabular-mdp, bandit-testbed, seed-toy; export the policy again from its run, or correct env.id']);
  await expect(rows).toHaveCount(2);
  // Malformed JSON: the file is named once, in the heading, not again at the start of its problem.
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'cut.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, 40)) });
  await expect(problems).toContainText('cut.json was not imported');
  await expect(problems.locator('li')).toHaveCount(1);
  await expect(problems.locator('li')).toHaveText(/^malformed JSON at line \d+, column \d+/);
  await expect(rows).toHaveCount(2);
  // Its settings edited within range after export: stored, with the warning `aisle policies import` gives.
  const edited = JSON.parse(text) as { name: string; env: { params: { maxSteps: number } } };
  edited.name = 'edited';
  edited.env.params.maxSteps = 300;
  await app.getByTestId('policy-import-file').setInputFiles({ name: 'edited.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(edited)) });
  await expect(app.getByTestId('policy-import-ok')).toContainText('edited.json: imported as policy #');
  await expect(app.getByTestId('policy-import-warning')).toHaveText(
    /^edited\.json: policy\.env: the settings in the file do not match its own hash [0-9a-f]{12}: the file was edited after export, or written by another version of Aisle, so they may not be the environment the policy was trained on: export the policy again from its run$/,
  );
  await expect(rows).toHaveCount(3);
});

test('exports a DQN run as a network policy, listed with its kind and evaluated', async ({ app, server }) => {
  const trained = await launchAndWait(server, {
    format: 'aisle.experiment/v1',
    name: 'toy dqn',
    env: { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 20 },
    agent: { id: 'dqn', hidden: [8], learningStarts: 16, batchSize: 8 },
    episodes: 10,
    seeds: 1,
  });
  const runId = trained.runIds[0]!;
  // Deep agents' runs are offered for export beside the tabular ones.
  const policy = await exportFromList<{ kind: string; network: { output: string; encoding: { kind: string; n: number } } }>(app, runId, /toy dqn · dqn/);
  expect(policy.kind).toBe('mlp');
  expect(policy.network).toMatchObject({ output: 'q', encoding: { kind: 'one-hot', n: 6 } });
  await expect(app.getByTestId('policy-kind')).toHaveText(['mlp']);
  await expect(app.getByTestId('policy-row')).toContainText('6 × 3');

  await app.getByTestId('eval-experiment').selectOption(String(trained.experimentId));
  await app.getByTestId('eval-episodes').fill('20');
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-mc-ci')).toHaveText(/^\[.+, .+\]$/);
  const onExperiment = await app.getByTestId('eval-mc-ci').textContent();
  // The result says which environment it was.
  await expect(app.getByTestId('eval-environment')).toHaveText(`On experiment ${trained.experimentId}'s`);

  // "The one it was trained on": the run's own environment, the same figures.
  await expect(app.getByTestId('eval-experiment').locator('option[value="own"]')).toHaveText(`the one it was trained on (run ${runId})`);
  await app.getByTestId('eval-experiment').selectOption('own');
  await expect(app.getByTestId('eval-mc-ci')).toHaveCount(0);
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-mc-ci')).toHaveText(onExperiment!);
  await expect(app.getByTestId('eval-environment')).toHaveText(`On run ${runId}'s, the one it was trained on`);
  // With a policy picked, the Policy list offers no way back to "pick a policy…", which would leave
  // "the one it was trained on (run N)" chosen for no policy.
  await expect(app.getByTestId('eval-policy')).not.toHaveValue('');
  await expect(app.getByTestId('eval-policy').locator('option[value=""]')).toHaveCount(0);

  // An evaluation's answer that comes after its environment was changed is dropped: it had shown
  // under the new choice, the figures of the old one (held here until then, as a long evaluation takes time).
  const evaluations = await holdCalls(app, /^policies\.evaluate$/);
  const evaluationsHandled = await countHandledAnswers(app, 'policies.evaluate');
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-run')).toHaveText('Evaluating…');
  await app.getByTestId('eval-experiment').selectOption(String(trained.experimentId));
  await expect(app.getByTestId('eval-run')).toHaveText('Evaluate');
  evaluations.release();
  await expect.poll(evaluationsHandled).toBe(1); // the held answer has come and been handled
  await expect(app.getByTestId('eval-mc-ci')).toHaveCount(0);
  await expect(app.getByTestId('eval-environment')).toHaveCount(0);
});

test('exports a bandit run on vector observations as a context-free policy and shows its ranking', async ({ app, server }) => {
  const trained = await launchAndWait(server, {
    format: 'aisle.experiment/v1',
    name: 'vector thompson',
    env: { id: 'shop', observation: 'vector', items: 12, categories: 3 },
    agent: { id: 'thompson', model: 'bernoulli' },
    episodes: 40,
    seeds: 1,
  });
  const runId = trained.runIds[0]!;
  const policy = await exportFromList<{ kind: string; actions: string[]; values: number[]; greedy: number }>(app, runId, /vector thompson · thompson/);
  expect(policy.kind).toBe('context-free');
  expect(policy.values).toHaveLength(12);
  await expect(app.getByTestId('policy-kind')).toHaveText(['context-free']);
  await expect(app.getByTestId('policy-row')).toContainText('any state × 12');

  // Its contents: the action served to everyone, and the top ten by value, high to low.
  const toggle = app.getByTestId('policy-ranking-button');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(app.getByTestId('policy-ranking-greedy')).toHaveText(policy.actions[policy.greedy]!);
  const items = app.getByTestId('policy-ranking-item');
  await expect(items).toHaveCount(10);
  const order = (await items.evaluateAll((li) => li.map((e) => Number(e.getAttribute('data-action'))))) as number[];
  expect(order[0]).toBe(policy.greedy);
  expect(order.map((a) => policy.values[a]!)).toEqual(order.map((a) => policy.values[a]!).sort((x, y) => y - x));
  await toggle.click();
  await expect(app.getByTestId('policy-ranking')).toHaveCount(0);

  // Evaluated on the environment it was trained on (vector observations): Monte-Carlo only.
  await app.getByTestId('eval-experiment').selectOption(String(trained.experimentId));
  await app.getByTestId('eval-episodes').fill('20');
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-mc-ci')).toHaveText(/^\[.+, .+\]$/);
  await expect(app.getByTestId('eval-exact-return')).toHaveCount(0);
});

test('saves the policy runtime, which serves the exported policy; the export notice counts the states training never updated', async ({ app, server }) => {
  // One episode of the cliff: most states are never reached, so their rows stay at one value.
  const trained = await launchAndWait(server, cliffExperiment('cliff one episode', undefined, { seeds: 1, episodes: 1 }));
  const runId = trained.runIds[0]!;
  await openScreen(app, `#/policies?export=${runId}`);
  await expect(app.getByTestId('export-run')).toHaveValue(String(runId));
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-button').click()]);
  const text = readFileSync((await download.path())!, 'utf8');
  const { q } = JSON.parse(text) as { q: number[][] };
  const flat = q.filter((row, s) => s !== 47 && row.every((v) => v === row[0])).length; // 47: the goal, terminal
  await expect(app.getByTestId('export-notice')).toContainText(`Note: ${flat} of 47 states have every action at one value (never reached in training, or no action came out ahead), not counting the terminal state, which training never updates: the policy serves their first action there, a tie-break.`);

  await expect(app.getByTestId('runtime-save-button')).toHaveText('Download the runtime');
  const [saved] = await Promise.all([app.waitForEvent('download'), app.getByTestId('runtime-save-button').click()]);
  expect(saved.suggestedFilename()).toBe('runtime.js');
  const runtime = readFileSync((await saved.path())!, 'utf8');
  expect(runtime).toBe(readFileSync(join(ROOT, 'out/runtime/runtime.js'), 'utf8'));
  await expect(app.getByTestId('runtime-save-notice')).toContainText("Saved the policy runtime to your downloads (runtime.js). In your service: import { loadPolicy } from './runtime.js'");
  // The file saved serves the exported policy, imported where it was saved (as an .mjs: the download has no extension).
  const folder = mkdtempSync(join(tmpdir(), 'aisle-runtime-'));
  const copy = join(folder, 'runtime.mjs');
  writeFileSync(copy, runtime);
  const imported = (await import(pathToFileURL(copy).href)) as typeof import('../../src/engine/policy/runtime');
  rmSync(folder, { recursive: true, force: true });
  const served = imported.loadPolicy(text);
  const engine = loadPolicy(text);
  expect(served.states.map((_, s) => [served.act(s), served.trained(s)])).toEqual(engine.states.map((_, s) => [engine.act(s), engine.trained(s)]));
});

test('an export address whose run is not a number is named as left out', async ({ app }) => {
  await openScreen(app, '#/policies?export=abc');
  await expect(app.getByTestId('unread-address')).toHaveText('Left out of this address: export=abc (“abc” is not a run number: export takes a whole number such as export=12).');
  await expect(app.getByTestId('export-run')).toHaveValue('');
});

test('an export address whose run does not exist says so at once and does not offer it', async ({ app }) => {
  await openScreen(app, '#/policies?export=999999');
  await expect(app.getByTestId('export-run-missing')).toHaveText(
    'Left out of this address: export=999999 (there is no run 999999: pick a run from the list, or type another run’s number).',
  );
  await expect(app.getByTestId('export-run-missing')).toHaveAttribute('role', 'alert');
  await expect(app.getByTestId('export-run')).toHaveValue('');
  await expect(app.getByTestId('export-run').locator('option[value="999999"]')).toHaveCount(0);
  await expect(app.getByTestId('export-button')).toBeDisabled();
});

test('a run with nothing to export says why as soon as it is chosen, and Export waits; a run that learned still exports', async ({ app, server }) => {
  const baseline = await launchAndWait(server, { format: 'aisle.experiment/v1', name: 'random baseline', env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5, seeds: 1 });
  const trained = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1 }));
  // 64 long runs cancelled at once: the last is still queued behind the others and ends cancelled
  // at episode 0, before its first checkpoint (as in qtables.spec.ts).
  const cancelled = await call<{ runIds: number[] }>(server, 'experiments.launch', { experiment: cliffExperiment('cliff cancelled', undefined, { seeds: 64, episodes: 100_000_000 }) });
  await call(server, 'runs.cancel', { ids: cancelled.runIds });
  const queued = cancelled.runIds.at(-1)!;
  await expect.poll(async () => (await call<RunDetail>(server, 'runs.get', { id: queued })).status).toBe('cancelled');
  expect((await call<RunDetail>(server, 'runs.get', { id: queued })).episodesDone).toBe(0);

  // By the address: a baseline's run says why before Export is pressed, and Export is held back with that reason.
  const baselineRun = baseline.runIds[0]!;
  await openScreen(app, `#/policies?export=${baselineRun}`);
  const nothing = app.getByTestId('export-run-nothing');
  await expect(nothing).toHaveText(`run ${baselineRun}: its agent (random) keeps no Q-table or network, and a policy file holds one of those: export a run of a tabular, bandit, LinUCB, DQN or PPO agent`);
  await expect(app.getByTestId('export-run')).toHaveValue(String(baselineRun));
  const button = app.getByTestId('export-button');
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(button).toHaveAttribute('aria-describedby', (await nothing.getAttribute('id'))!);
  // Neither a click nor Enter in the Name field (which submits the form) exports.
  await button.click({ force: true });
  await app.getByTestId('export-name').press('Enter');
  await expect(app.getByTestId('export-notice')).toHaveCount(0);
  expect(await call<unknown[]>(server, 'policies.list')).toHaveLength(0);

  // By its number: a run cancelled before its first episode.
  await app.getByTestId('export-run-number').fill(String(queued));
  await app.getByTestId('export-run-number').press('Enter');
  await expect(nothing).toHaveText(`run ${queued} (cancelled) stopped before its first episode and learned nothing to export: export a run that trained`);
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(app.getByTestId('export-notice')).toHaveCount(0); // by now an export the click had started would have answered

  // A run that stored a Q-table: the reason goes, and Export downloads its policy.
  await app.getByTestId('export-run').selectOption(String(trained.runIds[0]!));
  await expect(nothing).toHaveCount(0);
  await expect(button).not.toHaveAttribute('aria-disabled');
  const [download] = await Promise.all([app.waitForEvent('download'), button.click()]);
  expect((JSON.parse(readFileSync((await download.path())!, 'utf8')) as { provenance: { runId: number } }).provenance.runId).toBe(trained.runIds[0]);
});

// An MDP's policy whose MDP no run or experiment here is on (its run and experiment deleted, or the
// file imported into another database): "the one it was trained on" was offered, and Evaluate
// pressed on it refused. It is now marked unavailable up front, saying why, and the environment
// first offered is one that runs it; once an experiment on that MDP is here, it is offered again.
test('Evaluate marks the one it was trained on unavailable while no experiment here is on its MDP', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff', undefined, { seeds: 1, episodes: 30 }));
  const { policyId } = await call<{ policyId: number }>(server, 'policies.export', { runId: trained.runIds[0]! });
  await call(server, 'experiments.delete', { id: trained.experimentId });
  // Another MDP of the cliff's states and actions (one reward changed): it runs the policy.
  const base = cliffExperiment('other cliff', undefined, { seeds: 1, episodes: 5 });
  const mdp = base.env.mdp as { transitions: number[][] };
  const other = await launchAndWait(server, { ...base, env: { ...base.env, mdp: { ...mdp, transitions: [[0, 0, 1, 0, -2], ...mdp.transitions.slice(1)] } } });
  // The screen asks before it offers: no refused request on the way (the console shows none).
  const refused: string[] = [];
  app.on('response', (r) => {
    if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
  });

  await openScreen(app, '#/policies');
  await app.getByTestId('eval-policy').selectOption(String(policyId));
  const picker = app.getByTestId('eval-experiment');
  const own = picker.locator('option[value="own"]');
  await expect(own).toBeDisabled();
  await expect(own).toHaveText(
    /^the one it was trained on \(its MDP, from an experiment here\) — unavailable: its MDP \(sha256 [0-9a-f]{12}…\) is not in this database \(its file names it by hash only, and no run or experiment here is on it\): create an experiment on that MDP \(from the MDP's file, or import the results that hold one\), or pick another environment$/,
  );
  await expect(picker).toHaveValue(String(other.experimentId));
  await app.getByTestId('eval-episodes').fill('20');
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-environment')).toHaveText(`On experiment ${other.experimentId}'s`);
  await expect(app.getByTestId('eval-error')).toHaveCount(0);

  // An experiment on its MDP launched (here, elsewhere or with `aisle`): the one it was trained on is offered, and evaluates there.
  const again = await launchAndWait(server, cliffExperiment('cliff again', undefined, { seeds: 1, episodes: 5 }));
  await expect(own).toBeEnabled();
  await expect(own).toHaveText('the one it was trained on (its MDP, from an experiment here)');
  await picker.selectOption('own');
  await app.getByTestId('eval-run').click();
  await expect(app.getByTestId('eval-environment')).toHaveText(`On the MDP of experiment ${again.experimentId} in the database (the file names its MDP by hash only, and this one has it)`);

  // That experiment deleted while it is chosen: the choice's problem, said beside it, and Evaluate waits.
  await call(server, 'experiments.delete', { id: again.experimentId });
  const unavailable = app.getByTestId('eval-own-unavailable');
  await expect(unavailable).toHaveText(/^The environment it was trained on is unavailable: its MDP \(sha256 [0-9a-f]{12}…\) is not in this database .*, or pick another environment\.$/);
  await expect(picker).toHaveValue('own');
  await expect(picker).toHaveAttribute('aria-invalid', 'true');
  await expect(picker).toHaveAttribute('aria-describedby', (await unavailable.getAttribute('id'))!);
  await expect(app.getByTestId('eval-run')).toBeDisabled();
  await picker.selectOption(String(other.experimentId));
  await expect(unavailable).toHaveCount(0);
  await expect(app.getByTestId('eval-run')).toBeEnabled();
  expect(refused).toEqual([]);
});

test('a policy’s long name wraps within the list, which keeps its columns and buttons in sight', async ({ app, server }) => {
  const trained = await launchAndWait(server, cliffExperiment('cliff q-learning', undefined, { seeds: 1, episodes: 5 }));
  const long = 'x'.repeat(500); // as long as an export takes, with no space to wrap at
  await call(server, 'policies.export', { runId: trained.runIds[0]!, name: long });
  await openScreen(app, '#/policies');
  const row = app.getByTestId('policy-row').first();
  await expect(row).toContainText('exported from run');
  // It pushed the row's Origin, Created and buttons out of the list's sight, to be scrolled to.
  const scroll = app.locator('.table-scroll').filter({ has: app.getByTestId('policy-list') });
  expect(await scroll.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await expect(row.getByRole('button', { name: /^Evaluate/ })).toBeInViewport();
  await expect(row.locator('td.policy-name > span')).toHaveAttribute('title', long);
});
