// A day in the app: experiments launched, run and deleted again and again. What the service keeps per
// run or experiment (its own runs and experiments, the experiment of each run awaiting a status, the
// progress throttle, runs waiting for the database) is bounded by what the database holds: nothing
// stays behind for what was deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

async function finished(name: string, seeds = 2): Promise<{ experimentId: number; runIds: readonly number[] }> {
  const launched = await t.call('experiments.launch', { experiment: cliff({ name, episodes: 10, seeds, checkpoints: 1 }) });
  await t.until(launched.runIds);
  return launched;
}

const nothing = { ownRuns: 0, ownExperiments: 0, runsAwaitingStatus: 0, runsWaitingForDatabase: 0, runsThrottled: 0, runsFinishedHere: 0 };

describe('a long session', () => {
  it('keeps nothing about runs and experiments once they are deleted, however they were deleted', async () => {
    const a = await finished('a');
    const b = await finished('b', 3);
    const c = await finished('c');
    // One cancelled while it trains, and one cancelled while queued behind it.
    const long = await t.call('experiments.launch', { experiment: cliff({ name: 'long', episodes: 1_000_000, seeds: 2, checkpoints: 1 }) });
    await t.call('runs.cancel', { ids: [...long.runIds] });
    await t.until(long.runIds, ['cancelled']);
    // Finished, the runs are no longer this process's to report: only the experiments are kept.
    expect(t.service.tracked()).toEqual({ ...nothing, ownExperiments: 4 });

    await t.call('experiments.delete', { id: a.experimentId });
    await t.call('experiments.deleteMany', { ids: [b.experimentId, long.experimentId] });
    expect(t.service.tracked()).toEqual({ ...nothing, ownExperiments: 1 });
    // Its runs deleted one by one, the experiment stays (and is kept as this process's) until it is deleted too.
    await t.call('runs.delete', { ids: [c.runIds[0]!] });
    await t.call('runs.delete', { ids: [c.runIds[1]!] });
    expect(t.service.tracked()).toEqual({ ...nothing, ownExperiments: 1 });
    await t.call('experiments.delete', { id: c.experimentId });
    expect(t.service.tracked()).toEqual(nothing);
  });
});
