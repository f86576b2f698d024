/**
 * The exact mode written out as an `aisle.mdp/v1` file: its states are the discrete observation's
 * (segment, last clicked category, engagement level, fatigue level, and "left"), its transitions
 * enumerate every outcome of a step — no click, a click on each slate item with or without a
 * purchase — then both stochastic roundings and the leave draw, with the same functions the
 * environment samples from. Outcomes that reach the same next state are merged into one row whose
 * reward is their probability-weighted mean, which keeps every expected value exact.
 */
import { MDP_FORMAT, type MdpFile, type MdpTransition } from '../../mdp/format';
import { ValidationError, parseOrThrow, plural } from '../../params';
import { cartProbability, createTables, setAffinities, slateProbabilities } from './choice';
import { CLICK, NO_CLICK, PURCHASE, gridSplit, leaveProbability, levelValue, nextEngagement, nextFatigue, type Outcome } from './dynamics';
import { mdpRewardProblem, mdpTransitionsProblem, purchaseReward, stepRewardRange } from './mdp-limits';
import { buildShop, checksMdpLimits, type ShopModel } from './model';
import { decodeIndex, discreteIndex, discreteSpace, leftIndex } from './observation';
import { mdpPairsProblem, shopParams, withoutRunFixes, type ShopParamsInput } from './params';

/** The exact shop of these parameters as an aisle.mdp/v1 file; throws a ValidationError when it is not exact. */
export function shopToMdp(params: ShopParamsInput): MdpFile {
  const p = parseOrThrow(shopParams, params);
  if (!p.exact) {
    throw new ValidationError(['exact: only the exact mode is a finite MDP: set exact to true (which needs observeSegment true, driftStd 0 and shiftAt null)']);
  }
  try {
    return modelToMdp(buildShop(p));
  } catch (e) {
    throw forExactMdp(e);
  }
}

/**
 * A refusal as said to a caller that asks for the exact MDP itself (shopToMdp, `shop export-mdp`
 * validating its experiment): turning the exact mode off, or observing a vector (the MDP's states
 * are the same), is no fix there, so a ValidationError's problems lose those alternatives; anything
 * else is returned as it is.
 */
export function forExactMdp(e: unknown): unknown {
  return e instanceof ValidationError ? new ValidationError(e.problems.map(withoutRunFixes)) : e;
}

/**
 * Accumulates the rows of one (state, action) pair by next state. A merged row's reward, a weighted
 * mean, is held within the step's reward range [lo, hi], where it lies but for rounding (a mean of
 * rewards of exactly 1e9 must not come out one ulp beyond the format's limit).
 */
class PairRows {
  private readonly prob: Float64Array;
  private readonly weightedReward: Float64Array;
  private readonly touched: Int32Array;
  private count = 0;
  constructor(
    states: number,
    private readonly lo: number,
    private readonly hi: number,
  ) {
    this.prob = new Float64Array(states);
    this.weightedReward = new Float64Array(states);
    this.touched = new Int32Array(states);
  }
  add(next: number, p: number, reward: number): void {
    if (p <= 0) return;
    if (this.prob[next] === 0) this.touched[this.count++] = next;
    this.prob[next]! += p;
    this.weightedReward[next]! += p * reward;
  }
  flush(s: number, a: number, out: MdpTransition[]): void {
    for (let t = 0; t < this.count; t++) {
      const next = this.touched[t]!;
      const p = this.prob[next]!;
      out.push([s, a, Math.min(1, p), next, Math.min(this.hi, Math.max(this.lo, this.weightedReward[next]! / p))]);
      this.prob[next] = 0;
      this.weightedReward[next] = 0;
    }
    this.count = 0;
  }
}

