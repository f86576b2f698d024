/**
 * The name of a repeat of a stored experiment, as the app's Run again and `aisle again` give it:
 * under the same name, the new experiment could not be told from the one it repeats in the lists,
 * Compare's picker or `aisle experiments`.
 */
import { cutToLength, EXPERIMENT_NAME_MAX, textLength } from '../engine/experiment-text';
import { namedValues, unswept, valuesText } from '../engine/swept-name';

/** A name's trailing " (n)" (n ≥ 2), which a repeat numbers on from rather than stacking a second. */
const NUMBERED = /^(.*\S) \(([2-9]|[1-9]\d+)\)$/s;

/**
 * The name of a repeat of `name`: "<name> (2)", or the next number not among `taken` (the stored
 * experiments' names), so repeating "cliff" twice gives "cliff (2)" and "cliff (3)", and repeating
 * "cliff (2)" gives "cliff (3)" rather than "cliff (2) (2)". The base is cut to keep the name valid.
 * A name that ends in the values of the sweep or search that made it is numbered before them,
 * "cliff (alpha=0.413)" giving "cliff (2) (alpha=0.413)": a sweep of the repeat (`aisle again
 * --set`, the app's Run again launched as a sweep) sets its own values in that list (sweptName,
 * src/engine/sweep.ts), "cliff (2) (alpha=0.444)", and the number is the same whether the repeat
 * sweeps or not. A number an earlier sweep's names carry ("cliff (2) (alpha=0.1)") is taken. Where
 * the values would make the name too long, the number alone, which says nothing untrue.
 */
export function againName(name: string, taken: Iterable<string>): string {
  const names = takenNames(taken);
  const { named, base } = repeatBase(name);
  for (let n = 2; ; n++) {
    const candidate = numbered(base, n);
    if (names.has(candidate)) continue;
    if (named === undefined) return candidate;
    const withValues = `${candidate} (${valuesText(named.values)})`;
    return textLength(withValues) <= EXPERIMENT_NAME_MAX ? withValues : candidate;
  }
}

/** The name without the sweep's values it ends in (`named`), and without its repeat's number (`base`). */
function repeatBase(name: string): { named: ReturnType<typeof namedValues>; base: string } {
  const trimmed = name.trim();
  const named = namedValues(trimmed);
  const unnamed = named?.base ?? trimmed;
  return { named, base: NUMBERED.exec(unnamed)?.[1] ?? unnamed };
}

/** The repeat numbered n: "<base> (n)", the base cut to keep the name valid. */
function numbered(base: string, n: number): string {
  const suffix = ` (${n})`;
  return `${cutToLength(base, EXPERIMENT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

/**
 * Whether the stored name `other` takes a number a repeat of `name` could have: it is one of
 * againName's "<base> (n)", or one with a sweep's values after it. againName(name, taken) gives the
 * same name for the names of `taken` that do alone, so the app reads those alone (experiments.names
 * with repeatsOf: a few names, where it read every experiment's summary for all their names).
 */
export function takesRepeatNumber(name: string, other: string): boolean {
  const { base } = repeatBase(name);
  const trimmed = other.trim();
  return [trimmed, unswept(trimmed)].some((t) => {
    const n = NUMBERED.exec(t)?.[2];
    return n !== undefined && numbered(base, Number(n)) === t;
  });
}

/**
 * What every name takesRepeatNumber(name, …) holds for starts with: the base cut as the longest
 * number's suffix would cut it (a shorter cut of the same text is the start of a longer one), for
 * the store to read those names alone.
 */
export function repeatNamesPrefix(name: string): string {
  return cutToLength(repeatBase(name).base, EXPERIMENT_NAME_MAX - LONGEST_SUFFIX).trimEnd();
}

/** " (n)" for any number againName can reach (n ≤ the names taken + 2), with room to spare. */
const LONGEST_SUFFIX = ' ('.length + 17 + ')'.length;

/**
 * The name an experiment is stored under, picked inside the write transaction that inserts it, so
 * that two processes cannot both take one (SQLite lets one writer in at a time): `name` if it is
 * apart, else the next free number (againName). `before` holds the names stored when the transaction
 * began; `assigned` those this transaction gave already (an import's earlier experiments).
 *
 * A repeat (`aisle again`, Run again) is apart when its number is free in againName's sense: "cliff
 * (2)", or "cliff (2) (alpha=0.1)" of a sweep, is taken back when another process stored a "cliff (2)"
 * or "cliff (2) (…)" meanwhile, and becomes "cliff (3)". The experiments of one sweep are checked
 * against `before` alone, so they keep one number between them. Anything else (an import) is apart
 * unless the very name is stored: "cliff" imported beside a "cliff" becomes "cliff (2)".
 */
export function nameApart(name: string, before: readonly string[], assigned: ReadonlySet<string>, repeat: boolean): string {
  if (!assigned.has(name) && !(repeat ? numberTaken(name, before) : before.includes(name))) return name;
  const taken = [...before];
  for (;;) {
    const candidate = againName(name, taken);
    if (!assigned.has(candidate)) return candidate;
    taken.push(candidate);
  }
}

/** The names, and each without the sweep's values it ends in: a number "cliff (2) (alpha=0.1)" carries is taken. */
function takenNames(names: Iterable<string>): Set<string> {
  const taken = new Set(names);
  for (const other of [...taken]) taken.add(unswept(other.trim()));
  return taken;
}

/** Whether `name`, or the repeat's number it carries before a sweep's values, is among `names` as againName counts them. */
function numberTaken(name: string, names: readonly string[]): boolean {
  const taken = takenNames(names);
  const trimmed = name.trim();
  return taken.has(trimmed) || taken.has(unswept(trimmed));
}
