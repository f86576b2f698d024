/**
 * The verdict on a policy's exact return, the gap to the optimum said before the normalised score
 * (its wording, shared with the CLI, is in shared/gap-text.ts). Run detail's greedy-policy box and
 * Policies → Evaluate show it the same way.
 */
import { closeness, gapText, type ExactReturns } from '../../../shared/gap-text';

/** What the normalised score is, and why it can look good for a poor policy. */
export const SCORE_CAPTION =
  'The normalised score is (policy − random) / (optimal − random): 1 is optimal, 0 no better than acting uniformly at random. It is measured from the random policy’s return, which can be very poor (walking off a cliff), so a score near 1 can still hide a large gap: read the gap first.';

export function GreedyGap({ returns, digits = 3, score = null, testId }: { returns: ExactReturns; digits?: number; score?: number | null; testId: string }) {
  const kind = closeness(returns);
  return (
    <p className={`gap-verdict ${kind}`} data-testid={testId} data-closeness={kind}>
      {gapText(returns, digits, score)}
    </p>
  );
}
