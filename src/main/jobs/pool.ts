/**
 * The job pool: a FIFO queue of runs consumed by a fixed number of worker threads (default: cores
 * − 1, at least 1). The pool records everything in the run sink (the store) as messages arrive, in
 * transactions, and emits typed events for live views. A run whose training throws fails (a resumed
 * run that recorded no episode since is interrupted, keeping its checkpoint); a run whose worker
 * dies, or whose training gets no memory from the machine, is interrupted when it has an autosave
 * to continue from, and fails otherwise; either touches only
 * its own run, and the pool replaces a dead worker and carries on. Workers that die before they are ready (a worker
 * script that throws as it loads) are replaced STARTS_BEFORE_GIVING_UP times in a row at most: then
 * the queued runs fail with the worker's error, rather than waiting for ever. While another process holds the database's write
 * lock, the writes wait in order (see WriteQueue) and training goes on, pausing if much waits.
 * A worker whose messages this thread has not handled (it was busy) waits once too many are, or
 * too many bytes of them (see run-control.ts MOST_UNHANDLED, MOST_UNHANDLED_BYTES), so that they do
 * not pile up in memory.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { RunSpec } from '../../engine/train';
import { DATABASE_WAIT_MESSAGE, STOPPED_MESSAGE, type PoolEvents, type PoolOptions, type RunSink, type RunStatusEvent } from './pool-contract';
import { assertNever, messageBytes, type FromWorker, type ToWorker, type WorkerData } from './protocol';
import { giveBackColumns } from './spare-columns';
import { RunControl } from './run-control';
import { isDatabaseBusy } from '../../shared/dispatch';
import { WriteQueue } from './write-queue';
import { DEFAULT_AUTOSAVE_MS } from '../autosave-settings';
import { fmt } from '../../shared/text';
import { diedAgainMessage, machineOutOfMemory, WORKER_CRASHED, WORKER_EXITED, WORKER_NO_MEMORY, WORKER_OUT_OF_MEMORY, type MemoryOut } from './worker-deaths';

interface Job {
  readonly job: number;
  readonly runId: number;
  readonly spec: RunSpec;
  readonly control: RunControl;
  /** The state a resumed run continues from (run-state bytes). */
  readonly state?: Uint8Array;
  /** The episode a resumed run continues at (its state's). */
  readonly resumedAt?: number;
  metricNames?: readonly string[];
  episodesDone: number;
  /** The episodes its metric writes have stored (a resumed run's from the episode it resumed at). */
  storedEpisodes: number;
  /** The episode its last autosave written is at (a resumed run's state counts as one); none before. */
  autosavedAt?: number;
  /** How many times its worker had died from the state a resumed run continues from (see deathsFrom). */
  readonly deathsBefore?: number;
}

interface Slot {
  worker: Worker;
  /** Where the metric columns the worker sent go back once written (see SpareColumns). */
  spareColumns: MessagePort;
  ready: boolean;
  job?: Job;
}

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Workers in a row that may die before they are ready before the queued runs fail (see JobPool). */
export const STARTS_BEFORE_GIVING_UP = 3;

export class JobPool extends EventEmitter<PoolEvents> {
  readonly size: number;
  private readonly queue: Job[] = [];
  private readonly slots: Slot[] = [];
  private nextJob = 1;
  private closed = false;
  /** close() has begun: a run the worker reports cancelled from now on was stopped with its process. */
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly writes: WriteQueue;
  /** Runs whose worker is done but whose end is not written yet (it waits for a locked database). */
  private readonly finishing = new Set<Job>();
  /** Training is paused: too much waits for a locked database. */
  private paused = false;
  /** Runs told they wait for the database (storeWaiting), to be told when that is over. */
  private readonly waitingRuns = new Set<number>();
  /** Workers that died before they were ready since the last one that was (see STARTS_BEFORE_GIVING_UP). */
  private failedStarts = 0;

  constructor(private readonly options: PoolOptions) {
    super();
    this.size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
    const sink = options.sink;
    this.writes = new WriteQueue(
      {
        // The first retry comes soon: another process's normal commit holds the lock a few ms.
        retryMs: options.retryMs ?? { first: 10, most: 1000 },
        reportAfterMs: options.reportWaitAfterMs ?? 1000,
        giveUpMs: options.giveUpMs ?? 5 * 60_000,
        maxBacklogBytes: options.maxBacklogBytes ?? 64 * 2 ** 20,
        withoutWaiting: (write) => (sink.withoutWaiting ? sink.withoutWaiting(write) : write()),
      },
      {
        waiting: () => {
          for (const { runId } of this.jobsUnderWay()) this.tellWaiting(runId);
        },
        resumed: () => {
          const runs = [...this.waitingRuns];
          this.waitingRuns.clear();
          for (const runId of runs) this.emit('storeResumed', { runId });
        },
        full: (full) => this.pause(full),
        failed: (runId, error) => this.storeFailed(runId, error),
      },
    );
  }

