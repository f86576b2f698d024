/** Immutable sets for React state. */

/**
 * The set with `item` in it (present) or out of it: the same set when that changes nothing, so a
 * state update with it re-renders nothing.
 */
export function withMember<T>(set: ReadonlySet<T>, item: T, present: boolean): ReadonlySet<T> {
  if (set.has(item) === present) return set;
  const next = new Set(set);
  if (present) next.add(item);
  else next.delete(item);
  return next;
}
