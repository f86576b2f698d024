/**
 * Experience replay (Lin 1992, "Self-improving reactive agents based on reinforcement learning,
 * planning and teaching"; Mnih et al. 2015): the last `capacity` transitions (s, a, r, s′,
 * terminated) in a ring of typed arrays, from which minibatches are drawn uniformly at random with
 * replacement (as in cleanrl and stable-baselines3). Sampling breaks the correlation between
 * consecutive steps that would otherwise make the TD regression chase its own last few states.
 *
 * Why the flag is `terminated` and not `done`: the TD target is
 *   y = r + γ (1 − terminated) · V(s′),
 * and only a terminal state has V(s′) = 0. An episode cut by a time limit (`truncated`) stopped in
 * an ordinary state whose value is not zero: treating it as terminal would teach the network that
 * the states the limit happens to fall on are worthless, a bias that grows with γ (Pardo, Tavakoli,
 * Levdik & Kormushev 2018, "Time Limits in Reinforcement Learning"). So truncated transitions are
 * stored with terminated = 0 and still bootstrap from s′, which the buffer keeps for that reason.
 * (When a step is both terminal and at the limit, it is terminal.)
 *
 * Memory: observations are stored twice (s and s′), float32, capacity × obsSize each; nothing is
 * allocated after construction.
 */
import type { Rng } from '../rng';

/** A minibatch, preallocated once for `size` rows and refilled by {@link ReplayBuffer.sample}. */
export interface ReplayBatch {
  /** Rows per sample. */
  readonly size: number;
  /** s, row-major size × obsSize. */
  readonly observations: Float32Array;
  /** s′, row-major size × obsSize. */
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** 1 where s′ is terminal (no bootstrap), 0 otherwise — a time-limit truncation included. */
  readonly terminated: Uint8Array;
  /** The ring slots the rows were drawn from (for tests and, later, prioritised replay). */
  readonly indices: Int32Array;
}

export function createReplayBatch(size: number, obsSize: number): ReplayBatch {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a replay batch needs size ≥ 1, got ${size}`);
  return {
    size,
    observations: new Float32Array(size * obsSize),
    nextObservations: new Float32Array(size * obsSize),
    actions: new Int32Array(size),
    rewards: new Float32Array(size),
    terminated: new Uint8Array(size),
    indices: new Int32Array(size),
  };
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsSize: number;
  readonly observations: Float32Array;
  readonly nextObservations: Float32Array;
  readonly actions: Int32Array;
  readonly rewards: Float32Array;
  /** Terminal flags (not truncation flags: see the module comment). */
  readonly terminated: Uint8Array;
  /** The slot the next transition goes to; the oldest transition once the ring is full. */
  private position = 0;
  private count = 0;

  constructor(capacity: number, obsSize: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay capacity must be a whole number ≥ 1, got ${capacity}`);
    if (!Number.isInteger(obsSize) || obsSize < 1) throw new RangeError(`observation size must be a whole number ≥ 1, got ${obsSize}`);
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.observations = new Float32Array(capacity * obsSize);
    this.nextObservations = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Uint8Array(capacity);
  }

  /** Transitions stored (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** The ring slot the next {@link add} writes (it overwrites the oldest transition when full). */
  get nextSlot(): number {
    return this.position;
  }

  /** Stores (s, a, r, s′, terminated), overwriting the oldest transition when the ring is full. */
  add(observation: Readonly<Float32Array>, action: number, reward: number, nextObservation: Readonly<Float32Array>, terminated: boolean): void {
    const n = this.obsSize;
    const i = this.position;
    const o = i * n;
    const obs = this.observations;
    const next = this.nextObservations;
    for (let k = 0; k < n; k++) {
      obs[o + k] = observation[k]!;
      next[o + k] = nextObservation[k]!;
    }
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.position = i + 1 === this.capacity ? 0 : i + 1;
    if (this.count < this.capacity) this.count++;
  }

  /** Fills `out` with out.size transitions drawn uniformly with replacement, from `rng`. */
  sample(out: ReplayBatch, rng: Rng): void {
    const count = this.count;
    if (count === 0) throw new Error('cannot sample from an empty replay buffer');
    const n = this.obsSize;
    const { observations, nextObservations, actions, rewards, terminated, indices } = out;
    for (let row = 0; row < out.size; row++) {
      const i = rng.int(count);
      indices[row] = i;
      const src = i * n;
      const dst = row * n;
      for (let k = 0; k < n; k++) {
        observations[dst + k] = this.observations[src + k]!;
        nextObservations[dst + k] = this.nextObservations[src + k]!;
      }
      actions[row] = this.actions[i]!;
      rewards[row] = this.rewards[i]!;
      terminated[row] = this.terminated[i]!;
    }
  }
}
