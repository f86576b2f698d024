/**
 * A one-off task in a worker thread of its own (the training worker's script, sent the task): a
 * policy evaluation (a million Monte-Carlo episodes take seconds) or an off-policy evaluation of a
 * large logs file would, on the thread that stores metric batches and answers the app, hold up
 * both. The worker is started for the one task and stopped after it (~0.1–0.3 s to start, against
 * seconds of work); a ValidationError comes back as one. Closing the app stops a task under way.
 */
import { Worker } from 'node:worker_threads';
import type { Experiment } from '../../engine/experiment';
import { ValidationError } from '../../engine/params';
import type { PolicyFile } from '../../engine/policy/format';
import type { PolicyEvaluationResult } from '../../shared/dto';
import type { FitLogsResult, FitLogsTask, LogsInspectionResult, LogsTask, LogsTaskResult } from '../logs-task';
import type { FromTask, FromWorker, SerializedError, WorkerTask } from './protocol';

export function runInWorker<T>(workerPath: string, task: WorkerTask, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const what = { evaluate: 'evaluation', 'inspect-logs': 'reading of the logs', 'evaluate-logs': 'off-policy evaluation', 'fit-logs': 'fitting of a simulator to the logs' }[task.type];
    const stopped = () => new Error(`the ${what} was stopped: the app is closing`);
    if (signal?.aborted) return reject(stopped());
    const worker = new Worker(workerPath);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: FromWorker | FromTask) => {
      if (msg.type === 'ready') worker.postMessage(task);
      else if (msg.type === 'task-done') settle(() => resolve(msg.result as T));
      else if (msg.type === 'task-failed') settle(() => reject(rebuild(msg.error)));
    });
    const stop = () => settle(() => reject(stopped()));
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', stop);
      settle(() => reject(new Error(`the worker stopped (exit code ${code}) before answering`)));
    });
  });
}

/** Evaluates a policy file on an environment (src/main/policies.ts) in a worker. */
export function evaluateInWorker(
  workerPath: string,
  policy: PolicyFile,
  experiment: Pick<Experiment, 'env' | 'agent'>,
  opts: { episodes: number; seed: number; signal?: AbortSignal },
): Promise<PolicyEvaluationResult> {
  return runInWorker(workerPath, { type: 'evaluate', policy, experiment, episodes: opts.episodes, seed: opts.seed }, opts.signal);
}

/** Off-policy evaluation of a logs file's text (src/main/logs-task.ts) in a worker. */
export function evaluateLogsInWorker(workerPath: string, request: LogsTask, signal?: AbortSignal): Promise<LogsTaskResult> {
  return runInWorker(workerPath, { type: 'evaluate-logs', request }, signal);
}

/** A simulator fitted to a logs file's text (src/main/logs-task.ts) in a worker. */
export function fitLogsInWorker(workerPath: string, request: FitLogsTask, signal?: AbortSignal): Promise<FitLogsResult> {
  return runInWorker(workerPath, { type: 'fit-logs', request }, signal);
}

/** A logs file's columns and values (src/main/logs-task.ts) in a worker. */
export function inspectLogsInWorker(workerPath: string, text: string, fileName: string, signal?: AbortSignal): Promise<LogsInspectionResult> {
  return runInWorker(workerPath, { type: 'inspect-logs', text, fileName }, signal);
}

function rebuild(error: SerializedError): Error {
  if (error.name === 'ValidationError' && error.problems) return new ValidationError(error.problems);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}
