/**
 * The lab service: implements every command of the contract (src/shared/contract.ts) on one store
 * and one job pool, and pushes run status, throttled progress, runs' waits for a database another
 * process is writing, and experiment changes to whoever listens. Both doors (Electron IPC, the
 * browser-mode host) dispatch to `handlers`; it imports no electron. The commands live by subject
 * in src/main/service/.
 */
import { setMaxListeners } from 'node:events';
import type { EventName, Handlers } from '../shared/contract';
import type { RunStatusEvent } from './jobs/pool-contract';
import { Lab } from './lab';
import { compareRunsOffThread } from './service/compare';
import { compareStatisticsInWorker } from './jobs/run-in-worker';
import { recoverDeadOwners, taskSignal, type ServiceContext } from './service/context';
import { Emitter, ProgressThrottle } from './service/events';
import { ExternalChanges } from './service/external-changes';
import { OwnImports } from './service/own-imports';
import { experimentHandlers } from './service/experiments';
import { logHandlers } from './service/logs';
import { policyHandlers } from './service/policies';
import { resultsHandlers } from './service/results';
import { runtimePathBeside } from './policy-runtime';
import { MAX_STREAMED_CSV_VALUES, runHandlers, streamedMetricsCsv, type MetricsCsv } from './service/runs';
import { resumeHandlers } from './service/run-resume';
import { NotFoundError, type Store } from './store';
import { APP_VERSION } from './version';

/**
 * How often the service looks for other processes' changes to the database. A look that finds no
 * commit is one `PRAGMA data_version` and a read of the sessions table (microseconds), so it can
 * be frequent: `aisle run` commits progress every ~100 ms, and a run it starts shows in the app
 * within a quarter of a second of its commit rather than up to a second later.
 */
const EXTERNAL_CHECK_MS = 250;

/**
 * How long a command's write (launch, delete, import, cancel) waits for another process's write
 * lock before answering Busy, ms. The service answers every screen on one thread, which a waiting
 * write stops: long enough to ride out another process's ordinary commits (a few ms each), short
 * enough that the app never looks frozen. The CLI keeps BUSY_TIMEOUT_MS: in its own process,
 * waiting stops nothing else.
 */
export const COMMAND_BUSY_TIMEOUT_MS = 1000;

export interface ServiceOptions {
  store: Store;
  /** The built training worker (out/main/worker.js). */
  workerPath: string;
  /** Worker threads; default cores − 1. */
  workers?: number;
  door: 'electron' | 'browser';
  dbPath: string;
  /** How often workers send metric batches, ms (tests lower it to provoke the progress throttle). */
  flushMs?: number;
  /** About how often a training run's state is autosaved, ms (default 60 s; see PoolOptions.autosaveMs). */
  autosaveMs?: number;
  /** The built policy runtime users save (default: out/runtime/runtime.js beside the worker's out/main). */
  runtimePath?: string;
}

export class AisleService {
  readonly handlers: Handlers;
  private readonly lab: Lab;
  private readonly events = new Emitter();
  private readonly progress: ProgressThrottle;
  /** Experiment of each run this service launched and has not seen finish (for `run.status`). */
  private readonly experimentOf = new Map<number, number>();
  private closing: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  /** The experiments and runs this service launched: their events come from its pool, not from ExternalChanges. */
  private readonly own = { experiments: new Set<number>(), runs: new Set<number>() };
  /** Other processes' changes to the database (see ExternalChanges), looked for every EXTERNAL_CHECK_MS. */
  private readonly external: ExternalChanges;
  private readonly watch: ReturnType<typeof setInterval>;
  private readonly ctx: ServiceContext;
  /** The store's own busy timeout, given back when the service closes (the store's close waits as it did before). */
  private readonly storeBusyTimeoutMs: number;
  /** Runs whose results wait for another process's write (told by `run.storage`), for a page that opens meanwhile, with who writes when it is this app. */
  private readonly waitingForDatabase = new Map<number, string | null>();
  /** This app's results imports under way, which hold the database's write lock for their duration. */
  private readonly imports: OwnImports;

