// The shop's per-run metrics over a trailing window: coverage, intra-slate diversity, exposure Gini
// and novelty, on hand-made exposures and against a from-scratch recomputation of random windows.
import { describe, expect, it } from 'vitest';
import { createShopEnv } from '../../src/engine/envs/shop';
import { ExposureWindow } from '../../src/engine/envs/shop/metrics';
import { Rng } from '../../src/engine/rng';
import { WasmExposureWindow, createEpisodeWindow } from '../../src/engine/wasm/window';

/** n items in `categories` categories, one-item slates: action i shows item i. */
function single(n: number, window = 100, categories = n): ExposureWindow {
  const category = Int32Array.from({ length: n }, (_, i) => i % categories);
  return new ExposureWindow(category, Int32Array.from({ length: n }, (_, i) => i), 1, window, 4);
}

/** Gini by its definition, mean absolute difference over twice the mean: Σ_i Σ_j |x_i − x_j| / (2 n² μ). */
function giniByDefinition(x: readonly number[]): number {
  const n = x.length;
  const total = x.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let sum = 0;
  for (const a of x) for (const b of x) sum += Math.abs(a - b);
  return sum / (2 * n * total);
}

describe('ExposureWindow', () => {
  it('Gini: 0 for equal exposure, (n − 1)/n for all exposure on one item, 0 before anything is shown', () => {
    const w = single(5);
    expect(w.gini()).toBe(0);
    for (let r = 0; r < 3; r++) for (let i = 0; i < 5; i++) w.record(i, -1);
    w.closeEpisode();
    expect(w.gini()).toBeCloseTo(0, 14);
    const one = single(5);
    for (let r = 0; r < 7; r++) one.record(2, -1);
    one.closeEpisode();
    expect(one.gini()).toBeCloseTo(4 / 5, 14);
  });

  it('Gini: the sorted sum (few items, many exposures each) equals the definition', () => {
    // 6 of 40 items shown 40–400 times: few exposed items with large counts take the sorted path.
    const w = single(40, 1000);
    const counts = [400, 40, 120, 120, 333, 41];
    counts.forEach((c, i) => {
      for (let r = 0; r < c; r++) w.record(i * 7, -1);
    });
    w.closeEpisode();
    const exposure = Array.from({ length: 40 }, (_, i) => (i % 7 === 0 && i / 7 < counts.length ? counts[i / 7]! : 0));
    expect(w.gini()).toBeCloseTo(giniByDefinition(exposure), 12);
    expect(w.gini()).toBeGreaterThan(0.3);
  });

  it('Gini: the sum kept per exposure equals the definition as counts rise and fall past the ring\'s first capacity', () => {
    // Two items take turns being shown in long runs, so their counts cross, tie and fall back.
    const w = single(6, 3);
    const shown: number[][] = [];
    for (let e = 0; e < 12; e++) {
      const steps = Array.from({ length: 5 + ((e * 7) % 11) }, (_, t) => (t % 3 === 0 ? e % 6 : (e + t) % 2));
      steps.forEach((a) => w.record(a, -1));
      w.closeEpisode();
      shown.push(steps);
      const exposure = new Array<number>(6).fill(0);
      for (const a of shown.slice(-3).flat()) exposure[a]!++;
      expect(w.gini()).toBeCloseTo(giniByDefinition(exposure), 12);
    }
  });

  it('refuses a slate that shows an item twice (the counts assume distinct items)', () => {
    expect(() => new ExposureWindow(Int32Array.from([0, 1]), Int32Array.from([0, 1, 1, 1]), 2, 10)).toThrow(/shows item 1 twice/);
  });

  it('coverage counts the distinct items shown, over the catalog', () => {
    const w = single(8);
    [0, 3, 3, 5].forEach((a) => w.record(a, -1));
    w.closeEpisode();
    expect(w.coverage()).toBe(3 / 8);
  });

  it('novelty is the mean −log2 click popularity (add-one smoothed) of what was shown', () => {
    // Exposures (2, 1, 1, 0); clicks (1, 0, 0, 0): pop_i = (clicks_i + 1) / (1 + 4).
    const w = single(4);
    w.record(0, 0);
    w.record(0, -1);
    w.record(1, -1);
    w.record(2, -1);
    w.closeEpisode();
    const pop = [2 / 5, 1 / 5, 1 / 5];
    const expected = (2 * -Math.log2(pop[0]!) + -Math.log2(pop[1]!) + -Math.log2(pop[2]!)) / 4;
    expect(w.novelty()).toBeCloseTo(expected, 14);
    // Nothing clicked: every item has popularity 1/n, so novelty is log2 n.
    const quiet = single(16);
    [1, 5, 5, 9].forEach((a) => quiet.record(a, -1));
    expect(quiet.novelty()).toBeCloseTo(4, 14);
  });

  it('novelty of a one-item catalog is exactly 0 in both windows, not the running sums\' rounding (2.2e-16 was stored)', () => {
    const category = Int32Array.from([0]);
    const slates = Int32Array.from([0]);
    const windows = [new ExposureWindow(category, slates, 1, 5, 8), createEpisodeWindow(category, slates, 1, 5, 8)];
    const rng = new Rng(11, 0);
    for (let e = 0; e < 40; e++) {
      const steps = 1 + rng.int(6);
      const clicks = Array.from({ length: steps }, () => (rng.next() < 0.5 ? 0 : -1));
      for (const w of windows) {
        for (const click of clicks) w.record(0, click);
        w.closeEpisode();
        expect(Object.is(w.novelty(), 0), `episode ${e}: ${w.novelty()}`).toBe(true);
      }
    }
    // Two items, one shown more than its clicks make popular: novelty above 0, as it was.
    const two = single(2);
    two.record(0, -1);
    two.record(1, 1);
    two.closeEpisode();
    expect(two.novelty()).toBeGreaterThan(0.1);
  });

  it('diversity is the share of slate item pairs in different categories, averaged over slates', () => {
    // Items 0, 1, 3 in category 0, item 2 in category 1; action 0 shows (0, 1, 2): 2 of 3 pairs differ; action 1 shows (0, 1, 3): none.
    const category = Int32Array.from([0, 0, 1, 0]);
    const w = new ExposureWindow(category, Int32Array.from([0, 1, 2, 0, 1, 3]), 3, 10);
    w.record(0, -1);
    w.record(1, -1);
    w.closeEpisode();
    expect(w.diversity()).toBeCloseTo((2 / 3 + 0) / 2, 14);
    expect(single(3).diversity()).toBe(0);
  });

  it('keeps exactly the last `window` episodes: every metric equals a recomputation from scratch', () => {
    const n = 12;
    const k = 2;
    const windowEpisodes = 7;
    const category = Int32Array.from({ length: n }, (_, i) => i % 3);
    const slates = Int32Array.from({ length: n * k }, (_, x) => (x % k === 0 ? (x / k) | 0 : ((x - 1) / k + 5) % n));
    const w = new ExposureWindow(category, slates, k, windowEpisodes, 2); // a tiny ring, to exercise growth
    const rng = new Rng(11, 0);
    const episodes: { action: number; click: number }[][] = [];
    for (let e = 0; e < 60; e++) {
      const steps: { action: number; click: number }[] = [];
      // Skewed actions, so some counts grow large and others stay 0.
      const length = 1 + rng.int(9);
      for (let t = 0; t < length; t++) {
        const action = rng.next() < 0.6 ? rng.int(3) : rng.int(n);
        const click = rng.next() < 0.3 ? slates[action * k + rng.int(k)]! : -1;
        steps.push({ action, click });
        w.record(action, click);
      }
      w.closeEpisode();
      episodes.push(steps);
      const recent = episodes.slice(-windowEpisodes).flat();
      const exposure = new Array<number>(n).fill(0);
      const clicks = new Array<number>(n).fill(0);
      let differing = 0;
      for (const { action, click } of recent) {
        for (let j = 0; j < k; j++) exposure[slates[action * k + j]!]!++;
        if (click >= 0) clicks[click]!++;
        if (category[slates[action * k]!] !== category[slates[action * k + 1]!]) differing++;
      }
      const total = recent.length * k;
      const totalClicks = clicks.reduce((a, b) => a + b, 0);
      const novelty = exposure.reduce((acc, x, i) => acc + x * -Math.log2((clicks[i]! + 1) / (totalClicks + n)), 0) / total;
      expect(w.coverage()).toBeCloseTo(exposure.filter((x) => x > 0).length / n, 14);
      expect(w.gini()).toBeCloseTo(giniByDefinition(exposure), 12);
      expect(w.novelty()).toBeCloseTo(novelty, 12);
      expect(w.diversity()).toBeCloseTo(differing / recent.length, 12);
      expect([...w.exposures]).toEqual(exposure);
    }
  });
});

