/**
 * The user's long-term state between steps: engagement e ∈ [0, 1], fatigue f ∈ [0, 1] with the
 * last clicked category ℓ, and the chance of leaving. After a step with outcome (no click | click |
 * purchase) on item i of quality q_i:
 *
 *   f' = min(1, λ · f + δ · o),  o = share of the slate in category ℓ (0 before any click)
 *   a click on a category c ≠ ℓ moves the user there: ℓ' = c, f' = 0
 *   e' = clamp(e + g_buy · q_i · [purchase] − g_bait · (1 − q_i) · [click, no purchase]
 *              − g_ignore · [no click] − g_fat · f', 0, 1)
 *   P(leave) = leaveBase + leaveSlope · (1 − e')
 *
 * In the exact mode e' and f' are then put back on their level grids {0, 1/(L−1), …, 1} by unbiased
 * stochastic rounding (x lands on the level above with probability equal to its distance from the
 * level below, in grid units), so that the expected values are those of the continuous model.
 */
import type { ShopParams } from './params';

/** What a step ended in. */
export const NO_CLICK = 0;
export const CLICK = 1;
export const PURCHASE = 2;
export type Outcome = typeof NO_CLICK | typeof CLICK | typeof PURCHASE;

/** Engagement after a step with this outcome (quality of the clicked item) and the fatigue f' it left. */
export function nextEngagement(p: ShopParams, e: number, outcome: Outcome, quality: number, fatigue: number): number {
  let next = e - p.fatigueLoss * fatigue;
  if (outcome === PURCHASE) next += p.purchaseGain * quality;
  else if (outcome === CLICK) next -= p.clickbaitLoss * (1 - quality);
  else next -= p.ignoreLoss;
  return next < 0 ? 0 : next > 1 ? 1 : next;
}

/** Fatigue after a slate whose share `overlap` is in the last clicked category (before any move). */
export function nextFatigue(p: ShopParams, f: number, overlap: number): number {
  const next = p.fatigueDecay * f + p.fatigueIncrement * overlap;
  return next > 1 ? 1 : next;
}

export function leaveProbability(p: ShopParams, e: number): number {
  return p.leaveBase + p.leaveSlope * (1 - e);
}

/** Grid positions closer than this to a level count as on it (floating-point slack, not a model term). */
export const SNAP = 1e-9;

/**
 * Where x ∈ [0, 1] falls on the grid of `levels` levels: writes [lower level, P(upper level)] into
 * out (P = 0 when x is on a level). The exact mode moves to lower + 1 with that probability.
 */
export function gridSplit(x: number, levels: number, out: Float64Array): void {
  const pos = x * (levels - 1);
  let lower = Math.floor(pos);
  let up = pos - lower;
  if (up < SNAP) up = 0;
  else if (up > 1 - SNAP) {
    lower++;
    up = 0;
  }
  if (lower >= levels - 1) {
    lower = levels - 1;
    up = 0;
  }
  out[0] = lower;
  out[1] = up;
}

/** The level nearest to x (the discrete observation of a continuous engagement or fatigue). */
export function nearestLevel(x: number, levels: number): number {
  return Math.round(x * (levels - 1));
}

/** The value of a level. */
export function levelValue(level: number, levels: number): number {
  return level / (levels - 1);
}
