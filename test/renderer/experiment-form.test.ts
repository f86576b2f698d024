// The experiment form's pure parts: JSON Schema → field kinds and ranges, where each validation
// problem is shown, and the draft's round trip through the JSON view (large inline MDPs held aside).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { train } from '../../src/engine/train';
import type { Client } from '../../src/shared/client';
import { catalog } from '../helpers/catalog';
import { autoName, initialDraft, setAt, switchComponent, switchTo, fromExperiment } from '../../src/renderer/src/form/draft';
import { fromJsonText, HELD_CHARS, toJsonText } from '../../src/renderer/src/form/held-files';
import { placeProblems } from '../../src/renderer/src/form/problems';
import { SWEEP_NOT_COUNTED, sweepProblemLine, sweepSummary } from '../../src/renderer/src/form/sweep-section';
import { fieldKind, jsonHint, rangeText, numberSpec, defaults } from '../../src/renderer/src/form/schema';
import { countTextIsList, readSeedList } from '../../src/renderer/src/form/fields';

const schemaOf = (id: string) => [...catalog.environments, ...catalog.agents].find((e) => e.id === id)!.schema as { properties: Record<string, Record<string, unknown>> };

describe('field kinds from the JSON Schema', () => {
  it('reads numbers with their ranges, enums, and epsilon as a constant or a schedule', () => {
    const q = schemaOf('q-learning').properties;
    expect(fieldKind(q.alpha!)).toEqual({ kind: 'number', spec: { integer: false, exclusiveMinimum: 0, maximum: 1 } });
    expect(rangeText(numberSpec(q.alpha!))).toBe('in (0, 1]');
    expect(fieldKind(q.epsilon!).kind).toBe('number-or-object');
    expect(fieldKind(schemaOf('thompson').properties.model!)).toEqual({ kind: 'enum', options: ['gaussian', 'bernoulli'] });
    expect(rangeText(numberSpec(schemaOf('seed-toy').properties.states!))).toBe('whole number in [1, 1,000,000]');
    expect(fieldKind({ type: 'array' }).kind).toBe('json');
  });
  it('gives a list of numbers, or a number or null, edited as JSON its range, as a number field’s hint gives it', () => {
    for (const agent of ['dqn', 'ppo']) expect(jsonHint(schemaOf(agent).properties.hidden!), agent).toBe('JSON: 1 to 4 whole numbers, each in [1, 1024]');
    expect(jsonHint({ type: 'array', minItems: 0, items: { type: 'number', exclusiveMinimum: 0 } })).toBe('JSON: numbers, each > 0');
    expect(jsonHint({ type: 'array', minItems: 2, maxItems: 2, items: { type: 'integer', minimum: 0, maximum: 20_000 } })).toBe('JSON: 2 whole numbers, each in [0, 20,000]');
    expect(jsonHint({ type: 'array', items: { type: 'number' } })).toBe('JSON: numbers');
    expect(jsonHint(schemaOf('shop').properties.shiftAt!)).toBe('JSON: whole number in [0, 100,000,000], or null');
    // Anything else edited as JSON (a weights object, a list of names) says only that.
    expect(jsonHint(schemaOf('shop').properties.rewardWeights!)).toBe('JSON');
    expect(jsonHint({ type: 'array', items: { type: 'string' } })).toBe('JSON');
  });
  it('fills defaults only where the schema has one', () => {
    expect(defaults(schemaOf('epsilon-greedy') as Record<string, unknown>)).toEqual({ epsilon: 0.1, initialQ: 0 });
  });
});

