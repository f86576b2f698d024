/**
 * New experiment's draft kept for the tab (sessionStorage: this tab only, gone with it): the draft,
 * the sweep's rows and the "Edit as" tab, so a reload or a trip to another screen and Back does not
 * lose a half-filled form. Launch and Start over forget it. A large inline file (an MDP) is kept
 * apart from the draft's text, once, so an edit of the name does not write megabytes.
 */
import { useEffect } from 'react';
import { isObject } from '../../../shared/values';
import { setAt, type Draft } from './draft';
import { rememberMeasure, type HeldFile } from './held-files';
import { fileReference, fileReferencesOf } from '../../../shared/inline-files';
import type { SweepRow } from './sweep-section';
import { GRID, type SweepSearch } from './random-search';

// The tab and the sweep go with the draft, under its key.
const tabKey = (draftKey: string) => `${draftKey}.tab`;
const sweepKey = (draftKey: string) => `${draftKey}.sweep`;
const searchKey = (draftKey: string) => `${draftKey}.search`;
const jsonKey = (draftKey: string) => `${draftKey}.json`;

/** The storage key of a held file kept with drafts: one per file, whichever drafts of the tab hold it. */
const FILE_PREFIX = 'aisle.inline-file.';

/**
 * The draft as the tab last left it, its held files put back in (see keepDraft); undefined when
 * there is none, or when a file it names is not there (storage cleared by hand).
 */
export function savedDraft(draftKey: string, storage: Storage = sessionStorage): Draft | undefined {
  try {
    const text = storage.getItem(draftKey);
    const value: unknown = text === null ? undefined : JSON.parse(text);
    if (!isObject(value)) return undefined;
    let draft: Draft = value;
    for (const { which, key, digest } of fileReferencesOf(value)) {
      const fileText = storage.getItem(FILE_PREFIX + digest);
      if (fileText === null) return undefined;
      const file: unknown = JSON.parse(fileText);
      if (!isObject(file)) return undefined;
      rememberMeasure(file, fileText);
      draft = setAt(draft, [which, key], file);
    }
    return draft;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the JSON view's text while it does not parse (null once it parses, when the draft holds
 * what it says), so that a reload in the middle of an edit there finds the text as typed, not the
 * last draft that parsed with the edit gone.
 */
export function keepJsonText(draftKey: string, text: string | null, storage: Storage = sessionStorage): void {
  try {
    if (text === null) storage.removeItem(jsonKey(draftKey));
    else storage.setItem(jsonKey(draftKey), text);
  } catch {
    // Storage full (a large MDP written out) or unavailable: an older text must not come back instead.
    try {
      storage.removeItem(jsonKey(draftKey));
    } catch {
      // Unavailable altogether: nothing was kept.
    }
  }
}

/** The JSON view's text that did not parse when the tab last left it (see keepJsonText), or null. */
export function savedJsonText(draftKey: string, storage: Storage = sessionStorage): string | null {
  try {
    return storage.getItem(jsonKey(draftKey));
  } catch {
    return null;
  }
}

/** The "Edit as" tab the draft was last shown in: a reload in the JSON view comes back to the JSON view. */
export function savedTab(draftKey: string): string | null {
  try {
    return sessionStorage.getItem(tabKey(draftKey));
  } catch {
    return null;
  }
}

/** The sweep's mode (grid or random search), trials and seed as the tab last left them. */
export function savedSearch(draftKey: string): SweepSearch {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(searchKey(draftKey)) ?? 'null');
    if (!isObject(value) || (value.mode !== 'grid' && value.mode !== 'random') || typeof value.trials !== 'string' || typeof value.seed !== 'string') return GRID;
    return { mode: value.mode, trials: value.trials, seed: value.seed };
  } catch {
    return GRID;
  }
}

/** The sweep's rows as the tab last left them. */
export function savedSweep(draftKey: string): SweepRow[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(sweepKey(draftKey)) ?? '[]');
    return Array.isArray(value) ? value.filter((r): r is SweepRow => isObject(r) && typeof r.path === 'string' && typeof r.values === 'string') : [];
  } catch {
    return [];
  }
}

/** Storage's keys (their values are not read). */
function keysOf(storage: Storage): string[] {
  const out: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) out.push(key);
  }
  return out;
}

/**
 * Removes the kept files no kept entry names any more: another file replaced it, or its draft was
 * launched or started over. A file two drafts hold (a duplicate of an experiment opened beside a new
 * one) is kept once, and stays while either names it.
 */
