// Compare's parameter study for a random search (src/shared/slice-study.ts), on comparisons built
// by hand: a grid (3 × 3, 2 × 2, one setting) keeps the grid's study and no slices; a search of two
// settings (8 sampled pairs), of three, and one with a choice of words gets a panel per numeric
// setting, by value, with the final-performance figures; the best group is the highest mean, named
// with its values; more than 6 settings are listed as not drawn.
import { describe, expect, it } from 'vitest';
import { studentTMeanCI } from '../../src/engine/stats';
import { finalPerformanceRows } from '../../src/shared/compare-text';
import type { CompareGroup, CompareResult } from '../../src/shared/dto';
import { parameterStudy, parameterStudyTexts, pointText } from '../../src/shared/parameter-study';
import { comparisonStudy, comparisonStudyJson, SLICE_PANELS, sliceBestText, sliceStudy, sliceStudyRows, sliceStudyText } from '../../src/shared/slice-study';

function group(agent: Record<string, unknown>, finals: readonly number[]): CompareGroup {
  const { mean, lo, hi } = studentTMeanCI(finals);
  return {
    runIds: finals.map((_, i) => i + 1),
    seeds: finals.map((_, i) => i),
    final: { values: [...finals], mean, meanLo: lo, meanHi: hi, iqm: mean, iqmLo: lo, iqmHi: hi },
    config: { env: { id: 'tabular-mdp', maxSteps: 200 }, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1, ...agent }, episodes: 300 },
  } as unknown as CompareGroup;
}

const compared = (groups: readonly CompareGroup[], differences: readonly string[]): Pick<CompareResult, 'groups' | 'differences'> => ({ groups, differences });

/** Final values that depend on the settings, so each group has its own mean. */
const finals = (alpha: number, epsilon: number) => [-30, -26, -28].map((s) => s + 10 * Math.log10(alpha) - 20 * epsilon);

// Eight (alpha, epsilon) pairs as a random search samples them: log-uniform alpha, uniform epsilon, no value shared.
const SEARCH: readonly [number, number][] = [
  [0.0123, 0.145],
  [0.31, 0.02],
  [0.0021, 0.27],
  [0.087, 0.061],
  [0.54, 0.19],
  [0.0047, 0.033],
  [0.026, 0.24],
  [0.19, 0.11],
];