  /**
   * Queues a run (its row must already exist, status 'queued'); with `state`, a resumed run that
   * continues from it (its episodes before it are stored already); its `deaths`, how many times its
   * worker had died from that state (see worker-deaths.ts).
   */
  enqueue(runId: number, spec: RunSpec, state?: { episode: number; data: Uint8Array; deaths?: number }): void {
    // While it closes, a run queued now would start on a worker about to be stopped (the app's window
    // still sending a Launch after Quit): refused, and the store marks its row interrupted at close.
    if (this.closed || this.closing) throw new Error(this.closed ? 'the job pool is closed' : 'Aisle is closing: start the run again once it has restarted');
    const resumed = state ? { state: state.data, resumedAt: state.episode, autosavedAt: state.episode, ...(state.deaths ? { deathsBefore: state.deaths } : {}) } : {};
    const episode = state?.episode ?? 0;
    this.queue.push({ job: this.nextJob++, runId, spec, control: new RunControl(), episodesDone: episode, storedEpisodes: episode, ...resumed });
    this.dispatch();
  }

  /**
   * Pauses a run: a queued run is marked paused at once (it resumes from its start, or from the
   * state it was queued with); a running one stops after its current block of episodes, never
   * inside an episode, and is marked paused with its state when the worker reports. Returns false
   * for runs this pool does not have.
   */
  pauseRun(runId: number): boolean {
    if (this.stopQueued(runId, 'paused')) return true;
    const slot = this.slots.find((s) => s.job?.runId === runId);
    if (!slot?.job) return false;
    slot.job.control.hold();
    return true;
  }

