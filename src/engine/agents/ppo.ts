/**
 * Proximal Policy Optimization with the clipped surrogate (Schulman, Wolski, Dhariwal, Radford &
 * Klimov 2017, "Proximal Policy Optimization Algorithms", Algorithm 1 and eq. 7–9) for discrete
 * actions, after cleanrl's ppo.py (Huang et al. 2022, "The 37 Implementation Details of PPO").
 *
 * Collect nSteps transitions with π_θold (across episode ends), estimate advantages Â_t by GAE
 * (gae.ts), then for nEpochs epochs over shuffled minibatches of batchSize minimise
 *
 *   L(θ) = L^CLIP(θ) + c₁·L^VF(θ) − c₂·S[π_θ]
 *   L^CLIP = Ê_t[ max(−r_t(θ)·Â_t, −clip(r_t(θ), 1 − ε, 1 + ε)·Â_t) ]    r_t = π_θ(a_t|s_t) / π_θold(a_t|s_t)
 *   L^VF   = ½·Ê_t[ (V_θ(s_t) − R̂_t)² ]   (clipped: ½·Ê_t[max((V − R̂)², (V_old + clip(V − V_old, ±ε_V) − R̂)²)])
 *   S      = Ê_t[ −Σ_a π_θ(a|s_t) log π_θ(a|s_t) ]
 *
 * with ε = clipRange, c₁ = vfCoef, c₂ = entCoef, R̂_t = Â_t + V_old(s_t), Â normalised per minibatch
 * (normalizeAdvantage), the gradient clipped to global norm maxGradNorm over both networks, and Adam
 * (ε = 1e-5, as cleanrl). approxKl = Ê[(r − 1) − log r] (Schulman's k3 estimator of KL(π_old‖π_θ), as
 * cleanrl); with targetKl > 0 the update stops at the first minibatch whose approxKl exceeds
 * 1.5·targetKl, before its step (stable-baselines3's rule).
 *
 * Choices, where cleanrl leaves room:
 * - Separate actor and critic MLPs (cleanrl's discrete-action default), tanh hidden layers; the
 *   policy head starts at 0.01 of its Glorot scale so the first policy is near uniform (cleanrl uses
 *   orthogonal init with gain 0.01 there; our Mlp draws Glorot, see nn/mlp.ts), the value head at 1.
 * - One environment, so a rollout is nSteps consecutive steps of it.
 * - Learning-rate annealing measures "training done" in episodes, which the agent knows exactly
 *   (ctx.episodes), not in steps, which it would have to guess: the update after a rollout that
 *   began when e of E episodes had finished uses lr·(1 − e/E), falling linearly towards 0.
 * - Time-limit truncation bootstraps from the truncated observation's value (SB3; see gae.ts).
 * - Defaults are stable-baselines3's (lr 3e-4, batchSize 64, 10 epochs, γ 0.99, λ 0.95, ε 0.2,
 *   c₁ 0.5, maxGradNorm 0.5, no value clipping) with cleanrl's rollout of 128 steps per environment
 *   and its entCoef 0.01: Aisle's runs are short (an experiment defaults to 500 episodes, one step
 *   each on the bandit testbed), and SB3's 2048-step rollouts would leave them with no update.
 *   L^VF carries cleanrl's ½ (SB3's value loss is the plain mean squared error), so the same c₁
 *   weighs the critic's gradient half as much as in SB3. With a separate Adam per network that
 *   changes how much of the shared maxGradNorm budget the critic takes, not its Adam step sizes
 *   (Adam divides the scale out, up to its ε).
 *
 * Acting samples a ~ softmax(logits) with the agent's Rng; the greedy policy is argmax of the logits.
 * Nothing is allocated per step or per update.
 */
