/**
 * Building blocks for hyperparameter schemas. Every field has a default, a range and a description;
 * the UI form and the JSON Schema in resources/schemas are generated from these schemas, and their
 * error messages say what range is allowed so the user knows how to fix the value.
 */
import * as z from 'zod';

export interface NumberSpec {
  default: number;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive upper bound. */
  lt?: number;
  /** Whole numbers only. */
  int?: boolean;
  /** One sentence shown as help text and in the JSON Schema. */
  describe: string;
}

// Made once: every schema field's message names its range, so a few hundred bounds are written as
// the modules load, and `toLocaleString` with options builds a formatter per call (~40 ms of every
// `aisle` command's start). `format` gives what `toLocaleString` with the same options does.
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 12 });
const UNGROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 12, useGrouping: false });

/**
 * A bound as ranges write it, here and in the app's form hints (renderer/src/form/schema.ts):
 * thousands separated from 10,000 on ("[1, 100,000,000]"), not below, where "[1, 1,024]" would
 * read as three numbers; below 1e-4, in exponent form ("≥ 1e-12").
 */
export function rangeNumber(v: number): string {
  // A tiny bound (Thompson's least variance, 1e-12) as people write it, not "0.000000000001".
  if (v !== 0 && Math.abs(v) < 1e-4) return String(v);
  return (Math.abs(v) >= 10_000 ? GROUPED : UNGROUPED).format(v);
}

/** "in (0, 1]", "≥ 1", "any number" — the allowed range in the user's words. */
export function rangeText(spec: Omit<NumberSpec, 'default' | 'describe'>): string {
  const n = rangeNumber;
  const lo = spec.gt !== undefined ? `(${n(spec.gt)}` : spec.min !== undefined ? `[${n(spec.min)}` : undefined;
  const hi = spec.lt !== undefined ? `${n(spec.lt)})` : spec.max !== undefined ? `${n(spec.max)}]` : undefined;
  if (lo && hi) return `in ${lo}, ${hi}`;
  if (lo) return spec.gt !== undefined ? `> ${n(spec.gt)}` : `≥ ${n(spec.min!)}`;
  if (hi) return spec.lt !== undefined ? `< ${n(spec.lt)}` : `≤ ${n(spec.max!)}`;
  return 'any finite number';
}

/** Characters of a text that a message quotes before cutting it with "…". */
const SHOWN_CHARS = 60;

/**
 * A text with its control characters (CONTROL's: C0 and C1 controls, DEL, the bidirectional
 * overrides and isolates) written as \u escapes, for a message that carries a file's text: raw, an
 * ESC sequence drives the terminal it is printed on, a NUL hides what follows, an override shows
 * the rest of the line reversed.
 */
export function escapeControl(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A text in quotes, as JSON writes it, with the control characters JSON leaves as they are (DEL,
 * the C1 controls, the bidirectional overrides) escaped too: a field refused for holding U+202E
 * was quoted raw after "holds a control character (U+202E …)", showing the line after it reversed.
 * Whole, where show() cuts: for a name Aisle bounds (an experiment's, at most 200 characters).
 */
export function quoted(text: string): string {
  return escapeControl(JSON.stringify(text));
}

/** A value as an error message quotes it: a string in quotes, an array or object by its kind (not `1` for [1], `[object Object]`). */
export function show(value: unknown): string {
  // A long text (a pasted document where a number goes) is cut: the message would carry all of it.
  if (typeof value === 'string') return value.length > SHOWN_CHARS ? `${quoted(value.slice(0, SHOWN_CHARS))}…` : quoted(value);
  // Grouped as the range beside it is ("in (0, 1,000,000], got 1,000,000,000").
  // ±Infinity is what JSON.parse makes of 1e999: the file holds no "Infinity" to find.
  if (value === Infinity || value === -Infinity) return tooLargeText(value);
  if (typeof value === 'number') return Math.abs(value) >= 10_000 ? thousands(value) : String(value);
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * A value as compact JSON for a message (`[1,0.05,500]`: a list written where a schedule goes shows
 * as written), cut with "…" after SHOWN_CHARS characters; a number, a text or null as show() has it.
 * Unlike JSON.stringify it stops writing at the cut (an array nested thousands deep overflowed the
 * stack, a large one flooded the message) and writes ±Infinity, which JSON.parse makes of 1e999, as
 * Infinity where JSON.stringify wrote null.
 */
export function showJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return show(value);
  let out = '';
  const write = (v: unknown): void => {
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length && out.length <= SHOWN_CHARS; i++) {
        if (i > 0) out += ',';
        write(v[i]);
      }
      out += ']';
    } else if (v !== null && typeof v === 'object') {
      out += '{';
      let first = true;
      for (const [key, x] of Object.entries(v)) {
        if (out.length > SHOWN_CHARS) break;
        out += `${first ? '' : ','}${quoted(key.slice(0, SHOWN_CHARS))}:`;
        first = false;
        write(x);
      }
      out += '}';
    } else if (typeof v === 'string') out += quoted(v.slice(0, SHOWN_CHARS + 1));
    else out += String(v);
  };
  write(value);
  return out.length > SHOWN_CHARS ? `${out.slice(0, SHOWN_CHARS)}…` : out;
}

