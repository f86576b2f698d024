// The Off-policy screen's line while an evaluation runs (Resamples 100,000 take over a minute): it
// said only "Evaluating…"; now it says how far the bootstrap has resampled and for how long.
// The bar follows the whole evaluation; the count, the target under way's (opePhase, as aisle ope's).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpeProgress, opeProgressText } from '../../src/renderer/src/components/ope-progress';

describe('OpeProgress', () => {
  it('says the resamples done of the target under way, which target among several, and the seconds', () => {
    expect(opeProgressText({ evaluationId: 'e', done: 41_000, total: 100_000, target: 0, targets: 1 }, 12.9, [false])).toBe('Resampling: 41,000 of 100,000, 12 s');
    // The count is the target's, of the Resamples asked (the bar follows the whole evaluation), as `aisle ope`'s bar counts it.
    expect(opeProgressText({ evaluationId: 'e', done: 141_000, total: 300_000, target: 1, targets: 3 }, 72, [false, false, false])).toBe('Resampling: 41,000 of 100,000 (target 2 of 3), 72 s');
    // Before the first report the worker reads the file.
    expect(opeProgressText(null, 0.4, [false])).toBe('Reading the logs, 0 s');
  });

  // A target of other rows' policy is resampled again for what it really got: with Resamples 100,000
  // the line read "1,200 of 200,000 (100,000 each, and again for what the other rows' policy really
  // got)", a total the user never asked for; `aisle ope` counts the truth apart, and so does the app.
  it("counts a logs target's truth apart from its estimates, each of the Resamples asked", () => {
    const alone = (done: number) => opeProgressText({ evaluationId: 'e', done, total: 200_000, target: 0, targets: 1 }, 4, [true]);
    expect(alone(1_200)).toBe('Resampling the truth: 1,200 of 100,000, 4 s');
    expect(alone(100_000)).toBe('Resampling the truth: 100,000 of 100,000, 4 s');
    expect(alone(141_000)).toBe('Resampling: 41,000 of 100,000, 4 s');
    // After a uniform target, and before one.
    const mixed = (done: number, target: number, withTruth: boolean[]) => opeProgressText({ evaluationId: 'e', done, total: 300_000, target, targets: 2 }, 6, withTruth);
    expect(mixed(27_700, 0, [true, false])).toBe('Resampling the truth: 27,700 of 100,000 (target 1 of 2), 6 s');
    expect(mixed(150_000, 0, [true, false])).toBe('Resampling: 50,000 of 100,000 (target 1 of 2), 6 s');
    expect(mixed(290_000, 1, [true, false])).toBe('Resampling: 90,000 of 100,000 (target 2 of 2), 6 s');
    expect(mixed(127_700, 1, [false, true])).toBe('Resampling the truth: 27,700 of 100,000 (target 2 of 2), 6 s');
    expect(mixed(250_000, 1, [false, true])).toBe('Resampling: 50,000 of 100,000 (target 2 of 2), 6 s');
  });

  it('draws a progress bar with the resamples as its values', () => {
    const html = renderToStaticMarkup(createElement(OpeProgress, { progress: { evaluationId: 'e', done: 41_000, total: 100_000, target: 0, targets: 1 }, seconds: 3, withTruth: [false] }));
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="41000"');
    expect(html).toContain('aria-valuemax="100000"');
    expect(html).toContain('width:41%');
    expect(renderToStaticMarkup(createElement(OpeProgress, { progress: null, seconds: 0, withTruth: [] }))).not.toContain('progressbar');
    // With a logs target the bar still follows the whole evaluation, truth included; the line, the truth's count.
    const logs = renderToStaticMarkup(createElement(OpeProgress, { progress: { evaluationId: 'e', done: 1_200, total: 200_000, target: 0, targets: 1 }, seconds: 4, withTruth: [true] }));
    expect(logs).toContain('aria-valuemax="200000"');
    expect(logs).toContain('Resampling the truth: 1,200 of 100,000, 4 s');
  });
});
