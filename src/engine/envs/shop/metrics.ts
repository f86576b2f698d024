/**
 * The shop's catalogue-level metrics over a trailing window of episodes: coverage, intra-slate
 * diversity, the Gini coefficient of exposure, and novelty. The window keeps a ring of the steps of
 * its episodes (the action and the clicked item; an action's slate is fixed) and running counts
 * per item, added as steps happen and taken back as episodes leave the window, so a step costs a
 * few integer updates and nothing is allocated (the ring grows by doubling while it warms up).
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
 * The Gini sum runs over a histogram of exposure counts, so it costs O(largest count), not a sort,
 * unless few items share many exposures (a category-level shop: 8 items shown ~250 times each), where
 * sorting the exposed items' counts is cheaper; both sum the same integers, so they agree exactly.
 * novelty keeps W = Σ_i x_i · log2(clicks_i + 1) up to date (novelty = log2(clicks + n) − W / T) with
 * a table of logarithms, and recomputes W exactly once per `window` episodes so rounding cannot pile up.
 */

/** Up to this many exposed items, the Gini sum may sort their counts instead of scanning the histogram. */
const SORTED_GINI_ITEMS = 64;

export class ExposureWindow {
  readonly exposures: Int32Array;
  readonly clicks: Int32Array;
  private readonly items: number;
  private readonly k: number;
  /** Item pairs in different categories, per action. */
  private readonly differingPairs: Int32Array;
  // The ring of steps: action and clicked item (−1 for none).
  private stepAction: Int32Array;
  private stepClick: Int32Array;
  private head = 0;
  private steps = 0;
  // Steps of each episode in the window, oldest first, as a ring.
  private readonly episodeSteps: Int32Array;
  private episodeHead = 0;
  private episodes = 0;
  private openSteps = 0;
  // Items with exposures > 0, as a dense set; histogram of exposure counts.
  private readonly exposed: Int32Array;
  private readonly slot: Int32Array;
  private distinct = 0;
  private histogram = new Int32Array(64);
  /** Scratch for the sorted Gini sum (the exposed items' counts). */
  private readonly sorted: Int32Array;
  private maxCount = 0;
  private totalExposures = 0;
  private totalClicks = 0;
  private pairSum = 0;
  /** W = Σ_i x_i · log2(clicks_i + 1), and log2 of 0..length−1 (entry 0 unused). */
  private weighted = 0;
  private log2Table = Float64Array.from({ length: 64 }, (_, n) => Math.log2(n));
  private closedEpisodes = 0;

  constructor(
    category: Int32Array,
    private readonly slates: Int32Array,
    slateSize: number,
    private readonly window: number,
    initialSteps = 4096,
  ) {
    this.items = category.length;
    this.k = slateSize;
    const actions = slates.length / slateSize;
    this.differingPairs = new Int32Array(actions);
    for (let a = 0; a < actions; a++) {
      for (let x = 0; x < slateSize; x++) {
        for (let y = x + 1; y < slateSize; y++) if (category[slates[a * slateSize + x]!] !== category[slates[a * slateSize + y]!]) this.differingPairs[a]!++;
      }
    }
    this.exposures = new Int32Array(this.items);
    this.clicks = new Int32Array(this.items);
    this.exposed = new Int32Array(this.items);
    this.slot = new Int32Array(this.items).fill(-1);
    this.sorted = new Int32Array(this.items);
    this.stepAction = new Int32Array(initialSteps);
    this.stepClick = new Int32Array(initialSteps);
    this.episodeSteps = new Int32Array(window + 1);
  }

  /** Forgets everything (a reseeded run starts a fresh window). */
  clear(): void {
    this.exposures.fill(0);
    this.clicks.fill(0);
    this.slot.fill(-1);
    this.histogram.fill(0);
    this.head = this.steps = this.episodeHead = this.episodes = this.openSteps = 0;
    this.distinct = this.maxCount = this.totalExposures = this.totalClicks = this.pairSum = this.weighted = this.closedEpisodes = 0;
  }

  /** One step of the current episode: the action shown and the item clicked (−1 for none). */
  record(action: number, clickedItem: number): void {
    if (this.steps === this.stepAction.length) this.grow();
    const at = (this.head + this.steps) % this.stepAction.length;
    this.stepAction[at] = action;
    this.stepClick[at] = clickedItem;
    this.steps++;
    this.openSteps++;
    for (let j = 0, o = action * this.k; j < this.k; j++) this.expose(this.slates[o + j]!);
    if (clickedItem >= 0) {
      const c = this.clicks[clickedItem]!;
      this.weighted += this.exposures[clickedItem]! * (this.log2(c + 2) - this.log2(c + 1));
      this.clicks[clickedItem] = c + 1;
      this.totalClicks++;
    }
    this.pairSum += this.differingPairs[action]!;
  }

