/** What the service's command modules share: the store, the lab, launching and pushing events. */
import type { Experiment } from '../../engine/experiment';
import type { CallContext, EventName, EventPayloads } from '../../shared/contract';
import type { Lab, LaunchResult } from '../lab';
import type { Store } from '../store';

export interface ServiceContext {
  readonly store: Store;
  readonly lab: Lab;
  /** The built worker script (training, and policy evaluations: see evaluate-in-worker.ts). */
  readonly workerPath: string;
  /** Aborted when the service closes (an evaluation under way stops). */
  readonly closing: AbortSignal;
  /** Launches a validated experiment on the lab (all or nothing in the database). */
  launch(experiment: Experiment, source: string): LaunchResult;
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
}

/** What stops work done for one call: the service closing, or the call's client going away. */
export function taskSignal(ctx: ServiceContext, call: CallContext): AbortSignal {
  return call.signal ? AbortSignal.any([ctx.closing, call.signal]) : ctx.closing;
}
