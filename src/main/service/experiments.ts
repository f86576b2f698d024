/**
 * The catalog and experiments: checking an experiment from the form or a file (problems, never
 * throws, each line starting with its JSON path), launching it on the lab, listing, renaming and
 * deleting.
 */
import * as z from 'zod';
import { experimentJsonSchema, experimentWarnings, parseExperiment, readFileParams, type Experiment, type filesLeftOut } from '../../engine/experiment';
import { agents, environments, findEnvironment } from '../../engine/registry';
import { mdpToFile, parseMdp } from '../../engine/mdp/format';
import { ValidationError } from '../../engine/params';
import { jsonSchemaOf } from '../../engine/json-schema';
import { appProblemText, inertIn, inertText, overlappingAxes, shortNames, sweepExperiments, sweptValues, tooLarge, unsweepable, valueText, type Blame, type SweepAxis } from '../../engine/sweep';
import { trialCombinations } from '../../engine/sweep-sample';
import { repeatedValue } from '../../engine/sweep-values';
import { sweepStorageWarnings } from '../../engine/storage-estimate';
import type { Handlers, ParsedInput } from '../../shared/contract';
import { ContractFailure } from '../../shared/dispatch';
import type { Catalog, CatalogEntry, ExperimentDetail, ExperimentFileResult, ExperimentNotes, ExperimentSummary, ExperimentWithoutFiles, JsonSchema, RunStatus, RunWithStatus, ValidationResult } from '../../shared/dto';
import { parseJsonText } from '../../shared/json-text';
import { repeatNamesPrefix, takesRepeatNumber } from '../../shared/again-name';
import { withoutStaleFit } from '../fitted-env';
import type { ExperimentListEntry, Store } from '../store';
import { recoverDeadOwners, type ServiceContext } from './context';
import { heldFiles } from './held-files';
import { presetFiles, presets } from './presets';
import { exportedFromAny, trainedElsewhere, whyNotDeleted, type PoolState } from './runs';

type ExperimentHandlers = Pick<
  Handlers,
  | 'catalog.get'
  | 'experiments.validate'
  | 'experiments.parseFile'
  | 'presets.load'
  | 'mdp.parseFile'
  | 'experiments.launch'
  | 'experiments.launchSweep'
  | 'experiments.list'
  | 'experiments.page'
  | 'experiments.names'
  | 'experiments.get'
  | 'experiments.update'
  | 'experiments.delete'
  | 'experiments.deleteMany'
>;

const ACTIVE: readonly RunStatus[] = ['queued', 'running'];

