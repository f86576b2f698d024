// The Off-policy screen's line while an evaluation runs (Resamples 100,000 take over a minute): it
// said only "Evaluating…"; now it says how far the bootstrap has resampled and for how long.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpeProgress, opeProgressText } from '../../src/renderer/src/components/ope-progress';

describe('OpeProgress', () => {
  it('says the resamples done of all, which target among several, and the seconds', () => {
    expect(opeProgressText({ evaluationId: 'e', done: 41_000, total: 100_000, target: 0, targets: 1 }, 12.9)).toBe('Resampling: 41,000 of 100,000, 12 s');
    expect(opeProgressText({ evaluationId: 'e', done: 141_000, total: 300_000, target: 1, targets: 3 }, 72)).toBe('Resampling: 141,000 of 300,000 (target 2 of 3), 72 s');
    // A target of other rows' policy is resampled again for what it really got: with Resamples
    // 100,000 it read "1,200 of 200,000" (and uniform beside it "of 300,000") with nothing saying why.
    expect(opeProgressText({ evaluationId: 'e', done: 1_200, total: 200_000, target: 0, targets: 1 }, 4, 100_000)).toBe(
      "Resampling: 1,200 of 200,000 (100,000 each, and again for what the other rows' policy really got), 4 s",
    );
    expect(opeProgressText({ evaluationId: 'e', done: 27_700, total: 300_000, target: 0, targets: 2 }, 6, 100_000)).toBe(
      "Resampling: 27,700 of 300,000 (target 1 of 2; 100,000 each, and again for what the other rows' policy really got), 6 s",
    );
    // Without such a target the total is the Resamples times the targets: nothing to explain.
    expect(opeProgressText({ evaluationId: 'e', done: 141_000, total: 300_000, target: 1, targets: 3 }, 72, 100_000)).toBe('Resampling: 141,000 of 300,000 (target 2 of 3), 72 s');
    // Before the first report the worker reads the file.
    expect(opeProgressText(null, 0.4)).toBe('Reading the logs, 0 s');
  });

  it('draws a progress bar with the resamples as its values', () => {
    const html = renderToStaticMarkup(createElement(OpeProgress, { progress: { evaluationId: 'e', done: 41_000, total: 100_000, target: 0, targets: 1 }, seconds: 3 }));
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="41000"');
    expect(html).toContain('aria-valuemax="100000"');
    expect(html).toContain('width:41%');
    expect(renderToStaticMarkup(createElement(OpeProgress, { progress: null, seconds: 0 }))).not.toContain('progressbar');
  });
});
