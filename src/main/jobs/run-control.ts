/**
 * A run's flags in memory shared by the pool and the worker training it. The worker is busy
 * training and reads no messages, so stopping (cancel), holding (a user's pause: stop after the
 * block of episodes under way, keeping the run's state to resume it) and pausing (the pool's writes
 * are held up by a locked database) are flags it reads after every block of episodes. So is how far
 * the pool is behind the worker's messages (see MOST_UNHANDLED).
 */
const STOP = 0;
const PAUSE = 1;
const HOLD = 2;
/** The run's messages the worker has posted and the pool not yet handled. */
const UNHANDLED = 3;
/** Changed at every message handled and every stop or hold: what a worker waiting for the pool sleeps on. */
const WAKE = 4;
/** The bytes of the run's messages posted and not yet handled, in KiB rounded up per message (an Int32 of bytes ends at 2 GiB, less than one autosave of a large replay buffer and what may wait behind it). */
const UNHANDLED_KIB = 5;
const SLOTS = 6;

/**
 * How many of a run's messages may wait for the pool before the worker waits for it, after its
 * block of episodes. A main thread kept busy (a long read answering the app, a loaded machine, a
 * slow disk) handles nothing, and a fast run's metric batches (~1.5 MB each on the tabular kernel,
 * ten a second), checkpoints and autosaves piled up in its message queue without bound; a pause or
 * cancel, whose end is written after all of them, waited behind them too. 16 is ~1.6 s of a run's
 * batches at the default 100 ms: a main thread that keeps up never makes a worker wait. Waiting
 * only delays training, which goes on from the same episode with the same results.
 */
export const MOST_UNHANDLED = 16;

/**
 * How many bytes of a run's messages may wait for the pool before the worker waits for it, before
 * its next message. A message is not always a ~1.5 MB metric batch: a tabular agent's Q-table
 * snapshot is up to 2^25 doubles (256 MiB, MAX_TABLE_VALUES), a network's weights up to 2^24 floats
 * (64 MiB), an autosave holds the agent's tables or its replay buffer (up to 1 GiB), so
 * MOST_UNHANDLED of them were gigabytes held in this process's memory. A normal run's messages stay
 * far below (16 metric batches are ~24 MB; the presets' snapshots measured 0.4–130 KB, shop
 * calibrated's the largest), so a main thread that keeps up never makes a worker wait. A message larger than the bound
 * alone still goes, once what waits before it is handled: bytes unhandled stay within the bound and
 * one message.
 */
export const MOST_UNHANDLED_BYTES = 128 * 2 ** 20;

/** A message's bytes as the unhandled count keeps them: whole KiB, rounded up (the same on both sides). */
function kib(bytes: number): number {
  return Math.ceil(bytes / 1024);
}

export class RunControl {
  private readonly flags: Int32Array;

  /** A new control (the pool), or the view of one received with the run (the worker). */
  constructor(readonly buffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.flags = new Int32Array(buffer);
  }

  /** Asks the worker to stop after its current episode, waking it if it is paused. */
  stop(): void {
    this.raise(STOP);
  }

  get stopped(): boolean {
    return Atomics.load(this.flags, STOP) !== 0;
  }

  /**
   * Asks the worker to stop after its current block of episodes (never inside an episode) with the
   * run's state, so that it can be resumed; wakes it if it is paused.
   */
  hold(): void {
    this.raise(HOLD);
  }

  get held(): boolean {
    return Atomics.load(this.flags, HOLD) !== 0;
  }

  /** Pauses the worker at its next block of episodes, or resumes it. A stopped run is not paused: it must get to its end. */
  pause(paused: boolean): void {
    if (paused && (this.stopped || this.held)) return;
    Atomics.store(this.flags, PAUSE, paused ? 1 : 0);
    if (!paused) Atomics.notify(this.flags, PAUSE);
  }

  /** Sets a flag that ends the run's training, waking the worker if it is paused or waits for the pool. */
  private raise(flag: typeof STOP | typeof HOLD): void {
    Atomics.store(this.flags, flag, 1);
    Atomics.store(this.flags, PAUSE, 0);
    Atomics.notify(this.flags, PAUSE);
    this.wake();
  }

  /**
   * In the worker: one more of the run's messages, of `bytes` (messageBytes), is on its way to the
   * pool (counted before it is posted, so that the counts never go below zero).
   */
  posting(bytes = 0): void {
    Atomics.add(this.flags, UNHANDLED, 1);
    Atomics.add(this.flags, UNHANDLED_KIB, kib(bytes));
  }

  /** In the pool: one of the run's messages, of `bytes` as posted, is handled (its write done or queued); wakes the worker if it waits for that. */
  handled(bytes = 0): void {
    Atomics.sub(this.flags, UNHANDLED, 1);
    Atomics.sub(this.flags, UNHANDLED_KIB, kib(bytes));
    this.wake();
  }

  /** The run's messages posted and not yet handled. */
  get unhandled(): number {
    return Atomics.load(this.flags, UNHANDLED);
  }

  /** Their bytes (each message's rounded up to whole KiB). */
  get unhandledBytes(): number {
    return Atomics.load(this.flags, UNHANDLED_KIB) * 1024;
  }

  /**
   * In the worker: blocks while more than `most` of the run's messages, or more than `mostBytes` of
   * their bytes, wait for the pool, and the run is not stopped or held (see MOST_UNHANDLED,
   * MOST_UNHANDLED_BYTES).
   */
  waitForPool(most = MOST_UNHANDLED, mostBytes = MOST_UNHANDLED_BYTES): void {
    for (;;) {
      // Read before the checks: a message handled, a stop or a hold after them changes it, and the wait returns at once.
      const wake = Atomics.load(this.flags, WAKE);
      if ((this.unhandled <= most && this.unhandledBytes <= mostBytes) || this.stopped || this.held) return;
      Atomics.wait(this.flags, WAKE, wake);
    }
  }

  private wake(): void {
    Atomics.add(this.flags, WAKE, 1);
    Atomics.notify(this.flags, WAKE);
  }

  /** In the worker: blocks while the run is paused and not stopped. */
  waitWhilePaused(): void {
    while (Atomics.load(this.flags, PAUSE) !== 0 && !this.stopped && !this.held) Atomics.wait(this.flags, PAUSE, 1);
  }
}
