/**
 * A read that a pushed event makes out of date (the Experiments list's run counts after a
 * run.status push): its answer is shown only if it was asked after every push heard so far, so an
 * answer asked before a push never lands after it (unless pushes keep every answer out for
 * BURST_LIMIT_MS). Refreshing through a throttle let a read asked
 * before a run's completed push answer after it, and the list counted the run "1 running" until the
 * throttled read came. Pushes in a burst (a sweep's runs finishing) cost one read more, not one each.
 */

/** What is shown: the last answer kept (also while a newer read is under way or fails), and a failure of the latest read. */
export interface FreshAnswer<T> {
  readonly data?: T;
  readonly error?: Error;
}

/**
 * How long (ms) pushes may keep every answer out before one asked before the latest push is shown
 * anyway: with pushes coming faster than reads answer (a sweep of quick runs: 200 pushes in 1.3 s),
 * no read would be asked after the latest one, and the list would not move until they stop. Such an
 * answer is still newer than the one shown (one read at a time: they answer in the order asked), and
 * the list moves as often as the 500 ms throttle it replaces let it; a lone push never waits this long.
 */
export const BURST_LIMIT_MS = 500;

/**
 * At most one read in flight and one more owed. `heard()` says something has changed: a read
 * starts at once if none is under way; else the one under way is out of date (its answer is
 * dropped) and one more is asked as it answers, however many pushes come meanwhile. `later()` says
 * something has changed that may wait (a training run's progress): a read is owed, asked `paceMs`
 * after the last answer, and the answer under way is still shown (newer than the one shown).
 */
export class FreshRead<T> {
  private inFlight = false;
  /** A `later()` heard while the read under way was asked: one more read is owed, at the pace. */
  private owedLater = false;
  /** The read `later()` put off, waiting for its time. */
  private paced: ReturnType<typeof setTimeout> | null = null;
  private lastAnswered = -Infinity;
  /** When the first push the shown answer does not cover was heard (null: it covers every one). */
  private owedSince: number | null = null;
  /**
   * When the first push after the read under way was asked came (null: none has): with one, its
   * answer is out of date, one more read is owed, and that push is the first its answer leaves owed.
   */
  private firstPushSinceAsked: number | null = null;
  private shown: FreshAnswer<T> = {};
  private closed = false;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly show: (answer: FreshAnswer<T>) => void,
    private readonly now: () => number = Date.now,
    /** How long after an answer a read owed only to `later()` waits (a heavy read not asked back to back while runs train). */
    private readonly paceMs = 0,
  ) {}

  /** A push (or a change made here) after which a read asked before it may be out of date. */
  heard(): void {
    if (this.closed) return;
    this.owedSince ??= this.now();
    if (!this.inFlight) return this.ask();
    this.firstPushSinceAsked ??= this.now();
  }

  /**
   * A change after which the answer may wait up to `paceMs` (progress while runs train): one read
   * owed, however many come, asked `paceMs` after the last answer; an answer asked before it is shown.
   */
  later(): void {
    if (this.closed) return;
    if (this.inFlight) this.owedLater = true;
    else this.askLater();
  }

  /** No more reads, and no answer shown (the screen has gone). */
  close(): void {
    this.closed = true;
    if (this.paced !== null) clearTimeout(this.paced);
    this.paced = null;
  }

  private askLater(): void {
    if (this.paced !== null) return;
    const wait = Math.max(0, this.lastAnswered + this.paceMs - this.now());
    this.paced = setTimeout(() => {
      this.paced = null;
      if (!this.closed && !this.inFlight) this.ask();
    }, wait);
  }

  private ask(): void {
    // This read covers every change heard so far, those put off by later() too.
    if (this.paced !== null) clearTimeout(this.paced);
    this.paced = null;
    this.owedLater = false;
    this.inFlight = true;
    this.firstPushSinceAsked = null;
    this.read().then(
      (data) => this.answered({ data }),
      (e: unknown) => this.answered({ error: e instanceof Error ? e : new Error(String(e)) }),
    );
  }

  private answered(outcome: { data: T } | { error: Error }): void {
    this.inFlight = false;
    this.lastAnswered = this.now();
    if (this.closed) return;
    if (this.firstPushSinceAsked === null) {
      this.owedSince = null;
      this.publish(outcome);
      if (this.owedLater) this.askLater();
      return;
    }
    // Pushes have kept every answer out for long enough: this one, older than the latest push but
    // newer than the one shown, is shown, and the read that follows catches up.
    if ('data' in outcome && this.owedSince !== null && this.now() - this.owedSince >= BURST_LIMIT_MS) {
      this.owedSince = this.firstPushSinceAsked;
      this.publish(outcome);
    }
    this.ask();
  }

  private publish(outcome: { data: T } | { error: Error }): void {
    this.shown = 'data' in outcome ? { data: outcome.data } : { ...this.shown, error: outcome.error };
    this.show(this.shown);
  }
}
