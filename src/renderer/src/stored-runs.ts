/**
 * Whether a run a screen names (in its address, or by a number typed) is stored, asked with
 * `runs.stored` before the screen reads it: a number that is no run is said on the screen without a
 * read that fails. Such a read answers 404, which the browser mode's page logged in the console as a
 * failed resource for every unknown number opened (Compare's run box asks the same way).
 */
import { useRef } from 'react';
import { useCall } from './api';

export interface StoredRun {
  /** Read it: known to be stored, or the question failed (the read then says what is wrong). */
  readonly readable: boolean;
  /** Known not to be stored: the screen says so instead of reading it. */
  readonly missing: boolean;
  /** Missing, where an earlier answer here said it was stored: deleted while the screen was open. */
  readonly deleted: boolean;
  /** Asks again (a run deleted since, while its screen is open): `settled` changes once it is answered. */
  readonly refresh: () => void;
  /** The latest answer or failure: a new value each time one arrives. */
  readonly settled: unknown;
}

export function useStoredRun(id: number | undefined): StoredRun {
  const stored = useCall('runs.stored', id !== undefined ? { ids: [id] } : null);
  // Only the answer about this id: the previous one is kept while the next loads.
  const answered = stored.current && !stored.error;
  // The last id an answer said was stored: a later answer that it is not is a deletion (another
  // window, `aisle delete`), which a screen says as such rather than as a number that is no run.
  const seen = useRef<number | undefined>(undefined);
  if (id !== undefined && answered && stored.data!.includes(id)) seen.current = id;
  const missing = id !== undefined && answered && !stored.data!.includes(id);
  return {
    readable: id !== undefined && (stored.error !== undefined || (answered && stored.data!.includes(id))),
    missing,
    deleted: missing && seen.current === id,
    refresh: stored.refresh,
    settled: stored.error ?? stored.data,
  };
}
