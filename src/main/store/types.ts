/** The store's row types, as callers see them: camelCase, JSON columns parsed, timestamps in unix
 * milliseconds (UTC). Configs are `unknown` here: the shared zod schemas give them their type. */
import type { NetworkLayout } from '../../engine/agent';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused'] as const;
/**
 * queued → running → completed | failed | cancelled | paused; a queued run can also be cancelled,
 * paused or fail. 'interrupted': the process executing the run stopped (quit or crashed) before it
 * finished, its training worker died once it had an autosave, or it could no longer be recorded
 * (the store refused its writes for good). A paused, cancelled or interrupted run is queued again when resumed (see RunStates).
 */
export type RunStatus = (typeof RUN_STATUSES)[number];
/**
 * How a run can end when its process reports the end. 'interrupted' there: the store refused its
 * writes for good (a full disk, a lock held too long), or its training worker died (see
 * JobPool.died), so it stops where its last autosave kept it, as a crash would leave it, and is
 * resumed from there (its state stays).
 */
export type FinishStatus = 'completed' | 'failed' | 'cancelled' | 'paused' | 'interrupted';

export interface ExperimentRow {
  id: number;
  name: string;
  /** The full resolved experiment, as given at creation, with its name and description as last edited. */
  config: unknown;
  configHash: string;
  /** The experiment file's path, 'form' when made in the app, or null. */
  source: string | null;
  createdAt: number;
}

/** A new name or description for an experiment (undefined: kept; a blank description removes it). */
export interface ExperimentEdit {
  name?: string;
  description?: string;
}

export type { ExperimentNaming } from '../../shared/dto';

export interface ExperimentListItem extends ExperimentRow {
  /** How many of its runs are in each status (every status present, zeros included). */
  runCounts: Record<RunStatus, number>;
  runsTotal: number;
}

export interface RunRow {
  id: number;
  experimentId: number;
  seed: number;
  status: RunStatus;
  /** The run's full config, written before its first step. */
  config: unknown;
  /** sha-256 (hex) of the canonical config. */
  configHash: string;
  appVersion: string;
  episodesTotal: number;
  episodesDone: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Time spent training, ms, its pauses left out (see RunSummary.activeMs in the contract). */
  activeMs: number | null;
  /** A running run's: the moment `activeMs` counts up to; null for any other status. */
  activeAt: number | null;
  summary: unknown;
  greedy: unknown;
  error: string | null;
}

/**
 * A run as a list of runs shows it: its row but the config, which an inline MDP or catalog makes
 * tens of MB to read and parse, and its agent's id, copied from the config when the run was made.
 */
export type ListedRun = Omit<RunRow, 'config'> & { agentId: string | null };

export interface NewRun {
  seed: number;
  config: unknown;
  configHash: string;
  appVersion: string;
  episodesTotal: number;
}

export interface NewExperiment {
  name: string;
  config: unknown;
  configHash: string;
  source?: string | null;
  runs: readonly NewRun[];
}

export interface FinishDetails {
  /** JSON-serialisable result summary (e.g. last-100 means). */
  summary?: unknown;
  /** JSON-serialisable greedy-policy evaluation. */
  greedy?: unknown;
  /** What went wrong, for 'failed' and 'interrupted' (or why, for 'cancelled'). */
  error?: string | null;
  /** When the run ended (ms since the epoch; default: now): earlier than the write when it waited for a locked database. */
  at?: number;
  /**
   * A paused or cancelled run's state after `episode` episodes, to resume it from (run-state bytes),
   * written in the same transaction; 'kept': the state stored already stays (a queued run stopped
   * before it started: it still continues from there); without either, any earlier state is
   * dropped (it no longer matches the stored metrics). An interrupted run keeps its state (its
   * last autosave) whatever this says.
   */
  state?: { readonly episode: number; readonly data: Uint8Array } | 'kept';
}

export type RunOrderBy = 'id' | 'createdAt' | 'startedAt' | 'finishedAt' | 'episodesDone';

