/**
 * The training loop every run goes through, in a worker or in-process alike: build the environment
 * and agent from a run spec, play episodes, report each episode's metrics through a hook that can
 * stop the run (cancel), snapshot Q-tables at checkpoints, and finish with a summary and, for
 * tabular agents on a tabular MDP, the exact value of the learned greedy policy.
 */
import type { Agent, TabularValues } from './agent';
import type { Env, Observation } from './env';
import type { ComponentConfig } from './experiment';
import { findAgent, findEnvironment } from './registry';
import { Rng, Stream } from './rng';
import type { Mdp } from './mdp/format';
import { greedyReport, type GreedyReport } from './mdp/solve';
import { ValidationError } from './params';

/** One run: an experiment's configuration with a single seed. */
export interface RunSpec {
  readonly env: ComponentConfig;
  readonly agent: ComponentConfig;
  readonly episodes: number;
  readonly seed: number;
  /** Evenly spaced Q-table snapshots during training (0 = none; the final table is always reported). */
  readonly checkpoints?: number;
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
  /** Called at checkpoint episodes with the agent's current values (a live view: copy it). */
  onCheckpoint?(episode: number, values: TabularValues): void;
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
}

export interface PreparedRun {
  readonly env: Env<Observation>;
  readonly agent: Agent<Observation>;
  readonly metricNames: readonly string[];
}

/** Builds the environment and agent of a run spec (parameters are re-validated). */
export function prepareRun(spec: RunSpec): PreparedRun {
  const envDef = findEnvironment(spec.env.id);
  if (!envDef) throw new ValidationError([`env.id: unknown environment "${spec.env.id}"`]);
  const agentDef = findAgent(spec.agent.id);
  if (!agentDef) throw new ValidationError([`agent.id: unknown agent "${spec.agent.id}"`]);
  const { id: _e, ...envParams } = spec.env;
  const { id: _a, ...agentParams } = spec.agent;
  const env = envDef.create(envDef.params.parse(envParams));
  const agent = agentDef.create(agentDef.params.parse(agentParams), {
    observationSpace: env.observationSpace,
    actionSpace: env.actionSpace,
    rng: new Rng(spec.seed, Stream.agent),
    episodes: spec.episodes,
    ...(env.oracle ? { oracle: env.oracle } : {}),
  });
  const metricNames = ['return', 'length', ...env.episodeMetricNames, ...agent.episodeMetricNames];
  return { env, agent, metricNames };
}

/** Episodes (0-based, each the last episode of its slice) at which checkpoints are taken. */
export function checkpointEpisodes(episodes: number, checkpoints: number): number[] {
  const out: number[] = [];
  const n = Math.min(checkpoints, episodes);
  for (let k = 1; k <= n; k++) {
    const ep = Math.round((k * episodes) / (n + 1)) - 1;
    if (ep >= 0 && ep < episodes - 1 && out[out.length - 1] !== ep) out.push(ep);
  }
  return out;
}

/** Plays a run to the end (or until a hook says stop). Deterministic for a given spec. */
export function train(spec: RunSpec, hooks: TrainHooks = {}, prepared: PreparedRun = prepareRun(spec)): TrainResult {
  const { env, agent, metricNames } = prepared;
  const nEnv = env.episodeMetricNames.length;
  const row = new Float64Array(metricNames.length);
  const sums = new Float64Array(metricNames.length);
  const tail = new Float64Array(100 * metricNames.length); // ring buffer of the last 100 rows
  const checkpointsAt = agent.values && hooks.onCheckpoint ? checkpointEpisodes(spec.episodes, spec.checkpoints ?? 0) : [];
  let nextCheckpoint = 0;
  let status: TrainResult['status'] = 'completed';
  let steps = 0;
  let episode = 0;

  for (; episode < spec.episodes; episode++) {
    let observation = env.reset(episode === 0 ? spec.seed : undefined);
    let action = agent.start(observation);
    let episodeReturn = 0;
    let length = 0;
    for (;;) {
      const result = env.step(action);
      episodeReturn += result.reward;
      length++;
      observation = result.observation;
      if (result.terminated || result.truncated) {
        agent.end(result.reward, observation, result.terminated);
        break;
      }
      action = agent.step(result.reward, observation);
    }
    steps += length;
    row[0] = episodeReturn;
    row[1] = length;
    env.episodeMetrics(row, 2);
    agent.episodeMetrics(row, 2 + nEnv);
    const slot = (episode % 100) * row.length;
    for (let m = 0; m < row.length; m++) {
      sums[m] = sums[m]! + row[m]!;
      tail[slot + m] = row[m]!;
    }
    if (checkpointsAt[nextCheckpoint] === episode) {
      hooks.onCheckpoint!(episode, agent.values!());
      nextCheckpoint++;
    }
    if (hooks.onEpisode && hooks.onEpisode(episode, row) === false) {
      episode++;
      status = 'cancelled';
      break;
    }
  }

  const played = episode;
  const summary: Record<string, MetricSummary> = {};
  const tailCount = Math.min(played, 100);
  metricNames.forEach((name, m) => {
    let t = 0;
    for (let i = 0; i < tailCount; i++) t += tail[i * row.length + m]!;
    summary[name] = { mean: played > 0 ? sums[m]! / played : NaN, last100: tailCount > 0 ? t / tailCount : NaN };
  });

  const live = agent.values?.();
  const values = live ? { states: live.states, actions: live.actions, q: Float64Array.from(live.q) } : undefined;
  const mdp = (env as Env & { mdp?: Mdp }).mdp;
  let greedy: GreedyReport | undefined;
  if (values && mdp && values.states === mdp.states && values.actions === mdp.actions) {
    const gamma = typeof spec.agent.gamma === 'number' ? spec.agent.gamma : 1;
    const horizon = typeof spec.env.maxSteps === 'number' ? spec.env.maxSteps : 1000;
    greedy = greedyReport(mdp, values.q, { gamma, horizon });
  }
  return {
    status,
    episodes: played,
    steps,
    metricNames,
    summary,
    ...(greedy ? { greedy } : {}),
    ...(values ? { values } : {}),
  };
}
