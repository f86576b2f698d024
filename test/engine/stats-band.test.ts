// The learning-curve band across seeds (curveBand): the 95 % band is Student's t interval of the
// mean at each x, recomputed here with plain loops and t quantiles written down; min–max and ± one
// standard deviation; a seed missing at an x left out there only; fewer than 2 seeds, no band.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { curveBand } from '../../src/engine/stats';

/** t_{0.975, ν} (scipy.stats.t.ppf(0.975, ν)): ν = 2 for 3 seeds, 4 for 5. */
const T975: Record<number, number> = { 2: 4.30265273, 4: 2.776445105 };

/** mean ± t_{0.975, n−1} · s / √n over the values, s with the n − 1 denominator, by plain loops. */
function tBand(values: readonly number[]): { mean: number; lo: number; hi: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  const s = Math.sqrt(squares / (values.length - 1));
  const half = (T975[values.length - 1]! * s) / Math.sqrt(values.length);
  return { mean, lo: mean - half, hi: mean + half };
}

describe('curveBand', () => {
  const rng = new Rng(9);
  const series = Array.from({ length: 6 }, (_, s) => Float64Array.from({ length: 50 }, (_, i) => i * 0.1 + s + rng.normal()));

  it("'ci95' is Student's t 95 % interval of the mean over the seeds at each x (5 seeds, then 3)", () => {
    const five = series.slice(0, 5);
    const band = curveBand(five, 'ci95');
    for (const i of [0, 7, 31, 49]) {
      const expected = tBand(five.map((s) => s[i]!));
      expect(band.mean[i]).toBeCloseTo(expected.mean, 12);
      expect(band.lo[i]).toBeCloseTo(expected.lo, 9);
      expect(band.hi[i]).toBeCloseTo(expected.hi, 9);
    }
    // Three seeds, two of them ending early: past x = 29 the band is over the seed that remains, none.
    const three = [series[0]!, series[1]!.subarray(0, 30), series[2]!.subarray(0, 30)];
    const short = curveBand(three, 'ci95');
    for (const i of [3, 29]) {
      const expected = tBand(three.map((s) => s[i]!));
      expect(short.lo[i]).toBeCloseTo(expected.lo, 9);
      expect(short.hi[i]).toBeCloseTo(expected.hi, 9);
    }
    expect(short.mean[30]).toBe(series[0]![30]);
    expect([short.lo[30], short.hi[30]]).toEqual([NaN, NaN]);
  });

  it("'ci95' with 3 seeds is 4.3 / √3 sample standard deviations each side, wider than the bootstrap band it replaced", () => {
    // Seeds at 0, 1 and 5: mean 2, s = √7, half-width 4.3027 · √7 / √3 ≈ 6.573, so [−4.573, 8.573].
    // The percentile bootstrap of the mean stayed within [0, 5], the seeds' range: any resample's mean does.
    const band = curveBand([Float64Array.of(0), Float64Array.of(1), Float64Array.of(5)], 'ci95');
    const half = (4.30265273 * Math.sqrt(7)) / Math.sqrt(3);
    expect(band.mean[0]).toBeCloseTo(2, 12);
    expect(band.lo[0]).toBeCloseTo(2 - half, 8);
    expect(band.hi[0]).toBeCloseTo(2 + half, 8);
    expect(band.lo[0]).toBeLessThan(-4.5);
    expect(band.hi[0]).toBeGreaterThan(8.5);
  });

  it("'minmax' equals the per-x min and max, and the mean the per-x mean", () => {
    const band = curveBand(series, 'minmax');
    for (let i = 0; i < 50; i++) {
      const column = series.map((s) => s[i]!);
      expect(band.lo[i]).toBe(Math.min(...column));
      expect(band.hi[i]).toBe(Math.max(...column));
      expect(band.mean[i]).toBeCloseTo(column.reduce((a, v) => a + v, 0) / column.length, 12);
    }
  });

  it("'std' is mean ± the sample standard deviation over seeds", () => {
    const band = curveBand(series, 'std');
    for (const i of [0, 17, 49]) {
      const column = series.map((s) => s[i]!);
      const mean = column.reduce((a, v) => a + v, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / (column.length - 1));
      expect(band.lo[i]).toBeCloseTo(mean - std, 12);
      expect(band.hi[i]).toBeCloseTo(mean + std, 12);
    }
  });

  it('leaves a seed missing at x out at that x only; fewer than 2 seeds ⇒ no band: lo = hi = NaN, not a zero-width band', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const b = Float64Array.of(5, NaN, 7, 8);
    const c = Float64Array.of(9, 10, NaN); // shorter: missing at x = 3
    for (const kind of ['minmax', 'std', 'ci95'] as const) {
      const band = curveBand([a, b, c], kind);
      const pair = curveBand([Float64Array.of(a[1]!), Float64Array.of(c[1]!)], kind);
      expect(band.mean[1]).toBe(6);
      expect([band.lo[1], band.hi[1]]).toEqual([pair.lo[0], pair.hi[0]]);
      // x = 2: only a and b; x = 3: only a and b as well.
      expect(band.mean[2]).toBe(5);
      expect(band.mean[3]).toBe(6);
      const lonely = curveBand([a, Float64Array.of(NaN, NaN, 1, NaN)], kind);
      expect(Array.from(lonely.mean.subarray(0, 2))).toEqual([1, 2]);
      expect(Array.from(lonely.lo.subarray(0, 2))).toEqual([NaN, NaN]);
      expect(Array.from(lonely.hi.subarray(0, 2))).toEqual([NaN, NaN]);
      expect(lonely.hi[2]).toBeGreaterThan(lonely.lo[2]!); // two seeds at x = 2: a band
      const one = curveBand([a], kind);
      expect(Array.from(one.mean)).toEqual(Array.from(a));
      expect([Array.from(one.lo), Array.from(one.hi)]).toEqual([[NaN, NaN, NaN, NaN], [NaN, NaN, NaN, NaN]]);
      const none = curveBand([Float64Array.of(NaN), Float64Array.of(NaN)], kind);
      expect(none.mean[0]).toBeNaN();
      expect(none.lo[0]).toBeNaN();
    }
  });
});
