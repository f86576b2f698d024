// Compare's intervals where the runs cannot support one, and for a bounded metric. A group of runs
// whose final values are all equal got "1 [1, 1]" for its mean and its IQM, which read as certainty:
// now neither has an interval (null in JSON, as for one run) and the tables say why,
// "n/a (all 5 runs equal)". A share's mean interval (the bandit testbed's `optimal`) stays in [0, 1]:
// its t interval reached past 1, the curve band too.
import { describe, expect, it } from 'vitest';
import { SHARE } from '../../src/engine/metric-range';
import { studentTMeanCI } from '../../src/engine/stats';
import { compareStatistics } from '../../src/main/service/compare-statistics';
import { finalPerformanceRows } from '../../src/shared/compare-text';
import type { CompareGroup } from '../../src/shared/dto';
import { estimateColumns } from '../../src/shared/figures';
import { closedAfterEach } from '../helpers/service';

const EQUAL = Float64Array.of(1, 1, 1, 1, 1);
const NEAR_ONE = Float64Array.of(0.9, 1, 1, 1, 1);

describe('compareStatistics', () => {
  it('gives a group of equal runs no mean or IQM interval, and keeps a share’s mean interval within 1', () => {
    const series = [[EQUAL, EQUAL], [NEAR_ONE, Float64Array.of(0.95, 1, 1, 1, 1)]];
    const stats = compareStatistics({ band: 'ci95', seed: 0, series, finals: [EQUAL, NEAR_ONE], range: SHARE });
    expect(stats.average[0]).toEqual({ mean: 1, lo: null, hi: null });
    expect(stats.iqm[0]).toEqual({ point: 1, lo: null, hi: null });
    expect(stats.average[1]!.hi).toBe(1);
    expect(stats.average[1]!.lo).toBe(studentTMeanCI(NEAR_ONE).lo);
    // The bands: none for the equal seeds, and the other's kept within 1.
    expect(Array.from(stats.bands[0]!.lo)).toEqual(Array(5).fill(NaN));
    expect(stats.bands[1]!.hi[0]!).toBeLessThanOrEqual(1);
    expect(stats.bands[1]!.lo[0]!).toBeLessThan(0.925);
    // Without a range (a return), the same values keep the formula's end past 1.
    expect(compareStatistics({ band: 'ci95', seed: 0, series, finals: [EQUAL, NEAR_ONE] }).average[1]!.hi!).toBeGreaterThan(1);
  });
});

describe('the final-performance table', () => {
  it('reads "n/a (all 5 runs equal)" for equal runs, beside a group whose interval is given', () => {
    const stats = compareStatistics({ band: 'minmax', seed: 0, series: [[], []], finals: [EQUAL, NEAR_ONE], range: SHARE });
    const groups = [EQUAL, NEAR_ONE].map((values, g) => ({
      runIds: [1, 2, 3, 4, 5].map((r) => r + 5 * g),
      seeds: [0, 1, 2, 3, 4],
      final: {
        values: Array.from(values),
        mean: stats.average[g]!.mean,
        meanLo: stats.average[g]!.lo,
        meanHi: stats.average[g]!.hi,
        iqm: stats.iqm[g]!.point,
        iqmLo: stats.iqm[g]!.lo,
        iqmHi: stats.iqm[g]!.hi,
      },
    })) as Pick<CompareGroup, 'runIds' | 'seeds' | 'final'>[];
    const [equal, near] = finalPerformanceRows(groups);
    // The point stays, with the column's decimals (the other group's interval asks for 3).
    expect(equal!.slice(2)).toEqual(['1.000', 'n/a (all 5 runs equal)', '1.000', 'n/a (all 5 runs equal)']);
    expect(near![3]).toMatch(/^\[0\.9\d\d, 1\.000\]$/);
  });

  it('says "both runs equal" for two, and keeps "n/a (1 run)" for one', () => {
    const texts = estimateColumns([
      { point: 0, lo: null, hi: null, runs: 2 },
      { point: 3, lo: null, hi: null, runs: 1 },
      { point: 2, lo: 1.5, hi: 2.5, runs: 3 },
    ]);
    expect(texts).toEqual([
      ['0.0', 'n/a (both runs equal)'],
      ['3.0', 'n/a (1 run)'],
      ['2.0', '[1.5, 2.5]'],
    ]);
  });
});

describe('compare.runs on a share', () => {
  const open = closedAfterEach();

  it('declares the bandit testbed’s `optimal` a share, keeps its intervals in [0, 1], and gives equal runs none', async () => {
    const t = open();
    const launched = await t.call('experiments.launch', {
      experiment: { format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed', arms: 2 }, agent: { id: 'ucb1' }, episodes: 200, seeds: 5 },
    });
    await t.until(launched.runIds);
    const optimal = await t.call('compare.runs', { experimentIds: [launched.experimentId], metric: 'optimal', finalWindow: 50, band: 'ci95' });
    expect(optimal.metricRange).toEqual({ min: 0, max: 1 });
    const [group] = optimal.groups;
    const f = group!.final;
    // The setup is meant to reach past 1 unclamped: a share near 1 with some spread.
    const free = studentTMeanCI(f.values);
    expect(free.hi!).toBeGreaterThan(1);
    expect(f.meanHi).toBe(1);
    expect(f.meanLo).toBe(free.lo);
    for (const [i, hi] of group!.hi.entries()) {
      if (hi === null) continue;
      expect(hi).toBeLessThanOrEqual(1);
      expect(group!.lo[i]!).toBeGreaterThanOrEqual(0);
    }
    // Each run's last episode: the best arm pulled (1) by every seed, so no interval.
    const last = await t.call('compare.runs', { experimentIds: [launched.experimentId], metric: 'optimal', finalWindow: 1, band: 'ci95' });
    const lastFinal = last.groups[0]!.final;
    expect(new Set(lastFinal.values).size).toBe(1);
    expect([lastFinal.meanLo, lastFinal.meanHi, lastFinal.iqmLo, lastFinal.iqmHi]).toEqual([null, null, null, null]);
    // The reward has no bound: no range, and its interval is the formula's.
    const reward = await t.call('compare.runs', { experimentIds: [launched.experimentId], metric: 'reward', finalWindow: 50, band: 'ci95' });
    expect(reward.metricRange).toBeUndefined();
    expect(reward.groups[0]!.final.meanHi).toBe(studentTMeanCI(reward.groups[0]!.final.values).hi);
  });
});
