/**
 * The shop as an environment: a session is one user, drawn from the segments; each step the agent
 * shows a slate, the user clicks at most one item (choice.ts), a click may become a cart and a
 * purchase, engagement and fatigue move (dynamics.ts), and the user may leave (terminated) or hit
 * the session cap (truncated). Nothing is allocated per step; the draws come from the run's
 * environment stream, the shop itself from catalogSeed.
 */
import type { Env, EnvOracle, Observation, StepResult } from '../../env';
import type { MetricDirection } from '../../metric-direction';
import { NON_NEGATIVE, SHARE, type MetricRange } from '../../metric-range';
import { parseMdp, type Mdp } from '../../mdp/format';
import { Rng, Stream, unit } from '../../rng';
import { discrete, type DiscreteSpace, type Space } from '../../spaces';
import { cacheState, constantState } from '../../resume/state-tree';
import { createEpisodeWindow } from '../../wasm/window';
import { cartProbability, clickValue, createTables, fatigueFactor, setAffinities, type ChoiceTables } from './choice';
import { CLICK, NO_CLICK, PURCHASE, SNAP, gridSplit, leaveProbability, levelValue, nearestLevel, nextFatigue, type Outcome } from './dynamics';
import { modelToMdp } from './export-mdp';
import { stepRewardRange } from './mdp-limits';
import type { EpisodeWindow } from './metrics';
import type { ShopModel } from './model';
import { VectorObservation, discreteSpace, leftIndex, vectorSpace } from './observation';
import { driftSegment, shiftSegments } from './users';

export const SHOP_METRICS = ['clicks', 'purchases', 'revenue', 'ctr', 'conversion', 'coverage', 'diversity', 'gini', 'novelty'] as const;

/**
 * Which way each shop metric is better: more of what users do, a wider and more varied catalogue
 * shown; the Gini coefficient of exposure is 0 when every item is shown as often, so lower is fairer.
 * A session lasts until the user leaves, so a longer one is a user kept: `length` too is better high.
 */
export const SHOP_METRIC_DIRECTIONS: Readonly<Record<(typeof SHOP_METRICS)[number] | 'length', MetricDirection>> = {
  clicks: 'higher',
  purchases: 'higher',
  revenue: 'higher',
  ctr: 'higher',
  conversion: 'higher',
  coverage: 'higher',
  diversity: 'higher',
  gini: 'lower',
  novelty: 'higher',
  length: 'higher',
};

/**
 * The bounds of the shop's metrics: ctr (clicks per step, one click a step at most), conversion
 * (purchases per click, one purchase a click at most), coverage, diversity and gini are shares;
 * clicks, purchases, revenue (price × margin, both ≥ 0) and novelty (bits of self-information of
 * probabilities ≤ 1) are never negative.
 */
export const SHOP_METRIC_RANGES: Readonly<Record<(typeof SHOP_METRICS)[number], MetricRange>> = {
  clicks: NON_NEGATIVE,
  purchases: NON_NEGATIVE,
  revenue: NON_NEGATIVE,
  ctr: SHARE,
  conversion: SHARE,
  coverage: SHARE,
  diversity: SHARE,
  gini: SHARE,
  novelty: NON_NEGATIVE,
};

/** The user's state and the session so far (for tests and inspection; allocates). */
export interface ShopSession {
  readonly segment: number;
  readonly lastCategory: number;
  readonly engagement: number;
  readonly fatigue: number;
  readonly steps: number;
  readonly clicks: number;
  readonly carts: number;
  readonly purchases: number;
  readonly revenue: number;
  /** The item clicked at the last step (−1: none) and whether it was bought. */
  readonly clickedItem: number;
  readonly purchased: boolean;
}

/**
 * Marks the model and every object in it (catalog, segments, slates, the parameters) constant, so
 * that no checkpoint holds any of it, wherever it is reached from (the observation's model, the
 * exposure window's slates).
 */
function constantModel(model: ShopModel): void {
  const marked = new Set<object>();
  const mark = (o: object): void => {
    if (marked.has(o)) return;
    marked.add(o);
    constantState(o);
    if (ArrayBuffer.isView(o)) return;
    for (const value of Object.values(o)) if (typeof value === 'object' && value !== null) mark(value as object);
  };
  mark(model);
}

