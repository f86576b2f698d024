/**
 * Deleting runs, or an experiment, some of whose runs may be queued or running: the delete is
 * refused (409) while one is, so they are cancelled and their workers waited for — for a bounded
 * time, and not at all once waiting cannot help (another process runs them: the cancel is refused,
 * and the delete's refusal says what holds it).
 */
import { CallError, type Client } from '../../../shared/client';

export interface DeleteWait {
  /** How long after cancelling the delete is retried (as deleting an experiment waits). */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

export async function cancelAndDelete(client: Pick<Client, 'call'>, ids: readonly number[], { waitMs = 10_000, pollMs = 100 }: DeleteWait = {}): Promise<{ deleted: readonly number[] }> {
  // Undefined until cancelled once: a run seen finished may have started since the dialog opened.
  let cancelled: readonly number[] | undefined;
  let deadline = Infinity;
  for (;;) {
    try {
      return await client.call('runs.delete', { ids: [...ids] });
    } catch (e) {
      if (!(e instanceof CallError && e.status === 409)) throw e; // bad ids, or the server is gone
      // Cancelling stopped none of them: another process runs what holds the delete, and the
      // server's message says so.
      if (cancelled?.length === 0) throw e;
      if (Date.now() >= deadline) throw new Error(`Nothing was deleted: ${Math.round(waitMs / 1000)} s after cancelling, ${e.message}. Delete again once the runs have stopped.`, { cause: e });
    }
    if (cancelled === undefined) {
      cancelled = await cancelUnlessElsewhere(client, ids);
      deadline = Date.now() + waitMs;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Cancels an experiment's queued and running runs and waits until none is active, before its
 * delete; not at all when cancelling stopped none of them (another process runs them: the
 * delete's refusal then says so at once).
 */
export async function cancelExperimentRuns(client: Pick<Client, 'call'>, id: number, { waitMs = 10_000, pollMs = 100 }: DeleteWait = {}): Promise<void> {
  const { runIds } = await client.call('experiments.get', { id });
  const cancelled = await cancelUnlessElsewhere(client, runIds);
  if (cancelled.length === 0) return;
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; ) {
    // The runs listing counts them from the runs table; experiments.get would parse the whole config at every look.
    const active = await client.call('runs.list', { experimentId: id, status: ['queued', 'running'], limit: 1 });
    if (active.total === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The runs cancelled; none when another process runs one of them (runs.cancel then refuses them all). */
async function cancelUnlessElsewhere(client: Pick<Client, 'call'>, ids: readonly number[]): Promise<readonly number[]> {
  try {
    return (await client.call('runs.cancel', { ids: [...ids] })).cancelled;
  } catch (e) {
    if (e instanceof CallError && e.status === 409) return [];
    throw e;
  }
}
