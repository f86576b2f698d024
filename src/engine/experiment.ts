/**
 * The `aisle.experiment/v1` format: an environment, an agent (each an id with its parameters flat
 * beside it), an episode budget and seeds. Parsing fills every default, reads file parameters
 * through a callback (the engine does no I/O), checks that the agent can act in the environment,
 * and reports every problem at once, each line naming its JSON path and the fix.
 */
import * as z from 'zod';
import type { AgentDefinition, EnvDefinition } from './definitions';
import { CONTROL, controlAt, formatIssues, numberSchema, show, ValidationError } from './params';
import { experimentDescription, experimentName } from './experiment-text';
import { wrongKindProblem } from './file-kind';
import { agents, environments, findAgent, findEnvironment } from './registry';
import { fittedRowsSchema, type FittedRows } from './ope/fitted-rows';
import { risingScheduleProblems, scheduleWarnings } from './schedule';
import { storageWarnings } from './storage-estimate';
import { evaluationSchema, type EvaluationSettings } from './greedy-evaluation';
import { jsonSchemaOf } from './json-schema';
import { isObject } from './values';

export const EXPERIMENT_FORMAT = 'aisle.experiment/v1';
export const MAX_SEED = 2 ** 31 - 1;

/** An environment or agent configuration: its id and its parameters, all defaults filled. */
export interface ComponentConfig {
  readonly id: string;
  readonly [param: string]: unknown;
}

/**
 * A mark of the type alone (no value carries it at run time): an experiment with env's file
 * parameters left out (ExperimentWithoutFiles, src/shared/dto.ts) has it true, a whole one never, so
 * TypeScript refuses the one where the other is needed, which the shapes alone would let through.
 */
export declare const filesLeftOut: unique symbol;

export interface Experiment {
  readonly [filesLeftOut]?: never;
  readonly format: typeof EXPERIMENT_FORMAT;
  readonly name: string;
  readonly description?: string;
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  /** The explicit list of seeds; one run per seed. */
  readonly seeds: readonly number[];
  /** Snapshots of what the agent learned (a Q-table, or a network's weights) at evenly spaced episodes (the final one is always kept). */
  readonly checkpoints: number;
  /** Greedy evaluation during training (off when absent): see src/engine/greedy-evaluation.ts. */
  readonly evaluation?: EvaluationSettings;
  /** The logged rows the environment, a simulator fitted to logs, was fitted to: a policy exported from a run carries them. */
  readonly fittedTo?: FittedRows;
}

const seedSchema = numberSchema({ int: true, min: 0, max: MAX_SEED, describe: 'A seed.' });

const fields = {
  name: experimentName,
  description: experimentDescription.optional().describe('Free text: what the experiment tests.'),
  episodes: numberSchema({ int: true, min: 1, max: 100_000_000, describe: 'Training episodes per run.' })
    .default(500),
  seeds: z
    .union([
      numberSchema({ int: true, min: 1, max: 1000, describe: 'How many runs: seeds 0..n-1.' }),
      z
        .array(seedSchema, { error: 'must be a count (1..1000) or a list of whole numbers' })
        .min(1, { error: 'must list at least one seed' })
        .max(1000, { error: 'lists more than 1000 seeds: split the experiment' }),
    ], { error: 'must be a count of runs (a whole number from 1 to 1000, e.g. 5) or a list of seeds (whole numbers, e.g. [0, 1, 2])' })
    .default(1)
    .describe("A count n (seeds 0..n-1) or an explicit list of seeds; one run per seed. Compare's verdicts (better or worse) need 5 or more runs per group, and more to compare many groups at once (5 runs a group for up to 4 groups, 6 for up to 7, 7 for up to 13): give 5+ seeds to compare."),
  checkpoints: numberSchema({ int: true, min: 0, max: 1000, describe: 'Snapshots of the learned Q-table or network weights kept during training, evenly spaced (the final one is always kept).' })
    .default(10),
  evaluation: evaluationSchema.optional(),
  fittedTo: fittedRowsSchema.optional(),
};

