// An output path that ends in "/" names a folder, as the shell's completion writes one (`-o out/`):
// the command wrote a file named after the folder (`out`, the slash dropped by path.resolve) and
// said `wrote …/out`, exit 0. It is refused, one line naming the option, exit 2, nothing written
// and nothing stored.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function policyRows(db: string): number {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as n from policies').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

describe('an output path ending in "/"', () => {
  it('is refused by every command that writes a file, naming the option, and nothing is written or stored', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const experiment = join(dir, 'toy.json');
    writeFileSync(experiment, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', states: 2, actions: 2, stepsPerEpisode: 3 }, agent: { id: 'q-learning' }, episodes: 2, seeds: 1 }));
    expect(aisle(['run', experiment], { db }).code).toBe(0);
    const logs = join(dir, 'logs.csv');
    writeFileSync(logs, 'action,reward,propensity\n0,1,0.5\n1,0,0.5\n');
    const cases: string[][] = [
      ['export', '1', '-o', 'out/'],
      ['metrics', '1', '-o', 'out/'],
      ['policies', 'runtime', '-o', 'out/'],
      ['logs', 'mdp', logs, '-o', 'out/'],
      ['logs', 'mdp', logs, '-o', 'sim.mdp.json', '--experiment', 'out/'],
      ['results', 'export', '1', '-o', 'out/'],
    ];
    for (const args of cases) {
      const r = aisle(args, { db, cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      const option = args[args.length - 2];
      expect(r.stderr).toBe(`aisle: ${option} out/: ends in "/", so it names a folder: give the path of a file (in that folder, say)\n`);
      expect(existsSync(join(dir, 'out')), args.join(' ')).toBe(false);
      expect(readdirSync(dir).sort(), args.join(' ')).toEqual(['a.db', 'logs.csv', 'toy.json'].concat(readdirSync(dir).filter((f) => f.startsWith('a.db-'))).sort());
    }
    expect(policyRows(db)).toBe(0);
    // A folder that exists, with or without its slash, is refused as a folder, as before.
    const r = aisle(['export', '1', '-o', `${dir}/`], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`aisle: -o ${dir}/: is a folder: give the path of a file (in that folder, say)\n`);
  });
});
