/** The write path of per-episode metric series: a batch's values go straight into their grid
 * cells' chunks, the open cell's chunk being replaced as it grows, with nothing read back. */
import type Database from 'better-sqlite3';
import { Summary } from './chunk-summary';
import { chunkBlob, chunkValues } from './codec';
import { CHUNK_EPISODES } from './downsample';
import type { MetricBatch } from './types';

/**
 * How many runs' series stay cached. A run's entries are dropped when it finishes or is deleted;
 * this bound only matters when runs are abandoned mid-way (a cold series costs two SELECTs).
 */
const CACHED_RUNS = 64;

/** A series as this writer last committed it. */
interface SeriesState {
  readonly id: number;
  /** One past the last stored episode (metric_series.next_episode, confirmed within a transaction). */
  readonly next: number;
  /** The open cell's values, when `next` is inside a cell; undefined also means "not loaded yet". */
  readonly tail: Tail | undefined;
}

/** The open cell's chunk: values [start, next) of the series, NaN where an episode has none. */
interface Tail {
  readonly start: number;
  /** CHUNK_EPISODES long; only the first next − start values are valid. Shared between a tail and
   * its successor (a batch writes after the valid values), so a failed write leaves it usable. */
  readonly values: Float32Array;
  readonly summary: Summary;
  /** Legacy layout: the cell holds several pieces, to be deleted before the merged chunk is written. */
  readonly pieces: boolean;
}

/** A metric_chunks row: series, start, count, present, min, max, sum, data (positional: see putChunk). */
type ChunkRow = [number, number, number, number, number | null, number | null, number, Buffer];

/**
 * Appends batches to metric series. The layout is one chunk per grid cell (see migrations.ts): a
 * series' filled cells hold final chunks, and its last cell, while incomplete, the tail chunk, which
 * every batch adding to it replaces (written from the values cached here, never read back). A batch
 * starting in a later cell leaves the tail as a short final chunk (the gap reads as NaN); a gap
 * inside the open cell is stored as NaN. Files written by earlier builds may hold several pieces
 * in a cell: they read the same, and an open cell's pieces are merged on its next write.
 *
 * The cache (series ids, ends, tail values) saves a SELECT per series per batch and the read-back
 * of the tail. It only ever holds committed states, and each write first checks the stored end
 * against it (see `advanceSeries`), so a stale entry is reloaded rather than written over.
 */
export class MetricWriter {
  /** runId → metric name → state as of the last committed write; LRU order by run. */
  private readonly cache = new Map<number, Map<string, SeriesState>>();
  /** States written by the transaction in progress, applied by {@link commit}. */
  private staged: { runId: number; name: string; state: SeriesState }[] = [];
  private readonly selectSeries;
  private readonly insertSeries;
  private readonly advanceSeries;
  private readonly selectCell;
  private readonly deleteCell;
  private readonly putChunk;
  private readonly selectRunSeries;
  private readonly deleteSeries;
  private readonly deleteFrom;
  private readonly setEnd;

  constructor(db: Database.Database) {
    this.selectSeries = db.prepare<[number, string], { id: number; next_episode: number }>(
      `SELECT id, next_episode FROM metric_series WHERE run_id = ? AND name = ?`,
    );
    this.insertSeries = db.prepare<[number, string, number, number], void>(
      `INSERT INTO metric_series (run_id, name, first_episode, next_episode) VALUES (?, ?, ?, ?)`,
    );
    // Conditional on the end this writer knows: no change means the cached state is not what is
    // stored (another writer moved the series, an outer transaction rolled back, the run was
    // deleted), and it is reloaded. Every write passes here first, so a stale cache is never used.
    this.advanceSeries = db.prepare<[number, number, number, number], void>(
      `UPDATE metric_series SET next_episode = ? WHERE id = ? AND run_id = ? AND next_episode = ?`,
    );
    this.selectCell = db.prepare<[number, number, number], { start_episode: number; count: number; data: Buffer }>(
      `SELECT start_episode, count, data FROM metric_chunks
       WHERE series_id = ? AND start_episode >= ? AND start_episode < ? ORDER BY start_episode`,
    );
    this.deleteCell = db.prepare<[number, number, number], void>(
      `DELETE FROM metric_chunks WHERE series_id = ? AND start_episode >= ? AND start_episode < ?`,
    );
    // Positional parameters: binding them costs ~2 µs a row less than named ones (measured here).
    this.putChunk = db.prepare<ChunkRow, void>(
      `INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, start_episode) DO UPDATE SET count = excluded.count,
         present = excluded.present, min = excluded.min, max = excluded.max, sum = excluded.sum,
         data = excluded.data`,
    );
    this.selectRunSeries = db.prepare<[number], { id: number; first_episode: number; next_episode: number }>(
      `SELECT id, first_episode, next_episode FROM metric_series WHERE run_id = ?`,
    );
    this.deleteSeries = db.prepare<[number], void>(`DELETE FROM metric_series WHERE id = ?`);
    this.deleteFrom = db.prepare<[number, number], void>(`DELETE FROM metric_chunks WHERE series_id = ? AND start_episode >= ?`);
    this.setEnd = db.prepare<[number, number], void>(`UPDATE metric_series SET next_episode = ? WHERE id = ?`);
  }

