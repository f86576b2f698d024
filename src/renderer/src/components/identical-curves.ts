/**
 * Groups whose drawn curves are identical (a metric every group holds at one value, two agents that
 * act alike) lie on one another, and only the line drawn last showed: the legend named groups the
 * plot did not seem to have. Such lines are drawn in alternating dashes of their colours, so each
 * shows along the line, and the chart says which groups they are.
 */
import { andList } from '../../../shared/text';
import type { ChartSeries } from './line-chart';

/** The length of each group's dash along a line drawn by several (px). */
export const SHARED_DASH = 6;

/** What identicalCurves compares: the points a line is drawn through. */
interface Curve {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

function sameCurve(a: Curve, b: Curve): boolean {
  if (a.x.length !== b.x.length || a.y.length !== b.y.length) return false;
  for (let i = 0; i < a.x.length; i++) if (!Object.is(a.x[i], b.x[i])) return false;
  for (let i = 0; i < a.y.length; i++) if (!Object.is(a.y[i], b.y[i])) return false;
  return true;
}

/** The sets of two or more curves (by index, in order) drawn through exactly the same points. */
export function identicalCurves(curves: readonly Curve[]): number[][] {
  const sets: number[][] = [];
  curves.forEach((curve, i) => {
    if (curve.y.length === 0) return;
    const set = sets.find((s) => sameCurve(curves[s[0]!]!, curve));
    if (set) set.push(i);
    else sets.push([i]);
  });
  return sets.filter((s) => s.length > 1);
}

/**
 * The dash of the `position`-th of `count` lines drawn on one another: each draws one SHARED_DASH in
 * `count`, shifted by its place, so together they draw the whole line, a dash of each colour in turn.
 */
export function sharedDash(position: number, count: number): { dash: number[]; dashOffset: number } {
  return { dash: [SHARED_DASH, (count - 1) * SHARED_DASH], dashOffset: ((count - position) % count) * SHARED_DASH };
}

/** `series` with the lines of each set of identical curves dashed in turn (sharedDash), and those sets. */
export function withSharedLines(series: readonly ChartSeries[]): { series: ChartSeries[]; identical: number[][] } {
  const identical = identicalCurves(series);
  const out = [...series];
  for (const set of identical) set.forEach((index, position) => (out[index] = { ...out[index]!, ...sharedDash(position, set.length) }));
  return { series: out, identical };
}

/** At most this many groups are named in a set: past it, "and N more". */
const NAMED = 6;

/**
 * What the chart says under it of its identical curves: "Both groups have identical curves: …",
 * "All 4 groups …", or per set "2 groups have identical curves, …: a and b."; undefined for none.
 */
export function identicalCurvesText(identical: readonly (readonly number[])[], names: readonly string[]): string | undefined {
  if (identical.length === 0) return undefined;
  const drawn = 'their lines lie on one another, drawn in alternating dashes of their colours';
  if (identical.length === 1 && identical[0]!.length === names.length) {
    return `${names.length === 2 ? 'Both groups have' : `All ${names.length} groups have`} identical curves: ${drawn}.`;
  }
  return identical
    .map((set) => {
      const named = set.slice(0, NAMED).map((i) => names[i]!);
      const more = set.length - named.length;
      return `${set.length} groups have identical curves (${drawn}): ${andList(more > 0 ? [...named, `${more} more`] : named)}.`;
    })
    .join(' ');
}
