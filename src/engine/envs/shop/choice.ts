/**
 * The user's choice and the purchase funnel. A slate's items compete with "no click" in a
 * multinomial logit (McFadden 1974; RecSim's choice model): with utilities
 *
 *   u_i = w_aff · ln ρ_{s,c(i)} + w_attr · b_i − w_price · β_s · z_i − w_fat · f · [c(i) = ℓ]
 *   P(click i) = e^{u_i} / (e^{u_0} + Σ_{j ∈ slate} e^{u_j}),   P(no click) = e^{u_0} / (…)
 *
 * where ρ_{s,c} = C · a_{s,c} is the segment's relative affinity for the category (1 = average),
 * b_i the item's attractiveness, z_i = ln(price_i / median price), β_s the price sensitivity, f the
 * fatigue and ℓ the last clicked category. A click becomes a cart and then a purchase with
 *
 *   P(cart | click)    = σ(κ_0 + κ_q · q_i + κ_aff · ln ρ_{s,c(i)} − κ_price · β_s · z_i)
 *   P(purchase | cart) = σ(η_0 + η_q · q_i − η_price · β_s · z_i)
 *
 * The tables split each weight e^{u_i − u_0} into an item factor e^{w_attr·b_i − w_price·β_s·z_i − u_0}
 * (fixed for the shop's life) and a category factor ρ_{s,c}^{w_aff} (which follows the affinities
 * as they drift), so a drift costs C exps per segment and a step one exp (the fatigue factor) plus
 * one for the cart probability of a click.
 */
import type { ShopParams } from './params';
import { AFFINITY_FLOOR } from './users';

/**
 * Each factor's exponent is clamped to ±this, so that their product, summed over a slate of 100 and
 * times a click's value in the oracle, stays a finite double (e^{138 + 300} · 100 ≈ e^{443}), and the
 * smallest, times the fatigue factor e^{−20}, a normal one (e^{−276 − 300 − 20}). The category
 * factor's exponent lies in [20 · ln 10⁻⁶, 20 · ln 1000] = [−276.3, 138.2] (affinityWeight ≤ 20, the
 * affinity floor, at most 1,000 categories), so it is never clamped; the item factor is, only past
 * ±300. (At ±150 both were: an affinity at its floor under affinityWeight 20, −262, read as −150,
 * made a shunned category's attractive item a coin flip, and two items at 200 and 150 tied.)
 */
const MAX_EXPONENT = 300;

const clampedExp = (x: number): number => Math.exp(x > MAX_EXPONENT ? MAX_EXPONENT : x < -MAX_EXPONENT ? -MAX_EXPONENT : x);

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** What the tables are computed from: the catalog's columns and the choice and funnel weights. */
export interface ChoiceInputs {
  readonly items: number;
  readonly categories: number;
  readonly category: Int32Array;
  readonly attractiveness: Float64Array;
  readonly quality: Float64Array;
  readonly price: Float64Array;
  readonly logRelPrice: Float64Array;
  readonly priceSensitivity: Float64Array;
  readonly params: ShopParams;
  /** Reward of a click, of a purchase, and per unit of revenue (price × margin). */
  readonly rewardClick: number;
  readonly rewardPurchase: number;
  readonly rewardRevenue: number;
}

export interface ChoiceTables {
  /** e^{w_attr·b_i − w_price·β_s·z_i − u_0} per (segment, item), row-major s · items + i; fixed. */
  readonly itemWeight: Float64Array;
  /** κ_0 + κ_q·q_i − κ_price·β_s·z_i per (segment, item): the cart logit without its affinity term; fixed. */
  readonly cartLogit: Float64Array;
  /** P(purchase | cart) per (segment, item); fixed. */
  readonly purchase: Float64Array;
  /** ln ρ_{s,c} per (segment, category), row-major s · categories + c; follows the affinities. */
  readonly logAffinity: Float64Array;
  /** ρ_{s,c}^{w_aff} = e^{w_aff · ln ρ_{s,c}} per (segment, category); follows the affinities. */
  readonly categoryWeight: Float64Array;
}

