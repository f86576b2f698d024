// A run whose final window holds none of the metric's values (a DQN run cancelled before its first
// update, compared on train/loss) has a NaN final value. The statistics leave it out, and so must
// the rules that count runs: "one run, no interval" and "too few runs for a verdict".
import { describe, expect, it } from 'vitest';
import { compareStatistics } from '../../src/main/service/compare-statistics';
import { cellVerdict, finalPerformanceRows, finalRuns, type ImprovementInput } from '../../src/shared/compare-text';

describe('final values that are NaN', () => {
  it('leave a group of one counted run without an IQM interval, as its mean has none', () => {
    const s = compareStatistics({ band: 'ci95', seed: 0, series: [[new Float64Array([1]), new Float64Array([2])]], finals: [Float64Array.from([5, NaN])] });
    expect(s.average[0]).toEqual({ mean: 5, lo: null, hi: null });
    // It read [5, 5]: the zero-width interval that reads as certainty.
    expect(s.iqm[0]).toEqual({ point: 5, lo: null, hi: null });
  });

  it('count for no verdict: 5 runs with a NaN each are 4 against 4, whose verdict is withheld', () => {
    const x = Float64Array.from([10, 11, 12, 13, NaN]);
    const y = Float64Array.from([1, 2, 3, 4, NaN]);
    const s = compareStatistics({ band: 'ci95', seed: 0, series: [[x], [y]], finals: [x, y] });
    const group = (values: Float64Array) => ({ final: { values: Array.from(values), mean: NaN, iqm: NaN, iqmLo: null, iqmHi: null, meanLo: null, meanHi: null } });
    const input = { groups: [group(x), group(y)], improvement: s.improvement, environments: [], direction: 'higher' } as unknown as ImprovementInput;
    expect(finalRuns(input.groups[0]!.final)).toBe(4);
    const cell = cellVerdict(input, 0, 1);
    expect(cell.verdict).toBeUndefined();
    expect(cell.withheld).toMatch(/^no verdict: 4 against 4 runs is too few/);
    // NaN sent as JSON arrives as null: not counted either.
    expect(finalRuns({ values: [1, null as unknown as number, 2] })).toBe(2);
  });

  it('read "n/a (1 run)" in the final-performance table for a group of one counted run', () => {
    const s = compareStatistics({ band: 'ci95', seed: 0, series: [[new Float64Array([1]), new Float64Array([2])]], finals: [Float64Array.from([5, NaN])] });
    const final = { values: [5, NaN], mean: s.average[0]!.mean, iqm: s.iqm[0]!.point, iqmLo: s.iqm[0]!.lo, iqmHi: s.iqm[0]!.hi, meanLo: s.average[0]!.lo, meanHi: s.average[0]!.hi };
    const [row] = finalPerformanceRows([{ runIds: [1, 2], seeds: [0, 1], final }]);
    expect(row![3]).toContain('1 run');
    expect(row![5]).toContain('1 run');
  });
});
