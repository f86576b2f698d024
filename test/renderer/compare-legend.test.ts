// Compare's chart legend names a group as the chips name its experiments: a long name cut in its
// middle, so a sweep's settings stay in sight; the agent and the twins' settings after it whole.
import { describe, expect, it } from 'vitest';
import { COMPARE_NAME, legendLabel } from '../../src/shared/compare-text';
import { middleCut } from '../../src/shared/text';
import { legendGrowth, PALETTE, seriesDash } from '../../src/renderer/src/components/line-chart';

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

describe('many groups', () => {
  it('get 20 colours before one repeats, then dashes: no two of the first 60 drawn alike', () => {
    expect(new Set(PALETTE).size).toBe(20);
    const drawn = Array.from({ length: 60 }, (_, i) => `${PALETTE[i % PALETTE.length]} ${seriesDash(i).join(',')}`);
    expect(new Set(drawn).size).toBe(60);
    expect(seriesDash(0)).toEqual([]);
    expect(seriesDash(19)).toEqual([]);
    expect(seriesDash(20)).toEqual([6, 3]);
    expect(seriesDash(40)).toEqual([2, 2]);
  });

  it('make the chart taller by the legend rows past two, and at least twice the legend, which Chart.js gives at most half the chart', () => {
    const line = 22; // a 12 px label and Chart.js's 10 px padding
    const legend = (rows: number) => rows * line + 10;
    expect(legendGrowth(0, 0, 320)).toBe(0);
    expect(legendGrowth(2, line, 320)).toBe(0);
    // 20 groups, 3 to a row: 7 rows; the plot keeps the room it has under 2 rows.
    expect(legendGrowth(7, line, 320)).toBe(legend(7) - legend(2));
    // 64 groups: 22 rows; the legend needs more than half of 320 + its growth, so the chart is twice it.
    const grown = 320 + legendGrowth(22, line, 320);
    expect(grown / 2).toBeGreaterThanOrEqual(legend(22));
    expect(grown - legend(22)).toBeGreaterThanOrEqual(320 - legend(2));
  });
});
