// An experiment's greedy evaluation through the lab and the store: eval/greedy_return is stored
// at the evaluation episodes only, the training metrics and the config hash are those of the same
// experiment without evaluation, and Compare reads the sparse metric on its grid.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 2 });
});
afterEach(async () => {
  await t.close();
});

const evaluatedAt = [39, 79, 119, 159, 199, 239, 279, 299]; // every 40th episode (0-based), and the last of 300

describe('greedy evaluation in stored runs', () => {
  it('stores eval/greedy_return at the evaluation episodes only, and training as without it', async () => {
    const plain = await t.call('experiments.launch', { experiment: cliff({ seeds: 2 }) });
    const evaluating = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, evaluation: { every: 40, episodes: 3 } }) });
    await t.until([...plain.runIds, ...evaluating.runIds]);

    const [run, twin] = [t.store.getRun(evaluating.runIds[0]!), t.store.getRun(plain.runIds[0]!)];
    expect(run.configHash).toBe(twin.configHash);
    expect((run.config as { evaluation?: unknown }).evaluation).toEqual({ every: 40, episodes: 3 });
    expect('evaluation' in (twin.config as object)).toBe(false);
    expect(t.store.metricNames(run.id).sort()).toEqual(['eval/greedy_return', 'eval/greedy_return_std', 'length', 'return', 'train/epsilon']);
    for (const metric of ['return', 'length', 'train/epsilon']) {
      expect(Array.from(t.store.readMetricRaw(run.id, metric))).toEqual(Array.from(t.store.readMetricRaw(twin.id, metric)));
    }
    const greedy = t.store.readMetricRaw(run.id, 'eval/greedy_return');
    expect(Array.from(greedy).flatMap((v, e) => (Number.isNaN(v) ? [] : [e]))).toEqual(evaluatedAt);

    const [series] = await t.call('runs.metrics', { runIds: [run.id], metric: 'eval/greedy_return', maxPoints: 1000 });
    expect(series).toMatchObject({ total: 300, values: evaluatedAt.length, x: evaluatedAt });
  });

  it('compares runs on the sparse metric: a point at each evaluation episode, each run\'s value there', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ seeds: 3, evaluation: { every: 40, episodes: 3 } }) });
    const b = await t.call('experiments.launch', { experiment: cliff({ seeds: 3, evaluation: { every: 40, episodes: 3 } }, { alpha: 0.1 }) });
    await t.until([...a.runIds, ...b.runIds]);
    for (const maxPoints of [1000, 60]) {
      const result = await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId], metric: 'eval/greedy_return', maxPoints, finalWindow: 15 });
      expect(result.metrics).toContain('eval/greedy_return');
      for (const group of result.groups) {
        // One point per evaluation (at 60 points a bucket is 5 episodes wide and holds one evaluation at most).
        expect(group.x).toHaveLength(evaluatedAt.length);
        group.runIds.forEach((id, r) => {
          const stored = t.store.readMetricRaw(id, 'eval/greedy_return');
          expect(group.runValues[r]).toEqual(evaluatedAt.map((e) => Math.fround(stored[e]!)));
        });
        group.x.forEach((_, i) => {
          const values = group.runValues.map((v) => v[i]!);
          expect(group.mean[i]).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 6);
        });
        // The last 15 episodes hold the evaluation at the last episode only.
        expect(group.final.values).toEqual(group.runValues.map((v) => v[v.length - 1]));
      }
    }
  });
});
