// `curl … | aisle results import /dev/stdin` (or `<(ssh lab cat x.aisle-results)`): a pipe has no
// size, and a file copy of it copies nothing, so the import refused it as "is empty: … (a copy cut
// short?)". It is now read through to its end, then checked and imported as a file is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, CLI, seedToyExperiment } from '../helpers/cli';

/** `cat <file> | aisle --db <db> results import /dev/stdin`, through a real pipe. */
function importPiped(file: string, db: string) {
  const r = spawnSync('sh', ['-c', 'cat "$1" | "$2" "$3" --db "$4" results import /dev/stdin', 'sh', file, process.execPath, CLI, db], { encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('aisle results import from a pipe', () => {
  it('imports the results a pipe gives, as from the file', () => {
    const { dir, db, file } = seedToyExperiment('piped', 5, 2);
    expect(aisle(['run', file], { db }).code).toBe(0);
    const results = join(dir, 'piped.aisle-results');
    expect(aisle(['results', 'export', '1', '-o', results], { db }).code).toBe(0);
    const other = join(dir, 'other.db');
    const r = importPiped(results, other);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"piped": imported as experiment 1, 2 runs (1, 2)');
    expect((JSON.parse(aisle(['runs', '--json'], { db: other }).stdout) as { total: number }).total).toBe(2);
  });

  it('an empty pipe is still refused as empty, and no database is left made for it', () => {
    const { dir } = seedToyExperiment('empty', 5, 1);
    const db = join(dir, 'new.db');
    const r = importPiped('/dev/null', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('aisle: /dev/stdin: is empty: give a file `aisle results export` wrote (a copy cut short?)\n');
    expect(existsSync(db)).toBe(false);
  });
});
