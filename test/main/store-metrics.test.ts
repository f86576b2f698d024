import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { CHUNK_EPISODES, DamagedDataError, Store, type MetricRead } from '../../src/main/store';
import { bucketCount, bucketSizeFor } from '../../src/shared/buckets';
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
  // x + 0 reads −0 as 0: either is the minimum of a bucket holding both.
  expect(Array.from(read.min, (x) => x + 0)).toEqual(want.min.map((x) => x + 0));
  expect(Array.from(read.max, (x) => x + 0)).toEqual(want.max.map((x) => x + 0));
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
    expect(coarse.bucketSize % CHUNK_EPISODES).toBe(0); // whole chunks: each one's summary serves
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

  it('keep several metrics of uneven batches aligned, across cells', () => {
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
    // Every cell, the open one too, holds one chunk.
    const perCell = store.db
      .prepare(
        `SELECT start_episode / ${CHUNK_EPISODES} AS cell, count(*) AS n FROM metric_chunks
         WHERE series_id = (SELECT id FROM metric_series WHERE name = 'a') GROUP BY cell`,
      )
      .all() as { cell: number; n: number }[];
    expect(perCell.map((p) => p.n)).toEqual(Array.from({ length: Math.ceil(n / CHUNK_EPISODES) }, () => 1));
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

  it('refuse to read a chunk whose bytes were damaged, naming the run, metric and episodes', () => {
    // Returns in [-50, 50] at first, so a damaged value can also stay inside the chunk's range.
    const returns = Float32Array.from(curve(10_000), (v) => Math.round(v * 10) / 10);
    store.appendMetrics(runId, { start: 0, count: returns.length, columns: { return: returns } });
    const chunkOf = (start: number) => store.db.prepare('SELECT data FROM metric_chunks WHERE start_episode = ?').pluck().get(start) as Buffer;
    const put = (start: number, data: Buffer) => store.db.prepare('UPDATE metric_chunks SET data = ? WHERE start_episode = ?').run(data, start);
    const original = Buffer.from(chunkOf(CHUNK_EPISODES));

    // Random bytes in the middle of the second chunk: SQLite reads them back without complaint.
    const noise = Buffer.from(original);
    for (let i = 1000; i < 1400; i++) noise[i] = (i * 131 + 7) & 0xff;
    put(CHUNK_EPISODES, noise);
    const message = `run ${runId}'s metric "return", episodes 4,096–8,191: the stored values do not match the summary stored beside them`;
    expect(() => store.readMetricRaw(runId, 'return')).toThrow(message);
    expect(() => store.readMetric(runId, 'return')).toThrow(message);
    expect(() => store.readMetric(runId, 'return', { from: 5000, to: 5001 })).toThrow(DamagedDataError);
    // Episodes outside the damaged chunk still read, and the error says what to do about it as SQLite's own would.
    expect(sameFloats(store.readMetricRaw(runId, 'return', { to: CHUNK_EPISODES }), returns.subarray(0, CHUNK_EPISODES))).toBe(true);
    expect(() => store.readMetricRaw(runId, 'return')).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT' }));

    // One value swapped for another inside the chunk's range (min and max unchanged): the sum tells.
    const values = new Float32Array(original.buffer.slice(original.byteOffset, original.byteOffset + original.length));
    const lo = values.indexOf(Math.min(...values));
    const hi = values.indexOf(Math.max(...values));
    const middle = values.findIndex((v, i) => i !== lo && i !== hi && v !== values[lo]);
    values[middle] = values[lo]!;
    put(CHUNK_EPISODES, Buffer.from(values.buffer));
    expect(() => store.readMetricRaw(runId, 'return', { from: CHUNK_EPISODES })).toThrow(message);

    put(CHUNK_EPISODES, original);
    expect(sameFloats(store.readMetricRaw(runId, 'return'), returns)).toBe(true);
  });

  it('read a chunk whose stored sum differs from its values\' by rounding alone (another summation order), and refuse one that differs by more', () => {
    const returns = Float32Array.from(curve(3000), (v) => v / 3);
    store.appendMetrics(runId, { start: 0, count: returns.length, columns: { return: returns } });
    const stored = store.db.prepare('SELECT sum FROM metric_chunks WHERE start_episode = 0').pluck().get() as number;
    const magnitude = returns.reduce((total, v) => total + Math.abs(v), 0);
    const setSum = (sum: number) => store.db.prepare('UPDATE metric_chunks SET sum = ? WHERE start_episode = 0').run(sum);
    setSum(stored + 1e-12 * magnitude);
    expect(sameFloats(store.readMetricRaw(runId, 'return'), returns)).toBe(true);
    setSum(stored + 1e-6 * magnitude);
    expect(() => store.readMetricRaw(runId, 'return')).toThrow(/the stored values do not match the summary stored beside them/);
  });

  it('leave a crashed run with damaged returns listed without one, and the database opening', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-damaged-'));
    onTestFinished(() => fs.rmSync(folder, { recursive: true, force: true }));
    const file = path.join(folder, 'a.db');
    const crashed = Store.open(file);
    const id = newRun(crashed);
    crashed.markRunning(id);
    crashed.appendMetrics(id, { start: 0, count: 300, columns: { return: curve(300) } });
    const data = crashed.db.prepare('SELECT data FROM metric_chunks').pluck().get() as Buffer;
    data.fill(0x7f, 800, 1200); // among the last 100 episodes
    crashed.db.prepare('UPDATE metric_chunks SET data = ?').run(data);
    // Closing marks the run interrupted, with the mean of its last 100 stored returns as its listed return.
    expect(() => crashed.close()).not.toThrow();
    const reopened = Store.open(file);
    expect(reopened.getRun(id).status).toBe('interrupted');
    expect(reopened.storedReturnLast100(id)).toBeNull();
    expect(() => reopened.readMetricRaw(id, 'return')).toThrow(DamagedDataError);
    reopened.close();
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

  it('total each metric over its whole series from the chunk summaries: values, gaps, infinities', () => {
    expect(store.metricTotals(runId)).toEqual([]); // no episodes yet
    const n = 3 * CHUNK_EPISODES + 100;
    const ramp = curve(n);
    const sparse = new Float32Array(n).fill(NaN); // a value every 1000th episode
    for (let e = 999; e < n; e += 1000) sparse[e] = e;
    const oneInf = curve(n, 2);
    oneInf[5] = Infinity;
    const bothInChunk = curve(n, 3); // +∞ and −∞ in one chunk: its stored sum is NULL
    bothInChunk[7] = Infinity;
    bothInChunk[8] = -Infinity;
    const acrossChunks = curve(n, 4); // +∞ and −∞ in different chunks: each sum is finite
    acrossChunks[7] = Infinity;
    acrossChunks[CHUNK_EPISODES + 7] = -Infinity;
    for (let start = 0; start < n; start += 1000) {
      const end = Math.min(n, start + 1000);
      const part = (v: Float32Array) => v.subarray(start, end);
      store.appendMetrics(runId, { start, count: end - start, columns: { ramp: part(ramp), sparse: part(sparse), oneInf: part(oneInf), bothInChunk: part(bothInChunk), acrossChunks: part(acrossChunks) } });
    }
    store.appendMetrics(runId, { start: n, count: 2, columns: { late: Float32Array.of(NaN, NaN) } }); // a series of no values
    const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
    const totals = Object.fromEntries(store.metricTotals(runId).map((t) => [t.name, t]));
    expect(Object.keys(totals)).toEqual(['acrossChunks', 'bothInChunk', 'late', 'oneInf', 'ramp', 'sparse']);
    expect(totals.ramp!.values).toBe(n);
    expect(totals.ramp!.mean).toBeCloseTo(mean(ramp), 9);
    expect(totals.ramp!.mean).toBeCloseTo(store.readMetric(runId, 'ramp', { maxPoints: 1 }).mean[0]!, 9);
    expect(totals.sparse).toEqual({ name: 'sparse', values: 12, mean: (999 + 11_999) / 2 });
    expect(totals.oneInf).toEqual({ name: 'oneInf', values: n, mean: Infinity });
    expect(totals.bothInChunk).toMatchObject({ values: n, mean: NaN });
    expect(totals.acrossChunks).toMatchObject({ values: n, mean: NaN });
    expect(totals.late).toMatchObject({ values: 0, mean: NaN });
    expect(() => store.metricTotals(runId + 1)).toThrow(`run ${runId + 1}`);
  });

  it('give their pages back when their run is deleted', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-metrics-'));
    const file = path.join(dir, 'aisle.db');
    const fileStore = Store.open(file);
    const id = newRun(fileStore);
    fileStore.appendMetrics(id, { start: 0, count: 200_000, columns: { r: curve(200_000) } });
    fileStore.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fs.statSync(file).size;
    fileStore.deleteRuns([id]);
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

/** The stored chunks of a metric, each checked: inside one grid cell, one chunk per cell, and a
 * summary equal to a recomputation from its values. */
/** The BLOB length of each of a series' chunks, in episode order. */
function chunkBytes(store: Store, runId: number, name: string): unknown[] {
  return store.db
    .prepare(`SELECT length(data) FROM metric_chunks WHERE series_id = (SELECT id FROM metric_series WHERE run_id = ? AND name = ?) ORDER BY start_episode`)
    .pluck()
    .all(runId, name);
}

/** Appends every series in batches from bounds[i] to bounds[i + 1]. */
function appendInBatches(store: Store, runId: number, series: Record<string, Float32Array>, bounds: readonly number[]): void {
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i]!, bounds[i + 1]!];
    const columns = Object.fromEntries(Object.entries(series).map(([name, v]) => [name, v.subarray(start, end)]));
    store.appendMetrics(runId, { start, count: end - start, columns });
  }
}

function checkedChunks(store: Store, runId: number, name: string): { start: number; count: number }[] {
  const rows = store.db
    .prepare(
      `SELECT start_episode AS start, count, present, min, max, sum, data FROM metric_chunks
       WHERE series_id = (SELECT id FROM metric_series WHERE run_id = ? AND name = ?) ORDER BY start_episode`,
    )
    .all(runId, name) as { start: number; count: number; present: number; min: number | null; max: number | null; sum: number | null; data: Buffer }[];
  const cells = rows.map((r) => Math.floor(r.start / CHUNK_EPISODES));
  expect(new Set(cells).size, 'one chunk per cell').toBe(rows.length);
  for (const r of rows) {
    expect(Math.floor((r.start + r.count - 1) / CHUNK_EPISODES), `chunk at ${r.start} stays in its cell`).toBe(Math.floor(r.start / CHUNK_EPISODES));
    const values = decodeChunk(r.data, r.count);
    const present = values.filter((v) => !Number.isNaN(v));
    let sum = 0;
    for (const v of present) sum += v;
    // x + 0 reads −0 as 0: either is the minimum of a chunk holding both.
    const plain = (x: number | null) => (x === null ? null : x + 0);
    expect({ count: values.length, present: r.present, min: plain(r.min), max: plain(r.max), sum: r.sum }, `chunk at ${r.start}`).toEqual({
      count: r.count,
      present: present.length,
      min: present.length === 0 ? null : Math.min(...present) + 0,
      max: present.length === 0 ? null : Math.max(...present) + 0,
      sum: Number.isNaN(sum) ? null : sum,
    });
  }
  return rows.map(({ start, count }) => ({ start, count }));
}

/**
 * A chunk's values from its bytes, decoded here independently of the store's codec: float32 values,
 * one float32 for a constant chunk (migration 5), or whole numbers as int8 / int16 (migration 6).
 */
function decodeChunk(data: Buffer, count: number): Float32Array {
  const bytes = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  if (data.length === 4 * count) return new Float32Array(bytes);
  if (data.length === 4) return new Float32Array(count).fill(new Float32Array(bytes)[0]!);
  expect(count, 'a narrow chunk holds more than 4 values').toBeGreaterThan(4);
  if (data.length === count) return Float32Array.from(new Int8Array(bytes));
  expect(data.length, `a chunk of ${count} values`).toBe(2 * count);
  return Float32Array.from({ length: count }, (_, i) => data.readInt16LE(2 * i));
}

describe('the metric write path', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisle-metrics-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces the open cell’s tail chunk batch after batch, small batches and gaps alike', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const n = 3 * CHUNK_EPISODES + 777;
    const values = curve(n, 5);
    values[10] = NaN;
    values[CHUNK_EPISODES + 3] = Infinity;
    values[CHUNK_EPISODES + 4] = -Infinity; // a sum of NaN, stored as NULL
    const stored = new Float32Array(n).fill(NaN);
    const cellsWritten = new Set<number>();
    let start = 0;
    let size = 1;
    let batches = 0;
    while (start < n) {
      const count = Math.min(size, n - start);
      store.appendMetrics(runId, { start, count, columns: { r: values.subarray(start, start + count) } });
      stored.set(values.subarray(start, start + count), start);
      for (let cell = Math.floor(start / CHUNK_EPISODES); cell * CHUNK_EPISODES < start + count; cell++) cellsWritten.add(cell);
      expect(checkedChunks(store, runId, 'r').map((c) => Math.floor(c.start / CHUNK_EPISODES))).toEqual([...cellsWritten]);
      batches++;
      // Mostly a few episodes, now and then a gap inside the open cell or one reaching a later cell.
      start += count + (batches % 37 === 0 ? 50 : batches % 101 === 0 ? CHUNK_EPISODES + 1 : 0);
      size = (size * 5 + 3) % 61 || 1;
    }
    expect(batches).toBeGreaterThan(200);
    const end = store.metricSeries(runId)[0]!.nextEpisode;
    expect(sameFloats(store.readMetricRaw(runId, 'r'), stored.subarray(0, end))).toBe(true);
    expectMatches(store.readMetric(runId, 'r', { maxPoints: 7 }), stored.subarray(0, end));
    store.close();
  });

  it('continues a series after the store is reopened (cold cache), mid-cell and after a gap', () => {
    const file = path.join(dir, 'aisle.db');
    const values = curve(20_000, 6);
    let store = Store.open(file);
    const runId = newRun(store);
    store.appendMetrics(runId, { start: 0, count: 5000, columns: { r: values.subarray(0, 5000), s: values.subarray(0, 5000) } });
    store.close();
    store = Store.open(file);
    // The open cell (4096–8191) is read back once and extended, not duplicated.
    store.appendMetrics(runId, { start: 5000, count: 100, columns: { r: values.subarray(5000, 5100) } });
    store.appendMetrics(runId, { start: 5100, count: 4000, columns: { r: values.subarray(5100, 9100) } });
    // s: a gap inside its open cell after reopening.
    store.appendMetrics(runId, { start: 6000, count: 10, columns: { s: values.subarray(6000, 6010) } });
    store.close();
    store = Store.open(file);
    const r = store.readMetricRaw(runId, 'r');
    expect(sameFloats(r, values.subarray(0, 9100))).toBe(true);
    expect(checkedChunks(store, runId, 'r')).toEqual([
      { start: 0, count: 4096 },
      { start: 4096, count: 4096 },
      { start: 8192, count: 908 },
    ]);
    const s = store.readMetricRaw(runId, 's');
    expect(sameFloats(s.subarray(0, 5000), values.subarray(0, 5000))).toBe(true);
    expect(s.subarray(5000, 6000).every(Number.isNaN)).toBe(true);
    expect(sameFloats(s.subarray(6000), values.subarray(6000, 6010))).toBe(true);
    expect(checkedChunks(store, runId, 's')).toEqual([
      { start: 0, count: 4096 },
      { start: 4096, count: 6010 - 4096 },
    ]);
    store.close();
  });

  it('stores a chunk of one repeated value once, and reads it back like any other', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const n = 2 * CHUNK_EPISODES + 500;
    const length = new Float32Array(n).fill(100); // a fixed horizon
    const epsilon = new Float32Array(n).fill(0.1); // a constant ε (0.1 rounded to float32)
    const zeros = new Float32Array(n); // 0 and −0: the same number, not the same bits
    zeros[CHUNK_EPISODES + 7] = -0;
    const changes = new Float32Array(n).fill(3);
    changes[CHUNK_EPISODES + 4000] = 4; // constant until late in its cell
    const withGap = new Float32Array(n).fill(5);
    withGap[20] = NaN; // a missing value: not constant
    // Extremes of float32, whose summaries take the constant shortcut (sum = k · x): checkedChunks
    // recomputes each sum by sequential addition and must find the same double.
    const wide = new Float32Array(n).fill(16777215); // 2^24 − 1: every bit of the significand
    const huge = new Float32Array(n).fill(3.4e38);
    const tiny = new Float32Array(n).fill(1e-45); // the smallest subnormal
    // In uneven batches, so the open cell's tail is written constant and later extended.
    for (const [start, end] of [[0, 1000], [1000, 5000], [5000, 8100], [8100, n]] as const) {
      const slice = (a: Float32Array) => a.subarray(start, end);
      store.appendMetrics(runId, {
        start,
        count: end - start,
        columns: {
          length: slice(length),
          epsilon: slice(epsilon),
          zeros: slice(zeros),
          changes: slice(changes),
          withGap: slice(withGap),
          wide: slice(wide),
          huge: slice(huge),
          tiny: slice(tiny),
        },
      });
    }
    const bytes = (name: string) => chunkBytes(store, runId, name);
    expect(bytes('length')).toEqual([4, 4, 4]);
    expect(bytes('epsilon')).toEqual([4, 4, 4]);
    expect(bytes('zeros')).toEqual([4, 4 * CHUNK_EPISODES, 4]);
    expect(bytes('changes')).toEqual([4, CHUNK_EPISODES, 4]); // whole numbers: int8 (migration 6)
    expect(bytes('withGap')).toEqual([4 * CHUNK_EPISODES, 4, 4]);
    expect(bytes('huge')).toEqual([4, 4, 4]);
    for (const [name, values] of Object.entries({ length, epsilon, zeros, changes, withGap, wide, huge, tiny })) {
      checkedChunks(store, runId, name);
      expect(sameFloats(store.readMetricRaw(runId, name), values), name).toBe(true); // bit for bit: −0 stays −0
      expectMatches(store.readMetric(runId, name, { maxPoints: 5 }), values);
      expectMatches(store.readMetric(runId, name, { from: 4000, to: 4200 }), values); // values read from the chunks
      expect(Array.from(store.readMetricTail(runId, name, 3)), name).toEqual(Array.from(values.subarray(n - 3)));
    }
    store.close();
  });

  it('stores chunks of whole numbers as int8 or int16, and reads them back bit for bit', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const n = 2 * CHUNK_EPISODES + 5; // the last chunk: 5 values, the fewest a narrow chunk holds
    const series: Record<string, Float32Array> = {
      returns: Float32Array.from({ length: n }, (_, i) => (i * 37) % 101), // 0..100: int8
      signed: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -128 : 127)), // int8's ends
      lengths: Float32Array.from({ length: n }, (_, i) => (i * 7919) % 1000), // int16
      wide: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -32768 : 32767)), // int16's ends
      beyond: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 32768)), // too wide: float32
      fraction: Float32Array.from({ length: n }, (_, i) => (i === CHUNK_EPISODES + 4000 ? 2.5 : i % 3)), // a late 2.5
      negativeZero: Float32Array.from({ length: n }, (_, i) => (i === 9 ? -0 : i % 3)), // −0: no integer holds it
      gap: Float32Array.from({ length: n }, (_, i) => (i === 9 ? NaN : i % 3)),
    };
    // Uneven batches: the open cell's tail is re-encoded as it grows.
    appendInBatches(store, runId, series, [0, 3, 1000, 5000, 8192, 8195, n]);
    const bytes = (name: string) => chunkBytes(store, runId, name);
    const c = CHUNK_EPISODES;
    expect(bytes('returns')).toEqual([c, c, 5]);
    expect(bytes('signed')).toEqual([c, c, 5]);
    expect(bytes('lengths')).toEqual([2 * c, 2 * c, 10]);
    expect(bytes('wide')).toEqual([2 * c, 2 * c, 10]);
    expect(bytes('beyond')).toEqual([4 * c, 4 * c, 20]);
    expect(bytes('fraction')).toEqual([c, 4 * c, 5]);
    expect(bytes('negativeZero')).toEqual([4 * c, c, 5]);
    expect(bytes('gap')).toEqual([4 * c, c, 5]);
    for (const [name, values] of Object.entries(series)) {
      checkedChunks(store, runId, name);
      expect(sameFloats(store.readMetricRaw(runId, name), values), name).toBe(true);
      expectMatches(store.readMetric(runId, name, { maxPoints: 5 }), values);
      expectMatches(store.readMetric(runId, name, { from: 4000, to: 4200 }), values);
      expect(Array.from(store.readMetricTail(runId, name, 3)), name).toEqual(Array.from(values.subarray(n - 3)));
    }
    // A new writer (nothing cached) reads the int8 open cell back and extends it.
    const reopened = new Store(store.db);
    const more = Float32Array.of(1, 2, 3);
    reopened.appendMetrics(runId, { start: n, count: 3, columns: { returns: more } });
    const want = new Float32Array(n + 3);
    want.set(series.returns!);
    want.set(more, n);
    expect(sameFloats(reopened.readMetricRaw(runId, 'returns'), want)).toBe(true);
    reopened.close();
  });

  it('summarises integers exactly, and a cell that mixes integers and fractions across batches as float32', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const n = CHUNK_EPISODES + 300;
    const series: Record<string, Float32Array> = {
      // Integers near 2^30: their sum leaves int32 far behind (it must stay exact), and they are
      // too wide for int16, so float32.
      large: Float32Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 2 ** 30 : -(2 ** 30) + 64 * (i % 7))),
      // Beyond int32: not integers to `| 0`, summed as doubles.
      huge: Float32Array.from({ length: n }, (_, i) => 2 ** 40 + 2 ** 20 * (i % 5)),
      // The first batch of the cell holds a fraction, the next ones only integers: float32.
      fractionFirst: Float32Array.from({ length: n }, (_, i) => (i === 3 ? 0.25 : i % 9)),
      // The first batches hold only integers, a later one a fraction: float32 once it comes.
      fractionLater: Float32Array.from({ length: n }, (_, i) => (i === 3000 ? -1.5 : i % 9)),
      // −0 in a later batch, after integers.
      negativeZeroLater: Float32Array.from({ length: n }, (_, i) => (i === 2500 ? -0 : i % 9)),
      // A constant run of integers, then other integers in the same cell.
      constantThenIntegers: Float32Array.from({ length: n }, (_, i) => (i < 2000 ? 7 : i % 100)),
    };
    appendInBatches(store, runId, series, [0, 1000, 2000, 2600, 4096, n]);
    const bytes = (name: string) => chunkBytes(store, runId, name);
    const c = CHUNK_EPISODES;
    expect(bytes('large')).toEqual([4 * c, 4 * 300]);
    expect(bytes('huge')).toEqual([4 * c, 4 * 300]);
    expect(bytes('fractionFirst')).toEqual([4 * c, 300]);
    expect(bytes('fractionLater')).toEqual([4 * c, 300]);
    expect(bytes('negativeZeroLater')).toEqual([4 * c, 300]);
    expect(bytes('constantThenIntegers')).toEqual([c, 300]);
    for (const [name, values] of Object.entries(series)) {
      checkedChunks(store, runId, name); // sums recomputed by sequential addition
      expect(sameFloats(store.readMetricRaw(runId, name), values), name).toBe(true);
    }
    store.close();
  });

  it('continues a constant open cell after the store is reopened', () => {
    const file = path.join(dir, 'aisle.db');
    let store = Store.open(file);
    const runId = newRun(store);
    store.appendMetrics(runId, { start: 0, count: 4200, columns: { r: new Float32Array(4200).fill(7) } });
    store.close();
    store = Store.open(file); // the open cell (4096–4199, stored as one value) is read back cold
    store.appendMetrics(runId, { start: 4200, count: 100, columns: { r: new Float32Array(100).fill(8) } });
    const want = new Float32Array(4300).fill(7);
    want.fill(8, 4200);
    expect(sameFloats(store.readMetricRaw(runId, 'r'), want)).toBe(true);
    expect(checkedChunks(store, runId, 'r')).toEqual([
      { start: 0, count: 4096 },
      { start: 4096, count: 204 },
    ]);
    store.close();
  });

  it('merges the pieces an older build left in the open cell on its next write', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const values = curve(5000, 7);
    store.appendMetrics(runId, { start: 0, count: 4200, columns: { r: values.subarray(0, 4200) } });
    // The earlier layout: the open cell in two pieces, one after a gap.
    const seriesId = store.db.prepare(`SELECT id FROM metric_series WHERE name = 'r'`).pluck().get() as number;
    store.db.prepare(`UPDATE metric_series SET next_episode = 4400 WHERE id = ?`).run(seriesId);
    const piece = values.slice(4300, 4400);
    store.db
      .prepare(
        `INSERT INTO metric_chunks (series_id, start_episode, count, present, min, max, sum, data)
         VALUES (?, 4300, 100, 100, 0, 0, 0, ?)`,
      )
      .run(seriesId, Buffer.from(piece.buffer));
    const reopened = new Store(store.db); // a new writer: nothing cached
    reopened.appendMetrics(runId, { start: 4400, count: 600, columns: { r: values.subarray(4400, 5000) } });
    const want = values.slice();
    want.fill(NaN, 4200, 4300);
    expect(sameFloats(reopened.readMetricRaw(runId, 'r'), want)).toBe(true);
    expect(checkedChunks(reopened, runId, 'r')).toEqual([
      { start: 0, count: 4096 },
      { start: 4096, count: 904 },
    ]);
    reopened.close();
  });

  it('keeps database and cache in step when a batch fails, or an outer transaction rolls back', () => {
    const store = Store.open(':memory:');
    const runId = newRun(store);
    const values = curve(10_000, 8);
    const batch = (start: number, count: number, names = ['a', 'b']) => ({
      start,
      count,
      columns: Object.fromEntries(names.map((name) => [name, values.subarray(start, start + count)])),
    });
    store.appendMetrics(runId, batch(0, 3000));
    store.appendMetrics(runId, batch(3000, 10, ['b']));
    // a is written first, then b refuses the batch: a's write is rolled back, and so is its cache.
    expect(() => store.appendMetrics(runId, batch(3005, 2000))).toThrow('would overwrite them');
    expect(store.metricSeries(runId).map((s) => s.nextEpisode)).toEqual([3000, 3010]);
    store.appendMetrics(runId, batch(3000, 10, ['a']));
    store.appendMetrics(runId, batch(3010, 2000));
    // An outer transaction that rolls back, then one that commits two batches.
    expect(() =>
      store.transaction(() => {
        store.appendMetrics(runId, batch(5010, 1000));
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(store.metricSeries(runId).map((s) => s.nextEpisode)).toEqual([5010, 5010]);
    store.transaction(() => {
      store.appendMetrics(runId, batch(5010, 1000));
      store.appendMetrics(runId, batch(6010, 100));
    });
    store.appendMetrics(runId, batch(6110, 3890));
    for (const name of ['a', 'b']) {
      expect(sameFloats(store.readMetricRaw(runId, name), values), name).toBe(true);
      expect(checkedChunks(store, runId, name).length).toBe(3);
    }
    store.close();
  });

  it('notices another writer moved a series, and continues from what is stored', () => {
    const file = path.join(dir, 'aisle.db');
    const values = curve(7000, 9);
    const other = curve(7000, 11);
    const first = Store.open(file);
    const runId = newRun(first);
    const second = Store.open(file);
    const batch = (names: string[], from: number, to: number, source = values) => ({
      start: from,
      count: to - from,
      columns: Object.fromEntries(names.map((name) => [name, source.subarray(from, to)])),
    });
    first.appendMetrics(runId, batch(['q', 'r', 's'], 0, 1000));
    second.appendMetrics(runId, batch(['q', 'r'], 1000, 2000));
    expect(() => first.appendMetrics(runId, batch(['r'], 1500, 1510))).toThrow('already has episodes up to 1999');
    first.appendMetrics(runId, batch(['q', 'r'], 2000, 3000));
    first.appendMetrics(runId, batch(['s'], 1000, 5000));
    // Writes by `first` that roll back: r's, as s then refuses the batch; q's, in an outer
    // transaction. Then `second` stores those episodes with other values: `first` continues from them.
    expect(() => first.appendMetrics(runId, batch(['r', 's'], 3000, 4000, other))).toThrow('already has episodes up to 4999');
    expect(() =>
      first.transaction(() => {
        first.appendMetrics(runId, batch(['q'], 3000, 4000, other));
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    second.appendMetrics(runId, batch(['q', 'r'], 3000, 4000));
    first.appendMetrics(runId, batch(['q', 'r'], 4000, 7000));
    for (const name of ['q', 'r']) {
      expect(sameFloats(second.readMetricRaw(runId, name), values), name).toBe(true);
      expect(checkedChunks(first, runId, name).length).toBe(2);
    }
    second.close();
    first.close();
  });

  it('has every batch on disk when appendMetrics returns (the process may die right after)', () => {
    const file = path.join(dir, 'aisle.db');
    const store = Store.open(file);
    const runId = newRun(store);
    const values = curve(9000, 10);
    for (const [start, count] of [
      [0, 3000],
      [3000, 2000],
      [5000, 7],
    ] as const) {
      store.appendMetrics(runId, { start, count, columns: { r: values.subarray(start, start + count) } });
      // What a crash leaves: the files as they are now (the database and its WAL), no orderly close.
      const copy = path.join(dir, `crash-${start}.db`);
      fs.copyFileSync(file, copy);
      fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
      const after = Store.open(copy);
      expect(sameFloats(after.readMetricRaw(runId, 'r'), values.subarray(0, start + count)), `after ${start}`).toBe(true);
      expect(after.getRun(runId).episodesDone).toBe(start + count);
      after.close();
    }
    store.close();
  });
});

describe('the bucket grid', () => {
  it('never gives more buckets than asked, whole chunks once a bucket spans one, and at least half the points asked', () => {
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let trial = 0; trial < 3000; trial++) {
      const from = next(3) === 0 ? 0 : next(50_000_000);
      const to = from + 1 + next(60_000_000);
      const maxPoints = 1 + next(10_000);
      const size = bucketSizeFor(from, to, maxPoints);
      const count = bucketCount(from, to, size);
      expect(count).toBeLessThanOrEqual(maxPoints);
      if (size >= CHUNK_EPISODES) expect(size % CHUNK_EPISODES).toBe(0);
      if (to - from >= 4 * maxPoints && maxPoints >= 4) expect(count).toBeGreaterThanOrEqual(Math.floor(maxPoints / 2) - 1);
    }
    expect(bucketSizeFor(0, 25_000_000, 2000)).toBe(16_384); // was 12,500: every chunk straddling a bucket edge was decoded
    expect(bucketSizeFor(0, 5000, 2000)).toBe(3); // under a chunk: the even split
  });
});

