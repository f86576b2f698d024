/** Per-episode metric series read back: downsampled or raw. Values are float32 in chunks of up to
 * 4096 episodes, each chunk summarised (see migrations.ts; metric-writer.ts writes them). */
import type Database from 'better-sqlite3';
import { Summary } from './chunk-summary';
import { chunkValues } from './codec';
import { Buckets, CHUNK_EPISODES, bucketSizeFor } from './downsample';
import { DamagedDataError, NotFoundError } from './errors';
import type { MetricRead, MetricSeries, MetricTotal, ReadMetricOptions } from './types';

interface SeriesRecord {
  id: number;
  first_episode: number;
  next_episode: number;
}

interface ChunkSummary {
  start_episode: number;
  count: number;
  present: number;
  min: number | null;
  max: number | null;
  sum: number | null;
}

type ChunkRecord = ChunkSummary & { data: Buffer };

export class Metrics {
  private readonly selectSeries;
  private readonly selectRunSeries;
  private readonly runExists;
  private readonly selectSummaries;
  private readonly selectChunkData;
  private readonly selectChunks;
  private readonly selectTotals;

  /** Runs its function in a (deferred) read transaction: its statements see one snapshot. Nested, a savepoint. */
  private readonly inSnapshot: <T>(read: () => T) => T;

  constructor(db: Database.Database) {
    const snapshot = db.transaction((read: () => unknown) => read());
    this.inSnapshot = <T>(read: () => T): T => snapshot(read) as T;
    this.selectSeries = db.prepare<[number, string], SeriesRecord>(
      `SELECT id, first_episode, next_episode FROM metric_series WHERE run_id = ? AND name = ?`,
    );
    this.selectRunSeries = db.prepare<[number], { name: string; first_episode: number; next_episode: number }>(
      `SELECT name, first_episode, next_episode FROM metric_series WHERE run_id = ? ORDER BY name`,
    );
    this.runExists = db.prepare<[number], number>(`SELECT 1 FROM runs WHERE id = ?`).pluck();
    // A chunk starts inside its grid cell, so the first chunk touching `from` starts at or after
    // the cell's start: a plain index range.
    this.selectSummaries = db.prepare<[number, number, number], ChunkSummary>(
      `SELECT start_episode, count, present, min, max, sum FROM metric_chunks
       WHERE series_id = ? AND start_episode >= ? AND start_episode < ? ORDER BY start_episode`,
    );
    this.selectChunkData = db
      .prepare<[number, number], ChunkRecord>(`SELECT start_episode, count, present, min, max, sum, data FROM metric_chunks WHERE series_id = ? AND start_episode = ?`);
    this.selectChunks = db.prepare<[number, number, number], ChunkRecord>(
      `SELECT start_episode, count, present, min, max, sum, data FROM metric_chunks
       WHERE series_id = ? AND start_episode >= ? AND start_episode < ? ORDER BY start_episode`,
    );
    // sum() skips NULL: a chunk with values but a NULL sum (+Infinity and -Infinity) is counted
    // apart, as its NaN would have made the mean NaN.
    this.selectTotals = db.prepare<[number], { name: string; present: number; sum: number | null; undefined_sum: number | null }>(
      `SELECT s.name, total(c.present) AS present, sum(c.sum) AS sum, max(c.present > 0 AND c.sum IS NULL) AS undefined_sum
       FROM metric_series s LEFT JOIN metric_chunks c ON c.series_id = s.id
       WHERE s.run_id = ? GROUP BY s.id ORDER BY s.name`,
    );
  }

  /** The run's metrics, by name. */
  series(runId: number): MetricSeries[] {
    const rows = this.selectRunSeries.all(runId);
    if (rows.length === 0) this.assertRun(runId);
    return rows.map((r) => ({ name: r.name, firstEpisode: r.first_episode, nextEpisode: r.next_episode }));
  }

