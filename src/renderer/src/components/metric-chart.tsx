/**
 * One learning curve of one run: the downsampled mean per bucket (≤ 2,000 points), optionally its
 * buckets' min–max band, and the debiased EMA of the line when smoothing is on, on a y axis fitted to
 * the curve after its first episodes unless the full range is asked for. "Show all points" draws
 * every episode (up to ALL_POINTS_LIMIT). The curve is read with the run's other curves, as one
 * snapshot (curve-snapshot.ts), and only while the chart is in view.
 */
import { useEffect, useMemo, useRef } from 'react';
import { bucketCount, bucketSizeFor } from '../../../shared/buckets';
import type { Series } from '../../../shared/dto';
import type { Curve } from '../curve-snapshot';
import { fmt } from '../format';
import { andList, counted, plural } from '../../../shared/text';
import { emaSmooth } from './compare-smoothing';
import { ErrorLine } from './error-line';
import { LineChart, PALETTE, type ChartSeries } from './line-chart';
import type { EpisodeMark } from './episode-marks';
import { focusedYRange, focusNote, type AxisBounds } from './y-range';
import { autoSmoothing } from '../url-state';

export const MAX_POINTS = 2000;
/** How many bucket means a chart of `episodes` episodes draws (on the store's grid). */
export function bucketPoints(episodes: number): number {
  return bucketCount(0, episodes, bucketSizeFor(0, episodes, MAX_POINTS));
}
/** Above this many episodes a chart of every point gets slow to draw and to pan; we keep buckets. */
export const ALL_POINTS_LIMIT = 200_000;

export interface MetricChartProps {
  readonly metric: string;
  /** Its curve in the run's snapshot (see curve-snapshot.ts): read there, with every other chart's. */
  readonly curve: Curve | undefined;
  /** Every point is drawn, not bucket means; asked with onAll (the snapshot reads them). */
  readonly all: boolean;
  readonly onAll: (all: boolean) => void;
  /** Told when the chart is scrolled into view and out of it: a chart out of view is not read. */
  readonly onVisible: (visible: boolean) => void;
  /** EMA weight in [0, 1). */
  readonly smoothing: number;
  /**
   * The weight is the automatic one (the slider's "auto"): for the bucket means every chart draws.
   * Showing all of its points, a chart takes autoSmoothing's weight for those instead (0.95 for
   * 2,000 means left 80,000 raw points as noisy as drawn unsmoothed).
   */
  readonly smoothingAuto?: boolean;
  readonly band: boolean;
  /** The y axis fits every value; false, it fits the curve after its first episodes (see focusedYRange). */
  readonly fullY: boolean;
  readonly color?: string;
  /** The run's episode axis, shared by all its charts (see episodeAxis); omitted, it fits the data. */
  readonly xMin?: number;
  readonly xMax?: number;
  /** The y axis's width shared by the run's charts, and where this chart reports its own (see LineChart). */
  readonly yAxisWidth?: number;
  readonly onYAxisWidth?: (width: number) => void;
  /**
   * Where the metric's values can lie, as its environment declares it (RunDetail.metricRanges): a
   * chart of one value keeps its y axis within it (a diversity of 0 on 0 to 1, not chart.js's −1 to 1).
   */
  readonly yBounds?: AxisBounds;
  /** Told, once the data has come, whether the metric holds one value (and so takes a low chart). */
  readonly onConstant?: (constant: boolean) => void;
  /** The figure's place in its screen's grid (see Run detail's chart grid). */
  readonly className?: string;
  /** Episodes where the run's environment changes, marked on the chart (see LineChart). */
  readonly marks?: readonly EpisodeMark[];
}

