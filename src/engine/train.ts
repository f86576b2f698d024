/**
 * The training loop every run goes through, in a worker or in-process alike: build the environment
 * and agent from a run spec, play episodes, report each episode's metrics through a hook that can
 * stop the run (cancel), snapshot Q-tables (tabular agents) and network weights (DQN, PPO) at
 * checkpoints, and finish with a summary and, for tabular agents on a tabular MDP, the exact value
 * of the learned greedy policy. Episodes are played by the environment and agent objects (the
 * reference loop) or, for the tabular agents on seed-toy and tabular-mdp, by a WebAssembly kernel
 * that gives the same results (src/engine/wasm).
 */
import type { Agent, NetworkWeights, TabularValues } from './agent';
import type { Env, Observation } from './env';
import type { ComponentConfig } from './experiment';
import { findAgent, findEnvironment } from './registry';
import { Rng, Stream } from './rng';
import type { Mdp } from './mdp/format';
import { greedyReport, policyReport, type GreedyReport } from './mdp/solve';
import { parseOrThrow, ValidationError } from './params';
import { KERNEL_METRICS, TabularKernel } from './wasm/tabular';
import type { RunState } from './resume/format';
import { EVALUATION_METRICS, GreedyEvaluator, type EvaluationSettings } from './greedy-evaluation';
import { checkpointEpisodes } from './checkpoint-episodes';
import { EpisodeLog } from './episode-log';

/** One run: an experiment's configuration with a single seed. */
export interface RunSpec {
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  readonly seed: number;
  /**
   * Evenly spaced snapshots during training, of the Q-table and/or the network weights (0 = none;
   * the final ones are always reported).
   */
  readonly checkpoints?: number;
  /** Greedy evaluation on a separate environment during training (src/engine/greedy-evaluation.ts); none when absent. */
  readonly evaluation?: EvaluationSettings;
}

export interface MetricSummary {
  /** Mean over all episodes. */
  readonly mean: number;
  /** Mean over the last (up to) 100 episodes. */
  readonly last100: number;
}

export interface TrainHooks {
  /**
   * Called after every episode with its metrics in `metricNames` order (`row` is reused: copy what
   * you keep). Return false to stop the run (cancel).
   */
  onEpisode?(episode: number, row: Float64Array): boolean | void;
  /**
   * Called after each block of consecutive episodes `first .. first + count − 1` with their rows,
   * `count` × `width` values row-major in `metricNames` order (a view reused for the next block:
   * copy what you keep). The JavaScript loop calls it after every episode (count 1); the
   * WebAssembly kernel once per chunk of episodes (a few milliseconds of play), which spares a
   * consumer that logs every episode a call per episode. The kernel also hands the same values
   * rounded to float32 as `columns`, one per metric (views reused likewise), which the metric
   * store takes as they are; the JavaScript loop hands none. Return false to stop the run after
   * the block. Called after onEpisode and the checkpoint hooks of the block's episodes.
   */
  onEpisodes?(first: number, count: number, rows: Float64Array, width: number, columns?: readonly Float32Array[]): boolean | void;
  /**
   * Polled inside episodes on the JavaScript path, every STOP_POLL_STEPS steps: true stops the run
   * where it is, so a cancel does not wait for the end of a long episode (a DQN episode of 200k
   * steps is half a minute). The episode under way is dropped, not recorded: the run ends with the
   * episodes it completed. (The WebAssembly kernel stops at episode ends: its longest episode,
   * 10M steps, is a fraction of a second.)
   */
  stopRequested?(): boolean;
  /** Called at checkpoint episodes with the agent's current values (a live view: copy it). */
  onCheckpoint?(episode: number, values: TabularValues): void;
  /** Called at the same checkpoint episodes with a network agent's weights (params live: copy them). */
  onWeights?(episode: number, weights: NetworkWeights): void;
  /**
   * Polled after each block of episodes that onEpisodes let go on: true takes the run's state
   * there, between two episodes, and hands it to onState while training goes on (an autosave,
   * which a run killed later resumes from). The state is the one a pause at that block would
   * keep. Keep it cheap: it is called as often as onEpisodes.
   */
  stateWanted?(): boolean;
  /** The run's state after `state.episode` episodes, as {@link stateWanted} asked (live blobs: encode or copy them now). */
  onState?(state: RunState): void;
}

