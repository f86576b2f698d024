/**
 * Numbers JSON text spells but the app cannot send: 1e309 parses as Infinity, which the contract's
 * JSON carries as null, so the service said "episodes: must be a whole number …, got null" of a
 * number typed in the JSON view, or in a field edited as JSON. Said where the text is, as a
 * syntax problem is, with the place and the fix.
 */
import { tooLargeText } from '../../../engine/params';

/** The first number of `value` too large to represent, as "its.path: is a number too large …"; null when there is none. */
export function nonFiniteProblem(value: unknown): string | null {
  // Iterative: the text may nest thousands deep, and a parse that succeeded must not overflow here.
  const stack: { at: unknown; path: string }[] = [{ at: value, path: '' }];
  while (stack.length > 0) {
    const { at, path } = stack.pop()!;
    if (typeof at === 'number' && !Number.isFinite(at)) return `${path ? `${path}: ` : ''}is ${tooLargeText(at)}: write a smaller number there`;
    if (at === null || typeof at !== 'object') continue;
    const entries = Array.isArray(at) ? at.map((v, i) => [`[${i}]`, v] as const) : Object.entries(at).map(([k, v]) => [`${path ? '.' : ''}${k}`, v] as const);
    // Pushed in reverse so the first in the text is found first.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ at: entries[i]![1], path: `${path}${entries[i]![0]}` });
  }
  return null;
}
