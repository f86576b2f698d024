// The Runs and Experiments screens' deletes of runs that may be queued or running: refused (409)
// while one is, so they cancel them and wait until they have stopped — within a bound, not when no
// wait can help, and never past an error that is not the refusal.
import { describe, expect, it } from 'vitest';
import { CallError } from '../../src/shared/client';
import type { CancelResult } from '../../src/shared/dto';
import { cancelAndDelete, cancelExperimentRuns, cancelRuns } from '../../src/renderer/src/components/cancel-and-delete';
import { commands } from '../../src/shared/contract';

const refused = (message: string) => new CallError('runs.delete', { name: 'Conflict', message, status: 409 });
/** runs.cancel's answer: `cancelled`, and `elsewhere` left to another process that trains them. */
const cancelAnswer = (cancelled: readonly number[], elsewhere: readonly number[] = []): CancelResult => ({
  cancelled,
  elsewhere: elsewhere.length > 0 ? { runIds: elsewhere, message: `run ${elsewhere.join(', ')} is trained by another Aisle process (\`aisle run\` or another window): stop it there` } : null,
});

/** A client whose runs.delete answers from `deletes` in turn (the last one repeats), recording every call. */
function fakeClient(deletes: readonly (Error | 'ok')[], cancel: () => CancelResult | Error) {
  const calls: string[] = [];
  let n = 0;
  const client = {
    call: (command: string, input: { ids: number[] }) => {
      calls.push(command);
      if (command === 'runs.cancel') {
        const out = cancel();
        return out instanceof Error ? Promise.reject(out) : Promise.resolve(out);
      }
      const answer = deletes[Math.min(n++, deletes.length - 1)]!;
      return answer === 'ok' ? Promise.resolve({ deleted: input.ids }) : Promise.reject(answer);
    },
  } as Parameters<typeof cancelAndDelete>[0];
  return { client, calls };
}

const fast = { waitMs: 200, pollMs: 5 };

describe('cancelAndDelete', () => {
  it('deletes finished runs at once, without cancelling anything', async () => {
    const { client, calls } = fakeClient(['ok'], () => cancelAnswer([]));
    expect(await cancelAndDelete(client, [1, 2], fast)).toEqual({ deleted: [1, 2] });
    expect(calls).toEqual(['runs.delete']);
  });

  it('cancels a running run once and retries until its worker has stopped', async () => {
    const stopping = refused('run 3 is running: cancelled, it stops after the current episode');
    const { client, calls } = fakeClient([refused('run 3 is running: cancel it first'), stopping, stopping, 'ok'], () => cancelAnswer([3]));
    expect(await cancelAndDelete(client, [3], fast)).toEqual({ deleted: [3] });
    expect(calls).toEqual(['runs.delete', 'runs.cancel', 'runs.delete', 'runs.delete', 'runs.delete']);
  });

  it('stops at once with the delete’s reason when cancelling stopped none of them, or left one to another process that runs it', async () => {
    const elsewhere = refused('run 4 is running in another process (`aisle run`, or another window of the app): stop it there first');
    for (const cancel of [() => cancelAnswer([]), () => cancelAnswer([], [4]), () => cancelAnswer([3], [4])]) {
      const { client, calls } = fakeClient([elsewhere], cancel);
      await expect(cancelAndDelete(client, [4], { waitMs: 60_000, pollMs: 5 })).rejects.toBe(elsewhere);
      expect(calls).toEqual(['runs.delete', 'runs.cancel', 'runs.delete']);
    }
  });

  it('gives up after the wait with a message saying nothing was deleted, when a cancelled run never stops', async () => {
    const { client, calls } = fakeClient([refused('run 5 is running: cancelled, it stops after the current episode')], () => cancelAnswer([5]));
    await expect(cancelAndDelete(client, [5], fast)).rejects.toThrow(
      'Nothing was deleted: 0 s after cancelling, run 5 is running: cancelled, it stops after the current episode. Delete again once the runs have stopped.',
    );
    expect(calls.filter((c) => c === 'runs.cancel')).toHaveLength(1);
    expect(calls.filter((c) => c === 'runs.delete').length).toBeGreaterThan(2);
  });

  it('passes on any other error at once: a bad id, the server gone, a cancel that fails', async () => {
    const notFound = new CallError('runs.delete', { name: 'NotFound', message: 'run 9 does not exist', status: 404 });
    const gone = new TypeError('Failed to fetch');
    for (const error of [notFound, gone]) {
      const { client, calls } = fakeClient([error], () => cancelAnswer([]));
      await expect(cancelAndDelete(client, [9], fast)).rejects.toBe(error);
      expect(calls).toEqual(['runs.delete']);
    }
    const cancelFailed = new TypeError('Failed to fetch');
    const { client } = fakeClient([refused('run 6 is queued: cancel it first')], () => cancelFailed);
    await expect(cancelAndDelete(client, [6], fast)).rejects.toBe(cancelFailed);
  });
});

