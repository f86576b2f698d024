/**
 * Screen state kept in the hash's query, so a view can be shared or bookmarked
 * (`#/compare?runs=1,2&band=minmax`). Writes patch the live hash rather than a possibly stale
 * route prop. `push` adds a history entry (selections), `replace` does not (controls), `silent`
 * rewrites the URL without a hashchange (a slider's resting value, which the screen already holds).
 */
import { useEffect, useState } from 'react';
import { ROUTE_WRITTEN, beyondIds, idOf } from './router';
import { typedList, typedText } from '../../engine/sweep-values';

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

/** Whether `raw` reads as a number in [min, max] (else the screen takes its default). */
export function readsNumber(raw: string | null, min = -Infinity, max = Infinity): boolean {
  const value = raw === null || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value >= min && value <= max;
}

/**
 * Whether `raw` reads as a whole number in [min, max], as an id does (50.4 is no number of episodes:
 * named, not silently rounded to 50).
 */
export function readsWhole(raw: string | null, min = -Infinity, max = Infinity): boolean {
  return readsNumber(raw, min, max) && Number.isInteger(Number(raw));
}

/** A whole number from the query, or `fallback` when absent, not whole (page=2.5) or outside [min, max]: as readsWhole reads it. */
export function queryWhole(query: URLSearchParams, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = query.get(key);
  return readsWhole(raw, min, max) ? Number(raw) : fallback;
}

/** What a query key names by number: a run, an experiment, a checkpoint; `list` when it takes several. */
export interface IdKey {
  readonly noun: string;
  readonly list?: boolean;
  /** What the screen shows in its place, when that is not plain from the rest ("A shows its run's final table instead"). */
  readonly instead?: string;
  /**
   * The ids there are, once the screen knows them (a run's checkpoints): a number among none of them
   * names nothing, and is said so as one past 2^53 is ("there is no checkpoint 9999 of run 3"),
   * where the screen shows `instead`, rather than read (a 404 in the browser's console).
   */
  readonly known?: { readonly ids: readonly number[]; readonly of: string };
  /** Why nothing reads the key's id, whichever it is (a checkpoint with no run to take it of): said for any number. */
  readonly unused?: string;
}

/** What a query key takes other than ids (a status, a column, a page's number), for unreadIds. */
export interface ValueKey {
  /** Whether the screen reads the value (each item of it, for a list). */
  readonly reads: (item: string) => boolean;
  /** What an item it does not read is not, with its article ("a run status"), and in the plural ("run statuses"). */
  readonly what: readonly [one: string, many: string];
  /** What the key takes, with an example: "a whole number from 1, such as page=2". */
  readonly takes: string;
  /** The key takes several items, comma-separated. */
  readonly list?: boolean;
}

/**
 * Values of the address as the line names them (typedList): an address of thousands of ids, or a
 * value thousands of characters long (a paste, a link cut into another), was said back whole, twice.
 */
const quotedList = (values: readonly string[]) => typedList(values, (s) => `“${s}”`);

/**
 * The parts of the query under `keys` that are not positive whole-number ids (an address edited by
 * hand or cut short) or not among the ids the screen knows there are (IdKey.known), and under `values` those the screen does not read (window=0, sort=nope), said
 * in one line naming each key and what it takes; null when every one reads. The screens leave such
 * parts out (queryId, idList, a default in their place), and this says so instead of silently.
 */
export function unreadIds(query: URLSearchParams, keys: Readonly<Record<string, IdKey>>, values: Readonly<Record<string, ValueKey>> = {}): string | null {
  const parts: string[] = [];
  for (const [key, { noun, list = false, instead, known, unused }] of Object.entries(keys)) {
    const raw = query.get(key);
    if (raw === null || raw === '') continue;
    // A number, that nothing reads (what is not one is said to be no number, as ever).
    if (unused !== undefined && !list && idOf(raw) !== undefined) {
      parts.push(`${key}=${typedText(raw)} (${unused})`);
      continue;
    }
    // As queryId and idList read them: a positive whole number (an empty item between commas is no item).
    const unread = (list ? raw.split(',').filter((s) => s.trim() !== '') : [raw]).filter((s) => {
      const id = idOf(s);
      return id === undefined || (known !== undefined && !known.ids.includes(id));
    });
    if (unread.length === 0) continue;
    // A whole number past 2^53 is a number all the same: what is wrong is that nothing has it.
    const nothing = (s: string) => beyondIds(s) || idOf(s) !== undefined;
    const huge = unread.filter(nothing).map((s) => s.trim());
    const junk = unread.filter((s) => !nothing(s));
    const named = quotedList(junk);
    const one = `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} number`;
    const why = [
      ...(junk.length === 0
        ? []
        : list
          ? [`${named} ${junk.length === 1 ? `is not ${one}` : `are not ${noun} numbers`}: ${key} takes whole numbers such as ${key}=12,13`]
          : [`${named} is not ${one}: ${key} takes a whole number such as ${key}=12`]),
      ...(huge.length === 0 ? [] : [`${huge.length === 1 ? `there is no ${noun}` : `there are no ${noun}s`} ${typedList(huge)}${known ? ` of ${known.of}` : ''}`]),
      ...(instead === undefined ? [] : [instead]),
    ];
    parts.push(`${key}=${typedText(raw)} (${why.join('; ')})`);
  }
  for (const [key, { reads, what, takes, list = false }] of Object.entries(values)) {
    const raw = query.get(key);
    if (raw === null || raw === '') continue;
    const junk = (list ? raw.split(',').filter((s) => s !== '') : [raw]).filter((s) => !reads(s));
    if (junk.length === 0) continue;
    parts.push(`${key}=${typedText(raw)} (${quotedList(junk)} ${junk.length === 1 ? `is not ${what[0]}` : `are not ${what[1]}`}: ${key} takes ${takes})`);
  }
  // A key given twice (band=on&band=zzz: a link pasted onto another) is read at its first value only
  // (URLSearchParams.get): a later one that differs is named, not dropped unsaid. An empty one is no value.
  for (const key of [...Object.keys(keys), ...Object.keys(values)]) {
    const [first = '', ...later] = query.getAll(key);
    const ignored = [...new Set(later.filter((s) => s !== '' && s !== first))];
    if (ignored.length === 0) continue;
    parts.push(`${typedList(ignored.map((s) => `${key}=${s}`))} (${key} is given ${query.getAll(key).length} times: only the first, ${key}=${typedText(first)}, is read)`);
  }
  return parts.length > 0 ? `Left out of this address: ${parts.join('; ')}.` : null;
}

