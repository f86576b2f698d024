/**
 * Deep Q-Network (Mnih et al. 2015, "Human-level control through deep reinforcement learning",
 * Algorithm 1) with the Double DQN target (van Hasselt, Guez & Silver 2016, "Deep Reinforcement
 * Learning with Double Q-learning", eq. 4): Q-learning with an MLP Q(s, ·; θ), experience replay
 * and a target network θ⁻. Works on every environment: a discrete observation is one-hot encoded,
 * a vector one is used as is.
 *
 *   act ε-greedily on Q(s, ·; θ); store (s, a, r, s′, terminated) in the replay buffer D
 *   every `trainFrequency` steps, once `learningStarts` transitions are stored, `gradientSteps` times:
 *     sample a minibatch (sᵢ, aᵢ, rᵢ, s′ᵢ, termᵢ) uniformly from D
 *     Double DQN:  yᵢ = rᵢ + γ (1 − termᵢ) Q(s′ᵢ, argmax_a Q(s′ᵢ, a; θ); θ⁻)   (θ chooses, θ⁻ evaluates)
 *     DQN:         yᵢ = rᵢ + γ (1 − termᵢ) max_a Q(s′ᵢ, a; θ⁻)
 *     L(θ) = (1/B) Σᵢ ℓ(Q(sᵢ, aᵢ; θ) − yᵢ),   ℓ = Huber (δ = 1) or the squared error
 *     g ← ∇_θ L;   g ← g · min(1, maxGradNorm / ‖g‖₂);   θ ← Adam(θ, g)
 *   every `targetUpdate` steps (once learning has started):  θ⁻ ← τ θ + (1 − τ) θ⁻
 *
 * Steps count environment steps over the whole run. τ = 1 (the default) is the periodic hard copy
 * of Mnih et al.; τ < 1 with targetUpdate 1 is the Polyak averaging of Lillicrap et al. (2016).
 * The two compose rather than compete (cleanrl's and stable-baselines3's rule): `targetUpdate` says
 * how often the target moves, `tau` how far. Only `terminated` stops the bootstrap; a time-limit
 * truncation still bootstraps from s′ (see replay-buffer.ts).
 *
 * ε follows Aisle's per-episode schedule (schedule.ts): the budget is counted in episodes, so a
 * decay "over the first N frames" (Mnih et al.) is written as decayEpisodes; ε is constant within
 * an episode. Everything is preallocated: a step allocates nothing.
 */
import * as z from 'zod';
import { argmax, maxOf, type Agent, type NetworkWeights, type TabularValues } from '../agent';
import { defineAgent, lateFirstUpdate, type AgentCheckEnv, type AgentContext, type RunSteps } from '../definitions';
import type { Observation } from '../env';
import { Adam, huberSelected, Mlp, mseSelected, parameterCount, type MlpSpec } from '../nn';
import { choice, flag, num, numberSchema, plural, thousands, ValidationError } from '../params';
import { replayBatchProblem } from '../cross-field';
import { MAX_AGENT_STATE_BYTES } from '../resume/format';
import type { Rng } from '../rng';
import { epsilonParam, scheduleValue, type EpsilonSchedule } from '../schedule';
import { encoderFor, encodingOf, type ObservationEncoder } from './encoding';
import { createReplayBatch, ReplayBuffer, type ReplayBatch } from './replay-buffer';
import { MAX_TABLE_VALUES, tabularParams } from './tabular';

const layerWidth = numberSchema({ int: true, min: 1, max: 1024, describe: 'Units in one hidden layer.' });
const layersError = 'must list 1 to 4 hidden layer widths (whole numbers in [1, 1024]), e.g. [64, 64]';

