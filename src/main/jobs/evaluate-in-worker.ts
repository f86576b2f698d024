/**
 * A policy evaluation in a worker thread of its own (the training worker's script, sent an
 * `evaluate` message): a million Monte-Carlo episodes take seconds, and on the thread that stores
 * metric batches and answers the app they would hold up both. The worker is started for the one
 * evaluation and stopped after it (~0.1–0.3 s to start, against seconds of evaluation); a
 * ValidationError (a policy that does not fit the environment) comes back as one.
 */
import { Worker } from 'node:worker_threads';
import type { Experiment } from '../../engine/experiment';
import { ValidationError } from '../../engine/params';
import type { PolicyFile } from '../../engine/policy/format';
import type { PolicyEvaluationResult } from '../../shared/dto';
import type { EvaluatePolicy, FromEvaluation, FromWorker, SerializedError } from './protocol';

export function evaluateInWorker(
  workerPath: string,
  policy: PolicyFile,
  experiment: Pick<Experiment, 'env' | 'agent'>,
  opts: { episodes: number; seed: number; signal?: AbortSignal },
): Promise<PolicyEvaluationResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new Error('the evaluation was stopped: the app is closing'));
    const worker = new Worker(workerPath);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (msg: FromWorker | FromEvaluation) => {
      if (msg.type === 'ready') {
        const request: EvaluatePolicy = { type: 'evaluate', policy, experiment, episodes: opts.episodes, seed: opts.seed };
        worker.postMessage(request);
      } else if (msg.type === 'evaluated') settle(() => resolve(msg.result));
      else if (msg.type === 'evaluation-failed') settle(() => reject(rebuild(msg.error)));
    });
    // Closing the app stops an evaluation under way rather than waiting for it.
    const stop = () => settle(() => reject(new Error('the evaluation was stopped: the app is closing')));
    opts.signal?.addEventListener('abort', stop, { once: true });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => {
      opts.signal?.removeEventListener('abort', stop);
      settle(() => reject(new Error(`the evaluation worker stopped (exit code ${code}) before answering`)));
    });
  });
}

function rebuild(error: SerializedError): Error {
  if (error.name === 'ValidationError' && error.problems) return new ValidationError(error.problems);
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}
