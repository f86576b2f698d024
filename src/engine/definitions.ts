/**
 * What an environment or agent declares to the rest of Aisle: an id, a title, a one-paragraph
 * description, a zod schema of its parameters (defaults, ranges, descriptions) and a factory.
 * The registry (registry.ts) lists them; experiments, the CLI, the UI form and the JSON Schemas
 * are all driven from these declarations, so a new agent appears everywhere by being listed.
 */
import type * as z from 'zod';
import type { Agent } from './agent';
import type { Env, EnvOracle, Observation } from './env';
import type { MetricDirections } from './metric-direction';
import type { MetricRanges } from './metric-range';
import type { Rng } from './rng';
import type { DiscreteSpace, Space } from './spaces';
import { discreteObservationsProblem } from './cross-field';
import { plural, thousands } from './params';

// The params schemas are zod objects whose fields all have defaults.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ParamsSchema = z.ZodObject<any>;

export interface EnvDefinition<P extends ParamsSchema = ParamsSchema> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly params: P;
  /**
   * Parameters that may be given as a path to a JSON file (relative to the experiment file), for
   * example tabular-mdp's `mdp`. The node side reads the file and passes the parsed JSON instead,
   * so the engine never does I/O.
   */
  readonly fileParams?: readonly string[];
  /**
   * Checks the file a file parameter names on its own, as create() would (an MDP, a catalog): throws
   * a ValidationError whose lines name the parameter (`mdp.start: …`). For a host that reads a named
   * file before the rest of the experiment is valid (readFileParams, experiment.ts).
   */
  checkFile?(param: string, json: unknown): void;
  /**
   * Why a greedy evaluation on a separate instance would not measure the run's environment (one
   * sentence, with the fix), when it would not: the experiment's `evaluation` is then refused.
   */
  readonly noSeparateEvaluation?: string;
  /**
   * What a greedy evaluation on a fresh instance does not show with these parameters (a world that
   * changes over training, which a fresh instance has not seen change), warned of when the
   * experiment evaluates; undefined when nothing.
   */
  evaluationCaveat?(params: z.output<P>): string | undefined;
  /**
   * The parameters in named groups, for a form to fold (an environment of many parameters, the
   * shop's ~55): each group's parameters in order; those in no group come first, ungrouped.
   */
  readonly paramGroups?: readonly { readonly title: string; readonly params: readonly string[] }[];
  /**
   * Which way each of its episode metrics is better (every name its environments' `episodeMetricNames`
   * can hold; see metric-direction.ts), and `length`'s when the environment gives it one: Compare
   * reads its probability of improvement and verdicts by them.
   */
  readonly metricDirections: MetricDirections;
  /**
   * The bounds of those of its episode metrics that have one (a share in [0, 1], a count ≥ 0; see
   * metric-range.ts): Compare keeps their intervals inside them. A metric left out has no bound.
   */
  readonly metricRanges?: MetricRanges;
  /** Builds an environment from parsed parameters. Throws ValidationError for inconsistent input. */
  create(params: z.output<P>): Env;
  /**
   * Parameters these parameters make inert (the shop's catalog generator's, when an explicit
   * catalog is given): a run's settings are listed without them, so nothing shown is a setting
   * that did nothing. They stay in the stored config and its hash.
   */
  inertParams?(params: Readonly<Record<string, unknown>>): readonly string[];
  /**
   * What is valid but likely not meant, given the experiment's episodes and its agent's family (a
   * tabular agent's table may outgrow what a policy file holds) and whether it keeps anything a
   * policy file holds (`agentExports`: false for the random policy and the myopic oracle, whose
   * runs have no policy to export whatever the environment): one line each, naming the parameter
   * by its bare name (the caller adds "env.") and what to change.
   */
  warnings?(params: z.output<P>, experiment: { readonly episodes: number; readonly agentFamily?: AgentFamily; readonly agentExports?: boolean }): string[];
  /**
   * The most steps one episode can take (its time limit; 1 for a bandit), so that a run's steps
   * are bounded for agents' warnings (a network whose first update would come after them).
   */
  maxEpisodeSteps?(params: z.output<P>): number;
  /**
   * Episodes where these parameters change the environment itself (the shop's preference shift at
   * shiftAt): the learning curves mark them, so a drop there is read as the task changing.
   */
  episodeMarks?(params: z.output<P>): readonly EpisodeMark[];
}

/** An episode a learning curve marks, and what happens there in a few words ("preference shift"). */
export interface EpisodeMark {
  readonly episode: number;
  readonly label: string;
}

