/**
 * What the four one-step tabular TD agents (Q-learning, SARSA, Expected SARSA, Double Q-learning)
 * share: their hyperparameters, the Q-table, ε-greedy action selection and its action
 * probabilities, and the per-episode bookkeeping of the RL-Glue interface (the ε schedule and the
 * `train/epsilon` diagnostic). Each agent's own file holds its learning step.
 *
 * ε-greedy (Sutton & Barto 2018, §2.2 and §5.4): with probability ε take a uniformly random action
 * (any of the |A| actions, the greedy ones included), otherwise a greedy one, ties broken uniformly
 * at random. Its action probabilities are therefore
 *   π(a|s) = ε/|A| + (1 − ε)/|A*(s)|   for a ∈ A*(s) = argmax_a Q(s,a)
 *   π(a|s) = ε/|A|                     otherwise,
 * which {@link epsilonGreedyProbabilities} computes and {@link epsilonGreedyAction} samples from.
 * Random tie-breaking matters at the start, when every Q(s,·) equals `initialQ`: always taking
 * the lowest index would make a pure-greedy agent repeat action 0 until something else happened.
 */
import * as z from 'zod';
import { argmax, maxOf, type Agent, type TabularValues } from '../agent';
import type { AgentCheckEnv, AgentContext } from '../definitions';
import type { MetricDirections } from '../metric-direction';
import { num, thousands } from '../params';
import type { Rng } from '../rng';
import { epsilonParam, scheduleValue, type EpsilonSchedule } from '../schedule';

export const tabularParams = z
  .object({
    alpha: num({
      default: 0.1,
      gt: 0,
      max: 1,
      describe: 'Step size α: how far each update moves Q(S,A) towards its TD target (1 replaces it; small values average over noisy rewards).',
    }),
    gamma: num({
      default: 0.99,
      min: 0,
      max: 1,
      // Shared by every environment the agent runs on (a tabular MDP, the bandit testbed, the shop): steps and episodes, not clicks and sessions.
      describe: 'Discount γ: the weight of a reward one step later (0 optimises each step\'s own reward, near 1 the return of the whole episode).',
    }),
    epsilon: epsilonParam(
      0.1,
      'Exploration rate ε: the probability of a uniformly random action, constant or a linear schedule { start, end, decayEpisodes } over episodes.',
    ),
    initialQ: num({
      default: 0,
      min: -1e6,
      max: 1e6,
      describe: 'Initial action value Q(s,a) for every pair; values above any achievable return make the agent explore by optimism alone.',
    }),
  })
  .strict();

export type TabularParams = z.output<typeof tabularParams>;

/** A states × actions Q-table, row-major (Q[s * actions + a]), every entry `initialQ`. */
export function createQTable(states: number, actions: number, initialQ: number): Float64Array {
  return new Float64Array(states * actions).fill(initialQ);
}

/**
 * An ε-greedy action in q[offset..offset+n): uniform with probability ε, otherwise a maximal action
 * chosen uniformly among ties (reservoir sampling: the k-th tie replaces the choice with
 * probability 1/k, so no list of ties is built).
 */
export function epsilonGreedyAction(q: Float64Array, offset: number, n: number, epsilon: number, rng: Rng): number {
  if (epsilon > 0 && rng.next() < epsilon) return rng.int(n);
  let best = q[offset]!;
  let choice = 0;
  let ties = 1;
  for (let a = 1; a < n; a++) {
    const v = q[offset + a]!;
    if (v > best) {
      best = v;
      choice = a;
      ties = 1;
    } else if (v === best) {
      ties++;
      if (rng.int(ties) === 0) choice = a;
    }
  }
  return choice;
}

/** Writes π(a|s) of {@link epsilonGreedyAction} for the row q[offset..offset+n) into out[0..n). */
export function epsilonGreedyProbabilities(out: Float64Array, q: Float64Array, offset: number, n: number, epsilon: number): void {
  const best = maxOf(q, offset, n);
  let ties = 0;
  for (let a = 0; a < n; a++) if (q[offset + a] === best) ties++;
  const explore = epsilon / n;
  const greedy = explore + (1 - epsilon) / ties;
  for (let a = 0; a < n; a++) out[a] = q[offset + a] === best ? greedy : explore;
}

/** The most Q-values a tabular agent keeps in one table: 2^25 doubles, 256 MiB (each checkpoint is a copy). */
export const MAX_TABLE_VALUES = 2 ** 25;

/**
 * check() of the tabular agents: a table of states × actions (`tables` of them: Double Q-learning
 * keeps two) within MAX_TABLE_VALUES, so an environment too large for a table is refused when the
 * experiment is read, before anything is stored, rather than by the worker that would allocate it.
 */
