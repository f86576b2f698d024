// The Experiments screen and Compare's picker follow runs' statuses by reading again only the
// experiment a run.status (or experiments.changed) push names (experiments.list with ids), where
// they read every experiment at each push: 3.9 MB and ~45 ms of the host's thread per read at 6,400
// experiments, back to back through a sweep. A change made here (heard()) still reads them all; an
// answer asked before a push is never shown after it, as with followRead.
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { ExperimentSummary, RunStatus } from '../../src/shared/dto';
import type { FollowedAnswer } from '../../src/renderer/src/followed-read';
import { followExperiments, MOST_PATCHED, patched } from '../../src/renderer/src/experiments-follow';
import { countStatuses } from '../../src/main/service/experiments';
import { pushes } from '../helpers/pushes';

interface Run {
  readonly id: number;
  readonly experimentId: number;
  status: RunStatus;
}

/** A service whose reads answer when the test says, each with the store as it was when asked. */
function service(runs: Run[], experimentIds: number[]) {
  const events = pushes();
  const asked: { input: CommandInput<'experiments.list'>; answer: ExperimentSummary[]; resolve: (value: unknown) => void }[] = [];
  const summary = (id: number): ExperimentSummary => ({ id, name: `e${id}`, runCounts: countStatuses(runs.filter((r) => r.experimentId === id)) }) as unknown as ExperimentSummary;
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      if (command !== 'experiments.list') throw new Error(`no ${command} here`);
      const { ids } = input as CommandInput<'experiments.list'>;
      const answer = [...experimentIds]
        .filter((id) => ids === undefined || ids.includes(id))
        .sort((a, b) => b - a)
        .map(summary);
      return new Promise((resolve) => asked.push({ input: input as CommandInput<'experiments.list'>, answer, resolve: resolve as (value: unknown) => void }));
    },
    on: events.on,
  };
  return {
    client,
    asked,
    status(id: number, status: RunStatus) {
      const run = runs.find((r) => r.id === id)!;
      run.status = status;
      events.push('run.status', { runId: id, experimentId: run.experimentId, status });
    },
    /** An experiment launched, renamed or deleted here or elsewhere. */
    changed(experimentId: number, change: 'launched' | 'deleted' | 'renamed') {
      if (change === 'launched') experimentIds.push(experimentId);
      if (change === 'deleted') experimentIds.splice(experimentIds.indexOf(experimentId), 1);
      events.push('experiments.changed', { experimentId });
    },
    async answer(i: number) {
      asked[i]!.resolve(asked[i]!.answer);
      await new Promise((done) => setTimeout(done, 0));
    },
    listening: () => events.listening(),
  };
}

const counts = (a: FollowedAnswer<readonly ExperimentSummary[]> | undefined) => a?.data?.map((e) => [e.id, e.runCounts.running, e.runCounts.completed]);

describe('the list of experiments follows runs’ statuses', () => {
  it('reads only the experiments a run.status push names, keeping the other rows as they were', async () => {
    const store = service(
      [
        { id: 1, experimentId: 1, status: 'running' },
        { id: 2, experimentId: 2, status: 'running' },
        { id: 3, experimentId: 3, status: 'queued' },
      ],
      [1, 2, 3],
    );
    const shown: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    const read = followExperiments(store.client, ['run.status', 'experiments.changed'], (a) => shown.push(a));
    await store.answer(0);
    expect(store.asked[0]!.input).toEqual({});
    const first = shown.at(-1)!.data!;

    store.status(2, 'completed');
    expect(store.asked[1]!.input).toEqual({ ids: [2] });
    // Pushes while that read is under way: the next read asks for every experiment they name, once.
    store.status(1, 'completed');
    store.status(3, 'running');
    store.status(1, 'completed');
    await store.answer(1);
    expect(shown).toHaveLength(1); // asked before the pushes since: not shown
    expect(store.asked[2]!.input).toEqual({ ids: [1, 3] });
    await store.answer(2);
    expect(counts(shown.at(-1))).toEqual([
      [3, 1, 0],
      [2, 0, 1], // read by the answer not shown, and kept
      [1, 0, 1],
    ]);
    expect(shown.at(-1)!.asked).toBe(4);
    // A row no push named is the same object: its row is not drawn again.
    store.status(3, 'completed');
    await store.answer(3);
    expect(shown.at(-1)!.data![1]).toBe(shown.at(-2)!.data![1]);
    expect(shown.at(-1)!.data![1]).not.toBe(first[1]);

    // experiments.changed names its experiment too: one launched comes in by its number, one deleted goes.
    store.changed(4, 'launched');
    expect(store.asked[4]!.input).toEqual({ ids: [4] });
    await store.answer(4);
    store.changed(2, 'deleted');
    expect(store.asked[5]!.input).toEqual({ ids: [2] });
    await store.answer(5);
    expect(shown.at(-1)!.data!.map((e) => e.id)).toEqual([4, 3, 1]);
    // A change made here reads every experiment.
    read.heard();
    expect(store.asked[6]!.input).toEqual({});
    await store.answer(6);
    expect(shown.at(-1)!.data!.map((e) => e.id)).toEqual([4, 3, 1]);
    read.close();
    expect(store.listening()).toBe(0);
  });

  it('reads every experiment after a failed read, and after more pushes than a read by ids takes', async () => {
    const runs = Array.from({ length: MOST_PATCHED + 2 }, (_, i) => ({ id: i + 1, experimentId: i + 1, status: 'queued' as RunStatus }));
    const store = service(runs, runs.map((r) => r.id));
    const shown: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    followExperiments(store.client, ['run.status'], (a) => shown.push(a));
    store.asked[0]!.resolve(Promise.reject(new Error('busy')));
    await new Promise((done) => setTimeout(done, 0));
    expect(shown.at(-1)!.error?.message).toBe('busy');
    store.status(1, 'running');
    expect(store.asked[1]!.input).toEqual({});
    await store.answer(1);
    store.status(1, 'completed');
    for (const r of runs.slice(1)) store.status(r.id, 'running');
    await store.answer(2);
    expect(store.asked[3]!.input).toEqual({});
    await store.answer(3);
    expect(shown.at(-1)!.data).toHaveLength(MOST_PATCHED + 2);
  });
});

describe('patched', () => {
  const e = (id: number, name = `e${id}`) => ({ id, name }) as unknown as ExperimentSummary;
  it('replaces the rows read, drops those asked for and not read (deleted), and puts a new one in by its number', () => {
    const list = [e(5), e(3), e(1)];
    const next = patched(list, [3, 1, 4], [e(4), e(3, 'renamed')]);
    expect(next.map((x) => [x.id, x.name])).toEqual([
      [5, 'e5'],
      [4, 'e4'],
      [3, 'renamed'],
    ]);
    expect(next[0]).toBe(list[0]);
  });
});
