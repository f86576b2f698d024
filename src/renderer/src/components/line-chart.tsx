/**
 * A line chart (chart.js) of one or more series, each optionally with a shaded band (lo–hi). Data
 * arrives already downsampled by the service (≤ ~2,000 points per series), so parsing and
 * decimation are off and animation is disabled: redraws stay cheap when live runs refresh it.
 * After every draw the canvas gets `data-drawn` (a counter), which tests and the benchmark wait on,
 * and the drawn axes' ends, plot area's left edge, bands' fills and marks of cut-off lines
 * (`data-x-min`, `data-x-max`, `data-y-min`, `data-y-max`, `data-plot-left`, `data-band-fills`,
 * `data-data-x-end` (the furthest x of the drawn series),
 * `data-clip-marks`, `data-episode-marks`), its tick labels' colour (`data-tick-color`) and y title (`data-y-title`, '' when none), read from the chart itself so a
 * test sees what was drawn rather than what was asked for. Axes, grid, legend, tooltip and band
 * fills follow the light or dark scheme: a change of scheme draws the chart anew in its colours.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  Chart,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type LegendItem,
  type Plugin,
} from 'chart.js';
import { useChartTheme } from '../color-scheme';
import { bandFill, CHART_FONT_FAMILY, faintAlpha, withAlpha } from './chart-colors';
import { ChartLegend, hiddenCurves, toggleCurve, useCurveLegend, type CurveKinds } from './chart-legend';
import { episodeMarks, markText, type EpisodeMark } from './episode-marks';
import { constantTicks, yTickOptions } from './y-ticks';
import { clippedStretches, flatAxisEnds, type AxisBounds, type ClippedStretch } from './y-range';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);
// Every chart's text (the parameter study's too: it imports this module) in the page's face.
Chart.defaults.font.family = CHART_FONT_FAMILY;

/**
 * Tableau 10, then ten more from Tableau 20 and d3's category20, each unlike the one ten before it
 * (Compare's 20 groups drew groups 1 and 11 in one blue): every colour keeps 3:1 against the dark
 * scheme's panel (chart-colors.test.ts). Past 20, series repeat the colours dashed (seriesDash).
 */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#9467bd', '#17becf', '#8cd17d', '#e377c2', '#ffbe7d', '#79706e', '#bcbd22', '#a0cbe8', '#d4a6c8', '#b6992d',
];

/** The dash of the i-th series drawn in PALETTE's colours: solid for the first 20, then dashed, then dotted. */
export function seriesDash(i: number): number[] {
  return [[], [6, 3], [2, 2]][Math.floor(i / PALETTE.length) % 3]!;
}

export interface ChartSeries {
  readonly label: string;
  /**
   * What the legend shows when it shortens the label (Compare's names cut in their middle); the
   * label stays the tooltips' and the screen reader's, and is the legend item's title on hover.
   */
  readonly legend?: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly color?: string;
  /** Dashed, thin: for reference lines such as the optimum. */
  readonly reference?: boolean;
  /** The line's dash (seriesDash: a colour's second use); solid when absent. */
  readonly dash?: readonly number[];
  /**
   * What names the curve across refreshes where its label may change (the legend keeps a curve
   * hidden by it, chart-legend.tsx replaceCurves): Run detail's smoothed line's label carries the
   * automatic weight, which moves as the run trains; a Compare group's, its partial runs. The label when absent.
   */
  readonly key?: string;
  /** Where the dash starts (a line drawn in turns with others on the same curve: identical-curves.ts). */
  readonly dashOffset?: number;
  /**
   * Stretches of its points (indices, first and last) drawn again over every line, in a dash of
   * their own: where other curves lie on this one in part, each draws its dash there in turn
   * (identical-curves.ts withSharedLines), so every colour shows along the stretch.
   */
  readonly overlays?: readonly { readonly from: number; readonly to: number; readonly dash: readonly number[]; readonly dashOffset: number }[];
  /** Drawn pale and thin, behind a smoothed line (TensorBoard's raw curve). */
  readonly faint?: boolean;
  /** Each point drawn as a dot: a series of a few points (one alone draws no line). */
  readonly dots?: boolean;
}