export interface RunFilter {
  experimentId?: number;
  status?: RunStatus | readonly RunStatus[];
  /** The runs of one config (its hash, which leaves the seed out) … */
  configHash?: string;
  /** … or of one seed: with configHash, the run a policy's provenance names, whatever its id here. */
  seed?: number;
}

export interface RunQuery extends RunFilter {
  limit?: number;
  offset?: number;
  /** Default 'id'. */
  orderBy?: RunOrderBy;
  /** Default false (ascending). */
  descending?: boolean;
}

/** Episodes `start` … `start + count - 1` of several metrics, one column per metric name. */
export interface MetricBatch {
  start: number;
  count: number;
  columns: Readonly<Record<string, Float32Array | Float64Array>>;
}

export interface MetricSeries {
  name: string;
  firstEpisode: number;
  /** One past the last stored episode. */
  nextEpisode: number;
}

export interface ReadMetricOptions {
  /** First episode to read (default: the series' first). */
  from?: number;
  /** One past the last episode to read (default: the series' end). */
  to?: number;
  /** At most this many points; omitted, or at least the episode count, reads every episode. */
  maxPoints?: number;
  /**
   * Buckets of exactly this many episodes, on its grid, instead of maxPoints' (Compare reads a run
   * shorter than the others on their grid). 1 reads every episode.
   */
  bucketSize?: number;
}

/**
 * A metric over an episode range as min–max–mean buckets of consecutive episodes. Buckets hold
 * `bucketSize` episodes and sit on multiples of it (so panning a chart never reshuffles them);
 * the first and last are clipped to the range. NaN values (episodes without a value) are skipped,
 * and a bucket with no value is left out, so arrays can be shorter than the bucket count.
 */
/** A metric's values over its whole series, from its chunks' stored summaries. */
export interface MetricTotal {
  name: string;
  /** How many episodes have a value. */
  values: number;
  /** Their mean (NaN when none has one, or they hold both +Infinity and -Infinity). */
  mean: number;
}

export interface MetricRead {
  name: string;
  /** Episodes stored for the whole series. */
  total: number;
  /** The episode range actually read, [from, to). */
  from: number;
  to: number;
  /** Episodes per bucket (1 when not downsampled). */
  bucketSize: number;
  downsampled: boolean;
  /** Each bucket's middle episode (of its clipped range). */
  episodes: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /**
   * How many episodes of [from, to) have a value: fewer than to − from for a metric stored at some
   * episodes only (a DQN's loss, once learning has started).
   */
  values: number;
}

/** 'qtable': a tabular agent's action values (float64); 'weights': a network agent's parameters (float32). */
export type CheckpointKind = 'qtable' | 'weights';

export interface NewQTableCheckpoint {
  episode: number;
  kind: 'qtable';
  states: number;
  actions: number;
  /** states × actions values, row-major (state-major). */
  data: Float64Array;
  labels?: { states?: string[]; actions?: string[] };
}

export interface NewWeightsCheckpoint {
  episode: number;
  kind: 'weights';
  /** The network's layers, input encoding and output kind. */
  network: NetworkLayout;
  /** Its parameters: W (out × in, row-major) then b, layer after layer. */
  data: Float32Array;
}

export type NewCheckpoint = NewQTableCheckpoint | NewWeightsCheckpoint;

export interface CheckpointInfo {
  id: number;
  runId: number;
  episode: number;
  kind: CheckpointKind;
  /** [states, actions] for a 'qtable'; [inputs, outputs] of the network for 'weights'. */
  shape: number[];
  /** The network, for 'weights'. */
  network?: NetworkLayout;
  createdAt: number;
}

/** A Q-table checkpoint with its values. */
export interface Checkpoint extends CheckpointInfo {
  states: number;
  actions: number;
  data: Float64Array;
  labels: { states?: string[]; actions?: string[] } | null;
}

/** A weights checkpoint with its parameters. */
export interface WeightsCheckpoint extends CheckpointInfo {
  kind: 'weights';
  network: NetworkLayout;
  params: Float32Array;
}

