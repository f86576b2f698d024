/** Per-episode metric series: batches from training workers in, downsampled or raw series out.
 * Values are float32 in chunks of up to 4096 episodes, each chunk summarised (see migrations.ts). */
import type Database from 'better-sqlite3';
import { float32Blob, readFloat32 } from './codec';
import { Buckets, CHUNK_EPISODES, bucketSizeFor } from './downsample';
import { NotFoundError } from './errors';
import type { MetricBatch, MetricRead, MetricSeries, ReadMetricOptions } from './types';

/**
 * Batches land as pieces inside a grid cell (an insert, no rewrite: cheap at 10 batches a second).
 * A cell's pieces are merged into one chunk when the cell fills, or when it reaches this many
 * pieces, so tiny batches neither bloat the file nor slow reads.
 */
const MAX_PIECES = 32;

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

interface Summary {
  present: number;
  min: number | null;
  max: number | null;
  sum: number;
}

export class Metrics {
  private readonly selectSeries;
  private readonly selectRunSeries;
  private readonly runExists;
  private readonly insertSeries;
  private readonly updateSeriesEnd;
  private readonly countPieces;
  private readonly deleteCell;
  private readonly insertChunk;
  private readonly selectSummaries;
  private readonly selectChunkData;
  private readonly selectChunks;

  constructor(db: Database.Database) {
    this.selectSeries = db.prepare<[number, string], SeriesRecord>(
      `SELECT id, first_episode, next_episode FROM metric_series WHERE run_id = ? AND name = ?`,
    );
    this.selectRunSeries = db.prepare<[number], { name: string; first_episode: number; next_episode: number }>(
      `SELECT name, first_episode, next_episode FROM metric_series WHERE run_id = ? ORDER BY name`,
    );
    this.runExists = db.prepare<[number], number>(`SELECT 1 FROM runs WHERE id = ?`).pluck();
    this.insertSeries = db.prepare<[number, string, number, number], void>(
      `INSERT INTO metric_series (run_id, name, first_episode, next_episode) VALUES (?, ?, ?, ?)`,
    );
    this.updateSeriesEnd = db.prepare<[number, number], void>(`UPDATE metric_series SET next_episode = ? WHERE id = ?`);
    this.countPieces = db
      .prepare<[number, number, number], number>(
        `SELECT count(*) FROM metric_chunks WHERE series_id = ? AND start_episode >= ? AND start_episode < ?`,
      )
      .pluck();
    this.deleteCell = db.prepare<[number, number, number], void>(
      `DELETE FROM metric_chunks WHERE series_id = ? AND start_episode >= ? AND start_episode < ?`,
    );
    this.insertChunk = db.prepare(
      `INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data)
       VALUES (@series, @start, @count, @present, @min, @max, @sum, @data)`,
    );
    // A chunk starts inside its grid cell, so the first chunk touching `from` starts at or after
    // the cell's start: a plain index range.
    this.selectSummaries = db.prepare<[number, number, number], ChunkSummary>(
      `SELECT start_episode, count, present, min, max, sum FROM metric_chunks
       WHERE series_id = ? AND start_episode >= ? AND start_episode < ? ORDER BY start_episode`,
    );
    this.selectChunkData = db
      .prepare<[number, number], Buffer>(`SELECT data FROM metric_chunks WHERE series_id = ? AND start_episode = ?`)
      .pluck();
    this.selectChunks = db.prepare<[number, number, number], { start_episode: number; data: Buffer }>(
      `SELECT start_episode, data FROM metric_chunks
       WHERE series_id = ? AND start_episode >= ? AND start_episode < ? ORDER BY start_episode`,
    );
  }

