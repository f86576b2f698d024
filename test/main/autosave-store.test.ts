// A running run's autosave in the store, and resuming an interrupted run from it: the autosave is
// kept only when the stored metrics reach its episode; resuming cuts back what the run stored after
// it (metric chunks, the chunk straddling it rewritten with its summary, checkpoints, episodes
// done, the listed return), so that the store holds exactly what a run that stopped at that
// episode holds, and the run is refused with the autosave's interval named when it has none.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng';
import { JobPool } from '../../src/main/jobs/pool';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const SPEC = { env: { id: 'bandit-testbed', arms: 5 }, agent: { id: 'ucb1' }, episodes: 20_000, seed: 1 };

function setup(file: string, runs = 1): { store: Store; ids: number[] } {
  const store = Store.open(file);
  const created = store.createExperimentWithRuns({
    name: 'autosave',
    config: {},
    configHash: 'a'.repeat(64),
    runs: Array.from({ length: runs }, (_, i) => ({ seed: i, config: SPEC, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: SPEC.episodes })),
  });
  return { store, ids: created.runs.map((r) => r.id) };
}

/** Seeded metric values: returns with some NaN, whole-number lengths, a constant. */
function values(episodes: number): { return: Float32Array; length: Float32Array; 'train/epsilon': Float32Array } {
  const rng = new Rng(9);
  const columns = { return: new Float32Array(episodes), length: new Float32Array(episodes), 'train/epsilon': new Float32Array(episodes).fill(0.1) };
  for (let i = 0; i < episodes; i++) {
    columns.return[i] = rng.nextDouble() < 0.05 ? NaN : rng.normal();
    columns.length[i] = 1 + rng.int(200);
  }
  return columns;
}

/** Appends episodes [from, to) of `columns` in batches of irregular sizes. */
function append(store: Store, runId: number, columns: Record<string, Float32Array>, from: number, to: number): void {
  for (let start = from, size = 333; start < to; start += size, size = (size * 7) % 1000 + 1) {
    const count = Math.min(size, to - start);
    const batch = Object.fromEntries(Object.entries(columns).map(([name, v]) => [name, v.slice(start, start + count)]));
    store.appendMetrics(runId, { start, count, columns: batch });
  }
}

/** Everything stored of a run's metrics: its series and their chunks, summaries and bytes. */
function stored(store: Store, runId: number): unknown {
  return store.db
    .prepare(
      `SELECT s.name, s.first_episode, s.next_episode, c.start_episode, c.count, c.present, c.min, c.max, c.sum, hex(c.data) AS data
       FROM metric_series s JOIN metric_chunks c ON c.series_id = s.id WHERE s.run_id = ? ORDER BY s.name, c.start_episode`,
    )
    .all(runId);
}

const qtable = (episode: number) => ({ episode, kind: 'qtable' as const, states: 1, actions: 2, data: Float64Array.from([episode, 1]) });

