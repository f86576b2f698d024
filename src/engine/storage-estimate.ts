/**
 * How much disk an experiment's stored metrics would take: one value per metric per episode per
 * run, at the store's measured bytes per value. Said beside "Ready" and by `aisle run` when it is
 * past a gigabyte (1,000 seeds × 100,000,000 episodes launched as calmly as a smoke run), never
 * refused. Time is not estimated: steps per second differ by orders of magnitude between
 * environments, agents and machines.
 */
import type { ComponentConfig } from './experiment';
import { plural, thousands } from './params';
import { findAgent, findEnvironment } from './registry';
import { Rng, Stream } from './rng';
import { EVALUATION_METRICS } from './greedy-evaluation';

/**
 * Bytes the store takes per metric value: 1M values take ~4.3 MB (docs/benchmarks.md, "1M metric
 * values"). Values stored as int8 (0/1 returns) or in constant chunks take less, so an estimate
 * from it is an upper one.
 */
export const BYTES_PER_VALUE = 4.3;

/** Past this many bytes of metrics, an experiment is said to be large (1 GB). */
export const LARGE_METRICS_BYTES = 1e9;

/**
 * More metrics an episode than any environment and agent here record (the shop with PPO records
 * 17): below this many, an experiment too small to reach the threshold is told so without
 * building its environment and agent (which a large MDP or catalog makes slow at every keystroke).
 */
const MOST_METRICS = 32;

interface Sized {
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  readonly seeds: readonly number[];
  /** A greedy evaluation's metrics are stored at every episode too (empty at most). */
  readonly evaluation?: unknown;
}

/**
 * The counts already built, by environment and agent id. Every environment and agent here names the
 * same metrics whatever its parameters (a constant list per class), while building them is what
 * costs: a DQN's replay buffer or LinUCB's matrices take up to a gigabyte, and experimentWarnings
 * runs at every edit of the form, once per experiment of a sweep (64 builds an edit).
 */
const counted = new Map<string, number>();

/**
 * The metrics one episode records: return, length, then the environment's and the agent's (as the
 * training loop lists them); undefined when the two cannot be built. Built here rather than through
 * the training module, which would bring its WebAssembly kernels to every importer of experiments;
 * once per environment and agent (see counted).
 */
export function metricsPerEpisode(e: Sized): number | undefined {
  const envDef = findEnvironment(e.env.id);
  const agentDef = findAgent(e.agent.id);
  if (!envDef || !agentDef) return undefined;
  const key = `${envDef.id}\u0000${agentDef.id}`;
  const known = counted.get(key);
  if (known !== undefined) return known;
  const { id: _e, ...envParams } = e.env;
  const { id: _a, ...agentParams } = e.agent;
  try {
    const env = envDef.create(envDef.params.parse(envParams) as never);
    const agent = agentDef.create(agentDef.params.parse(agentParams) as never, {
      observationSpace: env.observationSpace,
      actionSpace: env.actionSpace,
      rng: new Rng(e.seeds[0] ?? 0, Stream.agent),
      episodes: e.episodes,
      ...(env.oracle ? { oracle: env.oracle } : {}),
    });
    const metrics = 2 + env.episodeMetricNames.length + agent.episodeMetricNames.length;
    counted.set(key, metrics);
    return metrics;
  } catch {
    return undefined;
  }
}

/** "1.2 GB", "8,600 GB": gigabytes to two significant figures. */
function gigabytes(bytes: number): string {
  const gb = bytes / 1e9;
  const shown = gb >= 100 ? thousands(Number(gb.toPrecision(2))) : String(Number(gb.toPrecision(2)));
  return `${shown} GB`;
}

/** The warning of an experiment whose stored metrics would pass LARGE_METRICS_BYTES; empty below it. */
export function storageWarnings(e: Sized): string[] {
  const runs = e.seeds.length;
  if (runs * e.episodes * MOST_METRICS * BYTES_PER_VALUE < LARGE_METRICS_BYTES) return [];
  const recorded = metricsPerEpisode(e);
  if (recorded === undefined) return [];
  const metrics = recorded + (e.evaluation ? EVALUATION_METRICS.length : 0);
  const values = runs * e.episodes * metrics;
  const bytes = values * BYTES_PER_VALUE;
  if (bytes < LARGE_METRICS_BYTES) return [];
  return [
    `episodes: ${plural(runs, 'run', thousands(runs))} × ${thousands(e.episodes)} episodes × ${metrics} metrics would store ${thousands(values)} values, up to about ${gigabytes(bytes)} on disk; lower episodes or seeds if that is not meant`,
  ];
}

/**
 * The warning of a sweep (or a random search) whose experiments' metrics together would pass
 * LARGE_METRICS_BYTES: each experiment's own warning counts its runs alone (and, alike in every
 * experiment, is said once), so 64 experiments of 900 MB each, 58 GB in all, went unsaid. Empty
 * for one experiment (storageWarnings says it) and below the threshold.
 */
export function sweepStorageWarnings(experiments: readonly Sized[]): string[] {
  if (experiments.length < 2) return [];
  if (experiments.reduce((n, e) => n + e.seeds.length * e.episodes, 0) * MOST_METRICS * BYTES_PER_VALUE < LARGE_METRICS_BYTES) return [];
  let runs = 0;
  let values = 0;
  for (const e of experiments) {
    const recorded = metricsPerEpisode(e);
    if (recorded === undefined) return [];
    runs += e.seeds.length;
    values += e.seeds.length * e.episodes * (recorded + (e.evaluation ? EVALUATION_METRICS.length : 0));
  }
  const bytes = values * BYTES_PER_VALUE;
  if (bytes < LARGE_METRICS_BYTES) return [];
  return [
    `sweep: its ${thousands(experiments.length)} experiments' ${plural(runs, 'run', thousands(runs))} would store ${thousands(values)} values in all, up to about ${gigabytes(bytes)} on disk; lower episodes or seeds, or sweep fewer values, if that is not meant`,
  ];
}
