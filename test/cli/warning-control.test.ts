// `aisle: warning: …` lines carry a file's texts (a logs header's column names, a policy's labels, a
// --target as given): warn() printed them raw, so an ESC sequence in a column's name recoloured the
// terminal, U+202E showed the rest of the line reversed and a line break split the warning. warn()
// now escapes every control character (engine/params' escapeControl), once: a text its caller
// escaped already is printed as it was.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warn } from '../../src/cli/context';
import { aisle, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** Any control character a terminal acts on: C0, C1, DEL, the bidirectional overrides and isolates. */
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

afterEach(() => vi.restoreAllMocks());

/** What warn(text) writes on stderr, at a width of 80. */
function warned(text: string): string {
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const columns = process.env.COLUMNS;
  process.env.COLUMNS = '80';
  try {
    warn(text);
  } finally {
    if (columns === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = columns;
  }
  return out;
}

describe('warn', () => {
  it('escapes an ESC sequence, U+202E, a line break and a tab', () => {
    const out = warned('"a\u001b[31mred", "b\u202Eevil", "two\nlines\tend"');
    expect(out).toBe('aisle: warning: "a\\u001b[31mred", "b\\u202eevil", "two\\u000alines\\u0009end"\n');
    expect(out.slice(0, -1)).not.toMatch(CONTROL);
  });

  it('prints a text its caller escaped, and an ordinary one, as they were', () => {
    expect(warned('--target "\\u001b[31m" is given twice: evaluated once')).toBe('aisle: warning: --target "\\u001b[31m" is given twice: evaluated once\n');
    expect(warned('run 2 stopped inside a long episode, without a checkpoint')).toBe('aisle: warning: run 2 stopped inside a long episode, without a checkpoint\n');
  });
});

describe("aisle ope's warning of rows that mix logging columns", () => {
  it("escapes a control character in a mixed column's name, which the header gave", () => {
    const dir = tempDir();
    const lines = ['campaign\u001b[31m,policy\u202Eevil,item,click,pscore'];
    for (const policy of ['random', 'bts']) for (const campaign of ['men', 'women']) for (let i = 0; i < 30; i++) lines.push(`${campaign},${policy},${i % 3},${i % 4 === 0 ? 1 : 0},${1 / 3}`);
    writeFileSync(join(dir, 'logs.csv'), `${lines.join('\n')}\n`);
    const r = aisle(['ope', 'logs.csv', '--target', 'uniform', '--resamples', '20'], { db: join(dir, 'never.db'), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const stderr = unwrapped(r.stderr);
    // Quoted as every message quotes a file's name that holds one (listedName): the screen showed it raw, the CLI escaped it bare.
    expect(stderr).toContain('aisle: warning: The rows kept mix 2 values of "campaign\\u001b[31m" (men, women) and 2 values of "policy\\u202eevil" (bts, random).');
    expect(r.stderr.replace(/\n/g, ' ')).not.toMatch(CONTROL); // the line breaks wrapped() makes aside
  });
});
