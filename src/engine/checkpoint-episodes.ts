/**
 * The episodes at which a run snapshots its learned values: the training loop takes them, and the
 * store reads the same schedule to tell a scheduled snapshot from the one a stop takes.
 */

/** Episodes (0-based, each the last episode of its slice) at which checkpoints are taken. */
export function checkpointEpisodes(episodes: number, checkpoints: number): number[] {
  const out: number[] = [];
  const n = Math.min(checkpoints, episodes);
  for (let k = 1; k <= n; k++) {
    const ep = Math.round((k * episodes) / (n + 1)) - 1;
    if (ep >= 0 && ep < episodes - 1 && out[out.length - 1] !== ep) out.push(ep);
  }
  return out;
}
