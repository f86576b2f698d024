// `aisle results import` makes the database --db names, and a file it refuses leaves none behind
// (test/cli/results.test.ts). Two ways it did: an empty file at --db (a shell's `>` made it) was
// turned into an empty Aisle database, and the folders made on the way to a new --db stayed.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('a results file refused by aisle results import', () => {
  it('leaves an empty --db file empty, and no folder made for a new --db', () => {
    const dir = tempDir();
    const bad = join(dir, 'notes.aisle-results');
    writeFileSync(bad, 'not a results file\n');
    const refusal = `aisle: ${bad}: is not an Aisle results file (not a SQLite database): give a file \`aisle results export\` wrote\n`;

    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const intoEmpty = aisle(['results', 'import', bad], { db: empty });
    expect(intoEmpty.code).toBe(2);
    expect(intoEmpty.stderr).toBe(refusal);
    expect(statSync(empty).size).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('empty.db')).sort()).toEqual(['empty.db']);

    const nested = join(dir, 'new', 'sub', 'colleague.db');
    const intoNew = aisle(['results', 'import', bad], { db: nested });
    expect(intoNew.code).toBe(2);
    expect(intoNew.stderr).toBe(refusal);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    // A file that does not exist is refused the same way.
    const missing = aisle(['results', 'import', join(dir, 'nope.aisle-results')], { db: nested });
    expect(missing.code).toBe(2);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });
});
