/**
 * A run's metric summary read back from its stored episodes: what a run that has not finished (still
 * training, or stopped without a summary of its own) shows, and how many values each metric has.
 */
import type { Store } from './store';

export interface StoredSummary {
  /** Mean over the episodes that have a value. */
  readonly mean: number;
  /** Mean over the values among the last (up to) 100 stored episodes. */
  readonly last100: number;
  /** How many episodes have a value. */
  readonly values: number;
}

/**
 * Each of the run's metrics' summary from the store's chunk summaries and its last chunk(s): no
 * full read. `withTail`: whether a metric's last 100 values are wanted (NaN where not, unread).
 */
export function storedSummary(store: Store, runId: number, withTail: (name: string) => boolean = () => true): Record<string, StoredSummary> {
  // No prototype: a metric named `__proto__` is a key (a plain object took it as its prototype).
  const summary = Object.create(null) as Record<string, StoredSummary>;
  for (const { name, values, mean } of store.metricTotals(runId)) summary[name] = { mean, last100: withTail(name) ? store.metricTailMean(runId, name, 100) : NaN, values };
  return summary;
}
