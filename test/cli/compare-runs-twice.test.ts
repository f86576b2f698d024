// `aisle compare --runs 3 3` compared run 3 once without a word (the table counted one run fewer
// than given), and so did an experiment named twice or ranges that overlap. As `aisle ope` evaluates
// a target given twice once and says so (1f460b26), compare compares it once and stderr names it;
// the exit status stays 0 and stdout is the comparison of the distinct ids.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aisle, ROOT, unwrapped } from '../helpers/cli';

// One database for the file's tests (the runs are trained once).
const dir = mkdtempSync(join(tmpdir(), 'aisle-compare-twice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'a.db');

function compared(args: string[]): { runIds: number[]; stderr: string } {
  const r = aisle(['--json', 'compare', ...args], { db });
  expect(r.code, r.stderr).toBe(0);
  const result = JSON.parse(r.stdout) as { groups: { runIds: number[] }[] };
  return { runIds: result.groups.flatMap((g) => g.runIds).sort((a, b) => a - b), stderr: unwrapped(r.stderr) };
}

describe('aisle compare with a run or experiment given twice', () => {
  beforeAll(() => {
    // Runs 1–4 (experiment 1), then 5–8 (experiment 2, another length: another group, not repeats of the same seeds).
    for (const episodes of ['20', '30']) {
      const r = aisle(['run', join(ROOT, 'resources/experiments/seed-toy.json'), '--episodes', episodes, '--seeds', '4'], { db });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('compares a run given twice once, and says so', () => {
    const { runIds, stderr } = compared(['--runs', '3', '3', '1']);
    expect(runIds).toEqual([1, 3]);
    expect(stderr).toContain('aisle: warning: --runs 3 is given twice: compared once');
    expect(compared(['--runs', '2', '2', '2']).stderr).toContain('aisle: warning: --runs 2 is given 3 times: compared once');
  });

  it('names every run that overlapping ranges give twice, in one line', () => {
    const { runIds, stderr } = compared(['--runs', '1-4', '2-6']);
    expect(runIds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stderr).toContain('aisle: warning: --runs 2–4 are each given more than once: each compared once');
  });

  it('compares an experiment given twice once, and says so', () => {
    const { runIds, stderr } = compared(['1', '2', '1']);
    expect(runIds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stderr).toContain('aisle: warning: experiment 1 is given twice: compared once');
    expect(compared(['1', '2', '1', '2']).stderr).toContain('aisle: warning: experiments 1, 2 are each given more than once: each compared once');
  });

  it('says nothing when each is given once', () => {
    const { runIds, stderr } = compared(['1', '--runs', '5', '6']);
    expect(runIds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stderr).not.toContain('given');
  });
});
