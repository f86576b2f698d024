// compare.runs: groups by config hash with bands, final performance with IQM and bootstrap CIs,
// the improvement matrix and the config differences, checked against independent recomputations
// (per-run series from runs.metrics, raw values from the store); and its speed on 20 × 100k.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interquartileMean } from '../../src/engine/stats';
import type { CompareResult } from '../../src/shared/dto';
import { finalRuns, withoutFinalText } from '../../src/shared/compare-text';
import { compareRuns, compareRunsOffThread, OFF_THREAD_BOOTSTRAP_WORK } from '../../src/main/service/compare';
import { bootstrapWork, compareStatistics, type CompareWork } from '../../src/main/service/compare-statistics';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 3 });
});
afterEach(async () => {
  await t.close();
});

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    sum += values[i]!;
    n++;
  }
  return sum / n;
}

function expectConsistent(result: CompareResult): void {
  for (const g of result.groups) {
    expect([g.mean.length, g.lo.length, g.hi.length]).toEqual([g.x.length, g.x.length, g.x.length]);
    g.x.forEach((_, i) => {
      // lo and hi are null together (fewer than 2 seeds there), never one without the other.
      expect(g.lo[i] === null).toBe(g.hi[i] === null);
      if (g.lo[i] === null) return;
      expect(g.lo[i]!).toBeLessThanOrEqual(g.mean[i]! + 1e-9);
      expect(g.mean[i]!).toBeLessThanOrEqual(g.hi[i]! + 1e-9);
    });
    if (g.runIds.length < 2) expect([...g.lo, ...g.hi].every((v) => v === null)).toBe(true); // one run: no band
    const { iqm, iqmLo, iqmHi, mean, meanLo, meanHi, values } = g.final;
    if (values.length < 2) {
      expect([iqmLo, iqmHi, meanLo, meanHi]).toEqual([null, null, null, null]); // one run: no interval
      continue;
    }
    expect(iqmLo!).toBeLessThanOrEqual(iqm + 1e-9);
    expect(iqm).toBeLessThanOrEqual(iqmHi! + 1e-9);
    expect(meanLo!).toBeLessThanOrEqual(mean + 1e-9);
    expect(mean).toBeLessThanOrEqual(meanHi! + 1e-9);
  }
}

