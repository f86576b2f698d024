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
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    let seen = window.location.hash;
    // The same hash arrives twice (our event, then hashchange): the second changes nothing.
    const on = () => {
      if (window.location.hash === seen) return;
      seen = window.location.hash;
      setRoute(parse(seen));
    };
    window.addEventListener('hashchange', on);
    window.addEventListener(ROUTE_WRITTEN, on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener(ROUTE_WRITTEN, on);
    };
  }, []);
  return route;
}

/** Builds a hash link: href('runs', 12) → "#/runs/12"; with a query object appended. */
export function href(...parts: (string | number | Record<string, string | number | readonly (string | number)[] | undefined>)[]): string {
  const segments: string[] = [];
  let query = '';
  for (const p of parts) {
    if (typeof p === 'object') {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(p)) if (v !== undefined && !(Array.isArray(v) && v.length === 0)) q.set(k, Array.isArray(v) ? v.join(',') : String(v));
      const s = q.toString();
      if (s) query = `?${s}`;
    } else segments.push(encodeURIComponent(String(p)));
  }
  return `#/${segments.join('/')}${query}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
  window.dispatchEvent(new Event(ROUTE_WRITTEN));
}

/** A run's, experiment's or checkpoint's number written in an address: a positive whole number ("12"), else undefined ("abc", "1.5", "0", "", null). */
export function idOf(text: string | null): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** "1,2,3" → [1, 2, 3] (ignores junk). */
export function idList(value: string | null): number[] {
  return (value ?? '')
    .split(',')
    .map(idOf)
    .filter((n) => n !== undefined);
}