export const dqnParams = z.strictObject({
  hidden: z
    .array(layerWidth, { error: layersError })
    .min(1, { error: layersError })
    .max(4, { error: layersError })
    .default(() => [64, 64])
    .describe('Widths of the Q-network\'s hidden ReLU layers, from input to output: 1 to 4 layers of 1 to 1024 units.'),
  learningRate: num({ default: 1e-3, gt: 0, max: 1, describe: 'Adam step size α for the Q-network.' }),
  gamma: tabularParams.shape.gamma,
  epsilon: epsilonParam(
    0.1,
    'Exploration rate ε: the probability of a uniformly random action, constant or a linear schedule { start, end, decayEpisodes } over episodes (DQN usually decays from 1).',
  ),
  bufferSize: num({ default: 10_000, int: true, min: 1, max: 10_000_000, describe: 'Replay buffer capacity: the most recent transitions kept to learn from.' }),
  batchSize: num({ default: 64, int: true, min: 1, max: 4096, describe: 'Transitions sampled from the replay buffer per gradient step.' }),
  learningStarts: num({ default: 500, int: true, min: 0, max: 10_000_000, describe: 'Steps of pure collection before the first gradient step (fills the buffer with varied transitions).' }),
  trainFrequency: num({ default: 1, int: true, min: 1, max: 10_000, describe: 'Environment steps between training phases.' }),
  gradientSteps: num({ default: 1, int: true, min: 1, max: 100, describe: 'Gradient steps per training phase, each on a fresh minibatch.' }),
  targetUpdate: num({ default: 500, int: true, min: 1, max: 10_000_000, describe: 'Environment steps between target-network updates (with tau 1, a hard copy of the online network).' }),
  tau: num({
    default: 1,
    gt: 0,
    max: 1,
    describe: 'How far each target update moves θ⁻ towards θ: 1 copies (Mnih et al.); a small τ such as 0.005 with targetUpdate 1 is a soft (Polyak) update every step.',
  }),
  doubleDqn: flag(true, 'Double DQN target: the online network chooses the next action and the target network evaluates it, which removes most of the max operator\'s overestimation.'),
  loss: choice(['huber', 'mse'], 'huber', 'TD loss on Q(s, a) − y: Huber (δ = 1, quadratic near 0, linear beyond, robust to large TD errors) or the squared error.'),
  maxGradNorm: num({ default: 10, gt: 0, max: 1e6, describe: 'Gradients are rescaled when their global L2 norm exceeds this (clipping against rare huge TD errors).' }),
});

export type DqnParams = z.output<typeof dqnParams>;

/** Cross-field checks; each message names the field and the fix. */
export function checkDqnParams(p: DqnParams, env?: AgentCheckEnv): string[] {
  const problems: string[] = [];
  const batch = replayBatchProblem(p);
  if (batch) problems.push(batch);
  // The memory the environment's sizes call for, checked when the experiment is read (before anything is stored) as well as by the constructor.
  if (env?.observationSpace && env.actionSpace) problems.push(...dqnSizeProblems(p, encoderFor(env.observationSpace).size, env.actionSpace.n, env.observationSpace.kind === 'discrete'));
  return problems;
}

/** The other fix of a replay memory too large for a one-hot of many discrete states (ppo.ts says it too). */
const ONE_HOT_FIX = ', or choose the shop with observation "vector" (the other environments have only discrete states) or a tabular agent';

/**
 * The replay memory and network size `p` needs for observations of `obsSize` features and `nActions` actions, within the limits.
 * `oneHot`: the features are a one-hot of the states, so many states make each transition large whatever
 * bufferSize is; the shop's observation "vector" or a tabular agent is then the other way out, as PPO says.
 */
function dqnSizeProblems(p: DqnParams, obsSize: number, nActions: number, oneHot: boolean): string[] {
  const problems: string[] = [];
  const sizes = [obsSize, ...p.hidden, nActions];
  if (2 * p.bufferSize * obsSize > MAX_REPLAY_FLOATS) {
    problems.push(`bufferSize: ${thousands(p.bufferSize)} transitions of ${thousands(obsSize)} features need ${((8 * p.bufferSize * obsSize) / 2 ** 30).toFixed(1)} GiB of replay memory, more than 1 GiB: lower bufferSize${oneHot ? ONE_HOT_FIX : ''}`);
  }
  if (parameterCount(sizes) > MAX_PARAMETERS) {
    problems.push(`hidden: a network of widths [${sizes.join(', ')}] has ${thousands(parameterCount(sizes))} parameters, more than ${thousands(MAX_PARAMETERS)}: use narrower layers`);
  }
  if (problems.length > 0) return problems;
  // Within those limits a run can still hold more than its paused state may: the state is one
  // database value, and a larger one failed the run at its first autosave (~60 s in) or its pause.
  const state = dqnStateBytes(p, obsSize, nActions);
  if (state > MAX_AGENT_STATE_BYTES) {
    const perTransition = 8 * obsSize + 9;
    const rest = state - p.bufferSize * perTransition;
    const most = Math.floor((MAX_AGENT_STATE_BYTES - rest) / perTransition);
    const fix = most >= p.batchSize ? `lower bufferSize to at most ${thousands(most)}` : 'use narrower layers or a smaller batchSize, and a smaller bufferSize';
    problems.push(
      `bufferSize: a paused or autosaved run keeps its replay memory (${thousands(p.bufferSize)} transitions of ${thousands(obsSize)} features) and networks, ${thousands(Math.ceil(state / 2 ** 20))} MiB, ` +
        `more than the ${MAX_AGENT_STATE_BYTES / 2 ** 20} MiB one run's state may take in the database: ${fix}`,
    );
  }
  return problems;
}

