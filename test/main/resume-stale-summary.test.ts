// A paused or cancelled run keeps the summary (and greedy evaluation, and listed return) of the
// episodes it had played when it stopped. Resumed, it trains on from there: what it had stored at
// the stop no longer describes it. Queued again, the run drops them, so that while it trains, and
// after a crash leaves it interrupted, its summary is taken from its stored episodes as any
// unfinished run's is, rather than `aisle show`, `aisle runs` and the app reading the summary of
// its first episodes as the run's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const SPEC = { env: { id: 'bandit-testbed', arms: 5 }, agent: { id: 'ucb1' }, episodes: 1_000, seed: 0 };

function setup(file: string): { store: Store; runId: number } {
  const store = Store.open(file);
  const created = store.createExperimentWithRuns({
    name: 'stale summary',
    config: {},
    configHash: 'a'.repeat(64),
    runs: [{ seed: 0, config: SPEC, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: SPEC.episodes }],
  });
  return { store, runId: created.runs[0]!.id };
}

/** Episodes [from, to): returns of `value`, lengths of 1. */
function append(store: Store, runId: number, from: number, to: number, value: number): void {
  const count = to - from;
  store.appendMetrics(runId, { start: from, count, columns: { return: new Float32Array(count).fill(value), length: new Float32Array(count).fill(1) } });
}

describe('a stopped run resumed', () => {
  for (const stop of ['cancelled', 'paused'] as const) {
    it(`no longer carries the summary of the episodes it had played when ${stop}`, () => {
      const file = join(tempDir(), 'stale.db');
      const { store, runId } = setup(file);
      store.markRunning(runId);
      append(store, runId, 0, 200, 1);
      const stale = { return: { mean: 1, last100: 1 }, length: { mean: 1, last100: 1 } };
      store.finishRun(runId, stop, { summary: stale, greedy: { expectedReturn: 1 }, state: { episode: 200, data: Uint8Array.from([1]) } });
      expect(store.getRunItem(runId).returnLast100).toBe(1);

      store.resumeRun(runId);
      const queued = store.getRun(runId);
      expect([queued.status, queued.summary, queued.greedy]).toEqual(['queued', null, null]);
      expect(store.getRunItem(runId).returnLast100).toBeNull();

      // It trains on (returns of 5 now), and its process is killed.
      store.markRunning(runId);
      append(store, runId, 200, 600, 5);
      expect(store.getRun(runId).summary).toBeNull();
      store.close();

      const reopened = Store.open(file);
      try {
        const run = reopened.getRun(runId);
        expect([run.status, run.episodesDone, run.summary, run.greedy]).toEqual(['interrupted', 600, null, null]);
        // The listed return is its last 100 stored episodes', not the 1 of its first 200.
        expect(reopened.getRunItem(runId).returnLast100).toBe(5);
      } finally {
        reopened.close();
      }
    });
  }
});

describe('a database an earlier build left such runs in', () => {
  it('drops their summaries when a writer opens it, and lists their stored returns; a stopped run keeps its own', () => {
    const file = join(tempDir(), 'earlier.db');
    const { store, runId } = setup(file);
    const stopped = store.createExperimentWithRuns({
      name: 'stopped',
      config: {},
      configHash: 'b'.repeat(64),
      runs: [{ seed: 0, config: SPEC, configHash: 'b'.repeat(64), appVersion: 'test', episodesTotal: SPEC.episodes }],
    }).runs[0]!.id;
    for (const [id, value] of [
      [runId, 5],
      [stopped, 2],
    ] as const) {
      store.markRunning(id);
      append(store, id, 0, 300, value);
    }
    store.finishRun(stopped, 'cancelled', { summary: { return: { mean: 2, last100: 2 } }, state: { episode: 300, data: Uint8Array.from([1]) } });
    store.close(); // runId is left running: interrupted by the next to open
    // As an earlier build's resume left it: the summary of its first episodes, kept through a crash.
    const stale = JSON.stringify({ return: { mean: 1, last100: 1 } });
    const edit = Store.open(file);
    edit.db.prepare(`UPDATE runs SET summary = ?, greedy = '{"expectedReturn": 1}', return_last100 = 1 WHERE id = ?`).run(stale, runId);
    edit.close();

    const reopened = Store.open(file);
    try {
      const run = reopened.getRun(runId);
      expect([run.status, run.summary, run.greedy]).toEqual(['interrupted', null, null]);
      expect(reopened.getRunItem(runId).returnLast100).toBe(5);
      expect(reopened.getRun(stopped).summary).toEqual({ return: { mean: 2, last100: 2 } });
      expect(reopened.getRunItem(stopped).returnLast100).toBe(2);
    } finally {
      reopened.close();
    }
  });
});
