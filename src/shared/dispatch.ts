/**
 * Dispatching one request through the contract: check the command name, parse the input with its
 * schema (nothing acts on unparsed input), run the handler, and turn any error into a
 * ContractError with a status. Both doors (Electron IPC, browser-mode HTTP) call this.
 */
import { formatIssues, ValidationError } from '../engine/params';
import { commands, isCommand, type CallContext, type CommandName, type ContractError, type Handlers, type Reply } from './contract';

/** Errors that carry their contract status (thrown by handlers). */
export class ContractFailure extends Error {
  constructor(
    message: string,
    readonly status: ContractError['status'],
    readonly problems?: readonly string[],
  ) {
    super(message);
    this.name = status === 404 ? 'NotFound' : status === 409 ? 'Conflict' : status === 503 ? 'Busy' : 'InvalidInput';
  }
}

/**
 * What a command says when SQLite answered "database is locked": another process held the write
 * lock past the busy timeout (the command's write, one transaction, was not made).
 */
export const DATABASE_BUSY_MESSAGE =
  'another Aisle process (the app, `aisle serve` or an aisle command) is writing to the database and kept it locked: try again once it is done';

/**
 * What a command says when the database file is damaged: SQLite found a page it cannot read, or
 * a metric's stored values contradict their summary (the store says so with SQLite's code). Not
 * a bug of the app, which "InternalError" would suggest: the user's to repair, and what else the
 * file holds still reads.
 */
export const DATABASE_DAMAGED_MESSAGE =
  'the database file is damaged (a failing disk, or a copy cut short): restore it from a backup; what the damage does not touch still reads';

export function toContractError(e: unknown): ContractError {
  if (e instanceof ContractFailure) return { name: e.name, message: e.message, status: e.status, ...(e.problems ? { problems: e.problems } : {}) };
  if (e instanceof ValidationError) return { name: 'ValidationError', message: e.problems.join('\n'), problems: e.problems, status: 400 };
  // The store's NotFoundError words its hint for the app too (a screen, not a CLI command).
  if (e instanceof Error && e.name === 'NotFoundError') return { name: 'NotFound', message: 'appMessage' in e && typeof e.appMessage === 'string' ? e.appMessage : e.message, status: 404 };
  if (e instanceof Error && (e.name === 'IllegalTransitionError' || e.name === 'ActiveRunError' || e.name === 'NotResumableError')) return { name: 'Conflict', message: e.message, status: 409 };
  if (isDatabaseBusy(e)) return { name: 'Busy', message: DATABASE_BUSY_MESSAGE, status: 503 };
  const message = e instanceof Error ? e.message : String(e);
  if (isDatabaseDamaged(e)) return { name: 'Damaged', message: `${DATABASE_DAMAGED_MESSAGE} (${message})`, status: 500 };
  return { name: 'InternalError', message, status: 500 };
}

export async function dispatch(handlers: Handlers, name: string, rawInput: unknown, call: CallContext = {}): Promise<Reply<CommandName>> {
  if (!isCommand(name)) return { ok: false, error: { name: 'UnknownCommand', message: `unknown command "${name}"`, status: 404 } };
  const parsed = commands[name].safeParse(rawInput ?? {});
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    return { ok: false, error: { name: 'InvalidInput', message: `${name}: ${problems.join('; ')}`, problems, status: 400 } };
  }
  try {
    const handler = handlers[name] as (input: unknown, call: CallContext) => unknown;
    const value = await handler(parsed.data, call);
    return { ok: true, value } as Reply<CommandName>;
  } catch (e) {
    return { ok: false, error: toContractError(e) };
  }
}

/** SQLITE_CORRUPT and its extended codes. */
export function isDatabaseDamaged(e: unknown): boolean {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CORRUPT');
}

/** SQLITE_BUSY and its extended codes (better-sqlite3 puts the code on the error). */
export function isDatabaseBusy(e: unknown): boolean {
  const code = e instanceof Error && 'code' in e ? e.code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
