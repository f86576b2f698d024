// New experiment's file fields and stored experiments: a file that Replace… picked lands in the
// draft as it is when the service has read it (a large MDP takes seconds, and the user goes on
// editing), or goes with its field when another environment was chosen meanwhile; and a stored
// experiment that breaks a rule made after it was written opens, the problem under its field, as does
// an imported file whose values are out of range, with the MDP it names by path read in its place (a
// file the form cannot show, or naming one missing or malformed, is refused whole).
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { countHandledAnswers, holdCalls, openScreen as open, type Launched } from './arrange';
import { call, cliffExperiment, expect, test, type AisleServer } from './fixtures';

/** A two-state MDP named `name`; `broken`: one pair's probabilities sum to 0.5, which only the service's check finds. */
function mdpFile(name: string, broken = false): { name: string; mimeType: string; buffer: Buffer } {
  const mdp = {
    format: 'aisle.mdp/v1',
    name,
    states: 2,
    actions: ['stay', 'move'],
    start: { '0': 1 },
    terminal: [1],
    transitions: [[0, 0, broken ? 0.5 : 1, 0, 0], [0, 1, 1, 1, 1]],
  };
  return { name: `${name}.mdp.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mdp)) };
}

/** Holds the service's reading of the MDP files picked from now until `release`, as a large file would be. */
const holdMdpReading = (app: Page) => holdCalls(app, /^mdp\.parseFile$/);

async function replaceMdp(app: Page, file: ReturnType<typeof mdpFile>): Promise<void> {
  const chooser = app.waitForEvent('filechooser');
  await app.locator('[id="f-env.mdp"]').click();
  await (await chooser).setFiles(file);
}

test('a file Replace… picked goes with its field when another environment is chosen while it is read', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('tabular-mdp');
  const summary = app.getByTestId('summary-env.mdp');
  await expect(summary).toHaveText(/^MDP: /);

  const readsHandled = await countHandledAnswers(app, 'mdp.parseFile');
  for (const file of [mdpFile('broken', true), mdpFile('fine')]) {
    const handledBefore = await readsHandled();
    const reading = await holdMdpReading(app);
    await replaceMdp(app, file);
    await expect.poll(() => reading.counts.held).toBe(1);
    await app.getByTestId('select-env').selectOption('shop'); // while the file is read
    reading.release();
    await expect.poll(reading.settled).toBe(true);
    await expect.poll(readsHandled).toBe(handledBefore + 1); // its answer handled, which must change nothing
    // Not put back on the MDP environment (a good file), nor said about a field that is gone (a
    // bad one): neither under no field, nor at the top of the JSON view.
    await expect(app.getByTestId('select-env')).toHaveValue('shop');
    await expect(app.getByTestId('import-problems')).toHaveCount(0);
    await expect(app.getByTestId('import-note')).toHaveCount(0);
    await app.getByTestId('tab-json').click();
    await expect(app.getByTestId('import-problems')).toHaveCount(0);
    expect(JSON.parse(await app.getByTestId('json-view').inputValue())).toMatchObject({ env: { id: 'shop' } });
    await app.getByTestId('tab-form').click();
    await app.getByTestId('select-env').selectOption('tabular-mdp');
  }
});

test('a file Replace… picked lands in the draft as edited while it is read, and what it says stays under its field', async ({ app }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('tabular-mdp');
  const fine = await holdMdpReading(app);
  await replaceMdp(app, mdpFile('fine'));
  await expect.poll(() => fine.counts.held).toBe(1);
  await app.getByTestId('input-seeds').fill('4'); // while the file is read
  fine.release();
  await expect(app.getByTestId('summary-env.mdp')).toHaveText('MDP: fine, 2 states × 2 actions');
  await expect(app.getByTestId('input-seeds')).toHaveValue('4');
  await expect(app.getByTestId('import-note')).toHaveText('Imported fine.mdp.json.');

  // A file that cannot be used, its field still there: said under it, the field keeping its MDP.
  const broken = await holdMdpReading(app);
  await replaceMdp(app, mdpFile('broken', true));
  await expect.poll(() => broken.counts.held).toBe(1);
  await app.getByTestId('input-seeds').fill('3');
  broken.release();
  await expect(app.getByTestId('field-env.mdp').getByTestId('import-problems')).toContainText('broken.mdp.json: ');
  await expect(app.getByTestId('summary-env.mdp')).toHaveText('MDP: fine, 2 states × 2 actions');
  await expect(app.getByTestId('input-seeds')).toHaveValue('3');
});

test('a stored experiment whose ε schedule rises, written before that was refused, opens in Run again with the problem under its field', async ({ app, server }) => {
  const { experimentId } = await call<Launched>(server, 'experiments.launch', { experiment: cliffExperiment('old rising', { id: 'q-learning', epsilon: { start: 0.5, end: 0.1, decayEpisodes: 10 } }, { seeds: 1, episodes: 20 }) });
  // As an older Aisle stored it: the schedule rising.
  const db = new Database(server.dbPath);
  db.prepare(`UPDATE experiments SET config = json_replace(config, '$.agent.epsilon.start', 0.1, '$.agent.epsilon.end', 0.5) WHERE id = ?`).run(experimentId);
  db.close();
  await open(app, `#/experiments/new?from=${experimentId}`);
  await expect(app.getByTestId('input-name')).toHaveValue('old rising (2)');
  await expect(app.getByTestId('input-agent.epsilon.end')).toHaveValue('0.5');
  await expect(app.getByTestId('problem-agent.epsilon.end')).toHaveText(
    'must not exceed start (0.1), got 0.5: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)',
  );
  await expect(app.getByTestId('launch')).toBeDisabled();
  await app.getByTestId('input-agent.epsilon.end').fill('0.05');
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/);
});

