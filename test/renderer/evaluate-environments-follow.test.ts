// The Policies screen's Evaluate panel offers the stored experiments' environments, each marked when
// the policy cannot run on it (policies.fits). Both were read with useCall and read again at every
// experiments.changed push, a read per push: a sweep's launch (a push per experiment) asked as many
// reads of each at once. They now follow those pushes with followRead: one read at a time and one
// more owed, never an answer asked before a push shown, so an experiment launched (here, in another
// window, with `aisle`) is offered, and marked, with the reads after its push.
import { describe, expect, it } from 'vitest';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract';
import type { ExperimentSummary } from '../../src/shared/dto';
import { followRead, type FollowedAnswer } from '../../src/renderer/src/followed-read';
import { ENVIRONMENT_CHANGES, ENVIRONMENTS_READ, environmentFit } from '../../src/renderer/src/components/policy-evaluate';
import { pushes } from '../helpers/pushes';

type PolicyFits = CommandOutput<'policies.fits'>;
type PolicyFit = PolicyFits['experiments'][number];

interface Experiment {
  readonly id: number;
  /** The policy evaluated has 4 actions: an environment of another number cannot run it. */
  readonly actions: number;
}

/** A service whose reads answer when the test says, each with the store as it was when asked, and whose pushes reach the listeners at once. */
function service(experiments: Experiment[]) {
  const events = pushes();
  const asked: { command: CommandName; answer: unknown; resolve: (value: unknown) => void; settled: boolean }[] = [];
  const inFlight = new Map<CommandName, number>();
  const mostInFlight = new Map<CommandName, number>();
  const snapshot = (command: CommandName): unknown => {
    if (command === 'experiments.names') return experiments.map((e) => ({ id: e.id, name: `e${e.id}`, envId: 'bandit', createdAt: 0 }));
    if (command === 'policies.fits') return { own: null, experiments: experiments.map((e): PolicyFit => ({ experimentId: e.id, problem: e.actions === 4 ? null : `env: has ${e.actions} actions but the policy 4` })) };
    throw new Error(`no ${command} here`);
  };
  const client = {
    call<K extends CommandName>(command: K, _input: CommandInput<K>): Promise<CommandOutput<K>> {
      inFlight.set(command, (inFlight.get(command) ?? 0) + 1);
      mostInFlight.set(command, Math.max(mostInFlight.get(command) ?? 0, inFlight.get(command)!));
      const answer = snapshot(command);
      return new Promise((resolve) => asked.push({ command, answer, resolve: resolve as (value: unknown) => void, settled: false }));
    },
    on: events.on,
  };
  const changed = (ids: readonly number[]) => {
    for (const experimentId of ids) events.push('experiments.changed', { experimentId });
  };
  return {
    client,
    /** Experiments launched together (a sweep): all stored, then a push for each, as experiments.launchSweep does. */
    launch(...launched: Experiment[]) {
      experiments.push(...launched);
      changed(launched.map((e) => e.id));
    },
    remove(id: number) {
      experiments.splice(0, experiments.length, ...experiments.filter((e) => e.id !== id));
      changed([id]);
    },
    /** Every read under way answers, in the order asked, each handled before the next. */
    async answerAll() {
      for (let i = 0; i < asked.length; i++) {
        const read = asked[i]!;
        if (read.settled) continue;
        read.settled = true;
        inFlight.set(read.command, inFlight.get(read.command)! - 1);
        read.resolve(read.answer);
        await new Promise((done) => setTimeout(done, 0));
      }
    },
    /** The reads of one command under way answer (the other's wait), in the order asked. */
    async answer(command: CommandName) {
      for (const read of asked) {
        if (read.settled || read.command !== command) continue;
        read.settled = true;
        inFlight.set(read.command, inFlight.get(read.command)! - 1);
        read.resolve(read.answer);
        await new Promise((done) => setTimeout(done, 0));
      }
    },
    reads: (command: CommandName) => asked.filter((a) => a.command === command).length,
    mostInFlight: (command: CommandName) => mostInFlight.get(command) ?? 0,
  };
}

