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

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
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
}

/** "1,2,3" → [1, 2, 3] (ignores junk). */
export function idList(value: string | null): number[] {
  return (value ?? '')
    .split(',')
    .map((s) => Number(s))
    .filter((n) => Number.isInteger(n) && n > 0);
}