  /**
   * Cuts the run's series back to episodes [first, `episode`): what a run wrote after the state it
   * resumes from (an autosave, then a crash) goes, so the resumed run writes those episodes anew.
   * The chunk that straddles `episode` is rewritten with its first values and their summary, as if
   * the series had ended there; a series that starts at or after it is deleted. Call inside a
   * transaction; the run's cached series are dropped (they may roll back).
   */
  truncateRun(runId: number, episode: number): void {
    this.forgetRun(runId);
    for (const series of this.selectRunSeries.all(runId)) {
      if (series.first_episode >= episode) {
        this.deleteSeries.run(series.id);
        continue;
      }
      if (series.next_episode <= episode) continue;
      // The chunk straddling `episode` lies in its cell (a chunk never leaves its cell).
      const cellStart = cellOf(episode) * CHUNK_EPISODES;
      for (const chunk of this.selectCell.all(series.id, cellStart, episode)) {
        if (chunk.start_episode + chunk.count <= episode) continue;
        const kept = chunkValues(chunk.data, chunk.count).slice(0, episode - chunk.start_episode);
        this.putChunk.run(...chunkRow(series.id, chunk.start_episode, kept, Summary.EMPTY.plus(kept)));
      }
      this.deleteFrom.run(series.id, episode);
      this.setEnd.run(episode, series.id);
    }
  }

  /**
   * Writes one batch; call inside a transaction, then {@link commit} once it has committed or
   * {@link discard} if it did not. Each metric's batch must start at or after its series' end:
   * episodes already stored are never rewritten. A gap reads as NaN (no value).
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
    for (const [name, values] of Object.entries(columns)) {
      // float64 in is rounded to float32 once, so summaries describe exactly the stored values.
      const float32 = values instanceof Float32Array ? values : Float32Array.from(values);
      this.staged.push({ runId, name, state: this.appendSeries(runId, name, start, float32) });
    }
  }

  /** The transaction committed: later batches continue from the states it wrote. */
  commit(): void {
    for (const { runId, name, state } of this.staged) this.runSeries(runId).set(name, state);
    this.staged = [];
  }

  /** The transaction rolled back (or may still, inside an outer one): keep the states from before. */
  discard(): void {
    this.staged = [];
  }

  /** Drops a run's cached series (it finished or was deleted). */
  forgetRun(runId: number): void {
    this.cache.delete(runId);
  }

  forgetAll(): void {
    this.cache.clear();
  }

  private appendSeries(runId: number, name: string, start: number, values: Float32Array): SeriesState {
    const end = start + values.length;
    let state = this.cache.get(runId)?.get(name);
    // A cached end past `start` may be a rolled-back write: only the database can refuse the batch.
    if (state === undefined || start < state.next) state = this.load(runId, name, start, end);
    else if (this.advanceSeries.run(end, state.id, runId, state.next).changes === 0) state = this.load(runId, name, start, end);
    if (state === undefined) {
      // A new series, whose first batch starts it.
      const id = Number(this.insertSeries.run(runId, name, start, end).lastInsertRowid);
      return this.writeCells({ id, next: start, tail: undefined }, start, values, false);
    }
    if (start < state.next) {
      throw new RangeError(
        `metric "${name}" of run ${runId} already has episodes up to ${state.next - 1}; ` +
          `a batch starting at episode ${start} would overwrite them`,
      );
    }
    return this.writeCells(state, start, values, state.next % CHUNK_EPISODES !== 0 && cellOf(state.next - 1) === cellOf(start));
  }

