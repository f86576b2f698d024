// A stand-in for the page's EventSource (vi.stubGlobal('EventSource', FakeEventSource)), for tests
// of the browser mode's transport: it records each stream made, and the test plays the server.
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  private readonly listeners = new Map<string, ((e: { data: string; lastEventId: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  addEventListener(name: string, listener: (e: { data: string; lastEventId: string }) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
  /** The server's doing: an event of the stream. */
  fire(name: string, data = '{}', lastEventId = ''): void {
    if (name === 'open') this.readyState = FakeEventSource.OPEN;
    for (const listener of this.listeners.get(name) ?? []) listener({ data, lastEventId });
  }
  /** The server answered the stream with anything but a stream (a refusal): it closes and says 'error'. */
  refused(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.fire('error');
  }
}
