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

/**
 * A stretch of two or more curves that lie on one another: on the same x at every point from `from`
 * to `to`, with y within the tolerance, joined by consecutive points of each (a gap in one, NaN, is
 * its line jumping over an x the others draw, so it parts them there).
 */
export interface SharedStretch extends CoincidentSet {
  /** The x of its first and last points. */
  readonly from: number;
  readonly to: number;
  /** Each member's indices of its first and last points there. */
  readonly points: readonly (readonly [number, number])[];
  /** Whether it is every member's whole curve. */
  readonly whole: boolean;
}

/**
 * The stretches along which curves lie on one another (see SharedStretch). At each x the curves
 * with a value there fall into sets, each of the curves within `tolerance` of its first (so at most
 * twice that apart); a line from one x to the next is shared by the curves in one set at both.
 */
export function sharedStretches(curves: readonly Curve[], tolerance = 0): SharedStretch[] {
  const count = curves.length;
  // Each curve's points with a value: the line is drawn through them (spanning its gaps).
  const drawn = curves.map((c) => {
    const out: number[] = [];
    for (let i = 0; i < c.y.length; i++) if (Number.isFinite(c.y[i]) && Number.isFinite(c.x[i])) out.push(i);
    return out;
  });
  const xs = [...new Set(curves.flatMap((c, k) => drawn[k]!.map((i) => c.x[i]!)))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, j) => [x, j]));
  // By x (row j) and curve k: the curve's point there (-1: none), its ordinal among its drawn points, its value.
  const point = new Int32Array(xs.length * count).fill(-1);
  const ordinal = new Int32Array(xs.length * count);
  const value = new Float64Array(xs.length * count);
  curves.forEach((c, k) =>
    drawn[k]!.forEach((i, n) => {
      const at = column.get(c.x[i]!)! * count + k;
      point[at] = i;
      ordinal[at] = n;
      value[at] = c.y[i]!;
    }),
  );
  // At each x, each curve's set: the index of its first curve (-1 for a curve with no value there).
  const sets = new Int32Array(xs.length * count).fill(-1);
  const firsts: number[] = [];
  for (let j = 0; j < xs.length; j++) {
    firsts.length = 0;
    for (let k = 0; k < count; k++) {
      const at = j * count + k;
      if (point[at] === -1) continue;
      let first = k;
      for (const f of firsts) {
        if (Math.abs(value[j * count + f]! - value[at]!) <= tolerance) {
          first = f;
          break;
        }
      }
      if (first === k) firsts.push(k);
      sets[at] = first;
    }
  }
  const stretches: SharedStretch[] = [];
  const open = new Map<string, { members: number[]; start: number }>();
  const close = (key: string, end: number) => {
    const { members, start } = open.get(key)!;
    open.delete(key);
    const points = members.map((k): [number, number] => [point[start * count + k]!, point[end * count + k]!]);
    let apart = 0;
    for (let j = start; j <= end; j++) {
      const ys = members.map((k) => value[j * count + k]!);
      apart = Math.max(apart, Math.max(...ys) - Math.min(...ys));
    }
    const whole = members.every((k, m) => points[m]![0] === drawn[k]![0] && points[m]![1] === drawn[k]![drawn[k]!.length - 1]);
    stretches.push({ members, from: xs[start]!, to: xs[end]!, points, apart, whole });
  };
  for (let j = 0; j + 1 < xs.length; j++) {
    // The curves in one set at both ends whose lines join them (no point of theirs between).
    const joined = new Map<number, number[]>();
    for (let k = 0; k < count; k++) {
      const here = j * count + k;
      const next = here + count;
      if (sets[here] === -1 || sets[next] === -1 || ordinal[next] !== ordinal[here]! + 1) continue;
      const pair = sets[here]! * count + sets[next]!;
      const members = joined.get(pair);
      if (members) members.push(k);
      else joined.set(pair, [k]);
    }
    const keys = new Set<string>();
    for (const members of joined.values()) {
      if (members.length < 2) continue;
      const key = members.join(',');
      keys.add(key);
      if (!open.has(key)) open.set(key, { members, start: j });
    }
    for (const key of [...open.keys()]) if (!keys.has(key)) close(key, j);
  }
  for (const key of [...open.keys()]) close(key, xs.length - 1);
  // Curves of one point each (no line: a dot) lie on one another where their points do.
  xs.forEach((x, j) => {
    const dots = new Map<number, number[]>();
    for (let k = 0; k < count; k++) if (drawn[k]!.length === 1 && sets[j * count + k] !== -1) dots.set(sets[j * count + k]!, [...(dots.get(sets[j * count + k]!) ?? []), k]);
    for (const members of dots.values()) {
      if (members.length < 2) continue;
      const ys = members.map((k) => value[j * count + k]!);
      stretches.push({ members, from: x, to: x, points: members.map((k) => [drawn[k]![0]!, drawn[k]![0]!]), apart: Math.max(...ys) - Math.min(...ys), whole: true });
    }
  });
  return stretches.sort((a, b) => a.from - b.from || a.members[0]! - b.members[0]!);
}

