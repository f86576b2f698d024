/**
 * New experiment's draft kept for the tab (sessionStorage: this tab only, gone with it): the draft,
 * the sweep's rows and the "Edit as" tab, so a reload or a trip to another screen and Back does not
 * lose a half-filled form. Launch and Start over forget it.
 */
import { useEffect } from 'react';
import { isObject } from '../../../shared/values';
import type { Draft } from './draft';
import type { SweepRow } from './sweep-section';

// The tab and the sweep go with the draft, under its key.
const tabKey = (draftKey: string) => `${draftKey}.tab`;
const sweepKey = (draftKey: string) => `${draftKey}.sweep`;

/** The draft as the tab last left it; undefined when there is none. */
export function savedDraft(draftKey: string): Draft | undefined {
  try {
    const text = sessionStorage.getItem(draftKey);
    const value: unknown = text === null ? undefined : JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
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

/** The sweep's rows as the tab last left them. */
export function savedSweep(draftKey: string): SweepRow[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(sweepKey(draftKey)) ?? '[]');
    return Array.isArray(value) ? value.filter((r): r is SweepRow => isObject(r) && typeof r.path === 'string' && typeof r.values === 'string') : [];
  } catch {
    return [];
  }
}

/** Keeps the draft (as its JSON text), its tab and its sweep's rows as they change. */
export function useKeptDraft(draftKey: string, draftText: string, tab: string, sweepRows: readonly SweepRow[]): void {
  useEffect(() => {
    try {
      sessionStorage.setItem(draftKey, draftText);
    } catch {
      // Storage full (a large inline MDP): the draft is just not kept across reloads.
    }
  }, [draftKey, draftText]);
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
}

/** Launched, or started over: the next New experiment starts fresh. */
export function forgetDraft(draftKey: string): void {
  sessionStorage.removeItem(draftKey);
  sessionStorage.removeItem(sweepKey(draftKey));
}