  /**
   * Starts every worker now and resolves when all are ready (otherwise they start on demand); rejects
   * when one dies before it is (a worker script that throws as it loads), rather than waiting for
   * ever. The pool replaces a dead worker on demand as usual.
   */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.spawn();
    await Promise.all(
      this.slots.map((slot) =>
        slot.ready
          ? undefined
          : new Promise<void>((res, rej) => {
              slot.worker.once('message', () => res());
              slot.worker.once('error', (err) => rej(new Error(`a training worker could not start: ${err.message}`)));
              slot.worker.once('exit', (code) => rej(new Error(`a training worker could not start: it exited with code ${code}`)));
            }),
      ),
    );
  }

  /** Runs queued or running (or done training, their end not yet written). */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length + this.finishing.size;
  }

  isActive(runId: number): boolean {
    return this.queue.some((j) => j.runId === runId) || [...this.jobsUnderWay()].some((j) => j.runId === runId);
  }

  /** Every run isActive is true for, at once: for checking many runs (a list's), where isActive would scan the queue for each. */
  activeRunIds(): Set<number> {
    return new Set([...this.queue, ...this.jobsUnderWay()].map((j) => j.runId));
  }

  /** Whether the run was asked to stop and its worker has not confirmed yet (it ends its current episode first). */
  isStopping(runId: number): boolean {
    const job = this.slots.find((s) => s.job?.runId === runId)?.job;
    return job !== undefined && job.control.stopped;
  }

  /**
   * Cancels a run: a queued run is marked cancelled at once (or once a locked database is free); a
   * running one stops after its current episode and is marked cancelled when the worker confirms.
   * Returns false for unknown runs.
   */
  cancel(runId: number): boolean {
    if (this.stopQueued(runId, 'cancelled')) return true;
    const slot = this.slots.find((s) => s.job?.runId === runId);
    if (!slot?.job) return false;
    slot.job.control.stop();
    return true;
  }

  /**
   * Takes a queued run out of the queue and marks it paused or cancelled at once; false when it is
   * not queued. A resumed run keeps the state it was queued with: without it, cancelling a resume
   * that waited for a worker lost every episode trained before.
   */
  private stopQueued(runId: number, status: 'paused' | 'cancelled'): boolean {
    const q = this.queue.findIndex((j) => j.runId === runId);
    if (q < 0) return false;
    const [job] = this.queue.splice(q, 1);
    this.finish(job!, status, { summary: {}, ...queuedState(job!) }, { runId, status, summary: {} });
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
    this.closing = true;
    this.queue.length = 0;
    this.cancelAll();
    const deadline = Date.now() + 2000;
    while (this.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    for (const s of this.slots) s.spareColumns.close();
    this.slots.length = 0;
    // Writes still waiting for a locked database are dropped: their runs stay running in it, and
    // the store marks them interrupted when it closes.
    this.writes.clear();
    this.finishing.clear();
    this.waitingRuns.clear();
    this.checkIdle();
  }

  /** About how often a training run's state is autosaved, ms (see PoolOptions.autosaveMs). */
  get autosaveMs(): number {
    return this.options.autosaveMs ?? DEFAULT_AUTOSAVE_MS;
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
      job.control.pause(this.paused);
      const resumed = job.state ? { state: job.state } : {};
      const msg: ToWorker = { type: 'start', job: job.job, runId: job.runId, spec: job.spec, control: job.control.buffer, flushMs: this.options.flushMs ?? 100, autosaveMs: this.autosaveMs, ...resumed, ...(this.options.collectMetrics === false ? { collectMetrics: false as const } : {}) };
      slot.worker.postMessage(msg);
    }
  }

  private spawn(): void {
    const channel = new MessageChannel();
    const workerData: WorkerData = { spareColumns: channel.port2 };
    const worker = new Worker(this.options.workerPath, { workerData, transferList: [channel.port2] });
    const slot: Slot = { worker, spareColumns: channel.port1, ready: false };
    this.slots.push(slot);
    worker.on('message', (msg: FromWorker) => this.onMessage(slot, msg));
    // Its JavaScript heap full (ERR_WORKER_OUT_OF_MEMORY: Node stops the thread, the process goes on) is said apart when it repeats (see died).
    worker.on('error', (err) => this.onWorkerDeath(slot, `${WORKER_CRASHED}${err.message}`, (err as NodeJS.ErrnoException).code === WORKER_OUT_OF_MEMORY ? 'heap' : undefined));
    worker.on('exit', (code) => {
      if (!this.closed) this.onWorkerDeath(slot, `${WORKER_EXITED} (code ${code})`);
    });
  }

  private onWorkerDeath(slot: Slot, reason: string, memory?: MemoryOut): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already handled (error is followed by exit)
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    slot.spareColumns.close();
    if (slot.job) this.died(slot.job, reason, memory);
    slot.job = undefined;
    if (!slot.ready && !this.closed && ++this.failedStarts >= STARTS_BEFORE_GIVING_UP) {
      // Each new worker died as it loaded: another would too. The queued runs fail with why; a
      // run queued later tries again (what stopped them may have been passing).
      this.failedStarts = 0;
      const error = `no training worker could start (${STARTS_BEFORE_GIVING_UP} tried in a row): ${reason}`;
      for (const job of this.queue.splice(0)) this.fail(job, error);
    }
    if (!this.closed) this.dispatch();
    this.checkIdle();
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'ready') {
      slot.ready = true;
      this.failedStarts = 0;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.job !== msg.job) return; // a stale message from a previous job
    // Before handling: columns written go back to the worker (transferred, empty here after).
    const bytes = messageBytes(msg);
    try {
      this.handle(slot, job, msg);
    } catch (e) {
      // A listener of the events below threw: the run stops (interrupted), the pool carries on.
      this.storeFailed(job.runId, e instanceof Error ? e : new Error(String(e)));
    } finally {
      // Written, or queued for a locked database (whose backlog pauses training on its own): the
      // worker, which waits once too many of its messages, or of their bytes, are unhandled, may go on.
      job.control.handled(bytes);
    }
  }

  private handle(slot: Slot, job: Job, msg: Exclude<FromWorker, { type: 'ready' }>): void {
    const sink = this.options.sink;
    const runId = job.runId;
    switch (msg.type) {
      case 'started': {
        job.metricNames = msg.metricNames;
        const at = Date.now();
        this.writes.write({ runId, bytes: 0, write: () => sink.markRunning(runId, at), done: () => this.emit('status', { runId, status: 'running' }) });
        if (this.writes.held) this.tellWaiting(runId); // started while the lock holds the others' writes
        return;
      }
      case 'metrics': {
        const names = job.metricNames ?? [];
        const columns: Record<string, Float32Array> = {};
        names.forEach((n, i) => (columns[n] = msg.columns[i]!));
        const episodesDone = (job.episodesDone = msg.start + msg.count);
        const batch = { start: msg.start, count: msg.count, columns };
        // When the batch came: its run trained up to then, however long its write waits for a locked database.
        const at = Date.now();
        // Once written, and the listeners below have seen them, the columns go back to the worker
        // to collect its next batches in (a write that never commits leaves them to the GC).
        const written = () => {
          job.storedEpisodes = episodesDone;
          queueMicrotask(() => giveBackColumns(slot.spareColumns, msg.columns));
        };
        this.writes.write({ runId, bytes: 4 * msg.count * names.length, write: () => sink.appendMetrics(runId, batch, episodesDone, at), done: written });
        // A write refused at once stopped the run (storeFailed): its live views heard so, and hear no more of it.
        if (slot.job !== job) return;
        this.emit('metrics', { runId: job.runId, start: msg.start, count: msg.count, names, columns: msg.columns });
        this.emit('progress', { runId: job.runId, episodesDone: job.episodesDone, episodesTotal: job.spec.episodes });
        return;
      }
      case 'autosave': {
        const autosave = sink.autosaveRun?.bind(sink);
        if (!autosave) return;
        const at = Date.now();
        const state = { episode: msg.episode, data: msg.data };
        this.writes.write({ runId, bytes: msg.data.byteLength, write: () => autosave(runId, state, at), done: () => (job.autosavedAt = msg.episode) });
        return;
      }
      case 'checkpoint':
        this.addCheckpoint(runId, { episode: msg.episode, kind: 'qtable', states: msg.states, actions: msg.actions, data: msg.q });
        return;
      case 'weights':
        this.addCheckpoint(runId, { episode: msg.episode, kind: 'weights', network: msg.network, data: msg.params });
        return;
      case 'finished': {
        // The final values, checkpointed at the last episode played (none: a run cancelled inside its first episode).
        if (msg.values && msg.episodes > 0) {
          this.addCheckpoint(runId, { episode: msg.episodes - 1, kind: 'qtable', states: msg.values.states, actions: msg.values.actions, data: msg.values.q });
        }
        if (msg.weights && msg.episodes > 0) this.addCheckpoint(runId, { episode: msg.episodes - 1, kind: 'weights', network: msg.weights.network, data: msg.weights.params });
        const summary = { ...msg.summary };
        const greedy = msg.greedy ? { greedy: msg.greedy } : {};
        // Held (the user's pause) and stopped between two episodes: paused, with the state to resume
        // from. A cancelled run keeps its state too, when it stopped between episodes.
        const status = msg.status === 'cancelled' && job.control.held && !job.control.stopped && msg.state ? 'paused' : msg.status;
        const stopped = status === 'cancelled' && this.closing ? { error: STOPPED_MESSAGE } : {};
        const state = msg.state && status !== 'completed' ? { state: msg.state } : {};
        slot.job = undefined;
        this.finish(job, status, { summary, ...greedy, ...stopped, ...state }, { runId, status, summary, ...greedy });
        this.dispatch();
        return;
      }
      case 'failed':
        slot.job = undefined;
        if (msg.resumeRefused) this.refuseResume(job, msg.error.message);
        // No memory from the machine for a typed array or a WebAssembly memory: no fault of the training's, as a worker's
        // death, and it may go on once memory is freed, where failing dropped its autosave.
        else if (machineOutOfMemory(msg.error.message)) this.died(job, `${WORKER_NO_MEMORY} (${msg.error.message})`, 'machine');
        else this.failKeepingResumed(job, msg.error.message);
        this.dispatch();
        return;
      default:
        assertNever(msg, 'worker message');
    }
  }

  private addCheckpoint(runId: number, checkpoint: Parameters<RunSink['addCheckpoint']>[1]): void {
    this.writes.write({ runId, bytes: checkpoint.data.byteLength, write: () => void this.options.sink.addCheckpoint(runId, checkpoint) });
  }

  /** Records the run's end once its earlier writes are in (its worker is free already), then reports it. */
  private finish(job: Job, status: RunEnd['status'], details: RunEnd['details'], event: RunStatusEvent): void {
    this.finishAs(job, () => ({ status, details, event }));
  }

  /**
   * As finish, the end decided by `decide` once the run's earlier writes are in (an autosave that
   * waited for a locked database among them), when the end's own write is first tried.
   */
  private finishAs(job: Job, decide: () => RunEnd): void {
    this.finishing.add(job);
    const at = Date.now();
    let end: RunEnd | undefined;
    this.writes.write({
      runId: job.runId,
      bytes: 0,
      write: () => {
        end ??= decide();
        this.options.sink.finishRun(job.runId, end.status, { ...end.details, at });
      },
      done: () => {
        this.finishing.delete(job);
        this.emit('status', end!.event);
        this.checkIdle();
      },
    });
  }

  /**
   * A resumed run whose worker could not take its checkpoint back (see the worker's 'failed'
   * message): it played nothing, so it is paused again at the episode it was resumed at, with the
   * checkpoint it was queued with, and why it could not go on.
   */
  private refuseResume(job: Job, why: string): void {
    const error = `could not be resumed: ${why}; it stays paused with its checkpoint: start the experiment again for a run this Aisle can continue (Run again in the app, \`aisle again\` in a terminal)`;
    this.finish(job, 'paused', { summary: {}, ...queuedState(job), error }, { runId: job.runId, status: 'paused', summary: {}, error });
  }

  /**
   * A run whose training threw (the worker's 'failed' message: the engine would throw again where
   * it resumed). A resumed run that recorded no episode since (its worker failed taking its
   * checkpoint back, a large one, or as it started) played nothing here: it is interrupted, as a
   * crash of its process leaves it, keeping the checkpoint it was queued with to be resumed from
   * again, rather than failed, which dropped the checkpoint, a long run's only way on. Any other run fails.
   */
  private failKeepingResumed(job: Job, reason: string): void {
    if (job.state === undefined || job.episodesDone !== job.resumedAt) return this.fail(job, reason);
    this.finishAs(job, () => interruptedEnd(job, resumedAgainMessage(job, reason)));
  }

  /**
   * A run whose worker died: the thread crashed or exited (out of memory, a native fault), or its
   * training got no memory from the machine for a typed array (reported as its error), which
   * says nothing of its training, unlike an error the engine threw (failKeepingResumed). With an
   * autosave stored (a resumed run's checkpoint counts as one) it is interrupted, as a crash of its
   * process leaves it: the autosave stays, and resuming it cuts back what it stored after and plays
   * those episodes again (Store.resumeRun). Failing dropped the autosave, and hours of a long run
   * with it. A run with none yet fails: there is nothing to continue from. Decided once its earlier
   * writes are in, so that an autosave still waiting for a locked database counts, and is the one named.
   * A resumed run whose worker had died from the same state before, and died again before a new
   * autosave, says so and what to try (diedAgainMessage): it would die there at each Resume, each
   * time with the same words. It stays interrupted all the same: given more memory it may go on.
   */
  private died(job: Job, reason: string, memory?: MemoryOut): void {
    this.finishAs(job, () => {
      if (job.autosavedAt === undefined) return failedEnd(job, reason);
      if (job.deathsBefore !== undefined && job.autosavedAt === job.resumedAt) {
        return interruptedEnd(job, diedAgainMessage(reason, job.deathsBefore + 1, job.autosavedAt, job.runId, memory));
      }
      // Nothing played since it was resumed: said as failKeepingResumed says it.
      if (job.state !== undefined && job.episodesDone === job.resumedAt) return interruptedEnd(job, resumedAgainMessage(job, reason));
      const from = job.autosavedAt === job.resumedAt ? 'the checkpoint it was resumed from' : 'its last autosave';
      return interruptedEnd(job, `${reason}; it continues from ${from}, at episode ${fmt(job.autosavedAt)}: resume it (Resume in the app, \`aisle resume ${job.runId}\` in a terminal)`);
    });
  }

  /** A run whose training failed (the worker threw, or died with no autosave to continue from). */
  private fail(job: Job, error: string): void {
    this.finishAs(job, () => failedEnd(job, error));
  }

  /**
   * A write of the run failed for good (disk full, or the database locked past giveUpMs): its
   * waiting writes are dropped, its training stops, and it is reported interrupted at once, as a
   * crash would leave it: what it stored up to its last autosave is intact, and it resumes from
   * there (Store.resumeRun cuts back what it stored after), where `failed` dropped its state and
   * left only a start from scratch. Its end is written at once too, or once the lock is released.
   * When the store cannot take even that (full, the lock held past giveUpMs again, the pool closed,
   * or another process has marked the run interrupted meanwhile), the pool carries on all the same:
   * the store's recovery marks a run left `running` interrupted when it next opens. A throw here
   * would come out of a worker's event handler, or a timer, and end the process.
   */
  private storeFailed(runId: number, error: Error): void {
    const slot = this.slots.find((s) => s.job?.runId === runId);
    const job = slot?.job ?? [...this.finishing].find((j) => j.runId === runId);
    if (!job) return;
    job.control.stop();
    if (slot) slot.job = undefined;
    this.finishing.delete(job);
    this.emit('storeError', { runId, error });
    const message = notRecordedMessage(job, error);
    const sink = this.options.sink;
    const at = Date.now();
    const write = () => void sink.finishRun(runId, 'interrupted', { error: message, at });
    try {
      if (sink.withoutWaiting) sink.withoutWaiting(write);
      else write();
    } catch (e) {
      if (isDatabaseBusy(e)) this.writes.later({ runId, bytes: 0, write });
      else this.emit('storeError', { runId, error: e instanceof Error ? e : new Error(String(e)) });
    }
    this.emit('status', { runId, status: 'interrupted', error: message });
    this.dispatch();
    this.checkIdle();
  }

  /** Pauses every run's training (it waits between blocks of episodes), or resumes it. */
  private pause(paused: boolean): void {
    this.paused = paused;
    for (const slot of this.slots) slot.job?.control.pause(paused);
  }

  private tellWaiting(runId: number): void {
    if (this.waitingRuns.has(runId)) return;
    this.waitingRuns.add(runId);
    this.emit('storeWaiting', { runId, message: DATABASE_WAIT_MESSAGE });
  }

  /** Runs started and not yet written as finished. */
  private *jobsUnderWay(): Iterable<Job> {
    for (const slot of this.slots) if (slot.job) yield slot.job;
    yield* this.finishing;
  }

  private checkIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