const envelope = z
  .object({
    format: z.literal(EXPERIMENT_FORMAT, { error: `must be "${EXPERIMENT_FORMAT}"` }),
    ...fields,
    // Read by parseComponent, which says once what is wrong with them (a null env was two lines here and there).
    env: z.unknown().optional(),
    agent: z.unknown().optional(),
  })
  .strict();

export interface ParseOptions {
  /**
   * Reads a file parameter (such as tabular-mdp's `mdp` path) and returns its parsed JSON. Given
   * by the node side; throw a ValidationError (or any Error) whose message says what is wrong.
   */
  readonly readJson?: (path: string) => unknown;
  /**
   * The experiment was stored before (a file, a database row, a run to export or evaluate against)
   * rather than one about to be defined or launched: rules added since it may have been written (a
   * rising ε schedule) are not applied, so that what was valid when written still opens. Launching
   * it again checks it as new.
   */
  readonly stored?: boolean;
}

/** Parses and checks an experiment; throws a ValidationError listing every problem. */
export function parseExperiment(raw: unknown, options: ParseOptions = {}): Experiment {
  const problems: string[] = [];
  if (!isObject(raw)) {
    throw new ValidationError([`an experiment must be a JSON object with "format": "${EXPERIMENT_FORMAT}"`]);
  }
  // Another Aisle file (a policy, an MDP, a catalog) where an experiment belongs: one line, not one per field.
  const other = wrongKindProblem(raw, 'experiment', 'format', `give an experiment file ("${EXPERIMENT_FORMAT}") here`);
  if (other) throw new ValidationError([other]);
  const top = envelope.safeParse(raw);
  if (!top.success) {
    problems.push(...formatIssues(top.error.issues, '', envelope));
    // Keep going when env and agent themselves are readable, to report their problems too.
  }
  const rec = raw as Record<string, unknown>;
  const env = parseComponent('env', rec.env, environments, findEnvironment, options, problems);
  const agent = parseComponent('agent', rec.agent, agents, findAgent, options, problems);

  if (env && agent && problems.length === 0) {
    let instance: ReturnType<typeof env.def.create> | undefined;
    try {
      instance = env.def.create(env.params);
      const why = agent.def.compatible(instance.observationSpace, instance.actionSpace, instance);
      if (why) problems.push(`agent.id: ${why}`);
    } catch (e) {
      problems.push(...prefixed('env', e));
    }
    if (agent.def.check) problems.push(...agent.def.check(agent.params, instance).map((m) => `agent.${m}`));
    const refused = env.def.noSeparateEvaluation ?? agent.def.noSeparateEvaluation;
    if (top.success && top.data.evaluation && refused) problems.push(`evaluation: ${refused}`);
  }
  if (problems.length > 0 || !top.success || !env || !agent) throw new ValidationError(problems);

  const d = top.data;
  const seeds = typeof d.seeds === 'number' ? Array.from({ length: d.seeds }, (_, i) => i) : d.seeds;
  if (new Set(seeds).size !== seeds.length) {
    // Named by the seed and both places, counted from 1 as the app's form counts a list's seeds: in a
    // list of hundreds, "lists a seed twice" left the user to find which.
    const repeat = seeds.findIndex((seed, i) => seeds.indexOf(seed) !== i);
    const first = seeds.indexOf(seeds[repeat]!);
    throw new ValidationError([`seeds: lists seed ${seeds[repeat]} twice (values ${first + 1} and ${repeat + 1} of the list): each seed gives one run, remove the repeat`]);
  }
  return {
    format: EXPERIMENT_FORMAT,
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    env: { id: env.def.id, ...env.params },
    agent: { id: agent.def.id, ...agent.params },
    episodes: d.episodes,
    seeds,
    checkpoints: d.checkpoints,
    ...(d.evaluation !== undefined ? { evaluation: d.evaluation } : {}),
    ...(d.fittedTo !== undefined ? { fittedTo: d.fittedTo } : {}),
  };
}

