/**
 * Picks the door: inside Electron the preload has put `window.aisle` (IPC); in a browser the page
 * talks HTTP + server-sent events to the browser-mode host, with the per-launch token from the URL.
 */
import { createClient, NO_ANSWER, type Client, type Connection, type FetchedFile, type PreloadApi, type Transport } from '../../shared/client';
import type { CommandName, ContractError, EventName, Reply } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/events';
import { CALL_PREFIX, EVENTS_PATH, ONCE_HEADER, ONCE_PATH, TOKEN_HEADER } from '../../shared/http';

declare global {
  interface Window {
    aisle?: PreloadApi;
  }
}

function electronTransport(api: PreloadApi): Transport {
  return {
    door: 'electron',
    invoke: (command, input) => api.invoke(command, input) as Promise<Reply<CommandName>>,
    subscribe: (listener) => api.onEvent((event, payload) => listener(event as EventName, payload)),
  };
}

/** What a call that cannot reach the host says (the browser's own words for why in brackets). */
function unreachable(e: unknown): string {
  return `Aisle is not reachable (${(e as Error).message}): was it stopped? Start it again and open the new link it prints.`;
}

/** What a link brings in its fragment: the launch token (the link Aisle printed), or a one-time code (the link it opened). */
type LinkKey = { readonly token: string } | { readonly once: string };

/**
 * Takes a launch token (`#token=…`, the link Aisle prints) or a one-time code (`#once=…`, the link
 * it opens in a browser itself) from the URL, and removes it from the URL, so it is neither routed
 * as a page nor left in history. Null when the URL carries neither (or one that is not a key:
 * removed all the same). A token is kept at once for this tab's reloads, and for the tabs opened
 * later without the link once the host has taken it (see browserTransport's invoke): any page may
 * open this address with a `#token=` of its own.
 */