export interface LineChartProps {
  readonly series: readonly ChartSeries[];
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly height?: number;
  readonly testId?: string;
  /**
   * Fixed ends of the x axis (an end not given fits the data). Without them the axis fits the data
   * and rounds out to the next tick, so charts meant to line up (one run's metrics) each ended
   * somewhere else; and chart.js fits x to the points inside a fixed y range only.
   */
  readonly xMin?: number;
  readonly xMax?: number;
  /**
   * The least width of the y axis (its labels and title), and a callback told the width the axis
   * needs on its own after every layout: charts stacked in a column line their plot areas up by
   * all taking the widest one's (otherwise "0.106" and "-1,200" start their x axes apart).
   */
  readonly yAxisWidth?: number;
  readonly onYAxisWidth?: (width: number) => void;
  /**
   * The one y value of a constant chart: its only tick, there (chart.js spreads a flat axis to
   * value ± 1 and, on a low chart, kept only a tick at half the value), beside the axis's ends that
   * are ends of yBounds (constantTicks: 0 and 1 for a share of 0).
   */
  readonly yConstant?: number;
  /**
   * Set ends of the y axis (either, both or neither; see focusedYRange). The lines' stretches beyond
   * them are marked on the plot area's edge in the line's colour, so a cut-off curve is not read as
   * one that stays inside.
   */
  readonly yMin?: number;
  readonly yMax?: number;
  /**
   * Where the values can lie (the metric's range, on Compare and Run detail): with neither end set and every drawn value
   * one value, the axis is that value ± 1 kept within them (flatAxisEnds), not chart.js's ± 1.
   */
  readonly yBounds?: AxisBounds;
  /** Episodes to mark with a labelled vertical line (where the environment changes: episode-marks.ts). */
  readonly marks?: readonly EpisodeMark[];
}

/** Datasets that are no series of their own (a band's edges, a stretch drawn again): left out of the legend and tooltips. */
const BAND = /\((band( low)?|shared)\)$/;

/** The legend's text of a line whose series gives one (ChartSeries.legend), by its dataset. */
const LEGEND_TEXT = new WeakMap<object, string>();

/** A band's edges and a line's stretches drawn again (BAND), by dataset: the line they belong to. */
const LINE_OF = new WeakMap<object, object>();

/** A series' line, by dataset: its index in the series (what a ClippedStretch names). */
const SERIES_OF = new WeakMap<object, number>();

/** A series' steadier name than its label (ChartSeries.key), by its line's dataset. */
const KEY_OF = new WeakMap<object, string>();

/**
 * LineChart's curves (chart-legend.tsx's CurveKinds): a series' own line, named by its key or
 * label, its band's edges and its stretches drawn again (LINE_OF) hidden and shown with it.
 */
export const LINE_CURVES: CurveKinds = {
  isLine: (d) => SERIES_OF.has(d),
  keyOf: (d) => KEY_OF.get(d) ?? (d as { label?: string }).label,
  lineOf: (d) => LINE_OF.get(d),
};

/** What hiddenLines reads of a chart. */
type LineVisibility = Pick<Chart, 'isDatasetVisible'> & { readonly data: { readonly datasets: readonly object[] } };

/** The series' own lines hidden from the legend or its buttons (not a band's edge nor a stretch drawn again). */
function hiddenLines(chart: LineVisibility): { label?: string }[] {
  return hiddenCurves(chart, LINE_CURVES);
}

/** The canvas's title while the pointer is on a legend item: the label it shortens ('' for one shown whole). */
const legendTitle = (chart: Chart, item: LegendItem) => {
  const line = chart.data.datasets[item.datasetIndex ?? -1];
  return line && LEGEND_TEXT.has(line) ? (line.label ?? '') : '';
};

