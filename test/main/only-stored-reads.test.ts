// The reads of one run that take onlyStored (runs.get, qtables.get): a run no longer stored (deleted
// while a screen read it) answers RunNotStored, not 404, which the browser mode's page logged in its
// console as a failed resource. Without the flag, and for anything else not found, the answers are
// as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedRead } from '../../src/main/service/runs';
import { NotFoundError } from '../../src/main/store';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let kept: number;
let deleted: number;
let baseline: number;

beforeAll(async () => {
  t = openService({ workers: 1 });
  const cliffs = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 50, checkpoints: 3 }) });
  const random = await t.call('experiments.launch', { experiment: { format: 'aisle.experiment/v1', name: 'random baseline', env: { id: 'seed-toy' }, agent: { id: 'random' }, episodes: 5, seeds: 1 } });
  [kept, deleted] = cliffs.runIds as [number, number];
  baseline = random.runIds[0]!;
  await t.until([...cliffs.runIds, baseline]);
});

afterAll(async () => {
  await t.close();
});

describe('a run deleted meanwhile, read with onlyStored', () => {
  it('runs.get and qtables.get answer RunNotStored; without the flag, 404 as before', async () => {
    const checkpointId = (await t.call('qtables.get', { runId: deleted })).checkpoints[0]!.id;
    await t.call('runs.delete', { ids: [deleted] });
    expect(await t.call('runs.get', { id: deleted, onlyStored: true })).toEqual({ runNotStored: deleted });
    expect(await t.call('qtables.get', { runId: deleted, onlyStored: true })).toEqual({ runNotStored: deleted });
    // Its checkpoint, asked by number (the one-run view's first checkpoint): the same.
    expect(await t.call('qtables.get', { runId: deleted, checkpointId, onlyStored: true })).toEqual({ runNotStored: deleted });
    expect(await t.fail('runs.get', { id: deleted })).toMatchObject({ status: 404, message: expect.stringContaining(`run ${deleted} does not exist`) });
    expect(await t.fail('qtables.get', { runId: deleted, checkpointId })).toMatchObject({ status: 404, message: expect.stringContaining(`run ${deleted} does not exist`) });
  });

  it('a stored run answers with or without it alike', async () => {
    expect(await t.call('runs.get', { id: kept, onlyStored: true })).toEqual(await t.call('runs.get', { id: kept }));
    const table = await t.call('qtables.get', { runId: kept });
    expect(await t.call('qtables.get', { runId: kept, onlyStored: true })).toEqual(table);
    const first = table.checkpoints[0]!.id;
    expect(await t.call('qtables.get', { runId: kept, checkpointId: first, onlyStored: true })).toEqual(await t.call('qtables.get', { runId: kept, checkpointId: first }));
  });

  it('what else is not found of a stored run is still 404: another checkpoint, no Q-table', async () => {
    expect(await t.fail('qtables.get', { runId: kept, checkpointId: 9999, onlyStored: true })).toMatchObject({ status: 404, message: expect.stringContaining('checkpoint 9999 does not exist') });
    const none = await t.fail('qtables.get', { runId: baseline });
    expect(none.status).toBe(404);
    expect(await t.fail('qtables.get', { runId: baseline, onlyStored: true })).toEqual(none);
  });

  it('takes true or nothing: false is refused naming the field', async () => {
    const refused = await t.fail('runs.get', { id: kept, onlyStored: false });
    expect(refused.status).toBe(400);
    expect(refused.problems).toEqual(['onlyStored: give true (answer RunNotStored for a run no longer stored), or leave it out']);
    // runs.metrics' too (it took any boolean), though its answer is a list either way: one rule for every read.
    const metrics = await t.fail('runs.metrics', { runIds: [kept], metric: 'return', onlyStored: false });
    expect(metrics.status).toBe(400);
    expect(metrics.problems).toEqual(['onlyStored: give true (leave a run no longer stored out of the answer), or leave it out']);
  });
});

// Compare's read of its runs and experiments: one deleted while the read was under way is left out
// and named in `notStored` (it answered 404); without the flag, 404 as before (`aisle compare`).
describe('compare.runs with onlyStored', () => {
  it('leaves out runs and experiments no longer stored, names them, and compares the rest as without them', async () => {
    const cliffs = await t.call('experiments.launch', { experiment: cliff({ name: 'compared cliffs', seeds: 2, episodes: 50 }) });
    const other = await t.call('experiments.launch', { experiment: cliff({ name: 'compared, then deleted', seeds: 1, episodes: 50 }) });
    await t.until([...cliffs.runIds, ...other.runIds]);
    const [stays, goes] = cliffs.runIds as [number, number];
    const asked = { runIds: [stays, goes], experimentIds: [other.experimentId], metric: 'return', withoutEpisodes: 'leaveOut' as const, unrecordedMetric: 'return' as const };
    await t.call('runs.delete', { ids: [goes] });
    await t.call('experiments.delete', { id: other.experimentId });

    const left = await t.call('compare.runs', { ...asked, onlyStored: true });
    expect(left.notStored).toEqual({ runIds: [goes], experimentIds: [other.experimentId] });
    expect(left.groups.map((g) => g.runIds)).toEqual([[stays]]);
    // The rest compared as if the gone ones had not been asked for.
    const { notStored: _, ...rest } = left;
    expect(rest).toEqual(await t.call('compare.runs', { ...asked, runIds: [stays], experimentIds: [] }));
    // All of them gone: no groups, and no refusal of an empty selection.
    expect(await t.call('compare.runs', { ...asked, runIds: [goes], onlyStored: true })).toMatchObject({ groups: [], notStored: { runIds: [goes], experimentIds: [other.experimentId] } });
    // Without the flag, each is 404 as before; and none gone, no notStored.
    expect(await t.fail('compare.runs', asked)).toMatchObject({ status: 404, message: expect.stringContaining(`run ${goes} does not exist`) });
    expect(await t.fail('compare.runs', { ...asked, runIds: [stays] })).toMatchObject({ status: 404, message: expect.stringContaining(`experiment ${other.experimentId} does not exist`) });
    expect(await t.call('compare.runs', { ...asked, runIds: [stays], experimentIds: [], onlyStored: true })).not.toHaveProperty('notStored');
  });
});

describe('storedRead', () => {
  // The read and the question whether the run is stored in one snapshot (Store.snapshot's; here none).
  const snapshot = <T>(read: () => T): T => read();
  const gone = { storedRunIds: () => [], snapshot };
  const here = { storedRunIds: (ids: readonly number[]) => [...ids], snapshot };
  const checkpointGone = () => {
    throw new NotFoundError('checkpoint', 5);
  };

  it('a run deleted by another process in the middle of the read (its checkpoint gone with it): RunNotStored', () => {
    expect(storedRead(gone, 2, true, checkpointGone)).toEqual({ runNotStored: 2 });
  });

  it('a not-found of a stored run, or asked without the flag: thrown as it was', () => {
    expect(() => storedRead(here, 2, true, checkpointGone)).toThrow('checkpoint 5 does not exist');
    expect(() => storedRead(gone, 2, undefined, checkpointGone)).toThrow('checkpoint 5 does not exist');
  });

  it('another failure is not asked about: thrown as it was', () => {
    const asked: number[][] = [];
    const store = { storedRunIds: (ids: readonly number[]) => (asked.push([...ids]), []), snapshot };
    expect(() =>
      storedRead(store, 2, true, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(asked).toEqual([]);
    expect(storedRead(store, 2, true, () => 'read')).toBe('read');
    expect(asked).toEqual([]);
  });
});