interface Parsed<D> {
  def: D;
  params: Record<string, unknown>;
}

function parseComponent<D extends EnvDefinition | AgentDefinition>(
  where: 'env' | 'agent',
  raw: unknown,
  all: readonly D[],
  find: (id: string) => D | undefined,
  options: ParseOptions,
  problems: string[],
): Parsed<D> | undefined {
  if (!isObject(raw)) {
    if (raw !== undefined) problems.push(`${where}: must be an object with an "id" and its parameters`);
    else problems.push(`${where}: is required: an object such as { "id": "${all[0]!.id}" }`);
    return undefined;
  }
  const { id, ...rest } = raw as Record<string, unknown>;
  if (typeof id !== 'string') {
    const example = where === 'env' ? 'the environment, e.g. "tabular-mdp"' : 'the agent, e.g. "q-learning"';
    problems.push(id === undefined ? `${where}.id: is required: name ${example}` : `${where}.id: must be a string naming ${example}, got ${show(id)}`);
    return undefined;
  }
  const def = find(id);
  if (!def) {
    const kind = where === 'env' ? 'environment' : 'agent';
    problems.push(`${where}.id: unknown ${kind} ${show(id)}: choose one of ${all.map((d) => d.id).join(', ')}`);
    return undefined;
  }
  const before = problems.length;
  for (const key of ('fileParams' in def ? def.fileParams : undefined) ?? []) {
    const value = rest[key];
    if (typeof value !== 'string') continue;
    if (value === '') {
      // Read as a path, "" would name the experiment's own folder.
      problems.push(`${where}.${key}: must not be empty: give the path of a JSON file, or the object inline`);
      continue;
    }
    const control = pathControlProblem(value);
    if (control) {
      problems.push(`${where}.${key}: ${control}`);
      continue;
    }
    if (!options.readJson) {
      problems.push(`${where}.${key}: "${value}" is a file path, but files cannot be read here: inline the JSON object instead`);
      continue;
    }
    try {
      rest[key] = options.readJson(value);
    } catch (e) {
      problems.push(...prefixed(`${where}.${key}`, e, true));
    }
  }
  if (problems.length > before) return undefined;
  const schema = def.params.strict();
  const result = schema.safeParse(rest);
  if (!result.success) problems.push(...formatIssues(result.error.issues, where, schema));
  if (!options.stored) problems.push(...risingScheduleProblems(rest).map((line) => `${where}.${line}`));
  if (!result.success || problems.length > before) return undefined;
  return { def, params: result.data as Record<string, unknown> };
}

/**
 * The files an experiment names by path in its environment's file parameters (tabular-mdp's
 * `"mdp": "cliff.mdp.json"`), read through `readJson` and each checked as its kind (checkFile),
 * keyed by their field (`env.mdp`): what parseExperiment reads, for an experiment it refuses for its
 * values (alpha 7), so that a form can open it with those files in place, as it opens a valid one.
 * `problems` says, as parseExperiment would, each named file that cannot be read or is not its kind;
 * `files` then leaves it out. An experiment without such a path, or whose environment is unknown, names none.
 */
export function readFileParams(raw: unknown, readJson: (path: string) => unknown): { files: Record<string, unknown>; problems: string[] } {
  const files: Record<string, unknown> = {};
  const problems: string[] = [];
  const env = isObject(raw) ? raw.env : undefined;
  const def = isObject(env) && typeof env.id === 'string' ? findEnvironment(env.id) : undefined;
  if (!def || !isObject(env)) return { files, problems };
  for (const key of def.fileParams ?? []) {
    const path = env[key];
    if (typeof path !== 'string' || path === '' || pathControlProblem(path)) continue; // inline, or a problem parseExperiment says
    const field = `env.${key}`;
    let json: unknown;
    try {
      json = readJson(path);
    } catch (e) {
      problems.push(...prefixed(field, e, true));
      continue;
    }
    try {
      def.checkFile?.(key, json);
    } catch (e) {
      problems.push(...prefixed('env', e));
      continue;
    }
    files[field] = json;
  }
  return { files, problems };
}

