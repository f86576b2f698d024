// `aisle eval` without --db: the default database is looked in only for what the policy file cannot
// hold (an MDP it names by hash), and never made by the look.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, CLI, cliffExperimentFile, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** `aisle eval` as a user without --db or AISLE_DB runs it, its default database under `home`. */
function evalWithoutDb(home: string, policy: string): { code: number; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'eval', policy, '--episodes', '5'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AISLE_DB: '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe('aisle eval without --db', () => {
  it('evaluates a shop policy from its file without making the default database', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', join(ROOT, 'resources/experiments/shop-small.json'), '--episodes', '50', '--seeds', '1'], { db }).code).toBe(0);
    const policy = join(dir, 'shop-policy.json');
    expect(aisle(['export', '1', '-o', policy], { db }).code).toBe(0);
    const home = join(dir, 'home');
    const result = evalWithoutDb(home, policy);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(home, '.config', 'Aisle', 'aisle.db'))).toBe(false);
  });

  it('refuses an MDP policy whose run no database holds, making none', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', cliffExperimentFile(dir, { seeds: 1 })], { db }).code).toBe(0);
    const policy = join(dir, 'cliff-policy.json');
    expect(aisle(['export', '1', '-o', policy], { db }).code).toBe(0);
    const home = join(dir, 'home');
    const result = evalWithoutDb(home, policy);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/that a policy file names but does not hold, and neither its run 1 nor any experiment in the database \(--db\) is on that MDP/);
    expect(existsSync(join(home, '.config', 'Aisle', 'aisle.db'))).toBe(false);
  });
});
