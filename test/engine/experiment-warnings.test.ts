// experimentWarnings: what a valid experiment probably does not mean, said beside "Ready" and by
// `aisle run`, never refused (a smoke run of shop-drift with fewer episodes than its shift is fine).
import { describe, expect, it } from 'vitest';
import { experimentWarnings, parseExperiment } from '../../src/engine/experiment';

const shop = (shiftAt: number | null, episodes: number) =>
  parseExperiment({ format: 'aisle.experiment/v1', name: 'drift', env: { id: 'shop', driftStd: 0, shiftAt }, agent: { id: 'q-learning' }, episodes });

describe('experimentWarnings', () => {
  it('a shop shift at or after the last episode never happens: named with its path and the fix', () => {
    expect(experimentWarnings(shop(3000, 3000))).toEqual([
      'env.shiftAt: the shift at episode 3,000 never happens in 3,000 episodes (episodes 0 to 2,999): set shiftAt below 3,000, or raise episodes',
    ]);
    expect(experimentWarnings(shop(12_000, 1))).toEqual(['env.shiftAt: the shift at episode 12,000 never happens in 1 episode (episodes 0 to 0): set shiftAt below 1, or raise episodes']);
  });

  it('a shift before the last episode, no shift, or another environment: nothing to say', () => {
    expect(experimentWarnings(shop(2999, 3000))).toEqual([]);
    expect(experimentWarnings(shop(null, 10))).toEqual([]);
    const toy = parseExperiment({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 5 });
    expect(experimentWarnings(toy)).toEqual([]);
  });
});
