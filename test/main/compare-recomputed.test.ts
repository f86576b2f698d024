// Compare's figures (compare.runs, which `aisle compare` prints) recomputed from the stored
// episodes with plain loops written here: each run's final value, the groups' mean with its
// Student's t 95 % interval (from t values written down here), the IQM with its 95 % percentile
// bootstrap interval, the 95 % t band around the mean curve, and the probability of improvement
// with its interval. The resamples are drawn as the estimators document it (the seed's bootstrap stream,
// n uniform indices per resample), so the figures must agree to the last bits, not just roughly.
// And the small cases: 2 seeds, one run, and runs that all score the same.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import type { BootstrapInterval, MeanTInterval } from '../../src/engine/stats';
import { mannWhitneyTest } from '../../src/engine/stats/mann-whitney';
import { compareStatistics } from '../../src/main/service/compare-statistics';
import { cellVerdict } from '../../src/shared/compare-text';
import type { CompareResult } from '../../src/shared/dto';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 2 });
});
afterEach(async () => {
  await t.close();
});

const RESAMPLES = 2000; // Compare's, as its heading says
const SEED = 3;

/** numpy.percentile(values, 100·p) with its default linear interpolation. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < sorted.length ? sorted[k]! + (h - k) * (sorted[k + 1]! - sorted[k]!) : sorted[k]!;
}

function average(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** scipy.stats.trim_mean(values, 0.25): ⌊n/4⌋ cut from each end of the sorted values. */
function trimmedMean(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(values.length / 4);
  return average(sorted.slice(cut, sorted.length - cut));
}

/** The 95 % percentile bootstrap interval of `statistic`: RESAMPLES resamples of n draws each. */
function bootstrap(values: readonly number[], statistic: (xs: number[]) => number): [number, number] {
  const rng = new Rng(SEED, Stream.bootstrap);
  const replicates: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) replicates.push(statistic(values.map(() => values[rng.int(values.length)]!)));
  return [percentile(replicates, 0.025), percentile(replicates, 0.975)];
}

/** t_{0.975, ν} from a printed table (scipy.stats.t.ppf(0.975, ν)): ν = 1 for 2 seeds, 4 for 5. */
const T975: Record<number, number> = { 1: 12.7062047362, 4: 2.7764451052 };

/** mean ± t_{0.975, n−1} · s / √n, s with the n − 1 denominator. */
function tInterval(values: readonly number[]): [number, number] {
  const mean = average(values);
  const s = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
  const half = (T975[values.length - 1]! * s) / Math.sqrt(values.length);
  return [mean - half, mean + half];
}

/** P(X > Y), ties ½. */
function improvement(x: readonly number[], y: readonly number[]): number {
  let wins = 0;
  for (const a of x) for (const b of y) wins += a > b ? 1 : a === b ? 0.5 : 0;
  return wins / (x.length * y.length);
}

async function launch(experiment: Record<string, unknown>): Promise<{ experimentId: number; runIds: number[] }> {
  const launched = await t.call('experiments.launch', { experiment });
  await t.until(launched.runIds);
  return { experimentId: launched.experimentId, runIds: [...launched.runIds] };
}

