/** What the service's command modules share: the store, the lab, launching and pushing events. */
import type { Experiment } from '../../engine/experiment';
import type { CallContext, EventName, EventPayloads } from '../../shared/contract';
import type { Lab, LaunchResult } from '../lab';
import type { Store } from '../store';
import type { WrittenElsewhere } from './external-changes';
import type { OwnImports } from './own-imports';

export interface ServiceContext {
  readonly store: Store;
  readonly lab: Lab;
  /** The built worker script (training, and policy evaluations: see evaluate-in-worker.ts). */
  readonly workerPath: string;
  /** The built policy runtime (out/runtime/runtime.js), which Policies saves for the user. */
  readonly runtimePath: string;
  /** Aborted when the service closes (an evaluation under way stops). */
  readonly closing: AbortSignal;
  /**
   * Launches validated experiments on the lab (a sweep's several at once), all or nothing in the
   * database; `repeat` (Run again) names them apart in the transaction (Lab.launchAll).
   */
  launchAll(experiments: readonly Experiment[], source: string, repeat?: boolean): LaunchResult[];
  /** Counts a resumed run as this process's own (its changes are not another process's). */
  adoptRun(runId: number, experimentId: number): void;
  /** Forgets what the service keeps about runs and experiments its commands deleted (ids are never reused: AUTOINCREMENT). */
  forgetDeleted(deleted: { readonly runIds: readonly number[]; readonly experimentIds?: readonly number[] }): void;
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  /** This app's results imports under way (see OwnImports): an import runs through it. */
  readonly imports: OwnImports;
  /**
   * Runs `write`, which commits on a connection of its own (a worker's), so that what it adds is not
   * told again as another process's change: the command pushes its events itself (see ExternalChanges.writeElsewhere).
   */
  writeElsewhere<T>(write: () => Promise<T>, written: (result: T) => WrittenElsewhere): Promise<T>;
}

/** What stops work done for one call: the service closing, or the call's client going away. */
export function taskSignal(ctx: ServiceContext, call: CallContext): AbortSignal {
  return call.signal ? AbortSignal.any([ctx.closing, call.signal]) : ctx.closing;
}

/**
 * Marks interrupted the runs of a process that died (`aisle run` killed while the app is open), as
 * the store does when it opens, and tells the screens. The app would otherwise show such a run
 * `running` until something reopened the database, and refuse to cancel or delete it. Costs a
 * read of the sessions table unless some process is gone.
 */
export function recoverDeadOwners(ctx: ServiceContext): void {
  const { store } = ctx;
  // Not waited for while another process writes: the app's thread would stop for the busy timeout at every look.
  for (const runId of store.recoverIfFree()) {
    const run = store.getRunItem(runId);
    ctx.emit('run.status', { runId, experimentId: run.experimentId, status: run.status });
  }
}
