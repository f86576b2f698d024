// Compare groups runs by config hash, which leaves the greedy evaluation's settings out (they do
// not change training). Two experiments alike but for `evaluation: { every, episodes }`, with the
// same seeds, were one group, each run of the second a "repeat" of the first's, "the same sample":
// true of `return`, false of eval/greedy_return, whose values differ (the audit's 4.8 against 5.53),
// and the second experiment's evaluations were thrown away. On an evaluation's metric each setting
// is now a group of its own, and the comparison says why; on a training metric nothing changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareText } from '../../src/cli/compare';
import { compareReport } from '../../src/shared/compare-report';
import { evaluationSplitsText } from '../../src/shared/compare-text';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 2 });
});
afterEach(async () => {
  await t.close();
});

describe('compare.runs with experiments alike but for their evaluation settings', () => {
  it('keeps them apart on eval/greedy_return, with a warning naming the group and the settings; on return they are one group with repeats as before', async () => {
    const coarse = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 200, evaluation: { every: 100, episodes: 10 } }) });
    const fine = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 200, evaluation: { every: 50, episodes: 30 } }) });
    await t.until([...coarse.runIds, ...fine.runIds]);
    expect(t.store.getRun(coarse.runIds[0]!).configHash).toBe(t.store.getRun(fine.runIds[0]!).configHash);
    const experimentIds = [coarse.experimentId, fine.experimentId];

    // A training metric: one group, the second experiment's runs repeats of the first's (unchanged).
    const training = await t.call('compare.runs', { experimentIds, metric: 'return' });
    expect(training.groups).toHaveLength(1);
    expect(training.groups[0]).toMatchObject({
      runIds: coarse.runIds,
      seeds: [0, 1],
      repeats: fine.runIds.map((runId, k) => ({ runId, seed: k, sameAs: coarse.runIds[k] })),
    });
    expect(training.groups[0]!.config).not.toHaveProperty('evaluation');
    expect(training.evaluationSplits).toBeUndefined();
    expect(training.differences).toEqual([]);
    expect(evaluationSplitsText(training)).toEqual([]);

    // The evaluation's metric: a group per setting, each with its own runs and no repeats.
    const result = await t.call('compare.runs', { experimentIds, metric: 'eval/greedy_return' });
    expect(result.groups.map((g) => ({ runIds: g.runIds, seeds: g.seeds, repeats: g.repeats, evaluation: g.config.evaluation }))).toEqual([
      { runIds: coarse.runIds, seeds: [0, 1], repeats: [], evaluation: { every: 100, episodes: 10 } },
      { runIds: fine.runIds, seeds: [0, 1], repeats: [], evaluation: { every: 50, episodes: 30 } },
    ]);
    expect(new Set(result.groups.map((g) => g.key)).size).toBe(2);
    expect(result.groups.map((g) => g.label)).toEqual([
      'cliff q-learning · q-learning (evaluation.every=100, evaluation.episodes=10)',
      'cliff q-learning · q-learning (evaluation.every=50, evaluation.episodes=30)',
    ]);
    expect(result.differences).toEqual(['evaluation.every', 'evaluation.episodes']);
    expect(result.evaluationSplits).toEqual([
      { label: 'cliff q-learning · q-learning', groups: [0, 1], settings: [{ every: 100, episodes: 10 }, { every: 50, episodes: 30 }] },
    ]);
    // Each group's final values are its own runs' evaluations.
    result.groups.forEach((g) =>
      g.runIds.forEach((id, k) => {
        const stored = t.store.readMetricRaw(id, 'eval/greedy_return');
        expect(g.final.values[k]).toBeCloseTo(stored[stored.length - 1]!, 5);
      }),
    );

    const [warning, ...more] = evaluationSplitsText(result);
    expect(more).toEqual([]);
    expect(warning).toContain('“cliff q-learning · q-learning”');
    expect(warning).toContain('(every 100 episodes, 10 episodes each; every 50 episodes, 30 episodes each)');
    expect(warning).toContain('eval/greedy_return');
    // Said by `aisle compare` and its report, as the other warnings are.
    expect(compareText(result, 0, 10_000)).toContain(`warning: ${warning}`);
    expect(compareReport({ result, experiments: [], runIds: [], seed: 0 })).toContain(
      '> **Warning:** The runs of “cliff q-learning · q-learning” evaluated the greedy policy with different settings',
    );
  });

  it('still counts a same-seed run evaluated alike as a repeat on eval/greedy_return', async () => {
    const first = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 100, evaluation: { every: 50, episodes: 5 } }) });
    const again = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 100, evaluation: { every: 50, episodes: 5 } }) });
    await t.until([...first.runIds, ...again.runIds]);
    const result = await t.call('compare.runs', { experimentIds: [first.experimentId, again.experimentId], metric: 'eval/greedy_return' });
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ runIds: first.runIds, repeats: [{ runId: again.runIds[0], seed: 0, sameAs: first.runIds[0] }] });
    expect(result.groups[0]!.config).not.toHaveProperty('evaluation');
    expect(result.evaluationSplits).toBeUndefined();
  });
});
