// Run again's draft (the Experiments screen's and Run detail's alike): the stored experiment under a
// name of its own, so the new experiment is not a second one of the same name.
import { describe, expect, it } from 'vitest';
import { againName, againNameWith } from '../../src/shared/again-name';
import { againStart, sweepingDraft } from '../../src/renderer/src/form/again';

describe('againName', () => {
  it('numbers the repeat from 2, past the names already taken', () => {
    expect(againName('cliff', ['cliff'])).toBe('cliff (2)');
    expect(againName('cliff', ['cliff', 'cliff (2)'])).toBe('cliff (3)');
    expect(againName('cliff', ['cliff', 'cliff (3)'])).toBe('cliff (2)');
  });
  it('numbers on from a repeat rather than stacking a second number', () => {
    expect(againName('cliff (2)', ['cliff', 'cliff (2)'])).toBe('cliff (3)');
    expect(againName('cliff (12)', ['cliff (12)'])).toBe('cliff (2)');
    // Not a repeat's number: kept as part of the name.
    expect(againName('ε (0.1)', ['ε (0.1)'])).toBe('ε (0.1) (2)');
    expect(againName('run (1)', [])).toBe('run (1) (2)');
  });
  it("drops the values of the sweep or search that made the name when the repeat sweeps or searches, numbering past an earlier sweep's", () => {
    // `aisle again --sample` of a search's experiment: the new draws' values follow, not the old ones' beside them.
    expect(againName('cliff (alpha=0.413)', ['cliff', 'cliff (alpha=0.413)'], true)).toBe('cliff (2)');
    expect(againName('cliff (2) (alpha=0.413, epsilon.end=0.05)', ['cliff (2) (alpha=0.413, epsilon.end=0.05)'], true)).toBe('cliff (3)');
    // "cliff (2)" is the base of an earlier sweep's names: taken, or the new sweep's names would mix with them.
    expect(againName('cliff', ['cliff', 'cliff (2) (alpha=0.1)', 'cliff (2) (alpha=0.2)'], true)).toBe('cliff (3)');
    // A repeat that is not a sweep trains the same values: it keeps them in its name.
    expect(againName('cliff (alpha=0.413)', ['cliff (alpha=0.413)'])).toBe('cliff (alpha=0.413) (2)');
    // Not a sweep's values (no "field=value"): part of the name.
    expect(againName('ε (0.1)', ['ε (0.1)'], true)).toBe('ε (0.1) (2)');
  });
  it('stays within the 200 characters a name may have', () => {
    const long = 'x'.repeat(200);
    expect(againName(long, [long])).toBe(`${'x'.repeat(196)} (2)`);
    // Cut between characters: an emoji across the cut goes whole, not half of its surrogate pair.
    const emoji = `${'x'.repeat(195)}🚀rest`;
    expect(againName(emoji, [emoji])).toBe(`${'x'.repeat(195)} (2)`);
    expect(againName(`${'x'.repeat(194)}🚀rest`, [])).toBe(`${'x'.repeat(194)}🚀 (2)`);
  });
});

describe('againStart', () => {
  it('is the experiment as the form edits it, renamed', () => {
    const config = { format: 'aisle.experiment/v1', name: 'stored cliff', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [0, 1, 2] };
    expect(againStart(config, ['stored cliff']).draft).toEqual({ ...config, name: 'stored cliff (2)', seeds: 3 });
  });
});

describe('sweepingDraft', () => {
  const config = { format: 'aisle.experiment/v1', name: 'cliff (alpha=0.413)', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seeds: 1 };
  const taken = ['cliff', 'cliff (alpha=0.413)', 'cliff (alpha=0.2)'];
  it("names a sweep or search launched from Run again's draft as `aisle again` does, without the old search's values", () => {
    const { draft, again } = againStart(config, taken);
    // Opened before a sweep is chosen: a repeat of the same values keeps them.
    expect(draft.name).toBe('cliff (alpha=0.413) (2)');
    // Launched as a sweep: the sweep's experiments are named "cliff (2) (alpha=…)", as the CLI names them.
    expect(sweepingDraft(draft, again)).toEqual({ ...draft, name: 'cliff (2)' });
  });
  it('keeps a name the user typed, and a draft that is not a Run again', () => {
    const { draft: opened, again } = againStart(config, taken);
    const draft = { ...opened, name: 'my search (alpha=0.5)' };
    expect(sweepingDraft(draft, again)).toBe(draft);
    const fresh = { ...config, name: 'cliff (alpha=0.413) (2)' };
    expect(sweepingDraft(fresh, undefined)).toBe(fresh);
  });
});

describe('againNameWith: single values set over a repeat (aisle again --set)', () => {
  const alpha = (text: string) => ({ keys: ['alpha', 'agent.alpha'], text });
  it('renames the values of the sweep that made the name when a setting changes one, keeping those that still hold', () => {
    expect(againNameWith('cliff (alpha=0.1)', ['cliff (alpha=0.1)', 'cliff (alpha=0.5)'], [alpha('0.9')])).toBe('cliff (2) (alpha=0.9)');
    expect(againNameWith('cliff (alpha=0.1, epsilon=0.05)', ['cliff (alpha=0.1, epsilon=0.05)'], [alpha('0.9')])).toBe('cliff (2) (alpha=0.9, epsilon=0.05)');
    // Numbered past an earlier repeat's, however it was named.
    expect(againNameWith('cliff (alpha=0.1)', ['cliff (alpha=0.1)', 'cliff (2) (alpha=0.3)'], [alpha('0.9')])).toBe('cliff (3) (alpha=0.9)');
    // A value with a comma of its own stays whole.
    expect(againNameWith('shop (slate=[1,2], alpha=0.1)', [], [alpha('0.2')])).toBe('shop (2) (slate=[1,2], alpha=0.2)');
  });
  it("is againName's when no setting changes a value the name shows", () => {
    expect(againNameWith('cliff (alpha=0.1)', ['cliff (alpha=0.1)'], [{ keys: ['epsilon', 'agent.epsilon'], text: '0.2' }])).toBe('cliff (alpha=0.1) (2)');
    expect(againNameWith('cliff (alpha=0.1)', ['cliff (alpha=0.1)'], [alpha('0.1')])).toBe('cliff (alpha=0.1) (2)');
    expect(againNameWith('cliff', ['cliff'], [alpha('0.9')])).toBe('cliff (2)');
    expect(againNameWith('cliff (alpha=0.1)', [], [])).toBe('cliff (alpha=0.1) (2)');
  });
  it('keeps to the name limit: the number alone when the values would pass it', () => {
    const long = `${'n'.repeat(185)} (alpha=0.1)`;
    expect(againNameWith(long, [], [alpha('0.123456789')])).toBe(`${'n'.repeat(185)} (2)`);
  });
});
