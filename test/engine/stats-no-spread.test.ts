// Intervals that the data cannot support, and intervals that leave the metric's range. Runs whose
// values are all equal (every seed at a normalised score of 1) have no spread to estimate an interval
// from: the t interval, the t band and (in Compare) the IQM's bootstrap give none, as for one run,
// where the formula's zero width read "1 [1, 1]". A share's t interval near 1 reached past 1; it is
// clamped into the range the environment declares (metric-range.ts), and the declared ranges hold
// for what the environments report.
import { describe, expect, it } from 'vitest';
import { clampToRange, commonRange, declaredRange, SHARE } from '../../src/engine/metric-range';
import { environments, findEnvironment, metricRange } from '../../src/engine/registry';
import { Rng } from '../../src/engine/rng';
import { curveBand, hasSpread, studentTMeanCI } from '../../src/engine/stats';

describe('hasSpread', () => {
  it('is false for no value, one value, or values all equal (NaN left out), true for two that differ', () => {
    expect(hasSpread([])).toBe(false);
    expect(hasSpread([3])).toBe(false);
    expect(hasSpread([1, 1, 1, 1, 1])).toBe(false);
    expect(hasSpread([NaN, 0, NaN, 0])).toBe(false);
    expect(hasSpread([1, 1, 1, 1, 0.999])).toBe(true);
    expect(hasSpread([NaN, 2, 3])).toBe(true);
  });
});

describe('studentTMeanCI', () => {
  it('gives 5 equal values the mean and no interval, as one value (it was [1, 1])', () => {
    expect(studentTMeanCI([1, 1, 1, 1, 1])).toEqual({ mean: 1, lo: null, hi: null });
    expect(studentTMeanCI([0, 0, NaN, 0])).toEqual({ mean: 0, lo: null, hi: null });
    expect(studentTMeanCI([7])).toEqual({ mean: 7, lo: null, hi: null });
  });

  it('tells equal values by the values, not by s = 0: three 0.1s have a mean off 0.1 and s ≈ 1e-17', () => {
    const ci = studentTMeanCI([0.1, 0.1, 0.1]);
    expect(ci.mean).not.toBe(0.1); // the rounding that left a sliver of an interval before
    expect([ci.lo, ci.hi]).toEqual([null, null]);
  });

  it('clamps a share’s interval into [0, 1]: 0.9, 1, 1, 1, 1 reached 1.139 unclamped', () => {
    const shares = [0.9, 1, 1, 1, 1];
    const free = studentTMeanCI(shares);
    expect(free.hi!).toBeGreaterThan(1); // the old interval: 0.98 ± 2.776 · 0.0447 / √5
    expect(free.hi!).toBeCloseTo(0.98 + (2.7764451052 * Math.sqrt(0.002)) / Math.sqrt(5), 9);
    const clamped = studentTMeanCI(shares, SHARE);
    expect(clamped.hi).toBe(1);
    expect(clamped.lo).toBe(free.lo); // inside the range: as it was
    expect(clamped.mean).toBe(free.mean);
    // And at 0 from below: a share that is mostly 0.
    expect(studentTMeanCI([0, 0, 0, 0.1], SHARE).lo).toBe(0);
    expect(studentTMeanCI([0, 0, 0, 0.1]).lo!).toBeLessThan(0);
  });

  it('leaves an interval alone without a range, or with a bound on one side only', () => {
    const values = [-3, 2, 5, 9];
    expect(studentTMeanCI(values, undefined)).toEqual(studentTMeanCI(values));
    const low = studentTMeanCI(values, { min: 0 });
    expect(low.lo).toBe(0);
    expect(low.hi).toBe(studentTMeanCI(values).hi);
  });
});

