// usageLine: commander's usage errors reworded as "aisle: …" lines (the CLI's one voice for errors).
import { describe, expect, it } from 'vitest';
import { usageLine } from '../../src/cli/index';

describe('usageLine', () => {
  it('drops commander\'s preamble where our parser\'s message names the field', () => {
    expect(usageLine("error: option '--workers <n>' argument 'abc' is invalid. --workers must be a whole number from 1 to 256, got \"abc\".\n")).toBe(
      'aisle: --workers must be a whole number from 1 to 256, got "abc"\n',
    );
    expect(usageLine("error: command-argument value 'x' is invalid for argument 'runId'. runId must be a whole number from 1 up, got \"x\".\n")).toBe(
      'aisle: runId must be a whole number from 1 up, got "x"\n',
    );
  });

  it('names an option by its long flag and says what was given to a choice', () => {
    expect(usageLine("error: option '-o, --output <file>' argument '' is invalid. Allowed choices are a, b.\n")).toBe('aisle: --output must be one of a, b, got ""\n');
    expect(usageLine("error: option '-q <n>' argument 'z' is invalid.\n")).toBe('aisle: -q: "z" is not valid\n');
  });

  it('keeps any other message, in the same voice', () => {
    expect(usageLine("error: unknown command 'frobnicate'\n")).toBe("aisle: unknown command 'frobnicate'\n");
    expect(usageLine('error: too many arguments for \'runs\'. Expected 0 arguments but got 1.\n')).toBe("aisle: too many arguments for 'runs'. Expected 0 arguments but got 1\n");
  });
});
