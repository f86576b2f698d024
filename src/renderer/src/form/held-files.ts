/**
 * Large files held inline in the draft (a 20,000-state MDP is ~4 MB of JSON), kept out of the work
 * each keystroke does: such a file is an object the form never changes in place (an import or the
 * JSON view puts in a new one), so it is measured once per object — its JSON's length and a digest
 * of that JSON — and the check's key, the kept draft and the JSON view name it by its digest instead
 * of writing it out again at every edit.
 */
import { isObject } from '../../../shared/values';
import { readJsonSyntax } from '../../../shared/json-text';
import { getAt, setAt, type Draft } from './draft';
import { inlineFileText } from './schema';
import { fileReference } from '../../../shared/inline-files';
import { nonFiniteProblem } from './finite-json';

/** Inline files larger than this (in JSON characters) are held aside; smaller ones are written out as they are. */
export const HELD_CHARS = 20_000;

export interface FileMeasure {
  /** The length of the file's JSON text (JSON.stringify, no spaces). */
  readonly chars: number;
  /** The length and a 53-bit hash of that text: equal files have equal digests, different ones differ but by a ~2⁻⁵³ chance. */
  readonly digest: string;
}

const measured = new WeakMap<object, FileMeasure>();

/**
 * cyrb53 (bryc's public-domain string hash): two 32-bit multiply-xor lanes mixed into 53 bits. Not
 * cryptographic: a digest here only tells one file from another in the same tab.
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The measure of a file's JSON text, as measureFile gives it. */
export function measureText(text: string): FileMeasure {
  return { chars: text.length, digest: `${text.length.toString(36)}-${hash53(text).toString(36)}` };
}

/** The file's measure, computed on the first call for this object and remembered while it lives. */
export function measureFile(file: object): FileMeasure {
  let m = measured.get(file);
  if (m === undefined) {
    m = measureText(JSON.stringify(file));
    measured.set(file, m);
  }
  return m;
}

/** Records the measure of a file just parsed from `text` (a kept draft's), which is then not written out again to measure it. */
export function rememberMeasure(file: object, text: string): void {
  measured.set(file, measureText(text));
}

export interface HeldFile {
  readonly path: readonly string[];
  readonly file: Record<string, unknown>;
  readonly measure: FileMeasure;
}

/** The files at `paths` (the catalog's file parameters, see filePaths) large enough to hold aside. */
export function heldFiles(draft: Draft, paths: readonly (readonly string[])[]): HeldFile[] {
  const out: HeldFile[] = [];
  for (const path of paths) {
    const file = getAt(draft, path);
    if (!isObject(file)) continue;
    const measure = measureFile(file);
    if (measure.chars > HELD_CHARS) out.push({ path, file, measure });
  }
  return out;
}

/** The draft with each held file replaced by what `stand` makes of it (a copy; the draft is not touched). */
export function withHeldAs(draft: Draft, held: readonly HeldFile[], stand: (file: HeldFile) => unknown): Draft {
  let out = draft;
  for (const h of held) out = setAt(out, h.path, stand(h));
  return out;
}

/**
 * The draft as one string that changes when and only when the draft does (but by the digest's
 * chance), its held files (heldFiles of it) written as their digests: the check's key, and the
 * kept draft's text. It costs the small part of the draft at each edit, and each held file once.
 */
export function draftKeyText(draft: Draft, held: readonly HeldFile[]): string {
  return JSON.stringify(withHeldAs(draft, held, (h) => fileReference(h.measure.digest)));
}

/**
 * A file as the JSON view shows it in full: its keys one a line, and a list of rows (an MDP's
 * transitions, a catalog's items) one row a line, as the MDP files in resources are written.
 * JSON.stringify's indentation would give every number of every row a line of its own: 20,000
 * states' transitions made a textarea of over a million lines.
 */
export function fileText(file: Record<string, unknown>, indent: string): string {
  const inner = `${indent}  `;
  const valueText = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((row) => Array.isArray(row) || isObject(row))
      ? `[\n${v.map((row) => `${inner}  ${JSON.stringify(row)}`).join(',\n')}\n${inner}]`
      : JSON.stringify(v);
  const entries = Object.entries(file).filter(([, v]) => v !== undefined).map(([key, v]) => `${inner}${JSON.stringify(key)}: ${valueText(v)}`);
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
}

function marker(file: Record<string, unknown>): string {
  return `(${inlineFileText(file) ?? 'inline file'}: kept as is, too large to show here; “Show files in full” shows it, or import another file to replace it)`;
}

/**
 * The JSON view's text: the draft, each large inline file (at `paths`) replaced by a readable marker,
 * or, `whole`, written out in full (see fileText).
 */
export function toJsonText(draft: Draft, paths: readonly (readonly string[])[], whole = false): string {
  const held = heldFiles(draft, paths);
  if (!whole) return JSON.stringify(withHeldAs(draft, held, (h) => marker(h.file)), null, 2);
  // Each file goes in as a placeholder string JSON.stringify leaves on a line of its own, then in its place.
  const placeholder = (i: number) => `\u0000held file ${i}\u0000`;
  const text = JSON.stringify(withHeldAs(draft, held, (h) => placeholder(held.indexOf(h))), null, 2);
  return text.replace(/^( *)(.*)"\\u0000held file (\d+)\\u0000"/gm, (_, indent: string, before: string, i: string) => `${indent}${before}${fileText(held[Number(i)]!.file, indent)}`);
}

export type JsonParse = { ok: true; draft: Draft } | { ok: false; error: string };

/** Reads the JSON view's text back; markers left in place stand for the file they replaced. */
export function fromJsonText(text: string, previous: Draft, paths: readonly (readonly string[])[]): JsonParse {
  const read = readJsonSyntax(text);
  if (!read.ok) return { ok: false, error: read.problem };
  const value = read.value;
  if (!isObject(value)) return { ok: false, error: 'an experiment must be a JSON object { … }' };
  const tooLarge = nonFiniteProblem(value);
  if (tooLarge !== null) return { ok: false, error: tooLarge };
  let draft: Draft = value;
  for (const h of heldFiles(previous, paths)) if (getAt(draft, h.path) === marker(h.file)) draft = setAt(draft, h.path, h.file);
  return { ok: true, draft };
}
