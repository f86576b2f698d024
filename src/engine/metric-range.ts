/**
 * The values a metric can take, where its definition bounds them: a share (the shop's ctr, the
 * bandit testbed's `optimal`, 1 when the best arm was pulled) lies in [0, 1], a count or a sum of
 * prices is never negative. Environments declare them beside their metrics' directions
 * (EnvDefinition.metricRanges); Compare keeps the mean's Student's t interval and the curves' t band
 * inside them, since a t interval is symmetric about the mean and a share's near 1 read [0.96, 1.04].
 * A metric with no declared range (a return, a loss) has no bound, and none is made up for it.
 */
import type { EnvDefinition } from './definitions';

/** A metric's bounds, each absent where it has none (JSON carries no ±∞). */
export interface MetricRange {
  readonly min?: number;
  readonly max?: number;
}

/** A component's bounded metrics and their ranges, one entry per metric name that has one. */
export type MetricRanges = Readonly<Record<string, MetricRange>>;

/** A share: between none and all. */
export const SHARE: MetricRange = { min: 0, max: 1 };
/** A count, or a sum of non-negative amounts. */
export const NON_NEGATIVE: MetricRange = { min: 0 };

/** The range an environment declares for a metric, undefined where it declares none (or is unknown). */
export function declaredRange(metric: string, env: Pick<EnvDefinition, 'metricRanges'> | undefined): MetricRange | undefined {
  const table = env?.metricRanges;
  return table && Object.hasOwn(table, metric) ? table[metric] : undefined;
}

/**
 * One range for a metric compared across several kinds of run: the widest of theirs (a bound only
 * where every kind declares one), undefined when some kind declares none, so that no interval is
 * cut at a bound one of the runs' metrics does not have.
 */
export function commonRange(ranges: readonly (MetricRange | undefined)[]): MetricRange | undefined {
  if (ranges.length === 0 || ranges.some((r) => r === undefined)) return undefined;
  const bound = (pick: (r: MetricRange) => number | undefined, widest: (...xs: number[]) => number) => {
    const ends = ranges.map((r) => pick(r!));
    return ends.every((x) => x !== undefined) ? widest(...(ends as number[])) : undefined;
  };
  const min = bound((r) => r.min, Math.min);
  const max = bound((r) => r.max, Math.max);
  if (min === undefined && max === undefined) return undefined;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** x moved inside the range (unchanged without one); NaN stays NaN. */
export function clampToRange(x: number, range: MetricRange | undefined): number {
  if (range === undefined || Number.isNaN(x)) return x;
  if (range.min !== undefined && x < range.min) return range.min;
  if (range.max !== undefined && x > range.max) return range.max;
  return x;
}
