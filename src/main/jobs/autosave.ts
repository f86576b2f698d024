/**
 * When a training worker takes its run's state while it trains (an autosave, which a run whose
 * process is killed resumes from). Taking it pauses training (a DQN's replay buffer is megabytes
 * to copy and encode) and the parent writes it to the database, so a costly state is taken less
 * often: the gap after each is at least {@link COST_FACTOR} times what it took, and stretches with
 * its size past {@link LARGE_STATE_BYTES}.
 */

/** An autosave costs at most about 1/COST_FACTOR of the training time. */
export const COST_FACTOR = 100;
/** States up to this size keep the interval; a larger one stretches it in proportion (the parent writes every byte). */
export const LARGE_STATE_BYTES = 16 * 2 ** 20;

export class AutosaveTimer {
  private due = false;
  private last: number;
  private gap: number;
  private asked = 0;

  /** @param everyMs the interval, ms (0: never) */
  constructor(
    private readonly everyMs: number,
    private readonly now: () => number,
  ) {
    this.last = now();
    this.gap = everyMs;
  }

  /** Reads the clock (the worker does at each metric batch, a few times a second): is the next autosave due? */
  check(): void {
    if (this.everyMs > 0 && !this.due && this.now() - this.last >= this.gap) this.due = true;
  }

  /** Whether the state should be taken at this block's end; when true, the clock starts timing the autosave. */
  wanted(): boolean {
    if (!this.due) return false;
    this.asked = this.now();
    return true;
  }

  /** The autosave asked for is sent, `bytes` large: the next is due one interval (or more, see above) from now. */
  taken(bytes: number): void {
    const t = this.now();
    const cost = t - this.asked;
    this.due = false;
    this.last = t;
    this.gap = Math.max(this.everyMs, COST_FACTOR * cost, (this.everyMs * bytes) / LARGE_STATE_BYTES);
  }

  /** The gap before the next autosave, ms (for tests and measurements). */
  get interval(): number {
    return this.gap;
  }
}
