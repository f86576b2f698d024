// How often Compare's final intervals cover the truth with few runs, on normal scores from the
// engine's seeded generator: the mean's Student's t interval (studentTMeanCI) holds 95 % at 3 runs,
// where the percentile bootstrap of the mean it replaced covers about 75 %; the bootstrap of the
// IQM (which stays, as rliable's) covers as little, hence Compare's caution below 8 runs.
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import { aggregateIqm, bootstrapMeanCI, stratifiedBootstrapCI, studentTMeanCI } from '../../src/engine/stats';

describe('studentTMeanCI', () => {
  it('is mean ± t_{0.975, n−1} · s / √n, with no interval for one value or equal values', () => {
    // 1, 2, 3, 4, 6: mean 3.2, s² = (4.84 + 1.44 + 0.04 + 0.64 + 7.84) / 4 = 3.7; t_{0.975, 4} = 2.776 (a printed table).
    const { mean, lo, hi } = studentTMeanCI(Float64Array.of(1, 2, NaN, 3, 4, 6));
    expect(mean).toBeCloseTo(3.2, 12);
    expect(hi! - mean).toBeCloseTo((2.7764451052 * Math.sqrt(3.7)) / Math.sqrt(5), 9);
    expect(mean - lo!).toBeCloseTo(hi! - mean, 12);
    expect(studentTMeanCI(Float64Array.of(7))).toEqual({ mean: 7, lo: null, hi: null });
    // Values all equal have no spread either: no interval, where the formula's [2, 2] read as certainty.
    expect(studentTMeanCI(Float64Array.of(2, 2, 2))).toEqual({ mean: 2, lo: null, hi: null });
  });

  it('covers the true mean of 3 normal scores about 95 % of the time, where the percentile bootstrap covers about 75 %', () => {
    const data = new Rng(2026, Stream.env);
    const trials = 1000;
    let t = 0;
    let bootstrap = 0;
    let iqm = 0;
    for (let k = 0; k < trials; k++) {
      const scores = Float64Array.from({ length: 3 }, () => 10 + 2 * data.normal());
      const ci = studentTMeanCI(scores);
      if (ci.lo! <= 10 && 10 <= ci.hi!) t++;
      const b = bootstrapMeanCI(scores, { seed: k, resamples: 400 });
      if (b.lo <= 10 && 10 <= b.hi) bootstrap++;
      const q = stratifiedBootstrapCI([scores], aggregateIqm, { seed: k, resamples: 400 });
      if (q.lo <= 10 && 10 <= q.hi) iqm++; // the normal's IQM is its mean
    }
    // 1,000 trials: a coverage's standard error is about 0.007 at 95 %, 0.014 at 75 %.
    expect(t / trials).toBeGreaterThan(0.93);
    expect(t / trials).toBeLessThan(0.97);
    expect(bootstrap / trials).toBeLessThan(0.8);
    expect(iqm / trials).toBeLessThan(0.8);
  });
});