export interface TrainResult {
  readonly status: 'completed' | 'cancelled';
  /** Episodes played. */
  readonly episodes: number;
  readonly steps: number;
  readonly metricNames: readonly string[];
  readonly summary: Readonly<Record<string, MetricSummary>>;
  /** Exact evaluation of the greedy policy (tabular agents on tabular-mdp only). */
  readonly greedy?: GreedyReport;
  /** A copy of the final action values (tabular agents). */
  readonly values?: TabularValues;
  /** The final network weights, params copied (network agents). */
  readonly weights?: NetworkWeights;
  /** Where the episodes were played (see {@link TrainOptions.backend}). */
  readonly backend: 'js' | 'wasm';
  /**
   * The run's state, to resume it from (see {@link TrainOptions.resume}): taken when
   * {@link TrainOptions.keepState} asked for it and a hook stopped the run between two episodes
   * (a stop inside an episode, on the JavaScript path, drops the episode under way: nothing to resume from).
   */
  readonly state?: RunState;
}

export interface PreparedRun {
  readonly env: Env<Observation>;
  readonly agent: Agent<Observation>;
  readonly metricNames: readonly string[];
  /**
   * What the greedy policy's exact evaluation uses: the agent's γ and the environment's maxSteps as
   * the run has them, defaults included (a spec that omits them gets its components' defaults, as
   * training does: a shop's 100 steps, not 1000), else γ 1 and a horizon of 1000.
   */
  readonly gamma: number;
  readonly horizon: number;
  /** The environment the greedy evaluations play on (another instance of the run's), when the spec asks for them. */
  readonly evaluationEnv?: Env<Observation>;
}

/** Builds the environment and agent of a run spec (parameters are re-validated). */
export function prepareRun(spec: RunSpec): PreparedRun {
  const envDef = findEnvironment(spec.env.id);
  if (!envDef) throw new ValidationError([`env.id: unknown environment "${spec.env.id}"`]);
  const agentDef = findAgent(spec.agent.id);
  if (!agentDef) throw new ValidationError([`agent.id: unknown agent "${spec.agent.id}"`]);
  const { id: _e, ...envParams } = spec.env;
  const { id: _a, ...agentParams } = spec.agent;
  // Checked when the experiment was made; again here, with the fields named, for a spec stored by
  // another version of Aisle (a worker resuming a run; its failure is the run's error line).
  const envSettings = parseOrThrow(envDef.params, envParams, 'env') as Record<string, unknown>;
  const agentSettings = parseOrThrow(agentDef.params, agentParams, 'agent') as Record<string, unknown>;
  const refused = spec.evaluation && (envDef.noSeparateEvaluation ?? agentDef.noSeparateEvaluation);
  if (refused) throw new ValidationError([`evaluation: ${refused}`]);
  const env = envDef.create(envSettings as never);
  const agent = agentDef.create(agentSettings as never, {
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    rng: new Rng(spec.seed, Stream.agent),
    episodes: spec.episodes,
    ...(env.oracle ? { oracle: env.oracle } : {}),
  });
  const metricNames = ['return', 'length', ...env.episodeMetricNames, ...agent.episodeMetricNames, ...(spec.evaluation ? EVALUATION_METRICS : [])];
  const gamma = typeof agentSettings.gamma === 'number' ? agentSettings.gamma : 1;
  const horizon = typeof envSettings.maxSteps === 'number' ? envSettings.maxSteps : 1000;
  const evaluationEnv = spec.evaluation ? envDef.create(envSettings as never) : undefined;
  return { env, agent, metricNames, gamma, horizon, ...(evaluationEnv ? { evaluationEnv } : {}) };
}

