/**
 * Two Q-tables compared state by state: each state's greedy action, the difference B − A, and how
 * often the greedy actions agree. A state whose actions all hold one value was never updated (a
 * state training did not reach): it has no greedy action, so it is counted apart, not as agreeing
 * or disagreeing, and the agreement covers the states where both tables have a greedy action.
 */
import { stateUpdated } from '../../../engine/policy/format';
import type { QTable } from '../../../shared/dto';
import { fmt } from '../format';

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
  const order = row.map((_, a) => a);
  if (row.length <= TOP_VALUES + 1) return order;
  const ranked = order.sort((x, y) => row[y]! - row[x]! || x - y);
  return all ? ranked : ranked.slice(0, TOP_VALUES);
}

/** The most decimals qValueTexts gives a row before it stops telling values apart. */
const MAX_DIGITS = 12;

/**
 * The texts of a row's shown Q values (`shown`, from shownActions), at one number of decimals for
 * the row: fmt's 3, or more where the greedy action's value would read like another's that is not
 * equal to it. Values that barely moved from where they started (a 20,000-state MDP's −0.2912
 * against −0.2915) read −0.291 alike at 3, and the bold greedy value looked no larger than the rest.
 */
export function qValueTexts(row: readonly number[], shown: readonly number[], greedy: number): string[] {
  const best = row[greedy];
  for (let digits = 3; ; digits++) {
    const texts = shown.map((a) => fmt(row[a], digits));
    const greedyText = fmt(best, digits);
    const apart = best === undefined || shown.every((a, k) => a === greedy || row[a] === best || texts[k] !== greedyText);
    if (apart || digits >= MAX_DIGITS) return texts;
  }
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
  /** States never updated (no greedy action) in A, in B. */
  readonly untouchedA: number;
  readonly untouchedB: number;
  readonly maxAbsDiff: number;
}

/** The comparison, or why there is none (tables of different shapes). */
export function compareTables(a: QTable, b: QTable): Comparison | string {
  if (a.states.length !== b.states.length || a.actions.length !== b.actions.length) {
    return `The tables have different shapes (${a.states.length} × ${a.actions.length} and ${b.states.length} × ${b.actions.length}): pick runs of the same environment to diff them.`;
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
  const untouched = (greedy: readonly number[]) => greedy.filter((g) => g === NO_GREEDY).length;
  return {
    greedyA,
    greedyB,
    diff,
    differing,
    comparable,
    agreement: comparable > 0 ? (100 * (comparable - differing.length)) / comparable : null,
    untouchedA: untouched(greedyA),
    untouchedB: untouched(greedyB),
    maxAbsDiff,
  };
}
