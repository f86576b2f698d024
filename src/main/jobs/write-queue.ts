/**
 * The job pool's writes to the store, in the order their messages arrived. Each runs without the
 * busy timeout (the thread that writes also answers the app, which a write waiting for the lock
 * would freeze): a write refused with SQLITE_BUSY (another process, such as the app deleting a
 * large experiment beside `aisle run`, holds the write lock) is kept, with every write after it,
 * and retried with backoff until the lock is released: training goes on and the run loses nothing.
 * Any other refusal (a full disk, a damaged file) fails its run at once.
 */
import { isDatabaseBusy } from '../../shared/dispatch';

export interface QueuedWrite {
  readonly runId: number;
  /** Bytes of data the write holds (metric values, a Q-table): what waits in memory is bounded by them. */
  readonly bytes: number;
  /** One transaction: it commits whole, or throws having written nothing (so it can be retried). */
  readonly write: () => void;
  /** Called once it has committed: what must not run ahead of the database (a run's final status). */
  readonly done?: () => void;
}

export interface WriteQueueOptions {
  /** Retries start `first` ms apart, and the gap doubles up to `most` ms. */
  readonly retryMs: { readonly first: number; readonly most: number };
  /** After this long without a write getting through, the runs waiting fail (their data is dropped), ms. */
  readonly giveUpMs: number;
  /**
   * Writes held up for less than this are not reported (the `waiting` hook): another process's
   * normal commit holds the lock for a few ms, which the first retry outlasts, ms.
   */
  readonly reportAfterMs: number;
  /** Past this many bytes waiting, the queue says it is full (the pool pauses its workers). */
  readonly maxBacklogBytes: number;
  /** Runs a write so that a locked database refuses it at once, rather than after the busy timeout. */
  readonly withoutWaiting: (write: () => void) => void;
  readonly now?: () => number;
}

export interface WriteQueueHooks {
  /** Writes have waited for the lock reportAfterMs (once each time it goes from free to held that long). */
  waiting(): void;
  /** Everything that waited has been written (or dropped with its run), after `waiting`. */
  resumed(): void;
  /** The backlog passed maxBacklogBytes (true), or is back under half of it (false). */
  full(full: boolean): void;
  /** A write of the run failed for good; the run's other waiting writes were dropped. */
  failed(runId: number, error: Error): void;
}

export class WriteQueue {
  private readonly waiting: QueuedWrite[] = [];
  private bytes = 0;
  private isFull = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay: number;
  /** When a write last got through, or the first was refused since (the give-up clock). */
  private since = 0;
  /** The `waiting` hook was called, and `resumed` not yet. */
  private reported = false;
  private readonly now: () => number;

  constructor(
    private readonly options: WriteQueueOptions,
    private readonly hooks: WriteQueueHooks,
  ) {
    this.delay = options.retryMs.first;
    this.now = options.now ?? (() => performance.now());
  }

  /** Whether writes have waited for the lock long enough to be reported (see `waiting`). */
  get held(): boolean {
    return this.reported;
  }

  /** Writes now when nothing waits (a locked database refuses it at once), else after what waits. */
  write(w: QueuedWrite): void {
    if (this.waiting.length === 0) {
      try {
        this.options.withoutWaiting(w.write);
      } catch (e) {
        if (!isDatabaseBusy(e)) return this.hooks.failed(w.runId, asError(e));
        this.since = this.now();
        this.delay = this.options.retryMs.first;
        this.enqueue(w);
        this.schedule();
        return;
      }
      settled(w);
      return;
    }
    this.enqueue(w);
  }

  /** Writes after what waits, at the next retry (a write just refused: trying it again at once is pointless). */
  later(w: QueuedWrite): void {
    if (this.waiting.length === 0) this.since = this.now();
    this.enqueue(w);
    if (this.timer === undefined) this.schedule();
  }

  /** Drops everything waiting (the pool is closing: its runs are left for the store's recovery). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.length = 0;
    this.bytes = 0;
    this.isFull = false;
    this.reported = false;
  }

  private enqueue(w: QueuedWrite): void {
    this.waiting.push(w);
    this.bytes += w.bytes;
    if (!this.isFull && this.bytes > this.options.maxBacklogBytes) {
      this.isFull = true;
      this.hooks.full(true);
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.retry(), this.delay);
    this.delay = Math.min(this.delay * 2, this.options.retryMs.most);
  }

  private retry(): void {
    this.timer = undefined;
    while (this.waiting.length > 0) {
      const w = this.waiting[0]!;
      try {
        this.options.withoutWaiting(w.write);
      } catch (e) {
        if (!isDatabaseBusy(e)) {
          this.drop(w.runId);
          this.hooks.failed(w.runId, asError(e));
          continue;
        }
        const waited = this.now() - this.since;
        if (!this.reported && waited >= this.options.reportAfterMs) {
          this.reported = true;
          this.hooks.waiting();
        }
        if (waited >= this.options.giveUpMs) this.giveUp();
        break;
      }
      this.waiting.shift();
      this.bytes -= w.bytes;
      this.since = this.now();
      this.delay = this.options.retryMs.first;
      settled(w);
    }
    // Training resumes once half the limit is written (or dropped): not at every batch written.
    if (this.isFull && this.bytes <= this.options.maxBacklogBytes / 2) {
      this.isFull = false;
      this.hooks.full(false);
    }
    if (this.waiting.length === 0) {
      if (this.reported) this.hooks.resumed();
      this.reported = false;
    } else if (this.timer === undefined) this.schedule();
  }

  /** Fails every run with writes waiting (what they would record is dropped), after giveUpMs without a write getting through. */
  private giveUp(): void {
    const error = new Error(`the database was locked by another process for over ${this.options.giveUpMs / 1000} s`);
    const runs = new Set(this.waiting.map((w) => w.runId));
    this.since = this.now(); // the runs' failures, refused too, get as long again (see JobPool.storeFailed)
    for (const runId of runs) {
      this.drop(runId);
      this.hooks.failed(runId, error);
    }
  }

  private drop(runId: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.runId !== runId) continue;
      this.bytes -= this.waiting[i]!.bytes;
      this.waiting.splice(i, 1);
    }
  }
}

/**
 * Tells a write's listener it is written. What the listener does after (the pool's events, the
 * service's reads) is not the write's: should it throw, the write stays written and the queue goes
 * on. From the retry timer, a throw was an uncaught exception that ended `aisle serve`, or in the
 * app left the writes after it waiting for ever.
 */
function settled(w: QueuedWrite): void {
  try {
    w.done?.();
  } catch (e) {
    console.error(`aisle: what follows run ${w.runId}'s write failed (the write is kept):`, e);
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
