// Figures formatted together stay formattable however many there are: the column rules took their
// maximum with Math.max(...values), which throws "Maximum call stack size exceeded" somewhere
// beyond ~120,000 arguments in V8 (a Q-table's "show all states" on a large MDP can list more).
import { describe, expect, it } from 'vitest';
import { decimalsOfLargest, sameDecimals } from '../../src/shared/figures';

describe('column figures of many values', () => {
  const values = Array.from({ length: 300_000 }, (_, i) => (i === 123_456 ? 0.125 : i % 7) - 3);

  it('sameDecimals: one number of decimals for 300,000 values, the most precise one deciding', () => {
    const texts = sameDecimals(values);
    expect(texts).toHaveLength(300_000);
    expect(texts[123_456]).toBe('-2.875');
    expect(texts[0]).toBe('-3.000');
  });

  it('decimalsOfLargest: the largest of 300,000 values decides', () => {
    const texts = decimalsOfLargest(values, 3);
    expect(texts).toHaveLength(300_000);
    expect(texts[6]).toBe('3.000');
    expect(texts[123_456]).toBe('-2.875');
  });
});