/**
 * The sets of two or more curves that lie on one another whole: on the same x, with y within
 * `tolerance` (0: exactly the same points), each with how far apart they are.
 */
export function coincidentCurves(curves: readonly Curve[], tolerance = 0): CoincidentSet[] {
  return sharedStretches(curves, tolerance)
    .filter((s) => s.whole)
    .map(({ members, apart }) => ({ members, apart }))
    .sort((a, b) => a.members[0]! - b.members[0]!);
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
 * A stretch shorter than this share of the x axis is left as drawn (curves crossing, or touching for
 * a few points, hide little of one another: a dozen pixels of Compare's plot at most).
 */
export const MIN_STRETCH = 0.02;

/**
 * `series` with the lines of each set of curves that lie on one another whole (within `tolerance`:
 * see coincidenceTolerance; 0, identical only) dashed in turn (sharedDash), and the stretches where
 * curves lie on one another only in part (a shorter run's whole curve on a longer's first episodes,
 * curves alike until they part) drawn again over them there, dashed in turn (ChartSeries.overlays);
 * with those sets and stretches.
 */
export function withSharedLines(
  series: readonly ChartSeries[],
  tolerance = 0,
): { series: ChartSeries[]; coincident: CoincidentSet[]; stretches: SharedStretch[] } {
  const all = sharedStretches(series, tolerance);
  const coincident = all
    .filter((s) => s.whole)
    .map(({ members, apart }) => ({ members, apart }))
    .sort((a, b) => a.members[0]! - b.members[0]!);
  const xs = series.flatMap((s) => s.x.filter((x, i) => Number.isFinite(x) && Number.isFinite(s.y[i])));
  const width = xs.length > 0 ? Math.max(...xs) - Math.min(...xs) : 0;
  const stretches = all.filter((s) => !s.whole && s.to - s.from >= MIN_STRETCH * width && s.to > s.from);
  const out = [...series];
  for (const { members } of coincident) members.forEach((index, position) => (out[index] = { ...out[index]!, ...sharedDash(position, members.length) }));
  for (const { members, points } of stretches) {
    members.forEach((index, position) => {
      const overlay = { from: points[position]![0], to: points[position]![1], ...sharedDash(position, members.length) };
      out[index] = { ...out[index]!, overlays: [...(out[index]!.overlays ?? []), overlay] };
    });
  }
  return { series: out, coincident, stretches };
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

/** At most this many stretches are described: past it, "and N more". */
const STRETCHES_NAMED = 4;

/**
 * What the chart says under it of the stretches where curves lie on one another in part: "2 groups’
 * curves are identical from episode 0 to 499 (…): a and b." (or within how much); undefined for none.
 */
export function sharedStretchesText(stretches: readonly SharedStretch[], names: readonly string[]): string | undefined {
  if (stretches.length === 0) return undefined;
  const told = stretches.slice(0, STRETCHES_NAMED).map(({ members, apart, from, to }) => {
    const named = members.slice(0, NAMED).map((i) => names[i]!);
    const more = members.length - named.length;
    const episodes = `from episode ${fmt(Math.round(from))} to ${fmt(Math.round(to))}`;
    const how = apart === 0 ? `are identical ${episodes}` : `are within ${fmt(apart)} of one another ${episodes}, closer than the chart can draw apart`;
    return `${members.length} groups’ curves ${how} (drawn there in alternating dashes of their colours): ${andList(more > 0 ? [...named, `${more} more`] : named)}.`;
  });
  const left = stretches.length - told.length;
  return [...told, ...(left > 0 ? [`Curves lie on one another along ${left} more ${left === 1 ? 'stretch' : 'stretches'}.`] : [])].join(' ');
}