import * as z from 'zod';
import { argmax, type Agent, type NetworkWeights } from '../agent';
import { defineAgent, lateFirstUpdate, type AgentCheckEnv, type AgentContext } from '../definitions';
import type { MetricDirection } from '../metric-direction';
import type { Observation } from '../env';
import {
  Adam, Mlp, entropy, entropyBackward, logSoftmax, parameterCount, selectedLogProb, selectedLogProbBackward, valueMse,
  type Activation,
} from '../nn';
import { minibatchProblem, ppoFeaturesProblem } from '../cross-field';
import { flag, num, numberSchema, thousands, ValidationError } from '../params';
import { MAX_AGENT_STATE_BYTES } from '../resume/format';
import { shuffledIndices } from '../rng';
import type { Space } from '../spaces';
import { encoderFor, encodingOf, type ObservationEncoder } from './encoding';
import { RolloutBuffer } from './rollout-buffer';

const layersError = 'must list 1 to 4 hidden layer widths (whole numbers in [1, 1024]), e.g. [64, 64]';

const params = z.strictObject({
  learningRate: num({ default: 3e-4, gt: 0, max: 1, describe: 'Adam step size α at the start of training (cleanrl 2.5e-4, stable-baselines3 3e-4).' }),
  annealLr: flag(true, 'Decay the learning rate linearly to 0 over the experiment\'s episodes (cleanrl\'s anneal_lr).'),
  nSteps: num({ default: 128, int: true, min: 1, max: 1_000_000, describe: 'Steps collected per rollout (across episodes) before each update; a multiple of batchSize.' }),
  batchSize: num({ default: 64, int: true, min: 1, max: 1_000_000, describe: 'Minibatch size: each epoch splits the rollout into nSteps / batchSize minibatches.' }),
  nEpochs: num({ default: 10, int: true, min: 1, max: 1000, describe: 'Passes over each rollout (stable-baselines3 10, cleanrl 4).' }),
  gamma: num({ default: 0.99, min: 0, max: 1, describe: 'Discount γ: the weight of a reward one step later.' }),
  gaeLambda: num({ default: 0.95, min: 0, max: 1, describe: 'GAE λ: 0 uses the one-step TD error as advantage (low variance, biased), 1 the Monte-Carlo return (unbiased, noisy).' }),
  clipRange: num({ default: 0.2, gt: 0, max: 10, describe: 'Clip ε of the surrogate: the probability ratio π/π_old is kept within [1 − ε, 1 + ε].' }),
  clipRangeVf: num({ default: 0, min: 0, max: 1e6, describe: 'Clip of the value update around the rollout\'s values, in reward units; 0 leaves the value loss unclipped (stable-baselines3\'s default).' }),
  normalizeAdvantage: flag(true, 'Normalise the advantages of each minibatch to mean 0 and standard deviation 1. Turn it off on a small MDP whose steps all cost the same (cliff walking): there it can make the policy deterministic before it finds the goal.'),
  entCoef: num({ default: 0.01, min: 0, max: 10, describe: 'Weight c₂ of the entropy bonus: larger keeps the policy exploring longer.' }),
  vfCoef: num({ default: 0.5, min: 0, max: 100, describe: 'Weight c₁ of the value loss in the combined objective.' }),
  maxGradNorm: num({ default: 0.5, gt: 0, max: 1e6, describe: 'The global norm of the gradient (actor and critic together) is clipped to this.' }),
  targetKl: num({ default: 0, min: 0, max: 10, describe: 'Stop an update early once the approximate KL of a minibatch exceeds 1.5 × targetKl; 0 never stops.' }),
  hidden: z
    .array(numberSchema({ int: true, min: 1, max: 1024, describe: 'Units in one hidden layer.' }), { error: layersError })
    .min(1, { error: layersError })
    .max(4, { error: layersError })
    .default(() => [64, 64])
    .describe('Widths of the hidden tanh layers of the actor and of the critic (each its own network), from input to output: 1 to 4 layers of 1 to 1024 units.'),
});

export type PpoParams = z.output<typeof params>;

/** Parameters of actor and critic together above which the agent refuses to start (×4 floats with grads and Adam). */
const MAX_PARAMETERS = 2 ** 24;
/** Rollout observation floats above which the agent refuses to start: 2^28 floats = 1 GiB. */
const MAX_ROLLOUT_FLOATS = 2 ** 28;

