/**
 * LinUCB with disjoint linear models (Li, Chu, Langford & Schapire 2010, "A Contextual-Bandit
 * Approach to Personalized News Article Recommendation", WWW, Algorithm 1): each arm a has its own
 * ridge regression of reward on the context x_t (the observation vector), and the agent pulls the
 * arm with the largest upper confidence bound on its predicted reward.
 *
 *   A_a = λ I + Σ_{t: a_t = a} x_t x_tᵀ          (d × d)
 *   b_a =       Σ_{t: a_t = a} r_t x_t           (d)
 *   θ̂_a = A_a⁻¹ b_a
 *   p_{t,a} = θ̂_aᵀ x_t + α · sqrt(x_tᵀ A_a⁻¹ x_t)
 *   a_t = argmax_a p_{t,a}                         (ties uniformly at random)
 *
 * A_a⁻¹ is kept directly and updated by Sherman–Morrison, so no matrix is ever inverted:
 *
 *   (A + x xᵀ)⁻¹ = A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x)      (A⁻¹ symmetric)
 *
 * θ̂_a is refreshed after each of the arm's updates, so choosing costs O(k·nnz²) with nnz the
 * context's non-zero features, learning O(d²), and nothing is allocated per step. With `bias` a constant feature 1 is appended to x (Li et al.'s features include one), so
 * every arm also learns its context-free mean. On multi-step episodes every step's reward is
 * credited to the arm pulled at that step in that step's context: a bandit optimises the next
 * reward only. The greedy model, argmax_a θ̂_aᵀx, exports as a one-layer linear network (weights()).
 */
import * as z from 'zod';
import type { Agent, NetworkWeights } from '../agent';
import type { Observation } from '../env';
import { needsVectorProblem } from '../cross-field';
import { defineAgent } from '../definitions';
import { flag, num, thousands } from '../params';
import type { Rng } from '../rng';

const params = z.strictObject({
  alpha: num({
    default: 1,
    min: 0,
    max: 100,
    describe: 'Exploration weight α on the confidence width sqrt(xᵀA⁻¹x); 0 is greedy ridge regression, larger explores more (scale it with the reward\'s spread).',
  }),
  lambda: num({
    default: 1,
    gt: 0,
    max: 1e6,
    describe: 'Ridge penalty λ: each arm\'s A starts at λI, shrinking its weights towards 0 until data arrives (larger = stronger prior, narrower early bounds).',
  }),
  bias: flag(true, 'Append a constant feature 1 to the observation, so each arm also learns a context-free mean reward.'),
});

export type LinUcbParams = z.output<typeof params>;

/** Above this many numbers in the A⁻¹ matrices (k·d², 8 bytes each) the agent refuses to start. */
const MAX_MATRIX_NUMBERS = 50_000_000;

export class LinUcbAgent implements Agent<Observation> {
  readonly id = 'linucb';
  readonly episodeMetricNames = ['train/bonus'] as const;
  private readonly k: number;
  private readonly d: number;
  /** A_a⁻¹ for every arm, row-major, arm a at a·d². */
  private readonly aInv: Float64Array;
  /** b_a for every arm, arm a at a·d. */
  private readonly b: Float64Array;
  /** θ̂_a = A_a⁻¹ b_a for every arm, kept current by learn(), arm a at a·d. */
  private readonly theta: Float64Array;
  /** The current context x (with the bias feature) and the indices of its non-zero features. */
  private readonly x: Float64Array;
  private readonly nonZero: Int32Array;
  private nonZeros = 0;
  /** The context of the pull awaiting its reward. */
  private readonly lastX: Float64Array;
  /** Scratch: u = A_a⁻¹ x. */
  private readonly u: Float64Array;
  private lastAction = 0;
  /** Sum and count of the chosen arms' bonuses α·sqrt(xᵀA⁻¹x) this episode. */
  private bonusSum = 0;
  private pulls = 0;