export type PolicyOrigin = 'export' | 'import';

export interface NewPolicy {
  /** The run it was exported from; null or omitted for an imported policy. */
  runId?: number | null;
  /** Default 'export'. */
  origin?: PolicyOrigin;
  name?: string | null;
  /** The policy file's JSON text. */
  json: string;
  /** Environment id, policy kind, state and action counts; read from `json` when omitted. */
  envId?: string;
  kind?: string;
  states?: number;
  actions?: number;
}

export interface PolicyInfo {
  id: number;
  /** null for an imported policy, or once the run it came from was deleted. */
  runId: number | null;
  origin: PolicyOrigin;
  name: string | null;
  envId: string;
  /** The policy file's kind: 'tabular', 'context-free' or 'mlp' (free text: no CHECK lists them). */
  kind: string;
  states: number;
  actions: number;
  createdAt: number;
}

export interface PolicyRow extends PolicyInfo {
  json: string;
}

/** What a list of runs shows, read without the run's config (see migration 2). */
export interface RunListItem {
  id: number;
  experimentId: number;
  experimentName: string;
  envId: string;
  agentId: string;
  seed: number;
  status: RunStatus;
  episodesDone: number;
  episodesTotal: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  activeMs: number | null;
  activeAt: number | null;
  configHash: string;
  /** summary.return.last100, when the run has finished with one. */
  returnLast100: number | null;
  error: string | null;
  /** Its greedy policy's exact expected return (greedy.expectedReturn: a tabular agent on an MDP), and the γ it is discounted with. */
  greedyReturn: number | null;
  greedyGamma: number | null;
  /** summary["eval/greedy_return"].last100: the mean return of its greedy evaluations over its last 100 episodes, when it was evaluated. */
  evaluationReturn: number | null;
}

/**
 * The list's sorts. Unlike RunOrderBy's, 'episodesDone' orders by the fraction of episodes done;
 * 'experiment' is by experiment name, 'agent' and 'env' by their ids (text ignoring ASCII case).
 */
export type RunListSort = RunOrderBy | 'status' | 'returnLast100' | 'seed' | 'elapsed' | 'experiment' | 'agent' | 'env';

export interface RunListQuery extends RunFilter {
  /**
   * Case-insensitive text found in the experiment's name, the agent id or the environment id, or a
   * run id ("12" or "#12").
   */
  search?: string;
  /** Only runs that stored a checkpoint of this kind ('any': of either kind). */
  stored?: CheckpointKind | 'any';
  /** Default 'id'; ties are broken by id in the same direction. */
  sort?: RunListSort;
  /** Default false (ascending). NULLs sort first ascending, last descending. */
  descending?: boolean;
  offset?: number;
  limit?: number;
}

export interface RunListPage {
  /** Runs matching the filter, on every page. */
  total: number;
  runs: RunListItem[];
}

/** The Experiments screen's sorts (see ExperimentSort in shared/dto). */
export type ExperimentListSort = 'id' | 'name' | 'env' | 'agent' | 'episodes' | 'runs' | 'createdAt';

export interface ExperimentListQuery {
  /** Text found in the name, description, environment id or agent id (searchFold: any script's case, accents aside), or an experiment's number ("12" or "#12"). */
  search?: string;
  /** Default 'id'; ties are broken by id in the same direction. */
  sort?: ExperimentListSort;
  /** Default false (ascending). */
  descending?: boolean;
  offset?: number;
  limit?: number;
}

export interface ExperimentListPage {
  /** Experiments matching the search, on every page. */
  total: number;
  /** Every experiment stored, matching or not. */
  stored: number;
  experiments: ExperimentListEntry[];
}

/** An experiment as lists show it, read without parsing its config. */
export interface ExperimentListEntry {
  id: number;
  name: string;
  configHash: string;
  source: string | null;
  createdAt: number;
  envId: string;
  agentId: string;
  episodes: number;
  seeds: number;
  /** The experiment's description, when it has one. */
  description: string | null;
  runCounts: Record<RunStatus, number>;
}
