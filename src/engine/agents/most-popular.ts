/**
 * Most popular: recommend the item that has earned the most so far, to everyone. The
 * non-personalised baseline every recommender team ships first; a learner that cannot beat it on
 * the same seeds has learned nothing about its users.
 *
 * Popularity is learned from the rewards this agent receives, one number per action:
 *
 *   'count':  P(a) = Σ_{t: A_t = a} R_t              the chart: with reward = clicks, P(a) is the
 *                                                   item's click count (revenue: its takings)
 *   'rate':   P(a) = Σ_{t: A_t = a} R_t / N(a)       clicks per time shown (click-through rate)
 *
 *   A_t = argmax_a P(a)   (ties uniformly at random), or a uniformly random action with probability ε.
 *
 * 'count' is the chart a shop prints, but an agent that only sees the clicks on what it shows
 * feeds its own chart: the first item to be clicked is shown most and so stays on top whatever
 * the others would have earned (the popularity feedback loop). 'rate' (the default) divides by
 * exposure and so converges, given ε > 0, to the item with the highest mean reward. Context-free:
 * the observation is ignored, and on multi-step episodes every step's reward counts for the
 * action taken at that step.
 */
import * as z from 'zod';
import { defineAgent } from '../definitions';
import type { Rng } from '../rng';
import { choice } from '../params';
import { epsilonParam, type EpsilonSchedule } from '../schedule';
import { EpsilonGreedyBandit } from './bandit';
import { EPSILON_METRIC_DIRECTIONS } from './tabular';

const params = z.strictObject({
  popularity: choice(
    ['rate', 'count'],
    'rate',
    'How popularity is counted: "rate" is reward per time shown (click-through rate with reward = clicks); "count" is the total reward (click counts), the classic chart, which locks onto what it already shows.',
  ),
  epsilon: epsilonParam(
    0.1,
    'Exploration rate ε: the probability of recommending a uniformly random item instead of the most popular one (0 for the pure chart), constant or a schedule { start, end, decayEpisodes }.',
  ),
});

export type MostPopularParams = z.output<typeof params>;

class MostPopularAgent extends EpsilonGreedyBandit {
  readonly id = 'most-popular';
  /** N(a): how often each action has been taken and learned from. */
  private readonly n: Float64Array;
  private readonly rate: boolean;

  constructor(popularity: MostPopularParams['popularity'], epsilonSpec: number | EpsilonSchedule, actions: number, rng: Rng) {
    super(epsilonSpec, actions, 0, rng);
    this.rate = popularity === 'rate';
    this.n = new Float64Array(actions);
  }

  protected learn(reward: number): void {
    const a = this.lastAction;
    const nA = ++this.n[a]!;
    // 'rate': the running mean P ← P + (R − P)/N; 'count': the running total P ← P + R.
    this.q[a]! += this.rate ? (reward - this.q[a]!) / nA : reward;
  }
}

export const mostPopular = defineAgent({
  id: 'most-popular',
  title: 'Most popular',
  description:
    'Recommends the item that has earned the most reward so far (with reward = clicks: the most clicked per time shown, or in total), the same item to every user, ' +
    'with a uniformly random item with probability ε. The non-personalised baseline: a personalised or long-term policy must beat it to be worth its complexity. ' +
    'It learns only from what it shows, so "count" popularity locks onto its own early choices; "rate" corrects for exposure.',
  family: 'baseline',
  keeps: ['table'],
  params,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: () => null,
  create(p, ctx) {
    return new MostPopularAgent(p.popularity, p.epsilon, ctx.actionSpace.n, ctx.rng);
  },
});
