/**
 * A run's flags in memory shared by the pool and the worker training it. The worker is busy
 * training and reads no messages, so stopping (cancel), holding (a user's pause: stop after the
 * block of episodes under way, keeping the run's state to resume it) and pausing (the pool's writes
 * are held up by a locked database) are flags it reads after every block of episodes.
 */
const STOP = 0;
const PAUSE = 1;
const HOLD = 2;

export class RunControl {
  private readonly flags: Int32Array;

  /** A new control (the pool), or the view of one received with the run (the worker). */
  constructor(readonly buffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)) {
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

  /** Sets a flag that ends the run's training, waking the worker if it is paused. */
  private raise(flag: typeof STOP | typeof HOLD): void {
    Atomics.store(this.flags, flag, 1);
    Atomics.store(this.flags, PAUSE, 0);
    Atomics.notify(this.flags, PAUSE);
  }

  /** In the worker: blocks while the run is paused and not stopped. */
  waitWhilePaused(): void {
    while (Atomics.load(this.flags, PAUSE) !== 0 && !this.stopped && !this.held) Atomics.wait(this.flags, PAUSE, 1);
  }
}
