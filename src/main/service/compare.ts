/**
 * Comparing runs: runs that share a config hash (on a greedy evaluation's metric, and evaluation
 * settings: see evaluationKeys) form a group (one line with a band across seeds:
 * Student's t 95 % interval of the mean at each point, or min–max),
 * each run's final performance is its metric's mean over its last episodes, and groups are ranked
 * by their mean (Student's t interval) and rliable's IQM and probability of improvement (stratified
 * bootstrap intervals).
 */
import { bootstrapWork, compareStatistics, type CompareStatistics, type CompareWork } from './compare-statistics';
import { ValidationError } from '../../engine/params';
import type { ParsedInput } from '../../shared/contract';
import type { CompareGroup, CompareResult, RepeatedRun } from '../../shared/dto';
import { bucketCount, bucketSizeFor } from '../store/downsample';
import type { RunListItem, Store } from '../store';
import { describeSetting, differingPaths, displayConfig, type RunConfig } from './configs';
import { envEpisodeMarks, metricDirection, metricRange } from '../../engine/registry';
import type { EvaluationSettings } from '../../engine/greedy-evaluation';
import { canonicalJson } from '../../engine/canonical';
import { toContractError } from '../../shared/dispatch';

/**
 * Compares runs on this thread (the CLI; and the service for a small comparison). `experimentNames`
 * labels the groups by these names rather than the stored ones: `aisle run`'s sweep names its
 * experiments as it launched them, even when one was renamed while it trained.
 */
export function compareRuns(store: Store, input: ParsedInput<'compare.runs'>, experimentNames?: ReadonlyMap<number, string>): CompareResult {
  const prepared = prepareCompare(store, input, experimentNames);
  return prepared.result(compareStatistics(prepared.work));
}

/**
 * From this much bootstrap work (see bootstrapWork), the statistics run in a worker: about half a
 * second and more, which would hold every other call of the app. Below it they stay here: a worker
 * costs ~0.3 s to start and take the work. Measured (2,000 points a run): 30 groups of 2 runs, 3,480,
 * took 0.44 s; 2 groups of 100 runs, 10,200, 0.38 s; 20 groups of 10 runs, 22,800, 1.2 s; 60
 * groups of 10 runs, 212,400, 9.5 s; 20 groups of 3 runs, 2,850, 0.28 s; 6 groups of 10 runs,
 * 1,800, 0.25 s. The bands (t or min–max: one pass over the values) cost little beside it.
 */
export const OFF_THREAD_BOOTSTRAP_WORK = 3000;

/**
 * Compares runs for the app: the store is read here (the chunk summaries make that quick), a
 * large comparison's statistics are computed in a worker, so the thread that stores the runs'
 * metrics and answers every screen is not held for seconds (the bootstrap of the probabilities of
 * improvement between 60 groups held it 10 s).
 */
export async function compareRunsOffThread(store: Store, input: ParsedInput<'compare.runs'>, inWorker: (work: CompareWork) => Promise<CompareStatistics>): Promise<CompareResult> {
  const prepared = prepareCompare(store, input);
  const { work } = prepared;
  const stats = bootstrapWork(work.finals) >= OFF_THREAD_BOOTSTRAP_WORK ? await inWorker(work) : compareStatistics(work);
  return prepared.result(stats);
}

/**
 * Reads what a comparison needs from the store; `result` puts it together with the statistics
 * (reading nothing more). In one snapshot (Store.snapshot): a run or experiment another process
 * deletes meanwhile (`aisle delete` beside the app) is compared as it was, or found gone by the
 * first read and named in notStored (asked with onlyStored). Its rows were read in statements of
 * their own, and one deleted between two of them answered 404 though onlyStored was asked (its
 * metric names, its grid or its final values read after the run), or an experiment without its runs.
 */
export function prepareCompare(
  store: Store,
  input: ParsedInput<'compare.runs'>,
  experimentNames?: ReadonlyMap<number, string>,
): { work: CompareWork; result: (stats: CompareStatistics) => CompareResult } {
  return store.snapshot(() => readCompare(store, input, experimentNames));
}

