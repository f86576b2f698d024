/**
 * The shop's exposure window on WebAssembly (./assembly-window): the same bookkeeping as
 * ExposureWindow (src/engine/envs/shop/metrics.ts, whose header explains the method), with its two
 * loops, countPending and dropOldestSteps, and the exact recomputation of W run by the kernel: the
 * same updates in the same order on the same doubles, so every metric is bit-identical. In V8 the
 * JavaScript loops pay a map check, a length and a base pointer per typed-array access and spill
 * their many live values; the kernel's loads are plain. The host keeps the ring's bookkeeping and
 * writes each step into the kernel's memory (record() stays a few stores, inlined into the step);
 * the kernel runs once per episode. Where the kernel is missing (built without AssemblyScript), or
 * WebAssembly does not run, createEpisodeWindow gives the JavaScript window.
 */
import { EpisodeRing, ExposureWindow, differingPairs, log2Table, noveltyOf, type EpisodeWindow } from '../envs/shop/metrics';
import { MemoryLayout, PAGE_BYTES, align, compileKernel, type CompiledKernel } from './kernel';
import { windowKernel } from './generated/window.wasm';
import { loadStateKey, saveStateKey, type CustomState, type SavedFields } from '../resume/state-tree';

interface WindowExports {
  layout(header: number, slates: number, pairs: number, items: number, exposed: number, clickLog: number, ring: number, atMost: number, log2: number, k: number, n: number, mask: number): void;
  count(from: number, end: number): void;
  drop(head: number, n: number): number;
  recompute(): void;
}

let compiled: CompiledKernel | string | undefined;

/** The shop's window: on the kernel where it runs, else the JavaScript one (same metrics, bit for bit). */
export function createEpisodeWindow(category: Int32Array, slates: Int32Array, slateSize: number, window: number, initialSteps = 4096): EpisodeWindow {
  compiled ??= compileKernel(windowKernel, 'window');
  if (typeof compiled === 'string') return new ExposureWindow(category, slates, slateSize, window, initialSteps);
  return new WasmExposureWindow(compiled.module, compiled.heapBase, category, slates, slateSize, window, initialSteps);
}

export class WasmExposureWindow implements EpisodeWindow, CustomState {
  private readonly x: WindowExports;
  private readonly memory: WebAssembly.Memory;
  private readonly items: number;
  private readonly k: number;
  // Byte addresses of the fixed arrays; the ring, atMost and the log2 table move when the ring grows.
  private readonly headerAt: number;
  private readonly slatesAt: number;
  private readonly pairsAt: number;
  private readonly itemsAt: number;
  private readonly exposedAt: number;
  private readonly clickLogAt: number;
  private ringAt = 0;
  private atMostAt = 0;
  private log2At = 0;
  /** The next free byte. */
  private top: number;
  // Views (renewed when the memory grows): the ring, and the header's sums and counts.
  private ring: Int32Array;
  private sums: Float64Array;
  private counts: Int32Array;
  private mask = 0;
  private head = 0;
  private steps = 0;
  private pending = 0;
  private readonly episodes: EpisodeRing;
  private openSteps = 0;
  private totalExposures = 0;

