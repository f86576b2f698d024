// When Compare's improvement matrix colours a cell better or worse (app and CLI alike): never for a
// group of one run, across environments, when the exact test cannot reach the interval's level, or
// when a group has fewer than 5 runs (the bootstrap interval is too narrow there); and a one-run
// group's interval, which does not exist, is written "n/a (1 run)".
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import {
  cellVerdict,
  familyOutOfReachText,
  finalPerformanceRows,
  improvementCellText,
  pairedProbability,
  pairTest,
  probabilityTexts,
  verdictWithheld,
  withheldReasons,
  type ImprovementInput,
} from '../../src/shared/compare-text';
import { decimalsOfLargest, estimateColumns, estimateTexts, intervalText, meanAndInterval, sameDecimals } from '../../src/shared/figures';
import type { CompareResult } from '../../src/shared/dto';

/** Two groups of a and b runs whose P(A > B) interval is [lo, hi], and whose test gives p = 0.001 (a lone pair: no correction). */
function result(a: number, b: number, lo: number, hi: number, environments?: CompareResult['environments']): Pick<CompareResult, 'groups' | 'improvement' | 'environments'> {
  const group = (n: number) => ({ final: { values: Array.from({ length: n }, (_, i) => i) } }) as unknown as CompareResult['groups'][number];
  return {
    groups: [group(a), group(b)],
    improvement: [
      [{ p: 0.5, lo: 0.5, hi: 0.5 }, { p: (lo + hi) / 2, lo, hi, mannWhitneyP: 0.001 }],
      [{ p: 1 - (lo + hi) / 2, lo: 1 - hi, hi: 1 - lo, mannWhitneyP: 0.001 }, { p: 0.5, lo: 0.5, hi: 0.5 }],
    ],
    ...(environments ? { environments } : {}),
  };
}

describe('the improvement verdict', () => {
  it('calls a separated interval better or worse when the groups are large enough and share an environment', () => {
    expect(cellVerdict(result(10, 10, 0.6, 1), 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(result(10, 10, 0.6, 1), 1, 0)).toEqual({ verdict: 'worse' });
    expect(cellVerdict(result(10, 10, 0.3, 0.8), 0, 1)).toEqual({});
    // Different settings of one environment still compare agents.
    expect(cellVerdict(result(5, 5, 1, 1, { kind: 'settings', paths: ['env.maxSteps'] }), 0, 1)).toEqual({ verdict: 'better' });
  });

  it('gives none for one run against two on different environments (the review’s [1, 1] cell), and says why', () => {
    const oneRun = cellVerdict(result(1, 2, 1, 1, { kind: 'tasks', ids: ['shop', 'tabular-mdp'] }), 0, 1);
    expect(oneRun.verdict).toBeUndefined();
    expect(oneRun.withheld).toBe('no verdict: a group has 1 run, too few to tell a difference from chance');
    const tasks = cellVerdict(result(10, 10, 1, 1, { kind: 'tasks', ids: ['shop', 'tabular-mdp'] }), 1, 0);
    expect(tasks).toEqual({ withheld: 'no verdict: the groups run on different environments, so this compares tasks, not agents' });
  });

  it('gives none when even a complete separation would not reach the 5 % level (two-sided exact Mann–Whitney, 2 / C(a + b, a))', () => {
    // 3 against 3: 2/20 = 0.1; 3 against 4: 2/35 ≈ 0.057; 2 against 7: 2/36 ≈ 0.056.
    expect(verdictWithheld(3, 3)).toBe(
      'no verdict: 3 against 3 runs cannot reach the 5 % level; even if every run of one group beat every run of the other, the exact two-sided Mann–Whitney p would be 0.100',
    );
    expect(verdictWithheld(4, 3)).toContain('p would be 0.057');
    expect(verdictWithheld(2, 7)).toContain('p would be 0.056');
    expect(cellVerdict(result(3, 3, 1, 1), 0, 1).verdict).toBeUndefined();
  });

  it('gives none below 5 runs a group, where the bootstrap interval of P(X > Y) is too narrow, though the exact test could reach 5 %', () => {
    // 4 against 4: 2/70 ≈ 0.029; 3 against 5: 2/56 ≈ 0.036; 2 against 8: 2/45 ≈ 0.044. With no real
    // difference, their bootstrap intervals read better or worse in 6 % (4 against 4) to 14 % (2 against 8) of simulated comparisons.
    const tooFew = 'no verdict: 4 against 4 runs is too few for the bootstrap interval; with fewer than 5 runs in a group it read better or worse in 6–14 % of simulated comparisons with no real difference, not 5 %';
    expect(verdictWithheld(4, 4)).toBe(tooFew);
    expect(verdictWithheld(5, 3)).toContain('5 against 3 runs is too few for the bootstrap interval');
    expect(verdictWithheld(2, 8)).toContain('2 against 8 runs is too few');
    expect(verdictWithheld(4, 30)).toContain('4 against 30 runs is too few');
    expect(cellVerdict(result(4, 4, 1, 1), 0, 1)).toEqual({ withheld: tooFew });
    expect(verdictWithheld(5, 5)).toBeUndefined();
    expect(verdictWithheld(5, 30)).toBeUndefined();
    expect(cellVerdict(result(5, 5, 1, 1), 0, 1)).toEqual({ verdict: 'better' });
  });
});

/** Groups of these final values, every pair's interval [lo, hi] as `intervals` gives it (P(row > column), its mirror below), the test from the values (as a comparison stored before mannWhitneyP). */
function matrix(values: number[][], intervals: (i: number, j: number) => [number, number] = () => [1, 1]): ImprovementInput {
  const groups = values.map((v) => ({ final: { values: v } })) as unknown as CompareResult['groups'];
  const improvement = values.map((_, i) =>
    values.map((__, j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5 };
      const [lo, hi] = i < j ? intervals(i, j) : intervals(j, i).map((x) => 1 - x).reverse();
      return { p: (lo! + hi!) / 2, lo: lo!, hi: hi! };
    }),
  );
  return { groups, improvement };
}

