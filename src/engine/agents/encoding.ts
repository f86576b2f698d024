/**
 * Observation encodings for agents that learn on feature vectors (DQN, PPO, LinUCB): a vector
 * observation is copied as is; a discrete one becomes a one-hot vector, so the deep agents run on
 * every environment Aisle has (tabular MDPs, the bandit testbed, the shop in either mode).
 */
import type { ObservationEncoding } from '../agent';
import type { Observation } from '../env';
import type { Space } from '../spaces';

export interface ObservationEncoder {
  /** Features per observation. */
  readonly size: number;
  /** Writes the features of `observation` into out[offset .. offset + size). */
  encode(observation: Observation, out: Float32Array, offset: number): void;
  /** A description for policy files and the UI ("one-hot(48)", "vector(24)"). */
  readonly kind: 'one-hot' | 'vector';
}

class OneHot implements ObservationEncoder {
  readonly kind = 'one-hot' as const;
  constructor(readonly size: number) {}
  encode(observation: Observation, out: Float32Array, offset: number): void {
    out.fill(0, offset, offset + this.size);
    out[offset + (observation as number)] = 1;
  }
}

class Copy implements ObservationEncoder {
  readonly kind = 'vector' as const;
  constructor(readonly size: number) {}
  encode(observation: Observation, out: Float32Array, offset: number): void {
    out.set(observation as Float32Array, offset);
  }
}

export function encoderFor(space: Space): ObservationEncoder {
  return space.kind === 'discrete' ? new OneHot(space.n) : new Copy(space.size);
}

/** The encoding an encoder applies, as policy files and checkpoints record it. */
export function encodingOf(encoder: ObservationEncoder): ObservationEncoding {
  return encoder.kind === 'one-hot' ? { kind: 'one-hot', n: encoder.size } : { kind: 'vector', size: encoder.size };
}
