/**
 * The one contract between the renderer and the main process (electron-trpc's idea, without the
 * library): a command map, name → zod input schema → output type, and an event map for pushes.
 * The service implements it; Electron's ipcMain and the browser-mode host both dispatch it; the
 * preload exposes it; the renderer calls it with full types and cannot tell which door it used.
 * Every input is parsed by its schema before anything acts on it.
 */
import * as z from 'zod';
import { MIN_ROLLOUT_EPISODES } from '../engine/evaluate';
import { MAX_SEED } from '../engine/experiment';
import { experimentDescription, experimentName } from '../engine/experiment-text';
import { MAX_SWEEP, NOT_FIELDS } from '../engine/sweep';
import { EXPERIMENT_SORTS, MAX_RESULTS_FILE_BYTES } from './dto';
import type {
  ResultsExport,
  ResultsImport,
  AppInfo,
  CancelResult,
  Catalog,
  CompareResult,
  ExperimentCheck,
  ExperimentDetail,
  ExperimentFileResult,
  ExperimentNaming,
  ExperimentNotes,
  ExperimentPage,
  ExperimentSummary,
  LogsEvaluation,
  LogsInspection,
  LogsSimulator,
  PolicyEvaluationResult,
  PolicyExport,
  PolicySummary,
  QTable,
  RunDetail,
  RunPage,
  RunStatus,
  Series,
  ValidationResult,
} from './dto';

const id = z.number({ error: 'must be a numeric id' }).int({ error: 'must be a whole-number id' }).positive({ error: 'must be a positive id' });
const ids = z.array(id).max(1000, { error: 'at most 1000 ids at once' });
/** A file's text, at most `max` characters (said in Mi, the unit the limits are set in: 64 Mi characters, not "67.108864 MB"). */
const text = (max: number, what: string) =>
  z.string({ error: `must be the ${what} as text` }).max(max, { error: `is larger than the ${what} limit of ${Math.round(max / 2 ** 20)} Mi characters: use a smaller file, or the aisle command, which reads larger ones` });
const maxPoints = z.number().int().min(10).max(10_000).default(2000);
/**
 * A read's `onlyStored` (see OnlyStoredRead): true, or left out. Only true, so that the answer's
 * type follows from the input's (Client.call, useCall): asked with a boolean variable, it could be
 * either. `does` says what it changes, for the refusal of anything else.
 */
const onlyStoredFlag = (does: string) => z.literal(true, { error: `give true (${does}), or leave it out` }).optional();
const onlyStored = onlyStoredFlag('answer RunNotStored for a run no longer stored');
/** The longest value a logs filter (`where`) names: a column's value longer than this cannot be filtered on. */
export const MAX_FILTER_VALUE = 1000;
const columnName = z.string().min(1, { error: 'must name a column' }).max(1000);
/** Rows whose column holds the value, for every pair. */
const rowFilter = z.record(columnName, z.string().max(MAX_FILTER_VALUE)).refine((w) => Object.keys(w).length <= 100, { error: 'at most 100 columns' });
/**
 * A logs file's column per role; absent: the default name; context null: the logs have no context;
 * propensity null: none (a simulator's fit does without; an evaluation is refused, naming it).
 */
const logColumns = z
  .object({ action: columnName.optional(), reward: columnName.optional(), propensity: columnName.nullable().optional(), context: columnName.nullable().optional() })
  .strict()
  .default({});
/** A name the caller gives a long task, to follow and stop it by. */
const evaluationId = z.string().min(1, { error: 'must name the evaluation' }).max(100);
/** How long a named logs.evaluate whose every page went (reloaded, closed) goes on for a page to follow it (logs.followEvaluation), and its answer is kept if it ends meanwhile. */
export const EVALUATION_GRACE_MS = 30_000;
/** 1 row in k held out (each row by a seeded draw: holdoutRows), k from 2. */
const holdout = z.number().int().min(2).max(1_000_000);
/** The last p % of the rows held out (lastRows), 0 < p < 100. */
const holdoutLast = z.number().gt(0).lt(100);
/** A holdout is 1 row in k or the last share, not both. */
const oneHoldout = (v: { holdout?: number | undefined; holdoutLast?: number | undefined }) => v.holdout === undefined || v.holdoutLast === undefined;
const oneHoldoutError = { error: 'hold out 1 row in k or the last share of the rows, not both', path: ['holdoutLast'] };
/** The longest metric name runs.metrics and compare.runs take. */
export const MAX_METRIC = 200;

