// --name (aisle export, logs mdp): a name of only spaces is refused saying so; the general words
// ("1 to 500 characters, none of them control characters") fit it and did not say what was wrong.
import { describe, expect, it } from 'vitest';
import { nameOption } from '../../src/cli/arguments';

const message = (parse: () => unknown): string => {
  try {
    parse();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('--name', () => {
  it('refuses a name of only spaces saying so', () => {
    expect(message(() => nameOption(500)('   '))).toBe('--name is only spaces: give the name some visible characters (up to 500).');
    expect(message(() => nameOption(200)(' '))).toBe('--name is only spaces: give the name some visible characters (up to 200).');
  });

  it('keeps its words for an empty, long or control-character name, and takes a name with spaces around it', () => {
    expect(message(() => nameOption(500)(''))).toBe('--name must be 1 to 500 characters, none of them control characters, got "".');
    expect(message(() => nameOption(500)('x'.repeat(501)))).toBe('--name must be 1 to 500 characters, none of them control characters, got 501 characters.');
    expect(message(() => nameOption(200)(' \t '))).toMatch(/none of them control characters/);
    expect(nameOption(500)('  shop q  ')).toBe('  shop q  ');
  });
});
