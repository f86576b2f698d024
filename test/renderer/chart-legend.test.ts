// The line charts' legend (Compare's groups, Run detail's curves) was drawn by chart.js into the
// canvas alone: a curve was hidden or shown again by a click there only, no key reached it, and a
// screen reader could not tell which curves were hidden (today's accessibility audit). Each curve
// now has a toggle button (chart-legend.tsx), named by its label, aria-pressed while shown, read
// from the chart after every draw: on a real chart.js chart, a click on the canvas legend (what its
// onClick does: toggleCurve) presses or releases the button, and the button hides the curve the
// same way, its band with it.
import { createElement, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, Filler, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { ChartLegend, curveLegendTools, hiddenKeys, legendMirror, PLAIN_CURVES, replaceCurves, toggleCurve, type LegendEntry } from '../../src/renderer/src/components/chart-legend';
import { LINE_CURVES, lineDatasets, type ChartSeries } from '../../src/renderer/src/components/line-chart';
import { recordingCanvas } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

const xs = Array.from({ length: 30 }, (_, i) => i);
const group = (label: string, level: number, extra: Partial<ChartSeries> = {}): ChartSeries => ({
  label,
  x: xs,
  y: xs.map((x) => level + Math.sin(x)),
  lo: xs.map((x) => level - 1 + Math.sin(x)),
  hi: xs.map((x) => level + 1 + Math.sin(x)),
  ...extra,
});

type LineChartJs = Chart<'line', { x: number; y: number }[]>;

/** A chart drawn as LineChart draws it, with the legend's buttons' entries as its last draw reported them. */
function chartOf(series: ChartSeries[], legend = true): { chart: LineChartJs; entries: () => LegendEntry[] } {
  const { canvas } = recordingCanvas(640, 320);
  let last: LegendEntry[] = [];
  const chart: LineChartJs = new Chart<'line', { x: number; y: number }[]>(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff') },
    plugins: [legendMirror({ current: (e) => void (last = e) }, LINE_CURVES.isLine)],
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      scales: { x: { type: 'linear' }, y: { type: 'linear' } },
      plugins: { legend: { display: legend } },
    },
  });
  charts.push(chart);
  return { chart, entries: () => last };
}

/** The buttons' markup as a screen reader gets it: each one's name and aria-pressed. */
function buttons(entries: readonly LegendEntry[]): { name: string; pressed: string }[] {
  const html = renderToStaticMarkup(createElement(ChartLegend, { entries, onToggle: () => {} }));
  return [...html.matchAll(/<button type="button" aria-pressed="(true|false)">(.*?)<\/button>/g)].map((m) => ({
    pressed: m[1]!,
    name: m[2]!.replace(/<[^>]*>/g, '').trim(),
  }));
}

/** The buttons' elements, to press them as a click (or Space, on a real button) does. */
function buttonElements(node: ReactNode): ReactElement<{ onClick?: () => void; children?: ReactNode }>[] {
  if (Array.isArray(node)) return node.flatMap(buttonElements);
  if (!isValidElement<{ children?: ReactNode; onClick?: () => void }>(node)) return [];
  return node.type === 'button' ? [node] : buttonElements(node.props.children);
}

