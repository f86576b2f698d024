/**
 * Fewer points for charts: a curve of 100,000 episodes drawn into 800 pixels needs ~800 points.
 * `lttb` keeps the points that preserve a single line's shape; `minMaxBuckets` summarises each
 * bucket by its range and mean, for a band around one series.
 */

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013, "Downsampling Time Series for Visual
 * Representation", MSc thesis, University of Iceland, §4.2; reference code github.com/sveinn-steinarsson/flot-downsample).
 *
 * The first and last points are kept. Points 1..n−2 are split into threshold − 2 buckets of
 * (n − 2)/(threshold − 2) points; bucket by bucket from the left, the point kept is the one that
 * makes the largest triangle with the point kept in the previous bucket and the average of the
 * next bucket (for the last bucket, the last point).
 *
 * Returns the kept indices, ascending. threshold ≥ n keeps every point; otherwise threshold < 3
 * (too few for one bucket) keeps just the first and last — the shortest line spanning the x range.
 * A point whose y is NaN makes a NaN area and is kept only if its whole bucket is NaN.
 */
export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): Int32Array {
  const n = xs.length;
  if (ys.length !== n) throw new RangeError(`xs and ys differ in length: ${n} vs ${ys.length}`);
  if (threshold >= n) return Int32Array.from({ length: n }, (_, i) => i);
  if (threshold < 3) return n === 1 ? Int32Array.of(0) : Int32Array.of(0, n - 1);

  const kept = new Int32Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = 0; // the point kept in the previous bucket
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // Average of the next bucket: the third corner of the triangle.
    const nextStart = Math.floor((bucket + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j]!;
      avgY += ys[j]!;
    }
    const count = nextEnd - nextStart;
    avgX /= count;
    avgY /= count;

    const start = Math.floor(bucket * every) + 1;
    const end = Math.floor((bucket + 1) * every) + 1;
    const ax = xs[a]!;
    const ay = ys[a]!;
    let maxArea = -1;
    let chosen = start;
    for (let j = start; j < end; j++) {
      // Twice the triangle's area; the factor ½ does not change the argmax.
      const area = Math.abs((ax - avgX) * (ys[j]! - ay) - (ax - xs[j]!) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    kept[bucket + 1] = chosen;
    a = chosen;
  }
  kept[threshold - 1] = n - 1;
  return kept;
}

/** Per-bucket summary of one series, as parallel arrays (one entry per bucket). */
export interface MinMaxBuckets {
  /** Mean x of the bucket's points. */
  x: Float64Array;
  /** Smallest non-NaN y in the bucket (NaN if the bucket has none). */
  min: Float64Array;
  /** Largest non-NaN y in the bucket. */
  max: Float64Array;
  /** Mean of the bucket's non-NaN y. */
  mean: Float64Array;
}

/**
 * Splits the points into min(n, maxPoints) buckets of consecutive indices, as equal in size as
 * integers allow (bucket b holds indices ⌊b·n/m⌋ … ⌊(b+1)·n/m⌋ − 1), and reports each bucket's
 * x (mean), min, max and mean of y. Unlike LTTB this never hides a spike: the band spans it.
 */
export function minMaxBuckets(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): MinMaxBuckets {
  const n = xs.length;
  if (ys.length !== n) throw new RangeError(`xs and ys differ in length: ${n} vs ${ys.length}`);
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  const m = Math.min(n, maxPoints);
  const out: MinMaxBuckets = { x: new Float64Array(m), min: new Float64Array(m), max: new Float64Array(m), mean: new Float64Array(m) };
  for (let b = 0; b < m; b++) {
    const start = Math.floor((b * n) / m);
    const end = Math.floor(((b + 1) * n) / m);
    let sumX = 0;
    let sumY = 0;
    let count = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = start; i < end; i++) {
      sumX += xs[i]!;
      const y = ys[i]!;
      if (Number.isNaN(y)) continue;
      sumY += y;
      count++;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    out.x[b] = sumX / (end - start);
    out.min[b] = count > 0 ? lo : NaN;
    out.max[b] = count > 0 ? hi : NaN;
    out.mean[b] = count > 0 ? sumY / count : NaN;
  }
  return out;
}