  constructor(options: ServiceOptions) {
    const { store } = options;
    this.storeBusyTimeoutMs = store.busyTimeoutMs;
    // At most: a store opened with a shorter wait (tests) keeps it.
    store.busyTimeoutMs = Math.min(this.storeBusyTimeoutMs, COMMAND_BUSY_TIMEOUT_MS);
    this.lab = new Lab(store, {
      workerPath: options.workerPath,
      ...(options.workers !== undefined ? { size: options.workers } : {}),
      ...(options.flushMs !== undefined ? { flushMs: options.flushMs } : {}),
      ...(options.autosaveMs !== undefined ? { autosaveMs: options.autosaveMs } : {}),
    });
    this.progress = new ProgressThrottle((p) => this.events.emit('run.progress', p));
    this.lab.pool.on('progress', (p) => this.progress.push(p));
    this.lab.pool.on('status', (s) => this.onStatus(s));
    // A write refused for good already stops its run (reported interrupted, as its status); the pool carries on.
    this.lab.pool.on('storeError', ({ runId, error }) => console.error(`aisle: could not record run ${runId}: ${error.message}`));
    this.imports = new OwnImports((fn) => store.withoutWaiting(fn));
    this.lab.pool.on('storeWaiting', ({ runId, message }) => {
      // The pool cannot tell who holds the lock; this service knows when it is its own import.
      const writer = this.imports.writer();
      console.error(`aisle: run ${runId}: ${writer === null ? message : `waiting for the database: ${writer}`}`);
      this.waitingForDatabase.set(runId, writer);
      this.events.emit('run.storage', { runId, waiting: true, ...(writer === null ? {} : { writer }) });
    });
    this.lab.pool.on('storeResumed', ({ runId }) => {
      console.error(`aisle: run ${runId}: no longer waiting for the database`);
      this.waitingForDatabase.delete(runId);
      this.events.emit('run.storage', { runId, waiting: false });
    });
    this.external = new ExternalChanges(store.db, (event, payload) => this.events.emit(event, payload), this.own);
    this.watch = setInterval(() => this.checkExternalChanges(), EXTERNAL_CHECK_MS);
    this.watch.unref?.();

    // Every task in a worker listens for the close (up to TaskSlots' running and waiting ones): not a leak.
    setMaxListeners(0, this.stopping.signal);
    const ctx: ServiceContext = (this.ctx = {
      store,
      lab: this.lab,
      workerPath: options.workerPath,
      runtimePath: options.runtimePath ?? runtimePathBeside(options.workerPath),
      closing: this.stopping.signal,
      launchAll: (experiments, source, repeat) => {
        const launched = this.lab.launchAll(experiments, source, repeat);
        for (const { experimentId, runIds } of launched) {
          this.own.experiments.add(experimentId);
          for (const runId of runIds) {
            this.experimentOf.set(runId, experimentId);
            this.own.runs.add(runId);
          }
        }
        return launched;
      },
      adoptRun: (runId, experimentId) => {
        this.experimentOf.set(runId, experimentId);
        this.own.runs.add(runId);
      },
      // A day of launching and deleting would otherwise leave every id ever launched in these sets.
      // A deleted id never comes back (AUTOINCREMENT), so forgetting it changes what ExternalChanges
      // reports at most by one experiments.changed for an experiment gone, a refresh it already
      // pushes for this process's own deletes when another process has committed since.
      forgetDeleted: ({ runIds, experimentIds = [] }) => {
        for (const runId of runIds) {
          this.own.runs.delete(runId);
          this.experimentOf.delete(runId);
          this.waitingForDatabase.delete(runId);
        }
        for (const experimentId of experimentIds) this.own.experiments.delete(experimentId);
      },
      emit: (event, payload) => this.events.emit(event, payload),
      imports: this.imports,
      writeElsewhere: (write, written) => this.external.writeElsewhere(write, written),
    });
    // A write held up by this app's own import waits for it (see OwnImports), rather than answering Busy.
    this.handlers = this.imports.wrap({
      'app.info': () => ({ version: APP_VERSION, door: options.door, dbPath: options.dbPath, workers: this.lab.pool.size }),
      ...experimentHandlers(ctx),
      ...runHandlers(ctx),
      ...resumeHandlers(ctx),
      'runs.waitingForDatabase': () => [...this.waitingForDatabase].sort(([a], [b]) => a - b).map(([runId, writer]) => ({ runId, ...(writer === null ? {} : { writer }) })),
      'compare.runs': (input, call) => compareRunsOffThread(store, input, (work) => compareStatisticsInWorker(options.workerPath, work, taskSignal(ctx, call))),
      ...policyHandlers(ctx),
      ...resultsHandlers(ctx),
      ...logHandlers(ctx),
    });
  }