/**
 * How much taller than asked a chart must be for its legend to list every series without taking
 * the plot's room: Chart.js gives a legend at most half the chart's height and silently leaves out
 * what does not fit (Compare's legend of 20+ groups listed 21), and a legend of many rows left a
 * plot of 120 px. Past two rows, each row of legend adds its height to the chart, and the chart is
 * at least twice the legend's (its most). 0 for a legend of one or two rows, or none.
 */
export function legendGrowth(rows: number, lineHeight: number, height: number): number {
  if (rows <= 2) return 0;
  const needed = legendHeight(rows, lineHeight);
  return Math.ceil(Math.max(needed - legendHeight(2, lineHeight), 2 * needed + 4 - height));
}

/** A legend's height for all its rows, as Chart.js's Legend.fit counts it: its rows, and 10 px. */
function legendHeight(rows: number, lineHeight: number): number {
  return rows * lineHeight + 10;
}

/** Reports, after each layout, how much the chart must grow for its whole legend (legendGrowth). */
function legendFit(report: { current: (rows: number, lineHeight: number) => void }): Plugin<'line'> {
  return {
    id: 'aisleLegendFit',
    afterLayout(chart) {
      const legend = chart.legend as (typeof chart.legend & { lineWidths?: number[]; legendHitBoxes?: { height: number }[] }) | undefined;
      if (!legend?.options.display || !legend.lineWidths) return report.current(0, 0);
      const padding = legend.options.labels.padding ?? 10;
      const rows = legend.lineWidths.length;
      const lineHeight = (legend.legendHitBoxes?.[0]?.height ?? 12) + padding;
      // Whether this layout's legend has the height of all its rows (a test reads it: Chart.js cuts the rest silently).
      chart.canvas.dataset.legendFits = String(legend.height + 0.5 >= legendHeight(rows, lineHeight));
      report.current(rows, lineHeight);
    },
  };
}

const drawnCounter: Plugin<'line'> = {
  id: 'aisleDrawn',
  afterRender(chart) {
    const el = chart.canvas;
    const x = chart.scales.x;
    if (x) {
      el.dataset.xMin = String(x.min);
      el.dataset.xMax = String(x.max);
    }
    // The drawn series' furthest point, beside the axis end of the same draw (a test holds it within).
    let dataEnd = -Infinity;
    for (const d of chart.data.datasets) {
      const last = d.data[d.data.length - 1] as { x?: unknown } | null | undefined;
      if (last && typeof last.x === 'number' && last.x > dataEnd) dataEnd = last.x;
    }
    el.dataset.dataXEnd = String(dataEnd);
    const y = chart.scales.y;
    if (y) {
      el.dataset.yMin = String(y.min);
      el.dataset.yMax = String(y.max);
    }
    el.dataset.tickColor = String(chart.options.scales?.y?.ticks?.color);
    el.dataset.plotLeft = String(Math.round(chart.chartArea.left));
    el.dataset.yTicks = (chart.scales.y?.ticks ?? []).map((t) => t.label).join(';');
    el.dataset.bandFills = chart.data.datasets
      .filter((d) => d.label?.endsWith('(band)'))
      .map((d) => String(d.backgroundColor))
      .join(';');
    el.dataset.legend = (chart.legend?.legendItems ?? []).map((item) => item.text).join(';');
    // The curves hidden from the legend or its buttons (chart-legend.tsx), as the chart has them.
    el.dataset.hidden = hiddenLines(chart)
      .map((d) => d.label ?? '')
      .join(';');
    const yTitle = chart.options.scales?.y?.title;
    el.dataset.yTitle = yTitle?.display ? String(yTitle.text) : '';
    el.dataset.drawn = String(Number(el.dataset.drawn ?? '0') + 1);
  },
};

interface ClipMark extends ClippedStretch {
  readonly color: string;
}

/**
 * The stretches beyond the axis to mark: those of the lines shown. A line hidden from the legend
 * (toggleCurve) kept its marks on the axis's edge, drawn across the whole plot once every line
 * was hidden and the x axis fell back to 0 to 1.
 */
