/** Errors the store throws on purpose, with messages written for the person at the keyboard. */

export type StoredThing = 'experiment' | 'run' | 'checkpoint' | 'policy' | 'metric';

/** Where to look, for both doors: the CLI's command and the app's screen (the same store answers both). */
const HOW_TO_LIST: Record<StoredThing, string> = {
  experiment: 'list experiments with `aisle experiments` (in the app: Experiments)',
  run: 'list runs with `aisle runs` (in the app: Runs)',
  checkpoint: "list a run's checkpoints with `aisle show <run>` (in the app: the run's Q-table)",
  policy: 'it may have been deleted',
  metric: "list a run's metrics with `aisle show <run>` (in the app: the run's page)",
};

/** An id (or a metric name) that is not in the database. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly thing: StoredThing,
    readonly key: number | string,
    hint: string = HOW_TO_LIST[thing],
  ) {
    super(`${thing} ${typeof key === 'string' ? JSON.stringify(key) : key} does not exist: ${hint}`);
  }
}

/** A run status change the lifecycle does not allow (e.g. completing a cancelled run). */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly runId: number,
    readonly from: string,
    readonly to: string,
    allowedFrom: readonly string[],
  ) {
    super(
      `cannot mark run ${runId} ${to}: it is ${from}, and only a ${allowedFrom.join(' or ')} run can become ${to}`,
    );
  }
}
