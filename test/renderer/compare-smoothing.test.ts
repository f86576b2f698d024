// The renderer's EMA (it may not import src/engine) must equal the engine's, TensorBoard's formula.
import { describe, expect, it } from 'vitest';
import { emaSmooth as engineEma } from '../../src/engine/stats/smoothing';
import { emaSmooth as rendererEma } from '../../src/renderer/src/components/compare-smoothing';

describe('renderer EMA smoothing', () => {
  const noisy = Array.from({ length: 500 }, (_, i) => Math.sin(i / 7) * 10 + ((i * 7919) % 13) - 6);
  for (const w of [0, 0.3, 0.6, 0.9, 0.99]) {
    it(`equals the engine's to the bit at weight ${w}`, () => {
      expect(rendererEma(noisy, w)).toEqual(Array.from(engineEma(noisy, w)));
    });
  }
  it('passes non-finite values through and leaves constants alone', () => {
    const withGaps = [1, NaN, 3, Infinity, 5, 2];
    expect(rendererEma(withGaps, 0.5)).toEqual(Array.from(engineEma(withGaps, 0.5)));
    expect(rendererEma([4, 4, 4], 0.9)).toEqual([4, 4, 4]);
  });
  it('starts at the first value (debiased) and clamps weights to [0, 0.999]', () => {
    expect(rendererEma([10, 0], 0.9)[0]).toBe(10);
    expect(rendererEma([1, 2, 3], -1)).toEqual([1, 2, 3]);
    expect(rendererEma([1, 2, 3], 5)).toEqual(Array.from(engineEma([1, 2, 3], 0.999)));
  });
});
