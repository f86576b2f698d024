// Compare's improvement matrix reads each cell's verdict once and writes its word from it: the word
// a cell shows is improvementCellWord's (the report's and `aisle compare`'s), better, worse, "no
// verdict" or none, and its data-verdict names the same verdict.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ImprovementMatrix } from '../../src/renderer/src/components/compare-tables';
import { cellVerdict, improvementCellText, improvementCellWord } from '../../src/shared/compare-text';
import type { CompareResult } from '../../src/shared/dto';

/** A (10 runs) ends above B (10 runs), beside D (10 runs) by chance; C (1 run) has no spread: every kind of cell. */
function result(): CompareResult {
  const group = (key: string, n: number) =>
    ({ key, label: key, configHash: key.repeat(8), runIds: Array.from({ length: n }, (_, i) => i + 1), seeds: [], final: { values: Array.from({ length: n }, (_, i) => i) } }) as unknown as CompareResult['groups'][number];
  // P(row > column) with its interval and test, above the diagonal; below it, the same pair seen from the other side.
  const above: Record<string, [number, number, number, number]> = { '0,1': [0.8, 0.6, 0.95, 0.001], '0,2': [0.6, 0.3, 0.9, 0.5], '0,3': [0.55, 0.3, 0.8, 0.6], '1,2': [0.4, 0.1, 0.7, 0.5], '1,3': [0.3, 0.1, 0.6, 0.2], '2,3': [0.5, 0.2, 0.8, 1] };
  const improvement = [0, 1, 2, 3].map((i) =>
    [0, 1, 2, 3].map((j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5, mannWhitneyP: 1 };
      const [p, lo, hi, mannWhitneyP] = above[i < j ? `${i},${j}` : `${j},${i}`]!;
      return i < j ? { p, lo, hi, mannWhitneyP } : { p: 1 - p, lo: 1 - hi, hi: 1 - lo, mannWhitneyP };
    }),
  );
  return { metric: 'return', direction: 'higher', groups: [group('A', 10), group('B', 10), group('C', 1), group('D', 10)], improvement } as unknown as CompareResult;
}

describe('the improvement matrix', () => {
  it("writes each cell's word as improvementCellWord reads it, with its data-verdict", () => {
    const r = result();
    const html = renderToStaticMarkup(createElement(ImprovementMatrix, { result: r }));
    const cells = [...html.matchAll(/<td[^>]*data-row="(\d)" data-col="(\d)"[^>]*data-verdict="([^"]+)"[^>]*>(.*?)<\/td>/g)];
    expect(cells).toHaveLength(12);
    const seen = new Set<string>();
    for (const [, i, j, verdict, body] of cells) {
      const word = improvementCellWord(cellVerdict(r, Number(i), Number(j)));
      const shown = /data-testid="improvement-word">([^<]*)</.exec(body!)?.[1];
      expect(shown, `cell ${i},${j}`).toBe(word);
      // The report's and `aisle compare`'s cell ends with the same word.
      expect(improvementCellText(r, Number(i), Number(j)).endsWith(word ? ` ${word}` : ']'), `cell ${i},${j}`).toBe(true);
      expect(verdict, `cell ${i},${j}`).toBe(word === 'no verdict' ? 'withheld' : (word ?? 'none'));
      seen.add(verdict!);
    }
    // The fixture holds every kind of cell, so each way a word is made is read.
    expect([...seen].sort()).toEqual(['better', 'none', 'withheld', 'worse']);
  });
});
