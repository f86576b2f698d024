// A flat chart's line on an end of its axis (Compare's groups all at a diversity of 0, on an axis of
// 0 to 1, flatAxisEnds) is drawn whole: chart.js clips a line at an end set by hand exactly at the
// plot's edge, and the line on that end showed half its width. Drawn by a real chart.js chart on a
// stand-in canvas that records the clip in force at each stroke.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { lineDatasets, type ChartSeries } from '../../src/renderer/src/components/line-chart';
import { flatAxisEnds } from '../../src/renderer/src/components/y-range';
import { recordingCanvas } from './recording-canvas';

Chart.register(LineController, LineElement, PointElement, LinearScale);

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

/** Draws `series` as LineChart does, with the y axis's ends set to `ends` (flat: they are the lines' value), and returns the strokes of the lines and the plot area. */
function draw(series: ChartSeries[], ends: { min?: number; max?: number }, flat: boolean) {
  const { canvas, strokes } = recordingCanvas(640, 320);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff', flat) },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      scales: { x: { type: 'linear', min: 0 }, y: { type: 'linear', min: ends.min, max: ends.max } },
      plugins: { legend: { display: false } },
    },
  });
  charts.push(chart);
  const colors = new Set(series.map((s) => s.color));
  return { lines: strokes.filter((s) => colors.has(s.color)), area: chart.chartArea };
}

const xs = Array.from({ length: 200 }, (_, i) => i * 10);
const flatAt = (value: number, color: string): ChartSeries => ({ label: color, x: xs, y: xs.map(() => value), color });

describe('a flat line on an end of its axis', () => {
  for (const [value, bounds, edge] of [
    [0, { min: 0, max: 1 }, 'bottom'],
    [1, { min: 0, max: 1 }, 'top'],
    [0, { min: 0 }, 'bottom'],
  ] as const) {
    it(`is drawn its whole width at the ${edge}: ${value} in [${bounds.min}, ${'max' in bounds ? `${bounds.max}]` : '∞)'}`, () => {
      const series = [flatAt(value, '#4e79a7'), flatAt(value, '#f28e2b')];
      const ends = flatAxisEnds(series, bounds)!;
      expect(ends[edge === 'bottom' ? 'min' : 'max']).toBe(value);
      const { lines, area } = draw(series, ends, true);
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line.points.length).toBeGreaterThan(1);
        for (const [, y] of line.points) {
          expect(y).toBeCloseTo(edge === 'bottom' ? area.bottom : area.top, 6);
          // The whole width of the stroke lies within the clip in force.
          expect(y - line.width / 2, `top of the ${line.color} line against its clip`).toBeGreaterThanOrEqual(line.clip.top - 1e-9);
          expect(y + line.width / 2, `bottom of the ${line.color} line against its clip`).toBeLessThanOrEqual(line.clip.bottom + 1e-9);
        }
      }
    });
  }

  it("keeps a focused axis's clip at the plot's edge: a line beyond a set end is cut off there (and marked)", () => {
    const rising = { label: 'a', x: xs, y: xs.map((x) => x / 10), color: '#4e79a7' };
    const { lines, area } = draw([rising], { min: 50, max: 150 }, false);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.clip.top).toBeCloseTo(area.top, 6);
    expect(lines[0]!.clip.bottom).toBeCloseTo(area.bottom, 6);
  });
});