export function modelToMdp(m: ShopModel): MdpFile {
  const p = m.params;
  if (!p.exact) throw new ValidationError(['exact: only the exact mode is a finite MDP: set exact to true']);
  const S = m.discreteStates;
  const A = m.actions;
  const k = m.slateSize;
  // Refused before anything is built; buildShop has checked a discrete observation's already (and
  // counting the transitions again would cost as much once more).
  const tooLarge = checksMdpLimits(p) ? undefined : (mdpPairsProblem(S, A) ?? mdpRewardProblem(p, m, m.price, m.catalog.itemIds) ?? mdpTransitionsProblem(m));
  if (tooLarge) throw new ValidationError([tooLarge]);
  const tables = createTables(m);
  for (let s = 0; s < p.segments; s++) setAffinities(m, m.segments.affinity, s, tables);
  const probs = new Float64Array(k + 1);
  const eSplit = new Float64Array(2);
  const fSplit = new Float64Array(2);
  const range = stepRewardRange(m, m.price, p.margin);
  const rows = new PairRows(S, range.lo, range.hi);
  const transitions: MdpTransition[] = [];
  const left = leftIndex(m);

  /** One outcome of the user's choice: rounding, then leaving or staying. */
  const outcome = (q: number, reward: number, segment: number, last: number, engagement: number, fatigue: number) => {
    gridSplit(engagement, p.engagementLevels, eSplit);
    gridSplit(fatigue, p.fatigueLevels, fSplit);
    for (let de = 0; de < 2; de++) {
      const pe = de === 0 ? 1 - eSplit[1]! : eSplit[1]!;
      const eLevel = eSplit[0]! + de;
      if (pe <= 0) continue;
      const leave = leaveProbability(p, levelValue(eLevel, p.engagementLevels));
      for (let df = 0; df < 2; df++) {
        const pf = df === 0 ? 1 - fSplit[1]! : fSplit[1]!;
        if (pf <= 0) continue;
        const reach = q * pe * pf;
        rows.add(left, reach * leave, reward);
        rows.add(discreteIndex(m, segment, last, eLevel, fSplit[0]! + df), reach * (1 - leave), reward);
      }
    }
  };

  for (let s = 0; s < left; s++) {
    const [segment, last, eLevel, fLevel] = decodeIndex(m, s);
    const engagement = levelValue(eLevel, p.engagementLevels);
    const fatigue = levelValue(fLevel, p.fatigueLevels);
    const row = segment * m.items;
    for (let a = 0; a < A; a++) {
      slateProbabilities(m, tables, segment, last, fatigue, m.slates, a, k, probs);
      let same = 0;
      for (let j = 0; j < k; j++) if (m.category[m.slates[a * k + j]!] === last) same++;
      const stayFatigue = nextFatigue(p, fatigue, last >= 0 ? same / k : 0);
      outcome(probs[0]!, 0, segment, last, nextEngagement(p, engagement, NO_CLICK, 0, stayFatigue), stayFatigue);
      for (let j = 0; j < k; j++) {
        const item = m.slates[a * k + j]!;
        const c = m.category[item]!;
        const nextFat = c === last ? stayFatigue : 0;
        const buy = cartProbability(m, tables, segment, item) * tables.purchase[row + item]!;
        const q = m.quality[item]!;
        const branches: [Outcome, number, number][] = [
          [CLICK, probs[1 + j]! * (1 - buy), m.rewardClick],
          [PURCHASE, probs[1 + j]! * buy, purchaseReward(m, m.price[item]!, p.margin)],
        ];
        for (const [kind, prob, reward] of branches) outcome(prob, reward, segment, c, nextEngagement(p, engagement, kind, q, nextFat), nextFat);
      }
      rows.flush(s, a, transitions);
    }
  }

  const start: Record<string, number> = {};
  gridSplit(p.engagementStart, p.engagementLevels, eSplit);
  for (let segment = 0; segment < p.segments; segment++) {
    for (let de = 0; de < 2; de++) {
      const pe = de === 0 ? 1 - eSplit[1]! : eSplit[1]!;
      if (pe > 0) start[String(discreteIndex(m, segment, -1, eSplit[0]! + de, 0))] = pe / p.segments;
    }
  }
  const labels = discreteSpace(m).labels;
  return {
    format: MDP_FORMAT,
    name: `shop (exact): ${plural(m.items, 'item')}, ${plural(m.categories, 'category', String(m.categories), 'categories')}, ${plural(p.segments, 'segment')}`,
    states: labels ? [...labels] : S,
    actions: [...m.actionLabels],
    start,
    terminal: [left],
    transitions,
  };
}