export class ShopEnv implements Env<Observation> {
  readonly id = 'shop';
  readonly observationSpace: Space;
  readonly actionSpace: DiscreteSpace;
  readonly episodeMetricNames: readonly string[] = SHOP_METRICS;
  readonly oracle: EnvOracle = { immediateValues: (out) => this.immediateValues(out) };
  private rng: Rng | null = null;
  /** Current affinities (they drift and shift); the tables follow them per segment, lazily. */
  private readonly affinity: Float64Array;
  private readonly tables: ChoiceTables;
  private readonly stale: Uint8Array;
  /** The oracle's expected reward of a click per (segment, item), computed when first asked. */
  private readonly clickValues: Float64Array;
  private readonly clickValuesStale: Uint8Array;
  private readonly window: EpisodeWindow;
  private readonly vector: VectorObservation | null;
  private readonly exact: boolean;
  private readonly slateWeights: Float64Array;
  // Precomputed for the step (each entry is the very double the call it replaces returns):
  /** levelValue(l, L) per engagement and fatigue level (the exact mode's e and f are always one of these). */
  private readonly engagementValues: Float64Array;
  private readonly fatigueValues: Float64Array;
  /** fatigueFactor(f) at each fatigue level's value (exact mode: f is on the grid, so no exp per step). */
  private readonly fatigueFactors: Float64Array;
  /**
   * The exact mode's fatigue f' before rounding takes few values: nextFatigue at each level with
   * `same` of the k slate items in the last clicked category, at index level · (k + 1) + same, and 0
   * after a move to another category, at the last index. Per index: f', and gridSplit's lower
   * level and P(upper level) (0: no draw), so the step neither recomputes nor rounds it.
   */
  private readonly fatigueAfter: Float64Array;
  private readonly fatigueLower: Int32Array;
  private readonly fatigueUp: Float64Array;
  /** leaveProbability at each engagement level's value (exact mode). */
  private readonly leaveAt: Float64Array;
  /**
   * nextEngagement's terms, each the very product it computes: per item purchaseGain · q_i and
   * clickbaitLoss · (1 − q_i), and (exact mode) fatigueLoss · f' per fatigueAfter index.
   */
  private readonly fatigueDrain: Float64Array;
  private readonly purchaseGain: Float64Array;
  private readonly clickbaitLoss: Float64Array;
  /** gridSplit of engagementStart: the exact mode's first engagement level (lower, or lower + 1 with P = startUp). */
  private readonly startLower: number;
  private readonly startUp: number;
  /**
   * cartProbability(s, i), cached: an entry is current when its version equals the segment's
   * affinityVersion, which moves whenever setAffinities refreshes the segment (drift, shift), so a
   * refresh costs nothing per item and a step's sigmoid is computed once per (segment, item, affinities).
   */
  private readonly cart: Float64Array;
  private readonly cartVersion: Int32Array;
  private readonly affinityVersion: Int32Array;
  private compiledMdp: Mdp | undefined;
  // The session.
  private episode = -1;
  private segment = 0;
  private lastCategory = -1;
  private engagement = 0;
  private fatigue = 0;
  private engagementLevel = 0;
  private fatigueLevel = 0;
  private t = 0;
  private ended = true;
  private clicks = 0;
  private carts = 0;
  private purchases = 0;
  private revenue = 0;
  private clickedItem = -1;
  private purchased = false;
  // Within a step (see step()): the reward so far, and the slate's items in the last clicked category.
  private reward = 0;
  private sameCategory = 0;
  private readonly result: StepResult<Observation>;
  // The discrete observation's sizes and its final state (see observation.ts), and the segment it shows (0 when hidden).
  private readonly engagementLevels: number;
  private readonly fatigueLevels: number;
  private readonly leftState: number;
  private observedSegment = 0;

