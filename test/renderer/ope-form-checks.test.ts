// The Off-policy form says at once what Evaluate would refuse: one column chosen for two roles
// (it was refused only after Evaluate, by the engine's "column "click" is both the reward and the
// propensity"); and its Prior takes what `aisle ope --prior` takes, fractions such as 2.5 included,
// from 0 to 1,000,000 (it took whole numbers only).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { real } from '../../src/cli/arguments';
import { NumberField, numberIn } from '../../src/renderer/src/components/number-field';
import { roleClash } from '../../src/renderer/src/components/ope-columns';

describe('roleClash', () => {
  it('names the first column chosen for two roles, in the form’s order of roles', () => {
    expect(roleClash({ action: 'item', reward: 'click', propensity: 'pscore', context: 'position' })).toBeNull();
    expect(roleClash({ action: 'item', reward: 'click', propensity: 'click', context: '' })).toEqual({ column: 'click', first: 'reward', second: 'propensity' });
    expect(roleClash({ action: 'item', reward: 'click', propensity: 'pscore', context: 'item' })).toEqual({ column: 'item', first: 'action', second: 'context' });
    // Roles not chosen ('': none, or choose…) never clash.
    expect(roleClash({ action: '', reward: '', propensity: '', context: '' })).toBeNull();
  });
});

describe('the Prior field', () => {
  it('takes what aisle ope --prior takes: any number from 0 to 1,000,000', () => {
    const cli = real('--prior', 0, 1_000_000);
    for (const text of ['0', '1', '2.5', '0.001', '1e3', '1000000']) {
      expect(numberIn(text, 0, 1_000_000), text).toBe(cli(text));
    }
    for (const text of ['-1', '1000000.5', '', 'abc', 'Infinity']) {
      expect(numberIn(text, 0, 1_000_000), text).toBeNull();
      expect(() => cli(text), text).toThrow('--prior must be a number in [0, 1,000,000]');
    }
  });

  it('says its range beside it while it is out of it, and lets a browser take decimals', () => {
    const field = (value: string) => renderToStaticMarkup(createElement(NumberField, { label: 'Prior, in pseudo-rows', min: 0, max: 1_000_000, value, onChange: () => {}, testId: 'ope-prior' }));
    expect(field('2.5')).not.toContain('field-error');
    expect(field('2.5')).toContain('step="any"');
    expect(field('-1')).toContain('Prior, in pseudo-rows: a number from 0 to 1,000,000, such as 2.5.');
    expect(field('-1')).toContain('aria-invalid="true"');
  });
});