/**
 * One minibatch's inputs and scratch, allocated once for batchSize rows. `advantages` holds Â
 * after normalisation; `logp` the log-softmax of the actor's logits (batch × nActions).
 */
export class Minibatch {
  readonly actions: Int32Array;
  readonly oldLogProbs: Float64Array;
  readonly advantages: Float64Array;
  readonly returns: Float32Array;
  readonly oldValues: Float64Array;
  readonly logp: Float32Array;
  readonly newLogProbs: Float32Array;
  readonly coefs: Float32Array;
  constructor(readonly size: number, nActions: number) {
    this.actions = new Int32Array(size);
    this.oldLogProbs = new Float64Array(size);
    this.advantages = new Float64Array(size);
    this.returns = new Float32Array(size);
    this.oldValues = new Float64Array(size);
    this.logp = new Float32Array(size * nActions);
    this.newLogProbs = new Float32Array(size);
    this.coefs = new Float32Array(size);
  }
}

export interface SurrogateStats {
  policyLoss: number;
  entropy: number;
  approxKl: number;
  clipfrac: number;
}

/**
 * L^CLIP − c₂·S on a minibatch whose `logp` holds log π_θ(·|s_i): writes the loss terms and the
 * diagnostics into `stats` and ADDS ∂(L^CLIP − c₂·S)/∂logits into dLogits. Where the unclipped
 * term −r_i·Â_i is the larger (the max is taken), the gradient is that of −r_i·Â_i, and
 * ∂r_i/∂log π_i = r_i gives the coefficient c_i = −r_i·Â_i/B on ∇log π(a_i|s_i); where the
 * clipped term is the larger it is constant in θ and c_i = 0.
 */
export function clippedSurrogateLoss(
  stats: SurrogateStats, dLogits: Float32Array, mb: Minibatch, batch: number, nActions: number,
  clipRange: number, entCoef: number,
): void {
  const { logp, newLogProbs, coefs, advantages, oldLogProbs } = mb;
  selectedLogProb(newLogProbs, logp, mb.actions, batch, nActions);
  let pgLoss = 0;
  let approxKl = 0;
  let clipped = 0;
  for (let i = 0; i < batch; i++) {
    const logRatio = newLogProbs[i]! - oldLogProbs[i]!;
    const ratio = Math.exp(logRatio);
    const adv = advantages[i]!;
    const pgLoss1 = -adv * ratio;
    const pgLoss2 = -adv * Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange);
    pgLoss += Math.max(pgLoss1, pgLoss2);
    coefs[i] = pgLoss1 >= pgLoss2 ? pgLoss1 / batch : 0;
    approxKl += ratio - 1 - logRatio;
    if (Math.abs(ratio - 1) > clipRange) clipped++;
  }
  selectedLogProbBackward(dLogits, logp, mb.actions, coefs, batch, nActions);
  if (entCoef !== 0) entropyBackward(dLogits, logp, batch, nActions, -entCoef);
  stats.policyLoss = pgLoss / batch;
  stats.entropy = entropy(logp, batch, nActions);
  stats.approxKl = approxKl / batch;
  stats.clipfrac = clipped / batch;
}

/**
 * c₁·L^VF on a minibatch (values = V_θ(s_i), one per row): returns L^VF and ADDS c₁·∂L^VF/∂V into
 * dValues. With clipRangeVf > 0 the clipped form; the clipped prediction carries gradient only
 * while |V − V_old| < clipRangeVf.
 */
export function valueLoss(
  dValues: Float32Array, values: Readonly<Float32Array>, mb: Minibatch, batch: number, clipRangeVf: number, vfCoef: number,
): number {
  if (clipRangeVf === 0) return 0.5 * valueMse(values, mb.returns, batch, dValues, 1, 0, 0.5 * vfCoef);
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const v = values[i]!;
    const target = mb.returns[i]!;
    const delta = v - mb.oldValues[i]!;
    const vClipped = mb.oldValues[i]! + Math.min(Math.max(delta, -clipRangeVf), clipRangeVf);
    const lossUnclipped = (v - target) ** 2;
    const lossClipped = (vClipped - target) ** 2;
    let grad: number;
    if (lossUnclipped >= lossClipped) {
      loss += lossUnclipped;
      grad = v - target;
    } else {
      loss += lossClipped;
      grad = Math.abs(delta) < clipRangeVf ? vClipped - target : 0;
    }
    dValues[i] = dValues[i]! + (vfCoef * grad) / batch;
  }
  return (0.5 * loss) / batch;
}