  constructor(readonly model: ShopModel) {
    const p = model.params;
    this.exact = p.exact;
    this.actionSpace = discrete(model.actions, model.actionLabels);
    this.vector = p.observation === 'vector' ? new VectorObservation(model) : null;
    this.observationSpace = this.vector ? vectorSpace(model) : discreteSpace(model);
    this.affinity = Float64Array.from(model.segments.affinity);
    this.tables = createTables(model);
    this.stale = new Uint8Array(p.segments).fill(1);
    this.clickValues = new Float64Array(p.segments * model.items);
    this.clickValuesStale = new Uint8Array(p.segments).fill(1);
    this.window = createEpisodeWindow(model.category, model.slates, model.slateSize, p.metricsWindow);
    this.slateWeights = new Float64Array(model.slateSize);
    this.engagementValues = Float64Array.from({ length: p.engagementLevels }, (_, l) => levelValue(l, p.engagementLevels));
    this.fatigueValues = Float64Array.from({ length: p.fatigueLevels }, (_, l) => levelValue(l, p.fatigueLevels));
    this.fatigueFactors = this.fatigueValues.map((f) => fatigueFactor(p, f));
    const k = model.slateSize;
    this.fatigueAfter = new Float64Array(p.fatigueLevels * (k + 1) + 1); // the last entry, a move, is 0
    for (let l = 0; l < p.fatigueLevels; l++) for (let same = 0; same <= k; same++) this.fatigueAfter[l * (k + 1) + same] = nextFatigue(p, this.fatigueValues[l]!, same / k);
    this.fatigueLower = new Int32Array(this.fatigueAfter.length);
    this.fatigueUp = new Float64Array(this.fatigueAfter.length);
    const split = new Float64Array(2);
    this.fatigueAfter.forEach((f, i) => {
      gridSplit(f, p.fatigueLevels, split);
      this.fatigueLower[i] = split[0]!;
      this.fatigueUp[i] = split[1]!;
    });
    this.leaveAt = this.engagementValues.map((e) => leaveProbability(p, e));
    this.fatigueDrain = this.fatigueAfter.map((f) => p.fatigueLoss * f);
    this.purchaseGain = model.quality.map((q) => p.purchaseGain * q);
    this.clickbaitLoss = model.quality.map((q) => p.clickbaitLoss * (1 - q));
    gridSplit(p.engagementStart, p.engagementLevels, split);
    this.startLower = split[0]!;
    this.startUp = split[1]!;
    this.cart = new Float64Array(p.segments * model.items);
    this.cartVersion = new Int32Array(p.segments * model.items);
    this.affinityVersion = new Int32Array(p.segments);
    this.engagementLevels = p.engagementLevels;
    this.fatigueLevels = p.fatigueLevels;
    this.leftState = leftIndex(model);
    this.result = { observation: this.vector ? this.vector.features : 0, reward: 0, terminated: false, truncated: false };
    // Built from the parameters alone and never written after (drift and shift move `affinity`, a
    // copy, and the tables' affinity terms): a checkpoint leaves them out, and the resumed run's
    // environment, built from the same parameters, has them already (docs/shop-simulator.md, "Drift
    // and shift", gives the sizes: 97 MB for 100,000 items with slates of 100, now 2.9 MB).
    constantModel(model);
    const t = this.tables;
    constantState(t.itemWeight, t.cartLogit, t.purchase, this.purchaseGain, this.clickbaitLoss);
    constantState(this.engagementValues, this.fatigueValues, this.fatigueFactors, this.fatigueAfter, this.fatigueLower, this.fatigueUp, this.leaveAt, this.fatigueDrain);
    // Caches per (segment, item), left out too: a resumed run's are empty, as reset(seed) leaves
    // them before the checkpoint is restored (see restoreRun), and are computed again from the
    // affinities' tables the checkpoint keeps, to the same doubles.
    cacheState(this.clickValues, this.clickValuesStale, this.cart, this.cartVersion);
  }

  /**
   * The exact mode's MDP (discrete observation only: its states are the observation's), built on
   * first use; the runner reads it to report the greedy policy's optimality gap.
   */
  get mdp(): Mdp | undefined {
    if (!this.exact || this.vector) return undefined;
    if (this.compiledMdp === undefined) {
      this.compiledMdp = parseMdp(modelToMdp(this.model), 'mdp');
      constantState(this.compiledMdp);
    }
    return this.compiledMdp;
  }

