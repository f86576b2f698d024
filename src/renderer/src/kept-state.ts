/**
 * State a screen keeps for the tab's life: useState whose value outlives the component, so leaving
 * the screen and coming back finds it as it was (a logs file picked, its columns, filters and
 * results on Off-policy). It lives in memory: a reload starts afresh.
 */
import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

const kept = new Map<string, unknown>();

/**
 * useState under a key unique in the app ("off-policy.roles"); the first mount starts at `initial`.
 * Setting it keeps the value at once, so an answer that arrives after the user left the screen
 * (a file still being read) is there when they come back.
 */
export function useKeptState<T>(key: string, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => {
    if (!kept.has(key)) kept.set(key, initial);
    return kept.get(key) as T;
  });
  const set = useCallback(
    (next: SetStateAction<T>) => {
      const now = typeof next === 'function' ? (next as (previous: T) => T)(kept.get(key) as T) : next;
      kept.set(key, now);
      setValue(now);
    },
    [key],
  );
  return [value, set];
}
