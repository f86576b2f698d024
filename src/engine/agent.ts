/**
 * The agent interface, in RL-Glue's shape: `start` chooses the first action of an episode, `step`
 * learns from one non-final transition and chooses the next action, `end` learns from the final
 * transition. This one shape serves one-step TD methods (the next action is known when SARSA
 * updates), bandits (every episode is one pull), replay-based and rollout-based learners.
 */
import type { Observation } from './env';

export interface TabularValues {
  readonly states: number;
  readonly actions: number;
  /** Row-major Q[s * actions + a]; a live view: copy it before keeping it. */
  readonly q: Float64Array;
}

export interface Agent<O extends Observation = Observation> {
  readonly id: string;
  /** First action of an episode. */
  start(observation: O): number;
  /** Learns from (s, a, reward, observation) and returns the action to take in `observation`. */
  step(reward: number, observation: O): number;
  /**
   * Learns from the final transition of an episode. `terminated` is false when the episode was
   * truncated by a time limit: then the agent bootstraps from `observation`'s value.
   */
  end(reward: number, observation: O, terminated: boolean): void;
  /** The action the learned policy takes in `observation` (no exploration; ties to the lowest index). */
  greedyAction(observation: O): number;
  /** Names of per-episode training diagnostics (for example `train/epsilon`). */
  readonly episodeMetricNames: readonly string[];
  /** Writes this episode's diagnostics, in `episodeMetricNames` order, into out[offset...]. */
  episodeMetrics(out: Float64Array, offset: number): void;
  /** Tabular agents expose their action values (checkpoints, Q-table views, policy export). */
  values?(): TabularValues;
}

/** Index of the largest value in q[offset..offset+n), lowest index on ties. */
export function argmax(q: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  let bestValue = q[offset]!;
  for (let a = 1; a < n; a++) {
    const v = q[offset + a]!;
    if (v > bestValue) {
      bestValue = v;
      best = a;
    }
  }
  return best;
}

/** Largest value in q[offset..offset+n). */
export function maxOf(q: ArrayLike<number>, offset: number, n: number): number {
  let m = q[offset]!;
  for (let a = 1; a < n; a++) {
    const v = q[offset + a]!;
    if (v > m) m = v;
  }
  return m;
}