/**
 * The bytes a DQN run's saved state takes (resume/state-tree.ts copies every typed array the agent
 * holds, a subarray view apart from its parent): the replay ring, the minibatch and step scratch,
 * and for the online and target networks their parameters and gradients (flat and as per-layer
 * views), activations and backward scratch, and Adam's two moments. test/engine/dqn.test.ts holds
 * it equal to what a captured state copies from the agent.
 */
export function dqnStateBytes(p: Pick<DqnParams, 'bufferSize' | 'batchSize' | 'hidden'>, obsSize: number, nActions: number): number {
  const sizes = [obsSize, ...p.hidden, nActions];
  const params = parameterCount(sizes);
  const widest = Math.max(...p.hidden);
  const activations = p.batchSize * (sizes.reduce((a, b) => a + b, 0) + nActions + 2 * widest);
  const network = 4 * (4 * params + activations);
  const replay = p.bufferSize * (8 * obsSize + 9);
  const scratch = p.batchSize * (8 * obsSize + 21) + 12 * obsSize;
  return replay + scratch + 2 * network + 8 * params;
}

/** Replay floats (s and s′) above which the agent refuses to start: 2^28 floats = 1 GiB. */
const MAX_REPLAY_FLOATS = 2 ** 28;
/** Network parameters above which the agent refuses to start (×6 floats with grads, Adam, target). */
const MAX_PARAMETERS = 2 ** 24;

export class DqnAgent implements Agent<Observation> {
  readonly id = 'dqn';
  readonly episodeMetricNames: readonly string[] = ['train/epsilon', 'train/loss', 'train/q'];
  /** Q(s, ·; θ), trained. */
  readonly online: Mlp;
  /** Q(s, ·; θ⁻), the slowly moving copy the targets are computed with. */
  readonly target: Mlp;
  readonly buffer: ReplayBuffer;
  /** The TD targets yᵢ of the last gradient step (batchSize rows). */
  readonly tdTarget: Float32Array;
  /**
   * Present for discrete observations whose states × actions fit a tabular agent's table
   * (MAX_TABLE_VALUES): the network's Q for every state (checkpoints, exact greedy evaluation).
   * Beyond that, where the tabular agents send users to DQN, there is no table to keep: the network
   * is what the run stores, as on vector observations.
   */
  readonly values?: () => TabularValues;
  private readonly p: DqnParams;
  private readonly rng: Rng;
  private readonly encoder: ObservationEncoder;
  private readonly nActions: number;
  private readonly adam: Adam;
  private readonly batch: ReplayBatch;
  /** argmax_a Q(s′ᵢ, a; θ) per row (Double DQN). */
  private readonly nextActions: Int32Array;
  /** s of the transition in flight, and s′ once it arrives (swapped, never copied). */
  private obs: Float32Array;
  private nextObs: Float32Array;
  /** Encoding scratch for greedyAction, so evaluating never touches the transition in flight. */
  private readonly probe: Float32Array;
  private lastAction = 0;
  private epsilon: number;
  private readonly epsilonSpec: number | EpsilonSchedule;
  /** Environment steps (stored transitions) so far, and episodes finished. */
  private steps = 0;
  private episode = 0;
  /** This episode's gradient steps, and the sums of their losses and mean max-Q. */
  private updates = 0;
  private lossSum = 0;
  private qSum = 0;

