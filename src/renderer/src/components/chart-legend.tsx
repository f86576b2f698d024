/**
 * The chart's legend again, as buttons: chart.js draws its legend into the canvas, where a curve is
 * hidden or shown again by a click only. No key reached it and a screen reader could not tell which
 * curves were hidden (the audit of Compare's chart). Each curve the canvas legend lists gets a toggle
 * button here, named by the curve's label (the whole label, where the legend shortens it),
 * `aria-pressed` while the curve is shown. The row stays out of sight until a key brings focus into
 * it, so the chart looks as before; then it shows over the top of the chart, where the canvas legend
 * is. Both ways go through the chart: a button hides the curve as the legend's click does
 * (toggleSeries, line-chart.tsx), and after every draw the row is read again from the chart
 * (legendMirror), so a click on the canvas legend presses or releases its button too.
 */
import type { Chart, Plugin } from 'chart.js';

/** A curve the chart's legend lists, as its button shows it. */
export interface LegendEntry {
  /** The curve's dataset in the chart (what toggleSeries takes). */
  readonly index: number;
  readonly label: string;
  readonly color: string;
  readonly dash: readonly number[];
  readonly dashOffset: number;
  readonly hidden: boolean;
}

/** What legendEntries reads of a chart. */
export type LegendSource = Pick<Chart, 'isDatasetVisible'> & {
  readonly data: { readonly datasets: readonly { label?: string; borderColor?: unknown; borderDash?: unknown; borderDashOffset?: unknown }[] };
};

/** The curves a chart's legend lists (`isLine`: a dataset that is a curve of its own, not a band's edge), each hidden or not. */
export function legendEntries(chart: LegendSource, isLine: (dataset: object) => boolean): LegendEntry[] {
  const out: LegendEntry[] = [];
  chart.data.datasets.forEach((d, index) => {
    if (!isLine(d)) return;
    out.push({
      index,
      label: d.label ?? '',
      color: typeof d.borderColor === 'string' ? d.borderColor : '',
      dash: Array.isArray(d.borderDash) ? (d.borderDash as number[]) : [],
      dashOffset: typeof d.borderDashOffset === 'number' ? d.borderDashOffset : 0,
      hidden: !chart.isDatasetVisible(index),
    });
  });
  return out;
}

/** Whether two rows of entries show the same (a draw that changed nothing re-renders nothing). */
export function sameEntries(a: readonly LegendEntry[], b: readonly LegendEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((e, i) => {
      const f = b[i]!;
      return e.index === f.index && e.label === f.label && e.color === f.color && e.hidden === f.hidden && e.dashOffset === f.dashOffset && e.dash.join() === f.dash.join();
    })
  );
}

/**
 * Reports the legend's entries after every draw: none while the chart shows no legend (a constant
 * chart's), so the buttons are there exactly when the canvas legend is.
 */
export function legendMirror(report: { current: (entries: LegendEntry[]) => void }, isLine: (dataset: object) => boolean): Plugin<'line'> {
  return {
    id: 'aisleLegendMirror',
    afterRender(chart) {
      report.current(chart.options.plugins?.legend?.display === false ? [] : legendEntries(chart, isLine));
    },
  };
}

/** A short sample of the curve's line, dashed as drawn (as Compare's tables show a group's). */
function Sample({ entry }: { entry: LegendEntry }) {
  const [on, off] = entry.dash;
  if (on === undefined || off === undefined) return <span className="swatch line" style={{ background: entry.color }} aria-hidden="true" />;
  const start = -entry.dashOffset % (on + off);
  const background = `repeating-linear-gradient(90deg, ${entry.color} ${start}px ${start + on}px, transparent ${start + on}px ${start + on + off}px)`;
  return <span className="swatch line" style={{ background }} aria-hidden="true" />;
}

export interface ChartLegendProps {
  readonly entries: readonly LegendEntry[];
  readonly onToggle: (index: number) => void;
  /** The canvas's test id: the row takes it with `-legend`. */
  readonly testId?: string;
}

export function ChartLegend({ entries, onToggle, testId }: ChartLegendProps) {
  if (entries.length === 0) return null;
  return (
    <div className="chart-legend" role="group" aria-label="Curves shown on the chart" data-testid={testId === undefined ? undefined : `${testId}-legend`}>
      {entries.map((e) => (
        <button key={e.index} type="button" aria-pressed={!e.hidden} onClick={() => onToggle(e.index)}>
          <Sample entry={e} /> {e.label}
        </button>
      ))}
    </div>
  );
}
