/**
 * The shapes that cross the contract: plain JSON-serialisable objects (typed arrays become number
 * arrays), the same whether they travel over Electron IPC or the browser-mode host's HTTP.
 */
import type { EpisodeMark } from '../engine/definitions';
import type { EvaluationSettings } from '../engine/greedy-evaluation';
import type { RolloutReport } from '../engine/evaluate';
import type { MetricDirection } from '../engine/metric-direction';
import type { MetricRange, MetricRanges } from '../engine/metric-range';
import type { GreedyReport } from '../engine/mdp/solve';
import type { MetricSummary } from '../engine/train';
import type { Experiment, filesLeftOut } from '../engine/experiment';
import type { NeverUpdated, PolicyFile } from '../engine/policy/format';
import type { OffPolicyRun } from '../engine/ope/run';
import type { SimulatorFit } from '../engine/ope/simulator';
import type { MixedColumn } from '../engine/ope/logging-columns';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'paused';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused'];

export interface AppInfo {
  readonly version: string;
  /** Which door the renderer came through. */
  readonly door: 'electron' | 'browser';
  readonly dbPath: string;
  readonly workers: number;
}

/** One environment or agent as the form sees it: its params as a JSON Schema. */
export interface CatalogEntry {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Agents only. */
  readonly family?: string;
  /** Agents only: what a run stores to inspect and export ('table': action values, 'network': weights; see AgentDefinition.keeps). */
  readonly keeps?: readonly ('table' | 'network')[];
  /** JSON Schema (draft 2020-12, io: input) of the parameters: defaults, ranges, descriptions. */
  readonly schema: JsonSchema;
  /** Parameters that may name a file (tabular-mdp's `mdp`). */
  readonly fileParams: readonly string[];
  /** Environments of many parameters: the parameters in named groups (those in none come first). */
  readonly paramGroups?: readonly { readonly title: string; readonly params: readonly string[] }[];
}

export type JsonSchema = Record<string, unknown>;

export interface Catalog {
  readonly environments: readonly CatalogEntry[];
  readonly agents: readonly CatalogEntry[];
  /** JSON Schema of the whole experiment file. */
  readonly experimentSchema: JsonSchema;
  /** The example experiments built into the app (resources/experiments), to start a new one from. */
  readonly presets: readonly Preset[];
}

/** An example experiment: its file name (what presets.load takes), and what it says of itself. */
export interface Preset {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly envId: string;
  readonly agentId: string;
  /** Its runs: the seeds' count, or the list's length (0 when the file gives neither). */
  readonly seeds: number;
}

/** A run by its id, with its status: what the messages about cancelling and deleting runs name. */
export interface RunWithStatus {
  readonly id: number;
  readonly status: RunStatus;
}

/** An experiment's name and description as they read after an edit (description null: it has none). */
export interface ExperimentNaming {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
}

export interface ExperimentSummary {
  readonly id: number;
  readonly name: string;
  readonly envId: string;
  readonly agentId: string;
  readonly episodes: number;
  readonly seeds: number;
  readonly configHash: string;
  readonly source: string | null;
  readonly createdAt: number;
  readonly runCounts: Readonly<Record<RunStatus, number>>;
  /** Its queued or running runs that another Aisle process (`aisle run`, another window) trains: only that one can cancel them. */
  readonly elsewhere: readonly RunWithStatus[];
  /** What the experiment is for, in its author's words (absent when it has none). */
  readonly description?: string;
}

/**
 * How experiments.page orders experiments, ties by id in the same direction: 'name' folded as the
 * search folds it (any script's case, accents aside), 'env' and 'agent' ignoring ASCII case, 'runs'
 * by how many runs it has, whatever their status.
 */
export const EXPERIMENT_SORTS = ['id', 'name', 'env', 'agent', 'episodes', 'runs', 'createdAt'] as const;
export type ExperimentSort = (typeof EXPERIMENT_SORTS)[number];

/** One page of experiments, as RunPage is of runs. */
export interface ExperimentPage {
  /** Experiments matching the search, on every page. */
  readonly total: number;
  /** Every experiment stored, matching the search or not ("3 of 30 experiments"). */
  readonly stored: number;
  readonly experiments: readonly ExperimentSummary[];
}

