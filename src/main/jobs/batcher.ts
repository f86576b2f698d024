import type { SpareColumns } from './spare-columns';

/**
 * Collects per-episode metric rows into column buffers and hands them out as a batch at most every
 * `flushMs`. Reading the clock costs tens of nanoseconds, a sizeable share of a 100-step tabular
 * episode, so the clock is read only every `checkEvery` episodes, a stride that adapts to keep
 * about one clock read per millisecond.
 */
export class MetricBatcher {
  private columns: Float32Array[];
  private capacity = 1024;
  private count = 0;
  private start = 0;
  private lastFlush: number;
  private sinceCheck = 0;
  private checkEvery = 1;
  private lastCheck: number;
  /** See {@link expectEnd}. */
  private end: { readonly episodes: number; readonly ms: number; firstEpisode: number; firstTime: number } | undefined;

  constructor(
    private readonly width: number,
    private readonly flushMs: number,
    private readonly now: () => number,
    private readonly emit: (start: number, count: number, columns: Float32Array[]) => void,
    /**
     * `handOver` (the default): a batch's columns are the consumer's to keep (the worker transfers
     * them to the parent). `lend`: they are valid only during emit (a consumer that writes them
     * away at once, like the store in-process), and the batcher collects the next batch in the
     * same buffers: memory this VM hands out fresh costs ~2.5 ns a value in page faults alone,
     * as much as collecting the value.
     */
    private readonly columnsAre: 'handOver' | 'lend' = 'handOver',
    /** Where columns come from and go back to (see SpareColumns); without it, always new memory. */
    private readonly spare?: SpareColumns,
  ) {
    this.columns = this.newColumns(this.capacity);
    this.lastFlush = this.lastCheck = now();
  }

  /**
   * Tells the batcher that the run ends after episode `episodes` − 1. Once the episodes left look
   * like less than `ms` of work at the rate so far, it flushes one extra time: what is collected
   * after that, and so must still be written once the run is over, is then ~`ms` of episodes
   * rather than up to `flushMs` of them. One message more per run.
   */
  expectEnd(episodes: number, ms: number): void {
    this.end = { episodes, ms, firstEpisode: -1, firstTime: 0 };
  }

  /** Adds episode `episode`'s row; flushes when the interval has passed. */
  push(episode: number, row: Readonly<Float64Array>): void {
    this.pushRows(episode, 1, row);
  }

  /**
   * Adds the rows of episodes first .. first + count − 1 (`count` × width values, row-major), as
   * `count` calls of {@link push} would, with one clock read at most. `columns`, when given, are
   * the same values already rounded to float32, a column each (the WebAssembly kernel writes
   * both): they are copied as they are instead of transposing the rows.
   */
  pushRows(first: number, count: number, rows: Readonly<Float64Array>, columns?: readonly Readonly<Float32Array>[]): void {
    if (this.count === 0) this.start = first;
    while (this.count + count > this.capacity) this.grow();
    const width = this.width;
    if (columns && columns.length === width) {
      for (let m = 0; m < width; m++) this.columns[m]!.set(columns[m]!.subarray(0, count), this.count);
    } else {
      for (let m = 0; m < width; m++) {
        const column = this.columns[m]!;
        for (let i = 0, at = this.count; i < count; i++, at++) column[at] = rows[i * width + m]!;
      }
    }
    this.count += count;
    this.sinceCheck += count;
    if (this.sinceCheck < this.checkEvery) return;
    this.sinceCheck = 0;
    const t = this.now();
    // Aim for one clock read per millisecond.
    const elapsed = t - this.lastCheck;
    this.lastCheck = t;
    if (elapsed < 0.5 && this.checkEvery < 1 << 16) this.checkEvery *= 2;
    else if (elapsed > 2 && this.checkEvery > 1) this.checkEvery >>= 1;
    if (t - this.lastFlush >= this.flushMs || this.nearEnd(first + count, t)) this.flush(t);
  }

  /** Whether the run's end is now less than end.ms away (true once; see {@link expectEnd}). */
  private nearEnd(done: number, t: number): boolean {
    const end = this.end;
    if (!end) return false;
    if (end.firstEpisode < 0) {
      end.firstEpisode = done;
      end.firstTime = t;
      return false;
    }
    // (episodes left) / (episodes per ms so far) < ms, without dividing
    if ((end.episodes - done) * (t - end.firstTime) >= end.ms * (done - end.firstEpisode)) return false;
    this.end = undefined;
    return true;
  }

  /**
   * Sends whatever is buffered (at the end of a run, or on cancel). The batch's columns are views
   * of the buffers they were collected in, never copies. Handed over, they go whole (the worker
   * transfers them to the parent) and the next batch is collected in new buffers sized for one
   * like it, so a steady run does not regrow its buffers batch after batch.
   */
  flush(t = this.now()): void {
    this.lastFlush = t;
    const count = this.count;
    if (count === 0) return;
    const out = this.columns.map((c) => c.subarray(0, count));
    this.count = 0;
    if (this.columnsAre === 'handOver') {
      while (this.capacity < count + (count >> 2)) this.capacity *= 2;
      this.columns = this.newColumns(this.capacity);
    }
    this.emit(this.start, count, out);
  }

  /** Gives the columns to the spare buffers (the batcher is done: call after the last flush). */
  release(): void {
    if (this.spare) for (const c of this.columns) this.spare.give(c.buffer as ArrayBuffer);
    this.columns = [];
    this.capacity = 0;
  }

  private grow(): void {
    const old = this.columns;
    this.columns = this.newColumns(Math.max(1024, this.capacity * 2));
    for (let m = 0; m < old.length; m++) {
      this.columns[m]!.set(old[m]!.subarray(0, this.count));
      this.spare?.give(old[m]!.buffer as ArrayBuffer);
    }
  }

  /** A column each of at least `length` values; the capacity becomes the shortest's length. */
  private newColumns(length: number): Float32Array[] {
    const columns = Array.from({ length: this.width }, () => (this.spare ? this.spare.take(length) : new Float32Array(length)));
    this.capacity = columns.reduce((least, c) => Math.min(least, c.length), Infinity);
    if (this.width === 0) this.capacity = length;
    return columns;
  }
}
