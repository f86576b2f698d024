// What a step can pay (Env.rewardRange), and the Bernoulli bandit refused where rewards leave
// [0, 1] when the experiment is checked (before: a run stored as failed at its first reward).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createShopEnv } from '../../src/engine/envs/shop';
import { parseExperiment } from '../../src/engine/experiment';
import { ValidationError } from '../../src/engine/params';
import { Rng } from '../../src/engine/rng';
import { readJsonFile } from '../../src/main/files';

const ROOT = join(__dirname, '..', '..');
const cliff = join(ROOT, 'resources/experiments/cliff.mdp.json');

function problemsOf(env: Record<string, unknown>, agent: Record<string, unknown>): readonly string[] {
  try {
    parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env, agent, episodes: 10 }, { readJson: (p) => readJsonFile(p) });
    return [];
  } catch (e) {
    return (e as ValidationError).problems;
  }
}

describe('reward ranges', () => {
  it('refuses a Bernoulli Thompson agent where rewards leave [0, 1], naming the range and the fix', () => {
    const bernoulli = { id: 'thompson', model: 'bernoulli' };
    expect(problemsOf({ id: 'tabular-mdp', mdp: cliff }, bernoulli)).toEqual([
      'agent.model: "bernoulli" needs rewards in [0, 1], and this environment pays from -100 to -1: use model "gaussian" (or, on the shop, a reward of clicks or purchases)',
    ]);
    // The testbed's normal rewards have no bound: said in words, not "from -Infinity to Infinity".
    expect(problemsOf({ id: 'bandit-testbed' }, bernoulli)[0]).toBe(
      'agent.model: "bernoulli" needs rewards in [0, 1], and this environment pays rewards of any size, negative or positive: use model "gaussian" (or, on the shop, a reward of clicks or purchases)',
    );
    expect(problemsOf({ id: 'shop', reward: 'revenue' }, bernoulli)[0]).toMatch(/^agent\.model: "bernoulli" needs rewards in \[0, 1\], and this environment pays from 0 to \d/);
    // Where rewards stay in [0, 1], or with the Gaussian model, nothing to say.
    expect(problemsOf({ id: 'seed-toy' }, bernoulli)).toEqual([]);
    expect(problemsOf({ id: 'shop', reward: 'clicks' }, bernoulli)).toEqual([]);
    expect(problemsOf({ id: 'tabular-mdp', mdp: cliff }, { id: 'thompson', model: 'gaussian' })).toEqual([]);
  });

  it('bounds every reward a shop pays, with negative weights too', () => {
    for (const params of [{ reward: 'revenue' }, { reward: 'weighted', rewardWeights: { click: -0.5, purchase: 2, revenue: 0.1 } }, { reward: 'clicks', slateSize: 3 }] as const) {
      const env = createShopEnv({ ...params, items: 30, categories: 4 });
      const [lo, hi] = env.rewardRange;
      const rng = new Rng(4, 0);
      const seen = new Set<number>();
      env.reset(1);
      for (let t = 0; t < 20_000; t++) {
        const r = env.step(rng.int(env.actionSpace.n));
        expect(r.reward).toBeGreaterThanOrEqual(lo);
        expect(r.reward).toBeLessThanOrEqual(hi);
        seen.add(r.reward);
        if (r.terminated || r.truncated) env.reset();
      }
      expect(seen.size).toBeGreaterThan(1);
      expect(seen.has(lo)).toBe(true); // the lowest is a common outcome (no click, or a click without a purchase): the bound is tight
    }
  });
});
