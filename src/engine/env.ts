/**
 * The environment interface, in Gymnasium's shape: `reset(seed)` starts an episode, `step(action)`
 * returns the observation, the reward and two separate end flags: `terminated` (the MDP reached a
 * terminal state: do not bootstrap) and `truncated` (a time limit cut the episode: bootstrap).
 * Environments that claim speed return the same StepResult object every step (valid until the next
 * call) and allocate nothing per step.
 */
import type { DiscreteSpace, Space } from './spaces';

export type Observation = number | Float32Array;

export interface StepResult<O extends Observation = Observation> {
  observation: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

/**
 * What a simulator knows that an agent must not: the true model. Environments that can, expose it
 * so that oracle baselines (the shop's myopic oracle) measure how far the best greedy policy gets.
 */
export interface EnvOracle {
  /**
   * Writes, for every action, the expected immediate reward of taking it in the environment's
   * current true state (hidden variables included) into out[0..actions).
   */
  immediateValues(out: Float64Array): void;
}

export interface Env<O extends Observation = Observation> {
  /** The registry id this environment was created from. */
  readonly id: string;
  readonly observationSpace: Space;
  readonly actionSpace: DiscreteSpace;
  /**
   * Names of the per-episode metrics this environment reports beyond `return` and `length`
   * (for example the bandit testbed's `reward` and `optimal`). Fixed for the environment's life.
   */
  readonly episodeMetricNames: readonly string[];
  /**
   * Starts an episode. With a seed, (re)seeds the environment's generator first (Gymnasium: pass the
   * seed on the first reset only; later resets continue the same stream).
   */
  reset(seed?: number): O;
  /** Applies an action. The returned object is reused: read it before the next call. */
  step(action: number): StepResult<O>;
  /** Writes this episode's metrics, in `episodeMetricNames` order, into out[offset...]. */
  episodeMetrics(out: Float64Array, offset: number): void;
  /** The true model, for oracle baselines (simulators only). */
  readonly oracle?: EnvOracle;
  /**
   * The rewards one step can pay, [lowest, highest], when the environment knows them (±Infinity
   * for an unbounded side): an agent whose model needs a range (a Bernoulli bandit: [0, 1]) is
   * refused when the experiment is checked, not by its first reward. Undefined: not known.
   */
  readonly rewardRange?: readonly [number, number];
  /**
   * The discrete observations that end an episode whenever reached (`terminalStates[s]` is 1): an
   * MDP's terminal states, a shop's "left". Training never updates their values and a service is
   * never asked about one, so a count of states never updated leaves them out. Undefined: none known
   * (a vector observation has none).
   */
  readonly terminalStates?: Uint8Array;
}
