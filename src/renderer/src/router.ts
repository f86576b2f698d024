/**
 * Hash routing (`#/runs/12`, `#/compare?runs=1,2`): works from file:// in Electron and from the
 * browser-mode host alike, with no server routes. No library: six screens need only this.
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments: "#/runs/12" → ["runs", "12"]. */
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs) };
}

/**
 * Dispatched on window by the app's own hash writes (navigate, writeQuery) right after them. The
 * browser's hashchange comes a task later, so a control whose state lives in the URL (a checkbox
 * of Compare or of the Runs filters) would otherwise show its old state until then: React puts a
 * controlled input back to its props at the end of the click, and anything reading the input in
 * between (a quick second click, a test) sees it unchanged.
 */
export const ROUTE_WRITTEN = 'aisle:route-written';

export function useRoute(): Route {
  const [first] = useState(() => window.location.hash);
  const [route, setRoute] = useState(() => parse(first));
  useEffect(() => followHash(window, first, (hash) => setRoute(parse(hash))), [first]);
  return route;
}

/** What followHash needs of `window`. */
export type HashWindow = Pick<EventTarget, 'addEventListener' | 'removeEventListener'> & { readonly location: { readonly hash: string } };

/**
 * Calls `set` with the hash each time it differs from the one last seen, starting from `from`, the
 * hash the route was first read from: at once, when it already differs. A hash written after the
 * first render and before this subscription (an effect runs after the paint) had its hashchange
 * before anyone listened: the page stayed on the first route while the address named another.
 * Then at every hashchange and ROUTE_WRITTEN; the same hash arriving twice (our event, then
 * hashchange) changes nothing the second time. Returns the unsubscribe.
 */
export function followHash(win: HashWindow, from: string, set: (hash: string) => void): () => void {
  let seen = from;
  const on = () => {
    const hash = win.location.hash;
    if (hash === seen) return;
    seen = hash;
    set(hash);
  };
  win.addEventListener('hashchange', on);
  win.addEventListener(ROUTE_WRITTEN, on);
  on();
  return () => {
    win.removeEventListener('hashchange', on);
    win.removeEventListener(ROUTE_WRITTEN, on);
  };
}

/**
 * Builds a hash link: href('runs', 12) → "#/runs/12"; with a query object appended, its lists
 * written with plain commas as writeQuery writes them (`#/compare?runs=104,106`, not `104%2C106`,
 * which Compare's first write of its own had tidied a moment later).
 */
export function href(...parts: (string | number | Record<string, string | number | readonly (string | number)[] | undefined>)[]): string {
  const segments: string[] = [];
  let query = '';
  for (const p of parts) {
    if (typeof p === 'object') {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(p)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) q.set(k, Array.isArray(v) ? v.join(',') : String(v));
      const s = q.toString().replace(/%2C/gi, ',');
      if (s) query = `?${s}`;
    } else segments.push(encodeURIComponent(String(p)));
  }
  return `#/${segments.join('/')}${query}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
  window.dispatchEvent(new Event(ROUTE_WRITTEN));
}

/**
 * A run's, experiment's or checkpoint's number written in an address: a positive whole number ("12"),
 * else undefined ("abc", "1.5", "0", "", null). Digits past 2^53 (99999999999999999999, a paste gone
 * wrong) are none either: no stored thing has such a number, nor does it read exactly, and asked
 * about it the service refused it with a 400 and its schema's words ("id: must be a whole-number id").
 * See beyondIds for saying so.
 */
export function idOf(text: string | null): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Whether `text` is a whole number past 2^53: a number, but one no run, experiment or checkpoint has (idOf reads none). */
export function beyondIds(text: string | null): boolean {
  const t = (text ?? '').trim();
  return /^\d+$/.test(t) && !Number.isSafeInteger(Number(t));
}

/**
 * "1,2,3" → [1, 2, 3] (ignores junk), each id once: runs=1,1,1,… (a list built by a script, a paste
 * doubled) drew a chip per repeat and, past a thousand, was refused whole by the service's limit on
 * ids ("runIds: at most 1000 ids at once"), for one run.
 */
export function idList(value: string | null): number[] {
  return [...new Set((value ?? '').split(',').map(idOf).filter((n) => n !== undefined))];
}
