// The worker's metric batcher: rows in, float32 columns out at most every flushMs.
import { describe, expect, it } from 'vitest';
import { MetricBatcher } from '../../src/main/jobs/batcher';

interface Batch {
  start: number;
  count: number;
  columns: number[][];
}

function collect(clock: { t: number }, flushMs = 10): { batcher: MetricBatcher; batches: Batch[] } {
  const batches: Batch[] = [];
  const batcher = new MetricBatcher(2, flushMs, () => clock.t, (start, count, columns) =>
    batches.push({ start, count, columns: columns.map((c) => Array.from(c)) }),
  );
  return { batcher, batches };
}

/** Every episode's (return, length) in order, from the batches. */
function episodes(batches: Batch[]): number[][] {
  const out: number[][] = [];
  for (const b of batches) {
    expect(b.start).toBe(out.length);
    for (let i = 0; i < b.count; i++) out.push([b.columns[0]![i]!, b.columns[1]![i]!]);
  }
  return out;
}

describe('MetricBatcher', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => [i * 0.5, (i % 7) + 1]);

  it('pushRows delivers the same episodes, in order, as a push per row', () => {
    const clockA = { t: 0 };
    const a = collect(clockA);
    rows.forEach((r, i) => {
      clockA.t = i * 0.01;
      a.batcher.push(i, Float64Array.from(r));
    });
    a.batcher.flush();
    const clockB = { t: 0 };
    const b = collect(clockB);
    for (let first = 0; first < rows.length; first += 333) {
      const block = rows.slice(first, first + 333);
      clockB.t = first * 0.01;
      b.batcher.pushRows(first, block.length, Float64Array.from(block.flat()));
    }
    b.batcher.flush();
    expect(episodes(b.batches)).toEqual(rows.map((r) => r.map(Math.fround)));
    expect(episodes(a.batches)).toEqual(episodes(b.batches));
    // The clock moved 50 ms: both flushed a few times on the way, not once per row or only at the end.
    expect(a.batches.length).toBeGreaterThan(1);
    expect(b.batches.length).toBeGreaterThan(1);
    expect(b.batches.length).toBeLessThan(20);
  });

  it('sends one extra batch when the run is about to end (expectEnd), so little is left for after it', () => {
    // 10 episodes a millisecond; the run ends after episode 999; the interval never elapses.
    const run = (hint: boolean) => {
      const clock = { t: 0 };
      const { batcher, batches } = collect(clock, 1e9);
      if (hint) batcher.expectEnd(1000, 20);
      for (let first = 0; first < 1000; first += 10) {
        batcher.pushRows(first, 10, Float64Array.from(rows.slice(first, first + 10).flat()));
        clock.t += 1;
      }
      const beforeEnd = batches.length;
      batcher.flush();
      return { batches, beforeEnd };
    };
    const hinted = run(true);
    expect(hinted.beforeEnd).toBe(1);
    expect(hinted.batches).toHaveLength(2);
    // flushed once ~20 ms (200 episodes) of work were left
    const last = hinted.batches[1]!;
    expect(last.start + last.count).toBe(1000);
    expect(last.count).toBeGreaterThanOrEqual(180);
    expect(last.count).toBeLessThanOrEqual(220);
    expect(episodes(hinted.batches)).toEqual(rows.slice(0, 1000).map((r) => r.map(Math.fround)));
    const plain = run(false);
    expect(plain.beforeEnd).toBe(0);
    expect(plain.batches).toHaveLength(1);
  });

  it('takes float32 columns given with the rows as they are, with the same batches as from the rows', () => {
    const run = (withColumns: boolean) => {
      const clock = { t: 0 };
      const { batcher, batches } = collect(clock);
      for (let first = 0; first < rows.length; first += 1000) {
        const block = rows.slice(first, first + 1000);
        const columns = withColumns ? [0, 1].map((m) => Float32Array.from(block, (r) => r[m]!)) : undefined;
        clock.t = first * 0.01;
        batcher.pushRows(first, block.length, Float64Array.from(block.flat()), columns);
      }
      batcher.flush();
      return batches;
    };
    const fromColumns = run(true);
    expect(fromColumns).toEqual(run(false));
    expect(episodes(fromColumns)).toEqual(rows.map((r) => r.map(Math.fround)));
    expect(fromColumns.length).toBeGreaterThan(1);
    // The columns are what is taken (here they differ from the rows on purpose).
    const { batcher, batches } = collect({ t: 0 }, 1e9);
    batcher.pushRows(0, 3, Float64Array.from([1, 2, 3, 4, 5, 6]), [Float32Array.from([10, 30, 50]), Float32Array.from([20, 40, 60])]);
    batcher.flush();
    expect(batches[0]!.columns).toEqual([[10, 30, 50], [20, 40, 60]]);
  });

  it('grows past its first capacity within one block', () => {
    const clock = { t: 0 };
    const { batcher, batches } = collect(clock, 1e9);
    batcher.pushRows(0, rows.length, Float64Array.from(rows.flat()));
    batcher.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.count).toBe(rows.length);
    expect(episodes(batches)).toEqual(rows.map((r) => r.map(Math.fround)));
  });

  it('hands its buffers over batch after batch, or lends the same ones back', () => {
    for (const mode of ['handOver', 'lend'] as const) {
      const clock = { t: 0 };
      const buffers: ArrayBufferLike[] = [];
      const seen: number[][] = [];
      const batcher = new MetricBatcher(
        2,
        1e9,
        () => clock.t,
        (start, count, columns) => {
          buffers.push(columns[0]!.buffer);
          expect(columns[0]!.length, mode).toBe(count);
          for (let i = 0; i < count; i++) seen.push([columns[0]![i]!, columns[1]![i]!]);
        },
        mode,
      );
      for (let first = 0; first < rows.length; first += 1000) {
        batcher.pushRows(first, 1000, Float64Array.from(rows.slice(first, first + 1000).flat()));
        batcher.flush();
      }
      expect(seen, mode).toEqual(rows.map((r) => r.map(Math.fround)));
      expect(buffers).toHaveLength(5);
      // Handed over, no two batches share memory (a worker transfers each); lent, all do.
      expect(new Set(buffers).size, mode).toBe(mode === 'lend' ? 1 : 5);
    }
  });
});