export function experimentHandlers(ctx: ServiceContext): ExperimentHandlers {
  const { store } = ctx;
  let catalog: Catalog | undefined;
  const held = heldFiles();
  return {
    'catalog.get': () => (catalog ??= buildCatalog()),

    'experiments.validate': ({ experiment: given, sweep, paired, withoutFiles, heldFiles: sent }) => {
      const { experiment, unheld } = held.resolve(given, sent);
      // Not held (a restarted service, or one evicted by other checks): the caller sends the file again.
      if (unheld.length > 0) {
        return { ok: false, problems: unheld.map((u) => `${u.path}: names the file ${u.digest} by its digest, which this service does not hold: send it in heldFiles`), unheldFiles: unheld.map((u) => u.digest) };
      }
      const reply = (checked: Experiment): Experiment | ExperimentWithoutFiles => (withoutFiles ? withoutInlineFiles(checked) : checked);
      if (sweep === undefined) {
        const checked = validateExperiment(experiment);
        return checked.ok ? { ...checked, experiment: reply(checked.experiment) } : checked;
      }
      const checked = checkSweep(experiment, sweep, paired === true);
      if (!checked.ok) return checked;
      const runs = checked.experiments.reduce((n, e) => n + e.experiment.seeds.length, 0);
      return { ok: true, experiment: reply(checked.base), ...checked.notes, sweep: { experiments: checked.experiments.length, runs } };
    },

    'experiments.parseFile': ({ text, fileName, files }) => {
      const read = new Map<string, unknown>(); // each named file parsed once, for both readings below
      const readJson = (path: string): unknown => {
        if (!read.has(path)) read.set(path, readGivenFile(path, fileName, files));
        return read.get(path);
      };
      let raw: unknown;
      const parsed = problemsOrValue(
        // A file written before a newer rule (a rising ε) opens in the form, which then says under
        // the field what launching it needs, rather than refusing the whole file.
        () => parseExperiment((raw = parseJsonText(text, fileName)), { readJson, stored: true }),
        // A file whose env was edited by hand after the fit: its fittedTo goes now, with the form's note, not at the form's next check.
        (experiment): ExperimentFileResult => ({ ok: true, ...checkedToLaunch(experiment) }),
      );
      if (parsed.ok) return parsed;
      // Refused for its values (alpha 7), the file opens in the form: the files it names go with it,
      // read and checked as a valid file's are; one missing or malformed refuses it, said as such.
      const named = readFileParams(raw, readJson);
      if (named.problems.length > 0) return { ok: false, problems: [...parsed.problems, ...named.problems.filter((p) => !parsed.problems.includes(p))] };
      return Object.keys(named.files).length > 0 ? { ...parsed, namedFiles: named.files } : parsed;
    },

    'presets.load': ({ file }) => {
      const text = presets.some((p) => p.file === file) ? presetFiles[file] : undefined;
      if (text === undefined) throw new ContractFailure(`no preset "${file}": pick one of ${presets.map((p) => p.file).join(', ')}`, 404);
      return problemsOrValue(
        () => parseExperiment(parseJsonText(text, file), { readJson: (path) => readGivenFile(path, file, presetFiles) }),
        (experiment) => ({ ok: true, experiment, warnings: experimentWarnings(experiment) }),
      );
    },

    'mdp.parseFile': ({ text, fileName }) =>
      problemsOrValue(
        () => mdpToFile(parseMdp(parseJsonText(text, fileName), 'mdp')),
        (mdp) => ({
          ok: true,
          mdp,
          name: mdp.name ?? null,
          states: typeof mdp.states === 'number' ? mdp.states : mdp.states.length,
          actions: typeof mdp.actions === 'number' ? mdp.actions : mdp.actions.length,
        }),
      ),

    'experiments.launch': ({ experiment, source, repeat }) => {
      const checked = validateExperiment(experiment);
      if (!checked.ok) throw new ValidationError(checked.problems);
      const { experiment: launchable, ok: _ok, ...notes } = checked;
      const [launched] = ctx.launchAll([launchable], source ?? 'app', repeat === true);
      ctx.emit('experiments.changed', { experimentId: launched!.experimentId });
      return { experimentId: launched!.experimentId, runIds: launched!.runIds, ...notes };
    },

    'experiments.launchSweep': ({ experiment, sweep, paired, source, repeat }) => {
      const checked = checkSweep(experiment, sweep, paired === true);
      if (!checked.ok) throw new ValidationError(checked.problems);
      const experiments = checked.experiments.map((e) => e.experiment);
      // Every experiment recorded in one transaction: a failed write leaves none.
      const launched = ctx.launchAll(experiments, source ?? 'app', repeat === true);
      for (const { experimentId } of launched) ctx.emit('experiments.changed', { experimentId });
      // Each under the name it was stored with: a repeat's is picked in the transaction.
      return { experiments: launched.map(({ experimentId, name, runIds }) => ({ experimentId, name, runIds })), ...checked.notes };
    },

    // Each in one snapshot (Store.snapshot), as experiments.get: the experiments' rows, their runs'
    // counts, the page's total and the runs an active one's summary reads are of one moment.
    'experiments.list': ({ ids }) =>
      store.snapshot(() => {
        const entries = store.listExperimentEntries(ids);
        return summaries(ctx, entries, ids === undefined);
      }),

    'experiments.page': ({ search, sort, descending, offset, limit }) =>
      store.snapshot(() => {
        const page = store.listExperimentPage({ ...(search !== undefined ? { search } : {}), sort, descending, offset, limit });
        return { total: page.total, stored: page.stored, experiments: summaries(ctx, page.experiments, false) };
      }),

    'experiments.names': ({ repeatsOf }) =>
      repeatsOf === undefined ? store.experimentNames() : store.experimentNames(repeatNamesPrefix(repeatsOf)).filter((e) => takesRepeatNumber(repeatsOf, e.name)),

    // In one snapshot (Store.snapshot): an experiment another process deletes meanwhile (`aisle
    // delete` beside the app) is read with its runs, or is 404; its row and runs read apart, one
    // deleted in between was answered without runs.
    'experiments.get': ({ id }) =>
      store.snapshot(() => {
        const row = store.getExperiment(id);
        const runs = store.experimentRuns(id);
        const config = row.config as Experiment;
        const detail: ExperimentDetail = {
          ...toSummary(
            {
              id: row.id,
              name: row.name,
              configHash: row.configHash,
              source: row.source,
              createdAt: row.createdAt,
              envId: config.env?.id ?? '',
              agentId: config.agent?.id ?? '',
              episodes: config.episodes ?? 0,
              seeds: config.seeds?.length ?? 0,
              description: typeof config.description === 'string' ? config.description : null,
              runCounts: countStatuses(runs),
            },
            runs.filter(trainedElsewhere(ctx)),
          ),
          config,
          runIds: runs.map((r) => r.id),
        };
        return detail;
      }),

    'experiments.update': ({ id, name, description }) => {
      const edited = store.editExperiment(id, { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}) });
      ctx.emit('experiments.changed', { experimentId: id });
      return edited;
    },

    // One refused keeps its own words (experiment 3 has active runs: …); several refused say none was deleted.
    'experiments.delete': ({ id }) => ({ deleted: deleteExperiments(ctx, [id])[0]! }),
    'experiments.deleteMany': ({ ids }) => ({ deleted: deleteExperiments(ctx, ids) }),
  };
}