const runs = (from: number, n = 5) => Array.from({ length: n }, (_, k) => from + k);

describe('the verdicts across the matrix: the pair’s Mann–Whitney test after Holm’s correction', () => {
  it('gives a verdict where the corrected p is below 0.05: 3 groups of 5, A above B and C (p = 2/252 each, 0.024 after the correction)', () => {
    const r = matrix([runs(10), runs(0), runs(0)], (i) => (i === 0 ? [1, 1] : [0.3, 0.7]));
    expect(cellVerdict(r, 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(r, 2, 0)).toEqual({ verdict: 'worse' });
    expect(cellVerdict(r, 1, 2)).toEqual({});
    // Sorted 2/252, 2/252, 1: times 3, then 2 (kept at the 3 before it), then 1.
    expect(pairTest(r, 0, 1)).toEqual({ mannWhitneyP: expect.closeTo(2 / 252, 14), holmP: expect.closeTo(6 / 252, 14), pairs: 3 });
    expect(pairTest(r, 2, 0)!.holmP).toBeCloseTo(6 / 252, 14);
    expect(pairTest(r, 1, 2)).toEqual({ mannWhitneyP: 1, holmP: 1, pairs: 3 });
    expect(familyOutOfReachText(r)).toBeUndefined();
    expect(withheldReasons(r)).toEqual([]);
  });

  it('withholds it where only the interval calls it, saying the p-value, the corrected one and the pairs; and says when no pair of the matrix can reach 5 %', () => {
    // 5 groups of 5: 10 pairs, Holm's first step needs p < 0.005, and 5 against 5 can give no less than 2/252 = 0.0079.
    const r = matrix([runs(10), runs(0), runs(0), runs(0), runs(0)], (i) => (i === 0 ? [1, 1] : [0.3, 0.7]));
    const reason = "no verdict: p = 0.0079, 0.079 after Holm's correction over 10 pairs (two-sided Mann–Whitney), not below 0.05";
    expect(cellVerdict(r, 0, 1)).toEqual({ withheld: reason });
    expect(improvementCellText(r, 0, 1)).toBe('1 [1, 1] no verdict');
    expect(cellVerdict(r, 1, 2)).toEqual({});
    const outOfReach =
      "No verdict is possible in this matrix: 10 pairs of groups can get one, and Holm's correction over them needs some pair's p below 0.005, but even if every run of one group " +
      'beat every run of the other, 5 against 5 runs would give p = 0.0079 (two-sided exact Mann–Whitney). Compare at most 4 groups at once (with 5 runs each), or give each group 6+ seeds.';
    expect(familyOutOfReachText(r)).toBe(outOfReach);
    expect(withheldReasons(r)).toEqual([
      outOfReach,
      "no verdict for A–B (p = 0.0079, 0.079 after the correction), A–C (p = 0.0079, 0.079 after the correction), A–D (p = 0.0079, 0.079 after the correction), A–E (p = 0.0079, 0.079 after the correction): " +
        "the interval lies on one side of ½, but the two-sided Mann–Whitney test is not below 0.05 after Holm's correction over the 10 pairs that can get a verdict",
    ]);
    // Ten groups of 7 runs can: 2 / C(14, 7) = 0.00058 against 0.05 / 45 = 0.0011.
    expect(familyOutOfReachText(matrix(Array.from({ length: 10 }, (_, g) => runs(10 * g, 7))))).toBeUndefined();
    expect(familyOutOfReachText(matrix(Array.from({ length: 10 }, (_, g) => runs(10 * g, 6))))).toMatch(/45 pairs .* p below 0.0011, .* 6 against 6 runs would give p = 0.0022 .* at most 7 groups at once \(with 6 runs each\), or give each group 7\+ seeds/);
    // One group of 6 beside nine of 5: the best pair, 5 against 6 (2 / C(11, 5) = 0.0043), could reach
    // Holm's first step among 5 groups (10 pairs, 0.005), but groups of 5 runs each only among 4, as
    // the seeds advice says (mostGroupsForVerdicts(5)); the text once said 5.
    const mixed = familyOutOfReachText(matrix(Array.from({ length: 10 }, (_, g) => runs(10 * g, g === 0 ? 6 : 5))));
    expect(mixed).toMatch(/5 against 6 runs would give p = 0.0043 .* Compare at most 4 groups at once \(with 5 runs each\)/);
  });

  it('tests a lone pair at 0.05 itself, and counts in the correction only the pairs that can get a verdict (not one with a group of 3 runs)', () => {
    // 5 against 5 with one pair of runs crossing: U = 24 of 25, p = 4/252 = 0.016.
    const close = matrix([[1, 2, 3, 4, 6], [0, 1.5, 0.5, -1, -2]]);
    expect(pairTest(close, 0, 1)).toEqual({ mannWhitneyP: expect.closeTo(4 / 252, 14), holmP: expect.closeTo(4 / 252, 14), pairs: 1 });
    expect(cellVerdict(close, 0, 1)).toEqual({ verdict: 'better' });
    // A third group of 3 runs adds no pair to the family: A against B is still tested alone.
    const withSmall = matrix([[1, 2, 3, 4, 6], [0, 1.5, 0.5, -1, -2], [7, 8, 9]]);
    expect(pairTest(withSmall, 0, 1)!.pairs).toBe(1);
    expect(pairTest(withSmall, 0, 2)).toBeUndefined();
    expect(cellVerdict(withSmall, 0, 1)).toEqual({ verdict: 'better' });
    // An interval on one side of ½ at U = 21 of 25 (as a bootstrap may give it) and p = 24/252 = 0.095 (scipy's exact p): no verdict.
    const loose = matrix([[1, 2, 3, 4, 6], [0, 5, 0.5, -1, -2]]);
    expect(cellVerdict(loose, 0, 1).withheld).toBe('no verdict: p = 0.095 (two-sided Mann–Whitney), not below 0.05');
    expect(withheldReasons(loose)).toEqual(['no verdict for A–B (p = 0.095): the interval lies on one side of ½, but the two-sided Mann–Whitney test is not below 0.05']);
  });

  it('holds the chance of any false verdict among 10 groups of 10 runs with no real difference at 5 %, where testing each pair at 5 % gives one in most matrices', () => {
    // Every interval set to [1, 1] so that the test alone decides (a verdict needs both): 400
    // matrices of normal scores from the engine's generator; standard error about 1.1 % at 5 %.
    const data = new Rng(2026, Stream.env);
    let corrected = 0;
    let uncorrected = 0;
    for (let trial = 0; trial < 400; trial++) {
      const r = matrix(Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => data.normal())));
      let any = false;
      let anyRaw = false;
      for (let i = 0; i < 10; i++) {
        for (let j = i + 1; j < 10; j++) {
          if (cellVerdict(r, i, j).verdict) any = true;
          if (pairTest(r, i, j)!.mannWhitneyP < 0.05) anyRaw = true;
        }
      }
      if (any) corrected++;
      if (anyRaw) uncorrected++;
    }
    expect(corrected / 400).toBeLessThan(0.08);
    expect(uncorrected / 400).toBeGreaterThan(0.5);
  });
});

