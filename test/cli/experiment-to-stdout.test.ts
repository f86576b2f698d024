// `aisle shop calibrate … -o cat.json --experiment /dev/stdout > exp.json` (and `aisle logs mdp`
// likewise) wrote the catalog's (the MDP's) path relative to /dev, "../tmp/lab/cat.json", which
// from exp.json beside cat.json names a file that is not there. A stream has no folder of its
// own: the path is relative to the current folder, where `> exp.json` puts the experiment and
// from which `aisle run /dev/stdin < exp.json` reads it back.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibratedExperiment, type ShopConfig } from '../../src/cli/shop';
import { aisle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const config = {
  calibration: { source: 'events.csv', rows: 3, customers: 2, from: '2011-03-13T07:06:40Z', to: '2011-03-14T08:06:40Z', sessions: 2, sessionGapMinutes: 60, sessionLength: { mean: 1.5 } },
  catalog: { items: [], categories: [] },
  env: {},
} as unknown as ShopConfig;

describe('an experiment written to a stream', () => {
  it('names the catalog relative to the current folder', () => {
    const env = (experiment: Record<string, unknown>) => experiment.env as { catalog: string };
    expect(env(calibratedExperiment(config, 'shop.json', '/dev/stdout')).catalog).toBe('shop.json');
    expect(env(calibratedExperiment(config, join(process.cwd(), 'lab', 'shop.json'), '/proc/self/fd/1')).catalog).toBe('lab/shop.json');
    // A file keeps its own folder.
    expect(env(calibratedExperiment(config, '/tmp/lab/shop.json', '/tmp/exp/e.json')).catalog).toBe('../lab/shop.json');
  });

  it('aisle logs mdp --experiment /dev/stdout names the MDP relative to the current folder', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logs.csv'), 'item,click,pscore\na,1,0.5\nb,0,0.5\na,0,0.5\nb,1,0.5\n');
    const r = aisle(['logs', 'mdp', 'logs.csv', '-o', 'sim.mdp.json', '--experiment', '/dev/stdout'], { db: join(dir, 'a.db'), cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { env: { mdp: string } }).env.mdp).toBe('sim.mdp.json');
  });
});
