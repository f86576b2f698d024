/**
 * Rows that drive a fitted simulator: a cell (context × action) whose fitted mean reward comes
 * mostly from one row, whose reward is far beyond the others'. The reward model (simulator.ts,
 * rewardModel) shrinks each cell's mean toward its action's, itself toward the overall mean, by m
 * pseudo-rows; unrolled, q̂(x, a) is a weighted sum of every row's reward, and a row i of the cell
 * weighs
 *
 *   w_i = 1 / (N_xa + m) + m / (N_xa + m) · m / (N_a − N_xa + m) · 1 / n
 *
 * (its own cell's share, plus what it lends the overall mean; the action's mean the cell is shrunk
 * toward is taken over the other contexts' rows, so the row lends it nothing). Row i drives its
 * cell when both hold:
 *
 * - its share of the cell's fitted mean of |reward| is more than half: w_i · |r_i| > ½ · q̂_|r|(x, a),
 *   where q̂_|r| is the same model fitted to the absolute rewards (so the prior's pseudo-rows count
 *   as the rows they stand for, and a purchase and its cancellation in one cell, which cancel out,
 *   hold half each and drive nothing);
 * - its reward is extreme: |r_i| ≥ EXTREME_RATIO (100) times the median |reward| of the nonzero
 *   rewards fitted. Rewards of 0 or 1 never are (every click is the median's 1): a cell whose mean
 *   rests on its one or two clicks is rare-event noise, which a larger prior tames (the README's
 *   "with rare clicks use hundreds"), not one row out of line.
 *
 * At most one row of a cell holds more than half of it. On UCI Online Retail's `qty`, the order of
 * 80,995 units of an item bought once holds ~100 % of its cell's mean at the default prior (40,504
 * a decision against a logged mean of 13); on Open Bandit's clicks no row is extreme.
 */
import { decimal, listedName, plural, show, thousands } from '../params';
import { nonzeroAbsMedian } from '../stats/abs-median';
import { rows, type LoggedRows } from './data';

/** A row is extreme from this many times the median nonzero |reward| fitted. */
export const EXTREME_RATIO = 100;
/** Rows named in a warning (the count says how many more). */
export const DOMINANT_ROWS_LISTED = 3;

/** A row that drives its cell's fitted mean. */
export interface DominantRow {
  /** The cell: its context's label ("" when the logs have no context) and its action's. */
  readonly context: string;
  readonly action: string;
  /** The row's line in the logs file (the header is line 1), or null when not known (rows built in memory): then `row`. */
  readonly line: number | null;
  /** Its index among the rows fitted, from 0. */
  readonly row: number;
  readonly reward: number;
  /** Its share of the cell's fitted mean of |reward|, in (0.5, 1]. */
  readonly share: number;
  /** The cell's rows fitted, this one included. */
  readonly cellRows: number;
  /** q̂(x, a) as fitted, and as fitted to the same rows but this one. */
  readonly mean: number;
  readonly meanWithout: number;
}

/** The rows that drive a cell (none: an empty list), and the rule's scale. */
export interface DominantRows {
  /** Those that move their cell's mean most (|mean − meanWithout|), first, at most DOMINANT_ROWS_LISTED. */
  readonly rows: readonly DominantRow[];
  /** How many rows drive a cell, in all (one per cell at most). */
  readonly count: number;
  /** The median |reward| of the nonzero rewards fitted (0 when every reward is 0). */
  readonly median: number;
  /** The prior the fit used, in pseudo-rows. */
  readonly prior: number;
  /**
   * The first prior of CLEARING_PRIORS above `prior` at which no row drives its cell (null when
   * none does up to the largest, or no row drives one now).
   */
  readonly clearingPrior: number | null;
}

/** The priors a warning may name as clearing it: 1, 2, 5 times the powers of ten, up to the CLI's and the app's largest. */
export const CLEARING_PRIORS: readonly number[] = [1, 10, 100, 1000, 10_000, 100_000].flatMap((p) => [p, 2 * p, 5 * p]).concat([1_000_000]);

