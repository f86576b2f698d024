/**
 * Two Q-tables compared state by state: each state's greedy action, the difference B − A, and how
 * often the greedy actions agree. A state whose actions all hold one value was never updated (a
 * state training did not reach): it has no greedy action, so it is counted apart, not as agreeing
 * or disagreeing, and the agreement covers the states where both tables have a greedy action.
 * The count leaves terminal states out, as the export's does (tableNeverUpdated). Shared by the
 * Q-tables screen and `aisle qtable`, so both give one table the same numbers.
 */
import { neverUpdated, stateUpdated, terminalAside, type NeverUpdated } from '../engine/policy/format';
import type { QTable } from './dto';
import { decimalsOfLargest } from './figures';
import { fmt, plural } from './text';

/** Marks a state with no greedy action (every action at one value). */
export const NO_GREEDY = -1;

/**
 * The first action with the largest value (the engine's and the policy runtime's tie-break), or
 * NO_GREEDY when training never updated the state (stateUpdated, which an export counts with too:
 * all its actions at one value, or the one action of a state still at the agent's `initialQ`).
 */
export function greedyAction(row: readonly number[], initialQ?: number): number {
  if (!stateUpdated(row, initialQ)) return NO_GREEDY;
  let best = 0;
  for (let a = 1; a < row.length; a++) if (row[a]! > row[best]!) best = a;
  return best;
}

/**
 * How many of a table's states training never updated, counted as the export counts them
 * (neverUpdated, with its environment's terminal states left out), so the screen and the export's
 * notice give one run's table the same numbers.
 */
export function tableNeverUpdated(table: Pick<QTable, 'q' | 'initialQ' | 'terminal'>): NeverUpdated {
  let terminal: Uint8Array | undefined;
  if (table.terminal !== undefined) {
    terminal = new Uint8Array(table.q.length);
    for (const s of table.terminal) terminal[s] = 1;
  }
  return neverUpdated({ q: table.q }, terminal, table.initialQ);
}

/** How many of a state's Q values the list of differing states shows per table before "all": a shop's 1,000 actions made a row hundreds of lines tall. */
export const TOP_VALUES = 5;

/**
 * The actions whose Q values a row of the differing states shows: every one, in the table's order,
 * when there are at most TOP_VALUES + 1 (hiding one would save nothing); else the TOP_VALUES
 * largest, largest first (ties in the table's order, so the greedy action leads), or with `all`
 * every one in that same order: in the table's order, a shop's 1,000 values read as a page of
 * zeros with the five it had just shown scattered through it.
 */
export function shownActions(row: readonly number[], all = false): number[] {
  if (row.length <= TOP_VALUES + 1) return row.map((_, a) => a);
  if (all) return row.map((_, a) => a).sort((x, y) => row[y]! - row[x]! || x - y);
  // The top few in one pass, not a sort of all 1,000: the Q-tables screen ranks every differing state's row, both tables', at each "all values".
  const top: number[] = [];
  for (let a = 0; a < row.length; a++) {
    if (top.length === TOP_VALUES && !(row[a]! > row[top[TOP_VALUES - 1]!]!)) continue;
    let at = top.length;
    while (at > 0 && row[a]! > row[top[at - 1]!]!) at--;
    top.splice(at, 0, a);
    if (top.length > TOP_VALUES) top.pop();
  }
  return top;
}

/** The most decimals qValueColumnTexts gives a column before it stops telling values apart. */
const MAX_DIGITS = 12;

/** One state's shown Q values in a column of the differing states' list: its row, the actions shown (shownActions) and its greedy action. */
export interface ShownQRow {
  readonly row: readonly number[];
  readonly shown: readonly number[];
  readonly greedy: number;
}

/** The decimals at which a row's greedy value reads apart from every shown value not equal to it, from `from` on (MAX_DIGITS at most). */
function digitsApart({ row, shown, greedy }: ShownQRow, from: number): number {
  const best = row[greedy];
  if (best === undefined) return from;
  for (let digits = from; ; digits++) {
    const greedyText = best.toFixed(digits);
    if (digits >= MAX_DIGITS || shown.every((a) => a === greedy || row[a] === best || row[a]!.toFixed(digits) !== greedyText)) return digits;
  }
}

/**
 * The texts of the shown Q values of `rows` (the differing states' list passes A's column and B's),
 * every one with the same decimals so that they line up and compare, as Compare's columns are written
 * (decimalsOfLargest, shared/figures.ts): fmt's 3, more when even the largest is below 1 (two
 * significant digits), or more where some row's greedy value would read like another's that is
 * not equal to it; trailing zeros dropped only where every value ends in one. Each value's own
 * dropped made `-24.91` beside `-25.176`; and values that barely moved from where they started (a
 * 20,000-state MDP's −0.2912 against −0.2915) read −0.291 alike at 3, the bold greedy value
 * looking no larger than the rest.
 */
