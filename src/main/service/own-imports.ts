/**
 * The app's own results imports under way (each in a worker, on a connection of its own, holding
 * the database's write lock for its one transaction: seconds for a 48 MB file). While one runs,
 * what waits for the lock is waiting for this app, not for "another Aisle process": runs say so,
 * and a command whose write the import held up waits for it to end and is made then, as the user
 * would have tried it again.
 */
import { ContractFailure, isDatabaseBusy } from '../../shared/dispatch';
import type { CallContext, CommandName, Handlers } from '../../shared/contract';

/**
 * How long a command held up by the app's own import waits for it to end before answering Busy,
 * ms: a 48 MB file (the most the app imports) takes seconds; a minute leaves room on a slow disk.
 */
export const OWN_IMPORT_WAIT_MS = 60_000;

/** Who holds the database while the app imports `fileName`, as the run's notice and a refusal say it. */
export function importingText(fileName: string): string {
  return `this app is importing results (${fileName})`;
}

export class OwnImports {
  private readonly underWay = new Map<symbol, { readonly fileName: string; readonly ended: Promise<unknown> }>();

  constructor(
    /**
     * Runs a function with no busy timeout (Store.withoutWaiting): a command that comes while an
     * import holds the lock fails at once and waits for it here, not for the busy timeout on the
     * thread that answers every screen.
     */
    private readonly withoutWaiting: <T>(fn: () => T) => T = (fn) => fn(),
    private readonly waitMs = OWN_IMPORT_WAIT_MS,
  ) {}

  /** Runs `importing`, the import of the picked file `fileName`, known as under way until it settles. */
  async run<T>(fileName: string, importing: () => Promise<T>): Promise<T> {
    const key = Symbol(fileName);
    const result = importing();
    this.underWay.set(key, { fileName, ended: result.catch(() => undefined) });
    try {
      return await result;
    } finally {
      this.underWay.delete(key);
    }
  }

  /** Who holds the database now when it is this app ("this app is importing results (night.aisle-results)"), else null. */
  writer(): string | null {
    const first = this.underWay.values().next();
    return first.done ? null : importingText(first.value.fileName);
  }

  /**
   * Runs `command`; when its write was refused (SQLITE_BUSY) while an import of this app was under
   * way, waits for the imports to end (at most waitMs) and runs it once more. A busy write commits
   * nothing (one transaction), so running it again is what the user would do on "try again".
   * Still held up past the wait: Busy, naming the import.
   */
  async waitingForImports<T>(command: () => T | Promise<T>): Promise<T> {
    const writerBefore = this.writer();
    try {
      return await (writerBefore === null ? command() : this.withoutWaiting(command));
    } catch (e) {
      const writer = this.writer() ?? writerBefore;
      if (!isDatabaseBusy(e) || writer === null) throw e;
      if (!(await this.ended())) throw new ContractFailure(`${writer}, which holds the database: try again when it has finished`, 503);
      return await command();
    }
  }

  /** Whether the imports under way ended within waitMs. */
  private async ended(): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.waitMs)));
    try {
      return await Promise.race([Promise.all([...this.underWay.values()].map((i) => i.ended)).then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every command of `handlers` run through waitingForImports (reads never fail Busy: they pass as they are). */
  wrap(handlers: Handlers): Handlers {
    const wrapped: Partial<Record<CommandName, unknown>> = {};
    for (const [name, handler] of Object.entries(handlers) as [CommandName, (input: unknown, call: CallContext) => unknown][]) {
      wrapped[name] = (input: unknown, call: CallContext) => this.waitingForImports(() => handler(input, call));
    }
    return wrapped as Handlers;
  }
}
