// New experiment's Sweep, a grid row's values checked by the form against their parameter's range:
// while the draft has a problem of its own the service checks no sweep, and `episodes = 300, 1e9`
// read "2 experiments × 5 seeds = 10 runs" with no word under the row until that problem was fixed.
import { describe, expect, it } from 'vitest';
import { initialDraft, setAt } from '../../src/renderer/src/form/draft';
import { SWEEP_NOT_COUNTED, sweepOf, sweepSummary } from '../../src/renderer/src/form/sweep-section';
import { GRID, parameterRanges } from '../../src/renderer/src/form/random-search';
import { parameterChecks } from '../../src/renderer/src/form/sweep-checks';
import { placeProblems } from '../../src/renderer/src/form/problems';
import { catalog } from '../helpers/catalog';

// alpha 7: the draft's own problem, which the service stops at.
const draft = setAt(setAt(initialDraft(catalog), ['agent'], { id: 'q-learning', alpha: 7, gamma: 0.99, epsilon: 0.1, initialQ: 0 }), ['seeds'], 5);
const ranges = parameterRanges(catalog, draft);
const checks = parameterChecks(catalog, draft);

describe('sweepOf, a grid row checked against its parameter range', () => {
  it('says a value out of range or not a number under its row, and sends only the rows that read', () => {
    const rows = [
      { path: 'episodes', values: '300, 1e9' },
      { path: 'agent.gamma', values: '0.9, 0.99' },
      { path: 'agent.alpha', values: '0.1, abc' },
    ];
    const { sweep, rowOf, problems } = sweepOf(rows, GRID, ranges, checks);
    // In the service's words, a line per value, as it says them once the draft's own problem is fixed.
    expect(problems).toEqual([
      'sweep[0]: episodes = 1000000000: must be a whole number in [1, 100,000,000], got 1,000,000,000',
      'sweep[2]: alpha = abc: must be a number in (0, 1], got "abc"',
    ]);
    expect(sweep).toEqual([{ path: 'agent.gamma', values: [0.9, 0.99] }]);
    expect(rowOf).toEqual([1]);
  });

  it('says a fraction where the parameter takes whole numbers', () => {
    expect(sweepOf([{ path: 'episodes', values: '300, 2.5, 0' }], GRID, ranges, checks).problems).toEqual([
      'sweep[0]: episodes = 2.5: must be a whole number in [1, 100,000,000], got 2.5',
      'sweep[0]: episodes = 0: must be a whole number in [1, 100,000,000], got 0',
    ]);
    expect(sweepOf([{ path: 'agent.initialQ', values: '0, 1e300' }], GRID, ranges, checks).problems).toEqual(['sweep[0]: initialQ = 1e+300: must be a number in [-1,000,000, 1,000,000], got 1e+300']);
  });

  it('leaves values in range as they were', () => {
    expect(sweepOf([{ path: 'episodes', values: '300, 600' }], GRID, ranges, checks)).toEqual({ sweep: [{ path: 'episodes', values: [300, 600] }], rowOf: [0], problems: [], paired: false });
  });
});

