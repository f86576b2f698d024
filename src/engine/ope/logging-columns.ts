/**
 * The columns of logged rows that say which policy logged a row, or where it was shown (a
 * campaign, a page, a slot), and the rows that still mix several of their values: every estimate
 * on them, and every simulator fitted to them, blends several experiments. Shared by the
 * Off-policy screen (from a file's inspection, as its filters change), its Train on these logs,
 * `aisle ope` and `aisle logs mdp` (from the rows they read).
 */
import { firstFive, listedName } from '../params';

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

/** A column's values with the rows that have them. */
export type ValueCounts = readonly { readonly value: string; readonly rows: number }[];

/** A column the rows kept still mix: its values with rows, in their order ("(empty)" for ""). */
export interface MixedColumn {
  readonly name: string;
  readonly values: readonly string[];
}

/**
 * The columns that the rows kept still mix and that say which policy logged a row or where
 * (splitsLogging): no filter on them, not of a role, and more than one value with rows.
 */
export function mixedColumns(values: ReadonlyMap<string, ValueCounts>, where: Readonly<Record<string, string>>, roles: readonly (string | null)[]): MixedColumn[] {
  return [...values].flatMap(([name, list]) => {
    if (name in where || roles.includes(name) || !splitsLogging(name)) return [];
    const present = list.filter((v) => v.rows > 0).map((v) => (v.value === '' ? '(empty)' : v.value));
    return present.length > 1 ? [{ name, values: present }] : [];
  });
}

/**
 * "3 values of policy (bts, random, uniform)": the columns mixed, for the warnings that name them.
 * The names and values are the logs file's own, listed as a message lists a file's names
 * (listedName, firstFive): the column's name went raw, U+202E in it reversing the rest of the
 * warning, and whole.
 */
export function mixedList(mixed: readonly MixedColumn[]): string {
  return mixed.map((m) => `${m.values.length} values of ${listedName(m.name)} (${firstFive(m.values)})`).join(' and ');
}

/**
 * What mixing means, in the words the Off-policy screen shows and the CLI warns with; `pick` says
 * where the user picks one value of each ("above", "with --where").
 */
export function mixedColumnsText(mixed: readonly MixedColumn[], pick: string): string {
  return (
    `The rows kept mix ${mixedList(mixed)}. ${mixed.length > 1 ? 'These columns say' : 'This column says'} which policy logged a row or where it was shown: ` +
    'rows of different values are different experiments, with their own logging policy, actions and propensities, and an estimate over them together ' +
    `(or a simulator fitted to them) blends them and answers none. Pick one value of each ${pick}, unless they share one logging policy over one set of actions. ` +
    'Columns that describe the user or the item are context: they vary from row to row by design, so they are left mixed.'
  );
}
