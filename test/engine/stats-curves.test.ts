// Curve statistics for the Run view: TensorBoard smoothing, LTTB downsampling, min/max buckets.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { emaSmooth, lttb, minMaxBuckets } from '../../src/engine/stats';

/** Independent form of the debiased EMA: a weighted average of the finite values so far, weights w^(k−j). */
function weightedAverages(values: number[], w: number): number[] {
  const seen: number[] = [];
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    seen.push(v);
    let num = 0;
    let den = 0;
    seen.forEach((u, j) => {
      const weight = w ** (seen.length - 1 - j);
      num += weight * u;
      den += weight;
    });
    return num / den;
  });
}

describe('emaSmooth', () => {
  it('matches a hand computation: [1, 2, 3] at w = 0.5 → [1, 5/3, 17/7]', () => {
    // last: 0.5, 1.25, 2.125; debias by 1 − 0.5^k: 0.5, 0.75, 0.875.
    const s = emaSmooth(Float64Array.of(1, 2, 3), 0.5);
    expect(s[0]).toBeCloseTo(1, 15);
    expect(s[1]).toBeCloseTo(5 / 3, 15);
    expect(s[2]).toBeCloseTo(17 / 7, 15);
  });

  it('is debiased as TensorBoard does: the first smoothed value is the first value, not (1 − w)·v', () => {
    const s = emaSmooth(Float64Array.of(10, 0, 0, 0), 0.9);
    expect(s[0]).toBeCloseTo(10, 12);
    // Weighted average of 10, 0 with weights 0.9, 1.
    expect(s[1]).toBeCloseTo(9 / 1.9, 12);
  });

  it('equals the normalised weighted average of the values so far on a random series', () => {
    const rng = new Rng(5);
    const values = Array.from({ length: 200 }, () => rng.normal() * 3 + 1);
    const s = emaSmooth(Float64Array.from(values), 0.95);
    const expected = weightedAverages(values, 0.95);
    for (let i = 0; i < values.length; i++) expect(s[i]).toBeCloseTo(expected[i]!, 9);
  });

  it('weight 0 is the identity', () => {
    const values = Float64Array.of(3, -1, 7.25, 0.1, 1e9);
    expect(Array.from(emaSmooth(values, 0))).toEqual(Array.from(values));
  });

  it('keeps NaN and ±Infinity in place and leaves them out of the average', () => {
    const s = emaSmooth(Float64Array.of(1, NaN, 3, Infinity), 0.5);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeNaN();
    // As if the series were [1, 3]: (0.5·1 + 3)/1.5 = 7/3, not fed a 0 or NaN in between.
    expect(s[2]).toBeCloseTo(7 / 3, 15);
    expect(s[3]).toBe(Infinity);
    const withoutGaps = emaSmooth(Float64Array.of(1, 3), 0.5);
    expect(s[2]).toBe(withoutGaps[1]);
  });

  it('returns a constant series unchanged and rejects weights outside [0, 1)', () => {
    expect(Array.from(emaSmooth(Float64Array.of(0.1, 0.1, 0.1), 0.99))).toEqual([0.1, 0.1, 0.1]);
    expect(emaSmooth(new Float64Array(0), 0.6).length).toBe(0);
    expect(() => emaSmooth(Float64Array.of(1, 2), 1)).toThrow(RangeError);
    expect(() => emaSmooth(Float64Array.of(1, 2), -0.1)).toThrow(RangeError);
  });
});

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);

describe('lttb', () => {
  it('keeps first and last and returns exactly `threshold` ascending indices', () => {
    const rng = new Rng(1);
    const xs = range(1000);
    const ys = Float64Array.from(xs, () => rng.normal());
    for (const threshold of [3, 4, 17, 100, 999]) {
      const kept = lttb(xs, ys, threshold);
      expect(kept.length).toBe(threshold);
      expect(kept[0]).toBe(0);
      expect(kept[threshold - 1]).toBe(999);
      for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
    }
  });

  it('picks the obvious spike in a flat series', () => {
    const xs = range(100);
    const ys = new Float64Array(100);
    ys[37] = 50;
    ys[81] = -20;
    const kept = Array.from(lttb(xs, ys, 10));
    expect(kept).toContain(37);
    expect(kept).toContain(81);
  });

  it('chooses by triangle area, not by the largest y (hand example)', () => {
    // One bucket {1, 2, 3} between A = (0, 0) and C = (4, 4); twice the area is 4·|x_j − y_j|:
    // j = 1 → 8, j = 2 → 8, j = 3 → 12. Point 1 has the largest y but point 3 is farthest from AC.
    expect(Array.from(lttb(range(5), Float64Array.of(0, 3, 0, 0, 4), 3))).toEqual([0, 3, 4]);
    expect(Array.from(lttb(range(5), Float64Array.of(0, 1, 5, 2, 0), 3))).toEqual([0, 2, 4]);
  });

  it('keeps everything when threshold ≥ n, and just the ends when threshold < 3', () => {
    const xs = range(6);
    const ys = Float64Array.of(1, 5, 2, 8, 3, 9);
    expect(Array.from(lttb(xs, ys, 6))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(lttb(xs, ys, 50))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(lttb(xs, ys, 2))).toEqual([0, 5]);
    expect(Array.from(lttb(xs, ys, 0))).toEqual([0, 5]);
    expect(Array.from(lttb(range(1), Float64Array.of(4), 1))).toEqual([0]);
  });
});

describe('minMaxBuckets', () => {
  it('min, max and mean of every bucket equal an independent recomputation (NaN left out)', () => {
    const rng = new Rng(2);
    const n = 1003;
    const xs = Float64Array.from({ length: n }, (_, i) => i * 0.5);
    const ys = Float64Array.from({ length: n }, () => (rng.next() < 0.05 ? NaN : rng.normal()));
    const m = 10;
    const out = minMaxBuckets(xs, ys, m);
    expect(out.x.length).toBe(m);
    let covered = 0;
    for (let b = 0; b < m; b++) {
      const start = Math.floor((b * n) / m);
      const end = Math.floor(((b + 1) * n) / m);
      covered += end - start;
      const bucketY = Array.from(ys.slice(start, end)).filter((v) => !Number.isNaN(v));
      const bucketX = Array.from(xs.slice(start, end));
      expect(out.min[b]).toBe(Math.min(...bucketY));
      expect(out.max[b]).toBe(Math.max(...bucketY));
      expect(out.mean[b]).toBeCloseTo(bucketY.reduce((s, v) => s + v, 0) / bucketY.length, 12);
      expect(out.x[b]).toBeCloseTo(bucketX.reduce((s, v) => s + v, 0) / bucketX.length, 12);
    }
    expect(covered).toBe(n);
  });

  it('gives one bucket per point when maxPoints ≥ n, and NaN for an all-NaN bucket', () => {
    const out = minMaxBuckets(Float64Array.of(0, 1, 2), Float64Array.of(4, NaN, 6), 8);
    expect(Array.from(out.x)).toEqual([0, 1, 2]);
    expect(Array.from(out.min)).toEqual([4, NaN, 6]);
    expect(Array.from(out.max)).toEqual([4, NaN, 6]);
    expect(() => minMaxBuckets(range(3), range(3), 0)).toThrow(RangeError);
  });
});
