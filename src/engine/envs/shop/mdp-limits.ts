/**
 * What the exact MDP must fit before it is built: at most SHOP_LIMITS.mdpTransitions rows, counted
 * here from the catalog and the slates at a fraction of the build's cost, and rewards an aisle.mdp/v1
 * file can hold. buildShop checks both at validation and modelToMdp before it builds, so an
 * oversized exact shop is refused at once with one line naming the fields, never half-way through.
 */
import { MDP_LIMITS } from '../../mdp/format';
import { thousands } from '../../params';
import { CLICK, NO_CLICK, PURCHASE, gridSplit, leaveProbability, levelValue, nextEngagement, nextFatigue } from './dynamics';
import type { ShopModel } from './model';
import { OR_EXACT_FALSE, SHOP_LIMITS, type ShopParams } from './params';

/** Reward of a click, of a purchase and per unit of revenue (price × margin), as the model holds them. */
export interface RewardTerms {
  readonly rewardClick: number;
  readonly rewardPurchase: number;
  readonly rewardRevenue: number;
}

/** What a purchase of an item of this price pays, as the environment and the MDP compute it. */
export function purchaseReward(r: RewardTerms, price: number, margin: number): number {
  return r.rewardClick + r.rewardPurchase + r.rewardRevenue * price * margin;
}

/**
 * The lowest and highest reward of a step — nothing without a click, the click weight, or a
 * purchase — and the item whose purchase pays each (−1: a step without a purchase).
 */
export function stepRewardRange(r: RewardTerms, price: Readonly<Float64Array>, margin: number): { lo: number; hi: number; loItem: number; hiItem: number } {
  const out = { lo: Math.min(0, r.rewardClick), hi: Math.max(0, r.rewardClick), loItem: -1, hiItem: -1 };
  for (let i = 0; i < price.length; i++) {
    const reward = purchaseReward(r, price[i]!, margin);
    if (reward < out.lo) [out.lo, out.loItem] = [reward, i];
    if (reward > out.hi) [out.hi, out.hiItem] = [reward, i];
  }
  return out;
}

/**
 * An aisle.mdp/v1 reward lies within ±MDP_LIMITS.reward. Clicks and purchases pay at most 1 (or
 * their weight, at most 1e6); revenue pays price × margin (× its weight for the weighted reward).
 * An explicit catalog's prices are at most 1e9 (CATALOG_LIMITS), but generated ones are not (a
 * median of 1e6 with wide spreads reaches 1e10): the message names rewardWeights.revenue, with the
 * largest weight that fits, for the weighted reward, and the margin and prices for "revenue".
 */
export function mdpRewardProblem(p: ShopParams, r: RewardTerms, price: Readonly<Float64Array>, itemIds: readonly string[]): string | undefined {
  const range = stepRewardRange(r, price, p.margin);
  const [reward, item] = -range.lo > range.hi ? [range.lo, range.loItem] : [range.hi, range.hiItem];
  if (Math.abs(reward) <= MDP_LIMITS.reward || item < 0) return undefined;
  const shown = (x: number) => thousands(Number(x.toPrecision(12)));
  const maxPrice = price.reduce((a, b) => Math.max(a, b), 0);
  const beyond = `beyond ±${thousands(MDP_LIMITS.reward)}, the most an exact MDP's reward (an aisle.mdp/v1 file) holds`;
  if (p.reward !== 'weighted') {
    // Revenue alone (weight 1): only the margin and the prices move it.
    return (
      `margin: a purchase of item "${itemIds[item]}" (price ${shown(price[item]!)}) would pay ${shown(reward)} (price × margin), ${beyond}: ` +
      `lower margin to at most ${shown(Math.floor((MDP_LIMITS.reward / maxPrice) * 1e6) / 1e6)}, or the catalog's prices (priceMedian, or the catalog given)${OR_EXACT_FALSE}`
    );
  }
  const fits = (MDP_LIMITS.reward - Math.abs(r.rewardClick + r.rewardPurchase)) / (maxPrice * p.margin);
  const step = 10 ** (Math.floor(Math.log10(fits)) - 2); // three significant digits, rounded down
  return (
    `rewardWeights.revenue: a purchase of item "${itemIds[item]}" (price ${shown(price[item]!)}) would pay ${shown(reward)} (click + purchase + revenue × price × margin), ` +
    `${beyond}: keep rewardWeights.revenue within ±${shown(Math.floor(fits / step) * step)} ` +
    `(or lower margin or the catalog's prices)${OR_EXACT_FALSE}`
  );
}