/** How a run ends: what the store records (RunSink.finishRun) and what live views hear. */
interface RunEnd {
  readonly status: Parameters<RunSink['finishRun']>[1];
  readonly details: Parameters<RunSink['finishRun']>[2];
  readonly event: RunStatusEvent;
}

function failedEnd(job: Job, error: string): RunEnd {
  return { status: 'failed', details: { error }, event: { runId: job.runId, status: 'failed', error } };
}

/** Interrupted, as a crash leaves a run: its stored state (the one it was queued with, or its last autosave) stays, to resume from. */
function interruptedEnd(job: Job, error: string): RunEnd {
  return { status: 'interrupted', details: { error }, event: { runId: job.runId, status: 'interrupted', error } };
}

/** Why a resumed run that played nothing since stopped, and that it continues from the checkpoint it was resumed from. */
function resumedAgainMessage(job: Job, reason: string): string {
  return `${reason} as the run was resumed; it continues from its checkpoint, at episode ${fmt(job.episodesDone)}: resume it again (Resume in the app, \`aisle resume ${job.runId}\` in a terminal)`;
}

/**
 * The state a job that played nothing here keeps as it stops: the one it was queued with (a resumed
 * run's), at the episode it was queued at; none for a run queued fresh.
 */
function queuedState(job: Job): { state?: { episode: number; data: Uint8Array } } {
  return job.state ? { state: { episode: job.episodesDone, data: job.state } } : {};
}

