/**
 * Picks the door: inside Electron the preload has put `window.aisle` (IPC); in a browser the page
 * talks HTTP + server-sent events to the browser-mode host, with the per-launch token from the URL.
 */
import { createClient, type Client, type PreloadApi, type Transport } from '../../shared/client';
import type { CommandName, EventName, Reply } from '../../shared/contract';
import { EVENT_NAMES } from '../../shared/events';
import { CALL_PREFIX, EVENTS_PATH, TOKEN_HEADER } from '../../shared/http';

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

/** The launch token: from `#token=…` on first load, then from sessionStorage (survives reloads). */
export function browserToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem('aisle-token', match[1]!);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return match[1]!;
  }
  return sessionStorage.getItem('aisle-token');
}

function browserTransport(token: string): Transport {
  return {
    door: 'browser',
    async invoke(command, input) {
      let res: Response;
      try {
        res = await fetch(`${CALL_PREFIX}${command}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        return { ok: false, error: { name: 'Offline', message: `Aisle is not reachable (${(e as Error).message}): is \`npm start\` still running?`, status: 500 } };
      }
      const body = (await res.json().catch(() => null)) as Reply<CommandName> | null;
      if (body && typeof body === 'object' && 'ok' in body) return body;
      return { ok: false, error: { name: 'HttpError', message: `HTTP ${res.status}`, status: res.status === 404 ? 404 : res.status === 409 ? 409 : res.status >= 500 ? 500 : 400 } };
    },
    subscribe(listener, connection) {
      const source = new EventSource(`${EVENTS_PATH}?token=${encodeURIComponent(token)}`);
      for (const name of EVENT_NAMES) source.addEventListener(name, (e: MessageEvent) => listener(name, JSON.parse(e.data as string)));
      // EventSource retries by itself after an error; say when the stream is down and when it is back.
      let up: boolean | null = null;
      const report = (now: boolean) => {
        if (now === up) return;
        up = now;
        connection?.(now);
      };
      source.addEventListener('open', () => report(true));
      source.addEventListener('error', () => report(false));
      return () => source.close();
    },
  };
}

export function connect(): Client {
  if (window.aisle) return createClient(electronTransport(window.aisle));
  const token = browserToken();
  if (!token) throw new Error('This page needs the link printed by `npm start` (it carries a one-time token): open that link.');
  return createClient(browserTransport(token));
}
