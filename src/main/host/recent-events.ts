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

/**
 * The name under which a later event stands for an earlier one, or null: a page that missed both
 * is sent the later only. An off-policy evaluation's progress (logs.progress: ~700 in a minute's
 * evaluation) needs only its latest; kept every one, they pushed out the run.status events a page
 * must not miss, and the page was told "gap" and read everything again.
 */
export function replacedBy(event: string, payload: unknown): string | null {
  if (event !== 'logs.progress' || payload === null || typeof payload !== 'object' || !('evaluationId' in payload)) return null;
  return `logs.progress ${String(payload.evaluationId)}`;
}

interface Kept {
  readonly id: number;
  readonly text: string;
  /** What a later event of the same name replaces it under (replacedBy), or null. */
  readonly name: string | null;
}

/**
 * The last `size` events pushed, each as its SSE text with its id (ids count from 1 in each host),
 * but of the events replacedBy names only the latest of each name: those replaced leave no gap.
 */
export class RecentEvents {
  private readonly kept: Kept[] = [];
  /** The kept event of each name. */
  private readonly latest = new Map<string, Kept>();
  private next = 1;
  /** The newest id let go for room (not replaced): a page that saw only events before it missed one. */
  private dropped = 0;
  constructor(
    private readonly size: number,
    private readonly nameOf: (event: string, payload: unknown) => string | null = replacedBy,
  ) {}

  /** The id of the last event pushed (0 before the first). */
  get lastId(): number {
    return this.next - 1;
  }

  /** Numbers and keeps an event; returns its SSE text. */
  add(event: string, payload: unknown): string {
    const id = this.next++;
    const entry: Kept = { id, text: `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(payload)}\n\n`, name: this.nameOf(event, payload) };
    if (entry.name !== null) {
      const earlier = this.latest.get(entry.name);
      if (earlier !== undefined) this.kept.splice(this.kept.lastIndexOf(earlier), 1);
      this.latest.set(entry.name, entry);
    }
    this.kept.push(entry);
    while (this.kept.length > this.size) {
      const gone = this.kept.shift()!;
      this.dropped = gone.id;
      if (gone.name !== null && this.latest.get(gone.name) === gone) this.latest.delete(gone.name);
    }
    return entry.text;
  }

  /**
   * The events after id `after`, as one text ('' when there are none); undefined when some of them
   * are no longer kept, or `after` is not an id of this host (a page from before a restart).
   */
  since(after: number): string | undefined {
    if (after > this.lastId || after < this.dropped) return undefined;
    let first = this.kept.length;
    while (first > 0 && this.kept[first - 1]!.id > after) first--;
    return this.kept
      .slice(first)
      .map((k) => k.text)
      .join('');
  }
}
