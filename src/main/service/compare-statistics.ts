/**
 * The statistics of a comparison (see compare.ts), apart from reading the runs: pure, and what a
 * worker thread runs for a large comparison (the training worker's script imports this, not the store).
 */
import {
  aggregateIqm,
  curveBand,
  hasSpread,
  mannWhitneyTest,
  probabilityOfImprovementCI,
  stratifiedBootstrapCI,
  studentTMeanCI,
  type BootstrapInterval,
  type CurveBand,
  type MeanTInterval,
  wilcoxonSignedRankTest,
} from '../../engine/stats';
import type { PairedDifference } from '../../shared/dto';
import { MIN_PAIRS } from '../../shared/compare-text';
import type { MetricDirection } from '../../engine/metric-direction';
import type { MetricRange } from '../../engine/metric-range';

/**
 * What a comparison computes from the runs' values, apart from reading them: the bands across
 * seeds (Student's t or min–max at each point: one pass over the values), the final values'
 * intervals and the probabilities of improvement (2,000 bootstrap resamples of the final values per
 * group and per pair of groups: most of the time a comparison takes). Pure and cloneable, so that
 * a large one runs in a worker (compareRunsOffThread).
 */
export interface CompareWork {
  readonly band: 'ci95' | 'minmax';
  readonly seed: number;
  /** Per group, per run: its bucket means on the common grid (NaN past its end). */
  readonly series: readonly (readonly Float64Array[])[];
  /** Per group: its runs' final values. */
  readonly finals: readonly Float64Array[];
  /** Which way the metric is better: 'lower' makes the improvement P(X < Y); otherwise (absent too) it is P(X > Y). */
  readonly direction?: MetricDirection;
  /** The metric's bounds where it has some (a share in [0, 1]): the mean's t interval and the t band are clamped into them. */
  readonly range?: MetricRange;
  /**
   * What pairing by seed needs to know (pairingOf): per group, its runs' seeds (in the order of
   * `finals`) and a key of its environment config (one key, one environment); 'off' compares every
   * pair unpaired (`aisle compare --unpaired`). Absent: every pair unpaired, without a reason.
   */
  readonly pairing?: { readonly seeds: readonly (readonly number[])[]; readonly environments: readonly string[] } | 'off';
}

/**
 * How the pair of groups i, j is compared, decided from the design alone, before any value is read
 * (their values' NaN aside: a run without a final value has nothing to pair): paired by seed, with
 * each seed's run in either group (indices into `finals`), when both groups ran one environment
 * config on the same MIN_PAIRS or more seeds, one run each, so that each seed's two runs shared
 * their environment's random stream (common random numbers); else unpaired, and why, in a short phrase.
 */
export function pairingOf(work: CompareWork, i: number, j: number): { rows: number[]; columns: number[] } | { unpaired: string } | undefined {
  const { pairing } = work;
  if (pairing === undefined) return undefined;
  if (pairing === 'off') return { unpaired: 'pairing turned off' };
  if (pairing.environments[i] !== pairing.environments[j]) return { unpaired: 'different environments' };
  const [a, b] = [pairing.seeds[i]!, pairing.seeds[j]!];
  if (new Set(a).size < a.length || new Set(b).size < b.length) return { unpaired: 'a repeated seed' };
  const columnOf = new Map(b.map((seed, k) => [seed, k]));
  if (a.length !== b.length || a.some((seed) => !columnOf.has(seed))) return { unpaired: 'different seeds' };
  const rows = a.map((_, k) => k);
  const columns = a.map((seed) => columnOf.get(seed)!);
  if (rows.some((r, k) => Number.isNaN(work.finals[i]![r]!) || Number.isNaN(work.finals[j]![columns[k]!]!))) return { unpaired: 'a run without a final value' };
  if (a.length < MIN_PAIRS) return { unpaired: `only ${a.length} seeds; pairing needs ${MIN_PAIRS}` };
  return { rows, columns };
}

/** The paired figures of row − column over the seeds pairingOf matched. */
function pairedDifference(xs: Float64Array, ys: Float64Array, rows: readonly number[], columns: readonly number[]): PairedDifference {
  const d = Float64Array.from(rows, (r, k) => xs[r]! - ys[columns[k]!]!);
  const { mean, lo, hi } = studentTMeanCI(d);
  const test = wilcoxonSignedRankTest(d);
  return { pairs: d.length, mean, lo, hi, signedRankP: test.p, exact: test.exact, plus: test.plus, minus: test.minus };
}

/** The mirror cell's paired figures: column − row. */
function mirrored(paired: PairedDifference): PairedDifference {
  return { ...paired, mean: -paired.mean, lo: paired.hi === null ? null : -paired.hi, hi: paired.lo === null ? null : -paired.lo, plus: paired.minus, minus: paired.plus };
}

