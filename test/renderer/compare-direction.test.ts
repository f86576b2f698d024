// The app's improvement matrix by the metric's direction: for a metric better low its corner reads
// P(row < column) and the group that ends lower is coloured better; for one without direction no
// cell is coloured, and a separated cell's title reads "higher" or "lower"; return reads as before.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ImprovementMatrix } from '../../src/renderer/src/components/compare-tables';
import type { CompareResult } from '../../src/shared/dto';

/** Two groups of 5 runs, A's every run below B's; the matrix as the service gives it for `direction`. */
function result(metric: string, direction: CompareResult['direction']): CompareResult {
  // No mannWhitneyP in the cells, as a comparison made before it: the verdict's test is computed from the values (2 / C(10, 5)).
  const group = (key: string, label: string, from: number) => ({ key, label, configHash: key, final: { values: [from, from + 1, from + 2, from + 3, from + 4] } });
  // P(A > B) = 0; for a metric better low the service gives P(A < B) = 1.
  const p = direction === 'lower' ? 1 : 0;
  return {
    metric,
    direction,
    groups: [group('a', 'low · random', 1), group('b', 'high · most-popular', 6)],
    improvement: [
      [{ p: 0.5, lo: 0.5, hi: 0.5 }, { p, lo: p, hi: p }],
      [{ p: 1 - p, lo: 1 - p, hi: 1 - p }, { p: 0.5, lo: 0.5, hi: 0.5 }],
    ],
  } as unknown as CompareResult;
}

const html = (r: CompareResult) => renderToStaticMarkup(createElement(ImprovementMatrix, { result: r }));

/** The opening tag of the improvement cell at (row, col). */
function cell(markup: string, row: number, col: number): string {
  const match = new RegExp(`<td[^>]*data-row="${row}" data-col="${col}"[^>]*>`).exec(markup);
  expect(match, `cell ${row}, ${col}`).not.toBeNull();
  return match![0];
}

describe('the improvement matrix by direction', () => {
  it('for gini (lower is better): P(row < column), the lower group better and coloured so', () => {
    const markup = html(result('gini', 'lower'));
    expect(markup).toContain('<th>P(row &lt; column)</th>');
    expect(markup).toContain('A lower gini is better, so each cell is P(row &lt; column)');
    expect(cell(markup, 0, 1)).toContain('class="num better"');
    // The title gives the test the verdict rests on: one pair, so no correction.
    expect(cell(markup, 0, 1)).toContain('title="P(low · random &lt; high · most-popular) with its 95 % bootstrap CI: 1 [1, 1]: better, p = 0.0079 (two-sided Mann–Whitney)"');
    expect(cell(markup, 1, 0)).toContain('class="num worse"');
  });

  it('for a metric without direction: P(row > column), no colour, the title reading higher or lower', () => {
    const markup = html(result('train/epsilon', null));
    expect(markup).toContain('<th>P(row &gt; column)</th>');
    expect(markup).toContain('has no better direction, so no cell is coloured better or worse');
    expect(markup).not.toMatch(/class="num (better|worse)"/);
    expect(cell(markup, 0, 1)).toContain('data-verdict="lower"');
    expect(cell(markup, 0, 1)).toMatch(/title="[^"]*: 0 \[0, 0\]: lower, p = 0.0079 \(two-sided Mann–Whitney\)"/);
    expect(cell(markup, 1, 0)).toContain('data-verdict="higher"');
  });

  it('for return (higher is better): as it always read', () => {
    const markup = html(result('return', 'higher'));
    expect(markup).toContain('<th>P(row &gt; column)</th>');
    expect(markup).toContain('Each cell is P(row &gt; column): the probability that a run of the row’s group, picked at random, ends with a higher final return');
    expect(cell(markup, 0, 1)).toContain('class="num worse"');
    expect(cell(markup, 1, 0)).toContain('class="num better"');
  });
});
