/**
 * The Off-policy screen's evaluation under way, kept outside the screen: its logs.evaluate call,
 * its latest logs.progress and the name Cancel stops it by outlive a visit, so a user who leaves
 * the screen and comes back finds the progress and Cancel of the evaluation still running, and its
 * outcome once it has ended (while they were away or not). One at a time: while one runs, another
 * is not started (the screen's Evaluate is disabled, and `start` refuses).
 */
import { NO_ANSWER, type Client } from '../../shared/client';
import { EVALUATION_GRACE_MS, type CommandInput, type CommandOutput, type EventPayloads } from '../../shared/contract';

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

/**
 * Where the evaluation under way is noted for the page loaded again: a reload ends the page's
 * calls, but the app keeps a named evaluation going a while (EVALUATION_GRACE_MS) for a page to
 * follow it again (logs.followEvaluation).
 */
export interface EvaluationNote {
  read(): string | null;
  write(text: string | null): void;
}

/**
 * The note in the tab's sessionStorage (a reload keeps it, another tab has its own); none where
 * there is none. Kept once the page is going: its calls then fail (the fetch aborted), which must
 * not rub out the note the page loaded again reads. Chromium may fail them before pagehide too, so
 * OneEvaluation also keeps the note when a call got no answer (NO_ANSWER): this guard covers the
 * rest, an answer that arrives as the page goes.
 */
export function sessionNote(key: string): EvaluationNote | undefined {
  if (typeof sessionStorage === 'undefined') return undefined;
  let going = false;
  window.addEventListener('pagehide', () => (going = true));
  window.addEventListener('pageshow', () => (going = false));
  return {
    read: () => {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    write: (text) => {
      if (going) return;
      try {
        if (text === null) sessionStorage.removeItem(key);
        else sessionStorage.setItem(key, text);
      } catch {
        // Storage refused (full, or turned off): a reload then loses the evaluation, as before.
      }
    },
  };
}

/** What a page loaded again is told when the evaluation under way before is no longer there to follow. */
export const STOPPED_BY_RELOAD = `The evaluation under way when this page was loaded again was stopped: Aisle stops one that no page follows for ${EVALUATION_GRACE_MS / 1000} s, and when it quits. Press Evaluate again.`;

const isNotFound = (e: unknown): boolean => e !== null && typeof e === 'object' && 'status' in e && e.status === 404;
/** A call that got no answer (its request failed), as against one the app answered with a failure. */
const isUnanswered = (e: unknown): boolean => e instanceof Error && e.name === NO_ANSWER;

/** The one evaluation under way in this tab, for useSyncExternalStore (`subscribe`, `snapshot`). */
export class OneEvaluation<A> {
  private state: OpeEvaluationState<A> = { running: null, settled: null, cancelled: null };
  private readonly listeners = new Set<() => void>();
  /** The evaluations this page followed to their end: a note of one (kept when its call got no answer) is not followed again here. */
  private readonly ended = new Set<string>();

  /** `note`: where the evaluation under way is noted for the page loaded again (resume); none, a reload loses it. */
  constructor(
    private readonly newId: () => string = evaluationName,
    private readonly note?: EvaluationNote,
  ) {}

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
    this.follow(client, id, Date.now(), asked, () => client.call('logs.evaluate', { ...input, evaluationId: id }));
    return id;
  }

  /**
   * On a page loaded again (a reload) while its evaluation ran: follows the evaluation the note names
   * (logs.followEvaluation) with its progress, Cancel and outcome, as if the page had never gone; one
   * the app no longer has ends with an error saying it was stopped (STOPPED_BY_RELOAD). Returns its
   * name; null when nothing was noted, or one is under way here already.
   */
  resume(client: Caller): string | null {
    if (this.state.running !== null) return null;
    const noted = this.noted();
    if (noted === null || this.ended.has(noted.id)) return null;
    const { id, started, asked } = noted;
    this.follow(client, id, started, asked, () =>
      client.call('logs.followEvaluation', { evaluationId: id }).catch((e: unknown) => {
        throw isNotFound(e) ? new Error(STOPPED_BY_RELOAD) : e;
      }),
    );
    return id;
  }

  /** Runs `call` as the evaluation `id` under way, noted for a reload until it ends. */
  private follow(client: Caller, id: string, started: number, asked: A, call: () => Promise<CommandOutput<'logs.evaluate'>>): void {
    const unsubscribe = client.on('logs.progress', (progress) => {
      const running = this.state.running;
      if (running?.id === progress.evaluationId) this.set({ ...this.state, running: { ...running, progress } });
    });
    this.set({ ...this.state, running: { id, started, progress: null, asked }, cancelled: null });
    this.note?.write(JSON.stringify({ id, started, asked }));
    const settle = (outcome: EvaluationOutcome) => {
      unsubscribe();
      this.ended.add(id);
      // A call with no answer may be this page going (a reload): Chromium can fail a page's calls
      // before its pagehide, so the note stays for the page loaded again, which follows the
      // evaluation or says it was stopped. One the app answered, whatever the answer, is over.
      if (!('error' in outcome && isUnanswered(outcome.error))) this.note?.write(null);
      const cancelled = 'reply' in outcome && !outcome.reply.ok && outcome.reply.cancelled === true;
      this.set({ running: null, settled: { id, asked, outcome }, cancelled: cancelled ? asked : null });
    };
    call().then(
      (reply) => settle({ reply }),
      (error: unknown) => settle({ error }),
    );
  }

  /** The evaluation the note names, or null (none, or not one this store wrote). */
  private noted(): { id: string; started: number; asked: A } | null {
    const text = this.note?.read() ?? null;
    if (text === null) return null;
    try {
      const noted: unknown = JSON.parse(text);
      if (noted !== null && typeof noted === 'object' && 'id' in noted && typeof noted.id === 'string' && 'started' in noted && typeof noted.started === 'number' && 'asked' in noted) {
        return { id: noted.id, started: noted.started, asked: noted.asked as A };
      }
    } catch {
      // Not JSON: not ours.
    }
    this.note?.write(null);
    return null;
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
