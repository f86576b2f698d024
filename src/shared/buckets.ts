/**
 * The grid of the store's downsampled reads, shared with the screens (which say how many points a
 * chart of a run draws): buckets of consecutive episodes on multiples of the bucket size, so the
 * same episodes always share a bucket while a chart pans.
 */

/** Episodes per grid cell: a stored chunk lies inside one cell [k·CHUNK_EPISODES, (k+1)·CHUNK_EPISODES). */
export const CHUNK_EPISODES = 4096;

/** How many grid-aligned buckets of `size` episodes [from, to) touches. */
export function bucketCount(from: number, to: number, size: number): number {
  return to <= from ? 0 : Math.floor((to - 1) / size) - Math.floor(from / size) + 1;
}

/**
 * A bucket size whose grid-aligned buckets over [from, to) number at most `maxPoints`: the even
 * split ceil(n / maxPoints) when the grid allows, else one size up that always fits (an interval of
 * n episodes touches at most ceil((n - 1) / size) + 1 cells). A size of a chunk or more is rounded
 * up to whole chunks, so that every stored chunk falls inside one bucket and its stored min, max
 * and sum serve without decoding its values (a 25M-episode series read in 100–220 ms with
 * buckets of 12,500 episodes, ~60 ms with 16,384); the chart loses points it had more of than
 * pixels (2,000 → ≥ 1,000).
 */
export function bucketSizeFor(from: number, to: number, maxPoints: number): number {
  const n = to - from;
  if (n <= maxPoints) return 1;
  const fits = (size: number) => bucketCount(from, to, size) <= maxPoints;
  const aligned = (size: number) => (size < CHUNK_EPISODES ? size : Math.ceil(size / CHUNK_EPISODES) * CHUNK_EPISODES);
  const even = aligned(Math.ceil(n / maxPoints));
  if (fits(even)) return even;
  if (maxPoints === 1) return aligned(to); // one bucket from 0 past `to`
  return aligned(Math.ceil(n / (maxPoints - 1))); // fits: only wider than the size that always does
}
