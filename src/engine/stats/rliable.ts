/**
 * Aggregate scores across runs and tasks with honest uncertainty, after Agarwal et al. 2021,
 * "Deep Reinforcement Learning at the Edge of the Statistical Precipice" (NeurIPS), following the
 * definitions in their rliable library (github.com/google-research/rliable, metrics.py and
 * library.py).
 *
 * Scores are given per task: `scores[t]` holds task t's runs (in Aisle a task is an environment or
 * metric, a run one seed). rliable's runs × tasks matrix is the special case of equal run counts;
 * here tasks may have different numbers of runs. NaN marks a missing run and is left out.
 */
import { Rng, Stream } from '../rng';
import { checkBootstrapOptions, dropNaN, median, percentileInterval } from './quantile';

/** An aggregate of per-task scores (one array of runs per task) to one number. */
export type Statistic = (scores: readonly Float64Array[]) => number;

export interface BootstrapOptions {
  /** Coverage of the interval, in (0, 1). Default 0.95. */
  confidence?: number;
  /** Number of bootstrap resamples. Default 2000 (rliable's examples use 2000 to 50,000). */
  resamples?: number;
  /** Seed of the resampling stream ({@link Stream.bootstrap}); same seed ⇒ same interval. */
  seed: number;
}

/** A point estimate with its percentile bootstrap interval. */
export interface Interval {
  point: number;
  lo: number;
  hi: number;
}

/**
 * A statistic with its percentile bootstrap interval where one exists: lo and hi are null for fewer
 * than 2 values, whose resamples all repeat the one value (a zero-width interval that would read
 * as certainty). Compare's IQM; not a Student's t interval (MeanTInterval), which the IQM has no
 * analogue of.
 */
export interface BootstrapInterval {
  point: number;
  lo: number | null;
  hi: number | null;
}

/**
 * Interquartile mean: the mean of the middle half of the sorted scores, with rliable's exact
 * convention scipy.stats.trim_mean(x, 0.25) — cut ⌊0.25·n⌋ scores from each end and average the
 * rest. For n = 10 that cuts 2 from each end (the 6 middle scores); for n = 3, none (the plain
 * mean); for n = 5, one from each end. NaN are left out; NaN if nothing remains.
 */
