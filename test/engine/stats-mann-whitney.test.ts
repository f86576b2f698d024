// The Mann–Whitney test and Holm's adjustment behind Compare's verdicts (stats/mann-whitney.ts):
// exact p-values against hand counts, scipy and a brute-force enumeration of every split, ties by
// their midranks, the normal approximation against scipy's, and Holm against a hand computation.
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import { EXACT_RANK_SUM_WORK, holmAdjust, mannWhitneyTest, probabilityOfImprovement } from '../../src/engine/stats';
import { erfc } from '../../src/engine/stats/mann-whitney';

/** Every choice of m of the pooled values as x, counted by brute force: P(|W − μ| ≥ |w − μ|) with midranks. */
function bruteForceP(x: readonly number[], y: readonly number[]): number {
  const pooled = [...x, ...y];
  const n = pooled.length;
  const rank = pooled.map((v) => pooled.filter((w) => w < v).length + (pooled.filter((w) => w === v).length + 1) / 2);
  const mu = (x.length * (n + 1)) / 2;
  const observed = Math.abs(rank.slice(0, x.length).reduce((a, r) => a + r, 0) - mu);
  let tail = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        bits++;
        sum += rank[i]!;
      }
    }
    if (bits !== x.length) continue;
    total++;
    if (Math.abs(sum - mu) >= observed - 1e-9) tail++;
  }
  return tail / total;
}

