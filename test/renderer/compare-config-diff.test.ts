// Compare's Configuration table writes numbers as the rest of the app does (30,000, not 30000).
import { describe, expect, it } from 'vitest';
import { configCellText } from '../../src/shared/config-diff';

describe('configCellText', () => {
  it('groups whole numbers, keeps decimals exact, and leaves other values as they were', () => {
    expect([600, 30000, 1_000_000, -2500].map(configCellText)).toEqual(['600', '30,000', '1,000,000', '-2,500']);
    expect([0.5, 0.00025, 1234.5].map(configCellText)).toEqual(['0.5', '0.00025', '1,234.5']);
    // A value fmt would round keeps every digit: two groups' 0.1234567 and 0.1234568 must not read alike.
    expect([0.1234567, 0.1234568].map(configCellText)).toEqual(['0.1234567', '0.1234568']);
    expect(['tabular-mdp', true, null, [64, 64], undefined].map(configCellText)).toEqual(['tabular-mdp', 'true', 'null', '[64,64]', '—']);
  });
});
