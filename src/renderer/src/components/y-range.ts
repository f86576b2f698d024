/**
 * The y axis of a learning curve, fitted to where the curves spend their time rather than to their
 * first episodes: on the cliff the first episodes reach about −2,500 while the curves end at −50
 * and −24, and an axis fitted to every point pressed those endings into one line at its top.
 */
import { fmt } from '../format';
import { plural } from '../../../shared/text';

/** What the range reads of a drawn series (LineChart's ChartSeries fits it). */
export interface RangeSeries {
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  /** A pale raw curve behind its smoothed line: it may be cut off, it does not set the axis. */
  readonly faint?: boolean;
}

export interface FocusedRange {
  /** The axis's ends, each set only where something drawn lies beyond it (chart.js fits the other). */
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** The extent of every drawn value: what the full range shows. */
  readonly fullMin: number;
  readonly fullMax: number;
  /** How many points of the lines (not their bands, not faint raw curves) lie outside the axis, and the last one's x. */
  readonly clipped: number;
  readonly lastClippedX: number;
  /** The lines alone set the axis (a focus that held the bands too would show them less than MIN_GAIN times as tall), so the bands may run past it. */
  readonly bandsClipped: boolean;
}

/** The first tenth of the episode axis is the transient the focused range leaves out. */
export const TRANSIENT = 0.1;
/** The focus is used only when it shows the rest at least this many times taller than the full range would. */
export const MIN_GAIN = 2;
/**
 * Lines of fewer points are not focused: each point is a measurement of its own (a greedy
 * evaluation every so many episodes, eval/greedy_return), not a sample of a transient, and the
 * focus cut off the first of three and chart.js's x axis then left out its episodes as well.
 */
export const MIN_FOCUS_POINTS = 20;

/**
 * A tail no wider than this share of its values' size is flat: metrics are stored as float32, whose
 * steps are 2^-23 (1.2e-7) of a value, so a curve that varies only there is one value read through
 * rounding (the myopic oracle's coverage, 0.2 after its first sessions, read 0.199999965 to
 * 0.200000005 on an axis fitted to that noise, drawn as a climb). 16 such steps.
 */
export const FLOAT32_FLAT = 16 * 2 ** -23;

/**
 * The focused y range: the extent of the lines and their bands after the first TRANSIENT of the x
 * axis, or of its own span for a line that ends sooner (so no curve's end is ever cut off), padded by 5 % and rounded out to a round step. Null
 * when the full range serves as well: the focus gains less than MIN_GAIN (a steady rise, a noisy
 * flat curve), the curves are flat after the transient (an ε schedule that has reached its floor, or
 * a value that varies only in float32's rounding: FLOAT32_FLAT),
 * or there is too little to fit (no line of MIN_FOCUS_POINTS points).
 */
export function focusedYRange(series: readonly RangeSeries[]): FocusedRange | null {
  if (!series.some((s) => !s.faint && s.y.length >= MIN_FOCUS_POINTS)) return null;
  let xMin = Infinity;
  let xMax = -Infinity;
  let fullMin = Infinity;
  let fullMax = -Infinity;
  for (const s of series) {
    for (const x of s.x) {
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
    }
    for (const values of [s.y, s.lo, s.hi]) {
      for (const v of values ?? []) {
        if (!Number.isFinite(v)) continue;
        if (v < fullMin) fullMin = v;
        if (v > fullMax) fullMax = v;
      }
    }
  }
  if (!(xMax > xMin) || !(fullMax > fullMin)) return null;

  const cut = xMin + TRANSIENT * (xMax - xMin);
  // Each line's own tail: from the axis's cut, or from the line's own first tenth where it ends
  // sooner (a group that trained 600 episodes beside one of 30,000 lies wholly in the axis's first
  // tenth, and was left out of the fit: pressed onto the axis's edge, under the other's line).
  const cuts = series.map((s) => {
    if (s.x.length === 0) return cut;
    const first = s.x[0]!;
    const last = s.x[s.x.length - 1]!;
    return Math.min(cut, first + TRANSIENT * (last - first));
  });
  // The tail with the bands first, so that a band stays inside the axis where it can; where the
  // bands are too wide for any focus (a t band of two seeds is 12.7 times their half-spread each
  // side), the lines' tail alone, the bands then running past the axis (and the note says so).
  const focuses = ({ min, max }: { min: number; max: number }) =>
    max - min > FLOAT32_FLAT * Math.max(Math.abs(min), Math.abs(max)) && (max - min) * MIN_GAIN <= fullMax - fullMin;
  const withBands = tailExtent(series, cuts, true);
  const bandsOut = !focuses(withBands);
  const { min: tailMin, max: tailMax } = bandsOut ? tailExtent(series, cuts, false) : withBands;
  if (!focuses({ min: tailMin, max: tailMax })) return null;
  const tailSpan = tailMax - tailMin;

  const step = roundStep((tailSpan * 1.1) / 10);
  const lo = roundTo(Math.floor((tailMin - 0.05 * tailSpan) / step) * step);
  const hi = roundTo(Math.ceil((tailMax + 0.05 * tailSpan) / step) * step);
  const min = fullMin < lo ? lo : undefined;
  const max = fullMax > hi ? hi : undefined;
  if (min === undefined && max === undefined) return null;
  const bandsClipped = bandsOut && series.some((s, k) => !s.faint && [s.lo, s.hi].some((band) => band?.some((v, i) => s.x[i]! >= cuts[k]! && outside(v, min, max))));

  let clipped = 0;
  let lastClippedX = -Infinity;
  for (const s of series) {
    if (s.faint) continue;
    s.y.forEach((v, i) => {
      if (!outside(v, min, max)) return;
      clipped++;
      lastClippedX = Math.max(lastClippedX, s.x[i]!);
    });
  }
  return { min, max, fullMin, fullMax, clipped, lastClippedX, bandsClipped };
}

