// A run's summary while it trains (or after it stopped without one): read from the episodes stored
// so far, in Run detail and in the Runs list, and each metric's count of stored values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

/** A run of 500 episodes, marked running, with episodes 0–249 stored: return = episode + `shift`, a loss at 249 only. */
function halfwayRun(shift = 0): number {
  const { runs } = t.store.createExperimentWithRuns({
    name: 'halfway',
    config: {},
    configHash: 'e'.repeat(64),
    runs: [{ seed: 0, config: { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 500, seed: 0 }, configHash: 'e'.repeat(64), appVersion: 'test', episodesTotal: 500 }],
  });
  const id = runs[0]!.id;
  t.store.markRunning(id);
  const loss = new Float32Array(250).fill(NaN);
  loss[249] = 1.5;
  t.store.appendMetrics(id, { start: 0, count: 250, columns: { return: Float32Array.from({ length: 250 }, (_, i) => i + shift), 'train/loss': loss } }, 250);
  return id;
}

async function listedByReturn(): Promise<{ id: number; returnLast100: number | null }[]> {
  const page = await t.call('runs.list', { sort: 'returnLast100', descending: true, offset: 0, limit: 100 });
  return page.runs.map((r) => ({ id: r.id, returnLast100: r.returnLast100 }));
}

describe('a summary from the episodes stored so far', () => {
  it('Run detail of a running run: means over the stored values, marked as so far', async () => {
    const id = halfwayRun();
    const detail = await t.call('runs.get', { id });
    expect(detail.summarySoFar).toBe(true);
    expect(detail.summary.return).toEqual({ mean: 124.5, last100: 199.5, values: 250 }); // 0..249, and 150..249
    expect(detail.summary['train/loss']).toEqual({ mean: 1.5, last100: 1.5, values: 1 });
  });

  it('the Runs list gives a running run its return over the last 100 episodes so far', async () => {
    const id = halfwayRun();
    const page = await t.call('runs.list', { sort: 'id', descending: true, offset: 0, limit: 100 });
    expect(page.runs.find((r) => r.id === id)?.returnLast100).toBe(199.5);
  });

  it('a finished run keeps its own summary, with the count of stored values beside it', async () => {
    const id = halfwayRun();
    t.store.finishRun(id, 'cancelled', { summary: { return: { mean: 124.5, last100: 199.5 }, 'train/loss': { mean: 1.5, last100: 1.5 } } });
    const detail = await t.call('runs.get', { id });
    expect(detail.summarySoFar).toBe(false);
    expect(detail.summary['train/loss']).toEqual({ mean: 1.5, last100: 1.5, values: 1 });
    const [loss] = await t.call('runs.metrics', { runIds: [id], metric: 'train/loss', maxPoints: 2000 });
    expect(loss).toMatchObject({ total: 250, values: 1, x: [249] });
  });

  it('the Runs list gives a run that stopped without a summary its stored return, and sorts by it', async () => {
    const failed = halfwayRun(); // 199.5 over its last 100 stored episodes
    const cancelled = halfwayRun(-100); // 99.5
    const completed = halfwayRun(); // its own summary: 150
    t.store.finishRun(failed, 'failed', { error: 'the worker died' });
    t.store.finishRun(cancelled, 'cancelled', { summary: {} });
    t.store.finishRun(completed, 'completed', { summary: { return: { mean: 124.5, last100: 150 } } });
    expect(await listedByReturn()).toEqual([
      { id: failed, returnLast100: 199.5 },
      { id: completed, returnLast100: 150 },
      { id: cancelled, returnLast100: 99.5 },
    ]);
    expect((await t.call('runs.get', { id: cancelled })).summary.return?.last100).toBe(99.5); // as Run detail shows it
  });

  it('a run that stopped before its stored return was kept (an older database) is listed with it all the same', async () => {
    const id = halfwayRun();
    t.store.finishRun(id, 'failed', { error: 'the worker died' });
    t.store.db.prepare('UPDATE runs SET return_last100 = NULL WHERE id = ?').run(id);
    expect(await listedByReturn()).toEqual([{ id, returnLast100: 199.5 }]);
  });

  it('opening an older database lists its stopped runs’ stored returns, so sorting by return places them', async () => {
    const old = halfwayRun(); // 199.5 over its last 100 stored episodes
    const completed = halfwayRun();
    t.store.finishRun(old, 'cancelled', { summary: {} });
    t.store.finishRun(completed, 'completed', { summary: { return: { mean: 124.5, last100: 150 } } });
    t.store.db.prepare('UPDATE runs SET return_last100 = NULL WHERE id = ?').run(old); // as a build before it was kept left it
    const sorted = () => t.store.listRunItems({ sort: 'returnLast100', descending: true }).runs.map((r) => r.id);
    expect(sorted()).toEqual([completed, old]); // sorted among the runs without one
    const reopened = Store.open(t.dbPath);
    try {
      expect(reopened.listRunItems({ sort: 'returnLast100', descending: true }).runs.map((r) => [r.id, r.returnLast100])).toEqual([
        [old, 199.5],
        [completed, 150],
      ]);
    } finally {
      reopened.close();
    }
  });

  it('a metric named as an object key (__proto__, constructor, toString) has its summary like any other', async () => {
    // No environment names its metrics so today; the store takes any name, and Run detail read
    // `__proto__` as the summary's prototype and a finished run's own `constructor` as Object.
    const id = halfwayRun();
    const column = (v: number) => new Float32Array(250).fill(v);
    t.store.appendMetrics(id, { start: 0, count: 250, columns: { ['__proto__']: column(1), constructor: column(2), toString: column(3) } }, 250);
    const running = await t.call('runs.get', { id });
    expect(Object.hasOwn(running.summary, '__proto__')).toBe(true);
    expect(running.summary['__proto__']).toEqual({ mean: 1, last100: 1, values: 250 });
    expect(running.summary['constructor']).toEqual({ mean: 2, last100: 2, values: 250 });
    expect(Object.keys(running.summary).sort()).toEqual(['__proto__', 'constructor', 'return', 'toString', 'train/loss']);
    // Finished with a summary of its own that names none of them: theirs are read from the store.
    t.store.finishRun(id, 'cancelled', { summary: { return: { mean: 124.5, last100: 199.5 } } });
    const finished = await t.call('runs.get', { id });
    expect(finished.summary['constructor']).toEqual({ mean: 2, last100: 2, values: 250 });
    expect(finished.summary['toString']).toEqual({ mean: 3, last100: 3, values: 250 });
    expect(finished.summary['__proto__']).toEqual({ mean: 1, last100: 1, values: 250 });
    expect(finished.summary.return).toEqual({ mean: 124.5, last100: 199.5, values: 250 });
  });
});
