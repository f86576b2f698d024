/**
 * The Off-policy screen's evaluation under way, kept outside the screen: its logs.evaluate call,
 * its latest logs.progress and the name Cancel stops it by outlive a visit, so a user who leaves
 * the screen and comes back finds the progress and Cancel of the evaluation still running, and its
 * outcome once it has ended (while they were away or not). One at a time: while one runs, another
 * is not started (the screen's Evaluate is disabled, and `start` refuses).
 */
import type { Client } from '../../shared/client';
import type { CommandInput, CommandOutput, EventPayloads } from '../../shared/contract';

type OpeProgressEvent = EventPayloads['logs.progress'];
/** What the store needs of the client: the calls, and the progress pushes. */
type Caller = Pick<Client, 'call' | 'on'>;

export interface RunningEvaluation<A> {
  /** The evaluationId it was given: its progress events carry it, and Cancel stops it by it. */
  readonly id: string;
  /** When Evaluate was pressed (Date.now()). */
  readonly started: number;
  /** Its latest progress; null before the first (the worker still reads the logs). */
  readonly progress: OpeProgressEvent | null;
  /** What the screen asked it with (the choices' key, the level…), given back with its outcome. */
  readonly asked: A;
}

/** How an evaluation ended: logs.evaluate's answer (results, problems, or cancelled), or the call's failure. */
export type EvaluationOutcome = { readonly reply: CommandOutput<'logs.evaluate'> } | { readonly error: unknown };

export interface SettledEvaluation<A> {
  readonly id: string;
  readonly asked: A;
  readonly outcome: EvaluationOutcome;
}

export interface OpeEvaluationState<A> {
  readonly running: RunningEvaluation<A> | null;
  /** The last one ended and not yet taken by the screen (it ended while the screen was away, or a moment ago). */
  readonly settled: SettledEvaluation<A> | null;
  /**
   * What the last evaluation was asked with when it ended cancelled, until the next starts: the
   * screen says "Evaluation cancelled." while its choices are those (a screen left and come back
   * to says it still, as it shows a finished one's results).
   */
  readonly cancelled: A | null;
}

function evaluationName(): string {
  return `ope-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The one evaluation under way in this tab, for useSyncExternalStore (`subscribe`, `snapshot`). */
export class OneEvaluation<A> {
  private state: OpeEvaluationState<A> = { running: null, settled: null, cancelled: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly newId: () => string = evaluationName) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly snapshot = (): OpeEvaluationState<A> => this.state;

  /**
   * Starts logs.evaluate with a name of its own, following its progress until it ends; its outcome
   * then waits in `settled` for the screen to take. Returns the name, or null when one is under way
   * already (nothing started: it runs on, its progress and Cancel shown).
   */
  start(client: Caller, input: Omit<CommandInput<'logs.evaluate'>, 'evaluationId'>, asked: A): string | null {
    if (this.state.running !== null) return null;
    const id = this.newId();
    const unsubscribe = client.on('logs.progress', (progress) => {
      const running = this.state.running;
      if (running?.id === progress.evaluationId) this.set({ ...this.state, running: { ...running, progress } });
    });
    this.set({ ...this.state, running: { id, started: Date.now(), progress: null, asked }, cancelled: null });
    const settle = (outcome: EvaluationOutcome) => {
      unsubscribe();
      const cancelled = 'reply' in outcome && !outcome.reply.ok && outcome.reply.cancelled === true;
      this.set({ running: null, settled: { id, asked, outcome }, cancelled: cancelled ? asked : null });
    };
    client.call('logs.evaluate', { ...input, evaluationId: id }).then(
      (reply) => settle({ reply }),
      (error: unknown) => settle({ error }),
    );
    return id;
  }

  /** Stops the evaluation under way: its outcome then says cancelled. Nothing when none runs, or it has just ended (its results are on their way). */
  async cancel(client: Caller): Promise<void> {
    const running = this.state.running;
    if (running === null) return;
    try {
      await client.call('logs.cancelEvaluation', { evaluationId: running.id });
    } catch {
      // It finished meanwhile (a 404): there is nothing to stop.
    }
  }

  /** The ended evaluation's outcome, once: the screen shows it; null when there is none to take. */
  take(): SettledEvaluation<A> | null {
    const settled = this.state.settled;
    if (settled !== null) this.set({ ...this.state, settled: null });
    return settled;
  }

  private set(state: OpeEvaluationState<A>): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

/** Problems the screen shows: the file's (`of` 'file'), or an evaluation's (`of` the key of the choices it was asked with). */
export interface ShownProblems {
  readonly of: string;
  readonly lines: readonly string[];
  /**
   * An evaluation's that ended after the choices had changed: shown whatever the choices (the user
   * pressed Evaluate and has not seen them), said to be of the choices it was asked with, until the
   * next Evaluate or file.
   */
  readonly late?: boolean;
}

/** What the screen shows once an evaluation has ended. */
export interface AfterEvaluation {
  /** Its results ('new'), those shown before ('kept': marked stale by their own choices' key when not the choices now), or none. */
  readonly results: 'new' | 'kept' | 'cleared';
  readonly problems: ShownProblems;
  readonly cancelled: boolean;
  /** What takes focus, if the screen watched it run. */
  readonly focus: 'results' | 'problems' | null;
}

/**
 * What an ended evaluation's reply shows, for the choices it was `asked` with (their key, and the
 * problems shown when Evaluate was pressed), the choices' key now (`key`, null while something
 * stops Evaluate) and the problems shown now. Results are shown whenever they come (marked stale by
 * the screen if the choices changed). Cancelled, the screen is as it was before Evaluate. Problems
 * replace the results when the choices are still those; when they have changed meanwhile, the
 * problems would be of no choice shown and the user, having pressed Evaluate, would see nothing at
 * all: they are shown `late`, as of the choices Evaluate was pressed with, the results shown before
 * kept (a file's problems, of a file picked meanwhile, stay: they are about what is on the screen).
 */
export function afterEvaluation(asked: { readonly key: string; readonly before: ShownProblems }, reply: CommandOutput<'logs.evaluate'>, key: string | null, problems: ShownProblems): AfterEvaluation {
  if (reply.ok) return { results: 'new', problems, cancelled: false, focus: 'results' };
  if (reply.cancelled) return { results: 'kept', problems: asked.before, cancelled: true, focus: null };
  if (asked.key === key) return { results: 'cleared', problems: { of: asked.key, lines: reply.problems }, cancelled: false, focus: 'problems' };
  if (problems.of === 'file' && problems.lines.length > 0) return { results: 'kept', problems, cancelled: false, focus: null };
  return { results: 'kept', problems: { of: asked.key, lines: reply.problems, late: true }, cancelled: false, focus: 'problems' };
}

/** The evaluation's problems the form shows for the choices' key now, and whether they are of other choices; null for none. */
export function evaluationProblems(problems: ShownProblems, key: string | null): { readonly lines: readonly string[]; readonly late: boolean } | null {
  if (problems.of === 'file' || problems.lines.length === 0) return null;
  if (problems.of === key) return { lines: problems.lines, late: false };
  return problems.late ? { lines: problems.lines, late: true } : null;
}