const bit = (level: number) => 1 << level; // levels ≤ 20, so a set of them is a 32-bit mask

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/**
 * Each action's slate split by category, in slate order: group g (of action a's groups
 * firstGroup[a] ≤ g < firstGroup[a + 1]) holds items[start[g] … start[g + 1]).
 */
function slateGroups(m: ShopModel): { items: Int32Array; start: Int32Array; firstGroup: Int32Array } {
  const { slates, category, slateSize: k } = m;
  const items = new Int32Array(m.actions * k);
  const start = new Int32Array(m.actions * Math.min(k, m.categories) + 1);
  const firstGroup = new Int32Array(m.actions + 1);
  const slot = new Int32Array(m.categories).fill(-1);
  const seen = new Int32Array(k);
  const fill = new Int32Array(k);
  const slotOf = new Int32Array(k);
  let g = 0;
  for (let a = 0; a < m.actions; a++) {
    firstGroup[a] = g;
    let d = 0;
    for (let j = 0; j < k; j++) {
      const c = category[slates[a * k + j]!]!;
      let s = slot[c]!;
      if (s < 0) {
        s = slot[c] = d;
        seen[d] = c;
        fill[d++] = 0;
      }
      fill[s]!++;
      slotOf[j] = s;
    }
    for (let s = 0; s < d; s++) {
      start[g + s + 1] = start[g + s]! + fill[s]!;
      fill[s] = start[g + s]!;
    }
    for (let j = 0; j < k; j++) items[fill[slotOf[j]!]!++] = slates[a * k + j]!;
    for (let s = 0; s < d; s++) slot[seen[s]!] = -1;
    g += d;
  }
  firstGroup[m.actions] = g;
  return { items, start, firstGroup };
}

/**
 * The exact MDP's transitions, without building it. modelToMdp writes, per (state, action) pair,
 * one row per distinct next state that an outcome (no click; a click on a slate item, with or
 * without a purchase) reaches after both roundings and the leave draw. Those next states do not
 * depend on the segment (only their probabilities do), and they fall into groups by the last
 * clicked category ℓ' they lead to, each a product of engagement levels and fatigue levels:
 *
 *   ℓ' = ℓ (no click, or a click in ℓ): fatigue f' = nextFatigue(f, share of ℓ in the slate), its
 *     one or two levels, × the union of the levels around each of these outcomes' engagement e';
 *   ℓ' = c ≠ ℓ for each other category c of the slate: fatigue 0 (one level) × the levels around
 *     e' of a click or a purchase of each of its items;
 *   `left`, shared by all, when some reached level has P(leave) > 0 (a level with P(leave) = 1
 *     keeps no stay row).
 *
 * The count calls the very functions modelToMdp uses, on the same doubles. It is an upper bound,
 * equal to the real count unless an outcome's probability is exactly 0 (a purchase probability
 * that rounds to 0 or 1, a product that underflows). Its cost: each item's outcome levels once per
 * engagement level and fatigue f', then integer unions over the slates, O(actions · slateSize · E · F)
 * in all, where the build computes as many choice probabilities for each segment.
 */
