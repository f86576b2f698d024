// New experiment's Sweep rows: the parameters a row offers (a schedule's fields among them when the
// draft has one), and each row's values read as `aisle run --set` reads them, or its problem.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { SweepSection, sweepOf, sweepParameters, sweepRowFixId, sweepValues } from '../../src/renderer/src/form/sweep-section';
import { GRID } from '../../src/renderer/src/form/random-search';
import { parseSweepValues } from '../../src/engine/sweep-values';
import { parameterChecks } from '../../src/renderer/src/form/sweep-checks';
import { catalog } from '../helpers/catalog';

describe('sweepParameters', () => {
  const qLearning = (epsilon: unknown) => setAt(setAt(initialDraft(catalog), ['agent'], { id: 'q-learning', alpha: 0.5, gamma: 0.99, initialQ: 0 }), ['agent', 'epsilon'], epsilon);
  const agentPaths = (epsilon: unknown) => sweepParameters(catalog, qLearning(epsilon)).filter((o) => o.path.startsWith('agent.'));

  it("offers an ε schedule's fields, by their paths, while the draft's epsilon is a schedule", () => {
    expect(agentPaths({ start: 1, end: 0.05, decayEpisodes: 400 })).toEqual([
      { path: 'agent.alpha', label: 'alpha (agent)' },
      { path: 'agent.gamma', label: 'gamma (agent)' },
      { path: 'agent.epsilon', label: 'epsilon (agent)' },
      { path: 'agent.epsilon.start', label: 'epsilon.start (agent)' },
      { path: 'agent.epsilon.end', label: 'epsilon.end (agent)' },
      { path: 'agent.epsilon.decayEpisodes', label: 'epsilon.decayEpisodes (agent)' },
      { path: 'agent.initialQ', label: 'initialQ (agent)' },
    ]);
    // A constant has no fields to set.
    expect(agentPaths(0.1).map((o) => o.path)).toEqual(['agent.alpha', 'agent.gamma', 'agent.epsilon', 'agent.initialQ']);
  });

  it("offers the shop's shiftAt, a number or null, with the values `aisle run --set env.shiftAt=…` takes", () => {
    const shop = initialDraft(catalog);
    expect(shop.env).toMatchObject({ id: 'shop' });
    expect(sweepParameters(catalog, shop)).toContainEqual({ path: 'env.shiftAt', label: 'shiftAt (environment)' });
    // The row's values and the command line's (src/cli/sweep.ts reads them with parseSweepValues) alike: null, then numbers.
    const row = sweepOf([{ path: 'env.shiftAt', values: 'null, 2000, 4000' }]);
    expect(row).toEqual({ sweep: [{ path: 'env.shiftAt', values: [null, 2000, 4000] }], rowOf: [0], problems: [], paired: false });
    expect(parseSweepValues('null,2000,4000')).toMatchObject({ ok: true, values: row.sweep[0]!.values });
  });
});

describe('sweepRowFixId', () => {
  it('sends a row whose parameter the environment no longer has to its parameter select, any other to its values', () => {
    const shop = initialDraft(catalog);
    const rows = [{ path: 'agent.alpha', values: '2' }, { path: 'env.catalogSeed', values: '0, 1' }];
    expect([0, 1].map((i) => sweepRowFixId(rows, i, sweepParameters(catalog, shop)))).toEqual(['sweep-0-values', 'sweep-1-values']);
    const toy = setAt(shop, ['env'], { id: 'seed-toy' });
    expect([0, 1].map((i) => sweepRowFixId(rows, i, sweepParameters(catalog, toy)))).toEqual(['sweep-0-values', 'sweep-1-path']);
  });
});

describe('sweepValues', () => {
  it('reads values as `aisle run --set` does, a trailing comma being the next value not typed yet', () => {
    expect(sweepValues('0.1, 0.5,')).toEqual({ ok: true, values: [0.1, 0.5] });
    expect(sweepValues('sarsa, "a,b", true, null')).toEqual({ ok: true, values: ['sarsa', 'a,b', true, null] });
    expect(sweepValues(' ')).toEqual({ ok: true, values: [] });
    expect(sweepValues('0.1,,0.5')).toEqual({ ok: false, problem: 'an empty value in the list: separate the values by single commas' });
  });

  it('says a list or an object, which the contract does not take, rather than sending it as text', () => {
    expect(sweepValues('0.1, {"start":1,"end":0.05,"decayEpisodes":10}')).toEqual({
      ok: false,
      problem: `{"start":1,"end":0.05,"decayEpisodes":10}: must be a number, true or false, a text or null, not a list or an object: sweep a schedule's fields in rows of their own`,
    });
    expect(sweepValues('[0, 1]')).toMatchObject({ ok: false, problem: expect.stringMatching(/^\[0, 1\]: must be a number/) });
  });

  it("leaves a row whose values do not read out of the sweep, its problem under the row's index", () => {
    const rows = [
      { path: 'agent.alpha', values: '0.1, 0.5' },
      { path: 'agent.gamma', values: '0.9,,0.99' },
      { path: 'episodes', values: '' },
      { path: 'agent.epsilon.end', values: '0.01, 0.05,' },
    ];
    expect(sweepOf(rows)).toEqual({
      sweep: [
        { path: 'agent.alpha', values: [0.1, 0.5] },
        { path: 'agent.epsilon.end', values: [0.01, 0.05] },
      ],
      rowOf: [0, 3],
      problems: ['sweep[1]: an empty value in the list: separate the values by single commas'],
      paired: false,
    });
  });
});

