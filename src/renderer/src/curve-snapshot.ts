/**
 * Run detail's learning curves read as one snapshot: every curve up to the same episode, published
 * together, with that episode count for the rest of the screen to show. Each chart used to read its
 * curve on its own schedule, up to whatever the store held when its read came, so a running run's
 * return chart could be over 709,632 episodes beside a length chart over 361,472 and a progress
 * figure of 985,088.
 */
import { useEffect, useState } from 'react';
import type { Client } from '../../shared/client';
import type { Series } from '../../shared/dto';
import { useClient } from './api';
import { ALL_POINTS_LIMIT, MAX_POINTS } from './components/metric-chart';

/** One chart's part of the snapshot. */
export interface Curve {
  /** The last curve read (kept while a read fails or the next is under way). */
  readonly series?: Series;
  readonly error?: unknown;
  /** Its read for a newer snapshot, or its first, is under way. */
  readonly loading: boolean;
}

export interface CurveSnapshot {
  /**
   * The episodes every curve shown is read up to: a number while the run trains, null for a stopped
   * run's whole series, undefined before the first snapshot.
   */
  readonly episodes: number | null | undefined;
  readonly curves: ReadonlyMap<string, Curve>;
  /** The metrics whose every point is asked for ("Show all points"), not bucket means. */
  readonly all: ReadonlySet<string>;
}

/** Reads one metric's curve up to episode `to` (null: all of it), every point when `all`. */
export type ReadCurve = (metric: string, all: boolean, to: number | null) => Promise<Series>;

interface Read {
  readonly series?: Series;
  readonly error?: unknown;
  /** The snapshot's episodes it was read up to, and whether every point. */
  readonly to: number | null;
  readonly all: boolean;
}

/**
 * The snapshots of one run's curves. One round of reads at a time: the charts in view, each read
 * once, all up to the same episode; a refresh asked during a round makes one more after it, however
 * many were asked. A chart out of view is not read (as before), and is read up to the snapshot's
 * episode when it comes into view, as is one asked for every point.
 */
export class CurveSnapshots {
  private metrics: readonly string[] = [];
  private readonly hidden = new Set<string>();
  private readonly everyPoint = new Set<string>();
  private readonly reads = new Map<string, Read>();
  private episodes: number | null | undefined = undefined;
  private wanted: { readonly to: number | null } | undefined;
  private reading: ReadonlySet<string> = new Set();
  private closed = false;

  constructor(
    private readonly read: ReadCurve,
    private readonly publish: (snapshot: CurveSnapshot) => void,
  ) {}

  /** The run's metrics (they appear with its first episodes). */
  setMetrics(metrics: readonly string[]): void {
    this.metrics = metrics;
    this.pump();
  }

  setVisible(metric: string, visible: boolean): void {
    if (visible) this.hidden.delete(metric);
    else this.hidden.add(metric);
    this.pump();
  }

  setAll(metric: string, all: boolean): void {
    if (all) this.everyPoint.add(metric);
    else this.everyPoint.delete(metric);
    this.emit();
    this.pump();
  }

  /** A new snapshot, up to episode `to` (null: each curve whole, for a stopped run). */
  advance(to: number | null): void {
    this.wanted = { to };
    this.pump();
  }

  /** The screen has gone: reads under way are dropped. */
  close(): void {
    this.closed = true;
  }

  /** The screen is back (React's strict mode mounts it twice). */
  open(): void {
    this.closed = false;
    this.pump();
  }

  private stale(metric: string, to: number | null): boolean {
    const read = this.reads.get(metric);
    return read === undefined || read.to !== to || read.all !== this.everyPoint.has(metric);
  }

  private pump(): void {
    if (this.closed || this.reading.size > 0) return;
    const moving = this.wanted !== undefined;
    const to = this.wanted !== undefined ? this.wanted.to : this.episodes;
    this.wanted = undefined;
    if (to === undefined) return; // no snapshot asked for yet
    const metrics = this.metrics.filter((m) => !this.hidden.has(m) && (moving || this.stale(m, to)));
    if (metrics.length === 0) {
      if (moving && to !== this.episodes) {
        this.episodes = to;
        this.emit();
      }
      return;
    }
    this.reading = new Set(metrics);
    this.emit();
    const reads = metrics.map((metric) => {
      const all = this.everyPoint.has(metric);
      return this.read(metric, all, to).then(
        (series): [string, Read] => [metric, { series, to, all }],
        (error: unknown): [string, Read] => [metric, { series: this.reads.get(metric)?.series, error, to, all }],
      );
    });
    void Promise.all(reads).then((done) => {
      this.reading = new Set();
      if (this.closed) {
        if (moving) this.wanted ??= { to }; // read again once open
        return;
      }
      for (const [metric, read] of done) this.reads.set(metric, read);
      this.episodes = to;
      this.emit();
      this.pump();
    });
  }