describe('placing problems', () => {
  it('puts each line under the field with the longest matching path, the rest above Launch', () => {
    const placed = placeProblems(
      ['agent.alpha: must be a number in (0, 1], got -1', 'env.mdp.transitions[3]: probabilities sum to 0.9', 'agent.epsilon.start: too big', 'an experiment must be a JSON object'],
      ['agent.alpha', 'agent.epsilon', 'env.mdp', 'env'],
    );
    expect(placed.byField.get('agent.alpha')).toEqual(['must be a number in (0, 1], got -1']);
    expect(placed.byField.get('env.mdp')).toEqual(['transitions[3]: probabilities sum to 0.9']);
    expect(placed.byField.get('agent.epsilon')).toEqual(['start: too big']);
    expect(placed.unplaced).toEqual(['an experiment must be a JSON object']);
  });

  it("places Rename's lines under the name and the description, their own colons kept, and leaves another field's unplaced", () => {
    const placed = placeProblems(
      ['name: must not be empty: give the experiment a name', 'description: is longer than 2000 characters: shorten it', 'name: is longer than 200 characters: shorten it', 'id: must be a whole number'],
      ['name', 'description'],
    );
    expect(placed.byField.get('name')).toEqual(['must not be empty: give the experiment a name', 'is longer than 200 characters: shorten it']);
    expect(placed.byField.get('description')).toEqual(['is longer than 2000 characters: shorten it']);
    // A field whose name starts another's is not it.
    expect(placeProblems(['names: no'], ['name']).unplaced).toEqual(['names: no']);
    // A seed of a list by its place in words, not its JSON index ("[0]: must be …").
    expect(placeProblems(['seeds[1]: must be a whole number in [0, 2,147,483,647], got -1'], ['seeds']).byField.get('seeds')).toEqual([
      'seed 2 of the list: must be a whole number in [0, 2,147,483,647], got -1',
    ]);
    expect(placed.unplaced).toEqual(['id: must be a whole number']);
  });

  it("says a sweep's problems with its row's parameter where no row shows them (the JSON view)", () => {
    const rows = [
      { path: 'episodes', values: '' },
      { path: 'agent.alpha', values: '0.1, 1.5' },
      { path: 'agent.gone', values: '1' },
    ];
    const options = [
      { path: 'episodes', label: 'episodes' },
      { path: 'agent.alpha', label: 'alpha (agent)' },
    ];
    expect(sweepProblemLine('sweep[1]: alpha = 1.5: must be a number in (0, 1], got 1.5', rows, options)).toBe('Sweep, alpha (agent): alpha = 1.5: must be a number in (0, 1], got 1.5');
    expect(sweepProblemLine('sweep[2]: gone = 1: not a parameter', rows, options)).toBe('Sweep, agent.gone: gone = 1: not a parameter');
    expect(sweepProblemLine('sweep: 13 × 5 values give 65 experiments', rows, options)).toBe('Sweep: 13 × 5 values give 65 experiments');
    expect(sweepProblemLine('agent.alpha: must be a number', rows, options)).toBe('agent.alpha: must be a number');
    // The row without values sweeps nothing: 2 experiments, until the service's answer refuses 1.5.
    expect(sweepSummary(rows.slice(0, 2), { seeds: 5 })).toBe('2 experiments × 5 seeds = 10 runs');
    // A refused value leaves no count to claim ("3 experiments × 5 seeds" stood beside the errors under 2 and abc, Launch held back).
    const refused = new Map([['sweep[1]', ['alpha = 2: must be a number in (0, 1], got 2', 'alpha = abc: must be a number, got "abc"']]]);
    const threeAlphas = [rows[0]!, { path: 'agent.alpha', values: '0.1, 2, abc' }];
    expect(sweepSummary(threeAlphas, { seeds: 5 })).toBe('3 experiments × 5 seeds = 15 runs');
    expect(sweepSummary(threeAlphas, { seeds: 5 }, undefined, refused)).toBe(SWEEP_NOT_COUNTED);
    // So do values that do not read (the form's own problem): the other rows alone were counted.
    expect(sweepSummary([{ path: 'agent.gamma', values: '0.9, 0.99' }, { path: 'agent.alpha', values: '0.1,, 0.2' }], { seeds: 5 })).toBe(SWEEP_NOT_COUNTED);
    // A problem of the whole sweep (too many experiments) keeps the count, which is what it is about.
    expect(sweepSummary(rows.slice(0, 2), { seeds: 5 }, undefined, new Map([['sweep', ['13 × 5 values give 65 experiments']]]))).toBe('2 experiments × 5 seeds = 10 runs');
    expect(sweepSummary(rows.slice(0, 1), { seeds: 5 })).toBeNull();
    // Counts are grouped as the form's others are: "1,000 seeds = 2,000 runs", not "1000 seeds = 2000 runs".
    expect(sweepSummary(rows.slice(0, 2), { seeds: 1000 })).toBe('2 experiments × 1,000 seeds = 2,000 runs');
    // A sweep too large to launch is counted as grouped too (its problem says it is too many).
    const ten = '1, 2, 3, 4, 5, 6, 7, 8, 9, 10';
    expect(sweepSummary([{ path: 'episodes', values: ten }, { path: 'agent.alpha', values: ten }, { path: 'agent.gamma', values: ten }], { seeds: 2 })).toBe(
      '1,000 experiments × 2 seeds = 2,000 runs',
    );
  });
});