export interface ExperimentDetail extends ExperimentSummary {
  readonly config: Experiment;
  readonly runIds: readonly number[];
}

export interface RunSummary {
  readonly id: number;
  readonly experimentId: number;
  readonly experimentName: string;
  readonly envId: string;
  readonly agentId: string;
  readonly seed: number;
  readonly status: RunStatus;
  readonly episodesDone: number;
  readonly episodesTotal: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  /**
   * Its training time, ms: its stretches of running added up, its pauses left out (a run paused
   * overnight does not count the night); null before it first starts. A running run's counts up to
   * `activeAt` and it has trained since: see trainingMs (shared/training-time.ts) for its time now.
   */
  readonly activeMs: number | null;
  /** A running run's: the moment `activeMs` counts up to (its last resume or metric batch); null for any other status. */
  readonly activeAt: number | null;
  readonly configHash: string;
  /**
   * The key metric: mean `return` over the last 100 episodes, when known. A running run's is over
   * its last 100 episodes so far; one that stopped without a summary of its own (failed, cancelled,
   * interrupted) is over its last 100 stored episodes.
   */
  readonly returnLast100: number | null;
  /** What its greedy policy returns, where the run knows it: the run pickers show it, else returnLast100 (see runScoreText). */
  readonly greedyScore?: GreedyScore;
  readonly error: string | null;
  /** Queued or running in another Aisle process (`aisle run`, another window): only that one can cancel it. */
  readonly elsewhere: boolean;
}

/**
 * What a run's greedy policy (no exploration) returns: its exact expected return where it was solved
 * against the MDP (a tabular agent on one; discounted by `gamma` when below 1), else the mean return
 * of its greedy evaluations over its last 100 episodes (an experiment with "evaluation").
 */
export interface GreedyScore {
  readonly value: number;
  readonly source: 'exact' | 'evaluation';
  /** The exact return's discount, when below 1. */
  readonly gamma?: number;
}

export interface CheckpointSummary {
  readonly id: number;
  readonly episode: number;
  readonly kind: string;
  readonly states: number;
  readonly actions: number;
}

/** A metric's mean and last-100 mean, over the episodes that have a value (`values` of them). */
export interface RunMetricSummary extends MetricSummary {
  readonly values: number;
}

export interface RunDetail extends RunSummary {
  /** The run's full config (env, agent, episodes, seed, checkpoints). */
  readonly config: { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number; seed: number };
  readonly appVersion: string;
  readonly summary: Readonly<Record<string, RunMetricSummary>>;
  /**
   * The summary is over the episodes stored so far, not the run's own: it is still training, or it
   * stopped (failed, interrupted) before writing one.
   */
  readonly summarySoFar: boolean;
  readonly greedy: GreedyReport | null;
  readonly metrics: readonly string[];
  readonly checkpoints: readonly CheckpointSummary[];
  /** The environment's fingerprint (id, params without the inline MDP, MDP hash). */
  readonly fingerprint: { id: string; params: Record<string, unknown>; mdpHash?: string; hash: string };
  /** Episodes its environment's settings mark on the learning curves (the shop's preference shift at shiftAt). */
  readonly episodeMarks: readonly EpisodeMark[];
  /**
   * The ranges its environment declares for its metrics (engine/metric-range.ts: the shop's diversity
   * a share in [0, 1], its revenue never below 0), by metric; a metric absent has none. Run detail
   * keeps a constant chart's y axis within them, as Compare does with CompareResult.metricRange.
   */
  readonly metricRanges: MetricRanges;
  /** The run's experiment's description, when it has one. */
  readonly experimentDescription?: string;
  /**
   * The episode a paused, cancelled or interrupted run continues at when resumed (0: it had played
   * none); null when it cannot be resumed (it is active or finished, or stopped without a checkpoint).
   */
  readonly resumableAt: number | null;
  /**
   * Why policies.export refuses this run, when the run has ended without storing a Q-table or a
   * network (a baseline's, one stopped before its first checkpoint): Policies says it as soon as the
   * run is chosen. Absent while the run is queued or running: its first checkpoint may still come.
   */
  readonly nothingToExport?: string;
  /**
   * Why the run has no Q-table to show, when it has none (noQTableReason: its agent learns a
   * network or no values, or it has stored no checkpoint yet): the Q-tables screen says it rather
   * than read a table that is not there.
   */
  readonly noQTable?: string;
}