/** A JSON file to pick: `content` as it is when it is text, else written as JSON. */
function jsonFile(name: string, content: unknown): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/json', buffer: Buffer.from(typeof content === 'string' ? content : JSON.stringify(content)) };
}

/**
 * The form after Import… of `fileName` (experiment `name`, agent.alpha 7, episodes -1, on the MDP
 * `mdp` names): the file's values, not the form's before it, each problem under its field, Launch
 * held back and nothing stored; then, fixed in place, it launches as experiment 1.
 */
async function opensOutOfRangeThenLaunches(app: Page, server: AisleServer, fileName: string, name: string, mdp: RegExp): Promise<void> {
  await expect(app.getByTestId('import-note')).toHaveText(`Imported ${fileName}: what it needs before it can launch is said under its fields.`);
  await expect(app.getByTestId('import-problems')).toHaveCount(0);
  await expect(app.getByTestId('input-name')).toHaveValue(name);
  await expect(app.getByTestId('summary-env.mdp')).toHaveText(mdp);
  await expect(app.getByTestId('input-agent.alpha')).toHaveValue('7');
  await expect(app.getByTestId('input-episodes')).toHaveValue('-1');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveText('must be a number in (0, 1], got 7');
  await expect(app.getByTestId('problem-episodes')).toHaveText('must be a whole number in [1, 100,000,000], got -1');
  await expect(app.getByTestId('launch')).toBeDisabled();
  expect(await call<unknown[]>(server, 'experiments.list', {})).toEqual([]); // nothing stored by the import

  await app.getByTestId('input-agent.alpha').fill('0.5');
  await app.getByTestId('input-episodes').fill('20');
  await expect(app.getByTestId('problem-agent.alpha')).toHaveCount(0);
  await expect(app.getByTestId('problem-episodes')).toHaveCount(0);
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/);
  await app.getByTestId('launch').click();
  await expect(app).toHaveURL(/#\/runs\?experiment=1$/);
}

test('an imported experiment file with values out of range opens with each problem under its field, and launches once they are fixed', async ({ app, server }) => {
  await open(app, '#/experiments/new');
  await app.getByTestId('import-input').setInputFiles(jsonFile('out-of-range.json', cliffExperiment('out of range', { id: 'q-learning', alpha: 7, gamma: 1, epsilon: 0.1 }, { episodes: -1, seeds: 1 })));
  await opensOutOfRangeThenLaunches(app, server, 'out-of-range.json', 'out of range', /^MDP: cliff/);
  const [stored] = await call<{ name: string }[]>(server, 'experiments.list', {});
  expect(stored?.name).toBe('out of range');

  // What the form cannot show is still refused whole, the form kept as it was: a value of the wrong
  // type, a field it has no place for, an agent this Aisle lacks.
  await open(app, '#/experiments/new');
  const before = await app.getByTestId('input-name').inputValue();
  for (const [name, experiment, problem] of [
    ['text-alpha.json', cliffExperiment('text', { id: 'q-learning', alpha: 'high' }), /agent\.alpha/],
    ['unknown-field.json', cliffExperiment('unknown', undefined, { episodes: -1, epochs: 3 }), /epochs/],
    ['unknown-agent.json', cliffExperiment('agent', { id: 'q-lerning', alpha: 7 }), /agent\.id/],
  ] as const) {
    await app.getByTestId('import-input').setInputFiles(jsonFile(name, experiment));
    await expect(app.getByTestId('import-problems')).toContainText(`${name}: `);
    await expect(app.getByTestId('import-problems')).toContainText(problem);
    await expect(app.getByTestId('input-name')).toHaveValue(before);
  }
});

test('an imported experiment file naming its MDP by its path opens with values out of range, the MDP read in its place; a named file missing or malformed is refused', async ({ app, server }) => {
  await open(app, '#/experiments/new');
  const cliff = jsonFile('cliff.json', cliffExperiment('named mdp', { id: 'q-learning', alpha: 7, gamma: 1, epsilon: 0.1 }, { episodes: -1, seeds: 1, env: { id: 'tabular-mdp', mdp: 'named.mdp.json', maxSteps: 200 } }));
  await app.getByTestId('import-input').setInputFiles([cliff, mdpFile('named')]);
  // The MDP the file names, read as on a valid import (the summary says its name), with the file's values.
  await opensOutOfRangeThenLaunches(app, server, 'cliff.json', 'named mdp', /^MDP: named/);
  const stored = await call<{ config: { env: { mdp: { name: string } }; agent: { alpha: number } } }>(server, 'experiments.get', { id: 1 });
  expect(stored.config.env.mdp.name).toBe('named');
  expect(stored.config.agent.alpha).toBe(0.5);

  // A named file missing, not JSON, or not a valid MDP is refused whole, naming the field (and the file), the form kept as it was.
  await open(app, '#/experiments/new');
  const before = await app.getByTestId('input-name').inputValue();
  for (const [files, problem] of [
    [[cliff], /cliff\.json: env\.mdp: "named\.mdp\.json" was not among the files given: pick named\.mdp\.json together with cliff\.json/],
    [[cliff, jsonFile('named.mdp.json', '{"states": ')], /cliff\.json: env\.mdp: named\.mdp\.json: malformed JSON/],
    [[cliff, mdpFile('named', true)], /cliff\.json: env\.mdp\.transitions.*sum to 0\.5, must sum to 1/],
  ] as const) {
    await app.getByTestId('import-input').setInputFiles([...files]);
    await expect(app.getByTestId('import-problems')).toContainText(problem);
    await expect(app.getByTestId('input-name')).toHaveValue(before);
  }
});