/**
 * What a number field says of a value it refuses, naming its allowed range: "must be a number in
 * (0, 1], got 2". The service's schemas (numberSchema) and the form's check of a sweep's values
 * (form/sweep-checks.ts) both say it so.
 */
export function rangeProblem(spec: Omit<NumberSpec, 'default' | 'describe'>, value: unknown): string {
  // With no upper bound, a whole number past 2^53 (1e16) read "must be a whole number ≥ 1, got
  // 10,000,000,000,000,000": a whole number, not one a double holds exactly, which the bound says.
  const unbounded = spec.int && spec.max === undefined && spec.lt === undefined;
  return `must be ${numberKind(spec)}${unbounded && typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) ? ` and ≤ ${thousands(Number.MAX_SAFE_INTEGER)}` : ''}, got ${show(value)}`;
}

/** "a number in (0, 1]", "a whole number ≥ 1", "a finite number": what a number field takes. */
function numberKind(spec: Omit<NumberSpec, 'default' | 'describe'>): string {
  // A field with no bound reads "must be a finite number" (thompson's priorMean), where it read
  // "must be a number any finite number".
  const bounded = spec.min !== undefined || spec.gt !== undefined || spec.max !== undefined || spec.lt !== undefined;
  return `a ${bounded ? '' : 'finite '}${spec.int ? 'whole number' : 'number'}${bounded ? ` ${rangeText(spec)}` : ''}`;
}

/** A number field with a default, a range and a description, whose errors name the allowed range. */
export function numberSchema(spec: Omit<NumberSpec, 'default'>): z.ZodNumber {
  const msg = (iss: { input?: unknown }) => rangeProblem(spec, iss.input);
  let s = z.number({ error: msg });
  if (spec.int) s = s.int({ error: msg });
  if (spec.min !== undefined) s = s.min(spec.min, { error: msg });
  if (spec.gt !== undefined) s = s.gt(spec.gt, { error: msg });
  if (spec.max !== undefined) s = s.max(spec.max, { error: msg });
  if (spec.lt !== undefined) s = s.lt(spec.lt, { error: msg });
  return s.describe(spec.describe);
}

export function num(spec: NumberSpec) {
  return numberSchema(spec).default(spec.default);
}

/**
 * What a choice says of a value not among its options: `must be one of "huber", "mse", got "l1"`.
 * The service's schemas (choice) and the form's check of a sweep's values (form/sweep-checks.ts,
 * from the options the JSON Schema lists) both say it so.
 */
export function choiceProblem(options: readonly unknown[], value: unknown): string {
  return `must be one of ${options.map((o) => `"${String(o)}"`).join(', ')}, got ${show(value)}`;
}

/** A choice among string options, with a default. */
export function choice<const T extends readonly [string, ...string[]]>(options: T, def: T[number], describe: string) {
  return z
    .enum(options, { error: (iss) => choiceProblem(options, iss.input) })
    .default(def as never)
    .describe(describe);
}

/** What a switch says of a value that is not true or false; the form's check of a sweep's values says it too. */
export function flagProblem(value: unknown): string {
  return `must be true or false, got ${show(value)}`;
}

/** A true/false switch, with a default. */
export function flag(def: boolean, describe: string) {
  return z.boolean({ error: (iss) => flagProblem(iss.input) }).default(def).describe(describe);
}

/**
 * What a number-or-null field (nullableNumber) says of a value that is neither, naming the number's
 * range: `must be a whole number in [0, 100,000,000] or null, got "abc"`. A number of the right kind
 * out of its range is said by the number's own schema (rangeProblem): zod gives the union's message
 * only when no branch takes the value's type, a fraction where whole numbers go included. The form's
 * check of a sweep's values says both from the JSON Schema's number branch.
 */
export function nullableProblem(spec: Omit<NumberSpec, 'default' | 'describe'>, value: unknown): string {
  return `must be ${numberKind(spec)} or null, got ${showJson(value)}`;
}

