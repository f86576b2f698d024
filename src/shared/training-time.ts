/** A run's training time, its pauses left out, as the app and the CLI show it (ticking while it runs). */

/**
 * The run's training time at `now`, ms: its stored time, and for a running run the stretch since
 * the moment that counts up to (never negative: a clock a little behind the one that wrote it);
 * null for a run that never started.
 */
export function trainingMs(run: { readonly activeMs: number | null; readonly activeAt: number | null }, now: number): number | null {
  if (run.activeMs === null) return null;
  return run.activeAt === null ? run.activeMs : run.activeMs + Math.max(0, now - run.activeAt);
}
