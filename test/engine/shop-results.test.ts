/**
 * What the shop presets must show (docs/shop-results.md), trained in-process on fixed seeds:
 * - shop-small: Q-learning's greedy policy is optimal (normalised score ≥ 0.99) on every seed;
 * - shop-fatigue: Q-learning's greedy policy beats the myopic oracle — the best greedy policy —
 *   by ≥ 10 % in mean return, with the 95 % bootstrap CI of the difference above zero;
 * - shop-drift: a constant-step learner's return drops after the shift and recovers.
 * The presets are read from resources/experiments, so these are the shipped experiments' numbers.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rollout } from '../../src/engine/evaluate';
import type { Experiment } from '../../src/engine/experiment';
import { stratifiedBootstrapCI } from '../../src/engine/stats';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';
import { loadExperimentFile } from '../../src/main/files';
import { ROOT } from '../helpers/cli';

const preset = (name: string): Experiment => loadExperimentFile(join(ROOT, 'resources/experiments', `${name}.json`));
const spec = (e: Experiment, seed: number): RunSpec => ({ env: e.env, agent: e.agent, episodes: e.episodes, seed });
const SEEDS = Array.from({ length: 10 }, (_, i) => i);
const mean = (v: ArrayLike<number>, from = 0, to = v.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]!;
  return s / (to - from);
};
const diffOfMeans = (s: readonly Float64Array[]) => mean(s[0]!) - mean(s[1]!);
/** Printed for docs/shop-results.md (`npx vitest run test/engine/shop-results.test.ts`). */
const report = (line: string) => console.log(`[shop-results] ${line}`);

describe('shop presets', () => {
  const names = readdirSync(join(ROOT, 'resources/experiments')).filter((f) => /^shop-.*\.json$/.test(f));

  it.each(names)('%s is valid and trains', (file) => {
    const e = preset(file.replace(/\.json$/, ''));
    expect(e.env.id).toBe('shop');
    const r = train({ ...spec(e, 0), episodes: 3 });
    expect(r.status).toBe('completed');
    expect(r.metricNames).toEqual(expect.arrayContaining(['return', 'clicks', 'purchases', 'revenue', 'coverage']));
  });
});

describe('shop presets: what they must show', () => {
  it('shop-small: Q-learning’s greedy policy is optimal (score ≥ 0.99) for each of 10 seeds', () => {
    const e = preset('shop-small');
    expect(e.env).toMatchObject({ id: 'shop', exact: true });
    const scores = SEEDS.map((seed) => {
      const r = train(spec(e, seed));
      expect(r.greedy, 'the exact mode reports the greedy policy').toBeDefined();
      return r.greedy!;
    });
    report(`shop-small: optimal ${scores[0]!.optimalReturn.toFixed(4)}, random ${scores[0]!.randomReturn.toFixed(4)}, greedy scores ${scores.map((g) => g.normalizedScore!.toFixed(4)).join(' ')}`);
    for (const [seed, g] of scores.entries()) expect(g.normalizedScore!, `seed ${seed}`).toBeGreaterThanOrEqual(0.99);
  });

  it('shop-fatigue: Q-learning’s greedy policy earns ≥ 10 % more than the myopic oracle, CI of the difference above 0', () => {
    const q = preset('shop-fatigue');
    const oracle = preset('shop-fatigue-myopic');
    expect(oracle.env).toEqual(q.env);
    const EVAL_EPISODES = 1000;
    const qReturns = new Float64Array(SEEDS.length);
    const oracleReturns = new Float64Array(SEEDS.length);
    for (const seed of SEEDS) {
      const prepared = prepareRun(spec(q, seed));
      train(spec(q, seed), {}, prepared);
      const { env, agent } = prepared;
      // Fresh evaluation sessions (seed offset) on the trained agent's environment, greedy actions.
      qReturns[seed] = rollout(env, (o) => agent.greedyAction(o), EVAL_EPISODES, 10_000 + seed).meanReturn;
      const o = prepareRun({ ...spec(oracle, seed), episodes: 1 });
      oracleReturns[seed] = rollout(o.env, (x) => o.agent.greedyAction(x), EVAL_EPISODES, 10_000 + seed).meanReturn;
    }
    const ci = stratifiedBootstrapCI([qReturns, oracleReturns], diffOfMeans, { seed: 0, resamples: 5000 });
    const ratio = mean(qReturns) / mean(oracleReturns);
    report(
      `shop-fatigue: q-learning ${mean(qReturns).toFixed(3)} [${[...qReturns].map((x) => x.toFixed(2)).join(' ')}], ` +
        `myopic oracle ${mean(oracleReturns).toFixed(3)} [${[...oracleReturns].map((x) => x.toFixed(2)).join(' ')}], ` +
        `difference ${ci.point.toFixed(3)} (95 % CI ${ci.lo.toFixed(3)} … ${ci.hi.toFixed(3)}), ratio ${ratio.toFixed(3)}`,
    );
    expect(ratio).toBeGreaterThanOrEqual(1.1);
    expect(ci.lo).toBeGreaterThan(0);
  });

  it('shop-drift: a constant-step learner’s return drops after shiftAt and recovers', () => {
    const e = preset('shop-drift');
    const shiftAt = e.env.shiftAt as number;
    const W = 500; // sessions per window
    const curves = SEEDS.map((seed) => {
      const returns = new Float64Array(e.episodes);
      train(spec(e, seed), { onEpisode: (episode, row) => void (returns[episode] = row[0]!) });
      return returns;
    });
    const window = (from: number) => Float64Array.from(curves, (c) => mean(c, from, from + W));
    const before = window(shiftAt - W);
    const after = window(shiftAt);
    const late = window(e.episodes - W);
    const drop = stratifiedBootstrapCI([before, after], diffOfMeans, { seed: 1, resamples: 5000 });
    const recovery = stratifiedBootstrapCI([late, after], diffOfMeans, { seed: 2, resamples: 5000 });
    report(
      `shop-drift: mean return over ${W} sessions just before the shift ${mean(before).toFixed(3)}, just after ${mean(after).toFixed(3)}, last ${W} ${mean(late).toFixed(3)}; ` +
        `drop ${drop.point.toFixed(3)} (95 % CI ${drop.lo.toFixed(3)} … ${drop.hi.toFixed(3)}), recovery ${recovery.point.toFixed(3)} (95 % CI ${recovery.lo.toFixed(3)} … ${recovery.hi.toFixed(3)})`,
    );
    expect(mean(after)).toBeLessThan(mean(before));
    expect(drop.lo).toBeGreaterThan(0);
    // Back above the just-after window by a margin: at least half of the drop and the CI above 0.
    expect(recovery.point).toBeGreaterThan(0.5 * drop.point);
    expect(recovery.lo).toBeGreaterThan(0);
  });
});
