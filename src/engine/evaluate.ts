/**
 * Monte-Carlo evaluation of a fixed policy: play episodes with the environment's own seeded stream
 * and report the mean return with a normal-approximation 95 % confidence interval.
 */
import type { Env, Observation } from './env';

export interface RolloutReport {
  readonly episodes: number;
  readonly meanReturn: number;
  readonly stdReturn: number;
  /** 95 % CI of the mean return: mean ± 1.96 · sd / √n. */
  readonly ci95: readonly [number, number];
  readonly meanLength: number;
  /** Means of the environment's own per-episode metrics. */
  readonly metrics: Readonly<Record<string, number>>;
}

export function rollout(env: Env<Observation>, act: (observation: Observation) => number, episodes: number, seed: number): RolloutReport {
  let sum = 0;
  let sumSq = 0;
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
    sumSq += ret * ret;
  }
  const mean = sum / episodes;
  const variance = episodes > 1 ? Math.max(0, (sumSq - episodes * mean * mean) / (episodes - 1)) : 0;
  const sd = Math.sqrt(variance);
  const half = (1.96 * sd) / Math.sqrt(episodes);
  const metrics: Record<string, number> = {};
  names.forEach((n, m) => (metrics[n] = metricSums[m]! / episodes));
  return { episodes, meanReturn: mean, stdReturn: sd, ci95: [mean - half, mean + half], meanLength: lengths / episodes, metrics };
}
