// `aisle results export … -o night.aisle-results` over the file an earlier export wrote is replaced,
// as docs/cli.md says ("a results file there is replaced, keeping its permissions"): the -o check that
// keeps `aisle export 1 -o lab.db` from replacing a database (2c459b0e) had refused every SQLite file,
// results files too ("… which this would replace with another kind of file"). A database there is
// still refused, named as one, and kept.
import { chmodSync, copyFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, oneCliffRun } from '../helpers/cli';

describe('results export over a file already there', () => {
  it('replaces a results file, keeping its permissions; refuses a database, kept byte for byte', () => {
    const { dir, db } = oneCliffRun();
    const file = join(dir, 'night.aisle-results');
    expect(aisle(['results', 'export', '1', '-o', file], { db }).code).toBe(0);
    chmodSync(file, 0o640);
    const again = aisle(['results', 'export', '1', '-o', file], { db });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`wrote ${file}: 1 experiment`);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // The file written is a results file the import reads.
    const imported = aisle(['results', 'import', file], { db: join(dir, 'other.db') });
    expect(imported.code, imported.stderr).toBe(0);

    const lab = join(dir, 'lab.db');
    copyFileSync(db, lab);
    const before = readFileSync(lab);
    const overDb = aisle(['results', 'export', '1', '-o', lab], { db });
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toBe(`aisle: -o ${lab}: is a SQLite database (an Aisle database, say), which this would replace with a results file: give another path (or delete it first)\n`);
    expect(readFileSync(lab).equals(before)).toBe(true);
  });
});
