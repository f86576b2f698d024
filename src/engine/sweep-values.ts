/**
 * Reading a sweep's list of values, `0.1,0.5`, as `aisle run --set` and the app's Sweep rows both
 * do. A module of its own, importing only params.ts (which the page takes already), so that the
 * page takes it without the registry of environments and agents that sweep.ts checks parameters with.
 */
import { MAX_NESTING, nestsDeeper } from './params';

/** More experiments than this from one sweep is more likely a typo than a plan (and would take long). */
export const MAX_SWEEP = 64;

/**
 * Reads a list of values `v1,v2`, as `aisle run --set` and the app's Sweep rows take it: split at
 * the commas outside brackets, braces and quoted strings, each value trimmed, then read as JSON
 * when it parses as JSON (0.1, true, null, "text", [0, 1], {"start": 1}), else kept as the text
 * itself (sarsa). Text of nothing but spaces holds no value (`values` empty: the caller says
 * whether that is a problem). An empty value between commas is a problem (said without an example:
 * each caller adds its own), and so is a trailing one unless `trailingComma` (the app's field,
 * where the comma is typed before the next value), and a value given twice unless `repeats`.
 */
export function parseSweepValues(
  text: string,
  { trailingComma = false, repeats = false }: { trailingComma?: boolean; repeats?: boolean } = {},
): { ok: true; texts: string[]; values: unknown[] } | { ok: false; problem: string } {
  if (text.trim() === '') return { ok: true, texts: [], values: [] };
  const texts = splitValues(text);
  if (trailingComma && texts.length > 1 && texts[texts.length - 1] === '') texts.pop();
  if (texts.some((t) => t === '')) return { ok: false, problem: 'an empty value in the list: separate the values by single commas' };
  const spaced = texts.map(spaceSeparatedNumbers).find((numbers) => numbers !== undefined);
  if (spaced) return { ok: false, problem: `${spacedProblem(spaced)} (${spaced.join(', ')})` };
  const values = texts.map(valueOf);
  // A list or object nested thousands deep (`[[[…]]]`, which JSON.parse reads) overflowed the stack
  // in the repeat check below, and in copying each experiment: no field takes one.
  const deep = values.findIndex((v) => nestsDeeper(v));
  if (deep >= 0) return { ok: false, problem: `the value ${cut(texts[deep]!)} nests lists or objects more than ${MAX_NESTING} deep, which no field of an experiment takes: give a number, a text or a shallow list` };
  // The same value twice would make two experiments alike under one name, which Compare then counts
  // as one group. (`repeats`: a random search's choice list, where a repeat weighs the draw.)
  if (repeats) return { ok: true, texts, values };
  const repeat = repeatedValue(values);
  if (repeat !== undefined) {
    const [first, again] = [typedText(texts[repeat.first]!), typedText(texts[repeat.again]!)];
    return { ok: false, problem: `${again === first ? `"${again}" is given twice` : `"${again}" is the same value as "${first}"`}: give each value once (each makes an experiment of its own)` };
  }
  return { ok: true, texts, values };
}

/** A value's text as a problem quotes it: its first 20 characters, then …. */
function cut(text: string): string {
  return `"${text.length > 20 ? `${wholeSlice(text, 20)}…` : text}"`;
}

/**
 * The first `most` UTF-16 units of `text`, less half of a pair (an emoji) the cut would split: a
 * lone high surrogate before the … showed as � ("No experiment matches “a😀…😀�…”").
 */
function wholeSlice(text: string, most: number): string {
  return text.slice(0, most).replace(/[\uD800-\uDBFF]$/, '');
}

/** The most characters of what was typed a message repeats, as show() quotes a text. */
export const TYPED_CHARS = 60;

/**
 * What was typed (a value of a list, an option), as a message repeats it: whole up to TYPED_CHARS
 * characters, else cut there with …. A value of thousands of characters (a document pasted where a
 * number goes) was repeated whole, in every line that names it.
 */
export function typedText(text: string): string {
  return text.length > TYPED_CHARS ? `${wholeSlice(text, TYPED_CHARS)}…` : text;
}

/** The most of a list of typed values a message names, before "and N more". */
export const TYPED_VALUES = 5;

/**
 * Typed values as a message names them: each cut by typedText (`quote` around each, if given), at
 * most TYPED_VALUES of them, then "and 2,995 more". A paste of thousands of values (an address of
 * thousands of ids, a page of words in a box of run ids) was said back whole.
 */
export function typedList(values: readonly string[], quote: (text: string) => string = (t) => t): string {
  const more = values.length - TYPED_VALUES;
  return values.slice(0, TYPED_VALUES).map((v) => quote(typedText(v))).join(', ') + (more > 0 ? ` and ${more.toLocaleString('en-US')} more` : '');
}

/**
 * The first value of a list that repeats an earlier one (`again`, its index) and that earlier one
 * (`first`), compared by {@link sameKey}; undefined when every value is given once. A grid sweep's
 * list is checked with it where it is read (`--set`, the form's rows) and where a client sends it
 * (experiments.validate).
 */
export function repeatedValue(values: readonly unknown[]): { first: number; again: number } | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const key = sameKey(values[i]);
    const first = seen.get(key);
    if (first !== undefined) return { first, again: i };
    seen.set(key, i);
  }
  return undefined;
}

/** A value's identity: JSON with an object's keys sorted, so {"a":1,"b":2} and {"b":2,"a":1} are one value, and 0.1 and 1e-1 too. */
function sameKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The problem with numbers separated by spaces (`0.9 0.99`), without an example: each caller adds its own. */
function spacedProblem(numbers: readonly string[]): string {
  return `"${numbers.join(' ')}" is ${numbers.length} numbers separated by spaces: separate the values by commas`;
}

/**
 * A list holding numbers separated by spaces (`0.9 0.99`, `0.1, 0.2 0.3`), its problem without an
 * example and the list written with commas (`0.9,0.99`, `0.1,0.2,0.3`), for a caller that suggests
 * the whole option (`--set agent.gamma=0.9,0.99`); undefined for any other list.
 */
export function spacedList(text: string): { problem: string; commas: string } | undefined {
  const texts = splitValues(text);
  const spaced = texts.map(spaceSeparatedNumbers).find((numbers) => numbers !== undefined);
  if (spaced === undefined) return undefined;
  return { problem: spacedProblem(spaced), commas: texts.flatMap((t) => spaceSeparatedNumbers(t) ?? [t]).join(',') };
}

/**
 * The numbers of a value that is only numbers separated by spaces (`0.9 0.99`), else undefined.
 * Read as one text, it would be refused as `must be a number … got "0.9 0.99"`, which does not say
 * that a comma, not a space, separates the values; no parameter takes such a text.
 */
function spaceSeparatedNumbers(text: string): string[] | undefined {
  const parts = text.split(/\s+/);
  return parts.length > 1 && parts.every((p) => typeof valueOf(p) === 'number') ? parts : undefined;
}

/** The text between commas that are not inside brackets, braces or a quoted string, each trimmed. */
function splitValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      values.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  values.push(text.slice(start).trim());
  return values;
}

/**
 * A number as a person types one that JSON does not take (`.5`, `-.5`, `+0.5`, `5.`): read as that
 * number, not as the text ".5", which a number field then refused as 'got ".5"'.
 */
const LOOSE_NUMBER = /^[+-]?(\d+\.\d*|\.\d+|\d+)(e[+-]?\d+)?$/i;

/** A value's text read as JSON, else as a loosely written number, or the text itself. */
function valueOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const n = Number(text);
    return LOOSE_NUMBER.test(text) && Number.isFinite(n) ? n : text;
  }
}
