// A policy evaluation's mean length and metrics, written by one function for the Policies screen's
// evaluate panel and `aisle eval` (src/shared/figures.ts, evaluationFigures).
import { describe, expect, it } from 'vitest';
import { evaluationFigures } from '../../src/shared/figures';

describe('evaluationFigures', () => {
  it("keeps the walk's figures to 4 decimals: coverage 0.2997, not 0.3, and a mean length of 11.55, not 11.6", () => {
    // The figures of the walk's policy file: the app read 19.884, 0.3, 0.608 and 11.55, `aisle eval` 19.8836, 0.2997, 0.6081 and 11.6.
    const figures = evaluationFigures({ meanLength: 11.55, metrics: { revenue: 19.883612, coverage: 0.29972, conversion: 0.608134 } });
    expect(figures.meanLength).toBe('11.55');
    expect(figures.metrics).toEqual([
      ['revenue', '19.8836'],
      ['coverage', '0.2997'],
      ['conversion', '0.6081'],
    ]);
  });

  it('writes the metrics as one column with the same decimals: a round share keeps its zeros beside the others', () => {
    const figures = evaluationFigures({ meanLength: 5.26, metrics: { clicks: 2.225, revenue: 2.33382, coverage: 0.05000000000000004, diversity: 0 } });
    expect(figures.metrics.map(([, text]) => text)).toEqual(['2.2250', '2.3338', '0.0500', '0.0000']);
    expect(figures.meanLength).toBe('5.26');
  });

  it('gives a tiny metric its two significant digits, and the column its decimals; a missing value reads –', () => {
    const figures = evaluationFigures({ meanLength: 10, metrics: { novelty: 0.00038, revenue: 19.5, ctr: Number.NaN } });
    expect(figures.metrics).toEqual([
      ['novelty', '0.00038'],
      ['revenue', '19.50000'],
      ['ctr', '–'],
    ]);
    expect(figures.meanLength).toBe('10');
  });

  it('writes an environment without metrics as none', () => {
    expect(evaluationFigures({ meanLength: 13.5, metrics: {} })).toEqual({ meanLength: '13.5', metrics: [] });
  });
});