  constructor(params: DqnParams, ctx: AgentContext) {
    this.encoder = encoderFor(ctx.observationSpace);
    this.nActions = ctx.actionSpace.n;
    const obsSize = this.encoder.size;
    const sizes = [obsSize, ...params.hidden, this.nActions];
    const problems = [...checkDqnParams(params), ...dqnSizeProblems(params, obsSize, this.nActions, ctx.observationSpace.kind === 'discrete')];
    if (problems.length > 0) throw new ValidationError(problems);

    this.p = params;
    this.rng = ctx.rng;
    const spec: MlpSpec = { sizes, activations: [...params.hidden.map(() => 'relu' as const), 'linear'] };
    this.online = new Mlp(spec, { rng: ctx.rng, maxBatch: params.batchSize });
    this.target = new Mlp(spec, { rng: ctx.rng, maxBatch: params.batchSize });
    this.target.copyFrom(this.online);
    this.adam = new Adam(this.online, { lr: params.learningRate });
    this.buffer = new ReplayBuffer(params.bufferSize, obsSize);
    this.batch = createReplayBatch(params.batchSize, obsSize);
    this.tdTarget = new Float32Array(params.batchSize);
    this.nextActions = new Int32Array(params.batchSize);
    this.obs = new Float32Array(obsSize);
    this.nextObs = new Float32Array(obsSize);
    this.probe = new Float32Array(obsSize);
    this.epsilonSpec = params.epsilon;
    this.epsilon = scheduleValue(params.epsilon, 0);
    if (ctx.observationSpace.kind === 'discrete' && obsSize * this.nActions <= MAX_TABLE_VALUES) {
      const table = { states: obsSize, actions: this.nActions, q: new Float64Array(obsSize * this.nActions) };
      this.values = () => this.fillQTable(table);
    }
  }

  start(observation: Observation): number {
    this.epsilon = scheduleValue(this.epsilonSpec, this.episode);
    this.updates = 0;
    this.lossSum = 0;
    this.qSum = 0;
    this.encoder.encode(observation, this.obs, 0);
    this.lastAction = this.behave(this.obs);
    return this.lastAction;
  }

  step(reward: number, observation: Observation): number {
    this.encoder.encode(observation, this.nextObs, 0);
    this.observe(reward, false);
    this.lastAction = this.behave(this.obs);
    return this.lastAction;
  }

  end(reward: number, observation: Observation, terminated: boolean): void {
    this.encoder.encode(observation, this.nextObs, 0);
    this.observe(reward, terminated);
    this.episode++;
  }

  /** Stores the transition in flight, learns when it is time, and makes s′ the current state. */
  private observe(reward: number, terminated: boolean): void {
    const p = this.p;
    this.buffer.add(this.obs, this.lastAction, reward, this.nextObs, terminated);
    const steps = ++this.steps;
    if (steps >= p.learningStarts) {
      if (steps % p.trainFrequency === 0) for (let k = 0; k < p.gradientSteps; k++) this.update();
      if (steps % p.targetUpdate === 0) {
        if (p.tau === 1) this.target.copyFrom(this.online);
        else this.target.polyak(this.online, p.tau);
      }
    }
    const s = this.obs;
    this.obs = this.nextObs;
    this.nextObs = s;
  }

  /** One gradient step on a minibatch from the replay buffer (the rule in the module comment). */
  private update(): void {
    const { online, target, batch, tdTarget, nextActions, nActions } = this;
    const B = batch.size;
    const gamma = this.p.gamma;
    this.buffer.sample(batch, this.rng);
    const { rewards, terminated } = batch;
    if (this.p.doubleDqn) {
      const qNextOnline = online.forward(batch.nextObservations, B);
      for (let i = 0; i < B; i++) nextActions[i] = argmax(qNextOnline, i * nActions, nActions);
    }
    const qNextTarget = target.forward(batch.nextObservations, B);
    for (let i = 0; i < B; i++) {
      const o = i * nActions;
      const nextValue = this.p.doubleDqn ? qNextTarget[o + nextActions[i]!]! : maxOf(qNextTarget, o, nActions);
      tdTarget[i] = rewards[i]! + gamma * (1 - terminated[i]!) * nextValue;
    }

    const q = online.forward(batch.observations, B);
    let maxQ = 0;
    for (let i = 0; i < B; i++) maxQ += maxOf(q, i * nActions, nActions);
    online.zeroGrad();
    const loss = this.p.loss === 'huber'
      ? huberSelected(q, batch.actions, tdTarget, B, nActions, online.dOut)
      : mseSelected(q, batch.actions, tdTarget, B, nActions, online.dOut);
    online.backward();
    this.adam.clipGradNorm(this.p.maxGradNorm);
    this.adam.step();

    this.updates++;
    this.lossSum += loss;
    this.qSum += maxQ / B;
  }

  /** ε-greedy on Q(s, ·; θ): uniform with probability ε, else argmax (lowest index on ties). */
  private behave(obs: Float32Array): number {
    if (this.epsilon > 0 && this.rng.next() < this.epsilon) return this.rng.int(this.nActions);
    return argmax(this.online.forward(obs, 1), 0, this.nActions);
  }