export function mdpTransitions(m: ShopModel): number {
  const p = m.params;
  const E = p.engagementLevels;
  const F = p.fatigueLevels;
  const k = m.slateSize;
  const split = new Float64Array(2);
  /** The levels stochastic rounding can put x on, as a mask. */
  const levelsOf = (x: number, levels: number) => {
    gridSplit(x, levels, split);
    return split[1]! > 0 ? bit(split[0]!) | bit(split[0]! + 1) : bit(split[0]!);
  };
  let stays = 0; // levels a user can stay at (P(leave) < 1)
  let leaves = 0; // levels a user can leave from (P(leave) > 0)
  for (let l = 0; l < E; l++) {
    const leave = leaveProbability(p, levelValue(l, E));
    if (leave < 1) stays |= bit(l);
    if (leave > 0) leaves |= bit(l);
  }
  const { items, start, firstGroup } = slateGroups(m);
  const groups = firstGroup[m.actions]!;
  // The engagement levels a click or a purchase of each item reaches at the current (e, f'),
  // computed when a version of (e, f') first meets the item; a group's are their union.
  const reach = new Int32Array(m.items);
  const reachVersion = new Int32Array(m.items);
  const groupReach = (g: number, e: number, fatigue: number, version: number, mask: number) => {
    for (let i = start[g]!, end = start[g + 1]!; i < end; i++) {
      const item = items[i]!;
      if (reachVersion[item] !== version) {
        const q = m.quality[item]!;
        reach[item] = levelsOf(nextEngagement(p, e, CLICK, q, fatigue), E) | levelsOf(nextEngagement(p, e, PURCHASE, q, fatigue), E);
        reachVersion[item] = version;
      }
      mask |= reach[item]!;
    }
    return mask;
  };
  let version = 0;

  // Pass 1, per engagement level: the groups of the slate's categories other than ℓ (fatigue 0),
  // and all of a pair whose ℓ is not in the slate (or none), where ℓ's group is the no-click outcome.
  // A pair with ℓ = the slate's g-th category has every group's rows but g's: summed over the C + 1
  // values of ℓ, C times each group's. Whether a group other than g reaches a level the user can
  // leave from is kept for pass 2, in othersLeave[g · E + level].
  const othersLeave = new Uint8Array(groups * E);
  const groupRows = new Int32Array(k);
  const groupLeaves = new Uint8Array(k);
  const noneRows = new Int32Array(F);
  const noneLeaves = new Uint8Array(F);
  let total = 0;
  for (let el = 0; el < E; el++) {
    const e = levelValue(el, E);
    for (let fl = 0; fl < F; fl++) {
      const still = nextFatigue(p, levelValue(fl, F), 0);
      const none = levelsOf(nextEngagement(p, e, NO_CLICK, 0, still), E);
      noneRows[fl] = popcount(none & stays) * popcount(levelsOf(still, F));
      noneLeaves[fl] = (none & leaves) !== 0 ? 1 : 0;
    }
    version++;
    for (let a = 0; a < m.actions; a++) {
      const first = firstGroup[a]!;
      const d = firstGroup[a + 1]! - first;
      let otherRows = 0;
      let otherLeaving = 0;
      for (let s = 0; s < d; s++) {
        const mask = groupReach(first + s, e, 0, version, 0);
        groupRows[s] = popcount(mask & stays);
        groupLeaves[s] = (mask & leaves) !== 0 ? 1 : 0;
        otherRows += groupRows[s]!;
        otherLeaving += groupLeaves[s]!;
      }
      const unseen = m.categories + 1 - d;
      let rows = F * m.categories * otherRows;
      for (let fl = 0; fl < F; fl++) rows += unseen * (noneRows[fl]! + (noneLeaves[fl] || otherLeaving > 0 ? 1 : 0));
      total += rows;
      for (let s = 0; s < d; s++) othersLeave[(first + s) * E + el] = otherLeaving - groupLeaves[s]! > 0 ? 1 : 0;
    }
  }

  // Pass 2: ℓ's own group when ℓ is in the slate (no click and the clicks in ℓ, at ℓ's fatigue
  // f' = nextFatigue(f, n / k) for its n items), groups taken by n so that items share f'.
  const bySize = new Int32Array(groups);
  const sizeStart = new Int32Array(k + 2);
  for (let g = 0; g < groups; g++) sizeStart[start[g + 1]! - start[g]! + 1]!++;
  for (let n = 1; n <= k + 1; n++) sizeStart[n]! += sizeStart[n - 1]!;
  const next = sizeStart.slice();
  for (let g = 0; g < groups; g++) bySize[next[start[g + 1]! - start[g]!]!++] = g;
  for (let n = 1; n <= k; n++) {
    if (sizeStart[n] === sizeStart[n + 1]) continue;
    for (let el = 0; el < E; el++) {
      const e = levelValue(el, E);
      for (let fl = 0; fl < F; fl++) {
        const tired = nextFatigue(p, levelValue(fl, F), n / k);
        const fatigueLevels = popcount(levelsOf(tired, F));
        const noClick = levelsOf(nextEngagement(p, e, NO_CLICK, 0, tired), E);
        version++;
        for (let i = sizeStart[n]!; i < sizeStart[n + 1]!; i++) {
          const g = bySize[i]!;
          const mask = groupReach(g, e, tired, version, noClick);
          total += popcount(mask & stays) * fatigueLevels + ((mask & leaves) !== 0 || othersLeave[g * E + el] ? 1 : 0);
        }
      }
    }
  }
  return m.observedSegments * total;
}

/** The exact MDP's row limit, as buildShop and `shop export-mdp` both report it. */
export function mdpTransitionsProblem(m: ShopModel): string | undefined {
  const transitions = mdpTransitions(m);
  if (transitions <= SHOP_LIMITS.mdpTransitions) return undefined;
  const pairs = m.discreteStates * m.actions;
  return (
    `exact: the exact MDP would have ${thousands(transitions)} transitions (${(transitions / pairs).toFixed(1)} next states on average for each of its ${thousands(pairs)} state-action pairs), ` +
    `more than ${thousands(SHOP_LIMITS.mdpTransitions)}: use a smaller slateSize, fewer engagementLevels or fatigueLevels, fewer segments, categories or items${OR_EXACT_FALSE}`
  );
}
