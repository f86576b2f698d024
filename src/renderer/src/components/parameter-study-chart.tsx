/**
 * The parameter study's chart (chart.js): each group's mean final value against the swept
 * setting's value, its Student's t 95 % interval as an error bar, a line per value of the other
 * setting. The x axis is linear or logarithmic as the study says, with a tick at each swept value
 * (the values are the design; a round-number grid between them says nothing). The lines share their
 * x values (a sweep is a grid), so each line's points and bars are drawn a few pixels to one side of
 * the true x, the lines centred on it, where one bar would otherwise hide another; ticks and tooltips
 * keep the true values. Its legend is Compare's (chart-legend.tsx): a toggle button per line for
 * the keyboard, and a line hidden stays hidden across a refresh and a theme switch. After every draw the canvas carries what was drawn, read from the chart
 * itself: `data-drawn` (a counter), `data-x-scale` (linear or logarithmic), `data-points` (JSON: each
 * point's line, x, y and its bar's ends, `px` and `tx`, the pixel x it was drawn at and its true
 * x's, and `style`, its point's shape), `data-joined` (whether the points are joined), `data-bars` (the bars drawn), `data-hidden` (the lines
 * hidden, by label) and `data-tick-color`, as LineChart's canvas does for its tests.
 */
import { useEffect, useRef } from 'react';
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip, type Plugin } from 'chart.js';
import { pointText, settingName, settingValueText, studyAxisTitle, type ParameterStudy, type StudyPointText } from '../../../shared/parameter-study';
import { useChartTheme } from '../color-scheme';
import { ChartLegend, hiddenCurves, PLAIN_CURVES, toggleCurve, useCurveLegend } from './chart-legend';
import { PALETTE } from './line-chart';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

/** A drawn point: its mean, its interval's ends (null for one run) and how the tables write them. */
interface StudyDatum {
  readonly x: number;
  readonly y: number;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly text: string;
}

/** Half the width of a bar's caps, in pixels. */
const CAP = 4;

/** How far apart, in pixels, the lines' points stand at a shared x: wider than a cap, so neighbouring bars never touch. */
const DODGE = 6;

/** Each of `lines` lines' offset from the true x, in pixels, centred on it: 0 for one line, −6, 0, 6 for three. */
function dodgeOffsets(lines: number): number[] {
  return Array.from({ length: lines }, (_, i) => (i - (lines - 1) / 2) * DODGE);
}

/**
 * Moves each shown line's points (and so its line, its bars and where its tooltip points) by its
 * offset, after chart.js has placed them at their values; a line hidden from the legend takes no
 * place, so the shown ones stay centred. Runs after every update (a resize, a legend click), each
 * of which places the points afresh.
 */
const dodge: Plugin<'line'> = {
  id: 'aisleStudyDodge',
  afterDatasetsUpdate(chart) {
    const shown = chart.data.datasets.map((_, d) => d).filter((d) => chart.isDatasetVisible(d));
    const offsets = dodgeOffsets(shown.length);
    shown.forEach((d, i) => {
      for (const element of chart.getDatasetMeta(d).data) element.x += offsets[i]!;
    });
  },
};

/** The lines' colour: the palette by line, not by group (a line is a value of the series setting). */
export function studyLineColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Each point's interval as a vertical bar with caps, in its line's colour, over the lines. */
const errorBars: Plugin<'line'> = {
  id: 'aisleErrorBars',
  afterDatasetsDraw(chart) {
    const y = chart.scales.y;
    if (!y) return;
    const ctx = chart.ctx;
    let bars = 0;
    ctx.save();
    ctx.lineWidth = 1.4;
    chart.data.datasets.forEach((dataset, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      ctx.strokeStyle = String(dataset.borderColor);
      meta.data.forEach((element, i) => {
        const datum = dataset.data[i] as unknown as StudyDatum;
        if (datum.lo === null || datum.hi === null) return;
        const [top, bottom] = [y.getPixelForValue(datum.hi), y.getPixelForValue(datum.lo)];
        ctx.beginPath();
        ctx.moveTo(element.x, top);
        ctx.lineTo(element.x, bottom);
        ctx.moveTo(element.x - CAP, top);
        ctx.lineTo(element.x + CAP, top);
        ctx.moveTo(element.x - CAP, bottom);
        ctx.lineTo(element.x + CAP, bottom);
        ctx.stroke();
        bars++;
      });
    });
    ctx.restore();
    chart.canvas.dataset.bars = String(bars);
  },
};