describe('the window on WebAssembly', () => {
  it('is the one the shop uses here, and gives the JavaScript window’s metrics bit for bit (growth, eviction, clear)', () => {
    for (const [n, k, windowEpisodes, initialSteps] of [[12, 2, 7, 2], [30, 1, 3, 1], [9, 3, 40, 8], [5, 1, 1, 4]] as const) {
      const category = Int32Array.from({ length: n }, (_, i) => i % 3);
      const slates = Int32Array.from({ length: n * k }, (_, x) => ((x % k) * 4 + Math.floor(x / k)) % n);
      const js = new ExposureWindow(category, slates, k, windowEpisodes, initialSteps);
      const wasm = createEpisodeWindow(category, slates, k, windowEpisodes, initialSteps);
      expect(wasm).toBeInstanceOf(WasmExposureWindow);
      const rng = new Rng(n * 100 + k, 0);
      for (let e = 0; e < 300; e++) {
        if (e === 150) {
          js.clear();
          wasm.clear();
        }
        const length = 1 + rng.int(12);
        for (let t = 0; t < length; t++) {
          const action = rng.next() < 0.6 ? rng.int(2) : rng.int(n);
          const click = rng.next() < 0.4 ? slates[action * k + rng.int(k)]! : -1;
          js.record(action, click);
          wasm.record(action, click);
        }
        // Read mid-episode now and then (a flush without a close), as a reset before the end does.
        if (e % 5 === 0) expect(wasm.novelty()).toBe(js.novelty());
        js.closeEpisode();
        wasm.closeEpisode();
        for (const m of ['coverage', 'diversity', 'gini', 'novelty'] as const) expect(Object.is(wasm[m](), js[m]())).toBe(true);
        expect([...wasm.exposures]).toEqual([...js.exposures]);
      }
    }
  });

  it('refuses a slate that shows an item twice, as the JavaScript window does', () => {
    expect(() => createEpisodeWindow(new Int32Array(3), Int32Array.of(0, 1, 2, 2), 2, 10)).toThrow(/shows item 2 twice/);
  });
});

