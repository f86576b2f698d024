// Deleting several experiments at once (the Experiments screen's "Delete selected"): all of them in
// one transaction, or none when one is unknown or has a queued or running run, with one message
// naming every run that holds the delete up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 1 });
});
afterEach(async () => {
  await t.close();
});

async function finished(name: string): Promise<{ experimentId: number; runIds: readonly number[] }> {
  const launched = await t.call('experiments.launch', { experiment: cliff({ name, episodes: 10, seeds: 2, checkpoints: 1 }) });
  await t.until(launched.runIds);
  return launched;
}

const listed = async () => (await t.call('experiments.list', {})).map((e) => e.name);

describe('experiments.deleteMany', () => {
  it('deletes every experiment named, with their runs, and says so once for each', async () => {
    const a = await finished('a');
    const b = await finished('b');
    await finished('c');
    const from = t.events.length;
    // Named twice, an experiment is deleted once.
    expect(await t.call('experiments.deleteMany', { ids: [b.experimentId, a.experimentId, b.experimentId] })).toEqual({ deleted: [b.experimentId, a.experimentId] });
    expect(await listed()).toEqual(['c']);
    for (const runId of [...a.runIds, ...b.runIds]) expect((await t.fail('runs.get', { id: runId })).status).toBe(404);
    expect(t.events.slice(from).map(({ event, payload }) => ({ event, payload }))).toEqual([
      { event: 'experiments.changed', payload: { experimentId: b.experimentId } },
      { event: 'experiments.changed', payload: { experimentId: a.experimentId } },
    ]);
  });

  it('deletes none when one of them is unknown', async () => {
    const a = await finished('a');
    const error = await t.fail('experiments.deleteMany', { ids: [a.experimentId, 999] });
    expect(error).toMatchObject({ status: 404, message: expect.stringMatching(/^experiment 999 does not exist/) });
    expect(await listed()).toEqual(['a']);
    expect((await t.call('runs.list', { experimentId: a.experimentId })).total).toBe(2);
  });

  it('deletes none while one of them has a queued or running run, names each such run, and deletes all once they have stopped', async () => {
    const a = await finished('a');
    // 10^9 steps: still running when the delete is asked, even on a fast machine.
    const long = { ...cliff({ name: 'long', episodes: 100_000_000, seeds: 2 }), env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 10 } };
    const busy = await t.call('experiments.launch', { experiment: long });
    const [first, second] = busy.runIds as [number, number];
    await t.until([first], ['running']);

    expect(await t.fail('experiments.deleteMany', { ids: [a.experimentId, busy.experimentId] })).toMatchObject({
      status: 409,
      message: `none of the 2 experiments was deleted: experiment ${busy.experimentId} has active runs: run ${first} is running, run ${second} is queued: cancel them first`,
    });
    expect(await listed()).toEqual(['long', 'a']);
    expect((await t.call('runs.list', { experimentId: a.experimentId })).total).toBe(2);

    await t.call('runs.cancel', { ids: [...busy.runIds] });
    await t.until(busy.runIds, ['cancelled']);
    expect(await t.call('experiments.deleteMany', { ids: [a.experimentId, busy.experimentId] })).toEqual({ deleted: [a.experimentId, busy.experimentId] });
    expect(await listed()).toEqual([]);
  });

  it('refuses no ids, and ids that are not ids, naming the field', async () => {
    await finished('a');
    expect(await t.fail('experiments.deleteMany', { ids: [] })).toMatchObject({ status: 400, problems: ['ids: give at least one experiment id'] });
    expect((await t.fail('experiments.deleteMany', { ids: [1, 'two'] })).status).toBe(400);
    expect((await t.fail('experiments.deleteMany', { id: 1 })).status).toBe(400);
    expect(await listed()).toEqual(['a']);
  });
});