  reset(seed?: number): Observation {
    const p = this.model.params;
    if (seed !== undefined) {
      this.rng = new Rng(seed, Stream.env);
      this.affinity.set(this.model.segments.affinity);
      this.stale.fill(1);
      // The caches start empty (entries at version −1 are never current): a checkpoint, restored
      // after this reset, leaves them out (see the constructor).
      this.clickValuesStale.fill(1);
      this.cartVersion.fill(-1);
      this.window.clear();
      this.episode = -1;
    }
    const rng = this.rng;
    if (rng === null) throw new Error('shop: the first reset needs a seed (reset(seed))');
    this.window.closeEpisode(); // a session abandoned before its end still counts
    this.episode++;
    if (this.episode > 0 && p.driftStd > 0) {
      for (let s = 0; s < p.segments; s++) driftSegment(this.affinity, s, this.model.categories, p.driftStd, rng);
      this.stale.fill(1);
    }
    if (this.episode === p.shiftAt) {
      shiftSegments(this.affinity, this.model.segments.shiftTarget, p.shiftMagnitude);
      this.stale.fill(1);
    }
    const s = (this.segment = rng.int(p.segments));
    this.observedSegment = p.observeSegment ? s : 0;
    if (this.stale[s]) {
      setAffinities(this.model, this.affinity, s, this.tables);
      this.affinityVersion[s]!++;
      this.stale[s] = 0;
      this.clickValuesStale[s] = 1;
    }
    this.lastCategory = -1;
    this.fatigue = 0;
    this.fatigueLevel = 0;
    this.engagement = p.engagementStart;
    if (this.exact) {
      this.engagementLevel = this.startUp > 0 && unit(rng.bits()) < this.startUp ? this.startLower + 1 : this.startLower;
      this.engagement = this.engagementValues[this.engagementLevel]!;
    } else this.engagementLevel = nearestLevel(this.engagement, p.engagementLevels);
    this.t = this.clicks = this.carts = this.purchases = this.revenue = 0;
    this.clickedItem = -1;
    this.purchased = false;
    this.ended = false;
    return this.observe(false);
  }

  /*
   * The step is split into phases (choose, funnel, move) that pass only integers between them:
   * V8 inlines a call only while the caller's inlining budget lasts, and a call it does not
   * inline boxes every floating-point argument and result on the heap. The doubles a phase
   * produces go into fields (reward, engagement, fatigue), and the draws are unit(rng.bits())
   * (the same numbers as rng.next(), from a call that returns an integer), so whatever V8
   * inlines, a step allocates nothing. The budget counts a callee's whole bytecode, taken
   * branches or not, so each mode's move and observation is a method of its own, and the
   * errors are thrown from one: a run's step spends that budget only on code it runs (V8 may
   * still leave choose or stateIndex as calls; they take and return integers only).
   */
  step(action: number): StepResult<Observation> {
    const rng = this.rng;
    const m = this.model;
    if (rng === null || this.ended || !(action >= 0 && action < m.actions && (action | 0) === action)) this.refuse(action);
    const clicked = this.choose(action, rng);
    this.reward = 0;
    const outcome = clicked >= 0 ? this.funnel(clicked, rng) : NO_CLICK;
    const left = this.exact ? this.moveOnGrid(clicked, outcome, rng) : this.move(clicked, outcome, rng);
    this.clickedItem = clicked;
    this.purchased = outcome === PURCHASE;

    const r = this.result;
    r.reward = this.reward;
    r.terminated = left;
    r.truncated = ++this.t >= m.params.maxSteps;
    this.ended = left || r.truncated;
    this.window.record(action, clicked);
    r.observation = this.vector ? this.observeVector() : left ? this.leftState : this.stateIndex();
    return r;
  }

  /** Why step() cannot run. */
  private refuse(action: number): never {
    if (this.rng === null) throw new Error('shop: call reset(seed) before step()');
    if (this.ended) throw new Error('shop: the session has ended: call reset() before step()');
    throw new RangeError(`shop: action ${action} is not in 0..${this.model.actions - 1}`);
  }

  /**
   * The multinomial-logit choice of the slate against "no click" (weight 1): the clicked item, or
   * −1. Counts the slate's items in the last clicked category into `sameCategory`.
   */
  private choose(action: number, rng: Rng): number {
    const m = this.model;
    const { slates, category } = m;
    const k = m.slateSize;
    const first = action * k;
    const row = this.segment * m.items;
    const categoryRow = this.segment * m.categories;
    const last = this.lastCategory;
    // e^{−w_fat·f}; on the exact mode's grid, from the table of its levels.
    const tired = last >= 0 && this.fatigue > 0 ? (this.exact ? this.fatigueFactors[this.fatigueLevel]! : fatigueFactor(m.params, this.fatigue)) : 1;
    const { itemWeight, categoryWeight } = this.tables;
    const weights = this.slateWeights;
    let total = 1;
    let same = 0;
    for (let j = 0; j < k; j++) {
      const item = slates[first + j]!;
      const c = category[item]!;
      let w = categoryWeight[categoryRow + c]! * itemWeight[row + item]!;
      if (c === last) {
        w *= tired;
        same++;
      }
      weights[j] = w;
      total += w;
    }
    this.sameCategory = same;
    let u = unit(rng.bits()) * total - 1;
    if (u < 0) return -1;
    for (let j = 0; j < k; j++) {
      u -= weights[j]!;
      if (u < 0) return slates[first + j]!;
    }
    return slates[first + k - 1]!; // rounding can leave u just above the last weight
  }