export function tableSizeProblems(env: AgentCheckEnv | undefined, tables = 1): string[] {
  const space = env?.observationSpace;
  const actions = env?.actionSpace?.n;
  if (space?.kind !== 'discrete' || actions === undefined) return [];
  const values = space.n * actions * tables;
  if (values <= MAX_TABLE_VALUES) return [];
  const of = tables > 1 ? `${tables} Q-tables` : 'a Q-table';
  return [
    `id: ${of} of ${thousands(space.n)} states × ${thousands(actions)} actions hold${tables > 1 ? '' : 's'} ${thousands(values)} values, ` +
      `more than the ${thousands(MAX_TABLE_VALUES)} (256 MiB) a tabular agent keeps: use an environment with fewer states or actions, or dqn or ppo, which generalise across states`,
  ];
}

/** The number of states of a discrete observation space (create() after compatible() said yes). */
function stateCount(agentId: string, ctx: AgentContext): number {
  const space = ctx.observationSpace;
  if (space.kind !== 'discrete') throw new RangeError(`${agentId} needs a discrete observation space, got Box(${space.size})`);
  return space.n;
}

/**
 * What a kernel that runs a tabular agent's rule elsewhere (the WebAssembly fast path,
 * src/engine/wasm/tabular.ts) needs from the agent: its hyperparameters, its live tables, its
 * generator and its position in the ε schedule. The kernel writes tables and generator back in
 * place and then calls {@link TabularAgent.resume}, so the agent continues as if it had played.
 */
export interface TabularLearningState {
  readonly id: string;
  readonly states: number;
  readonly actions: number;
  readonly alpha: number;
  readonly gamma: number;
  readonly epsilon: number | EpsilonSchedule;
  /** The tables the rule updates, live: [Q], or [Q1, Q2] for Double Q-learning. */
  readonly tables: readonly Float64Array[];
  readonly rng: Rng;
  /** Episodes finished so far. */
  readonly episode: number;
}

/** `train/epsilon` is the schedule's ε in that episode: a setting followed, no better either way. */
export const EPSILON_METRIC_DIRECTIONS: MetricDirections = { 'train/epsilon': null };

/**
 * The bookkeeping every tabular agent shares. Subclasses write the learning step (`step` and
 * `end`, which calls {@link finishEpisode}); `start` sets this episode's ε from the schedule and
 * picks the first action with {@link behave}.
 */
export abstract class TabularAgent implements Agent<number> {
  readonly id: string;
  readonly episodeMetricNames: readonly string[] = ['train/epsilon'];
  protected readonly states: number;
  protected readonly actions: number;
  protected readonly alpha: number;
  protected readonly gamma: number;
  protected readonly rng: Rng;
  /** The action values: the agent's estimate of Q (Double Q-learning: the average of its two). */
  protected readonly q: Float64Array;
  /** ε of the current episode, or of the one just finished once `end` has run. */
  protected epsilon: number;
  /** S and A of the transition in flight: step/end learn from (lastState, lastAction, R, S'). */
  protected lastState = 0;
  protected lastAction = 0;
  private readonly epsilonSpec: number | EpsilonSchedule;
  /** Episodes finished so far: the index of the current episode in the ε schedule. */
  private episode = 0;
  private readonly table: TabularValues;

  constructor(id: string, params: TabularParams, ctx: AgentContext) {
    this.id = id;
    this.states = stateCount(id, ctx);
    this.actions = ctx.actionSpace.n;
    this.alpha = params.alpha;
    this.gamma = params.gamma;
    this.rng = ctx.rng;
    this.epsilonSpec = params.epsilon;
    this.epsilon = scheduleValue(params.epsilon, 0);
    this.q = createQTable(this.states, this.actions, params.initialQ);
    this.table = { states: this.states, actions: this.actions, q: this.q };
  }

  abstract step(reward: number, observation: number): number;
  abstract end(reward: number, observation: number, terminated: boolean): void;

  start(state: number): number {
    this.epsilon = scheduleValue(this.epsilonSpec, this.episode);
    const action = this.behave(state);
    this.lastState = state;
    this.lastAction = action;
    return action;
  }

  /** The behaviour policy: ε-greedy on Q. */
  protected behave(state: number): number {
    return epsilonGreedyAction(this.q, state * this.actions, this.actions, this.epsilon, this.rng);
  }

  /** Advances the episode counter that drives the ε schedule. */
  protected finishEpisode(): void {
    this.episode++;
  }

  greedyAction(observation: number): number {
    return argmax(this.q, observation * this.actions, this.actions);
  }

  /** The learning state, for a kernel that plays episodes with this agent's rule (see {@link TabularLearningState}). */
  learningState(): TabularLearningState {
    const { id, states, actions, alpha, gamma, rng, episode } = this;
    return { id, states, actions, alpha, gamma, epsilon: this.epsilonSpec, tables: this.learnedTables(), rng, episode };
  }

  /** After a kernel played episodes on the tables and generator: `episode` finished, the last with ε `epsilon`. */
  resume(episode: number, epsilon: number): void {
    this.episode = episode;
    this.epsilon = epsilon;
  }

  /** The tables the learning step updates (Double Q-learning overrides this with its two). */
  protected learnedTables(): readonly Float64Array[] {
    return [this.q];
  }

  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.epsilon;
  }

  values(): TabularValues {
    return this.table;
  }
}
