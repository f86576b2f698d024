/**
 * Screen state kept in the hash's query, so a view can be shared or bookmarked
 * (`#/compare?runs=1,2&band=minmax`). Writes patch the live hash rather than a possibly stale
 * route prop. `push` adds a history entry (selections), `replace` does not (controls), `silent`
 * rewrites the URL without a hashchange (a slider's resting value, which the screen already holds).
 */
import { useEffect, useState } from 'react';
import { ROUTE_WRITTEN } from './router';

export type QueryPatch = Record<string, string | number | readonly number[] | null | undefined>;

/** The live hash's query (what the next render's props will say, where they may still be stale). */
export function liveQuery(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#\/?/, '').split('?')[1] ?? '');
}

/**
 * Patches the live hash's query. A write the screen makes on its own, after data arrives or a
 * delay (not in a handler of the user's), names its screen's path as `screen`: when the user has
 * moved on by then (Back pressed while the data loaded), the hash is another screen's, and the
 * write is dropped instead of landing in that screen's address (`#/runs/1?ca=5`).
 */
export function writeQuery(patch: QueryPatch, mode: 'push' | 'replace' | 'silent' = 'replace', screen?: string): void {
  const [path = '', qs = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  if (screen !== undefined && path !== screen) return;
  const query = new URLSearchParams(qs);
  // A slider's value still waiting for its timer goes along: the write brings the screen's props up
  // to the hash, and a hash without it would move the slider back.
  for (const [key, value] of [...resting, ...Object.entries(patch)]) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) query.delete(key);
    else query.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const search = query.toString().replace(/%2C/gi, ',');
  const to = `#/${path}${search ? `?${search}` : ''}`;
  if (to === window.location.hash) return;
  if (mode === 'silent') {
    window.history.replaceState(window.history.state, '', to);
    return;
  }
  if (mode === 'push') window.location.hash = to;
  else window.location.replace(to);
  window.dispatchEvent(new Event(ROUTE_WRITTEN)); // the screen re-renders now, not a task later (see router.ts)
}

/** Values of sliders (see useUrlSmoothing) not yet written to the hash, by query key. */
const resting = new Map<string, QueryPatch[string]>();

/** A number from the query, or `fallback` when absent or outside [min, max]. */
export function queryNumber(query: URLSearchParams, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = query.get(key);
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** A positive whole-number id from the query, or undefined. */
export function queryId(query: URLSearchParams, key: string): number | undefined {
  const value = Number(query.get(key));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * A smoothing slider kept in the URL (`smooth`, default 0.6, in [0, 0.99]): the slider moves many
 * times a second, so the value lives in state and reaches the URL once it rests (silently: the
 * screen already holds it); a URL changed elsewhere (Back, a link) moves the slider.
 */
export function useUrlSmoothing(query: URLSearchParams): [number, (value: number) => void] {
  const fromUrl = queryNumber(query, 'smooth', 0.6, 0, 0.99);
  const [smoothing, setSmoothing] = useState(fromUrl);
  useEffect(() => setSmoothing(fromUrl), [fromUrl]);
  useEffect(() => {
    const value = smoothing === 0.6 ? null : smoothing;
    resting.set('smooth', value);
    const t = setTimeout(() => {
      resting.delete('smooth');
      writeQuery({ smooth: value }, 'silent');
    }, 300);
    return () => {
      clearTimeout(t);
      resting.delete('smooth');
    };
  }, [smoothing]);
  return [smoothing, setSmoothing];
}