  /** The funnel after a click: cart, then purchase; counts them and sets `reward`. */
  private funnel(clicked: number, rng: Rng): Outcome {
    const m = this.model;
    const s = this.segment;
    this.clicks++;
    let reward = m.rewardClick;
    let outcome: Outcome = CLICK;
    if (unit(rng.bits()) < this.cartProbability(s, clicked)) {
      this.carts++;
      if (unit(rng.bits()) < this.tables.purchase[s * m.items + clicked]!) {
        outcome = PURCHASE;
        this.purchases++;
        const takings = m.price[clicked]! * m.params.margin;
        this.revenue += takings;
        reward += m.rewardPurchase + m.rewardRevenue * takings;
      }
    }
    this.reward = reward;
    return outcome;
  }

  /**
   * Long-term effects: fatigue, the last clicked category and engagement; then whether the user
   * leaves. Sets `lastCategory` and returns whether it changed (a click on another category).
   */
  private move(clicked: number, outcome: Outcome, rng: Rng): boolean {
    const m = this.model;
    const p = m.params;
    const last = this.lastCategory;
    // nextFatigue, nextEngagement, nearestLevel and leaveProbability (dynamics.ts), written out:
    // the same operations on the same doubles, in one method V8 compiles without calls.
    let fatigue = 0;
    if (!this.moveCategory(clicked)) {
      fatigue = p.fatigueDecay * this.fatigue + p.fatigueIncrement * (last >= 0 ? this.sameCategory / m.slateSize : 0);
      if (fatigue > 1) fatigue = 1;
    }
    let engagement = this.engagement - p.fatigueLoss * fatigue;
    if (outcome === PURCHASE) engagement += this.purchaseGain[clicked]!;
    else if (outcome === CLICK) engagement -= this.clickbaitLoss[clicked]!;
    else engagement -= p.ignoreLoss;
    if (engagement < 0) engagement = 0;
    else if (engagement > 1) engagement = 1;
    this.engagementLevel = Math.round(engagement * (p.engagementLevels - 1));
    this.fatigueLevel = Math.round(fatigue * (p.fatigueLevels - 1));
    this.engagement = engagement;
    this.fatigue = fatigue;
    return unit(rng.bits()) < p.leaveBase + p.leaveSlope * (1 - engagement);
  }

  /**
   * move() in the exact mode, where engagement and fatigue go back on their grids: f' from the
   * table (see fatigueAfter; `same` is 0 before any click), and gridSplit's rule for e', drawing
   * the upper level with P(upper), written out (a call V8 did not inline would box the double).
   */
  private moveOnGrid(clicked: number, outcome: Outcome, rng: Rng): boolean {
    const m = this.model;
    const p = m.params;
    const at = this.moveCategory(clicked) ? this.fatigueAfter.length - 1 : this.fatigueLevel * (m.slateSize + 1) + this.sameCategory;
    // nextEngagement, written out with its products from tables (the same doubles, the same order).
    let engagement = this.engagement - this.fatigueDrain[at]!;
    if (outcome === PURCHASE) engagement += this.purchaseGain[clicked]!;
    else if (outcome === CLICK) engagement -= this.clickbaitLoss[clicked]!;
    else engagement -= p.ignoreLoss;
    if (engagement < 0) engagement = 0;
    else if (engagement > 1) engagement = 1;
    const top = p.engagementLevels - 1;
    const pos = engagement * top;
    let level = Math.floor(pos);
    const up = pos - level;
    if (up > 1 - SNAP) level++;
    else if (up >= SNAP && level < top && unit(rng.bits()) < up) level++;
    if (level > top) level = top;
    this.engagementLevel = level;
    const fatigueUp = this.fatigueUp[at]!;
    this.fatigueLevel = fatigueUp > 0 && unit(rng.bits()) < fatigueUp ? this.fatigueLower[at]! + 1 : this.fatigueLower[at]!;
    this.engagement = this.engagementValues[level]!;
    this.fatigue = this.fatigueValues[this.fatigueLevel]!;
    return unit(rng.bits()) < this.leaveAt[level]!;
  }

  /** A click on another category than the last clicked one moves the user there (and resets fatigue): true then. */
  private moveCategory(clicked: number): boolean {
    if (clicked < 0) return false;
    const c = this.model.category[clicked]!;
    if (c === this.lastCategory) return false;
    this.lastCategory = c;
    return true;
  }