describe('sliceStudy', () => {
  it('leaves a grid to the grid’s study: 3 × 3, 2 × 2, a partial grid and one setting make no slices', () => {
    const grid = [0.1, 0.3, 0.5].flatMap((alpha) => [0.05, 0.1, 0.2].map((epsilon) => group({ alpha, epsilon }, finals(alpha, epsilon))));
    const both = compared(grid, ['agent.alpha', 'agent.epsilon']);
    expect(sliceStudy(both)).toBeNull();
    expect(comparisonStudy(both)).toMatchObject({ kind: 'grid', x: 'agent.alpha', series: 'agent.epsilon' });
    expect(comparisonStudyJson(comparisonStudy(both))).toMatchObject({ kind: 'grid', x: 'agent.alpha', series: 'agent.epsilon', logScale: false });
    // A grid missing a cell: every epsilon still has two points or more.
    expect(sliceStudy(compared(grid.slice(0, 8), ['agent.alpha', 'agent.epsilon']))).toBeNull();
    const square = [0.1, 0.5].flatMap((alpha) => [0.05, 0.2].map((epsilon) => group({ alpha, epsilon }, finals(alpha, epsilon))));
    expect(comparisonStudy(compared(square, ['agent.alpha', 'agent.epsilon']))).toBeNull();
    const line = SEARCH.map(([alpha]) => group({ alpha }, finals(alpha, 0.1)));
    expect(sliceStudy(compared(line, ['agent.alpha']))).toBeNull();
    expect(comparisonStudy(compared(line, ['agent.alpha']))).toMatchObject({ kind: 'grid', x: 'agent.alpha', logScale: true });
  });

  it('makes no study, grid or slices, of groups on different environments: they compare tasks, and no "best" is named among them', () => {
    const grid = [0.1, 0.3, 0.5].map((alpha) => group({ alpha }, finals(alpha, 0.1)));
    const search = SEARCH.map(([alpha, epsilon]) => group({ alpha, epsilon }, finals(alpha, epsilon)));
    const tasks = { kind: 'tasks', ids: ['seed-toy', 'tabular-mdp', 'shop'] } as const;
    expect(comparisonStudy(compared(grid, ['agent.alpha']))).not.toBeNull();
    expect(comparisonStudy(compared(search, ['agent.alpha', 'agent.epsilon']))).not.toBeNull();
    expect(parameterStudy({ ...compared(grid, ['agent.alpha']), environments: tasks })).toBeNull();
    expect(sliceStudy({ ...compared(search, ['agent.alpha', 'agent.epsilon']), environments: tasks })).toBeNull();
    expect(comparisonStudy({ ...compared(search, ['agent.alpha', 'agent.epsilon']), environments: tasks })).toBeNull();
  });

  it('gives a 2-setting search of 8 a panel per setting, by value, with the table’s figures, and names the best', () => {
    const groups = SEARCH.map(([alpha, epsilon]) => group({ alpha, epsilon }, finals(alpha, epsilon)));
    const result = compared(groups, ['agent.alpha', 'agent.epsilon']);
    // The grid's study would be 8 lines of one point each: it steps aside.
    expect(parameterStudy(result)).toBeNull();
    const study = sliceStudy(result)!;
    expect(comparisonStudy(result)).toEqual(study);
    expect(study.panels.map((p) => [p.x, p.logScale])).toEqual([
      ['agent.alpha', true], // 0.0021 … 0.54: more than 2 decades
      ['agent.epsilon', false],
    ]);
    expect(study.leftOut).toEqual([]);
    for (const panel of study.panels) {
      expect(panel.points.map((p) => p.x)).toEqual([...panel.points.map((p) => p.x)].sort((a, b) => a - b));
      for (const p of panel.points) {
        const g = groups[p.group]!;
        expect(p.x).toBe((g.config.agent as Record<string, number>)[panel.x.slice('agent.'.length)]);
        expect(p).toMatchObject({ n: 3, mean: g.final.mean, lo: g.final.meanLo, hi: g.final.meanHi });
      }
    }
    // The best is the highest mean: alpha 0.31, epsilon 0.02 (B), above the largest alpha (E: 0.54, 0.19).
    const means = groups.map((g) => g.final.mean);
    expect(study.best).toBe(means.indexOf(Math.max(...means)));
    expect(study.best).toBe(1);
    expect(study.points.map((p) => p.mean)).toEqual([...means].sort((a, b) => b - a));
    const table = finalPerformanceRows(groups);
    expect(sliceBestText(study, groups)).toBe(`best: B, alpha=0.31, epsilon=0.02, mean ${table[1]![2]} ${table[1]![3]}`);
    expect(sliceStudyRows(study, groups)[0]).toEqual(['0.31', '0.02', 'B', '3', table[1]![2]!, table[1]![3]!]);
    expect(sliceStudyText(study, 'return', groups)).toContain('agent.alpha (log scale), agent.epsilon.');
  });

  it('draws a 3-setting search, which the grid’s study cannot hold at all', () => {
    const gammas = [0.9, 0.99, 0.95, 0.97, 0.91, 0.999, 0.93, 0.98];
    const groups = SEARCH.map(([alpha, epsilon], i) => group({ alpha, epsilon, gamma: gammas[i] }, finals(alpha, epsilon)));
    const result = compared(groups, ['agent.alpha', 'agent.epsilon', 'agent.gamma']);
    expect(parameterStudy(result)).toBeNull();
    const study = sliceStudy(result)!;
    expect(study.panels.map((p) => p.x)).toEqual(['agent.alpha', 'agent.epsilon', 'agent.gamma']);
    expect(study.panels.every((p) => p.points.length === 8)).toBe(true);
    expect(sliceBestText(study, groups)).toMatch(/^best: B, alpha=0\.31, epsilon=0\.02, gamma=0\.99, mean /);
    // A 3 × 3 × 3 grid is no 2-D picture either: its slices stack at the 3 values.
    const cube = [0.1, 0.3, 0.5].flatMap((alpha) => [0.05, 0.1, 0.2].flatMap((epsilon) => [0.9, 0.95, 0.99].map((gamma) => group({ alpha, epsilon, gamma }, finals(alpha, epsilon)))));
    expect(sliceStudy(compared(cube, ['agent.alpha', 'agent.epsilon', 'agent.gamma']))!.panels.map((p) => new Set(p.points.map((q) => q.x)).size)).toEqual([3, 3, 3]);
  });

  it('leaves a choice of words out of the panels with a note, keeping it in the table; past 6 settings, panels stop', () => {
    const ids = ['sarsa', 'q-learning', 'expected-sarsa', 'q-learning', 'sarsa', 'q-learning', 'sarsa', 'expected-sarsa'];
    const groups = SEARCH.map(([alpha, epsilon], i) => group({ id: ids[i], alpha, epsilon }, finals(alpha, epsilon)));
    const study = sliceStudy(compared(groups, ['agent.alpha', 'agent.epsilon', 'agent.id']))!;
    expect(study.panels.map((p) => p.x)).toEqual(['agent.alpha', 'agent.epsilon']);
    expect(study.leftOut).toEqual([{ path: 'agent.id', why: 'words' }]);
    expect(sliceStudyRows(study, groups)[0]!.slice(0, 3)).toEqual(['0.31', '0.02', 'q-learning']);
    expect(sliceStudyText(study, 'return', groups)).toContain('agent.id not drawn (not a number in every group');

    // A search of words alone has nothing to draw.
    const words = ['sarsa', 'q-learning', 'expected-sarsa'].map((id, i) => group({ id, schedule: ['constant', 'linear', 'cosine'][i] }, [-30 - i]));
    expect(sliceStudy(compared(words, ['agent.id', 'agent.schedule']))).toBeNull();

    const paths = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const many = [0, 1, 2].map((i) => group(Object.fromEntries(paths.map((p, j) => [p, i * 10 + j + 1])), [-30 + i]));
    const wide = sliceStudy(compared(many, paths.map((p) => `agent.${p}`)))!;
    expect(wide.panels).toHaveLength(SLICE_PANELS);
    expect(wide.leftOut).toEqual([{ path: 'agent.g', why: 'panels' }]);
    expect(wide.best).toBe(2);
  });
});

