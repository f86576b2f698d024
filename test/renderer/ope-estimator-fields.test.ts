// The Off-policy form's reward model help: since 2c2edef a cell is shrunk toward its action's mean
// over the OTHER contexts (itself shrunk toward the overall mean), so no row counts twice; the help
// under the Prior field still said "shrunk toward its action's mean by the prior", the model before.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpeEstimatorFields } from '../../src/renderer/src/components/ope-estimator-fields';

const noop = () => undefined;
const html = () =>
  renderToStaticMarkup(
    createElement(OpeEstimatorFields, {
      confidence: 0.95,
      onConfidence: noop,
      resamples: '1000',
      onResamples: noop,
      seed: '0',
      onSeed: noop,
      prior: '2.5',
      onPrior: noop,
      folds: 3,
      onFolds: noop,
    }),
  );

describe('OpeEstimatorFields', () => {
  it("says the reward model as README does: a cell shrunk toward its action's mean over the other contexts, itself toward the overall mean", () => {
    const text = html().replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");
    expect(text).toContain(
      "Each cell's mean reward, shrunk toward its action's mean over the other contexts (itself shrunk toward the overall mean), each by the prior; DR corrects each row with the model fit on the other folds.",
    );
  });

  it('shows the choices given: level, resamples, seed, prior and folds', () => {
    const out = html();
    expect(out).toContain('data-testid="ope-prior"');
    expect(out).toMatch(/<option value="0.95" selected="">95 %<\/option>/);
    expect(out).toMatch(/<option value="3" selected="">3 folds<\/option>/);
    expect(out).toContain('value="2.5"');
  });
});
