// Compare reads a metric by its direction (engine/metric-direction.ts): for a metric better low (the
// shop's gini, a loss) the improvement is P(X < Y), so the group with lower values is "better";
// for one without direction the matrix stays P(X > Y), read "higher" or "lower", never better or
// worse; a search's best is the lowest mean, or for no direction only "highest". A metric better
// high (return) reads as it always did.
import { describe, expect, it } from 'vitest';
import { compareStatistics } from '../../src/main/service/compare-statistics';
import { studentTMeanCI } from '../../src/engine/stats';
import { cellVerdict, compareHeading, IMPROVEMENT_LEGEND, improvementCellText, improvementHeader, improvementLegend, metricHeading, metricWithDirection } from '../../src/shared/compare-text';
import type { CompareGroup, CompareResult } from '../../src/shared/dto';
import { sliceBestText, sliceStudy, sliceStudyText } from '../../src/shared/slice-study';

/** A lower-is-better comparison's finals: group A's runs all end below group B's. */
const LOW = Float64Array.of(0.21, 0.25, 0.23, 0.22, 0.24);
const HIGH = Float64Array.of(0.61, 0.58, 0.66, 0.63, 0.6);

function matrix(direction: CompareResult['direction'] | undefined) {
  return compareStatistics({ band: 'minmax', seed: 0, series: [[], []], finals: [LOW, HIGH], ...(direction !== undefined ? { direction } : {}) }).improvement;
}

const groups = [LOW, HIGH].map((values) => ({ final: { values: Array.from(values) } })) as unknown as CompareResult['groups'];

describe('the probability of improvement by direction', () => {
  it('takes P(X < Y) for a metric better low: the group whose values are lower is better', () => {
    const lower = matrix('lower');
    // 5 runs all below 5: the exact two-sided Mann–Whitney p of a complete separation, 2 / C(10, 5).
    expect(lower[0]![1]).toEqual({ p: 1, lo: 1, hi: 1, mannWhitneyP: expect.closeTo(2 / 252, 14) });
    expect(lower[1]![0]).toEqual({ p: 0, lo: 0, hi: 0, mannWhitneyP: expect.closeTo(2 / 252, 14) });
    const result = { groups, improvement: lower, direction: 'lower' as const };
    expect(cellVerdict(result, 0, 1)).toEqual({ verdict: 'better' });
    expect(cellVerdict(result, 1, 0)).toEqual({ verdict: 'worse' });
    expect(improvementCellText(result, 0, 1)).toBe('1 [1, 1] better');
  });

  it('keeps P(X > Y) for a metric better high, and reads it as before (absent direction too)', () => {
    const higher = matrix('higher');
    expect(higher).toEqual(matrix(undefined));
    expect(higher[0]![1]).toEqual({ p: 0, lo: 0, hi: 0, mannWhitneyP: expect.closeTo(2 / 252, 14) });
    expect(cellVerdict({ groups, improvement: higher, direction: 'higher' }, 0, 1)).toEqual({ verdict: 'worse' });
    expect(cellVerdict({ groups, improvement: higher }, 1, 0)).toEqual({ verdict: 'better' });
  });

  it('is each cell the mirror of the other direction’s, interval and all, from the same resamples', () => {
    // Overlapping groups, so the intervals are not at 0 or 1.
    const finals = [Float64Array.of(9, 1, 18, 11, 15), Float64Array.of(6, 1, 1, 7, 2, 12)];
    const up = compareStatistics({ band: 'minmax', seed: 3, series: [[], []], finals }).improvement;
    const down = compareStatistics({ band: 'minmax', seed: 3, series: [[], []], finals, direction: 'lower' }).improvement;
    expect(down[0]![1]!.p).toBeCloseTo(1 - up[0]![1]!.p, 12);
    expect(down[0]![1]!.lo).toBeCloseTo(1 - up[0]![1]!.hi, 12);
    expect(down[0]![1]!.hi).toBeCloseTo(1 - up[0]![1]!.lo, 12);
  });

  it('gives a metric without direction no better or worse: the same interval reads higher or lower', () => {
    const neutral = matrix(null);
    expect(neutral).toEqual(matrix('higher'));
    const result = { groups, improvement: neutral, direction: null };
    expect(cellVerdict(result, 0, 1)).toEqual({ verdict: 'lower' });
    expect(cellVerdict(result, 1, 0)).toEqual({ verdict: 'higher' });
    expect(improvementCellText(result, 1, 0)).toBe('1 [1, 1] higher');
    // Too few runs still withholds it, with the reason.
    const few = { ...result, groups: groups.map((g) => ({ ...g, final: { ...g.final, values: g.final.values.slice(0, 2) } })) };
    expect(cellVerdict(few, 1, 0).withheld).toMatch(/^no verdict: 2 against 2 runs/);
  });
});

