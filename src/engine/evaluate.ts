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
  /**
   * With a `gamma` below 1: the same episodes' discounted returns (Σ γ^t r_t from their first step),
   * their mean and its 95 % CI, to set beside an exact value discounted by that γ (the undiscounted
   * mean above is not comparable with it).
   */
  readonly discounted?: { readonly gamma: number; readonly meanReturn: number; readonly stdReturn: number; readonly ci95: readonly [number, number] };
}

export function rollout(env: Env<Observation>, act: (observation: Observation) => number, episodes: number, seed: number, gamma = 1): RolloutReport {
  if (!(Number.isInteger(episodes) && episodes >= MIN_ROLLOUT_EPISODES)) throw new RangeError(`episodes must be a whole number ≥ ${MIN_ROLLOUT_EPISODES}, got ${episodes}`);
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`gamma must be from 0 to 1, got ${gamma}`);
  const played = playPolicy(env, act, episodes, seed, gamma);
  const interval = (mean: number, sd: number) => {
    const half = tHalfWidth95(sd, episodes);
    return [mean - half, mean + half] as const;
  };
  const { discounted, ...rest } = played;
  return {
    ...rest,
    ci95: interval(played.meanReturn, played.stdReturn),
    ...(discounted ? { discounted: { ...discounted, ci95: interval(discounted.meanReturn, discounted.stdReturn) } } : {}),
  };
}

/** Welford's running mean and sum of squared deviations, beside the plain sum (see playPolicy). */
class Moments {
  sum = 0;
  private running = 0;
  private squares = 0;
  private n = 0;
  add(x: number): void {
    this.sum += x;
    this.n++;
    const delta = x - this.running;
    this.running += delta / this.n;
    this.squares += delta * (x - this.running);
  }
  /** The sample standard deviation (NaN for one value). */
  sd(): number {
    return this.n > 1 ? Math.sqrt(this.squares / (this.n - 1)) : NaN;
  }
}

/**
 * {@link rollout}'s episodes without the interval, from one episode on (whose stdReturn is NaN: a
 * single return has no spread). The environment is reset with `seed` first, so playing the same
 * policy again with the same seed plays the same episodes. With `gamma` below 1 the discounted
 * returns are summed too.
 */
export function playPolicy(
  env: Env<Observation>,
  act: (observation: Observation) => number,
  episodes: number,
  seed: number,
  gamma = 1,
): Omit<RolloutReport, 'ci95' | 'discounted'> & { discounted?: Omit<NonNullable<RolloutReport['discounted']>, 'ci95'> } {
  // Welford's running mean and sum of squared deviations: Σx² − n·x̄² cancels to noise when the
  // returns are large next to their spread (revenue in cents: 1e7 ± 10). The mean reported is the
  // plain sum over n (the running mean differs from it in the last bits).
  const returns = new Moments();
  const discounted = gamma < 1 ? new Moments() : undefined;
  let lengths = 0;
  const names = env.episodeMetricNames;
  const row = new Float64Array(names.length);
  const metricSums = new Float64Array(names.length);
  for (let e = 0; e < episodes; e++) {
    let observation = env.reset(e === 0 ? seed : undefined);
    let ret = 0;
    let discountedRet = 0;
    let weight = 1;
    for (;;) {
      const r = env.step(act(observation));
      ret += r.reward;
      discountedRet += weight * r.reward;
      weight *= gamma;
      lengths++;
      observation = r.observation;
      if (r.terminated || r.truncated) break;
    }
    env.episodeMetrics(row, 0);
    for (let m = 0; m < row.length; m++) metricSums[m] = metricSums[m]! + row[m]!;
    returns.add(ret);
    discounted?.add(discountedRet);
  }
  const metrics: Record<string, number> = {};
  names.forEach((n, m) => (metrics[n] = metricSums[m]! / episodes));
  return {
    episodes,
    meanReturn: returns.sum / episodes,
    stdReturn: returns.sd(),
    meanLength: lengths / episodes,
    metrics,
    ...(discounted ? { discounted: { gamma, meanReturn: discounted.sum / episodes, stdReturn: discounted.sd() } } : {}),
  };
}
