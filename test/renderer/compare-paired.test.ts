// Compare's improvement matrix marks a pair paired by seed with its mean difference (Δ) and says
// under the matrix which test each pair was read with, by the groups' labels; unpaired, neither Δ
// nor "paired by seed" appears, and the note says why the pair is unpaired.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ImprovementMatrix } from '../../src/renderer/src/components/compare-tables';
import { compareStatistics, type CompareWork } from '../../src/main/service/compare-statistics';
import type { CompareResult } from '../../src/shared/dto';

// Eight seeds whose levels (10 k) dwarf the agents' difference (1 on every seed, give or take 0.1).
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];
const finals = [SEEDS.map((k) => 10 * k + 1 + 0.1 * Math.sin(k)), SEEDS.map((k) => 10 * k)];

function result(pairing: CompareWork['pairing']): CompareResult {
  const { improvement } = compareStatistics({ band: 'ci95', seed: 0, series: [[], []], finals: finals.map((v) => Float64Array.from(v)), direction: 'higher', pairing });
  const group = (label: string, values: number[]) => ({ key: label, label, configHash: label, runIds: SEEDS.map((k) => k + 1), seeds: SEEDS, final: { values } });
  return { metric: 'return', direction: 'higher', groups: [group('ucb', finals[0]!), group('greedy', finals[1]!)], improvement } as unknown as CompareResult;
}

const cells = (html: string) => [...html.matchAll(/<td[^>]*data-testid="improvement-cell"[^>]*>.*?<\/td>/g)].map((m) => m[0]);

describe('the improvement matrix, paired by seed', () => {
  it('shows Δ in paired cells, whose verdict is the signed-rank test’s, and names the test under the matrix', () => {
    const html = renderToStaticMarkup(createElement(ImprovementMatrix, { result: result({ seeds: [SEEDS, SEEDS], environments: ['bandit', 'bandit'] }) }));
    const [ab, ba] = cells(html);
    expect(ab).toContain('data-test="paired"');
    expect(ab).toContain('data-verdict="better"');
    expect(ab).toMatch(/data-testid="improvement-paired"> Δ 1\.0\d+ \[/);
    expect(ab).toContain('two-sided Wilcoxon signed-rank, paired by seed over 8 seeds');
    expect(ba).toContain('data-verdict="worse"');
    expect(ba).toMatch(/Δ -1\.0\d+ \[/);
    expect(html).toContain('data-testid="improvement-pairing"');
    expect(html).toMatch(/<li>“ucb”–“greedy”: paired by seed \(8 pairs\): Wilcoxon signed-rank p = 0\.0078; mean difference “ucb” − “greedy” 1\.0\d+ \[/);
    expect(html).toContain('untick “Pair by seed” above');
  });

  it('unpaired, shows neither Δ nor a verdict, and says why', () => {
    const html = renderToStaticMarkup(createElement(ImprovementMatrix, { result: result('off') }));
    const [ab] = cells(html);
    expect(ab).toContain('data-test="unpaired"');
    expect(ab).toContain('data-verdict="none"');
    expect(html).not.toContain('Δ');
    expect(html).toContain('<li>“ucb”–“greedy”: unpaired: Mann–Whitney (pairing turned off)</li>');
  });
});