const drawn: Plugin<'line'> = {
  id: 'aisleStudyDrawn',
  afterRender(chart) {
    const el = chart.canvas;
    const x = chart.scales.x;
    el.dataset.xScale = x?.type ?? '';
    el.dataset.points = JSON.stringify(
      chart.data.datasets.flatMap((dataset, d) => {
        const elements = chart.getDatasetMeta(d).data;
        return (dataset.data as unknown as StudyDatum[]).map((p, i) => ({
          line: dataset.label,
          x: p.x,
          y: p.y,
          lo: p.lo,
          hi: p.hi,
          px: elements[i]?.x ?? null,
          tx: x ? x.getPixelForValue(p.x) : null,
          style: (elements[i]?.options as { pointStyle?: unknown } | undefined)?.pointStyle ?? null,
        }));
      }),
    );
    el.dataset.hidden = hiddenCurves(chart, PLAIN_CURVES)
      .map((d) => d.label ?? '')
      .join(';');
    el.dataset.tickColor = String(chart.options.scales?.x?.ticks?.color);
    el.dataset.drawn = String(Number(el.dataset.drawn ?? '0') + 1);
  },
};

/** The x axis's ends: the swept values with a little room either side (a point on the plot's edge loses half its bar's cap). */
function xRange(values: readonly number[], log: boolean): { min: number; max: number } {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  if (log) {
    const room = (high / low) ** 0.05;
    return { min: low / room, max: high * room };
  }
  const room = (high - low) * 0.05 || Math.abs(low) * 0.05 || 1;
  return { min: low - room, max: high + room };
}

/** What a screen reader says for the canvas; the numbers are in the table under it. */
function describe(study: ParameterStudy, metric: string): string {
  const lines = study.series !== undefined ? `, a line per ${settingName(study.series)}: ${study.lines.map((l) => l.label).join(', ')}` : '';
  return `Parameter study: mean final ${metric} with 95 % t intervals by ${studyAxisTitle(study)}${lines}. The table of the points follows the chart.`;
}

/**
 * `joined` false draws the points alone (a search's slice: its groups are not a curve); `best`, a
 * group's index, draws that group's point as a larger diamond; `valueTicks` false leaves the ticks
 * to chart.js (a search's sampled values, 0.0123 and 0.0131, would crowd a tick each).
 */