function dropUnnamedFiles(storage: Storage): void {
  const keys = keysOf(storage);
  const named = keys.filter((k) => !k.startsWith(FILE_PREFIX)).map((k) => storage.getItem(k) ?? '');
  for (const key of keys) {
    if (!key.startsWith(FILE_PREFIX)) continue;
    const reference = JSON.stringify(fileReference(key.slice(FILE_PREFIX.length)));
    if (!named.some((text) => text.includes(reference))) storage.removeItem(key);
  }
}

/** The digests of the files the last keepDraft of each draft key wrote: while they stay the same, an edit writes the draft's own text only. */
const keptFiles = new Map<string, string>();

/**
 * Keeps the draft under `draftKey`: its text with each held file named by its digest (draftKeyText),
 * and each held file once, under its digest, written when it first appears rather than at every
 * edit (a 20,000-state MDP is ~4 MB). Storage full: the draft is not kept (nor a part of it).
 */
export function keepDraft(draftKey: string, text: string, held: readonly HeldFile[], storage: Storage = sessionStorage): void {
  const digests = held.map((h) => h.measure.digest).join(' ');
  try {
    // The draft's text first: it no longer names the file it held before, which then goes before the next is written.
    storage.setItem(draftKey, text);
    if (keptFiles.get(draftKey) === digests) return;
    dropUnnamedFiles(storage);
    const stored = new Set(keysOf(storage));
    for (const h of held) if (!stored.has(FILE_PREFIX + h.measure.digest)) storage.setItem(FILE_PREFIX + h.measure.digest, JSON.stringify(h.file));
    keptFiles.set(draftKey, digests);
  } catch {
    // Storage full (a large inline MDP): the draft is just not kept across reloads, nor a part of it.
    keptFiles.delete(draftKey);
    try {
      storage.removeItem(draftKey);
      dropUnnamedFiles(storage);
    } catch {
      // Storage unavailable altogether: nothing was kept.
    }
  }
}

/**
 * Keeps the draft (see keepDraft), its tab, its sweep's rows and search, and the JSON view's text
 * that did not parse (keepJsonText; null when it parsed or is not being edited) as they change;
 * `text` is the draft's draftKeyText.
 */
export function useKeptDraft(
  draftKey: string,
  text: string,
  held: readonly HeldFile[],
  tab: string,
  sweepRows: readonly SweepRow[],
  search: SweepSearch,
  unparsedJson: string | null,
): void {
  useEffect(() => keepDraft(draftKey, text, held), [draftKey, text]);
  useEffect(() => keepJsonText(draftKey, unparsedJson), [draftKey, unparsedJson]);
  useEffect(() => {
    try {
      sessionStorage.setItem(tabKey(draftKey), tab);
    } catch {
      // Storage unavailable: the form opens on its first tab after a reload.
    }
  }, [draftKey, tab]);
  useEffect(() => {
    try {
      sessionStorage.setItem(sweepKey(draftKey), JSON.stringify(sweepRows));
    } catch {
      // Storage unavailable: the sweep is just not kept across reloads.
    }
  }, [draftKey, sweepRows]);
  useEffect(() => {
    try {
      sessionStorage.setItem(searchKey(draftKey), JSON.stringify(search));
    } catch {
      // Storage unavailable: the search is just not kept across reloads.
    }
  }, [draftKey, search]);
}

/**
 * Hands a new draft over to New experiment under `draftKey` (Off-policy's "New experiment on it"):
 * whatever was kept of the previous one there goes first, its JSON text, sweep, search and tab
 * too. They were restored over the new draft, and launched the previous simulator's experiment.
 */
export function handOverDraft(draftKey: string, draft: unknown, storage: Storage = sessionStorage): void {
  forgetDraft(draftKey, storage);
  storage.removeItem(tabKey(draftKey));
  storage.setItem(draftKey, JSON.stringify(draft));
}

/** Launched, or started over: the next New experiment starts fresh (and the files only it held go). */
export function forgetDraft(draftKey: string, storage: Storage = sessionStorage): void {
  storage.removeItem(draftKey);
  storage.removeItem(sweepKey(draftKey));
  storage.removeItem(searchKey(draftKey));
  storage.removeItem(jsonKey(draftKey));
  keptFiles.delete(draftKey);
  dropUnnamedFiles(storage);
}