export function shownStretches<T extends ClippedStretch>(chart: LineVisibility, marks: readonly T[]): T[] {
  const hidden = new Set(hiddenLines(chart).map((d) => SERIES_OF.get(d)));
  return marks.filter((m) => !hidden.has(m.series));
}

/** Draws each clipped stretch as a thick bar along the edge it leaves by (at least a few pixels wide, for a lone point). */
function clipMarks(marks: { current: readonly ClipMark[] }): Plugin<'line'> {
  return {
    id: 'aisleClipMarks',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.lineWidth = 3;
      const shown = shownStretches(chart, marks.current);
      for (const m of shown) {
        const from = Math.max(area.left, x.getPixelForValue(m.from) - 2);
        const to = Math.min(area.right, x.getPixelForValue(m.to) + 2);
        const edge = m.side === 'below' ? area.bottom - 1.5 : area.top + 1.5;
        ctx.strokeStyle = m.color;
        ctx.beginPath();
        ctx.moveTo(from, edge);
        ctx.lineTo(to, edge);
        ctx.stroke();
      }
      ctx.restore();
      chart.canvas.dataset.clipMarks = String(shown.length);
    },
  };
}

/** What a screen reader says for the canvas: the axes and the series, named as the legend names them. */
function describe(series: readonly ChartSeries[], xLabel: string, yLabel: string | undefined, marks: readonly EpisodeMark[]): string {
  const named = series.filter((s) => !s.faint).map((s) => s.label);
  const marked = marks.length > 0 ? `; marked: ${marks.map(markText).join('; ')}` : '';
  return `Line chart of ${yLabel ?? 'values'} by ${xLabel}${named.length > 0 ? `: ${named.join('; ')}` : ''}${marked}`;
}

function points(x: readonly number[], y: readonly number[]): { x: number; y: number }[] {
  const out = new Array<{ x: number; y: number }>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = { x: x[i]!, y: y[i]! };
  return out;
}

function colorOf(series: readonly ChartSeries[], i: number): string {
  return series[i]!.color ?? PALETTE[i % PALETTE.length]!;
}

/** A dot's radius, for a series of few points (ChartSeries.dots). */
const DOT_RADIUS = 3;

/**
 * The datasets LineChart hands chart.js for `series`. `onEnds`: the y axis's set ends are the
 * lines' own value (a flat chart's, flatAxisEnds), so each line may draw its whole width past the
 * plot's edge. chart.js clips a line at an end set by hand exactly at the edge (it lets a line
 * overflow by half its width only at ends it fits itself), and a line on that end showed half its
 * width: Compare's groups all at a diversity of 0, on an axis of 0 to 1, were a thin line under
 * the axis. A focused axis's ends (focusedYRange) keep the tight clip: what lies beyond is cut
 * off there, and marked.
 */
