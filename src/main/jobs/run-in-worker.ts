/**
 * A one-off task in a worker thread of its own (the training worker's script, sent the task): a
 * policy evaluation (a million Monte-Carlo episodes take seconds) or an off-policy evaluation of a
 * large logs file would, on the thread that stores metric batches and answers the app, hold up
 * both. The worker is started for the one task and stopped after it (~0.1–0.3 s to start, against
 * seconds of work); a ValidationError comes back as one. Closing the app stops a task under way.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ContractFailure } from '../../shared/dispatch';
import type { Experiment } from '../../engine/experiment';
import { ValidationError } from '../../engine/params';
import type { PolicyFile } from '../../engine/policy/format';
import type { OpeProgress } from '../../engine/ope/run';
import type { PolicyEvaluationResult, ResultsExport, ResultsImport } from '../../shared/dto';
import type { FitLogsResult, FitLogsTask, LogsInspectionResult, LogsTask, LogsTaskResult } from '../logs-task';
import type { WrittenResults } from '../results/export';
import { newScratchFolder, removeExportTemporary, removeScratchFolder } from '../results/scratch';
import type { PolicyRead } from '../policies';
import type { CompareStatistics, CompareWork } from '../service/compare-statistics';
import type { FromTask, FromWorker, SerializedError, WorkerTask } from './protocol';

/**
 * At most `size` tasks run at once (each a worker thread of its own, beside the training pool's),
 * the others wait in order, and beyond `waiting` of them a new one is refused: a burst of
 * requests (300 evaluations at once) would otherwise start 300 threads, take gigabytes and hold
 * up every other call.
 */
export class TaskSlots {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly size: number,
    readonly waiting: number,
  ) {}

  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first, or at once when too many wait. */
  acquire(signal: AbortSignal | undefined, what: string): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running--;
      this.queue.shift()?.();
    };
    if (this.running < this.size) {
      this.running++;
      return Promise.resolve(release);
    }
    if (this.queue.length >= this.waiting) {
      // The slots are shared by every kind of task (evaluations, imports, exports…): the refusal names the one refused.
      return Promise.reject(new ContractFailure(`too many tasks at once (${this.size} running, ${this.queue.length} waiting): the ${what} was not started; try it again when some have finished`, 503));
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', leave);
        this.running++;
        resolve(release);
      };
      const leave = () => {
        const at = this.queue.indexOf(start);
        if (at >= 0) this.queue.splice(at, 1);
        reject(stoppedError(what, signal));
      };
      this.queue.push(start);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}

/**
 * Tasks in worker threads: as many at once as training would use (cores − 1), but at least two, so
 * that reading a file (an import, a logs file's columns) does not wait behind a long evaluation on
 * a two-core machine; 64 more waiting.
 */
const slots = new TaskSlots(Math.max(2, availableParallelism() - 1), 64);

/** Why a task stopped: the reason its signal was aborted with (a client gone), else the app closing. */
function stoppedError(what: string, signal: AbortSignal | undefined): Error {
  return new Error(`the ${what} was stopped: ${typeof signal?.reason === 'string' ? signal.reason : 'the app is closing'}`);
}

/**
 * Runs `task` in a worker thread of its own once a slot of `taskSlots` (the app's, unless a test
 * gives its own) is free. `cleanup` has one owner here and runs exactly once, whichever way the
 * task ends: at once when no worker was started (stopped before or while waiting for a slot,
 * refused a slot, a worker that could not be created), else when the worker has exited, as it can
 * then write no more (a stopped worker runs no `finally`). The slot, likewise, is given back when
 * the worker has exited, not when it answered. `onProgress` hears the task's progress messages (an
 * off-policy evaluation's) until it answers.
 */
