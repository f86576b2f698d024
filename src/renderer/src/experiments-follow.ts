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
 * or a whole read, where a whole read at any run's push could correct it sooner. No screen reads
 * every experiment now: the Experiments screen and Compare's list read a page of them
 * (followExperimentPage), the Experiments screen's selection and Compare's chosen ones those ids.
 */
import type { Client } from '../../shared/client';
import type { CommandInput } from '../../shared/contract';
import type { ExperimentPage, ExperimentSummary } from '../../shared/dto';
import { follow, useFollowed, type FollowedAnswer, type FollowedRead, type FollowedState } from './followed-read';

/** More experiments than this changed since the last read: every experiment is read again instead (one read, whatever the burst). */
export const MOST_PATCHED = 200;

type Experiments = readonly ExperimentSummary[];

/** The pushes that name the experiment they change. */
export type ExperimentPush = 'run.status' | 'experiments.changed';

/** The most ids experiments.list takes at once. */
const MOST_IDS = 1000;

/** The experiments of `ids` that are stored, newest first, in as many reads as the ids take. */
async function listSome(client: Pick<Client, 'call'>, ids: readonly number[]): Promise<Experiments> {
  if (ids.length <= MOST_IDS) return client.call('experiments.list', { ids: [...ids] });
  const parts = await Promise.all(Array.from({ length: Math.ceil(ids.length / MOST_IDS) }, (_, i) => client.call('experiments.list', { ids: ids.slice(i * MOST_IDS, (i + 1) * MOST_IDS) })));
  return parts.flat().sort((a, b) => b.id - a.id);
}

/**
 * Every experiment (or those of `only`: the Experiments screen's selection), read now, and again
 * on each `heard()`; after a push of `events`, the experiments they named only (see the module's
 * note), none when a push names none of `only`.
 */
export function followExperiments(
  client: Pick<Client, 'call' | 'on'>,
  events: readonly ExperimentPush[],
  show: (answer: FollowedAnswer<Experiments>) => void,
  only?: readonly number[],
): FollowedRead {
  const followed = only === undefined ? undefined : new Set(only);
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
      if (ids === undefined) return (kept = await (only === undefined ? client.call('experiments.list', {}) : listSome(client, only)));
      if (ids.length === 0) return kept!;
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
      pushed: ({ experimentId }) => void (followed === undefined || followed.has(experimentId) ? changed.add(experimentId) : undefined),
      changedHere: () => void (whole = true),
    },
    events,
    show,
  );
}

/**
 * One page of experiments (experiments.page), read now and again on each `heard()`, kept up with
 * pushes by what each can change. A run.status push changes its experiment's run counts alone,
 * never which experiments the page holds nor their order (a run's status is neither searched nor
 * sorted by; 'runs' counts every status): an experiment on the page is read again alone
 * (experiments.list with ids) and its row takes its place, one elsewhere is not read at all. An
 * experiments.changed push (launched, renamed, deleted, runs deleted or imported) can bring an
 * experiment into the page, move one or take it away: the page is read again. Reads go through a
 * FreshRead, one at a time (see follow): a burst of pushes costs one read more.
 */
export function followExperimentPage(
  client: Pick<Client, 'call' | 'on'>,
  input: CommandInput<'experiments.page'>,
  events: readonly ExperimentPush[],
  show: (answer: FollowedAnswer<ExperimentPage>) => void,
): FollowedRead {
  let whole = true;
  let changed = new Set<number>();
  let kept: ExperimentPage | undefined;
  // While the page itself is read, which experiments it will hold is not known yet: a run's push
  // then names one to read again whatever the page kept before (none, at the first read). Checked
  // against the page kept, the push of a run cancelled as the screen opened was dropped, and the
  // page, asked before it, showed the run running until the experiment's next push.
  let pageAsked = false;
  const read = async (): Promise<ExperimentPage> => {
    const ids = kept === undefined || whole ? undefined : [...changed];
    whole = false;
    changed = new Set();
    try {
      if (ids === undefined) {
        pageAsked = true;
        try {
          return (kept = await client.call('experiments.page', input));
        } finally {
          pageAsked = false;
        }
      }
      if (ids.length === 0) return kept!;
      const read = new Map((await client.call('experiments.list', { ids })).map((e) => [e.id, e]));
      // One not read was deleted meanwhile: its experiments.changed push reads the page again.
      return (kept = { ...kept!, experiments: kept!.experiments.map((e) => read.get(e.id) ?? e) });
    } catch (e) {
      whole = true;
      throw e;
    }
  };
  return follow<ExperimentPage, ExperimentPush>(
    client,
    {
      read,
      pushed: (payload) => {
        if (!('runId' in payload)) whole = true;
        else if (pageAsked || kept?.experiments.some((e) => e.id === payload.experimentId)) changed.add(payload.experimentId);
      },
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

/** The experiments of `ids` (none: nothing read), kept up with pushes as followExperiments keeps them. */
export function useFollowedSomeExperiments(ids: readonly number[], events: readonly ExperimentPush[]): FollowedState<Experiments> {
  return useFollowed(ids.length === 0 ? null : `experiments ${ids.join(' ')}`, events.join(' '), (client, show) => followExperiments(client, events, show, ids));
}

/** A page of experiments, kept up with pushes as followExperimentPage keeps it. */
export function useFollowedExperimentPage(input: CommandInput<'experiments.page'>, events: readonly ExperimentPush[]): FollowedState<ExperimentPage> {
  return useFollowed(JSON.stringify(input), events.join(' '), (client, show) => followExperimentPage(client, input, events, show));
}
