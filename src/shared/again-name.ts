/**
 * The name of a repeat of a stored experiment, as the app's Run again and `aisle again` give it:
 * under the same name, the new experiment could not be told from the one it repeats in the lists,
 * Compare's picker or `aisle experiments`.
 */
import { EXPERIMENT_NAME_MAX } from '../engine/experiment-text';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 code units (as the name's limit counts them), between
 * user-perceived characters: a cut inside an emoji's surrogate pair left half of it, which is stored
 * as U+FFFD.
 */
function cutTo(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max) break;
    kept += segment;
  }
  return kept;
}

/** A name's trailing " (n)" (n ≥ 2), which a repeat numbers on from rather than stacking a second. */
const NUMBERED = /^(.*\S) \(([2-9]|[1-9]\d+)\)$/s;

/**
 * The name of a repeat of `name`: "<name> (2)", or the next number not among `taken` (the stored
 * experiments' names), so repeating "cliff" twice gives "cliff (2)" and "cliff (3)", and repeating
 * "cliff (2)" gives "cliff (3)" rather than "cliff (2) (2)". The base is cut to keep the name valid.
 */
export function againName(name: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  const trimmed = name.trim();
  const base = NUMBERED.exec(trimmed)?.[1] ?? trimmed;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${cutTo(base, EXPERIMENT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!names.has(candidate)) return candidate;
  }
}
