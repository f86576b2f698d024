// The Wilcoxon signed-rank test behind Compare's paired verdicts (stats/wilcoxon.ts): exact p-values
// against a textbook example, hand counts, scipy and a brute-force enumeration of every sign
// pattern (ties by their midranks), zeros left out, and the normal approximation against scipy's.
import { describe, expect, it } from 'vitest';
import { EXACT_SIGNED_RANK_N, wilcoxonSignedRankTest } from '../../src/engine/stats';

/** Every sign pattern of the nonzero |d|, counted by brute force: P(|T⁺ − μ| ≥ |t⁺ − μ|) with midranks. */
function bruteForceP(d: readonly number[]): number {
  const nz = d.filter((v) => v !== 0);
  const n = nz.length;
  const abs = nz.map(Math.abs);
  const rank = abs.map((v) => abs.filter((w) => w < v).length + (abs.filter((w) => w === v).length + 1) / 2);
  const mu = (n * (n + 1)) / 4;
  const observed = Math.abs(nz.reduce((a, v, i) => a + (v > 0 ? rank[i]! : 0), 0) - mu);
  let tail = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += rank[i]!;
    if (Math.abs(sum - mu) >= observed - 1e-9) tail++;
  }
  return tail / (1 << n);
}

describe('wilcoxonSignedRankTest', () => {
  it('gives every difference of one sign its exact two-sided p, 2 / 2^n: 0.0625 with 5 pairs, 0.03125 with 6', () => {
    expect(wilcoxonSignedRankTest([1, 2, 3, 4, 5])).toEqual({ n: 5, plus: 15, minus: 0, p: 0.0625, exact: true });
    expect(wilcoxonSignedRankTest([-1, -2, -3, -4, -5, -6]).p).toBe(0.03125);
    expect(wilcoxonSignedRankTest([-1, -2, -3, -4, -5, -6]).minus).toBe(21);
  });

  it('matches Hollander & Wolfe\'s depression example (§3.1, Table 3.1: T⁺ = 40, two-sided p = 0.039) and scipy', () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const test = wilcoxonSignedRankTest(x.map((v, i) => v - y[i]!));
    expect(test.plus).toBe(40);
    expect(test.minus).toBe(5);
    // scipy.stats.wilcoxon(x - y, method='exact').pvalue: 0.0390625 = 20 / 512
    expect(test.p).toBeCloseTo(0.0390625, 14);
    expect(test.exact).toBe(true);
    // scipy.stats.wilcoxon([3, -1, 4, -1.5, 5, 9, 2.6, 5.3, -5.8, 9.7, -7.9, 3.2], method='exact'): 0.20361328125
    expect(wilcoxonSignedRankTest([3, -1, 4, -1.5, 5, 9, 2.6, 5.3, -5.8, 9.7, -7.9, 3.2]).p).toBeCloseTo(0.20361328125, 14);
  });

  it('is two-sided and symmetric: negating the differences swaps T⁺ and T⁻ and keeps p', () => {
    const d = [0.3, -0.1, 0.7, 0.2, -0.4, 0.9, 0.5, 0.05];
    const a = wilcoxonSignedRankTest(d);
    const b = wilcoxonSignedRankTest(d.map((v) => -v));
    expect([b.plus, b.minus]).toEqual([a.minus, a.plus]);
    expect(b.p).toBeCloseTo(a.p, 15);
  });

  it('matches scipy\'s exact p at 30 pairs, and its normal approximation when forced', () => {
    const d = Array.from({ length: 30 }, (_, k) => Math.sin((k + 1) * 1.7) + 0.3);
    const exact = wilcoxonSignedRankTest(d);
    // scipy.stats.wilcoxon(d, method='exact'): statistic min(T⁺, T⁻) = 126, p 0.027741437777876854
    expect(Math.min(exact.plus, exact.minus)).toBe(126);
    expect(exact.exact).toBe(true);
    expect(exact.p).toBeCloseTo(0.027741437777876854, 12);
    // scipy.stats.wilcoxon(d, method='approx', correction=True): 0.02923938176410581 (erfc is good to 1.2e-7 relative)
    const normal = wilcoxonSignedRankTest(d, 'normal');
    expect(normal.exact).toBe(false);
    expect(normal.p / 0.02923938176410581).toBeCloseTo(1, 6);
  });

  it('counts ties by their midranks exactly, as every sign pattern enumerated does, and leaves zeros out', () => {
    const cases = [
      [1, 1, -1, 2, 2, 3, -3, 4],
      [0, 0, 2, -2, 2, 5, 1, 1, -1, 3],
      [0.5, 0.5, 0.5, 0.5, -0.5, 1.5, 1.5, 2, -2, 2, 3],
      [4, -4, 4, -4, 4, 4],
    ];
    for (const d of cases) {
      const test = wilcoxonSignedRankTest(d);
      expect(test.exact).toBe(true);
      expect(test.n).toBe(d.filter((v) => v !== 0).length);
      expect(test.p).toBeCloseTo(bruteForceP(d), 12);
    }
    // Zeros say neither way: adding them changes nothing (Wilcoxon's treatment, scipy's zero_method='wilcox').
    expect(wilcoxonSignedRankTest([0, 0, 0, 1, 2, 3, 4, 5, 6]).p).toBe(0.03125);
  });

  it('matches scipy\'s normal approximation with the ties\' and zeros\' corrections above EXACT_SIGNED_RANK_N', () => {
    // 150 differences round(10 sin k + 1.5), k = 1..150: 5 zeros and many ties among the other 145.
    const d = Array.from({ length: 150 }, (_, k) => Math.round(Math.sin(k + 1) * 10 + 1.5));
    const test = wilcoxonSignedRankTest(d);
    expect(test.n).toBe(145);
    expect(test.n).toBeGreaterThan(EXACT_SIGNED_RANK_N);
    expect(test.exact).toBe(false);
    // scipy.stats.wilcoxon(d, method='approx', correction=True, zero_method='wilcox'): statistic 3837, p 0.004007655294003024
    expect(Math.min(test.plus, test.minus)).toBe(3837);
    expect(test.p / 0.004007655294003024).toBeCloseTo(1, 6);
  });

  it('keeps the exact count close to the approximation at 120 pairs, where both are meaningful (scipy: 0.3202 exact, 0.3190 approx)', () => {
    const d = Array.from({ length: 120 }, (_, k) => Math.cos((k + 1) * 2.3) + 0.05);
    expect(wilcoxonSignedRankTest(d, 'exact').p).toBeCloseTo(0.3202357346644529, 10);
    expect(wilcoxonSignedRankTest(d).p / 0.3190171292537769).toBeCloseTo(1, 6);
  });

  it('says p = 1 when every difference is 0, and NaN with none', () => {
    expect(wilcoxonSignedRankTest([0, 0, 0])).toEqual({ n: 0, plus: 0, minus: 0, p: 1, exact: true });
    expect(wilcoxonSignedRankTest([NaN]).p).toBeNaN();
    expect(wilcoxonSignedRankTest([]).p).toBeNaN();
  });
});
