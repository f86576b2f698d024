/**
 * Launch's line beside its button: Checking… while an edit is checked, then Ready (what Launch would
 * launch) or the problems to fix, a link to the first. A screen reader is told the settled answer
 * only, in a polite region of its own: "Checking…" came with every keystroke, and said each time
 * it made the form chatter; an answer is said when it differs from the one said last, and the
 * wait after a press of Launch is said.
 */
import { useState } from 'react';

export function ValidationState({ checking, sayChecking = false, ready, problems, onGoToProblem }: {
  /** What to show while the draft as it is now is checked; null once its answer is in. */
  checking: string | null;
  /** Say `checking` too: it answers a press of Launch ("Launch follows if nothing new comes up"), not a keystroke. */
  sayChecking?: boolean;
  /** The answer when Launch can launch ("Ready: 5 × 500 episodes"); null when there are problems. */
  ready: string | null;
  /** The problems' count ("2 problems to fix"), the link to the first. */
  problems: string;
  onGoToProblem: () => void;
}) {
  // The last answer, kept while the next is checked (set during render: React's way to keep what a
  // previous render showed).
  const [said, setSaid] = useState('');
  const answer = checking === null ? (ready ?? problems) : sayChecking ? checking : said;
  if (answer !== said) setSaid(answer);
  return (
    <>
      <span className="muted small" data-testid="validation-state">
        {checking ??
          ready ?? (
            <button type="button" id="problem-count" className="link problem-count" onClick={onGoToProblem} data-testid="go-to-problem" title="Show the first problem">
              {problems}
            </button>
          )}
      </span>
      <span className="sr-only" aria-live="polite" data-testid="validation-said">
        {answer}
      </span>
    </>
  );
}
