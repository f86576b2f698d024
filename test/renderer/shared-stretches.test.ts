// Compare's groups whose curves lie on one another only in part showed one line there: a group
// trained for 500 episodes beside the same agent trained for 1,000 (deterministic training on the
// same seeds: its whole curve is the longer's first half) drew one colour over those episodes, the
// other group's line hidden under it, and curves alike until they parted showed one colour until
// the fork. Along such a stretch each line is now drawn again,
// dashed in turn with the others (ChartSeries.overlays), and the note names the stretch. Drawn by a
// real chart.js chart on a stand-in canvas: what each colour paints is read from its strokes.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import type { ChartSeries } from '../../src/renderer/src/components/line-chart';
import { coincidenceTolerance, sharedStretches, sharedStretchesText, withSharedLines } from '../../src/renderer/src/components/identical-curves';
import { dashPaints, drawnLines, type Stroke } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

const COLORS = ['#4e79a7', '#f28e2b', '#e15759'];
const grid = (n: number) => Array.from({ length: n }, (_, i) => i * 5 + 2);
const learning = (x: number) => 1 - Math.exp(-x / 300) + 0.05 * Math.sin(x / 37);
const curve = (i: number, n: number, y: (x: number) => number): ChartSeries => ({ label: `group ${i}`, x: grid(n), y: grid(n).map(y), color: COLORS[i]! });

/** Where a stroke's path passes pixel column `px`: the distance along it from its start, or undefined when it does not. */
function along(stroke: Stroke, px: number): number | undefined {
  let s = 0;
  for (let k = 1; k < stroke.points.length; k++) {
    const [x0, y0] = stroke.points[k - 1]!;
    const [x1, y1] = stroke.points[k]!;
    const step = Math.hypot(x1 - x0, y1 - y0);
    if (px >= x0 && px <= x1) return s + (x1 > x0 ? ((px - x0) / (x1 - x0)) * step : 0);
    s += step;
  }
  return undefined;
}

/** Which colour shows on top at each pixel column in [from, to) of the chart of `series`, counted. */
function onTop(series: readonly ChartSeries[], from: (c: Chart) => number, to: (c: Chart) => number): Map<string, number> {
  const { chart, strokes } = drawnLines(series);
  charts.push(chart);
  const lines = strokes.filter((s) => COLORS.includes(s.color));
  const count = new Map<string, number>();
  for (let px = from(chart); px < to(chart); px += 0.5) {
    // Strokes are recorded in the order drawn: the last one painting a column is on top there.
    const top = lines.findLast((l) => {
      const s = along(l, px);
      return s !== undefined && dashPaints(l, s);
    });
    if (top) count.set(top.color, (count.get(top.color) ?? 0) + 1);
  }
  return count;
}

const pixel = (c: Chart, x: number) => c.scales.x!.getPixelForValue(x);

describe('curves that lie on one another in part', () => {
  // The same agent trained for 500 and for 1,000 episodes (the common grid: 100 and 200 points), and another.
  const short = curve(0, 100, learning);
  const long = curve(1, 200, learning);
  const other = curve(2, 200, (x) => 0.6 * learning(x));
  const groups = [short, long, other];

  it('are found along their stretch, with the points of each there', () => {
    expect(sharedStretches(groups)).toEqual([{ members: [0, 1], from: 2, to: 497, points: [[0, 99], [0, 99]], apart: 0, whole: false }]);
    // Alike until they part at x 500: shared up to the last point before.
    const fork = [long, curve(2, 200, (x) => (x < 500 ? learning(x) : 0.5))];
    expect(sharedStretches(fork).map((s) => [s.members, s.from, s.to])).toEqual([[[0, 1], 2, 497]]);
    // Within a tolerance, as whole curves are.
    const noisy = curve(2, 200, (x) => learning(x) + (x < 400 ? 1e-4 : 0.2));
    expect(sharedStretches([long, noisy], 1e-3)).toEqual([{ members: [0, 1], from: 2, to: 397, points: [[0, 79], [0, 79]], apart: expect.closeTo(1e-4, 10) as number, whole: false }]);
  });

  it("show both colours along the shorter curve, the longer's alone past it (before: one colour there)", () => {
    const atShort = (c: Chart) => pixel(c, 2) + 1;
    const endShort = (c: Chart) => pixel(c, 497) - 1;
    // What the user saw: one colour along the shorter curve, the line chart.js draws on top (the first group's) covering the other.
    const before = onTop(withSharedLines(groups).series.map((s) => ({ ...s, overlays: undefined })), atShort, endShort);
    expect([...before.keys()]).toEqual([COLORS[0]]);
    const { series, coincident, stretches } = withSharedLines(groups, coincidenceTolerance(groups));
    expect(coincident).toEqual([]);
    expect(stretches.map((s) => s.members)).toEqual([[0, 1]]);
    expect(series[2]).toBe(other);
    const shared = onTop(series, atShort, endShort);
    const total = (shared.get(COLORS[0]!) ?? 0) + (shared.get(COLORS[1]!) ?? 0);
    for (const color of COLORS.slice(0, 2)) expect((shared.get(color) ?? 0) / total, `${color}: ${[...shared]}`).toBeCloseTo(0.5, 1);
    // Past the shorter curve the longer is drawn as it was: solid, alone.
    const past = onTop(series, (c) => pixel(c, 520), (c) => pixel(c, 990));
    expect(past.get(COLORS[0]!)).toBeUndefined();
    expect(past.get(COLORS[1]!)).toBeGreaterThan(0);
  });

  it('leave short touches and crossings alone', () => {
    const crossing = [long, curve(2, 200, (x) => learning(x) + (x >= 300 && x < 310 ? 0 : 0.1))];
    expect(sharedStretches(crossing).map((s) => [s.from, s.to])).toEqual([[302, 307]]);
    expect(withSharedLines(crossing).stretches).toEqual([]);
  });

  it('are named under the chart, with their episodes', () => {
    const names = ['q, 500 episodes (5 seeds)', 'q, 1,000 episodes (5 seeds)', 'sarsa (5 seeds)'];
    expect(sharedStretchesText([], names)).toBeUndefined();
    expect(sharedStretchesText(withSharedLines(groups).stretches, names)).toBe(
      '2 groups’ curves are identical from episode 2 to 497 (drawn there in alternating dashes of their colours): q, 500 episodes (5 seeds) and q, 1,000 episodes (5 seeds).',
    );
    const near = { members: [1, 2], from: 1000.5, to: 20000, points: [], apart: 0.003, whole: false };
    expect(sharedStretchesText([near], names)).toBe(
      '2 groups’ curves are within 0.003 of one another from episode 1,001 to 20,000, closer than the chart can draw apart (drawn there in alternating dashes of their colours): q, 1,000 episodes (5 seeds) and sarsa (5 seeds).',
    );
    expect(sharedStretchesText(Array.from({ length: 6 }, () => near), names)).toMatch(/\. Curves lie on one another along 2 more stretches\.$/);
  });
});