/** Global-norm clipping over two networks' gradients together (torch's clip_grad_norm_ on both). */
function clipGradNormPair(a: Mlp, b: Mlp, maxNorm: number): number {
  const norm = Math.sqrt(a.kernels.sumSquares(a.grads, a.grads.length) + b.kernels.sumSquares(b.grads, b.grads.length));
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    a.kernels.scale(a.grads, a.grads.length, coef);
    b.kernels.scale(b.grads, b.grads.length, coef);
  }
  return norm;
}

const METRICS = ['train/policy_loss', 'train/value_loss', 'train/entropy', 'train/approx_kl', 'train/clipfrac', 'train/lr'] as const;

/**
 * The value loss is the critic's squared error (lower fits better). The policy loss is the clipped
 * surrogate's negative, whose level moves with the advantages' scale rather than the policy's
 * quality; entropy, KL, clip fraction and learning rate are diagnostics. None of those has a better side.
 */
const PPO_METRIC_DIRECTIONS: Readonly<Record<(typeof METRICS)[number], MetricDirection>> = {
  'train/policy_loss': null,
  'train/value_loss': 'lower',
  'train/entropy': null,
  'train/approx_kl': null,
  'train/clipfrac': null,
  'train/lr': null,
};

export class PpoAgent implements Agent<Observation> {
  readonly id = 'ppo';
  readonly episodeMetricNames: readonly string[] = METRICS;
  readonly actor: Mlp;
  readonly critic: Mlp;
  private readonly actorOptimizer: Adam;
  private readonly criticOptimizer: Adam;
  private readonly encoder: ObservationEncoder;
  private readonly nActions: number;
  /** The rollout being collected (read it, never write it: tests and diagnostics). */
  readonly rollout: RolloutBuffer;
  private readonly mb: Minibatch;
  private readonly order: Int32Array;
  /** The current observation, encoded (1 × obsSize). */
  private readonly x: Float32Array;
  /** π(·|s) of the current observation, for sampling. */
  private readonly probs: Float64Array;
  private readonly stats: SurrogateStats = { policyLoss: 0, entropy: 0, approxKl: 0, clipfrac: 0 };
  /** Diagnostics of the latest update, in METRICS order (NaN before the first). */
  private readonly diagnostics = new Float64Array(METRICS.length).fill(NaN);
  private episodesDone = 0;
  /** Episodes finished when the current rollout began (sets the annealed learning rate). */
  private rolloutStartEpisode = 0;

  constructor(
    private readonly p: PpoParams,
    private readonly ctx: AgentContext,
  ) {
    this.encoder = encoderFor(ctx.observationSpace);
    this.nActions = ctx.actionSpace.n;
    const obsSize = this.encoder.size;
    const problems = ppoSizeProblems(p, obsSize, this.nActions);
    if (problems.length > 0) throw new ValidationError(problems);
    const tanh = p.hidden.map((): Activation => 'tanh');
    const options = { rng: ctx.rng, maxBatch: p.batchSize };
    this.actor = new Mlp({ sizes: [obsSize, ...p.hidden, this.nActions], activations: [...tanh, 'linear'] }, { ...options, outputGain: 0.01 });
    this.critic = new Mlp({ sizes: [obsSize, ...p.hidden, 1], activations: [...tanh, 'linear'] }, options);
    this.actorOptimizer = new Adam(this.actor, { lr: p.learningRate, eps: 1e-5 });
    this.criticOptimizer = new Adam(this.critic, { lr: p.learningRate, eps: 1e-5 });
    this.rollout = new RolloutBuffer(p.nSteps, obsSize);
    this.mb = new Minibatch(p.batchSize, this.nActions);
    this.order = new Int32Array(p.nSteps);
    this.x = new Float32Array(obsSize);
    this.probs = new Float64Array(this.nActions);
  }

