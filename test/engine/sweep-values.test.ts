// A sweep's list of values, read one way by `aisle run --set` and the app's Sweep rows: split at the
// commas outside quotes and brackets, each value JSON else text, an empty one a problem.
import { describe, expect, it } from 'vitest';
import { parseSweepValues, typedList, typedText } from '../../src/engine/sweep-values';

const EMPTY = { ok: false, problem: 'an empty value in the list: separate the values by single commas' };

describe('parseSweepValues', () => {
  it('reads each value as JSON when it is JSON, else as its text, splitting at commas outside quotes, brackets and braces', () => {
    expect(parseSweepValues('0.1, 0.5')).toEqual({ ok: true, texts: ['0.1', '0.5'], values: [0.1, 0.5] });
    expect(parseSweepValues('sarsa,q-learning')).toMatchObject({ values: ['sarsa', 'q-learning'] });
    expect(parseSweepValues('true,null,"a,b","say \\"hi\\", then"')).toMatchObject({ values: [true, null, 'a,b', 'say "hi", then'] });
    expect(parseSweepValues('[0,1], {"start":1,"end":0.1}')).toEqual({
      ok: true,
      texts: ['[0,1]', '{"start":1,"end":0.1}'],
      values: [[0, 1], { start: 1, end: 0.1 }],
    });
  });

  it('reads a number typed as JSON does not take it (.5, -.5, +0.5, 5.) as that number, not as its text', () => {
    expect(parseSweepValues('.5, -.25, +0.75, 5., 1.e-3')).toMatchObject({ ok: true, values: [0.5, -0.25, 0.75, 5, 0.001] });
    // Not numbers: texts, as before.
    expect(parseSweepValues('.5x, ., +, 1..2')).toMatchObject({ ok: true, values: ['.5x', '.', '+', '1..2'] });
  });

  it('finds no value in blank text, and refuses an empty one between commas', () => {
    expect(parseSweepValues('')).toEqual({ ok: true, texts: [], values: [] });
    expect(parseSweepValues('  ')).toEqual({ ok: true, texts: [], values: [] });
    for (const text of ['0.1,,0.5', ',0.1', ',', '0.1, ,0.5']) expect(parseSweepValues(text), text).toEqual(EMPTY);
  });

  it('takes a trailing comma as a value still to come only when asked (the app, while the user types)', () => {
    expect(parseSweepValues('0.1, 0.5,')).toEqual(EMPTY);
    expect(parseSweepValues('0.1, 0.5, ', { trailingComma: true })).toEqual({ ok: true, texts: ['0.1', '0.5'], values: [0.1, 0.5] });
    // One comma ends the list; a second leaves an empty value behind it, as does a comma alone.
    expect(parseSweepValues('0.1,,', { trailingComma: true })).toEqual(EMPTY);
    expect(parseSweepValues(',', { trailingComma: true })).toEqual(EMPTY);
  });

  it('refuses a value given twice, however it is written: it would make two experiments alike under one name', () => {
    expect(parseSweepValues('0.1, 0.5, 0.1')).toEqual({ ok: false, problem: '"0.1" is given twice: give each value once (each makes an experiment of its own)' });
    expect(parseSweepValues('0.1, 1e-1, 0.10')).toEqual({ ok: false, problem: '"1e-1" is the same value as "0.1": give each value once (each makes an experiment of its own)' });
    expect(parseSweepValues('sarsa, "sarsa"')).toMatchObject({ ok: false, problem: '""sarsa"" is the same value as "sarsa": give each value once (each makes an experiment of its own)' });
    expect(parseSweepValues('{"start":1,"end":0.1}, {"end":0.1,"start":1}')).toMatchObject({ ok: false });
    // Different values that look alike stay apart: a number and its text, 1 and 1.5, [0,1] and [1,0].
    expect(parseSweepValues('1, "1", 1.5, [0,1], [1,0]')).toMatchObject({ ok: true, values: [1, '1', 1.5, [0, 1], [1, 0]] });
  });

  it('says that commas separate the values when they are numbers separated by spaces', () => {
    // The app's Sweep row with "0.9 0.99" said only "gamma = 0.9 0.99: must be a number in [0, 1], got \"0.9 0.99\"".
    expect(parseSweepValues('0.9 0.99')).toEqual({ ok: false, problem: '"0.9 0.99" is 2 numbers separated by spaces: separate the values by commas (0.9, 0.99)' });
    expect(parseSweepValues('0.1, 0.2  0.3 -4', { trailingComma: true })).toEqual({ ok: false, problem: '"0.2 0.3 -4" is 3 numbers separated by spaces: separate the values by commas (0.2, 0.3, -4)' });
    // A text of words, a number with words, or one JSON value with spaces in it stays a value.
    expect(parseSweepValues('most popular, 3 items, [0, 1]')).toMatchObject({ ok: true, values: ['most popular', '3 items', [0, 1]] });
  });

  it('refuses a value nested thousands deep, which overflowed the stack (option fuzz seed 7)', () => {
    const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    const problem = `the value "${'['.repeat(20)}…" nests lists or objects more than 64 deep, which no field of an experiment takes: give a number, a text or a shallow list`;
    expect(parseSweepValues(`0.1, ${deep}`)).toEqual({ ok: false, problem });
    // A random search's choices (repeats allowed) too: their check quotes each as JSON.
    expect(parseSweepValues(deep, { repeats: true })).toEqual({ ok: false, problem });
    expect(parseSweepValues('[[[1]]], {"a":{"b":[1]}}')).toMatchObject({ ok: true });
  });
});

describe('a typed text cut where an emoji straddles the cut', () => {
  // 1 + 40 emoji: the 60th unit is the first half of the 30th emoji, which alone shows as �.
  const text = `a${'😀'.repeat(40)}`;
  it('typedText keeps whole characters before its …', () => {
    expect(typedText(text)).toBe(`a${'😀'.repeat(29)}…`);
    expect(typedText(text)).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
  it('typedList cuts each value the same way', () => {
    expect(typedList([text, 'b'])).toBe(`a${'😀'.repeat(29)}…, b`);
  });
  it('a value nested too deep is quoted without half an emoji', () => {
    // {"a then emoji from the 4th unit: the 20th unit is the first half of the 9th.
    const deep = `{"a${'😀'.repeat(12)}": ${'['.repeat(70)}${']'.repeat(70)}}`;
    const read = parseSweepValues(deep);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem).not.toMatch(/[\uD800-\uDBFF]…/);
  });
});