describe('compare.runs', () => {
  it('says when the groups do not share one environment: different tasks, or different settings of one', async () => {
    const cliffRuns = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    const bandit = await t.call('experiments.launch', {
      experiment: { format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed', arms: 5 }, agent: { id: 'ucb1' }, episodes: 20, seeds: 1 },
    });
    const arms7 = await t.call('experiments.launch', {
      experiment: { format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed', arms: 7 }, agent: { id: 'ucb1' }, episodes: 20, seeds: 1 },
    });
    await t.until([...cliffRuns.runIds, ...bandit.runIds, ...arms7.runIds]);
    const tasks = await t.call('compare.runs', { experimentIds: [cliffRuns.experimentId, bandit.experimentId] });
    expect(tasks.environments).toEqual({ kind: 'tasks', ids: ['tabular-mdp', 'bandit-testbed'] });
    const settings = await t.call('compare.runs', { experimentIds: [bandit.experimentId, arms7.experimentId] });
    expect(settings.environments).toEqual({ kind: 'settings', paths: ['env.arms'] });
  });

  it('compares two experiments: bands, finals, IQM, improvement and differences', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ seeds: 5 }) });
    const b = await t.call('experiments.launch', { experiment: cliff({ seeds: 5 }, { alpha: 0.1 }) });
    await t.until([...a.runIds, ...b.runIds]);

    const result = await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId], finalWindow: 37, maxPoints: 60 });
    expect(result).toMatchObject({ metric: 'return', band: 'ci95', finalWindow: 37 });
    expect(result.metrics).toEqual(expect.arrayContaining(['return', 'length', 'train/epsilon']));
    expect(result.differences).toEqual(['agent.alpha']);
    expect(result.environments).toBeUndefined(); // one environment: the agents are compared
    expect(result.episodes).toEqual({ shortest: 300, longest: 300 });
    const [ga, gb] = result.groups as [CompareResult['groups'][0], CompareResult['groups'][0]];
    expect(ga).toMatchObject({ runIds: a.runIds, experimentIds: [a.experimentId], seeds: [0, 1, 2, 3, 4], label: 'cliff q-learning · q-learning (agent.alpha=0.5)' });
    expect(gb.label).toBe('cliff q-learning · q-learning (agent.alpha=0.1)');
    expect(ga.config.env.mdp).toMatch(/^cliff walking .* · sha256 [0-9a-f]{64}$/);
    expect(ga.config.agent).toMatchObject({ id: 'q-learning', alpha: 0.5 });
    expect(ga.x.length).toBeLessThanOrEqual(60);
    expect(gb.x).toEqual(ga.x);
    expectConsistent(result);

    // Finals: the mean of each run's last 37 episodes, recomputed from the raw series.
    for (const g of result.groups) {
      g.runIds.forEach((runId, k) => {
        const raw = t.store.readMetricRaw(runId, 'return');
        expect(g.final.values[k]).toBeCloseTo(mean(raw.subarray(raw.length - 37)), 9);
      });
      expect(g.final.mean).toBeCloseTo(mean(g.final.values), 9);
      expect(g.final.iqm).toBeCloseTo(interquartileMean(g.final.values), 9);
    }

    // Improvement: P(i > j) + P(j > i) = 1 without ties, 1/2 on the diagonal, CIs around the point.
    const values = result.groups.map((g) => g.final.values);
    const ties = values[0]!.some((x) => values[1]!.includes(x));
    const [p01, p10] = [result.improvement[0]![1]!, result.improvement[1]![0]!];
    if (!ties) expect(p01.p + p10.p).toBeCloseTo(1, 12);
    expect(result.improvement[0]![0]).toEqual({ p: 0.5, lo: 0.5, hi: 0.5 });
    for (const cell of [p01, p10]) {
      expect(cell.lo).toBeLessThanOrEqual(cell.p);
      expect(cell.p).toBeLessThanOrEqual(cell.hi);
    }

    // The min–max band is the per-run bucket means' extremes, as runs.metrics gives them.
    const minmax = await t.call('compare.runs', { runIds: [...a.runIds], band: 'minmax', maxPoints: 60 });
    const series = await t.call('runs.metrics', { runIds: [...a.runIds], metric: 'return', maxPoints: 60 });
    expect(minmax.groups).toHaveLength(1);
    expect(minmax.differences).toEqual([]);
    const only = minmax.groups[0]!;
    expect(only.label).toBe('cliff q-learning · q-learning');
    expect(only.x).toEqual(series[0]!.x);
    only.x.forEach((_, i) => {
      const at = series.map((s) => s.mean[i]!);
      expect(only.lo[i]).toBeCloseTo(Math.min(...at), 9);
      expect(only.hi[i]).toBeCloseTo(Math.max(...at), 9);
      expect(only.mean[i]).toBeCloseTo(mean(at), 9);
    });

    // Same inputs, same seed: the same answer.
    expect(await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId], finalWindow: 37, maxPoints: 60 })).toEqual(result);
    expect(await t.fail('compare.runs', { runIds: a.runIds, metric: 'loss' })).toMatchObject({ status: 400, problems: [expect.stringMatching(/^metric: "loss" is recorded by none of the selected runs/)] });
    // The app's Compare asks for return instead (unrecordedMetric): the answer's metric says so, and
    // its metrics are those the address could name; a metric every run records is compared as asked.
    const instead = await t.call('compare.runs', { runIds: [...a.runIds], metric: 'loss', unrecordedMetric: 'return', maxPoints: 60 });
    expect(instead).toEqual(await t.call('compare.runs', { runIds: [...a.runIds], maxPoints: 60 }));
    expect(instead.metric).toBe('return');
    expect((await t.call('compare.runs', { runIds: [...a.runIds], metric: 'length', unrecordedMetric: 'return' })).metric).toBe('length');
    expect((await t.fail('compare.runs', {})).status).toBe(400);
  });

  it('counts a configuration and seed once: a second launch of one experiment repeats its samples', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ seeds: 3, name: 'first launch' }) });
    const b = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, name: 'launched again' }) });
    await t.until([...a.runIds, ...b.runIds]);
    const result = await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId] });
    // One configuration: one group of three seeds, the second launch's two runs its repeats.
    expect(result.groups).toHaveLength(1);
    const [group] = result.groups;
    expect(group).toMatchObject({ label: 'first launch + launched again · q-learning', runIds: a.runIds, seeds: [0, 1, 2], experimentIds: [a.experimentId, b.experimentId] });
    expect(group!.repeats).toEqual([
      { runId: b.runIds[0], seed: 0, sameAs: a.runIds[0] },
      { runId: b.runIds[1], seed: 1, sameAs: a.runIds[1] },
    ]);
    expect(group!.final.values).toHaveLength(3);
    // The repeats are the same samples (training is deterministic): leaving them out loses nothing.
    const rawA = t.store.readMetricRaw(a.runIds[0]!, 'return');
    const rawB = t.store.readMetricRaw(b.runIds[0]!, 'return');
    expect(Array.from(rawB)).toEqual(Array.from(rawA));
    // Naming the runs themselves gives the same answer.
    const byIds = await t.call('compare.runs', { runIds: [...a.runIds, ...b.runIds] });
    expect(byIds.groups[0]!.repeats.map((r) => r.runId)).toEqual(b.runIds);
    expect(byIds.groups[0]!.final).toEqual(group!.final);
  });

  it('compares a run that failed midway on the episodes it stored, and refuses one with none (or, asked, leaves it out and names it)', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 60 }) });
    await t.until(a.runIds);
    const { runs } = t.store.createExperimentWithRuns({
      name: 'broken',
      config: {},
      configHash: 'f'.repeat(64),
      runs: [0, 1].map((seed) => ({ seed, config: { env: { id: 'tabular-mdp' }, agent: { id: 'q-learning' } }, configHash: 'f'.repeat(64), appVersion: 'test', episodesTotal: 60 })),
    });
    const [midway, atStart] = runs.map((r) => r.id) as [number, number];
    t.store.markRunning(midway);
    t.store.appendMetrics(midway, { start: 0, count: 30, columns: { return: new Float32Array(30).fill(-20), length: new Float32Array(30).fill(20) } }, 30);
    t.store.finishRun(midway, 'failed', { error: 'the environment threw' });
    t.store.markRunning(atStart);
    t.store.finishRun(atStart, 'failed', { error: 'bad config' });

    const result = await t.call('compare.runs', { runIds: [...a.runIds, midway] });
    expect(result.groups.flatMap((g) => g.runIds).sort((x, y) => x - y)).toEqual([...a.runIds, midway].sort((x, y) => x - y));
    const failedGroup = result.groups.find((g) => g.runIds.includes(midway))!;
    expect(failedGroup.x.at(-1)).toBeLessThan(30);
    // The run that stopped is named with how far it got; the finished ones are not.
    expect(failedGroup.partial).toEqual([{ runId: midway, seed: 0, status: 'failed', episodesDone: 30, episodesTotal: 60 }]);
    expect(result.groups.find((g) => g.runIds.includes(a.runIds[0]!))!.partial).toEqual([]);
    expect(await t.fail('compare.runs', { runIds: [...a.runIds, atStart] })).toMatchObject({
      status: 400,
      problems: [`runIds: run ${atStart} has no stored episodes (it is failed): compare runs that have trained, or leave it out`],
    });
    // The app's Compare, whose address may name such a run, asks for it to be left out and named.
    const leftOut = await t.call('compare.runs', { runIds: [...a.runIds, atStart], withoutEpisodes: 'leaveOut' });
    expect(leftOut.groups.flatMap((g) => g.runIds).sort((x, y) => x - y)).toEqual([...a.runIds].sort((x, y) => x - y));
    expect(leftOut.withoutEpisodes).toEqual([{ runId: atStart, status: 'failed' }]);
    expect((await t.call('compare.runs', { runIds: [...a.runIds], withoutEpisodes: 'leaveOut' })).withoutEpisodes).toBeUndefined();
    // Only such runs: no groups and no error, the runs named.
    const none = await t.call('compare.runs', { runIds: [atStart], withoutEpisodes: 'leaveOut' });
    expect([none.groups, none.withoutEpisodes]).toEqual([[], [{ runId: atStart, status: 'failed' }]]);
    // An experiment none of whose runs has stored an episode yet (Compare opened at once after a
    // launch): refused as 'nothing to compare' by default (aisle compare), no groups and no error
    // for the app, which draws it as its runs train.
    const { experiment: { id: fresh } } = t.store.createExperimentWithRuns({
      name: 'just launched',
      config: {},
      configHash: 'd'.repeat(64),
      runs: [0, 1].map((seed) => ({ seed, config: { env: { id: 'tabular-mdp' }, agent: { id: 'q-learning' } }, configHash: 'd'.repeat(64), appVersion: 'test', episodesTotal: 60 })),
    });
    expect(await t.fail('compare.runs', { experimentIds: [fresh] })).toMatchObject({ status: 400, problems: ['runIds: nothing to compare: choose runs, or experiments, with stored episodes'] });
    const waiting = await t.call('compare.runs', { experimentIds: [fresh], withoutEpisodes: 'leaveOut' });
    expect([waiting.groups, waiting.withoutEpisodes]).toEqual([[], undefined]);
  });

  it('gives no band (null, not lo = hi = mean) where fewer than 2 seeds have a value, and none for a group of one run', async () => {
    const hash = 'e'.repeat(64);
    const { runs } = t.store.createExperimentWithRuns({
      name: 'uneven',
      config: {},
      configHash: hash,
      runs: [0, 1].map((seed) => ({ seed, config: { env: { id: 'tabular-mdp' }, agent: { id: 'q-learning' } }, configHash: hash, appVersion: 'test', episodesTotal: 60 })),
    });
    // Seed 0 trains 60 episodes, seed 1 stops after 30: the last 30 points have one seed.
    for (const [k, run] of runs.entries()) {
      const count = k === 0 ? 60 : 30;
      const ret = Float32Array.from({ length: count }, (_, i) => -i - 5 * k);
      t.store.markRunning(run.id);
      t.store.appendMetrics(run.id, { start: 0, count, columns: { return: ret, length: new Float32Array(count).fill(10) } }, count);
      t.store.finishRun(run.id, k === 0 ? 'completed' : 'cancelled', { summary: {} });
    }
    for (const band of ['ci95', 'minmax'] as const) {
      const result = await t.call('compare.runs', { runIds: runs.map((r) => r.id), band, maxPoints: 60 });
      const [group] = result.groups;
      expectConsistent(result);
      expect(group!.x).toHaveLength(60);
      const banded = group!.x.map((_, i) => group!.lo[i] !== null);
      expect(banded.slice(0, 30).every(Boolean)).toBe(true);
      expect(banded.slice(30).some(Boolean)).toBe(false);
      expect(group!.hi.slice(30).every((v) => v === null)).toBe(true);
      const one = await t.call('compare.runs', { runIds: [runs[0]!.id], band, maxPoints: 60 });
      expect([...one.groups[0]!.lo, ...one.groups[0]!.hi].every((v) => v === null)).toBe(true);
    }
  });

  it('leaves ±∞ (a value beyond float32, a diverged loss) out of a final value, as the runs list does: it read as the best run', async () => {
    const hash = 'f'.repeat(64);
    const { runs } = t.store.createExperimentWithRuns({
      name: 'diverged',
      config: {},
      configHash: hash,
      runs: [0, 1, 2].map((seed) => ({ seed, config: { env: { id: 'tabular-mdp' }, agent: { id: 'q-learning' } }, configHash: hash, appVersion: 'test', episodesTotal: 20 })),
    });
    const returns = [
      Float32Array.from({ length: 20 }, (_, i) => (i === 18 ? Infinity : i === 19 ? -Infinity : -i)),
      Float32Array.from({ length: 20 }, (_, i) => (i < 10 ? -i : 1e39)), // float32 stores 1e39 as +∞
      Float32Array.from({ length: 20 }, (_, i) => -2 * i),
    ];
    for (const [k, run] of runs.entries()) {
      t.store.markRunning(run.id);
      t.store.appendMetrics(run.id, { start: 0, count: 20, columns: { return: returns[k]! } }, 20);
      t.store.finishRun(run.id, 'completed', { summary: {} });
    }
    const result = await t.call('compare.runs', { runIds: runs.map((r) => r.id), band: 'ci95', finalWindow: 5 });
    const { values, mean } = result.groups[0]!.final;
    // Run 1: episodes 15–17 (18 and 19 are ±∞); run 2: none finite in its last 5; run 3: 15–19.
    expect(values.map((v) => (v === null || Number.isNaN(v) ? null : v))).toEqual([-16, null, -34]);
    expect(values[0]).toBe(t.store.metricTailMean(runs[0]!.id, 'return', 5));
    expect(mean).toBe(-25);
    expect(finalRuns(result.groups[0]!.final)).toBe(2);
    expect(withoutFinalText(result)).toMatch(new RegExp(`^Run ${runs[1]!.id} has no finite value of return in its last 5 episodes`));
  });

  it('aligns runs of different lengths on one grid and stays fast on 20 runs × 100k episodes', async () => {
    const EPISODES = 100_000;
    const rng = (seed: number) => {
      let s = seed * 2654435761 + 1;
      return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    };
    const runConfig = (alpha: number, seed: number) => ({
      env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
      agent: { id: 'q-learning', alpha, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
      episodes: EPISODES,
      seed,
    });
    const ids: number[][] = [];
    for (const [g, alpha] of [0.1, 0.3].entries()) {
      const hash = String(g + 1).repeat(64);
      const { runs } = t.store.createExperimentWithRuns({
        name: `sweep ${alpha}`,
        config: {},
        configHash: hash,
        runs: Array.from({ length: 10 }, (_, seed) => ({ seed, config: runConfig(alpha, seed), configHash: hash, appVersion: 'test', episodesTotal: EPISODES })),
      });
      ids.push(runs.map((r) => r.id));
      for (const run of runs) {
        // The last run of the second group stopped at 60,000 episodes.
        const length = g === 1 && run.seed === 9 ? 60_000 : EPISODES;
        const next = rng(run.id);
        t.store.markRunning(run.id);
        for (let start = 0; start < length; start += 8192) {
          const count = Math.min(8192, length - start);
          const ret = Float32Array.from({ length: count }, (_, i) => g + (start + i) / EPISODES + next());
          t.store.appendMetrics(run.id, { start, count, columns: { return: ret, length: Float32Array.from(ret, (v) => v * 10) } });
        }
        t.store.finishRun(run.id, length === EPISODES ? 'completed' : 'cancelled', { summary: {} });
      }
    }
    const all = ids.flat();
    await t.call('compare.runs', { runIds: all }); // warm up
    const input = { runIds: all, band: 'ci95', maxPoints: 2000, finalWindow: 100 } as const;
    let result: CompareResult | undefined;
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let k = 0; k < 3; k++) {
      const started = performance.now();
      const before = process.cpuUsage();
      result = await t.call('compare.runs', input);
      wall.push(performance.now() - started);
      const { user, system } = process.cpuUsage(before);
      cpu.push((user + system) / 1000);
    }
    // CPU time as well: on a busy machine the wall time also counts waiting for a core.
    console.log(`compare.runs, 20 runs × 100,000 episodes, ci95 bands, 2,000 points: best of 3 ${Math.min(...wall).toFixed(0)} ms (${Math.min(...cpu).toFixed(0)} ms of CPU)`);
    if (result === undefined) throw new Error('no result');
    expect(result.groups.map((g) => g.runIds)).toEqual(ids);
    expectConsistent(result);
    expect(result.differences).toEqual(['agent.alpha']);
    expect(result.groups.map((g) => g.label)).toEqual(['sweep 0.1 · q-learning', 'sweep 0.3 · q-learning']);

    // The second group's mean is over the runs present in each bucket: all ten up to 60,000,
    // nine beyond, recomputed from the raw values on the same 50-episode buckets.
    const g = result.groups[1]!;
    expect(g.x.length).toBe(2000);
    const raw = ids[1]!.map((id) => t.store.readMetricRaw(id, 'return'));
    for (const i of [0, 1199, 1200, 1999]) {
      const lo = i * 50;
      const perRun = raw.filter((r) => r.length > lo).map((r) => mean(r.subarray(lo, lo + 50)));
      expect(perRun.length).toBe(i < 1200 ? 10 : 9);
      expect(g.x[i]).toBe(lo + 24.5);
      expect(g.mean[i]).toBeCloseTo(mean(perRun), 5);
      // Each run's own value there, as the app smooths it before banding: null past its end.
      expect(g.runValues).toHaveLength(10);
      raw.forEach((r, k) => {
        if (r.length > lo) expect(g.runValues[k]![i]).toBeCloseTo(mean(r.subarray(lo, lo + 50)), 5);
        else expect(g.runValues[k]![i]).toBeNull();
      });
    }
    expect(g.final.values[9]).toBeCloseTo(mean(raw[9]!.subarray(60_000 - 100)), 6);
    expect(result.improvement[1]![0]!.p).toBe(1); // every run of group 2 ends higher
  });
});

