/**
 * The Off-policy screen's row filters: each listed column's values with the rows they keep given
 * the other filters (from the inspection's combinations), and the columns of logging policies,
 * campaigns or pages whose values the rows evaluated on still mix, which makes every estimate a
 * blend of several experiments.
 */
import type { LogsInspection } from '../../../shared/dto';

type Values = NonNullable<LogsInspection['columns'][number]['values']>;

/**
 * Each listed column's values with the rows that have them among those every other filter keeps
 * (a column's own filter does not count: its other values stay pickable, with what they would keep).
 * Counted over the columns the inspection combined: one outside them keeps the file's counts, and
 * a filter on it does not count (see {@link countsNotFollowing}).
 */
export function filteredValues(inspection: LogsInspection, where: Readonly<Record<string, string>>): Map<string, Values> {
  const out = new Map<string, Values>();
  for (const c of inspection.columns) if (c.values) out.set(c.name, c.values);
  const combinations = inspection.combinations;
  const values = combinations.columns.map((name) => out.get(name)!);
  // The index of each filtered value, by its column's place in the combinations (-1: no filter; a value absent from the file: none).
  const wanted = combinations.columns.map((name, j) => (name in where ? values[j]!.findIndex((v) => v.value === where[name]) : -1));
  const counts = values.map((v) => new Array<number>(v.length).fill(0));
  for (const row of combinations.rows) {
    let failed = -1;
    let fails = 0;
    for (let j = 0; j < wanted.length; j++) {
      if (wanted[j] !== -1 && row[j] !== wanted[j]) {
        failed = j;
        fails++;
      }
    }
    const n = row[row.length - 1]!;
    // Kept by every filter: it counts for every column. Refused by one alone: it counts for that one's other values.
    if (fails === 0) for (let j = 0; j < wanted.length; j++) counts[j]![row[j]!]! += n;
    else if (fails === 1) counts[failed]![row[failed]!]! += n;
  }
  combinations.columns.forEach((name, j) => out.set(name, values[j]!.map((v, k) => ({ value: v.value, rows: counts[j]![k]! }))));
  return out;
}

/**
 * Of `names`, the columns whose counts do not follow every filter: the file had too many
 * combinations of its listed columns' values to count them all, so the inspection combined some
 * only. A column outside them keeps the file's counts under another column's filter; one inside
 * them leaves out a filter on a column outside.
 */
export function countsNotFollowing(inspection: LogsInspection, where: Readonly<Record<string, string>>, names: readonly string[]): string[] {
  const combined = new Set(inspection.combinations.columns);
  const filters = Object.keys(where);
  return names.filter((name) => (combined.has(name) ? filters.some((f) => !combined.has(f)) : filters.some((f) => f !== name)));
}

/**
 * Words in a column's name that say which policy logged a row, or where it was shown (a campaign,
 * a page, a slot). Rows of different values are different experiments or decisions: their logging
 * policies, actions and propensities differ, and an estimate over them together answers none of
 * them. Any other column (a user's or an item's features, say) is context, which varies from row
 * to row by design: filtering to one value of it would only throw rows away.
 */
const LOGGING_WORDS = new Set([
  'policy',
  'policies',
  'logger',
  'logging',
  'behavior',
  'behaviour',
  'arm',
  'variant',
  'bucket',
  'treatment',
  'experiment',
  'campaign',
  'page',
  'placement',
  'surface',
  'slot',
  'position',
  'screen',
  'layout',
  'widget',
]);

/** Whether mixing a column's values changes what an estimate means (see LOGGING_WORDS): "logging_policy", "campaignId", "Page" do; "uf0", "affinity" do not. */
export function splitsLogging(name: string): boolean {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/);
  return words.some((w) => LOGGING_WORDS.has(w) || LOGGING_WORDS.has(w.replace(/s$/, '')));
}

/**
 * The listed columns that the rows kept still mix and that say which policy logged a row or where
 * (splitsLogging): no filter on them, not of a role, and more than one value with rows.
 */
export function mixedColumns(values: ReadonlyMap<string, Values>, where: Readonly<Record<string, string>>, roles: readonly string[]): { name: string; values: string[] }[] {
  return [...values].flatMap(([name, list]) => {
    if (name in where || roles.includes(name) || !splitsLogging(name)) return [];
    const present = list.filter((v) => v.rows > 0).map((v) => (v.value === '' ? '(empty)' : v.value));
    return present.length > 1 ? [{ name, values: present }] : [];
  });
}