  /**
   * Each metric's count of values and their mean, summed by SQLite from the chunks' summaries: a
   * live Run detail asks every 2 s, and reading the summaries row by row into JavaScript (a
   * one-bucket read) took ~6 ms per metric of 10M episodes, this ~0.4 ms.
   */
  totals(runId: number): MetricTotal[] {
    const rows = this.selectTotals.all(runId);
    if (rows.length === 0) this.assertRun(runId);
    return rows.map((r) => ({
      name: r.name,
      values: r.present,
      mean: r.present > 0 && r.sum !== null && !r.undefined_sum ? r.sum / r.present : NaN,
    }));
  }

  /**
   * Min–max–mean buckets of a metric over [from, to) (see {@link MetricRead}). Fine buckets read
   * the chunks' values; a chunk lying wholly inside one coarse bucket contributes its stored
   * summary, without its values being read. Its statements read one snapshot of the database: a
   * run another process deletes or rewinds (`aisle delete`, a resume) meanwhile is read as it was.
   */
  read(runId: number, name: string, options: ReadMetricOptions = {}): MetricRead {
    return this.inSnapshot(() => this.readNow(runId, name, options));
  }

  private readNow(runId: number, name: string, options: ReadMetricOptions): MetricRead {
    const series = this.seriesOf(runId, name);
    const { from, to } = clampRange(series, options.from, options.to);
    const { maxPoints, bucketSize } = options;
    if (maxPoints !== undefined && !(Number.isInteger(maxPoints) && maxPoints >= 1)) {
      throw new RangeError(`maxPoints must be a whole number ≥ 1, got ${maxPoints}`);
    }
    if (bucketSize !== undefined && !(Number.isInteger(bucketSize) && bucketSize >= 1)) {
      throw new RangeError(`bucketSize must be a whole number ≥ 1, got ${bucketSize}`);
    }
    const size = bucketSize ?? (maxPoints !== undefined && maxPoints < to - from ? bucketSizeFor(from, to, maxPoints) : 1);
    const downsampled = size > 1;
    const buckets = new Buckets(from, to, size);
    const lowest = Math.floor(from / CHUNK_EPISODES) * CHUNK_EPISODES;
    if (buckets.size < CHUNK_EPISODES) {
      for (const chunk of this.selectChunks.iterate(series.id, lowest, to)) {
        const values = checkedValues(chunk, runId, name);
        const lo = Math.max(from, chunk.start_episode);
        const hi = Math.min(to, chunk.start_episode + values.length);
        if (lo < hi) buckets.addValues(values, chunk.start_episode, lo, hi);
      }
    } else {
      for (const c of this.selectSummaries.all(series.id, lowest, to)) {
        const chunkEnd = c.start_episode + c.count;
        const lo = Math.max(from, c.start_episode);
        const hi = Math.min(to, chunkEnd);
        if (lo >= hi) continue;
        const b = buckets.bucketOf(lo);
        if (lo === c.start_episode && hi === chunkEnd && b === buckets.bucketOf(hi - 1)) {
          buckets.addSummary(b, c.present, c.min ?? NaN, c.max ?? NaN, c.sum ?? NaN);
        } else {
          const values = checkedValues(this.selectChunkData.get(series.id, c.start_episode)!, runId, name);
          buckets.addValues(values, c.start_episode, lo, hi);
        }
      }
    }
    return {
      name,
      total: series.next_episode - series.first_episode,
      from,
      to,
      bucketSize: buckets.size,
      downsampled,
      ...buckets.result(),
    };
  }

  /** The stored float32 values of episodes [from, to) (default: the whole series), NaN where none; one snapshot, as read's. */
  readRaw(runId: number, name: string, range: { from?: number; to?: number } = {}): Float32Array {
    return this.inSnapshot(() => this.readRawNow(runId, name, range));
  }

  private readRawNow(runId: number, name: string, range: { from?: number; to?: number }): Float32Array {
    const series = this.seriesOf(runId, name);
    const { from, to } = clampRange(series, range.from, range.to);
    const out = new Float32Array(to - from).fill(NaN);
    const lowest = Math.floor(from / CHUNK_EPISODES) * CHUNK_EPISODES;
    for (const chunk of this.selectChunks.iterate(series.id, lowest, to)) {
      const values = checkedValues(chunk, runId, name);
      const lo = Math.max(from, chunk.start_episode);
      const hi = Math.min(to, chunk.start_episode + values.length);
      if (lo < hi) out.set(values.subarray(lo - chunk.start_episode, hi - chunk.start_episode), lo - from);
    }
    return out;
  }

