// Run detail's chart order: return, length, the environment's metrics by name, the agent's last; and
// its grid: full charts two to a row, then the low charts of one-value metrics, with no hole between.
import { describe, expect, it } from 'vitest';
import { chartGrid, chartOrder } from '../../src/renderer/src/components/run-charts';

describe('chartOrder', () => {
  it('puts a shop run’s return first, whatever the names sort as', () => {
    const stored = ['clicks', 'conversion', 'coverage', 'ctr', 'diversity', 'gini', 'length', 'novelty', 'purchases', 'return', 'revenue', 'train/epsilon'];
    expect(chartOrder(stored)).toEqual(['return', 'length', 'clicks', 'conversion', 'coverage', 'ctr', 'diversity', 'gini', 'novelty', 'purchases', 'revenue', 'train/epsilon']);
    expect(chartOrder(['train/loss', 'return'])).toEqual(['return', 'train/loss']);
  });
});

describe('chartGrid', () => {
  it('groups the one-value metrics after the full charts, under a heading, and spans an odd last full chart across the row', () => {
    // A 10-armed testbed run: the length (1) and ε (0.1) hold one value each.
    const order = chartOrder(['length', 'optimal', 'return', 'reward', 'train/epsilon']);
    expect(chartGrid(order, new Set(['length', 'train/epsilon']))).toEqual([
      { kind: 'full', metric: 'return' },
      { kind: 'full', metric: 'optimal' },
      { kind: 'wide', metric: 'reward' },
      { kind: 'heading' },
      { kind: 'low', metric: 'length' },
      { kind: 'low', metric: 'train/epsilon' },
    ]);
  });

  it('has no heading without one-value metrics, and no wide chart when the full ones pair up', () => {
    expect(chartGrid(['return', 'length'], new Set())).toEqual([
      { kind: 'full', metric: 'return' },
      { kind: 'full', metric: 'length' },
    ]);
    expect(chartGrid(['return', 'length', 'train/epsilon'], new Set(['train/epsilon'])).map((c) => c.kind)).toEqual(['full', 'full', 'heading', 'low']);
    // Before their data comes no metric is known to be constant: all full.
    expect(chartGrid(['return'], new Set()).map((c) => c.kind)).toEqual(['wide']);
  });
});
