// The Experiments screen reads one page of experiments (experiments.page), where it read every one
// (0.9–1.9 s and 3.9 MB to open at 6,402 experiments): a run.status push reads again the one row it
// names when that row is on the page, and nothing when it is not (a run's status moves no experiment
// into, out of or about the page); an experiments.changed push (launched, renamed, deleted) reads the
// page again, so a new experiment comes in where it belongs. The selection follows the selected
// experiments alone, on any page.
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { ExperimentPage, ExperimentSummary } from '../../src/shared/dto';
import type { FollowedAnswer } from '../../src/renderer/src/followed-read';
import { followExperimentPage, followExperiments } from '../../src/renderer/src/experiments-follow';
import { pushes } from '../helpers/pushes';

/** A service of experiments 1..n whose reads answer at once, each with the store as it is when asked. */
function service(n: number) {
  const events = pushes();
  const experiments = new Map(Array.from({ length: n }, (_, i) => [i + 1, { completed: 0 }]));
  const asked: { command: CommandName; input: unknown }[] = [];
  const summary = (id: number) => ({ id, name: `e${id}`, runCounts: { completed: experiments.get(id)!.completed } }) as unknown as ExperimentSummary;
  const client = {
    call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
      asked.push({ command, input });
      const ids = [...experiments.keys()].sort((a, b) => b - a);
      if (command === 'experiments.page') {
        const { offset = 0, limit = 100 } = input as CommandInput<'experiments.page'>;
        const page: ExperimentPage = { total: ids.length, stored: ids.length, experiments: ids.slice(offset, offset + limit).map(summary) };
        return Promise.resolve(page as unknown as CommandOutput<K>);
      }
      if (command === 'experiments.list') {
        const some = (input as CommandInput<'experiments.list'>).ids!;
        return Promise.resolve(ids.filter((id) => some.includes(id)).map(summary) as unknown as CommandOutput<K>);
      }
      throw new Error(`no ${command} here`);
    },
    on: events.on,
  };
  return {
    client,
    asked,
    completed(experimentId: number) {
      experiments.get(experimentId)!.completed++;
      events.push('run.status', { runId: 1000 + experimentId, experimentId, status: 'completed' });
    },
    launched(experimentId: number) {
      experiments.set(experimentId, { completed: 0 });
      events.push('experiments.changed', { experimentId });
    },
    listening: () => events.listening(),
  };
}

const settled = () => new Promise((done) => setTimeout(done, 0));

describe('the Experiments screen’s page', () => {
  it('reads the page, then a row on it alone at its run’s push, nothing for a row elsewhere, and the page again when experiments change', async () => {
    const store = service(250);
    const shown: FollowedAnswer<ExperimentPage>[] = [];
    const input = { sort: 'id', descending: true, offset: 100, limit: 100 } as const;
    const read = followExperimentPage(store.client, input, ['run.status', 'experiments.changed'], (a) => shown.push(a));
    await settled();
    expect(store.asked).toEqual([{ command: 'experiments.page', input }]);
    const first = shown.at(-1)!.data!;
    expect(first.experiments.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => 150 - i));

    // Experiment 120 is on the page: its row alone is read, in its place; the others stay the same objects.
    store.completed(120);
    await settled();
    expect(store.asked.slice(1)).toEqual([{ command: 'experiments.list', input: { ids: [120] } }]);
    const patched = shown.at(-1)!.data!;
    expect(patched.experiments[30]).toMatchObject({ id: 120, runCounts: { completed: 1 } });
    expect(patched.experiments[29]).toBe(first.experiments[29]);
    expect(patched.total).toBe(250);

    // Experiment 7 is not: nothing is read.
    store.completed(7);
    await settled();
    expect(store.asked).toHaveLength(2);

    // A new experiment: the page is read again, and what it holds moves along.
    store.launched(251);
    await settled();
    expect(store.asked.slice(2)).toEqual([{ command: 'experiments.page', input }]);
    expect(shown.at(-1)!.data!.experiments[0]!.id).toBe(151);
    // A change made here (a rename, a delete) reads the page again too.
    read.heard();
    await settled();
    expect(store.asked.at(-1)!.command).toBe('experiments.page');
    read.close();
    expect(store.listening()).toBe(0);
  });
});

describe('a push heard while the page is read', () => {
  it('is not lost: the row it names is read again once the page has come (a run cancelled as the screen opened stayed “1 running”)', async () => {
    const store = service(250);
    const shown: FollowedAnswer<ExperimentPage>[] = [];
    const input = { sort: 'id', descending: true, offset: 0, limit: 100 } as const;
    const read = followExperimentPage(store.client, input, ['run.status', 'experiments.changed'], (a) => shown.push(a));
    // The page was asked before the run finished; its push comes while the answer is on its way.
    expect(store.asked).toEqual([{ command: 'experiments.page', input }]);
    store.completed(220);
    await settled();
    await settled();
    expect(store.asked.slice(1)).toEqual([{ command: 'experiments.list', input: { ids: [220] } }]);
    expect(shown.at(-1)!.data!.experiments.find((e) => e.id === 220)).toMatchObject({ runCounts: { completed: 1 } });
    read.close();
  });
});

describe('the selection’s experiments', () => {
  it('reads the selected ones, then at a push only one of them it names', async () => {
    const store = service(20);
    const shown: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    followExperiments(store.client, ['run.status', 'experiments.changed'], (a) => shown.push(a), [3, 17]);
    await settled();
    expect(store.asked).toEqual([{ command: 'experiments.list', input: { ids: [3, 17] } }]);
    store.completed(5);
    await settled();
    expect(store.asked).toHaveLength(1);
    store.completed(17);
    await settled();
    expect(store.asked.slice(1)).toEqual([{ command: 'experiments.list', input: { ids: [17] } }]);
    expect(shown.at(-1)!.data!.map((e) => [e.id, e.runCounts.completed])).toEqual([
      [17, 1],
      [3, 0],
    ]);
  });

  it('reads more than a thousand selected in parts of a thousand ids, newest first', async () => {
    const store = service(2500);
    const shown: FollowedAnswer<readonly ExperimentSummary[]>[] = [];
    const selected = Array.from({ length: 2500 }, (_, i) => i + 1);
    followExperiments(store.client, ['run.status'], (a) => shown.push(a), selected);
    await settled();
    expect(store.asked.map((a) => (a.input as { ids: number[] }).ids.length)).toEqual([1000, 1000, 500]);
    expect(shown.at(-1)!.data!.map((e) => e.id)).toEqual([...selected].reverse());
  });
});
