/**
 * The chart's legend again, as buttons, and the curves it keeps hidden: every chart.js chart with a
 * legend uses it (LineChart: Compare and Run detail; the parameter study). Chart.js draws its legend
 * into the canvas, where a curve is hidden or shown again by a click only. No key reached it and a
 * screen reader could not tell which curves were hidden (the audit of Compare's chart). Each curve
 * the canvas legend lists gets a toggle button here, named by the curve's label (the whole label,
 * where the legend shortens it), `aria-pressed` while the curve is shown. The row stays out of sight
 * until a key brings focus into it, so the chart looks as before; then it shows over the top of the
 * chart, where the canvas legend is. Both ways go through the chart: a button hides the curve as the
 * legend's click does (toggleCurve), and after every draw the row is read again from the chart
 * (legendMirror), so a click on the canvas legend presses or releases its button too. A curve
 * hidden stays hidden across a refresh of the data and a chart made anew (replaceCurves).
 */
import { useRef, useState } from 'react';
import type { Chart, Plugin } from 'chart.js';

/**
 * How a chart's datasets are told apart, for its legend and for what it keeps hidden: which are
 * curves of their own (the legend lists them), what names a curve across a refresh and a new chart
 * (its label, unless the chart gives it a steadier name: Run detail's smoothed line's label carries
 * its weight, which moves while the run trains), and which curve a dataset that is none belongs to
 * (a band's edge, hidden and shown with its line).
 */
export interface CurveKinds {
  readonly isLine: (dataset: object) => boolean;
  readonly keyOf: (dataset: object) => string | undefined;
  readonly lineOf?: (dataset: object) => object | undefined;
}

/** Every dataset a curve of its own, named by its label: a chart with no bands (the parameter study's). */
export const PLAIN_CURVES: CurveKinds = { isLine: () => true, keyOf: (d) => (d as { label?: string }).label };

/** What hiddenCurves reads of a chart. */
export type CurveVisibility = Pick<Chart, 'isDatasetVisible'> & { readonly data: { readonly datasets: readonly object[] } };

/** The curves hidden from the legend or its buttons (not a band's edge). */
export function hiddenCurves<T extends object>(chart: Pick<Chart, 'isDatasetVisible'> & { readonly data: { readonly datasets: readonly T[] } }, kinds: CurveKinds): T[] {
  return chart.data.datasets.filter((d, i) => kinds.isLine(d) && !chart.isDatasetVisible(i));
}

/**
 * The names (CurveKinds.keyOf) of the curves hidden from the legend or its buttons: what a chart
 * made anew (a theme switched, or its axes changed, build a new Chart.js chart) hands to
 * replaceCurves, so that they stay hidden there as they do across a refresh of the data.
 */
export function hiddenKeys(chart: CurveVisibility, kinds: CurveKinds): (string | undefined)[] {
  return hiddenCurves(chart, kinds).map(kinds.keyOf);
}

/** What toggleCurve needs of a chart. */
export type CurveToggling = Pick<Chart, 'isDatasetVisible' | 'setDatasetVisibility' | 'update'> & { readonly data: { readonly datasets: readonly object[] } };

/**
 * A legend item's click, or its button's: hides its curve, or shows it again, and with it what
 * belongs to it (CurveKinds.lineOf: its band). Chart.js's own click hid the line alone: a Compare
 * group taken off the chart from its legend left its shaded band drawn, with no line, over the others.
 */
export function toggleCurve(chart: CurveToggling, index: number, kinds: CurveKinds): void {
  if (!chart.data.datasets[index]) return;
  setCurveVisible(chart, index, !chart.isDatasetVisible(index), kinds);
  chart.update();
}

/** Shows or hides a curve with what belongs to it (CurveKinds.lineOf), without drawing. */
function setCurveVisible(chart: Omit<CurveToggling, 'update'>, index: number, visible: boolean, kinds: CurveKinds): void {
  const line = chart.data.datasets[index];
  chart.data.datasets.forEach((d, i) => {
    if (i === index || (line !== undefined && kinds.lineOf?.(d) === line)) chart.setDatasetVisibility(i, visible);
  });
}

/**
 * Hands a chart new datasets (a live run's next points, Compare's refreshed answer, the parameter
 * study's) keeping hidden the curves hidden before, by name (CurveKinds.keyOf), with those
 * `hiddenBefore` names (the chart this one replaces: hiddenKeys). Chart.js keeps a dataset's
 * visibility with the dataset object, so each refresh showed every curve again: a group hidden
 * from the legend or its button came back while the runs trained, its button pressed again under
 * the keyboard user's hand.
 */
export function replaceCurves(chart: Omit<CurveToggling, 'update'> & { data: { datasets: object[] } }, datasets: object[], kinds: CurveKinds, hiddenBefore: readonly (string | undefined)[] = []): void {
  const hidden = new Set([...hiddenBefore, ...hiddenKeys(chart, kinds)]);
  chart.data.datasets = datasets;
  datasets.forEach((d, i) => {
    if (kinds.isLine(d) && hidden.has(kinds.keyOf(d))) setCurveVisible(chart, i, false, kinds);
  });
}