// Where checkpoints are taken: its own module, which the store imports without the training engine.
export { checkpointEpisodes };

export interface TrainOptions {
  /**
   * Where the episodes are played. `js`: the reference loop over the environment and agent
   * objects. `wasm`: the WebAssembly kernel (src/engine/wasm/tabular.ts), an error for a run it
   * does not cover. `auto` (the default): the kernel where it covers the run and loads, else
   * JavaScript. Both give identical metrics, values, summaries and checkpoints.
   */
  readonly backend?: 'auto' | 'js' | 'wasm';
  /**
   * Continue a paused run from its state (taken by an earlier train() of the same spec with
   * keepState): the episodes after it are played as the uninterrupted run plays them, and the
   * result (summary, values, weights) is the uninterrupted run's.
   */
  readonly resume?: RunState;
  /** Take the run's state when a hook stops it between two episodes ({@link TrainResult.state}). Costs nothing until then. */
  readonly keepState?: boolean;
}

/** How playing ended: every episode, a hook's stop between two episodes, or a stop inside one. */
type Outcome = 'completed' | 'stopped' | 'stopped-inside';

/** Episodes per kernel call at most (the size of its metrics buffer). */
const CHUNK_EPISODES = 1024;
/**
 * A kernel call also ends at the first episode end after this many steps, so hooks (progress,
 * cancel) hear from a run every few milliseconds, as they do from the JavaScript loop.
 */
const CHUNK_STEPS = 1 << 18;

/** Plays a run to the end (or until a hook says stop). Deterministic for a given spec. */
export function train(spec: RunSpec, hooks: TrainHooks = {}, prepared: PreparedRun = prepareRun(spec), options: TrainOptions = {}): TrainResult {
  const { env, agent, metricNames } = prepared;
  const backend = options.backend ?? 'auto';
  const log = new EpisodeLog(spec, hooks, prepared);
  // Restored before the kernel opens: it reads the agent's tables and the generators.
  const first = options.resume ? log.resume(options.resume) : 0;
  const { evaluationEnv } = prepared;
  // A resumed run's evaluations start at its first episode to come (the evaluation environment is
  // reset with the same seed at each one, so it holds no state to restore).
  const evaluator = spec.evaluation && evaluationEnv ? new GreedyEvaluator(evaluationEnv, spec.evaluation, spec.seed, spec.episodes, first) : undefined;
  const kernel = backend === 'js' ? 'the JavaScript path was asked for' : TabularKernel.open(env, agent, spec.seed, { chunkEpisodes: CHUNK_EPISODES, snapshots: hooks.onEpisode !== undefined });
  if (backend === 'wasm' && typeof kernel === 'string') throw new Error(`backend "wasm" cannot run ${spec.env.id} with ${spec.agent.id}: ${kernel}`);
  const outcome = typeof kernel === 'string' ? playJs(spec, prepared, log, first, hooks.stopRequested, evaluator) : playKernel(spec, kernel, log, first, agent, evaluator);
  const state = options.keepState && outcome === 'stopped' ? log.state() : undefined;

  const live = agent.values?.();
  const values = live ? { states: live.states, actions: live.actions, q: Float64Array.from(live.q) } : undefined;
  const liveWeights = agent.weights?.();
  const weights = liveWeights ? { ...liveWeights, params: liveWeights.params.slice() } : undefined;
  // A table (tabular agents) or a network on one-hot observations (PPO, DQN on a discrete
  // environment) has a greedy policy to evaluate exactly; an exact-mode shop builds its MDP when
  // asked, so ask only then.
  const { gamma, horizon } = prepared;
  let greedy: GreedyReport | undefined;
  if (values) {
    const mdp = (env as Env & { mdp?: Mdp }).mdp;
    if (mdp && values.states === mdp.states && values.actions === mdp.actions) greedy = greedyReport(mdp, values.q, { gamma, horizon });
  } else if (weights && env.observationSpace.kind === 'discrete') {
    const mdp = (env as Env & { mdp?: Mdp }).mdp;
    if (mdp && env.observationSpace.n === mdp.states && env.actionSpace.n === mdp.actions) {
      const policy = new Int32Array(mdp.states);
      for (let s = 0; s < mdp.states; s++) policy[s] = (agent as Agent<number>).greedyAction(s);
      greedy = policyReport(mdp, policy, { gamma, horizon });
    }
  }
  return {
    status: outcome === 'completed' ? 'completed' : 'cancelled',
    episodes: log.played,
    steps: log.steps,
    metricNames,
    summary: log.summary(metricNames),
    backend: typeof kernel === 'string' ? 'js' : 'wasm',
    ...(greedy ? { greedy } : {}),
    ...(values ? { values } : {}),
    ...(weights ? { weights } : {}),
    ...(state ? { state } : {}),
  };
}

