// New experiment's Sweep, a grid row's values checked by the form against their parameter's range:
// while the draft has a problem of its own the service checks no sweep, and `episodes = 300, 1e9`
// read "2 experiments × 5 seeds = 10 runs" with no word under the row until that problem was fixed.
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { SWEEP_NOT_COUNTED, sweepOf, sweepSummary } from '../../src/renderer/src/form/sweep-section';
import { GRID, parameterRanges } from '../../src/renderer/src/form/random-search';
import { placeProblems } from '../../src/renderer/src/form/problems';
import { catalog } from '../helpers/catalog';

// alpha 7: the draft's own problem, which the service stops at.
const draft = setAt(setAt(initialDraft(catalog), ['agent'], { id: 'q-learning', alpha: 7, gamma: 0.99, epsilon: 0.1, initialQ: 0 }), ['seeds'], 5);
const ranges = parameterRanges(catalog, draft);

describe('sweepOf, a grid row checked against its parameter range', () => {
  it('says a value out of range or not a number under its row, and sends only the rows that read', () => {
    const rows = [
      { path: 'episodes', values: '300, 1e9' },
      { path: 'agent.gamma', values: '0.9, 0.99' },
      { path: 'agent.alpha', values: '0.1, abc' },
    ];
    const { sweep, rowOf, problems } = sweepOf(rows, GRID, ranges);
    // In the service's words, a line per value, as it says them once the draft's own problem is fixed.
    expect(problems).toEqual([
      'sweep[0]: episodes = 1000000000: must be a whole number in [1, 100,000,000], got 1,000,000,000',
      'sweep[2]: alpha = abc: must be a number in (0, 1], got "abc"',
    ]);
    expect(sweep).toEqual([{ path: 'agent.gamma', values: [0.9, 0.99] }]);
    expect(rowOf).toEqual([1]);
  });

  it('says a fraction where the parameter takes whole numbers', () => {
    expect(sweepOf([{ path: 'episodes', values: '300, 2.5, 0' }], GRID, ranges).problems).toEqual([
      'sweep[0]: episodes = 2.5: must be a whole number in [1, 100,000,000], got 2.5',
      'sweep[0]: episodes = 0: must be a whole number in [1, 100,000,000], got 0',
    ]);
    expect(sweepOf([{ path: 'agent.initialQ', values: '0, 1e300' }], GRID, ranges).problems).toEqual(['sweep[0]: initialQ = 1e+300: must be a number in [-1,000,000, 1,000,000], got 1e+300']);
  });

  it('leaves values in range as they were, and a parameter without a known range (a schedule or a choice) to the service', () => {
    expect(sweepOf([{ path: 'episodes', values: '300, 600' }], GRID, ranges)).toEqual({ sweep: [{ path: 'episodes', values: [300, 600] }], rowOf: [0], problems: [], paired: false });
    expect(sweepOf([{ path: 'agent.epsilon.end', values: '0.01, 0.05' }], GRID, ranges).problems).toEqual([]);
  });
});

describe('sweepSummary, while the draft has a problem of its own', () => {
  it('counts no runs the rows would be refused, as the screen places the form’s problems under the rows', () => {
    const rows = [
      { path: 'episodes', values: '300, 1e9' },
      { path: 'agent.gamma', values: '0.9, 0.99' },
    ];
    // The screen's problems: the form's own sweep problems, then the service's (alpha's, the draft's own).
    const { problems } = sweepOf(rows, GRID, ranges);
    const placed = placeProblems([...problems, 'agent.alpha: must be in (0, 1]'], ['agent.alpha', 'sweep', 'sweep[0]', 'sweep[1]']);
    expect(placed.byField.get('sweep[0]')).toEqual(['episodes = 1000000000: must be a whole number in [1, 100,000,000], got 1,000,000,000']);
    expect(sweepSummary(rows, draft, GRID, placed.byField)).toBe(SWEEP_NOT_COUNTED);
    // Fixed, the rows count again.
    const fixed = [{ ...rows[0]!, values: '300, 600' }, rows[1]!];
    const again = placeProblems([...sweepOf(fixed, GRID, ranges).problems, 'agent.alpha: must be in (0, 1]'], ['agent.alpha', 'sweep', 'sweep[0]', 'sweep[1]']);
    expect(sweepSummary(fixed, draft, GRID, again.byField)).toBe('4 experiments × 5 seeds = 20 runs');
  });
});

describe('parameterRanges', () => {
  it("holds episodes' range, so a random search's bounds for episodes are checked as the agent's are", () => {
    expect(ranges.get('episodes')).toMatchObject({ integer: true, minimum: 1 });
    const search = { mode: 'random' as const, trials: '4', seed: '1' };
    expect(sweepOf([{ path: 'episodes', kind: 'uniform', lo: '100', hi: '1e9', values: '' }], search, ranges).problems).toEqual([
      expect.stringMatching(/^sweep\[0\]: 1000000000 is outside the parameter's range/),
    ]);
  });
});
