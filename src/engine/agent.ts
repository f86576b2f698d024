/**
 * The agent interface, in RL-Glue's shape: `start` chooses the first action of an episode, `step`
 * learns from one non-final transition and chooses the next action, `end` learns from the final
 * transition. This one shape serves one-step TD methods (the next action is known when SARSA
 * updates), bandits (every episode is one pull), replay-based and rollout-based learners.
 */
import type { Observation } from './env';
import type { Activation, MlpSpec } from './nn/mlp';

export interface TabularValues {
  readonly states: number;
  readonly actions: number;
  /** Row-major Q[s * actions + a]; a live view: copy it before keeping it. */
  readonly q: Float64Array;
}

/** How an observation becomes the network's input: a state index s as e_s, or a vector as it is. */
export type ObservationEncoding = { readonly kind: 'one-hot'; readonly n: number } | { readonly kind: 'vector'; readonly size: number };

/**
 * A network agent's serving network, for checkpoints and policy export. The served action of an
 * observation is the argmax of the network's outputs on its encoding, whether the outputs are
 * action values (`q`, DQN's online network) or a softmax policy's logits (`logits`, PPO's actor:
 * serving takes the most probable action rather than sampling).
 */
export interface NetworkWeights {
  /** Widths from input to output and one activation per layer. */
  readonly spec: MlpSpec;
  /** LIVE view of the parameters (copy before keeping): W₁ (out × in, row-major), b₁, W₂, b₂, … */
  readonly params: Float32Array;
  readonly encoding: ObservationEncoding;
  readonly output: 'q' | 'logits';
}

/** A network's shape without its parameters: what a weights checkpoint and a policy file record. */
export interface NetworkLayout {
  readonly layers: readonly { readonly in: number; readonly out: number; readonly activation: Activation }[];
  readonly encoding: ObservationEncoding;
  readonly output: 'q' | 'logits';
}

export function networkLayout(w: Pick<NetworkWeights, 'spec' | 'encoding' | 'output'>): NetworkLayout {
  const { sizes, activations } = w.spec;
  const layers = activations.map((activation, l) => ({ in: sizes[l]!, out: sizes[l + 1]!, activation }));
  return { layers, encoding: w.encoding, output: w.output };
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
  /** Network agents expose the network they act with (weights checkpoints, policy export). */
  weights?(): NetworkWeights;
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
