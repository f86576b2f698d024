/**
 * The shop's catalogue-level metrics over a trailing window of episodes: coverage, intra-slate
 * diversity, the Gini coefficient of exposure, and novelty. The window keeps a ring of the steps of
 * its episodes (the action and the clicked item; an action's slate is fixed) and running counts
 * per item, added as steps happen and taken back as episodes leave the window, so a step costs a
 * few integer updates and nothing is allocated (the ring grows by doubling while it warms up).
 * record() only appends the step to the ring; the counts take it in at the next flush (at the end
 * of the episode, or when a metric is read), in one tight loop over the episode's steps that makes
 * the very updates, in the same order, that counting each step as it came would (so W's floating
 * sums are the same), and the steps leaving the window are taken back in one loop too.
 *
 * With x_i the exposures (times shown) of item i in the window, n the catalog size, T = Σ x_i:
 *   coverage  = |{i : x_i > 0}| / n
 *   diversity = mean over the window's slates of the share of item pairs in different categories
 *               (0 when slates hold one item)
 *   gini      = Σ_i (2i − n − 1) · x_(i) / (n · T), x_(1) ≤ … ≤ x_(n)   (0: equal exposure;
 *               (n − 1)/n: everything on one item; 0 when nothing was shown)
 *   novelty   = Σ_i x_i · (−log2 pop_i) / T, pop_i = (clicks_i + 1) / (clicks + n): the mean
 *               self-information, in bits, of what was shown, under the window's click popularity
 *               with add-one smoothing (Zhou et al. 2010; Vargas & Castells 2011)
 * The Gini sum G = Σ_i (2i − n − 1) · x_(i) is an integer kept up to date as counts move, so reading
 * it costs no sort. When an item's count goes from v to v + 1, swap it first to the top rank among
 * the items at v (ties change nothing), rank C(≤ v) where C(≤ v) = |{i : x_i ≤ v}|; its count then
 * rises there, so G gains 2·C(≤ v) − n − 1. Down from v to v − 1, it leaves from the bottom rank
 * C(≤ v − 1) + 1 and G loses 2·C(≤ v − 1) + 1 − n. Each move changes one C: C(≤ v) falls by one
 * going up, C(≤ v − 1) rises by one going down. G stays an exact integer in a double (far below
 * 2^53), so it is the very sum a sorted recomputation gives, whatever the order of the updates.
 * novelty keeps W = Σ_i x_i · log2(clicks_i + 1) up to date (novelty = log2(clicks + n) − W / T) with
 * a table of logarithms, and recomputes W exactly once per `window` episodes so rounding cannot pile up.
 */
import { loadStateKey, saveStateKey, type CustomState, type SavedFields } from '../../resume/state-tree';

/**
 * What the shop reads of a window: this class, or its WebAssembly twin (src/engine/wasm/window.ts),
 * which runs the same loops to the same doubles where the kernel loads.
 */
export interface EpisodeWindow {
  /** Exposures x_i per item in the window (current as of this call). */
  readonly exposures: Int32Array;
  clear(): void;
  record(action: number, clickedItem: number): void;
  closeEpisode(): void;
  coverage(): number;
  diversity(): number;
  gini(): number;
  novelty(): number;
}

/** The arrays ExposureWindow replaces when its ring grows: a checkpoint's replace them too. */
const GROWING: readonly string[] = ['stepAction', 'stepClick', 'atMost', 'log2Table'];

export class ExposureWindow implements EpisodeWindow, CustomState {
  private readonly counts: Int32Array;
  readonly clicks: Int32Array;
  private readonly items: number;
  private readonly k: number;
  /** Item pairs in different categories, per action. */
  private readonly differingPairs: Int32Array;
  // The ring of steps: action and clicked item (−1 for none); its length is a power of two, indexed with `& mask`.
  private stepAction: Int32Array;
  private stepClick: Int32Array;
  private mask: number;
  private head = 0;
  private steps = 0;
  /** The last `pending` steps of the ring are recorded but not yet in the counts (see flush). */
  private pending = 0;
  private readonly episodes: EpisodeRing;
  private openSteps = 0;
  // Items with exposures > 0, as a dense set (its order is the order W is recomputed in).
  private readonly exposed: Int32Array;
  private readonly slot: Int32Array;
  private distinct = 0;
  /**
   * atMost[v] = C(≤ v), the number of items exposed at most v times (n from the largest count on).
   * An item is shown at most once a step (slates hold distinct items), so a count never exceeds the
   * ring's capacity, and the array, sized to it, needs no bounds check per exposure.
   */
  private atMost: Int32Array;
  /** The Gini sum G (an integer). */
  private giniSum = 0;
  private totalExposures = 0;
  private totalClicks = 0;
  private pairSum = 0;
  /** W = Σ_i x_i · log2(clicks_i + 1), and log2 of 0..capacity + 1 (entry 0 unused; clicks_i + 1 ≤ capacity + 1). */
  private weighted = 0;
  private log2Table: Float64Array;
  /** log2(clicks_i + 1) per item (the table's entry, kept current as clicks come and go), so an exposure reads it directly. */
  private readonly clickLog: Float64Array;