/** The extent of the lines (with their bands, or not) from each one's `cuts[k]` on; faint raw curves left out. */
function tailExtent(series: readonly RangeSeries[], cuts: readonly number[], withBands: boolean): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const [k, s] of series.entries()) {
    if (s.faint) continue;
    const cut = cuts[k]!;
    for (const values of withBands ? [s.y, s.lo, s.hi] : [s.y]) {
      if (!values) continue;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (s.x[i]! < cut || !Number.isFinite(v)) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return { min, max };
}

/** Where a metric's values can lie (a share in [0, 1]), each end absent where it has none. */
export interface AxisBounds {
  readonly min?: number;
  readonly max?: number;
}

/**
 * The ends of a flat chart's axis (every drawn value one value: a share of 0, diversity with slates
 * of one category): chart.js spreads a flat axis to the value ± 1, which showed a diversity of −1 to
 * 1 for a metric in [0, 1]; here the value ± 1 kept within `bounds`. Undefined for a chart that is
 * not flat, or without bounds (chart.js's spread serves then).
 */
export function flatAxisEnds(series: readonly RangeSeries[], bounds: AxisBounds | undefined): { min: number; max: number } | undefined {
  if (!bounds) return undefined;
  let value: number | undefined;
  for (const s of series) {
    for (const values of [s.y, s.lo, s.hi]) {
      for (const v of values ?? []) {
        if (!Number.isFinite(v)) continue;
        if (value === undefined) value = v;
        else if (v !== value) return undefined;
      }
    }
  }
  if (value === undefined) return undefined;
  return { min: Math.max(bounds.min ?? -Infinity, value - 1), max: Math.min(bounds.max ?? Infinity, value + 1) };
}

/** A stretch of one line beyond the axis, from its first point out to its last. */
export interface ClippedStretch {
  readonly series: number;
  readonly from: number;
  readonly to: number;
  readonly side: 'below' | 'above';
}

/**
 * Where each line (by its index in `series`; faint raw curves left out) runs beyond the axis: the
 * chart marks these stretches on its edge, so a cut-off curve is not mistaken for one that stays
 * inside.
 */
export function clippedStretches(series: readonly RangeSeries[], min: number | undefined, max: number | undefined): ClippedStretch[] {
  const out: ClippedStretch[] = [];
  series.forEach((s, index) => {
    if (s.faint) return;
    // The stretch under way: its side, first and last x.
    let side: ClippedStretch['side'] | null = null;
    let from = 0;
    let to = 0;
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i]!;
      const here = min !== undefined && v < min ? 'below' : max !== undefined && v > max ? 'above' : null;
      if (side !== null && here !== side) out.push({ series: index, from, to, side });
      if (here !== null && here !== side) from = s.x[i]!;
      if (here !== null) to = s.x[i]!;
      side = here;
    }
    if (side !== null) out.push({ series: index, from, to, side });
  });
  return out;
}

/**
 * What a chart with a focused axis says under it: which points the axis leaves out, and the full
 * range the "full y range" control shows.
 */
export function focusNote(f: FocusedRange, xLabel = 'episode'): string {
  // A point of a long run's curve is a bucket of episodes at their mean (28.5 for 28 and 29): named by a whole one.
  const last = Number.isInteger(f.lastClippedX) ? `at ${xLabel} ${fmt(f.lastClippedX)}` : `around ${xLabel} ${fmt(Math.round(f.lastClippedX))}`;
  const left =
    f.clipped === 1
      ? `1 point of the curves, ${last}, lies beyond it (marked on its edge)`
      : f.clipped > 0
        ? `${plural(f.clipped, 'point')} of the curves, the last ${last}, lie beyond it (marked on its edge)`
        : 'only bands or raw values lie beyond it';
  const bands = f.bandsClipped ? '; the lines alone set it, and the bands run past it where they reach further' : '';
  return `The y axis fits the curves after their first tenth: ${left}${bands}; all values span ${fmt(f.fullMin)} to ${fmt(f.fullMax)}.`;
}

function outside(v: number, min: number | undefined, max: number | undefined): boolean {
  return (min !== undefined && v < min) || (max !== undefined && v > max);
}

/** The 1, 2 or 5 × 10^k at or above `raw`. */
function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  return (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10) * power;
}

/** Drops the float noise of a multiple of a decimal step (0.30000000000000004 → 0.3). */
function roundTo(value: number): number {
  return Number(value.toPrecision(12));
}