describe('the chart legend’s buttons', () => {
  it('name each curve the canvas legend lists, with aria-pressed while it is shown, in step with a click on the canvas legend', () => {
    const { chart, entries } = chartOf([group('cliff q-learning', 0), group('cliff sarsa', 5, { dash: [6, 3] })]);
    // Bands' edges are no curves of their own: two buttons, one a group.
    expect(buttons(entries())).toEqual([
      { name: 'cliff q-learning', pressed: 'true' },
      { name: 'cliff sarsa', pressed: 'true' },
    ]);
    expect(entries().map((e) => e.dash)).toEqual([[], [6, 3]]);
    const sarsa = entries()[1]!.index;
    // The canvas legend's click (LineChart's onClick calls toggleCurve): the chart draws again, and its button is released.
    toggleCurve(chart, sarsa, LINE_CURVES);
    expect(buttons(entries())).toEqual([
      { name: 'cliff q-learning', pressed: 'true' },
      { name: 'cliff sarsa', pressed: 'false' },
    ]);
    toggleCurve(chart, sarsa, LINE_CURVES);
    expect(buttons(entries()).map((b) => b.pressed)).toEqual(['true', 'true']);
  });

  it('hide a curve with its band from the keyboard as the canvas legend does, and show it again', () => {
    const { chart, entries } = chartOf([group('a', 0), group('b', 5)]);
    const press = (i: number) => buttonElements(ChartLegend({ entries: entries(), onToggle: (index) => toggleCurve(chart, index, LINE_CURVES) }))[i]!.props.onClick!();
    const shown = () => chart.data.datasets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [d.label] : []));
    press(0);
    expect(shown()).toEqual(['b (band low)', 'b (band)', 'b']);
    expect(buttons(entries()).map((b) => b.pressed)).toEqual(['false', 'true']);
    press(0);
    expect(shown()).toEqual(['a (band low)', 'a (band)', 'a', 'b (band low)', 'b (band)', 'b']);
    expect(buttons(entries()).map((b) => b.pressed)).toEqual(['true', 'true']);
  });

  it('keep a hidden curve hidden, its band with it, when the chart gets its series again (a refresh while runs train)', () => {
    const { chart, entries } = chartOf([group('a', 0), group('b', 5)]);
    toggleCurve(chart, entries()[0]!.index, LINE_CURVES);
    // The same groups, a few episodes further: new datasets, as LineChart builds them for new series.
    const longer = Array.from({ length: 40 }, (_, i) => i);
    const again = (label: string, level: number): ChartSeries => ({ ...group(label, level), x: longer, y: longer.map((x) => level + Math.sin(x)), lo: longer.map(() => level - 1), hi: longer.map(() => level + 1) });
    replaceCurves(chart, lineDatasets([again('a', 0), again('b', 5)], '#ffffff'), LINE_CURVES);
    chart.update();
    expect(chart.data.datasets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [d.label] : []))).toEqual(['b (band low)', 'b (band)', 'b']);
    expect(buttons(entries()).map((b) => b.pressed)).toEqual(['false', 'true']);
  });

  it('keep a hidden curve hidden on the chart made anew in its place (a theme switched: LineChart builds a new chart.js chart)', () => {
    const before = chartOf([group('a', 0), group('b', 5)]);
    toggleCurve(before.chart, before.entries()[1]!.index, LINE_CURVES);
    const hidden = hiddenKeys(before.chart, LINE_CURVES);
    expect(hidden).toEqual(['b']);
    const after = chartOf([]);
    replaceCurves(after.chart, lineDatasets([group('a', 0), group('b', 5)], '#000000'), LINE_CURVES, hidden);
    after.chart.update();
    expect(after.chart.data.datasets.flatMap((d, i) => (after.chart.isDatasetVisible(i) ? [d.label] : []))).toEqual(['a (band low)', 'a (band)', 'a']);
    expect(buttons(after.entries()).map((b) => b.pressed)).toEqual(['true', 'false']);
  });

  it('keep a curve hidden by its key where its label changes with a refresh (Run detail’s smoothed line as its automatic weight moves)', () => {
    const { chart } = chartOf([group('return', 0), { ...group('return (smoothed 0.93)', 0), key: 'return (smoothed)' }]);
    toggleCurve(chart, chart.data.datasets.findIndex((d) => d.label === 'return (smoothed 0.93)'), LINE_CURVES);
    replaceCurves(chart, lineDatasets([group('return', 0), { ...group('return (smoothed 0.94)', 0), key: 'return (smoothed)' }], '#ffffff'), LINE_CURVES);
    chart.update();
    expect(hiddenKeys(chart, LINE_CURVES)).toEqual(['return (smoothed)']);
    expect(chart.data.datasets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [] : [d.label]))).toEqual(['return (smoothed 0.94) (band low)', 'return (smoothed 0.94) (band)', 'return (smoothed 0.94)']);
  });

  it('name a curve by its whole label where the canvas legend shortens it', () => {
    const { entries } = chartOf([group('quickstart: cliff walking, the long name (alpha=0.1)', 0, { legend: 'quickstart: c… (alpha=0.1)' })]);
    expect(buttons(entries())).toEqual([{ name: 'quickstart: cliff walking, the long name (alpha=0.1)', pressed: 'true' }]);
  });

  it('are none while the chart shows no legend (a constant chart’s)', () => {
    const { entries } = chartOf([group('a', 0)], false);
    expect(entries()).toEqual([]);
    expect(renderToStaticMarkup(createElement(ChartLegend, { entries: entries(), onToggle: () => {} }))).toBe('');
  });
});

