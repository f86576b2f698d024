/**
 * The statistics of a comparison (see compare.ts), apart from reading the runs: pure, and what a
 * worker thread runs for a large comparison (the training worker's script imports this, not the store).
 */
import { aggregateIqm, curveBand, probabilityOfImprovementCI, stratifiedBootstrapCI, studentTMeanCI, type CurveBand, type MeanTInterval } from '../../engine/stats';

/**
 * What a comparison computes from the runs' values, apart from reading them: the bands across
 * seeds (2,000 bootstrap resamples at each of up to 2,000 points for a 95 % band: most of the time
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
  /** Per group: the IQM with its percentile bootstrap interval (null ends for fewer than 2 runs). */
  readonly iqm: readonly MeanTInterval[];
  /** Per group: the mean with its Student's t interval (null ends for fewer than 2 runs). */
  readonly average: readonly MeanTInterval[];
  readonly improvement: { p: number; lo: number; hi: number }[][];
}

export function compareStatistics(work: CompareWork): CompareStatistics {
  const { seed } = work;
  const bands = work.series.map((series) => curveBand(series, work.band === 'ci95' ? { kind: 'ci95', seed } : { kind: 'minmax' }));
  // The IQM has no t analogue: its interval is rliable's percentile bootstrap, which covers less
  // than 95 % with few runs (Compare's caution says how much). One run has no interval at all
  // (the bootstrap's would have zero width, which reads as certainty).
  const iqm = work.finals.map((values): MeanTInterval => {
    const { point, lo, hi } = stratifiedBootstrapCI([values], aggregateIqm, { seed });
    return values.length < 2 ? { mean: point, lo: null, hi: null } : { mean: point, lo, hi };
  });
  // The mean's is Student's t: the percentile bootstrap of a mean covers it about 75 % of the time
  // with 3 runs and 90 % with 10 (normal scores), where t holds 95 % at every n.
  const average = work.finals.map((values) => studentTMeanCI(values));
  // P(Y > X) = 1 − P(X > Y) in every resample (ties count ½ both ways), so the cell below the
  // diagonal is its mirror's bootstrap read the other way round (the percentile interval is
  // symmetric: q_α(1 − Z) = 1 − q_{1−α}(Z)). Bootstrapped on its own, with other draws, it could
  // read "worse" while its mirror withheld "better" ([0.46, 1] against [0, 0.48] for runs
  // 9, 1, 18, 11, 15 against 6, 1, 1, 7, 2).
  const improvement = work.finals.map((xs, i) => work.finals.map((ys, j) => (i < j ? probabilityOfImprovementCI([xs], [ys], { seed }) : null)));
  const matrix = improvement.map((row, i) =>
    row.map((cell, j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5 };
      if (cell) return { p: cell.point, lo: cell.lo, hi: cell.hi };
      const mirror = improvement[j]![i]!;
      return { p: 1 - mirror.point, lo: 1 - mirror.hi, hi: 1 - mirror.lo };
    }),
  );
  return { bands, iqm, average, improvement: matrix };
}