/**
 * The experiments as lists show them, with the runs another process trains. Runs are read (20,000
 * queued ones take ~50 ms) only when another process can have some: more runs are queued or running
 * than this process holds, counted from the entries when they are every experiment. A run of this
 * one that has ended but not yet left its pool can hide another's until the run.status that follows.
 */
function summaries(ctx: ServiceContext, entries: readonly ExperimentListEntry[], every: boolean): ExperimentSummary[] {
  const { store } = ctx;
  const active = (e: ExperimentListEntry) => e.runCounts.queued + e.runCounts.running;
  const activeRuns = every ? entries.reduce((n, e) => n + active(e), 0) : store.countRuns({ status: ACTIVE });
  const others = activeRuns > ctx.lab.pool.activeRunIds().size;
  const elsewhere = trainedElsewhere(ctx);
  return entries.map((e) => toSummary(e, others && active(e) > 0 ? store.experimentRuns(e.id).filter(elsewhere) : []));
}

/**
 * Deletes the experiments with their runs, all or none: runs a dead process left running no longer
 * hold the delete up; then 404 for an unknown id and 409 while a run is active, before anything is
 * deleted; then one transaction. Pushes the events the screens refresh on.
 */
function deleteExperiments(ctx: ServiceContext, ids: readonly number[]): number[] {
  const { store } = ctx;
  recoverDeadOwners(ctx);
  const experiments = experimentsToDelete(store, ctx.lab.pool, ids);
  const deleted = experiments.map((e) => e.id);
  const unlinksPolicies = exportedFromAny(store, experiments.flatMap((e) => e.runs));
  store.deleteExperiments(deleted);
  ctx.forgetDeleted({ runIds: experiments.flatMap((e) => e.runs.map((r) => r.id)), experimentIds: deleted });
  for (const experimentId of deleted) ctx.emit('experiments.changed', { experimentId });
  if (unlinksPolicies) ctx.emit('policies.changed', {});
  return deleted;
}

interface ExperimentToDelete {
  id: number;
  name: string;
  runs: { id: number; status: RunStatus }[];
}

