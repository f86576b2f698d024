/**
 * `aisle delete run <id...>` and `aisle delete experiment <id...>`: what the app's runs.delete and
 * experiments.deleteMany do (the same checks, the same reason for refusing an active run, one
 * transaction), shown first and done only with --yes.
 */
import { firstFive, quoted } from '../engine/params';
import { experimentsToDelete } from '../main/service/experiments';
import { IDLE_POOL, runsToDelete } from '../main/service/runs';
import { ActiveRunError, type Store } from '../main/store';
import { ContractFailure } from '../shared/dispatch';
import { fmt, plural, printJson, UsageError, withStore, type GlobalOptions } from './context';

export interface DeleteOptions extends GlobalOptions {
  yes?: boolean;
}

/**
 * Asked to delete without --yes: nothing was deleted. Exit 1 (main's code for an error that is not
 * the input's fault): the input was right, and the same command with --yes would delete.
 */
export class NotConfirmedError extends Error {
  override readonly name = 'NotConfirmedError';
  constructor(
    message: string,
    /** What --yes would delete, as --yes --json names what it deleted: with --json, beside the error. */
    readonly wouldDelete: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function deleteRunsCommand(ids: readonly number[], opts: DeleteOptions): number {
  return withDeleteStore(opts, (store) => {
    const runs = runsToDelete(store, IDLE_POOL, ids);
    // Names quoted with U+202E and the C1 controls escaped too (JSON.stringify left them): a database Aisle did not check may hold them.
    const lines = runs.map((r) => `  run ${r.id}: experiment ${r.experimentId} ${quoted(r.experimentName)}, seed ${r.seed}, ${r.status}`);
    const what = `${plural(runs.length, 'run')}:\n${lines.join('\n')}`;
    const listed = { runs: runs.map(({ id, experimentId, experimentName, seed, status }) => ({ id, experimentId, experimentName, seed, status })) };
    confirmed(opts, what, listed);
    store.deleteRuns(runs.map((r) => r.id)); // one transaction: all of them or none
    if (opts.json) {
      printJson({ deleted: runs.map((r) => r.id), ...listed });
    } else process.stdout.write(`deleted ${what}\n`);
    return 0;
  });
}

export function deleteExperimentsCommand(ids: readonly number[], opts: DeleteOptions): number {
  return withDeleteStore(opts, (store) => {
    // All checked before any is deleted (an unknown id, an active run: nothing goes), as the app's Delete selected.
    const experiments = experimentsToDelete(store, IDLE_POOL, ids);
    const lines = experiments.map((e) => {
      const runIds = e.runs.map((r) => r.id);
      const name = `experiment ${e.id} ${quoted(e.name)}`;
      // "and its 0 runs" read as a count of something deleted: said as the app's Delete dialog says it ("It has no runs.").
      if (runIds.length === 0) return `${name}, which has no runs`;
      return `${name} and its ${plural(runIds.length, 'run', fmt(runIds.length))} (${firstFive(runIds.map(String))})`;
    });
    const what = lines.length === 1 ? lines[0]! : `${plural(lines.length, 'experiment')}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
    const listed = { experiments: experiments.map((e) => ({ id: e.id, name: e.name, runs: e.runs.map((r) => r.id) })) };
    confirmed(opts, what, listed);
    store.deleteExperiments(experiments.map((e) => e.id)); // one transaction, with their runs, metrics and checkpoints
    if (opts.json) printJson({ deleted: experiments.map((e) => e.id), ...listed });
    else process.stdout.write(`deleted ${what}\n`);
    return 0;
  });
}

/** Without --yes, says what would be deleted and stops (see NotConfirmedError). */
export function confirmed(opts: DeleteOptions, what: string, listed: Record<string, unknown>): void {
  if (opts.yes) return;
  // With --json, stdout holds only the error object main prints, `listed` in it as `wouldDelete`.
  if (!opts.json) process.stdout.write(`would delete ${what}\n`);
  throw new NotConfirmedError('nothing deleted: add --yes to delete', listed);
}

function withDeleteStore(opts: DeleteOptions, command: (store: Store) => number): number {
  // Each active run is another process's here (IDLE_POOL): this one queues and trains none.
  return withStore(opts, (store) => {
    try {
      // As the app does before a delete (recoverDeadOwners), and as a writer does on opening: runs a
      // process that is gone left running or queued become interrupted, so they no longer hold the
      // delete up. Waited for, unlike a reader's look on opening: this command writes anyway.
      store.recoverInterrupted();
      return command(store);
    } catch (e) {
      // An active run (409) is the user's to stop, as a mistyped id is theirs to fix: exit 2, and
      // nothing was deleted. The reason is the app's own words (whyNotDeleted). So is a run that
      // started between the check and the delete's transaction (the store's own refusal).
      if (e instanceof ContractFailure || e instanceof ActiveRunError) throw new UsageError(e.message);
      throw e;
    }
  }); // no database made, the default either: what is deleted can only be in one that exists
}
