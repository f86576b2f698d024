/**
 * One-line summaries of the files an experiment may hold inline (an `aisle.mdp/v1` MDP, a shop
 * catalog), for the app's form, JSON view and config tables and for `aisle show`: such a file can
 * be megabytes of JSON, which no table or terminal line should print.
 */
import { listedName } from '../engine/params';
import { plural } from './text';
import { isObject } from './values';

export interface MdpSummary {
  readonly name: string | null;
  readonly states: number;
  readonly actions: number;
}

/** Counts of an inline aisle.mdp/v1 object (`states` and `actions` are counts or label lists). */
export function mdpSummary(value: unknown): MdpSummary | null {
  if (!isObject(value)) return null;
  const count = (v: unknown) => (typeof v === 'number' ? v : Array.isArray(v) ? v.length : NaN);
  const states = count(value.states);
  const actions = count(value.actions);
  if (!Number.isFinite(states) || !Number.isFinite(actions)) return null;
  return { name: typeof value.name === 'string' ? value.name : null, states, actions };
}

export function mdpText(m: MdpSummary): string {
  const count = (n: number, noun: string) => plural(n, noun, n.toLocaleString('en-US'));
  // The name is the file's, read here before any check (an MDP typed into the JSON view, whose
  // name's limits the form's check names only beside it): listed as messages list a file's names,
  // as it is or quoted, escaped and cut.
  return `MDP: ${m.name === null ? 'unnamed' : listedName(m.name)}, ${count(m.states, 'state')} × ${count(m.actions, 'action')}`;
}

/** A shop catalog held inline (the shop's `catalog`: `{ categories?, items: [...] }`), or null. */
export function catalogSummary(value: unknown): { items: number; categories: number } | null {
  if (!isObject(value) || !Array.isArray(value.items) || 'states' in value) return null;
  const categories = Array.isArray(value.categories)
    ? value.categories.length
    : new Set(value.items.map((item: unknown) => (isObject(item) ? item.category : undefined))).size;
  return { items: value.items.length, categories };
}

/** One line for a file held inline in an experiment (an MDP, a shop catalog), or null for anything else. */
export function inlineFileText(value: unknown): string | null {
  const m = mdpSummary(value);
  if (m) return mdpText(m);
  const c = catalogSummary(value);
  if (c) return `catalog: ${plural(c.items, 'item', c.items.toLocaleString('en-US'))} in ${plural(c.categories, 'category', c.categories.toLocaleString('en-US'), 'categories')}`;
  return null;
}

/**
 * What stands for a large inline file that was sent (or kept) once rather than with every message:
 * `{ "$inlineFile": digest }` in the file parameter's place. The app's form names its MDP so in
 * experiments.validate's checks (see heldFiles there) and in the draft it keeps for the tab.
 */
export const FILE_REFERENCE = '$inlineFile';

export function fileReference(digest: string): Record<string, string> {
  return { [FILE_REFERENCE]: digest };
}

/** The digest a value made by fileReference names, or undefined for any other value. */
export function referencedDigest(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const digest = value[FILE_REFERENCE];
  return Object.keys(value).length === 1 && typeof digest === 'string' ? digest : undefined;
}

/** The file references an experiment holds (an env or agent parameter whose value is one): where, and the digest named. */
export function fileReferencesOf(experiment: unknown): { readonly which: 'env' | 'agent'; readonly key: string; readonly digest: string }[] {
  const out: { which: 'env' | 'agent'; key: string; digest: string }[] = [];
  if (!isObject(experiment)) return out;
  for (const which of ['env', 'agent'] as const) {
    const component = experiment[which];
    if (!isObject(component)) continue;
    for (const [key, value] of Object.entries(component)) {
      const digest = referencedDigest(value);
      if (digest !== undefined) out.push({ which, key, digest });
    }
  }
  return out;
}
