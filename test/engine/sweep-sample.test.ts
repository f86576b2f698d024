// A random search's draws (src/engine/sweep-sample.ts), shared by `aisle run --sample` and the app's
// Random search: the same seed gives the same values, each inside its distribution's bounds.
import { describe, expect, it } from 'vitest';
import { Rng, Stream } from '../../src/engine/rng';
import { boundsProblem, DEFAULT_SEARCH_SEED, distinctCombinations, distinctValues, parseDistribution, sampleValues, streamValues, trialCombinations, type Distribution } from '../../src/engine/sweep-sample';

const uniform: Distribution = { kind: 'uniform', lo: 0.01, hi: 0.3 };
const log: Distribution = { kind: 'log', lo: 0.001, hi: 1 };

describe('sampleValues', () => {
  it('draws the same values for the same seed, other values for another seed', () => {
    const a = sampleValues([uniform, log], 20, 7);
    expect(sampleValues([uniform, log], 20, 7)).toEqual(a);
    expect(sampleValues([uniform, log], 20, 8)).not.toEqual(a);
    expect(sampleValues([uniform], 5)).toEqual(sampleValues([uniform], 5, DEFAULT_SEARCH_SEED));
  });

  it("keeps a field's values when another field is sampled after it, and the first trials when there are more", () => {
    const [alpha] = sampleValues([log], 10, 3);
    const [alphaBeside, epsilon] = sampleValues([log, uniform], 10, 3);
    expect(alphaBeside).toEqual(alpha);
    expect(epsilon).not.toEqual(alpha);
    expect(sampleValues([log], 20, 3)[0]!.slice(0, 10)).toEqual(alpha);
  });

  it('keeps every draw inside its bounds, rounded to 3 significant digits', () => {
    const [u, l] = sampleValues([uniform, log], 2000, 1) as number[][];
    for (const x of u!) expect(x >= 0.01 && x <= 0.3, String(x)).toBe(true);
    for (const x of l!) expect(x >= 0.001 && x <= 1, String(x)).toBe(true);
    for (const x of [...u!, ...l!]) expect(Number(x.toPrecision(3))).toBe(x);
  });

  it('spreads log-uniform draws evenly over orders of magnitude: about half below the geometric midpoint', () => {
    // The streams' draws, repeats and all: more than a search's trials can be, and the distribution's own shape.
    const [l] = streamValues([log], 4000, 2) as number[][];
    const below = l!.filter((x) => x < Math.sqrt(0.001 * 1)).length / l!.length;
    expect(below).toBeGreaterThan(0.46);
    expect(below).toBeLessThan(0.54);
    // A uniform draw over the same bounds would put only ~3 % below 0.0316.
    const [u] = streamValues([{ kind: 'uniform', lo: 0.001, hi: 1 }], 4000, 2) as number[][];
    expect(u!.filter((x) => x < Math.sqrt(0.001)).length / u!.length).toBeLessThan(0.05);
  });

  it('draws whole numbers with both ends included, each about as often', () => {
    const [n] = streamValues([{ kind: 'int', lo: 1, hi: 4 }], 4000, 5) as number[][];
    const counts = [1, 2, 3, 4].map((k) => n!.filter((x) => x === k).length);
    expect(n!.every((x) => Number.isInteger(x) && x >= 1 && x <= 4)).toBe(true);
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('draws every choice, as the values --set reads', () => {
    const parsed = parseDistribution('choice:0.9,0.99,sarsa');
    if (!parsed.ok) throw new Error(parsed.problem);
    const [values] = sampleValues([parsed.distribution], 3, 0);
    expect(new Set(values)).toEqual(new Set([0.9, 0.99, 'sarsa']));
  });
});

describe('distinct trials', () => {
  const gamma: Distribution = { kind: 'choice', texts: ['0.9', '0.99'], values: [0.9, 0.99] };
  const steps: Distribution = { kind: 'int', lo: 1, hi: 3 };

  it('draws no combination twice, however few there are, and more trials still add after the same first ones', () => {
    for (const seed of [0, 1, 2, 3]) {
      const [g, n] = sampleValues([gamma, steps], 6, seed);
      expect(new Set(g!.map((v, t) => `${String(v)} ${String(n![t])}`)).size).toBe(6);
      expect(sampleValues([gamma, steps], 4, seed)).toEqual([g!.slice(0, 4), n!.slice(0, 4)]);
    }
  });

  it("redraws a repeat from the field's own stream: the values are its draws with the repeats passed over", () => {
    const choice: Distribution = { kind: 'choice', texts: ['a', 'b', 'c', 'd', 'e'], values: ['a', 'b', 'c', 'd', 'e'] };
    for (const seed of [0, 5, 9]) {
      const stream = new Rng(seed, Stream.search).fork(Stream.search);
      const unrepeated: unknown[] = [];
      while (unrepeated.length < 5) {
        const v = choice.values[stream.int(5)];
        if (!unrepeated.includes(v)) unrepeated.push(v);
      }
      expect(sampleValues([choice], 5, seed)).toEqual([unrepeated]);
    }
  });

  it('counts the values rounding to 3 significant digits leaves a narrow range, and draws them all apart', () => {
    const narrow: Distribution = { kind: 'uniform', lo: 0.5, hi: 0.51 };
    expect(distinctValues(narrow, 64)).toBe(11);
    const [drawn] = sampleValues([narrow], 11, 4) as number[][];
    expect([...drawn!].sort()).toEqual([0.5, 0.501, 0.502, 0.503, 0.504, 0.505, 0.506, 0.507, 0.508, 0.509, 0.51]);
    expect(() => sampleValues([narrow], 12, 4)).toThrow('12 trials are more than the 11 distinct combinations the distributions draw');
    // Across a power of ten the step grows: 0.990 … 0.999, then 1.00 and 1.01.
    expect(distinctValues({ kind: 'log', lo: 0.99, hi: 1.01 }, 64)).toBe(12);
    // Bounds that are not 3-digit numbers are drawn as themselves, clamped from the rounding that steps past them.
    expect(distinctValues({ kind: 'uniform', lo: 0.12345, hi: 0.12355 }, 64)).toBe(2);
    expect(new Set(sampleValues([{ kind: 'uniform', lo: 0.12345, hi: 0.12355 }], 2, 0)[0])).toEqual(new Set([0.12345, 0.12355]));
    expect(distinctValues({ kind: 'uniform', lo: 0.5, hi: 0.5001 }, 64)).toBe(1);
  });

  it('counts combinations as the product of the fields\' distinct values, up to the count asked about', () => {
    expect(distinctValues({ kind: 'choice', texts: ['0.1', '0.1', '0.2'], values: [0.1, 0.1, 0.2] }, 64)).toBe(2);
    expect(distinctCombinations([gamma, steps], 64)).toBe(6);
    expect(() => sampleValues([gamma, steps], 7)).toThrow(RangeError);
    expect(distinctValues({ kind: 'uniform', lo: 0.01, hi: 0.3 }, 5000)).toBe(1101);
    expect(distinctValues({ kind: 'uniform', lo: 0, hi: 1 }, 64)).toBe(64);
    expect(distinctCombinations([uniform, log, gamma], 64)).toBe(64);
  });
});

describe('parseDistribution', () => {
  it('reads the four kinds', () => {
    expect(parseDistribution('uniform:0.01:0.3')).toEqual({ ok: true, distribution: uniform });
    expect(parseDistribution('log:1e-3:1')).toEqual({ ok: true, distribution: log });
    expect(parseDistribution('int:1:10')).toEqual({ ok: true, distribution: { kind: 'int', lo: 1, hi: 10 } });
    expect(parseDistribution('choice:0.9, 0.99')).toEqual({ ok: true, distribution: { kind: 'choice', texts: ['0.9', '0.99'], values: [0.9, 0.99] } });
  });

  it('refuses bad bounds, saying how to fix them', () => {
    expect(parseDistribution('normal:0:1')).toMatchObject({ ok: false, problem: expect.stringContaining('"normal" is not a distribution') });
    expect(parseDistribution('uniform:0.3:0.01')).toMatchObject({ ok: false, problem: 'the lower bound 0.3 must be below the upper bound 0.01' });
    expect(parseDistribution('uniform:1:1')).toMatchObject({ ok: false });
    expect(parseDistribution('log:0:1')).toMatchObject({ ok: false, problem: expect.stringContaining('log-uniform needs a lower bound above 0') });
    // With what to do (option fuzz seed 271: it said only what was wrong).
    expect(parseDistribution('int:0.5:3')).toEqual({ ok: false, problem: 'int takes whole-number bounds, got 0.5 and 3: give whole numbers (int:1:10), or draw any number between them with uniform:0.5:3' });
    expect(parseDistribution('uniform:a:1')).toMatchObject({ ok: false, problem: expect.stringContaining('must be numbers') });
    expect(parseDistribution('uniform:1')).toMatchObject({ ok: false, problem: expect.stringContaining('two bounds') });
    // Bounds written as decimal numbers: 0x0 and 0b1 were read as 0 and 1, and named so ("uniform:0:1").
    expect(parseDistribution('uniform:0x0:0x1')).toEqual({ ok: false, problem: 'uniform:0x0:0x1: the bounds must be numbers (e.g. uniform:0.001:1)' });
    expect(parseDistribution('int:0b1:5')).toMatchObject({ ok: false, problem: expect.stringContaining('must be numbers') });
    expect(parseDistribution('uniform:.5:+1')).toEqual({ ok: true, distribution: { kind: 'uniform', lo: 0.5, hi: 1 } });
    // A bound that underflows to 0 is named as typed, not as the 0 it reads as; 0 typed as 0 (or 0e5) is 0.
    expect(parseDistribution('uniform:1e-400:0.5')).toEqual({ ok: false, problem: 'uniform:1e-400:0.5: the bound 1e-400 is too small to represent (it reads as 0): give a bound of at least 1e-300' });
    expect(parseDistribution('uniform:0:0.5')).toMatchObject({ ok: true });
    expect(parseDistribution('uniform:0e5:0.5')).toMatchObject({ ok: true });
    expect(parseDistribution('uniform:-0.000:0.5')).toMatchObject({ ok: true });
    expect(parseDistribution('choice:')).toMatchObject({ ok: false });
    // One value, or one value repeated, would train the same setting in every trial under one name.
    expect(parseDistribution('choice:0.1')).toEqual({ ok: false, problem: 'choice: one value (0.1) gives every trial the same: give two different values or more, or set the field to it instead of drawing it' });
    expect(parseDistribution('choice:0.1,0.1')).toMatchObject({ ok: false, problem: expect.stringContaining('two different values') });
    expect(parseDistribution('choice:0.1,0.1,0.2')).toMatchObject({ ok: true });
    expect(boundsProblem({ kind: 'log', lo: -1, hi: 1 })).toContain('above 0');
  });
});

describe('trialCombinations', () => {
  it('gives trial t the t-th value of each sampled axis and the only value of the others', () => {
    expect(trialCombinations([false, true, true], 3)).toEqual([
      [0, 0, 0],
      [0, 1, 1],
      [0, 2, 2],
    ]);
  });
});