  constructor(
    category: Int32Array,
    private readonly slates: Int32Array,
    slateSize: number,
    window: number,
    initialSteps = 4096,
  ) {
    this.items = category.length;
    this.k = slateSize;
    this.differingPairs = differingPairs(category, slates, slateSize);
    this.counts = new Int32Array(this.items);
    this.clicks = new Int32Array(this.items);
    this.clickLog = new Float64Array(this.items); // log2(0 + 1) = 0
    this.exposed = new Int32Array(this.items);
    this.slot = new Int32Array(this.items).fill(-1);
    let capacity = 1;
    while (capacity < initialSteps) capacity *= 2;
    this.stepAction = new Int32Array(capacity);
    this.stepClick = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.atMost = new Int32Array(capacity + 1).fill(this.items);
    this.log2Table = log2Table(capacity + 2);
    this.episodes = new EpisodeRing(window);
  }

  /** Exposures x_i per item in the window (a live view, current as of this call). */
  get exposures(): Int32Array {
    this.flush();
    return this.counts;
  }

  /** Forgets everything (a reseeded run starts a fresh window). */
  clear(): void {
    this.counts.fill(0);
    this.clicks.fill(0);
    this.clickLog.fill(0);
    this.slot.fill(-1);
    this.atMost.fill(this.items);
    this.episodes.clear();
    this.head = this.steps = this.pending = this.openSteps = 0;
    this.distinct = this.giniSum = this.totalExposures = this.totalClicks = this.pairSum = this.weighted = 0;
  }

  /** One step of the current episode: the action shown and the item clicked (−1 for none). */
  record(action: number, clickedItem: number): void {
    if (this.steps === this.stepAction.length) this.grow();
    const at = (this.head + this.steps) & this.mask;
    this.stepAction[at] = action;
    this.stepClick[at] = clickedItem;
    this.steps++;
    this.pending++;
    this.openSteps++;
  }

  /** Ends the current episode (if it had steps) and drops the oldest episode beyond the window. */
  closeEpisode(): void {
    if (this.openSteps === 0) return;
    this.flush();
    const leaving = this.episodes.close(this.openSteps);
    this.openSteps = 0;
    if (leaving > 0) this.dropOldestSteps(leaving);
    if (this.episodes.recomputeDue()) {
      let w = 0;
      for (let d = 0; d < this.distinct; d++) {
        const i = this.exposed[d]!;
        w += this.counts[i]! * this.clickLog[i]!;
      }
      this.weighted = w;
    }
  }

  coverage(): number {
    this.flush();
    return this.distinct / this.items;
  }

  diversity(): number {
    this.flush();
    const pairs = (this.k * (this.k - 1)) / 2;
    return pairs === 0 || this.steps === 0 ? 0 : this.pairSum / (this.steps * pairs);
  }

  gini(): number {
    this.flush();
    return this.totalExposures === 0 ? 0 : this.giniSum / (this.items * this.totalExposures);
  }

  novelty(): number {
    this.flush();
    return noveltyOf(this.totalClicks + this.items, this.weighted, this.totalExposures);
  }

  /** Counts the pending steps (a metric read after closeEpisode finds none: only this test is inlined there). */
  private flush(): void {
    if (this.pending !== 0) this.countPending();
  }