describe('resuming an interrupted run from its autosave', () => {
  for (const [where, at, end] of [
    ['inside a chunk', 5_000, 9_100],
    ['at a chunk boundary', 4_096, 4_500],
    ['inside the first chunk', 700, 12_000],
  ] as const) {
    it(`cuts back what was stored after it (${where}) to what a run stopped there stores`, () => {
      const file = join(tempDir(), 'autosave.db');
      const { store, ids } = setup(file, 2);
      const [crashed, reference] = ids as [number, number];
      const columns = values(end);
      for (const id of ids) store.markRunning(id);
      append(store, crashed, columns, 0, at);
      store.addCheckpoint(crashed, qtable(at - 1));
      store.autosaveRun(crashed, { episode: at, data: Uint8Array.from([1, 2, 3]) });
      append(store, crashed, columns, at, end);
      store.addCheckpoint(crashed, qtable(at));
      store.addCheckpoint(crashed, qtable(end - 1));
      append(store, reference, columns, 0, at);
      store.close(); // the process ends with the run unfinished: it is interrupted

      const reopened = Store.open(file);
      expect(reopened.getRun(crashed).status).toBe('interrupted');
      expect(reopened.getRun(crashed).episodesDone).toBe(end);
      expect(reopened.resumableAt(crashed)).toBe(at);
      const resumed = reopened.resumeRun(crashed);
      expect(resumed.episode).toBe(at);
      expect(Array.from(resumed.state!)).toEqual([1, 2, 3]);
      const run = reopened.getRun(crashed);
      expect(run.status).toBe('queued');
      expect(run.episodesDone).toBe(at);
      expect(stored(reopened, crashed)).toEqual(stored(reopened, reference));
      expect(reopened.listCheckpoints(crashed).map((c) => c.episode)).toEqual([at - 1]);
      // The metrics read back and go on from there as any run's.
      expect(Array.from(reopened.readMetricRaw(crashed, 'return'))).toEqual(Array.from(columns.return.subarray(0, at)));
      reopened.markRunning(crashed);
      append(reopened, crashed, columns, at, end);
      expect(Array.from(reopened.readMetricRaw(crashed, 'length'))).toEqual(Array.from(columns.length));
      reopened.close();
    });
  }

  it('keeps an autosave only when the stored metrics reach its episode, and only while the run runs', () => {
    const { store, ids } = setup(join(tempDir(), 'ahead.db'));
    const runId = ids[0]!;
    store.autosaveRun(runId, { episode: 0, data: Uint8Array.from([1]) });
    expect(store.resumableAt(runId), 'a queued run').toBeNull();
    store.markRunning(runId);
    append(store, runId, values(100), 0, 100);
    store.autosaveRun(runId, { episode: 101, data: Uint8Array.from([1]) });
    expect(store.resumableAt(runId), 'ahead of the metrics').toBeNull();
    store.autosaveRun(runId, { episode: 100, data: Uint8Array.from([1]) });
    expect(store.resumableAt(runId)).toBe(100);
    store.finishRun(runId, 'completed', { summary: {} });
    expect(store.resumableAt(runId), 'a completed run keeps none').toBeNull();
    store.close();
  });

  it("is dealt with at the run's end as a pause's state is: replaced when it stops with one, else dropped", () => {
    const { store, ids } = setup(join(tempDir(), 'end.db'), 3);
    for (const id of ids) {
      store.markRunning(id);
      append(store, id, values(100), 0, 100);
      store.autosaveRun(id, { episode: 50, data: Uint8Array.from([5]) });
      expect(store.resumableAt(id)).toBe(50);
    }
    const [failed, cancelledInside, cancelled] = ids as [number, number, number];
    store.finishRun(failed, 'failed', { error: 'the worker crashed' });
    store.finishRun(cancelledInside, 'cancelled', { summary: {} }); // stopped inside an episode: no state
    store.finishRun(cancelled, 'cancelled', { summary: {}, state: { episode: 100, data: Uint8Array.from([9]) } });
    expect(ids.map((id) => store.resumableAt(id))).toEqual([null, null, 100]);
    store.close();
  });

  it('an interrupted run without an autosave is refused naming the interval', () => {
    const { store, ids } = setup(join(tempDir(), 'none.db'));
    store.markRunning(ids[0]!);
    append(store, ids[0]!, values(10), 0, 10);
    store.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?").run(ids[0]!);
    const pool = new JobPool({ workerPath: 'unused.js', sink: store, autosaveMs: 90_000 });
    expect(() => resumeRun(store, pool, ids[0]!)).toThrow(
      `run ${ids[0]} has no checkpoint to resume from: it stopped without one (a crash before its first autosave, which a run writes every 90 s while it trains, or a stop inside an episode); a checkpoint is also written when a run is paused or cancelled between episodes. Start it again (Run again in the app, \`aisle again 1\` in a terminal)`,
    );
    expect(store.getRun(ids[0]!).status).toBe('interrupted');
    expect(store.getRun(ids[0]!).episodesDone).toBe(10);
    store.close();
  });
});
