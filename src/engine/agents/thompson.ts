/**
 * Thompson sampling (Thompson 1933; Russo et al. 2018, "A Tutorial on Thompson Sampling"; Sutton &
 * Barto 2018, §2.10): keep a posterior over each arm's mean reward, draw one plausible mean per arm
 * from it, and pull the arm whose draw is largest, so each arm is pulled with the posterior
 * probability that it is the best.
 *
 *   θ_a ~ p(μ_a | history),   A_t = argmax_a θ_a   (ties, which have probability 0, to the lowest index)
 *
 * 'gaussian': rewards R ~ N(μ_a, σ²) with known σ² (`noiseVariance`, default 1), prior
 *   μ_a ~ N(μ_0, τ_0²). After n rewards
 *   precision  1/τ_n² = 1/τ_0² + n/σ²
 *   mean       μ_n = τ_n² (μ_0/τ_0² + Σ_i R_i/σ²)
 * computed incrementally as λ ← λ + 1/σ², μ ← μ + (R − μ)/(σ² λ) with λ = 1/τ_n².
 *
 * 'bernoulli': prior μ_a ~ Beta(α_0, β_0); a reward r ∈ [0, 1] counts as one Bernoulli trial that
 *   succeeds with probability r (Agrawal & Goyal 2012), so fractional rewards stay valid:
 *   success → α ← α + 1,  failure → β ← β + 1;  posterior mean α/(α + β).
 *   Rewards of exactly 0 or 1 draw nothing, so on binary rewards the counts are exact.
 *
 * The agent is context-free: it ignores observations, and on multi-step environments every step's
 * reward updates the arm pulled at that step. `values()` shows the posterior means.
 */
import * as z from 'zod';
import { defineAgent } from '../definitions';
import type { Rng } from '../rng';
import { choice, num, show } from '../params';
import { BanditAgent } from './bandit';

/**
 * The least priorVariance and noiseVariance. Below ~5.6e-309 a variance's reciprocal, the precision
 * the posterior adds up, is Infinity, and with n/σ² past 1.8e308 (σ² = 1e-305 and 2,000 pulls) the
 * sum is: the posterior mean then stopped moving, (R − μ)/(σ² · ∞) = 0, and an arm kept its prior
 * mean whatever it paid. At 1e-12 (a reward's standard deviation of 1e-6, deterministic for any
 * reward in clicks or money) the precision stays finite for 10²⁹⁶ pulls.
 */
const MIN_VARIANCE = 1e-12;

const params = z.strictObject({
  model: choice(
    ['gaussian', 'bernoulli'],
    'gaussian',
    'Reward model: "gaussian" for any real reward (noise variance noiseVariance), "bernoulli" for clicks or conversions in [0, 1].',
  ),
  priorMean: num({ default: 0, describe: 'Gaussian model: prior mean μ_0 of every arm\'s mean reward.' }),
  priorVariance: num({
    default: 1,
    min: MIN_VARIANCE,
    describe: 'Gaussian model: prior variance τ_0² of every arm\'s mean reward; larger explores more at first (at least 1e-12, so that its precision 1/τ_0² stays a finite number).',
  }),
  noiseVariance: num({
    default: 1,
    min: MIN_VARIANCE,
    describe:
      'Gaussian model: the known variance σ² of a reward around its arm\'s mean; set it near the reward variance (e.g. revenue²) so exploration matches the noise (at least 1e-12, so that the precision 1/σ² each reward adds stays a finite number).',
  }),
  priorAlpha: num({ default: 1, gt: 0, describe: 'Bernoulli model: prior successes α_0 of the Beta prior (1 with priorBeta 1 is uniform).' }),
  priorBeta: num({ default: 1, gt: 0, describe: 'Bernoulli model: prior failures β_0 of the Beta prior.' }),
});

export type ThompsonParams = z.output<typeof params>;

class ThompsonAgent extends BanditAgent {
  readonly id = 'thompson';
  readonly episodeMetricNames = ['train/posterior_sd'] as const;
  private readonly bernoulli: boolean;
  /** Gaussian: known reward noise variance σ². */
  private readonly noiseVariance: number;
  /** Gaussian: posterior precision λ = 1/τ_n². */
  private readonly precision: Float64Array;
  /** Bernoulli: Beta(α, β) posterior counts. */
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;

