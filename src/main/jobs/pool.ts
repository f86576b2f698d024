/**
 * The job pool: a FIFO queue of runs consumed by a fixed number of worker threads (default: cores
 * − 1, at least 1). The pool records everything in the run sink (the store) as messages arrive, in
 * transactions, and emits typed events for live views. A worker that throws or dies fails only its
 * own run; the pool replaces it and carries on.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NetworkLayout } from '../../engine/agent';
import type { GreedyReport } from '../../engine/mdp/solve';
import type { MetricSummary, RunSpec } from '../../engine/train';
import { assertNever, type FromWorker, type ToWorker } from './protocol';

/** What the pool writes to (the Store implements it; tests may pass a recorder). */
export interface RunSink {
  markRunning(runId: number): void;
  appendMetrics(
    runId: number,
    batch: { start: number; count: number; columns: Record<string, Float32Array | Float64Array> },
    episodesDone?: number,
  ): void;
  addCheckpoint(
    runId: number,
    checkpoint:
      | { episode: number; kind: 'qtable'; states: number; actions: number; data: Float64Array }
      | { episode: number; kind: 'weights'; network: NetworkLayout; data: Float32Array },
  ): unknown;
  finishRun(
    runId: number,
    status: 'completed' | 'failed' | 'cancelled',
    details: { summary?: unknown; greedy?: unknown; error?: string },
  ): void;
}

export type RunStatusEvent =
  | { runId: number; status: 'running' }
  | { runId: number; status: 'completed' | 'cancelled'; summary: Record<string, MetricSummary>; greedy?: GreedyReport }
  | { runId: number; status: 'failed'; error: string };

export interface PoolEvents {
  status: [RunStatusEvent];
  progress: [{ runId: number; episodesDone: number; episodesTotal: number }];
  metrics: [{ runId: number; start: number; count: number; names: readonly string[]; columns: readonly Float32Array[] }];
  /**
   * The store refused a write (disk full, database locked, read-only…): the run it was for has
   * failed (or, when even that could not be recorded, is reported failed and left for the store's
   * recovery to mark interrupted). Not named 'error': an EventEmitter's 'error' without a listener
   * throws, and a CLI that did not listen died with a stack trace instead of carrying on.
   */
  storeError: [{ runId: number; error: Error }];
}

export interface PoolOptions {
  /** Path of the built worker script (out/main/worker.js). */
  workerPath: string;
  sink: RunSink;
  /** Worker threads; default cores − 1, at least 1. */
  size?: number;
  /** Metric batch interval per run, ms. */
  flushMs?: number;
}

interface Job {
  readonly job: number;
  readonly runId: number;
  readonly spec: RunSpec;
  readonly cancel: SharedArrayBuffer;
  metricNames?: readonly string[];
  episodesDone: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

export class JobPool extends EventEmitter<PoolEvents> {
  readonly size: number;
  private readonly queue: Job[] = [];
  private readonly slots: Slot[] = [];
  private nextJob = 1;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PoolOptions) {
    super();
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  }

  /** Queues a run (its row must already exist, status 'queued'). */
  enqueue(runId: number, spec: RunSpec): void {
    if (this.closed) throw new Error('the job pool is closed');
    this.queue.push({ job: this.nextJob++, runId, spec, cancel: new SharedArrayBuffer(4), episodesDone: 0 });
    this.dispatch();
  }