describe('the draft', () => {
  it('starts from the starter experiment, five seeds (enough for Compare’s verdicts), the rest at the defaults, and names it for its exact shop', () => {
    const d = initialDraft(catalog);
    expect(d).toMatchObject({ format: 'aisle.experiment/v1', name: 'q-learning on shop (exact)', episodes: 20_000, seeds: 5, checkpoints: 10 });
    expect(d.env).toMatchObject({ id: 'shop', exact: true, items: 6, categories: 2, segments: 1, fatigueLevels: 2, catalogSeed: 11, maxSteps: 50, fatigueLoss: 0.1, reward: 'clicks' });
    expect(d.agent).toEqual({ id: 'q-learning', alpha: 0.005, gamma: 0.9, epsilon: { start: 1, end: 0.05, decayEpisodes: 10_000 }, initialQ: 0 });
    expect(autoName(setAt(d, ['env', 'exact'], false))).toBe('q-learning on shop');
  });
  it('leaves the starter’s values behind when switching, as it does defaults', () => {
    const d = initialDraft(catalog);
    const [shop, tabular] = ['shop', 'tabular-mdp'].map((id) => catalog.environments.find((e) => e.id === id)!);
    const [q, sarsaEntry] = ['q-learning', 'sarsa'].map((id) => catalog.agents.find((a) => a.id === id)!);
    expect(switchComponent(d, 'env', tabular!, shop).env).toMatchObject({ id: 'tabular-mdp', maxSteps: 1000 }); // not the starter shop's 50 steps
    expect(switchComponent(setAt(d, ['env', 'maxSteps'], 30), 'env', tabular!, shop).env).toMatchObject({ id: 'tabular-mdp', maxSteps: 30 }); // the user's own value carries
    const sarsa = switchComponent(d, 'agent', sarsaEntry!, q);
    expect(sarsa.agent).toEqual({ id: 'sarsa', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
  });
  it('leaves the starter’s agent tuning behind when the form switches the environment; the user’s own values stay', () => {
    const d = initialDraft(catalog);
    const tabular = catalog.environments.find((e) => e.id === 'tabular-mdp')!;
    expect(switchTo(catalog, d, 'env', tabular).agent).toEqual({ id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
    const tuned = setAt(d, ['agent', 'alpha'], 0.3);
    expect(switchTo(catalog, tuned, 'env', tabular).agent).toEqual({ id: 'q-learning', alpha: 0.3, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
    const sarsa = catalog.agents.find((a) => a.id === 'sarsa')!;
    expect(switchTo(catalog, d, 'agent', sarsa)).toEqual(switchComponent(d, 'agent', sarsa, catalog.agents.find((a) => a.id === 'q-learning')));
  });
  it('launched as it is, learns where the user can see it: the return climbs, and the greedy policy is near optimal', () => {
    const e = parseExperiment(initialDraft(catalog));
    const returns: number[] = [];
    const result = train({ env: e.env, agent: e.agent, episodes: e.episodes, seed: e.seeds[0]! }, { onEpisode: (_, row) => void returns.push(row[0]!) });
    const mean = (from: number, to: number) => returns.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    // ε falls from 1: the first episodes play about as uniform random does, the last the learned policy.
    expect(mean(returns.length - 1000, returns.length)).toBeGreaterThan(1.5 * mean(0, 1000));
    expect(result.greedy?.normalizedScore).toBeGreaterThanOrEqual(0.99);
  });
  it('keeps changed values when switching agents', () => {
    const d = initialDraft(catalog);
    const tweaked = setAt(d, ['agent', 'alpha'], 0.7);
    const sarsa = switchComponent(tweaked, 'agent', catalog.agents.find((a) => a.id === 'sarsa')!, catalog.agents[0]);
    expect(sarsa.agent).toEqual({ id: 'sarsa', alpha: 0.7, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
    const bandit = switchComponent(d, 'agent', catalog.agents.find((a) => a.id === 'epsilon-greedy')!, catalog.agents[0]);
    expect(bandit.agent).toEqual({ id: 'epsilon-greedy', epsilon: 0.1, initialQ: 0 }); // the default alpha does not carry
  });
  it('turns seeds 0..n−1 into a count and keeps other lists', () => {
    expect(fromExperiment({ seeds: [0, 1, 2] }).seeds).toBe(3);
    expect(fromExperiment({ seeds: [3, 7] }).seeds).toEqual([3, 7]);
  });
  it('round-trips through the JSON view, holding a large inline MDP aside as a marker', () => {
    const held = [['env', 'mdp']];
    const big = { format: 'aisle.mdp/v1', name: 'big', states: 2000, actions: 2, start: { '0': 1 }, terminal: [], transitions: Array.from({ length: 4000 }, (_, i) => [i >> 1, i & 1, 1, 0, 0]) };
    expect(JSON.stringify(big).length).toBeGreaterThan(HELD_CHARS);
    const d = setAt(initialDraft(catalog), ['env'], { id: 'tabular-mdp', mdp: big, maxSteps: 100 });
    const text = toJsonText(d, held);
    expect(text.length).toBeLessThan(2000);
    expect(text).toContain('MDP: big, 2,000 states × 2 actions');
    const edited = fromJsonText(text.replace('"maxSteps": 100', '"maxSteps": 50'), d, held);
    expect(edited.ok && edited.draft.env).toEqual({ id: 'tabular-mdp', mdp: big, maxSteps: 50 });
    const small = setAt(d, ['env', 'mdp'], { ...big, states: 1, transitions: [[0, 0, 1, 0, 0]] });
    expect(fromJsonText(toJsonText(small, held), small, held)).toEqual({ ok: true, draft: small });
    // Worded as a file's syntax error is: the place and the fix.
    expect(fromJsonText('{ "name": ', d, held)).toEqual({ ok: false, error: 'malformed JSON at line 1, column 11 (Unexpected end of JSON input): fix the syntax and try again' });
    expect(fromJsonText('[1]', d, held)).toMatchObject({ ok: false });
  });
});

describe('the rows a simulator was fitted to (fittedTo)', () => {
  const fittedTo = { logs: 'logs.csv', where: { policy: 'uniform' }, holdout: 5, rows: 1600 };
  const mdp = (name: string) => ({ format: 'aisle.mdp/v1', name, states: 1, actions: ['a', 'b'], start: { '0': 1 }, terminal: [], transitions: [[0, 0, 1, 0, 1], [0, 1, 1, 0, 0]] });
  const tabular = catalog.environments.find((e) => e.id === 'tabular-mdp')!;
  const onSimulator = { ...setAt(initialDraft(catalog), ['env'], { id: 'tabular-mdp', mdp: mdp('logs simulator'), maxSteps: 1 }), fittedTo };

  it('stays with the environment it describes: a duplicate, another agent, the environment’s other settings', () => {
    const duplicate = fromExperiment(parseExperiment(onSimulator));
    expect(duplicate.fittedTo).toEqual(fittedTo);
    expect(switchComponent(duplicate, 'agent', catalog.agents.find((a) => a.id === 'sarsa')!, catalog.agents[0]).fittedTo).toEqual(fittedTo);
    expect(setAt(duplicate, ['env', 'maxSteps'], 3).fittedTo).toEqual(fittedTo);
  });
  it('goes when the environment does, or when another MDP replaces the one fitted', async () => {
    const { importFiles, withFile, mdpTarget } = await import('../../src/renderer/src/form/import');
    const shop = catalog.environments.find((e) => e.id === 'shop')!;
    expect(switchComponent(onSimulator, 'env', shop, tabular)).not.toHaveProperty('fittedTo');
    const replaced = withFile(catalog, onSimulator, mdpTarget(catalog)!, mdp('another'));
    expect(replaced).not.toHaveProperty('fittedTo');
    expect(replaced.env).toMatchObject({ id: 'tabular-mdp', mdp: { name: 'another' }, maxSteps: 1 });
    // As the form imports them: an MDP file (parsed by the service), a shop catalog.
    const client = { call: (command: string) => Promise.resolve(command === 'mdp.parseFile' ? { ok: true, mdp: mdp('imported') } : undefined) } as unknown as Client;
    const imported = await importFiles(client, catalog, () => onSimulator, [{ name: 'other.mdp.json', text: JSON.stringify(mdp('imported')) }]);
    expect(imported.ok && imported.draft).not.toHaveProperty('fittedTo');
    expect(imported.ok && imported.draft.env).toMatchObject({ mdp: { name: 'imported' } });
    const catalogFile = { items: [{ category: 0, price: 10, quality: 0.5 }] };
    const shopped = await importFiles(client, catalog, () => onSimulator, [{ name: 'my.shop.json', text: JSON.stringify(catalogFile) }]);
    expect(shopped.ok && shopped.draft).not.toHaveProperty('fittedTo');
    expect(shopped.ok && shopped.draft.env).toMatchObject({ id: 'shop', catalog: catalogFile });
  });
  it('goes at once from an imported experiment file whose environment is not the one fitted, with the service’s reason', async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const reason = 'fittedTo: no longer applies: it records the rows of logs.csv a simulator was fitted to, and env is no longer that simulator';
    const { fittedTo: _, ...checked } = setAt(onSimulator, ['env', 'maxSteps'], 2);
    // What experiments.parseFile answers for such a file (the service compares the fingerprints).
    const client = { call: () => Promise.resolve({ ok: true, experiment: checked, warnings: [], fitDropped: reason }) } as unknown as Client;
    const imported = await importFiles(client, catalog, () => initialDraft(catalog), [{ name: 'learn.json', text: JSON.stringify({ ...checked, format: 'aisle.experiment/v1', fittedTo }) }]);
    expect(imported).toMatchObject({ ok: true, note: 'Imported learn.json.', source: 'learn.json', fitDropped: reason });
    expect(imported.ok && imported.draft).not.toHaveProperty('fittedTo');
  });
  it('shows in the JSON view and comes back from it, as typed there (removed, or edited)', () => {
    const text = toJsonText(onSimulator, [['env', 'mdp']]);
    expect(JSON.parse(text)).toMatchObject({ fittedTo });
    expect(fromJsonText(text, onSimulator, [['env', 'mdp']])).toEqual({ ok: true, draft: onSimulator });
    const edited = fromJsonText(JSON.stringify({ ...onSimulator, fittedTo: { ...fittedTo, rows: 1200 } }), onSimulator, []);
    expect(edited.ok && edited.draft.fittedTo).toEqual({ ...fittedTo, rows: 1200 });
    const { fittedTo: _, ...without } = onSimulator;
    expect(fromJsonText(JSON.stringify(without), onSimulator, [])).toEqual({ ok: true, draft: without });
  });
});

describe('a shop catalog imported onto the starter', () => {
  const text = readFileSync(join(__dirname, '../../resources/shops/online-retail.shop.json'), 'utf8');
  const file = { name: 'online-retail.shop.json', text };
  const client = {} as Client; // a catalog is read by the form itself
  const shop = catalog.environments.find((e) => e.id === 'shop')!;

  it('trains the catalog on the shop’s defaults, not the starter’s small exact shop', async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const r = await importFiles(client, catalog, () => initialDraft(catalog), [file]);
    expect(r).toMatchObject({ ok: true, note: 'Imported online-retail.shop.json as the shop’s catalog; the settings the starter chose for its small shop are back at the shop’s and the agent’s defaults.' });
    const draft = r.ok ? r.draft : {};
    expect(draft.env).toEqual({ id: 'shop', ...defaults(shop.schema), catalog: JSON.parse(text) });
    expect(draft.agent).toEqual({ id: 'q-learning', alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 }); // the starter's tuning was for its six items
    expect(parseExperiment(draft).env).toMatchObject({ exact: false, maxSteps: 100, segments: 2 });
  });
  it('keeps what the user changed, and says nothing of the starter when its settings are gone', async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const edited = setAt(initialDraft(catalog), ['env', 'maxSteps'], 30);
    const r = await importFiles(client, catalog, () => edited, [file]);
    expect(r.ok && r.draft.env).toMatchObject({ maxSteps: 30, exact: false, segments: 2 });
    const own = setAt(setAt(initialDraft(catalog), ['env'], { id: 'shop', ...defaults(shop.schema), maxSteps: 40 }), ['agent'], { id: 'q-learning', alpha: 0.2 });
    const again = await importFiles(client, catalog, () => own, [file]);
    expect(again).toMatchObject({ ok: true, note: 'Imported online-retail.shop.json as the shop’s catalog.' });
    expect(again.ok && again.draft.env).toEqual({ ...(own.env as object), catalog: JSON.parse(text) });
  });
});

describe('files held inline', () => {
  it('are summarised in one line: an MDP, a shop catalog, nothing else', async () => {
    const { inlineFileText } = await import('../../src/shared/inline-files');
    const { valueText } = await import('../../src/renderer/src/components/value-table');
    const { catalogTarget, mdpTarget } = await import('../../src/renderer/src/form/import');
    const mdp = { format: 'aisle.mdp/v1', name: 'two states', states: 2, actions: ['left', 'right'], transitions: [] };
    expect(inlineFileText(mdp)).toBe('MDP: two states, 2 states × 2 actions');
    const shop = { items: [{ category: 0 }, { category: 1 }, { category: 1 }] };
    expect(inlineFileText(shop)).toBe('catalog: 3 items in 2 categories');
    expect(inlineFileText({ ...shop, categories: ['a', 'b', 'c'] })).toBe('catalog: 3 items in 3 categories');
    expect(inlineFileText({ items: [{ category: 0 }] })).toBe('catalog: 1 item in 1 category');
    expect(inlineFileText({ format: 'aisle.mdp/v1', name: 'one', states: 1, actions: ['stay'] })).toBe('MDP: one, 1 state × 1 action');
    expect(inlineFileText({ items: 'not a list' })).toBeNull();
    expect(inlineFileText(3)).toBeNull();
    // A run's config table shows the summary, not the catalog's JSON.
    expect(valueText(shop)).toBe('catalog: 3 items in 2 categories');
    expect(valueText({ a: 1 })).toBe('{"a":1}');
    // Which environment takes which kind of file, read from the schemas.
    expect(mdpTarget(catalog)).toMatchObject({ env: { id: 'tabular-mdp' }, param: 'mdp' });
    expect(catalogTarget(catalog)).toMatchObject({ env: { id: 'shop' }, param: 'catalog' });
  });
});

describe('a number field whose text is not a number', () => {
  it('suggests a number of the field’s kind: its default for whole numbers, 0.5 otherwise', async () => {
    const { notANumber } = await import('../../src/renderer/src/form/fields');
    expect(notANumber({ integer: true, minimum: 1 }, 500)).toBe('is not a number: type digits, e.g. 500');
    expect(notANumber({ integer: true, minimum: 2 })).toBe('is not a number: type digits, e.g. 2');
    expect(notANumber({ integer: true }, 0.5)).toBe('is not a number: type digits, e.g. 1');
    expect(notANumber({ integer: false, exclusiveMinimum: 0, maximum: 1 }, 0.1)).toBe('is not a number: type digits, e.g. 0.5');
  });
  it('says a number too large to represent (1e309) is that, with the range to type in, not "type digits"', async () => {
    const { notANumber: said, readNumberText } = await import('../../src/renderer/src/form/fields');
    // Said of the text as the field reads it (readNumberText's `spelt`), as NumberInput says it.
    const notANumber = (spec: Parameters<typeof said>[0], example: unknown, text: string) => {
      const read = readNumberText(text);
      if (!read.bad) throw new Error(`${text} is a number`);
      return said(spec, example, read.spelt);
    };
    expect(notANumber({ integer: true, minimum: 1, maximum: 100_000_000 }, 500, '1e309')).toBe('is a number too large to represent (it reads as Infinity): type a whole number in [1, 100,000,000]');
    expect(notANumber({ integer: false, exclusiveMinimum: 0, maximum: 1 }, 0.1, ' -1e309 ')).toBe('is a number too large to represent (it reads as -Infinity): type a number in (0, 1]');
    // Past the side the range leaves open: which way to go ("type a whole number ≥ 1" of 400 nines, which is one).
    expect(notANumber({ integer: true, minimum: 1 }, 1, '9'.repeat(400))).toBe('is a number too large to represent (it reads as Infinity): type a smaller whole number ≥ 1');
    expect(notANumber({ integer: false }, 0, '1e999')).toBe('is a number too large to represent (it reads as Infinity): type a smaller number');
    expect(notANumber({ integer: false }, 0, '-1e999')).toBe('is a number too large to represent (it reads as -Infinity): type a larger number');
    // Text that is no number at all is still told to type digits.
    expect(notANumber({ integer: true, minimum: 1 }, 500, 'Infinity')).toBe('is not a number: type digits, e.g. 500');
    expect(notANumber({ integer: true, minimum: 1 }, 500, '1e3x')).toBe('is not a number: type digits, e.g. 500');
  });
  it('reads HTML number syntax strictly: text that is not a number stays text (never a lenient prefix like 1 of "1-2")', async () => {
    const { readNumberText } = await import('../../src/renderer/src/form/fields');
    expect(readNumberText('')).toEqual({ value: undefined, bad: false });
    expect(readNumberText('  ')).toEqual({ value: undefined, bad: false });
    expect(readNumberText('300')).toEqual({ value: 300, bad: false });
    expect(readNumberText('-0.5')).toEqual({ value: -0.5, bad: false });
    expect(readNumberText('.5')).toEqual({ value: 0.5, bad: false });
    expect(readNumberText('1e3')).toEqual({ value: 1000, bad: false });
    // Digit groups as the range hints print them ("[1, 100,000,000]"); a comma that groups no thousands is not one.
    expect(readNumberText('1,000')).toEqual({ value: 1000, bad: false });
    expect(readNumberText(' -20,000,000.5 ')).toEqual({ value: -20_000_000.5, bad: false });
    for (const text of ['1-2', '-', 'e', '300e', '1e999', '0x10', '1,5', '1,00', '1,0000', '1000,000', ',000', '1,,000', 'Infinity', '12abc']) expect(readNumberText(text)).toEqual({ value: text, bad: true, spelt: text === '1e999' ? Infinity : NaN });
  });
  it('text that is not a number survives the JSON view and the service rejects it', async () => {
    const { readNumberText } = await import('../../src/renderer/src/form/fields');
    const { parseExperiment } = await import('../../src/engine/experiment');
    const draft = setAt(initialDraft(catalog), ['episodes'], readNumberText('1-2').value);
    const back = fromJsonText(toJsonText(draft, []), draft, []);
    expect(back.ok && back.draft.episodes).toBe('1-2');
    expect(() => parseExperiment(back.ok ? back.draft : {})).toThrow(/episodes: must be .*got "1-2"/);
  });
  it('the experiment requires a name, so an emptied name field holds "" (the service calls it empty)', () => {
    expect(catalog.experimentSchema.required).toContain('name');
  });
});

describe('a JSON field whose text does not parse', () => {
  it('keeps the text in the draft, with its syntax problem; empty is the default, JSON its value', async () => {
    const { readJsonText } = await import('../../src/renderer/src/form/fields');
    expect(readJsonText('')).toEqual({ value: undefined, problem: null });
    expect(readJsonText(' \n')).toEqual({ value: undefined, problem: null });
    expect(readJsonText('[32, 32]')).toEqual({ value: [32, 32], problem: null });
    expect(readJsonText('null')).toEqual({ value: null, problem: null });
    expect(readJsonText('"64"')).toEqual({ value: '64', problem: null });
    for (const text of ['[64, 6', '64,', '{click: 1}', 'abc', '[64,\n NaN]']) {
      const r = readJsonText(text);
      expect(r.value).toBe(text);
      expect(r.problem).toMatch(/^malformed JSON at line \d+, column \d+ \(.+\): (fix the syntax and try again|write a finite number there)$/);
    }
    // The place, as a file's error gives it (it read "JSON syntax: Unexpected end of JSON input").
    expect(readJsonText('[64, 6').problem).toBe("malformed JSON at line 1, column 7 (Expected ',' or ']' after array element): fix the syntax and try again");
    expect(readJsonText('[64,').problem).toBe('malformed JSON at line 1, column 5 (Unexpected end of JSON input): fix the syntax and try again');
    expect(readJsonText('[64,\n NaN]').problem).toBe('malformed JSON at line 2, column 2 (NaN is not a number in JSON, which has no NaN or Infinity): write a finite number there');
  });
  it('shows the kept text as typed, and a value as JSON (a string that parses stays quoted)', async () => {
    const { jsonText } = await import('../../src/renderer/src/form/fields');
    expect(jsonText(undefined)).toBe('');
    expect(jsonText([64, 64])).toBe('[\n 64,\n 64\n]');
    expect(jsonText(null)).toBe('null');
    expect(jsonText('[64, 6')).toBe('[64, 6');
    expect(jsonText('64')).toBe('"64"');
  });
  it('the kept text survives the JSON view, shows as typed again, and the service rejects it', async () => {
    const { readJsonText, jsonText } = await import('../../src/renderer/src/form/fields');
    const { parseExperiment } = await import('../../src/engine/experiment');
    const dqn = switchComponent(initialDraft(catalog), 'agent', catalog.agents.find((a) => a.id === 'dqn')!, catalog.agents[0]);
    const draft = setAt(dqn, ['agent', 'hidden'], readJsonText('[64, 6').value);
    const back = fromJsonText(toJsonText(draft, []), draft, []);
    const hidden = back.ok ? (back.draft.agent as Record<string, unknown>).hidden : undefined;
    expect(jsonText(hidden)).toBe('[64, 6');
    expect(() => parseExperiment(back.ok ? back.draft : {})).toThrow(/agent\.hidden/);
  });
});

describe("a file field's Replace…", () => {
  const mdpFile = { format: 'aisle.mdp/v1', name: 'chain', states: 2, actions: ['stay', 'move'], start: { 0: 1 }, terminal: [1], transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, 1]] };
  const experimentFile = { format: 'aisle.experiment/v1', name: 'noise', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5 };
  const catalogFile = { items: [{ category: 0, price: 10, quality: 0.5 }] };
  // Whatever the service would answer: a refused file must not get that far.
  const client = { call: (command: string) => Promise.resolve(command === 'mdp.parseFile' ? { ok: true, mdp: mdpFile } : { ok: true, experiment: experimentFile, warnings: [] }) } as unknown as Client;
  const onMdp = setAt(setAt(initialDraft(catalog), ['env'], { id: 'tabular-mdp', mdp: { ...mdpFile, name: 'mine' }, maxSteps: 50 }), ['name'], 'my experiment');

  it('refuses an experiment file, which Import… would put in place of the whole form', async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const r = await importFiles(client, catalog, () => onMdp, [{ name: 'noise.json', text: JSON.stringify(experimentFile) }], 'env.mdp');
    expect(r).toEqual({
      ok: false,
      problems: ['noise.json: an experiment file (aisle.experiment/v1), not an aisle.mdp/v1 file: open an experiment with Import… at the top of the form'],
    });
    // Through Import… (no field) the same file is the whole experiment, as before.
    const imported = await importFiles(client, catalog, () => onMdp, [{ name: 'noise.json', text: JSON.stringify(experimentFile) }]);
    expect(imported).toMatchObject({ ok: true, source: 'noise.json' });
  });

  it("refuses the other field's kind of file rather than switching the environment", async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const intoMdp = await importFiles(client, catalog, () => onMdp, [{ name: 'my.shop.json', text: JSON.stringify(catalogFile) }], 'env.mdp');
    expect(intoMdp).toEqual({ ok: false, problems: ['my.shop.json: a shop catalog, not an aisle.mdp/v1 file: to use it, choose the Shop environment and replace its catalog'] });
    const onShop = setAt(initialDraft(catalog), ['env', 'catalog'], catalogFile);
    const intoCatalog = await importFiles(client, catalog, () => onShop, [{ name: 'chain.mdp.json', text: JSON.stringify(mdpFile) }], 'env.catalog');
    expect(intoCatalog).toEqual({
      ok: false,
      problems: ['chain.mdp.json: an MDP file (aisle.mdp/v1), not a shop catalog ({ "items": [...] }): to train on an MDP, choose the Tabular MDP environment and replace its mdp'],
    });
    expect(await importFiles(client, catalog, () => onMdp, [{ name: 'a.mdp.json', text: '{}' }, { name: 'b.mdp.json', text: '{}' }], 'env.mdp')).toEqual({
      ok: false,
      problems: ['pick one file here: an aisle.mdp/v1 file'],
    });
  });

  it('takes its own kind of file into the draft as it is, keeping everything else', async () => {
    const { importFiles } = await import('../../src/renderer/src/form/import');
    const r = await importFiles(client, catalog, () => onMdp, [{ name: 'chain.mdp.json', text: JSON.stringify(mdpFile) }], 'env.mdp');
    expect(r.ok && r.draft).toMatchObject({ name: 'my experiment', env: { id: 'tabular-mdp', mdp: { name: 'chain' }, maxSteps: 50 } });
  });
});

describe('the seeds field: a count, or a list typed into it', () => {
  it('reads a list as the JSON view and the service problem write it, with or without brackets', () => {
    for (const text of ['0, 1, 7', '0 1 7', '[0, 1, 7]', ' [0,1,7] ']) expect(readSeedList(text), text).toEqual({ seeds: [0, 1, 7] });
    expect(readSeedList('[]')).toEqual({ seeds: [] });
    expect(readSeedList('0, 1, x')).toEqual({ problem: 'list whole numbers separated by commas, e.g. 0, 1, 7' });
    expect(readSeedList('0, 1.5')).toEqual({ problem: 'list whole numbers separated by commas, e.g. 0, 1, 7' });
    // A seed left out between two commas, or before the first, is a problem; a last comma (the next seed on its way) is not.
    for (const text of ['0,, 1', ', 0, 1', '0, , 1', '[0,,1]', '0 1, 7']) expect(readSeedList(text), text).toEqual({ problem: 'list whole numbers separated by commas, e.g. 0, 1, 7' });
    expect(readSeedList('0, 1,')).toEqual({ seeds: [0, 1] });
    // Each seed is read as a number field reads its text: "1e2" is 100, but another base's spelling
    // ("0x10", which Number() alone read as seed 16) is a problem, as the count field says of it.
    expect(readSeedList('1e2, 3')).toEqual({ seeds: [100, 3] });
    for (const text of ['0x10, 2', '0b11 1', '[0o7]', '1, Infinity', '+1, 2']) expect(readSeedList(text), text).toEqual({ problem: 'list whole numbers separated by commas, e.g. 0, 1, 7' });
  });
  it('takes a list typed into the count (the count field said “is not a number” to the very [0, 1, 2] its problem suggests), but not a number in thousands half typed', () => {
    for (const text of ['[0, 1, 2]', '[', '0, 1', '0 1', '0,1,2', '1, ']) expect(countTextIsList(text), text).toBe(true);
    // A count, a number in thousands on its way ("1," → "1,000"), or text that is no list stays a count's text.
    for (const text of ['5', '1,000', '1,', '1,0', '1,00', '1.5', 'abc', '']) expect(countTextIsList(text), text).toBe(false);
  });
});
