// Bootstrap CI of a mean and the learning-curve band: coverage, width, determinism, independent
// recomputation from the same draws, NaN handling, and the measured speed of curveBand.
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import { bootstrapMeanCI, curveBand } from '../../src/engine/stats';

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

describe('curveBand', () => {
  const rng = new Rng(9);
  const series = Array.from({ length: 6 }, (_, s) => Float64Array.from({ length: 50 }, (_, i) => i * 0.1 + s + rng.normal()));

  it("'minmax' equals the per-x min and max, and the mean the per-x mean", () => {
    const band = curveBand(series, { kind: 'minmax' });
    for (let i = 0; i < 50; i++) {
      const column = series.map((s) => s[i]!);
      expect(band.lo[i]).toBe(Math.min(...column));
      expect(band.hi[i]).toBe(Math.max(...column));
      expect(band.mean[i]).toBeCloseTo(column.reduce((a, v) => a + v, 0) / column.length, 12);
    }
  });

  it("'std' is mean ± the sample standard deviation over seeds", () => {
    const band = curveBand(series, { kind: 'std' });
    for (const i of [0, 17, 49]) {
      const column = series.map((s) => s[i]!);
      const mean = column.reduce((a, v) => a + v, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / (column.length - 1));
      expect(band.lo[i]).toBeCloseTo(mean - std, 12);
      expect(band.hi[i]).toBeCloseTo(mean + std, 12);
    }
  });

  it("'ci95' at one x is the percentile bootstrap of the mean over seeds (same draws as bootstrapMeanCI)", () => {
    const column = series.map((s) => s[20]!);
    const band = curveBand(column.map((v) => Float64Array.of(v)), { kind: 'ci95', seed: 5, resamples: 1000 });
    const ci = bootstrapMeanCI(Float64Array.from(column), { seed: 5, resamples: 1000 });
    expect(band.lo[0]).toBeCloseTo(ci.lo, 12);
    expect(band.hi[0]).toBeCloseTo(ci.hi, 12);
    expect(band.lo[0]).toBeLessThan(band.mean[0]!);
    expect(band.hi[0]).toBeGreaterThan(band.mean[0]!);
  });

  it("'ci95' reuses one resample across all x: seeds differing by a constant give a band of constant offset", () => {
    // Seed s is offsets[s] + f(x). Each resample's mean curve is then f(x) + its mean offset, so
    // lo(x) − f(x) is the same at every x; resampling each x afresh would make it jitter.
    const offsets = [0, 1.5, -2, 4, 0.3, 2.2, -0.7];
    const f = (i: number) => Math.sin(i / 7) * 10;
    const shifted = offsets.map((o) => Float64Array.from({ length: 200 }, (_, i) => o + f(i)));
    const band = curveBand(shifted, { kind: 'ci95', seed: 1 });
    for (let i = 1; i < 200; i++) {
      expect(band.lo[i]! - f(i)).toBeCloseTo(band.lo[0]! - f(0), 9);
      expect(band.hi[i]! - f(i)).toBeCloseTo(band.hi[0]! - f(0), 9);
    }
    expect(band.hi[0]! - band.lo[0]!).toBeGreaterThan(0.5);
    expect(curveBand(shifted, { kind: 'ci95', seed: 1 })).toEqual(band);
  });

  it('leaves a seed missing at x out at that x only; fewer than 2 seeds ⇒ lo = hi = mean', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const b = Float64Array.of(5, NaN, 7, 8);
    const c = Float64Array.of(9, 10, NaN); // shorter: missing at x = 3
    for (const kind of ['minmax', 'std', 'ci95'] as const) {
      const band = curveBand([a, b, c], { kind, seed: 3 });
      const pair = curveBand([Float64Array.of(a[1]!), Float64Array.of(c[1]!)], { kind, seed: 3 });
      expect(band.mean[1]).toBe(6);
      if (kind !== 'ci95') expect([band.lo[1], band.hi[1]]).toEqual([pair.lo[0], pair.hi[0]]);
      // x = 2: only a and b; x = 3: only a and b as well.
      expect(band.mean[2]).toBe(5);
      expect(band.mean[3]).toBe(6);
    }
    const lonely = curveBand([a, Float64Array.of(NaN, NaN, 1, NaN)], { kind: 'minmax' });
    expect(Array.from(lonely.lo.subarray(0, 2))).toEqual([1, 2]);
    expect(Array.from(lonely.hi.subarray(0, 2))).toEqual([1, 2]);
    const none = curveBand([Float64Array.of(NaN), Float64Array.of(NaN)], { kind: 'ci95', seed: 0 });
    expect(none.mean[0]).toBeNaN();
    expect(none.lo[0]).toBeNaN();
  });

  it('measures the speed of ci95 on 20 seeds × 2,000 points × 2,000 resamples (logged, not asserted)', () => {
    const gen = new Rng(123);
    const big = Array.from({ length: 20 }, () => Float64Array.from({ length: 2000 }, (_, i) => Math.log1p(i) + gen.normal()));
    big[3]![100] = NaN; // exercise the missing-value path too
    curveBand(big, { kind: 'ci95', seed: 0, resamples: 200 }); // warm up the JIT
    const t0 = performance.now();
    const band = curveBand(big, { kind: 'ci95', seed: 0, resamples: 2000 });
    const ms = performance.now() - t0;
    console.log(`curveBand ci95, 20 seeds × 2,000 points × 2,000 resamples: ${ms.toFixed(0)} ms`);
    expect(band.mean.length).toBe(2000);
    for (let i = 0; i < 2000; i += 97) expect(band.lo[i]!).toBeLessThanOrEqual(band.hi[i]!);
  });
});