/** A number or null (the shop's shiftAt: null for none), with null its default. */
export function nullableNumber(spec: Omit<NumberSpec, 'default' | 'describe'>, numberDescribe: string, describe: string) {
  return z
    .union([numberSchema({ ...spec, describe: numberDescribe }), z.null()], { error: (iss) => nullableProblem(spec, iss.input) })
    .default(null)
    .describe(describe);
}

/**
 * Turns zod issues into one line each: "agent.alpha: must be a number in (0, 1], got -0.5".
 * `prefix` is the JSON path of the parsed value inside the file (for example "agent").
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = '', schema?: z.ZodType): string[] {
  // zod runs a text's length check on whatever has a length: a list given for a name was refused
  // twice, as no text and as "has more than 200 items: shorten it". The wrong type is the problem.
  const wrongType = new Set(issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.map(String).join('\u0000')));
  const kept = issues.filter((i) => !((i.code === 'too_big' || i.code === 'too_small') && wrongType.has(i.path.map(String).join('\u0000'))));
  return kept.flatMap((issue) => {
    const path = joinPath(prefix, issue.path);
    // An object given where a number or an object goes (ε's schedule) that has every field, one of
    // them wrong: named at that field ("agent.epsilon.decayEpisodes: must be a whole number…"), as
    // an out-of-range field already is, rather than as the union's whole ("a schedule needs…").
    const fields = fieldIssues(issue);
    if (fields) return formatIssues(fields, path);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      // With the schema, a near miss of a known field is named: "maxStep" → did you mean "maxSteps"?
      const known = schema ? fieldsAt(schema, issue.path) : [];
      const guesses = issue.keys.map((k) => nearest(k, known)).filter((g): g is string => g !== undefined);
      const hint = guesses.length > 0 ? ` (did you mean ${guesses.map((g) => `"${g}"`).join(', ')}?)` : '';
      const shown = issue.keys.slice(0, MAX_KEYS_SHOWN).map(quotedKey).join(', ') + (issue.keys.length > MAX_KEYS_SHOWN ? ` and ${thousands(issue.keys.length - MAX_KEYS_SHOWN)} more` : '');
      message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${shown}${hint}: remove ${issue.keys.length > 1 ? 'them' : 'it'} or check the spelling`;
    } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
      message = `is required (expected ${issue.expected})`;
    } else if (issue.code === 'invalid_type' && /^must be .*, got undefined$/.test(issue.message)) {
      // A field of this module's schemas missing where it has no default (a catalog item's price):
      // "must be a number in (0, 1,000,000,000], got undefined" named no fix.
      message = `is required: ${issue.message.replace(/^must be /, '').replace(/, got undefined$/, '')}`;
    } else message = plainZodMessage(issue) ?? message;
    return path ? `${path}: ${message}` : message;
  });
}

/**
 * zod's own wording, where a schema gave none, in this module's ("must be …, got …"): "Invalid
 * input: expected object, received null" reads as `must be an object, got null`, "Invalid option:
 * expected one of "a"|"b"" as `must be one of "a" or "b"`, "Too big:
 * expected string to have <=500 characters" as `has more than 500 characters: shorten it`.
 * Undefined for a message a schema wrote itself, which stands.
 */
function plainZodMessage(issue: z.core.$ZodIssue): string | undefined {
  const a = (what: string) => `${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what}`;
  if (issue.code === 'invalid_type') {
    // zod names ±Infinity (what JSON.parse makes of 1e999) by their value, "received -Infinity".
    const received = /^Invalid input: expected \w+, received (-?\w+)$/.exec(issue.message)?.[1];
    if (received === undefined) return undefined;
    if (issue.expected === 'int') return 'must be a whole number';
    if (received === 'Infinity' || received === '-Infinity') return `must be ${a(issue.expected)}, got ${tooLargeText(Number(received))}`;
    return `must be ${a(issue.expected)}, got ${received === 'null' ? 'null' : a(received)}`;
  }
  // "Invalid option: expected one of "completed"|"running"|…" (an enum), "Invalid input: expected "q"" (a literal).
  if (issue.code === 'invalid_value' && /^Invalid (option|input): expected/.test(issue.message)) {
    const values = issue.values.map((v) => JSON.stringify(v));
    return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
  }
  if ((issue.code === 'too_big' || issue.code === 'too_small') && /^Too (big|small): expected/.test(issue.message)) {
    // "int": a whole number beyond 2^53 ("Too big: expected int to be <=9007199254740991").
    if (issue.origin === 'number' || issue.origin === 'int') {
      const bound = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum).toLocaleString('en-US');
      return `must be ${issue.code === 'too_big' ? (issue.inclusive ? '≤' : '<') : issue.inclusive ? '≥' : '>'} ${bound}`;
    }
    const unit = issue.origin === 'string' ? 'characters' : issue.origin === 'array' || issue.origin === 'set' ? 'items' : undefined;
    if (unit === undefined) return undefined;
    if (issue.code === 'too_big') {
      const max = Number(issue.maximum);
      return issue.inclusive ? `has more than ${max.toLocaleString('en-US')} ${unit}: shorten it` : `must have fewer than ${max.toLocaleString('en-US')} ${unit}`;
    }
    const min = Number(issue.minimum);
    return `must have at least ${(issue.inclusive ? min : min + 1).toLocaleString('en-US')} ${unit}`;
  }
  return undefined;
}

