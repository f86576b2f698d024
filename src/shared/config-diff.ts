/**
 * The groups' configs side by side, for Compare's config diff and its Markdown report: every
 * parameter as a dotted path with each group's value, and whether the values differ.
 */
import { canonicalJson } from '../engine/canonical';
import type { CompareGroup } from './dto';
import { fmt } from './text';

type Flat = Map<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Nested objects become dotted paths ("agent.epsilon.start"); arrays stay whole values. */
function flatten(value: unknown, prefix: string, out: Flat): Flat {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

/** Values that mean the same: canonical JSON (keys in any order), as the service's differingPaths compares them; missing differs from null. */
const same = (a: unknown, b: unknown) => (a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b));

/** Short text for a cell: long arrays and objects (an inline MDP's transitions) are summarised. */
export function configValueText(v: unknown): string {
  if (v === undefined) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text.length <= 60) return text;
  if (Array.isArray(v)) return `[${v.length} items]`;
  return `${text.slice(0, 57)}…`;
}

/**
 * A setting's value as Compare writes it, in its Configuration table, its saved report and its
 * parameter study's labels: a number as the app writes numbers, Run detail's parameters among them
 * (30,000; 0.00025), where it read 30000; one that this would round keeps every digit, since the
 * table is there to show what differs. Anything else as configValueText writes it.
 */
export function configCellText(v: unknown): string {
  if (typeof v !== 'number') return configValueText(v);
  const text = fmt(v, 6);
  return Number(text.replace(/,/g, '')) === v ? text : String(v);
}

export interface DiffRow {
  readonly path: string;
  readonly values: readonly unknown[];
  readonly differs: boolean;
}

/** A row per parameter of any group; `differs` when the service names it (`differences`) or its values visibly differ. */
export function diffRows(groups: readonly Pick<CompareGroup, 'config'>[], differences: readonly string[]): DiffRow[] {
  const flats = groups.map((g) => flatten(g.config, '', new Map()));
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))];
  const named = (p: string) => differences.some((d) => d === p || p.startsWith(`${d}.`) || d.startsWith(`${p}.`));
  return paths.map((path) => {
    const values = flats.map((f) => f.get(path));
    return { path, values, differs: groups.length > 1 && (named(path) || values.some((v) => !same(v, values[0]))) };
  });
}
