/**
 * The engine's generator (rng.ts): xoshiro128** against the published algorithm, and the
 * distributions built on it where they are easy to get wrong (gamma and beta for small shapes,
 * the shop's Dirichlet).
 */
import { describe, expect, it } from 'vitest';
import { dirichlet } from '../../src/engine/envs/shop/users';
import { Rng } from '../../src/engine/rng';

describe('Rng', () => {
  it("is xoshiro128** (Blackman & Vigna) seeded by splitmix32: outputs of an independent Python implementation", () => {
    // python: state = four splitmix32 outputs from (seed ^ imul(stream + 1, 0x632be5ab)), then the
    // reference next(): result = rotl(s1 * 5, 7) * 9; t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
    const cases: [number, number, number[]][] = [
      [0, 0, [757513545, 1017611616, 2265806321, 3421399028, 3370881395, 499311965]],
      [42, 1, [4200051549, 3812297280, 2419516356, 1937657052, 2555946087, 4181420781]],
      [-7, 2, [3750382810, 2954686443, 125406245, 652083686, 75048397, 2901846243]],
    ];
    for (const [seed, stream, expected] of cases) {
      const rng = new Rng(seed, stream);
      expect(Array.from({ length: 6 }, () => rng.nextU32())).toEqual(expected);
    }
  });

  it('draws gamma variates with mean and variance equal to the shape, below 1 as above it', () => {
    const rng = new Rng(1, 0);
    for (const shape of [0.3, 1, 4.5]) {
      const n = 40_000;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const g = rng.gamma(shape);
        sum += g;
        squares += g * g;
      }
      const mean = sum / n;
      const variance = squares / n - mean * mean;
      expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n)); // 5 standard errors
      expect(Math.abs(variance - shape) / shape).toBeLessThan(0.1);
    }
  });

  it('draws Beta(ε, ε) for tiny ε as a near coin flip between 0 and 1, never NaN (both gammas underflow to 0 often)', () => {
    const rng = new Rng(2, 0);
    const n = 20_000;
    let low = 0;
    let high = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.beta(0.001, 0.001);
      expect(x >= 0 && x <= 1).toBe(true); // NaN fails both
      if (x < 1e-6) low++;
      if (x > 1 - 1e-6) high++;
      sum += x;
    }
    // Beta(0.001, 0.001) puts ~99.3 % of its mass within 1e-6 of the ends, half at each.
    expect((low + high) / n).toBeGreaterThan(0.98);
    expect(Math.abs(low - high) / n).toBeLessThan(0.03); // Binomial(n, ½): sd 0.0035
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.02);
  });

  it('keeps Beta(a, b) draws with shapes of 1 or more what X / (X + Y) of the same gammas gives', () => {
    const a = new Rng(3, 0);
    const b = new Rng(3, 0);
    for (let i = 0; i < 100; i++) {
      const x = b.gamma(2);
      const y = b.gamma(5);
      expect(a.beta(2, 5)).toBe(x / (x + y));
    }
  });
});

describe('dirichlet (the shop segments’ affinities)', () => {
  it('for a tiny α puts nearly all of each draw on one category, summing to 1 (every gamma can underflow to 0 there)', () => {
    const rng = new Rng(4, 0);
    const out = new Float64Array(8);
    const winners = new Array<number>(8).fill(0);
    let nearlyAll = 0;
    for (let i = 0; i < 2000; i++) {
      dirichlet(out, 0, 8, 0.001, rng);
      const sum = out.reduce((s, x) => s + x, 0);
      expect(sum).toBeCloseTo(1, 12);
      const top = Math.max(...out);
      expect(top).toBeGreaterThan(0.2); // no NaN, and never spread evenly (1/8 each)
      if (top > 0.99) nearlyAll++;
      winners[out.indexOf(top)]!++;
    }
    // numpy, sampling in logs (200,000 draws): the top share is above 0.99 in 96.8 % of them.
    expect(nearlyAll / 2000).toBeGreaterThan(0.95);
    // Each category wins about 1/8 of the draws (exchangeable); not always the first, as uniform shares would.
    for (const w of winners) expect(w / 2000).toBeGreaterThan(0.08);
  });

  it('for α = 1 gives the gamma variates over their sum', () => {
    const a = new Rng(5, 0);
    const b = new Rng(5, 0);
    const out = new Float64Array(6);
    dirichlet(out, 0, 6, 1, a);
    const g = Array.from({ length: 6 }, () => b.gamma(1));
    const sum = g.reduce((s, x) => s + x, 0);
    expect([...out]).toEqual(g.map((x) => x / sum));
  });
});