describe('mannWhitneyTest', () => {
  it('gives a complete separation its exact two-sided p, 2 / C(a + b, a): 0.1 at 3 against 3, 2/252 at 5 against 5', () => {
    expect(mannWhitneyTest([4, 5, 6], [1, 2, 3]).p).toBeCloseTo(0.1, 14);
    expect(mannWhitneyTest([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, p: expect.closeTo(0.1, 14), exact: true });
    expect(mannWhitneyTest([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(2 / 252, 14);
    expect(mannWhitneyTest([1, 2, 3, 4], [5, 6, 7, 8]).p).toBeCloseTo(2 / 70, 14);
  });

  it('counts the rank sums as a hand enumeration does: ranks 1, 2, 4 of 6 give p = 4/20', () => {
    // Sums of 3 of the ranks 1..6: 6 and 7 at or below the observed 7, 14 and 15 as far above μ = 10.5.
    expect(mannWhitneyTest([1, 2, 4], [3, 5, 6])).toEqual({ u: 1, p: expect.closeTo(0.2, 14), exact: true });
  });

  it('matches scipy.stats.mannwhitneyu(method="exact") without ties', () => {
    // scipy 1.17: statistic 4, p 0.05194805194805195 (= 24/462).
    const r = mannWhitneyTest([1.1, 2.5, 3.2, 4.8, 0.3, 2.2], [3.3, 5.1, 4.4, 6.2, 2.9]);
    expect(r.u).toBe(4);
    expect(r.p).toBeCloseTo(0.05194805194805195, 14);
  });

  it('gives tied runs their midranks, two-sided by the distance from the mean where ties make the distribution lopsided', () => {
    // 1, 2 against 2, 3: midranks 1, 2.5, 2.5, 4; x's sum 3.5 is 1.5 from μ = 5; of the 6 splits,
    // 3.5 (twice) and 6.5 (twice) lie as far: p = 4/6.
    expect(mannWhitneyTest([1, 2], [2, 3])).toEqual({ u: 0.5, p: expect.closeTo(4 / 6, 14), exact: true });
    // 0, 0, 0 against 0, 1, 1: midranks 2.5 (4 runs) and 5.5 (2); x's sum 7.5, 3 below μ = 10.5, is
    // reached 4 ways of 20 and 13.5 another 4: p = 0.4, where the same split untied gives 0.1.
    expect(mannWhitneyTest([0, 0, 0], [0, 1, 1]).p).toBeCloseTo(0.4, 14);
    // 0, 0 against 0, 1, 1: sums 4 (3 ways of 10), 6.5 (6), 9 (1); μ = 6, so p = P(|W − 6| ≥ 2) =
    // 4/10, not twice the lower tail (0.6).
    expect(mannWhitneyTest([0, 0], [0, 1, 1])).toEqual({ u: 1, p: expect.closeTo(0.4, 14), exact: true });
    // Every run tied: nothing to tell apart.
    expect(mannWhitneyTest([3, 3, 3, 3, 3], [3, 3, 3, 3, 3]).p).toBe(1);
  });

  it('agrees with a brute-force enumeration of every split on random tied and untied groups', () => {
    const rng = new Rng(7, Stream.env);
    for (let trial = 0; trial < 40; trial++) {
      const a = 2 + rng.int(6);
      const b = 2 + rng.int(14 - a);
      const coarse = trial % 2 === 0; // rounded to whole numbers: many ties
      const x = Array.from({ length: a }, () => (coarse ? Math.round(2 * rng.normal()) : rng.normal()));
      const y = Array.from({ length: b }, () => (coarse ? Math.round(2 * rng.normal() + 1) : rng.normal() + 1));
      expect(mannWhitneyTest(x, y).p).toBeCloseTo(bruteForceP(x, y), 12);
    }
  });

  it('is U / (n_x n_y) = rliable’s P(X > Y), the same p both ways round, and leaves NaN out', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    const y = [2, 7, 1, 8, 2, 8];
    const xy = mannWhitneyTest(x, y);
    const yx = mannWhitneyTest(y, x);
    expect(xy.u / (x.length * y.length)).toBeCloseTo(probabilityOfImprovement([Float64Array.from(x)], [Float64Array.from(y)]), 14);
    expect(xy.u + yx.u).toBe(x.length * y.length);
    expect(yx.p).toBeCloseTo(xy.p, 14);
    expect(mannWhitneyTest([...x, NaN], y)).toEqual(xy);
    expect(mannWhitneyTest([NaN], y).p).toBeNaN();
  });

  it('matches scipy’s exact p without ties, and its asymptotic p (tie and continuity corrections) when the approximation is asked for', () => {
    // scipy 1.17 mannwhitneyu(method="asymptotic", use_continuity=True), 31 against 31 with ties.
    const x = [0, 4, 7, 1, 5, 8, 2, 6, 9, 3, 7, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 1, 4, 8, 2, 5, 9, 3, 6, 10];
    const y = [1, 6, 2, 7, 3, 8, 4, 9, 5, 10, 6, 1, 7, 2, 8, 3, 8, 4, 9, 5, 10, 6, 1, 7, 2, 8, 3, 8, 4, 9, 5];
    expect(mannWhitneyTest(x, y, 'normal')).toEqual({ u: 433.5, p: expect.closeTo(0.5106880178600794, 6), exact: false });
    expect(mannWhitneyTest(x, y)).toEqual({ u: 433.5, p: expect.closeTo(0.5106880178600794, 2), exact: true });
    // Without ties: scipy's exact p 0.07363698393753458, asymptotic 0.0737794213555026.
    const x2 = Array.from({ length: 31 }, (_, i) => ((i * 37) % 101) / 10);
    const y2 = Array.from({ length: 31 }, (_, i) => ((i * 53) % 97) / 10 + 2.05);
    expect(mannWhitneyTest(x2, y2)).toEqual({ u: 353, p: expect.closeTo(0.07363698393753458, 12), exact: true });
    expect(mannWhitneyTest(x2, y2, 'normal').p).toBeCloseTo(0.0737794213555026, 6);
  });

  it('counts exactly up to EXACT_RANK_SUM_WORK, where the approximation’s error in the tail Holm reads is down to about a tenth', () => {
    expect(70 * 140).toBeLessThanOrEqual(EXACT_RANK_SUM_WORK);
    expect(mannWhitneyTest(new Array(70).fill(0), new Array(70).fill(1)).exact).toBe(true);
    expect(mannWhitneyTest(new Array(71).fill(0), new Array(71).fill(1)).exact).toBe(false);
    const rng = new Rng(11, Stream.env);
    let worst = 0;
    let compared = 0;
    // A shift of 0.4 sd: p mostly between 0.0005 and 0.1, the range 2 to 45 pairs' Holm thresholds span.
    for (let trial = 0; trial < 30 && compared < 5; trial++) {
      const x = Array.from({ length: 70 }, () => Math.round(4 * rng.normal() + 1.6));
      const y = Array.from({ length: 70 }, () => Math.round(4 * rng.normal()));
      const exact = mannWhitneyTest(x, y).p;
      if (exact < 0.0005 || exact > 0.1) continue;
      compared++;
      worst = Math.max(worst, Math.abs(mannWhitneyTest(x, y, 'normal').p - exact) / exact);
    }
    expect(compared).toBe(5);
    expect(worst).toBeLessThan(0.15);
    // Far below it, the approximation is no stand-in: 4 against 30, complete separation.
    const separated = mannWhitneyTest([10, 11, 12, 13], Array.from({ length: 30 }, (_, i) => i / 10));
    expect(separated.p).toBeCloseTo(2 / 46376, 14);
    expect(mannWhitneyTest([10, 11, 12, 13], Array.from({ length: 30 }, (_, i) => i / 10), 'normal').p / separated.p).toBeGreaterThan(3);
  });

  it('erfc matches known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(erfc(1.959963984540054 / Math.SQRT2)).toBeCloseTo(0.05, 7);
  });
});

describe('holmAdjust', () => {
  it('multiplies the k-th smallest of m p-values by m − k + 1 and keeps the result non-decreasing (R’s p.adjust(p, "holm"))', () => {
    // Sorted 0.005, 0.01, 0.03, 0.04 → 0.02, 0.03, 0.06, max(0.04, 0.06) = 0.06.
    const adjusted = Array.from(holmAdjust([0.01, 0.04, 0.03, 0.005]));
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 14));
    // 0.02 · 3, 0.3 · 2, then 0.5 · 1 raised to the 0.6 before it.
    const raised = Array.from(holmAdjust([0.5, 0.3, 0.02]));
    [0.6, 0.6, 0.06].forEach((p, i) => expect(raised[i]).toBeCloseTo(p, 14));
    expect(Array.from(holmAdjust([0.4, 0.45]))).toEqual([0.8, 0.8]);
    expect(Array.from(holmAdjust([0.7, 0.9]))).toEqual([1, 1]);
    expect(Array.from(holmAdjust([0.04]))).toEqual([0.04]);
    expect(Array.from(holmAdjust([NaN, 0.01]))).toEqual([1, 0.02]);
    expect(holmAdjust([])).toHaveLength(0);
  });
});
