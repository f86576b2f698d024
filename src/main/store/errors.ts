/** Errors the store throws on purpose, with messages written for the person at the keyboard. */

export type StoredThing = 'experiment' | 'run' | 'checkpoint' | 'policy' | 'metric';

/** Where to look, in each door's words: the CLI's command, the app's screen (the same store answers both). */
interface HowToList {
  readonly cli: string;
  readonly app: string;
}

const HOW_TO_LIST: Record<StoredThing, HowToList | string> = {
  experiment: { cli: 'list experiments with `aisle experiments`', app: 'the Experiments screen lists the experiments there are' },
  run: { cli: 'list runs with `aisle runs`', app: 'the Runs screen lists the runs there are' },
  checkpoint: { cli: "list a run's checkpoints with `aisle show <run>`", app: "a run's Q-table lists its checkpoints" },
  policy: { cli: 'list policies with `aisle policies`', app: 'it may have been deleted' },
  metric: { cli: "list a run's metrics with `aisle show <run>`", app: "a run's page shows its metrics" },
};

const PLURAL: Record<StoredThing, string> = { experiment: 'experiments', run: 'runs', checkpoint: 'checkpoints', policy: 'policies', metric: 'metrics' };

/**
 * An id (or a metric name) that is not in the database, or several (each named, so a user who
 * mistyped two learns of both at once). The message is the CLI's; `appMessage` says the same with
 * the app's screens where the CLI names a command (the contract sends that one).
 */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly appMessage: string;
  constructor(
    readonly thing: StoredThing,
    readonly key: number | string | readonly (number | string)[],
    hint: HowToList | string = HOW_TO_LIST[thing],
  ) {
    const keys = (Array.isArray(key) ? key : [key]) as readonly (number | string)[];
    const named = keys.map((k) => (typeof k === 'string' ? JSON.stringify(k) : k)).join(', ');
    const missing = keys.length === 1 ? `${thing} ${named} does not exist` : `${PLURAL[thing]} ${named} do not exist`;
    super(`${missing}: ${typeof hint === 'string' ? hint : hint.cli}`);
    this.appMessage = `${missing}: ${typeof hint === 'string' ? hint : hint.app}`;
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

/** A run that cannot be resumed (finished, running, or without a checkpoint): the message says why and what to do. */
export class NotResumableError extends Error {
  override readonly name = 'NotResumableError';
  constructor(
    readonly runId: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A delete that found one of its runs running when its transaction began: a run started between
 * the caller's check (which names who trains it) and the write. Nothing was deleted.
 */
export class ActiveRunError extends Error {
  override readonly name = 'ActiveRunError';
}

/**
 * Stored data that contradicts what is stored beside it: a metric chunk whose values do not match
 * the summary its row keeps. SQLite checks the structure of its pages, not what a BLOB holds, so
 * bytes damaged inside one (a failing disk, a copy patched by hand) read as plausible numbers
 * unless checked. `code` is SQLite's own for a damaged file, so every door that says what to do
 * about one (the CLI's "restore it from a backup") says it of this too.
 */
export class DamagedDataError extends Error {
  override readonly name = 'DamagedDataError';
  readonly code = 'SQLITE_CORRUPT';
}