/** The tables with their fixed parts filled; call setAffinities for each segment before use. */
export function createTables(m: ChoiceInputs): ChoiceTables {
  const p = m.params;
  const S = m.priceSensitivity.length;
  const N = m.items;
  const t: ChoiceTables = {
    itemWeight: new Float64Array(S * N),
    cartLogit: new Float64Array(S * N),
    purchase: new Float64Array(S * N),
    logAffinity: new Float64Array(S * m.categories),
    categoryWeight: new Float64Array(S * m.categories),
  };
  for (let s = 0; s < S; s++) {
    const beta = m.priceSensitivity[s]!;
    for (let i = 0, k = s * N; i < N; i++, k++) {
      const z = m.logRelPrice[i]!;
      t.itemWeight[k] = clampedExp(p.attractivenessWeight * m.attractiveness[i]! - p.priceWeight * beta * z - p.noClickUtility);
      t.cartLogit[k] = p.cartBias + p.cartQuality * m.quality[i]! - p.cartPrice * beta * z;
      t.purchase[k] = sigmoid(p.purchaseBias + p.purchaseQuality * m.quality[i]! - p.purchasePrice * beta * z);
    }
  }
  return t;
}

/** Refreshes segment s's affinity terms from a[s · C + c] (floored at AFFINITY_FLOOR). */
export function setAffinities(m: ChoiceInputs, affinity: Float64Array, s: number, t: ChoiceTables): void {
  const C = m.categories;
  for (let c = 0, k = s * C; c < C; c++, k++) {
    const lnRho = Math.log(C * Math.max(AFFINITY_FLOOR, affinity[k]!));
    t.logAffinity[k] = lnRho;
    t.categoryWeight[k] = clampedExp(m.params.affinityWeight * lnRho);
  }
}

/** e^{u_i − u_0} without the fatigue term: the item's logit weight against "no click" (weight 1). */
export function itemChoiceWeight(m: ChoiceInputs, t: ChoiceTables, s: number, i: number): number {
  return t.categoryWeight[s * m.categories + m.category[i]!]! * t.itemWeight[s * m.items + i]!;
}

export function cartProbability(m: ChoiceInputs, t: ChoiceTables, s: number, i: number): number {
  return sigmoid(t.cartLogit[s * m.items + i]! + m.params.cartAffinity * t.logAffinity[s * m.categories + m.category[i]!]!);
}

/** Expected reward of a click on item i: r_click + P(cart)·P(purchase | cart)·(r_purchase + r_revenue·price·margin). */
export function clickValue(m: ChoiceInputs, t: ChoiceTables, s: number, i: number): number {
  const buy = cartProbability(m, t, s, i) * t.purchase[s * m.items + i]!;
  return m.rewardClick + buy * (m.rewardPurchase + m.rewardRevenue * m.price[i]! * m.params.margin);
}

/** e^{−w_fat · f}: the factor on the weights of the last clicked category's items. */
export function fatigueFactor(params: ShopParams, fatigue: number): number {
  return Math.exp(-params.fatigueWeight * fatigue);
}

/**
 * The choice probabilities of one slate: out[0] = P(no click), out[1 + j] = P(click slate[j]).
 * `lastCategory` is −1 before the first click.
 */
export function slateProbabilities(
  m: ChoiceInputs,
  t: ChoiceTables,
  s: number,
  lastCategory: number,
  fatigue: number,
  slates: Int32Array,
  action: number,
  k: number,
  out: Float64Array,
): void {
  const tired = fatigueFactor(m.params, fatigue);
  let total = 1;
  for (let j = 0; j < k; j++) {
    const item = slates[action * k + j]!;
    const w = itemChoiceWeight(m, t, s, item) * (m.category[item] === lastCategory ? tired : 1);
    out[1 + j] = w;
    total += w;
  }
  out[0] = 1 / total;
  for (let j = 0; j < k; j++) out[1 + j] = out[1 + j]! / total;
}