function takeUrlKey(): LinkKey | null {
  const match = /(?:^#|&)(token|once)=([^&]*)/.exec(window.location.hash);
  if (!match) return null;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  const value = match[2]!;
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  if (match[1] === 'once') return { once: value };
  sessionStorage.setItem('aisle-token', value);
  return { token: value };
}

/**
 * Keeps the token for reloads (this tab's session) and for tabs opened from it without the link
 * (a Ctrl+click on an in-app link, a bookmark): those start with no session of their own, and were
 * a dead end. After a restart the kept token is refused, and the bar says to open the new link.
 */
function keepToken(token: string): void {
  sessionStorage.setItem('aisle-token', token);
  localStorage.setItem('aisle-token', token);
}

/** The token this tab had, else the one the last tab of this address was given. */
function keptToken(): string | null {
  return sessionStorage.getItem('aisle-token') ?? localStorage.getItem('aisle-token');
}

/**
 * The launch token a link's key stands for: a token is itself, a one-time code is traded for it
 * (good once, for two minutes: a command line, which other local users can read, never carries the
 * token). Stored for reloads. Throws what the host said when the code was used already or expired.
 */
async function tokenOf(key: LinkKey): Promise<string> {
  if ('token' in key) return key.token;
  let res: Response;
  try {
    res = await fetch(ONCE_PATH, { method: 'POST', headers: { [ONCE_HEADER]: key.once } });
  } catch (e) {
    throw new Error(unreachable(e), { cause: e });
  }
  const body = (await res.json().catch(() => null)) as { token?: unknown; error?: { message?: unknown } } | null;
  if (res.ok && typeof body?.token === 'string') {
    keepToken(body.token);
    return body.token;
  }
  const said = body?.error?.message;
  throw new Error(typeof said === 'string' ? `${said.charAt(0).toUpperCase()}${said.slice(1)}.` : `This link was refused (HTTP ${res.status}): open the link Aisle printed in its terminal.`);
}

/** A reply that is no contract Reply (a proxy's page), by its HTTP status. */
function httpError(status: number): ContractError {
  return { name: 'HttpError', message: `HTTP ${status}`, status: status === 404 ? 404 : status === 409 ? 409 : status >= 500 ? 500 : 400 };
}

/**
 * The contract Reply a host's answer carries, else (not JSON, or no Reply: a proxy's page) an error
 * by its HTTP status: a call's answer, and a refused file's (invoke, fetchFile).
 */
async function replyOf(res: Response): Promise<Reply<CommandName>> {
  const body = (await res.json().catch(() => null)) as Reply<CommandName> | null;
  if (body && typeof body === 'object' && 'ok' in body) return body;
  return { ok: false, error: httpError(res.status) };
}

/** Seconds between attempts to reopen an event stream the server ended or refused. */
const RETRY_MS = 3000;

/**
 * HTTP calls and server-sent events to the browser-mode host. A new link opened in the same tab
 * (only the fragment changes, so the page does not reload) brings its token in: the stream reopens
 * with it, and the connection's return makes the screens fetch again.
 */
function browserTransport(initialToken: string): Transport {
  let token = initialToken;
  // Whether the host has taken `token` (a call answered ok): only then is it kept for the tabs
  // opened later without the link (this tab's reloads have it already). Kept as the link brought it,
  // another site could open this address with `#token=garbage` and leave every such tab refused.
  let kept = false;
  let state: Connection | null = null;
  let hear: ((state: Connection) => void) | undefined;
  const report = (now: Connection) => {
    if (now === state || !hear) return;
    state = now;
    hear?.(now);
  };
  let reopen: (() => void) | null = null;
  // The id of the last event this tab was given (from its own stream, or the holder's over the
  // channel): a stream it opens asks the server for those after it (the host keeps the last
  // REPLAY_EVENTS), so a stream's reopening or a takeover loses none. Null until one came.
  let lastId: number | null = null;
  const seen = (id: string | number | undefined) => {
    const n = Number(id);
    if (id !== undefined && id !== '' && Number.isInteger(n)) lastId = n;
  };
  // Registered before the app renders, so it runs before the router's own listener: the router
  // sees the URL without the token.
  window.addEventListener('hashchange', () => {
    const key = takeUrlKey();
    if (key === null) return;
    const use = (fresh: string) => {
      if (fresh === token) return;
      token = fresh;
      kept = false;
      lastId = null; // another server's ids
      reopen?.();
    };
    // A token at once, before the router's listener runs and its screen calls with the old one.
    if ('token' in key) return use(key.token);
    // A used or expired one-time link changes nothing: the tab goes on with the token it has.
    tokenOf(key).then(use, (e: unknown) => console.error('aisle:', (e as Error).message));
  });

  async function invoke(command: CommandName, input: unknown): Promise<Reply<CommandName>> {
    const sent = token;
    let res: Response;
    try {
      res = await fetch(`${CALL_PREFIX}${command}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: sent },
        body: JSON.stringify(input ?? {}),
      });
    } catch (e) {
      return { ok: false, error: { name: NO_ANSWER, message: unreachable(e), status: 500 } };
    }
    // A server that refuses the token is a new Aisle (a new launch, a new token), not a lost one.
    if (res.status === 401) report('refused');
    if (res.ok && !kept && sent === token) {
      kept = true;
      keepToken(sent);
    }
    return replyOf(res);
  }

  /**
   * A GET of a file the host streams: its bytes as they arrive (not read here: the page may write
   * them to a file without holding them), or what the host said in refusing it.
   */
  async function fetchFile(path: string): Promise<FetchedFile | { error: ContractError }> {
    let res: Response;
    try {
      res = await fetch(path, { headers: { [TOKEN_HEADER]: token } });
    } catch (e) {
      return { error: { name: NO_ANSWER, message: unreachable(e), status: 500 } };
    }
    if (res.status === 401) report('refused');
    if (!res.ok) {
      // A refusal's Reply, as a call's; one that says ok (no file) is no refusal: by its status.
      const reply = await replyOf(res);
      return { error: reply.ok ? httpError(res.status) : reply.error };
    }
    return { body: res.body ?? new Blob([]).stream(), blob: () => res.blob(), header: (name) => res.headers.get(name) };
  }

  /**
   * The server-sent events of this tab, opened as before: reports its state, hands every event to
   * `deliver`. Returns the function that closes it (and its retry).
   */
  function openStream(deliver: (event: EventName, payload: unknown, id: number | null) => void, said: (now: Connection) => void): () => void {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    // Closed, it says nothing more: an answer to its last call comes after a new link reopened the
    // stream (its 'refused' is no longer true), or after its tab left the channel it posts to.
    let closed = false;
    const state = (now: Connection) => {
      if (!closed) said(now);
    };
    const open = () => {
      source = new EventSource(`${EVENTS_PATH}?token=${encodeURIComponent(token)}${lastId === null ? '' : `&after=${lastId}`}`);
      for (const name of EVENT_NAMES) {
        source.addEventListener(name, (e: MessageEvent) => {
          seen(e.lastEventId);
          deliver(name, JSON.parse(e.data as string), lastId);
        });
      }
      // Where the stream starts (after what it replayed): the id to name when it is opened again.
      // Said to the tabs sharing the stream too (its state again, with the id): its 'open' went to them
      // before this id came, so a tab that joined while the stream opened, and takes it over before
      // any event, asked for nothing and lost what was pushed between the two streams.
      source.addEventListener('ready', (e: MessageEvent) => {
        seen(e.lastEventId);
        state('up');
      });
      // Events this tab missed that the server no longer keeps: what its screens show is read again,
      // as after a lost connection.
      source.addEventListener('gap', () => {
        state('down');
        state('up');
      });
      source.addEventListener('open', () => state('up'));
      source.addEventListener('error', () => {
        // EventSource retries by itself while the server cannot be reached; a server that answers
        // anything but a stream (401 for a token from before a restart) ends it for good, and
        // EventSource does not say what it answered: a call asks, and the stream is tried again later.
        if (source?.readyState !== EventSource.CLOSED) return state('down');
        // Said through `state`, so that tabs sharing this stream hear it too (a refused token: Aisle was restarted).
        source?.close();
        void invoke('app.info', {}).then((reply) => {
          if (closed) return;
          // Refused for good: this Aisle has another token now, and only its new link (which reopens
          // the stream with it) is let in; asking again every few seconds only filled the console.
          if (!reply.ok && reply.error.name === 'Unauthorized') return state('refused');
          // Refused at this address (the host's 403: another port, another name): so it stays; the
          // screens say the host's own words, and asking every few seconds changed nothing.
          if (!reply.ok && reply.error.name === 'Forbidden') return state('misaddressed');
          if (!reply.ok && reply.error.name === NO_ANSWER) state('down');
          retry ??= setTimeout(() => {
            retry = null;
            open();
          }, RETRY_MS);
        });
      });
    };
    open();
    return () => {
      closed = true;
      source?.close();
      if (retry) clearTimeout(retry);
      retry = null;
    };
  }

  /**
   * One event stream for every tab of this Aisle, not one each: over HTTP/1.1 Chromium keeps at
   * most 6 connections to a host, and each open stream holds one, so a 7th tab's calls waited
   * forever. One tab, the holder, opens the stream and passes every event, and the stream's state,
   * to the others over a BroadcastChannel; when it closes, another takes over and opens its own.
   * The holder is elected with Web Locks, or, where a page has none (on a LAN address over plain
   * HTTP a page is not a secure context), over the channel itself (electByBeats). A tab that joins
   * asks the holder for the state it is in ('hello'), which it otherwise hears only when it changes:
   * a tab waits for that state before its screens fetch (app.tsx), so no event falls between.
   */
  function shareStream(deliver: (event: EventName, payload: unknown) => void, state: (now: Connection) => void): () => void {
    if (typeof BroadcastChannel === 'undefined') return openStream(deliver, state);
    const name = `aisle-events-${token}`;
    const channel = new BroadcastChannel(name);
    let left = false;
    const post = (message: Shared) => {
      if (!left) channel.postMessage(message);
    };
    // The stream's state while this tab holds it (null: it holds none, or its stream is not open yet).
    let held: Connection | null = null;
    let closeStream: (() => void) | null = null;
    const holder: Holder = {
      holding: () => closeStream !== null,
      take() {
        closeStream ??= openStream(
          (event, payload, id) => {
            deliver(event, payload);
            post({ kind: 'event', event, payload, id });
          },
          (now) => {
            held = now;
            state(now);
            post({ kind: 'state', state: now, id: lastId });
          },
        );
      },
      give() {
        closeStream?.();
        closeStream = null;
        held = null;
      },
    };
    const election = navigator.locks ? electByLock(name, holder) : electByBeats(post, holder);
    channel.onmessage = (e: MessageEvent<Shared>) => {
      const message = e.data;
      if (message.kind === 'event') {
        seen(message.id ?? undefined);
        deliver(message.event, message.payload);
      }
      else if (message.kind === 'state') {
        seen(message.id ?? undefined);
        state(message.state);
      } else if (message.kind === 'hello' && held !== null) post({ kind: 'state', state: held, id: lastId });
      election.heard(message);
    };
    post({ kind: 'hello' });
    return () => {
      election.stop();
      holder.give();
      left = true;
      channel.close();
    };
  }

  return {
    door: 'browser',
    invoke,
    fetchFile,
    subscribe(listener, connection) {
      hear = connection;
      let close = shareStream(listener, report);
      reopen = () => {
        close();
        close = shareStream(listener, report);
      };
      return () => {
        close();
        reopen = null;
      };
    },
  };
}

/** What the tabs sharing a stream say to each other (see shareStream). */
type Shared =
  | { kind: 'event'; event: EventName; payload: unknown; id: number | null }
  | { kind: 'state'; state: Connection; id: number | null }
  | { kind: 'hello' }
  | { kind: 'beat'; id: number; visible: boolean }
  | { kind: 'bye' };

/** A tab's part in holding the shared stream: `take` opens it here, `give` closes it. */
interface Holder {
  holding(): boolean;
  take(): void;
  give(): void;
}

/** How the tabs agree on the holder: `heard` sees every message of the channel; `stop` leaves. */
interface Election {
  heard(message: Shared): void;
  stop(): void;
}

/** The tab holding the Web Lock named for the token holds the stream; when it goes, the next waiting tab gets the lock. */
function electByLock(name: string, holder: Holder): Election {
  const done = new AbortController();
  let release = () => {};
  navigator.locks
    .request(name, { signal: done.signal }, () => {
      holder.take();
      // Held until this tab unsubscribes (or goes away, which releases it too).
      return new Promise<void>((resolve) => {
        release = () => {
          holder.give();
          resolve();
        };
      });
    })
    .catch(() => {}); // aborted while waiting: this tab never held it
  return {
    heard: () => {},
    stop() {
      done.abort();
      release();
    },
  };
}

/** The holder says it holds the stream this often. */
const BEAT_MS = 1000;
/** A tab that hears no holder for this long takes the stream over (the holder closed without a word, or hangs). */
const SILENT_MS = 3500;
/** A tab that joins and hears no holder within this takes the stream itself. */
const JOIN_MS = 400;

/**
 * Without Web Locks: the holder says so every BEAT_MS ('beat'), and at once to a tab that joins;
 * a tab that hears none within JOIN_MS of joining, or for SILENT_MS after, takes the stream over;
 * a holder closing says 'bye', and the others take over after a random moment, the first to speak
 * keeping it. Of two holders (two tabs took over at once) one gives way: the hidden one to the one
 * on screen (a background tab's timers are slowed to once a minute, so its beats come late), else
 * the larger id.
 */
function electByBeats(post: (message: Shared) => void, holder: Holder): Election {
  const id = crypto.getRandomValues(new Uint32Array(1))[0]!;
  const visible = () => document.visibilityState === 'visible';
  let lastHeard = -Infinity;
  let pending: ReturnType<typeof setTimeout> | undefined;
  const beat = () => post({ kind: 'beat', id, visible: visible() });
  const takeIfSilent = (quietMs: number) => {
    if (leaving || holder.holding() || performance.now() - lastHeard < quietMs) return;
    holder.take();
    beat();
  };
  const tick = setInterval(() => (holder.holding() ? beat() : takeIfSilent(SILENT_MS)), BEAT_MS);
  const joined = performance.now();
  pending = setTimeout(() => lastHeard < joined && takeIfSilent(0), JOIN_MS);
  const bye = () => {
    if (holder.holding()) post({ kind: 'bye' });
  };
  // A tab going away takes nothing over: one that did so between its pagehide and its end then
  // vanished without a bye, and the tabs left waited out SILENT_MS with no stream.
  let leaving = false;
  const leave = () => {
    leaving = true;
    bye();
  };
  const back = (e: PageTransitionEvent) => {
    if (e.persisted) leaving = false; // restored from the back/forward cache
  };
  window.addEventListener('pagehide', leave);
  window.addEventListener('pageshow', back);
  return {
    heard(message) {
      if (message.kind === 'hello' && holder.holding()) beat();
      else if (message.kind === 'beat') {
        lastHeard = performance.now();
        const mine = visible();
        if (holder.holding() && (message.visible !== mine ? message.visible : message.id < id)) holder.give();
      } else if (message.kind === 'bye') {
        clearTimeout(pending);
        const said = performance.now();
        lastHeard = -Infinity;
        pending = setTimeout(() => lastHeard < said && takeIfSilent(0), Math.random() * 300);
      }
    },
    stop() {
      clearInterval(tick);
      clearTimeout(pending);
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('pageshow', back);
      bye();
    },
  };
}

/**
 * The client of this page: Electron's IPC, or HTTP with the token its link brought (a one-time
 * link's code traded for it), else the one stored for reloads. Rejects with what to do when neither
 * gives one.
 */
export async function connect(): Promise<Client> {
  if (window.aisle) return createClient(electronTransport(window.aisle));
  const key = takeUrlKey();
  const stored = keptToken();
  let token: string | null;
  try {
    token = key === null ? stored : await tokenOf(key);
  } catch (e) {
    // A one-time link used already, in a tab that has a token (a restored tab): it goes on with it.
    if (stored === null) throw e;
    token = stored;
  }
  if (!token) throw new Error('This page needs the link Aisle printed when it started (it carries the token of that launch): open that link, here or in another tab.');
  return createClient(browserTransport(token));
}