  /**
   * How many runs and experiments the service keeps something about (for tests and diagnostics):
   * bounded by what the database holds, not by what was ever launched.
   */
  tracked(): { ownRuns: number; ownExperiments: number; runsAwaitingStatus: number; runsWaitingForDatabase: number; runsThrottled: number; runsFinishedHere: number } {
    return {
      ownRuns: this.own.runs.size,
      runsFinishedHere: this.external.runsFinishedHere,
      ownExperiments: this.own.experiments.size,
      runsAwaitingStatus: this.experimentOf.size,
      runsWaitingForDatabase: this.waitingForDatabase.size,
      runsThrottled: this.progress.size,
    };
  }

  /** A run's metrics CSV in pieces, read in one snapshot, for the app's Metrics CSV (the desktop app's save, the browser mode's streamed download). */
  metricsCsv(id: number): MetricsCsv {
    return streamedMetricsCsv(this.ctx.store, id, MAX_STREAMED_CSV_VALUES);
  }

  /** Subscribes to every pushed event; returns the unsubscribe function. */
  on(listener: (event: EventName, payload: unknown) => void): () => void {
    return this.events.on(listener);
  }

  /** Pushes the events for what other processes (`aisle run`, another window) changed in the database since the last look. */
  checkExternalChanges(): void {
    if (this.closing) return;
    try {
      recoverDeadOwners(this.ctx); // another process's runs, left running when it died
      this.external.check();
    } catch (e) {
      console.error('aisle: could not look for other processes\' changes to the database:', e instanceof Error ? e.message : e);
    }
  }

  /** Cancels running runs (queued ones are left to be marked interrupted), waits briefly for workers to confirm, and stops them. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.watch);
      this.stopping.abort();
      try {
        await this.lab.close();
      } finally {
        this.lab.store.busyTimeoutMs = this.storeBusyTimeoutMs;
        this.progress.dispose();
        this.events.clear();
      }
    })();
    return this.closing;
  }

  private onStatus(s: RunStatusEvent): void {
    const finished = s.status !== 'running';
    if (finished) this.progress.finish(s.runId); // the last progress goes out before the end
    let experimentId = this.experimentOf.get(s.runId);
    if (experimentId === undefined) {
      try {
        experimentId = this.lab.store.getRunItem(s.runId).experimentId;
      } catch (e) {
        // Deleted meanwhile: nobody can show it. Anything else (a database that failed) is said, not hidden.
        if (!(e instanceof NotFoundError)) console.error(`aisle: run ${s.runId} ${s.status}, but its experiment could not be read to tell the app: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    if (finished) {
      this.experimentOf.delete(s.runId);
      // Its pool is done with it: what another process does to it next (`aisle resume`) is reported.
      if (this.own.runs.delete(s.runId)) this.external.finishedHere(s.runId, s.status);
    }
    this.events.emit('run.status', { runId: s.runId, experimentId, status: s.status, ...(s.status === 'failed' || s.status === 'interrupted' ? { error: s.error } : {}) });
  }
}
