/**
 * The list of every experiment kept up with pushes, reading again only what a push can change. A
 * run.status push changes its own experiment's run counts alone, and an experiments.changed push
 * its own experiment (launched, renamed, deleted, runs deleted, here or by another process): the
 * next read asks for the experiments the pushes since named (experiments.list with `ids`), and
 * their rows replace theirs in the list kept. Reading every experiment at each push kept the host
 * answering 3.9 MB (~45 ms) back to back through a sweep at 6,400 experiments. The first read,
 * `heard()` (a change made here) and a failed read read them all. Reads go through a FreshRead as
 * followRead's do: an answer asked before a push heard since is never shown. A row not read again
 * keeps the runs it said another process trains (`elsewhere`) until its own experiment's next push
 * or a whole read, where a whole read at any run's push could correct it sooner.
 */
import type { Client } from '../../shared/client';
import type { ExperimentSummary } from '../../shared/dto';
import { follow, useFollowed, type FollowedAnswer, type FollowedRead, type FollowedState } from './followed-read';

/** More experiments than this changed since the last read: every experiment is read again instead (one read, whatever the burst). */
export const MOST_PATCHED = 200;

type Experiments = readonly ExperimentSummary[];

/** The pushes that name the experiment they change. */
export type ExperimentPush = 'run.status' | 'experiments.changed';

/**
 * Every experiment, read now, and again on each `heard()`; after a push of `events`, the
 * experiments they named only (see the module's note).
 */
export function followExperiments(client: Pick<Client, 'call' | 'on'>, events: readonly ExperimentPush[], show: (answer: FollowedAnswer<Experiments>) => void): FollowedRead {
  let whole = true;
  let changed = new Set<number>();
  // Every experiment as the reads so far have answered, each read's answer merged in the order asked
  // (one at a time), whether shown or not: an answer FreshRead drops still holds the rows it read.
  let kept: Experiments | undefined;
  const read = async (): Promise<Experiments> => {
    const ids = kept === undefined || whole || changed.size > MOST_PATCHED ? undefined : [...changed];
    whole = false;
    changed = new Set();
    try {
      if (ids === undefined) return (kept = await client.call('experiments.list', {}));
      const some = await client.call('experiments.list', { ids });
      return (kept = patched(kept!, ids, some));
    } catch (e) {
      whole = true; // what this read was to bring is read with every experiment next time
      throw e;
    }
  };
  return follow(
    client,
    {
      read,
      pushed: ({ experimentId }) => void changed.add(experimentId),
      changedHere: () => void (whole = true),
    },
    events,
    show,
  );
}

/**
 * The list with the experiments of `ids` as `some` reads them: each row read takes its place (the
 * others stay the same objects, so their rows are not drawn again), one not read is gone (deleted),
 * one not listed yet comes in by its number (newest first, as experiments.list answers).
 */
export function patched(list: Experiments, ids: readonly number[], some: Experiments): Experiments {
  const read = new Map(some.map((e) => [e.id, e]));
  const gone = new Set(ids.filter((id) => !read.has(id)));
  const listed = new Set(list.map((e) => e.id));
  const next = list.filter((e) => !gone.has(e.id)).map((e) => read.get(e.id) ?? e);
  const added = some.filter((e) => !listed.has(e.id));
  return added.length === 0 ? next : [...next, ...added].sort((a, b) => b.id - a.id);
}

/** Every experiment, kept up with pushes as followExperiments keeps it: what useFollowedRead gives for experiments.list. */
export function useFollowedExperiments(events: readonly ExperimentPush[]): FollowedState<Experiments> {
  return useFollowed('every experiment', events.join(' '), (client, show) => followExperiments(client, events, show));
}
