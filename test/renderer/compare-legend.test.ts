// Compare's chart legend names a group as the chips name its experiments: a long name cut in its
// middle, so a sweep's settings stay in sight; the agent and the twins' settings after it whole.
import { describe, expect, it } from 'vitest';
import { COMPARE_NAME, legendLabel } from '../../src/shared/compare-text';
import { middleCut } from '../../src/shared/text';

describe('legendLabel', () => {
  it('cuts the experiments’ names in their middle, keeping a sweep’s settings and the agent after them', () => {
    const names = ['shop-fatigue · Q-learning, 20,000 sessions (alpha=0.1, epsilon=0.05)', 'shop-fatigue · Q-learning, 20,000 sessions (alpha=0.5, epsilon=0.05)'];
    const legends = names.map((name) => legendLabel(`${name} · q-learning`));
    expect(legends[0]).toBe(`${middleCut(names[0]!, COMPARE_NAME)} · q-learning`);
    expect(legends[0]).toMatch(/^shop-fatigue….* \(alpha=0\.1, epsilon=0\.05\) · q-learning$/);
    expect(legends[1]).toMatch(/\(alpha=0\.5, epsilon=0\.05\) · q-learning$/);
    // Cut as the chips cut: the names' part is no longer than theirs.
    for (const legend of legends) expect([...legend.replace(/ · q-learning$/, '')].length).toBeLessThanOrEqual(COMPARE_NAME);
  });

  it('keeps a short label whole, and twins’ settings after the agent whole', () => {
    expect(legendLabel('cliff q-learning · q-learning')).toBe('cliff q-learning · q-learning');
    const twin = `${'a long experiment name launched twice with other settings'} · q-learning (alpha=0.1, gamma=0.99, epsilon=0.05)`;
    expect(legendLabel(twin)).toBe(`${middleCut('a long experiment name launched twice with other settings', COMPARE_NAME)} · q-learning (alpha=0.1, gamma=0.99, epsilon=0.05)`);
    expect(legendLabel(twin)).not.toBe(middleCut(twin, COMPARE_NAME));
  });
});
