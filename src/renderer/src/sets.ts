/** Immutable sets for React state. */

/**
 * The set with `items` in it (present) or out of it: the same set when that changes nothing, so a
 * state update with it re-renders nothing.
 */
export function withMembers<T>(set: ReadonlySet<T>, items: Iterable<T>, present: boolean): ReadonlySet<T> {
  let next: Set<T> | undefined;
  for (const item of items) {
    if ((next ?? set).has(item) === present) continue;
    next ??= new Set(set);
    if (present) next.add(item);
    else next.delete(item);
  }
  return next ?? set;
}

/** withMembers for one item. */
export function withMember<T>(set: ReadonlySet<T>, item: T, present: boolean): ReadonlySet<T> {
  return withMembers(set, [item], present);
}
