// The sliders' adapter around the engine's EMA: clamps the slider into [0, 0.999] and hands chart.js
// plain arrays (the estimator itself is tested in test/engine/stats-curves.test.ts).
import { describe, expect, it } from 'vitest';
import { emaSmooth } from '../../src/renderer/src/components/compare-smoothing';

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