/** What a chart component needs to keep its curves hidden and mirror its legend (useCurveLegend). */
export interface CurveLegendTools {
  /** Goes in the chart's plugins: reports the legend's entries after each draw (legendMirror). */
  readonly plugin: Plugin<'line'>;
  /** Called as the chart is destroyed: the next chart's first `replace` keeps its hidden curves hidden. */
  readonly keep: (chart: CurveVisibility) => void;
  /** Hands the chart its datasets (replaceCurves). */
  readonly replace: (chart: Omit<CurveToggling, 'update'> & { data: { datasets: object[] } }, datasets: object[]) => void;
  /** The canvas legend's click and the buttons' (toggleCurve). */
  readonly toggle: (chart: CurveToggling | null, index: number) => void;
}

/** CurveLegendTools for charts of `kinds`, reporting the legend's entries to `report`. */
export function curveLegendTools(kinds: CurveKinds, report: (entries: LegendEntry[]) => void): CurveLegendTools {
  let hiddenBefore: readonly (string | undefined)[] = [];
  return {
    plugin: legendMirror({ current: report }, kinds.isLine),
    keep: (chart) => {
      hiddenBefore = hiddenKeys(chart, kinds);
    },
    replace: (chart, datasets) => {
      replaceCurves(chart, datasets, kinds, hiddenBefore);
      hiddenBefore = [];
    },
    toggle: (chart, index) => {
      if (chart) toggleCurve(chart, index, kinds);
    },
  };
}

/**
 * A chart's legend buttons and the curves it keeps hidden, for a component that builds a Chart.js
 * chart in an effect (made anew when its theme changes) and hands it datasets in another: `plugin`
 * goes in the chart's plugins, `replace` hands it datasets, `keep` is called as the chart is
 * destroyed, `toggle` is its legend's onClick and the buttons' (`entries`, for ChartLegend).
 */
export function useCurveLegend(kinds: CurveKinds): CurveLegendTools & { readonly entries: readonly LegendEntry[] } {
  const [entries, setEntries] = useState<readonly LegendEntry[]>([]);
  const tools = useRef<CurveLegendTools | null>(null);
  tools.current ??= curveLegendTools(kinds, (next) => setEntries((was) => (sameEntries(was, next) ? was : next)));
  return { ...tools.current, entries };
}

/** A curve the chart's legend lists, as its button shows it. */
export interface LegendEntry {
  /** The curve's dataset in the chart (what toggleCurve takes). */
  readonly index: number;
  readonly label: string;
  readonly color: string;
  readonly dash: readonly number[];
  readonly dashOffset: number;
  readonly hidden: boolean;
}

/** What legendEntries reads of a chart. */
export type LegendSource = Pick<Chart, 'isDatasetVisible'> & {
  readonly data: { readonly datasets: readonly { label?: string; borderColor?: unknown; borderDash?: unknown; borderDashOffset?: unknown }[] };
};

/** The curves a chart's legend lists (`isLine`: a dataset that is a curve of its own, not a band's edge), each hidden or not. */
export function legendEntries(chart: LegendSource, isLine: (dataset: object) => boolean): LegendEntry[] {
  const out: LegendEntry[] = [];
  chart.data.datasets.forEach((d, index) => {
    if (!isLine(d)) return;
    out.push({
      index,
      label: d.label ?? '',
      color: typeof d.borderColor === 'string' ? d.borderColor : '',
      dash: Array.isArray(d.borderDash) ? (d.borderDash as number[]) : [],
      dashOffset: typeof d.borderDashOffset === 'number' ? d.borderDashOffset : 0,
      hidden: !chart.isDatasetVisible(index),
    });
  });
  return out;
}

/** Whether two rows of entries show the same (a draw that changed nothing re-renders nothing). */
export function sameEntries(a: readonly LegendEntry[], b: readonly LegendEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const f = b[i]!;
      return e.index === f.index && e.label === f.label && e.color === f.color && e.hidden === f.hidden && e.dashOffset === f.dashOffset && e.dash.join() === f.dash.join();
    })
  );
}

/**
 * Reports the legend's entries after every draw: none while the chart shows no legend (a constant
 * chart's), so the buttons are there exactly when the canvas legend is.
 */
export function legendMirror(report: { current: (entries: LegendEntry[]) => void }, isLine: (dataset: object) => boolean): Plugin<'line'> {
  return {
    id: 'aisleLegendMirror',
    afterRender(chart) {
      report.current(chart.options.plugins?.legend?.display === false ? [] : legendEntries(chart, isLine));
    },
  };
}

/** A short sample of the curve's line, dashed as drawn (as Compare's tables show a group's). */
function Sample({ entry }: { entry: LegendEntry }) {
  const [on, off] = entry.dash;
  if (on === undefined || off === undefined) return <span className="swatch line" style={{ background: entry.color }} aria-hidden="true" />;
  const start = -entry.dashOffset % (on + off);
  const background = `repeating-linear-gradient(90deg, ${entry.color} ${start}px ${start + on}px, transparent ${start + on}px ${start + on + off}px)`;
  return <span className="swatch line" style={{ background }} aria-hidden="true" />;
}

export interface ChartLegendProps {
  readonly entries: readonly LegendEntry[];
  readonly onToggle: (index: number) => void;
  /** The canvas's test id: the row takes it with `-legend`. */
  readonly testId?: string;
}

export function ChartLegend({ entries, onToggle, testId }: ChartLegendProps) {
  if (entries.length === 0) return null;
  return (
    <div className="chart-legend" role="group" aria-label="Curves shown on the chart" data-testid={testId === undefined ? undefined : `${testId}-legend`}>
      {entries.map((e) => (
        <button key={e.index} type="button" aria-pressed={!e.hidden} onClick={() => onToggle(e.index)}>
          <Sample entry={e} /> {e.label}
        </button>
      ))}
    </div>
  );
}