  /**
   * Writes one batch (call inside a transaction). Each metric's batch must start at or after its
   * series' end: episodes already stored are never rewritten. A gap reads as NaN (no value).
   */
  append(runId: number, batch: MetricBatch): void {
    const { start, count, columns } = batch;
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`batch start must be an episode index ≥ 0, got ${start}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`batch count must be an integer ≥ 0, got ${count}`);
    for (const [name, values] of Object.entries(columns)) {
      if (name.length === 0) throw new RangeError('a metric name is empty');
      if (values.length !== count) {
        throw new RangeError(`metric "${name}" has ${values.length} values for a batch of ${count} episodes`);
      }
    }
    if (count === 0) return;
    for (const [name, values] of Object.entries(columns)) this.appendSeries(runId, name, start, values);
  }

  private appendSeries(runId: number, name: string, start: number, values: Float32Array | Float64Array): void {
    let series = this.selectSeries.get(runId, name);
    if (series === undefined) {
      const id = Number(this.insertSeries.run(runId, name, start, start).lastInsertRowid);
      series = { id, first_episode: start, next_episode: start };
    } else if (start < series.next_episode) {
      throw new RangeError(
        `metric "${name}" of run ${runId} already has episodes up to ${series.next_episode - 1}; ` +
          `a batch starting at episode ${start} would overwrite them`,
      );
    }
    const end = start + values.length;
    let episode = start;
    while (episode < end) {
      const cellStart = cellOf(episode) * CHUNK_EPISODES;
      const cellEnd = cellStart + CHUNK_EPISODES;
      const segmentEnd = Math.min(end, cellEnd);
      const segment = new Float32Array(segmentEnd - episode);
      segment.set(values.subarray(episode - start, segmentEnd - start)); // rounds float64 to float32
      const cellHasPieces = episode === start && series.next_episode > Math.max(cellStart, series.first_episode);
      if (cellHasPieces && (segmentEnd === cellEnd || this.countPieces.get(series.id, cellStart, cellEnd)! + 1 >= MAX_PIECES)) {
        this.mergeCell(series.id, cellStart, cellEnd, episode, segment);
      } else {
        this.insertChunk.run(chunkParams(series.id, episode, segment));
      }
      episode = segmentEnd;
    }
    this.updateSeriesEnd.run(end, series.id);
  }

  /** Replaces the cell's pieces and the new `segment` (at `at`) by one chunk. */
  private mergeCell(seriesId: number, cellStart: number, cellEnd: number, at: number, segment: Float32Array): void {
    const pieces = this.selectChunks.all(seriesId, cellStart, cellEnd);
    const first = pieces[0]?.start_episode ?? at;
    const merged = new Float32Array(at + segment.length - first).fill(NaN);
    for (const piece of pieces) merged.set(readFloat32(piece.data), piece.start_episode - first);
    merged.set(segment, at - first);
    this.deleteCell.run(seriesId, cellStart, cellEnd);
    this.insertChunk.run(chunkParams(seriesId, first, merged));
  }

  /** The run's metrics, by name. */
  series(runId: number): MetricSeries[] {
    const rows = this.selectRunSeries.all(runId);
    if (rows.length === 0) this.assertRun(runId);
    return rows.map((r) => ({ name: r.name, firstEpisode: r.first_episode, nextEpisode: r.next_episode }));
  }

  /**
   * Min–max–mean buckets of a metric over [from, to) (see {@link MetricRead}). Fine buckets read
   * the chunks' values; a chunk lying wholly inside one coarse bucket contributes its stored
   * summary, without its values being read.
   */
  read(runId: number, name: string, options: ReadMetricOptions = {}): MetricRead {
    const series = this.seriesOf(runId, name);
    const { from, to } = clampRange(series, options.from, options.to);
    const { maxPoints } = options;
    if (maxPoints !== undefined && !(Number.isInteger(maxPoints) && maxPoints >= 1)) {
      throw new RangeError(`maxPoints must be a whole number ≥ 1, got ${maxPoints}`);
    }
    const downsampled = maxPoints !== undefined && maxPoints < to - from;
    const buckets = new Buckets(from, to, downsampled ? bucketSizeFor(from, to, maxPoints) : 1);
    const lowest = Math.floor(from / CHUNK_EPISODES) * CHUNK_EPISODES;
    if (buckets.size < CHUNK_EPISODES) {
      for (const chunk of this.selectChunks.iterate(series.id, lowest, to)) {
        const values = readFloat32(chunk.data);
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
          const values = readFloat32(this.selectChunkData.get(series.id, c.start_episode)!);
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

  /** The stored float32 values of episodes [from, to) (default: the whole series), NaN where none. */
  readRaw(runId: number, name: string, range: { from?: number; to?: number } = {}): Float32Array {
    const series = this.seriesOf(runId, name);
    const { from, to } = clampRange(series, range.from, range.to);
    const out = new Float32Array(to - from).fill(NaN);
    const lowest = Math.floor(from / CHUNK_EPISODES) * CHUNK_EPISODES;
    for (const chunk of this.selectChunks.iterate(series.id, lowest, to)) {
      const values = readFloat32(chunk.data);
      const lo = Math.max(from, chunk.start_episode);
      const hi = Math.min(to, chunk.start_episode + values.length);
      if (lo < hi) out.set(values.subarray(lo - chunk.start_episode, hi - chunk.start_episode), lo - from);
    }
    return out;
  }

  /** The last `n` stored values (fewer if the series is shorter), for "last 100" summaries. */
  readTail(runId: number, name: string, n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`the tail length must be a whole number ≥ 0, got ${n}`);
    const series = this.seriesOf(runId, name);
    return this.readRaw(runId, name, { from: Math.max(series.first_episode, series.next_episode - n) });
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

function cellOf(episode: number): number {
  return Math.floor(episode / CHUNK_EPISODES);
}

function clampRange(series: SeriesRecord, from?: number, to?: number): { from: number; to: number } {
  for (const [what, v] of [['from', from], ['to', to]] as const) {
    if (v !== undefined && !Number.isSafeInteger(v)) throw new RangeError(`${what} must be an episode index, got ${v}`);
  }
  const lo = Math.min(Math.max(from ?? series.first_episode, series.first_episode), series.next_episode);
  const hi = Math.min(Math.max(to ?? series.next_episode, lo), series.next_episode);
  return { from: lo, to: hi };
}

function summarize(values: Float32Array): Summary {
  let present = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    present++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return present === 0 ? { present, min: null, max: null, sum: 0 } : { present, min, max, sum };
}

function chunkParams(series: number, start: number, values: Float32Array): Record<string, unknown> {
  const { present, min, max, sum } = summarize(values);
  // SQLite stores NaN as NULL (a sum of +Infinity and -Infinity); the reader maps it back.
  return { series, start, count: values.length, present, min, max, sum, data: float32Blob(values) };
}
