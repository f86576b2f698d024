// A run's summary while it trains (or after it stopped without one): read from the episodes stored
// so far, in Run detail and in the Runs list, and each metric's count of stored values.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

/** A run of 500 episodes, marked running, with episodes 0–249 stored: return = episode, a loss at 249 only. */
function halfwayRun(): number {
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
  t.store.appendMetrics(id, { start: 0, count: 250, columns: { return: Float32Array.from({ length: 250 }, (_, i) => i), 'train/loss': loss } }, 250);
  return id;
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
});
