/**
 * A line chart (chart.js) of one or more series, each optionally with a shaded band (lo–hi). Data
 * arrives already downsampled by the service (≤ ~2,000 points per series), so parsing and
 * decimation are off and animation is disabled: redraws stay cheap when live runs refresh it.
 * After every draw the canvas gets `data-drawn` (a counter), which tests and the benchmark wait on.
 */
import { useEffect, useRef } from 'react';
import {
  Chart,
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface ChartSeries {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly lo?: readonly number[];
  readonly hi?: readonly number[];
  readonly color?: string;
  /** Dashed, thin: for reference lines such as the optimum. */
  readonly reference?: boolean;
  /** Drawn pale and thin, behind a smoothed line (TensorBoard's raw curve). */
  readonly faint?: boolean;
}

export interface LineChartProps {
  readonly series: readonly ChartSeries[];
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly height?: number;
  readonly testId?: string;
}

const drawnCounter: Plugin<'line'> = {
  id: 'aisleDrawn',
  afterRender(chart) {
    const el = chart.canvas;
    el.dataset.drawn = String(Number(el.dataset.drawn ?? '0') + 1);
  },
};

/** What a screen reader says for the canvas: the axes and the series, named as the legend names them. */
function describe(series: readonly ChartSeries[], xLabel: string, yLabel: string | undefined): string {
  const named = series.filter((s) => !s.faint).map((s) => s.label);
  return `Line chart of ${yLabel ?? 'values'} by ${xLabel}${named.length > 0 ? `: ${named.join('; ')}` : ''}`;
}

function points(x: readonly number[], y: readonly number[]): { x: number; y: number }[] {
  const out = new Array<{ x: number; y: number }>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = { x: x[i]!, y: y[i]! };
  return out;
}

function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function datasets(series: readonly ChartSeries[]): ChartDataset<'line', { x: number; y: number }[]>[] {
  const out: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    if (s.lo && s.hi) {
      out.push({ label: `${s.label} (band low)`, data: points(s.x, s.lo), borderWidth: 0, pointRadius: 0, borderColor: 'transparent', fill: false });
      out.push({
        label: `${s.label} (band)`,
        data: points(s.x, s.hi),
        borderWidth: 0,
        pointRadius: 0,
        borderColor: 'transparent',
        backgroundColor: withAlpha(color, 0.18),
        fill: '-1',
      });
    }
    out.push({
      label: s.label,
      data: points(s.x, s.y),
      borderColor: s.faint ? withAlpha(color, 0.35) : color,
      backgroundColor: s.faint ? withAlpha(color, 0.35) : color,
      borderWidth: s.reference || s.faint ? 1 : 1.6,
      borderDash: s.reference ? [6, 4] : [],
      pointRadius: 0,
      fill: false,
      spanGaps: true,
    });
  });
  return out;
}

export function LineChart({ series, xLabel = 'episode', yLabel, height = 280, testId }: LineChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', { x: number; y: number }[]> | null>(null);

  useEffect(() => {
    chart.current = new Chart<'line', { x: number; y: number }[]>(canvas.current!, {
      type: 'line',
      data: { datasets: [] },
      plugins: [drawnCounter],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: xLabel } },
          y: { type: 'linear', title: { display: Boolean(yLabel), text: yLabel ?? '' } },
        },
        plugins: {
          legend: { labels: { filter: (item) => !/\(band( low)?\)$/.test(item.text) } },
          tooltip: { filter: (item) => !/\(band( low)?\)$/.test(item.dataset.label ?? '') },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [xLabel, yLabel]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.datasets = datasets(series);
    c.update('none');
  }, [series]);

  return (
    <div className="chart" style={{ height }}>
      <canvas ref={canvas} data-testid={testId} role="img" aria-label={describe(series, xLabel, yLabel)} />
    </div>
  );
}
