/**
 * A read kept up with the pushes that change its answer: read once, then again on each push of the
 * events it follows (and on `heard()`), through a FreshRead, so a read is asked at once after a push
 * and an answer asked before a push heard since is never shown. The Experiments list, the run
 * pickers of Policies and Q-tables, Policies' Evaluate environments and Compare's list of
 * experiments follow runs and experiments with it: refreshed through a throttle, a run that finished
 * while the screen was open came into the picker only when the throttle next let a read through, up
 * to half a second after its completed push (a second for Compare's done counts), the read the
 * throttle had let through before it having been asked too early to list it. Compare's chart follows
 * its runs' status so, and their progress at a pace (`later()`): a comparison can be heavy to read.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Client } from '../../shared/client';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayloads } from '../../shared/contract';
import { useClient } from './api';
import { FreshRead, type FreshAnswer } from './fresh-read';

/** The pushes after which a list of runs may have changed: a run queued, started, stopped; runs deleted or imported. */
export const RUN_CHANGES = ['run.status', 'experiments.changed'] as const satisfies readonly EventName[];

/** What is shown (see FreshAnswer), and how many changes had been heard when its read was asked. */
export interface FollowedAnswer<T> extends FreshAnswer<T> {
  /** An answer asked after the change `heard()` counted as n has `asked` ≥ n (the first read: 0). */
  readonly asked: number;
}

export interface FollowedRead {
  /** A change the read follows (a push, or a change made here): returns how many have been heard, this one included. */
  heard(): number;
  /** A change that may wait for the read's pace (see FreshRead.later): not counted in `asked`. */
  later(): void;
  /** No more reads, pushes heard or answers shown (the screen has gone, or the input changed). */
  close(): void;
}

/**
 * What a followed read asks (follow), and what it notes of a push or of a change made here before
 * the read they owe is asked: followRead asks one command again whatever came; the experiments'
 * list (experiments-follow.ts) notes which experiments the pushes named, and reads those alone.
 */
export interface Follower<T, E extends EventName> {
  read(): Promise<T>;
  /** A push of one of the events followed (default: nothing to note). */
  pushed?(payload: EventPayloads[E]): void;
  /** `heard()`: a change made here (default: nothing to note). */
  changedHere?(): void;
}

/**
 * `follower.read()` asked now, and again after each push of `events` and each `heard()`, and
 * `paceMs` after the last answer following a `later()`: see FreshRead.
 */
export function follow<T, E extends EventName>(client: Pick<Client, 'on'>, follower: Follower<T, E>, events: readonly E[], show: (answer: FollowedAnswer<T>) => void, paceMs = 0): FollowedRead {
  let changes = 0;
  // FreshRead asks one read at a time, so the read answering is the one asked last.
  let asked = 0;
  const read = new FreshRead(
    () => {
      asked = changes;
      return follower.read();
    },
    (answer) => show({ ...answer, asked }),
    Date.now,
    paceMs,
  );
  const heard = () => {
    follower.changedHere?.();
    changes++;
    read.heard();
    return changes;
  };
  const stops = events.map((event) =>
    client.on(event, (payload) => {
      follower.pushed?.(payload);
      changes++;
      read.heard();
    }),
  );
  read.heard();
  return {
    heard,
    later: () => read.later(),
    close: () => {
      for (const stop of stops) stop();
      read.close();
    },
  };
}

/** `command` read now, and again after each push of `events` and each `heard()` (see follow). */
export function followRead<K extends CommandName>(
  client: Pick<Client, 'call' | 'on'>,
  command: K,
  input: CommandInput<K>,
  events: readonly EventName[],
  show: (answer: FollowedAnswer<CommandOutput<K>>) => void,
  paceMs = 0,
): FollowedRead {
  return follow(client, { read: () => client.call(command, input) }, events, show, paceMs);
}

/** What useFollowedRead gives a screen: the answer shown, whether it is the input's, and the changes to tell. */
export interface FollowedState<T> extends FreshAnswer<T> {
  /** Before the first answer for this input, -1. */
  readonly asked: number;
  /**
   * Whether `data` answers the input given now. While a changed input loads, `data` (never `error`)
   * is still the previous input's answer, as useCall keeps it; it must not be taken for the new one's.
   */
  readonly current: boolean;
  /** No answer (nor failure) yet for the input given now. */
  readonly loading: boolean;
  readonly heard: () => number;
  readonly later: () => void;
}

/**
 * A followed read for a screen: `start` begins it (follow, followRead or followExperiments) when
 * the screen comes, and again when `client`, `key` or `restart` change; the answer shown is the one
 * for `key` (null reads nothing), and `heard()` (or `later()`, see FreshRead) tells it of a change
 * made here or a push the screen sorts itself. The count restarts with it.
 */
export function useFollowed<T>(
  key: string | null,
  restart: string,
  start: (client: Client, show: (answer: FollowedAnswer<T>) => void) => FollowedRead,
): FollowedState<T> {
  const client = useClient();
  const [answer, setAnswer] = useState<FollowedAnswer<T> & { readonly key?: string }>({ asked: -1 });
  // The render's own `start`, for the effect that (re)begins the read: key and restart say when.
  const begin = useRef(start);
  begin.current = start;
  // A ref, not state: a change heard before the next render reaches the read made for this key.
  const reads = useRef<FollowedRead | null>(null);
  useEffect(() => {
    if (key === null) return;
    const read = begin.current(client, (a) => setAnswer({ ...a, key }));
    reads.current = read;
    return () => {
      read.close();
      if (reads.current === read) reads.current = null;
    };
  }, [client, key, restart]);
  const heard = useCallback(() => reads.current?.heard() ?? 0, []);
  const later = useCallback(() => reads.current?.later(), []);
  const mine = key !== null && answer.key === key;
  return {
    data: answer.data,
    error: mine ? answer.error : undefined,
    asked: mine ? answer.asked : -1,
    current: mine && answer.data !== undefined,
    loading: key !== null && !mine,
    heard,
    later,
  };
}

/**
 * `command` read and kept up with `events` (see followRead), for a screen (see useFollowed). `input`
 * null reads nothing; the count restarts when the input changes.
 */
export function useFollowedRead<K extends CommandName>(
  command: K,
  input: CommandInput<K> | null,
  events: readonly EventName[],
  paceMs = 0,
): FollowedState<CommandOutput<K>> {
  return useFollowed(input === null ? null : JSON.stringify(input), `${command} ${events.join(' ')} ${paceMs}`, (client, show) => followRead(client, command, input!, events, show, paceMs));
}