/**
 * How runs.list orders runs, ties by id: 'episodesDone' by the fraction done, 'experiment' by name,
 * 'elapsed' by training time (activeMs, a running run's up to now).
 */
export type RunSort = 'id' | 'createdAt' | 'startedAt' | 'finishedAt' | 'episodesDone' | 'status' | 'returnLast100' | 'seed' | 'elapsed' | 'experiment' | 'agent' | 'env';

/** What runs.cancel did: the runs it cancelled, and those it could not because another process trains them. */
export interface CancelResult {
  readonly cancelled: readonly number[];
  /** Runs another process (`aisle run`, another window) trains or queued: left to it, with where to stop them; null when none. */
  readonly elsewhere: { readonly runIds: readonly number[]; readonly message: string } | null;
}

export interface RunPage {
  readonly total: number;
  readonly runs: readonly RunSummary[];
}

/** A downsampled metric series: bucket x positions with mean, min and max. */
export interface Series {
  readonly runId: number;
  readonly metric: string;
  /** Episodes recorded in total. */
  readonly total: number;
  /** How many of the episodes read have a value (a metric such as a DQN's loss skips some). */
  readonly values: number;
  readonly downsampled: boolean;
  readonly x: readonly number[];
  readonly mean: readonly number[];
  readonly min: readonly number[];
  readonly max: readonly number[];
}

export type BandKind = 'ci95' | 'minmax';

/** Runs that share a config hash (on an eval/… metric, and evaluation settings: see CompareResult.evaluationSplits): one line with a band across seeds. */
export interface CompareGroup {
  readonly key: string;
  readonly label: string;
  readonly configHash: string;
  readonly experimentIds: readonly number[];
  readonly runIds: readonly number[];
  readonly seeds: readonly number[];
  /**
   * The group's runs that have not played all their episodes (cancelled, interrupted, failed
   * midway, or still training), in runIds order: their curves end early, and their final value is
   * over their last stored episodes, earlier in training than a finished run's.
   */
  readonly partial: readonly PartialRun[];
  /**
   * Runs of the group's configuration and seed beyond the first (an experiment launched twice; on
   * an eval/… metric, evaluated alike too):
   * training is deterministic, so each is the same sample as the run it repeats, counted once (the
   * run that trained furthest is kept). Not in runIds.
   */
  readonly repeats: readonly RepeatedRun[];
  readonly x: readonly number[];
  /** The mean across the seeds with a value at each x. */
  readonly mean: readonly number[];
  /**
   * The band around it: for 'ci95', Student's t 95 % interval of the mean across seeds at each x
   * (mean ± t_{0.975, n−1} · s / √n, the final mean's interval point by point); for 'minmax', the
   * lowest and highest seed. Where fewer than 2 seeds have a value there is no band: lo and hi are
   * null there (throughout for a group of one run), as the final intervals of one run are; so too,
   * for 'ci95', where the seeds' values are all equal (no spread to estimate it from). The t band is
   * clamped into `metricRange`.
   */
  readonly lo: readonly (number | null)[];
  readonly hi: readonly (number | null)[];
  /**
   * Per run, in runIds' order: its value at each x (the mean of its episodes in that bucket), null
   * where it has none (past its end). A smoothed view smooths each run's curve and takes the band
   * across them (smoothedGroupCurve), not the raw band's bounds smoothed: those keep each episode's
   * noise, which smoothing averages away from the line.
   */
  readonly runValues: readonly (readonly (number | null)[])[];
  /** Final performance per run: the metric's mean over the last `finalWindow` episodes. */
  readonly final: {
    readonly values: readonly number[];
    readonly mean: number;
    readonly iqm: number;
    /**
     * 95 % percentile bootstrap CI of the IQM (rliable's, 2,000 resamples); null for a group of one
     * run, or of runs whose values are all equal (no spread to estimate an interval from: the
     * formula's zero width, "1 [1, 1]", read as certainty).
     */
    readonly iqmLo: number | null;
    readonly iqmHi: number | null;
    /**
     * Student's t 95 % CI of the mean (mean ± t_{0.975, n−1} · s / √n), clamped into `metricRange`;
     * null for a group of one run, or of runs all equal, as the IQM's.
     */
    readonly meanLo: number | null;
    readonly meanHi: number | null;
  };
  /**
   * The group's config (env and agent) for the diff; with its runs' greedy evaluation settings when
   * the comparison splits a configuration by them (CompareResult.evaluationSplits).
   */
  readonly config: { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number; evaluation?: EvaluationSettings };
  /** Episodes the group's environment settings mark on the curves (see RunDetail.episodeMarks). */
  readonly episodeMarks: readonly EpisodeMark[];
}

