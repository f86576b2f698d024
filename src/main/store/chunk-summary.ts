/**
 * A metric chunk's summary (count, min, max and sum of its values), as the metric writer stores it
 * beside the chunk and the reader checks the chunk's values against it: one computation for both,
 * so a chunk read back is held to the very summary it was written with.
 */
import { isPlainInteger, sameBits, type ChunkRange } from './codec';

/**
 * Count, min, max and sum of a chunk's non-NaN values (min and max are ±Infinity while empty), and
 * whether they are all plain integers (see {@link ChunkRange.integers}).
 */
export class Summary implements ChunkRange {
  static readonly EMPTY = new Summary(0, Infinity, -Infinity, 0, true);

  constructor(
    readonly present: number,
    readonly min: number,
    readonly max: number,
    readonly sum: number,
    readonly integers: boolean,
  ) {}

  /**
   * This summary with `values` added. The sum adds them in order, as summarising the whole chunk at
   * once would, so a chunk's summary does not depend on how batches split it. A class, not object
   * literals: a copy made by spreading has another shape, and the loop's optimised code was thrown
   * away over and over.
   */
  plus(values: Readonly<Float32Array>): Summary {
    const n = values.length;
    const x = values[0]!;
    if (n > 0 && x === x && (this.present === 0 || (this.min === x && this.max === x)) && sameBits(values)) {
      // One repeated number (an episode length under a fixed horizon, a constant ε), after none
      // or only the same: the sequential sum's every partial sum is k · x, exact in a double (a
      // float32 has 24 significant bits and k ≤ 4096 adds 13), so one multiplication gives the
      // very sum the loop would, for a fraction of its time.
      const fresh = this.present === 0;
      const integers = this.integers && isPlainInteger(x);
      return new Summary(this.present + n, fresh ? x : this.min, fresh ? x : this.max, this.sum + x * n, integers);
    }
    return (this.integers && this.plusIntegers(values)) || this.plusValues(values);
  }

  /**
   * plus() while every value is a plain integer (returns of whole rewards, lengths, counts), or
   * null at the first that is not. The sum in any order is then the sequential one: every partial
   * sum is an integer far below 2^53 (4,096 values under 2^31 each), so exact. Integer comparisons
   * are cheaper than the doubles' selects, and chunkBlob then narrows the chunk without a test.
   */
  private plusIntegers(values: Readonly<Float32Array>): Summary | null {
    let sum = 0;
    let min = 2147483647;
    let max = -2147483648;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      // isPlainInteger(v), written out: reusing `w` below keeps this loop ~10 % faster.
      const w = v | 0;
      if (w !== v || (w === 0 && 1 / v < 0)) return null;
      sum += w;
      if (w < min) min = w;
      if (w > max) max = w;
    }
    return new Summary(this.present + values.length, Math.min(this.min, min), Math.max(this.max, max), this.sum + sum, true);
  }

  /**
   * plus() for any values. One pass: the sum is bound by the latency of its additions, and the
   * branch-free minimum and maximum ride along in their shadow (~1 ns a value here, where three
   * separate loops took ~6).
   */
  private plusValues(values: Readonly<Float32Array>): Summary {
    const n = values.length;
    let sum = this.sum;
    // Comparisons with NaN are false, so the selects skip NaN by themselves.
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      sum += v;
      min = v < min ? v : min;
      max = v > max ? v : max;
    }
    let present = this.present + n;
    if (sum !== sum) {
      // NaN (no value at some episode, or +Infinity and -Infinity): add only the values.
      present = this.present;
      sum = this.sum;
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (v === v) {
          present++;
          sum += v;
        }
      }
    }
    return new Summary(present, min, max, sum, false);
  }
}