// The parameter study's chart (a line per value of the second setting, no bands) had chart.js's
// own legend alone: a line hidden there came back with every refresh of the data and with a theme
// switched, and no key reached it. It now goes through the same tools as LineChart (curveLegendTools,
// what useCurveLegend holds): its buttons, its click, what it keeps hidden.
describe('a chart of plain lines (the parameter study’s) through curveLegendTools', () => {
  type StudyChart = Chart<'line', { x: number; y: number }[]>;
  const lines = (...labels: string[]) => labels.map((label, i) => ({ label, data: xs.map((x) => ({ x, y: x * i })) }));
  function studyChart(tools: ReturnType<typeof curveLegendTools>): StudyChart {
    const chart: StudyChart = new Chart<'line', { x: number; y: number }[]>(recordingCanvas(640, 320).canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [tools.plugin],
      options: { animation: false, responsive: false, parsing: false, scales: { x: { type: 'linear' }, y: { type: 'linear' } } },
    });
    charts.push(chart);
    return chart;
  }
  const shown = (chart: StudyChart) => chart.data.datasets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [d.label] : []));

  it('list a button per line, hide one from its button, and keep it hidden across a refresh and on the chart made anew for another theme', () => {
    let entries: LegendEntry[] = [];
    const tools = curveLegendTools(PLAIN_CURVES, (e) => void (entries = e));
    const chart = studyChart(tools);
    tools.replace(chart, lines('epsilon=0.05', 'epsilon=0.1', 'epsilon=0.2'));
    chart.update();
    expect(buttons(entries)).toEqual([
      { name: 'epsilon=0.05', pressed: 'true' },
      { name: 'epsilon=0.1', pressed: 'true' },
      { name: 'epsilon=0.2', pressed: 'true' },
    ]);
    buttonElements(ChartLegend({ entries, onToggle: (i) => tools.toggle(chart, i) }))[1]!.props.onClick!();
    expect(shown(chart)).toEqual(['epsilon=0.05', 'epsilon=0.2']);
    // The study's next answer: new datasets for the same lines.
    tools.replace(chart, lines('epsilon=0.05', 'epsilon=0.1', 'epsilon=0.2'));
    chart.update();
    expect(shown(chart)).toEqual(['epsilon=0.05', 'epsilon=0.2']);
    expect(buttons(entries).map((b) => b.pressed)).toEqual(['true', 'false', 'true']);
    // A theme switched: the chart destroyed hands its hidden lines to the one made in its place.
    tools.keep(chart);
    const next = studyChart(tools);
    tools.replace(next, lines('epsilon=0.05', 'epsilon=0.1', 'epsilon=0.2'));
    next.update();
    expect(shown(next)).toEqual(['epsilon=0.05', 'epsilon=0.2']);
    expect(buttons(entries).map((b) => b.pressed)).toEqual(['true', 'false', 'true']);
    // Shown again from its button, it stays shown through the next refresh.
    tools.toggle(next, 1);
    tools.replace(next, lines('epsilon=0.05', 'epsilon=0.1', 'epsilon=0.2'));
    next.update();
    expect(shown(next)).toEqual(['epsilon=0.05', 'epsilon=0.1', 'epsilon=0.2']);
  });
});