  start(observation: Observation): number {
    return this.act(observation);
  }

  step(reward: number, observation: Observation): number {
    this.rollout.complete(reward, false, false);
    if (this.rollout.full) this.update(this.value(observation));
    return this.act(observation);
  }

  end(reward: number, observation: Observation, terminated: boolean): void {
    this.rollout.complete(reward, terminated, !terminated, terminated ? 0 : this.value(observation));
    this.episodesDone++;
    if (this.rollout.full) this.update(0);
  }

  greedyAction(observation: Observation): number {
    this.encoder.encode(observation, this.x, 0);
    return argmax(this.actor.forward(this.x, 1), 0, this.nActions);
  }

  episodeMetrics(out: Float64Array, offset: number): void {
    out.set(this.diagnostics, offset);
  }

  /**
   * The actor (params live), for checkpoints and policy export. Its outputs are the policy's
   * logits; a served policy takes their argmax, the most probable action, as greedyAction does.
   */
  weights(): NetworkWeights {
    return { spec: this.actor.spec, params: this.actor.params, encoding: encodingOf(this.encoder), output: 'logits' };
  }

  /** Samples a ~ π_θ(·|s), records (s, a, log π(a|s), V(s)) in the rollout, returns a. */
  private act(observation: Observation): number {
    const { x, probs, nActions } = this;
    this.encoder.encode(observation, x, 0);
    const logp = this.mb.logp; // free between updates: row 0 holds log π(·|s)
    logSoftmax(logp, this.actor.forward(x, 1), 1, nActions);
    for (let a = 0; a < nActions; a++) probs[a] = Math.exp(logp[a]!);
    const action = this.ctx.rng.categorical(probs);
    this.rollout.add(x, action, logp[action]!, this.critic.forward(x, 1)[0]!);
    return action;
  }

  /** V_θ(s) of an observation. */
  private value(observation: Observation): number {
    this.encoder.encode(observation, this.x, 0);
    return this.critic.forward(this.x, 1)[0]!;
  }

  /** nEpochs of minibatch steps on the full rollout; lastValue = V(s_n) of the next observation. */
  private update(lastValue: number): void {
    const { p, rollout, mb, actor, critic, stats, nActions } = this;
    const n = rollout.size;
    const batch = p.batchSize;
    rollout.computeReturnsAndAdvantages(lastValue, p.gamma, p.gaeLambda);
    const frac = p.annealLr ? Math.max(0, 1 - this.rolloutStartEpisode / this.ctx.episodes) : 1;
    const lr = p.learningRate * frac;
    this.actorOptimizer.lr = lr;
    this.criticOptimizer.lr = lr;

    let pgSum = 0, vSum = 0, entSum = 0, klSum = 0, clipSum = 0, minibatches = 0, valueSteps = 0;
    epochs: for (let epoch = 0; epoch < p.nEpochs; epoch++) {
      shuffledIndices(this.order, n, this.ctx.rng);
      for (let start = 0; start + batch <= n; start += batch) {
        this.gather(start, batch);
        actor.zeroGrad();
        critic.zeroGrad();
        logSoftmax(mb.logp, actor.forward(actor.input, batch), batch, nActions);
        clippedSurrogateLoss(stats, actor.dOut, mb, batch, nActions, p.clipRange, p.entCoef);
        pgSum += stats.policyLoss;
        entSum += stats.entropy;
        klSum += stats.approxKl;
        clipSum += stats.clipfrac;
        minibatches++;
        if (p.targetKl > 0 && stats.approxKl > 1.5 * p.targetKl) break epochs;
        actor.backward();
        vSum += valueLoss(critic.dOut, critic.forward(actor.input, batch), mb, batch, p.clipRangeVf, p.vfCoef);
        valueSteps++;
        critic.backward();
        clipGradNormPair(actor, critic, p.maxGradNorm);
        this.actorOptimizer.step();
        this.criticOptimizer.step();
      }
    }
    const d = this.diagnostics;
    d[0] = pgSum / minibatches;
    d[1] = valueSteps > 0 ? vSum / valueSteps : NaN;
    d[2] = entSum / minibatches;
    d[3] = klSum / minibatches;
    d[4] = clipSum / minibatches;
    d[5] = lr;
    rollout.reset();
    this.rolloutStartEpisode = this.episodesDone;
  }