/**
 * The issues of a union's object branch when the object given has every field that branch needs
 * and none it does not know, one of them wrong: each then at its field. Undefined otherwise: the
 * union's own message (which says what is missing, or what an object is needed for) stands. Zod
 * keeps no input in an issue, so a missing field is known by its message: every message of this
 * module's schemas ends "got <input>", and zod's own "received undefined".
 */
function fieldIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const fieldOnly = (e: z.core.$ZodIssue) => e.path.length > 0 && e.code !== 'unrecognized_keys' && !/\b(got|received) undefined$/.test(e.message);
  return issue.errors.find((errors) => errors.length > 0 && errors.every(fieldOnly));
}

/** The fields of the object `schema` holds at `path` (through optional, default, nullable and pipe wrappers, and arrays' elements); none when it is not an object there. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const unwrap = (s: z.ZodType | undefined): z.ZodType | undefined => {
    for (let i = 0; s && i < 20 && !(s instanceof z.ZodObject); i++) {
      const def = (s as { _zod: { def: { innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
      s = def.innerType ?? def.in ?? undefined;
    }
    return s;
  };
  let at = unwrap(schema);
  for (const key of path) {
    if (at instanceof z.ZodObject) at = unwrap((at.shape as Record<string, z.ZodType>)[String(key)]);
    else if (at instanceof z.ZodArray && typeof key === 'number') at = unwrap(at.element as z.ZodType);
    else return [];
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

/** The known name closest to `name` when it is a plausible misspelling of it (differing only in case, or by at most a third of its letters). */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** Deeper than any Aisle file nests (an experiment with an inline catalog: four levels), and far from what overflows the stack. */
export const MAX_NESTING = 64;

/**
 * Whether a value nests objects or arrays more than `max` deep, walked without recursion: what
 * copies or hashes a user's file by recursing (structuredClone, canonical JSON) overflows the stack
 * on a value nested some thousands deep, which JSON.parse reads.
 */
export function nestsDeeper(value: unknown, max: number = MAX_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
  // Depth first, one frame per level open (at most max): an MDP's ten million rows are gone
  // through one by one, never all held at once.
  const frames: { items: readonly unknown[]; next: number }[] = [{ items: childrenOf(value), next: 0 }];
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!;
    if (top.next === top.items.length) {
      frames.pop();
      continue;
    }
    const child = top.items[top.next++];
    if (child === null || typeof child !== 'object') continue;
    if (frames.length >= max) return true;
    frames.push({ items: childrenOf(child), next: 0 });
  }
  return false;
}

const childrenOf = (v: object): readonly unknown[] => (Array.isArray(v) ? v : Object.values(v));

/** Joins a JSON path: ("agent", ["epsilon", "start"]) → "agent.epsilon.start"; indices as [3]. */
export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += pathKey(String(key), out === '');
  }
  return out;
}

/** Unknown keys named in one line: a file of thousands listed them all. */
const MAX_KEYS_SHOWN = 10;

/**
 * A key as a problem quotes it: JSON's quoting (a line break or an ESC in it escaped, so the line
 * stays one line and drives no terminal), cut after 40 characters as describeValue cuts a text.
 */
function quotedKey(key: string): string {
  return escapeControl(JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key));
}

/**
 * A key's step in a JSON path: `.key`, or `["…"]` (quotedKey) for one whose control characters
 * would break the problem's line or that is too long to read; `first`: the path's first step, no dot.
 */
export function pathKey(key: string, first = false): string {
  if (CONTROL.test(key) || key.length > 40) return `[${quotedKey(key)}]`;
  return first ? key : `.${key}`;
}

/**
 * Control characters (a newline, an ESC sequence) in a name or label break the terminal tables
 * it is printed in, or drive the terminal: names, labels and ids refuse them, and the bidirectional
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder how the text after them is
 * shown (a label that reads as another: "Trojan Source").
 */