  constructor(
    private readonly p: LinUcbParams,
    features: number,
    actions: number,
    private readonly rng: Rng,
  ) {
    this.k = actions;
    this.d = features + (p.bias ? 1 : 0);
    const d = this.d;
    this.aInv = new Float64Array(actions * d * d);
    for (let a = 0; a < actions; a++) for (let i = 0; i < d; i++) this.aInv[a * d * d + i * d + i] = 1 / p.lambda;
    this.b = new Float64Array(actions * d);
    this.theta = new Float64Array(actions * d);
    this.x = new Float64Array(d);
    this.nonZero = new Int32Array(d);
    this.lastX = new Float64Array(d);
    this.u = new Float64Array(d);
  }

  /** x ← the observation (and the bias feature), and the list of its non-zero features. */
  private load(observation: Observation): void {
    const obs = observation as Float32Array;
    const x = this.x;
    for (let i = 0; i < obs.length; i++) x[i] = obs[i]!;
    if (this.p.bias) x[this.d - 1] = 1;
    let n = 0;
    for (let i = 0; i < this.d; i++) if (x[i] !== 0) this.nonZero[n++] = i;
    this.nonZeros = n;
  }

  /**
   * argmax_a θ̂_aᵀx + α·sqrt(xᵀA_a⁻¹x), ties uniformly at random when `random`. Both terms run over
   * the non-zero features only (the shop's observation is mostly one-hot), so an arm costs
   * O(nnz²) rather than O(d²).
   */
  private choose(alpha: number, random: boolean): number {
    const { x, nonZero, aInv, theta, d } = this;
    const nnz = this.nonZeros;
    const dd = d * d;
    let best = -Infinity;
    let bestBonus = 0;
    let choice = 0;
    let ties = 0;
    for (let a = 0; a < this.k; a++) {
      let predicted = 0;
      let xAx = 0;
      for (let p = 0; p < nnz; p++) {
        const i = nonZero[p]!;
        const xi = x[i]!;
        predicted += theta[a * d + i]! * xi;
        if (alpha > 0) {
          const row = a * dd + i * d;
          let s = 0;
          for (let q = 0; q < nnz; q++) s += aInv[row + nonZero[q]!]! * x[nonZero[q]!]!;
          xAx += xi * s;
        }
      }
      // Round-off can leave xᵀA⁻¹x a hair below 0 after many updates: clamp before the root.
      const bonus = alpha > 0 ? alpha * Math.sqrt(xAx > 0 ? xAx : 0) : 0;
      const value = predicted + bonus;
      if (value > best) {
        best = value;
        bestBonus = bonus;
        choice = a;
        ties = 1;
      } else if (value === best && random && this.rng.int(++ties) === 0) {
        choice = a;
        bestBonus = bonus;
      }
    }
    this.bonusSum += bestBonus;
    return choice;
  }

  private act(observation: Observation): number {
    this.load(observation);
    const a = this.choose(this.p.alpha, true);
    this.pulls++;
    this.lastAction = a;
    this.lastX.set(this.x);
    return a;
  }