/** A compared run left out as a repeat of another of the same configuration and seed (see CompareGroup.repeats). */
export interface RepeatedRun {
  readonly runId: number;
  readonly seed: number;
  readonly sameAs: number;
}

/** A compared run that stopped before its last episode (see CompareGroup.partial). */
export interface PartialRun {
  readonly runId: number;
  readonly seed: number;
  readonly status: RunStatus;
  readonly episodesDone: number;
  readonly episodesTotal: number;
}

/**
 * A pair of groups compared paired by seed (CompareResult.improvement): each seed's row run minus its
 * column run, d_i = x_i − y_i in the metric's units, which cancels what the seed's environment stream
 * did to both (common random numbers).
 */
export interface PairedDifference {
  /** The seeds paired: one run of each group on each. */
  readonly pairs: number;
  /** The mean of d with its Student's t 95 % interval (null ends when every d is equal). */
  readonly mean: number;
  readonly lo: number | null;
  readonly hi: number | null;
  /** The two-sided Wilcoxon signed-rank p-value of d (engine/stats/wilcoxon.ts), and whether it is the exact count. */
  readonly signedRankP: number;
  readonly exact: boolean;
  /** The signed-rank sums of the positive and the negative d (zeros left out): which way the ranks lean. */
  readonly plus: number;
  readonly minus: number;
}

export interface CompareResult {
  readonly metric: string;
  /**
   * Which way `metric` is better, as the runs' environments and agents declare it (engine/metric-direction.ts):
   * 'higher', 'lower' (a loss, the shop's gini: `improvement` is then P(X < Y)), or null when it has
   * none or they disagree (then the matrix is P(X > Y) read as higher or lower, never better or worse).
   */
  readonly direction: MetricDirection;
  /**
   * `metric`'s bounds where its environments declare some (engine/metric-range.ts: a share such as the
   * shop's ctr or the bandit testbed's `optimal`, `{min: 0, max: 1}`; a count, `{min: 0}`): the final
   * mean's t interval and the curves' t band are clamped into them. Absent: no known bound (a return).
   */
  readonly metricRange?: MetricRange;
  readonly band: BandKind;
  readonly finalWindow: number;
  readonly groups: readonly CompareGroup[];
  /**
   * The probability that group i improves on group j with its 95 % percentile bootstrap CI (rliable):
   * P(group i > group j), or P(group i < group j) when `direction` is 'lower'; and off the diagonal
   * `mannWhitneyP`, the pair's two-sided Mann–Whitney p-value (engine/stats/mann-whitney.ts, the same
   * in both of its cells), which the verdicts adjust by Holm's correction over the comparison's pairs
   * (pairTest in compare-text.ts). Absent from a comparison made before it was computed: the
   * verdicts then compute it from the groups' final values. A pair of groups on one environment
   * config with one run on each of the same 6+ seeds is compared paired by seed (`paired`, whose
   * signed-rank p the verdict then reads instead); any other pair says in `unpaired` why it is not
   * (both absent from a comparison made before pairing).
   */
  readonly improvement: readonly (readonly { p: number; lo: number; hi: number; mannWhitneyP?: number; paired?: PairedDifference; unpaired?: string }[])[];
  /** Config paths whose values differ between groups (e.g. "agent.alpha"). */
  readonly differences: readonly string[];
  /**
   * When the groups do not share one environment, what that means for reading the comparison:
   * 'tasks' (different environments: their values are not on one scale, so the ranking compares
   * tasks, not agents) or 'settings' (one environment with different settings: the environment's
   * effect is part of every difference); with the environment ids, or the env paths that differ.
   */
  readonly environments?: { readonly kind: 'tasks'; readonly ids: readonly string[] } | { readonly kind: 'settings'; readonly paths: readonly string[] };
  /** Metrics present in every selected run. */
  readonly metrics: readonly string[];
  /** Each of `metrics`' direction, as `direction` is the compared one's (the metric picker names it). */
  readonly metricDirections: Readonly<Record<string, MetricDirection>>;
  /** The fewest and the most episodes a compared run has stored (a final window beyond them averages all of a run). */
  readonly episodes?: { readonly shortest: number; readonly longest: number };
  /**
   * The numbers of episodes the groups were configured to train for, ascending, when they differ
   * (absent when every group trains as long): each group's final window then sits at a different
   * point of training, so the comparison mixes the agents with how long they trained.
   */
  readonly trainingLengths?: readonly number[];
  /**
   * On a greedy evaluation's metric (eval/…), each configuration whose runs evaluated with different
   * settings (`evaluation: { every, episodes }`, which the config hash leaves out: they do not change
   * training, but they do change what the metric measures): the label its one group has on a
   * training metric, and the groups it is split into here, one per setting, by index into `groups`,
   * with their settings. Absent when there is none.
   */
  readonly evaluationSplits?: readonly { readonly label: string; readonly groups: readonly number[]; readonly settings: readonly EvaluationSettings[] }[];
  /**
   * The runs named in `runIds` that were left out for having no stored episodes, with their status
   * (asked with `withoutEpisodes: 'leaveOut'`; absent when there is none). When every run asked for
   * is such a run, the result has no groups.
   */
  readonly withoutEpisodes?: readonly { readonly runId: number; readonly status: RunStatus }[];
  /**
   * The runs named in `runIds` and the experiments in `experimentIds` left out as no longer stored
   * (deleted while the read was under way; asked with `onlyStored`; absent when there is none).
   * When they were all that was asked for, the result has no groups.
   */
  readonly notStored?: { readonly runIds: readonly number[]; readonly experimentIds: readonly number[] };
}