/**
 * The experiments as experiments.deleteMany and `aisle delete experiment` delete them (each once, in the order given), checked
 * all before any is deleted: NotFoundError for the first
 * unknown id, and one 409 naming every experiment with a queued or running run.
 */
export function experimentsToDelete(store: Store, pool: PoolState, ids: readonly number[]): ExperimentToDelete[] {
  const experiments = [...new Set(ids)].map((id) => ({ id, name: store.getExperiment(id).name, runs: store.experimentRuns(id) }));
  const isActive = (r: { id: number; status: RunStatus }) => ACTIVE.includes(r.status) || pool.isActive(r.id);
  const held = experiments.filter((e) => e.runs.some(isActive));
  if (held.length > 0) {
    const which = held.length === 1 ? `experiment ${held[0]!.id} has` : `experiments ${held.map((e) => e.id).join(', ')} have`;
    const why = whyNotDeleted(held.flatMap((e) => e.runs.filter(isActive)), pool, () => store.otherSessionsAlive());
    // Deleting several, the others stay too: said, so no one looks for which went.
    const none = experiments.length > 1 ? `none of the ${experiments.length} experiments was deleted: ` : '';
    throw new ContractFailure(`${none}${which} active runs: ${why}`, 409);
  }
  return experiments;
}

/** A sweep as the contract takes it. */
type SweepInput = NonNullable<ParsedInput<'experiments.validate'>['sweep']>;

/**
 * Checks the experiment, then every experiment the sweep makes of it, as launch checks one: the
 * experiment's own problems first (the form shows them on its fields), then the sweep's, each line
 * under the field it comes from (`sweep[1]: alpha = 1.5: must be …`) and said once for all the
 * combinations that share it. `paired`: a random search's draws, experiment t taking value t of
 * every field (the fields' values all as many), a problem said under the field it is in.
 */
function checkSweep(
  raw: unknown,
  sweep: SweepInput,
  paired: boolean,
): { ok: true; base: Experiment; experiments: ({ experiment: Experiment } & ExperimentNotes)[]; notes: ExperimentNotes } | { ok: false; problems: readonly string[] } {
  const base = validateExperiment(raw);
  if (!base.ok) return base;
  const axes: SweepAxis[] = sweep.map(({ path, values }) => ({ path: typeof path === 'string' ? path.split('.') : path, values, texts: values.map(valueText), ...(paired ? { drawn: true } : {}) }));
  const trials = axes[0]!.values.length;
  if (paired && axes.some((a) => a.values.length !== trials)) return { ok: false, problems: ['sweep: a random search draws as many values for every field, one per trial'] };
  const repeat = paired ? repeatedTrial(axes, trials) : undefined;
  if (repeat) {
    // The app's Random search draws no combination twice (sampleValues); a client sending its own draws might.
    const values = sweptValues(axes, trialCombinations(axes.map(() => true), trials)[repeat.second]!);
    return { ok: false, problems: [`sweep: trials ${repeat.first + 1} and ${repeat.second + 1} draw the same values (${values}): two experiments of one setting; draw each trial's values apart`] };
  }
  const large = paired ? undefined : tooLarge(axes);
  if (large !== undefined) return { ok: false, problems: [`sweep: ${large}`] };
  // A client's row for a name, a description or the seeds (the form offers none).
  const fixed = axes.flatMap((a, i) => {
    const why = a.values.length > 1 || paired ? unsweepable(a.path) : undefined;
    return why === undefined ? [] : [`sweep[${i}]: ${a.path.join('.')}: ${why}`];
  });
  if (fixed.length > 0) return { ok: false, problems: fixed };
  // A grid's value given twice makes two experiments alike under one name (the form's rows and
  // `aisle run --set` refuse it as they read the values; a client sending its own might not).
  const twice = paired ? -1 : axes.findIndex((a) => repeatedValue(a.values) !== undefined);
  if (twice !== -1) {
    const axis = axes[twice]!;
    const value = axis.texts[repeatedValue(axis.values)!.again]!;
    return { ok: false, problems: [`sweep[${twice}]: ${shortNames([axis])[0]!} = ${value} is given twice: give each value once (each makes an experiment of its own)`] };
  }
  const overlap = overlappingAxes(axes);
  if (overlap) {
    // Each named as its row is (alpha, epsilon.end), not told apart from the other.
    const [first, second] = [overlap.first, overlap.second].map((i) => shortNames([axes[i]!])[0]!);
    return { ok: false, problems: [`sweep[${overlap.second}]: ${second} is also set by the row of ${first}: give each parameter one row, with all its values`] };
  }
  const swept = sweepExperiments(raw as Record<string, unknown>, axes, parseInline, paired ? trialCombinations(axes.map(() => true), trials) : undefined);
  if (!swept.ok) {
    // A trial's problem names all its values: it goes under the row of the field it is in, if one is.
    const row = (problem: string, blames: readonly Blame[]) => (paired ? Math.max(0, axes.findIndex((a) => problem.startsWith(`${a.path.join('.')}:`))) : blames[0]![0]);
    return { ok: false, problems: swept.problems.flatMap(({ problem, lines }) => lines.map((blames) => `sweep[${row(problem, blames)}]: ${appProblemText(problem, blames, axes)}`)) };
  }
  const experiments = swept.experiments.map((e) => checkedToLaunch(e.experiment));
  // A row whose values the other settings make do nothing (a shop's items beside its catalog): said, as `aisle run --set` says it.
  const ignoring = inertIn(
    experiments.map((e) => e.experiment),
    axes.map((a) => a.path),
  );
  const inert = axes.flatMap((a, i) => (ignoring[i] === undefined ? [] : [`sweep of ${a.path.join('.')}: ${inertText(ignoring[i], a.path, { drawn: paired, values: a.values.length })}`]));
  // The experiments' notes, each said once, and the sweep's own.
  return { ok: true, base: base.experiment, experiments, notes: notesOf([...experiments, { warnings: [...inert, ...sweepStorageWarnings(experiments.map((e) => e.experiment))] }]) };
}