  constructor(
    module: WebAssembly.Module,
    heapBase: number,
    category: Int32Array,
    slates: Int32Array,
    slateSize: number,
    window: number,
    initialSteps: number,
  ) {
    this.items = category.length;
    this.k = slateSize;
    const pairs = differingPairs(category, slates, slateSize);
    const actions = pairs.length;
    let capacity = 1;
    while (capacity < initialSteps) capacity *= 2;
    const n = this.items;
    const layout = new MemoryLayout(heapBase);
    this.headerAt = layout.take(32);
    this.slatesAt = layout.take(slates.length * 4);
    this.pairsAt = layout.take(actions * 4);
    // One more item and exposed entry: the kernel's scratch entries (n).
    this.itemsAt = layout.take((n + 1) * 16);
    this.exposedAt = layout.take((n + 1) * 4);
    this.clickLogAt = layout.take(n * 8);
    this.top = layout.end;
    const need = this.top + align(capacity * 8) + align((capacity + 1) * 4) + align((capacity + 2) * 8);
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(need / PAGE_BYTES) });
    this.x = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as WindowExports;
    const buffer = this.memory.buffer;
    new Int32Array(buffer, this.slatesAt, slates.length).set(slates);
    new Int32Array(buffer, this.pairsAt, actions).set(pairs);
    this.episodes = new EpisodeRing(window);
    this.ring = this.sums = this.counts = null as never;
    this.place(capacity);
    this.clear();
  }

  /** Lays out a ring of `capacity` steps with its atMost and log2 tables at the top, and renews the views. */
  private place(capacity: number): void {
    this.ringAt = this.top;
    this.atMostAt = this.ringAt + align(capacity * 8);
    this.log2At = this.atMostAt + align((capacity + 1) * 4);
    this.top = this.log2At + align((capacity + 2) * 8);
    this.reserve(this.top);
    this.mask = capacity - 1;
    new Float64Array(this.memory.buffer, this.log2At, capacity + 2).set(log2Table(capacity + 2));
    this.useLayout();
  }

  /** Grows the memory to hold `bytes`. */
  private reserve(bytes: number): void {
    const short = bytes - this.memory.buffer.byteLength;
    if (short > 0) this.memory.grow(Math.ceil(short / PAGE_BYTES));
  }

  /** Renews the views and tells the kernel where everything is (after the ring moved, or a restore). */
  private useLayout(): void {
    const buffer = this.memory.buffer;
    this.ring = new Int32Array(buffer, this.ringAt, (this.mask + 1) * 2);
    this.sums = new Float64Array(buffer, this.headerAt, 3);
    this.counts = new Int32Array(buffer, this.headerAt + 24, 2);
    this.x.layout(this.headerAt, this.slatesAt, this.pairsAt, this.itemsAt, this.exposedAt, this.clickLogAt, this.ringAt, this.atMostAt, this.log2At, this.k, this.items, this.mask);
  }

  /**
   * A paused run's checkpoint: the kernel's memory up to the last byte in use but for the slates and
   * their pair counts, which the constructor writes and nothing changes (a shop of 100,000 items
   * with slates of 100: 40 MB), as `memory` (below them) and `live` (above them); the addresses into
   * it and the counters.
   */
  [saveStateKey](): Record<string, unknown> {
    const { ringAt, atMostAt, log2At, top, mask, head, steps, pending, openSteps, totalExposures, episodes } = this;
    const buffer = this.memory.buffer;
    const live = new Uint8Array(buffer, this.itemsAt, top - this.itemsAt);
    return { memory: new Uint8Array(buffer, 0, this.slatesAt), live, ringAt, atMostAt, log2At, top, mask, head, steps, pending, openSteps, totalExposures, episodes };
  }

  /** Takes back a checkpoint; one written by an older Aisle has no `live`, its `memory` running up to `top` (its slates the same as these). */
  [loadStateKey](saved: SavedFields): void {
    const memory = saved.value('memory') as Uint8Array;
    const live = saved.has('live') ? (saved.value('live') as Uint8Array) : null;
    this.reserve(live ? this.itemsAt + live.length : memory.length);
    new Uint8Array(this.memory.buffer).set(memory);
    if (live) new Uint8Array(this.memory.buffer).set(live, this.itemsAt);
    this.ringAt = saved.value('ringAt') as number;
    this.atMostAt = saved.value('atMostAt') as number;
    this.log2At = saved.value('log2At') as number;
    this.top = saved.value('top') as number;
    this.mask = saved.value('mask') as number;
    this.head = saved.value('head') as number;
    this.steps = saved.value('steps') as number;
    this.pending = saved.value('pending') as number;
    this.openSteps = saved.value('openSteps') as number;
    this.totalExposures = saved.value('totalExposures') as number;
    saved.into('episodes', this.episodes);
    this.useLayout();
  }

  get exposures(): Int32Array {
    this.flush();
    const state = new Int32Array(this.memory.buffer, this.itemsAt, this.items * 4);
    return Int32Array.from({ length: this.items }, (_, i) => state[i * 4]!);
  }

  clear(): void {
    const buffer = this.memory.buffer;
    const state = new Int32Array(buffer, this.itemsAt, (this.items + 1) * 4);
    for (let i = 0; i <= this.items; i++) {
      state[i * 4] = state[i * 4 + 2] = 0;
      state[i * 4 + 1] = -1;
    }
    new Float64Array(buffer, this.clickLogAt, this.items).fill(0);
    new Int32Array(buffer, this.atMostAt, this.mask + 2).fill(this.items);
    this.sums.fill(0);
    this.counts.fill(0);
    this.episodes.clear();
    this.head = this.steps = this.pending = this.openSteps = this.totalExposures = 0;
  }

  record(action: number, clickedItem: number): void {
    if (this.steps > this.mask) this.grow();
    const at = ((this.head + this.steps) & this.mask) * 2;
    this.ring[at] = action;
    this.ring[at + 1] = clickedItem;
    this.steps++;
    this.pending++;
    this.openSteps++;
  }

  closeEpisode(): void {
    if (this.openSteps === 0) return;
    this.flush();
    const leaving = this.episodes.close(this.openSteps);
    this.openSteps = 0;
    if (leaving > 0) {
      this.head = this.x.drop(this.head, leaving);
      this.totalExposures -= leaving * this.k;
      this.steps -= leaving;
    }
    if (this.episodes.recomputeDue()) this.x.recompute();
  }

  coverage(): number {
    this.flush();
    return this.counts[0]! / this.items;
  }

  diversity(): number {
    this.flush();
    const pairs = (this.k * (this.k - 1)) / 2;
    return pairs === 0 || this.steps === 0 ? 0 : this.sums[2]! / (this.steps * pairs);
  }

  gini(): number {
    this.flush();
    return this.totalExposures === 0 ? 0 : this.sums[0]! / (this.items * this.totalExposures);
  }

  novelty(): number {
    this.flush();
    return noveltyOf(this.counts[1]! + this.items, this.sums[1]!, this.totalExposures);
  }

  private flush(): void {
    if (this.pending !== 0) this.countPending();
  }

  private countPending(): void {
    const end = this.head + this.steps;
    this.x.count(end - this.pending, end);
    this.totalExposures += this.pending * this.k;
    this.pending = 0;
  }

  /** Doubles the ring, keeping its order (rare: only while the window first fills). */
  private grow(): void {
    const cap = this.mask + 1;
    const buffer = this.memory.buffer;
    const steps = new Int32Array(this.steps * 2);
    for (let t = 0; t < this.steps; t++) {
      const from = ((this.head + t) & this.mask) * 2;
      steps[t * 2] = this.ring[from]!;
      steps[t * 2 + 1] = this.ring[from + 1]!;
    }
    const atMost = new Int32Array(buffer, this.atMostAt, cap + 1).slice();
    this.place(cap * 2);
    const next = this.memory.buffer;
    this.ring.set(steps);
    const table = new Int32Array(next, this.atMostAt, cap * 2 + 1);
    table.fill(this.items);
    table.set(atMost);
    this.head = 0;
  }
}
