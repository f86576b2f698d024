// A database path starting with "~" that no shell expanded (`AISLE_DB='~/lab.db'` quoted, or set
// in a .env file or a Dockerfile): `aisle run` made a folder named "~" in the current one and
// stored its runs there, where the next command from another folder never found them. Refused,
// naming the full path meant, exit 2, nothing made.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, seedToyExperiment } from '../helpers/cli';

describe('a --db starting with an unexpanded ~', () => {
  it('is refused naming the path meant, and no "~" folder is made', () => {
    const { dir, file } = seedToyExperiment('tilde', 3, 1);
    for (const args of [['run', file], ['runs'], ['results', 'import', file]]) {
      const r = aisle(args, { db: '~/lab.db', cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`aisle: --db: ~/lab.db starts with "~", which no shell expanded here (it was quoted, or set in a file): give the full path, ${join(homedir(), 'lab.db')}\n`);
    }
    expect(existsSync(join(dir, '~'))).toBe(false);
  });
});