describe('a group whose runs lack final values', () => {
  // Two of a group's three runs have no value in their final window (NaN, null once sent as JSON):
  // its mean and interval are one run's, so the studies write "n/a (1 run)" as the final-performance
  // table does, not an interval over three runs that were never counted.
  function thinned(agent: Record<string, unknown>, finals: readonly number[]): CompareGroup {
    const g = group(agent, finals.slice(0, 1));
    return { ...g, runIds: [1, 2, 3], seeds: [0, 1, 2], final: { ...g.final, values: [finals[0]!, NaN, null] } } as unknown as CompareGroup;
  }

  it('counts the runs with a value in the slice study and the parameter study', () => {
    const search = SEARCH.map(([alpha, epsilon], i) => (i === 0 ? thinned : group)({ alpha, epsilon }, finals(alpha, epsilon)));
    const slices = sliceStudy(compared(search, ['agent.alpha', 'agent.epsilon']))!;
    const row = sliceStudyRows(slices, search).find((r) => r.includes('A'))!;
    expect(row[row.length - 1]).toBe('n/a (1 run)');
    const grid = [0.1, 0.3, 0.5].map((alpha, i) => (i === 1 ? thinned : group)({ alpha }, finals(alpha, 0.1)));
    const study = parameterStudy(compared(grid, ['agent.alpha']))!;
    const texts = parameterStudyTexts(study, grid);
    expect(texts.map((t) => t.interval)).toEqual([expect.stringMatching(/^\[/), 'n/a (1 run)', expect.stringMatching(/^\[/)]);
  });
});

describe("a study point's hover text", () => {
  it('says its runs once: an interval of "n/a (…)" says them already', () => {
    expect(pointText('-12.3', '[-14.1, -10.5]', 5)).toBe('-12.3 [-14.1, -10.5] (5 runs)');
    expect(pointText('-7', 'n/a (1 run)', 1)).toBe('-7 n/a (1 run)');
    expect(pointText('1.000', 'n/a (all 5 runs equal)', 5)).toBe('1.000 n/a (all 5 runs equal)');
  });
});