/** The longest search experiments.page and runs.list take (a name has at most 200 characters). */
export const MAX_SEARCH = 200;

/** At most this many swept fields: two values each already make 64 experiments from six. */
export const MAX_SWEEP_FIELDS = 8;
/** A field of the experiment: its parts, or one text of parts joined by dots (agent.alpha). */
const sweepPath = z
  .union([z.array(z.string().max(200)).min(1).max(10), z.string().max(1000)], { error: 'must be a field of the experiment: ["agent", "alpha"] or "agent.alpha"' })
  .refine((p) => (typeof p === 'string' ? p.split('.') : p).every((part) => part !== '' && !NOT_FIELDS.has(part)), {
    error: 'must name a field of the experiment: parts that are not empty, joined by dots (agent.epsilon.end)',
  });
const sweepValue = z.union([z.number(), z.boolean(), z.string().max(1000), z.null()], { error: 'must be a number, true or false, a text or null' });
/** Fields of the experiment and the values each takes: an experiment per combination (at most MAX_SWEEP). */
const sweep = z
  .array(z.object({ path: sweepPath, values: z.array(sweepValue).min(1, { error: 'give at least one value' }).max(MAX_SWEEP) }).strict())
  .min(1, { error: 'give at least one field to sweep' })
  .max(MAX_SWEEP_FIELDS, { error: `at most ${MAX_SWEEP_FIELDS} fields in one sweep` });
/**
 * A random search's sweep (the app's Random search): each field's values are its draws, one per
 * trial, all as many, no two trials the same values; experiment t takes value t of every field
 * rather than one per combination.
 */
const paired = z.boolean().optional();
const status = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused']);

/** 64 MB: the largest file the app imports over the contract (an MDP of ~1M transitions). */
export const MAX_FILE_CHARS = 64 * 1024 * 1024;

/**
 * The most bytes a file of MAX_FILE_CHARS characters takes in UTF-8, a byte-order mark besides:
 * the contract counts UTF-16 units, each at most 3 bytes (a 4-byte character is 2 units). A file
 * past it is refused by its size, unread (the desktop app's reading of a picked file, Off-policy's logs).
 */
export const MAX_FILE_BYTES = 3 * MAX_FILE_CHARS + 3;