describe('curveBand', () => {
  it("'ci95' has no band where the seeds present are all equal, a band where they differ; min–max keeps its zero width", () => {
    const series = [Float64Array.of(0.5, 1, 1, 0), Float64Array.of(0.7, 1, 1, 0), Float64Array.of(0.6, 1, 0.9, 0)];
    const band = curveBand(series, 'ci95');
    expect([band.mean[1], band.mean[3]]).toEqual([1, 0]);
    expect(band.lo[0]!).toBeLessThan(band.mean[0]!);
    expect([band.lo[1], band.hi[1]]).toEqual([NaN, NaN]); // every seed at 1
    expect(band.hi[2]!).toBeGreaterThan(1); // no range given: the formula's end
    expect([band.lo[3], band.hi[3]]).toEqual([NaN, NaN]); // every seed at 0
    const range = curveBand(series, 'minmax');
    expect([range.lo[1], range.hi[1]]).toEqual([1, 1]); // the seeds' range is 1 to 1: so it is drawn
  });

  it("clamps 'ci95' into the range, where it left it, and only there", () => {
    const rng = new Rng(4);
    const series = Array.from({ length: 5 }, () => Float64Array.from({ length: 40 }, (_, i) => Math.min(1, i / 40 + 0.05 * rng.normal())));
    const free = curveBand(series, 'ci95');
    const kept = curveBand(series, 'ci95', SHARE);
    let clamped = 0;
    for (let i = 0; i < 40; i++) {
      expect(kept.mean[i]).toBe(free.mean[i]);
      if (Number.isNaN(free.hi[i]!)) continue;
      expect(kept.hi[i]).toBe(Math.min(1, free.hi[i]!));
      expect(kept.lo[i]).toBe(Math.max(0, free.lo[i]!));
      if (free.hi[i]! > 1 || free.lo[i]! < 0) clamped++;
    }
    expect(clamped).toBeGreaterThan(0);
  });
});

describe('metric ranges', () => {
  it('clamp, and combine across kinds of run as the widest, none where one kind has none', () => {
    expect(clampToRange(1.04, SHARE)).toBe(1);
    expect(clampToRange(-0.2, SHARE)).toBe(0);
    expect(clampToRange(0.4, SHARE)).toBe(0.4);
    expect(clampToRange(-5, undefined)).toBe(-5);
    expect(commonRange([SHARE, SHARE])).toEqual(SHARE);
    expect(commonRange([SHARE, { min: 0 }])).toEqual({ min: 0 });
    expect(commonRange([{ min: 0, max: 1 }, { min: -1, max: 2 }])).toEqual({ min: -1, max: 2 });
    expect(commonRange([SHARE, undefined])).toBeUndefined();
    expect(commonRange([])).toBeUndefined();
  });

  it('are declared for shares and counts, and for nothing unbounded', () => {
    const runs = (envId: string) => [{ envId }];
    expect(metricRange('optimal', runs('bandit-testbed'))).toEqual({ min: 0, max: 1 });
    expect(metricRange('reward', runs('bandit-testbed'))).toBeUndefined();
    for (const m of ['ctr', 'conversion', 'coverage', 'diversity', 'gini']) expect(metricRange(m, runs('shop')), m).toEqual({ min: 0, max: 1 });
    for (const m of ['clicks', 'purchases', 'revenue', 'novelty']) expect(metricRange(m, runs('shop')), m).toEqual({ min: 0 });
    expect(metricRange('return', runs('shop'))).toBeUndefined();
    expect(metricRange('optimal', [{ envId: 'bandit-testbed' }, { envId: 'no-such-env' }])).toBeUndefined();
    // Each environment declares ranges only for metrics it declares a direction for (a misspelt name would bound nothing).
    for (const env of environments) for (const m of Object.keys(env.metricRanges ?? {})) expect(Object.hasOwn(env.metricDirections, m), `${env.id}: ${m}`).toBe(true);
  });

  it('hold for what the shop and the bandit testbed report, over many random episodes', () => {
    for (const [id, params, episodes] of [
      ['shop', { maxSteps: 30, slateSize: 3 }, 300],
      ['shop', { maxSteps: 30 }, 100],
      ['bandit-testbed', {}, 300],
    ] as const) {
      const def = findEnvironment(id)!;
      const env = def.create(def.params.parse(params) as never);
      const names = env.episodeMetricNames;
      const out = new Float64Array(names.length);
      const rng = new Rng(11);
      const seen = new Set<number>();
      env.reset(5);
      for (let e = 0; e < episodes; e++) {
        for (;;) {
          const r = env.step(Math.floor(rng.next() * env.actionSpace.n));
          if (r.terminated || r.truncated) break;
        }
        env.episodeMetrics(out, 0);
        names.forEach((name, m) => {
          const range = declaredRange(name, def);
          if (range?.min !== undefined) expect(out[m]!, `${id} ${name}`).toBeGreaterThanOrEqual(range.min);
          if (range?.max !== undefined) expect(out[m]!, `${id} ${name}`).toBeLessThanOrEqual(range.max);
          if (range) seen.add(m);
        });
        env.reset();
      }
      expect(seen.size, id).toBe(id === 'shop' ? 9 : 1);
    }
  });
});
