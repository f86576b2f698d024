// A group taken off Compare's chart from its legend takes its band, and its stretches drawn again
// in turn with other groups, with it. Chart.js's own legend click hid the line alone, and the
// group's shaded band stayed drawn over the others with no line (seen on cliff q-learning against
// SARSA: the q-learning band, a pale blue sheet, with the SARSA line alone in it), and its stretches
// beyond a focused y axis stay marked on the axis's edge (a thick bar across the whole plot once
// every group was hidden).
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, Filler, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { toggleCurve } from '../../src/renderer/src/components/chart-legend';
import { LINE_CURVES, lineDatasets, shownStretches, type ChartSeries } from '../../src/renderer/src/components/line-chart';
import { clippedStretches } from '../../src/renderer/src/components/y-range';
import { recordingCanvas } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

const xs = Array.from({ length: 50 }, (_, i) => i);
const group = (label: string, level: number, overlays?: ChartSeries['overlays']): ChartSeries => ({
  label,
  x: xs,
  y: xs.map((x) => level + Math.sin(x)),
  lo: xs.map((x) => level - 1 + Math.sin(x)),
  hi: xs.map((x) => level + 1 + Math.sin(x)),
  ...(overlays ? { overlays } : {}),
});

type LineChartJs = Chart<'line', { x: number; y: number }[]>;

function chartOf(series: ChartSeries[]): LineChartJs {
  const { canvas } = recordingCanvas(640, 320);
  const chart: LineChartJs = new Chart<'line', { x: number; y: number }[]>(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff') },
    options: { animation: false, responsive: false, parsing: false, scales: { x: { type: 'linear' }, y: { type: 'linear' } } },
  });
  charts.push(chart);
  return chart;
}

/** The labels of the datasets drawn. */
const shown = (chart: LineChartJs) => chart.data.datasets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [d.label] : []));

describe('toggleCurve (a legend item clicked)', () => {
  it('hides a group’s line with its band and its shared stretches, and shows them again, leaving the other group as it was', () => {
    const chart = chartOf([group('a', 0, [{ from: 10, to: 20, dash: [6, 6], dashOffset: 0 }]), group('b', 5)]);
    const all = ['a (band low)', 'a (band)', 'a', 'b (band low)', 'b (band)', 'b', 'a (shared)'];
    expect(chart.data.datasets.map((d) => d.label)).toEqual(all);
    toggleCurve(chart, 2, LINE_CURVES);
    expect(shown(chart)).toEqual(['b (band low)', 'b (band)', 'b']);
    toggleCurve(chart, 2, LINE_CURVES);
    expect(shown(chart)).toEqual(all);
    toggleCurve(chart, 5, LINE_CURVES);
    expect(shown(chart)).toEqual(['a (band low)', 'a (band)', 'a', 'a (shared)']);
  });

  it('leaves a hidden line’s stretches beyond the axis unmarked on its edge', () => {
    const series = [group('a', 0), group('b', 5)];
    const chart = chartOf(series);
    // An axis from 0.5 up: a's curve (about −1 to 1) dips below it, b's (4 to 6) stays inside.
    const marks = clippedStretches(series, 0.5, undefined);
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks.map((m) => m.series))).toEqual(new Set([0]));
    expect(shownStretches(chart, marks)).toEqual(marks);
    toggleCurve(chart, 2, LINE_CURVES);
    expect(shownStretches(chart, marks)).toEqual([]);
    toggleCurve(chart, 2, LINE_CURVES);
    expect(shownStretches(chart, marks)).toEqual(marks);
  });
});
