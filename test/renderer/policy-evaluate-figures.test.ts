// The Policies screen's evaluate panel writes an evaluation's mean length and metrics as `aisle eval`
// prints them (test/cli/eval-figures.test.ts): 4 decimals, the metrics as one column. It wrote each
// at 3 alone, coverage 0.3 where the CLI printed 0.2997.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EvaluationResult } from '../../src/renderer/src/components/policy-evaluate';
import type { PolicyEvaluationResult } from '../../src/shared/dto';

/** The text of the panel's figure under this label (its <dt>). */
function cell(html: string, label: string): string {
  const match = new RegExp(`<dt[^>]*>${label}</dt><dd[^>]*>(.*?)</dd>`).exec(html);
  if (!match) throw new Error(`no ${label} in ${html}`);
  return match[1]!.replace(/<[^>]+>/g, '');
}

describe('EvaluationResult', () => {
  it("writes the walk's shop figures with aisle eval's decimals: revenue 19.8836, coverage 0.2997, mean length 11.55", () => {
    const result: PolicyEvaluationResult = {
      env: 'shop',
      fingerprintMatches: true,
      warnings: [],
      monteCarlo: {
        episodes: 1000,
        seed: 0,
        meanReturn: 6.119,
        stdReturn: 6.68,
        ci95: [5.7044, 6.5336],
        meanLength: 11.55,
        metrics: { revenue: 19.883612, coverage: 0.29972, conversion: 0.608134, diversity: 0 },
      },
    };
    const html = renderToStaticMarkup(createElement(EvaluationResult, { result }));
    expect(cell(html, 'Mean return \\(undiscounted\\)')).toBe('6.1190');
    expect(cell(html, 'Mean length')).toBe('11.55');
    expect(cell(html, 'revenue')).toBe('19.8836');
    expect(cell(html, 'coverage')).toBe('0.2997');
    expect(cell(html, 'conversion')).toBe('0.6081');
    expect(cell(html, 'diversity')).toBe('0.0000');
  });

  it('says why a shop has no exact evaluation without calling it no MDP (in exact mode it is one)', () => {
    const result: PolicyEvaluationResult = {
      env: 'shop',
      fingerprintMatches: true,
      warnings: [],
      monteCarlo: { episodes: 10, seed: 0, meanReturn: 1, stdReturn: 0, ci95: [1, 1], meanLength: 1, metrics: {} },
    };
    const html = renderToStaticMarkup(createElement(EvaluationResult, { result }));
    expect(html).toContain('No exact evaluation: only a tabular-mdp environment is solved exactly here, and this one is shop.');
    expect(html).not.toContain('not a tabular MDP');
  });
});
