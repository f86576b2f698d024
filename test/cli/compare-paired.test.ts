// `aisle compare` pairs groups by seed where the design allows it (one environment config, the same
// seeds, one run each) and says which test each pair was read with; --unpaired turns pairing off.
// Two bandit experiments: UCB1 and epsilon-greedy 0.1 on the same 30 seeds of the 10-armed testbed,
// whose arms each seed draws, so a seed's two runs face the same arms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/shared/dto';
import { spawnSync } from 'node:child_process';
import { aisle, CLI, ROOT } from '../helpers/cli';

let dir: string;
let db: string;
// One database for the file's tests (tempDir's folders go after each test).
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aisle-test-'));
  db = join(dir, 'a.db');
  for (const [name, agent] of [
    ['ucb', { id: 'ucb1', c: 2 }],
    ['greedy', { id: 'epsilon-greedy', epsilon: 0.1 }],
  ] as const) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env: { id: 'bandit-testbed', arms: 10 }, agent, episodes: 1000, seeds: 30 }));
    const r = aisle(['run', file], { db });
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `aisle --json compare …`: its curves (60 runs × 1,000 points) pass spawnSync's default 1 MB buffer, which aisle() keeps. */
function compareJson(args: string[]): { code: number; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, '--db', db, '--json', 'compare', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AISLE_DB: '' }, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type Json = CompareResult & { verdicts: ({ verdict: string | null; withheld?: string; test?: Record<string, number> } | null)[][] };

describe('aisle compare, paired by seed', () => {
  it('--json carries the paired figures and the verdict the signed-rank test gives', () => {
    const r = compareJson(['1', '2']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    const cell = json.improvement[0]![1]!;
    expect(cell.paired).toMatchObject({ pairs: 30, exact: true, plus: 450, minus: 15 });
    expect(cell.paired!.signedRankP).toBeCloseTo(2.551823854446411e-7, 15);
    expect(cell.paired!.mean).toBeCloseTo(0.1146, 4);
    expect(json.improvement[1]![0]!.paired!.mean).toBeCloseTo(-cell.paired!.mean, 12);
    expect(json.verdicts[0]![1]).toEqual({
      verdict: 'better',
      test: { mannWhitneyP: cell.mannWhitneyP, signedRankP: cell.paired!.signedRankP, pairedSeeds: 30, holmP: cell.paired!.signedRankP, pairs: 1 },
    });
    expect(json.verdicts[1]![0]!.verdict).toBe('worse');
  });

  it('--unpaired compares the pair unpaired, as before: no verdict, and says so', () => {
    const r = compareJson(['1', '2', '--unpaired']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    const cell = json.improvement[0]![1]!;
    expect(cell.paired).toBeUndefined();
    expect(cell.unpaired).toBe('pairing turned off');
    expect(cell.mannWhitneyP).toBeCloseTo(0.36587680970446784, 12);
    expect(json.verdicts[0]![1]).toEqual({ verdict: null, test: { mannWhitneyP: cell.mannWhitneyP, holmP: cell.mannWhitneyP, pairs: 1 } });
  });

  it('says in its text which test each pair was read with, and what Δ is', () => {
    const paired = aisle(['compare', '1', '2'], { db, env: { COLUMNS: '200' } });
    expect(paired.code, paired.stderr).toBe(0);
    const text = paired.stdout.replace(/\s*\n\s*/g, ' ');
    expect(paired.stdout).toMatch(/^A\s{2,}–\s{2,}0\.569 \[0\.424, 0\.712\] Δ 0\.115 \[0\.068, 0\.161\] better$/m);
    expect(text).toContain("A–B: paired by seed (30 pairs): Wilcoxon signed-rank p = 2.6e-7; mean difference A − B 0.115 [0.068, 0.161] (Student's t 95 % CI)");
    expect(text).toContain('Δ marks a pair paired by seed');
    expect(text).toContain('run aisle compare with --unpaired');
    const unpaired = aisle(['compare', '1', '2', '--unpaired'], { db, env: { COLUMNS: '200' } });
    expect(unpaired.stdout).toMatch(/^A\s{2,}–\s{2,}0\.569 \[0\.424, 0\.712\]$/m);
    expect(unpaired.stdout.replace(/\s*\n\s*/g, ' ')).toContain('A–B: unpaired: Mann–Whitney (pairing turned off)');
    expect(unpaired.stdout).not.toContain('Δ');
  });

  it('--markdown writes the same lines in the report', () => {
    const r = aisle(['compare', '1', '2', '--markdown'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('| A | – | 0.569 [0.424, 0.712] Δ 0.115 [0.068, 0.161] better |');
    expect(r.stdout).toContain("- A–B: paired by seed (30 pairs): Wilcoxon signed-rank p = 2.6e-7; mean difference A − B 0.115 [0.068, 0.161] (Student's t 95 % CI)");
  });
});
