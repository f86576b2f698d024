/**
 * Logged bandit feedback through the contract: a logs CSV's columns and values (for the
 * off-policy screen's pickers), and off-policy evaluation of target policies on its rows, the
 * same engine calls as `aisle ope` (src/engine/ope) on the file's text (src/main/logs-task.ts).
 * Both run in a worker of their own: a large file, many resamples or targets take seconds that
 * the thread storing runs and answering the app must not spend. Nothing is stored.
 */
import type { LogColumns } from '../../engine/ope/csv';
import { holdoutOf } from '../../engine/ope/data';
import type { TargetSpec } from '../../engine/ope/run';
import type { Handlers, ParsedInput } from '../../shared/contract';
import { ContractFailure } from '../../shared/dispatch';
import { evaluateLogsInWorker, fitLogsInWorker, inspectLogsInWorker } from '../jobs/run-in-worker';
import { parseStoredPolicy } from '../policies';
import { taskSignal, type ServiceContext } from './context';
import { NamedEvaluations } from './named-evaluations';

type LogHandlers = Pick<Handlers, 'logs.inspect' | 'logs.evaluate' | 'logs.cancelEvaluation' | 'logs.followEvaluation' | 'logs.simulator'>;

/** `graceMs`: how long a named evaluation whose page went goes on for a page loaded again to follow it (tests shorten it). */
export function logHandlers(ctx: ServiceContext, { graceMs }: { graceMs?: number } = {}): LogHandlers {
  /** The evaluations under way that were given a name (logs.evaluate's evaluationId), what cancels each, and the pages following each. */
  const named = new NamedEvaluations(graceMs);
  return {
    'logs.inspect': ({ text, fileName }, call) => inspectLogsInWorker(ctx.workerPath, text, fileName, taskSignal(ctx, call)),

    'logs.evaluate': (input, call) => {
      const { text, fileName, where, targets, resamples, confidence, seed, prior, folds, evaluationId } = input;
      // Stored policies are read here (an unknown id is a 404 like any other); the rest in the worker.
      const specs = targets.map((t) => targetSpec(ctx, t));
      const options = { resamples, confidence, seed, priorStrength: prior, folds };
      const task = { text, fileName, where, columns: logColumns(input.columns), specs, options, holdout: holdoutOf(input) };
      if (evaluationId === undefined) return evaluateLogsInWorker(ctx.workerPath, task, { signal: taskSignal(ctx, call) });
      // A named one is not stopped by its page going at once (a reload): the page loaded again may follow it (NamedEvaluations).
      return named.start(
        evaluationId,
        async (cancel) => {
          let exited = () => {};
          const workerGone = new Promise<void>((done) => (exited = done));
          try {
            return await evaluateLogsInWorker(ctx.workerPath, task, {
              signal: AbortSignal.any([ctx.closing, cancel]),
              onProgress: (progress) => ctx.emit('logs.progress', { evaluationId, ...progress }),
              onExited: exited,
            });
          } catch (e) {
            if (!cancel.aborted) throw e;
            // Answered once the worker has exited: a cancelled evaluation spends nothing more.
            await workerGone;
            return { ok: false, problems: [], cancelled: true };
          }
        },
        call,
      );
    },

    'logs.cancelEvaluation': ({ evaluationId }) => {
      if (!named.cancel(evaluationId)) throw new ContractFailure(`evaluationId: no off-policy evaluation named ${JSON.stringify(evaluationId)} is under way: it has finished, or was never started`, 404);
      return { evaluationId };
    },

    'logs.followEvaluation': ({ evaluationId }, call) => named.followAgain(evaluationId, call),

    'logs.simulator': (input, call) =>
      fitLogsInWorker(ctx.workerPath, { text: input.text, fileName: input.fileName, where: input.where, columns: logColumns(input.columns), priorStrength: input.prior, holdout: holdoutOf(input) }, taskSignal(ctx, call)),
  };
}

/** The columns given (an absent one takes its default name), without undefined entries. */
function logColumns({ action, reward, propensity, context }: ParsedInput<'logs.evaluate'>['columns']): LogColumns {
  return {
    ...(action !== undefined ? { action } : {}),
    ...(reward !== undefined ? { reward } : {}),
    ...(propensity !== undefined ? { propensity } : {}),
    ...(context !== undefined ? { context } : {}),
  };
}

/** A target as the engine takes it; a stored policy is read and parsed (NotFoundError for an unknown id). */
function targetSpec(ctx: ServiceContext, target: ParsedInput<'logs.evaluate'>['targets'][number]): TargetSpec {
  switch (target.kind) {
    case 'uniform':
    case 'action':
    case 'logs':
      return target;
    case 'policy': {
      const row = ctx.store.getPolicy(target.policyId);
      const label = `stored policy #${row.id}${row.name ? ` “${row.name}”` : ''}`;
      return { kind: 'policy', policy: parseStoredPolicy(row.id, row.json), label, name: label, positions: target.positions === true };
    }
    default: {
      const never: never = target;
      throw new Error(`unknown target ${JSON.stringify(never)}`);
    }
  }
}
