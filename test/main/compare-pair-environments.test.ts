// A comparison whose groups run on different environments withholds the verdict of a pair on
// different environments, not of a pair that shares one: two cliff groups beside a shop group
// compare agents with each other. The whole comparison's "tasks" withheld every cell, the cliff
// pair's too, saying of it that "the groups run on different environments".
import { describe, expect, it } from 'vitest';
import { compareStatistics } from '../../src/main/service/compare-statistics';
import { cellVerdict, familyOutOfReachText, pairTest, withheldReasons, type ImprovementInput } from '../../src/shared/compare-text';
import type { CompareResult } from '../../src/shared/dto';

const TASKS = 'no verdict: the groups run on different environments, so this compares tasks, not agents';

/** Groups on these environments with these final values, the matrix as the service computes it. */
function comparison(groups: { env: string; values: number[] }[], withConfigs = true): ImprovementInput {
  const stats = compareStatistics({ band: 'ci95', seed: 0, series: groups.map(() => []), finals: groups.map((g) => Float64Array.from(g.values)), direction: 'higher' });
  return {
    groups: groups.map((g) => ({ final: { values: g.values }, ...(withConfigs ? { config: { env: { id: g.env }, agent: {}, episodes: 100 } } : {}) })) as unknown as CompareResult['groups'],
    improvement: stats.improvement,
    environments: { kind: 'tasks', ids: [...new Set(groups.map((g) => g.env))] },
    direction: 'higher',
  };
}

describe('verdicts across environments', () => {
  // Cliff A beats cliff B in every run (6 against 6: p = 2/924 = 0.0022); C is a shop.
  const groups = [
    { env: 'tabular-mdp', values: [-40, -41, -42, -43, -44, -45] },
    { env: 'tabular-mdp', values: [-70, -71, -72, -73, -74, -75] },
    { env: 'shop', values: [1, 2, 3, 4, 5, 6] },
  ];

  it('gives a pair on one environment its verdict, tested over the pairs that can get one', () => {
    const result = comparison(groups);
    expect(cellVerdict(result, 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(result, 1, 0)).toEqual({ verdict: 'worse' });
    const test = pairTest(result, 0, 1)!;
    expect(test.pairs).toBe(1);
    expect(test.mannWhitneyP).toBeCloseTo(2 / 924, 12);
    expect(test.holmP).toBeCloseTo(2 / 924, 12);
    expect(familyOutOfReachText(result)).toBeUndefined();
  });

  it('withholds the pairs on different environments, and says so once', () => {
    const result = comparison(groups);
    for (const [i, j] of [[0, 2], [2, 0], [1, 2], [2, 1]] as const) {
      expect(cellVerdict(result, i, j)).toEqual({ withheld: TASKS });
      expect(pairTest(result, i, j)).toBeUndefined();
    }
    expect(withheldReasons(result)).toEqual([TASKS]);
  });

  it('reads a result without its groups’ configs as the comparison says: every pair withheld', () => {
    const result = comparison(groups, false);
    expect(cellVerdict(result, 0, 1)).toEqual({ withheld: TASKS });
    expect(pairTest(result, 0, 1)).toBeUndefined();
  });
});
