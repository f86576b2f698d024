/**
 * The values a sweep or a random search names its experiments with, read back from a name:
 * "cliff (2) (alpha=0.413, epsilon.end=0.05)" is "cliff (2)" trained with those values. A sweep
 * of such an experiment (`aisle again 3 --set …`, the app's Run again) sets its values in that list
 * rather than adding a second one, and Run again numbers the repeat before the list
 * ("cliff (3) (alpha=0.413, …)"), so each name says every value once and none that no longer holds.
 * Free of the registry: the app's page imports it.
 */
import { cutToLength, EXPERIMENT_NAME_MAX, textLength } from './experiment-text';

/** A field's name in a sweep's values, as sweptValues writes it (a schedule's field dotted: epsilon.end; two fields of one name whole: agent.id). */
const SWEPT_KEY = String.raw`[A-Za-z_$][\w$]*(?:\.[\w$]+)*`;

/** A name ending in a sweep's values: " (alpha=0.413, gamma=0.9)", each value after its field's name and "=". */
const SWEPT = new RegExp(`^(.*\\S) \\(${SWEPT_KEY}=.*\\)$`, 's');

/** Where the next value starts in the list: ", key=" (sweptValues joins "key=value" with ", "; a value may hold a comma of its own, [1,2]). */
const NEXT_VALUE = new RegExp(`, (?=${SWEPT_KEY}=)`);

/** One value a name gives: the field as the name calls it, and the value as it is written there. */
export interface NamedValue {
  readonly key: string;
  readonly value: string;
}

/**
 * The values `name` ends in and the name before them; undefined for a name without ("cliff", "ε (0.1)"),
 * and for one that ends in a repeat's number: "x (a=1) (2)" is a repeat of "x (a=1)" (a name typed
 * so, since againName numbers before the values), not "x" with a value "1) (2".
 */
export function namedValues(name: string): { base: string; values: NamedValue[] } | undefined {
  if (NUMBERED.test(name)) return undefined;
  const base = SWEPT.exec(name)?.[1];
  if (base === undefined) return undefined;
  const values = name
    .slice(base.length + 2, -1)
    .split(NEXT_VALUE)
    .map((pair) => {
      const at = pair.indexOf('=');
      return { key: pair.slice(0, at), value: pair.slice(at + 1) };
    });
  return { base, values };
}

/** `name` without the values it ends in: "cliff (2) (alpha=0.4)" → "cliff (2)". */
export function unswept(name: string): string {
  return namedValues(name)?.base ?? name;
}

/** Values as a name lists them: `alpha=0.1, epsilon=0.05`. */
export function valuesText(values: readonly NamedValue[]): string {
  return values.map((v) => `${v.key}=${v.value}`).join(', ');
}

/** A name's trailing " (n)" (n ≥ 2): a repeat's number (againName, src/shared/again-name.ts), which a cut keeps. */
export const NUMBERED = /^(.*\S) \(([2-9]|[1-9]\d+)\)$/s;

/**
 * The fewest characters of its own a repeat's name is cut to where its number and values would
 * pass the limit together: below it, the values are not fitted beside the number (againName
 * numbers without them; a sweep cuts the name's end as for any name). The store reads the names a
 * repeat could take a number from by the base's first STEM_MIN characters (repeatNamesPrefix).
 */
export const STEM_MIN = 40;

/**
 * `base` and the values' `suffix`, within the name's limit: the base cut, the values whole (they
 * tell a sweep's experiments apart). A base ending in a repeat's number ("<name> (2)") is cut
 * before the number, which it keeps: a 200-character name's repeat swept, "y…y (2)" with
 * " (alpha=0.1)", lost its "(2)" to the values, and with it the number that keeps it apart from the
 * repeats before and after it. Where that leaves the name less than STEM_MIN characters, cut at
 * its end as any name (a list of values some 150 characters long).
 */
export function fittedName(base: string, suffix: string): string {
  const room = EXPERIMENT_NAME_MAX - textLength(suffix);
  const number = NUMBERED.exec(base);
  if (number !== null && textLength(base) > room) {
    const kept = ` (${number[2]})${suffix}`;
    const stemRoom = EXPERIMENT_NAME_MAX - textLength(kept);
    if (stemRoom >= STEM_MIN) return `${cutToLength(number[1]!, stemRoom).trimEnd()}${kept}`;
  }
  return room < 1 ? `${base}${suffix}` : `${cutToLength(base, room).trimEnd()}${suffix}`;
}
