/**
 * Run detail's learning curves: one chart per metric in reading order on one episode axis, with the
 * smoothing, min–max band and y-range controls (the view lives in the URL, as Compare's does), and
 * the grid that groups the metrics of one value after the full charts.
 */
import { useCallback, useState } from 'react';
import type { RunDetail } from '../../../shared/dto';
import type { CurveSnapshotState } from '../curve-snapshot';
import { withMember } from '../sets';
import { writeQuery, type Smoothing } from '../url-state';
import { episodeAxis } from './episode-axis';
import { MetricChart } from './metric-chart';
import { SmoothingControl } from './smoothing-control';

/**
 * The charts in reading order: the return first, then the episode length, then the environment's
 * metrics, then the agent's training ones (train/…); the store lists them by name, which put a
 * shop run's return tenth.
 */
export function chartOrder(metrics: readonly string[]): string[] {
  const rank = (m: string) => (m === 'return' ? 0 : m === 'length' ? 1 : m.startsWith('train/') ? 3 : 2);
  return [...metrics].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export type ChartCell = { kind: 'full' | 'wide' | 'low'; metric: string } | { kind: 'heading' };

/**
 * Run detail's chart grid: the full charts two to a row, the last one across the row when they are
 * odd in number, then, under their own heading, the low charts of one-value metrics three to a row.
 * Side by side, a low chart beside a full one left a hole the height of the full one. One list of
 * keyed siblings, so a chart that turns out constant moves without being remade (or refetched).
 */
export function chartGrid(ordered: readonly string[], constants: ReadonlySet<string>): ChartCell[] {
  const full = ordered.filter((m) => !constants.has(m));
  const low = ordered.filter((m) => constants.has(m));
  return [
    ...full.map((metric, i): ChartCell => ({ kind: full.length % 2 === 1 && i === full.length - 1 ? 'wide' : 'full', metric })),
    ...(low.length > 0 ? [{ kind: 'heading' } as const] : []),
    ...low.map((metric): ChartCell => ({ kind: 'low', metric })),
  ];
}

interface LearningCurvesProps {
  readonly run: RunDetail;
  readonly active: boolean;
  readonly query: URLSearchParams;
  readonly smoothing: Smoothing;
  /** The curves, read as one snapshot (see curve-snapshot.ts). */
  readonly curves: CurveSnapshotState;
}

export function LearningCurves({ run: r, active, query, smoothing, curves }: LearningCurvesProps) {
  // The min–max band is off unless asked for: it spans each bucket's extremes, so on noisy returns
  // it filled the chart and set the y axis by the outliers (0–60 for returns about 5), and on 0/1
  // rewards it was a wall from 0 to 1 over a signal near 0.01.
  const band = query.get('band') === 'on';
  const setBand = (on: boolean) => writeQuery({ band: on ? 'on' : null }, 'replace');
  // Each chart's y axis fits its curve after the first episodes (a cliff's −2,500 at the start
  // flattened the rest) unless the full range is asked for.
  const fullY = query.get('y') === 'full';
  // One run's charts share the episode axis (episodeAxis) and, so that their plot areas start at
  // one x too, the width of the widest chart's y axis: each reports what its own labels need.
  const [yWidths, setYWidths] = useState<Readonly<Record<string, number>>>({});
  const reportYWidth = useCallback((metric: string, width: number) => setYWidths((all) => (all[metric] === width ? all : { ...all, [metric]: width })), []);
  // The metrics of one value, which take low charts: grouped after the full ones (see chartGrid).
  const [constants, setConstants] = useState<ReadonlySet<string>>(new Set());
  const reportConstant = useCallback((metric: string, constant: boolean) => setConstants((all) => withMember(all, metric, constant)), []);
  const axis = episodeAxis(r);
  return (
  <section aria-label="Learning curves">
    <div className="row chart-controls">
      <h2>Learning curves</h2>
      <span className="spacer" />
      {/* Controls of charts there are, or will be: none beside a run that ended with no metric (failed before its first episode). */}
      {(r.metrics.length > 0 || active) && (
        <>
          <SmoothingControl smoothing={smoothing} id="smoothing" label="smoothing" testId="smoothing" />
          <label className="check">
            <input type="checkbox" checked={band} data-testid="band" onChange={(e) => setBand(e.target.checked)} /> min–max band
          </label>
          <label className="check" title="Fit each y axis to every value, the first episodes' too; off, it fits the curve after its first tenth when that shows it at least twice as tall">
            <input type="checkbox" checked={fullY} data-testid="full-y" onChange={(e) => writeQuery({ y: e.target.checked ? 'full' : null }, 'replace')} /> full y range
          </label>
        </>
      )}
    </div>
    {r.metrics.length === 0 && <p className="muted">{active ? 'No episodes yet: the curves appear once the run starts.' : 'This run recorded no metrics.'}</p>}
    {r.metrics.length > 0 && axis.stoppedNote && (
      <p className="muted small curves-note" data-testid="curves-stopped">
        {axis.stoppedNote}
      </p>
    )}
    <div className="chart-grid" data-testid="chart-grid">
      {chartGrid(chartOrder(r.metrics), constants).map((cell) =>
        cell.kind === 'heading' ? (
          <h3 key="constants-heading" className="constants-heading">
            Metrics of one value
          </h3>
        ) : (
          <MetricChart
            key={cell.metric}
            className={cell.kind}
            metric={cell.metric}
            curve={curves.curves.get(cell.metric)}
            all={curves.all.has(cell.metric)}
            onAll={(all) => curves.setAll(cell.metric, all)}
            onVisible={(visible) => curves.setVisible(cell.metric, visible)}
            smoothing={smoothing.weight}
            smoothingAuto={smoothing.auto}
            band={band}
            fullY={fullY}
            xMin={axis.min}
            xMax={axis.max}
            yAxisWidth={Math.max(0, ...Object.values(yWidths))}
            onYAxisWidth={(width) => reportYWidth(cell.metric, width)}
            onConstant={(constant) => reportConstant(cell.metric, constant)}
            yBounds={Object.hasOwn(r.metricRanges, cell.metric) ? r.metricRanges[cell.metric] : undefined}
            marks={r.episodeMarks}
          />
        ),
      )}
    </div>
  </section>
  );
}