describe('the shop’s episode metrics', () => {
  it('reports clicks, purchases, revenue, CTR (clicks per slate), conversion (purchases per click) and the window metrics', () => {
    const env = createShopEnv({ items: 10, categories: 2, slateSize: 3, maxSteps: 30, metricsWindow: 5 });
    expect(env.episodeMetricNames).toEqual(['clicks', 'purchases', 'revenue', 'ctr', 'conversion', 'coverage', 'diversity', 'gini', 'novelty']);
    const out = new Float64Array(9);
    env.reset(3);
    for (let episode = 0; episode < 20; episode++) {
      let steps = 0;
      for (;;) {
        steps++;
        const r = env.step((episode + steps) % 10);
        if (r.terminated || r.truncated) break;
      }
      env.episodeMetrics(out, 0);
      const s = env.session();
      expect(out[0]).toBe(s.clicks);
      expect(out[1]).toBe(s.purchases);
      expect(out[2]).toBeCloseTo(s.revenue, 12);
      expect(out[3]).toBeCloseTo(s.clicks / steps, 14);
      expect(out[4]).toBeCloseTo(s.clicks > 0 ? s.purchases / s.clicks : 0, 14);
      for (const m of out.subarray(5)) expect(Number.isFinite(m)).toBe(true);
      expect(out[5]).toBeGreaterThan(0);
      env.reset();
    }
  });
});