  /**
   * For the last pull: u = A_a⁻¹x, A_a⁻¹ ← A_a⁻¹ − u uᵀ / (1 + xᵀu) (Sherman–Morrison),
   * b_a ← b_a + r x, θ̂_a ← A_a⁻¹ b_a. O(d²), once per step.
   */
  private learn(reward: number): void {
    const { aInv, b, theta, u, d } = this;
    const a = this.lastAction;
    const x = this.lastX;
    const base = a * d * d;
    let xu = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const row = base + i * d;
      for (let j = 0; j < d; j++) s += aInv[row + j]! * x[j]!;
      u[i] = s;
      xu += x[i]! * s;
    }
    const scale = 1 / (1 + xu);
    for (let i = 0; i < d; i++) {
      const ui = u[i]! * scale;
      const row = base + i * d;
      for (let j = 0; j < d; j++) aInv[row + j] = aInv[row + j]! - ui * u[j]!;
    }
    const o = a * d;
    for (let i = 0; i < d; i++) b[o + i] = b[o + i]! + reward * x[i]!;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const row = base + i * d;
      for (let j = 0; j < d; j++) s += aInv[row + j]! * b[o + j]!;
      theta[o + i] = s;
    }
  }

  start(observation: Observation): number {
    this.bonusSum = 0;
    this.pulls = 0;
    return this.act(observation);
  }

  step(reward: number, observation: Observation): number {
    this.learn(reward);
    return this.act(observation);
  }

  end(reward: number, _observation: Observation, _terminated: boolean): void {
    this.learn(reward);
  }

  /** argmax_a θ̂_aᵀx: the learned model without the exploration bonus (ties to the lowest index). */
  greedyAction(observation: Observation): number {
    const sum = this.bonusSum;
    this.load(observation);
    const a = this.choose(0, false);
    this.bonusSum = sum;
    return a;
  }

  /** `train/bonus`: the mean confidence bonus of the arms pulled this episode; falls as the models firm up. */
  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.pulls > 0 ? this.bonusSum / this.pulls : NaN;
  }

  /**
   * The greedy model as a network of one linear layer, for weights checkpoints and policy export:
   * output a is θ̂_aᵀx, with W's row a the arm's feature weights and b_a its bias feature's weight
   * (0 without `bias`). Its argmax is greedyAction's choice, ties to the lowest index as there; the
   * weights are float32, as every network's, so a served choice can only differ where two arms'
   * predictions agree to float32 precision (about 7 significant digits). A fresh copy each call.
   */
  weights(): NetworkWeights {
    const { k, d, theta } = this;
    const features = this.p.bias ? d - 1 : d;
    const params = new Float32Array(k * features + k);
    for (let a = 0; a < k; a++) {
      for (let i = 0; i < features; i++) params[a * features + i] = theta[a * d + i]!;
      if (this.p.bias) params[k * features + a] = theta[a * d + d - 1]!;
    }
    return { spec: { sizes: [features, k], activations: ['linear'] }, params, encoding: { kind: 'vector', size: features }, output: 'q' };
  }

  /** A_a⁻¹ (a copy), for tests and diagnostics. */
  inverse(a: number): Float64Array {
    const dd = this.d * this.d;
    return this.aInv.slice(a * dd, (a + 1) * dd);
  }
}

export const linucb = defineAgent({
  id: 'linucb',
  title: 'LinUCB',
  description:
    'A contextual bandit: for every item, a ridge regression predicts the reward from the user\'s feature vector, and the agent recommends the item with the highest prediction plus a confidence bonus (Li et al. 2010). ' +
    'It personalises from the first session and explores where its models are unsure, which makes it the standard choice for news and product recommendations with informative user features; ' +
    'it optimises the next click only (no fatigue or churn), and its cost grows with items × features², so keep the feature vector short.',
  family: 'bandit',
  keeps: ['network'],
  params,
  // The exploration bonus of the arm pulled: a diagnostic that shrinks as counts grow.
  metricDirections: { 'train/bonus': null },
  compatible(observationSpace, actionSpace) {
    if (observationSpace.kind !== 'box') {
      return needsVectorProblem('linucb', observationSpace.n);
    }
    const d = observationSpace.size + 1;
    if (actionSpace.n * d * d > MAX_MATRIX_NUMBERS) {
      return `linucb would keep ${thousands(actionSpace.n)} matrices of ${thousands(d)}×${thousands(d)} numbers (${thousands(Math.round((actionSpace.n * d * d * 8) / 1e6))} MB): use fewer items or features`;
    }
    return null;
  },
  create(p, ctx) {
    const space = ctx.observationSpace;
    if (space.kind !== 'box') throw new RangeError('linucb needs a vector observation space (Box)');
    return new LinUcbAgent(p, space.size, ctx.actionSpace.n, ctx.rng);
  },
});