  greedyAction(observation: Observation): number {
    this.encoder.encode(observation, this.probe, 0);
    return argmax(this.online.forward(this.probe, 1), 0, this.nActions);
  }

  /**
   * `train/epsilon`: this episode's ε. `train/loss`: the mean TD loss of its gradient steps and
   * `train/q`: their mean max_a Q(sᵢ, a; θ) over the minibatch (a rising train/q far above the
   * returns is the overestimation Double DQN targets) — both NaN before learning starts.
   */
  episodeMetrics(out: Float64Array, offset: number): void {
    out[offset] = this.epsilon;
    out[offset + 1] = this.updates > 0 ? this.lossSum / this.updates : NaN;
    out[offset + 2] = this.updates > 0 ? this.qSum / this.updates : NaN;
  }

  /** The online network Q(s, ·; θ) (params live), for checkpoints and policy export. */
  weights(): NetworkWeights {
    return { spec: this.online.spec, params: this.online.params, encoding: encodingOf(this.encoder), output: 'q' };
  }

  /** Q(s, ·; θ) of every state s (one-hot inputs, a minibatch of states per forward pass). */
  private fillQTable(table: TabularValues & { q: Float64Array }): TabularValues {
    const { online, encoder, nActions } = this;
    const input = online.input;
    for (let s0 = 0; s0 < table.states; s0 += online.maxBatch) {
      const rows = Math.min(online.maxBatch, table.states - s0);
      for (let r = 0; r < rows; r++) encoder.encode(s0 + r, input, r * encoder.size);
      const q = online.forward(input, rows);
      for (let k = 0; k < rows * nActions; k++) table.q[s0 * nActions + k] = q[k]!;
    }
    return table;
  }
}

/**
 * A network that trains while its target never moves: every TD target is r + γ·Q(s′; θ⁻) of the
 * untrained initial network, so Q learns one step of reward plus noise. stable-baselines3's
 * default target_update_interval, 10,000 steps, copied into a short run does exactly that.
 */
function frozenTarget(p: DqnParams, run: RunSteps): string[] {
  const most = run.episodes * run.perEpisode;
  const first = Math.ceil(Math.max(1, p.learningStarts) / p.targetUpdate) * p.targetUpdate;
  if (first < most) return [];
  const steps = `${plural(run.episodes, 'episode', thousands(run.episodes))} ${run.episodes === 1 ? 'takes' : 'take'} at most ${plural(most, 'step', thousands(most))} (${thousands(run.perEpisode)} each)`;
  return [
    `targetUpdate: the target network would first move at step ${thousands(first)} (targetUpdate ${thousands(p.targetUpdate)}, learningStarts ${thousands(p.learningStarts)}), and ${steps}: ` +
      `every TD target comes from the untrained initial network; lower targetUpdate well below ${thousands(most)} (or set tau 0.005 with targetUpdate 1), or raise episodes`,
  ];
}

export const dqn = defineAgent({
  id: 'dqn',
  title: 'DQN',
  description:
    'Deep Q-Network: Q-learning with a neural network, a replay buffer and a target network, with the Double DQN target by default. ' +
    'It generalises across states, so it learns on feature vectors (the shop\'s sessions) where a table cannot; on small tabular MDPs it is slower and noisier than Q-learning.',
  family: 'deep',
  keeps: ['network', 'table'],
  params: dqnParams,
  // The TD loss is the fit of Q to its targets (lower fits better); ε is the schedule's; the mean Q is an estimate, no score.
  metricDirections: { 'train/epsilon': null, 'train/loss': 'lower', 'train/q': null },
  compatible: () => null,
  check: checkDqnParams,
  // The first gradient step is at the first multiple of trainFrequency from learningStarts on, the
  // first target update at the first multiple of targetUpdate (see observe).
  warnings: (p, run) => {
    const first = Math.ceil(Math.max(1, p.learningStarts) / p.trainFrequency) * p.trainFrequency;
    const why = p.trainFrequency > 1 ? `learningStarts ${thousands(p.learningStarts)}, trainFrequency ${thousands(p.trainFrequency)}` : `learningStarts ${thousands(p.learningStarts)}`;
    const late = lateFirstUpdate('learningStarts', why, first, run);
    return late.length > 0 ? late : frozenTarget(p, run);
  },
  create: (params, ctx) => new DqnAgent(params, ctx),
});
