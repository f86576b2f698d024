import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_EPISODES, Store, type MetricRead } from '../../src/main/store';
import { benchMetricStore } from '../../src/main/store/bench-store';

const ZERO_HASH = '0'.repeat(64);

function newRun(store: Store, episodesTotal = 1_000_000): number {
  return store.createExperimentWithRuns({
    name: 'metrics',
    config: {},
    configHash: ZERO_HASH,
    runs: [{ seed: 1, config: {}, configHash: ZERO_HASH, appVersion: 'test', episodesTotal }],
  }).runs[0]!.id;
}

/** A deterministic noisy learning curve, already rounded to float32 as the store keeps it. */
function curve(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 10 * (1 - Math.exp(-i / 200_000)) + (s / 2 ** 32 - 0.5) * 4;
  }
  return out;
}

/** The min–max–mean buckets recomputed from the values written, by the documented rule. */
function expectedBuckets(values: Float32Array, firstEpisode: number, from: number, to: number, size: number) {
  const out = { episodes: [] as number[], mean: [] as number[], min: [] as number[], max: [] as number[] };
  for (let k = Math.floor(from / size); k * size < to; k++) {
    const lo = Math.max(k * size, from);
    const hi = Math.min((k + 1) * size, to);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let n = 0;
    for (let e = lo; e < hi; e++) {
      const v = values[e - firstEpisode]!;
      if (Number.isNaN(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      n++;
    }
    if (n === 0) continue;
    out.episodes.push((lo + hi - 1) / 2);
    out.mean.push(sum / n);
    out.min.push(min);
    out.max.push(max);
  }
  return out;
}

function expectMatches(read: MetricRead, values: Float32Array, firstEpisode = 0): void {
  const want = expectedBuckets(values, firstEpisode, read.from, read.to, read.bucketSize);
  expect(Array.from(read.episodes)).toEqual(want.episodes);
  expect(Array.from(read.min)).toEqual(want.min);
  expect(Array.from(read.max)).toEqual(want.max);
  expect(read.mean.length).toBe(want.mean.length);
  // Coarse buckets add stored per-chunk sums, so the order of additions may differ slightly.
  for (let i = 0; i < want.mean.length; i++) {
    expect(Math.abs(read.mean[i]! - want.mean[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.mean[i]!)));
  }
}

function sameFloats(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

let dir: string;

describe('a metric of 1,000,000 episodes', () => {
  const N = 1_000_000;
  const BATCH = 4_000;
  const written = curve(N);
  let store: Store;
  let runId: number;
  let file: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-metrics-'));
    file = path.join(dir, 'aisle.db');
    store = Store.open(file);
    runId = newRun(store);
    store.markRunning(runId);
    for (let start = 0; start < N; start += BATCH) {
      store.appendMetrics(runId, { start, count: BATCH, columns: { 'rollout/return': written.subarray(start, start + BATCH) } });
    }
  });
  afterAll(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('occupies a few MB on disk', () => {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.statSync(file).size;
    const blobBytes = store.db.prepare('SELECT sum(length(data)) FROM metric_chunks').pluck().get();
    console.log(`1M float32 episodes: ${(bytes / 2 ** 20).toFixed(2)} MiB file, ${blobBytes} bytes of values`);
    expect(blobBytes).toBe(4 * N);
    expect(bytes).toBeLessThan(6 * 2 ** 20);
    // Filled cells were merged into one chunk each.
    expect(store.db.prepare('SELECT count(*) FROM metric_chunks').pluck().get()).toBe(Math.ceil(N / CHUNK_EPISODES));
    expect(store.getRun(runId).episodesDone).toBe(N);
  });

  it('reads back exactly the float32 values written', () => {
    expect(sameFloats(store.readMetricRaw(runId, 'rollout/return'), written)).toBe(true);
    expect(sameFloats(store.readMetricRaw(runId, 'rollout/return', { from: 4095, to: 8193 }), written.subarray(4095, 8193))).toBe(true);
    expect(sameFloats(store.readMetricTail(runId, 'rollout/return', 100), written.subarray(N - 100))).toBe(true);
    expect(store.readMetricTail(runId, 'rollout/return', 0).length).toBe(0);
    expect(store.metricSeries(runId)).toEqual([{ name: 'rollout/return', firstEpisode: 0, nextEpisode: N }]);
  });

  it('downsamples to at most maxPoints min–max–mean buckets that match a recomputation', () => {
    const t0 = performance.now();
    const read = store.readMetric(runId, 'rollout/return', { maxPoints: 2000 });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    store.readMetric(runId, 'rollout/return', { to: 100_000, maxPoints: 2000 });
    console.log(
      `downsampled read (2,000 points): 1M episodes ${ms.toFixed(1)} ms, 100k episodes ${(performance.now() - t1).toFixed(1)} ms`,
    );
    expect(read).toMatchObject({ name: 'rollout/return', total: N, from: 0, to: N, downsampled: true });
    expect(read.episodes.length).toBeLessThanOrEqual(2000);
    expect(read.episodes.length).toBeGreaterThan(1900);
    expectMatches(read, written);
  });

  it('downsamples coarsely from the chunk summaries, and partial ranges on the grid', () => {
    const coarse = store.readMetric(runId, 'rollout/return', { maxPoints: 50 });
    expect(coarse.bucketSize).toBeGreaterThanOrEqual(CHUNK_EPISODES);
    expect(coarse.episodes.length).toBeLessThanOrEqual(50);
    expectMatches(coarse, written);

    for (const [from, to, maxPoints] of [
      [123_457, 654_321, 1000],
      [5, 6, 1],
      [999_000, N, 7],
      [10_000, 500_000, 1],
      [77, 4_500, 2],
    ] as const) {
      const read = store.readMetric(runId, 'rollout/return', { from, to, maxPoints });
      expect(read).toMatchObject({ from, to });
      expect(read.episodes.length).toBeLessThanOrEqual(maxPoints);
      expectMatches(read, written);
    }
    // Out-of-range requests are clipped to the series.
    expect(store.readMetric(runId, 'rollout/return', { from: N - 10, to: N + 500 })).toMatchObject({ from: N - 10, to: N });
  });

  it('returns every episode when maxPoints is omitted or covers the range', () => {
    for (const read of [
      store.readMetric(runId, 'rollout/return', { from: 4090, to: 4200 }),
      store.readMetric(runId, 'rollout/return', { from: 4090, to: 4200, maxPoints: 110 }),
    ]) {
      expect(read.downsampled).toBe(false);
      expect(read.bucketSize).toBe(1);
      expect(Array.from(read.episodes)).toEqual(Array.from({ length: 110 }, (_, i) => 4090 + i));
      const values = Array.from(written.subarray(4090, 4200));
      expect(Array.from(read.mean)).toEqual(values);
      expect(Array.from(read.min)).toEqual(values);
      expect(Array.from(read.max)).toEqual(values);
    }
  });

  it('exports a benchmark for the lead', () => {
    const bench = benchMetricStore(dir, { episodes: 100_000 });
    console.log('benchMetricStore (100k episodes):', bench);
    expect(bench.bytes).toBeGreaterThan(4 * 100_000);
  });
});

describe('metric batches', () => {
  let store: Store;
  let runId: number;
  beforeEach(() => {
    store = Store.open(':memory:');
    runId = newRun(store);
  });
  afterEach(() => store.close());

  it('keep several metrics of uneven batches aligned, across cells and piece merges', () => {
    const n = 30_000;
    const a = curve(n, 1);
    const b = curve(n, 2);
    const c = Float64Array.from(curve(n, 3), (v) => v + 1e-9); // float64 in, float32 stored
    let start = 0;
    let size = 1;
    while (start < n) {
      const count = Math.min(size, n - start);
      store.appendMetrics(runId, {
        start,
        count,
        columns: { a: a.subarray(start, start + count), b: b.subarray(start, start + count), c: c.subarray(start, start + count) },
      });
      start += count;
      size = (size * 7 + 13) % 997; // 1 … 996 episodes, a tiny batch now and then
      if (size === 0) size = 1;
    }
    expect(store.metricNames(runId)).toEqual(['a', 'b', 'c']);
    expect(sameFloats(store.readMetricRaw(runId, 'a'), a)).toBe(true);
    expect(sameFloats(store.readMetricRaw(runId, 'b'), b)).toBe(true);
    expect(sameFloats(store.readMetricRaw(runId, 'c'), Float32Array.from(c))).toBe(true);
    expect(store.getRun(runId).episodesDone).toBe(n);
    expectMatches(store.readMetric(runId, 'b', { maxPoints: 300 }), b);
    expectMatches(store.readMetric(runId, 'b', { from: 1000, to: 29_999, maxPoints: 5 }), b);
    // Filled cells hold one chunk; the open cell at most a few pieces.
    const perCell = store.db
      .prepare(
        `SELECT start_episode / ${CHUNK_EPISODES} AS cell, count(*) AS n FROM metric_chunks
         WHERE series_id = (SELECT id FROM metric_series WHERE name = 'a') GROUP BY cell`,
      )
      .all() as { cell: number; n: number }[];
    const lastCell = Math.floor((n - 1) / CHUNK_EPISODES);
    for (const { cell, n: pieces } of perCell) expect(pieces, `cell ${cell}`).toBe(cell === lastCell ? pieces : 1);
    expect(perCell.find((p) => p.cell === lastCell)!.n).toBeLessThan(32);
  });

  it('treat NaN as "no value": stored, but skipped by summaries', () => {
    const values = Float32Array.of(1, NaN, 3, NaN, NaN, NaN, 10, NaN);
    store.appendMetrics(runId, { start: 0, count: 8, columns: { eval: values } });
    // A later batch may skip episodes: the gap reads as NaN.
    store.appendMetrics(runId, { start: 10_000, count: 2, columns: { eval: Float32Array.of(5, 7) } });
    const raw = store.readMetricRaw(runId, 'eval');
    expect(raw.length).toBe(10_002);
    expect(Array.from(raw.subarray(0, 8))).toEqual(Array.from(values));
    expect(raw.subarray(8, 10_000).every(Number.isNaN)).toBe(true);
    expect(Array.from(raw.subarray(10_000))).toEqual([5, 7]);

    const full = store.readMetric(runId, 'eval');
    expect(Array.from(full.episodes)).toEqual([0, 2, 6, 10_000, 10_001]);
    expect(Array.from(full.mean)).toEqual([1, 3, 10, 5, 7]);
    const buckets = store.readMetric(runId, 'eval', { maxPoints: 4 });
    expect(buckets.bucketSize).toBe(2501);
    expect(Array.from(buckets.episodes)).toEqual([1250, 8752]);
    expect(Array.from(buckets.mean)).toEqual([14 / 3, 6]);
    expect(Array.from(buckets.min)).toEqual([1, 5]);
    expect(Array.from(buckets.max)).toEqual([10, 7]);
  });

  it('refuse a batch that would overwrite stored episodes, writing nothing of it', () => {
    store.appendMetrics(runId, { start: 0, count: 3, columns: { b: Float32Array.of(1, 2, 3) } });
    const batch = { start: 2, count: 2, columns: { a: Float32Array.of(9, 9), b: Float32Array.of(9, 9) } };
    expect(() => store.appendMetrics(runId, batch)).toThrow(
      'metric "b" of run 1 already has episodes up to 2; a batch starting at episode 2 would overwrite them',
    );
    expect(store.metricNames(runId)).toEqual(['b']);
    expect(store.getRun(runId).episodesDone).toBe(3);
    expect(() => store.appendMetrics(runId, { start: 3, count: 2, columns: { b: Float32Array.of(1) } })).toThrow(
      'metric "b" has 1 values for a batch of 2 episodes',
    );
  });

  it('record progress, explicit or from the batch, never going back', () => {
    store.appendMetrics(runId, { start: 0, count: 5, columns: { r: new Float32Array(5) } });
    expect(store.getRun(runId).episodesDone).toBe(5);
    store.appendMetrics(runId, { start: 5, count: 5, columns: { r: new Float32Array(5) } }, 12);
    expect(store.getRun(runId).episodesDone).toBe(12);
    store.appendMetrics(runId, { start: 10, count: 0, columns: {} }, 3);
    expect(store.getRun(runId).episodesDone).toBe(12);
  });

  it('start a series where its first batch starts', () => {
    store.appendMetrics(runId, { start: 5000, count: 3, columns: { late: Float32Array.of(1, 2, 3) } });
    expect(store.metricSeries(runId)).toEqual([{ name: 'late', firstEpisode: 5000, nextEpisode: 5003 }]);
    const read = store.readMetric(runId, 'late');
    expect(read).toMatchObject({ total: 3, from: 5000, to: 5003 });
    expect(Array.from(read.episodes)).toEqual([5000, 5001, 5002]);
    expect(Array.from(store.readMetricTail(runId, 'late', 2))).toEqual([2, 3]);
  });

  it('give their pages back when their run is deleted', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-metrics-'));
    const file = path.join(dir, 'aisle.db');
    const fileStore = Store.open(file);
    const id = newRun(fileStore);
    fileStore.appendMetrics(id, { start: 0, count: 200_000, columns: { r: curve(200_000) } });
    fileStore.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fs.statSync(file).size;
    fileStore.deleteRun(id);
    fileStore.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.statSync(file).size).toBeLessThan(before / 4);
    fileStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('survive reopening a file', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-metrics-'));
    const file = path.join(dir, 'aisle.db');
    const first = Store.open(file);
    const id = newRun(first);
    first.appendMetrics(id, { start: 0, count: 3, columns: { r: Float32Array.of(0.1, 0.2, 0.3) } });
    first.close();
    const second = Store.open(file);
    expect(Array.from(second.readMetricRaw(id, 'r'))).toEqual(Array.from(Float32Array.of(0.1, 0.2, 0.3)));
    second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