/** The first trial of a random search that takes the same values as an earlier one, and that one. */
function repeatedTrial(axes: readonly SweepAxis[], trials: number): { first: number; second: number } | undefined {
  const seen = new Map<string, number>();
  for (let t = 0; t < trials; t++) {
    const key = JSON.stringify(axes.map((a) => a.values[t]));
    const first = seen.get(key);
    if (first !== undefined) return { first, second: t };
    seen.set(key, t);
  }
  return undefined;
}

/**
 * The notes of several experiments (a sweep's), each said once: the app's launch and validate reply
 * them, `aisle run` prints them. A fittedTo dropped is said once, as the first experiment that drops
 * it words it: the swept env values make each one's fingerprint, and so its words, differ a little.
 */
export function notesOf(experiments: readonly ExperimentNotes[]): ExperimentNotes {
  const fitDropped = experiments.find((e) => e.fitDropped !== undefined)?.fitDropped;
  return { warnings: [...new Set(experiments.flatMap((e) => e.warnings))], ...(fitDropped !== undefined ? { fitDropped } : {}) };
}

/** The notes one a line, as the CLI and the native Import dialog say them: why fittedTo was dropped first. */
export function noteLines(notes: ExperimentNotes): string[] {
  return [...(notes.fitDropped !== undefined ? [notes.fitDropped] : []), ...notes.warnings];
}

/** An experiment object as the app gives it: file parameters must be inline. `stored`: see ParseOptions. */
function parseInline(raw: unknown, stored = false): Experiment {
  return parseExperiment(raw, {
    stored,
    readJson: (path) => {
      throw new ValidationError([
        `"${path}" is a file path, which the app cannot read from here: import the experiment file together with ${baseName(path)} (New experiment → Import) to inline it`,
      ]);
    },
  });
}

/**
 * Checks an experiment object from the form or the JSON view. File parameters must be inline here:
 * the service reads no paths the page names. A fittedTo recorded for another environment is
 * dropped (so Launch stores none), and `fitDropped` says so (checkedToLaunch). `stored`: read for
 * what it holds rather than launched (ParseOptions.stored).
 */
