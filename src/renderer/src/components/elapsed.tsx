/**
 * Time that ticks: one shared one-second timer for every clock on screen (a page of 100 running
 * runs re-renders 100 cells, not 100 timers), running only while some clock is mounted and live,
 * and not while the connection to Aisle is lost.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import { trainingTime } from '../format';

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

/**
 * When the connection to Aisle was lost (the browser mode's server stopped or restarted), null while
 * it holds. A page without it knows nothing of its runs after that moment: a run it saw training may
 * have stopped with the server (a restart finds it interrupted), so its clock kept counting a time
 * the run never trained (29.5 s shown against 12.2 s). The app provides it; the screens fetch again
 * when the connection is back, and the clocks go on from what the server says then.
 */
export const ConnectionLostAt = createContext<number | null>(null);

/**
 * "12.3 s": the run's training time, its pauses left out; ticking while it runs (`active`, and the
 * run read running: `activeAt` set), from the moment its stored time counts up to.
 */
export function TrainingTime({ run, active }: { run: { readonly activeMs: number | null; readonly activeAt: number | null }; active: boolean }) {
  const lostAt = useContext(ConnectionLostAt);
  const live = active && run.activeAt !== null;
  useTick(live && lostAt === null);
  if (live && lostAt !== null) {
    return (
      <span data-testid="elapsed-unknown" title="The connection to Aisle was lost: the clock stopped then, and whether the run still trains is unknown until it is back">
        {trainingTime(run, lostAt)}
        <span className="muted">?</span>
      </span>
    );
  }
  // Stopped here (its status came before its record does): the time stored, until the record follows.
  return <>{trainingTime(live ? run : { activeMs: run.activeMs, activeAt: null })}</>;
}
