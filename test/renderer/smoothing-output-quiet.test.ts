// The smoothing slider's number beside it (Run detail, Compare) is an <output>, a live region: a
// screen reader said each weight twice as the slider moved (the slider's value text, then the
// output), and on a training run's page every change of the automatic weight as points came in.
// The slider's aria-valuetext says the weight; the output is read where it stands, not announced.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SmoothingControl } from '../../src/renderer/src/components/smoothing-control';

describe('SmoothingControl', () => {
  it('says the weight by the slider, and keeps its output from announcing it again', () => {
    const smoothing = { weight: 0.67, auto: true, set: () => {}, setAuto: () => {} };
    const html = renderToStaticMarkup(createElement(SmoothingControl, { smoothing, id: 'smoothing', label: 'smoothing', testId: 'smoothing' }));
    expect(/<input[^>]*type="range"[^>]*>/.exec(html)?.[0]).toContain('aria-valuetext="0.67, automatic"');
    expect(/<output[^>]*>0.67<\/output>/.exec(html)?.[0]).toContain('aria-live="off"');
  });
});
