/** Wording shared by the CLI, the main process and the app. */

/**
 * A count and its noun, singular for one: `1 episode`, `3 runs` (the noun's plural adds an s);
 * `shown` is how the count is written (e.g. with thousands separators).
 */
export function plural(n: number, noun: string, shown: string = String(n)): string {
  return `${shown} ${noun}${n === 1 ? '' : 's'}`;
}
