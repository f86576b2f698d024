/**
 * Figures read together, written with one number of decimals: an estimate and its interval's ends,
 * a column of them, a Monte-Carlo mean and its interval. Compare's tables, `aisle compare`, its
 * Markdown report, the Policies and Off-policy screens and the CLI all write them so.
 */
import { grouped } from '../engine/params';
import { fmt, plural } from './text';

/**
 * Compare's figures have 3 decimals (or more below 1, for two significant digits), on the screen,
 * from `aisle compare` and in its Markdown report alike.
 */
export const COMPARE_DIGITS = 3;

/** The decimals `decimal` (engine/params.ts) gives x at `digits`: more below 1, so two significant digits show. */
function decimalsOf(x: number, digits: number): number {
  const abs = Math.abs(x);
  return abs > 0 && abs < 1 ? Math.max(digits, 1 - Math.floor(Math.log10(abs))) : digits;
}

/**
 * A value and its interval's ends as one reads them together: with the same decimals, so
 * "-34.834 [-36.12, -28.59]" cannot mix precisions (each number's own trailing zeros dropped made
 * `[-34.834, -28.5904]`). The decimals are those the most precise of them needs; trailing zeros are
 * dropped only where all of them end in one. A value no column fits (an exponent) is shown as fmt
 * shows it, and so is a missing one ('–').
 */
export function sameDecimals(values: readonly number[], digits = COMPARE_DIGITS): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.some((v) => v !== 0 && (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e15))) return values.map((v) => fmt(v, digits));
  // A loop, not Math.max(...): spread arguments overflow the stack beyond ~120,000 values.
  return withDecimals(values, finite.reduce((most, v) => Math.max(most, decimalsOf(v, digits)), 0));
}

/**
 * Figures read together (a table of estimates and their intervals' ends) with one number of
 * decimals: `digits`, or more when even the largest of them in magnitude is below 1, so that it
 * shows two significant digits. A tiny end of an interval does not ask for more than the rest: it
 * reads "0.0000" beside "0.0373" (sameDecimals would give every figure the decimals of 0.000002,
 * and fmt alone mixes "0.01 [0, 0.0301]" with "0.0119 [0.000002, 0.0373]"). Trailing zeros are
 * dropped only where all of them end in one; figures whose largest no column fits (below 1e-6, or
 * 1e15 and beyond) are shown as fmt shows them, and so is a missing one ('–').
 */
export function decimalsOfLargest(values: readonly number[], digits: number): string[] {
  const largest = values.reduce((most, v) => (Number.isFinite(v) ? Math.max(most, Math.abs(v)) : most), 0);
  if (largest !== 0 && (largest < 1e-6 || largest >= 1e15)) return values.map((v) => fmt(v, digits));
  return withDecimals(values, decimalsOf(largest, digits));
}

/** `values` with `decimals` decimals, thousands grouped, the trailing zeros all of them share dropped, a tiny negative as 0 ('-0.000' reads as a sign the figure does not show). */
function withDecimals(values: readonly number[], decimals: number): string[] {
  const texts = values.map((v) => (Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v).toFixed(decimals).replace(/^-(?=0\.?0*$)/, '') : undefined));
  let drop = 0;
  while (drop < decimals && texts.every((t) => t === undefined || t[t.length - 1 - drop] === '0')) drop++;
  return values.map((v, i) => {
    const t = texts[i];
    if (t === undefined) return fmt(v);
    const cut = drop === 0 ? t : t.slice(0, drop === decimals ? -(drop + 1) : -drop);
    return grouped(cut === '-0' ? '0' : cut);
  });
}

/** A value and its 95 % interval, as sameDecimals writes them: ["-52.337", "[-56.547, -46.203]"], or "n/a (1 run)" for one run's, "n/a (all 5 runs equal)" for runs with no spread (see intervalText). */
export function estimateTexts(point: number, lo: number | null, hi: number | null, runs: number): [string, string] {
  return estimateColumns([{ point, lo, hi, runs }])[0]!;
}

/** A group's estimate (its mean or IQM) with its interval, null for one run or runs all equal (hasSpread). */
export interface Estimate {
  readonly point: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly runs: number;
}

/**
 * A column of estimates and the column of their intervals, every figure in both with the same
 * decimals (sameDecimals over all of them): a group of one run, with no interval to ask for
 * decimals, read "-37.71" above "-36.1234 [-40.0012, -32.2456]" when each row chose its own.
 */
