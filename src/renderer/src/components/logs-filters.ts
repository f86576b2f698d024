/**
 * The Off-policy screen's row filters: each listed column's values with the rows they keep given
 * the other filters (from the inspection's combinations). Which of them still mix logging policies,
 * campaigns or pages is src/engine/ope/logging-columns.ts's to say, as the CLI says it too.
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
  for (const pair of inspection.pairs ?? []) {
    const seen = new Set(pair.seen);
    const [first, second] = pair.columns;
    const across = out.get(second)!.length;
    zeroUnseen(out, first, second, where, (a, b) => seen.has(a * across + b));
    zeroUnseen(out, second, first, where, (b, a) => seen.has(a * across + b));
  }
  return out;
}

/**
 * Beyond the combinations (a column they leave out, or a filter on one): a value of `column` that
 * never shares a row with the value `other`'s filter keeps keeps no row, whatever the other counts.
 */
function zeroUnseen(out: Map<string, Values>, column: string, other: string, where: Readonly<Record<string, string>>, together: (value: number, kept: number) => boolean): void {
  if (!(other in where)) return;
  const kept = out.get(other)!.findIndex((v) => v.value === where[other]);
  if (kept < 0) return;
  out.set(
    column,
    out.get(column)!.map((v, k) => (v.rows > 0 && !together(k, kept) ? { value: v.value, rows: 0 } : v)),
  );
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
 * The actions of the rows the filters keep, as the evaluation reads them (its logs' actions are
 * those rows' only): what Off-policy asks policies.fitLogs about, so a stored policy whose actions
 * only the filtered-out rows show is marked before Evaluate refuses it. A filter on the action
 * column keeps its one action. Where the counts do not follow every filter (see
 * {@link countsNotFollowing}) they are the file's, so the list may hold more than the rows show,
 * never fewer: a policy is then marked no more than before. Null when the column has too many values
 * to list, or the filters keep no row (the evaluation says so).
 */
export function loggedActions(inspection: LogsInspection, where: Readonly<Record<string, string>>, actionColumn: string): string[] | null {
  if (!inspection.columns.some((c) => c.name === actionColumn && c.values !== null)) return null;
  const values = filteredValues(inspection, where).get(actionColumn)!;
  const kept = values.filter((v) => v.rows > 0 && (!(actionColumn in where) || v.value === where[actionColumn]));
  return kept.length > 0 ? kept.map((v) => v.value) : null;
}

/**
 * The filters once the reward and the propensity are the columns `roles` names: a filter on either
 * is dropped. Those columns are not offered as filters (keeping only the clicked rows makes any
 * estimate meaningless), so a filter set on one before it took its role (click = 1, while the
 * reward was another column) would keep its rows unseen, the evaluation on the clicked rows alone
 * (a mean click of 1). `where` itself when nothing is dropped.
 */
export function filtersOfRoles(where: Readonly<Record<string, string>>, roles: { readonly reward: string; readonly propensity: string }): Readonly<Record<string, string>> {
  const dropped = [roles.reward, roles.propensity].filter((c) => c !== '' && c in where);
  if (dropped.length === 0) return where;
  return Object.fromEntries(Object.entries(where).filter(([column]) => !dropped.includes(column)));
}

/**
 * The filter set last (`where`'s last, as the screen adds them) whose value keeps no row under the others, by `values`
 * (filteredValues: a column's counts follow the other filters). Those counts never fall short of
 * the rows (a filter they cannot follow only leaves more), so a 0 is sure: the evaluation and the
 * fit would refuse it after reading the file ("no row has …"). Null when each keeps some, or is not
 * counted (a column of too many values).
 */
export function emptyFilter(values: ReadonlyMap<string, Values>, where: Readonly<Record<string, string>>): { readonly column: string; readonly value: string } | null {
  for (const [column, value] of Object.entries(where).reverse()) {
    const found = values.get(column)?.find((v) => v.value === value);
    if (found !== undefined && found.rows === 0) return { column, value };
  }
  return null;
}
