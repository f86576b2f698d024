/**
 * Groups whose drawn curves lie on one another (a metric every group holds at one value, two agents
 * that act alike, or curves closer than the chart can draw apart) showed only the line drawn last:
 * the legend named groups the plot did not seem to have. Such lines are drawn in alternating dashes
 * of their colours, so each shows along the line, and the chart says which groups they are.
 */
import { andList, fmt } from '../../../shared/text';
import type { ChartSeries } from './line-chart';

/** The length of each group's dash along a line drawn by several (px). */
export const SHARED_DASH = 6;

/**
 * Curves no further apart than this share of the y axis's span at any point are drawn as one line:
 * on Compare's chart (a plot about 240 px tall) that is half a pixel, under a third of a line's
 * 1.6 px, so the line drawn last covers the other whole.
 */
export const NEAR_SHARE = 1 / 500;

/** What the comparison reads of a curve: the points a line is drawn through (and its band, for the axis's span). */
interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
}

/** Curves that lie on one another, by index in order, and the most their y differ at one x (0: identical). */
export interface CoincidentSet {
  readonly members: readonly number[];
  readonly apart: number;
}

/** Whether two values draw the same point within `tolerance` (a gap, NaN, only on a gap). */
function near(a: number, b: number, tolerance: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b);
  return Math.abs(a - b) <= tolerance;
}

function sameCurve(a: Curve, b: Curve, tolerance: number): boolean {
  if (a.x.length !== b.x.length || a.y.length !== b.y.length) return false;
  for (let i = 0; i < a.x.length; i++) if (!Object.is(a.x[i], b.x[i])) return false;
  for (let i = 0; i < a.y.length; i++) if (!near(a.y[i]!, b.y[i]!, tolerance)) return false;
  return true;
}

/** The most the curves' values differ at one point. */
function apartOf(curves: readonly Curve[]): number {
  let apart = 0;
  for (let i = 0; i < curves[0]!.y.length; i++) {
    const ys = curves.map((c) => c.y[i]!).filter(Number.isFinite);
    if (ys.length > 1) apart = Math.max(apart, Math.max(...ys) - Math.min(...ys));
  }
  return apart;
}

/**
 * The sets of two or more curves drawn through the same x with y within `tolerance` of the set's
 * first curve at every point (0: exactly the same points), so its members are at most twice that
 * apart; each with how far apart they are.
 */
export function coincidentCurves(curves: readonly Curve[], tolerance = 0): CoincidentSet[] {
  const sets: number[][] = [];
  curves.forEach((curve, i) => {
    if (curve.y.length === 0) return;
    const set = sets.find((s) => sameCurve(curves[s[0]!]!, curve, tolerance));
    if (set) set.push(i);
    else sets.push([i]);
  });
  return sets.filter((s) => s.length > 1).map((members) => ({ members, apart: apartOf(members.map((i) => curves[i]!)) }));
}

/** The sets of two or more curves (by index, in order) drawn through exactly the same points. */
export function identicalCurves(curves: readonly Curve[]): number[][] {
  return coincidentCurves(curves, 0).map((s) => [...s.members]);
}

/**
 * How close two curves must lie to be drawn as one (NEAR_SHARE of the y axis's span): the axis is
 * `focus` where the chart is focused (each end it does not set fits the drawn values, as chart.js
 * does), otherwise the extent of the lines and their bands. chart.js rounds that out to a tick, so
 * the span shown is, if anything, wider and the curves closer on it than this takes.
 */
export function coincidenceTolerance(curves: readonly Curve[], focus?: { readonly min: number | undefined; readonly max: number | undefined } | null): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves) {
    for (const values of [c.y, c.lo, c.hi]) {
      for (const v of values ?? []) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  const span = (focus?.max ?? hi) - (focus?.min ?? lo);
  return Number.isFinite(span) && span > 0 ? NEAR_SHARE * span : 0;
}

/**
 * The dash of the `position`-th of `count` lines drawn on one another: each draws one SHARED_DASH in
 * `count`, shifted by its place, so together they draw the whole line, a dash of each colour in turn.
 */
export function sharedDash(position: number, count: number): { dash: number[]; dashOffset: number } {
  return { dash: [SHARED_DASH, (count - 1) * SHARED_DASH], dashOffset: ((count - position) % count) * SHARED_DASH };
}

/**
 * `series` with the lines of each set of coincident curves (within `tolerance`: see
 * coincidenceTolerance; 0, identical only) dashed in turn (sharedDash), and those sets.
 */
export function withSharedLines(series: readonly ChartSeries[], tolerance = 0): { series: ChartSeries[]; coincident: CoincidentSet[] } {
  const coincident = coincidentCurves(series, tolerance);
  const out = [...series];
  for (const { members } of coincident) members.forEach((index, position) => (out[index] = { ...out[index]!, ...sharedDash(position, members.length) }));
  return { series: out, coincident };
}

/** At most this many groups are named in a set: past it, "and N more". */
const NAMED = 6;

/**
 * What the chart says under it of its coincident curves: "Both groups have identical curves: …",
 * "All 4 groups …", or per set "2 groups have identical curves, …: a and b."; curves only close
 * say how close ("Both groups' curves are within 0.0012 of one another …"); undefined for none.
 */
export function identicalCurvesText(sets: readonly CoincidentSet[], names: readonly string[]): string | undefined {
  if (sets.length === 0) return undefined;
  const drawn = 'their lines lie on one another, drawn in alternating dashes of their colours';
  const close = (apart: number) => `are within ${fmt(apart)} of one another at every point, closer than the chart can draw apart`;
  if (sets.length === 1 && sets[0]!.members.length === names.length) {
    const { apart } = sets[0]!;
    const all = names.length === 2 ? 'Both groups' : `All ${names.length} groups`;
    return apart === 0 ? `${all} have identical curves: ${drawn}.` : `${all}’ curves ${close(apart)}: ${drawn}.`;
  }
  return sets
    .map(({ members, apart }) => {
      const named = members.slice(0, NAMED).map((i) => names[i]!);
      const more = members.length - named.length;
      const which = andList(more > 0 ? [...named, `${more} more`] : named);
      return apart === 0
        ? `${members.length} groups have identical curves (${drawn}): ${which}.`
        : `${members.length} groups’ curves ${close(apart)} (${drawn}): ${which}.`;
    })
    .join(' ');
}