export function MetricChart({ metric, curve, all, onAll: setAll, onVisible, smoothing: asked, smoothingAuto = false, band, fullY, color = PALETTE[0]!, xMin, xMax, yAxisWidth, onYAxisWidth, yBounds, onConstant, className, marks }: MetricChartProps) {
  const series = curve?.series;
  const error = curve?.error ?? null;
  const loading = curve?.loading ?? true;
  const figure = useRef<HTMLElement>(null);
  const reportVisible = useRef(onVisible);
  reportVisible.current = onVisible;
  useEffect(() => {
    const el = figure.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => reportVisible.current(entry?.isIntersecting ?? true));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const smoothing = smoothingAuto && all && series !== undefined && asked > 0 ? autoSmoothing(series.x.length) : asked;
  // A metric of one value (a constant ε, a diversity of 0 with one-item slates, a loss stored once) needs no full-height chart.
  const constant = useMemo(() => {
    if (!series || series.total === 0 || series.min.length === 0) return undefined;
    const v = series.min[0]!;
    return series.min.every((x) => x === v) && series.max.every((x) => x === v) ? v : undefined;
  }, [series]);
  const chartSeries = useMemo((): ChartSeries[] => (series ? metricSeries(series, metric, { band, smoothing, color, constant }) : []), [series, metric, band, smoothing, color, constant]);

  const tooMany = series !== undefined && series.total > ALL_POINTS_LIMIT;
  const focus = useMemo(() => (fullY || constant !== undefined ? null : focusedYRange(chartSeries)), [chartSeries, fullY, constant]);
  const isConstant = series === undefined ? undefined : constant !== undefined;
  const reportConstant = useRef(onConstant);
  reportConstant.current = onConstant;
  useEffect(() => {
    if (isConstant !== undefined) reportConstant.current?.(isConstant);
  }, [isConstant]);
  return (
    <figure ref={figure} className={`panel metric-chart${className ? ` ${className}` : ''}`} data-testid={`metric-${metric}`}>
      <figcaption className="row">
        <strong>{metric}</strong>
        {loading && <span className="muted small">updating…</span>}
        {series && constant !== undefined && (
          <span className="muted small" data-testid="constant-note">
            {constantText(series, constant)}
          </span>
        )}
        <span className="spacer" />
        {series && (
          <span className="muted small" data-testid="points-note">
            {pointsText(series)}
          </span>
        )}
        {series?.downsampled && !tooMany && (
          <button type="button" className="link" onClick={() => setAll(true)} data-testid="show-all" aria-label={`Show all points of ${metric}`}>
            Show all points
          </button>
        )}
        {smoothing !== asked && (
          <span className="muted small" data-testid="own-smoothing" title="The automatic smoothing spans about 1 % of the points drawn: all of them here, the bucket means in the other charts">
            smoothed {smoothing.toFixed(2)} here: auto, for all its points
          </span>
        )}
        {all && !tooMany && (
          <button type="button" className="link" onClick={() => setAll(false)} aria-label={`Back to bucket means of ${metric}`}>
            Back to bucket means
          </button>
        )}
      </figcaption>
      {error !== null && <ErrorLine error={error} />}
      <LineChart
        series={chartSeries}
        yLabel={metric}
        height={constant !== undefined ? 90 : 240}
        {...(constant !== undefined ? { yConstant: constant } : {})}
        testId={`chart-${metric}`}
        xMin={xMin}
        // A running run's curve, fetched after the axis was set from its progress, may reach past it: never clipped.
        xMax={xMax === undefined || series === undefined ? xMax : Math.max(xMax, series.total)}
        yAxisWidth={yAxisWidth}
        onYAxisWidth={onYAxisWidth}
        yMin={focus?.min}
        yMax={focus?.max}
        yBounds={yBounds}
        marks={marks}
      />
      {focus && (
        <p className="muted small chart-caption" data-testid="y-focus-note">
          {focusNote(focus)}
        </p>
      )}
      {tooMany && (
        <p className="muted small" data-testid="too-many-note">
          This run has {fmt(series.total)} episodes, more than the {fmt(ALL_POINTS_LIMIT)} a chart can draw one by one without slowing down: each point is the mean of
          about {fmt(Math.round(series.total / Math.max(1, series.x.length)))} episodes{band ? ', with their min–max band' : ''}.
        </p>
      )}
    </figure>
  );
}

/**
 * The chart's lines: the bucket means (pale behind a smoothed line, with their min–max band on
 * request) and the smoothed line, unless the metric holds one value (`constant`). The smoothed
 * line's label names its weight, and its key (ChartSeries.key) does not: the automatic weight moves
 * as a live run's points grow, and a smoothed line hidden from the legend came back with the next one.
 */
export function metricSeries(
  series: Series,
  metric: string,
  { band, smoothing, color, constant }: { band: boolean; smoothing: number; color: string; constant: number | undefined },
): ChartSeries[] {
  const withBand = band && series.downsampled;
  const raw: ChartSeries = {
    label: metric,
    x: series.x,
    y: series.mean,
    color,
    faint: smoothing > 0 && constant === undefined,
    ...(series.x.length <= FEW_POINTS ? { dots: true } : {}),
    ...(withBand ? { lo: series.min, hi: series.max } : {}),
  };
  // A constant's smoothed line is the same line: one is drawn.
  if (smoothing <= 0 || constant !== undefined) return [raw];
  return [raw, { label: `${metric} (smoothed ${smoothing.toFixed(2)})`, key: `${metric} (smoothed)`, x: series.x, y: emaSmooth(series.mean, smoothing), color }];
}

/** At most this many points are drawn as dots too: a metric stored at a few episodes draws little line. */
const FEW_POINTS = 50;

/** What a constant chart shows: the value, and where it was stored unless at every episode. */
function constantText(s: Series, value: number): string {
  if (s.values === s.total) return `${fmt(value)} at every episode`;
  if (!s.downsampled && s.values <= 3) {
    return `${fmt(value)}: ${plural(s.values, 'value')}, at episode${s.values === 1 ? '' : 's'} ${andList(s.x.map((x) => fmt(x)))}`;
  }
  return `constant at ${fmt(value)} over ${counted(s.values, 'stored value')}`;
}

/** How many episodes the chart draws, and how many of them have a value when some do not. */
export function pointsText(s: Series): string {
  const episodes = counted(s.total, 'episode');
  const valued = s.values < s.total ? `${counted(s.values, 'value')} in ${episodes}` : null;
  if (s.downsampled) return `${fmt(s.x.length)} bucket means of ${valued ?? episodes}`;
  return valued ?? (s.total === 1 ? episodes : `all ${episodes}`);
}
