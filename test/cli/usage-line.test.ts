// usageLine: commander's usage errors reworded as "aisle: …" lines (the CLI's one voice for errors).
import { describe, expect, it } from 'vitest';
import { printable, usageLine } from '../../src/cli/index';

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

  it('drops the preamble of a value that holds a quote of its own', () => {
    // It kept "option '--trials <n>' argument '3'x' is invalid." before the parser's words.
    expect(usageLine("error: option '--trials <n>' argument '3'x' is invalid. --trials must be a whole number from 1 to 64, got \"3'x\".\n")).toBe('aisle: --trials must be a whole number from 1 to 64, got "3\'x"\n');
    expect(usageLine("error: command-argument value 'it's' is invalid for argument 'runId'. runId must be a whole number from 1 up, got \"it's\".\n")).toBe('aisle: runId must be a whole number from 1 up, got "it\'s"\n');
  });

  it('says which of two options that exclude each other to drop, each by its long flag', () => {
    // `aisle ope logs.csv --holdout 3 --holdout-last 20` said "option '--holdout-last <p>' cannot be used with option '--holdout <k>'", and no fix.
    expect(usageLine("error: option '--holdout-last <p>' cannot be used with option '--holdout <k>'\n")).toBe('aisle: --holdout-last cannot be used with --holdout: give one of them\n');
    expect(usageLine("error: option '-o, --output <file>' cannot be used with option '--csv'\n")).toBe('aisle: --output cannot be used with --csv: give one of them\n');
  });

  it('says why a command got more arguments than it takes, and the fix', () => {
    // `aisle ope logs.csv --where context = x` said "too many arguments for 'ope'. Expected 1 argument but got 3", and no more.
    expect(usageLine("error: too many arguments for 'ope'. Expected 1 argument but got 3.\n")).toBe(
      "aisle: too many arguments for 'ope' (it takes 1, got 3): quote an option's value that holds spaces or shell characters such as { } * ?, as in --where 'page=home page'\n",
    );
    expect(usageLine("error: too many arguments for 'runs'. Expected 0 arguments but got 1.\n")).toMatch(/^aisle: too many arguments for 'runs' \(it takes none, got 1\): quote /);
  });

  it('keeps any other message, in the same voice', () => {
    expect(usageLine("error: unknown command 'frobnicate'\n")).toBe("aisle: unknown command 'frobnicate'\n");

  });

  it('prints what an option was given as one line, its control characters escaped (option fuzz seeds 1, 19, 27, 53)', () => {
    // `--set $'agent.al\x1bpha=1,,2'`: the ESC drove the terminal; U+202E reversed the rest of the line; a line break split it in two.
    const detail = '--set agent.al\u001bpha\n=1,,2: an empty value in the list: separate the values by single commas (e.g. --set agent.alpha=0.1,0.5)';
    expect(usageLine(`error: option '--set <path=values>' argument 'agent.al\u001bpha\n=1,,2' is invalid. ${detail}\n`)).toBe(
      'aisle: --set agent.al\\u001bpha\\u000a=1,,2: an empty value in the list: separate the values by single commas (e.g. --set agent.alpha=0.1,0.5)\n',
    );
    expect(usageLine("error: option '--trials <n>' argument '3\u202E' is invalid. --trials must be a whole number from 1 to 64, got \"3\u202E\".\n")).toBe('aisle: --trials must be a whole number from 1 to 64, got "3\\u202e"\n');
    // commander's own message keeps its second line, the option typed escaped.
    expect(usageLine("error: unknown option '--se\u001bt'\n(Did you mean --set?)\n")).toBe("aisle: unknown option '--se\\u001bt'\n(Did you mean --set?)\n");
    // A problem line (main prints one per 'aisle: ' line) too.
    expect(printable('--sample agent.alpha\n=log:1:0.5: a\u202Eb\tc\u0085')).toBe('--sample agent.alpha\\u000a=log:1:0.5: a\\u202eb\\u0009c\\u0085');
  });
});
