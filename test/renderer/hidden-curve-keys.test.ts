// A curve hidden from a chart's legend was kept hidden across a refresh by its label, and some
// labels move while runs train: Run detail's smoothed line names its automatic weight, which
// follows the run's points (return (smoothed 0.93), then 0.94), and a Compare group's label counts
// its partial runs (a run finishing takes ", 1 partial" off). Each such curve came back with the
// next refresh. They are now known by a key that does not move (ChartSeries.key): the metric's
// smoothed line, the group's key.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, Filler, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { replaceCurves, toggleCurve } from '../../src/renderer/src/components/chart-legend';
import { LINE_CURVES, lineDatasets, type ChartSeries } from '../../src/renderer/src/components/line-chart';
import { metricSeries } from '../../src/renderer/src/components/metric-chart';
import { groupSeries } from '../../src/renderer/src/screens/compare';
import type { CompareGroup, Series } from '../../src/shared/dto';
import { recordingCanvas } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

type LineChartJs = Chart<'line', { x: number; y: number }[]>;

function chartOf(series: readonly ChartSeries[]): LineChartJs {
  const chart: LineChartJs = new Chart<'line', { x: number; y: number }[]>(recordingCanvas(640, 320).canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff') },
    options: { animation: false, responsive: false, parsing: false, scales: { x: { type: 'linear' }, y: { type: 'linear' } } },
  });
  charts.push(chart);
  return chart;
}

/** Hides the curve labelled `label`, then hands the chart `next` as LineChart does on a refresh: the labels of the curves hidden after it. */
function hiddenAfterRefresh(chart: LineChartJs, label: string, next: readonly ChartSeries[]): string[] {
  const index = chart.data.datasets.findIndex((d) => d.label === label);
  expect(index).toBeGreaterThanOrEqual(0);
  toggleCurve(chart, index, LINE_CURVES);
  replaceCurves(chart, lineDatasets(next, '#ffffff'), LINE_CURVES);
  chart.update();
  return chart.data.datasets.flatMap((d, i) => (LINE_CURVES.isLine(d) && !chart.isDatasetVisible(i) ? [d.label ?? ''] : []));
}

describe('a hidden curve whose label moves while runs train', () => {
  it('stays hidden on Run detail as the automatic smoothing weight in its label follows the run’s points', () => {
    const series = (episodes: number): Series => {
      const x = Array.from({ length: episodes }, (_, i) => i);
      return { runId: 1, metric: 'rollout/return', total: episodes, values: episodes, downsampled: false, x, mean: x.map((i) => Math.sin(i)), min: x.map((i) => Math.sin(i)), max: x.map((i) => Math.sin(i)) };
    };
    const options = (smoothing: number) => ({ band: false, smoothing, color: '#4e79a7', constant: undefined });
    const chart = chartOf(metricSeries(series(1400), 'rollout/return', options(0.93)));
    expect(hiddenAfterRefresh(chart, 'rollout/return (smoothed 0.93)', metricSeries(series(1700), 'rollout/return', options(0.94)))).toEqual(['rollout/return (smoothed 0.94)']);
  });

  it('stays hidden on Compare when a group’s partial run finishes (its label loses “1 partial”)', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const group = (key: string, label: string, partial: number): CompareGroup =>
      ({ key, label, runIds: [1, 2], partial: Array.from({ length: partial }, () => ({})), x, mean: x.map((i) => i), lo: x.map(() => null), hi: x.map(() => null), runValues: [x, x] }) as unknown as CompareGroup;
    const result = (partial: number) => ({ groups: [group('g1', 'cliff q-learning', partial), group('g2', 'cliff sarsa', 0)], band: 'ci95' as const, metricRange: undefined });
    const chart = chartOf(groupSeries(result(1), 0));
    expect(hiddenAfterRefresh(chart, 'cliff q-learning (2 seeds, 1 partial)', groupSeries(result(0), 0))).toEqual(['cliff q-learning (2 seeds)']);
  });
});
