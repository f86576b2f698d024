/**
 * Messages between the job pool and its training workers: a tagged union each way. Every message
 * from a worker carries the `job` number the pool gave the run, so a late message from a replaced
 * or recycled worker can never be mistaken for another run's. Errors cross as plain
 * { name, message, stack } objects. Cancelling and pausing do not travel as messages (the worker is
 * busy training and reads no messages): the pool flips flags in shared memory (see RunControl) that
 * the worker checks after every episode.
 */
import type { MessagePort } from 'node:worker_threads';
import type { NetworkLayout } from '../../engine/agent';
import type { Experiment } from '../../engine/experiment';
import { ValidationError } from '../../engine/params';
import type { PolicyFile } from '../../engine/policy/format';
import type { GreedyReport } from '../../engine/mdp/solve';
import type { MetricSummary, RunSpec } from '../../engine/train';
import type { FitLogsTask, LogsTask } from '../logs-task';
import type { CompareWork } from '../service/compare-statistics';
import type { ResultsTask } from '../results/results-task';

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** A ValidationError's problems (one line each), so it can be rebuilt on the other side. */
  readonly problems?: readonly string[];
  /** A damaged results file's findings in SQLite's words (DamagedResultsError's `details`). */
  readonly details?: readonly string[];
  /** SQLite's code (SQLITE_BUSY, SQLITE_CORRUPT…), which says what the contract answers (a database busy, damaged). */
  readonly code?: string;
  /** A NotFoundError's words for the app's screens (see src/main/store/errors.ts). */
  readonly appMessage?: string;
}

/** A training worker's workerData (JobPool's): the port the pool gives written metric columns back on (see SpareColumns). */
export interface WorkerData {
  readonly spareColumns?: MessagePort;
}

export type ToWorker = StartRun | WorkerTask;

/** A one-off computation in a worker of its own (see run-in-worker.ts): its answer is a FromTask. */
export type WorkerTask = EvaluatePolicy | EvaluateLogs | InspectLogs | FitLogs | ReadPolicy | CompareStatisticsTask | ResultsTask;

/** A large comparison's bands, intervals and probabilities (src/main/service/compare-statistics.ts), off the main thread. */
export interface CompareStatisticsTask {
  readonly type: 'compare-statistics';
  readonly work: CompareWork;
}

/** A policy file's text parsed and checked for import (src/main/policies.ts readPolicyText), off the main thread. */
export interface ReadPolicy {
  readonly type: 'read-policy';
  readonly text: string;
  readonly fileName: string;
}

/** A simulator fitted to a logs file (src/main/logs-task.ts), off the main thread as its evaluation is. */
export interface FitLogs {
  readonly type: 'fit-logs';
  readonly request: FitLogsTask;
}

/** A logs file's columns and values (src/main/logs-task.ts), read off the main thread as its evaluation is. */
export interface InspectLogs {
  readonly type: 'inspect-logs';
  readonly text: string;
  readonly fileName: string;
}

/**
 * Off-policy evaluation of logged feedback (src/main/logs-task.ts) in a worker of its own: a large
 * logs file, many targets or resamples take seconds that the main thread must not spend.
 */
export interface EvaluateLogs {
  readonly type: 'evaluate-logs';
  readonly request: LogsTask;
}

/**
 * Evaluates a policy file on an environment (src/main/policies.ts) in a worker of its own, so a
 * long Monte-Carlo evaluation never holds up the process that stores runs and answers the app.
 */
export interface EvaluatePolicy {
  readonly type: 'evaluate';
  readonly policy: PolicyFile;
  readonly experiment: Pick<Experiment, 'env' | 'agent'>;
  readonly episodes: number;
  readonly seed: number;
  /** The experiment is the one the policy was trained in: see evaluatePolicyFile. */
  readonly trained?: boolean;
}

export type StartRun = {
  readonly type: 'start';
  readonly job: number;
  readonly runId: number;
  readonly spec: RunSpec;
  /** The run's stop and pause flags and its count of messages the pool has not handled, shared with the pool (see RunControl). */
  readonly control: SharedArrayBuffer;
  /** How often metric batches are sent, in ms (at most ~10 messages/s per run by default). */
  readonly flushMs: number;
  /** A paused run's state (run-state bytes, src/engine/resume/format.ts): the run continues from it. */
  readonly state?: Uint8Array;
  /** The run's state is sent (`autosave`) about this often while it trains, in ms of wall time; 0: never. */
  readonly autosaveMs: number;
  /** false: no per-episode metrics are collected or sent (PoolOptions.collectMetrics: the bench's reference). */
  readonly collectMetrics?: false;
};

