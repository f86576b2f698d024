/**
 * Whether a run a screen names (in its address, or by a number typed) is stored, asked with
 * `runs.stored` before the screen reads it: a number that is no run is said on the screen without a
 * read. Read without onlyStored, it answered 404, which the browser mode's page logged in the console
 * as a failed resource for every unknown number opened; read with it, the answer that it is not
 * stored does not tell a number that is no run from a run deleted while the screen was open, which
 * the answer here tells (`seen`). Compare's run box asks the same way.
 */
import { useRef } from 'react';
import type { CommandInput, CommandOutput, OnlyStoredRead } from '../../shared/contract';
import { useCall, type CallState } from './api';

/**
 * A read of one run (runs.get, qtables.get) asked with onlyStored, as useCall reads: `gone` is the
 * run its answer says is no longer stored (deleted while the screen was open: another window,
 * `aisle delete`), and `data` is then undefined, nothing of the run being left to show. Asking
 * runs.stored first does not do: a read under way when the run is deleted answered 404, which the
 * browser mode's page logged in its console as a failed resource.
 */
export function useRunRead<K extends OnlyStoredRead>(command: K, input: CommandInput<K> | null): CallState<CommandOutput<K>> & { readonly gone?: number } {
  const read = useCall(command, input === null ? null : { ...input, onlyStored: true as const });
  const data = read.data;
  if (data === undefined || !('runNotStored' in data)) return { ...read, data };
  return { ...read, data: undefined, gone: data.runNotStored };
}

export interface StoredRun {
  /** Read it: known to be stored, or the question failed (the read then says what is wrong). */
  readonly readable: boolean;
  /** Known not to be stored: the screen says so instead of reading it. */
  readonly missing: boolean;
  /**
   * An answer here said it is stored (now, or before it was deleted): missing since (another id
   * asked in between), or found gone by a read (useRunRead), it was deleted while the screen was open.
   */
  readonly seen: boolean;
}

export function useStoredRun(id: number | undefined): StoredRun {
  const stored = useCall('runs.stored', id !== undefined ? { ids: [id] } : null);
  // Only the answer about this id: the previous one is kept while the next loads.
  const answered = stored.current && !stored.error;
  // The last id an answer said was stored: a later answer that it is not is a deletion (another
  // window, `aisle delete`), which a screen says as such rather than as a number that is no run.
  const seen = useRef<number | undefined>(undefined);
  if (id !== undefined && answered && stored.data!.includes(id)) seen.current = id;
  return {
    readable: id !== undefined && (stored.error !== undefined || (answered && stored.data!.includes(id))),
    missing: id !== undefined && answered && !stored.data!.includes(id),
    seen: id !== undefined && seen.current === id,
  };
}
