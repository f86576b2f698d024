/**
 * The shop's ExposureWindow loops (src/engine/envs/shop/metrics.ts) as WebAssembly: countPending,
 * dropOldestSteps and the exact recomputation of W, the same updates in the same order on the same
 * doubles (f64 adds and multiplies are IEEE 754 here as in JavaScript), so the metrics are
 * bit-identical to the JavaScript window's. The host (src/engine/wasm/window.ts) lays out the
 * arrays in the memory it gives the instance and keeps the window's bookkeeping (head, steps,
 * pending, the episode ring); the running sums live in the header, where it reads them.
 *
 * Header (at `header`): giniSum f64 @0, weighted f64 @8, pairSum f64 @16, distinct i32 @24,
 * totalClicks i32 @28. Per item i, at items + 16 i: count, slot in `exposed` (−1: none), clicks;
 * item n's slot and exposed[n] are scratch entries (see count and drop).
 */

let header: usize = 0;
let slates: usize = 0;
let pairs: usize = 0;
let items: usize = 0;
let exposed: usize = 0;
let clickLog: usize = 0;
let ring: usize = 0;
let atMost: usize = 0;
let log2: usize = 0;
let k: i32 = 0;
let ranks: i32 = 0;
let mask: i32 = 0;
/** n: the scratch item slot and exposed-set entry that the branch-free set updates write to when they do not apply. */
let scratch: i32 = 0;

/** The first byte the host may use. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

/** Where the arrays are (byte addresses), the slate size, n + 1 and the ring's mask (capacity − 1). */
export function layout(
  headerAt: usize, slatesAt: usize, pairsAt: usize, itemsAt: usize, exposedAt: usize, clickLogAt: usize,
  ringAt: usize, atMostAt: usize, log2At: usize, slateSize: i32, n: i32, ringMask: i32,
): void {
  header = headerAt;
  slates = slatesAt;
  pairs = pairsAt;
  items = itemsAt;
  exposed = exposedAt;
  clickLog = clickLogAt;
  ring = ringAt;
  atMost = atMostAt;
  log2 = log2At;
  k = slateSize;
  ranks = n + 1;
  scratch = n;
  mask = ringMask;
}

/** countPending: the steps t = from .. end − 1 of the ring (indices & mask), oldest first. */
export function count(from: i32, end: i32): void {
  let giniSum = load<f64>(header, 0);
  let weighted = load<f64>(header, 8);
  let pairSum = load<f64>(header, 16);
  let distinct = load<i32>(header, 24);
  let totalClicks = load<i32>(header, 28);
  for (let t = from; t < end; t++) {
    const at = ring + (<usize>(t & mask) << 3);
    const action = load<i32>(at);
    for (let o = action * k, last = o + k; o < last; o++) {
      const item = load<i32>(slates + (<usize>o << 2));
      const x = items + (<usize>item << 4);
      const v = load<i32>(x);
      // Joins the exposed set at its first exposure, without a branch (it would be mispredicted
      // often): exposed[distinct] is written either way (past the set's end, or scratch entry n).
      const joins = <i32>(v == 0);
      store<i32>(exposed + (<usize>distinct << 2), item);
      store<i32>(x, select<i32>(distinct, load<i32>(x, 4), joins), 4);
      distinct += joins;
      store<i32>(x, v + 1);
      const a = atMost + (<usize>v << 2);
      const c = load<i32>(a);
      giniSum += <f64>(2 * c - ranks);
      store<i32>(a, c - 1);
      weighted += load<f64>(clickLog + (<usize>item << 3));
    }
    const clicked = load<i32>(at, 4);
    if (clicked >= 0) {
      const x = items + (<usize>clicked << 4);
      const c = load<i32>(x, 8);
      const log = load<f64>(log2 + (<usize>(c + 2) << 3));
      const l = clickLog + (<usize>clicked << 3);
      weighted += <f64>load<i32>(x) * (log - load<f64>(l));
      store<f64>(l, log);
      store<i32>(x, c + 1, 8);
      totalClicks++;
    }
    pairSum += <f64>load<i32>(pairs + (<usize>action << 2));
  }
  store<f64>(header, giniSum, 0);
  store<f64>(header, weighted, 8);
  store<f64>(header, pairSum, 16);
  store<i32>(header, distinct, 24);
  store<i32>(header, totalClicks, 28);
}

/** dropOldestSteps: takes the n steps from ring index `head` back out, oldest first; returns the new head. */
export function drop(head: i32, n: i32): i32 {
  let giniSum = load<f64>(header, 0);
  let weighted = load<f64>(header, 8);
  let pairSum = load<f64>(header, 16);
  let distinct = load<i32>(header, 24);
  let totalClicks = load<i32>(header, 28);
  for (let t = 0; t < n; t++) {
    const at = ring + (<usize>head << 3);
    const action = load<i32>(at);
    const clicked = load<i32>(at, 4);
    head = (head + 1) & mask;
    for (let o = action * k, last = o + k; o < last; o++) {
      const item = load<i32>(slates + (<usize>o << 2));
      const x = items + (<usize>item << 4);
      const v = load<i32>(x);
      store<i32>(x, v - 1);
      // Swap-remove from the dense set when the count reaches 0, without a branch: otherwise the
      // same stores go to scratch entries (exposed[n], item n's slot) and the item keeps its slot.
      const leaves = <i32>(v == 1);
      const slot = load<i32>(x, 4);
      distinct -= leaves;
      const moved = load<i32>(exposed + (<usize>distinct << 2));
      store<i32>(exposed + (<usize>select<i32>(slot, scratch, leaves) << 2), moved);
      store<i32>(items + (<usize>select<i32>(moved, scratch, leaves) << 4), slot, 4);
      store<i32>(x, select<i32>(-1, slot, leaves), 4);
      const a = atMost + (<usize>(v - 1) << 2);
      const c = load<i32>(a);
      giniSum -= <f64>(2 * c + 2 - ranks);
      store<i32>(a, c + 1);
      weighted -= load<f64>(clickLog + (<usize>item << 3));
    }
    if (clicked >= 0) {
      const x = items + (<usize>clicked << 4);
      const c = load<i32>(x, 8);
      const log = load<f64>(log2 + (<usize>c << 3));
      const l = clickLog + (<usize>clicked << 3);
      weighted -= <f64>load<i32>(x) * (load<f64>(l) - log);
      store<f64>(l, log);
      store<i32>(x, c - 1, 8);
      totalClicks--;
    }
    pairSum -= <f64>load<i32>(pairs + (<usize>action << 2));
  }
  store<f64>(header, giniSum, 0);
  store<f64>(header, weighted, 8);
  store<f64>(header, pairSum, 16);
  store<i32>(header, distinct, 24);
  store<i32>(header, totalClicks, 28);
  return head;
}

/** W = Σ x_i · log2(clicks_i + 1) over the exposed set, in its order, from 0. */
export function recompute(): void {
  const distinct = load<i32>(header, 24);
  let w: f64 = 0;
  for (let d = 0; d < distinct; d++) {
    const i = load<i32>(exposed + (<usize>d << 2));
    w += <f64>load<i32>(items + (<usize>i << 4)) * load<f64>(clickLog + (<usize>i << 3));
  }
  store<f64>(header, w, 8);
}