describe('cancelExperimentRuns', () => {
  /** A client whose experiment has runs 1–3, of which `cancelled` are cancelled, and runs.list answers the active counts in turn. */
  function experimentClient(cancel: CancelResult, active: readonly number[]) {
    const calls: string[] = [];
    let n = 0;
    const client = {
      call: (command: string) => {
        calls.push(command);
        if (command === 'experiments.get') return Promise.resolve({ runIds: [1, 2, 3] });
        if (command === 'runs.cancel') return Promise.resolve(cancel);
        return Promise.resolve({ total: active[Math.min(n++, active.length - 1)]!, runs: [] });
      },
    } as Parameters<typeof cancelExperimentRuns>[0];
    return { client, calls };
  }

  it('cancels the runs of several experiments at once, and waits until none of either is active', async () => {
    const calls: [string, unknown][] = [];
    // Experiment 7's runs stop at the first look; experiment 8's at the third.
    const looks = new Map([
      [7, [0]],
      [8, [2, 1, 0]],
    ]);
    const client = {
      call: (command: string, input: { id?: number; ids?: number[]; experimentId?: number }) => {
        calls.push([command, input]);
        if (command === 'experiments.get') return Promise.resolve({ runIds: input.id === 7 ? [1, 2] : [3] });
        if (command === 'runs.cancel') return Promise.resolve(cancelAnswer([2, 3]));
        return Promise.resolve({ total: looks.get(input.experimentId!)!.shift() ?? 0, runs: [] });
      },
    } as Parameters<typeof cancelExperimentRuns>[0];
    await cancelExperimentRuns(client, [7, 8], fast);
    expect(calls.filter(([c]) => c === 'runs.cancel')).toEqual([['runs.cancel', { ids: [1, 2, 3] }]]);
    expect(calls.filter(([c]) => c === 'runs.list').map(([, input]) => (input as { experimentId: number }).experimentId)).toEqual([7, 8, 8, 8]);
  });

  it('waits until none of its runs is active', async () => {
    const { client, calls } = experimentClient(cancelAnswer([2, 3]), [2, 1, 0]);
    await cancelExperimentRuns(client, [7], fast);
    expect(calls).toEqual(['experiments.get', 'runs.cancel', 'runs.list', 'runs.list', 'runs.list']);
  });

  it('does not wait when cancelling stopped none of them, or left some to another process that runs them', async () => {
    for (const cancel of [cancelAnswer([]), cancelAnswer([], [2]), cancelAnswer([3], [2])]) {
      const { client, calls } = experimentClient(cancel, [1]);
      await cancelExperimentRuns(client, [7], { waitMs: 60_000, pollMs: 5 });
      expect(calls).toEqual(['experiments.get', 'runs.cancel']);
    }
  });

  it('stops waiting after the bound, leaving the delete to say what is still active', async () => {
    const { client, calls } = experimentClient(cancelAnswer([2]), [1]);
    await cancelExperimentRuns(client, [7], fast);
    expect(calls.filter((c) => c === 'runs.list').length).toBeGreaterThan(2);
  });
});

describe('a selection of more runs than the contract takes in one call (1,000)', () => {
  /** A client that checks each input as the service does (the contract's schema), over runs 1..n, finished; `refusedFrom` refuses deleting ids from it on. */
  function contractClient(refusedFrom = Infinity) {
    const sizes: number[] = [];
    const client = {
      call: (command: 'runs.cancel' | 'runs.delete', input: { ids: number[] }) => {
        const parsed = commands[command].safeParse(input);
        if (!parsed.success) return Promise.reject(new CallError(command, { name: 'ValidationError', message: parsed.error.issues[0]!.message, status: 400 }));
        sizes.push(input.ids.length);
        if (command === 'runs.cancel') return Promise.resolve(cancelAnswer([], input.ids.filter((id) => id % 500 === 0)));
        if (input.ids.some((id) => id >= refusedFrom)) return Promise.reject(new CallError(command, { name: 'NotFound', message: `run ${refusedFrom} does not exist`, status: 404 }));
        return Promise.resolve({ deleted: input.ids });
      },
    } as Parameters<typeof cancelAndDelete>[0];
    return { client, sizes };
  }
  const ids = Array.from({ length: 2500 }, (_, i) => i + 1);

  it('deletes them 1,000 at a time', async () => {
    const { client, sizes } = contractClient();
    expect(await cancelAndDelete(client, ids, fast)).toEqual({ deleted: ids });
    expect(sizes).toEqual([1000, 1000, 500]);
  });

  it('says how many went before a part that is refused', async () => {
    const { client } = contractClient(2100);
    await expect(cancelAndDelete(client, ids, fast)).rejects.toThrow('2,000 runs deleted, the other 500 runs not: run 2100 does not exist');
  });

  it('cancels them 1,000 at a time, in one answer', async () => {
    const { client, sizes } = contractClient();
    const answer = await cancelRuns(client, ids);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(answer.cancelled).toEqual([]);
    expect(answer.elsewhere?.runIds).toEqual([500, 1000, 1500, 2000, 2500]);
    expect(answer.elsewhere?.message).toBe('run 500, 1000 is trained by another Aisle process (`aisle run` or another window): stop it there; run 1500, 2000 is trained by another Aisle process (`aisle run` or another window): stop it there; run 2500 is trained by another Aisle process (`aisle run` or another window): stop it there');
  });
});
