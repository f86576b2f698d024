/**
 * Comparing runs: runs that share a config hash form a group (one line with a band across seeds),
 * each run's final performance is its metric's mean over its last episodes, and groups are ranked
 * with rliable's IQM, stratified bootstrap intervals and probability of improvement.
 */
import {
  aggregateIqm,
  aggregateMean,
  curveBand,
  probabilityOfImprovementCI,
  stratifiedBootstrapCI,
} from '../../engine/stats';
import { ValidationError } from '../../engine/params';
import type { ParsedInput } from '../../shared/contract';
import type { CompareGroup, CompareResult, RepeatedRun } from '../../shared/dto';
import { bucketCount, bucketSizeFor } from '../store/downsample';
import type { RunListItem, Store } from '../store';
import { describeSetting, differingPaths, displayConfig } from './configs';


export function compareRuns(store: Store, input: ParsedInput<'compare.runs'>): CompareResult {
  const runs = selectRuns(store, input.runIds, input.experimentIds);
  const metrics = commonMetrics(store, runs);
  if (!metrics.includes(input.metric)) {
    throw new ValidationError([
      `metric: "${input.metric}" is not recorded by every selected run: choose one of ${metrics.join(', ') || '(none in common)'}`,
    ]);
  }
  const grid = commonGrid(store, runs, input.metric, input.maxPoints);
  const groups = groupByConfig(runs);
  const configs = groups.map((g) => displayConfig(store.getRun(g.members[0]!.id)));
  const labels = labelGroups(groups.map((g) => g.everyRun), configs);

  const results: CompareGroup[] = groups.map(({ members, repeats, everyRun }, g) => {
    const series = members.map((r) => grid.read(r.id));
    const band = curveBand(series, input.band === 'ci95' ? { kind: 'ci95', seed: input.seed } : { kind: 'minmax' });
    const x: number[] = [];
    const mean: number[] = [];
    const lo: number[] = [];
    const hi: number[] = [];
    for (let i = 0; i < grid.x.length; i++) {
      if (Number.isNaN(band.mean[i]!)) continue; // no run of the group has a value here
      x.push(grid.x[i]!);
      mean.push(band.mean[i]!);
      lo.push(band.lo[i]!);
      hi.push(band.hi[i]!);
    }
    const values = Float64Array.from(members, (r) => meanOf(store.readMetricTail(r.id, input.metric, input.finalWindow)));
    const iqm = stratifiedBootstrapCI([values], aggregateIqm, { seed: input.seed });
    const average = stratifiedBootstrapCI([values], aggregateMean, { seed: input.seed });
    return {
      key: members[0]!.configHash,
      label: labels[g]!,
      configHash: members[0]!.configHash,
      experimentIds: [...new Set(everyRun.map((r) => r.experimentId))],
      runIds: members.map((r) => r.id),
      seeds: members.map((r) => r.seed),
      repeats,
      partial: members
        .filter((r) => r.episodesDone < r.episodesTotal)
        .map((r) => ({ runId: r.id, seed: r.seed, status: r.status, episodesDone: r.episodesDone, episodesTotal: r.episodesTotal })),
      x,
      mean,
      lo,
      hi,
      final: {
        values: Array.from(values),
        mean: average.point,
        iqm: iqm.point,
        iqmLo: iqm.lo,
        iqmHi: iqm.hi,
        meanLo: average.lo,
        meanHi: average.hi,
      },
      config: configs[g]!,
    };
  });

  const finals = results.map((g) => [Float64Array.from(g.final.values)]);
  const improvement = finals.map((xs, i) =>
    finals.map((ys, j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5 };
      const { point, lo, hi } = probabilityOfImprovementCI(xs, ys, { seed: input.seed });
      return { p: point, lo, hi };
    }),
  );
  const differences = groups.length > 1 ? differingPaths(configs) : [];
  const environments = environmentsOf(groups.map((g) => g.members[0]!.envId), differences);
  return {
    metric: input.metric,
    band: input.band,
    finalWindow: input.finalWindow,
    groups: results,
    improvement,
    differences,
    ...(environments ? { environments } : {}),
    metrics,
    ...(runs.length > 0 ? { episodes: { shortest: Math.min(...runs.map((r) => r.episodesDone)), longest: Math.max(...runs.map((r) => r.episodesDone)) } } : {}),
  };
}

/** Whether the groups (their environment ids, and the config paths that differ) share one environment: see CompareResult.environments. */
function environmentsOf(envIds: readonly string[], differences: readonly string[]): CompareResult['environments'] {
  const ids = [...new Set(envIds)];
  if (ids.length > 1) return { kind: 'tasks', ids };
  const paths = differences.filter((p) => p === 'env' || p.startsWith('env.'));
  return paths.length > 0 ? { kind: 'settings', paths } : undefined;
}

/**
 * The runs asked for: given ids, and the runs of given experiments, each with stored episodes. A
 * run that stopped early (cancelled, interrupted, failed midway) is compared on the episodes it
 * stored, as its curve shows them; a run with none (queued, or failed at its start) has nothing to
 * compare, and naming one is refused with its status.
 */
