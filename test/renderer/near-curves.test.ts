// Compare's groups whose curves differ by less than the chart can draw (a hair apart on the axis
// shown) lay on one another as identical ones did, and only the line drawn last showed: the exact
// check (identical-curves.ts) let them through. Curves within NEAR_SHARE of the axis's span are now
// drawn in turns too, and the note says how close they are. Drawn by a real chart.js chart on a
// stand-in canvas: what each colour paints along the line is read from the strokes it records.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import type { ChartSeries } from '../../src/renderer/src/components/line-chart';
import { coincidenceTolerance, coincidentCurves, identicalCurvesText, NEAR_SHARE, withSharedLines } from '../../src/renderer/src/components/identical-curves';
import { dashPaints, drawnLines } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

const COLORS = ['#4e79a7', '#f28e2b', '#e15759'];
const xs = Array.from({ length: 200 }, (_, i) => i * 10 + 5);
/** A learning curve rising from 0 towards 1, as a return or a click rate does. */
const learning = (x: number) => 1 - Math.exp(-x / 400);
const curve = (i: number, y: (x: number) => number): ChartSeries => ({ label: `group ${i}`, x: xs, y: xs.map(y), color: COLORS[i]! });

/** How many of the sampled points along the path of `colors`' lines each paints on top, as Compare's chart draws `series` (axis fitted). */
function painted(series: readonly ChartSeries[], colors: readonly string[]): Map<string, number> {
  const { chart, strokes } = drawnLines(series);
  charts.push(chart);
  const lines = strokes.filter((s) => colors.includes(s.color));
  expect(lines).toHaveLength(colors.length);
  // The lines lie within a fraction of a pixel of one another: distance along the first one's path is distance along each.
  const path = lines[0]!.points;
  for (const l of lines) expect(Math.max(...l.points.map((p, k) => Math.abs(p[1] - path[k]![1])))).toBeLessThan(0.5);
  let length = 0;
  for (let k = 1; k < path.length; k++) length += Math.hypot(path[k]![0] - path[k - 1]![0], path[k]![1] - path[k - 1]![1]);
  const count = new Map<string, number>(colors.map((c) => [c, 0]));
  for (let s = 0; s < length; s += 0.5) {
    const top = lines.findLast((l) => dashPaints(l, s));
    if (top) count.set(top.color, count.get(top.color)! + 1);
  }
  return count;
}

describe('near-identical curves', () => {
  // Two agents that act alike up to float rounding, 1e-4 apart on an axis of 0 to 1 (0.02 px), beside one that learns slower.
  const groups = [curve(0, learning), curve(1, (x) => learning(x) + (x % 20 === 5 ? 1e-4 : 0)), curve(2, (x) => 0.8 * learning(x))];

  it('are found within a tolerance, with how far apart they are; further apart, or on other episodes, they are not', () => {
    expect(coincidentCurves(groups)).toEqual([]); // exactly: none, the old check
    expect(coincidentCurves(groups, 1e-3)).toEqual([{ members: [0, 1], apart: expect.closeTo(1e-4, 12) as number }]);
    expect(coincidentCurves(groups, 1e-5)).toEqual([]);
    expect(coincidentCurves([groups[0]!, { ...groups[1]!, x: xs.map((x) => x + 10) }], 1e-3)).toEqual([]);
    // A gap (NaN) matches only a gap.
    const gap = (c: ChartSeries): ChartSeries => ({ ...c, y: c.y.map((v, k) => (k === 7 ? Number.NaN : v)) });
    expect(coincidentCurves([gap(groups[0]!), gap(groups[1]!)], 1e-3)).toHaveLength(1);
    expect(coincidentCurves([gap(groups[0]!), groups[1]!], 1e-3)).toEqual([]);
  });

  it("are within the tolerance of NEAR_SHARE of the axis's span: the lines' and bands' extent, or the focused axis's ends", () => {
    const all = groups.flatMap((g) => g.y);
    expect(coincidenceTolerance(groups)).toBeCloseTo(NEAR_SHARE * (Math.max(...all) - Math.min(...all)), 12);
    const banded = { ...groups[2]!, lo: groups[2]!.y.map((v) => v - 0.5), hi: groups[2]!.y.map((v) => v + 1) };
    expect(coincidenceTolerance([groups[0]!, banded])).toBeCloseTo(NEAR_SHARE * (Math.max(...banded.hi) - Math.min(...banded.lo)), 12);
    expect(coincidenceTolerance(groups, { min: 0.7, max: 1 })).toBeCloseTo(NEAR_SHARE * 0.3, 12);
    expect(coincidenceTolerance(groups, { min: 0.7, max: undefined })).toBeCloseTo(NEAR_SHARE * (Math.max(...groups[1]!.y) - 0.7), 12);
    expect(coincidenceTolerance([curve(0, () => 0.2), curve(1, () => 0.2)])).toBe(0); // flat: identical only
  });

  it('each paint their share of the line, both colours seen (before: the top line alone)', () => {
    const near = [COLORS[0]!, COLORS[1]!];
    // What the user saw: the exact check leaves them solid, and the line drawn on top covers the other whole.
    const before = painted(withSharedLines(groups).series, near);
    expect([...before.values()].filter((n) => n > 0)).toHaveLength(1);
    const { series, coincident } = withSharedLines(groups, coincidenceTolerance(groups));
    expect(coincident.map((s) => s.members)).toEqual([[0, 1]]);
    expect(series[2]).toBe(groups[2]); // the slower group's line as it was
    const after = painted(series, near);
    const total = [...after.values()].reduce((a, b) => a + b, 0);
    for (const [color, n] of after) expect(n / total, `${color}: ${[...after.values()].join(', ')}`).toBeCloseTo(1 / 2, 1);
  });

  it('are named under the chart with how close they are', () => {
    const names = ['q (5 seeds)', 'double-q (5 seeds)', 'sarsa (5 seeds)'];
    expect(identicalCurvesText([{ members: [0, 1], apart: 0.00012 }], names.slice(0, 2))).toBe(
      'Both groups’ curves are within 0.00012 of one another at every point, closer than the chart can draw apart: their lines lie on one another, drawn in alternating dashes of their colours.',
    );
    expect(identicalCurvesText([{ members: [0, 1, 2], apart: 0.5 }], names)).toMatch(/^All 3 groups’ curves are within 0\.5 of one another /);
    expect(identicalCurvesText([{ members: [0, 2], apart: 3 }], names)).toBe(
      '2 groups’ curves are within 3 of one another at every point, closer than the chart can draw apart (their lines lie on one another, drawn in alternating dashes of their colours): q (5 seeds) and sarsa (5 seeds).',
    );
    expect(identicalCurvesText([{ members: [0, 2], apart: 0 }], names)).toMatch(/^2 groups have identical curves /);
  });
});
