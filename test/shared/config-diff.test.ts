// Compare's config diff: a row per parameter of any group, marked as differing when the service
// names it or the values differ, compared as the service compares them (canonical JSON).
import { describe, expect, it } from 'vitest';
import { diffRows } from '../../src/shared/config-diff';

const group = (config: unknown) => ({ config }) as Parameters<typeof diffRows>[0][number];

describe('diffRows', () => {
  it('marks a parameter whose values differ, and one the service names, and no other', () => {
    const rows = diffRows([group({ agent: { alpha: 0.1, gamma: 1 } }), group({ agent: { alpha: 0.5, gamma: 1 } })], []);
    expect(rows.map((r) => [r.path, r.differs])).toEqual([
      ['agent.alpha', true],
      ['agent.gamma', false],
    ]);
    expect(diffRows([group({ agent: { gamma: 1 } }), group({ agent: { gamma: 1 } })], ['agent']).map((r) => r.differs)).toEqual([true]);
  });

  it('reads objects whose keys come in another order as the same value, as the service does', () => {
    const a = group({ env: { catalog: [{ id: 'x', price: 1 }] } });
    const b = group({ env: { catalog: [{ price: 1, id: 'x' }] } });
    expect(diffRows([a, b], []).map((r) => [r.path, r.differs])).toEqual([['env.catalog', false]]);
  });

  it('tells a missing value from null', () => {
    const rows = diffRows([group({ env: { shiftAt: null } }), group({ env: {} })], []);
    expect(rows.find((r) => r.path === 'env.shiftAt')?.differs).toBe(true);
  });
});
