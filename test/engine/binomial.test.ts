import { describe, expect, it } from 'vitest';
import { binomial, logGamma, multinomialInto } from '../../src/engine/stats/binomial';
import { Rng } from '../../src/engine/rng';

/** The exact Binomial(n, p) probabilities, summed in logs. */
function pmf(n: number, p: number): number[] {
  return Array.from({ length: n + 1 }, (_, k) => Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)));
}

describe('binomial draws', () => {
  it('logGamma matches ln((x − 1)!) and ln Γ(½) = ln √π', () => {
    let fact = 0;
    for (let x = 1; x < 30; x++) {
      expect(logGamma(x)).toBeCloseTo(fact, 10);
      fact += Math.log(x);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1e6)).toBeCloseTo(1e6 * Math.log(1e6) - 1e6 - 0.5 * Math.log(1e6) + 0.5 * Math.log(2 * Math.PI), 6);
  });

  // Both branches (inversion below n·p = 10, BTRS above) and p > ½ by symmetry.
  for (const [n, p] of [
    [20, 0.3],
    [200, 0.01],
    [60, 0.5],
    [1000, 0.3],
    [100_000, 0.002],
    [50, 0.93],
  ] as const) {
    it(`Binomial(${n}, ${p}) follows its distribution (total variation from the exact pmf)`, () => {
      const rng = new Rng(n);
      const draws = 100_000;
      const freq = new Float64Array(n + 1);
      for (let i = 0; i < draws; i++) {
        const k = binomial(rng, n, p);
        expect(Number.isInteger(k) && k >= 0 && k <= n).toBe(true);
        freq[k]!++;
      }
      const exact = pmf(n, p);
      let tv = 0;
      for (let k = 0; k <= n; k++) tv += Math.abs(freq[k]! / draws - exact[k]!);
      // With 100k draws the sampling noise alone gives a total variation of ~0.01–0.05 over these supports.
      expect(tv / 2).toBeLessThan(0.03);
      let mean = 0;
      for (let k = 0; k <= n; k++) mean += (k * freq[k]!) / draws;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / draws));
    });
  }

  it('edges and refusals', () => {
    const rng = new Rng(1);
    expect(binomial(rng, 0, 0.5)).toBe(0);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
    expect(() => binomial(rng, 1.5, 0.5)).toThrow(/whole number/);
    expect(() => binomial(rng, 10, 1.5)).toThrow(/p must be in \[0, 1\]/);
  });

  it('a multinomial draw sums to n, leaves zero-weight groups empty, and has the right means', () => {
    const rng = new Rng(5);
    const weights = [5, 0, 1, 3, 1];
    const out = new Float64Array(5);
    const sums = new Float64Array(5);
    for (let i = 0; i < 20_000; i++) {
      multinomialInto(rng, 1000, weights, out);
      expect(out.reduce((s, v) => s + v, 0)).toBe(1000);
      expect(out[1]).toBe(0);
      for (let g = 0; g < 5; g++) sums[g]! += out[g]!;
    }
    for (let g = 0; g < 5; g++) expect(sums[g]! / 20_000).toBeCloseTo((1000 * weights[g]!) / 10, 0);
    expect(() => multinomialInto(rng, 3, [0, 0], out)).toThrow(/every weight is 0/);
  });
});
