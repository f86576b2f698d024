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

/** A field's name in a sweep's values, as sweptName writes it (a schedule's field dotted: epsilon.end). */
const SWEPT_KEY = String.raw`[A-Za-z_$][\w$]*(?:\.[\w$]+)*`;

/**
 * A name's trailing values of a sweep or a random search, " (alpha=0.413, gamma=0.9)", as sweptName
 * (src/engine/sweep.ts) puts them: each value after a field's name (a schedule's field dotted,
 * epsilon.end) and "=".
 */
const SWEPT = new RegExp(`^(.*\\S) \\(${SWEPT_KEY}=.*\\)$`, 's');

/** Where the next of a sweep's values starts in its list: ", key=" (sweptValues joins "key=value" with ", "). */
const NEXT_VALUE = new RegExp(`, (?=${SWEPT_KEY}=)`);

/** `name` without its sweep's values, as it was before the sweep named it: "cliff (2) (alpha=0.4)" → "cliff (2)". */
function unswept(name: string): string {
  return SWEPT.exec(name)?.[1] ?? name;
}

/**
 * The name of a repeat of `name`: "<name> (2)", or the next number not among `taken` (the stored
 * experiments' names), so repeating "cliff" twice gives "cliff (2)" and "cliff (3)", and repeating
 * "cliff (2)" gives "cliff (3)" rather than "cliff (2) (2)". The base is cut to keep the name valid.
 * `sweeping`: the repeat is a sweep or a random search, whose experiments the sweep names with their
 * own values after this name: the values of the sweep that made `name` are dropped rather than kept
 * beside the new ones ("cliff (alpha=0.413)" gives "cliff (2)", then "cliff (2) (alpha=0.444)"), and
 * a number an earlier sweep's names carry ("cliff (2) (alpha=0.1)") is taken.
 */
export function againName(name: string, taken: Iterable<string>, sweeping = false): string {
  const names = new Set(taken);
  if (sweeping) for (const other of [...names]) names.add(unswept(other.trim()));
  const trimmed = sweeping ? unswept(name.trim()) : name.trim();
  const base = NUMBERED.exec(trimmed)?.[1] ?? trimmed;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${cutTo(base, EXPERIMENT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
    if (!names.has(candidate)) return candidate;
  }
}

/** A setting given over the stored experiment: the names its field may go by in a sweep's values (see shortNames), and its value as the name shows it. */
export interface NamedSetting {
  readonly keys: readonly string[];
  readonly text: string;
}

/**
 * The name of a repeat with single values set over the stored ones (`aisle again 3 --set
 * agent.alpha=0.9`). When `name` ends in a sweep's values ("cliff (alpha=0.1, epsilon=0.05)") and
 * a setting changes one of them, the name would say what the experiment no longer is: the repeat
 * is named as a sweep names its experiments instead, the values that still hold kept and the new
 * ones in their place ("cliff (2) (alpha=0.9, epsilon=0.05)"). Otherwise {@link againName}'s.
 */
export function againNameWith(name: string, taken: Iterable<string>, settings: readonly NamedSetting[]): string {
  const names = [...taken];
  const plain = againName(name, names);
  const trimmed = name.trim();
  const base = SWEPT.exec(trimmed)?.[1];
  if (base === undefined || settings.length === 0) return plain;
  const pairs = trimmed
    .slice(base.length + 2, -1)
    .split(NEXT_VALUE)
    .map((pair) => {
      const at = pair.indexOf('=');
      return { key: pair.slice(0, at), value: pair.slice(at + 1) };
    });
  let changed = false;
  for (const pair of pairs) {
    const setting = settings.find((s) => s.keys.includes(pair.key));
    if (setting === undefined) continue;
    changed ||= setting.text !== pair.value;
    pair.value = setting.text;
  }
  if (!changed) return plain;
  const numbered = againName(name, names, true);
  const renamed = `${numbered} (${pairs.map((p) => `${p.key}=${p.value}`).join(', ')})`;
  // Too long for a name: the number alone, which says nothing untrue.
  return renamed.length <= EXPERIMENT_NAME_MAX ? renamed : numbered;
}
