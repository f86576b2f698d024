/** A quick measure of the metric store at the scale charts need (one run, 1M episodes of one or
 * more metrics in worker-sized batches), for the benchmark script; not used by the app. */
import fs from 'node:fs';
import path from 'node:path';
import { Store } from './store';

export interface MetricStoreBench {
  episodes: number;
  batch: number;
  metrics: number;
  /** Writing every batch of every metric (`appendMetrics`, one transaction per batch). */
  writeMs: number;
  /** writeMs per million values written (episodes × metrics). */
  writeMsPerMillionValues: number;
  /** One min–max–mean read of the whole series at `maxPoints`, median of a few. */
  readDownsampledMs: number;
  /** The same for the first 100k episodes (one typical run of a 20-run comparison). */
  read100kDownsampledMs: number;
  readRawMs: number;
  /** The database file after a WAL checkpoint. */
  bytes: number;
}

export function benchMetricStore(
  dir: string,
  { episodes = 1_000_000, batch = 4_000, metrics = 1, maxPoints = 2_000 } = {},
): MetricStoreBench {
  const file = path.join(dir, `bench-${process.pid}-${Date.now()}.db`);
  const store = Store.open(file);
  try {
    const runId = store.createExperimentWithRuns({
      name: 'bench',
      config: {},
      configHash: '0'.repeat(64),
      runs: [{ seed: 1, config: {}, configHash: '0'.repeat(64), appVersion: 'bench', episodesTotal: episodes }],
    }).runs[0]!.id;
    store.markRunning(runId);
    // As the pool hands them over: a fresh Float32Array per metric and batch (transferred from the worker).
    const names = ['return', 'length', 'train/epsilon'].slice(0, metrics);
    for (let m = 3; m < metrics; m++) names.push(`metric/${m}`);
    let x = 0;
    let writeMs = 0;
    for (let start = 0; start < episodes; start += batch) {
      const count = Math.min(batch, episodes - start);
      const columns: Record<string, Float32Array> = {};
      names.forEach((name, m) => {
        const values = (columns[name] = new Float32Array(count));
        for (let i = 0; i < count; i++) values[i] = Math.sin((x += 0.001)) + (i % 7) * 0.01 + m;
      });
      const t0 = performance.now();
      store.appendMetrics(runId, { start, count, columns });
      writeMs += performance.now() - t0;
    }
    const readDownsampledMs = median(() => store.readMetric(runId, 'return', { maxPoints }));
    const read100kDownsampledMs = median(() => store.readMetric(runId, 'return', { to: 100_000, maxPoints }));
    const readRawMs = median(() => store.readMetricRaw(runId, 'return'));
    store.finishRun(runId, 'completed');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.statSync(file).size;
    const writeMsPerMillionValues = (writeMs * 1e6) / (episodes * metrics);
    return { episodes, batch, metrics, writeMs, writeMsPerMillionValues, readDownsampledMs, read100kDownsampledMs, readRawMs, bytes };
  } finally {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
}

function median(fn: () => unknown, repeats = 5): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[repeats >> 1]!;
}
