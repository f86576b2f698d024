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

type LogHandlers = Pick<Handlers, 'logs.inspect' | 'logs.evaluate' | 'logs.cancelEvaluation' | 'logs.simulator'>;

export function logHandlers(ctx: ServiceContext): LogHandlers {
  /** The evaluations under way that were given a name (logs.evaluate's evaluationId), and what cancels each. */
  const named = new Map<string, AbortController>();
  return {
    'logs.inspect': ({ text, fileName }, call) => inspectLogsInWorker(ctx.workerPath, text, fileName, taskSignal(ctx, call)),

    'logs.evaluate': async (input, call) => {
      const { text, fileName, where, targets, resamples, confidence, seed, prior, folds, evaluationId } = input;
      // Stored policies are read here (an unknown id is a 404 like any other); the rest in the worker.
      const specs = targets.map((t) => targetSpec(ctx, t));
      const options = { resamples, confidence, seed, priorStrength: prior, folds };
      const task = { text, fileName, where, columns: logColumns(input.columns), specs, options, holdout: holdoutOf(input) };
      if (evaluationId === undefined) return evaluateLogsInWorker(ctx.workerPath, task, { signal: taskSignal(ctx, call) });
      if (named.has(evaluationId)) throw new ContractFailure(`evaluationId: an off-policy evaluation named ${JSON.stringify(evaluationId)} is already under way: give each evaluation a name of its own`, 409);
      const cancel = new AbortController();
      named.set(evaluationId, cancel);
      let exited = () => {};
      const workerGone = new Promise<void>((done) => (exited = done));
      try {
        return await evaluateLogsInWorker(ctx.workerPath, task, {
          signal: AbortSignal.any([taskSignal(ctx, call), cancel.signal]),
          onProgress: (progress) => ctx.emit('logs.progress', { evaluationId, ...progress }),
          onExited: exited,
        });
      } catch (e) {
        if (!cancel.signal.aborted) throw e;
        // Answered once the worker has exited: a cancelled evaluation spends nothing more.
        await workerGone;
        return { ok: false, problems: [], cancelled: true };
      } finally {
        named.delete(evaluationId);
      }
    },

    'logs.cancelEvaluation': ({ evaluationId }) => {
      const under = named.get(evaluationId);
      if (under === undefined) throw new ContractFailure(`evaluationId: no off-policy evaluation named ${JSON.stringify(evaluationId)} is under way: it has finished, or was never started`, 404);
      under.abort('cancelled');
      return { evaluationId };
    },

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
