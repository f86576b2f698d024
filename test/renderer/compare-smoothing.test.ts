// The sliders' adapter around the engine's EMA: clamps the slider into [0, 0.999] and hands chart.js
// plain arrays (the estimator itself is tested in test/engine/stats-curves.test.ts); and the
// improvement matrix's caution for groups of few runs.
import { describe, expect, it } from 'vitest';
import { emaSmooth, smoothBand } from '../../src/renderer/src/components/compare-smoothing';
import { autoSmoothing } from '../../src/renderer/src/url-state';

describe('slider smoothing', () => {
  it('starts at the first value (debiased), returns a plain array', () => {
    const out = emaSmooth([10, 0], 0.9);
    expect(Array.isArray(out)).toBe(true);
    expect(out[0]).toBe(10);
    expect(out[1]).toBeCloseTo((0.9 * 0.1 * 10) / (1 - 0.81), 12); // last = 0.9·1 + 0.1·0 = 0.9… debiased by 1 − 0.9²
  });
  it('clamps weights to [0, 0.999] instead of throwing', () => {
    expect(emaSmooth([1, 2, 3], -1)).toEqual([1, 2, 3]);
    expect(emaSmooth([1, 2, 3], 5)).toEqual(emaSmooth([1, 2, 3], 0.999));
    expect(emaSmooth([1, 2, 3], NaN)).toEqual([1, 2, 3]);
  });
});

describe('the improvement matrix’s few-runs caution', () => {
  it('gives the exact chance of a complete separation when a group has fewer than 5 runs', async () => {
    const { fewRunsCaution } = await import('../../src/shared/compare-text');
    expect(fewRunsCaution([10, 10])).toBeNull();
    expect(fewRunsCaution([5, 7, 12])).toBeNull();
    expect(fewRunsCaution([3])).toBeNull(); // one group: no matrix
    // 2 against 2 runs: C(4, 2) = 6 orderings; 3 against 3: C(6, 3) = 20; the two smallest groups count.
    expect(fewRunsCaution([2, 2])).toContain('have 2 and 2. ');
    expect(fewRunsCaution([2, 2])).toContain('1 in 3 (p = 0.333,');
    expect(fewRunsCaution([10, 3, 3])).toContain('1 in 10 (p = 0.100,');
    expect(fewRunsCaution([4, 30])).toContain('1 in 23,188 (p = 4.3e-5,');
    // An odd number of orderings: 1 against 2 runs, C(3, 1) = 3, so 1 in 1.5; 3 against 4, C(7, 3) = 35, 1 in 17.5.
    expect(fewRunsCaution([1, 2])).toContain('1 in 1.5 (p = 0.667,');
    expect(fewRunsCaution([3, 4])).toContain('1 in 17.5 (p = 0.057,');
  });
});

describe('smoothBand', () => {
  it('keeps the smoothed line inside its smoothed band, where a raw band beside it would not hold it', () => {
    // A curve rising fast with a narrow band: the smoothed mean lags below the raw band early on.
    const mean = Array.from({ length: 50 }, (_, i) => Math.min(i * 4, 100));
    const lo = mean.map((m) => m - 2);
    const hi = mean.map((m) => m + 2);
    const smoothed = smoothBand(mean, lo, hi, 0.9);
    expect(smoothed.y.some((y, i) => y < lo[i]!)).toBe(true); // the raw band leaves the line
    smoothed.y.forEach((y, i) => {
      expect(smoothed.lo[i]!).toBeLessThanOrEqual(y + 1e-9);
      expect(y).toBeLessThanOrEqual(smoothed.hi[i]! + 1e-9);
    });
    expect(smoothed.y).toEqual(emaSmooth(mean, 0.9));
    expect(smoothBand(mean, lo, hi, 0)).toEqual({ y: mean, lo, hi });
  });
});

describe('finalWindowNote', () => {
  it('says when the final window reaches past the runs, and is silent when it does not', async () => {
    const { finalWindowNote } = await import('../../src/shared/compare-text');
    expect(finalWindowNote({ finalWindow: 100, episodes: { shortest: 500, longest: 500 } })).toBeUndefined();
    expect(finalWindowNote({ finalWindow: 999_999, episodes: { shortest: 50, longest: 50 } })).toBe(
      "the window is as long as the longest run here (50 episodes) or longer: each run's final value is the mean over all its episodes",
    );
    expect(finalWindowNote({ finalWindow: 100, episodes: { shortest: 40, longest: 500 } })).toMatch(/^the window is longer than the shortest run here \(40 episodes\)/);
  });
});

describe('autoSmoothing', () => {
  it("keeps TensorBoard's 0.6 for short curves and spans about 1 % of a long curve's points", () => {
    expect(autoSmoothing(0)).toBe(0.6);
    expect(autoSmoothing(50)).toBe(0.6);
    expect(autoSmoothing(250)).toBe(0.6);
    expect(autoSmoothing(500)).toBe(0.8);
    expect(autoSmoothing(2000)).toBe(0.95); // Run detail's and Compare's bucket means
    expect(autoSmoothing(200_000)).toBe(0.99); // the slider's end
    // Never less smoothing for more points, and always a value the slider (step 0.01) can show.
    let last = 0;
    for (let n = 1; n <= 20_000; n += 7) {
      const w = autoSmoothing(n);
      expect(w).toBeGreaterThanOrEqual(last);
      expect(Math.round(w * 100) / 100).toBe(w);
      last = w;
    }
  });
});