export async function runInWorker<T>(workerPath: string, task: WorkerTask, signal?: AbortSignal, cleanup?: () => void, taskSlots = slots, onProgress?: (progress: unknown) => void): Promise<T> {
  const what = {
    evaluate: 'evaluation',
    'inspect-logs': 'reading of the logs',
    'evaluate-logs': 'off-policy evaluation',
    'fit-logs': 'fitting of a simulator to the logs',
    'read-policy': 'reading of the policy file',
    'compare-statistics': 'comparison',
    'export-results': 'export of the results',
    'export-results-file': 'export of the results',
    'import-results': 'import of the results file',
    'import-results-file': 'import of the results file',
  }[task.type];
  let cleanedUp = false;
  const cleanUpOnce = () => {
    if (cleanedUp) return;
    cleanedUp = true;
    try {
      cleanup?.();
    } catch (e) {
      // Tidying up must not take the slot with it (nor end the process, as an exception thrown on a
      // worker's exit does): what it could not remove is said, and the task's own outcome stands.
      console.warn(`aisle: after the ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let worker: Worker | undefined;
  try {
    if (signal?.aborted) throw stoppedError(what, signal);
    const release = await taskSlots.acquire(signal, what);
    try {
      if (signal?.aborted) throw stoppedError(what, signal); // while the slot was being given
      worker = new Worker(workerPath);
    } catch (e) {
      release();
      throw e;
    }
    // The slot is the thread's, not the answer's: it is given back once the worker has exited, as a
    // task answered (or stopped) is terminated only then, and a burst of tasks would otherwise have
    // more than `size` threads alive at once.
    worker.once('exit', () => {
      cleanUpOnce();
      release();
    });
    return await answer<T>(worker, task, what, signal, onProgress);
  } finally {
    if (worker === undefined) cleanUpOnce();
  }
}

/** The worker's answer to `task`; it is terminated once it has answered, failed or been stopped. */
function answer<T>(worker: Worker, task: WorkerTask, what: string, signal?: AbortSignal, onProgress?: (progress: unknown) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: FromWorker | FromTask) => {
      if (msg.type === 'ready') worker.postMessage(task);
      else if (msg.type === 'task-done') settle(() => resolve(msg.result as T));
      else if (msg.type === 'task-failed') settle(() => reject(rebuild(msg.error)));
      else if (msg.type === 'task-progress' && !settled) onProgress?.(msg.progress);
    });
    const stop = () => settle(() => reject(stoppedError(what, signal)));
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker stopped (exit code ${code}) before answering`))));
  });
}

/** Evaluates a policy file on an environment (src/main/policies.ts) in a worker. */
export function evaluateInWorker(
  workerPath: string,
  policy: PolicyFile,
  experiment: Pick<Experiment, 'env' | 'agent'>,
  opts: { episodes: number; seed: number; trained?: boolean; signal?: AbortSignal },
): Promise<PolicyEvaluationResult> {
  return runInWorker(workerPath, { type: 'evaluate', policy, experiment, episodes: opts.episodes, seed: opts.seed, ...(opts.trained ? { trained: true } : {}) }, opts.signal);
}

/**
 * Off-policy evaluation of a logs file's text (src/main/logs-task.ts) in a worker, telling
 * `onProgress` how far it has resampled; `onExited` is called once its worker has exited (stopped,
 * it is terminated: a bootstrap under way ends there).
 */
export function evaluateLogsInWorker(
  workerPath: string,
  request: LogsTask,
  opts: { signal?: AbortSignal; onProgress?: (progress: OpeProgress) => void; onExited?: () => void } = {},
): Promise<LogsTaskResult> {
  return runInWorker(workerPath, { type: 'evaluate-logs', request }, opts.signal, opts.onExited, slots, opts.onProgress as ((progress: unknown) => void) | undefined);
}

/** A simulator fitted to a logs file's text (src/main/logs-task.ts) in a worker. */
export function fitLogsInWorker(workerPath: string, request: FitLogsTask, signal?: AbortSignal): Promise<FitLogsResult> {
  return runInWorker(workerPath, { type: 'fit-logs', request }, signal);
}

/** A policy file's text parsed and checked for import (src/main/policies.ts) in a worker. */
export function readPolicyInWorker(workerPath: string, text: string, fileName: string, signal?: AbortSignal): Promise<PolicyRead> {
  return runInWorker(workerPath, { type: 'read-policy', text, fileName }, signal);
}

/** A logs file's columns and values (src/main/logs-task.ts) in a worker. */
export function inspectLogsInWorker(workerPath: string, text: string, fileName: string, signal?: AbortSignal): Promise<LogsInspectionResult> {
  return runInWorker(workerPath, { type: 'inspect-logs', text, fileName }, signal);
}