  /**
   * Counts the pending steps, oldest first. Per step: each slate item's exposure goes up (joining
   * the exposed set at its first; G as in the header), W gains log2(clicks_i + 1) per exposure,
   * then a click raises its item's count and W by x_i · (log2(clicks_i + 2) − log2(clicks_i + 1)).
   */
  private countPending(): void {
    const pending = this.pending;
    const { k, mask, slates, counts, clicks, clickLog, exposed, slot, atMost, log2Table, stepAction, stepClick, differingPairs } = this;
    const ranks = this.items + 1;
    let giniSum = this.giniSum;
    let weighted = this.weighted;
    let distinct = this.distinct;
    let pairSum = this.pairSum;
    let totalClicks = this.totalClicks;
    for (let t = this.head + this.steps - pending, end = this.head + this.steps; t < end; t++) {
      const at = t & mask;
      const action = stepAction[at]!;
      for (let o = action * k, last = o + k; o < last; o++) {
        const item = slates[o]!;
        const v = counts[item]!;
        if (v === 0) {
          slot[item] = distinct;
          exposed[distinct++] = item;
        }
        counts[item] = v + 1;
        giniSum += 2 * atMost[v]! - ranks;
        atMost[v]!--;
        weighted += clickLog[item]!;
      }
      const clicked = stepClick[at]!;
      if (clicked >= 0) {
        const c = clicks[clicked]!;
        const log = log2Table[c + 2]!;
        weighted += counts[clicked]! * (log - clickLog[clicked]!);
        clickLog[clicked] = log;
        clicks[clicked] = c + 1;
        totalClicks++;
      }
      pairSum += differingPairs[action]!;
    }
    this.totalExposures += pending * k;
    this.giniSum = giniSum;
    this.weighted = weighted;
    this.distinct = distinct;
    this.pairSum = pairSum;
    this.totalClicks = totalClicks;
    this.pending = 0;
  }

  /**
   * Takes the oldest n steps back out of the counts, oldest first: the inverse updates of flush's,
   * in the order the steps came (an item leaves the exposed set when its count reaches 0).
   */
  private dropOldestSteps(n: number): void {
    const { k, mask, slates, counts, clicks, clickLog, exposed, slot, atMost, log2Table, stepAction, stepClick, differingPairs } = this;
    const ranks = this.items + 1;
    let giniSum = this.giniSum;
    let weighted = this.weighted;
    let distinct = this.distinct;
    let pairSum = this.pairSum;
    let totalClicks = this.totalClicks;
    let head = this.head;
    for (let t = 0; t < n; t++) {
      const action = stepAction[head]!;
      const clicked = stepClick[head]!;
      head = (head + 1) & mask;
      for (let o = action * k, last = o + k; o < last; o++) {
        const item = slates[o]!;
        const v = counts[item]!;
        counts[item] = v - 1;
        if (v === 1) {
          // Swap-remove from the dense set.
          const at = slot[item]!;
          const moved = exposed[--distinct]!;
          exposed[at] = moved;
          slot[moved] = at;
          slot[item] = -1;
        }
        giniSum -= 2 * atMost[v - 1]! + 2 - ranks;
        atMost[v - 1]!++;
        weighted -= clickLog[item]!;
      }
      if (clicked >= 0) {
        const c = clicks[clicked]!;
        const log = log2Table[c]!;
        weighted -= counts[clicked]! * (clickLog[clicked]! - log);
        clickLog[clicked] = log;
        clicks[clicked] = c - 1;
        totalClicks--;
      }
      pairSum -= differingPairs[action]!;
    }
    this.totalExposures -= n * k;
    this.steps -= n;
    this.head = head;
    this.giniSum = giniSum;
    this.weighted = weighted;
    this.distinct = distinct;
    this.pairSum = pairSum;
    this.totalClicks = totalClicks;
  }

  /** Doubles the step ring, keeping its order, and the tables sized by it (rare: only while the window first fills). */
  /** A paused run's checkpoint: every field, as the walker would keep them. */
  [saveStateKey](): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>) };
  }

  /** Restores in place but for the ring's arrays, which take the checkpoint's length (the ring may have grown). */
  [loadStateKey](saved: SavedFields): void {
    const fields = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(this)) {
      const current = fields[key];
      if (GROWING.includes(key) || current === null || typeof current !== 'object') fields[key] = saved.value(key);
      else saved.into(key, current);
    }
  }

  private grow(): void {
    const cap = this.stepAction.length;
    const actions = new Int32Array(cap * 2);
    const clicks = new Int32Array(cap * 2);
    for (let t = 0; t < this.steps; t++) {
      actions[t] = this.stepAction[(this.head + t) & this.mask]!;
      clicks[t] = this.stepClick[(this.head + t) & this.mask]!;
    }
    this.stepAction = actions;
    this.stepClick = clicks;
    this.mask = cap * 2 - 1;
    this.head = 0;
    const atMost = new Int32Array(cap * 2 + 1).fill(this.items);
    atMost.set(this.atMost);
    this.atMost = atMost;
    this.log2Table = log2Table(cap * 2 + 2);
  }
}

/**
 * The steps of each episode in a window of `window` episodes, oldest first, as a ring; and when the
 * running sums are due an exact recomputation (every `window` episodes closed).
 */
