// New experiment holding a 20,000-state MDP: an edit of the name no longer writes the MDP out
// (the kept draft names it by digest, kept once beside it), yet the draft comes back whole after a
// reload, the JSON view shows the exact experiment when asked for the file in full, the check
// still finds an error in the MDP, and Launch sends the whole MDP.
import { openScreen as open } from './arrange';
import { expect, test } from './fixtures';

const STATES = 20_000;

/** A walk along a line of STATES states: "left" and "right", one next state each; the last state ends it. */
function walk() {
  const transitions: number[][] = [];
  for (let s = 0; s < STATES - 1; s++) transitions.push([s, 0, 1, Math.max(0, s - 1), -1], [s, 1, 1, s + 1, -1]);
  return { format: 'aisle.mdp/v1', name: 'long walk', states: STATES, actions: ['left', 'right'], start: { '0': 1 }, terminal: [STATES - 1], transitions };
}

test('a form holding a 20,000-state MDP keeps its edits across a reload, and shows and launches the whole MDP', async ({ app }) => {
  test.setTimeout(120_000);
  const mdp = walk();
  await open(app, '#/experiments/new');
  await app.getByTestId('select-env').selectOption('tabular-mdp');
  const chooser = app.waitForEvent('filechooser');
  await app.locator('[id="f-env.mdp"]').click();
  await (await chooser).setFiles({ name: 'walk.mdp.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mdp)) });
  const summary = app.getByTestId('summary-env.mdp');
  await expect(summary).toHaveText('MDP: long walk, 20,000 states × 2 actions', { timeout: 60_000 });

  const name = app.locator('#f-name');
  await name.fill('walk');
  await name.press('End');
  await app.keyboard.type(' edited');
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/, { timeout: 30_000 });

  // The draft kept for the tab names the MDP by its digest; the MDP is kept once, beside it.
  const kept = await app.evaluate(() => {
    const entries = Object.keys(window.sessionStorage).map((key) => [key, window.sessionStorage.getItem(key) ?? ''] as const);
    return { draft: entries.find(([key]) => key === 'aisle.draft.new')?.[1] ?? '', files: entries.filter(([key]) => key.startsWith('aisle.inline-file.')).map(([, text]) => text.length) };
  });
  expect(kept.draft.length).toBeLessThan(5_000);
  expect(JSON.parse(kept.draft)).toMatchObject({ name: 'walk edited', env: { id: 'tabular-mdp', mdp: { $inlineFile: expect.any(String) } } });
  expect(kept.files).toHaveLength(1);

  await app.reload();
  await expect(summary).toHaveText('MDP: long walk, 20,000 states × 2 actions', { timeout: 30_000 });
  await expect(name).toHaveValue('walk edited');
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/, { timeout: 30_000 });

  // The JSON view says what the MDP is in a line, and shows it whole on request: the exact experiment.
  await app.getByTestId('tab-json').click();
  const json = app.getByTestId('json-view');
  await expect(json).toHaveValue(/"mdp": "\(MDP: long walk, 20,000 states × 2 actions: kept as is/);
  await app.getByTestId('json-whole-files').check();
  await expect(json).toHaveValue(/"transitions": \[\n/);
  const shown = JSON.parse(await json.inputValue()) as { name: string; env: { mdp: unknown } };
  expect(shown.name).toBe('walk edited');
  expect(shown.env.mdp).toEqual(mdp);

  // The check still reads the MDP: a pair whose probabilities no longer sum to 1, edited in the text, is a problem.
  // (Pasted, as a user would: Playwright's fill types its text in, which 800,000 characters outlast.)
  const paste = (value: string) =>
    json.evaluate((textarea: HTMLTextAreaElement, v) => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(textarea, v);
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
  const text = await json.inputValue();
  await paste(text.replace('[0,0,1,0,-1]', '[0,0,0.5,0,-1]'));
  await expect(app.getByTestId('problems')).toContainText(/^env\.mdp\.\S+: .*sum to 0\.5/m, { timeout: 30_000 });
  await paste(text);
  await expect(app.getByTestId('validation-state')).toHaveText(/^Ready/, { timeout: 30_000 });

  // Launch sends that experiment, the MDP whole.
  const launched = app.waitForRequest(/experiments\.launch$/);
  await app.getByTestId('launch').click();
  expect((await launched).postDataJSON()).toEqual({ experiment: shown });
});
