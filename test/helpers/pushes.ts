// A fake service's pushed events, for the renderer's tests: `on` as the client's (it returns the
// unsubscribe), `push` reaches every listener of the event at once, `listening` counts them.
import type { EventName, EventPayloads } from '../../src/shared/contract';

export function pushes() {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const all = listeners.get(event) ?? new Set();
      listeners.set(event, all);
      all.add(listener as (payload: unknown) => void);
      return () => void all.delete(listener as (payload: unknown) => void);
    },
    push<E extends EventName>(event: E, payload: EventPayloads[E]): void {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    /** The listeners of `event`, or of every event. */
    listening(event?: EventName): number {
      return event ? (listeners.get(event)?.size ?? 0) : [...listeners.values()].reduce((n, s) => n + s.size, 0);
    },
  };
}
