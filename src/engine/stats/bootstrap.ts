/**
 * Uncertainty of a mean: the percentile bootstrap interval of one sample's mean.
 *
 * The percentile bootstrap (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13):
 * draw B resamples of the n values with replacement, take each resample's mean, and report the
 * (1 − c)/2 and (1 + c)/2 quantiles of those B means (numpy's default interpolation). It assumes
 * nothing about the distribution, but with few values (n < ~10) it is too narrow: it cannot see
 * spread the sample did not show. Resampling uses the seed's bootstrap stream (`Stream.bootstrap`).
 */
import { aggregateMean, stratifiedBootstrapCI, type BootstrapOptions } from './rliable';

export type { BootstrapOptions } from './rliable';

/** A mean with the ends of its interval. */
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