function readCompare(
  store: Store,
  input: ParsedInput<'compare.runs'>,
  experimentNames?: ReadonlyMap<number, string>,
): { work: CompareWork; result: (stats: CompareStatistics) => CompareResult } {
  const selected = selectRuns(store, input.runIds, input.experimentIds, input.withoutEpisodes, input.onlyStored === true);
  const runs = selected.runs.map((r) => {
    const name = experimentNames?.get(r.experimentId);
    return name === undefined ? r : { ...r, experimentName: name };
  });
  const { notStored } = selected;
  const leftOut = {
    ...(selected.withoutEpisodes.length > 0 ? { withoutEpisodes: selected.withoutEpisodes } : {}),
    ...(notStored.runIds.length + notStored.experimentIds.length > 0 ? { notStored } : {}),
  };
  if (runs.length === 0) {
    // Only runs left out for having no episodes, or experiments none of whose runs has stored one
    // yet (asked with 'leaveOut'), or runs and experiments no longer stored (asked with onlyStored;
    // selectRuns refuses a selection of nothing else): nothing to draw, and the result says which
    // runs and why rather than failing.
    const empty: CompareResult = {
      metric: input.metric,
      direction: null,
      band: input.band,
      finalWindow: input.finalWindow,
      groups: [],
      improvement: [],
      differences: [],
      metrics: [],
      metricDirections: {},
      ...leftOut,
    };
    return { work: { band: input.band === 'ci95' ? 'ci95' : 'minmax', seed: input.seed, series: [], finals: [] }, result: () => empty };
  }
  const metrics = commonMetrics(store, runs);
  // The app's Compare asks for return instead (unrecordedMetric), and names the address's metric.
  const metric = metrics.includes(input.metric) || input.unrecordedMetric !== 'return' || !metrics.includes('return') ? input.metric : 'return';
  if (!metrics.includes(metric)) {
    // Recorded by some runs only (a DQN's loss beside a Q-learning run), or by none (a typo): said apart.
    const some = runs.some((r) => store.metricNames(r.id).includes(input.metric));
    throw new ValidationError([
      `metric: "${input.metric}" is ${some ? 'not recorded by every selected run' : 'recorded by none of the selected runs'}: choose one of ${metrics.join(', ') || '(none in common)'}`,
    ]);
  }
  const grid = commonGrid(store, runs, metric, input.maxPoints);
  // On a greedy evaluation's metric, runs of one configuration that evaluated differently are
  // groups apart (see evaluationKeys): the hash leaves the evaluation out.
  const evaluation = isEvaluationMetric(metric) ? evaluationKeys(store, runs) : undefined;
  const groups = groupByConfig(runs, evaluation?.keyOf);
  const splitHashes = new Set(groups.map((g) => g.members[0]!.configHash).filter((hash, g, all) => all.indexOf(hash) !== g));
  const firstRuns = groups.map((g) => store.getRun(g.members[0]!.id));
  // A split shows each group's evaluation settings in the config (the diff, the labels of twins, `differences`).
  const configs = firstRuns.map((run): CompareGroup['config'] => {
    const config = displayConfig(run);
    const settings = splitHashes.size > 0 ? (run.config as { evaluation?: EvaluationSettings }).evaluation : undefined;
    return settings ? { ...config, evaluation: { every: settings.every, episodes: settings.episodes } } : config;
  });
  const episodeMarks = firstRuns.map((run) => envEpisodeMarks((run.config as RunConfig).env));
  const labels = labelGroups(groups.map((g) => g.everyRun), configs);
  const evaluationSplits = [...splitHashes].map((hash) => {
    const split = groups.flatMap((g, i) => (g.members[0]!.configHash === hash ? [i] : []));
    return {
      // The label the configuration's one group has on a training metric.
      label: labelGroups([split.flatMap((i) => groups[i]!.everyRun)], [configs[split[0]!]])[0]!,
      groups: split,
      settings: split.map((i) => configs[i]!.evaluation!),
    };
  });
  // Which way each metric is better, as the runs' environments and agents declare it (one kind of run each).
  const kinds = [...new Map(runs.map((r) => [`${r.envId}\n${r.agentId}`, r])).values()];
  const metricDirections = Object.fromEntries(metrics.map((m) => [m, metricDirection(m, kinds)]));
  const direction = metricDirections[metric]!;
  // The metric's bounds (a share in [0, 1]), which the t intervals are kept inside.
  const range = metricRange(metric, runs);
  const work: CompareWork = {
    direction,
    ...(range ? { range } : {}),
    band: input.band === 'ci95' ? 'ci95' : 'minmax',
    seed: input.seed,
    series: groups.map(({ members }) => members.map((r) => grid.read(r.id))),
    // The finite values' mean, as the runs list's "last 100" (store.metricTailMean): a value beyond
    // float32's range (a diverged loss) is stored as ±∞, which read as the best run (or the worst),
    // printed "∞" and was sent as null (no value) in JSON.
    finals: groups.map(({ members }) => Float64Array.from(members, (r) => store.metricTailMean(r.id, metric, input.finalWindow))),
    // Pairs of groups on one environment config and the same seeds are compared paired by seed
    // (pairingOf): each seed's two runs drew from the same environment stream.
    pairing: input.unpaired ? 'off' : { seeds: groups.map(({ members }) => members.map((r) => r.seed)), environments: configs.map((c) => canonicalJson(c.env)) },
  };

  const result = (stats: CompareStatistics): CompareResult => {
    const results: CompareGroup[] = groups.map(({ members, repeats, everyRun }, g) => {
      const band = stats.bands[g]!;
      const x: number[] = [];
      const mean: number[] = [];
      const lo: (number | null)[] = [];
      const hi: (number | null)[] = [];
      const series = work.series[g]!;
      const runValues: (number | null)[][] = series.map(() => []);
      for (let i = 0; i < grid.x.length; i++) {
        if (Number.isNaN(band.mean[i]!)) continue; // no run of the group has a value here
        x.push(grid.x[i]!);
        mean.push(band.mean[i]!);
        // Fewer than 2 seeds here, or seeds all equal: no band (NaN from curveBand), null as the final intervals are.
        lo.push(Number.isNaN(band.lo[i]!) ? null : band.lo[i]!);
        hi.push(Number.isNaN(band.hi[i]!) ? null : band.hi[i]!);
        series.forEach((values, r) => runValues[r]!.push(Number.isNaN(values[i]!) ? null : values[i]!));
      }
      const iqm = stats.iqm[g]!;
      const average = stats.average[g]!;
      return {
        // A configuration split by its evaluation settings is groups of one hash: told apart by their settings.
        key: splitHashes.has(members[0]!.configHash) ? `${members[0]!.configHash} ${evaluation!.keyOf(members[0]!)}` : members[0]!.configHash,
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
        runValues,
        final: {
          values: Array.from(work.finals[g]!),
          mean: average.mean,
          iqm: iqm.point,
          iqmLo: iqm.lo,
          iqmHi: iqm.hi,
          meanLo: average.lo,
          meanHi: average.hi,
        },
        config: configs[g]!,
        episodeMarks: episodeMarks[g]!,
      };
    });
    const differences = groups.length > 1 ? differingPaths(configs) : [];
    const environments = environmentsOf(groups.map((g) => g.members[0]!.envId), differences);
    const trainingLengths = [...new Set(configs.map((c) => c.episodes))].sort((a, b) => a - b);
    return {
      metric,
      direction,
      ...(range ? { metricRange: range } : {}),
      band: input.band,
      finalWindow: input.finalWindow,
      groups: results,
      improvement: stats.improvement,
      differences,
      ...(environments ? { environments } : {}),
      ...(trainingLengths.length > 1 ? { trainingLengths } : {}),
      ...(evaluationSplits.length > 0 ? { evaluationSplits } : {}),
      metrics,
      metricDirections,
      ...(runs.length > 0 ? { episodes: { shortest: Math.min(...runs.map((r) => r.episodesDone)), longest: Math.max(...runs.map((r) => r.episodesDone)) } } : {}),
      ...leftOut,
    };
  };
  return { work, result };
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
 * compare: naming one is refused with its status, or with 'leaveOut' it is left out and returned in
 * `withoutEpisodes` (then a selection of only such runs is no error: the caller says why; nor is
 * one of experiments none of whose runs has stored an episode yet). With `onlyStored`, a run or
 * experiment no longer stored (deleted while the read was under way) is left out and returned in
 * `notStored` (a selection of only such is no error either), where it answered 404.
 */
function selectRuns(
  store: Store,
  runIds: readonly number[],
  experimentIds: readonly number[],
  without: ParsedInput<'compare.runs'>['withoutEpisodes'],
  onlyStored: boolean,
): { runs: RunListItem[]; withoutEpisodes: NonNullable<CompareResult['withoutEpisodes']>; notStored: { runIds: number[]; experimentIds: number[] } } {
  const byId = new Map<number, RunListItem>();
  const withoutEpisodes: { runId: number; status: RunListItem['status'] }[] = [];
  const notStored = { runIds: [] as number[], experimentIds: [] as number[] };
  // The read, or undefined when it is refused as not found and onlyStored was asked: a run's item
  // and an experiment's name are not found only when its row is gone.
  const unlessGone = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      if (onlyStored && toContractError(e).status === 404) return undefined;
      throw e;
    }
  };
  for (const id of runIds) {
    const run = unlessGone(() => store.getRunItem(id));
    if (run === undefined) {
      notStored.runIds.push(id);
      continue;
    }
    if (run.episodesDone === 0) {
      if (without === 'leaveOut') {
        withoutEpisodes.push({ runId: id, status: run.status });
        continue;
      }
      throw new ValidationError([`runIds: run ${id} has no stored episodes (it is ${run.status}): compare runs that have trained, or leave it out`]);
    }
    byId.set(id, run);
  }
  for (const experimentId of experimentIds) {
    // 404 for an unknown id (not its config: an inline MDP is tens of MB).
    if (unlessGone(() => store.experimentName(experimentId)) === undefined) {
      notStored.experimentIds.push(experimentId);
      continue;
    }
    for (const { id } of store.experimentRuns(experimentId)) {
      if (byId.has(id)) continue;
      const run = store.getRunItem(id);
      if (run.episodesDone > 0) byId.set(id, run);
    }
  }
  // The app's Compare ('leaveOut') opened on experiments just launched (every run queued, or stopped
  // before its first episode) draws nothing yet and says so, and draws as they train: no error.
  const gone = notStored.runIds.length + notStored.experimentIds.length > 0;
  if (byId.size === 0 && withoutEpisodes.length === 0 && !gone && !(without === 'leaveOut' && experimentIds.length > 0)) {
    throw new ValidationError(['runIds: nothing to compare: choose runs, or experiments, with stored episodes']);
  }
  return { runs: [...byId.values()].sort((a, b) => a.id - b.id), withoutEpisodes, notStored };
}