function selectRuns(store: Store, runIds: readonly number[], experimentIds: readonly number[]): RunListItem[] {
  const byId = new Map<number, RunListItem>();
  for (const id of runIds) {
    const run = store.getRunItem(id);
    if (run.episodesDone === 0) {
      throw new ValidationError([`runIds: run ${id} has no stored episodes (it is ${run.status}): compare runs that have trained, or leave it out`]);
    }
    byId.set(id, run);
  }
  for (const experimentId of experimentIds) {
    store.getExperiment(experimentId); // 404 for an unknown id
    for (const { id } of store.experimentRuns(experimentId)) {
      if (byId.has(id)) continue;
      const run = store.getRunItem(id);
      if (run.episodesDone > 0) byId.set(id, run);
    }
  }
  if (byId.size === 0) {
    throw new ValidationError(['runIds: nothing to compare: choose runs, or experiments, with stored episodes']);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function commonMetrics(store: Store, runs: readonly RunListItem[]): string[] {
  let common: string[] | undefined;
  for (const run of runs) {
    const names = new Set(store.metricNames(run.id));
    common = common === undefined ? [...names] : common.filter((n) => names.has(n));
  }
  return common ?? [];
}

/**
 * Runs grouped by config hash, groups in order of their first run. A seed counts once per group:
 * training is deterministic, so two runs of one configuration and seed (an experiment launched
 * twice, "Run again") are one sample, and counting both would narrow every interval. The run kept
 * is the one that trained furthest (completed first, then most episodes, then the oldest); the
 * others are reported as repeats of it.
 */
interface ConfigGroup {
  /** One run per seed, by id: the ones compared. */
  readonly members: RunListItem[];
  /** The others, each naming the member it repeats. */
  readonly repeats: RepeatedRun[];
  /** Members and repeats, by id (the experiments a label names). */
  readonly everyRun: RunListItem[];
}

function groupByConfig(runs: readonly RunListItem[]): ConfigGroup[] {
  const bySeed = new Map<string, Map<number, RunListItem[]>>();
  for (const run of runs) {
    let seeds = bySeed.get(run.configHash);
    if (!seeds) bySeed.set(run.configHash, (seeds = new Map()));
    const same = seeds.get(run.seed);
    if (same) same.push(run);
    else seeds.set(run.seed, [run]);
  }
  return [...bySeed.values()].map((seeds) => {
    const members: RunListItem[] = [];
    const repeats: RepeatedRun[] = [];
    for (const same of seeds.values()) {
      const [first, ...others] = [...same].sort(furthestFirst);
      members.push(first!);
      for (const r of others) repeats.push({ runId: r.id, seed: r.seed, sameAs: first!.id });
    }
    return {
      members: members.sort((a, b) => a.id - b.id),
      repeats: repeats.sort((a, b) => a.runId - b.runId),
      everyRun: [...seeds.values()].flat().sort((a, b) => a.id - b.id),
    };
  });
}

/** Completed before not, then more episodes before fewer, then older before newer. */
function furthestFirst(a: RunListItem, b: RunListItem): number {
  const done = Number(b.status === 'completed') - Number(a.status === 'completed');
  return done !== 0 ? done : b.episodesDone !== a.episodesDone ? b.episodesDone - a.episodesDone : a.id - b.id;
}

/**
 * "experiment · agent" ("first + second · agent" for a group from two experiments, "first + 2
 * more"), with the settings that tell apart groups that would share a label.
 */
function labelGroups(groups: readonly RunListItem[][], configs: readonly unknown[]): string[] {
  const base = groups.map((g) => {
    const names = [...new Set(g.map((r) => r.experimentName))];
    const named = names.length <= 2 ? names.join(' + ') : `${names[0]} + ${names.length - 1} more`;
    return `${named} · ${g[0]!.agentId}`;
  });
  return base.map((label, g) => {
    const twins = base.flatMap((other, h) => (other === label ? [h] : []));
    if (twins.length < 2) return label;
    const paths = differingPaths(twins.map((h) => configs[h]));
    return paths.length === 0 ? label : `${label} (${paths.map((p) => describeSetting(configs[g], p)).join(', ')})`;
  });
}

interface Grid {
  /** Each bucket's middle episode. */
  readonly x: Float64Array;
  /** A run's bucket means on the grid, NaN where it has no value (past its end). */
  read(runId: number): Float64Array;
}

/**
 * One bucket grid over [first episode, last episode) of all runs, so the i-th point of every run
 * covers the same episodes: each run is read with the store's downsampler on the grid's bucket size.
 */
function commonGrid(store: Store, runs: readonly RunListItem[], metric: string, maxPoints: number): Grid {
  const spans = new Map<number, { first: number; next: number }>();
  let from = Infinity;
  let to = -Infinity;
  for (const run of runs) {
    const series = store.metricSeries(run.id).find((s) => s.name === metric)!;
    spans.set(run.id, { first: series.firstEpisode, next: series.nextEpisode });
    from = Math.min(from, series.firstEpisode);
    to = Math.max(to, series.nextEpisode);
  }
  const size = bucketSizeFor(from, to, maxPoints);
  const base = Math.floor(from / size);
  const count = bucketCount(from, to, size);
  const x = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const lo = Math.max((b + base) * size, from);
    const hi = Math.min((b + base + 1) * size, to);
    x[b] = (lo + hi - 1) / 2;
  }
  return {
    x,
    read(runId) {
      // On the grid's buckets, through the store's downsampler (chunk summaries for wide buckets),
      // a run shorter than the others too (it was read episode by episode: seconds for runs of millions).
      const span = spans.get(runId)!;
      const { episodes, mean } = store.readMetric(runId, metric, { from: span.first, to: span.next, bucketSize: size });
      const out = new Float64Array(count).fill(NaN);
      for (let k = 0; k < episodes.length; k++) out[Math.floor(episodes[k]! / size) - base] = mean[k]!;
      return out;
    },
  };
}

/** Mean of the non-NaN values; NaN when there are none. */
function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}