describe('the words of a direction', () => {
  const heading = (direction: CompareResult['direction']) => compareHeading({ metric: direction === 'lower' ? 'gini' : direction === null ? 'length' : 'return', finalWindow: 10, direction }, 0);

  it('leave a metric better high as it read, and name the others’ direction in the heading, the matrix corner and the legend', () => {
    expect(heading('higher')).toBe(compareHeading({ metric: 'return', finalWindow: 10 }, 0));
    expect(heading('higher')).toMatch(/^return: a run's final value .* P\(X > Y\) \(rliable/);
    expect(heading('lower')).toMatch(/^gini \(lower is better\): a run's final value .* P\(X < Y\) \(rliable/);
    expect(heading(null)).toMatch(/^length \(no better direction\): a run's final value .* P\(X > Y\) \(rliable/);
    expect([improvementHeader('higher'), improvementHeader('lower'), improvementHeader(null), improvementHeader(undefined)]).toEqual([
      'P(row > column)',
      'P(row < column)',
      'P(row > column)',
      'P(row > column)',
    ]);
    expect(improvementLegend({ metric: 'return', direction: 'higher' })).toBe(IMPROVEMENT_LEGEND);
    expect(improvementLegend({ metric: 'gini', direction: 'lower' })).toMatch(/^P\(row < column\) .* ends below a run of the column's, as a lower gini is better/);
    expect(improvementLegend({ metric: 'length', direction: null })).toMatch(/length has no better direction, so no cell says better or worse, only "higher" or "lower"/);
    expect(metricHeading({ metric: 'return', direction: 'higher' })).toBe('return');
    expect(metricWithDirection('return', 'higher')).toBe('return (higher is better)');
    expect(metricWithDirection('gini', 'lower')).toBe('gini (lower is better)');
    expect(metricWithDirection('train/epsilon', null)).toBe('train/epsilon (no better direction)');
    expect(metricWithDirection('old/metric', undefined)).toBe('old/metric');
  });
});

describe("a search's best by direction", () => {
  function group(alpha: number, epsilon: number, finals: readonly number[]): CompareGroup {
    const { mean, lo, hi } = studentTMeanCI(finals);
    return {
      runIds: finals.map((_, i) => i + 1),
      seeds: finals.map((_, i) => i),
      final: { values: [...finals], mean, meanLo: lo, meanHi: hi, iqm: mean, iqmLo: lo, iqmHi: hi },
      config: { env: { id: 'shop' }, agent: { id: 'q-learning', alpha, epsilon }, episodes: 300 },
    } as unknown as CompareGroup;
  }
  // Four sampled pairs, their means 0.4, 0.2, 0.6, 0.3: B is lowest, C highest.
  const search = [group(0.01, 0.1, [0.39, 0.41]), group(0.3, 0.02, [0.19, 0.21]), group(0.05, 0.25, [0.59, 0.61]), group(0.12, 0.07, [0.29, 0.31])];
  const differences = ['agent.alpha', 'agent.epsilon'];

  it('is the highest mean for a metric better high, the lowest for one better low', () => {
    const up = sliceStudy({ groups: search, differences, direction: 'higher' })!;
    expect(up.best).toBe(2);
    expect(up.points.map((p) => p.group)).toEqual([2, 0, 3, 1]);
    expect(up.highestOnly).toBeUndefined();
    expect(sliceStudy({ groups: search, differences })).toEqual(up);
    const down = sliceStudy({ groups: search, differences, direction: 'lower' })!;
    expect(down.best).toBe(1);
    expect(down.points.map((p) => p.group)).toEqual([1, 3, 0, 2]);
    expect(sliceBestText(down, search)).toMatch(/^best: B, alpha=0.3, epsilon=0.02, mean 0.2/);
    expect(sliceStudyText(down, 'gini', search, 'lower')).toContain('The best (lowest mean: a lower gini is better) is marked; best: B,');
    expect(sliceStudyText(up, 'return', search, 'higher')).toContain('The best (highest mean) is marked; best: C,');
  });

  it('is not called best for a metric without direction: the highest is marked and named so', () => {
    const neutral = sliceStudy({ groups: search, differences, direction: null })!;
    expect(neutral.highestOnly).toBe(true);
    expect(neutral.points.map((p) => p.group)).toEqual([2, 0, 3, 1]);
    expect(sliceBestText(neutral, search)).toMatch(/^highest: C, alpha=0.05, epsilon=0.25, mean 0.6/);
    expect(sliceStudyText(neutral, 'length', search, null)).toContain('The highest mean is marked, not called best: length has no better direction; highest: C,');
  });
});