export function ParameterStudyChart({
  study,
  texts,
  metric,
  height = 300,
  joined = true,
  best,
  valueTicks = true,
  testId = 'parameter-study-canvas',
}: {
  study: ParameterStudy;
  texts: readonly StudyPointText[];
  metric: string;
  height?: number;
  joined?: boolean;
  best?: number;
  valueTicks?: boolean;
  /** The canvas's and its legend's test id: the slice study's panels have their own. */
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', StudyDatum[]> | null>(null);
  const theme = useChartTheme();
  // The ticks sit at the swept values, read at each layout from here.
  const ticks = useRef<readonly number[]>([]);
  ticks.current = [...new Set(study.points.map((p) => p.x))];
  const atValues = useRef(valueTicks);
  atValues.current = valueTicks;
  // The tooltip's title names the x setting as it is now (the user can swap it without a new chart).
  const xName = useRef('');
  xName.current = settingName(study.x);
  const log = study.logScale;
  // The legend's buttons, and the lines kept hidden across refreshes and new charts (chart-legend.tsx).
  const curves = useCurveLegend(PLAIN_CURVES);

  useEffect(() => {
    chart.current = new Chart<'line', StudyDatum[]>(canvas.current!, {
      type: 'line',
      data: { datasets: [] },
      plugins: [dodge, errorBars, drawn, curves.plugin],
      options: {
        animation: false,
        parsing: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: log ? 'logarithmic' : 'linear',
            title: { display: true, color: theme.text },
            afterBuildTicks: (scale) => {
              if (atValues.current) scale.ticks = ticks.current.map((value) => ({ value }));
              else if (scale.type === 'logarithmic') {
                // chart.js puts a log tick at every 1 … 9 of a decade, and 0.007 runs into 0.01: keep the 1s and 3s.
                const mantissa = (value: number) => value / 10 ** Math.floor(Math.log10(value) + 1e-9);
                const kept = scale.ticks.filter(({ value }) => [1, 3].some((m) => Math.abs(mantissa(value) - m) < 1e-6));
                if (kept.length >= 2) scale.ticks = kept;
              }
            },
            // chart.js's own ticks are sums of steps (0.30000000000000004): three significant figures read them.
            ticks: { maxRotation: 0, autoSkipPadding: 12, color: theme.text, callback: (value) => settingValueText(atValues.current ? Number(value) : Number(Number(value).toPrecision(3))) },
            grid: { color: theme.grid },
            border: { color: theme.grid },
          },
          y: {
            type: 'linear',
            title: { display: true, text: `mean final ${metric}`, color: theme.text },
            ticks: { color: theme.text },
            grid: { color: theme.grid },
            border: { color: theme.grid },
          },
        },
        plugins: {
          legend: {
            labels: { color: theme.text },
            // Chart.js's own click, but through the buttons' code, so a line hidden here stays hidden as theirs do.
            onClick: (_event, item, legend) => {
              if (item.datasetIndex !== undefined) toggleCurve(legend.chart, item.datasetIndex, PLAIN_CURVES);
            },
          },
          tooltip: {
            backgroundColor: theme.tooltipBackground,
            titleColor: theme.tooltipText,
            bodyColor: theme.tooltipText,
            borderColor: theme.tooltipBorder,
            borderWidth: 1,
            callbacks: {
              title: (items) => (items[0] ? `${xName.current} = ${settingValueText((items[0].raw as StudyDatum).x)}` : ''),
              label: (item) => `${item.dataset.label}: ${(item.raw as StudyDatum).text}`,
            },
          },
        },
      },
    });
    return () => {
      // The chart made next (another theme, scale or metric) keeps these lines hidden.
      if (chart.current) curves.keep(chart.current);
      chart.current?.destroy();
      chart.current = null;
    };
  }, [log, metric, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const byGroup = new Map(texts.map((t) => [t.point.group, t]));
    const datasets = study.lines.map((line, i) => {
      const color = studyLineColor(i);
      return {
        label: line.label,
        data: line.points.map((p) => {
          const text = byGroup.get(p.group);
          return { x: p.x, y: p.mean, lo: p.lo, hi: p.hi, text: text ? pointText(text.mean, text.interval, p.n) : '' };
        }),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.6,
        showLine: joined,
        pointRadius: line.points.map((p) => (p.group === best ? 7 : 3.5)),
        pointStyle: line.points.map((p) => (p.group === best ? 'rectRot' : 'circle')),
        fill: false,
      };
    });
    curves.replace(c, datasets);
    const x = c.options.scales!.x!;
    const range = xRange(ticks.current, log);
    // Ticks at the values take the exact ends; chart.js's own round ticks need room to round the
    // ends outward (a set end would be a tick of its own: 0.017499999…).
    if (valueTicks) Object.assign(x, range, { suggestedMin: undefined, suggestedMax: undefined });
    else Object.assign(x, { min: undefined, max: undefined, suggestedMin: range.min, suggestedMax: range.max });
    x.title!.text = studyAxisTitle(study);
    const y = c.options.scales!.y!;
    // The bars decide the y range as much as the means do: chart.js fits the means alone.
    const ends = study.points.flatMap((p) => [p.mean, p.lo ?? p.mean, p.hi ?? p.mean]).filter(Number.isFinite);
    y.suggestedMin = ends.length > 0 ? Math.min(...ends) : undefined;
    y.suggestedMax = ends.length > 0 ? Math.max(...ends) : undefined;
    c.options.plugins!.legend!.display = study.series !== undefined;
    c.update('none');
  }, [study, texts, log, metric, theme, joined, best, valueTicks]);

  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} data-testid={testId} data-joined={joined} role="img" aria-label={describe(study, metric)} />
      <ChartLegend entries={curves.entries} onToggle={(i) => curves.toggle(chart.current, i)} testId={testId} />
    </div>
  );
}