/** A positive whole-number id from the query, or undefined. */
export function queryId(query: URLSearchParams, key: string): number | undefined {
  return idOf(query.get(key));
}

/**
 * The smoothing a curve of `points` points gets until the user picks one: TensorBoard's 0.6 up to
 * 250 points, and above that the weight whose EMA averages over about 1 % of the points
 * (an EMA of weight w spans ~1 / (1 − w) points), so a 2,000-bucket curve (0.95) shows its
 * shape rather than its buckets' noise, as W&B scales its default with the number of points.
 * Rounded to the slider's step, at most 0.99.
 */
export function autoSmoothing(points: number): number {
  if (!(points > 250)) return 0.6;
  return Math.min(0.99, Math.round((1 - 100 / points) * 100) / 100);
}

/** A smoothing slider's state: the weight in use, whether it is the automatic one, and how to change it. */
export interface Smoothing {
  /** The EMA weight the charts use: the user's, or autoSmoothing's for the curve's points. */
  readonly weight: number;
  readonly auto: boolean;
  /** The user's weight (the slider moved). */
  readonly set: (weight: number) => void;
  /** Back to the automatic weight. */
  readonly setAuto: () => void;
}

/** Whether useUrlSmoothing reads a `smooth` value (else the weight is automatic). */
export function readsSmoothing(raw: string | null): boolean {
  return readsNumber(raw, 0, 0.99);
}

/** `smooth` in an address, named when it does not read (smooth=5 smoothed automatically, silently). */
export const SMOOTH_VALUE_KEY: ValueKey = {
  reads: readsSmoothing,
  what: ['a smoothing weight', 'smoothing weights'],
  takes: 'a number from 0 to 0.99, such as smooth=0.6; the automatic weight is used instead',
};

/**
 * `y` in an address (Compare, Run detail): full fits the y axis to every value; any other value was
 * the fitted axis, silently.
 */
export const FULL_Y_VALUE_KEY: ValueKey = {
  reads: (raw) => raw === 'full',
  what: ['a y range', 'y ranges'],
  takes: 'full (every value, the first episodes’ too), such as y=full; the axis is fitted to the curves after their first episodes instead',
};

/**
 * How the slider's weight `chosen` (null: automatic) reaches an address whose `smooth` is `raw`:
 * null when the address already reads so (a value it does not read reads as automatic, and stays
 * to be named); 'replace' when it held such a value, so that the screen reads the address again
 * and the line naming it goes; else 'silent' (the screen already holds the weight).
 */
export function smoothingWrite(raw: string | null, chosen: number | null): 'silent' | 'replace' | null {
  const now = readsSmoothing(raw) ? Number(raw) : null;
  if (now === chosen) return null;
  return raw === null || raw === '' || now !== null ? 'silent' : 'replace';
}

/**
 * A smoothing slider kept in the URL (`smooth`, in [0, 0.99]; absent: automatic, see autoSmoothing,
 * for a curve of `points` points): the slider moves many times a second, so the value lives in
 * state and reaches the URL once it rests (silently: the screen already holds it); a URL changed
 * elsewhere (Back, a link) moves the slider.
 */
export function useUrlSmoothing(query: URLSearchParams, points: number): Smoothing {
  const raw = query.get('smooth');
  const fromUrl = readsSmoothing(raw) ? Number(raw) : null;
  const [chosen, setChosen] = useState<number | null>(fromUrl);
  useEffect(() => setChosen(fromUrl), [fromUrl]);
  useEffect(() => {
    // The weight the address already says is not written again: a smooth=5 it does not read stays,
    // named by the screen (SMOOTH_VALUE_KEY), until the user picks a weight.
    if (smoothingWrite(liveQuery().get('smooth'), chosen) === null) return;
    resting.set('smooth', chosen);
    const t = setTimeout(() => {
      resting.delete('smooth');
      const mode = smoothingWrite(liveQuery().get('smooth'), chosen);
      if (mode !== null) writeQuery({ smooth: chosen }, mode);
    }, 300);
    return () => {
      clearTimeout(t);
      resting.delete('smooth');
    };
  }, [chosen]);
  return {
    weight: chosen ?? autoSmoothing(points),
    auto: chosen === null,
    set: setChosen,
    setAuto: () => setChosen(null),
  };
}
