/**
 * Monte-Carlo evaluation of a fixed policy: play episodes with the environment's own seeded stream
 * and report the mean return with its 95 % confidence interval (Student's t: the standard deviation
 * is estimated from the same episodes, and a normal interval covers the mean too rarely when they
 * are few, 70 % of the time with 2).
 */
import type { Env, Observation } from './env';
import { tHalfWidth95 } from './stats/describe';

/** Episodes a Monte-Carlo evaluation needs at least: an interval needs a spread, and one episode has none. */
export const MIN_ROLLOUT_EPISODES = 2;

export interface RolloutReport {
  readonly episodes: number;
  readonly meanReturn: number;
  readonly stdReturn: number;
  /** 95 % CI of the mean return: mean ± t_{0.975, n−1} · sd / √n. */
  readonly ci95: readonly [number, number];
  readonly meanLength: number;
  /** Means of the environment's own per-episode metrics. */
  readonly metrics: Readonly<Record<string, number>>;
}

export function rollout(env: Env<Observation>, act: (observation: Observation) => number, episodes: number, seed: number): RolloutReport {
  if (!(Number.isInteger(episodes) && episodes >= MIN_ROLLOUT_EPISODES)) throw new RangeError(`episodes must be a whole number ≥ ${MIN_ROLLOUT_EPISODES}, got ${episodes}`);
  const played = playPolicy(env, act, episodes, seed);
  const half = tHalfWidth95(played.stdReturn, episodes);
  return { ...played, ci95: [played.meanReturn - half, played.meanReturn + half] };
}

/**
 * {@link rollout}'s episodes without the interval, from one episode on (whose stdReturn is NaN: a
 * single return has no spread). The environment is reset with `seed` first, so playing the same
 * policy again with the same seed plays the same episodes.
 */
export function playPolicy(env: Env<Observation>, act: (observation: Observation) => number, episodes: number, seed: number): Omit<RolloutReport, 'ci95'> {
  // Welford's running mean and sum of squared deviations: Σx² − n·x̄² cancels to noise when the
  // returns are large next to their spread (revenue in cents: 1e7 ± 10). The mean reported is the
  // plain sum over n (the running mean differs from it in the last bits).
  let sum = 0;
  let running = 0;
  let squares = 0;
  let lengths = 0;
  const names = env.episodeMetricNames;
  const row = new Float64Array(names.length);
  const metricSums = new Float64Array(names.length);
  for (let e = 0; e < episodes; e++) {
    let observation = env.reset(e === 0 ? seed : undefined);
    let ret = 0;
    for (;;) {
      const r = env.step(act(observation));
      ret += r.reward;
      lengths++;
      observation = r.observation;
      if (r.terminated || r.truncated) break;
    }
    env.episodeMetrics(row, 0);
    for (let m = 0; m < row.length; m++) metricSums[m] = metricSums[m]! + row[m]!;
    sum += ret;
    const delta = ret - running;
    running += delta / (e + 1);
    squares += delta * (ret - running);
  }
  const metrics: Record<string, number> = {};
  names.forEach((n, m) => (metrics[n] = metricSums[m]! / episodes));
  return { episodes, meanReturn: sum / episodes, stdReturn: episodes > 1 ? Math.sqrt(squares / (episodes - 1)) : NaN, meanLength: lengths / episodes, metrics };
}