/** A greedy evaluation's metric (eval/greedy_return, eval/greedy_return_std): what it measures depends on the run's evaluation settings. */
function isEvaluationMetric(metric: string): boolean {
  return metric.startsWith('eval/');
}

/**
 * Each run's greedy evaluation settings as a key ("every 100 × 10"; "off" without), for the groups
 * to be split by on an evaluation's metric. The config hash leaves evaluation out, as it leaves
 * training unchanged: two experiments alike but for it are one configuration, and a run of one was
 * taken for a repeat of the other's run of its seed, "the same sample", though their evaluations
 * played different episodes at different points of training (their eval/greedy_return differs) and
 * one was thrown away. Runs of one experiment share its settings (they are made with it, and an edit changes only
 * its name and description), so a configuration whose runs are all of one experiment is not read:
 * a config can be tens of MB (an inline MDP), and is read once per experiment of the others.
 */
function evaluationKeys(store: Store, runs: readonly RunListItem[]): { keyOf: (run: RunListItem) => string } {
  const experimentsOf = new Map<string, Set<number>>();
  for (const r of runs) {
    const set = experimentsOf.get(r.configHash) ?? new Set<number>();
    experimentsOf.set(r.configHash, set.add(r.experimentId));
  }
  const byExperiment = new Map<number, string>();
  for (const r of runs) {
    if (experimentsOf.get(r.configHash)!.size < 2 || byExperiment.has(r.experimentId)) continue;
    const settings = (store.getRunConfig(r.id) as { evaluation?: EvaluationSettings }).evaluation;
    byExperiment.set(r.experimentId, settings ? `every ${settings.every} × ${settings.episodes}` : 'off');
  }
  return { keyOf: (run) => byExperiment.get(run.experimentId) ?? '' };
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
 * others are reported as repeats of it. With `evaluationOf` (an evaluation's metric), the runs of
 * one hash are grouped by their evaluation settings too: a run evaluated otherwise than another of
 * its seed is not the same sample on that metric, and neither is it another seed's sample of the
 * same thing (its evaluation is more or less precise), so it is in a group of its own.
 */
interface ConfigGroup {
  /** One run per seed, by id: the ones compared. */
  readonly members: RunListItem[];
  /** The others, each naming the member it repeats. */
  readonly repeats: RepeatedRun[];
  /** Members and repeats, by id (the experiments a label names). */
  readonly everyRun: RunListItem[];
}

function groupByConfig(runs: readonly RunListItem[], evaluationOf?: (run: RunListItem) => string): ConfigGroup[] {
  const bySeed = new Map<string, Map<number, RunListItem[]>>();
  for (const run of runs) {
    const key = evaluationOf ? `${run.configHash}\n${evaluationOf(run)}` : run.configHash;
    let seeds = bySeed.get(key);
    if (!seeds) bySeed.set(key, (seeds = new Map()));
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