export function validateExperiment(raw: unknown, stored = false): ValidationResult {
  return problemsOrValue(
    () => parseInline(raw, stored),
    (parsed) => ({ ok: true, ...checkedToLaunch(parsed) }),
  );
}

/**
 * The experiment as launching stores it, without a fittedTo recorded for another environment, and
 * what to say about it: the app's check, import and launch and `aisle run` all say it from here.
 */
export function checkedToLaunch(parsed: Experiment): { experiment: Experiment } & ExperimentNotes {
  const { experiment, dropped } = withoutStaleFit(parsed);
  return { experiment, warnings: experimentWarnings(experiment), ...(dropped !== undefined ? { fitDropped: dropped } : {}) };
}

/** The experiment without env's file parameters (tabular-mdp's `mdp`), for a caller that holds them. */
function withoutInlineFiles(experiment: Experiment): ExperimentWithoutFiles {
  const fileParams = new Set(findEnvironment(experiment.env.id)?.fileParams ?? []);
  const env = Object.fromEntries(Object.entries(experiment.env).filter(([key]) => !fileParams.has(key))) as ExperimentWithoutFiles['env'];
  const withoutFiles: Omit<ExperimentWithoutFiles, typeof filesLeftOut> = { ...experiment, env };
  return withoutFiles as ExperimentWithoutFiles; // its mark is the type's alone (see filesLeftOut)
}

/** A ValidationError becomes `{ ok: false, problems }`; anything else is a bug and propagates. */
function problemsOrValue<T, R>(work: () => T, ok: (value: T) => R): R | { ok: false; problems: readonly string[] } {
  let value: T;
  try {
    value = work();
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problems: e.problems };
    throw e;
  }
  return ok(value);
}

/** A file parameter of an experiment file: one of the files picked with it, by path or by name. */
function readGivenFile(path: string, experimentFile: string, files: Readonly<Record<string, string>>): unknown {
  const name = baseName(path);
  const key = Object.prototype.hasOwnProperty.call(files, path) ? path : Object.keys(files).find((k) => baseName(k) === name);
  if (key === undefined) {
    throw new ValidationError([`"${path}" was not among the files given: pick ${name} together with ${baseName(experimentFile)} (select both files when importing)`]);
  }
  return parseJsonText(files[key]!, name);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function buildCatalog(): Catalog {
  const schemaOf = (params: z.ZodType): JsonSchema => jsonSchemaOf(params) as JsonSchema;
  const environmentEntries: CatalogEntry[] = environments.map((def) => ({
    id: def.id,
    title: def.title,
    description: def.description,
    schema: schemaOf(def.params),
    fileParams: def.fileParams ?? [],
    ...(def.paramGroups ? { paramGroups: def.paramGroups } : {}),
  }));
  const agentEntries: CatalogEntry[] = agents.map((def) => ({
    id: def.id,
    title: def.title,
    description: def.description,
    family: def.family,
    keeps: def.keeps,
    schema: schemaOf(def.params),
    fileParams: [],
  }));
  return { environments: environmentEntries, agents: agentEntries, experimentSchema: experimentJsonSchema() as JsonSchema, presets };
}

/** How many of `runs` have each status (an experiment's runCounts). */
export function countStatuses(runs: readonly { status: RunStatus }[]): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0, interrupted: 0, paused: 0 };
  for (const r of runs) counts[r.status]++;
  return counts;
}

function toSummary(e: ExperimentListEntry, elsewhere: readonly RunWithStatus[]): ExperimentSummary {
  return {
    id: e.id,
    name: e.name,
    envId: e.envId,
    agentId: e.agentId,
    episodes: e.episodes,
    seeds: e.seeds,
    configHash: e.configHash,
    source: e.source,
    createdAt: e.createdAt,
    runCounts: e.runCounts,
    elsewhere,
    ...(e.description ? { description: e.description } : {}),
  };
}
