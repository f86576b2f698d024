/**
 * The on-policy rollout of PPO (Schulman et al. 2017; stable-baselines3's RolloutBuffer, cleanrl's
 * `obs`, `actions`, `logprobs`, `rewards`, `dones`, `values` tensors): n consecutive steps across
 * episode boundaries, in typed arrays allocated once, then its GAE advantages and returns (the
 * minibatch orders are drawn by rng.ts's shuffledIndices from the agent's seeded generator).
 *
 * A step is written in two halves, as the RL-Glue calls deliver it: {@link add} when the action is
 * chosen (s_t, a_t, log π_old(a_t|s_t), V(s_t)), {@link complete} when its reward and end flags
 * arrive with the next call. At a truncation the value of the observation the environment returned
 * is stored beside the step, so GAE bootstraps from it (see gae.ts).
 */
import { computeGae } from './gae';

export class RolloutBuffer {
  /** s_t, one encoded observation per row (capacity × obsSize). */
  readonly obs: Float32Array;
  readonly actions: Int32Array;
  /** log π_old(a_t|s_t) under the policy that acted. */
  readonly logProbs: Float64Array;
  /** V(s_t) under the critic at acting time. */
  readonly values: Float64Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** V(s_{t+1}) of the observation returned at a truncation (0 elsewhere). */
  readonly truncationValues: Float64Array;
  /** Â_t and R̂_t, written by {@link computeReturnsAndAdvantages}. */
  readonly advantages: Float64Array;
  readonly returns: Float64Array;
  /** Steps completed (reward received). */
  size = 0;
  /** Whether step `size` has its action but not yet its reward. */
  private pending = false;

  constructor(
    readonly capacity: number,
    readonly obsSize: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a rollout needs a capacity ≥ 1, got ${capacity}`);
    this.obs = new Float32Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.logProbs = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
    this.rewards = new Float64Array(capacity);
    this.terminated = new Uint8Array(capacity);
    this.truncated = new Uint8Array(capacity);
    this.truncationValues = new Float64Array(capacity);
    this.advantages = new Float64Array(capacity);
    this.returns = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** First half of step t: the encoded observation (obs[0..obsSize)), the action and what the networks said. */
  add(obs: Readonly<Float32Array>, action: number, logProb: number, value: number): void {
    if (this.pending || this.full) throw new Error(this.pending ? 'rollout: the previous step has no reward yet' : 'rollout: full, reset it after the update');
    const t = this.size;
    const o = t * this.obsSize;
    for (let i = 0; i < this.obsSize; i++) this.obs[o + i] = obs[i]!;
    this.actions[t] = action;
    this.logProbs[t] = logProb;
    this.values[t] = value;
    this.pending = true;
  }

  /** Second half of step t: its reward and how it ended (truncationValue read only when truncated). */
  complete(reward: number, terminated: boolean, truncated: boolean, truncationValue = 0): void {
    if (!this.pending) throw new Error('rollout: a reward arrived for no action');
    const t = this.size;
    this.rewards[t] = reward;
    this.terminated[t] = terminated ? 1 : 0;
    this.truncated[t] = truncated && !terminated ? 1 : 0;
    this.truncationValues[t] = this.truncated[t] ? truncationValue : 0;
    this.pending = false;
    this.size = t + 1;
  }

  /** GAE over the completed steps (see gae.ts); lastValue = V(s_n) of the observation after them. */
  computeReturnsAndAdvantages(lastValue: number, gamma: number, gaeLambda: number): void {
    computeGae(this.advantages, this.returns, this, this.size, lastValue, gamma, gaeLambda);
  }

  /** Empties the rollout for the next one (arrays are overwritten, not cleared). */
  reset(): void {
    this.size = 0;
    this.pending = false;
  }
}
