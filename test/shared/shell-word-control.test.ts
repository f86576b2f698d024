// shellWord writes a word the CLI and the app print in a command to type next (`aisle ope … --where
// …` from a policy's fittedTo, a file's name). A word holding a control character (ESC[31m,
// U+202E, a line break) went into single quotes raw: the command drove the terminal, showed
// reversed or split over lines. It is now written in $'…' with \uHHHH escapes, which bash reads
// back as the word itself; other words are quoted as before.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/shared/text';

/** What bash makes of `word` as one argument. */
function readBack(word: string): string {
  const r = spawnSync('bash', ['-c', `printf %s ${word}`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('shellWord', () => {
  it('quotes ordinary words as before', () => {
    expect(shellWord('obd.csv')).toBe('obd.csv');
    expect(shellWord('my logs.csv')).toBe("'my logs.csv'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });

  it.each([
    ['an ESC sequence', 'page=a\u001b[31mred'],
    ['U+202E', 'page=a\u202Eb'],
    ['a line break, a quote and a backslash', "two\nlines 'q' \\ end"],
    ['5,000 characters and a tab', `${'x'.repeat(5_000)}\t`],
  ])('writes a word holding %s without the control character, as bash reads it back', (_what, text) => {
    const word = shellWord(text);
    expect(word).not.toMatch(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u);
    expect(word.startsWith("$'")).toBe(true);
    expect(readBack(word)).toBe(text);
  });
});
