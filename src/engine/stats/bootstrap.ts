/**
 * Uncertainty of a mean: the percentile bootstrap interval of one sample's mean, and a band around
 * a learning curve averaged over seeds (the shaded region in the Compare view).
 *
 * The percentile bootstrap (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13):
 * draw B resamples of the n values with replacement, take each resample's mean, and report the
 * (1 − c)/2 and (1 + c)/2 quantiles of those B means (numpy's default interpolation). It assumes
 * nothing about the distribution, but with few values (n < ~10) it is too narrow: it cannot see
 * spread the sample did not show. Resampling uses the seed's {@link Stream.bootstrap} stream.
 */
import { Rng, Stream } from '../rng';
import { checkBootstrapOptions, percentileInterval } from './quantile';
import { aggregateMean, stratifiedBootstrapCI, type BootstrapOptions } from './rliable';

export type { BootstrapOptions } from './rliable';

/** A mean with the ends of its band or interval. */
export interface MeanInterval {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * Percentile bootstrap CI of the mean of the non-NaN values. It is exactly the stratified
 * bootstrap with a single task, so its draws (n × `int(n)` per resample) and interval match
 * `stratifiedBootstrapCI([values], aggregateMean, options)`. Empty input gives NaN throughout; a
 * single value gives lo = hi = mean.
 */
export function bootstrapMeanCI(values: ArrayLike<number>, options: BootstrapOptions): MeanInterval {
  const { point, lo, hi } = stratifiedBootstrapCI([values], aggregateMean, options);
  return { mean: point, lo, hi };
}

/** Which band curveBand draws around the mean curve. */
export type BandKind = 'ci95' | 'minmax' | 'std';

export type CurveBandOptions =
  /** 95 % percentile bootstrap CI of the mean over seeds. */
  | { kind: 'ci95'; resamples?: number; seed: number }
  /** Min and max over seeds, or mean ± one sample standard deviation; no randomness. */
  | { kind: 'minmax' | 'std'; resamples?: number; seed?: number };

/** Mean curve and band, one entry per x. */
export interface CurveBand {
  mean: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
}

/**
 * Mean over seeds of aligned learning curves (`series[s][i]` = seed s at the i-th x) with a band:
 * - 'minmax': the smallest and largest seed at each x;
 * - 'std': mean ± the sample standard deviation (n − 1 denominator) over seeds;
 * - 'ci95': the 95 % percentile bootstrap CI of the mean over seeds.
 *
 * Missing values: a NaN, or an x beyond a shorter series, leaves that seed out at that x only.
 * Where fewer than 2 seeds are present, lo = hi = mean (NaN where none is).
 *
 * 'ci95' draws each resample's seed indices ONCE (S draws of `int(S)`) and applies the same
 * resample at every x, rather than resampling every x afresh. The band is then the envelope of
 * B whole resampled mean curves — coherent along x, as the curves it summarises are, instead of
 * jittering with independent noise at each x — and the cost is B·S random draws rather than
 * B·S·L, leaving B·S·L multiply-adds and two O(B) selections per x. A resample's mean at x is
 * over its drawn seeds present at x (skipped if none is). Where only m < S seeds are present (the
 * tail of runs of unequal length), a resample therefore averages a varying number of them, not m:
 * the band there is somewhat wider than an m-seed bootstrap's, erring on the cautious side.
 */
export function curveBand(series: readonly ArrayLike<number>[], options: CurveBandOptions): CurveBand {
  const seeds = series.length;
  const length = series.reduce((max, s) => Math.max(max, s.length), 0);
  const band: CurveBand = { mean: new Float64Array(length), lo: new Float64Array(length), hi: new Float64Array(length) };
  const column = new Float64Array(seeds); // the seeds' values at one x, 0 where missing
  const present = new Float64Array(seeds); // 1 where the seed has a value at that x, else 0

  // 'ci95' only: counts[b·S + s] = how many times resample b drew seed s.
  const resamples = options.resamples ?? 2000;
  let counts: Float64Array | undefined;
  let replicates: Float64Array | undefined;
  if (options.kind === 'ci95') {
    checkBootstrapOptions(0.95, resamples);
    const rng = new Rng(options.seed, Stream.bootstrap);
    counts = new Float64Array(resamples * seeds);
    for (let b = 0; b < resamples; b++) {
      for (let k = 0; k < seeds; k++) {
        const j = b * seeds + rng.int(seeds);
        counts[j] = counts[j]! + 1;
      }
    }
    replicates = new Float64Array(resamples);
  }

  for (let i = 0; i < length; i++) {
    let m = 0;
    let sum = 0;
    for (let s = 0; s < seeds; s++) {
      const v = i < series[s]!.length ? series[s]![i]! : NaN;
      const here = Number.isNaN(v) ? 0 : 1;
      present[s] = here;
      column[s] = here ? v : 0;
      m += here;
      sum += here ? v : 0;
    }
    const mean = m > 0 ? sum / m : NaN;
    band.mean[i] = mean;
    if (m < 2) {
      band.lo[i] = band.hi[i] = mean;
      continue;
    }
    switch (options.kind) {
      case 'minmax': {
        let lo = Infinity;
        let hi = -Infinity;
        for (let s = 0; s < seeds; s++) {
          if (!present[s]) continue;
          if (column[s]! < lo) lo = column[s]!;
          if (column[s]! > hi) hi = column[s]!;
        }
        band.lo[i] = lo;
        band.hi[i] = hi;
        break;
      }
      case 'std': {
        let squares = 0;
        for (let s = 0; s < seeds; s++) if (present[s]) squares += (column[s]! - mean) ** 2;
        const std = Math.sqrt(squares / (m - 1));
        band.lo[i] = mean - std;
        band.hi[i] = mean + std;
        break;
      }
      case 'ci95': {
        const { lo, hi } = resampledMeansInterval(counts!, replicates!, column, present, m === seeds);
        band.lo[i] = lo;
        band.hi[i] = hi;
        break;
      }
      default: {
        const unknown: never = options;
        throw new Error(`unknown band kind ${(unknown as { kind: string }).kind}`);
      }
    }
  }
  return band;
}

/** The 95 % interval of the resampled means at one x (the hot loop of curveBand's 'ci95'). */
function resampledMeansInterval(counts: Float64Array, replicates: Float64Array, column: Float64Array, present: Float64Array, allPresent: boolean): { lo: number; hi: number } {
  const seeds = column.length;
  const resamples = replicates.length;
  let n = 0;
  if (allPresent) {
    for (let b = 0, o = 0; b < resamples; b++, o += seeds) {
      let sum = 0;
      for (let s = 0; s < seeds; s++) sum += counts[o + s]! * column[s]!;
      replicates[n++] = sum / seeds;
    }
  } else {
    for (let b = 0, o = 0; b < resamples; b++, o += seeds) {
      let sum = 0;
      let drawn = 0;
      for (let s = 0; s < seeds; s++) {
        sum += counts[o + s]! * column[s]!;
        drawn += counts[o + s]! * present[s]!;
      }
      if (drawn > 0) replicates[n++] = sum / drawn;
    }
  }
  return percentileInterval(replicates, n, 0.95);
}