/** The most steps a run can take: its episodes, each at most the environment's episode limit. */
export interface RunSteps {
  readonly episodes: number;
  readonly perEpisode: number;
}

export type AgentFamily = 'tabular' | 'bandit' | 'baseline' | 'deep';

export interface AgentContext {
  readonly observationSpace: Space;
  readonly actionSpace: DiscreteSpace;
  /** The agent's own stream: every random choice the agent makes comes from here. */
  readonly rng: Rng;
  /** The experiment's episode budget (for schedules expressed as fractions of training). */
  readonly episodes: number;
  /** The environment's true model, when it has one (only oracle baselines may use it). */
  readonly oracle?: EnvOracle;
}

/** What an agent's check() sees of the environment it will act in, when one is built. */
export interface AgentCheckEnv {
  readonly rewardRange?: readonly [number, number];
  readonly observationSpace?: Space;
  readonly actionSpace?: DiscreteSpace;
}

export interface AgentDefinition<P extends ParamsSchema = ParamsSchema> {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly family: AgentFamily;
  /**
   * What a run of it stores to inspect and export: a table of action values (a Q-table, or a
   * context-free bandit's one row) and/or a network's weights. DQN lists both, but its Q-table
   * exists only on discrete states. Empty: nothing (a random policy, or the environment's model).
   */
  readonly keeps: readonly ('table' | 'network')[];
  readonly params: P;
  /** Which way each of its `episodeMetricNames` is better (a diagnostic such as ε: null; see metric-direction.ts). */
  readonly metricDirections: MetricDirections;
  /**
   * Why its greedy policy cannot be played on a separate environment (one sentence, with the fix),
   * when it cannot: the experiment's `evaluation` is then refused.
   */
  readonly noSeparateEvaluation?: string;
  /**
   * Whether the agent can act in these spaces: null when it can, otherwise one sentence saying why
   * not and what to change (for example "q-learning needs a discrete observation space…").
   */
  compatible(observationSpace: Space, actionSpace: DiscreteSpace, env?: { readonly id: string; readonly oracle?: EnvOracle }): string | null;
  /**
   * Cross-field checks beyond the schema, and against the environment (when one is built); each
   * message names the field and the fix.
   */
  check?(params: z.output<P>, env?: AgentCheckEnv): string[];
  /**
   * What is valid but likely not meant, given the most steps the run can take (asked only when the
   * environment declares its episode limit): one line each, naming the parameter by its bare name
   * (the caller adds "agent.") and what to change.
   */
  warnings?(params: z.output<P>, run: RunSteps): string[];
  /**
   * Parameters these parameters make inert (Thompson sampling's Gaussian prior under its Bernoulli
   * model, and the other way round), as EnvDefinition.inertParams: a sweep or search of one is said
   * to change nothing. Asked with the experiment's agent config as given (defaults not filled in).
   */
  inertParams?(params: Readonly<Record<string, unknown>>): readonly string[];
  create(params: z.output<P>, ctx: AgentContext): Agent<Observation>;
}

/** Helper so definitions keep their precise parameter types. */
export function defineEnv<P extends ParamsSchema>(def: EnvDefinition<P>): EnvDefinition<P> {
  return def;
}

export function defineAgent<P extends ParamsSchema>(def: AgentDefinition<P>): AgentDefinition<P> {
  return def;
}

/**
 * The warning of a network agent whose first update would come at step `first` (`why`: the
 * parameters that put it there) while the run takes at most `run`'s steps: it never trains, or
 * only at the very last step, which no episode then uses. Empty when it trains in time.
 */
export function lateFirstUpdate(param: string, why: string, first: number, run: RunSteps): string[] {
  const most = run.episodes * run.perEpisode;
  if (first < most) return [];
  const steps = `${plural(run.episodes, 'episode', thousands(run.episodes))} ${run.episodes === 1 ? 'takes' : 'take'} at most ${plural(most, 'step', thousands(most))} (${thousands(run.perEpisode)} each)`;
  return [`${param}: the network's first update would come at step ${thousands(first)} (${why}), and ${steps}: it never trains before the run ends; lower ${param} well below ${thousands(most)}, or raise episodes`];
}

/** The usual compatibility rule of tabular agents. */
export function needsDiscreteObservations(agentId: string, observationSpace: Space): string | null {
  // One wording with the form's env × agent rule (cross-field.ts envAgentProblems).
  return observationSpace.kind === 'discrete' ? null : discreteObservationsProblem(agentId, observationSpace.size);
}
