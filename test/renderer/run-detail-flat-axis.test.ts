// Run detail's chart of a metric that is constant over a run (the shop-fatigue myopic oracle's
// diversity, 0 with slates of one category; its coverage) drew its y axis from −1 to 1, chart.js's
// value ± 1, though the metric is a share in [0, 1]. Its charts now carry the metric's range from
// runs.get (RunDetail.metricRanges) to LineChart's yBounds, as Compare does: a flat 0 lies on an
// axis of 0 to 1, ticked 0 and 1, its line drawn whole on the bottom edge. Through the service (a
// real shop run), LearningCurves rendered with LineChart's props taken, and a real chart.js chart on
// a stand-in canvas drawn from them as LineChart draws it.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import type { RunDetail, Series } from '../../src/shared/dto';
import type { Curve, CurveSnapshotState } from '../../src/renderer/src/curve-snapshot';
import type { LineChartProps } from '../../src/renderer/src/components/line-chart';
import { lineDatasets } from '../../src/renderer/src/components/line-chart';
import { LearningCurves } from '../../src/renderer/src/components/run-charts';
import { flatAxisEnds } from '../../src/renderer/src/components/y-range';
import { constantTicks, yTickOptions } from '../../src/renderer/src/components/y-ticks';
import { cliff, openService, type TestService } from '../helpers/service';
import { recordingCanvas } from './recording-canvas';

/** Each LineChart's props as LearningCurves renders them, by its yLabel (the metric). */
const drawn = new Map<string, LineChartProps>();
vi.mock('../../src/renderer/src/components/line-chart', async (original) => {
  const actual = await original<typeof import('../../src/renderer/src/components/line-chart')>();
  return {
    ...actual,
    LineChart: (props: LineChartProps) => {
      drawn.set(props.yLabel ?? '', props);
      return null;
    },
  };
});

Chart.register(LineController, LineElement, PointElement, LinearScale);
const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

/** The shop of the shop-fatigue presets, with the myopic oracle: one category per slate, so diversity is 0 at every session. */
const fatigueOracle = {
  format: 'aisle.experiment/v1',
  name: 'fatigue oracle',
  env: { id: 'shop', exact: true, actionLevel: 'category', ranking: 'quality', slateSize: 2, fatigueLoss: 0.3, fatigueIncrement: 0.5, fatigueDecay: 0.6, fatigueWeight: 0.5, maxSteps: 20 },
  agent: { id: 'myopic-oracle' },
  episodes: 60,
  seeds: 1,
};

/** LineChart's props for each of the run's charts, its curves read whole as the snapshot reads a stopped run's. */
async function renderedCharts(t: TestService, run: RunDetail): Promise<Map<string, LineChartProps>> {
  const curves = new Map<string, Curve>();
  for (const metric of run.metrics) {
    const [series] = await t.call('runs.metrics', { runIds: [run.id], metric, maxPoints: 2000 });
    curves.set(metric, { series: series as Series, loading: false });
  }
  const snapshot: CurveSnapshotState = { episodes: null, curves, all: new Set(), advance: () => {}, setVisible: () => {}, setAll: () => {} };
  drawn.clear();
  renderToStaticMarkup(createElement(LearningCurves, { run, active: false, query: new URLSearchParams(), smoothing: { weight: 0, auto: false, set: () => {}, setAuto: () => {} }, curves: snapshot }));
  return new Map(drawn);
}

/** Draws a chart from LineChart's props as LineChart sets it up (its y axis's ends, flat ends, clip and ticks), 640 × its height. */
function draw(props: LineChartProps) {
  const ends = props.yMin === undefined && props.yMax === undefined ? flatAxisEnds(props.series, props.yBounds) : undefined;
  const { canvas, strokes } = recordingCanvas(640, props.height ?? 280);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(props.series, '#ffffff', ends !== undefined) },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      scales: {
        x: { type: 'linear', min: props.xMin, max: props.xMax },
        y: {
          type: 'linear',
          min: props.yMin ?? ends?.min,
          max: props.yMax ?? ends?.max,
          afterBuildTicks: (scale) => {
            if (props.yConstant !== undefined) scale.ticks = constantTicks(props.yConstant, ends, props.yBounds).map((value) => ({ value }));
          },
          ticks: yTickOptions(() => props.yConstant),
        },
      },
      plugins: { legend: { display: false } },
    },
  });
  charts.push(chart);
  const y = chart.scales.y!;
  const colors = new Set(props.series.map((s) => s.color));
  return { min: y.min, max: y.max, ticks: y.ticks.map((tick) => tick.value), lines: strokes.filter((s) => colors.has(s.color)), area: chart.chartArea };
}

describe("Run detail's chart of a metric of one value, within the metric's range", () => {
  let t: TestService;
  let shop: RunDetail;
  let cliffRun: RunDetail;

  beforeAll(async () => {
    t = openService({ workers: 1 });
    const a = await t.call('experiments.launch', { experiment: fatigueOracle });
    const b = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 50 }) });
    await t.until([a.runIds[0]!, b.runIds[0]!], ['completed']);
    shop = await t.call('runs.get', { id: a.runIds[0]! });
    cliffRun = await t.call('runs.get', { id: b.runIds[0]! });
  });

  afterAll(async () => {
    await t.close();
  });

  it("gets each metric's range with the run: the shop's shares in [0, 1], its sums never below 0; none for a return or an MDP's metrics", () => {
    expect(shop.metricRanges.diversity).toEqual({ min: 0, max: 1 });
    expect(shop.metricRanges.coverage).toEqual({ min: 0, max: 1 });
    expect(shop.metricRanges.revenue).toEqual({ min: 0 });
    expect(Object.hasOwn(shop.metricRanges, 'return')).toBe(false);
    expect(cliffRun.metricRanges).toEqual({});
  });

  it('draws a diversity of 0 on an axis of 0 to 1, ticked 0 and 1, its line whole on the bottom edge', async () => {
    const props = await renderedCharts(t, shop);
    const diversity = props.get('diversity')!;
    expect(diversity.yConstant).toBe(0);
    const { min, max, ticks, lines, area } = draw(diversity);
    // chart.js's own axis for a flat 0 runs from −1 to 1, the line in its middle.
    expect([min, max]).toEqual([0, 1]);
    expect(diversity.yBounds).toEqual({ min: 0, max: 1 });
    expect(ticks).toEqual([0, 1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.points.length).toBeGreaterThan(1);
    for (const [, y] of lines[0]!.points) {
      expect(y).toBeCloseTo(area.bottom, 6);
      expect(y + lines[0]!.width / 2, 'the bottom of the line against its clip').toBeLessThanOrEqual(lines[0]!.clip.bottom + 1e-9);
    }
  });

  it("keeps the charts of metrics without a range, or that vary, as they were: chart.js's axis", async () => {
    const props = await renderedCharts(t, shop);
    // The oracle's return varies from session to session: its axis is fitted, not bounded.
    const ret = props.get('return')!;
    expect(ret.yBounds).toBeUndefined();
    expect(ret.yConstant).toBeUndefined();
    // A varying share (the oracle's ctr) has its range, but is no flat chart: chart.js fits its axis.
    const ctr = props.get('ctr')!;
    expect(ctr.yConstant).toBeUndefined();
    expect(flatAxisEnds(ctr.series, ctr.yBounds)).toBeUndefined();
    // A cliff run's constant metric, if any, has no range: chart.js's value ± 1, one tick.
    const cliffCharts = await renderedCharts(t, cliffRun);
    for (const p of cliffCharts.values()) expect(p.yBounds).toBeUndefined();
  });
});