describe("Compare's figures, recomputed from the stored episodes", () => {
  it('final values, mean and IQM with their intervals, the 95 % t band and P(X > Y) with its interval', async () => {
    const five = await launch(cliff({ name: 'five seeds', seeds: 5 }));
    const two = await launch(cliff({ name: 'two seeds', seeds: 2 }, { alpha: 0.1 }));
    const window = 50;
    const result = await t.call('compare.runs', { experimentIds: [five.experimentId, two.experimentId], finalWindow: window, maxPoints: 60, seed: SEED });
    expect(result.groups.map((g) => g.runIds)).toEqual([five.runIds, two.runIds]);

    const finals = result.groups.map((g) =>
      g.runIds.map((runId) => {
        const stored = Array.from(t.store.readMetricRaw(runId, 'return'));
        return average(stored.slice(stored.length - window)); // a run's mean over its last 50 episodes
      }),
    );
    result.groups.forEach((g, i) => {
      const values = finals[i]!;
      expect(g.final.values).toEqual(values.map((v) => expect.closeTo(v, 10)));
      expect(g.final.mean).toBeCloseTo(average(values), 10);
      expect(g.final.iqm).toBeCloseTo(trimmedMean(values), 10);
      const [meanLo, meanHi] = tInterval(values);
      const [iqmLo, iqmHi] = bootstrap(values, trimmedMean);
      // Not the percentile bootstrap of the mean, which Compare gave until it was found to cover the
      // mean 75 % of the time with 3 runs and 84 % with 5.
      expect(g.final.meanHi! - g.final.meanLo!).toBeGreaterThan(1.2 * (bootstrap(values, average)[1] - bootstrap(values, average)[0]));
      expect([g.final.meanLo, g.final.meanHi, g.final.iqmLo, g.final.iqmHi]).toEqual([meanLo, meanHi, iqmLo, iqmHi].map((v) => expect.closeTo(v, 10)));
    });

    // Two seeds: s = |x₁ − x₂| / √2, so the t interval is the mean ± 12.706 · |x₁ − x₂| / 2, 12.7
    // times wider than [min, max], the percentile bootstrap's (every resample's mean is x₁,
    // (x₁ + x₂)/2 or x₂; its 2.5th and 97.5th percentiles sit in the ~500 resamples of each end),
    // which covers the mean of two normal scores about half the time. The IQM of two values cuts
    // none: it is their mean, and its interval stays that [min, max] (hence the caution).
    const [x1, x2] = finals[1]!;
    const half = (12.7062047362 * Math.abs(x1! - x2!)) / 2;
    expect([result.groups[1]!.final.meanLo, result.groups[1]!.final.meanHi]).toEqual([(x1! + x2!) / 2 - half, (x1! + x2!) / 2 + half].map((v) => expect.closeTo(v, 10)));
    expect([result.groups[1]!.final.iqmLo, result.groups[1]!.final.iqmHi]).toEqual([Math.min(x1!, x2!), Math.max(x1!, x2!)].map((v) => expect.closeTo(v, 10)));
    expect(result.groups[1]!.final.iqm).toBeCloseTo((x1! + x2!) / 2, 10);

    // One run of the five: no interval at all (null), not a zero-width one that reads as certainty.
    const single = await t.call('compare.runs', { runIds: [five.runIds[0]!], finalWindow: window, seed: SEED });
    expect(single.groups[0]!.final).toEqual({ values: [finals[0]![0]], mean: finals[0]![0], iqm: finals[0]![0], meanLo: null, meanHi: null, iqmLo: null, iqmHi: null });

    // P(A > B): each resample draws A's runs, then B's. P(B > A) is its mirror (see below).
    const [a, b] = finals as [number[], number[]];
    const draws = new Rng(SEED, Stream.bootstrap);
    const replicates: number[] = [];
    for (let k = 0; k < RESAMPLES; k++) {
      const x = a.map(() => a[draws.int(a.length)]!);
      replicates.push(improvement(x, b.map(() => b[draws.int(b.length)]!)));
    }
    expect(result.improvement[0]![1]).toEqual({
      p: expect.closeTo(improvement(a, b), 12),
      lo: expect.closeTo(percentile(replicates, 0.025), 12),
      hi: expect.closeTo(percentile(replicates, 0.975), 12),
      mannWhitneyP: expect.closeTo(mannWhitneyTest(a, b).p, 14),
      unpaired: 'different seeds', // the groups' seeds differ: compared unpaired
    });
    expect(result.improvement[1]![0]).toEqual({
      p: expect.closeTo(improvement(b, a), 12),
      lo: expect.closeTo(1 - result.improvement[0]![1]!.hi, 12),
      hi: expect.closeTo(1 - result.improvement[0]![1]!.lo, 12),
      mannWhitneyP: result.improvement[0]![1]!.mannWhitneyP,
      unpaired: 'different seeds',
    });

    // The band of each group: at each x, the mean of its runs' bucket means (as runs.metrics reads
    // them) ± t_{0.975, n−1} · s / √n, the final mean's interval point by point. Not the percentile
    // bootstrap of the mean Compare drew until then, which stays inside the seeds' range at every
    // x (any resample's mean does) and covered the mean 84 % of the time with 5 seeds, 50 % with 2.
    for (const [g, runIds] of [five.runIds, two.runIds].entries()) {
      const series = await t.call('runs.metrics', { runIds, metric: 'return', maxPoints: 60 });
      const group = result.groups[g]!;
      expect(group.x).toEqual(series[0]!.x);
      let outsideRange = 0;
      group.x.forEach((_, k) => {
        const at = series.map((s) => s.mean[k]!);
        const [lo, hi] = tInterval(at);
        expect(group.mean[k]).toBeCloseTo(average(at), 10);
        expect(group.lo[k]).toBeCloseTo(lo, 10);
        expect(group.hi[k]).toBeCloseTo(hi, 10);
        if (group.lo[k]! < Math.min(...at) - 1e-9 || group.hi[k]! > Math.max(...at) + 1e-9) outsideRange++;
      });
      expect(outsideRange).toBeGreaterThan(0);
    }
  });

  it('runs that all score the same: every figure is that score, none NaN, and there is no interval (the runs show no spread)', async () => {
    // One state, one action paying 1, then the end: every episode of every seed returns exactly 1.
    const mdp = { format: 'aisle.mdp/v1', states: 2, actions: 1, start: { '0': 1 }, terminal: [1], transitions: [[0, 0, 1, 1, 1]] };
    const same = await launch({ format: 'aisle.experiment/v1', name: 'one reward', env: { id: 'tabular-mdp', mdp, maxSteps: 5 }, agent: { id: 'q-learning' }, episodes: 40, seeds: 4 });
    const result = await t.call('compare.runs', { experimentIds: [same.experimentId], seed: SEED });
    const [g] = result.groups;
    // A zero-width interval, "1 [1, 1]", read as certainty: with no spread there is none, as for one run.
    expect(g!.final).toEqual({ values: [1, 1, 1, 1], mean: 1, iqm: 1, iqmLo: null, iqmHi: null, meanLo: null, meanHi: null });
    expect(g!.x.length).toBe(40);
    expect(new Set(g!.mean)).toEqual(new Set([1]));
    expect(result.band).toBe('ci95');
    for (const curve of [g!.lo, g!.hi]) expect(new Set(curve)).toEqual(new Set([null]));
    // The runs' range is no inference: it is 1 to 1, and drawn so.
    const range = await t.call('compare.runs', { experimentIds: [same.experimentId], seed: SEED, band: 'minmax' });
    for (const curve of [range.groups[0]!.lo, range.groups[0]!.hi]) expect(new Set(curve)).toEqual(new Set([1]));
  });
});