/** The panel's two reads as it makes them: the environments offered, and the ones the policy cannot run on. */
function panel(store: ReturnType<typeof service>) {
  const offered: FollowedAnswer<readonly Pick<ExperimentSummary, 'id'>[]>[] = [];
  const fits: FollowedAnswer<PolicyFits>[] = [];
  followRead(store.client, ENVIRONMENTS_READ, {}, ENVIRONMENT_CHANGES, (a) => offered.push(a));
  followRead(store.client, 'policies.fits', { policyId: 1 }, ENVIRONMENT_CHANGES, (a) => fits.push(a));
  return {
    offered: () => offered.at(-1)?.data?.map((e) => e.id),
    misfits: () => fits.at(-1)?.data?.experiments.filter((f) => f.problem !== null).map((f) => f.experimentId),
    /** How the picker marks each environment offered, by the panel's rule. */
    marks: () => offered.at(-1)?.data?.map((e) => [e.id, environmentFit({ ...fits.at(-1), current: fits.at(-1)?.data !== undefined }, e.id).kind]),
  };
}

describe('the Evaluate panel’s environments follow experiments launched and deleted', () => {
  it('offers, and marks, a sweep’s experiments launched while it is open, with one read of each at a time', async () => {
    const store = service([{ id: 1, actions: 4 }]);
    const shown = panel(store);
    await store.answerAll();
    expect(shown.offered()).toEqual([1]);
    expect(shown.misfits()).toEqual([]);
    // A sweep of four experiments: four pushes in a row. The old panel asked four reads of each at once.
    store.launch({ id: 2, actions: 4 }, { id: 3, actions: 6 }, { id: 4, actions: 4 }, { id: 5, actions: 6 });
    expect(store.reads('experiments.names')).toBe(2);
    expect(store.reads('policies.fits')).toBe(2);
    await store.answerAll(); // asked at the first push: dropped, and one more asked after the last
    await store.answerAll();
    expect(shown.offered()).toEqual([1, 2, 3, 4, 5]);
    expect(shown.misfits()).toEqual([3, 5]);
    expect(store.reads('experiments.names')).toBe(3);
    expect(store.mostInFlight('experiments.names')).toBe(1);
    expect(store.mostInFlight('policies.fits')).toBe(1);
  });

  it('offers an experiment launched elsewhere at its push, and drops one deleted', async () => {
    const store = service([{ id: 1, actions: 4 }]);
    const shown = panel(store);
    await store.answerAll();
    store.launch({ id: 2, actions: 4 });
    await store.answerAll();
    expect(shown.offered()).toEqual([1, 2]);
    store.remove(1);
    await store.answerAll();
    expect(shown.offered()).toEqual([2]);
    expect(store.reads('experiments.names')).toBe(3);
  });

  // An experiment launched while the panel is open is offered when the experiments read answers;
  // the fits read can answer later. The old panel took an experiment missing from the fits answer
  // for one that fits: offered, enabled, and Evaluate pressed on it refused by policies.evaluate.
  it('marks an experiment launched as checking until the fits read lists it', async () => {
    const store = service([{ id: 1, actions: 4 }]);
    const shown = panel(store);
    // Before any fits answer (the panel opened, or the policy just chosen): every environment is being checked.
    await store.answer('experiments.names');
    expect(shown.marks()).toEqual([[1, 'checking']]);
    await store.answer('policies.fits');
    expect(shown.marks()).toEqual([[1, 'fits']]);
    store.launch({ id: 2, actions: 6 }, { id: 3, actions: 4 });
    await store.answer('experiments.names');
    expect(shown.offered()).toEqual([1, 2, 3]);
    expect(shown.marks()).toEqual([
      [1, 'fits'],
      [2, 'checking'],
      [3, 'checking'],
    ]);
    await store.answer('policies.fits');
    expect(shown.marks()).toEqual([
      [1, 'fits'],
      [2, 'misfit'],
      [3, 'fits'],
    ]);
  });

  it('offers the environments when the fits read fails: Evaluate says what the service answers', () => {
    expect(environmentFit({ current: false, error: new Error('connection lost') }, 1)).toEqual({ kind: 'fits' });
    expect(environmentFit({ current: true, data: { own: null, experiments: [{ experimentId: 1, problem: 'env: has 6 actions but the policy 4: evaluate it on the environment it was trained on' }] } }, 1)).toEqual({
      kind: 'misfit',
      reason: 'has 6 actions but the policy 4',
    });
    // An answer for the policy chosen before (useFollowedRead's data while the new one's loads) says nothing of this one.
    expect(environmentFit({ current: false, data: { own: null, experiments: [{ experimentId: 1, problem: null }] } }, 1)).toEqual({ kind: 'checking' });
  });
});
