/**
 * `aisle results` in the app: experiments exported to an aisle.results/v1 file handed back as
 * bytes to save, and a picked file's bytes imported (src/main/results does the work in both doors).
 * Both run in a worker thread of their own, which opens the database file itself: copying a large
 * file on this thread held up every other call, and the storing of live training's metrics, for
 * its duration (see results-task.ts).
 */
import type { Handlers } from '../../shared/contract';
import type { ResultsImport } from '../../shared/dto';
import { exportResultsInWorker, importResultsInWorker } from '../jobs/run-in-worker';
import { exportResultsBytes, importResultsBytes } from '../results/results-task';
import { isMemoryPath } from '../store/db';
import { toContractError } from '../../shared/dispatch';
import { recoverDeadOwners, taskSignal, type ServiceContext } from './context';

type ResultsHandlers = Pick<Handlers, 'experiments.exportResults' | 'experiments.importResults'>;

export function resultsHandlers(ctx: ServiceContext): ResultsHandlers {
  const { store } = ctx;
  const database = store.db.name;
  // An in-memory database (tests') exists only on this connection: no worker can open it, so its
  // files are made here, on this thread, as the CLI makes them (it has no other calls to hold up).
  const inThread = isMemoryPath(database);
  return {
    'experiments.exportResults': ({ ids }, call) => {
      // A run a dead process left 'running' is interrupted, not training: it does not hold the export up.
      recoverDeadOwners(ctx);
      // Only reads: the worker's one read transaction sees the database as one moment, whatever this thread writes meanwhile.
      return inThread ? exportResultsBytes(store.db, ids, database) : exportResultsInWorker(ctx.workerPath, database, ids, taskSignal(ctx, call));
    },

    'experiments.importResults': async (file, call) => {
      let imported: ResultsImport;
      try {
        imported = inThread
          ? importResultsBytes(store.db, file.base64, file.fileName)
          : // Known as under way while it holds the write lock: runs and commands it holds up say so, and wait for it.
            await ctx.imports.run(file.fileName, () =>
              ctx.writeElsewhere(
                () => importResultsInWorker(ctx.workerPath, database, file, taskSignal(ctx, call)),
                (done) => {
                  const added = done.experiments.filter((e) => !e.alreadyImported);
                  return { experiments: added.map((e) => e.id), runs: added.flatMap((e) => e.runs.map((r) => r.id)), policies: changedPolicies(done) };
                },
              ),
            );
      } catch (e) {
        // The file refused (not a results file, damaged, from a newer Aisle, rows Aisle does not
        // read): an answer naming it, as policies.import gives. Busy, locked or a bug stays an error.
        const error = toContractError(e);
        if (error.status === 400) return { ok: false, problems: error.problems ?? [error.message] };
        throw e;
      }
      for (const e of imported.experiments) if (!e.alreadyImported) ctx.emit('experiments.changed', { experimentId: e.id });
      if (changedPolicies(imported)) ctx.emit('policies.changed', {});
      return { ok: true, ...imported };
    },
  };
}

/**
 * Whether the import may have changed the policies list: true whenever an imported experiment's
 * runs carried a policy. It changed when a policy was stored, or one stored already that no run
 * held was given to its imported run (the list shows each policy's run); ResultsImport does not
 * say which of the stored ones were given (`alreadyStored` is also true of one another run still
 * holds), so the list may be refreshed for nothing, but never misses a change.
 */
function changedPolicies(imported: ResultsImport): boolean {
  return imported.experiments.some((e) => e.policies.length > 0);
}
