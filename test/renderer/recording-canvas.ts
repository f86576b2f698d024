// A stand-in canvas for drawing real chart.js charts in tests: its 2D context draws nothing,
// measures every character 6 px wide (enough for chart.js to lay out its axes), and records each
// stroke with its points, width, colour, dash and the clip in force.
import { Chart } from 'chart.js';
import { lineDatasets, type ChartSeries } from '../../src/renderer/src/components/line-chart';

export interface ClipRect {
  readonly top: number;
  readonly bottom: number;
}

export interface Stroke {
  readonly color: string;
  readonly width: number;
  readonly dash: readonly number[];
  readonly dashOffset: number;
  readonly points: readonly (readonly [number, number])[];
  readonly clip: ClipRect;
}

export function recordingCanvas(width: number, height: number): { canvas: HTMLCanvasElement; strokes: Stroke[] } {
  const strokes: Stroke[] = [];
  const state: Record<string, unknown> = { lineWidth: 1, strokeStyle: '', lineDashOffset: 0, dash: [] };
  const saved: { state: Record<string, unknown>; clip: ClipRect }[] = [];
  let clip: ClipRect = { top: -Infinity, bottom: Infinity };
  let path: [number, number][] = [];
  let rect: ClipRect | null = null;
  const calls: Record<string, (...a: never[]) => unknown> = {
    measureText: (text: string) => ({ width: String(text).length * 6 }),
    save: () => void saved.push({ state: { ...state }, clip }),
    restore: () => {
      const s = saved.pop();
      if (!s) return;
      clip = s.clip;
      Object.assign(state, s.state);
    },
    setLineDash: (dash: number[]) => void (state.dash = [...dash]),
    getLineDash: () => state.dash,
    beginPath: () => void ((path = []), (rect = null)),
    moveTo: (x: number, y: number) => void path.push([x, y]),
    lineTo: (x: number, y: number) => void path.push([x, y]),
    rect: (_x: number, y: number, _w: number, h: number) => void (rect = { top: y, bottom: y + h }),
    clip: () => void (rect && (clip = { top: Math.max(clip.top, rect.top), bottom: Math.min(clip.bottom, rect.bottom) })),
    stroke: () =>
      void strokes.push({
        color: String(state.strokeStyle),
        width: Number(state.lineWidth),
        dash: [...(state.dash as number[])],
        dashOffset: Number(state.lineDashOffset),
        points: [...path],
        clip,
      }),
  };
  const ctx = new Proxy(state, {
    get: (target, key) => (typeof key === 'string' && key in calls ? calls[key] : key in target ? target[key as string] : () => undefined),
    set: (target, key, value) => ((target[key as string] = value), true),
  });
  const canvas = { width, height, style: {}, getContext: () => ctx };
  state.canvas = canvas;
  return { canvas: canvas as unknown as HTMLCanvasElement, strokes };
}

/** Whether a stroke's dash paints the point `s` px along its path (a canvas's setLineDash and lineDashOffset). */
export function dashPaints(stroke: Pick<Stroke, 'dash' | 'dashOffset'>, s: number): boolean {
  const { dash } = stroke;
  const period = dash.reduce((a, b) => a + b, 0);
  if (dash.length === 0 || period === 0) return true;
  // An odd-length pattern repeats twice over to make an even one, as a canvas does.
  const pattern = dash.length % 2 === 1 ? [...dash, ...dash] : dash;
  const full = pattern.reduce((a, b) => a + b, 0);
  let at = (((s + stroke.dashOffset) % full) + full) % full;
  for (let i = 0; i < pattern.length; i++) {
    if (at < pattern[i]!) return i % 2 === 0;
    at -= pattern[i]!;
  }
  return false;
}

/**
 * Compare's line chart of `series` (their datasets as LineChart makes them, the axes fitted, x from
 * 0) drawn on a 640 × 320 recording canvas: the chart (to destroy) and the strokes it drew. The
 * caller registers chart.js's line parts.
 */
export function drawnLines(series: readonly ChartSeries[]): { chart: Chart; strokes: Stroke[] } {
  const { canvas, strokes } = recordingCanvas(640, 320);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: lineDatasets(series, '#ffffff') },
    options: { animation: false, responsive: false, parsing: false, scales: { x: { type: 'linear', min: 0 }, y: { type: 'linear' } }, plugins: { legend: { display: false } } },
  });
  return { chart, strokes };
}