export function interquartileMean(values: ArrayLike<number>): number {
  const sorted = dropNaN(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  const cut = Math.floor(0.25 * n);
  let sum = 0;
  for (let i = cut; i < n - cut; i++) sum += sorted[i]!;
  return sum / (n - 2 * cut);
}

/** rliable `aggregate_mean`: the mean over tasks of each task's mean score. */
export function aggregateMean(scores: readonly Float64Array[]): number {
  return meanOf(taskMeans(scores));
}

/** rliable `aggregate_median`: the median over tasks of each task's mean score. */
export function aggregateMedian(scores: readonly Float64Array[]): number {
  return median(taskMeans(scores));
}

/** rliable `aggregate_iqm`: the IQM of all runs of all tasks pooled (trim_mean with axis=None). */
export function aggregateIqm(scores: readonly Float64Array[]): number {
  return interquartileMean(concat(scores));
}

/**
 * rliable `aggregate_optimality_gap`: γ − mean(min(score, γ)) over all runs of all tasks — how far
 * the runs fall short of the target γ, with scores above γ counting as γ. Usable directly as a
 * {@link Statistic} (γ = 1, for normalised scores) or as `(s) => optimalityGap(s, gamma)`.
 */
export function optimalityGap(scores: readonly Float64Array[], gamma = 1): number {
  let sum = 0;
  let n = 0;
  for (const task of scores) {
    for (let i = 0; i < task.length; i++) {
      const v = task[i]!;
      if (Number.isNaN(v)) continue;
      sum += Math.min(v, gamma);
      n++;
    }
  }
  return n === 0 ? NaN : gamma - sum / n;
}

/**
 * rliable's stratified bootstrap (library.py, `StratifiedBootstrap` with task_bootstrap=False):
 * each resample draws, independently within every task (stratum), as many runs as the task has,
 * with replacement; the statistic of each resample forms the bootstrap distribution, and the
 * interval is its percentile interval. Stratifying keeps every task in every resample with its
 * own run count, so an aggregate over tasks is never resampled into a different task mix. With one
 * task it is the ordinary bootstrap.
 *
 * Draw order (fixed, so results are reproducible): for each resample, for each task in order, one
 * `int(n_t)` per run. The statistic receives buffers that are overwritten by the next resample:
 * it must not keep them.
 */
export function stratifiedBootstrapCI(scores: readonly ArrayLike<number>[], statistic: Statistic, options: BootstrapOptions): Interval {
  const { confidence = 0.95, resamples = 2000, seed } = options;
  checkBootstrapOptions(confidence, resamples);
  const tasks = scores.map(dropNaN);
  const point = statistic(tasks);
  if (tasks.length === 0 || tasks.some((t) => t.length === 0)) return { point, lo: NaN, hi: NaN };
  const rng = new Rng(seed, Stream.bootstrap);
  const resampled = tasks.map((t) => new Float64Array(t.length));
  const replicates = new Float64Array(resamples);
  let count = 0;
  for (let b = 0; b < resamples; b++) {
    for (let t = 0; t < tasks.length; t++) resampleInto(rng, tasks[t]!, resampled[t]!);
    const s = statistic(resampled);
    if (!Number.isNaN(s)) replicates[count++] = s;
  }
  return { point, ...percentileInterval(replicates, count, confidence) };
}

/**
 * rliable `probability_of_improvement`: the probability that a run of X scores higher than a run
 * of Y on the same task, averaged over tasks. For one task with runs x_1..x_N and y_1..y_M,
 *
 *     P(X > Y) = (1 / (N·M)) Σ_i Σ_j S(x_i, y_j),   S(a, b) = 1 if a > b, ½ if a = b, 0 otherwise,
 *
 * the Mann–Whitney U statistic of X divided by N·M. 0.5 means neither is better; the paper calls
 * an improvement meaningful when P(X > Y) > 0.5 with the interval's lower end above 0.5.
 */
export function probabilityOfImprovement(x: readonly ArrayLike<number>[], y: readonly ArrayLike<number>[]): number {
  checkSameTasks(x, y);
  return meanOverTasks(x.map(dropNaN), y.map(dropNaN));
}

/**
 * Stratified bootstrap interval of {@link probabilityOfImprovement}: in each resample, X's runs and
 * Y's runs are drawn with replacement, independently, within each task (draw order: for each task,
 * X's runs then Y's runs), as rliable does for paired algorithms.
 */
export function probabilityOfImprovementCI(x: readonly ArrayLike<number>[], y: readonly ArrayLike<number>[], options: BootstrapOptions): Interval {
  const { confidence = 0.95, resamples = 2000, seed } = options;
  checkBootstrapOptions(confidence, resamples);
  checkSameTasks(x, y);
  const xs = x.map(dropNaN);
  const ys = y.map(dropNaN);
  const point = meanOverTasks(xs, ys);
  if (xs.length === 0 || xs.some((t) => t.length === 0) || ys.some((t) => t.length === 0)) return { point, lo: NaN, hi: NaN };
  const rng = new Rng(seed, Stream.bootstrap);
  const rx = xs.map((t) => new Float64Array(t.length));
  const ry = ys.map((t) => new Float64Array(t.length));
  const replicates = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let t = 0; t < xs.length; t++) {
      resampleInto(rng, xs[t]!, rx[t]!);
      resampleInto(rng, ys[t]!, ry[t]!);
    }
    replicates[b] = meanOverTasks(rx, ry);
  }
  return { point, ...percentileInterval(replicates, resamples, confidence) };
}

/** P(X > Y) for one task (ties count ½); NaN if either side has no runs. */
function improvementProbability(x: Float64Array, y: Float64Array): number {
  if (x.length === 0 || y.length === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    for (let j = 0; j < y.length; j++) {
      const yj = y[j]!;
      wins += xi > yj ? 1 : xi === yj ? 0.5 : 0;
    }
  }
  return wins / (x.length * y.length);
}

function meanOverTasks(x: readonly Float64Array[], y: readonly Float64Array[]): number {
  let sum = 0;
  for (let t = 0; t < x.length; t++) sum += improvementProbability(x[t]!, y[t]!);
  return x.length === 0 ? NaN : sum / x.length;
}

function checkSameTasks(x: readonly unknown[], y: readonly unknown[]): void {
  if (x.length !== y.length) throw new RangeError(`X and Y must score the same tasks: ${x.length} vs ${y.length}`);
}

/** dst[j] = src[uniform index] for every j: one bootstrap resample of src (dst.length draws). */
function resampleInto(rng: Rng, src: Float64Array, dst: Float64Array): void {
  const n = src.length;
  for (let j = 0; j < dst.length; j++) dst[j] = src[rng.int(n)]!;
}

function taskMeans(scores: readonly Float64Array[]): Float64Array {
  return Float64Array.from(scores, (task) => meanOf(task));
}

/** Mean of the non-NaN values; NaN if there are none. */
export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? NaN : sum / n;
}

function concat(arrays: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}