/**
 * A file parameter's path with a control character in it (a NUL, a line break: JSON writes them as
 * \u0000 and \n) is no path anyone means: read, a NUL got Node's own words ("The argument 'path' must
 * be a string, Uint8Array, or URL without null bytes"), and a line break in "file not found (…)" or
 * the app's "was not among the files given" split the problem's line in two.
 */
function pathControlProblem(path: string): string | undefined {
  return CONTROL.test(path) ? `must not contain control characters (found ${controlAt(path)}): give the path of a JSON file, or the object inline` : undefined;
}

/** An error's lines. Lines that already start with a JSON path get `root.` in front; others `root: `. */
function prefixed(root: string, e: unknown, plain = false): string[] {
  const lines = e instanceof ValidationError ? [...e.problems] : [e instanceof Error ? e.message : String(e)];
  return lines.map((line) => (!plain && /^[A-Za-z_$][\w$]*([.[][^:\s]*)?:/.test(line) ? `${root}.${line}` : `${root}: ${line}`));
}

/**
 * The configuration that determines a run's behaviour apart from its seed (hashed for grouping).
 * What only observes training is left out, as the hash of runs that train alike should be one:
 * checkpoints, and greedy evaluation (its own environment and stream leave training unchanged).
 */
export function behaviourConfig(e: Pick<Experiment, 'env' | 'agent' | 'episodes'>): { env: ComponentConfig; agent: ComponentConfig; episodes: number } {
  return { env: e.env, agent: e.agent, episodes: e.episodes };
}

/** JSON Schema of the experiment format, one variant per environment and agent. */
export function experimentJsonSchema(): unknown {
  const variant = (def: EnvDefinition | AgentDefinition) =>
    def.params.extend({ id: z.literal(def.id).describe(def.description) }).strict().describe(def.title);
  const schema = z
    .object({
      format: z.literal(EXPERIMENT_FORMAT),
      ...fields,
      env: z.union(environments.map(variant) as unknown as [z.ZodType, z.ZodType]),
      agent: z.union(agents.map(variant) as unknown as [z.ZodType, z.ZodType]),
    })
    .strict();
  return jsonSchemaOf(schema);
}

/**
 * What a valid experiment probably does not mean (a drift shift after its last episode, a network
 * whose first update would come after the last step, metrics past a gigabyte), one line each with
 * its JSON path: shown beside "Ready" in the app and printed by `aisle run`, never refused.
 */
export function experimentWarnings(e: Pick<Experiment, 'env' | 'agent' | 'episodes' | 'seeds' | 'evaluation'>): string[] {
  const env = findEnvironment(e.env.id);
  const envParams = env && parsedParams(env, e.env);
  if (!env || !envParams) return [];
  const agent = findAgent(e.agent.id);
  const out = (env.warnings?.(envParams, { episodes: e.episodes, agentFamily: agent?.family, agentExports: agent === undefined ? undefined : agent.keeps.length > 0 }) ?? []).map((w) => `env.${w}`);
  const caveat = e.evaluation && env.evaluationCaveat?.(envParams);
  if (caveat) out.push(`evaluation: ${caveat}`);
  const agentParams = agent && parsedParams(agent, e.agent);
  const perEpisode = env.maxEpisodeSteps?.(envParams);
  if (agent?.warnings && agentParams && perEpisode !== undefined) out.push(...agent.warnings(agentParams, { episodes: e.episodes, perEpisode }).map((w) => `agent.${w}`));
  if (agentParams) out.push(...scheduleWarnings(agentParams.epsilon, e.episodes).map((w) => `agent.${w}`));
  if (agentParams) out.push(...storageWarnings(e));
  return out;
}

/** A component's parameters as its definition reads them, or undefined when they do not parse. */
function parsedParams(def: EnvDefinition | AgentDefinition, config: ComponentConfig): Record<string, unknown> | undefined {
  const { id: _id, ...params } = config;
  const parsed = def.params.safeParse(params);
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
}