export interface CompareStatistics {
  readonly bands: readonly CurveBand[];
  /** Per group: the IQM with its percentile bootstrap interval (null ends for fewer than 2 runs, or runs all equal). */
  readonly iqm: readonly BootstrapInterval[];
  /** Per group: the mean with its Student's t interval (null ends for fewer than 2 runs, or runs all equal), inside the metric's range. */
  readonly average: readonly MeanTInterval[];
  /**
   * P(group i improves on group j): P(X > Y), or P(X < Y) for a metric better low (CompareWork.direction),
   * with its bootstrap interval; off the diagonal, the pair's two-sided Mann–Whitney p-value (the
   * same both ways round), which the verdicts correct for the number of pairs (compare-text.ts, pairTest);
   * for a pair paired by seed (pairingOf), `paired`: the mean difference row − column with its t
   * interval and the signed-rank p the verdict reads instead; for another, why not (`unpaired`).
   */
  readonly improvement: { p: number; lo: number; hi: number; mannWhitneyP?: number; paired?: PairedDifference; unpaired?: string }[][];
}

export function compareStatistics(work: CompareWork): CompareStatistics {
  const { seed } = work;
  // The band at each point is the mean's t interval, as the table's below: the same method and
  // coverage along the curve as at its end.
  const bands = work.series.map((series) => curveBand(series, work.band, work.range));
  // The IQM has no t analogue: its interval is rliable's percentile bootstrap, which covers less
  // than 95 % with few runs (Compare's caution says how much). One run, or runs all equal, have
  // no interval at all (the bootstrap's would have zero width, which reads as certainty). It lies
  // within the runs' values, so inside the metric's range without clamping.
  const iqm = work.finals.map((values): BootstrapInterval => {
    const { point, lo, hi } = stratifiedBootstrapCI([values], aggregateIqm, { seed });
    return hasSpread(values) ? { point, lo, hi } : { point, lo: null, hi: null };
  });
  // The mean's is Student's t: the percentile bootstrap of a mean covers it about 75 % of the time
  // with 3 runs and 90 % with 10 (normal scores), where t holds 95 % at every n.
  const average = work.finals.map((values) => studentTMeanCI(values, work.range));
  // P(Y > X) = 1 − P(X > Y) in every resample (ties count ½ both ways), so the cell below the
  // diagonal is its mirror's bootstrap read the other way round (the percentile interval is
  // symmetric: q_α(1 − Z) = 1 − q_{1−α}(Z)). Bootstrapped on its own, with other draws, it could
  // read "worse" while its mirror withheld "better" ([0.46, 1] against [0, 0.48] for runs
  // 9, 1, 18, 11, 15 against 6, 1, 1, 7, 2).
  // For a metric better low (a loss, the shop's gini), the improvement is P(X < Y) = P(−X > −Y):
  // the same resamples of the negated values, so its interval is its mirror's read the other way round.
  const finals = work.direction === 'lower' ? work.finals.map((values) => values.map((v) => -v)) : work.finals;
  const improvement = finals.map((xs, i) => finals.map((ys, j) => (i < j ? probabilityOfImprovementCI([xs], [ys], { seed }) : null)));
  // The rank test behind the verdicts: two-sided, so the direction's negation leaves it as it is.
  const tests = work.finals.map((xs, i) => work.finals.map((ys, j) => (i < j ? mannWhitneyTest(xs, ys).p : NaN)));
  // Paired by seed where the design allows (pairingOf): the differences of the raw values, row − column
  // in the metric's units, whatever its direction (the signed-rank test is two-sided: the verdict reads
  // the direction off the difference's sign).
  const pairings = work.finals.map((xs, i) =>
    work.finals.map((ys, j): { paired?: PairedDifference; unpaired?: string } => {
      if (i >= j) return {};
      const pairing = pairingOf(work, i, j);
      if (pairing === undefined) return {};
      return 'unpaired' in pairing ? { unpaired: pairing.unpaired } : { paired: pairedDifference(xs, ys, pairing.rows, pairing.columns) };
    }),
  );
  const pairedCell = (i: number, j: number): { paired?: PairedDifference; unpaired?: string } => {
    if (i < j) return pairings[i]![j]!;
    const { paired, unpaired } = pairings[j]![i]!;
    return paired ? { paired: mirrored(paired) } : unpaired !== undefined ? { unpaired } : {};
  };
  const matrix = improvement.map((row, i) =>
    row.map((cell, j) => {
      if (i === j) return { p: 0.5, lo: 0.5, hi: 0.5 };
      if (cell) return { p: cell.point, lo: cell.lo, hi: cell.hi, mannWhitneyP: tests[i]![j]!, ...pairedCell(i, j) };
      const mirror = improvement[j]![i]!;
      return { p: 1 - mirror.point, lo: 1 - mirror.hi, hi: 1 - mirror.lo, mannWhitneyP: tests[j]![i]!, ...pairedCell(i, j) };
    }),
  );
  return { bands, iqm, average, improvement: matrix };
}

/**
 * How much bootstrap work a comparison's final values ask for, per resample: for each pair of
 * groups, P(X > Y)'s draws and comparisons (n_x + n_y + n_x·n_y), which dominate (a pair's 2,000
 * resamples, and the IQM's per group, cost about 0.04 ms per unit; see OFF_THREAD_BOOTSTRAP_WORK).
 */
export function bootstrapWork(finals: readonly ArrayLike<number>[]): number {
  let work = 0;
  for (let i = 0; i < finals.length; i++) {
    for (let j = i + 1; j < finals.length; j++) {
      const [x, y] = [finals[i]!.length, finals[j]!.length];
      work += x + y + x * y;
    }
  }
  return work;
}
