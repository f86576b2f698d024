/**
 * How a run's error counts the times it stopped from one autosave, read back from the words of its
 * last stop (no column holds it): a training worker's deaths (jobs/worker-deaths.ts) and its whole
 * process's stops, which the store's recovery words (store/sessions.ts).
 */

/** A count as a repeated stop's words give it: 'twice', '3 times'. */
export function times(count: number): string {
  return count === 2 ? 'twice' : `${count} times`;
}

/**
 * How many times an error says its run stopped, given what precedes the count (`before`, followed
 * by times' words and ' from episode '): 1 when it names none (a first stop's words). Shared by
 * worker deaths and the store's recovery of a run whose process stopped (sessions.ts).
 */
export function timesSaid(error: string, before: string): number {
  const at = error.indexOf(before);
  const said = at < 0 ? null : /^(twice|(\d+) times) from episode /.exec(error.slice(at + before.length));
  if (!said) return 1;
  return said[1] === 'twice' ? 2 : Number(said[2]);
}

/** The episode an error names ('at episode 1,234', 'from episode 1,234': the first), as fmt writes it; undefined when none. */
export function episodeSaid(error: string): number | undefined {
  const said = / episode (\d[\d,]*)/.exec(error);
  return said ? Number(said[1]!.replaceAll(',', '')) : undefined;
}
