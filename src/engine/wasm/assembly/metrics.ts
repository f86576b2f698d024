/**
 * Where the loops write each episode's metrics (return, length, train/epsilon): as float64 rows,
 * which the engine's summaries read, and as float32 columns, the form the metric store keeps, so
 * that a host that stores them need not transpose and round them itself.
 */

/** Column m's value for episode i of a chunk is at columnsAt + 4 (m · stride + i). */
let columnsAt: usize = 0;
let stride: i32 = 0;

/** Sets where the float32 columns go: three of `episodes` values each, from `at`. */
export function useColumns(at: usize, episodes: i32): void {
  columnsAt = at;
  stride = episodes;
}

/** Writes the metrics of a chunk's i-th episode: metrics[3i ..] as float64, and the columns. */
// @ts-ignore: decorator
@inline export function writeEpisode(metrics: usize, i: i32, episodeReturn: f64, length: f64, epsilon: f64): void {
  const row = metrics + (<usize>(i * 3) << 3);
  store<f64>(row, episodeReturn, 0);
  store<f64>(row, length, 8);
  store<f64>(row, epsilon, 16);
  const column = columnsAt + (<usize>i << 2);
  store<f32>(column, <f32>episodeReturn);
  store<f32>(column + (<usize>stride << 2), <f32>length);
  store<f32>(column + (<usize>stride << 3), <f32>epsilon);
}