/** Steps between two polls of stopRequested inside an episode (a few ms of the slowest agent, DQN). */
export const STOP_POLL_STEPS = 256;

/**
 * Steps an episode under way is played on once a stop is asked inside it, so that a stop keeps a
 * checkpoint (taken between episodes) unless the episode is long: one that ends within them is
 * recorded and the run stops after it, as a stop between episodes does; a longer one is dropped
 * where it is. One poll's worth: a cancel still waits at most two polls (~40–80 ms of DQN).
 */
export const STOP_GRACE_STEPS = STOP_POLL_STEPS;

/**
 * The reference loop: the environment and agent objects, one call per step. An evaluation, when
 * one is due, follows the episode's end and fills the row's last two metrics (NaN otherwise).
 */
function playJs(spec: RunSpec, { env, agent, metricNames }: PreparedRun, log: EpisodeLog, first: number, stopRequested?: () => boolean, evaluator?: GreedyEvaluator): Outcome {
  const nEnv = env.episodeMetricNames.length;
  const row = new Float64Array(metricNames.length);
  const evaluationAt = metricNames.length - EVALUATION_METRICS.length;
  if (evaluator) row.fill(NaN, evaluationAt);
  let nextEvaluation = evaluator ? evaluator.next : Infinity;
  let poll = STOP_POLL_STEPS;
  // A stop seen inside an episode that then ended: the run stops after it, whatever the hooks say.
  let stopSeen = false;
  for (let episode = first; episode < spec.episodes; episode++) {
    let observation = env.reset(episode === 0 ? spec.seed : undefined);
    let action = agent.start(observation);
    let episodeReturn = 0;
    let length = 0;
    // Where a stop asked inside this episode drops it, if it has not ended by then (STOP_GRACE_STEPS).
    let stopAt = Infinity;
    for (;;) {
      const result = env.step(action);
      episodeReturn += result.reward;
      length++;
      observation = result.observation;
      if (result.terminated || result.truncated) {
        agent.end(result.reward, observation, result.terminated);
        break;
      }
      if (--poll === 0) {
        poll = STOP_POLL_STEPS;
        if (length >= stopAt) return 'stopped-inside';
        if (!stopSeen && stopRequested?.()) {
          stopSeen = true;
          stopAt = length + STOP_GRACE_STEPS;
        }
      }
      action = agent.step(result.reward, observation);
    }
    row[0] = episodeReturn;
    row[1] = length;
    env.episodeMetrics(row, 2);
    agent.episodeMetrics(row, 2 + nEnv);
    if (episode === nextEvaluation) evaluator!.evaluate(agent, row, evaluationAt);
    if (!log.record(episode, row) || !log.block(episode, 1, row) || stopSeen) return 'stopped';
    if (log.stateDue()) log.handState();
    if (episode === nextEvaluation) {
      row.fill(NaN, evaluationAt);
      nextEvaluation = evaluator!.next;
    }
  }
  return 'completed';
}

