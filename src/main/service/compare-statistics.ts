/**
 * The statistics of a comparison (see compare.ts), apart from reading the runs: pure, and what a
 * worker thread runs for a large comparison (the training worker's script imports this, not the store).
 */
import {
  aggregateIqm,
  aggregateMean,
  curveBand,
  probabilityOfImprovementCI,
  stratifiedBootstrapCI,
  type CurveBand,
  type Interval,
} from '../../engine/stats';

/**
 * What a comparison computes from the runs' values, apart from reading them: the bands across
 * seeds (2,000 bootstrap resamples at each of up to 2,000 points for a 95 % CI: most of the time
 * a comparison takes), the final values' intervals and the probabilities of improvement. Pure and
 * cloneable, so that a large one runs in a worker (compareRunsOffThread).
 */
export interface CompareWork {
  readonly band: 'ci95' | 'minmax';
  readonly seed: number;
  /** Per group, per run: its bucket means on the common grid (NaN past its end). */
  readonly series: readonly (readonly Float64Array[])[];
  /** Per group: its runs' final values. */
  readonly finals: readonly Float64Array[];
}

export interface CompareStatistics {
  readonly bands: readonly CurveBand[];
  readonly iqm: readonly Interval[];
  readonly average: readonly Interval[];
  readonly improvement: { p: number; lo: number; hi: number }[][];
}

export function compareStatistics(work: CompareWork): CompareStatistics {
  const { seed } = work;
  const bands = work.series.map((series) => curveBand(series, work.band === 'ci95' ? { kind: 'ci95', seed } : { kind: 'minmax' }));
  const iqm = work.finals.map((values) => stratifiedBootstrapCI([values], aggregateIqm, { seed }));
  const average = work.finals.map((values) => stratifiedBootstrapCI([values], aggregateMean, { seed }));
  const improvement = work.finals.map((xs, i) =>
    work.finals.map((ys, j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5 };
      const { point, lo, hi } = probabilityOfImprovementCI([xs], [ys], { seed });
      return { p: point, lo, hi };
    }),
  );
  return { bands, iqm, average, improvement };
}