  /** Copies minibatch rows order[start..start+batch) into the actor's input and `mb`; normalises Â. */
  private gather(start: number, batch: number): void {
    const { rollout, mb, order } = this;
    const obsSize = rollout.obsSize;
    const input = this.actor.input;
    let mean = 0;
    for (let i = 0; i < batch; i++) {
      const t = order[start + i]!;
      for (let f = 0; f < obsSize; f++) input[i * obsSize + f] = rollout.obs[t * obsSize + f]!;
      mb.actions[i] = rollout.actions[t]!;
      mb.oldLogProbs[i] = rollout.logProbs[t]!;
      mb.oldValues[i] = rollout.values[t]!;
      mb.returns[i] = rollout.returns[t]!;
      mean += mb.advantages[i] = rollout.advantages[t]!;
    }
    if (!this.p.normalizeAdvantage || batch < 2) return;
    mean /= batch;
    let ss = 0;
    for (let i = 0; i < batch; i++) ss += (mb.advantages[i]! - mean) ** 2;
    const std = Math.sqrt(ss / (batch - 1)); // unbiased, as torch's Tensor.std()
    for (let i = 0; i < batch; i++) mb.advantages[i] = (mb.advantages[i]! - mean) / (std + 1e-8);
  }
}

/** Problems with the parameter combination, each naming the field and the fix. */
function checkParams(p: PpoParams, env?: AgentCheckEnv): string[] {
  // The memory the environment's sizes call for, checked when the experiment is read (before anything is stored) as well as by the constructor.
  const sizes = env?.observationSpace && env.actionSpace ? ppoSizeProblems(p, encoderFor(env.observationSpace).size, env.actionSpace.n) : [];
  return [...batchProblems(p), ...sizes];
}

/** The actor, critic and rollout memory `p` needs for observations of `obsSize` features and `nActions` actions, within the limits. */
function ppoSizeProblems(p: PpoParams, obsSize: number, nActions: number): string[] {
  const problems: string[] = [];
  const nParams = parameterCount([obsSize, ...p.hidden, nActions]) + parameterCount([obsSize, ...p.hidden, 1]);
  if (nParams > MAX_PARAMETERS) problems.push(`hidden: actor and critic of widths [${[obsSize, ...p.hidden].join(', ')}, …] have ${thousands(nParams)} parameters, more than ${thousands(MAX_PARAMETERS)}: use narrower layers`);
  if (p.nSteps * obsSize > MAX_ROLLOUT_FLOATS) {
    problems.push(`nSteps: ${thousands(p.nSteps)} steps of ${thousands(obsSize)} features need ${((4 * p.nSteps * obsSize) / 2 ** 30).toFixed(1)} GiB of rollout memory, more than 1 GiB: lower nSteps`);
  }
  // Each network keeps, per minibatch row, every layer's activations, its output's gradient and two
  // scratch rows of the widest hidden layer (see Mlp): unchecked, a batchSize of a million on wide
  // layers passed, then failed the run ("Array buffer allocation failed") or took every GiB there was.
  const widest = Math.max(...p.hidden);
  const rowFloats = (nOut: number) => obsSize + p.hidden.reduce((a, b) => a + b, 0) + 2 * nOut + 2 * widest;
  const batchFloats = p.batchSize * (rowFloats(nActions) + rowFloats(1));
  if (batchFloats > MAX_ROLLOUT_FLOATS) {
    problems.push(`batchSize: minibatches of ${thousands(p.batchSize)} through the actor and critic of widths [${[obsSize, ...p.hidden].join(', ')}, …] need ${((4 * batchFloats) / 2 ** 30).toFixed(1)} GiB of working memory, more than 1 GiB: lower batchSize (and nSteps with it) or use narrower layers`);
  }
  if (problems.length > 0) return problems;
  // Within those limits a run can still hold more than its paused state may: the state is one
  // database value, and a larger one failed the run at its first autosave (~60 s in) or its pause.
  const state = ppoStateBytes(p, obsSize, nActions);
  if (state > MAX_AGENT_STATE_BYTES) {
    const perStep = 4 * obsSize + 58;
    const rest = state - p.nSteps * perStep;
    const most = Math.floor((MAX_AGENT_STATE_BYTES - rest) / perStep / p.batchSize) * p.batchSize;
    const fix = most >= p.batchSize ? `lower nSteps to at most ${thousands(most)} (a multiple of batchSize ${thousands(p.batchSize)})` : 'use narrower layers or a smaller batchSize, and a smaller nSteps';
    problems.push(
      `nSteps: a paused or autosaved run keeps its rollout (${thousands(p.nSteps)} steps of ${thousands(obsSize)} features) and networks, ${thousands(Math.ceil(state / 2 ** 20))} MiB, ` +
        `more than the ${MAX_AGENT_STATE_BYTES / 2 ** 20} MiB one run's state may take in the database: ${fix}`,
    );
  }
  return problems;
}