  /** Writes `values` from episode `start` into the series' chunks; `continues`: into its open cell. */
  private writeCells(state: SeriesState, start: number, values: Float32Array, continues: boolean): SeriesState {
    const id = state.id;
    const end = start + values.length;
    let tail: Tail | undefined;
    let episode = start;
    if (continues) {
      // The batch continues the open cell: the tail chunk is replaced by itself plus the new values.
      const open = state.tail ?? this.loadTail(id, state.next);
      const cellEnd = (cellOf(start) + 1) * CHUNK_EPISODES;
      const segmentEnd = Math.min(end, cellEnd);
      const buffer = open.values;
      const segment = values.subarray(0, segmentEnd - start);
      buffer.fill(NaN, state.next - open.start, start - open.start);
      buffer.set(segment, start - open.start);
      const summary = open.summary.plus(segment);
      const merged = buffer.subarray(0, segmentEnd - open.start);
      if (open.pieces) this.deleteCell.run(id, cellEnd - CHUNK_EPISODES, cellEnd);
      this.putChunk.run(...chunkRow(id, open.start, merged, summary));
      if (segmentEnd < cellEnd) tail = { start: open.start, values: buffer, summary, pieces: false };
      episode = segmentEnd;
    }
    while (episode < end) {
      const cellEnd = (cellOf(episode) + 1) * CHUNK_EPISODES;
      const segmentEnd = Math.min(end, cellEnd);
      const segment = values.subarray(episode - start, segmentEnd - start);
      const summary = Summary.EMPTY.plus(segment);
      this.putChunk.run(...chunkRow(id, episode, segment, summary));
      if (segmentEnd < cellEnd) {
        // The batch ends inside this cell: keep its values for the next batch, in a buffer of its
        // own (the batch's arrays belong to the caller).
        const buffer = new Float32Array(CHUNK_EPISODES);
        buffer.set(segment);
        tail = { start: episode, values: buffer, summary, pieces: false };
      }
      episode = segmentEnd;
    }
    return { id, next: end, tail };
  }

  /**
   * The series as stored, its end already advanced to `end` when the batch can be written (start
   * at or after the stored end); undefined when the series does not exist yet.
   */
  private load(runId: number, name: string, start: number, end: number): SeriesState | undefined {
    this.cache.get(runId)?.delete(name);
    const row = this.selectSeries.get(runId, name);
    if (row === undefined) return undefined;
    if (start >= row.next_episode) this.advanceSeries.run(end, row.id, runId, row.next_episode);
    return { id: row.id, next: row.next_episode, tail: undefined };
  }

  /** The open cell's values, read back (the cache is cold: the store was reopened, or evicted it). */
  private loadTail(id: number, next: number): Tail {
    const cellStart = cellOf(next - 1) * CHUNK_EPISODES;
    const chunks = this.selectCell.all(id, cellStart, next);
    const start = chunks[0]?.start_episode ?? next;
    const values = new Float32Array(CHUNK_EPISODES).fill(NaN);
    for (const chunk of chunks) values.set(chunkValues(chunk.data, chunk.count), chunk.start_episode - start);
    const summary = Summary.EMPTY.plus(values.subarray(0, next - start));
    return { start, values, summary, pieces: chunks.length > 1 };
  }

  private runSeries(runId: number): Map<string, SeriesState> {
    let series = this.cache.get(runId);
    if (series !== undefined) {
      this.cache.delete(runId); // re-inserted below: the most recently written run comes last
    } else {
      series = new Map();
      if (this.cache.size >= CACHED_RUNS) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(runId, series);
    return series;
  }
}

function cellOf(episode: number): number {
  return Math.floor(episode / CHUNK_EPISODES);
}

function chunkRow(series: number, start: number, values: Float32Array, s: Summary): ChunkRow {
  const none = s.present === 0;
  // SQLite stores NaN as NULL (a sum of +Infinity and -Infinity); the reader maps it back.
  return [series, start, values.length, s.present, none ? null : s.min, none ? null : s.max, s.sum, chunkBlob(values, s)];
}
