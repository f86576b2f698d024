/**
 * The service's pushes: a typed emitter whose listeners cannot break each other, and the progress
 * throttle that keeps `run.progress` to at most one per run every 100 ms (the pool may report
 * more often) while never losing a run's last report.
 */
import type { EventName, EventPayloads } from '../../shared/contract';

export type Listener = (event: EventName, payload: unknown) => void;

export class Emitter {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload);
      } catch (e) {
        // A door that fails to deliver (a closed window, a dropped stream) must not stop the others.
        console.error(`aisle: a listener of ${event} failed:`, e);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

type Progress = EventPayloads['run.progress'];

interface RunThrottle {
  lastSent: number;
  pending: Progress | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Leading and trailing edge per run: a report is sent at once when the run's previous one is at
 * least `intervalMs` old, otherwise the newest waits for that moment (older waiting ones are
 * dropped: progress only grows). `finish` sends what is waiting at once, before the run's final
 * status, so a listener always sees where the run ended.
 */
export class ProgressThrottle {
  private readonly runs = new Map<number, RunThrottle>();

  constructor(
    private readonly send: (progress: Progress) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(progress: Progress): void {
    let run = this.runs.get(progress.runId);
    if (run === undefined) this.runs.set(progress.runId, (run = { lastSent: -Infinity, pending: null, timer: null }));
    const wait = run.lastSent + this.intervalMs - this.now();
    if (wait <= 0 && run.timer === null) {
      run.lastSent = this.now();
      this.send(progress);
      return;
    }
    run.pending = progress;
    if (run.timer === null) {
      const state = run;
      state.timer = setTimeout(() => {
        state.timer = null;
        this.flush(state);
      }, Math.max(0, Math.ceil(wait)));
    }
  }

  /** How many runs have a report or a timer here (none once every run finished). */
  get size(): number {
    return this.runs.size;
  }

  /** Sends the run's waiting report, if any, and forgets the run. */
  finish(runId: number): void {
    const run = this.runs.get(runId);
    if (run === undefined) return;
    if (run.timer !== null) clearTimeout(run.timer);
    this.flush(run);
    this.runs.delete(runId);
  }

  dispose(): void {
    for (const run of this.runs.values()) if (run.timer !== null) clearTimeout(run.timer);
    this.runs.clear();
  }

  private flush(run: RunThrottle): void {
    if (run.pending === null) return;
    const progress = run.pending;
    run.pending = null;
    run.lastSent = this.now();
    this.send(progress);
  }
}