  episodeMetrics(out: Float64Array, offset: number): void {
    const w = this.window;
    // The ended session leaves its steps in the window here (or at the next reset, whichever
    // comes first), not in step(): the step's code stays small enough for V8 to inline whole.
    if (this.ended) w.closeEpisode();
    out[offset] = this.clicks;
    out[offset + 1] = this.purchases;
    out[offset + 2] = this.revenue;
    out[offset + 3] = this.t > 0 ? this.clicks / this.t : 0;
    out[offset + 4] = this.clicks > 0 ? this.purchases / this.clicks : 0;
    out[offset + 5] = w.coverage();
    out[offset + 6] = w.diversity();
    out[offset + 7] = w.gini();
    out[offset + 8] = w.novelty();
  }

  /** E[R | true state, a] for every action: Σ_j P(click j) · (r_click + P(buy j) · (r_buy + r_rev · price_j · margin)). */
  private immediateValues(out: Float64Array): void {
    const m = this.model;
    const k = m.slateSize;
    const s = this.segment;
    const row = s * m.items;
    const categoryRow = s * m.categories;
    const last = this.lastCategory;
    const tired = last >= 0 && this.fatigue > 0 ? fatigueFactor(m.params, this.fatigue) : 1;
    const { itemWeight, categoryWeight } = this.tables;
    const values = this.clickValues;
    if (this.clickValuesStale[s]) {
      for (let i = 0; i < m.items; i++) values[row + i] = clickValue(m, this.tables, s, i);
      this.clickValuesStale[s] = 0;
    }
    for (let a = 0; a < m.actions; a++) {
      let total = 1;
      let value = 0;
      for (let j = 0, o = a * k; j < k; j++) {
        const item = m.slates[o + j]!;
        const c = m.category[item]!;
        const w = categoryWeight[categoryRow + c]! * itemWeight[row + item]! * (c === last ? tired : 1);
        total += w;
        value += w * values[row + item]!;
      }
      out[a] = value / total;
    }
  }

  /** P(cart | click on item) for segment s, from the cache (see `cart`). */
  private cartProbability(s: number, item: number): number {
    const at = s * this.model.items + item;
    const version = this.affinityVersion[s]!;
    if (this.cartVersion[at] !== version) {
      this.cart[at] = cartProbability(this.model, this.tables, s, item);
      this.cartVersion[at] = version;
    }
    return this.cart[at]!;
  }

  /** The discrete observation's "left", the state a session ends in (none for a vector observation). */
  get terminalStates(): Uint8Array | undefined {
    if (this.vector) return undefined;
    const terminal = new Uint8Array(this.leftState + 1);
    terminal[this.leftState] = 1;
    return terminal;
  }

  private observe(left: boolean): Observation {
    return this.vector ? this.observeVector() : left ? this.leftState : this.stateIndex();
  }

  private observeVector(): Float32Array {
    const p = this.model.params;
    return this.vector!.write(p.observeSegment ? this.segment : -1, this.lastCategory, this.engagement, this.fatigue, this.t / p.maxSteps, this.clickedItem >= 0, this.purchased);
  }

  /** The discrete observation: discreteIndex (written out, with `observedSegment` kept by reset). */
  private stateIndex(): number {
    const m = this.model;
    return ((this.observedSegment * (m.categories + 1) + this.lastCategory + 1) * this.engagementLevels + this.engagementLevel) * this.fatigueLevels + this.fatigueLevel;
  }

  /** The user's state and the session's counts so far. */
  session(): ShopSession {
    return {
      segment: this.segment,
      lastCategory: this.lastCategory,
      engagement: this.engagement,
      fatigue: this.fatigue,
      steps: this.t,
      clicks: this.clicks,
      carts: this.carts,
      purchases: this.purchases,
      revenue: this.revenue,
      clickedItem: this.clickedItem,
      purchased: this.purchased,
    };
  }

  /**
   * What one step can pay: nothing without a click, the click weight, or with a purchase the click
   * and purchase weights plus the revenue weight times the item's price × margin (weights may be
   * negative, so each outcome counts).
   */
  get rewardRange(): readonly [number, number] {
    const { lo, hi } = stepRewardRange(this.model, this.model.price, this.model.params.margin);
    return [lo, hi];
  }

  /** The current affinities a[s · C + c] (they drift and shift; a live view). */
  get affinities(): Readonly<Float64Array> {
    return this.affinity;
  }
}
