/**
 * The k-armed testbed of Sutton & Barto (2018) §2.3: each arm a has a true value q*(a) ~ N(0, 1),
 * drawn when the environment is seeded, and a pull of arm a pays N(q*(a), 1). One episode is one
 * pull, so the per-episode metrics `reward` and `optimal` (1 when the best arm was pulled) give the
 * book's two learning curves: average reward and % optimal action.
 */
import * as z from 'zod';
import { defineEnv } from '../definitions';
import type { Env, StepResult } from '../env';
import { SHARE } from '../metric-range';
import { num } from '../params';
import { Rng, Stream } from '../rng';
import { discrete, type DiscreteSpace } from '../spaces';

const params = z
  .object({
    arms: num({ default: 10, int: true, min: 2, max: 1000, describe: 'Number of arms (k); their true values are drawn from N(0, 1) for each seed.' }),
  })
  .strict();

export class BanditTestbedEnv implements Env<number> {
  readonly id = 'bandit-testbed';
  readonly observationSpace: DiscreteSpace = discrete(1);
  readonly actionSpace: DiscreteSpace;
  readonly episodeMetricNames: readonly string[] = ['reward', 'optimal'];
  /** A pull pays N(q*(a), 1): any real number. */
  get rewardRange(): readonly [number, number] {
    return [-Infinity, Infinity];
  }
  private rng: Rng | null = null;
  private readonly values: Float64Array;
  private best = 0;
  private lastReward = 0;
  private lastOptimal = 0;
  private ended = true;
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: true, truncated: false };

  constructor(readonly arms: number) {
    this.actionSpace = discrete(arms);
    this.values = new Float64Array(arms);
  }

  /** q*(a) per arm (all 0 before the first seeded reset). */
  get qStar(): Readonly<Float64Array> {
    return this.values;
  }

  /** argmax_a q*(a), lowest index on ties. */
  get bestArm(): number {
    return this.best;
  }

  /** With a seed, draws a new testbed (new q*); without, keeps the arms and continues the stream. */
  reset(seed?: number): number {
    if (seed !== undefined) {
      const rng = (this.rng = new Rng(seed, Stream.env));
      this.best = 0;
      for (let a = 0; a < this.arms; a++) {
        this.values[a] = rng.normal();
        if (this.values[a]! > this.values[this.best]!) this.best = a;
      }
    }
    if (this.rng === null) throw new Error('bandit-testbed: the first reset needs a seed (reset(seed))');
    this.ended = false;
    return 0;
  }

  step(action: number): StepResult<number> {
    const rng = this.rng;
    if (rng === null || this.ended) throw new Error(rng === null ? 'bandit-testbed: call reset(seed) before step()' : 'bandit-testbed: the episode (one pull) has ended: call reset() before step()');
    if (!(action >= 0 && action < this.arms && (action | 0) === action)) throw new RangeError(`bandit-testbed: arm ${action} is not in 0..${this.arms - 1}`);
    this.lastReward = this.values[action]! + rng.normal();
    this.lastOptimal = action === this.best ? 1 : 0;
    this.ended = true;
    this.result.reward = this.lastReward;
    return this.result;
  }

  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.lastReward;
    out[offset + 1] = this.lastOptimal;
  }
}

export const banditTestbed = defineEnv({
  id: 'bandit-testbed',
  title: 'k-armed bandit testbed',
  description:
    'Sutton & Barto\'s 10-armed testbed (§2.3): every seed draws new true arm values from N(0, 1) and each pull pays a normal reward around the pulled arm\'s value. One episode is one pull; the metrics are the reward and whether the best arm was pulled.',
  params,
  // The two curves of §2.3: average reward, and % optimal action. One pull an episode: `length` is always 1.
  metricDirections: { reward: 'higher', optimal: 'higher' },
  // `optimal` is 0 or 1 an episode, so its mean is a share (the book's % optimal action).
  metricRanges: { optimal: SHARE },
  noSeparateEvaluation: 'bandit-testbed draws its arms\' true values from the seed, so a separate evaluation environment would be another testbed: remove evaluation (the `optimal` metric says how often the best arm is pulled)',
  maxEpisodeSteps: () => 1,
  create: (p): Env => new BanditTestbedEnv(p.arms),
});