export function lineDatasets(series: readonly ChartSeries[], background: string, onEnds = false): ChartDataset<'line', { x: number; y: number }[]>[] {
  const out: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  const over: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  series.forEach((s, i) => {
    const color = colorOf(series, i);
    const band: ChartDataset<'line', { x: number; y: number }[]>[] =
      s.lo && s.hi
        ? [
            { label: `${s.label} (band low)`, data: points(s.x, s.lo), borderWidth: 0, pointRadius: 0, borderColor: 'transparent', fill: false },
            {
              label: `${s.label} (band)`,
              data: points(s.x, s.hi),
              borderWidth: 0,
              pointRadius: 0,
              borderColor: 'transparent',
              backgroundColor: bandFill(color, background),
              fill: '-1',
            },
          ]
        : [];
    out.push(...band);
    const line = s.faint ? withAlpha(color, faintAlpha(s.y.length)) : color;
    const dataset: ChartDataset<'line', { x: number; y: number }[]> = {
      label: s.label,
      data: points(s.x, s.y),
      borderColor: line,
      backgroundColor: line,
      borderWidth: s.reference || s.faint ? 1 : 1.6,
      borderDash: s.reference ? [6, 4] : [...(s.dash ?? [])],
      borderDashOffset: s.dashOffset ?? 0,
      pointRadius: s.dots ? DOT_RADIUS : 0,
      fill: false,
      spanGaps: true,
    };
    // Half the line's width (or a dot and its border) beyond the plot's edge.
    if (onEnds) dataset.clip = Math.max(Number(dataset.borderWidth) / 2, s.dots ? DOT_RADIUS + 0.5 : 0);
    if (s.legend !== undefined) LEGEND_TEXT.set(dataset, s.legend);
    if (s.key !== undefined) KEY_OF.set(dataset, s.key);
    out.push(dataset);
    SERIES_OF.set(dataset, i);
    for (const edge of band) LINE_OF.set(edge, dataset);
    // Drawn last (order below every line's 0), each from the same point as the others on its stretch, so their dashes take turns.
    for (const o of s.overlays ?? []) {
      const stretch: ChartDataset<'line', { x: number; y: number }[]> = {
        ...dataset,
        label: `${s.label} (shared)`,
        data: dataset.data.slice(o.from, o.to + 1),
        borderDash: [...o.dash],
        borderDashOffset: o.dashOffset,
        pointRadius: 0,
        order: -1,
      };
      LINE_OF.set(stretch, dataset);
      over.push(stretch);
    }
  });
  return [...out, ...over];
}

const NO_MARKS: readonly EpisodeMark[] = [];