/**
 * The bytes a PPO run's saved state takes (resume/state-tree.ts copies every typed array the agent
 * holds, a subarray view apart from its parent): the rollout and its minibatch order, the
 * minibatch, the acting scratch, and for the actor and the critic their parameters and gradients
 * (flat and as per-layer views), activations and backward scratch, and Adam's two moments.
 * test/engine/ppo.test.ts holds it equal to what a captured state copies from the agent.
 */
export function ppoStateBytes(p: Pick<PpoParams, 'nSteps' | 'batchSize' | 'hidden'>, obsSize: number, nActions: number): number {
  const widest = Math.max(...p.hidden);
  const network = (nOut: number) => {
    const sizes = [obsSize, ...p.hidden, nOut];
    const activations = p.batchSize * (sizes.reduce((a, b) => a + b, 0) + nOut + 2 * widest);
    return 4 * (4 * parameterCount(sizes) + activations) + 8 * parameterCount(sizes);
  };
  // Per step: s (float32), action, log π, V, r, terminated, truncated, V(s′) at a truncation, Â, R̂, the order.
  const rollout = p.nSteps * (4 * obsSize + 58);
  const minibatch = p.batchSize * (40 + 4 * nActions);
  return rollout + minibatch + 4 * obsSize + 8 * nActions + 8 * METRICS.length + network(nActions) + network(1);
}

function batchProblems(p: PpoParams): string[] {
  const problem = minibatchProblem(p);
  return problem === undefined ? [] : [problem];
}

function compatibility(observationSpace: Space): string | null {
  // One wording with the form's env × agent rule (cross-field.ts envAgentProblems).
  return (observationSpace.kind === 'discrete' ? ppoFeaturesProblem('discrete', observationSpace.n) : ppoFeaturesProblem('box', observationSpace.size)) ?? null;
}

export const ppo = defineAgent({
  id: 'ppo',
  title: 'PPO (proximal policy optimization)',
  description:
    'A policy-gradient agent with an actor network (a softmax over items) and a critic network, trained on rollouts of its own recent experience with the clipped surrogate objective (Schulman et al. 2017), which keeps each update close to the policy that collected the data. ' +
    'Works on any environment (discrete observations are one-hot encoded); stable and tolerant of hyperparameters, but on-policy, so it needs more interaction than replay-based DQN.',
  family: 'deep',
  keeps: ['network'],
  params,
  metricDirections: PPO_METRIC_DIRECTIONS,
  compatible: (observationSpace) => compatibility(observationSpace),
  check: checkParams,
  // The first update comes when the first rollout of nSteps steps is full.
  warnings: (p, run) => lateFirstUpdate('nSteps', `nSteps ${thousands(p.nSteps)}`, p.nSteps, run),
  create: (p, ctx) => new PpoAgent(p, ctx),
});
