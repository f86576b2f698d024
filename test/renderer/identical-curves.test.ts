// Compare's groups with identical curves (every group at a diversity of 0) lay on one another, and
// only the line drawn last showed. Their lines are now drawn in alternating dashes, so each colour
// shows along the line, and the chart names them. Drawn by a real chart.js chart on a stand-in
// canvas: what each colour paints along the line is read from the strokes it records.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { lineDatasets, seriesDash, type ChartSeries } from '../../src/renderer/src/components/line-chart';
import { identicalCurves, identicalCurvesText, SHARED_DASH, sharedDash, withSharedLines } from '../../src/renderer/src/components/identical-curves';
import { flatAxisEnds } from '../../src/renderer/src/components/y-range';
import { dashPaints, recordingCanvas } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f'];
const xs = Array.from({ length: 200 }, (_, i) => i * 10);
const curve = (i: number, y: (x: number) => number): ChartSeries => ({ label: `group ${i}`, x: xs, y: xs.map(y), color: COLORS[i]!, dash: seriesDash(i) });

/** How many of the sampled points along the chart's lines each colour paints on top, as Compare's chart draws `series` (on its axis, flat or not). */
function visible(series: ChartSeries[]): Map<string, number> {
  const { canvas, strokes } = recordingCanvas(640, 320);
  const ends = flatAxisEnds(series, { min: 0, max: 1 });
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff', ends !== undefined) },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      scales: { x: { type: 'linear', min: 0 }, y: { type: 'linear', min: ends?.min, max: ends?.max } },
      plugins: { legend: { display: false } },
    },
  });
  charts.push(chart);
  const lines = strokes.filter((s) => COLORS.includes(s.color));
  expect(lines).toHaveLength(series.length);
  // Every line runs along the same flat path here: a point s px along it is painted by the last stroke whose dash is on there.
  const start = lines[0]!.points[0]![0];
  const end = lines[0]!.points[lines[0]!.points.length - 1]![0];
  const painted = new Map<string, number>(series.map((s) => [s.color!, 0]));
  for (let s = 0; s < end - start; s += 0.5) {
    const top = lines.findLast((l) => dashPaints(l, s));
    if (top) painted.set(top.color, painted.get(top.color)! + 1);
  }
  return painted;
}

describe('identical curves', () => {
  it('are found by their points, exactly: equal x and y; a curve a hair apart, or on other episodes, is another', () => {
    const flat = [0, 1, 2, 3].map((i) => curve(i, () => 0));
    expect(identicalCurves(flat)).toEqual([[0, 1, 2, 3]]);
    const mixed = [curve(0, () => 0), curve(1, (x) => x), curve(2, () => 0), curve(3, (x) => x), curve(4, () => 1e-12)];
    expect(identicalCurves(mixed)).toEqual([
      [0, 2],
      [1, 3],
    ]);
    expect(identicalCurves([curve(0, () => 0), { ...curve(1, () => 0), x: xs.map((x) => x + 1) }])).toEqual([]);
    expect(identicalCurves([curve(0, (x) => x), curve(1, (x) => x + 1)])).toEqual([]);
  });

  it("each paint their share of the line where they lie on one another, every colour seen (before: the top line's colour alone)", () => {
    for (const n of [2, 3, 5]) {
      const { series } = withSharedLines(Array.from({ length: n }, (_, i) => curve(i, () => 0)));
      const painted = visible(series);
      const total = [...painted.values()].reduce((a, b) => a + b, 0);
      for (const [color, count] of painted) {
        expect(count, `${color} of ${n}: ${[...painted.values()].join(', ')}`).toBeGreaterThan(0);
        expect(count / total, `${color}'s share of ${n}`).toBeCloseTo(1 / n, 1);
      }
    }
  });

  it('draw their dashes in turn, together the whole line, one colour at a time', () => {
    for (const n of [2, 3, 4, 7]) {
      const dashes = Array.from({ length: n }, (_, p) => sharedDash(p, n));
      for (let s = 0; s < 4 * n * SHARED_DASH; s += 0.25) {
        expect(dashes.filter((d) => dashPaints(d, s)).length, `${n} lines at ${s} px`).toBe(1);
      }
    }
  });

  it("leave other groups' lines as they were", () => {
    const groups = [curve(0, (x) => x), curve(1, () => 0), curve(2, (x) => 2 * x), curve(3, () => 0)];
    const { series, coincident } = withSharedLines(groups);
    expect(coincident).toEqual([{ members: [1, 3], apart: 0 }]);
    expect(series[0]).toBe(groups[0]);
    expect(series[2]).toBe(groups[2]);
    expect([series[1]!.dash, series[3]!.dash]).toEqual([
      [SHARED_DASH, SHARED_DASH],
      [SHARED_DASH, SHARED_DASH],
    ]);
    const painted = visible([curve(0, () => 0), curve(1, () => 0)]);
    // Without the shared dashes, the two lines on one another show one colour: what the user saw.
    expect([...painted.values()].filter((n) => n > 0)).toHaveLength(1);
  });

  it('are named under the chart', () => {
    const names = ['a (5 seeds)', 'b (5 seeds)', 'c (5 seeds)', 'd (5 seeds)'];
    expect(identicalCurvesText([], names)).toBeUndefined();
    expect(identicalCurvesText([{ members: [0, 1], apart: 0 }], names.slice(0, 2))).toBe(
      'Both groups have identical curves: their lines lie on one another, drawn in alternating dashes of their colours.',
    );
    expect(identicalCurvesText([{ members: [0, 1, 2, 3], apart: 0 }], names)).toMatch(/^All 4 groups have identical curves: /);
    expect(identicalCurvesText([{ members: [0, 2], apart: 0 }], names)).toBe(
      '2 groups have identical curves (their lines lie on one another, drawn in alternating dashes of their colours): a (5 seeds) and c (5 seeds).',
    );
    const many = Array.from({ length: 9 }, (_, i) => `g${i}`);
    expect(identicalCurvesText([{ members: [0, 1, 2, 3, 4, 5, 6, 7], apart: 0 }], many)).toMatch(/: g0, g1, g2, g3, g4, g5 and 2 more\.$/);
  });
});
