// What a learning curve says above it about its points: every episode, bucket means, or the
// episodes with a value; a run of one episode is "1 episode", not "all 1 episodes".
import { describe, expect, it } from 'vitest';
import type { Series } from '../../src/shared/dto';
import { pointsText } from '../../src/renderer/src/components/metric-chart';

const series = (total: number, values: number, points: number, downsampled: boolean): Series =>
  ({ runId: 1, metric: 'return', total, values, downsampled, x: Array.from({ length: points }, (_, i) => i), mean: [], min: [], max: [] });

describe('pointsText', () => {
  it('counts the episodes in words that agree with the count', () => {
    expect(pointsText(series(1, 1, 1, false))).toBe('1 episode');
    expect(pointsText(series(5_000, 5_000, 5_000, false))).toBe('all 5,000 episodes');
    expect(pointsText(series(1, 0, 0, false))).toBe('0 values in 1 episode');
    expect(pointsText(series(20_000, 20_000, 2_000, true))).toBe('2,000 bucket means of 20,000 episodes');
    expect(pointsText(series(261, 257, 257, false))).toBe('257 values in 261 episodes');
  });
});
