// The sliders' adapter around the engine's EMA: clamps the slider into [0, 0.999] and hands chart.js
// plain arrays (the estimator itself is tested in test/engine/stats-curves.test.ts); and the
// improvement matrix's caution for groups of few runs.
import { describe, expect, it } from 'vitest';
import { tHalfWidth95 } from '../../src/engine/stats/describe';
import { Rng } from '../../src/engine/rng';
import { emaSmooth, smoothedGroupCurve } from '../../src/renderer/src/components/compare-smoothing';
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

  it('does not promise an interval of [1, 1] when the smallest group has one run: the matrix writes no interval there', async () => {
    const { fewRunsCaution, probabilityTexts } = await import('../../src/shared/compare-text');
    // The cell of a one-run group beside its caution: "n/a (1 run)", not "[1, 1]".
    const improvement = [
      [null, { p: 1, lo: 1, hi: 1 }],
      [{ p: 0, lo: 0, hi: 0 }, null],
    ];
    expect(probabilityTexts(improvement as never, 0, 1, [1, 2])[1]).toBe('n/a (1 run)');
    for (const runs of [[1, 1], [1, 2], [1, 8]]) {
      const caution = fewRunsCaution(runs)!;
      expect(caution).not.toContain('[1, 1]');
      expect(caution).toContain('a group of one run has no interval at all');
    }
    expect(fewRunsCaution([2, 2])).toContain('the bootstrap interval would still read [1, 1]');
  });
});

describe('smoothedGroupCurve', () => {
  /** A group as the contract gives it: runs of a rising curve plus each episode's own noise. */
  function group(runs: number, length: number, ends: number[] = []) {
    const rng = new Rng(7);
    const runValues = Array.from({ length: runs }, (_, r) =>
      Array.from({ length }, (_, i) => (i < (ends[r] ?? length) ? Math.min(i, 40) + r * 0.5 + (rng.normal() * 10) : null)),
    );
    const mean = Array.from({ length }, (_, i) => {
      const present = runValues.map((v) => v[i]).filter((v): v is number => v !== null);
      return present.reduce((a, b) => a + b, 0) / present.length;
    });
    // The raw band (weight 0 draws it as it is): t interval across the runs at each point.
    const half = Array.from({ length }, (_, i) => {
      const present = runValues.map((v) => v[i]).filter((v): v is number => v !== null);
      if (present.length < 2) return 0;
      const sd = Math.sqrt(present.reduce((a, v) => a + (v - mean[i]!) ** 2, 0) / (present.length - 1));
      return tHalfWidth95(sd, present.length);
    });
    return { mean, lo: mean.map((m, i) => m - half[i]!), hi: mean.map((m, i) => m + half[i]!), runValues };
  }

  it('bands the seeds’ smoothed curves: the line is the smoothed mean, the band its own t interval', () => {
    const g = group(10, 200);
    const drawn = smoothedGroupCurve(g, 0.95, 'ci95');
    // Every run has a value everywhere: the line is the EMA of the mean (the EMA is linear).
    emaSmooth(g.mean, 0.95).forEach((y, i) => expect(drawn.y[i]).toBeCloseTo(y, 9));
    // At the last point, by hand: the t interval of the ten smoothed values.
    const last = g.runValues.map((v) => emaSmooth(v as number[], 0.95).at(-1)!);
    const m = last.reduce((a, b) => a + b, 0) / last.length;
    const sd = Math.sqrt(last.reduce((a, v) => a + (v - m) ** 2, 0) / (last.length - 1));
    expect(drawn.lo!.at(-1)).toBeCloseTo(m - tHalfWidth95(sd, 10), 9);
    expect(drawn.hi!.at(-1)).toBeCloseTo(m + tHalfWidth95(sd, 10), 9);
    // The raw band's bounds smoothed (what it drew before) keep each episode's noise: several times as wide.
    const oldHalf = (emaSmooth(g.hi, 0.95).at(-1)! - emaSmooth(g.lo, 0.95).at(-1)!) / 2;
    expect(oldHalf / tHalfWidth95(sd, 10)).toBeGreaterThan(2);
    drawn.y.forEach((y, i) => {
      expect(drawn.lo![i]!).toBeLessThanOrEqual(y + 1e-9);
      expect(y).toBeLessThanOrEqual(drawn.hi![i]! + 1e-9);
    });
  });

  it('takes the range of the smoothed curves for min – max, and leaves a run out past its end', () => {
    const g = group(3, 60, [60, 60, 30]);
    const drawn = smoothedGroupCurve(g, 0.9, 'minmax');
    const smoothed = g.runValues.map((v) => emaSmooth(v.map((x) => x ?? NaN), 0.9));
    for (const i of [10, 29, 45, 59]) {
      const present = smoothed.map((s) => s[i]!).filter((v) => !Number.isNaN(v));
      expect(present).toHaveLength(i < 30 ? 3 : 2);
      expect(drawn.lo![i]).toBe(Math.min(...present));
      expect(drawn.hi![i]).toBe(Math.max(...present));
      expect(drawn.y[i]).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length, 9);
    }
  });

  it('draws the group’s own line and band unsmoothed, and no band for one run', () => {
    const g = group(4, 20);
    expect(smoothedGroupCurve(g, 0, 'ci95')).toEqual({ y: g.mean, lo: g.lo, hi: g.hi });
    const one = group(1, 20);
    const drawn = smoothedGroupCurve(one, 0.6, 'ci95');
    expect(drawn.lo).toBeUndefined();
    expect(drawn.y).toEqual(emaSmooth(one.runValues[0] as number[], 0.6));
  });

  it('draws no band where it is null (one seed there), rather than a zero-width one', () => {
    // Two seeds, one ending after 3 points: its tail has one seed, no spread, a null band.
    const group = { mean: [1, 2, 3, 4, 5], lo: [0, 1, 2, null, null], hi: [2, 3, 4, null, null], runValues: [[0.5, 1.5, 2.5, 4, 5], [1.5, 2.5, 3.5, null, null]] };
    for (const weight of [0, 0.6]) {
      const drawn = smoothedGroupCurve(group, weight, 'ci95');
      expect(drawn.lo!.slice(3)).toEqual([NaN, NaN]); // a gap chart.js skips, not the line
      expect(drawn.hi!.slice(3)).toEqual([NaN, NaN]);
      expect(drawn.lo!.slice(0, 3).every(Number.isFinite)).toBe(true);
      expect(drawn.y.every(Number.isFinite)).toBe(true);
    }
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
