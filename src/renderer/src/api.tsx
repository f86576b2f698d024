/**
 * The renderer's access to the contract: a client in context, `useCall` for data that refreshes on
 * demand or on pushed events, and `useEvent` for pushes. Screens never see which door is in use.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Client } from '../../shared/client';
import { CallError } from '../../shared/client';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayloads, OnlyStoredRead, RunNotStored } from '../../shared/contract';

const ClientContext = createContext<Client | null>(null);

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): Client {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

export interface CallState<T> {
  data: T | undefined;
  /**
   * Whether `data` answers the input given now. While a changed input loads, `data` is still the
   * previous input's answer (a screen keeps showing it); it must not be taken for the new one's.
   * A refresh of the same input keeps this true.
   */
  current: boolean;
  error: CallError | Error | undefined;
  loading: boolean;
  /** Calls again (keeps showing the previous data meanwhile). */
  refresh: () => void;
}

/**
 * Calls a command whenever its input changes (compared as JSON) or `refresh` is called. `input`
 * null skips the call. Out-of-order replies are dropped, so a slow old answer never overwrites a
 * newer one. An error belongs to the input it was called with: once the input changes, the last
 * input's error is no longer reported (a screen would otherwise blame the new address for the old).
 */
export function useCall<K extends OnlyStoredRead>(command: K, input: (CommandInput<K> & { onlyStored: true }) | null): CallState<CommandOutput<K> | RunNotStored>;
export function useCall<K extends CommandName>(command: K, input: CommandInput<K> | null): CallState<CommandOutput<K>>;
export function useCall<K extends CommandName>(command: K, input: CommandInput<K> | null): CallState<CommandOutput<K>> {
  const client = useClient();
  const [answer, setAnswer] = useState<{ key: string; data: CommandOutput<K> }>();
  const [failure, setFailure] = useState<{ key: string; error: Error }>();
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const key = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setLoading(true);
    client
      .call(command, JSON.parse(key) as CommandInput<K>)
      .then((value) => {
        if (mine !== seq.current) return;
        setAnswer({ key, data: value });
        setFailure(undefined);
      })
      .catch((e: Error) => mine === seq.current && setFailure({ key, error: e }))
      .finally(() => mine === seq.current && setLoading(false));
  }, [client, command, key, tick]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data: answer?.data, current: answer !== undefined && answer.key === key, error: failure !== undefined && failure.key === key ? failure.error : undefined, loading, refresh };
}

/** Subscribes to a pushed event for the component's lifetime. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => client.on(event, (p) => ref.current(p)), [client, event]);
}

/**
 * Calls `fn` at most every `ms` while events keep arriving (live views refresh at a steady pace
 * instead of once per progress message).
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return useCallback(() => {
    const wait = last.current + ms - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      ref.current();
    } else if (!timer.current) {
      timer.current = setTimeout(() => {
        timer.current = null;
        last.current = Date.now();
        ref.current();
      }, wait);
    }
  }, [ms]);
}

/** The message of any error, for inline display. */
export function errorText(e: unknown): string {
  if (e instanceof CallError && e.problems?.length) return e.problems.join('\n');
  return e instanceof Error ? e.message : String(e);
}