export interface QTable {
  readonly runId: number;
  readonly checkpointId: number;
  readonly episode: number;
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** q[s][a]. */
  readonly q: readonly (readonly number[])[];
  /** The agent's initial action value, when its config has one: what tells a state of one action that training updated from one it never reached. */
  readonly initialQ?: number;
  /** The environment's terminal states (an MDP's), by index: training never updates one, so the count of states never updated leaves them out, as the export's does. Absent when there are none. */
  readonly terminal?: readonly number[];
  readonly checkpoints: readonly CheckpointSummary[];
}

export interface PolicySummary {
  readonly id: number;
  readonly name: string | null;
  readonly runId: number | null;
  readonly origin: 'export' | 'import';
  readonly envId: string;
  /** 'tabular' (a Q-table), 'context-free' (one value per action, the same for every state) or 'mlp' (a network). */
  readonly kind: string;
  /** States of a tabular or one-hot mlp policy; 0 for an mlp policy on vector observations and for a context-free policy. */
  readonly states: number;
  readonly actions: number;
  readonly createdAt: number;
}

export interface PolicyExport {
  readonly policyId: number;
  readonly fileName: string;
  /** The policy file's JSON text, ready to save. */
  readonly text: string;
  readonly policy: PolicyFile;
  /**
   * The very same file was stored before (the run's policy exported already, or brought with its
   * run by a results file): not stored again, `policyId` is that one, and the notice says so, as
   * an import of a file already stored does.
   */
  readonly alreadyStored: boolean;
  /** A tabular policy's states training never updated (the notice says so when there are any). */
  readonly neverUpdated?: NeverUpdated;
}

