/**
 * Every environment and agent Aisle knows. Experiments, the CLI, the UI form and the JSON Schemas
 * are driven from this list: a new environment or agent appears everywhere by being added here.
 */
import type { AgentDefinition, EnvDefinition, EpisodeMark } from './definitions';
import { commonDirection, declaredDirection, type MetricDirection } from './metric-direction';
import { commonRange, declaredRange, type MetricRange, type MetricRanges } from './metric-range';
import { seedToy } from './envs/seed-toy';
import { tabularMdp } from './envs/tabular-mdp';
import { banditTestbed } from './envs/bandit-testbed';
import { shop } from './envs/shop';
import { qLearning } from './agents/q-learning';
import { sarsa } from './agents/sarsa';
import { expectedSarsa } from './agents/expected-sarsa';
import { doubleQLearning } from './agents/double-q-learning';
import { epsilonGreedy } from './agents/epsilon-greedy';
import { ucb1 } from './agents/ucb1';
import { thompson } from './agents/thompson';
import { randomAgent } from './agents/random';
import { mostPopular } from './agents/most-popular';
import { myopicOracle } from './agents/myopic-oracle';
import { linucb } from './agents/linucb';
import { dqn } from './agents/dqn';
import { ppo } from './agents/ppo';

/** The simulated shop first: the catalog's order is the pickers'. */
export const environments: readonly EnvDefinition[] = [shop, tabularMdp, banditTestbed, seedToy];

export const agents: readonly AgentDefinition[] = [
  qLearning,
  sarsa,
  expectedSarsa,
  doubleQLearning,
  epsilonGreedy,
  ucb1,
  thompson,
  linucb,
  dqn,
  ppo,
  randomAgent,
  mostPopular,
  myopicOracle,
];

export function findEnvironment(id: string): EnvDefinition | undefined {
  return environments.find((e) => e.id === id);
}

export function findAgent(id: string): AgentDefinition | undefined {
  return agents.find((a) => a.id === id);
}

/**
 * An environment config as a run's settings are listed: without the parameters its other settings
 * make inert (see EnvDefinition.inertParams). An unknown environment is returned as it is.
 */
export function shownEnvConfig<C extends { readonly id: string }>(config: C): C {
  const inert = findEnvironment(config.id)?.inertParams?.(config as Readonly<Record<string, unknown>>) ?? [];
  if (inert.length === 0) return config;
  return Object.fromEntries(Object.entries(config).filter(([k]) => !inert.includes(k))) as C;
}

/**
 * The episodes a run's learning curves mark for its environment config (see
 * EnvDefinition.episodeMarks): none for an unknown environment or parameters that no longer parse
 * (a run stored by an older version), whose curves are drawn all the same.
 */
export function envEpisodeMarks(config: { readonly id: string } & Readonly<Record<string, unknown>>): readonly EpisodeMark[] {
  const env = findEnvironment(config.id);
  if (!env?.episodeMarks) return [];
  const { id: _id, ...params } = config;
  const parsed = env.params.safeParse(params);
  return parsed.success ? env.episodeMarks(parsed.data) : [];
}

/**
 * A metric's direction (see metric-direction.ts) across runs, each named by its environment and
 * agent ids: the one they all declare, or null when they disagree, when one declares none, or when
 * an environment or agent is unknown (a run stored by another version).
 */
export function metricDirection(metric: string, runs: readonly { readonly envId: string; readonly agentId: string }[]): MetricDirection {
  return commonDirection(runs.map((r) => declaredDirection(metric, findEnvironment(r.envId), findAgent(r.agentId))));
}

/**
 * A metric's range (see metric-range.ts) across runs, each named by its environment id: the widest
 * their environments declare, or undefined when one declares none or is unknown (another version's).
 */
export function metricRange(metric: string, runs: readonly { readonly envId: string }[]): MetricRange | undefined {
  return commonRange(runs.map((r) => declaredRange(metric, findEnvironment(r.envId))));
}

/** The ranges an environment declares for its metrics (see metric-range.ts); none for an unknown one (another version's). */
export function envMetricRanges(envId: string): MetricRanges {
  return findEnvironment(envId)?.metricRanges ?? {};
}
