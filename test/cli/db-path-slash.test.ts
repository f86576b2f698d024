// A --db (or AISLE_DB) path ending in "/" names a folder (`--db ~/aisle/`, as the shell completes
// one): path.resolve dropped the slash, and `aisle run` made a database file named after the folder,
// exit 0. It is refused, one line with the path to give instead, exit 2, and no file is made.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, CLI } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('a database path ending in "/"', () => {
  it('is refused, naming the file to give in that folder, and nothing is made', () => {
    const dir = tempDir();
    const experiment = join(dir, 'toy.json');
    writeFileSync(experiment, JSON.stringify({ format: 'aisle.experiment/v1', name: 'toy', env: { id: 'seed-toy', states: 2, actions: 2, stepsPerEpisode: 3 }, agent: { id: 'q-learning' }, episodes: 2, seeds: 1 }));
    const folder = join(dir, 'lab');
    const refusal = `--db: ${folder}/ ends in "/", so it names a folder: give the path of a database file in it, e.g. --db ${folder}/aisle.db`;
    for (const args of [['run', experiment], ['runs'], ['serve', '--port', '0', '--no-open']]) {
      const r = aisle(args, { db: `${folder}/` });
      expect(r.code, `${args[0]}: ${r.stdout}`).toBe(2);
      expect(r.stderr).toBe(`aisle: ${refusal}\n`);
    }
    const env = spawnSync(process.execPath, [CLI, 'run', experiment], { cwd: dir, encoding: 'utf8', env: { ...process.env, AISLE_DB: `${folder}/` } });
    expect(env.status).toBe(2);
    expect(env.stderr).toBe(`aisle: ${refusal.replace('--db: ', 'AISLE_DB: ')}\n`);
    expect(existsSync(folder)).toBe(false);
    expect(readdirSync(dir)).toEqual(['toy.json']);
  });
});
