/**
 * The distinct (key, reward, weight) rows of the logs, numbered in the order first seen, with how
 * many rows each stands for: sampler.ts's Units groups identical rows with it. One open-addressing
 * hash table over typed arrays, grown by doubling: the nested Maps it replaces (key → reward →
 * weight → group) took a Map per distinct (key, reward), ~200 MB before Units gave up grouping
 * 6.4M rows of distinct rewards (at 800,000 groups), where these arrays take ~40 MB there.
 */

/** Values are equal as a Map's keys are (SameValueZero): −0 is 0, and NaN is NaN. */
const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** The hash of x mixed into h, equal for values `same` holds equal. */
function mix(h: number, x: number): number {
  scratch[0] = x === 0 ? 0 : x !== x ? NaN : x;
  h = Math.imul(h ^ scratchWords[0]!, 0x9e3779b1);
  h = Math.imul(h ^ scratchWords[1]!, 0x85ebca6b);
  return h ^ (h >>> 15);
}

const hashOf = (key: number, reward: number, weight: number): number => mix(mix(mix(0x2545f491, key), reward), weight);

export class RowGroups {
  /** Per group, in the order first seen: its key, reward and weight (as first seen), and its rows. */
  key: Float64Array;
  reward: Float64Array;
  weight: Float64Array;
  count: Float64Array;
  /** How many groups. */
  size = 0;
  /** Group + 1 per slot, 0 where empty: twice the groups' capacity (64 at first, doubled), so at most half full. */
  private table: Int32Array;

  constructor() {
    const capacity = 64;
    this.key = new Float64Array(capacity);
    this.reward = new Float64Array(capacity);
    this.weight = new Float64Array(capacity);
    this.count = new Float64Array(capacity);
    this.table = new Int32Array(2 * capacity);
  }

  /** Counts a row in its group (a new group if none matches) and returns the group. */
  add(key: number, reward: number, weight: number): number {
    const mask = this.table.length - 1;
    let slot = hashOf(key, reward, weight) & mask;
    for (;;) {
      const entry = this.table[slot]!;
      if (entry === 0) break;
      const g = entry - 1;
      if (this.key[g] === key && same(this.reward[g]!, reward) && same(this.weight[g]!, weight)) {
        this.count[g]!++;
        return g;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size === this.key.length) {
      this.grow();
      return this.add(key, reward, weight);
    }
    const g = this.size++;
    this.table[slot] = g + 1;
    this.key[g] = key;
    this.reward[g] = reward;
    this.weight[g] = weight;
    this.count[g] = 1;
    return g;
  }

  /** Twice the capacity: the groups' columns copied, the table rebuilt. */
  private grow(): void {
    const capacity = 2 * this.key.length;
    const wider = (from: Float64Array) => {
      const to = new Float64Array(capacity);
      to.set(from);
      return to;
    };
    this.key = wider(this.key);
    this.reward = wider(this.reward);
    this.weight = wider(this.weight);
    this.count = wider(this.count);
    this.table = new Int32Array(2 * capacity);
    const mask = this.table.length - 1;
    for (let g = 0; g < this.size; g++) {
      let slot = hashOf(this.key[g]!, this.reward[g]!, this.weight[g]!) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = g + 1;
    }
  }
}