  /** Starts every worker now and resolves when all are ready (otherwise they start on demand). */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.spawn();
    await Promise.all(
      this.slots.map((slot) => (slot.ready ? undefined : new Promise<void>((res) => slot.worker.once('message', () => res())))),
    );
  }

  /** Runs queued or running. */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  isActive(runId: number): boolean {
    return this.queue.some((j) => j.runId === runId) || this.slots.some((s) => s.job?.runId === runId);
  }

  /** Whether the run was asked to stop and its worker has not confirmed yet (it ends its current episode first). */
  isStopping(runId: number): boolean {
    const job = this.slots.find((s) => s.job?.runId === runId)?.job;
    return job !== undefined && Atomics.load(new Int32Array(job.cancel), 0) === 1;
  }

  /**
   * Cancels a run: a queued run is marked cancelled at once; a running one stops after its current
   * episode and is marked cancelled when the worker confirms. Returns false for unknown runs.
   */
  cancel(runId: number): boolean {
    const q = this.queue.findIndex((j) => j.runId === runId);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.options.sink.finishRun(runId, 'cancelled', { summary: {} });
      this.emit('status', { runId, status: 'cancelled', summary: {} });
      this.checkIdle();
      return true;
    }
    const slot = this.slots.find((s) => s.job?.runId === runId);
    if (!slot?.job) return false;
    Atomics.store(new Int32Array(slot.job.cancel), 0, 1);
    return true;
  }

  cancelAll(): void {
    for (const j of [...this.queue]) this.cancel(j.runId);
    for (const s of this.slots) if (s.job) this.cancel(s.job.runId);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops every worker (running runs are cancelled first and given a moment to report). Queued
   * runs are dropped, not cancelled: nobody chose to cancel them, and their store marks them
   * interrupted when it closes (never started: the process that queued them stopped).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.queue.length = 0;
    this.cancelAll();
    const deadline = Date.now() + 2000;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
    this.checkIdle();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        this.spawn();
        return; // dispatch continues when the new worker says it is ready
      }
      const job = this.queue.shift()!;
      slot.job = job;
      const msg: ToWorker = { type: 'start', job: job.job, runId: job.runId, spec: job.spec, cancel: job.cancel, flushMs: this.options.flushMs ?? 100 };
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): void {
    const worker = new Worker(this.options.workerPath);
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onWorkerDeath(slot, `the training worker crashed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.onWorkerDeath(slot, `the training worker exited unexpectedly (code ${code})`);
    });
  }

  private onWorkerDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already handled (error is followed by exit)
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    if (slot.job) this.fail(slot.job, reason);
    slot.job = undefined;
    if (!this.closed) this.dispatch();
    this.checkIdle();
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'ready') {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.job !== msg.job) return; // a stale message from a previous job
    try {
      this.handle(slot, job, msg);
    } catch (e) {
      // A write failed (disk full, database locked…): the run fails, the pool carries on.
      const error = e instanceof Error ? e : new Error(String(e));
      Atomics.store(new Int32Array(job.cancel), 0, 1);
      slot.job = undefined;
      this.emit('storeError', { runId: job.runId, error });
      this.fail(job, `could not record the run: ${error.message}`);
      this.dispatch();
      this.checkIdle();
    }
  }

  private handle(slot: Slot, job: Job, msg: Exclude<FromWorker, { type: 'ready' }>): void {
    const sink = this.options.sink;
    switch (msg.type) {
      case 'started':
        job.metricNames = msg.metricNames;
        sink.markRunning(job.runId);
        this.emit('status', { runId: job.runId, status: 'running' });
        return;
      case 'metrics': {
        const names = job.metricNames ?? [];
        const columns: Record<string, Float32Array> = {};
        names.forEach((n, i) => (columns[n] = msg.columns[i]!));
        job.episodesDone = msg.start + msg.count;
        sink.appendMetrics(job.runId, { start: msg.start, count: msg.count, columns }, job.episodesDone);
        this.emit('metrics', { runId: job.runId, start: msg.start, count: msg.count, names, columns: msg.columns });
        this.emit('progress', { runId: job.runId, episodesDone: job.episodesDone, episodesTotal: job.spec.episodes });
        return;
      }
      case 'checkpoint':
        sink.addCheckpoint(job.runId, { episode: msg.episode, kind: 'qtable', states: msg.states, actions: msg.actions, data: msg.q });
        return;
      case 'weights':
        sink.addCheckpoint(job.runId, { episode: msg.episode, kind: 'weights', network: msg.network, data: msg.params });
        return;
      case 'finished': {
        // The final values, checkpointed at the last episode played (none: a run cancelled inside its first episode).
        if (msg.values && msg.episodes > 0) {
          sink.addCheckpoint(job.runId, { episode: msg.episodes - 1, kind: 'qtable', states: msg.values.states, actions: msg.values.actions, data: msg.values.q });
        }
        if (msg.weights && msg.episodes > 0) sink.addCheckpoint(job.runId, { episode: msg.episodes - 1, kind: 'weights', network: msg.weights.network, data: msg.weights.params });
        const summary = { ...msg.summary };
        sink.finishRun(job.runId, msg.status, { summary, ...(msg.greedy ? { greedy: msg.greedy } : {}) });
        slot.job = undefined;
        this.emit('status', { runId: job.runId, status: msg.status, summary, ...(msg.greedy ? { greedy: msg.greedy } : {}) });
        this.dispatch();
        this.checkIdle();
        return;
      }
      case 'failed':
        this.fail(job, msg.error.message);
        slot.job = undefined;
        this.dispatch();
        this.checkIdle();
        return;
      default:
        assertNever(msg, 'worker message');
    }
  }

  /**
   * Marks a run failed. When the store cannot take even that (still locked or full, or another
   * process has marked the run interrupted meanwhile), the run is reported failed all the same and
   * the pool carries on: the store's recovery marks a run left `running` interrupted when it next
   * opens. A throw here would come out of a worker's event handler and end the process.
   */
  private fail(job: Job, error: string): void {
    try {
      this.options.sink.finishRun(job.runId, 'failed', { error });
    } catch (e) {
      this.emit('storeError', { runId: job.runId, error: e instanceof Error ? e : new Error(String(e)) });
    }
    this.emit('status', { runId: job.runId, status: 'failed', error });
  }

  private checkIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