describe('SweepSection, to a screen reader', () => {
  const section = (problems: ReadonlyMap<string, readonly string[]>) =>
    renderToStaticMarkup(
      createElement(SweepSection, {
        catalog,
        draft: initialDraft(catalog),
        rows: [{ path: 'agent.alpha', values: '0.1, 1.5' }],
        onRows: () => {},
        search: GRID,
        onSearch: () => {},
        problems,
      }),
    );
  const said = (html: string) => /<div class="sr-only" aria-live="polite" data-testid="sweep-said">([^<]*)<\/div>/.exec(html)?.[1];

  it("says the sweep's problems as they come, politely, each with its row's parameter; a polite region there before them", () => {
    expect(said(section(new Map()))).toBe('');
    const html = section(new Map([['sweep[0]', ['alpha = 1.5: must be at most 1']], ['sweep', ['a sweep makes at most 64 experiments']]]));
    expect(said(html)).toBe('Sweep, alpha (agent): alpha = 1.5: must be at most 1\nSweep: a sweep makes at most 64 experiments');
  });
});

describe('a grid row given values a sweep cannot take', () => {
  const draft = initialDraft(catalog);
  const checks = parameterChecks(catalog, draft, ['agent.alpha']);
  const row = (values: string) => sweepOf([{ path: 'agent.alpha', values }], GRID, new Map(), checks);

  it('names a value too large to represent as the number it reads as, not as JSON’s "null"', () => {
    expect(row('0.1, 1e309').problems).toEqual(['sweep[0]: alpha = Infinity: must be a number in (0, 1], got a number too large to represent (it reads as Infinity)']);
  });

  it('quotes a long pasted value cut, as every message quotes what was typed', () => {
    const [problem] = row('x'.repeat(3000)).problems;
    expect(problem).toMatch(new RegExp(`^sweep\\[0\\]: alpha = x{60}…: must be a number in \\(0, 1\\], got "x{60}"…$`));
  });

  it('says more values than a sweep takes under the row, rather than sending them for the contract to refuse', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i + 1) / 4000).join(', ');
    expect(row(values)).toEqual({ sweep: [], rowOf: [], problems: ['sweep[0]: 2,000 values give 2,000 experiments, more than 64 in one sweep: sweep fewer values at a time'], paired: false });
    // 64 values are sent, as before.
    expect(row(Array.from({ length: 64 }, (_, i) => (i + 1) / 100).join(', ')).sweep).toHaveLength(1);
  });
});

describe('a sweep of more parameters than the contract takes', () => {
  it('is said under the sweep and not sent, in a grid and in a random search', () => {
    const paths = ['agent.alpha', 'agent.gamma', 'agent.initialQ', 'env.items', 'env.categories', 'env.catalogSeed', 'env.priceMedian', 'env.qualityAlpha', 'env.qualityBeta'];
    const rows = paths.map((path) => ({ path, values: '1' }));
    const problem = 'sweep: 9 parameters swept, more than 8 in one sweep: remove a row, or sweep the rest in a launch of its own';
    expect(sweepOf(rows)).toEqual({ sweep: [], rowOf: [], problems: [problem], paired: false });
    expect(sweepOf([...rows, { path: 'episodes', values: '10' }]).problems).toEqual([problem.replace('9 parameters', '10 parameters').replace('a row', '2 rows')]);
    // Eight are sent, as before.
    expect(sweepOf(rows.slice(0, 8)).sweep).toHaveLength(8);
    const random = sweepOf(
      paths.map((path) => ({ path, values: '', kind: 'uniform' as const, lo: '1', hi: '2' })),
      { ...GRID, mode: 'random', trials: '4', seed: '0' },
    );
    expect(random).toMatchObject({ sweep: [], problems: [problem] });
  });
});