export function LineChart({ series, xLabel = 'episode', yLabel, height = 280, testId, xMin, xMax, yAxisWidth, onYAxisWidth, yConstant, yMin: askedMin, yMax: askedMax, yBounds, marks: episodes = NO_MARKS }: LineChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', { x: number; y: number }[]> | null>(null);
  const marks = useRef<readonly ClipMark[]>([]);
  const theme = useChartTheme();
  const flatEnds = useMemo(
    () => (askedMin === undefined && askedMax === undefined ? flatAxisEnds(series, yBounds) : undefined),
    [series, askedMin, askedMax, yBounds],
  );
  const yMin = askedMin ?? flatEnds?.min;
  const yMax = askedMax ?? flatEnds?.max;
  // Read by the episode-marks plugin at each draw, like the clip marks: a run's marks never change
  // (its config is fixed), and Compare's change only with its series, which draw the chart again.
  const episodeMarksShown = useRef(episodes);
  episodeMarksShown.current = episodes;
  const markColor = useRef(theme.text);
  markColor.current = theme.text;
  // Read by the y axis's afterFit at each layout, so a new width or callback needs no new chart.
  const yFit = useRef({ yAxisWidth, onYAxisWidth, yConstant, flatEnds, yBounds });
  yFit.current = { yAxisWidth, onYAxisWidth, yConstant, flatEnds, yBounds };
  // The legend's rows, as the last layout found them (legendFit): the chart grows to list them all.
  const [legendRows, setLegendRows] = useState({ rows: 0, lineHeight: 0 });
  const onLegendRows = useRef((rows: number, lineHeight: number) =>
    setLegendRows((was) => (was.rows === rows && was.lineHeight === lineHeight ? was : { rows, lineHeight })),
  );
  // The legend's buttons, and the lines kept hidden across refreshes and new charts (chart-legend.tsx).
  const curves = useCurveLegend(LINE_CURVES);

  useEffect(() => {
    chart.current = new Chart<'line', { x: number; y: number }[]>(canvas.current!, {
      type: 'line',
      data: { datasets: [] },
      plugins: [clipMarks(marks), episodeMarks(episodeMarksShown, markColor), drawnCounter, legendFit(onLegendRows), curves.plugin],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          // Level tick labels, thinned to fit with a gap: a long run's eight-digit episodes otherwise slant and crowd.
          x: {
            type: 'linear',
            title: { display: true, text: xLabel, color: theme.text },
            ticks: { maxRotation: 0, autoSkipPadding: 12, color: theme.text },
            grid: { color: theme.grid },
            border: { color: theme.grid },
          },
          y: {
            type: 'linear',
            title: { display: Boolean(yLabel), text: yLabel ?? '', color: theme.text },
            grid: { color: theme.grid },
            border: { color: theme.grid },
            afterBuildTicks: (scale) => {
              const { yConstant: only, flatEnds: ends, yBounds: bounds } = yFit.current;
              if (only !== undefined) scale.ticks = constantTicks(only, ends, bounds).map((value) => ({ value }));
            },
            // On chart.js's step only, a set end not labelled; a constant chart's lone tick written whole (y-ticks.ts).
            ticks: { color: theme.text, ...yTickOptions(() => yFit.current.yConstant) },
            afterFit: (scale) => {
              const { yAxisWidth: least, onYAxisWidth: report } = yFit.current;
              report?.(scale.width);
              if (least !== undefined && least > scale.width) scale.width = least;
            },
          },
        },
        plugins: {
          legend: {
            labels: {
              generateLabels: (c) =>
                Chart.defaults.plugins.legend.labels.generateLabels(c).map((item) => {
                  const line = c.data.datasets[item.datasetIndex ?? -1];
                  return { ...item, text: (line && LEGEND_TEXT.get(line)) ?? item.text };
                }),
              filter: (item, data) => !BAND.test(data.datasets[item.datasetIndex ?? -1]?.label ?? ''),
              color: theme.text,
            },
            onClick: (_event, item, legend) => {
              if (item.datasetIndex !== undefined) toggleCurve(legend.chart, item.datasetIndex, LINE_CURVES);
            },
            // A canvas has no element per legend item to carry a title: the canvas takes the hovered one's.
            onHover: (_event, item, legend) => {
              legend.chart.canvas.title = legendTitle(legend.chart, item);
            },
            onLeave: (_event, _item, legend) => {
              legend.chart.canvas.title = '';
            },
          },
          tooltip: {
            filter: (item) => !BAND.test(item.dataset.label ?? ''),
            backgroundColor: theme.tooltipBackground,
            titleColor: theme.tooltipText,
            bodyColor: theme.tooltipText,
            footerColor: theme.tooltipText,
            borderColor: theme.tooltipBorder,
            borderWidth: 1,
          },
        },
      },
    });
    return () => {
      // The chart made next (another theme: its colours are the chart's options) keeps these hidden.
      if (chart.current) curves.keep(chart.current);
      chart.current?.destroy();
      chart.current = null;
    };
  }, [xLabel, yLabel, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    curves.replace(c, lineDatasets(series, theme.background, flatEnds !== undefined));
    const x = c.options.scales?.x;
    if (x) {
      x.min = xMin;
      x.max = xMax;
    }
    const y = c.options.scales?.y;
    if (y) {
      y.min = yMin;
      y.max = yMax;
    }
    marks.current = clippedStretches(series, yMin, yMax).map((m) => ({ ...m, color: colorOf(series, m.series) }));
    // A chart of one value (yConstant) draws one flat line its caption names: a legend would only
    // crowd its short plot (it overlapped the line).
    const legend = c.options.plugins?.legend;
    if (legend) legend.display = yConstant === undefined;
    // Nor a y title: the metric's name, written up the low plot, ran past its height ("train/epsilo").
    if (y?.title) y.title.display = Boolean(yLabel) && yConstant === undefined;
    c.update('none');
  }, [series, xMin, xMax, yAxisWidth, yConstant, yMin, yMax, flatEnds, theme, yLabel]);

  return (
    <div className="chart" style={{ height: height + legendGrowth(legendRows.rows, legendRows.lineHeight, height) }}>
      <canvas ref={canvas} data-testid={testId} role="img" aria-label={describe(series, xLabel, yLabel, episodes)} />
      <ChartLegend entries={curves.entries} onToggle={(i) => curves.toggle(chart.current, i)} testId={testId} />
    </div>
  );
}