export function estimateColumns(estimates: readonly Estimate[]): [string, string][] {
  const hasInterval = (e: Estimate) => e.runs >= 2 && e.lo !== null && e.hi !== null;
  const figures = estimates.flatMap((e) => (hasInterval(e) ? [e.point, e.lo!, e.hi!] : [e.point]));
  const texts = sameDecimals(figures);
  let next = 0;
  return estimates.map((e) => {
    const point = texts[next++]!;
    if (!hasInterval(e)) return [point, intervalText(e.lo, e.hi, e.runs, fmt)];
    const [lo, hi] = [texts[next++]!, texts[next++]!];
    return [point, `[${lo}, ${hi}]`];
  });
}

/**
 * A policy evaluation's Monte-Carlo mean return and its 95 % interval's ends, with the same decimals
 * (sameDecimals at `digits`: the app's 3, the CLI's 4), as Compare writes a value and its interval:
 * the Policies screen read "4.701 [4.432, 4.97]" and `aisle eval` "0.022 (95% CI 0.0129 … 0.0311)".
 */
export function meanAndInterval(mean: number, lo: number, hi: number, digits = COMPARE_DIGITS): [string, string, string] {
  return sameDecimals([mean, lo, hi], digits) as [string, string, string];
}

/** The decimals of a policy evaluation's figures, in the Policies screen's evaluate panel and from `aisle eval` alike. */
export const EVALUATION_DIGITS = 4;

/** A policy evaluation's Monte-Carlo figures beside its mean return, as evaluationFigures writes them. */
export interface EvaluationFigures {
  /** The mean episode length: "11.55". */
  readonly meanLength: string;
  /** The environment's metrics in their order, each with its text: [["revenue", "19.8836"], ["coverage", "0.2997"], …]. */
  readonly metrics: readonly (readonly [string, string])[];
}

/**
 * A policy evaluation's mean episode length and the environment's metrics (a shop's clicks, revenue,
 * coverage …), in the Policies screen's evaluate panel and from `aisle eval` alike: the length at
 * `digits`, the metrics as one column with the same decimals (sameDecimals at `digits`, as a table
 * reads down), so none is rounded away. Each door wrote each value alone, the app at 3 digits and the
 * CLI at 4 (the length at 1): of one policy file the screen read revenue 19.884, coverage 0.3 and
 * mean length 11.55 where `aisle eval` printed 19.8836, 0.2997 and 11.6.
 */
export function evaluationFigures(
  mc: { readonly meanLength: number; readonly metrics: Readonly<Record<string, number>> },
  digits = EVALUATION_DIGITS,
): EvaluationFigures {
  const entries = Object.entries(mc.metrics);
  const texts = sameDecimals(
    entries.map(([, v]) => v),
    digits,
  );
  return { meanLength: fmt(mc.meanLength, digits), metrics: entries.map(([k], i) => [k, texts[i]!] as const) };
}

/**
 * A confidence interval in words, or why there is none (null ends): "n/a (1 run)", one run having
 * no spread; "n/a (all 5 runs equal)", runs whose values are all equal having none either (the
 * statistics give no interval then: engine/stats/describe.ts, hasSpread). Those runs' formula
 * interval had zero width, "1 [1, 1]", which read as certainty where they cannot show the spread.
 */
export function intervalText(lo: number | null, hi: number | null, runs: number, fmt: (x: number) => string): string {
  if (runs < 2) return `n/a (${plural(runs, 'run')})`;
  return lo === null || hi === null ? `n/a (${noSpreadText(runs)})` : `[${fmt(lo)}, ${fmt(hi)}]`;
}

/** Why runs all equal have no interval, in a cell: "all 5 runs equal" (2 runs: "both runs equal"). */
function noSpreadText(runs: number): string {
  return runs === 2 ? 'both runs equal' : `all ${runs} runs equal`;
}

/**
 * Off-policy's "covers the truth" cell, in the app and from `aisle ope` alike: '–' for an estimate
 * without an interval (SNIPS where no evaluated row has weight; NaN ends, null over the browser-mode
 * host), which covers nothing nor misses, as its figures read '–'; IPS's [0, 0] is an interval, and
 * says whether it covers.
 */
export function coversText(e: { readonly lo: number | null; readonly hi: number | null }, truth: number): 'yes' | 'no' | '–' {
  const { lo, hi } = e;
  if (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi)) return '–';
  return lo <= truth && truth <= hi ? 'yes' : 'no';
}