export class EpisodeRing {
  private readonly steps: Int32Array;
  private head = 0;
  private count = 0;
  private closed = 0;

  constructor(private readonly window: number) {
    this.steps = new Int32Array(window + 1); // window + 1: a ring index wraps by one subtraction at most
  }

  clear(): void {
    this.head = this.count = this.closed = 0;
  }

  /** Closes an episode of `steps` steps; returns the steps of the episodes that leave the window. */
  close(steps: number): number {
    const ring = this.steps.length;
    const at = this.head + this.count;
    this.steps[at >= ring ? at - ring : at] = steps;
    this.count++;
    let leaving = 0;
    while (this.count > this.window) {
      leaving += this.steps[this.head]!;
      if (++this.head === ring) this.head = 0;
      this.count--;
    }
    return leaving;
  }

  /** Whether this close completes another `window` episodes since the last recomputation (ask once per close). */
  recomputeDue(): boolean {
    if (++this.closed < this.window) return false;
    this.closed = 0;
    return true;
  }
}

/**
 * Pairs counted already for a model's slates (model.ts counts them once per shop it caches and
 * hands each copy of the model its own here), taken by the first window built on those very arrays.
 */
const countedPairs = new WeakMap<Int32Array, { category: Int32Array; pairs: Int32Array }>();

/** Says that `slates` (with `category`) has `pairs` as differingPairs would count them: the next count of these arrays takes a copy. */
export function knownPairs(category: Int32Array, slates: Int32Array, pairs: Int32Array): void {
  countedPairs.set(slates, { category, pairs });
}

/** Item pairs in different categories, per action's slate (throws on a slate that shows an item twice). */
export function differingPairs(category: Int32Array, slates: Int32Array, slateSize: number): Int32Array {
  const known = countedPairs.get(slates);
  if (known !== undefined) {
    // Once: a checkpoint restored into the environment may write other slates into these arrays.
    countedPairs.delete(slates);
    if (known.category === category && known.pairs.length * slateSize === slates.length) return known.pairs.slice();
  }
  const actions = slates.length / slateSize;
  const pairs = new Int32Array(actions);
  // All pairs but those within a category, C(k, 2) − Σ_c C(n_c, 2), counted in one pass over each
  // slate: comparing every pair took O(actions · slateSize²), 5·10⁸ steps (seconds) for 100,000
  // items × 100. inCategory[c] counts the slate's items of category c so far, valid while
  // categoryAt[c] is the action; inSlate[item] is the action whose slate last showed the item.
  let categories = 0;
  for (let i = 0; i < category.length; i++) categories = Math.max(categories, category[i]! + 1);
  const inCategory = new Int32Array(categories);
  const categoryAt = new Int32Array(categories).fill(-1);
  const inSlate = new Int32Array(category.length).fill(-1);
  const all = (slateSize * (slateSize - 1)) / 2;
  for (let a = 0; a < actions; a++) {
    let same = 0;
    for (let x = a * slateSize, end = x + slateSize; x < end; x++) {
      const item = slates[x]!;
      if (inSlate[item] === a) throw shownTwice(a, item);
      inSlate[item] = a;
      const c = category[item]!;
      if (categoryAt[c] === a) {
        same += inCategory[c]!++;
      } else {
        categoryAt[c] = a;
        inCategory[c] = 1;
      }
    }
    pairs[a] = all - same;
  }
  return pairs;
}

function shownTwice(action: number, item: number): RangeError {
  return new RangeError(`ExposureWindow: action ${action}'s slate shows item ${item} twice (the counts assume distinct items)`);
}

/** log2 of 0..size − 1 (entry 0 is −Infinity, never read). */
export function log2Table(size: number): Float64Array {
  return Float64Array.from({ length: size }, (_, n) => Math.log2(n));
}

/**
 * novelty = log2(clicks + n) − W / T from the window's running sums (T exposures; 0 without any).
 * W's running sum drifts by rounding, either way: below 0 is impossible (every pop_i ≤ 1), and a
 * value within 1e-9 of the log's size is that drift, not novelty (one item: 2.2e-16, shown as
 * 3.33e-17 in a mean where it is exactly 0), so both read 0. The JavaScript window and the
 * WebAssembly one (wasm/window.ts) both end here, so they agree.
 */
export function noveltyOf(clicksPlusItems: number, weighted: number, exposures: number): number {
  if (exposures === 0) return 0;
  const log = Math.log2(clicksPlusItems);
  const novelty = log - weighted / exposures;
  return novelty <= 1e-9 * log ? 0 : novelty;
}
