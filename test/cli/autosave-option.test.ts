// AISLE_AUTOSAVE_SECONDS is read as the number options read one (arguments.ts): a decimal number of
// seconds from 0. Number() alone took "0x10" as 16 s and "0b1" as 1 s.
import { afterEach, describe, expect, it } from 'vitest';
import { autosaveOption } from '../../src/cli/context';

const saved = process.env.AISLE_AUTOSAVE_SECONDS;
afterEach(() => {
  if (saved === undefined) delete process.env.AISLE_AUTOSAVE_SECONDS;
  else process.env.AISLE_AUTOSAVE_SECONDS = saved;
});

function option(text: string | undefined): ReturnType<typeof autosaveOption> | string {
  if (text === undefined) delete process.env.AISLE_AUTOSAVE_SECONDS;
  else process.env.AISLE_AUTOSAVE_SECONDS = text;
  try {
    return autosaveOption();
  } catch (e) {
    return (e as Error).message;
  }
}

describe('AISLE_AUTOSAVE_SECONDS', () => {
  it('takes a decimal number of seconds from 0, and nothing set or empty as the default', () => {
    expect(option('30')).toEqual({ autosaveMs: 30_000 });
    expect(option('0.5')).toEqual({ autosaveMs: 500 });
    expect(option(' 0 ')).toEqual({ autosaveMs: 0 });
    expect(option('1e1')).toEqual({ autosaveMs: 10_000 });
    expect(option(undefined)).toEqual({});
    expect(option('')).toEqual({});
  });

  it('refuses what is not a decimal number of seconds, hexadecimal and binary among them', () => {
    for (const text of ['0x10', '0b1', 'abc', '-5', 'Infinity']) {
      expect(option(text), text).toBe(`AISLE_AUTOSAVE_SECONDS: "${text}" is not a number of seconds ≥ 0: set it to 60 (the default), or 0 for no autosave`);
    }
  });
});
