import { describe, expect, it } from 'vitest';
import { deterministicTarget, evaluateOffPolicy } from '../../src/engine/ope';
import { logs } from '../helpers/logged-bandit';


describe("the mean weight's warning where weights square past a double's range", () => {
  it('still says the mean weight is far off (its standard error is not ∞)', () => {
    // 20 rows of x logged with propensity 1e-160 (weight 1e160 each for "always x", whose square,
    // 1e320, is beyond a double) and 20 of y at 0.5: the mean weight is 5e159, where right
    // propensities give about 1. The weights' standard error, 1e160 · √(¼ / 39) ≈ 8e158, leaves it
    // far off by ~6 errors: it was computed as √∞ and the warning was left unsaid.
    const rowsOf: [string, string, number, number][] = [];
    for (let i = 0; i < 20; i++) rowsOf.push(['c', 'x', i % 2, 1e-160], ['c', 'y', i % 3 === 0 ? 1 : 0, 0.5]);
    const data = logs(rowsOf);
    const r = evaluateOffPolicy(data, deterministicTarget(data, new Map([['*', 'x']]), 'always x'), { resamples: 20, folds: 1 });
    expect(r.diagnostics.meanWeight).toBeCloseTo(5e159, -147);
    expect(r.diagnostics.effectiveSampleSize).toBeCloseTo(20, 9);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^the mean importance weight is 5\.00e\+159, expected about 1/));
  });
});