/**
 * The WebAssembly kernel, a chunk of episodes per call; hooks run on each chunk's rows after it.
 * What hooks see stays what the JavaScript loop shows them: a chunk ends at every checkpoint
 * episode, so onCheckpoint gets the values after that episode; and when onEpisode stops the run
 * at an episode inside a chunk, the kernel returns to the state saved before the chunk and replays
 * it up to that episode, so the final values, generator states and episode count are those of a
 * run stopped there (the replay is deterministic and rewrites the same metrics). A chunk also
 * ends at every evaluation episode: the agent gets the kernel's tables and its greedy policy is
 * evaluated there, its results written into the wider rows that an evaluating run's chunks are
 * copied to (the store then takes rows, not the kernel's float32 columns).
 */
function playKernel(spec: RunSpec, kernel: TabularKernel, log: EpisodeLog, first: number, agent: Agent<Observation>, evaluator?: GreedyEvaluator): Outcome {
  const kernelWidth = KERNEL_METRICS.length;
  const width = evaluator ? kernelWidth + EVALUATION_METRICS.length : kernelWidth;
  const wide = evaluator ? new Float64Array(CHUNK_EPISODES * width) : undefined;
  const row = new Float64Array(width);
  // A chunk is at least as long as the table copy that saving it costs.
  const stepBudget = Math.max(CHUNK_STEPS, kernel.tableBytes / 8);
  let episode = first;
  while (episode < spec.episodes) {
    const end = Math.min(spec.episodes, episode + CHUNK_EPISODES, log.nextCheckpoint + 1, (evaluator?.next ?? Infinity) + 1);
    if (log.canStop) kernel.save();
    const played = kernel.run(end - episode, stepBudget);
    const metrics = wide ? widen(kernel.metrics, played, wide, kernelWidth, width) : kernel.metrics;
    if (evaluator && episode + played - 1 === evaluator.next) {
      kernel.writeBack();
      evaluator.evaluate(agent, metrics, (played - 1) * width + kernelWidth);
    }
    if (!log.canStop) {
      // No hook can stop the run inside the chunk: the rows are recorded as a block.
      if (episode + played - 1 === log.nextCheckpoint) kernel.writeBack(); // a chunk ends at a checkpoint
      log.recordBlock(episode, played, metrics);
    } else for (let i = 0; i < played; i++) {
      for (let m = 0; m < width; m++) row[m] = metrics[i * width + m]!;
      if (episode + i === log.nextCheckpoint) kernel.writeBack(); // the last episode of its chunk
      if (!log.record(episode + i, row)) {
        if (i < played - 1) {
          kernel.restore();
          kernel.run(i + 1, Infinity);
        }
        kernel.writeBack();
        return 'stopped';
      }
    }
    if (!log.block(episode, played, metrics.subarray(0, played * width), wide ? undefined : kernel.columns.map((c) => c.subarray(0, played)))) {
      kernel.writeBack();
      return 'stopped';
    }
    if (log.stateDue()) {
      // The agent's tables and the generators live in the kernel: the state is taken from them.
      kernel.writeBack();
      log.handState();
    }
    episode += played;
  }
  kernel.writeBack();
  return 'completed';
}

/** Copies `count` rows of the kernel's metrics into `out`'s wider rows, the columns beyond the kernel's NaN (no evaluation). */
function widen(metrics: Float64Array, count: number, out: Float64Array, kernelWidth: number, width: number): Float64Array {
  for (let i = 0; i < count; i++) {
    for (let m = 0; m < kernelWidth; m++) out[i * width + m] = metrics[i * kernelWidth + m]!;
    out.fill(NaN, i * width + kernelWidth, (i + 1) * width);
  }
  return out;
}
