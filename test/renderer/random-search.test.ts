// New experiment's Random search: the rows' distributions drawn with the engine's sampler (the values
// `aisle run --sample` draws for the same seed), bad bounds said under their row, trials under the section.
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { sweepOf, sweepSummary } from '../../src/renderer/src/form/sweep-section';
import { parameterRanges, type SweepSearch } from '../../src/renderer/src/form/random-search';
import { sampleValues } from '../../src/engine/sweep-sample';
import { catalog } from '../helpers/catalog';

const draft = setAt(initialDraft(catalog), ['agent'], { id: 'q-learning', alpha: 0.5, gamma: 0.99, epsilon: 0.1, initialQ: 0 });
const ranges = parameterRanges(catalog, draft);
const search: SweepSearch = { mode: 'random', trials: '5', seed: '3' };

describe('sweepOf, random search', () => {
  it('draws each row as the command draws its --sample, one value per trial, paired', () => {
    const rows = [
      { path: 'agent.alpha', kind: 'log' as const, lo: '0.001', hi: '1', values: '' },
      { path: 'agent.epsilon', kind: 'uniform' as const, lo: '0.01', hi: '0.3', values: '' },
      { path: 'agent.gamma', kind: 'choice' as const, values: '0.9, 0.99' },
      // Not typed yet: draws nothing.
      { path: 'agent.initialQ', kind: 'int' as const, values: '' },
    ];
    const expected = sampleValues(
      [
        { kind: 'log', lo: 0.001, hi: 1 },
        { kind: 'uniform', lo: 0.01, hi: 0.3 },
        { kind: 'choice', texts: ['0.9', '0.99'], values: [0.9, 0.99] },
      ],
      5,
      3,
    );
    expect(sweepOf(rows, search, ranges)).toEqual({
      sweep: [
        { path: 'agent.alpha', values: expected[0] },
        { path: 'agent.epsilon', values: expected[1] },
        { path: 'agent.gamma', values: expected[2] },
      ],
      rowOf: [0, 1, 2],
      problems: [],
      paired: true,
    });
    expect(sweepSummary(rows, { ...draft, seeds: 2 }, search)).toBe('5 experiments × 2 seeds = 10 runs');
  });

  it('says bad bounds under their row and bad trials under the section, drawing nothing then', () => {
    const row = (lo: string, hi: string, kind: 'uniform' | 'log' = 'uniform') => ({ path: 'agent.alpha', kind, lo, hi, values: '' });
    expect(sweepOf([row('0.5', '0.1')], search, ranges).problems).toEqual(['sweep[0]: the lower bound 0.5 must be below the upper bound 0.1']);
    expect(sweepOf([row('0', '1', 'log')], search, ranges).problems).toEqual([expect.stringMatching(/^sweep\[0\]: log-uniform needs a lower bound above 0/)]);
    expect(sweepOf([row('0.5', '2')], search, ranges).problems).toEqual(["sweep[0]: 2 is outside the parameter's range: it must be in (0, 1]"]);
    expect(sweepOf([row('0.5', '')], search, ranges).problems).toEqual(['sweep[0]: give both bounds']);
    const choice = { path: 'agent.gamma', kind: 'choice' as const, values: '0.9' };
    // Each choice checked against the range before any draw, as the bounds are, whether or not a trial draws it.
    expect(sweepOf([{ ...choice, path: 'agent.alpha', values: '0.3, 5' }], search, ranges).problems).toEqual(["sweep[0]: 5 is outside the parameter's range: it must be in (0, 1]"]);
    expect(sweepOf([{ ...choice, path: 'agent.alpha', values: '0.3, abc' }], search, ranges).problems).toEqual(['sweep[0]: "abc" is not a number: the parameter must be in (0, 1]']);
    expect(sweepOf([{ ...choice, path: 'agent.alpha', values: '0.3, 0.6' }], { ...search, trials: '2' }, ranges).problems).toEqual([]);
    expect(sweepOf([choice], search, ranges)).toMatchObject({ sweep: [], problems: [expect.stringMatching(/^sweep\[0\]: one value \(0\.9\) gives every trial the same/)] });
    // More trials than the rows can draw apart: under the trials, as `aisle run --trials` says it, drawing nothing.
    expect(sweepOf([{ ...choice, values: '0.9, 0.99' }], search, ranges)).toMatchObject({
      sweep: [],
      problems: ['sweep: trials: 5 is more than the 2 distinct values the row can draw: give 2 or fewer, or draw from more values (more choices, a wider range)'],
    });
    expect(sweepOf([{ ...choice, values: '0.9, 0.99' }, { path: 'agent.alpha', kind: 'int' as const, lo: '1', hi: '2', values: '' }], search, new Map()).problems).toEqual([expect.stringMatching(/^sweep: trials: 5 is more than the 4 distinct combinations the rows can draw: give 4 or fewer/)]);
    expect(sweepOf([{ ...choice, values: '0.9, 0.99, 0.999' }, { path: 'agent.alpha', kind: 'int' as const, lo: '1', hi: '2', values: '' }], search, new Map()).problems).toEqual([]);
    // A whole-number parameter drawn uniformly: nearly every draw (48.7) would fail in its own trial.
    const items = (lo: string, hi: string, kind: 'uniform' | 'log' | 'int') => ({ path: 'env.items', kind, lo, hi, values: '' });
    expect(sweepOf([items('10', '100', 'uniform')], search, ranges).problems).toEqual(['sweep[0]: the parameter takes whole numbers, which a uniform draw is not: choose integer to draw them from 10 to 100']);
    expect(sweepOf([items('10.2', '10.9', 'log')], search, ranges).problems).toEqual(['sweep[0]: the parameter takes whole numbers, which a log-uniform draw is not: give a range holding at least two whole numbers, with integer']);
    expect(sweepOf([items('10', '100', 'int')], search, ranges).problems).toEqual([]);
    const bad = sweepOf([row('0.1', '0.5')], { ...search, trials: '65' }, ranges);
    expect(bad).toMatchObject({ sweep: [], problems: ['sweep: trials: must be a whole number from 1 to 64, got "65"'] });
  });

  it('takes the search seed as `aisle run --search-seed` does: digits or exponent form up to 2,147,483,647, not another base', () => {
    const rows = [{ path: 'agent.alpha', kind: 'uniform' as const, lo: '0.1', hi: '0.5', values: '' }];
    const seedProblem = (seed: string) => sweepOf(rows, { ...search, seed }, ranges).problems;
    expect(seedProblem('16')).toEqual([]);
    expect(seedProblem(' 1e3 ')).toEqual([]);
    // "0x10" read as seed 16 by Number(), which the command refuses; past the largest, the range said whole.
    for (const seed of ['0x10', '0b1', '1.5', '-1', '2147483648']) expect(seedProblem(seed), seed).toEqual([`sweep: search seed: must be a whole number from 0 to 2,147,483,647, got "${seed}"`]);
  });
});
