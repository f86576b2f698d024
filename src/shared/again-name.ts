/**
 * The name of a repeat of a stored experiment, as the app's Run again and `aisle again` give it:
 * under the same name, the new experiment could not be told from the one it repeats in the lists,
 * Compare's picker or `aisle experiments`.
 */
import { cutToLength, EXPERIMENT_NAME_MAX, textLength } from '../engine/experiment-text';
import { fittedName, namedValues, NUMBERED, STEM_MIN, unswept, valuesText } from '../engine/swept-name';

/**
 * The name of a repeat of `name`: "<name> (2)", or the next number not among `taken` (the stored
 * experiments' names), so repeating "cliff" twice gives "cliff (2)" and "cliff (3)", and repeating
 * "cliff (2)" gives "cliff (3)" rather than "cliff (2) (2)". The base is cut to keep the name valid.
 * A name that ends in the values of the sweep or search that made it is numbered before them,
 * "cliff (alpha=0.413)" giving "cliff (2) (alpha=0.413)": a sweep of the repeat (`aisle again
 * --set`, the app's Run again launched as a sweep) sets its own values in that list (sweptName,
 * src/engine/sweep.ts), "cliff (2) (alpha=0.444)", and the number is the same whether the repeat
 * sweeps or not. A number an earlier sweep's names carry ("cliff (2) (alpha=0.1)") is taken. Where
 * number and values would pass the limit, the base is cut to keep both (fittedName), as a sweep of
 * the repeat cuts it: "y…y (2) (alpha=0.1)"; the number alone, which says nothing untrue, where
 * that would leave less than STEM_MIN characters of it.
 */
export function againName(name: string, taken: Iterable<string>): string {
  const own = repeatBase(name);
  const numbers = new Set([...taken].flatMap((other) => numbersTaken(own, other)));
  for (let n = 2; ; n++) {
    if (numbers.has(n)) continue;
    const candidate = numbered(own.base, n);
    if (own.named === undefined) return candidate;
    const withValues = fittedName(candidate, ` (${valuesText(own.named.values)})`);
    return NUMBERED.exec(unswept(withValues))?.[2] === String(n) && textLength(withValues) <= EXPERIMENT_NAME_MAX ? withValues : candidate;
  }
}

/**
 * The name without the sweep's values it ends in (`named`), and without its repeat's number
 * (`base`); `room`, what the rest of the name leaves the base of the limit (less than the limit
 * where the name is a repeat cut for its number and values, and so `base` a cut of its own base).
 */
function repeatBase(name: string): Base & { named: ReturnType<typeof namedValues> } {
  const trimmed = name.trim();
  const named = namedValues(trimmed);
  const unnamed = named?.base ?? trimmed;
  const base = NUMBERED.exec(unnamed)?.[1] ?? unnamed;
  return { named, base, room: roomLeft(trimmed, base) };
}

/** A repeat's base and the room its name left it (see repeatBase). */
interface Base {
  readonly base: string;
  readonly room: number;
}

/** What the rest of `name` leaves its first part, `base`, of the limit. */
function roomLeft(name: string, base: string): number {
  return EXPERIMENT_NAME_MAX - (textLength(name) - textLength(base));
}

/**
 * The repeat numbers `other` holds of `own`'s base: "<base> (n)" as numbered gives it, or with a
 * sweep's values after it, the base then cut to leave them room too (fittedName: "y…y (2)
 * (alpha=0.1)" of a 200-character name, or its repeat's repeat). Two bases are one where they are
 * alike, or one is the other cut to the room its name left it (at least STEM_MIN characters, as
 * fittedName cuts), either way round: a repeat of the cut name counts the longer's numbers as
 * taken. Within the limit no base is cut, and this is numbered(base, n) === the name, as before.
 */
function numbersTaken(own: Base, other: string): number[] {
  const trimmed = other.trim();
  return [...new Set([trimmed, unswept(trimmed)])].flatMap((t) => {
    const found = NUMBERED.exec(t);
    if (found === null) return [];
    const n = Number(found[2]);
    const theirs = { base: found[1]!, room: roomLeft(trimmed, found[1]!) };
    return numbered(own.base, n) === t || oneBase(own, theirs) ? [n] : [];
  });
}

/** Whether two repeats' bases are one base, either cut to the room its name left it (see numbersTaken). */
function oneBase(a: Base, b: Base): boolean {
  const cutOf = (short: Base, long: Base) => short.room >= STEM_MIN && cutToLength(long.base, short.room).trimEnd() === short.base;
  return a.base === b.base || cutOf(a, b) || cutOf(b, a);
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
  return numbersTaken(repeatBase(name), other).length > 0;
}

/**
 * What every name takesRepeatNumber(name, …) holds for starts with: the base's first STEM_MIN
 * characters, as short as a repeat's name cuts it to leave its number and values room (fittedName;
 * a shorter cut of the same text is the start of a longer one, and a name whose base this one's
 * is a cut of starts with it whole), for the store to read those names alone.
 */
export function repeatNamesPrefix(name: string): string {
  return cutToLength(repeatBase(name).base, STEM_MIN).trimEnd();
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

/**
 * Whether `name`, or the repeat's number it carries, is among `names` as againName counts them: the
 * name itself, its base and number before a sweep's values, or its number of the same base cut
 * otherwise (numbersTaken): "y…y (2) (alpha=0.1)", cut for its values, and another process's
 * "y…yyyyyyyy (2)" share a number.
 */
function numberTaken(name: string, names: readonly string[]): boolean {
  const trimmed = name.trim();
  const own = unswept(trimmed);
  const found = NUMBERED.exec(own);
  const mine = found === null ? undefined : { base: found[1]!, room: roomLeft(trimmed, found[1]!), n: Number(found[2]) };
  return names.some((other) => {
    const t = other.trim();
    if (other === trimmed || t === own || unswept(t) === own || unswept(t) === trimmed) return true;
    return mine !== undefined && numbersTaken(mine, t).includes(mine.n);
  });
}
