// experiments.parseFile on an experiment file refused for its values (alpha 7, episodes -1) that
// names its MDP or shop catalog by path: the service still reads and checks the named files and
// gives them back (namedFiles) so that New experiment's Import… opens the file in the form with
// them in place; a named file missing, not JSON or not its kind refuses the file as before, and
// the import stores nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIFF_MDP, CLIFF_MDP_TEXT, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

const experimentText = (env: Record<string, unknown>, agent: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'aisle.experiment/v1', name: 'cliff', env, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1, ...agent }, episodes: 50, seeds: 2, ...extra });
const outOfRange = experimentText({ id: 'tabular-mdp', mdp: 'cliff.mdp.json', maxSteps: 200 }, { alpha: 7 }, { episodes: -1 });
const ALPHA = 'agent.alpha: must be a number in (0, 1], got 7';
const EPISODES = 'episodes: must be a whole number in [1, 100,000,000], got -1';
const catalog = { categories: ['shoes', 'hats'], items: [{ category: 0, price: 20, quality: 0.8, attractiveness: 0 }, { category: 1, price: 5, quality: 0.2, attractiveness: 1 }] };

describe('experiments.parseFile on a file refused for its values', () => {
  it('reads the MDP it names by path for the form, the values’ problems said, nothing stored', async () => {
    const reply = await t.call('experiments.parseFile', { text: outOfRange, fileName: 'cliff.json', files: { 'cliff.mdp.json': CLIFF_MDP_TEXT } });
    expect(reply).toEqual({ ok: false, problems: [EPISODES, ALPHA], namedFiles: { 'env.mdp': CLIFF_MDP } });
    expect(await t.call('experiments.list', {})).toEqual([]);
  });

  it('reads a shop catalog it names by path, and refuses one that is not a catalog', async () => {
    const shop = (catalogPath: string) => experimentText({ id: 'shop', catalog: catalogPath, slateSize: 0 }, { id: 'epsilon-greedy', alpha: undefined, gamma: undefined, epsilon: 7 });
    const text = shop('shop/catalog.json');
    const reply = await t.call('experiments.parseFile', { text, fileName: 'shop.json', files: { 'catalog.json': JSON.stringify(catalog) } });
    expect(reply).toMatchObject({ ok: false, namedFiles: { 'env.catalog': catalog } });
    expect(reply.ok ? [] : reply.problems).toEqual([expect.stringMatching(/^env\.slateSize: /), expect.stringMatching(/^agent\.epsilon: /)]);

    const priceless = { items: [{ category: 0, price: -1, quality: 0.8, attractiveness: 0 }] };
    const refused = await t.call('experiments.parseFile', { text, fileName: 'shop.json', files: { 'catalog.json': JSON.stringify(priceless) } });
    expect(refused).not.toHaveProperty('namedFiles');
    expect(refused.ok ? [] : refused.problems).toContainEqual(expect.stringMatching(/^env\.catalog\.items\[0\]\.price: /));
  });

  it('refuses the file as before when a named file is missing, not JSON or not an MDP, naming the field and the file', async () => {
    const missing = await t.call('experiments.parseFile', { text: outOfRange, fileName: 'cliff.json' });
    expect(missing).toEqual({
      ok: false,
      problems: [EPISODES, 'env.mdp: "cliff.mdp.json" was not among the files given: pick cliff.mdp.json together with cliff.json (select both files when importing)', ALPHA],
    });

    const malformed = await t.call('experiments.parseFile', { text: outOfRange, fileName: 'cliff.json', files: { 'cliff.mdp.json': '{"format": ' } });
    expect(malformed).not.toHaveProperty('namedFiles');
    const lines = malformed.ok ? [] : malformed.problems;
    expect(lines.filter((p) => p.startsWith('env.mdp: cliff.mdp.json: malformed JSON'))).toHaveLength(1); // said once, not by both readings
    expect(lines).toContain(ALPHA);

    const notAnMdp = await t.call('experiments.parseFile', { text: outOfRange, fileName: 'cliff.json', files: { 'cliff.mdp.json': JSON.stringify({ ...(CLIFF_MDP as object), start: { 36: 0.5 } }) } });
    expect(notAnMdp).toEqual({ ok: false, problems: [EPISODES, ALPHA, expect.stringMatching(/^env\.mdp\.start: probabilities sum to 0\.5/)] });
  });

  it('gives no files back when the file names none by path (its inline MDP is in the text the form has)', async () => {
    const inline = experimentText({ id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 200 }, { alpha: 7 });
    expect(await t.call('experiments.parseFile', { text: inline, fileName: 'cliff.json' })).toEqual({ ok: false, problems: [ALPHA] });
  });
});