export const commands = {
  'app.info': z.object({}).strict(),
  'catalog.get': z.object({}).strict(),

  /**
   * Checks an experiment object (from the form or the JSON view); MDPs must be inline. With a
   * `sweep`, every experiment it makes is checked too (problems under `sweep[i]`, the field they
   * come from), as experiments.launchSweep would launch them. `withoutFiles`: the reply's experiment
   * leaves out env's inline file parameters (an `mdp`), which the caller holds: the form checks at
   * every edit, and echoing a 4.5 MB MDP took ~50 ms to write and longer to read back.
   * `heldFiles` (digest → file): files the experiment names as `{ "$inlineFile": digest }` in a file
   * parameter's place, sent once; the service keeps the last few (held-files.ts), so the form's next
   * checks name its MDP by digest alone. A digest it does not hold is a problem, with `unheldFiles`
   * in the reply: send those files again.
   */
  'experiments.validate': z
    .object({ experiment: z.unknown(), sweep: sweep.optional(), paired, withoutFiles: z.boolean().optional(), heldFiles: z.record(z.string().max(100), z.unknown()).optional() })
    .strict(),
  /**
   * Parses an experiment file's text. `files` maps file names to their text so relative file
   * parameters (an `mdp` path) resolve when the user picked them together. A fittedTo recorded for
   * another environment is left out, and `fitDropped` says so, as experiments.validate does. A
   * file refused for its values still has the files it names read, for the form (`namedFiles`,
   * ExperimentFileResult).
   */
  'experiments.parseFile': z
    .object({ text: text(MAX_FILE_CHARS, 'file'), fileName: z.string().max(1000), files: z.record(z.string(), text(MAX_FILE_CHARS, 'file')).default({}) })
    .strict(),
  /** One of the catalog's presets, with the files it names inline (as experiments.parseFile gives it). */
  'presets.load': z.object({ file: z.string().max(200) }).strict(),
  /** Parses an `aisle.mdp/v1` file's text and returns it (for an inline `mdp` in the form). */
  'mdp.parseFile': z.object({ text: text(MAX_FILE_CHARS, 'file'), fileName: z.string().max(1000) }).strict(),
  /**
   * `repeat`: the experiment repeats a stored one (Run again), so its name is checked again in the
   * transaction that stores it and renumbered if another launch took it meanwhile ("cliff (3)").
   */
  'experiments.launch': z.object({ experiment: z.unknown(), source: z.string().max(1000).optional(), repeat: z.boolean().optional() }).strict(),
  /**
   * `aisle run --set` in the app: an experiment per combination of the sweep's values, each named
   * with its values, all checked before any is stored and recorded together. A command of its own
   * rather than an option of experiments.launch, whose reply names one experiment: each reply keeps
   * one shape. experiments.validate takes the same sweep, since its reply (problems, or the
   * experiment) does not change shape.
   */
  'experiments.launchSweep': z.object({ experiment: z.unknown(), sweep, paired, source: z.string().max(1000).optional(), repeat: z.boolean().optional() }).strict(),
  /**
   * Every experiment, newest first; with `ids`, only those of them that are stored (what a screen
   * reads again after runs of a few experiments changed status, rather than every experiment).
   */
  'experiments.list': z.object({ ids: ids.optional() }).strict(),
  /**
   * One page of the experiments whose name, description, environment or agent holds `search` (any
   * script's case, accents aside; or whose number it is, "12" or "#12"), sorted and paged in SQL as
   * runs.list pages runs: what the Experiments screen reads rather than every experiment.
   */
  'experiments.page': z
    .object({
      search: z.string().max(MAX_SEARCH).optional(),
      sort: z.enum(EXPERIMENT_SORTS).default('id'),
      descending: z.boolean().default(true),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  /**
   * Every experiment's number, name, environment and creation time, newest first, without its run
   * counts or other fields (what Policies' Evaluate offers); with `repeatsOf`, only those whose name
   * a repeat of an experiment of that name is numbered apart from (againName: "<name> (n)", with or
   * without a sweep's values after it), for Run again's draft.
   */
  'experiments.names': z.object({ repeatsOf: z.string().max(1000).optional() }).strict(),
  'experiments.get': z.object({ id }).strict(),
  'experiments.delete': z.object({ id }).strict(),
  /**
   * Deletes several experiments, with their runs, in one transaction: all of them, or none when one
   * is unknown (404) or has a queued or running run (409, naming every such run and what ends it).
   * A command of its own, as runs.delete takes several, since experiments.delete's reply names one.
   */
  'experiments.deleteMany': z.object({ ids: ids.min(1, { error: 'give at least one experiment id' }) }).strict(),
  /**
   * Renames an experiment or changes its description ("" removes it), with the limits a file's
   * name and description have. What its runs compute, and so its config hash, stays.
   */
  'experiments.update': z
    .object({ id, name: experimentName.optional(), description: experimentDescription.optional() })
    .strict()
    .refine((v) => v.name !== undefined || v.description !== undefined, { error: 'give a name or a description to change' }),
  /**
   * `aisle results export` in the app: the experiments with everything their runs own, as an
   * aisle.results/v1 file (a SQLite database) in base64, to save. 404 for an unknown id, 400 while
   * one of their runs is queued or running.
   */
  'experiments.exportResults': z.object({ ids: ids.min(1, { error: 'give at least one experiment id' }) }).strict(),
  /**
   * `aisle results import`: an aisle.results/v1 file's bytes in base64, imported in one transaction
   * with new ids; an experiment already stored is not imported again. A file that is not one, is
   * damaged or from a newer Aisle, or whose rows do not hold what Aisle reads, is answered
   * `{ ok: false, problems }` naming `fileName`, nothing stored: the user's file refused, as
   * policies.import and logs.inspect answer theirs, not a failed call (over HTTP a 400, which the
   * browser logged in its console as a failed resource).
   */
  'experiments.importResults': z.object({ base64: text((MAX_RESULTS_FILE_BYTES / 3) * 4, 'results file'), fileName: z.string().min(1).max(1000) }).strict(),

  'runs.list': z
    .object({
      experimentId: id.optional(),
      status: z.array(status).optional(),
      search: z.string().max(MAX_SEARCH).optional(),
      /** Only runs that stored a Q-table ('qtable'), or anything a policy exports from ('any': a Q-table or a network). */
      stored: z.enum(['qtable', 'any']).optional(),
      sort: z.enum(['id', 'createdAt', 'startedAt', 'finishedAt', 'episodesDone', 'status', 'returnLast100', 'seed', 'elapsed', 'experiment', 'agent', 'env']).default('id'),
      descending: z.boolean().default(true),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  /** With `onlyStored`, a run no longer stored (deleted meanwhile) answers RunNotStored rather than 404 (see OnlyStoredRead). */
  'runs.get': z.object({ id, onlyStored }).strict(),
  'runs.cancel': z.object({ ids }).strict(),
  /** Stops a queued or running run between two episodes, keeping its checkpoint: it is then paused. */
  'runs.pause': z.object({ id }).strict(),
  /** Queues a paused, cancelled or interrupted run to continue from its checkpoint. */
  'runs.resume': z.object({ id }).strict(),
  'runs.delete': z.object({ ids }).strict(),
  /** Which of these runs are still stored: a selection forgets those deleted elsewhere (another window, `aisle delete`). */
  'runs.stored': z.object({ ids }).strict(),
  /**
   * Downsampled series of one metric for several runs (≤ maxPoints points each). With `onlyStored`, a
   * run no longer stored (deleted meanwhile) has no series in the answer rather than a 404: Run
   * detail's curve reads ask so, and learn from the answer that their run was deleted.
   */
  'runs.metrics': z
    .object({
      runIds: ids,
      metric: z.string().min(1).max(MAX_METRIC),
      maxPoints,
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      onlyStored: onlyStoredFlag('leave a run no longer stored out of the answer'),
    })
    .strict(),
  /** Every stored per-episode metric of a run as CSV (episode, then one column per metric). */
  'runs.metricsCsv': z.object({ id }).strict(),
  /** The runs whose results wait for a database another process is writing to now (a page opened meanwhile asks; `run.storage` says what changes). */
  'runs.waitingForDatabase': z.object({}).strict(),

  /** Groups the runs (or the runs of the experiments) by config hash and summarises them. */
  'compare.runs': z
    .object({
      runIds: ids.default([]),
      experimentIds: ids.default([]),
      metric: z.string().min(1).max(MAX_METRIC).default('return'),
      band: z.enum(['ci95', 'minmax']).default('ci95'),
      maxPoints,
      /** Final performance = mean of the metric over the last `finalWindow` episodes of each run. */
      finalWindow: z.number().int().min(1).max(1_000_000).default(100),
      /** As `aisle compare --seed` takes it (see logs.evaluate's). */
      seed: z.number().int().min(0).max(MAX_SEED).default(0),
      /**
       * A run named in `runIds` with no stored episodes (queued, or stopped before its first):
       * 'refuse' (`aisle compare --runs`), or 'leaveOut', compared without it and named in the
       * result's `withoutEpisodes` (the app's Compare, whose address may name one).
       */
      withoutEpisodes: z.enum(['refuse', 'leaveOut']).default('refuse'),
      /**
       * A `metric` that not every compared run records: 'refuse' (`aisle compare --metric`), or
       * 'return', compared on return instead, the result's `metric` saying so (the app's Compare,
       * whose address may name one: asked on its own it answered 400, which the browser logged).
       */
      unrecordedMetric: z.enum(['refuse', 'return']).default('refuse'),
      /** Compare every pair unpaired (Mann–Whitney), even runs on one environment and the same seeds (`aisle compare --unpaired`). */
      unpaired: z.boolean().default(false),
      /**
       * A run in `runIds` or an experiment in `experimentIds` no longer stored (deleted while the
       * read was under way: another window, `aisle delete`) is left out and named in the result's
       * `notStored`, rather than a 404 (the app's Compare; see OnlyStoredRead).
       */
      onlyStored: onlyStoredFlag('leave out runs and experiments no longer stored, naming them in notStored'),
    })
    .strict(),

  /**
   * A run's Q-table at a checkpoint (the final one when omitted). With `onlyStored`, a run no longer
   * stored (deleted meanwhile) answers RunNotStored rather than 404; an unknown checkpoint of a stored
   * run is 404 all the same (see OnlyStoredRead).
   */
  'qtables.get': z.object({ runId: id, checkpointId: id.optional(), onlyStored }).strict(),

  'policies.export': z.object({ runId: id, name: z.string().max(500).optional() }).strict(),
  'policies.import': z.object({ text: text(MAX_FILE_CHARS, 'policy file'), fileName: z.string().max(1000) }).strict(),
  'policies.list': z.object({}).strict(),
  'policies.get': z.object({ id }).strict(),
  'policies.delete': z.object({ id }).strict(),
  /** The dependency-free policy runtime (out/runtime/runtime.js) as a file to save. */
  'policies.runtime': z.object({}).strict(),
  /** Evaluates a stored policy on an experiment's environment (stored, or given inline). */
  'policies.evaluate': z
    .object({
      policyId: id,
      experimentId: id.optional(),
      experiment: z.unknown().optional(),
      episodes: z.number().int().min(MIN_ROLLOUT_EPISODES).max(1_000_000).default(1000),
      /** As `aisle eval --seed` takes it (see logs.evaluate's). */
      seed: z.number().int().min(0).max(MAX_SEED).default(0),
    })
    .strict(),

  /**
   * The stored experiments' environments the policy can be evaluated on: each with the refusal
   * policies.evaluate would give there (another number of actions, states or features), else null;
   * and whether the one it was trained on (none named) can be found here.
   */
  'policies.fits': z.object({ policyId: id }).strict(),
  /**
   * The stored policies that can be a target on logs with these actions: each with the refusal
   * logs.evaluate would give (none of its actions is logged), else null.
   */
  'policies.fitLogs': z.object({ actions: z.array(z.string().max(1000)).max(100_000) }).strict(),

  /** A logs CSV's columns, the distinct values of the few-valued ones, and the columns each role would take by default. */
  'logs.inspect': z.object({ text: text(MAX_FILE_CHARS, 'logs file'), fileName: z.string().max(1000) }).strict(),
  /** Off-policy evaluation: how each target policy would have done on the logged rows `where` selects (nothing is stored). */
  'logs.evaluate': z
    .object({
      text: text(MAX_FILE_CHARS, 'logs file'),
      fileName: z.string().max(1000),
      where: rowFilter.default({}),
      columns: logColumns,
      targets: z
        .array(
          z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('uniform') }).strict(),
            z.object({ kind: z.literal('action'), action: z.string().min(1, { error: 'needs the action label' }).max(1000) }).strict(),
            z.object({ kind: z.literal('logs'), where: rowFilter }).strict(),
            z.object({ kind: z.literal('policy'), policyId: id, positions: z.boolean().optional() }).strict(),
          ]),
        )
        .min(1, { error: 'give at least one policy to evaluate' })
        .max(10, { error: 'at most 10 targets at once' }),
      resamples: z.number().int().min(10).max(100_000).default(1000),
      confidence: z.number().min(0.5).max(0.999).default(0.95),
      /** As `aisle ope --seed` takes it: the generator keeps a seed's low 32 bits, so a larger one would repeat one of these. */
      seed: z.number().int().min(0).max(MAX_SEED).default(0),
      prior: z.number().min(0).max(1e6).default(1),
      /** DR's cross-fitting folds (1: none). */
      folds: z.number().int().min(1).max(10).default(3),
      /** Evaluate on the kept rows a holdout (1 in k, or the last p %) sets aside only: those a simulator fitted with the same holdout left out. */
      holdout: holdout.optional(),
      holdoutLast: holdoutLast.optional(),
      /** The caller's name for this evaluation, unique among those under way: its `logs.progress` events carry it, and logs.cancelEvaluation stops it by it. */
      evaluationId: evaluationId.optional(),
    })
    .strict()
    .refine(oneHoldout, oneHoldoutError),
  /**
   * Stops the logs.evaluate under way named `evaluationId` (its worker terminated): that call
   * answers `{ ok: false, problems: [], cancelled: true }`. 404 when none is under way by that name (it finished,
   * or never started).
   */
  'logs.cancelEvaluation': z.object({ evaluationId }).strict(),
  /**
   * Follows the logs.evaluate named `evaluationId` from a page loaded again (reloaded, or its window
   * reloaded): answers what that call answers, its `logs.progress` events going on meanwhile. An
   * evaluation whose every page went is kept going for EVALUATION_GRACE_MS for one to follow it,
   * and its answer, if it ends meanwhile, kept as long. 404 when there is none by that name.
   */
  'logs.followEvaluation': z.object({ evaluationId }).strict(),
  /** A simulator fitted to the rows `where` keeps (all but those the holdout sets aside): the logs' contextual bandit as an aisle.mdp/v1 file (nothing is stored). */
  'logs.simulator': z
    .object({
      text: text(MAX_FILE_CHARS, 'logs file'),
      fileName: z.string().max(1000),
      where: rowFilter.default({}),
      columns: logColumns,
      prior: z.number().min(0).max(1e6).default(1),
      holdout: holdout.optional(),
      holdoutLast: holdoutLast.optional(),
    })
    .strict()
    .refine(oneHoldout, oneHoldoutError),
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<K extends CommandName> = z.input<(typeof commands)[K]>;
export type ParsedInput<K extends CommandName> = z.output<(typeof commands)[K]>;

export interface CommandOutputs {
  'app.info': AppInfo;
  'catalog.get': Catalog;
  'experiments.validate': ExperimentCheck;
  'experiments.parseFile': ExperimentFileResult;
  'presets.load': ValidationResult;
  'mdp.parseFile': { ok: true; mdp: unknown; name: string | null; states: number; actions: number } | { ok: false; problems: readonly string[] };
  /**
   * One run per seed, in the seeds' order. The notes are validate's for the experiment launched: a
   * script that launches without validating first still learns what was probably not meant, and
   * that a stale fittedTo was not stored (`fitDropped`).
   */
  'experiments.launch': { experimentId: number; runIds: readonly number[] } & ExperimentNotes;
  /** Every experiment of the sweep, in the order of its combinations (the first field's values changing slowest), with the notes of them all. */
  'experiments.launchSweep': { experiments: readonly { experimentId: number; name: string; runIds: readonly number[] }[] } & ExperimentNotes;
  'experiments.list': readonly ExperimentSummary[];
  'experiments.page': ExperimentPage;
  'experiments.names': readonly Pick<ExperimentSummary, 'id' | 'name' | 'envId' | 'createdAt'>[];
  'experiments.get': ExperimentDetail;
  'experiments.delete': { deleted: number };
  'experiments.deleteMany': { deleted: readonly number[] };
  /** The experiment as it now reads (description null: it has none). */
  'experiments.update': ExperimentNaming;
  'experiments.exportResults': ResultsExport;
  'experiments.importResults': ({ ok: true } & ResultsImport) | { ok: false; problems: readonly string[] };
  'runs.list': RunPage;
  'runs.get': RunDetail;
  'runs.cancel': CancelResult;
  /** The run asked to pause: a queued one is paused at once, a running one after the episodes under way. */
  'runs.pause': { runId: number };
  /** The run queued again, and the episode it continues at. */
  'runs.resume': { runId: number; experimentId: number; episode: number };
  'runs.delete': { deleted: readonly number[] };
  /** The ids given that are stored, ascending. */
  'runs.stored': readonly number[];
  'runs.metrics': readonly Series[];
  'runs.metricsCsv': { fileName: string; text: string; episodes: number; metrics: readonly string[] };
  /** `writer`: who holds the database when it is this app ("this app is importing results (night.aisle-results)"); absent: another Aisle process. */
  'runs.waitingForDatabase': readonly { runId: number; writer?: string }[];
  'compare.runs': CompareResult;
  'qtables.get': QTable;
  'policies.export': PolicyExport;
  /**
   * `alreadyStored`: the very same file was stored before (imported, or exported here): not stored again, and `policy` is that one.
   * `warnings`: what `aisle eval` of the file would warn of (its settings edited since export), in its words; said whether stored now or before.
   */
  'policies.import': { ok: true; policy: PolicySummary; alreadyStored: boolean; warnings: readonly string[] } | { ok: false; problems: readonly string[] };
  'policies.list': readonly PolicySummary[];
  'policies.get': PolicySummary & { text: string };
  'policies.delete': { deleted: number };
  'policies.runtime': { fileName: string; text: string };
  'policies.evaluate': PolicyEvaluationResult;
  /**
   * `own`: why Evaluate on the environment the policy was trained on (no experiment named) would be
   * refused (an MDP's policy without its run here whose MDP no run or experiment here is on), else
   * null; `experiments`: each experiment's refusal, else null.
   */
  'policies.fits': { own: string | null; experiments: readonly { experimentId: number; problem: string | null }[] };
  'policies.fitLogs': readonly { policyId: number; problem: string | null }[];
  'logs.inspect': ({ ok: true } & LogsInspection) | { ok: false; problems: readonly string[] };
  /** `cancelled`: stopped by logs.cancelEvaluation before it finished (nothing went wrong: `problems` is empty). */
  'logs.evaluate': { ok: true; result: LogsEvaluation } | { ok: false; problems: readonly string[]; cancelled?: true };
  'logs.cancelEvaluation': { evaluationId: string };
  'logs.followEvaluation': CommandOutputs['logs.evaluate'];
  'logs.simulator': ({ ok: true } & LogsSimulator) | { ok: false; problems: readonly string[] };
}

export type CommandOutput<K extends CommandName> = CommandOutputs[K];

/** Pushes from the main process. */
export interface EventPayloads {
  'run.status': { runId: number; experimentId: number; status: RunStatus; error?: string };
  /** At most ~10 per second per run. */
  'run.progress': { runId: number; episodesDone: number; episodesTotal: number };
  /**
   * The run's results wait for a database another process is writing to (`waiting: true`, after
   * about a second; training goes on), or they are written and it no longer waits (`false`).
   * `writer`: who holds the database when it is this app ("this app is importing results
   * (night.aisle-results)"); absent: another Aisle process, or not known.
   */
  'run.storage': { runId: number; waiting: boolean; writer?: string };
  'experiments.changed': { experimentId: number };
  /**
   * The stored policies changed: one stored (exported or imported), deleted, or left without its
   * run (the run deleted). Which is not said: the list is read again whole.
   */
  'policies.changed': Record<string, never>;
  /**
   * How far a logs.evaluate given an `evaluationId` has resampled (OpeProgress: over every target,
   * a `logs` target's truth counting its resamples again), at most ~10 per second and at its end.
   */
  'logs.progress': { evaluationId: string; done: number; total: number; target: number; targets: number };
}

export type EventName = keyof EventPayloads;
export { EVENT_NAMES } from './events';

/** An error as it crosses the contract. `problems` lists each invalid field for inline messages. */
export interface ContractError {
  readonly name: string;
  readonly message: string;
  readonly problems?: readonly string[];
  /** 400 invalid input, 404 unknown id, 409 conflict (e.g. deleting a running run), 500 a bug, 503 too busy (too many tasks waiting: evaluations, imports, exports…, or the database locked by another process: try again). */
  readonly status: 400 | 404 | 409 | 500 | 503;
}

export type Reply<K extends CommandName> = { ok: true; value: CommandOutput<K> } | { ok: false; error: ContractError };

/**
 * The reads of one run that take `onlyStored`. A read under way when its run is deleted (another
 * window, `aisle delete`) answered 404, which the browser mode's page logged in its console as a
 * failed resource; asked with onlyStored, it answers RunNotStored instead, in the same call (no
 * question before each read), and the screen says the run was deleted. Without it, as before.
 * (runs.metrics and compare.runs take the flag too: their answers then leave the run out, and
 * compare.runs' names it, and an experiment no longer stored, in `notStored`.)
 */
export type OnlyStoredRead = 'runs.get' | 'qtables.get';

/** What a read of OnlyStoredRead asked with onlyStored answers when its run is not stored: that run's id. */
export interface RunNotStored {
  readonly runNotStored: number;
}

/** What a handler answers: a read of OnlyStoredRead may answer RunNotStored (asked with onlyStored). */
export type HandlerOutput<K extends CommandName> = K extends OnlyStoredRead ? CommandOutput<K> | RunNotStored : CommandOutput<K>;

/** The implementation side: one handler per command, receiving the parsed input. */
/** What a door tells a handler about one call: `signal` aborts when the client has gone (browser mode: the request's connection closed). */
export interface CallContext {
  readonly signal?: AbortSignal;
}

export type Handlers = { [K in CommandName]: (input: ParsedInput<K>, call: CallContext) => HandlerOutput<K> | Promise<HandlerOutput<K>> };

export function isCommand(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
