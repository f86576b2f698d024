// Run detail's chart order: return, length, the environment's metrics by name, the agent's last.
import { describe, expect, it } from 'vitest';
import { chartOrder } from '../../src/renderer/src/screens/run-detail';

describe('chartOrder', () => {
  it('puts a shop run’s return first, whatever the names sort as', () => {
    const stored = ['clicks', 'conversion', 'coverage', 'ctr', 'diversity', 'gini', 'length', 'novelty', 'purchases', 'return', 'revenue', 'train/epsilon'];
    expect(chartOrder(stored)).toEqual(['return', 'length', 'clicks', 'conversion', 'coverage', 'ctr', 'diversity', 'gini', 'novelty', 'purchases', 'revenue', 'train/epsilon']);
    expect(chartOrder(['train/loss', 'return'])).toEqual(['return', 'train/loss']);
  });
});