describe("Compare's improvement matrix", () => {
  it('reads each pair from one bootstrap: P(B > A) mirrors P(A > B), interval and verdict', () => {
    // Bootstrapped apart (with draws in another order), these read P(A > B) = 0.84 [0.46, 1]: no
    // verdict, beside P(B > A) = 0.16 [0, 0.48]: "worse". Each resample's P(B > A) is 1 − its
    // P(A > B) (ties count ½ both ways), so the one bootstrap gives both cells.
    const finals = [Float64Array.of(9, 1, 18, 11, 15), Float64Array.of(6, 1, 1, 7, 2)];
    const { improvement } = compareStatistics({ band: 'minmax', seed: 0, series: [[], []], finals });
    const [ab, ba] = [improvement[0]![1]!, improvement[1]![0]!];
    expect(ab.p).toBeCloseTo(21 / 25, 12); // 9, 18, 11, 15 beat all five; 1 ties two 1s (½ each): 20 + 1 = 21 of 25
    expect(ba).toEqual({ p: expect.closeTo(1 - ab.p, 12), lo: expect.closeTo(1 - ab.hi, 12), hi: expect.closeTo(1 - ab.lo, 12), mannWhitneyP: ab.mannWhitneyP });
    const groups = finals.map((values) => ({ final: { values: Array.from(values) } })) as unknown as CompareResult['groups'];
    const [forward, back] = [cellVerdict({ groups, improvement }, 0, 1).verdict, cellVerdict({ groups, improvement }, 1, 0).verdict];
    expect([forward, back]).toEqual(forward === 'better' ? ['better', 'worse'] : [undefined, undefined]);
  });
});

describe("Compare's statistics by kind", () => {
  it("gives the IQM as a bootstrap interval around its point, the mean as a t interval around the mean", () => {
    const finals = [Float64Array.of(3, 1, 4, 1, 5), Float64Array.of(2)];
    const stats = compareStatistics({ band: 'ci95', seed: 0, series: [[], []], finals });
    const iqm: readonly BootstrapInterval[] = stats.iqm;
    const average: readonly MeanTInterval[] = stats.average;
    // The IQM's is not a mean's interval (it was typed as the t interval, its point called `mean`).
    expect(Object.keys(iqm[0]!).sort()).toEqual(['hi', 'lo', 'point']);
    expect(iqm[0]!.point).toBeCloseTo(8 / 3, 12); // 1, 1, 3, 4, 5 less one at each end
    expect(iqm[1]).toEqual({ point: 2, lo: null, hi: null });
    expect(Object.keys(average[0]!).sort()).toEqual(['hi', 'lo', 'mean']);
    expect(average[0]!.mean).toBeCloseTo(14 / 5, 12);
  });
});
