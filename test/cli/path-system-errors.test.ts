// A path the system refuses for its form, a name too long (ENAMETOOLONG) or a symbolic link that
// leads back to itself (ELOOP): every command printed Node's raw words (`aisle: ENAMETOOLONG: name too
// long, stat '…'`) and exited 1, as a failed run does. Each is now one line naming the file and the
// fix, exit 2, and nothing is made.
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('a path too long for the system, or a link that loops', () => {
  it('is refused in one line naming the file, exit 2, by the readers, the writers and --db', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    writeFileSync(join(dir, 'logs.csv'), 'action,reward,propensity\n0,1,0.5\n1,0,0.5\n');
    const experiment = join(dir, 'toy.json');
    writeFileSync(experiment, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 2 }));
    expect(aisle(['run', experiment], { db }).code).toBe(0);
    symlinkSync('loop', join(dir, 'loop'));
    const long = 'a'.repeat(300);
    const cases: [string[], string, string?][] = [
      [['run', `${long}.json`], `aisle: ${long}.json: the path is too long for this system (ENAMETOOLONG): give a shorter one\n`],
      [['ope', `${long}.csv`, '--target', 'uniform'], `aisle: ${long}.csv: the path is too long for this system (ENAMETOOLONG): give a shorter one\n`],
      [['ope', 'logs.csv', '--target', `${long}.json`], `aisle: --target ${long}.json: the path is too long for this system (ENAMETOOLONG): give a shorter one\n`],
      [['run', 'loop'], 'aisle: loop: a symbolic link on the path leads back to itself (ELOOP): check the path and its links\n'],
      [['logs', 'mdp', 'loop'], 'aisle: loop: a symbolic link on the path leads back to itself (ELOOP): check the path and its links\n'],
      [['metrics', '1', '-o', `${long}.csv`], `aisle: -o ${long}.csv: cannot write it (ENAMETOOLONG: name too long): give a shorter path\n`],
      [['run', experiment], `aisle: --db: ${join(dir, `${long}.db`)} cannot be created (ENAMETOOLONG: name too long, open '${join(dir, `${long}.db`)}'): give the path of an Aisle database, or of a new file in a folder you can write to\n`, join(dir, `${long}.db`)],
    ];
    for (const [args, message, otherDb] of cases) {
      const r = aisle(args, { db: otherDb ?? db, cwd: dir });
      expect(r.code, `${args.join(' ').slice(0, 80)}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(message);
    }
    // results export's copy runs in a worker, which names its temporary file.
    const results = aisle(['results', 'export', '1', '-o', `${long}.aisle-results`], { db, cwd: dir });
    expect(results.code, results.stderr).toBe(2);
    expect(results.stderr).toMatch(new RegExp(`^aisle: -o ${long}\\.aisle-results: cannot write it \\(ENAMETOOLONG: name too long[^\\n]*\\): give a path in a folder you can write to\\n$`));
    expect(readdirSync(dir).filter((f) => !f.startsWith('a.db')).sort()).toEqual(['logs.csv', 'loop', 'toy.json']);
  });
});