export interface PolicyEvaluationResult {
  readonly env: string;
  /** Which environment it was, in words, where the service chose it: "run 3's", "the MDP of run 1 in the database (…)" (the CLI says the same beside the policy's name). */
  readonly environment?: string;
  readonly fingerprintMatches: boolean;
  readonly warnings: readonly string[];
  /**
   * The rollout's report as the engine gives it (engine/evaluate.ts), with the seed it played from.
   * Its `discounted` is there on a tabular MDP whose exact value is discounted (γ < 1): the same
   * episodes' discounted returns, comparable with it.
   */
  readonly monteCarlo: RolloutReport & { readonly seed: number };
  readonly exact?: {
    readonly gamma: number;
    /** Where γ came from: asked for (--gamma), the experiment's agent, the policy's training (its provenance), or none known (1). */
    readonly gammaFrom: GammaSource;
    readonly horizon: number;
    readonly expectedReturn: number;
    readonly optimalReturn: number;
    readonly randomReturn: number;
    readonly optimalityGap: number;
    readonly normalizedScore: number | null;
  };
}

/** Where an exact evaluation's γ came from (see PolicyEvaluationResult.exact). */
export type GammaSource = 'option' | 'experiment' | 'policy' | 'default';

/**
 * What checking an experiment says beside it, the same from validate and from launch: `warnings`,
 * what is valid but probably not meant, one line each with its JSON path (see experimentWarnings);
 * `fitDropped`, why the experiment checked (or launched) lacks the fittedTo given (it was recorded
 * for another environment: fitted-env.ts), when it does.
 */
export interface ExperimentNotes {
  readonly warnings: readonly string[];
  readonly fitDropped?: string;
}

/** The result of validating an experiment: the parsed experiment with its notes, or one line per problem. */
export type ValidationResult = ({ ok: true; experiment: Experiment } & ExperimentNotes) | { ok: false; problems: readonly string[] };

/**
 * experiments.parseFile's reply: ValidationResult's, and with a refusal `namedFiles`, the files the
 * experiment names by path (`"mdp": "cliff.mdp.json"`), keyed by their field (`env.mdp`), read and
 * checked as their kind, when it names some and each of them is (none missing or malformed, which the
 * problems then say): a form opens a file refused for its values (alpha 7) with them in place, as
 * it opens a valid one, and says its problems under their fields. Nothing is stored.
 */
export type ExperimentFileResult = Extract<ValidationResult, { ok: true }> | { ok: false; problems: readonly string[]; namedFiles?: Readonly<Record<string, unknown>> };

/**
 * An experiment as experiments.validate gives it back with `withoutFiles`: env without its file
 * parameters (tabular-mdp's inline `mdp`, the shop's `catalog`), which the caller holds. Not one to
 * launch or save as it is: its type mark (filesLeftOut, in the type alone) keeps it from passing
 * for an Experiment.
 */
export interface ExperimentWithoutFiles extends Omit<Experiment, 'env' | typeof filesLeftOut> {
  readonly [filesLeftOut]: true;
  readonly env: Experiment['env'] & { readonly mdp?: never; readonly catalog?: never };
}

/**
 * experiments.validate's reply: ValidationResult's, the experiment whole or (`withoutFiles`)
 * without its files; with a sweep, how many experiments and runs it launches.
 */
export type ExperimentCheck =
  | ({
      ok: true;
      experiment: Experiment | ExperimentWithoutFiles;
      sweep?: { readonly experiments: number; readonly runs: number };
    } & ExperimentNotes)
  | {
      ok: false;
      problems: readonly string[];
      /** experiments.validate's: the digests of files the experiment names that the service does not hold (see heldFiles). */
      unheldFiles?: readonly string[];
    };

/** A logs CSV as the off-policy screen first sees it: enough to offer its columns and values. */
export interface LogsInspection {
  /** Data rows (the lines after the header that are not blank). */
  readonly rows: number;
  /** In the header's order; `values`: the column's distinct values with their row counts when it has at most 50 (in their natural order), else null. */
  readonly columns: readonly { readonly name: string; readonly values: readonly { readonly value: string; readonly rows: number }[] | null }[];
  /**
   * The rows per combination of the listed columns' values (those with `values`), so that the
   * filters' counts can follow the other filters: `columns` names them, and each of `rows` holds an
   * index into each one's `values` (in `columns`' order), then the rows with that combination.
   * When all of them have too many combinations to send, `columns` holds only some (the
   * fewest-valued), and a filter on another column is not followed by the counts.
   */
  readonly combinations: { readonly columns: readonly string[]; readonly rows: readonly (readonly number[])[] };
  /**
   * When `combinations` leaves listed columns out: for each pair of listed columns one of which it
   * leaves out, the pairs of their values that share a row, each as a × (the second's values) + b,
   * a and b indices into the two columns' `values`; so that a value no row keeps under a filter on
   * another column reads 0 rows. Absent when every listed column is combined.
   */
  readonly pairs?: readonly { readonly columns: readonly [string, string]; readonly seen: readonly number[] }[];
  /** The column each role takes when none is named (null: the header has none of its usual names). */
  readonly roles: { readonly action: string | null; readonly reward: string | null; readonly propensity: string | null; readonly context: string | null };
}

