/** Min–max–mean bucketing of a metric series for charts: buckets of consecutive episodes on a grid
 * of multiples of the bucket size, so the same episodes always share a bucket while a chart pans. */

export { CHUNK_EPISODES, bucketCount, bucketSizeFor } from '../../shared/buckets';
import { bucketCount } from '../../shared/buckets';

/** Accumulates min, max, sum and count of the non-NaN values falling in each bucket. */
export class Buckets {
  readonly count: number;
  private readonly base: number;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly present: Float64Array;

  constructor(
    readonly from: number,
    readonly to: number,
    readonly size: number,
  ) {
    this.base = Math.floor(from / size);
    this.count = bucketCount(from, to, size);
    this.min = new Float64Array(this.count).fill(Infinity);
    this.max = new Float64Array(this.count).fill(-Infinity);
    this.sum = new Float64Array(this.count);
    this.present = new Float64Array(this.count);
  }

  /** The bucket holding `episode`. */
  bucketOf(episode: number): number {
    return Math.floor(episode / this.size) - this.base;
  }

  /** Adds episodes [lo, hi) from `values`, whose first element is episode `valuesStart`. */
  addValues(values: Readonly<Float32Array>, valuesStart: number, lo: number, hi: number): void {
    const { size, base, min, max, sum, present } = this;
    if (size === 1) {
      // Not downsampled: one bucket per episode (kept apart, the general loop costs ~30 ns each).
      for (let episode = lo; episode < hi; episode++) {
        const v = values[episode - valuesStart]!;
        if (v !== v) continue;
        const b = episode - base;
        min[b] = max[b] = sum[b] = v;
        present[b] = 1;
      }
      return;
    }
    let episode = lo;
    while (episode < hi) {
      const b = Math.floor(episode / size) - base;
      const end = Math.min(hi, (b + base + 1) * size);
      let mn = min[b]!;
      let mx = max[b]!;
      let s = sum[b]!;
      let c = present[b]!;
      for (let i = episode - valuesStart, last = end - valuesStart; i < last; i++) {
        const v = values[i]!;
        if (v !== v) continue; // NaN: no value at this episode
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        s += v;
        c++;
      }
      min[b] = mn;
      max[b] = mx;
      sum[b] = s;
      present[b] = c;
      episode = end;
    }
  }

  /** Adds a stored chunk's summary to bucket `b` (the whole chunk must lie inside it). */
  addSummary(b: number, count: number, min: number, max: number, sum: number): void {
    if (count === 0) return;
    if (min < this.min[b]!) this.min[b] = min;
    if (max > this.max[b]!) this.max[b] = max;
    this.sum[b]! += sum;
    this.present[b]! += count;
  }

  /**
   * The buckets holding at least one value (x is the middle of the bucket's clipped range), and how
   * many values they hold in all.
   */
  result(): { episodes: Float64Array; mean: Float64Array; min: Float64Array; max: Float64Array; values: number } {
    let kept = 0;
    let values = 0;
    for (let b = 0; b < this.count; b++) {
      if (this.present[b]! > 0) kept++;
      values += this.present[b]!;
    }
    const episodes = new Float64Array(kept);
    const mean = new Float64Array(kept);
    const min = new Float64Array(kept);
    const max = new Float64Array(kept);
    for (let b = 0, k = 0; b < this.count; b++) {
      const c = this.present[b]!;
      if (c === 0) continue;
      const lo = Math.max((b + this.base) * this.size, this.from);
      const hi = Math.min((b + this.base + 1) * this.size, this.to);
      episodes[k] = (lo + hi - 1) / 2;
      mean[k] = this.sum[b]! / c;
      min[k] = this.min[b]!;
      max[k] = this.max[b]!;
      k++;
    }
    return { episodes, mean, min, max, values };
  }
}
