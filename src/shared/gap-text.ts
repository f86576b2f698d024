/**
 * How far a policy's exact return is from the optimum, said before the normalised score, in the app
 * (run detail's greedy-policy box, Policies → Evaluate) and from the CLI (`aisle eval`, `aisle run`,
 * `aisle show`) alike. The score is measured from the uniformly random policy's return, which on an
 * MDP with a cliff is so poor (−1,072 against an optimum of −12) that a greedy policy walking off the
 * cliff (−100) still scores 0.917.
 */
import { decimal, fmt, scoreText } from './text';

export interface ExactReturns {
  readonly expectedReturn: number;
  readonly optimalReturn: number;
  readonly randomReturn: number;
  readonly optimalityGap: number;
}

export type Closeness = 'optimal' | 'near' | 'far';

/** Each closeness in words, as the verdict starts and the CLI's tables show it. */
export const CLOSENESS_TEXT: Readonly<Record<Closeness, string>> = { optimal: 'optimal', near: 'near optimal', far: 'far from optimal' };

/** A gap of more than this fraction of the optimal return's size is "far from optimal". */
const FAR_FRACTION = 0.1;
/**
 * A far-from-optimal policy's normalised score is named, as the misreading to head off, from this
 * score up: 0.917 reads as good; 0.59 does not, and saying it "looks good" would be wrong.
 */
const GOOD_LOOKING_SCORE = 0.9;
/** Below this, a gap or an optimum is float noise: 0. */
const NOISE = 1e-9;

/**
 * Optimal when the gap is float noise; far when it exceeds 10 % of the optimal return's size; near
 * otherwise. The normalised score plays no part, since it is what hides the gap — except on an
 * optimum of 0, which has no size: there a gap is far when it is over 1 % of the optimal − random
 * span (a score below 0.99), the one scale left.
 */
export function closeness(r: ExactReturns): Closeness {
  if (r.optimalityGap <= NOISE * Math.max(1, Math.abs(r.optimalReturn))) return 'optimal';
  const size = Math.abs(r.optimalReturn);
  if (size > NOISE) return r.optimalityGap > FAR_FRACTION * size ? 'far' : 'near';
  return r.optimalityGap > 0.01 * Math.abs(r.optimalReturn - r.randomReturn) ? 'far' : 'near';
}

/** The gap beside the optimal return's size: "31 % of", "7.2 times"; null on an optimum of 0. */
function relative(r: ExactReturns): string | null {
  const size = Math.abs(r.optimalReturn);
  if (size <= NOISE) return null;
  const share = r.optimalityGap / size;
  if (share >= 2) return `${share.toFixed(1)} times`;
  // Below 1 %, its own digits: a gap of a few millionths (a stationary policy against the
  // finite-horizon optimum) read "1 %" when rounded up to a whole percent.
  return share * 100 >= 1 ? `${Math.round(share * 100)} % of` : `${decimal(share * 100, 2)} % of`;
}

/**
 * One plain sentence: is the policy optimal, near it or far from it, and by how much. `digits` as
 * fmt's (the app shows 3 in run detail, 4 in Policies → Evaluate and the CLI); `score`, the
 * normalised score, is named when it reads well (0.9 or more) for a policy far from optimal.
 */
export function gapText(r: ExactReturns, digits = 3, score: number | null = null): string {
  const kind = closeness(r);
  const verdict = CLOSENESS_TEXT[kind].replace(/^./, (c) => c.toUpperCase());
  if (kind === 'optimal') return `${verdict}: the policy’s expected return is the optimum.`;
  const share = relative(r);
  const by = `${fmt(r.optimalityGap, digits)} below the optimum (${fmt(r.optimalReturn, digits)})`;
  const sized = share === null ? '' : `, a gap of ${share} the optimal return’s size`;
  if (kind === 'near') return `${verdict}: ${by}${sized}.`;
  // A score that reads well is the misreading to head off.
  const misleading =
    score !== null && score >= GOOD_LOOKING_SCORE
      ? ` Its normalised score, ${scoreText(score, digits)}, looks good only because the random policy does far worse (${fmt(r.randomReturn, digits)}).`
      : '';
  return `${verdict}: ${by}${sized}.${misleading}`;
}