/**
 * An off-policy evaluation (see src/engine/ope/run.ts) with the rows it read and kept and the
 * columns it used. Over the browser-mode host an undefined estimate (NaN, such as SNIPS when no row
 * carries weight) arrives as null.
 */
export interface LogsEvaluation extends OffPolicyRun {
  readonly rowsRead: number;
  readonly rowsKept: number;
  /** Evaluated on the kept rows a holdout of 1 in k (holdoutRows) or of the last p % (lastRows) sets aside only: those a simulator fitted with the same holdout left out; `rows` says how many. */
  readonly holdout?: number;
  readonly holdoutLast?: number;
  readonly columns: { readonly action: string; readonly reward: string; readonly propensity: string; readonly context: string | null };
  /** Per policy target scored on rows its simulator was fitted to (its spec), the warning saying so and how to score the rows held out (engine/ope/fitted-rows.ts). */
  readonly fitWarnings: readonly { readonly spec: string; readonly text: string }[];
}

/**
 * A simulator fitted to a logs file (`logs.simulator`, what `aisle logs mdp` writes), with the
 * fingerprint hash of the environment an experiment on it trains in (simulatorEnv), which the
 * experiment's fittedTo records.
 */
export type LogsSimulator = SimulatorFit & {
  readonly envHash: string;
  /** The columns of logging policies, campaigns or pages the rows fitted still mix (see mixedColumns): a simulator of several experiments at once. */
  readonly mixed: readonly MixedColumn[];
};

/**
 * The largest results file the app imports: its bytes cross the contract as base64 (4 characters
 * per 3 bytes), which MAX_FILE_CHARS bounds. The app exports larger ones (a long run's metrics):
 * `aisle results import` reads those.
 */
export const MAX_RESULTS_FILE_BYTES = 48 * 1024 * 1024;

/** An experiment written to a results file (`aisle results export`), with what it carries. */
export interface ExportedExperiment {
  readonly id: number;
  readonly name: string;
  readonly runs: number;
  readonly checkpoints: number;
  readonly policies: number;
}

/** A results file, for the app to save: its suggested name and its bytes in base64. */
export interface ResultsExport {
  readonly fileName: string;
  readonly base64: string;
  readonly experiments: readonly ExportedExperiment[];
}

/** Where a results file came from: its format, the Aisle and database that wrote it, and when (unix ms). */
export interface ResultsOrigin {
  readonly format: string;
  readonly appVersion: string;
  readonly sourceDatabase: string;
  readonly sourceHost: string;
  readonly exportedAt: number;
}

/** An experiment of a results file as imported: its id in the file (`from`) and here, its runs' and policies' too. */
export interface ImportedExperiment {
  readonly from: number;
  /** Its id here: new, or the experiment it was already imported as. */
  readonly id: number;
  /** Its name in the file. */
  readonly name: string;
  /** The name it was stored under when an experiment here had its name already ("cliff (2)"; see nameApart). */
  readonly renamed?: string;
  /** True when it was here already and nothing was copied. */
  readonly alreadyImported: boolean;
  readonly runs: readonly { from: number; id: number }[];
  /**
   * The policies exported from its runs: `alreadyStored` when the very file was stored here before
   * (`aisle policies import`, an earlier results file), and `id` is that policy's, not a copy's;
   * when no run here held it (its run deleted, or imported on its own), it is now the imported run's.
   */
  readonly policies: readonly { from: number; id: number; alreadyStored: boolean }[];
  readonly checkpoints: number;
}

export interface ResultsImport {
  readonly origin: ResultsOrigin;
  readonly experiments: readonly ImportedExperiment[];
}