export const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** Where `pattern` (default: any control character) first matches in a text, as "U+001B at character 7". */
export function controlAt(text: unknown, pattern: RegExp = CONTROL): string {
  const s = String(text);
  const i = s.search(pattern);
  return `U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at character ${i + 1}`;
}

/** A string schema's refinement refusing control characters, with the message naming the first. */
export function withoutControl<S extends z.ZodType<string>>(schema: S): S {
  return schema.refine((text) => !CONTROL.test(text), { error: (iss) => `must not contain control characters (found ${controlAt(iss.input)}): remove it` }) as S;
}

/**
 * A count and its noun, singular for one: `1 episode`, `3 runs`, `10,000 rows` (grouped, as every
 * count Aisle prints); `shown` is how the count is written when not so, `nouns` the plural when it is
 * not the noun plus s.
 */
export function plural(n: number, noun: string, shown: string = thousands(n), nouns = `${noun}s`): string {
  return `${shown} ${n === 1 ? noun : nouns}`;
}

/** Items in a sentence, joined by `word`: "a", "a or b", "a, b and c" (shared/text's andList). */
export function wordList(items: readonly string[], word: 'and' | 'or'): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

/** A name as a list in a message gives it: as it is, or quoted as show() quotes it when it holds a control character or is longer than a message quotes (see firstFive). */
export function listedName(name: string): string {
  return name.length > SHOWN_CHARS || CONTROL.test(name) ? show(name) : name;
}

/** Names in a sentence, each as listedName gives it: "item, click, pscore" (a file's columns, its first five). */
export function listedNames(names: readonly string[]): string {
  return names.map(listedName).join(', ');
}

/**
 * Up to five names, for messages: "a, b, c, d, e, … (34 in all)". The names are often a file's (a
 * log's actions, a foreign database's tables): one holding a control character, or longer than a
 * message quotes, is quoted as show() quotes it ("\u001b[31m7", cut with …), where it reached the
 * terminal raw (an ESC sequence driving it) or whole (a line of thousands).
 */
export function firstFive(names: readonly string[]): string {
  return `${listedNames(names.slice(0, 5))}${names.length > 5 ? `, … (${thousands(names.length)} in all)` : ''}`;
}

/** Number text with thousands separators in its whole part: "1234.5678" as 1,234.5678 (not 1,234.5,678); an exponent form as it is. */
export function grouped(text: string): string {
  const [whole, fraction] = text.split('.');
  if (/e/i.test(whole!)) return text; // 1e+21 and beyond: as JavaScript writes them
  return whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction !== undefined ? `.${fraction}` : '');
}

/** A number with thousands separators in its whole part, for messages: 2,000,000 and 1,234.5678. */
export function thousands(n: number): string {
  return grouped(String(n));
}

/**
 * A measured value as tables and messages show it, in the app and from the CLI alike: `digits`
 * decimals, or more below 1 so that at least two significant digits show (0.00038, not 3.77e-4
 * nor 0.000: a gap or a click rate keeps its size), thousands separated (21,739.13), trailing
 * zeros dropped. An exponent only where the zeros would have to be counted (below 1e-6: 2.81e-7)
 * or for a value no column fits (1e+15 and beyond). Tables call it through fmt (shared/text.ts),
 * which differs on purpose for whole numbers (counts: every digit, 3.2e17 as 320,000,000,000,000,000).
 */
export function decimal(x: number, digits: number): string {
  const abs = Math.abs(x);
  if (!Number.isFinite(x) || abs === 0) return String(x);
  if (abs < 1e-6 || abs >= 1e15) return x.toExponential(2);
  const text = x.toFixed(abs < 1 ? Math.max(digits, 1 - Math.floor(Math.log10(abs))) : digits);
  return grouped(text.includes('.') ? text.replace(/\.?0+$/, '') : text);
}

/** How a message shows ±Infinity: what JSON.parse makes of a number too large for a double (1e999). */
export function tooLargeText(v: number): string {
  return `a number too large to represent (it reads as ${v})`;
}

/** The error every engine validator throws: one message per problem, each naming its field. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly problems: readonly string[];
  /** Identical lines are kept once (two checks of one value can word their failure alike). */
  constructor(problems: readonly string[]) {
    const unique = [...new Set(problems)];
    super(unique.join('\n'));
    this.problems = unique;
  }
}

/** Parses with a schema or throws a ValidationError whose lines are prefixed with `prefix`. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(formatIssues(result.error.issues, prefix));
  return result.data;
}
