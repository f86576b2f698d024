/**
 * Which way a metric is better: 'higher' (a return, clicks, revenue), 'lower' (a loss, the shop's
 * exposure Gini) or null, no better direction (a diagnostic such as ε, or an episode's length where
 * the environment does not say). Environments and agents declare their metrics' directions beside
 * their names (EnvDefinition.metricDirections, AgentDefinition.metricDirections); Compare reads its
 * probability of improvement, its verdicts and a search's best group by them.
 */
import type { AgentDefinition, EnvDefinition } from './definitions';

export type MetricDirection = 'higher' | 'lower' | null;

/** A component's metrics and their directions, one entry per metric name it reports. */
export type MetricDirections = Readonly<Record<string, MetricDirection>>;

/**
 * The metrics every run records (train.ts: `return` and `length` first, the greedy evaluation's
 * last). An episode's length is good long in one task (the shop: a user kept) and short in another
 * (cliff walking: the goal reached sooner), so it has no direction unless the environment gives it one.
 */
export const RUN_METRIC_DIRECTIONS: MetricDirections = {
  return: 'higher',
  length: null,
  'eval/greedy_return': 'higher',
  // A spread across evaluation episodes: a diagnostic, not a score.
  'eval/greedy_return_std': null,
};

/**
 * A metric's direction for runs of one environment and agent: the environment's declaration first
 * (it may give `length` one), then the agent's, then the run's own metrics'. Undefined when none
 * of them declares the metric (a run stored by a version whose metrics had other names).
 */
export function declaredDirection(
  metric: string,
  env: Pick<EnvDefinition, 'metricDirections'> | undefined,
  agent: Pick<AgentDefinition, 'metricDirections'> | undefined,
): MetricDirection | undefined {
  for (const table of [env?.metricDirections, agent?.metricDirections, RUN_METRIC_DIRECTIONS]) {
    if (table && Object.hasOwn(table, metric)) return table[metric]!;
  }
  return undefined;
}

/**
 * One direction for a metric compared across several kinds of run (each an environment and an
 * agent's declared direction, undefined for none): theirs when they all agree, otherwise null. A
 * metric better high in one environment and without direction in another has no single reading.
 */
export function commonDirection(directions: readonly (MetricDirection | undefined)[]): MetricDirection {
  const [first] = directions;
  if (first === undefined || first === null) return null;
  return directions.every((d) => d === first) ? first : null;
}

/** "lower is better", "higher is better", "no better direction": how the app and the CLI name a direction beside its metric. */
export function directionWords(direction: MetricDirection): string {
  return direction === null ? 'no better direction' : `${direction} is better`;
}