  private emit(): void {
    const curves = new Map<string, Curve>();
    for (const metric of this.metrics) {
      const read = this.reads.get(metric);
      curves.set(metric, {
        ...(read?.series !== undefined ? { series: read.series } : {}),
        ...(read?.error !== undefined ? { error: read.error } : {}),
        loading: this.reading.has(metric) || read === undefined,
      });
    }
    this.publish({ episodes: this.episodes, curves, all: new Set(this.everyPoint) });
  }
}

/**
 * A curve read that found its run deleted (another window, `aisle delete`): runs.metrics, asked with
 * onlyStored, left the run out of its answer. The screen says the run is gone rather than that its
 * curve failed.
 */
export class RunDeleted extends Error {
  constructor(readonly runId: number) {
    super(`run ${runId} was deleted`);
    this.name = 'RunDeleted';
  }
}

/** The largest `maxPoints` runs.metrics accepts: a window this wide comes back undownsampled. */
const WINDOW = 10_000;

/**
 * One metric's curve up to episode `to` (null: all of it): bucket means (≤ MAX_POINTS), or with
 * `all` every point (up to ALL_POINTS_LIMIT) in windows the contract allows, since one runs.metrics
 * call returns at most 10,000 points. Its `total` is the episodes up to `to`, not those the store
 * holds by the time it answers (a run's every metric starts at its first episode: each batch of
 * metrics the worker sends carries them all). `total` is read as the episode the series ends at,
 * which holds because every series starts at episode 0 (the Series carries no first episode):
 * results import refuses a file whose metric starts later (results/import.ts).
 */
export async function readCurve(client: Client, runId: number, metric: string, all: boolean, to: number | null): Promise<Series> {
  const upTo = (s: Series): Series => (to === null || s.total <= to ? s : { ...s, total: to });
  const one = async (input: { maxPoints: number; from?: number; to?: number }) => {
    // Asked so that a read under way when the run is deleted answers without its series, not 404 (a
    // failed resource in the browser mode's console); an unknown metric still answers 404.
    const [s] = await client.call('runs.metrics', { runIds: [runId], metric, ...input, onlyStored: true });
    if (!s) throw new RunDeleted(runId);
    return upTo(s);
  };
  const end = to === null ? {} : { to };
  if (!all) return one({ maxPoints: MAX_POINTS, ...end });
  const first = await one({ maxPoints: WINDOW, from: 0, to: to === null ? WINDOW : Math.min(WINDOW, to) });
  if (first.total > ALL_POINTS_LIMIT) return one({ maxPoints: MAX_POINTS, ...end });
  const rest = [];
  for (let from = WINDOW; from < first.total; from += WINDOW) rest.push(one({ maxPoints: WINDOW, from, to: Math.min(from + WINDOW, first.total) }));
  const parts = [first, ...(await Promise.all(rest))];
  const cat = (k: 'x' | 'mean' | 'min' | 'max') => parts.flatMap((p) => p[k]);
  const values = parts.reduce((n, p) => n + p.values, 0);
  return { ...first, values, downsampled: false, x: cat('x'), mean: cat('mean'), min: cat('min'), max: cat('max') };
}

export interface CurveSnapshotState extends CurveSnapshot {
  readonly advance: (to: number | null) => void;
  readonly setVisible: (metric: string, visible: boolean) => void;
  readonly setAll: (metric: string, all: boolean) => void;
}

/** The snapshots of run `runId`'s curves of `metrics` (see CurveSnapshots). */
export function useCurveSnapshot(runId: number, metrics: readonly string[]): CurveSnapshotState {
  const client = useClient();
  const [shown, setShown] = useState<CurveSnapshot>({ episodes: undefined, curves: new Map(), all: new Set() });
  const [snapshots] = useState(() => new CurveSnapshots((metric, all, to) => readCurve(client, runId, metric, all, to), setShown));
  useEffect(() => {
    snapshots.open();
    return () => snapshots.close();
  }, [snapshots]);
  const key = metrics.join('\n');
  useEffect(() => snapshots.setMetrics(key === '' ? [] : key.split('\n')), [snapshots, key]);
  return {
    ...shown,
    advance: (to) => snapshots.advance(to),
    setVisible: (metric, visible) => snapshots.setVisible(metric, visible),
    setAll: (metric, all) => snapshots.setAll(metric, all),
  };
}
