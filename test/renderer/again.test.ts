// Run again's draft (the Experiments screen's and Run detail's alike) and `aisle again`'s name: the
// stored experiment under a name of its own, so the new experiment is not a second one of the same
// name, and a sweep of it named with every value once, none that no longer holds.
import { describe, expect, it } from 'vitest';
import { sweptName, type SweepAxis } from '../../src/engine/sweep';
import { againName } from '../../src/shared/again-name';
import { EXPERIMENT_NAME_MAX, textLength } from '../../src/engine/experiment-text';
import { againStart } from '../../src/renderer/src/form/again';

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
  it("numbers a name that ends in a sweep's values before them, past the numbers an earlier sweep's names carry", () => {
    expect(againName('cliff (alpha=0.413)', ['cliff', 'cliff (alpha=0.413)'])).toBe('cliff (2) (alpha=0.413)');
    expect(againName('cliff (2) (alpha=0.413, epsilon.end=0.05)', ['cliff (2) (alpha=0.413, epsilon.end=0.05)'])).toBe('cliff (3) (alpha=0.413, epsilon.end=0.05)');
    // "cliff (2)" is the base of an earlier sweep's names: taken, or the new names would mix with them.
    expect(againName('cliff', ['cliff', 'cliff (2) (alpha=0.1)', 'cliff (2) (alpha=0.2)'])).toBe('cliff (3)');
    expect(againName('cliff (alpha=0.1)', ['cliff (alpha=0.1)', 'cliff (2) (alpha=0.3)'])).toBe('cliff (3) (alpha=0.1)');
    // Not a sweep's values (no "field=value"): part of the name.
    expect(againName('ε (0.1)', ['ε (0.1)'])).toBe('ε (0.1) (2)');
    // A name ending in a repeat's number after what reads as values (typed so) is numbered on,
    // not read as "x" with a value "1) (2" (which gave "x (2) (a=1) (2)").
    expect(againName('x (a=1) (2)', ['x (a=1)', 'x (a=1) (2)'])).toBe('x (a=1) (3)');
  });
  it('stays within the 200 characters a name may have, cutting the base', () => {
    const long = 'x'.repeat(200);
    expect(againName(long, [long])).toBe(`${'x'.repeat(196)} (2)`);
    // Cut between characters: an emoji across the cut goes whole, not half of its surrogate pair.
    const emoji = `${'x'.repeat(195)}🚀rest`;
    // Counted in characters (code points), as the limit counts them: an emoji is one.
    expect(againName(emoji, [emoji])).toBe(`${'x'.repeat(195)}🚀 (2)`);
    expect(againName(`${'x'.repeat(194)}🚀rest`, [])).toBe(`${'x'.repeat(194)}🚀r (2)`);
    expect(againName('🚀'.repeat(150), [])).toBe(`${'🚀'.repeat(150)} (2)`);
  });
  it('keeps both the number and the values of a long name, its base cut for them, and counts that number as taken', () => {
    // The number alone was given where the values did not fit beside it: the values were lost.
    const swept = `${'n'.repeat(185)} (alpha=0.12345)`;
    expect(againName(swept, [])).toBe(`${'n'.repeat(180)} (2) (alpha=0.12345)`);
    // Values too long to leave the base STEM_MIN (40) characters: the number alone, as before.
    const crowded = `${'n'.repeat(45)} (alpha=${'9'.repeat(148)})`;
    expect(againName(crowded, [])).toBe(`${'n'.repeat(45)} (2)`);
    // A 200-character name's repeat swept, then run again: its names, cut for their values, still hold "(2)".
    const y = 'y'.repeat(200);
    const sweep = [`${'y'.repeat(184)} (2) (alpha=0.1)`, `${'y'.repeat(184)} (2) (alpha=0.2)`];
    expect(againName(y, [y, ...sweep])).toBe(`${'y'.repeat(196)} (3)`);
    expect(againName(sweep[0]!, [y, ...sweep])).toBe(`${'y'.repeat(184)} (3) (alpha=0.1)`);
    // The other way round: a repeat of the number alone counts the sweep's (3), cut shorter, as taken.
    expect(againName(`${'y'.repeat(196)} (2)`, [y, `${'y'.repeat(196)} (2)`, `${'y'.repeat(184)} (3) (alpha=0.1)`])).toBe(`${'y'.repeat(196)} (4)`);
    // A base that only starts alike is another's: its numbers are not taken.
    expect(againName(y, [y, `${'y'.repeat(150)} (2) (alpha=0.1)`, `${'y'.repeat(183)}z (3)`])).toBe(`${'y'.repeat(196)} (2)`);
  });
});