  /** The last `n` stored values (fewer if the series is shorter), for "last 100" summaries. */
  readTail(runId: number, name: string, n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`the tail length must be a whole number ≥ 0, got ${n}`);
    return this.inSnapshot(() => {
      const series = this.seriesOf(runId, name);
      return this.readRawNow(runId, name, { from: Math.max(series.first_episode, series.next_episode - n) });
    });
  }

  /** The mean of the values among the last `n` stored episodes (NaN when none has one). */
  tailMean(runId: number, name: string, n: number): number {
    let sum = 0;
    let count = 0;
    for (const v of this.readTail(runId, name, n)) {
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    return count > 0 ? sum / count : NaN;
  }

  /** Whether the run has stored values of the metric. */
  has(runId: number, name: string): boolean {
    return this.selectSeries.get(runId, name) !== undefined;
  }

  private seriesOf(runId: number, name: string): SeriesRecord {
    const series = this.selectSeries.get(runId, name);
    if (series !== undefined) return series;
    this.assertRun(runId);
    const names = this.selectRunSeries.all(runId).map((r) => r.name);
    const hint = names.length === 0 ? `run ${runId} has no metrics yet` : `run ${runId} has ${names.join(', ')}`;
    throw new NotFoundError('metric', name, hint);
  }

  private assertRun(runId: number): void {
    if (this.runExists.get(runId) === undefined) throw new NotFoundError('run', runId);
  }
}

/**
 * A chunk's values, checked against the summary its row keeps (how many are present, their
 * minimum, maximum and sum), recomputed by the writer's own {@link Summary}: SQLite checks its
 * pages' structure, not what a BLOB holds, and damaged bytes inside one would otherwise be read,
 * charted and exported as plausible returns. A sum that differs by rounding alone (the values
 * added in another order) still passes: within 1e-9 of the values' magnitude, far above any
 * difference of summation order (≤ 4,096 · 2⁻⁵³ of it), and only then is the magnitude summed.
 */
function checkedValues(chunk: ChunkRecord, runId: number, name: string): Float32Array {
  let values: Float32Array;
  try {
    values = chunkValues(chunk.data, chunk.count);
  } catch (e) {
    throw damaged(chunk, runId, name, e instanceof Error ? e.message : String(e));
  }
  const { present, min, max, sum } = Summary.EMPTY.plus(values);
  const range = present === 0 ? chunk.min === null && chunk.max === null : min === chunk.min && max === chunk.max;
  const sums = chunk.sum === null || !Number.isFinite(chunk.sum) || !Number.isFinite(sum) || sum === chunk.sum || Math.abs(sum - chunk.sum) <= 1e-9 * magnitude(values);
  if (present !== chunk.present || !range || !sums) throw damaged(chunk, runId, name, 'the stored values do not match the summary stored beside them');
  return values;
}

/** The sum of the values' absolute values (NaN left out). */
function magnitude(values: Float32Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) total += Math.abs(v);
  }
  return total;
}

function damaged(chunk: ChunkRecord, runId: number, name: string, why: string): DamagedDataError {
  const episodes = `episodes ${chunk.start_episode.toLocaleString('en-US')}–${(chunk.start_episode + chunk.count - 1).toLocaleString('en-US')}`;
  return new DamagedDataError(`run ${runId}'s metric "${name}", ${episodes}: ${why}`);
}

function clampRange(series: SeriesRecord, from?: number, to?: number): { from: number; to: number } {
  for (const [what, v] of [['from', from], ['to', to]] as const) {
    if (v !== undefined && !Number.isSafeInteger(v)) throw new RangeError(`${what} must be an episode index, got ${v}`);
  }
  const lo = Math.min(Math.max(from ?? series.first_episode, series.first_episode), series.next_episode);
  const hi = Math.min(Math.max(to ?? series.next_episode, lo), series.next_episode);
  return { from: lo, to: hi };
}
