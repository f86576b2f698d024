// Bootstrap CI of a mean: coverage, width, determinism, independent recomputation from the same
// draws, NaN handling. (The learning-curve band is Student's t: stats-band.test.ts.)
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import { bootstrapMeanCI } from '../../src/engine/stats';

/** numpy.percentile's default (linear) on an ascending array. */
function percentile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const k = Math.floor(h);
  return k + 1 < sorted.length ? sorted[k]! + (h - k) * (sorted[k + 1]! - sorted[k]!) : sorted[k]!;
}

function normalSample(rng: Rng, n: number, mu: number, sigma: number): Float64Array {
  return Float64Array.from({ length: n }, () => mu + sigma * rng.normal());
}

describe('bootstrapMeanCI', () => {
  it('covers the true mean in ~95 % of 200 repetitions, with width ≈ 2·1.96·σ/√n', () => {
    const data = new Rng(11, Stream.env);
    const mu = 3;
    const sigma = 2;
    const n = 400;
    const reps = 200;
    let covered = 0;
    let totalWidth = 0;
    for (let r = 0; r < reps; r++) {
      const { lo, hi } = bootstrapMeanCI(normalSample(data, n, mu, sigma), { seed: r });
      if (lo <= mu && mu <= hi) covered++;
      totalWidth += hi - lo;
    }
    // Binomial(200, 0.95): mean 190, sd ≈ 3.1; allow 3 sd each side.
    expect(covered).toBeGreaterThanOrEqual(181);
    expect(covered).toBeLessThanOrEqual(199);
    const expectedWidth = (2 * 1.96 * sigma) / Math.sqrt(n);
    expect(Math.abs(totalWidth / reps - expectedWidth) / expectedWidth).toBeLessThan(0.1);
  });

  it('equals the percentile interval recomputed from the same index draws', () => {
    const values = normalSample(new Rng(3), 37, 0, 1);
    const resamples = 500;
    const rng = new Rng(42, Stream.bootstrap);
    const means: number[] = [];
    for (let b = 0; b < resamples; b++) {
      let sum = 0;
      for (let j = 0; j < values.length; j++) sum += values[rng.int(values.length)]!;
      means.push(sum / values.length);
    }
    means.sort((a, b) => a - b);
    const ci = bootstrapMeanCI(values, { seed: 42, resamples, confidence: 0.9 });
    expect(ci.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 14);
    expect(ci.lo).toBeCloseTo(percentile(means, 0.05), 14);
    expect(ci.hi).toBeCloseTo(percentile(means, 0.95), 14);
  });

  it('same seed ⇒ identical interval; another seed ⇒ a different one', () => {
    const values = normalSample(new Rng(4), 50, 1, 1);
    const a = bootstrapMeanCI(values, { seed: 7 });
    expect(bootstrapMeanCI(values, { seed: 7 })).toEqual(a);
    expect(bootstrapMeanCI(values, { seed: 8 })).not.toEqual(a);
  });

  it('leaves NaN out; one value gives lo = hi = mean; none gives NaN', () => {
    const clean = Float64Array.of(1, 4, 2, 8, 5);
    const gappy = Float64Array.of(NaN, 1, 4, NaN, 2, 8, 5);
    expect(bootstrapMeanCI(gappy, { seed: 1 })).toEqual(bootstrapMeanCI(clean, { seed: 1 }));
    expect(bootstrapMeanCI(Float64Array.of(NaN, 3), { seed: 1 })).toEqual({ mean: 3, lo: 3, hi: 3 });
    const empty = bootstrapMeanCI(Float64Array.of(NaN), { seed: 1 });
    expect(empty.mean).toBeNaN();
    expect(empty.lo).toBeNaN();
    expect(() => bootstrapMeanCI(clean, { seed: 1, confidence: 1 })).toThrow(RangeError);
  });
});
