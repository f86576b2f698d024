// Run detail's curves of a running run are one snapshot: every chart read up to the same episode and
// shown at once, with that count for the progress figure. Each chart read its curve on its own
// schedule, up to whatever the store held when its read came: in the walk, a return chart over
// 709,632 episodes beside a length chart over 361,472 and a progress figure of 985,088.
import { describe, expect, it } from 'vitest';
import type { Client } from '../../src/shared/client';
import type { Series } from '../../src/shared/dto';
import { CurveSnapshots, readCurve, RunDeleted, type CurveSnapshot } from '../../src/renderer/src/curve-snapshot';

/** A run that keeps training: the store holds `stored` episodes of each metric (ahead of the progress pushed), more after every read. */
function trainingRun(metrics: readonly string[]) {
  const state = { stored: 5000 };
  const reads: { metric: string; to: number | null; all: boolean }[] = [];
  const pending: (() => void)[] = [];
  const series = (metric: string, to: number | null): Series => {
    const end = to === null ? state.stored : Math.min(to, state.stored);
    const x = Array.from({ length: end }, (_, i) => i);
    return { runId: 1, metric, total: state.stored, values: end, downsampled: false, x, mean: x, min: x, max: x };
  };
  /** Each read answers when `answer` is called, with what the store holds then (a run trains 500 episodes between two answers). */
  const read = (metric: string, all: boolean, to: number | null) => {
    expect(metrics).toContain(metric);
    reads.push({ metric, to, all });
    return new Promise<Series>((resolve) =>
      pending.push(() => {
        state.stored += 500;
        resolve({ ...series(metric, to), total: to === null ? state.stored : Math.min(state.stored, to) });
      }),
    );
  };
  const answer = async () => {
    while (pending.length > 0) pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { state, reads, read, answer };
}

const totals = (s: CurveSnapshot) => [...s.curves.values()].map((c) => c.series?.total);

/** Snapshots of a training run's curves of `metrics`, every one published kept in `shown`. */
function snapshotsOf(metrics: readonly string[]) {
  const run = trainingRun(metrics);
  const shown: CurveSnapshot[] = [];
  const snapshots = new CurveSnapshots(run.read, (s) => shown.push(s));
  snapshots.setMetrics(metrics);
  return { run, shown, snapshots };
}

describe('CurveSnapshots', () => {
  it('shows every curve up to the snapshot’s episodes, all at once, however far the store has got by each answer', async () => {
    const { run, shown, snapshots } = snapshotsOf(['return', 'length', 'train/epsilon']);
    snapshots.advance(1000);
    expect(run.reads.map((r) => r.to)).toEqual([1000, 1000, 1000]);
    // While the round is under way the last snapshot stays (none yet), each curve marked as loading.
    expect(shown.at(-1)!.episodes).toBeUndefined();
    expect([...shown.at(-1)!.curves.values()].every((c) => c.loading)).toBe(true);
    await run.answer();
    expect(shown.at(-1)!.episodes).toBe(1000);
    expect(totals(shown.at(-1)!)).toEqual([1000, 1000, 1000]);
    // The store holds 6,500 episodes now, 500 more by each answer; the next snapshot is up to 2,200 played.
    snapshots.advance(2200);
    await run.answer();
    const last = shown.at(-1)!;
    expect(last.episodes).toBe(2200);
    expect(totals(last)).toEqual([2200, 2200, 2200]);
    expect([...last.curves.values()].map((c) => c.series!.x.at(-1))).toEqual([2199, 2199, 2199]);
    // Every snapshot shown has its curves at one count: never one chart ahead of another.
    for (const s of shown) expect(new Set(totals(s).filter((t) => t !== undefined)).size).toBeLessThanOrEqual(1);
  });

  it('reads one round at a time: refreshes asked meanwhile make one more round, up to the latest episodes asked', async () => {
    const { run, shown, snapshots } = snapshotsOf(['return', 'length']);
    snapshots.advance(100);
    snapshots.advance(200);
    snapshots.advance(300);
    expect(run.reads).toHaveLength(2);
    await run.answer();
    expect(run.reads.map((r) => r.to)).toEqual([100, 100, 300, 300]);
    await run.answer();
    expect(shown.at(-1)!.episodes).toBe(300);
    expect(run.reads).toHaveLength(4);
  });

  it('leaves a chart out of view unread, and reads it up to the snapshot’s episodes when it comes into view', async () => {
    const { run, shown, snapshots } = snapshotsOf(['return', 'length']);
    snapshots.advance(1000);
    await run.answer();
    snapshots.setVisible('length', false);
    snapshots.advance(4000);
    expect(run.reads.slice(2).map((r) => r.metric)).toEqual(['return']);
    await run.answer();
    expect(shown.at(-1)!.episodes).toBe(4000);
    snapshots.setVisible('length', true);
    expect(run.reads.at(-1)).toEqual({ metric: 'length', to: 4000, all: false });
    await run.answer();
    expect(totals(shown.at(-1)!)).toEqual([4000, 4000]);
  });

  it('reads every point of a chart asked for them, up to the same episodes, and a stopped run’s curves whole', async () => {
    const { run, shown, snapshots } = snapshotsOf(['return', 'length']);
    snapshots.advance(1000);
    await run.answer();
    snapshots.setAll('return', true);
    expect(shown.at(-1)!.all.has('return')).toBe(true);
    expect(run.reads.at(-1)).toEqual({ metric: 'return', to: 1000, all: true });
    await run.answer();
    snapshots.advance(null);
    expect(run.reads.slice(-2)).toEqual([
      { metric: 'return', to: null, all: true },
      { metric: 'length', to: null, all: false },
    ]);
    await run.answer();
    expect(shown.at(-1)!.episodes).toBeNull();
  });

  it('drops what a closed screen’s reads answer', async () => {
    const { run, shown, snapshots } = snapshotsOf(['return']);
    snapshots.advance(1000);
    const before = shown.length;
    snapshots.close();
    await run.answer();
    expect(shown).toHaveLength(before);
  });
});

describe('readCurve', () => {
  /** runs.metrics of a store 5,000 episodes ahead of the snapshot, recording each call's input. */
  function aheadClient() {
    const inputs: { from?: number; to?: number; maxPoints?: number }[] = [];
    const client = {
      call: (_command: string, input: { from?: number; to?: number; maxPoints?: number }) => {
        inputs.push(input);
        const from = input.from ?? 0;
        const to = Math.min(input.to ?? 25_000, 25_000);
        const x = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
        return Promise.resolve([{ runId: 1, metric: 'return', total: 25_000, values: x.length, downsampled: false, x, mean: x, min: x, max: x }]);
      },
    } as unknown as Client;
    return { client, inputs };
  }

  it('counts the episodes up to the snapshot’s, not those the store holds by its answer', async () => {
    const { client, inputs } = aheadClient();
    const s = await readCurve(client, 1, 'return', false, 20_000);
    expect(inputs).toEqual([{ runIds: [1], metric: 'return', maxPoints: 2000, to: 20_000, onlyStored: true }]);
    expect(s.total).toBe(20_000);
  });

  // Its run deleted while the read was under way: runs.metrics, asked with onlyStored, answers
  // without its series (no 404, no failed resource in the browser's console), said as RunDeleted.
  it('says a run left out of the answer was deleted', async () => {
    const client = { call: () => Promise.resolve([]) } as unknown as Client;
    const read = readCurve(client, 7, 'return', false, null);
    await expect(read).rejects.toBeInstanceOf(RunDeleted);
    await expect(read).rejects.toThrow('run 7 was deleted');
  });

  it('reads every point in windows up to the snapshot’s episodes', async () => {
    const { client, inputs } = aheadClient();
    const s = await readCurve(client, 1, 'return', true, 20_000);
    expect(inputs.map((i) => [i.from, i.to])).toEqual([
      [0, 10_000],
      [10_000, 20_000],
    ]);
    expect(s.total).toBe(20_000);
    expect(s.x).toHaveLength(20_000);
    expect((await readCurve(client, 1, 'return', true, null)).x).toHaveLength(25_000);
  });
});
