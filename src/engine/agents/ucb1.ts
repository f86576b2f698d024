/**
 * Upper-confidence-bound action selection (Auer, Cesa-Bianchi & Fischer 2002, "UCB1"; Sutton &
 * Barto 2018, §2.7, eq. 2.10): pull the arm whose estimate plus an uncertainty bonus is largest,
 * so rarely pulled arms are tried again as time passes, without random exploration.
 *
 *   A_t = argmax_a [ Q_t(a) + c · sqrt( ln t / N_t(a) ) ]
 *   Q_{n+1} = Q_n + (1/n) (R_n − Q_n)          (sample averages)
 *
 * t counts pulls from 1 (t = 1 + Σ_a N_t(a), S&B's notation); an arm with N_t(a) = 0 is treated as
 * maximising, so every arm is pulled once first, in index order (0, 1, …, k−1), as in Auer et al.'s
 * "play each machine once". Auer et al.'s UCB1 is c = √2 with ln of the plays so far (t − 1); S&B's
 * Figure 2.4 uses c = 2. The rule is deterministic: remaining ties go to the lowest index, and the
 * agent draws nothing from its rng.
 *
 * The agent is context-free: it ignores observations, and on multi-step environments every step's
 * reward updates the arm pulled at that step.
 */
import * as z from 'zod';
import { defineAgent } from '../definitions';
import { num } from '../params';
import { BanditAgent } from './bandit';

const params = z.strictObject({
  c: num({
    default: 2,
    gt: 0,
    max: 100,
    describe: 'Exploration weight c on the confidence bonus sqrt(ln t / N(a)); scale it with the spread of rewards (√2 is Auer et al.\'s UCB1 for rewards in [0, 1]).',
  }),
});

export type Ucb1Params = z.output<typeof params>;

class Ucb1Agent extends BanditAgent {
  readonly id = 'ucb1';
  readonly episodeMetricNames = ['train/bonus'] as const;
  /** N_t(a): how often each arm has been pulled and learned from. */
  private readonly n: Float64Array;
  /** Σ_a N_t(a): pulls learned from so far (t − 1). */
  private pulls = 0;

  constructor(
    private readonly c: number,
    actions: number,
  ) {
    super(actions, 0);
    this.n = new Float64Array(actions);
  }

  /**
   * `train/bonus`: the bonus c·sqrt(ln t / N(a)) the last pulled arm would carry at the next pull.
   * It shrinks like sqrt(ln t / N): how much UCB1 is still paying for exploration.
   */
  episodeMetrics(out: Float64Array, offset: number): void {
    const nA = this.n[this.lastAction]!;
    out[offset] = nA > 0 ? this.c * Math.sqrt(Math.log(this.pulls + 1) / nA) : 0;
  }

  protected learn(reward: number): void {
    const a = this.lastAction;
    const nA = ++this.n[a]!;
    this.q[a]! += (reward - this.q[a]!) / nA;
    this.pulls++;
  }

  protected act(): number {
    const logT = Math.log(this.pulls + 1);
    let best = 0;
    let bestValue = -Infinity;
    for (let a = 0; a < this.k; a++) {
      const nA = this.n[a]!;
      if (nA === 0) return a; // untried arms first, in index order
      const upperBound = this.q[a]! + this.c * Math.sqrt(logT / nA);
      if (upperBound > bestValue) {
        bestValue = upperBound;
        best = a;
      }
    }
    return best;
  }
}

export const ucb1 = defineAgent({
  id: 'ucb1',
  title: 'UCB1',
  description:
    'Pulls the arm with the highest optimistic estimate: its average reward plus a bonus that grows for arms not tried lately. ' +
    'Deterministic and tuning-light, it wastes fewer pulls than ε-greedy on stationary catalogues once c suits the reward spread. ' +
    'It pulls every arm once before exploiting and repeats its choice until feedback arrives, so with hundreds of items or batched feedback prefer Thompson sampling.',
  family: 'bandit',
  keeps: ['table'],
  params,
  // The exploration bonus of the arm pulled: a diagnostic that shrinks as counts grow.
  metricDirections: { 'train/bonus': null },
  compatible: () => null,
  create(p, ctx) {
    return new Ucb1Agent(p.c, ctx.actionSpace.n);
  },
});
