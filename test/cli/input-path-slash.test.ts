// An input file named with a "/" at its end (`aisle ope logs.csv/`, as a shell completes a folder):
// the CSV readers (ope, logs mdp, shop calibrate) printed Node's raw `ENOTDIR: not a directory, stat
// 'logs.csv/'` and exited 1, as a failed run does; the JSON readers said `file not found
// (…/quickstart.json)` of a file that is there. Each now says it is a file, exit 2.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('an input file named with a "/" at its end', () => {
  it('is named as a file by every reader, one line, exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    writeFileSync(join(dir, 'logs.csv'), 'action,reward,propensity\n0,1,0.5\n1,0,0.5\n');
    writeFileSync(join(dir, 'events.csv'), 'ts,customer,invoice,item,qty,price\n1291191960,17850,536365,85123A,6,2.55\n');
    writeFileSync(join(dir, 'toy.json'), JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 2 }));
    const cases: [string[], string][] = [
      [['ope', 'logs.csv/', '--target', 'uniform'], 'logs.csv'],
      [['logs', 'mdp', 'logs.csv/'], 'logs.csv'],
      [['shop', 'calibrate', 'events.csv/'], 'events.csv'],
      [['run', 'toy.json/'], 'toy.json'],
    ];
    for (const [args, file] of cases) {
      const r = aisle(args, { db, cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(`aisle: ${file}/: is a file, not a folder (${join(dir, file)}): drop the "/" at its end\n`);
    }
  });
});
