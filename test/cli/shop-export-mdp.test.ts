// `aisle shop export-mdp`: the exact-mode shop of an experiment as an aisle.mdp/v1 file that
// `aisle solve` reads, and the experiments it refuses (exit 2, naming the field and the fix).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shopToMdp } from '../../src/engine/envs/shop/export-mdp';
import { parseMdp } from '../../src/engine/mdp/format';
import { valueIteration } from '../../src/engine/mdp/solve';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const small = join(ROOT, 'resources/experiments/shop-small.json');

function experiment(dir: string, env: Record<string, unknown>): string {
  const file = join(dir, 'exp.json');
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'export test', env, agent: { id: 'q-learning' } }));
  return file;
}

describe('aisle shop export-mdp', () => {
  it('writes the exact shop of shop-small.json, which `aisle solve` solves to the same optimum', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const out = join(dir, 'small.mdp.json');
    const r = aisle(['shop', 'export-mdp', small, '-o', out, '--json'], { db });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { path: string; states: number; actions: number; transitions: number };
    const mdp = parseMdp(JSON.parse(readFileSync(out, 'utf8')));
    expect(summary).toMatchObject({ path: out, states: mdp.states, actions: mdp.actions });
    const env = JSON.parse(readFileSync(small, 'utf8')).env as Record<string, unknown>;
    const { id: _id, ...params } = env;
    expect(mdp.states).toBe(parseMdp(shopToMdp(params)).states);

    const solved = aisle(['solve', out, '--gamma', '0.9', '--horizon', String(env.maxSteps), '--json'], { db });
    expect(solved.code, solved.stderr).toBe(0);
    const optimal = (JSON.parse(solved.stdout) as { optimalReturn: number }).optimalReturn;
    expect(optimal).toBeCloseTo(valueIteration(parseMdp(shopToMdp(params)), { gamma: 0.9, horizon: env.maxSteps as number }).optimalReturn, 9);

    const text = aisle(['shop', 'export-mdp', small, '-o', out], { db });
    expect(text.stdout).toMatch(/^wrote .*small\.mdp\.json: \d+ states × 6 actions, \d+ transitions/);
    // The command to solve it names the experiment's agent's γ, where it said `--gamma G` (QA).
    expect(text.stdout).toContain(`(solve it with \`aisle solve ${out} --horizon ${String(env.maxSteps)} --gamma 0.9\`: the γ of the experiment's agent)`);
    const printed = aisle(['shop', 'export-mdp', small], { db });
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    // Into a stream the MDP has no path to solve: the command named `aisle solve /dev/stdout …`.
    const streamed = aisle(['shop', 'export-mdp', small, '-o', '/dev/stdout'], { db });
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(JSON.parse(streamed.stdout)).toEqual(JSON.parse(readFileSync(out, 'utf8')));
    expect(streamed.stderr).toContain(`(solve it with \`aisle solve <mdp.json> --horizon ${String(env.maxSteps)} --gamma 0.9\`: the γ of the experiment's agent)`);
    expect(streamed.stderr).not.toContain('solve /dev/stdout');
  });

  it('suggests solve\'s own γ 1 for an agent without a γ (the myopic oracle), where it said `--gamma G`', () => {
    const dir = tempDir();
    const out = join(dir, 'oracle.mdp.json');
    const file = join(dir, 'oracle.json');
    const env = JSON.parse(readFileSync(small, 'utf8')).env as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'oracle', env, agent: { id: 'myopic-oracle' } }));
    const r = aisle(['shop', 'export-mdp', file, '-o', out], { db: join(dir, 'a.db') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`(solve it with \`aisle solve ${out} --horizon ${String(env.maxSteps)}\`: γ 1, the undiscounted return the runs report)`);
    expect(r.stdout).not.toContain('--gamma');
  });

  it.each([
    ['another environment', { id: 'bandit-testbed' }, 'env.id: export-mdp writes the shop\'s exact MDP, but the experiment\'s environment is "bandit-testbed"'],
    ['a shop that is not exact', { id: 'shop', items: 4, categories: 2 }, 'env.exact: only the exact mode is a finite MDP: set "exact": true'],
    ['an exact shop too large to write out', { id: 'shop', exact: true, items: 2000, categories: 50, segments: 20 }, 'env.exact: the exact MDP would have 9,181 states × 2,000 actions'],
  ])('refuses %s, exit 2, writing nothing', (_what, env, message) => {
    const dir = tempDir();
    const out = join(dir, 'x.mdp.json');
    const r = aisle(['shop', 'export-mdp', experiment(dir, env), '-o', out], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`exp.json: ${message}`);
    expect(existsSync(out)).toBe(false);
  });

  // All of these ended "…, or exact false" (a run's fix): export-mdp needs the exact MDP.
  // Both of the last used to pass validation: the first failed after building 10,000,000 rows, the second wrote a
  // file that `aisle solve` then refused for a reward beyond 1e9 (test/engine/shop-mdp-limits.test.ts).
  it.each([
    [
      'an exact shop with more than 10,000,000 transitions',
      { id: 'shop', exact: true, slateSize: 6, engagementLevels: 20, fatigueLevels: 10, segments: 27 },
      'env.exact: the exact MDP would have 10,133,370 transitions (18.8 next states on average for each of its 540,020 state-action pairs), more than 10,000,000: use a smaller slateSize, fewer engagementLevels or fatigueLevels, fewer segments, categories or items',
    ],
    [
      'an exact shop whose rewards exceed 1e9',
      { id: 'shop', exact: true, items: 10, priceMedian: 20_000, reward: 'weighted', rewardWeights: { click: 0.1, purchase: 1, revenue: 1e6 } },
      'env.rewardWeights.revenue: a purchase of item "i5" (price 20,065.27) would pay 6,019,581,001.1 (click + purchase + revenue × price × margin), beyond ±1,000,000,000, the most an exact MDP\'s reward (an aisle.mdp/v1 file) holds: keep rewardWeights.revenue within ±166,000 (or lower margin or the catalog\'s prices)',
    ],
    [
      'an exact shop of too many state-action pairs',
      { id: 'shop', exact: true, items: 2000, categories: 50, segments: 20 },
      'env.exact: the exact MDP would have 9,181 states × 2,000 actions = 18,362,000 pairs, more than 2,000,000: use fewer items, categories, segments or levels (or category actions)',
    ],
    [
      // Its run's fix, 'or observation "vector"', keeps the same states, past what an MDP file holds.
      'an exact shop of too many states',
      { id: 'shop', exact: true, items: 200, categories: 50, segments: 100, engagementLevels: 20, fatigueLevels: 20 },
      'env.observation: the discrete observation would have 2,040,001 states (segments × (categories + 1) × engagementLevels × fatigueLevels + 1), more than 1,000,000: use fewer categories, segments or levels',
    ],
  ])('refuses %s in one line, exit 2, writing nothing', (_what, env, message) => {
    const dir = tempDir();
    const out = join(dir, 'x.mdp.json');
    const r = aisle(['shop', 'export-mdp', experiment(dir, env), '-o', out], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`exp.json: ${message}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('names a malformed experiment’s field like `aisle run` does', () => {
    const dir = tempDir();
    const r = aisle(['shop', 'export-mdp', experiment(dir, { id: 'shop', exact: true, slateSize: 0 })], { db: join(dir, 'a.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exp\.json: env\.slateSize: must be a whole number/);
  });
});
