/**
 * The job pool's contract: what it writes a run's results to (RunSink, which the store implements),
 * the events it emits for live views, its options, and the messages it gives runs.
 */
import type { NetworkLayout } from '../../engine/agent';
import type { GreedyReport } from '../../engine/mdp/solve';
import type { MetricSummary } from '../../engine/train';

/** What a run says while its results wait for another process's write to the database. */
export const DATABASE_WAIT_MESSAGE = 'waiting for the database: another process is writing';

/**
 * Why a run is cancelled when its process stops (Ctrl-C on `aisle serve`, the app quitting): no one
 * pressed Cancel, and a bare "cancelled" on the restarted app's Runs screen read as if someone had.
 */
export const STOPPED_MESSAGE = 'cancelled: Aisle was stopped while the run trained; its episodes and last checkpoint are kept';

/** What the pool writes to (the Store implements it; tests may pass a recorder). */
export interface RunSink {
  /** `at`, here and in finishRun's details: when it happened, which a write that waited for a locked database keeps. */
  markRunning(runId: number, at?: number): void;
  appendMetrics(
    runId: number,
    batch: { start: number; count: number; columns: Record<string, Float32Array | Float64Array> },
    episodesDone?: number,
    at?: number,
  ): void;
  addCheckpoint(
    runId: number,
    checkpoint:
      | { episode: number; kind: 'qtable'; states: number; actions: number; data: Float64Array }
      | { episode: number; kind: 'weights'; network: NetworkLayout; data: Float32Array },
  ): unknown;
  /**
   * Records the run's end. 'interrupted': its writes were refused for good (see storeError), or its
   * worker died once it had an autosave, and it keeps the state its last autosave stored, to be
   * resumed from; the others drop it unless given one.
   */
  finishRun(
    runId: number,
    status: 'completed' | 'failed' | 'cancelled' | 'paused' | 'interrupted',
    details: { summary?: unknown; greedy?: unknown; error?: string; at?: number; state?: { episode: number; data: Uint8Array } },
  ): void;
  /**
   * Keeps a running run's state after `episode` episodes (an autosave), replacing its last one,
   * provided its stored metrics reach that episode (they are written first). Without it, a sink
   * keeps none.
   */
  autosaveRun?(runId: number, state: { episode: number; data: Uint8Array }, at?: number): void;
  /**
   * Runs `write` so that a database another process has locked refuses it at once (SQLITE_BUSY)
   * rather than after the busy timeout: the pool's writes then never stop the main thread, which
   * also answers the app, while the lock is held (the write queue retries them). Without it, every
   * write may wait out the busy timeout.
   */
  withoutWaiting?(write: () => void): void;
}

export type RunStatusEvent =
  | { runId: number; status: 'running' }
  | { runId: number; status: 'completed' | 'cancelled' | 'paused'; summary: Record<string, MetricSummary>; greedy?: GreedyReport; error?: string }
  | { runId: number; status: 'failed'; error: string }
  /** Its writes were refused for good, or its worker died once it had an autosave: `error` says why, and where it continues from when resumed. */
  | { runId: number; status: 'interrupted'; error: string };

export interface PoolEvents {
  status: [RunStatusEvent];
  progress: [{ runId: number; episodesDone: number; episodesTotal: number }];
  /** A batch of a run's metrics. Its columns are valid only while the listener runs: they go back to the worker. */
  metrics: [{ runId: number; start: number; count: number; names: readonly string[]; columns: readonly Float32Array[] }];
  /**
   * The store refused a write (disk full, database locked, read-only…): the run it was for stops
   * and is interrupted, its last autosave kept to resume from (when even that could not be recorded,
   * it is reported interrupted and left for the store's recovery to mark so, when the database next
   * opens). Not named 'error': an EventEmitter's 'error' without a listener
   * throws, and a CLI that did not listen died with a stack trace instead of carrying on.
   */
  storeError: [{ runId: number; error: Error }];
  /**
   * Another process has held the database's write lock for reportWaitAfterMs: the run's results
   * wait in memory, in order, and are written once it is released (training goes on, and pauses
   * if much waits). Once for each run under way (or starting) each time the lock holds writes up
   * that long.
   */
  storeWaiting: [{ runId: number; message: string }];
  /** What the run waited to write is written (or dropped, when it was refused for good): it is no longer waiting. */
  storeResumed: [{ runId: number }];
}

export interface PoolOptions {
  /** Path of the built worker script (out/main/worker.js). */
  workerPath: string;
  sink: RunSink;
  /** Worker threads; default cores − 1, at least 1. */
  size?: number;
  /** Metric batch interval per run, ms. */
  flushMs?: number;
  /**
   * false: the workers collect no per-episode metrics and send none (runs keep their summaries).
   * Only the bench asks for it: a run with no logging at all, to measure logging's cost against.
   */
  collectMetrics?: boolean;
  /**
   * About how often a training run's state is written while it trains (an autosave, which `aisle
   * resume` continues a run killed with its process from), ms of wall time; 0: never. Default 60 s;
   * a state that is costly to take is saved less often (see jobs/autosave.ts).
   */
  autosaveMs?: number;
  /** Retries of writes a locked database refused: `first` ms apart, doubling up to `most` ms; default 10 and 1000. */
  retryMs?: { first: number; most: number };
  /** How long writes wait for a locked database before runs say so (storeWaiting), ms; default 1 s. */
  reportWaitAfterMs?: number;
  /** How long runs wait for a database another process keeps locked before they stop (interrupted, to be resumed from their last autosave), ms; default 5 minutes. */
  giveUpMs?: number;
  /** Bytes of results waiting for a locked database past which training pauses; default 64 MiB. */
  maxBacklogBytes?: number;
}