describe('a large comparison', () => {
  it('computes its statistics in a worker (the same result as on the thread) from OFF_THREAD_BOOTSTRAP_WORK on, a smaller one on the thread', async () => {
    const { store } = t;
    const hash = (g: number) => String(g).padStart(64, '0');
    // Groups of 3 runs: each pair of groups is 3 + 3 + 3 × 3 = 15 units of bootstrap work. The
    // fewest groups that reach the threshold (21, for 3,000), and one fewer below it.
    let groups = 2;
    while (bootstrapWork(Array.from({ length: groups }, () => [0, 0, 0])) < OFF_THREAD_BOOTSTRAP_WORK) groups++;
    expect(bootstrapWork(Array.from({ length: groups - 1 }, () => [0, 0, 0]))).toBeLessThan(OFF_THREAD_BOOTSTRAP_WORK);
    const ids: number[][] = [];
    for (let g = 1; g <= groups; g++) {
      const { runs } = store.createExperimentWithRuns({
        name: `group ${g}`,
        config: {},
        configHash: hash(g),
        runs: Array.from({ length: 3 }, (_, seed) => ({ seed, config: { env: { id: 'seed-toy' }, agent: { id: 'q-learning', alpha: g / 100 }, episodes: 200, seed }, configHash: hash(g), appVersion: 'test', episodesTotal: 200 })),
      });
      for (const run of runs) {
        store.markRunning(run.id);
        store.appendMetrics(run.id, { start: 0, count: 200, columns: { return: Float32Array.from({ length: 200 }, (_, i) => g + Math.sin(i * run.id)) } });
        store.finishRun(run.id, 'completed', { summary: {} });
      }
      ids.push(runs.map((r) => r.id));
    }
    const all = ids.flat();
    const input = (band: 'ci95' | 'minmax', runIds = all) => ({ runIds, experimentIds: [], metric: 'return', band, maxPoints: 2000, finalWindow: 100, seed: 0, withoutEpisodes: 'refuse' as const, unrecordedMetric: 'refuse' as const, unpaired: false });
    const handed: CompareWork[] = [];
    const inWorker = async (work: CompareWork) => (handed.push(work), compareStatistics(structuredClone(work)));
    // Every group against every other: handed off (cloned, as to a worker).
    const large = await compareRunsOffThread(store, input('ci95'), inWorker);
    expect(handed).toHaveLength(1);
    expect(handed[0]!.finals.map((values) => values.length)).toEqual(ids.map(() => 3));
    expect(large).toEqual(compareRuns(store, input('ci95')));
    // One group fewer: under the threshold, on the thread.
    await compareRunsOffThread(store, input('ci95', ids.slice(1).flat()), inWorker);
    expect(handed).toHaveLength(1);
    // The bootstrap is the final values', whatever the band: a min–max comparison as large goes too.
    expect(await compareRunsOffThread(store, input('minmax'), inWorker)).toEqual(compareRuns(store, input('minmax')));
    expect(handed).toHaveLength(2);
    // And through the service, in a real worker: the same as on the thread.
    expect(await t.call('compare.runs', { runIds: all, band: 'ci95' })).toEqual(compareRuns(store, input('ci95')));
  });
});