/**
 * What a run whose write the store refused for good says (see JobPool.storeFailed): the store's
 * words, then where it continues from when resumed and what to do first.
 */
function notRecordedMessage(job: Job, error: Error): string {
  const what = `could not record the run: ${error.message}`;
  // Another process took it for gone and marked it interrupted: the run is that process's now, as its words say.
  if (error.name === 'RunTakenOverError') return what;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const cause = code.startsWith('SQLITE_IOERR') ? ' (the disk may be full or failing)' : '';
  const fix =
    code === 'SQLITE_FULL' ? 'free some space, then ' : code.startsWith('SQLITE_IOERR') ? 'free some space or check the disk, then ' : code.startsWith('SQLITE_READONLY') ? 'make the database writable, then ' : '';
  const resume = `${fix}resume it (Resume in the app, \`aisle resume ${job.runId}\` in a terminal)`;
  if (job.autosavedAt !== undefined) return `${what}${cause}; it continues from its last autosave, at episode ${fmt(job.autosavedAt)}: ${resume}`;
  // Nothing stored to cut back or to continue: resuming it starts it from its first episode.
  if (job.storedEpisodes === 0) return `${what}${cause}; it stored no episode: ${resume}`;
  return `${what}${cause}; it had no autosave yet, so it cannot be resumed: ${fix}start it again (Run again in the app, \`aisle again\` in a terminal)`;
}