describe('intervalText', () => {
  it('writes a one-run group’s zero-width interval as n/a, and any other as [lo, hi]', () => {
    const f = (x: number) => x.toFixed(1);
    expect(intervalText(-37.7, -37.7, 1, f)).toBe('n/a (1 run)');
    expect(intervalText(0, 0, 0, f)).toBe('n/a (0 runs)');
    expect(intervalText(-40, -35.25, 2, f)).toBe('[-40.0, -35.3]');
  });
});

describe('sameDecimals and estimateTexts', () => {
  it('write a value and its interval with the same decimals, 3 (more below 1), dropping only the zeros all of them end in', () => {
    // The interval that read [-34.834, -28.5904] and the screen's 3 decimals against the report's 4 significant digits.
    expect(estimateTexts(-31.2, -34.834, -28.59043, 5)).toEqual(['-31.200', '[-34.834, -28.590]']);
    expect(estimateTexts(-52.33667, -56.54667, -46.20333, 5)).toEqual(['-52.337', '[-56.547, -46.203]']);
    expect(sameDecimals([-50, -52.5, -47.25])).toEqual(['-50.00', '-52.50', '-47.25']);
    expect(sameDecimals([-50, -52, -48])).toEqual(['-50', '-52', '-48']);
    // Below 1, two significant digits: the most precise value sets the decimals for all.
    expect(sameDecimals([0.5, 0.00042, 0.91])).toEqual(['0.50000', '0.00042', '0.91000']);
    expect(sameDecimals([12_345.6789, 12_000.1, 13_000])).toEqual(['12,345.679', '12,000.100', '13,000.000']);
    expect(estimateTexts(-37.71234, -37.71234, -37.71234, 1)).toEqual(['-37.712', 'n/a (1 run)']);
  });
  it('give a column of estimates and their intervals one number of decimals, a group of one run included', () => {
    // A's interval reaches near 0 and asks for 4 decimals; B, one run, has no interval to ask, and read "2.718".
    const final = (mean: number, lo: number | null, hi: number | null, runs: number) => ({ values: Array<number>(runs).fill(mean), mean, iqm: mean, meanLo: lo, meanHi: hi, iqmLo: lo, iqmHi: hi });
    const groups = [
      { runIds: [1, 2, 3, 4, 5], seeds: [0, 1, 2, 3, 4], final: final(0.51234, -0.00421, 1.02, 5) },
      { runIds: [6], seeds: [0], final: final(2.71828, null, null, 1) },
      { runIds: [7, 8], seeds: [0, 1], final: final(-3.5, -40.25, 33.25, 2) },
    ];
    const rows = finalPerformanceRows(groups);
    expect(rows.map((r) => r.slice(2, 4))).toEqual([
      ['0.5123', '[-0.0042, 1.0200]'],
      ['2.7183', 'n/a (1 run)'],
      ['-3.5000', '[-40.2500, 33.2500]'],
    ]);
    expect(rows.map((r) => r.slice(4))).toEqual(rows.map((r) => r.slice(2, 4))); // the IQM's columns alike
    expect(rows[1]!.slice(0, 2)).toEqual(['1', '0']);
    // Whole numbers throughout keep none; one run alone reads as before.
    expect(estimateColumns([{ point: -50, lo: -52, hi: -48, runs: 3 }, { point: -7, lo: null, hi: null, runs: 1 }])).toEqual([['-50', '[-52, -48]'], ['-7', 'n/a (1 run)']]);
  });
  it('decimalsOfLargest: one number of decimals for figures read together, set by the largest (off-policy estimates)', () => {
    // The table that read "IPS 0.01 [0, 0.0301]" above "DM 0.0119 [0.000002, 0.0373]".
    expect(decimalsOfLargest([0.01, 0, 0.0301, 0.0119, 0.000002, 0.0373], 4)).toEqual(['0.0100', '0.0000', '0.0301', '0.0119', '0.0000', '0.0373']);
    // The largest below 0.001 asks for its two significant digits, and all follow it; -0.00000 reads 0.00000.
    expect(decimalsOfLargest([0.00042, 0.00031, -0.0000001], 4)).toEqual(['0.00042', '0.00031', '0.00000']);
    // Above 1: `digits` decimals, the zeros all share dropped, thousands grouped; a missing figure '–'.
    expect(decimalsOfLargest([1234.5, 1200.25, Number.NaN], 4)).toEqual(['1,234.50', '1,200.25', '–']);
    expect(decimalsOfLargest([3, 2, 0], 4)).toEqual(['3', '2', '0']);
    // Every figure too small for a column: as fmt writes it.
    expect(decimalsOfLargest([2e-7, 1e-7], 4)).toEqual(['2.00e-7', '1.00e-7']);
  });
  it('write P(row > column) and its interval alike, the pair adding up to 1', () => {
    const improvement = [
      [{ p: 0.5, lo: 0.5, hi: 0.5 }, { p: 0.6667, lo: 0.2, hi: 1 }],
      [{ p: 0.3333, lo: 0, hi: 0.8 }, { p: 0.5, lo: 0.5, hi: 0.5 }],
    ];
    expect(probabilityTexts(improvement, 0, 1)).toEqual(['0.667', '[0.200, 1.000]']);
    expect(probabilityTexts(improvement, 1, 0)).toEqual(['0.333', '[0.000, 0.800]']);
  });
  it('write a cell of a one-run group without an interval, as the final-performance table does', () => {
    const cell = (p: number, lo: number, hi: number) => ({ p, lo, hi });
    const half = cell(0.5, 0.5, 0.5);
    const round = [[half, cell(1, 1, 1)], [cell(0, 0, 0), half]];
    expect(probabilityTexts(round, 0, 1)).toEqual(['1', '[1, 1]']);
    // A group of one run has no interval to give: said as the final-performance table says it.
    expect(probabilityTexts(round, 0, 1, [1, 4])).toEqual(['1', 'n/a (1 run)']);
    expect(probabilityTexts(round, 0, 1, [2, 4])).toEqual(['1', '[1, 1]']);
  });
});