export function qValueColumnTexts(rows: readonly ShownQRow[]): string[][] {
  let digits = 3;
  for (const r of rows) digits = Math.max(digits, digitsApart(r, 3));
  const texts = decimalsOfLargest(rows.flatMap(({ row, shown }) => shown.map((a) => row[a]!)), digits);
  let at = 0;
  return rows.map(({ shown }) => texts.slice(at, (at += shown.length)));
}

export interface Comparison {
  readonly greedyA: number[];
  readonly greedyB: number[];
  readonly diff: number[][];
  /** States where both tables have a greedy action and they differ. */
  readonly differing: number[];
  /** States where both tables have a greedy action. */
  readonly comparable: number;
  /** Percentage of the comparable states whose greedy actions agree (null: none is comparable). */
  readonly agreement: number | null;
  /** States never updated (no greedy action) in A, in B, terminal states left out (tableNeverUpdated). */
  readonly untouchedA: NeverUpdated;
  readonly untouchedB: NeverUpdated;
  readonly maxAbsDiff: number;
}

/**
 * The comparison, or why there is none: tables of different shapes, or of different environments
 * (their ids, when known, or their states' or actions' names differ). A cliff's 48 × 4 table and a
 * 48-state, 4-action toy's were diffed cell by cell, their "agreement" and B − A comparing nothing
 * (the difference's rows named by A's states). Runs of one environment with other settings (a sweep
 * of the shop's fatigue, an MDP's rewards edited) name their states alike and are compared.
 */
export function compareTables(a: QTable, b: QTable, envA?: string, envB?: string): Comparison | string {
  if (a.states.length !== b.states.length || a.actions.length !== b.actions.length) {
    return `The tables have different shapes (${a.states.length} × ${a.actions.length} and ${b.states.length} × ${b.actions.length}): pick runs of the same environment to diff them.`;
  }
  if (envA !== undefined && envB !== undefined && envA !== envB) return `The tables are of different environments (${envA} and ${envB}): pick runs of the same environment to diff them.`;
  for (const [what, x, y] of [['state', a.states, b.states], ['action', a.actions, b.actions]] as const) {
    const i = x.findIndex((label, k) => label !== y[k]);
    if (i >= 0) return `The tables name their ${what}s differently (${what} ${i} is “${x[i]}” in A and “${y[i]}” in B), so they are of different environments: pick runs of the same environment to diff them.`;
  }
  const greedyA = a.q.map((row) => greedyAction(row, a.initialQ));
  const greedyB = b.q.map((row) => greedyAction(row, b.initialQ));
  let maxAbsDiff = 0;
  const diff = b.q.map((row, s) =>
    row.map((v, i) => {
      const d = v - a.q[s]![i]!;
      if (Math.abs(d) > maxAbsDiff) maxAbsDiff = Math.abs(d);
      return d;
    }),
  );
  let comparable = 0;
  const differing: number[] = [];
  greedyA.forEach((g, s) => {
    if (g === NO_GREEDY || greedyB[s] === NO_GREEDY) return;
    comparable++;
    if (g !== greedyB[s]) differing.push(s);
  });
  return {
    greedyA,
    greedyB,
    diff,
    differing,
    comparable,
    agreement: comparable > 0 ? (100 * (comparable - differing.length)) / comparable : null,
    untouchedA: tableNeverUpdated(a),
    untouchedB: tableNeverUpdated(b),
    maxAbsDiff,
  };
}

/**
 * The agreement as a percentage, as the screen and `aisle qtable diff` write it: to 1 decimal, or
 * as many more as tell it from 100 while some state differs. One decimal read "100 %" beside
 * "(19,998 of 20,000)" for two late checkpoints of a 20,000-state table (99.99 %), which says no
 * greedy action changed. (Below 1 % fmt keeps two significant digits: none reads 0 but none agreeing.)
 */
export function agreementPercent({ agreement, differing }: Pick<Comparison, 'agreement' | 'differing'>): string {
  if (agreement === null) return fmt(null);
  let digits = 1;
  while (differing.length > 0 && digits < 12 && Number(agreement.toFixed(digits)) >= 100) digits++;
  return fmt(agreement, digits);
}

/**
 * "21 of 47 states with every action at one value in A, 4 in B, not counting the terminal state,
 * which training never updates": each table's count as its caption and the export give it
 * (tableNeverUpdated, neverUpdatedText's words).
 */
export function untouchedText({ untouchedA: a, untouchedB: b }: Pick<Comparison, 'untouchedA' | 'untouchedB'>): string {
  const n = (x: number) => x.toLocaleString('en-US');
  // Tables of one shape whose environments end differently (two MDPs of one size) say each side's whole.
  const same = a.of === b.of && a.terminal === b.terminal;
  const parts: string[] = [];
  for (const [counted, side] of [[a, 'A'], [b, 'B']] as const) {
    if (counted.states === 0) continue;
    const of = parts.length === 0 ? ` of ${plural(counted.of, 'state', n(counted.of))} with every action at one value` : same ? '' : ` of ${n(counted.of)}`;
    parts.push(`${n(counted.states)}${of} in ${side}${same ? '' : terminalAside(counted.terminal)}`);
  }
  return parts.join(same ? ', ' : '; ') + (same ? terminalAside(a.terminal) : '');
}
