// The run pickers of Policies and Q-tables, and Compare's list of experiments with their runs done,
// read their list again on a run.status or experiments.changed push through a throttle (500 ms; a
// second on Compare): a read the throttle let through before a run's completed push answered after
// it without the run, and the run came into the picker only with the throttle's next read. A user
// waiting on Policies for a run to finish did not see it to export until then. They now follow the
// pushes with followRead (a FreshRead): a read is asked at each push when none is under way, an
// answer asked before a push heard since is never shown, and one read at a time keeps an older
// answer from landing after a newer one.
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { ExperimentSummary, RunPage, RunStatus } from '../../src/shared/dto';
import { followRead, RUN_CHANGES, type FollowedAnswer } from '../../src/renderer/src/followed-read';
import { EXPORTABLE_RUNS } from '../../src/renderer/src/screens/policies';
import { movedInList, QTABLE_RUNS } from '../../src/renderer/src/screens/qtables';
import { countStatuses } from '../../src/main/service/experiments';
import { pushes } from '../helpers/pushes';

interface Run {
  readonly id: number;
  readonly experimentId: number;
  status: RunStatus;
  /** What it stored to export: a Q-table, a network (DQN), or nothing (a baseline). */
  readonly stored: 'qtable' | 'network' | 'none';
}

/**
 * A service whose reads answer when the test says, each with the store as it was when asked (as
 * SQLite answers a read), and whose pushes go to the client's listeners at once.
 */
function service(runs: Run[]) {
  const events = pushes();
  const asked: { command: CommandName; answer: unknown; resolve: (value: unknown) => void }[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const snapshot = (command: CommandName, input: unknown): unknown => {
    if (command === 'runs.list') {
      const { status, stored } = input as CommandInput<'runs.list'>;
      const listed = runs
        .filter((r) => (status ?? []).includes(r.status))
        .filter((r) => (stored === 'qtable' ? r.stored === 'qtable' : stored === 'any' ? r.stored !== 'none' : true))
        .map((r) => ({ id: r.id, status: r.status }))
        .sort((a, b) => b.id - a.id);
      return { total: listed.length, runs: listed } as unknown as RunPage;
    }
    if (command === 'experiments.list') {
      const ids = [...new Set(runs.map((r) => r.experimentId))];
      return ids.map((id) => ({ id, runCounts: countStatuses(runs.filter((r) => r.experimentId === id)) }) as unknown as ExperimentSummary);
    }
    throw new Error(`no ${command} here`);
  };
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const answer = snapshot(command, input);
      return new Promise((resolve) => asked.push({ command, answer, resolve: resolve as (value: unknown) => void }));
    },
    on: events.on,
  };
  return {
    client,
    asked,
    /** A run's status changes, and its run.status push comes. */
    status(id: number, status: RunStatus) {
      const run = runs.find((r) => r.id === id)!;
      run.status = status;
      events.push('run.status', { runId: id, experimentId: run.experimentId, status });
    },
    /** A run is launched (queued), and its push comes. */
    launch(run: Run) {
      runs.push(run);
      this.status(run.id, run.status);
    },
    /** Runs deleted (elsewhere: another window, `aisle delete`): experiments.changed comes for each experiment. */
    remove(ids: readonly number[]) {
      const gone = runs.filter((r) => ids.includes(r.id));
      runs.splice(0, runs.length, ...runs.filter((r) => !ids.includes(r.id)));
      for (const experimentId of new Set(gone.map((r) => r.experimentId))) events.push('experiments.changed', { experimentId });
    },
    /** The `i`th read answers (with the store as it was when it was asked), and its answer is handled. */
    async answer(i: number) {
      inFlight--;
      asked[i]!.resolve(asked[i]!.answer);
      await new Promise((done) => setTimeout(done, 0));
    },
    listening: () => events.listening(),
    mostInFlight: () => mostInFlight,
  };
}

/** A picker of runs as the screen keeps it: the ids of each answer shown. */
function picker(store: ReturnType<typeof service>, input: CommandInput<'runs.list'>) {
  const shown: FollowedAnswer<RunPage>[] = [];
  const read = followRead(store.client, 'runs.list', input, RUN_CHANGES, (a) => shown.push(a));
  return { read, shown, ids: () => shown.map((a) => a.data?.runs.map((r) => r.id)) };
}

