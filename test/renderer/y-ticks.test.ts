// The y axis's tick labels (y-ticks.ts) on a real chart.js line chart, drawn on a stand-in canvas:
// a set end of the axis off chart.js's step (focusedYRange's rounded-out ends are on a finer step)
// was labelled as a tick of its own, "…;3.20;3.22" or "3.2" for 3.22 beside a true 3.2.
import { afterEach, describe, expect, it } from 'vitest';
import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { yTickOptions } from '../../src/renderer/src/components/y-ticks';
import { focusedYRange } from '../../src/renderer/src/components/y-range';

Chart.register(LineController, LineElement, PointElement, LinearScale);

/** A 2D context that draws nothing and measures every character 6 px wide: enough for chart.js to lay out its axes. */
function standInCanvas(width: number, height: number) {
  const context: Record<string | symbol, unknown> = {};
  const ctx = new Proxy(context, {
    get: (target, key) => (key in target ? target[key] : key === 'measureText' ? (text: string) => ({ width: String(text).length * 6 }) : () => undefined),
    set: (target, key, value) => ((target[key] = value), true),
  });
  const canvas = { width, height, style: {}, getContext: () => ctx };
  context.canvas = canvas;
  return canvas as unknown as HTMLCanvasElement;
}

const charts: Chart[] = [];
afterEach(() => charts.splice(0).forEach((c) => c.destroy()));

/** The y ticks of a chart `height` px tall with the axis set to `min` and `max` (either may be undefined), as LineChart sets it up. */
function yTicks(height: number, min: number | undefined, max: number | undefined, ys: readonly number[]) {
  const chart = new Chart(standInCanvas(640, height), {
    type: 'line',
    data: { datasets: [{ data: ys.map((y, x) => ({ x, y })) }] },
    options: {
      animation: false,
      responsive: false,
      parsing: false,
      scales: { x: { type: 'linear' }, y: { type: 'linear', min, max, ticks: yTickOptions(() => undefined) } },
    },
  });
  charts.push(chart);
  return chart.scales.y!.ticks.map((t) => ({ value: t.value, label: String(t.label) }));
}

/** Distinct labels, each reading its tick's value, a whole step apart, all within the axis. */
function expectOnStep(ticks: { value: number; label: string }[], min: number | undefined, max: number | undefined) {
  const said = ticks.map((t) => t.label).join(';');
  expect(ticks.length, said).toBeGreaterThan(2);
  expect(new Set(ticks.map((t) => t.label)).size, said).toBe(ticks.length);
  for (const t of ticks) expect(Number(t.label.replace(/,/g, '')), said).toBeCloseTo(t.value, 9);
  const step = ticks[1]!.value - ticks[0]!.value;
  for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.value - ticks[i - 1]!.value, said).toBeCloseTo(step, 9);
  if (min !== undefined) expect(ticks[0]!.value, said).toBeGreaterThanOrEqual(min);
  if (max !== undefined) expect(ticks[ticks.length - 1]!.value, said).toBeLessThanOrEqual(max);
}

describe('yTickOptions', () => {
  // A curve from 2 up to a spike of 4 in its first tenth, then between 3.08 and 3.2: the focus is
  // 3.06 to 3.22 (a step of 0.02), off the 0.05 or 0.1 chart.js ticks a short axis with.
  const xs = Array.from({ length: 200 }, (_, i) => i);
  const ys = xs.map((i) => (i === 0 ? 2 : i === 1 ? 4 : i < 20 ? 3 : 3.14 + 0.06 * Math.sin(i)));
  const focus = focusedYRange([{ x: xs, y: ys }])!;

  it("ticks a fitted axis on chart.js's step at every height, its off-step ends not labelled", () => {
    expect([focus.min, focus.max]).toEqual([3.06, 3.22]);
    for (const height of [120, 160, 200, 280, 320, 480]) expectOnStep(yTicks(height, focus.min, focus.max, ys), focus.min, focus.max);
  });

  it('keeps a set end near a tick from taking its place under its label (3.22 read "3.2"), one end set or both', () => {
    for (const height of [120, 200, 280, 400]) {
      for (const [min, max] of [[2, 3.22], [4.66, 4.74], [undefined, 4.74], [3.06, undefined], [-55, undefined], [0.013, 0.1]] as const) {
        expectOnStep(yTicks(height, min, max, ys), min, max);
      }
    }
  });

  it('still labels an end that is on the step (0 to 1)', () => {
    const ticks = yTicks(280, 0, 1, ys);
    expectOnStep(ticks, 0, 1);
    expect([ticks[0]!.value, ticks[ticks.length - 1]!.value]).toEqual([0, 1]);
  });
});