describe('sweepSummary, while the draft has a problem of its own', () => {
  it('counts no runs the rows would be refused, as the screen places the form’s problems under the rows', () => {
    const rows = [
      { path: 'episodes', values: '300, 1e9' },
      { path: 'agent.gamma', values: '0.9, 0.99' },
    ];
    // The screen's problems: the form's own sweep problems, then the service's (alpha's, the draft's own).
    const { problems } = sweepOf(rows, GRID, ranges, checks);
    const placed = placeProblems([...problems, 'agent.alpha: must be in (0, 1]'], ['agent.alpha', 'sweep', 'sweep[0]', 'sweep[1]']);
    expect(placed.byField.get('sweep[0]')).toEqual(['episodes = 1000000000: must be a whole number in [1, 100,000,000], got 1,000,000,000']);
    expect(sweepSummary(rows, draft, GRID, placed.byField)).toBe(SWEEP_NOT_COUNTED);
    // Fixed, the rows count again.
    const fixed = [{ ...rows[0]!, values: '300, 600' }, rows[1]!];
    const again = placeProblems([...sweepOf(fixed, GRID, ranges, checks).problems, 'agent.alpha: must be in (0, 1]'], ['agent.alpha', 'sweep', 'sweep[0]', 'sweep[1]']);
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

// The starter's shop (exact) with Q-learning on an ε schedule from 0.5 to 0.05, alpha 7 its own problem.
const starter = setAt(setAt(setAt(initialDraft(catalog), ['agent', 'alpha'], 7), ['agent', 'epsilon'], { start: 0.5, end: 0.05, decayEpisodes: 100 }), ['seeds'], 5);
const grid = (draft: typeof starter, path: string, values: string) => sweepOf([{ path, values }], GRID, parameterRanges(catalog, draft), parameterChecks(catalog, draft));

describe('sweepOf, a grid row of a choice, a switch, a number or null, ε and its schedule', () => {
  it("says a value not among a choice's options, or not true or false, as the service does, and sends nothing", () => {
    expect(grid(starter, 'env.ranking', 'quality, best, 3')).toEqual({
      sweep: [],
      rowOf: [],
      problems: ['sweep[0]: ranking = best: must be one of "attractiveness", "quality", got "best"', 'sweep[0]: ranking = 3: must be one of "attractiveness", "quality", got 3'],
      paired: false,
    });
    expect(grid(starter, 'env.observeSegment', 'true, yes, null').problems).toEqual(['sweep[0]: observeSegment = yes: must be true or false, got "yes"', 'sweep[0]: observeSegment = null: must be true or false, got null']);
    expect(grid(starter, 'env.ranking', 'quality, attractiveness')).toMatchObject({ sweep: [{ path: 'env.ranking', values: ['quality', 'attractiveness'] }], problems: [] });
  });

  it("says shiftAt's value that is neither a whole number in range nor null: the number's words out of range, the union's otherwise", () => {
    // Outside the exact mode: the starter's shop is exact, which refuses any shiftAt but null (its own line, below).
    expect(grid(setAt(starter, ['env', 'exact'], false), 'env.shiftAt', 'null, 2000, 1e9, 2.5, abc').problems).toEqual([
      'sweep[0]: shiftAt = 1000000000: must be a whole number in [0, 100,000,000], got 1,000,000,000',
      'sweep[0]: shiftAt = 2.5: must be a whole number in [0, 100,000,000] or null, got 2.5',
      'sweep[0]: shiftAt = abc: must be a whole number in [0, 100,000,000] or null, got "abc"',
    ]);
    expect(grid(starter, 'env.shiftAt', 'null, 2000').problems).toEqual([
      'sweep[0]: shiftAt = 2000: the exact mode needs shiftAt null (a shift changes the dynamics with the episode): set shiftAt to null or exact to false',
    ]);
  });

  it("says ε's constant given a text as the union does, and a schedule's field out of range or making ε rise", () => {
    expect(grid(starter, 'agent.epsilon', '0.1, abc').problems).toEqual(['sweep[0]: epsilon = abc: must be a number in [0, 1] or a schedule { "start", "end", "decayEpisodes" }, got "abc"']);
    expect(grid(starter, 'agent.epsilon.end', '0.01, 2, 0.9').problems).toEqual([
      'sweep[0]: epsilon.end = 2: must be a number in [0, 1], got 2',
      'sweep[0]: epsilon.end = 0.9: must not exceed start (0.5), got 0.9: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)',
    ]);
    // The rise is end's problem, said as the service says it under start's row (its field named).
    expect(grid(starter, 'agent.epsilon.start', '0.9, 0.01').problems).toEqual([
      'sweep[0]: epsilon.start = 0.01: agent.epsilon.end: must not exceed start (0.01), got 0.05: ε falls from start to end, so lower end or raise start (for a fixed rate choose constant)',
    ]);
    expect(grid(starter, 'agent.epsilon.decayEpisodes', '5, 0').problems).toEqual(['sweep[0]: epsilon.decayEpisodes = 0: must be a whole number ≥ 1, got 0']);
    // A draft whose schedule already rises has that problem on its own field: not the row's.
    const rising = setAt(starter, ['agent', 'epsilon'], { start: 0.01, end: 0.05, decayEpisodes: 100 });
    expect(grid(rising, 'agent.epsilon.decayEpisodes', '5, 10').problems).toEqual([]);
  });

  it("says a random search's choice such a parameter cannot take before any draw, as a number's is", () => {
    const search = { mode: 'random' as const, trials: '2', seed: '1' };
    const rows = (path: string, values: string) => [{ path, kind: 'choice' as const, values }];
    const draw = (path: string, values: string) => sweepOf(rows(path, values), search, parameterRanges(catalog, starter), parameterChecks(catalog, starter));
    expect(draw('env.ranking', 'quality, best, best')).toEqual({ sweep: [], rowOf: [], problems: ['sweep[0]: ranking = best: must be one of "attractiveness", "quality", got "best"'], paired: true });
    expect(draw('env.shiftAt', 'null, 2.5').problems).toEqual(['sweep[0]: shiftAt = 2.5: must be a whole number in [0, 100,000,000] or null, got 2.5']);
    expect(draw('agent.epsilon.end', '0.01, 0.9').problems).toEqual([expect.stringMatching(/^sweep\[0\]: epsilon\.end = 0\.9: must not exceed start \(0\.5\)/)]);
    expect(draw('env.ranking', 'quality, attractiveness')).toMatchObject({ problems: [], sweep: [{ path: 'env.ranking' }] });
  });

  it('says a row left on a parameter the draft no longer has once, for all its values, as the service does', () => {
    const toy = setAt(starter, ['env'], { id: 'seed-toy' });
    expect(grid(toy, 'env.ranking', 'quality, attractiveness')).toEqual({
      sweep: [],
      rowOf: [],
      problems: ['sweep[0]: ranking (both values): environment seed-toy has no parameter "ranking": its parameters are states, actions, stepsPerEpisode'],
      paired: false,
    });
    expect(grid(setAt(starter, ['agent', 'epsilon'], 0.1), 'agent.epsilon.end', '0.01, 0.02, 0.03').problems).toEqual([
      'sweep[0]: epsilon.end (all 3 values): agent.epsilon: is 0.1 in the experiment, not an object with fields: sweep agent.epsilon itself',
    ]);
  });

  it('counts no runs while such a row has a problem, the draft having its own', () => {
    const rows = [{ path: 'env.ranking', values: 'quality, best' }];
    const placed = placeProblems([...grid(starter, 'env.ranking', 'quality, best').problems, 'agent.alpha: must be in (0, 1]'], ['agent.alpha', 'sweep', 'sweep[0]']);
    expect(sweepSummary(rows, starter, GRID, placed.byField)).toBe(SWEEP_NOT_COUNTED);
  });
});
