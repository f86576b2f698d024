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
  const trimmed = name.trim();
  const named = namedValues(trimmed);
  const unnamed = named?.base ?? trimmed;
  const base = NUMBERED.exec(unnamed)?.[1] ?? unnamed;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${cutToLength(base, EXPERIMENT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (names.has(candidate)) continue;
    if (named === undefined) return candidate;
    const withValues = `${candidate} (${valuesText(named.values)})`;
    return textLength(withValues) <= EXPERIMENT_NAME_MAX ? withValues : candidate;
  }
}

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