  constructor(
    p: ThompsonParams,
    actions: number,
    private readonly rng: Rng,
  ) {
    const bernoulli = p.model === 'bernoulli';
    super(actions, bernoulli ? p.priorAlpha / (p.priorAlpha + p.priorBeta) : p.priorMean);
    this.bernoulli = bernoulli;
    this.noiseVariance = p.noiseVariance;
    this.precision = new Float64Array(bernoulli ? 0 : actions).fill(1 / p.priorVariance);
    this.alpha = new Float64Array(bernoulli ? actions : 0).fill(p.priorAlpha);
    this.beta = new Float64Array(bernoulli ? actions : 0).fill(p.priorBeta);
  }

  /** `train/posterior_sd`: the posterior standard deviation averaged over arms; falls as arms are learned. */
  episodeMetrics(out: Float64Array, offset: number): void {
    let sum = 0;
    for (let a = 0; a < this.k; a++) {
      if (this.bernoulli) {
        const al = this.alpha[a]!;
        const be = this.beta[a]!;
        const total = al + be;
        sum += Math.sqrt((al * be) / (total * total * (total + 1)));
      } else {
        sum += 1 / Math.sqrt(this.precision[a]!);
      }
    }
    out[offset] = sum / this.k;
  }

  protected learn(reward: number): void {
    const a = this.lastAction;
    if (this.bernoulli) {
      if (!(reward >= 0 && reward <= 1)) {
        throw new RangeError(
          `thompson with model "bernoulli" needs rewards in [0, 1], got ${reward}: use model "gaussian" for rewards outside [0, 1]`,
        );
      }
      const success = reward === 1 || (reward > 0 && this.rng.next() < reward);
      if (success) this.alpha[a]!++;
      else this.beta[a]!++;
      this.q[a] = this.alpha[a]! / (this.alpha[a]! + this.beta[a]!);
    } else {
      // λ ← λ + 1/σ²;  μ ← μ + (R − μ)/(σ² λ)
      const lambda = (this.precision[a]! += 1 / this.noiseVariance);
      this.q[a]! += (reward - this.q[a]!) / (this.noiseVariance * lambda);
    }
  }

  protected act(): number {
    let best = 0;
    let bestTheta = -Infinity;
    for (let a = 0; a < this.k; a++) {
      const theta = this.bernoulli
        ? this.rng.beta(this.alpha[a]!, this.beta[a]!)
        : this.q[a]! + this.rng.normal() / Math.sqrt(this.precision[a]!);
      if (theta > bestTheta) {
        bestTheta = theta;
        best = a;
      }
    }
    return best;
  }
}

/** What an environment pays, in words: "from -100 to -1", or "any amount" for a normal reward ("from -Infinity to Infinity" read as a bug). */
function rangeText([lo, hi]: readonly [number, number]): string {
  if (lo === -Infinity && hi === Infinity) return 'rewards of any size, negative or positive';
  if (hi === Infinity) return `from ${show(lo)} up, without bound`;
  if (lo === -Infinity) return `up to ${show(hi)}, without bound below`;
  return `from ${show(lo)} to ${show(hi)}`;
}

/** Each model's own parameters: the other model's do nothing. */
const GAUSSIAN_PARAMS = ['priorMean', 'priorVariance', 'noiseVariance'] as const;
const BERNOULLI_PARAMS = ['priorAlpha', 'priorBeta'] as const;

export const thompson = defineAgent({
  id: 'thompson',
  title: 'Thompson sampling',
  description:
    'Keeps a Bayesian posterior over each arm\'s mean reward and pulls each arm with the probability that it is the best. ' +
    'Usually the strongest of the classic bandits on click-through and conversion rates (model "bernoulli"), it needs no exploration schedule ' +
    'and copes well with many items and batched feedback; use model "gaussian" for revenue-like rewards, with noiseVariance near the variance of a reward around its arm\'s mean.',
  family: 'bandit',
  keeps: ['table'],
  params,
  // The posterior's spread: a diagnostic that shrinks as counts grow.
  metricDirections: { 'train/posterior_sd': null },
  compatible: () => null,
  inertParams: (p) => (p.model === 'bernoulli' ? GAUSSIAN_PARAMS : BERNOULLI_PARAMS),
  check(p, env) {
    const range = env?.rewardRange;
    if (p.model !== 'bernoulli' || !range || (range[0] >= 0 && range[1] <= 1)) return [];
    return [`model: "bernoulli" needs rewards in [0, 1], and this environment pays ${rangeText(range)}: use model "gaussian" (or, on the shop, a reward of clicks or purchases)`];
  },
  create(p, ctx) {
    return new ThompsonAgent(p, ctx.actionSpace.n, ctx.rng);
  },
});