/** A task's answer (the worker sends `ready` first, as always), and before it, for a task that tells it, its progress. */
export type FromTask = { readonly type: 'task-done'; readonly result: unknown } | { readonly type: 'task-failed'; readonly error: SerializedError } | { readonly type: 'task-progress'; readonly progress: unknown };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly job: number; readonly metricNames: readonly string[] }
  | {
      readonly type: 'metrics';
      readonly job: number;
      /** First episode index of the batch. */
      readonly start: number;
      readonly count: number;
      /** One column per metric name (in `started`'s order), transferred, not copied. */
      readonly columns: readonly Float32Array[];
    }
  | {
      readonly type: 'checkpoint';
      readonly job: number;
      readonly episode: number;
      readonly states: number;
      readonly actions: number;
      readonly q: Float64Array;
    }
  | {
      /**
       * The run's state after `episode` episodes, taken while it trains (see StartRun.autosaveMs):
       * sent after the metric batch that ends at `episode`, which the pool writes first.
       */
      readonly type: 'autosave';
      readonly job: number;
      readonly episode: number;
      /** Run-state bytes, transferred. */
      readonly data: Uint8Array;
    }
  | {
      /** A network agent's weights at a checkpoint episode (params a transferred copy). */
      readonly type: 'weights';
      readonly job: number;
      readonly episode: number;
      readonly network: NetworkLayout;
      readonly params: Float32Array;
    }
  | {
      readonly type: 'finished';
      readonly job: number;
      readonly status: 'completed' | 'cancelled';
      readonly episodes: number;
      readonly steps: number;
      readonly summary: Readonly<Record<string, MetricSummary>>;
      readonly greedy?: GreedyReport;
      readonly values?: { readonly states: number; readonly actions: number; readonly q: Float64Array };
      readonly weights?: { readonly network: NetworkLayout; readonly params: Float32Array };
      /** A run stopped between two episodes: its state after `episode` episodes, to resume it from (bytes transferred). */
      readonly state?: { readonly episode: number; readonly data: Uint8Array };
    }
  | {
      readonly type: 'failed';
      readonly job: number;
      readonly error: SerializedError;
      /**
       * A resumed run that could not take its checkpoint back (the run no longer builds from its
       * stored config, or the checkpoint does not fit it): it played nothing, and the pool leaves it
       * paused with its checkpoint rather than failed without one.
       */
      readonly resumeRefused?: true;
    };

/**
 * The bytes a worker's message carries in typed arrays (metric columns, a Q-table, weights, a run's
 * state), its other fields' few bytes left out: what the pool's bound on bytes unhandled counts
 * (RunControl, MOST_UNHANDLED_BYTES). Taken by the worker before it posts (a transferred buffer is
 * empty after) and by the pool as it handles it: the same arrays, the same count.
 */
export function messageBytes(msg: FromWorker): number {
  switch (msg.type) {
    case 'metrics':
      return msg.columns.reduce((sum, c) => sum + c.byteLength, 0);
    case 'checkpoint':
      return msg.q.byteLength;
    case 'autosave':
      return msg.data.byteLength;
    case 'weights':
      return msg.params.byteLength;
    case 'finished':
      return (msg.values?.q.byteLength ?? 0) + (msg.weights?.params.byteLength ?? 0) + (msg.state?.data.byteLength ?? 0);
    case 'ready':
    case 'started':
    case 'failed':
      return 0;
    default:
      return assertNever(msg, 'worker message');
  }
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof ValidationError) {
    const { details } = e as { details?: unknown };
    const found = Array.isArray(details) && details.every((d) => typeof d === 'string') ? { details: [...(details as string[])] } : {};
    return { name: e.name, message: e.message, problems: [...e.problems], ...found };
  }
  if (e instanceof Error) {
    const { code, appMessage } = e as { code?: unknown; appMessage?: unknown };
    return {
      name: e.name,
      message: e.message,
      ...(e.stack ? { stack: e.stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof appMessage === 'string' ? { appMessage } : {}),
    };
  }
  return { name: 'Error', message: String(e) };
}

/** Compile-time check that a switch over a union handled every case. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
