/**
 * The Off-policy screen's evaluation under way, kept for the whole page rather than the screen:
 * the app shell (app.tsx) follows the one a reload interrupted as soon as the page may fetch,
 * whatever screen it opens on, since Aisle stops an evaluation no page follows after
 * EVALUATION_GRACE_MS; the screen shows it (its progress, Cancel and outcome) when opened.
 */
import type { Client } from '../../shared/client';
import { OneEvaluation, sessionNote, type ShownProblems } from './ope-evaluation';

/** What an evaluation was asked with: its outcome is shown by it, whenever it comes. */
export interface Asked {
  /** The choices' key then: its results are marked stale once the choices differ. */
  readonly key: string;
  readonly confidence: number;
  readonly rowsText: string | null;
  /** Which of its targets have their truth resampled too (the `logs` ones): the progress line counts it apart. */
  readonly withTruth: readonly boolean[];
  /** The problems shown before Evaluate, shown again if it is cancelled. */
  readonly before: ShownProblems;
  /** The logs file's name, said of an evaluation followed again after a reload (the file is picked anew). */
  readonly fileName: string;
}

/**
 * The evaluation under way, outside the screen: one left running (Resamples 100,000 take a minute)
 * is found on return with its progress and Cancel, and its results shown when it ends.
 */
export const offPolicyEvaluation = new OneEvaluation<Asked>(undefined, sessionNote('aisle.off-policy.evaluation'));

/**
 * On the page loaded again (a reload) while an evaluation ran: follows it again at once (or learns
 * it was stopped), so that it is not stopped for want of a page while the user is on another
 * screen. Call once the tab's events flow (app.tsx's `ready`), so no progress push is missed.
 */
export function resumeOffPolicyEvaluation(client: Pick<Client, 'call' | 'on'>): void {
  offPolicyEvaluation.resume(client);
}
