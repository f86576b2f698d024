/**
 * The browser-mode host's recent events, numbered, so that a page whose event stream was closed or
 * taken over reads what it missed (Last-Event-ID) instead of losing it.
 */

/** Events kept for a page that missed some: at ~10 progress pushes a second per training run, tens of seconds of them. */
export const REPLAY_EVENTS = 2000;

/** A page's last seen event id, from Last-Event-ID or ?after=: a whole number, or null (none said, or not one). */
export function replayFrom(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

/** The last `size` events pushed, each as its SSE text with its id (ids count from 1 in each host). */
export class RecentEvents {
  private readonly texts: string[] = [];
  private next = 1;
  constructor(private readonly size: number) {}

  /** The id of the last event pushed (0 before the first). */
  get lastId(): number {
    return this.next - 1;
  }

  /** Numbers and keeps an event; returns its SSE text. */
  add(event: string, payload: unknown): string {
    const text = `id: ${this.next++}\nevent: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    this.texts.push(text);
    if (this.texts.length > this.size) this.texts.splice(0, this.texts.length - this.size);
    return text;
  }

  /**
   * The events after id `after`, as one text ('' when there are none); undefined when some of them
   * are no longer kept, or `after` is not an id of this host (a page from before a restart).
   */
  since(after: number): string | undefined {
    const last = this.next - 1;
    const first = last - this.texts.length + 1; // the oldest kept
    if (after > last || after < first - 1) return undefined;
    return this.texts.slice(this.texts.length - (last - after)).join('');
  }
}
