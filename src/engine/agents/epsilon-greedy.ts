/**
 * ε-greedy action-value bandit (Sutton & Barto 2018, §2.2–2.6): estimate each arm's mean reward
 * and pull the best estimate, except with probability ε pull an arm uniformly at random.
 *
 *   A_t = argmax_a Q_t(a)            with probability 1 − ε (ties broken uniformly at random)
 *         a uniformly random action  with probability ε
 *
 *   Q_{n+1} = Q_n + α_n (R_n − Q_n),  α_n = 1/n (sample average, §2.4) or a constant α (§2.5)
 *
 * With a constant α the estimate is an exponential recency-weighted average (S&B eq. 2.6):
 *   Q_{n+1} = (1 − α)^n Q_1 + Σ_{i=1..n} α (1 − α)^{n−i} R_i
 * so it tracks arms whose mean drifts. Q_1 = initialQ; an optimistic Q_1 (above any plausible
 * reward) makes even a greedy agent try every arm early (§2.6).
 *
 * The agent is context-free: it ignores observations, and on multi-step environments every step's
 * reward updates the arm pulled at that step. ε follows its schedule per episode.
 */
import * as z from 'zod';
import { defineAgent } from '../definitions';
import type { Rng } from '../rng';
import { num, numberSchema } from '../params';
import { epsilonParam, type EpsilonSchedule } from '../schedule';
import { EpsilonGreedyBandit } from './bandit';
import { EPSILON_METRIC_DIRECTIONS } from './tabular';

const params = z.strictObject({
  epsilon: epsilonParam(0.1),
  alpha: numberSchema({
    gt: 0,
    max: 1,
    describe: 'Constant step size α: weights recent rewards more (for drifting arms). Leave it out for sample averages (step 1/n).',
  }).optional(),
  initialQ: num({
    default: 0,
    min: -1e6,
    max: 1e6,
    describe: 'Initial estimate Q_1 of every arm. A value above any plausible reward (optimistic) makes the agent try every arm early.',
  }),
});

export type EpsilonGreedyParams = z.output<typeof params>;

class EpsilonGreedyAgent extends EpsilonGreedyBandit {
  readonly id = 'epsilon-greedy';
  /** N(a): how often each arm has been pulled and learned from. */
  private readonly n: Float64Array;

  constructor(
    epsilonSpec: number | EpsilonSchedule,
    /** Constant step size, or undefined for sample averages. */
    private readonly alpha: number | undefined,
    initialQ: number,
    actions: number,
    rng: Rng,
  ) {
    super(epsilonSpec, actions, initialQ, rng);
    this.n = new Float64Array(actions);
  }

  protected learn(reward: number): void {
    const a = this.lastAction;
    const nA = ++this.n[a]!;
    const stepSize = this.alpha ?? 1 / nA;
    this.q[a]! += stepSize * (reward - this.q[a]!);
  }
}

export const epsilonGreedy = defineAgent({
  id: 'epsilon-greedy',
  title: 'ε-greedy bandit',
  description:
    'Pulls the arm with the best average reward so far, and a uniformly random arm with probability ε. ' +
    'The simplest bandit and a strong baseline when the catalogue is small; it keeps exploring at rate ε forever, ' +
    'so decay ε, or prefer UCB1 or Thompson sampling, when wasted pulls on bad items are costly. ' +
    'Set alpha for constant-step estimates that track drifting click rates.',
  family: 'bandit',
  keeps: ['table'],
  params,
  metricDirections: EPSILON_METRIC_DIRECTIONS,
  compatible: () => null,
  create(p, ctx) {
    return new EpsilonGreedyAgent(p.epsilon, p.alpha, p.initialQ, ctx.actionSpace.n, ctx.rng);
  },
});
