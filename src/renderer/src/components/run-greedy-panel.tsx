/**
 * Run detail's greedy-policy box, on tabular MDPs: the exact value of the run's greedy policy beside
 * the optimum and the random policy, with the gap said first (see greedy-gap.tsx).
 */
import type { RunDetail } from '../../../shared/dto';
import { scoreText } from '../../../shared/text';
import { fmt } from '../format';
import { GreedyGap, SCORE_CAPTION } from './greedy-gap';

export function GreedyPanel({ greedy: g }: { greedy: NonNullable<RunDetail['greedy']> }) {
  return (
    <section className="panel" aria-label="Greedy policy" data-testid="greedy-panel">
      <h2>Greedy policy, evaluated exactly</h2>
      <GreedyGap returns={g} score={g.normalizedScore} testId="greedy-gap" />
      <table className="compact">
        <thead>
          <tr>
            <th className="num">gap (optimal − greedy)</th>
            <th className="num">greedy return</th>
            <th className="num">optimal return</th>
            <th className="num">random policy</th>
            <th className="num">normalised score</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="num" data-testid="optimality-gap">
              {fmt(g.optimalityGap)}
            </td>
            <td className="num" data-testid="greedy-return">
              {fmt(g.expectedReturn)}
            </td>
            <td className="num" data-testid="optimal-return">
              {fmt(g.optimalReturn)}
            </td>
            <td className="num">{fmt(g.randomReturn)}</td>
            <td className="num" data-testid="normalized-score">
              {g.normalizedScore === null ? '– (optimal ≈ random)' : scoreText(g.normalizedScore)}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted small" data-testid="greedy-caption">
        {g.gamma !== undefined && g.horizon !== undefined && (
          <>
            {g.gamma < 1
              ? `Expected returns discounted by γ = ${g.gamma} over ${atMostSteps(g.horizon)}, from the start states: the return curve below is undiscounted, so the two differ. `
              : `Expected returns over ${atMostSteps(g.horizon)}, from the start states. `}
          </>
        )}
        {SCORE_CAPTION}
      </p>
    </section>
  );
}

/** "at most 200 steps", "1 step" (a one-step horizon has no "at most" about it). */
function atMostSteps(horizon: number): string {
  return horizon === 1 ? '1 step' : `at most ${horizon.toLocaleString('en-US')} steps`;
}
