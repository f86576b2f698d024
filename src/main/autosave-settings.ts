/**
 * The autosave interval's default, in a module of its own: the job pool takes it to schedule a
 * training run's autosaves, and the store names it when it refuses to resume a run that has none.
 * The store depends on nothing in jobs/, so neither takes it from the other.
 */

/** The default interval between autosaves, ms of wall time. */
export const DEFAULT_AUTOSAVE_MS = 60_000;