  /** Ends the current episode (if it had steps) and drops the oldest episode beyond the window. */
  closeEpisode(): void {
    if (this.openSteps === 0) return;
    this.episodeSteps[(this.episodeHead + this.episodes) % this.episodeSteps.length] = this.openSteps;
    this.episodes++;
    this.openSteps = 0;
    while (this.episodes > this.window) {
      const n = this.episodeSteps[this.episodeHead]!;
      this.episodeHead = (this.episodeHead + 1) % this.episodeSteps.length;
      this.episodes--;
      for (let t = 0; t < n; t++) this.dropOldestStep();
    }
    if (++this.closedEpisodes % this.window === 0) {
      let w = 0;
      for (let d = 0; d < this.distinct; d++) {
        const i = this.exposed[d]!;
        w += this.exposures[i]! * this.log2(this.clicks[i]! + 1);
      }
      this.weighted = w;
    }
  }

  coverage(): number {
    return this.distinct / this.items;
  }

  diversity(): number {
    const pairs = (this.k * (this.k - 1)) / 2;
    return pairs === 0 || this.steps === 0 ? 0 : this.pairSum / (this.steps * pairs);
  }

  gini(): number {
    const n = this.items;
    if (this.totalExposures === 0) return 0;
    let rank = n - this.distinct; // the zeros come first and add nothing
    let sum = 0;
    if (this.distinct <= SORTED_GINI_ITEMS && this.distinct * 8 < this.maxCount) {
      // Insertion sort of the few exposed counts, then Σ (2i − n − 1) · x_(i) item by item.
      const x = this.sorted;
      for (let d = 0; d < this.distinct; d++) {
        const v = this.exposures[this.exposed[d]!]!;
        let at = d;
        for (; at > 0 && x[at - 1]! > v; at--) x[at] = x[at - 1]!;
        x[at] = v;
      }
      for (let d = 0; d < this.distinct; d++) sum += x[d]! * (2 * ++rank - n - 1);
      return sum / (n * this.totalExposures);
    }
    for (let v = 1; v <= this.maxCount; v++) {
      const h = this.histogram[v]!;
      if (h === 0) continue;
      // Σ_{i = rank+1}^{rank+h} (2i − n − 1) = h · (2·rank + h − n)
      sum += v * h * (2 * rank + h - n);
      rank += h;
    }
    return sum / (n * this.totalExposures);
  }

  novelty(): number {
    if (this.totalExposures === 0) return 0;
    return Math.log2(this.totalClicks + this.items) - this.weighted / this.totalExposures;
  }

  /** log2 n for a count n ≥ 1, from the table (grown by doubling). */
  private log2(n: number): number {
    if (n >= this.log2Table.length) {
      let size = this.log2Table.length;
      while (size <= n) size *= 2;
      this.log2Table = Float64Array.from({ length: size }, (_, m) => Math.log2(m));
    }
    return this.log2Table[n]!;
  }

  private expose(item: number): void {
    const v = this.exposures[item]!;
    if (v > 0) this.histogram[v]!--;
    else {
      this.slot[item] = this.distinct;
      this.exposed[this.distinct++] = item;
    }
    this.exposures[item] = v + 1;
    if (v + 1 >= this.histogram.length) this.growHistogram(v + 1);
    this.histogram[v + 1]!++;
    if (v + 1 > this.maxCount) this.maxCount = v + 1;
    this.totalExposures++;
    this.weighted += this.log2(this.clicks[item]! + 1);
  }

  private unexpose(item: number): void {
    const v = this.exposures[item]!;
    this.histogram[v]!--;
    this.exposures[item] = v - 1;
    if (v > 1) this.histogram[v - 1]!++;
    else {
      // Swap-remove from the dense set.
      const at = this.slot[item]!;
      const last = this.exposed[--this.distinct]!;
      this.exposed[at] = last;
      this.slot[last] = at;
      this.slot[item] = -1;
    }
    while (this.maxCount > 0 && this.histogram[this.maxCount] === 0) this.maxCount--;
    this.totalExposures--;
    this.weighted -= this.log2(this.clicks[item]! + 1);
  }

  private dropOldestStep(): void {
    const action = this.stepAction[this.head]!;
    const clicked = this.stepClick[this.head]!;
    this.head = (this.head + 1) % this.stepAction.length;
    this.steps--;
    for (let j = 0, o = action * this.k; j < this.k; j++) this.unexpose(this.slates[o + j]!);
    if (clicked >= 0) {
      const c = this.clicks[clicked]!;
      this.weighted -= this.exposures[clicked]! * (this.log2(c + 1) - this.log2(c));
      this.clicks[clicked] = c - 1;
      this.totalClicks--;
    }
    this.pairSum -= this.differingPairs[action]!;
  }

  /** Doubles the step ring, keeping its order (rare: only while the window first fills). */
  private grow(): void {
    const cap = this.stepAction.length;
    const actions = new Int32Array(cap * 2);
    const clicks = new Int32Array(cap * 2);
    for (let t = 0; t < this.steps; t++) {
      actions[t] = this.stepAction[(this.head + t) % cap]!;
      clicks[t] = this.stepClick[(this.head + t) % cap]!;
    }
    this.stepAction = actions;
    this.stepClick = clicks;
    this.head = 0;
  }

  private growHistogram(needed: number): void {
    let size = this.histogram.length;
    while (size <= needed) size *= 2;
    const next = new Int32Array(size);
    next.set(this.histogram);
    this.histogram = next;
  }
}
