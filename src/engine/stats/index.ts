/** Statistics for the Run and Compare views: smoothing, downsampling, bands across seeds, rliable aggregates. */
export { emaSmooth } from './smoothing';
export { lttb, minMaxBuckets, type MinMaxBuckets } from './downsample';
export { bootstrapMeanCI, type MeanInterval } from './bootstrap';
export { curveBand, type BandKind, type CurveBand } from './band';
export {
  aggregateIqm,
  aggregateMean,
  aggregateMedian,
  interquartileMean,
  optimalityGap,
  probabilityOfImprovement,
  probabilityOfImprovementCI,
  stratifiedBootstrapCI,
  type BootstrapInterval,
  type BootstrapOptions,
  type Interval,
  type Statistic,
} from './rliable';
export { EXACT_RANK_SUM_WORK, holmAdjust, mannWhitneyTest, type RankSumTest } from './mann-whitney';
export { EXACT_SIGNED_RANK_N, wilcoxonSignedRankTest, type SignedRankTest } from './wilcoxon';
export { hasSpread, studentTMeanCI, summarize, type MeanTInterval, type Summary } from './describe';
export { dropNaN, median, quantile } from './quantile';
