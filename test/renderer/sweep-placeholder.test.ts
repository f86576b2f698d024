// New experiment's Sweep rows: the values' placeholder shows values the row's parameter takes.
// Every row showed "0.1, 0.5, 0.9", which episodes (a whole number ≥ 1), a switch (exact) and a
// choice (ranking) all refuse.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { SweepSection, sweepParameters, sweepValues } from '../../src/renderer/src/form/sweep-section';
import { GRID } from '../../src/renderer/src/form/random-search';
import { sweepPlaceholder } from '../../src/renderer/src/form/sweep-placeholder';
import { catalog } from '../helpers/catalog';

const shop = initialDraft(catalog);
const qLearning = setAt(setAt(shop, ['agent'], { id: 'q-learning', alpha: 0.5, gamma: 0.99, initialQ: 0 }), ['agent', 'epsilon'], { start: 1, end: 0.05, decayEpisodes: 400 });

describe('sweepPlaceholder', () => {
  it('gives whole numbers for a count, true and false for a switch, the options of a choice, fractions for a share', () => {
    expect(shop).toMatchObject({ env: { id: 'shop', exact: true, ranking: 'attractiveness' } });
    expect(sweepPlaceholder(catalog, qLearning, 'episodes')).toBe(`${shop.episodes as number}, ${(shop.episodes as number) * 2}`);
    expect(sweepPlaceholder(catalog, qLearning, 'env.exact')).toBe('true, false');
    expect(sweepPlaceholder(catalog, qLearning, 'env.ranking')).toMatch(/^attractiveness, /);
    expect(sweepPlaceholder(catalog, qLearning, 'agent.alpha')).toBe('0.1, 0.5, 0.9');
    expect(sweepPlaceholder(catalog, qLearning, 'agent.epsilon.end')).toBe('0.1, 0.5, 0.9');
    expect(sweepPlaceholder(catalog, qLearning, 'agent.epsilon.decayEpisodes')).toBe('400, 800');
    expect(sweepPlaceholder(catalog, qLearning, 'env.shiftAt')).toMatch(/^null, \d+, \d+$/);
  });

  it('gives values in the range and of the type of every parameter the form sweeps, as the service checks them', async () => {
    const { validateExperiment } = await import('../../src/main/service/experiments');
    for (const draft of [shop, qLearning]) {
      for (const { path } of sweepParameters(catalog, draft)) {
        const read = sweepValues(sweepPlaceholder(catalog, draft, path));
        expect(read.ok, path).toBe(true);
        for (const value of read.ok ? read.values : []) {
          const checked = validateExperiment(setAt(draft, path.split('.'), value));
          // The value's own range or type (`agent.alpha: must be a number in (0, 1], got 2`), not a rule across fields (observeSegment false beside exact).
          const own = checked.ok ? [] : checked.problems.filter((p) => p.startsWith(`${path}: must be`));
          expect(own, `${path} = ${String(value)}`).toEqual([]);
        }
      }
    }
  });
});

describe("the Sweep section's rows", () => {
  const markup = (mode: 'grid' | 'random', kind?: 'choice') =>
    renderToStaticMarkup(
      createElement(SweepSection, {
        catalog,
        draft: shop,
        rows: [{ path: 'env.items', values: '', ...(kind ? { kind } : {}) }],
        onRows: () => {},
        search: { ...GRID, mode },
        onSearch: () => {},
        problems: new Map(),
      }),
    );

  it("show the parameter's values as the placeholder, a grid row's and a random search's choice alike", () => {
    const items = sweepPlaceholder(catalog, shop, 'env.items');
    expect(items).toBe(`${(shop.env as { items: number }).items}, ${(shop.env as { items: number }).items * 2}`);
    for (const html of [markup('grid'), markup('random', 'choice')]) expect(html).toContain(`placeholder="${items}"`);
  });
});