/**
 * q̂(x, a) from the sums (rewardModel's formula, one cell): the cell's mean shrunk by m pseudo-rows
 * toward its action's mean over the other contexts' rows, itself shrunk toward the overall mean
 * (that alone when neither has rows nor prior). `actionSum` and `actionCount` are the action's
 * over every context, this cell's rows included; they are taken out here, so that no row counts
 * twice (with one context, q̂(x, a) is the cell's mean shrunk toward the overall mean once).
 */
export function shrunkMean(cellSum: number, cellCount: number, actionSum: number, actionCount: number, mean: number, m: number): number {
  const otherCount = actionCount - cellCount;
  const actionMean = otherCount + m > 0 ? (actionSum - cellSum + m * mean) / (otherCount + m) : mean;
  return cellCount + m > 0 ? (cellSum + m * actionMean) / (cellCount + m) : actionMean;
}

/**
 * The rows of `data` that drive their cell of the reward model with prior `m` (see the header).
 * `lines`: each row's line in the logs file, when known.
 */
export function dominantRows(data: LoggedRows, m: number, lines?: Int32Array): DominantRows {
  const n = rows(data);
  const A = data.actionLabels.length;
  const median = n > 0 ? nonzeroAbsMedian(data.reward) : 0;
  const none: DominantRows = { rows: [], count: 0, median, prior: m, clearingPrior: null };
  if (median === 0) return none;
  const threshold = EXTREME_RATIO * median;
  let extreme = 0;
  for (let i = 0; i < n; i++) if (Math.abs(data.reward[i]!) >= threshold) extreme++;
  if (extreme === 0) return none;

  const C = data.contextLabels.length;
  const cellSum = new Float64Array(C * A);
  const cellAbs = new Float64Array(C * A);
  const cellCount = new Float64Array(C * A);
  const actionSum = new Float64Array(A);
  const actionAbs = new Float64Array(A);
  const actionCount = new Float64Array(A);
  let total = 0;
  let totalAbs = 0;
  for (let i = 0; i < n; i++) {
    const a = data.action[i]!;
    const cell = data.context[i]! * A + a;
    const r = data.reward[i]!;
    cellSum[cell]! += r;
    cellAbs[cell]! += Math.abs(r);
    cellCount[cell]!++;
    actionSum[a]! += r;
    actionAbs[a]! += Math.abs(r);
    actionCount[a]!++;
    total += r;
    totalAbs += Math.abs(r);
  }
  /** Row i's share of its cell's fitted mean of |reward| at prior `prior` (w_i · |r_i| / q̂_|r|, see the header). */
  const shareAt = (i: number, prior: number): number => {
    const a = data.action[i]!;
    const cell = data.context[i]! * A + a;
    const N = cellCount[cell]!;
    // The share of the overall mean in the action's (1 when the action has no other rows nor prior).
    const toMean = actionCount[a]! - N + prior > 0 ? prior / (actionCount[a]! - N + prior) : 1;
    const weight = 1 / (N + prior) + (prior / (N + prior)) * toMean * (1 / n);
    return (weight * Math.abs(data.reward[i]!)) / shrunkMean(cellAbs[cell]!, N, actionAbs[a]!, actionCount[a]!, totalAbs / n, prior);
  };
  const found: DominantRow[] = [];
  const extremeRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = data.reward[i]!;
    if (Math.abs(r) < threshold) continue;
    extremeRows.push(i);
    const share = shareAt(i, m);
    if (!(share > 0.5)) continue;
    const a = data.action[i]!;
    const x = data.context[i]!;
    const cell = x * A + a;
    const N = cellCount[cell]!;
    const Na = actionCount[a]!;
    found.push({
      context: data.contextLabels[x]!,
      action: data.actionLabels[a]!,
      line: lines?.[i] ?? null,
      row: i,
      reward: r,
      share: Math.min(1, share),
      cellRows: N,
      mean: shrunkMean(cellSum[cell]!, N, actionSum[a]!, Na, total / n, m),
      // n ≥ 2 here: a row 100 times the median of the nonzero rewards has smaller ones beside it.
      meanWithout: shrunkMean(cellSum[cell]! - r, N - 1, actionSum[a]! - r, Na - 1, (total - r) / (n - 1), m),
    });
  }
  found.sort((p, q) => Math.abs(q.mean - q.meanWithout) - Math.abs(p.mean - p.meanWithout) || p.row - q.row);
  // The first prior named at which no extreme row drives its cell, each checked there (O(extreme rows) a prior).
  const clearingPrior = found.length === 0 ? null : (CLEARING_PRIORS.find((p) => p > m && extremeRows.every((i) => !(shareAt(i, p) > 0.5))) ?? null);
  return { rows: found.slice(0, DOMINANT_ROWS_LISTED), count: found.length, median, prior: m, clearingPrior };
}

