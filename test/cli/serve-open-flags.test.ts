// `aisle serve --open --no-open`: the two flags contradict each other, and commander kept the last
// silently (a server started, opening no browser, or one), where `compare --markdown --json` and
// `ope --holdout --holdout-last` are refused. Refused the same way: one line, exit 2, nothing served.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle serve given --open and --no-open', () => {
  it('refuses them in one line, exit 2, before it opens the database or listens', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    for (const flags of [['--open', '--no-open'], ['--no-open', '--open']]) {
      const r = aisle(['serve', '--port', '0', ...flags], { db });
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toBe('aisle: --open and --no-open contradict each other: give one of them\n(run `aisle serve --help` for usage)\n');
      expect(r.stdout).toBe('');
      expect(existsSync(db)).toBe(false);
    }
  });
});
