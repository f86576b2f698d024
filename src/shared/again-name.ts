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
  const names = new Set(taken);
  for (const other of [...names]) names.add(unswept(other.trim()));
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
