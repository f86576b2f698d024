/**
 * Deleting runs, or an experiment, some of whose runs may be queued or running: the delete is
 * refused (409) while one is, so they are cancelled and their workers waited for — for a bounded
 * time, and not at all once waiting cannot help (another process runs some of them: the cancel
 * leaves those to it, and the delete's refusal says what holds it).
 */
import { CallError, type Client } from '../../../shared/client';
import type { CancelResult } from '../../../shared/dto';
import { counted } from '../../../shared/text';

export interface DeleteWait {
  /** How long after cancelling the delete is retried (as deleting an experiment waits). */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/**
 * Deletes the runs, cancelling them first when they are queued or running. The contract takes
 * AT_ONCE ids a call, and a selection kept across pages can hold more (eleven pages of 100): those
 * are deleted AT_ONCE at a time, each part all or none; a part refused says how many went before.
 */
export async function cancelAndDelete(client: Pick<Client, 'call'>, ids: readonly number[], wait: DeleteWait = {}): Promise<{ deleted: readonly number[] }> {
  const deleted: number[] = [];
  for (let i = 0; i < ids.length; i += AT_ONCE) {
    try {
      deleted.push(...(await cancelAndDeletePart(client, ids.slice(i, i + AT_ONCE), wait)).deleted);
    } catch (e) {
      if (deleted.length === 0) throw e;
      throw new Error(`${counted(deleted.length, 'run')} deleted, the other ${counted(ids.length - deleted.length, 'run')} not: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
  return { deleted };
}

/** runs.cancel for any number of runs, AT_ONCE a call: one answer, as for one call. */
export async function cancelRuns(client: Pick<Client, 'call'>, ids: readonly number[]): Promise<CancelResult> {
  const results: CancelResult[] = [];
  for (let i = 0; i < ids.length; i += AT_ONCE) results.push(await client.call('runs.cancel', { ids: ids.slice(i, i + AT_ONCE) }));
  const elsewhere = results.flatMap((r) => (r.elsewhere ? [r.elsewhere] : []));
  return {
    cancelled: results.flatMap((r) => r.cancelled),
    elsewhere: elsewhere.length > 0 ? { runIds: elsewhere.flatMap((e) => e.runIds), message: elsewhere.map((e) => e.message).join('; ') } : null,
  };
}

async function cancelAndDeletePart(client: Pick<Client, 'call'>, ids: readonly number[], { waitMs = 10_000, pollMs = 100 }: DeleteWait): Promise<{ deleted: readonly number[] }> {
  // Undefined until cancelled once: a run seen finished may have started since the dialog opened.
  let worthWaiting: boolean | undefined;
  let deadline = Infinity;
  for (;;) {
    try {
      return await client.call('runs.delete', { ids: [...ids] });
    } catch (e) {
      if (!(e instanceof CallError && e.status === 409)) throw e; // bad ids, or the server is gone
      // Cancelling stopped none of them, or left some to another process that runs them: no wait
      // ends the refusal, and the server's message says what holds it.
      if (worthWaiting === false) throw e;
      if (Date.now() >= deadline) throw new Error(`Nothing was deleted: ${Math.round(waitMs / 1000)} s after cancelling, ${e.message}. Delete again once the runs have stopped.`, { cause: e });
    }
    if (worthWaiting === undefined) {
      worthWaiting = waitCanHelp(await client.call('runs.cancel', { ids: [...ids] }));
      deadline = Date.now() + waitMs;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Cancels the queued and running runs of the experiments and waits until none is active, before
 * their delete; not at all when waiting cannot help (another process runs some of them: the
 * delete's refusal then says so at once).
 */
export async function cancelExperimentRuns(client: Pick<Client, 'call'>, ids: readonly number[], { waitMs = 10_000, pollMs = 100 }: DeleteWait = {}): Promise<void> {
  const runIds: number[] = [];
  for (const id of ids) runIds.push(...(await client.call('experiments.get', { id })).runIds);
  if (!waitCanHelp(await cancelRuns(client, runIds))) return;
  let waiting = [...ids];
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
    const still: number[] = [];
    for (const experimentId of waiting) {
      // The runs listing counts them from the runs table; experiments.get would parse the whole config at every look.
      const active = await client.call('runs.list', { experimentId, status: ['queued', 'running'], limit: 1 });
      if (active.total > 0) still.push(experimentId);
    }
    waiting = still;
    if (waiting.length === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The most ids runs.cancel and runs.delete take at once (the contract's limit). */
const AT_ONCE = 1000;

/**
 * Whether waiting after this cancel can end a delete's refusal: it cancelled some runs, and left
 * none to another process (which only stopping them there ends).
 */
function waitCanHelp(result: CancelResult): boolean {
  return result.cancelled.length > 0 && result.elsewhere === null;
}