/** How the user fixes such a row where the warning is read: the CLI's options, or the app's fields. */
export interface DominantRowsFix {
  /** Why a row cannot simply be filtered out there ("--where keeps rows by their values"). */
  readonly filter: string;
  /** The prior's name there ("--prior", "the Prior"). */
  readonly prior: string;
}

/** The CLI's words for the fix. */
export const CLI_DOMINANT_FIX: DominantRowsFix = { filter: '--where keeps the rows with a value, so it leaves one row out only when a column marks it', prior: '--prior' };
/** The Off-policy screen's words for the fix. */
export const APP_DOMINANT_FIX: DominantRowsFix = { filter: 'the row filter keeps the rows with a value, so it leaves one row out only when a column marks it', prior: 'the Prior' };

/** What raising the prior would take: the prior that clears the warning, or that none up to the largest does. */
function clearing(d: DominantRows): string {
  const largest = CLEARING_PRIORS[CLEARING_PRIORS.length - 1]!;
  if (d.clearingPrior === null) return `up to ${thousands(largest)} a row still drives its cell`;
  return `at ${thousands(d.clearingPrior)} no row drives its cell, every cell then pulled that much harder toward its action's and the overall mean`;
}

/**
 * The warning for `d` (undefined when no row drives a cell), in the CLI's and the app's words:
 * each row by `file`:line (or its index among the rows fitted), its cell by column=value, its
 * reward, its share, and the cell's mean with and without it; then what to do, and the rule.
 */
export function dominantRowsText(d: DominantRows, file: string, columns: { readonly action: string; readonly reward: string; readonly context: string | null }, fix: DominantRowsFix): string | undefined {
  if (d.count === 0) return undefined;
  // The columns' names are the logs' own too: quoted (show) or listed (listedName) as a message names a file's text.
  const reward = show(columns.reward);
  const absolute = `|${listedName(columns.reward)}|`;
  const listed = d.rows.map((row) => {
    const where = row.line !== null ? `${file}:${row.line}` : `row ${thousands(row.row)} fitted`;
    // The logs' own labels: listed as a message lists a file's names (an ESC or a line of thousands quoted, escaped, cut).
    const cell = `${columns.context !== null ? `${listedName(columns.context)}=${listedName(row.context)}, ` : ''}${listedName(columns.action)}=${listedName(row.action)}`;
    const share = `${decimal(Math.floor(row.share * 1000) / 10, 1)} %`;
    return `${where} (${cell}): ${reward} ${decimal(row.reward, 2)}, ${share} of the cell's fitted mean, ${decimal(row.mean, 2)} with it and ${decimal(row.meanWithout, 2)} without it (${plural(row.cellRows, 'row')} in the cell)`;
  });
  const more = d.count > d.rows.length ? `; ${plural(d.count - d.rows.length, 'more cell')} like ${d.rows.length === 1 ? 'it' : 'them'}` : '';
  const most = d.rows.length < d.count ? `, the ${d.rows.length} whose mean it moves most` : '';
  const head = d.count === 1 ? 'one row drives the fitted mean of a cell' : `one row drives the fitted mean of each of ${thousands(d.count)} cells${most}`;
  return (
    `${head}: ${listed.join('; ')}${more}. The simulator pays that mean every time, so a policy trained on it chases ${d.count === 1 ? 'that one row' : 'those rows'}: ` +
    `leave ${d.count === 1 ? 'it' : 'them'} out of a copy of the file (${fix.filter}), cap the reward column, or raise ${fix.prior} (now ${plural(d.prior, 'pseudo-row', thousands(d.prior))}; ${clearing(d)}). ` +
    `A row drives its cell when its ${reward} is at least ${EXTREME_RATIO} times the median nonzero ${absolute} fitted (${decimal(d.median, 2)}) and it holds more than half of the cell's fitted mean of ${absolute}, the prior's pseudo-rows included.`
  );
}