/** The worker's error as the service would have thrown it: what the contract answers reads the name, SQLite's code and a NotFoundError's app words. */
function rebuild(error: SerializedError): Error {
  if (error.name === 'ValidationError' && error.problems) {
    const refused = new ValidationError(error.problems);
    // A damaged results file's findings in SQLite's words (DamagedResultsError's), for --json.
    return error.details ? Object.assign(refused, { details: error.details }) : refused;
  }
  const e = new Error(error.message) as Error & { code?: string; appMessage?: string };
  e.name = error.name;
  if (error.code !== undefined) e.code = error.code;
  if (error.appMessage !== undefined) e.appMessage = error.appMessage;
  return e;
}

/** Chosen experiments as a results file's bytes (src/main/results/results-task.ts), read from the database by a worker of its own. */
export function exportResultsInWorker(workerPath: string, database: string, ids: readonly number[], signal?: AbortSignal): Promise<ResultsExport> {
  const folder = newScratchFolder();
  return runInWorker(workerPath, { type: 'export-results', database, folder, ids }, signal, () => removeScratchFolder(folder));
}

/**
 * Chosen experiments written to a results file `file` by a worker of its own (`aisle results
 * export`), so that the thread that asked stays free to stop it: the copy is synchronous, and on
 * the CLI's own thread Ctrl-C ended the process halfway with its temporary file left beside `file`.
 * Stopped, the worker's temporary files are removed once it has exited (a statement under way in
 * SQLite ends first), and then `onExited` is called.
 */
export function exportResultsFileInWorker(
  workerPath: string,
  database: string,
  ids: readonly number[],
  file: string,
  opts: { signal?: AbortSignal; onExited?: () => void; gate?: SharedArrayBuffer } = {},
): Promise<WrittenResults> {
  return runInWorker(workerPath, { type: 'export-results-file', database, ids, file, ...(opts.gate ? { gate: opts.gate } : {}) }, opts.signal, () => {
    const left = removeExportTemporary(file);
    // Stopped, the worker ran no cleanup of its own; otherwise its error already names what is left.
    if (left.length > 0 && opts.signal?.aborted) console.warn(`aisle: the export's unfinished copy ${left.join(', ')} could not be removed: delete it by hand`);
    opts.onExited?.();
  });
}

/** A picked results file's bytes imported into the database (src/main/results/results-task.ts) by a worker of its own. */
export function importResultsInWorker(workerPath: string, database: string, file: { base64: string; fileName: string }, signal?: AbortSignal): Promise<ResultsImport> {
  const folder = newScratchFolder();
  return runInWorker(workerPath, { type: 'import-results', database, folder, ...file }, signal, () => removeScratchFolder(folder));
}

/**
 * A results file imported into the database by a worker of its own (`aisle results import`), so that
 * the thread that asked stays free to stop it: the copy runs in one synchronous transaction, and on
 * the CLI's own thread Ctrl-C ended the process with nothing said. Stopped, the transaction is never
 * committed (the database stays as it was); the worker's private folder (the file's checked copy) is
 * removed once it has exited, and then `onExited` is called.
 * @param shownAs the file as the user gave it, for errors
 */
export function importResultsFileInWorker(
  workerPath: string,
  database: string,
  file: string,
  opts: { shownAs?: string; signal?: AbortSignal; onExited?: () => void; gate?: SharedArrayBuffer } = {},
): Promise<ResultsImport> {
  const folder = newScratchFolder();
  return runInWorker(workerPath, { type: 'import-results-file', database, folder, file, shownAs: opts.shownAs ?? file, ...(opts.gate ? { gate: opts.gate } : {}) }, opts.signal, () => {
    removeScratchFolder(folder);
    opts.onExited?.();
  });
}

/** A large comparison's statistics (src/main/service/compare-statistics.ts) in a worker. */
export function compareStatisticsInWorker(workerPath: string, work: CompareWork, signal?: AbortSignal): Promise<CompareStatistics> {
  return runInWorker(workerPath, { type: 'compare-statistics', work }, signal);
}
