/**
 * The lab service: implements every command of the contract (src/shared/contract.ts) on one store
 * and one job pool, and pushes run status, throttled progress and experiment changes to whoever
 * listens. Both doors (Electron IPC, the browser-mode host) dispatch to `handlers`; it imports no
 * electron. The commands live by subject in src/main/service/.
 */
import type { EventName, Handlers } from '../shared/contract';
import type { RunStatusEvent } from './jobs/pool';
import { Lab } from './lab';
import { compareRuns } from './service/compare';
import type { ServiceContext } from './service/context';
import { Emitter, ProgressThrottle } from './service/events';
import { experimentHandlers } from './service/experiments';
import { logHandlers } from './service/logs';
import { policyHandlers } from './service/policies';
import { runHandlers } from './service/runs';
import type { Store } from './store';
import { APP_VERSION } from './version';

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

  constructor(options: ServiceOptions) {
    const { store } = options;
    this.lab = new Lab(store, {
      workerPath: options.workerPath,
      ...(options.workers !== undefined ? { size: options.workers } : {}),
      ...(options.flushMs !== undefined ? { flushMs: options.flushMs } : {}),
    });
    this.progress = new ProgressThrottle((p) => this.events.emit('run.progress', p));
    this.lab.pool.on('progress', (p) => this.progress.push(p));
    this.lab.pool.on('status', (s) => this.onStatus(s));
    // A failed write already fails its run (reported as its status); the pool carries on.
    this.lab.pool.on('error', (e) => console.error('aisle: the job pool could not record a run:', e.message));

    const ctx: ServiceContext = {
      store,
      lab: this.lab,
      workerPath: options.workerPath,
      closing: this.stopping.signal,
      launch: (experiment, source) => {
        const launched = this.lab.launch(experiment, source);
        for (const runId of launched.runIds) this.experimentOf.set(runId, launched.experimentId);
        return launched;
      },
      emit: (event, payload) => this.events.emit(event, payload),
    };
    this.handlers = {
      'app.info': () => ({ version: APP_VERSION, door: options.door, dbPath: options.dbPath, workers: this.lab.pool.size }),
      ...experimentHandlers(ctx),
      ...runHandlers(ctx),
      'compare.runs': (input) => compareRuns(store, input),
      ...policyHandlers(ctx),
      ...logHandlers(ctx),
    };
  }

  /** Subscribes to every pushed event; returns the unsubscribe function. */
  on(listener: (event: EventName, payload: unknown) => void): () => void {
    return this.events.on(listener);
  }

  /** Cancels queued and running runs, waits briefly for workers to confirm, and stops them. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopping.abort();
      try {
        await this.lab.close();
      } finally {
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
      } catch {
        return; // deleted meanwhile: nobody can show it
      }
    }
    if (finished) this.experimentOf.delete(s.runId);
    this.events.emit('run.status', { runId: s.runId, experimentId, status: s.status, ...(s.status === 'failed' ? { error: s.error } : {}) });
  }
}
