/**
 * Generalised Advantage Estimation (Schulman, Moritz, Levine, Jordan & Abbeel 2016, "High-
 * Dimensional Continuous Control Using Generalized Advantage Estimation", eq. 16): the advantage
 * of step t is the exponentially weighted sum of the TD errors that follow it,
 *
 *   δ_t = r_t + γ·V(s_{t+1})·(1 − terminated_t) − V(s_t)
 *   Â_t = δ_t + γλ·(1 − done_t)·Â_{t+1}            done_t = terminated_t ∨ truncated_t
 *   R̂_t = Â_t + V(s_t)                             (the critic's regression target)
 *
 * computed backwards over a rollout that may hold several episodes. λ = 0 gives the one-step TD
 * error, λ = 1 the Monte-Carlo return minus V(s_t).
 *
 * Episode ends. An end cuts the recursion (Â of the next episode never leaks back), and the two
 * kinds differ only in what s_{t+1} is worth:
 * - terminated: the MDP stopped; the next state is worth 0, so δ_t = r_t − V(s_t).
 * - truncated: a time limit cut an episode that would have gone on; s_{t+1} is the observation
 *   the environment returned at truncation (not the next episode's first one), and the rollout
 *   stores its value `truncationValues[t]` = V(s_{t+1}). Then δ_t = r_t + γ·V(s_{t+1}) − V(s_t).
 *   This is exactly what stable-baselines3 does (OnPolicyAlgorithm.collect_rollouts adds
 *   γ·V(terminal_observation) to the reward of a step whose info says "TimeLimit.truncated", then
 *   runs GAE with the episode cut): r_t + γ·V(s_{t+1}) here equals SB3's modified reward.
 *   (cleanrl's ppo.py treats both kinds as termination.)
 * The last step of the rollout, if not an end, bootstraps from `lastValue` = V(s_n), the value of
 * the observation the next rollout starts from.
 *
 * Everything is float64 (the TD errors of long rollouts are sums of many terms); the caller casts.
 */

/** What {@link computeGae} reads: one rollout of n steps, oldest first. */
export interface GaeInput {
  /** r_t, the reward that followed action a_t. */
  readonly rewards: ArrayLike<number>;
  /** V(s_t) as the critic estimated it when a_t was chosen. */
  readonly values: ArrayLike<number>;
  /** 1 where step t ended the episode in a terminal state. */
  readonly terminated: ArrayLike<number>;
  /** 1 where step t ended the episode by a time limit. */
  readonly truncated: ArrayLike<number>;
  /** V(s_{t+1}) of the observation returned at a truncation (read only where truncated_t = 1). */
  readonly truncationValues: ArrayLike<number>;
}

/**
 * Writes Â_t into advantages[0..n) and R̂_t = Â_t + V(s_t) into returns[0..n). Allocates nothing.
 * @param lastValue V(s_n): the value of the observation after the last step (unused if it ended an episode)
 */
export function computeGae(
  advantages: Float64Array, returns: Float64Array, rollout: GaeInput, n: number,
  lastValue: number, gamma: number, gaeLambda: number,
): void {
  const { rewards, values, terminated, truncated, truncationValues } = rollout;
  let lastGaeLam = 0;
  for (let t = n - 1; t >= 0; t--) {
    let nextValue: number;
    let nextNonTerminal: number; // 1 − done_t: whether Â_{t+1} belongs to the same episode
    if (terminated[t]) {
      nextValue = 0;
      nextNonTerminal = 0;
    } else if (truncated[t]) {
      nextValue = truncationValues[t]!;
      nextNonTerminal = 0;
    } else {
      nextValue = t === n - 1 ? lastValue : values[t + 1]!;
      nextNonTerminal = 1;
    }
    const delta = rewards[t]! + gamma * nextValue - values[t]!;
    lastGaeLam = delta + gamma * gaeLambda * nextNonTerminal * lastGaeLam;
    advantages[t] = lastGaeLam;
    returns[t] = lastGaeLam + values[t]!;
  }
}
