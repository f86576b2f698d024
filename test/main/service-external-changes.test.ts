// Another process writing the app's database (here a second Store on the same file, as `aisle run`
// in a terminal opens it): the service notices its commits and pushes the events its own pool would
// push — a new experiment, a new run's status, progress, the end — so the screens refresh; its own
// runs are not reported twice, and a look with nothing new committed pushes nothing.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, Store } from '../../src/main/store';
import { tabularPolicy } from '../helpers/policy';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let other: Store;
beforeEach(() => {
  t = openService({ workers: 1 });
  other = Store.open(t.dbPath);
});
afterEach(async () => {
  other.close();
  await t.close();
});

/** The events pushed while `fn` runs, then one look for other processes' changes. */
function pushedBy(fn: () => void): { event: string; payload: unknown }[] {
  const from = t.events.length;
  fn();
  t.service.checkExternalChanges();
  return t.events.slice(from).map(({ event, payload }) => ({ event, payload }));
}

describe("other processes' changes to the database", () => {
  it('are pushed as the pool would push them: a new experiment and run, its progress, its end', () => {
    let runId = 0;
    let experimentId = 0;
    expect(
      pushedBy(() => {
        const { experiment, runs } = other.createExperimentWithRuns({
          name: 'from the terminal',
          config: {},
          configHash: 'b'.repeat(64),
          runs: [{ seed: 0, config: {}, configHash: 'b'.repeat(64), appVersion: 'test', episodesTotal: 100 }],
        });
        runId = runs[0]!.id;
        experimentId = experiment.id;
      }),
    ).toEqual([
      { event: 'experiments.changed', payload: { experimentId } },
      { event: 'run.status', payload: { runId, experimentId, status: 'queued' } },
    ]);
    expect(pushedBy(() => other.markRunning(runId))).toEqual([{ event: 'run.status', payload: { runId, experimentId, status: 'running' } }]);
    const batch = (start: number, count: number) => ({ start, count, columns: { return: new Float32Array(count).fill(1) } });
    expect(pushedBy(() => other.appendMetrics(runId, batch(0, 40)))).toEqual([{ event: 'run.progress', payload: { runId, episodesDone: 40, episodesTotal: 100 } }]);
    expect(pushedBy(() => undefined)).toEqual([]); // nothing committed since
    // The last episodes and the end between two looks: where it ended, then its status.
    expect(
      pushedBy(() => {
        other.appendMetrics(runId, batch(40, 60));
        other.finishRun(runId, 'completed', { summary: {} });
      }),
    ).toEqual([
      { event: 'run.progress', payload: { runId, episodesDone: 100, episodesTotal: 100 } },
      { event: 'run.status', payload: { runId, experimentId, status: 'completed' } },
    ]);
  });

  it('push a changed experiment for runs or an experiment another process deleted (`aisle delete`)', () => {
    const spec = (seed: number) => ({ seed, config: {}, configHash: 'f'.repeat(64), appVersion: 'test', episodesTotal: 10 });
    const made = (name: string) => {
      const { experiment, runs } = other.createExperimentWithRuns({ name, config: {}, configHash: 'f'.repeat(64), runs: [spec(0), spec(1)] });
      for (const run of runs) {
        other.markRunning(run.id);
        other.finishRun(run.id, 'completed', { summary: {} });
      }
      return { experimentId: experiment.id, runIds: runs.map((r) => r.id) };
    };
    let first = { experimentId: 0, runIds: [0] };
    let second = first;
    pushedBy(() => {
      first = made('first');
      second = made('second');
    });
    expect(pushedBy(() => other.deleteRuns([first.runIds[0]!]))).toEqual([{ event: 'experiments.changed', payload: { experimentId: first.experimentId } }]);
    expect(pushedBy(() => other.deleteExperiment(second.experimentId))).toEqual([{ event: 'experiments.changed', payload: { experimentId: second.experimentId } }]);
    expect(pushedBy(() => undefined)).toEqual([]); // nothing committed since
    // An experiment without runs, deleted, is pushed too.
    expect(pushedBy(() => other.deleteRuns([first.runIds[1]!]))).toEqual([{ event: 'experiments.changed', payload: { experimentId: first.experimentId } }]);
    expect(pushedBy(() => other.deleteExperiment(first.experimentId))).toEqual([{ event: 'experiments.changed', payload: { experimentId: first.experimentId } }]);
    // Deleted by plain SQL on another connection (no Store's code): the schema counts it all the same.
    const third = made('third');
    pushedBy(() => undefined);
    const sql = openDatabase(t.dbPath);
    try {
      expect(pushedBy(() => sql.prepare('DELETE FROM runs WHERE id = ?').run(third.runIds[0]!))).toEqual([{ event: 'experiments.changed', payload: { experimentId: third.experimentId } }]);
      expect(pushedBy(() => sql.prepare('DELETE FROM experiments WHERE id = ?').run(third.experimentId))).toEqual([{ event: 'experiments.changed', payload: { experimentId: third.experimentId } }]);
    } finally {
      sql.close();
    }
  });

  it('push a changed experiment for a run another process deleted of one this process launched since its last look', async () => {
    const { experimentId, runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 5 }) });
    await t.until(runIds);
    expect(pushedBy(() => other.deleteRuns([runIds[0]!]))).toEqual([{ event: 'experiments.changed', payload: { experimentId } }]);
    expect(pushedBy(() => other.deleteRuns([runIds[1]!]))).toEqual([{ event: 'experiments.changed', payload: { experimentId } }]);
  });

  it('push policies.changed for a policy another process stores or deletes (`aisle export`, `aisle policies import|delete`), or unlinks by deleting its run', () => {
    const changed = [{ event: 'policies.changed', payload: {} }];
    let imported = 0;
    expect(pushedBy(() => (imported = other.savePolicy({ runId: null, origin: 'import', json: JSON.stringify(tabularPolicy()) })))).toEqual(changed);
    expect(pushedBy(() => undefined)).toEqual([]); // nothing committed since
    // A commit that leaves the policies as they were pushes no policies.changed.
    expect(pushedBy(() => other.createExperimentWithRuns({ name: 'empty', config: {}, configHash: 'a'.repeat(64), runs: [] })).map((e) => e.event)).toEqual(['experiments.changed']);
    expect(pushedBy(() => other.deletePolicy(imported))).toEqual(changed);
    // One deleted and another stored between two looks: as many as before, but a higher id.
    const first = other.savePolicy({ runId: null, origin: 'import', name: 'first', json: JSON.stringify(tabularPolicy()) });
    pushedBy(() => undefined);
    expect(
      pushedBy(() => {
        other.deletePolicy(first);
        other.savePolicy({ runId: null, origin: 'import', name: 'second', json: JSON.stringify(tabularPolicy()) });
      }),
    ).toEqual(changed);
    // A run deleted: the policy exported from it stays, without it.
    const { experiment, runs } = other.createExperimentWithRuns({
      name: 'exported',
      config: {},
      configHash: 'a'.repeat(64),
      runs: [{ seed: 0, config: {}, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: 10 }],
    });
    const runId = runs[0]!.id;
    other.markRunning(runId);
    other.finishRun(runId, 'completed', { summary: {} });
    other.savePolicy({ runId, origin: 'export', json: JSON.stringify(tabularPolicy()) });
    pushedBy(() => undefined);
    expect(pushedBy(() => other.deleteRuns([runId]))).toEqual([{ event: 'experiments.changed', payload: { experimentId: experiment.id } }, ...changed]);
  });

  it("push policies.changed from the service's own policy commands, once, and not for a file already stored", async () => {
    const changes = async (fn: () => Promise<unknown>) => {
      const from = t.events.length;
      await fn();
      t.service.checkExternalChanges(); // nothing another process committed: no second push
      return t.events.slice(from).filter((e) => e.event === 'policies.changed').length;
    };
    t.service.checkExternalChanges(); // the other Store's opening, committed since the service's
    const text = JSON.stringify(tabularPolicy());
    let id = 0;
    const imported = async () => {
      const reply = await t.call('policies.import', { text, fileName: 'mine.json' });
      if (reply.ok) id = reply.policy.id;
    };
    expect(await changes(imported)).toBe(1);
    expect(await changes(() => t.call('policies.import', { text, fileName: 'mine.json' }))).toBe(0); // already stored
    expect(await changes(() => t.call('policies.import', { text: '{}', fileName: 'bad.json' }))).toBe(0); // refused
    expect(await changes(() => t.call('policies.delete', { id }))).toBe(1);
    const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 20 }) });
    await t.until(launched.runIds);
    const [exported, plain] = launched.runIds as [number, number];
    expect(await changes(() => t.call('policies.export', { runId: exported }))).toBe(1);
    expect(await changes(() => t.call('policies.export', { runId: exported }))).toBe(0); // the same file, stored before
    // Deleting a run unlinks the policies exported from it; one without any changes none.
    expect(await changes(() => t.call('runs.delete', { ids: [plain] }))).toBe(0);
    expect(await changes(() => t.call('runs.delete', { ids: [exported] }))).toBe(1);
    // So does deleting the experiment of a run a policy was exported from.
    const second = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    await t.until(second.runIds);
    await t.call('policies.export', { runId: second.runIds[0]! });
    expect(await changes(() => t.call('experiments.delete', { id: second.experimentId }))).toBe(1);
    // And deleting several (the Experiments screen's Delete selected): once for all, none without a policy.
    const third = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    const fourth = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    await t.until([...third.runIds, ...fourth.runIds]);
    const fifth = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
    await t.until(fifth.runIds);
    await t.call('policies.export', { runId: third.runIds[0]! });
    await t.call('policies.export', { runId: fourth.runIds[0]! });
    expect(await changes(() => t.call('experiments.deleteMany', { ids: [fifth.experimentId] }))).toBe(0);
    expect(await changes(() => t.call('experiments.deleteMany', { ids: [third.experimentId, fourth.experimentId] }))).toBe(1);
  });

  it("leave the service's own runs to its pool", async () => {
    // While only this process has runs queued or running, listing experiments reads none of them.
    const long = await t.call('experiments.launch', { experiment: cliff({ seeds: 2, episodes: 1_000_000 }) });
    const readRuns = vi.spyOn(t.store, 'experimentRuns');
    expect((await t.call('experiments.list', {})).map((e) => [e.runCounts.queued + e.runCounts.running, e.elsewhere])).toEqual([[2, []]]);
    expect(readRuns).not.toHaveBeenCalled();
    readRuns.mockRestore();
    await t.call('runs.cancel', { ids: [...long.runIds] });
    await t.until(long.runIds);
    const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 50 }) });
    await t.until(launched.runIds);
    const from = t.events.length;
    // Another process commits something unrelated: the service looks, and reports nothing of its own runs.
    other.createExperimentWithRuns({ name: 'empty', config: {}, configHash: 'c'.repeat(64), runs: [] });
    t.service.checkExternalChanges();
    const pushed = t.events.slice(from);
    expect(pushed.map((e) => e.event)).toEqual(['experiments.changed']);
  });

  it('report what another process does to a run this process finished: `aisle resume` of a run paused here', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 1_000_000 }) });
    const runId = runIds[0]!;
    await t.call('runs.pause', { id: runId });
    await t.until([runId], ['paused']);
    // A terminal resumes it (`aisle resume`): queued, then running, in another process.
    const pushed = pushedBy(() => {
      other.resumeRun(runId);
      other.markRunning(runId);
    });
    expect(pushed).toContainEqual({ event: 'run.status', payload: expect.objectContaining({ runId, status: 'running' }) });
    // And its end there, as for any run of another process.
    expect(pushedBy(() => other.finishRun(runId, 'cancelled', {}))).toContainEqual({ event: 'run.status', payload: expect.objectContaining({ runId, status: 'cancelled' }) });
  });

  it('a run left running by a process that died is marked interrupted within a look, and can then be deleted', async () => {
    const { experiment, runs } = other.createExperimentWithRuns({
      name: 'killed in the terminal',
      config: {},
      configHash: 'd'.repeat(64),
      runs: [{ seed: 0, config: {}, configHash: 'd'.repeat(64), appVersion: 'test', episodesTotal: 100 }],
    });
    const runId = runs[0]!.id;
    other.markRunning(runId);
    t.service.checkExternalChanges();
    expect(other.getRun(runId).status).toBe('running');
    // Listed as another process's, so that the screens say so before anyone presses Cancel.
    const listed = async () => (await t.call('runs.list', {})).runs.map((r) => ({ id: r.id, status: r.status, elsewhere: r.elsewhere }));
    expect(await listed()).toEqual([{ id: runId, status: 'running', elsewhere: true }]);
    // Alive, it is another process's run: the app neither interrupts, cancels nor deletes it, and
    // says where it is trained.
    expect(await t.call('runs.cancel', { ids: [runId] })).toEqual({
      cancelled: [],
      elsewhere: { runIds: [runId], message: `run ${runId} is trained by another Aisle process (\`aisle run\` or another window): stop it there` },
    });
    expect(await t.fail('runs.delete', { ids: [runId] })).toMatchObject({
      status: 409,
      message: `run ${runId} is running in another process (\`aisle run\`, or another window of the app): stop it there first`,
    });
    expect(await t.fail('experiments.delete', { id: experiment.id })).toMatchObject({
      status: 409,
      message: `experiment ${experiment.id} has active runs: run ${runId} is running in another process (\`aisle run\`, or another window of the app): stop it there first`,
    });
    // Deleting it with another experiment leaves both.
    const finished = other.createExperimentWithRuns({ name: 'nothing to train', config: {}, configHash: 'e'.repeat(64), runs: [] }).experiment.id;
    expect(await t.fail('experiments.deleteMany', { ids: [finished, experiment.id] })).toMatchObject({
      status: 409,
      message: `none of the 2 experiments was deleted: experiment ${experiment.id} has active runs: run ${runId} is running in another process (\`aisle run\`, or another window of the app): stop it there first`,
    });
    expect((await t.call('experiments.list', {})).map((e) => e.id)).toEqual([finished, experiment.id]);
    // The process dies (kill -9: its session stays behind, naming a pid that is gone).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    other.db.prepare('UPDATE store_sessions SET pid = ? WHERE opened_at = (SELECT max(opened_at) FROM store_sessions)').run(gone);
    const pushed = pushedBy(() => undefined);
    expect(pushed).toContainEqual({ event: 'run.status', payload: { runId, experimentId: experiment.id, status: 'interrupted' } });
    expect(other.getRun(runId).status).toBe('interrupted');
    expect(await listed()).toEqual([{ id: runId, status: 'interrupted', elsewhere: false }]);
    expect(await t.call('runs.delete', { ids: [runId] })).toEqual({ deleted: [runId] });
  });

  it("cancelling leaves runs another process trains or queued to it, says where to stop them, and cancels this process's own", async () => {
    const { runs } = other.createExperimentWithRuns({
      name: 'from the terminal',
      config: {},
      configHash: 'e'.repeat(64),
      runs: [0, 1].map((seed) => ({ seed, config: {}, configHash: 'e'.repeat(64), appVersion: 'test', episodesTotal: 100 })),
    });
    const [running, queued] = runs.map((r) => r.id) as [number, number];
    other.markRunning(running);
    const elsewhere = (runIds: number[], message: string) => ({
      runIds,
      message: `${message} by another Aisle process (\`aisle run\` or another window): stop ${runIds.length > 1 ? 'them' : 'it'} there`,
    });
    expect(await t.call('runs.cancel', { ids: [queued] })).toEqual({ cancelled: [], elsewhere: elsewhere([queued], `run ${queued} is queued`) });
    expect(await t.call('runs.cancel', { ids: [running, queued] })).toEqual({ cancelled: [], elsewhere: elsewhere([running, queued], `runs ${running}, ${queued} are trained or queued`) });
    // Asked with one of this process's own runs: that one is cancelled, the other's is named.
    const own = (await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 1_000_000 }) })).runIds[0]!;
    await t.until([own], ['running']);
    const listed = (await t.call('runs.list', { sort: 'id', descending: false })).runs.map((r) => ({ id: r.id, status: r.status, elsewhere: r.elsewhere }));
    expect(listed).toEqual([
      { id: running, status: 'running', elsewhere: true },
      { id: queued, status: 'queued', elsewhere: true },
      { id: own, status: 'running', elsewhere: false },
    ]);
    expect((await t.call('runs.get', { id: own })).elsewhere).toBe(false);
    const experiments = await t.call('experiments.list', {});
    expect(experiments.map((e) => e.elsewhere)).toEqual([[], [{ id: running, status: 'running' }, { id: queued, status: 'queued' }]]); // newest first
    // Read alone (a screen after a run.status push), each says the same.
    expect(await t.call('experiments.list', { ids: [experiments[1]!.id] })).toEqual([experiments[1]]);
    expect(await t.call('experiments.list', { ids: [experiments[0]!.id] })).toEqual([experiments[0]]);
    expect(await t.call('runs.cancel', { ids: [own, running] })).toEqual({ cancelled: [own], elsewhere: elsewhere([running], `run ${running} is trained`) });
    expect((await t.until([own]))[0]!.status).toBe('cancelled');
    expect([other.getRun(running).status, other.getRun(queued).status]).toEqual(['running', 'queued']);
    // Only its own: nothing left elsewhere.
    const second = (await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 1_000_000 }) })).runIds[0]!;
    await t.until([second], ['running']);
    expect(await t.call('runs.cancel', { ids: [second] })).toEqual({ cancelled: [second], elsewhere: null });
  });
});
