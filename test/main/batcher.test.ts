// The worker's metric batcher: rows in, float32 columns out at most every flushMs.
import { describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { MetricBatcher } from '../../src/main/jobs/batcher';
import { SpareColumns, giveBackColumns } from '../../src/main/jobs/spare-columns';

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

  it('collects into spare columns, handed over and given back, with the same episodes as new memory', () => {
    const spare = new SpareColumns();
    const clock = { t: 0 };
    const fresh: ArrayBufferLike[] = [];
    const seen: number[][] = [];
    // The first run, with nothing spare: its batches' buffers are given back once "written".
    const emit = (_start: number, count: number, columns: Float32Array[]) => {
      for (let i = 0; i < count; i++) seen.push([columns[0]![i]!, columns[1]![i]!]);
      fresh.push(...columns.map((c) => c.buffer));
    };
    const first = new MetricBatcher(2, 1e9, () => clock.t, emit, 'handOver', spare);
    for (let at = 0; at < 3000; at += 1000) {
      first.pushRows(at, 1000, Float64Array.from(rows.slice(at, at + 1000).flat()));
      first.flush();
    }
    first.release();
    for (const b of fresh) spare.give(b as ArrayBuffer);
    expect(seen).toEqual(rows.slice(0, 3000).map((r) => r.map(Math.fround)));
    // three batches of two columns handed over, and the two the batcher held at the end
    expect(spare.kept.buffers).toBe(8);
    // The next run collects into those buffers (their old values underneath) and delivers its own.
    const reused: ArrayBufferLike[] = [];
    seen.length = 0;
    const second = new MetricBatcher(2, 1e9, () => clock.t, (start, count, columns) => {
      emit(start, count, columns);
      reused.push(...columns.map((c) => c.buffer));
    }, 'handOver', spare);
    second.pushRows(3000, 2000, Float64Array.from(rows.slice(3000).flat()));
    second.flush();
    expect(seen).toEqual(rows.slice(3000).map((r) => r.map(Math.fround)));
    expect(reused.every((b) => fresh.includes(b))).toBe(true);
    // two taken at the start, then two larger ones to grow into (the first two given back); the
    // columns after the flush must hold 2,500 values, more than any spare one: new memory
    expect(spare.kept.buffers).toBe(6);
  });

  it('takes the smallest spare buffer that holds a column, and new memory when none does', () => {
    const spare = new SpareColumns();
    const small = new ArrayBuffer(4 * 100);
    const large = new ArrayBuffer(4 * 5000);
    spare.give(large);
    spare.give(small);
    spare.give(new ArrayBuffer(0)); // a detached buffer's length: ignored
    expect(spare.kept.buffers).toBe(2);
    expect(spare.take(50).buffer).toBe(small);
    expect(spare.take(100).buffer).toBe(large);
    const made = spare.take(100);
    expect(made.length).toBe(100);
    expect(made.buffer).not.toBe(small);
    expect(spare.kept.buffers).toBe(0);
    // At most 32 are kept: past that the smallest go.
    for (let i = 1; i <= 40; i++) spare.give(new ArrayBuffer(4 * i));
    expect(spare.kept).toEqual({ buffers: 32, bytes: 4 * (9 + 40) * 16 });
    expect(spare.take(1).length).toBe(9);
    // And at most 8 MB: a 5 MB buffer and then a 4 MB one leave the larger alone (the smallest go first).
    spare.give(new ArrayBuffer(5 * 2 ** 20));
    spare.give(new ArrayBuffer(4 * 2 ** 20));
    expect(spare.kept).toEqual({ buffers: 1, bytes: 5 * 2 ** 20 });
    expect(spare.take(2 ** 20).length).toBe(5 * 2 ** 18);
    expect(spare.take(2 ** 20).length).toBe(2 ** 20); // the 4 MB one went: new memory
  });

  it('receives the buffers given back from another thread, on their port, without waiting', () => {
    const { port1, port2 } = new MessageChannel();
    try {
      const spare = new SpareColumns(port2);
      const columns = [new Float32Array(300), new Float32Array(700)];
      giveBackColumns(port1, columns);
      // Transferred: the giver's views are detached, and giving them again sends nothing.
      expect(columns[0]!.length).toBe(0);
      giveBackColumns(port1, columns);
      expect(spare.kept.buffers).toBe(2);
      expect(spare.take(500).length).toBe(700);
      expect(spare.take(200).length).toBe(300);
      expect(spare.kept.buffers).toBe(0);
    } finally {
      port1.close();
    }
  });
});
