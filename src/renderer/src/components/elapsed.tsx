/**
 * Time that ticks: one shared one-second timer for every clock on screen (a page of 100 running
 * runs re-renders 100 cells, not 100 timers), running only while some clock is mounted and live.
 */
import { useSyncExternalStore } from 'react';
import { elapsed } from '../format';

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let now = Date.now();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const still = () => () => {};

/** Re-renders the caller every second while `live`; returns the time of the last tick. */
export function useTick(live: boolean): number {
  return useSyncExternalStore(live ? subscribe : still, () => (live ? now : 0));
}

/** "12.3 s": from start to finish, or to now (ticking) while the run is `active`. */
export function Elapsed({ startedAt, finishedAt, active }: { startedAt: number | null; finishedAt: number | null; active: boolean }) {
  const live = active && startedAt !== null && finishedAt === null;
  useTick(live);
  // A run that stopped without a finish time (interrupted) has no meaningful duration.
  return <>{live || finishedAt !== null ? elapsed(startedAt, finishedAt) : '–'}</>;
}