describe('pairedProbability', () => {
  it('shows each pair adding up to 1, where rounding both halves gave 0.63 and 0.38', () => {
    const improvement = [
      [{ p: 0.5, lo: 0.5, hi: 0.5 }, { p: 0.625, lo: 0.25, hi: 1 }],
      [{ p: 0.375, lo: 0, hi: 0.75 }, { p: 0.5, lo: 0.5, hi: 0.5 }],
    ];
    expect([Number((0.625).toFixed(2)), Number((0.375).toFixed(2))]).toEqual([0.63, 0.38]); // the review's 1.01
    expect(pairedProbability(improvement, 0, 1, 2)).toBe(0.63);
    expect(pairedProbability(improvement, 1, 0, 2)).toBe(0.37);
    expect(pairedProbability(improvement, 1, 0, 3)).toBe(0.375);
  });
});

describe('meanAndInterval', () => {
  it("writes a policy evaluation's mean return and its interval with one number of decimals, in the app and in aisle eval", () => {
    // The Policies screen read "4.701 [4.432, 4.97]", `aisle eval` "0.022 (95% CI 0.0129 … 0.0311)".
    expect(meanAndInterval(4.701, 4.432, 4.97)).toEqual(['4.701', '4.432', '4.970']);
    expect(meanAndInterval(0.022, 0.0129, 0.0311, 4)).toEqual(['0.0220', '0.0129', '0.0311']);
    // A whole mean and its interval, as a cliff's returns are, stay as they read.
    expect(meanAndInterval(-13, -14, -12)).toEqual(['-13', '-14', '-12']);
  });
});
