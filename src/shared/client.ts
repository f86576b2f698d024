/**
 * The typed client over either door. A transport moves one request and its reply (Electron IPC via
 * the preload, or HTTP to the browser-mode host) and delivers pushed events; the client gives the
 * renderer `call('runs.list', {...})` with full types and `on('run.progress', fn)`.
 */
import type { CommandInput, CommandName, CommandOutput, ContractError, EventName, EventPayloads, OnlyStoredRead, Reply, RunNotStored } from './contract';

/**
 * Run detail's Metrics CSV saved by Electron's main (the preload's saveMetricsCsv): written there to
 * the file the save dialog picked, piece by piece, so the CSV never crosses IPC; an error is the
 * contract's, as runs.metricsCsv's would be (an unknown run, a run without metrics).
 */
export type SavedMetricsCsv = { ok: true; saved: false } | { ok: true; saved: true; path: string; episodes: number; metrics: number } | { ok: false; error: ContractError };

/**
 * The state of the connection to the service: `up`; `down` (the server cannot be reached: it
 * stopped, or the network between); `refused` (a server answers but refuses this page's launch
 * token: Aisle was started again, with a new token in its new link); `misaddressed` (a server
 * answers but not at the address this page was opened at: an SSH tunnel to another port, a name
 * the host does not take; asking again changes nothing).
 */
export type Connection = 'up' | 'down' | 'refused' | 'misaddressed';

export interface Transport {
  invoke(command: CommandName, input: unknown): Promise<Reply<CommandName>>;
  /**
   * Delivers every pushed event; returns an unsubscribe function. `connection`, when given, hears
   * each change of the connection's state: a door that cannot lose its connection (Electron IPC)
   * never calls it.
   */
  subscribe(listener: (event: EventName, payload: unknown) => void, connection?: (state: Connection) => void): () => void;
  readonly door: 'electron' | 'browser';
  /** The browser door's GET of a file the host streams (shared/http.ts METRICS_CSV_PATH), with the launch token. */
  fetchFile?(path: string): Promise<FetchedFile | { error: ContractError }>;
}

/**
 * A file the browser-mode host answered, its bytes still arriving: read them once, as a stream
 * (written to a file as they come) or as a Blob (held whole). Either rejects when the connection
 * is cut before the end (the host stopped, or ended the answer early: see saveMetricsCsv).
 */
export interface FetchedFile {
  readonly body: ReadableStream<Uint8Array>;
  blob(): Promise<Blob>;
  header(name: string): string | null;
}

/**
 * The name of a call's error when no answer came: the request failed (the server stopped, the
 * network between, or the page going away mid-call: a reload).
 */
export const NO_ANSWER = 'Offline';

/** A failed call: the contract error, thrown so callers can `try`/`catch`. */
export class CallError extends Error implements ContractError {
  readonly status: ContractError['status'];
  readonly problems?: readonly string[];
  constructor(readonly command: CommandName, error: ContractError) {
    super(error.message);
    this.name = error.name;
    this.status = error.status;
    if (error.problems) this.problems = error.problems;
  }
}

export interface Client {
  readonly door: 'electron' | 'browser';
  /** A run read asked with onlyStored: its answer, or RunNotStored once the run is gone (see OnlyStoredRead). */
  call<K extends OnlyStoredRead>(command: K, input: CommandInput<K> & { onlyStored: true }): Promise<CommandOutput<K> | RunNotStored>;
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Hears each change of the connection's state (pushed events flow only while it is up). Opens the event stream. */
  onConnection(listener: (state: Connection) => void): () => void;
  /**
   * Browser door only (undefined in Electron): a file the host streams, fetched with the launch
   * token; a refusal is thrown as a CallError of `command`, the call it stands for.
   */
  fetchFile?(path: string, command: CommandName): Promise<FetchedFile>;
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connection = new Set<(state: Connection) => void>();
  let unsubscribe: (() => void) | null = null;
  const ensureSubscribed = () => {
    unsubscribe ??= transport.subscribe(
      (event, payload) => {
        for (const l of listeners.get(event) ?? []) l(payload);
      },
      (state) => {
        for (const l of connection) l(state);
      },
    );
  };
  return {
    door: transport.door,
    async call(command: CommandName, input: unknown) {
      const reply = await transport.invoke(command, input);
      if (!reply.ok) throw new CallError(command, reply.error);
      return reply.value as never;
    },
    on(event, listener) {
      ensureSubscribed();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: unknown) => void);
      return () => {
        set!.delete(listener as (payload: unknown) => void);
      };
    },
    onConnection(listener) {
      ensureSubscribed();
      connection.add(listener);
      return () => void connection.delete(listener);
    },
    ...(transport.fetchFile
      ? {
          fetchFile: async (path: string, command: CommandName) => {
            const fetched = await transport.fetchFile!(path);
            if ('error' in fetched) throw new CallError(command, fetched.error);
            return fetched;
          },
        }
      : {}),
  };
}

/** The sidebar's Theme: System (the OS's scheme), Light or Dark. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** What the preload exposes on `window.aisle` (and nothing more). */
export interface PreloadApi {
  invoke(command: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** Native dialogs, Electron only. */
  openFiles(options: { title: string; filters: { name: string; extensions: string[] }[]; multiple: boolean }): Promise<{ name: string; text: string }[]>;
  /** Writes `text` as UTF-8, or `base64`'s bytes (a chart's PNG). */
  saveFile(options: { title: string; defaultName: string } & ({ text: string } | { base64: string })): Promise<{ saved: boolean; path?: string }>;
  /** A run's metrics CSV, made and written by main to the file its save dialog picks. */
  saveMetricsCsv(id: number): Promise<SavedMetricsCsv>;
  /** Tells the shell the page's theme, for the window's frame, menus and background (Electron only; nothing comes back). */
  setTheme(choice: ThemeChoice): void;
}

export const IPC_INVOKE = 'aisle:invoke';
export const IPC_EVENT = 'aisle:event';
export const IPC_OPEN = 'aisle:open-files';
export const IPC_SAVE = 'aisle:save-file';
export const IPC_SAVE_METRICS_CSV = 'aisle:save-metrics-csv';
export const IPC_THEME = 'aisle:theme';