describe('a repeat swept, or given single values (aisle again --set, Run again launched as a sweep)', () => {
  const axis = (path: string, ...values: unknown[]): SweepAxis => ({ path: path.split('.'), values, texts: values.map(String) });
  const again = (name: string, taken: string[], axes: SweepAxis[], combination: number[]) => sweptName(againName(name, taken), axes, combination);
  it('sets the values the name gives, keeps the others, and numbers alike whether it sweeps or not', () => {
    const taken = ['cliff (alpha=0.1, epsilon=0.05)', 'cliff (alpha=0.2, epsilon=0.05)'];
    // The repeat as it opens, and as a sweep of α names its experiments: one number, ε's value kept.
    expect(againName(taken[0]!, taken)).toBe('cliff (2) (alpha=0.1, epsilon=0.05)');
    expect(again(taken[0]!, taken, [axis('agent.alpha', 0.3, 0.4)], [1])).toBe('cliff (2) (alpha=0.4, epsilon=0.05)');
    // A single value over a value the name gives renames it (`aisle again 3 --set agent.alpha=0.9`).
    expect(again('cliff (alpha=0.1)', ['cliff (alpha=0.1)', 'cliff (alpha=0.5)'], [axis('agent.alpha', 0.9)], [0])).toBe('cliff (2) (alpha=0.9)');
    // One the name does not give changes nothing in it; a sweep of it adds its values.
    expect(again('cliff (alpha=0.1)', [], [axis('agent.epsilon', 0.2)], [0])).toBe('cliff (2) (alpha=0.1)');
    expect(again('cliff', ['cliff'], [axis('agent.alpha', 0.2, 0.3)], [0])).toBe('cliff (2) (alpha=0.2)');
    // A name ending in a repeat's number is swept after it, its text before it untouched (the
    // values were read as "a=1) (2", giving "x (a=1) (2, alpha=0.2)").
    expect(sweptName('x (a=1) (2)', [axis('agent.alpha', 0.2, 0.3)], [0])).toBe('x (a=1) (2) (alpha=0.2)');
  });
  it("keeps a long name's number and the sweep's values, cutting the name before its number", () => {
    // `aisle again 1 --set agent.alpha=0.1,0.2` of a 200-character name: the values cut its "(2)" off.
    const y = 'y'.repeat(200);
    const alpha = axis('agent.alpha', 0.1, 0.2);
    expect(again(y, [y], [alpha], [0])).toBe(`${'y'.repeat(184)} (2) (alpha=0.1)`);
    expect(again(y, [y, `${'y'.repeat(196)} (2)`], [alpha], [1])).toBe(`${'y'.repeat(184)} (3) (alpha=0.2)`);
    // The sweep stored, a repeat of a repeat swept with longer values: the number after them, the base cut shorter.
    const taken = [y, `${'y'.repeat(184)} (2) (alpha=0.1)`, `${'y'.repeat(184)} (2) (alpha=0.2)`];
    const longer = again(taken[1]!, taken, [axis('agent.alpha', 0.125, 0.25)], [0]);
    expect(longer).toBe(`${'y'.repeat(182)} (3) (alpha=0.125)`);
    expect(againName(y, [...taken, longer])).toBe(`${'y'.repeat(196)} (4)`);
    for (const name of [...taken.slice(1), longer]) expect(textLength(name)).toBeLessThanOrEqual(EXPERIMENT_NAME_MAX);
  });
});

describe('againStart', () => {
  it('is the experiment as the form edits it, renamed', () => {
    const config = { format: 'aisle.experiment/v1', name: 'stored cliff', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [0, 1, 2] };
    expect(againStart(config, ['stored cliff'])).toEqual({ ...config, name: 'stored cliff (2)', seeds: 3 });
    expect(againStart({ ...config, name: 'cliff (alpha=0.413)' }, ['cliff (alpha=0.413)']).name).toBe('cliff (2) (alpha=0.413)');
    expect(againStart({ ...config, name: '' }, []).name).toBe('');
  });
});