describe('the Policies screen’s run picker follows runs as they finish', () => {
  it('lists a run that completes while the screen is open, never showing the read asked before its completed push', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'completed', stored: 'qtable' }]);
    const { ids } = picker(store, EXPORTABLE_RUNS);
    await store.answer(0);
    expect(ids()).toEqual([[1]]);
    // Run 2 is launched: its queued push asks read 1 at once.
    store.launch({ id: 2, experimentId: 1, status: 'queued', stored: 'qtable' });
    expect(store.asked).toHaveLength(2);
    // It runs and completes, a quick run, before read 1 answers; read 1 (without it) lands after.
    store.status(2, 'running');
    store.status(2, 'completed');
    expect(store.asked).toHaveLength(2); // one read at a time
    await store.answer(1);
    // Not shown: it was asked before the completed push. The next read is asked as it answers,
    // where the old picker waited for its throttle (up to 500 ms) to read again.
    expect(ids()).toEqual([[1]]);
    expect(store.asked).toHaveLength(3);
    await store.answer(2);
    expect(ids()).toEqual([[1], [2, 1]]);
    expect(store.mostInFlight()).toBe(1);
  });

  it('reads at once when a run completes with no read under way, and drops a run deleted elsewhere', async () => {
    const store = service([
      { id: 1, experimentId: 1, status: 'completed', stored: 'qtable' },
      { id: 2, experimentId: 2, status: 'running', stored: 'network' },
    ]);
    const { ids } = picker(store, EXPORTABLE_RUNS);
    await store.answer(0);
    store.status(2, 'completed');
    // Asked in the push itself: no throttle between the push and the read.
    expect(store.asked).toHaveLength(2);
    await store.answer(1);
    expect(ids().at(-1)).toEqual([2, 1]);
    store.remove([2]);
    expect(store.asked).toHaveLength(3);
    await store.answer(2);
    expect(ids().at(-1)).toEqual([1]);
  });

  it('stops reading and listening once closed (the screen has gone)', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', stored: 'qtable' }]);
    const { read, shown } = picker(store, EXPORTABLE_RUNS);
    expect(store.listening()).toBe(2);
    read.close();
    expect(store.listening()).toBe(0);
    store.status(1, 'completed');
    await store.answer(0);
    expect(store.asked).toHaveLength(1);
    expect(shown).toHaveLength(0);
  });
});

describe('the Q-tables screen’s run pickers follow runs as they finish', () => {
  it('lists a tabular run completing during a read once a read asked after its push answers, and never a DQN run', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'completed', stored: 'qtable' }]);
    const { ids } = picker(store, QTABLE_RUNS);
    await store.answer(0);
    store.launch({ id: 2, experimentId: 2, status: 'running', stored: 'network' });
    store.launch({ id: 3, experimentId: 3, status: 'running', stored: 'qtable' });
    // Read 1 was asked at run 2's push; both complete before it answers.
    store.status(2, 'completed');
    store.status(3, 'completed');
    await store.answer(1);
    await store.answer(2);
    expect(ids()).toEqual([[1], [3, 1]]);
    // Reads answered in the order asked: no answer shown after one asked later.
    expect(store.mostInFlight()).toBe(1);
  });
});

describe('the Q-tables screen reads a shown run’s table again as the run moves in or out of the pickers’ list', () => {
  it('reads the final table of a run picked by its number while it trained once it finishes, and says a deleted one is gone', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'completed', stored: 'qtable' }]);
    const { ids } = picker(store, QTABLE_RUNS);
    // Run 2, picked by its number while it trains (`#/qtables?a=2`): its table is the checkpoint of then.
    store.launch({ id: 2, experimentId: 1, status: 'running', stored: 'qtable' });
    await store.answer(0);
    await store.answer(1);
    const lists = () => ids().map((list) => new Set(list));
    expect(movedInList(null, lists()[0]!, 2)).toBe(false); // the first list moves nothing
    store.status(2, 'completed');
    await store.answer(2);
    const [before, after] = lists().slice(-2);
    // The old screen read a table again only when its run left the list: run 2's stayed its checkpoint mid-training.
    expect(movedInList(before!, after!, 2)).toBe(true);
    expect(movedInList(before!, after!, 1)).toBe(false);
    store.remove([2]);
    await store.answer(3);
    expect(movedInList(lists().at(-2)!, lists().at(-1)!, 2)).toBe(true);
    expect(movedInList(lists().at(-2)!, lists().at(-1)!, undefined)).toBe(false);
  });
});

describe('Compare’s list of experiments follows their runs done', () => {
  it('counts a run that completes during a read as done once the read after its push answers, and says which change an answer covers', async () => {
    const store = service([{ id: 1, experimentId: 1, status: 'running', stored: 'qtable' }]);
    const shown: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    const read = followRead(store.client, 'experiments.list', {}, ['run.status'], (a) => shown.push(a));
    const done = () => shown.map((a) => a.data?.[0]?.runCounts.completed);
    // The run completes before the first read answers: that read's "0 done" is not shown.
    store.status(1, 'completed');
    await store.answer(0);
    expect(done()).toEqual([]);
    await store.answer(1);
    expect(done()).toEqual([1]);
    expect(shown.at(-1)!.asked).toBe(1);
    // A compared experiment renamed (experiments.changed, heard by the screen): the comparison is
    // read again once the list's answer was asked after that change, not on an answer asked before.
    store.launch({ id: 2, experimentId: 1, status: 'running', stored: 'qtable' });
    const change = read.heard();
    expect(change).toBe(3);
    await store.answer(2);
    expect(shown).toHaveLength(1); // asked at the launch's push, before the change: not shown
    await store.answer(3);
    expect(shown.at(-1)!.asked).toBeGreaterThanOrEqual(change);
    expect(shown.at(-1)!.data?.[0]?.runCounts).toMatchObject({ running: 1, completed: 1 });
  });
});
