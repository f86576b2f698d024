// A random search's draws (src/engine/sweep-sample.ts), shared by `aisle run --sample` and the app's
// Random search: the same seed gives the same values, each inside its distribution's bounds.
import { describe, expect, it } from 'vitest';
import { boundsProblem, DEFAULT_SEARCH_SEED, parseDistribution, sampleValues, trialCombinations, type Distribution } from '../../src/engine/sweep-sample';

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
    const [l] = sampleValues([log], 4000, 2) as number[][];
    const below = l!.filter((x) => x < Math.sqrt(0.001 * 1)).length / l!.length;
    expect(below).toBeGreaterThan(0.46);
    expect(below).toBeLessThan(0.54);
    // A uniform draw over the same bounds would put only ~3 % below 0.0316.
    const [u] = sampleValues([{ kind: 'uniform', lo: 0.001, hi: 1 }], 4000, 2) as number[][];
    expect(u!.filter((x) => x < Math.sqrt(0.001)).length / u!.length).toBeLessThan(0.05);
  });

  it('draws whole numbers with both ends included, each about as often', () => {
    const [n] = sampleValues([{ kind: 'int', lo: 1, hi: 4 }], 4000, 5) as number[][];
    const counts = [1, 2, 3, 4].map((k) => n!.filter((x) => x === k).length);
    expect(n!.every((x) => Number.isInteger(x) && x >= 1 && x <= 4)).toBe(true);
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('draws every choice, as the values --set reads', () => {
    const parsed = parseDistribution('choice:0.9,0.99,sarsa');
    if (!parsed.ok) throw new Error(parsed.problem);
    const [values] = sampleValues([parsed.distribution], 60, 0);
    expect(new Set(values)).toEqual(new Set([0.9, 0.99, 'sarsa']));
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
    expect(parseDistribution('int:0.5:3')).toMatchObject({ ok: false, problem: expect.stringContaining('whole-number bounds') });
    expect(parseDistribution('uniform:a:1')).toMatchObject({ ok: false, problem: expect.stringContaining('must be numbers') });
    expect(parseDistribution('uniform:1')).toMatchObject({ ok: false, problem: expect.stringContaining('two bounds') });
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
