/**
 * The named off-policy evaluations under way (logs.evaluate given an evaluationId) and the pages
 * following each: the call that started it, and any logs.followEvaluation of a page loaded again.
 * A page that goes (reloaded, closed) stops following; an evaluation none follows goes on for a
 * grace (EVALUATION_GRACE_MS), for the page loaded again to follow it, and is then stopped, so
 * that nothing runs on for nobody. One that ends while none follows keeps its answer as long.
 */
import { EVALUATION_GRACE_MS, type CallContext, type CommandOutput } from '../../shared/contract';
import { ContractFailure } from '../../shared/dispatch';

type Answer = CommandOutput<'logs.evaluate'>;

interface Under {
  /** Aborted by logs.cancelEvaluation, or when the grace runs out with no page following. */
  readonly cancel: AbortController;
  answer: Promise<Answer>;
  /** The calls waiting for its answer whose page is still there. */
  following: number;
  grace: ReturnType<typeof setTimeout> | undefined;
  ended: boolean;
  /** Stopped because no page followed it within the grace: its answer is nobody's. */
  abandoned: boolean;
}

export class NamedEvaluations {
  private readonly under = new Map<string, Under>();
  /** Answers of evaluations that ended while no page followed them, for the grace. */
  private readonly unclaimed = new Map<string, { readonly answer: Promise<Answer>; readonly timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly graceMs: number = EVALUATION_GRACE_MS) {}

  /**
   * Starts `run` under `id` (its signal aborted by cancel, or by the grace running out), followed by
   * the call that asked: answers what `run` answers. A 409 when one by that name is under way.
   */
  start(id: string, run: (cancel: AbortSignal) => Promise<Answer>, call: CallContext): Promise<Answer> {
    if (this.under.has(id)) throw new ContractFailure(`evaluationId: an off-policy evaluation named ${JSON.stringify(id)} is already under way: give each evaluation a name of its own`, 409);
    this.takeUnclaimed(id);
    const entry: Under = { cancel: new AbortController(), answer: Promise.resolve(null as never), following: 0, grace: undefined, ended: false, abandoned: false };
    this.under.set(id, entry);
    entry.answer = run(entry.cancel.signal).finally(() => {
      entry.ended = true;
      clearTimeout(entry.grace);
      this.under.delete(id);
      if (entry.following > 0 || entry.abandoned) return;
      const timer = setTimeout(() => this.unclaimed.delete(id), this.graceMs);
      timer.unref?.();
      this.unclaimed.set(id, { answer: entry.answer, timer });
    });
    return this.follow(entry, call);
  }

  /** Stops the evaluation under way named `id`; false when there is none. */
  cancel(id: string): boolean {
    const entry = this.under.get(id);
    if (entry === undefined) return false;
    entry.cancel.abort('cancelled');
    return true;
  }

  /**
   * The answer of the evaluation named `id`, for a page loaded again: waited for while it runs, or
   * kept from its end while no page followed it (taken once). A 404 when there is neither.
   */
  followAgain(id: string, call: CallContext): Promise<Answer> {
    const entry = this.under.get(id);
    if (entry !== undefined) return this.follow(entry, call);
    const kept = this.takeUnclaimed(id);
    if (kept !== undefined) return kept;
    throw new ContractFailure(
      `evaluationId: no off-policy evaluation named ${JSON.stringify(id)} is under way or ended unseen: it was stopped when no page followed it for ${this.graceMs / 1000} s after its page went (reloaded or closed), its answer was taken, or it was never started`,
      404,
    );
  }

  private takeUnclaimed(id: string): Promise<Answer> | undefined {
    const kept = this.unclaimed.get(id);
    if (kept === undefined) return undefined;
    clearTimeout(kept.timer);
    this.unclaimed.delete(id);
    return kept.answer;
  }

  /** Waits for its answer as one more page following it, until that page goes (its call's signal). */
  private async follow(entry: Under, { signal }: CallContext): Promise<Answer> {
    entry.following++;
    clearTimeout(entry.grace);
    entry.grace = undefined;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      entry.following--;
      if (entry.following > 0 || entry.ended) return;
      entry.grace = setTimeout(() => {
        entry.abandoned = true;
        entry.cancel.abort('no page followed it');
      }, this.graceMs);
      entry.grace.unref?.();
    };
    if (signal?.aborted) leave();
    else signal?.addEventListener('abort', leave, { once: true });
    try {
      return await entry.answer;
    } finally {
      signal?.removeEventListener('abort', leave);
      if (!left) {
        left = true;
        entry.following--;
      }
    }
  }
}
