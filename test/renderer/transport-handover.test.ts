// The browser mode's tabs share one event stream (transport.ts): the tab holding it passes events,
// and where the stream is, to the others over a BroadcastChannel; the one taking it over asks the
// server for what came after the last event id its tabs had. Here two tabs in one process, on a
// stand-in for the page (Node's own BroadcastChannel, a fake EventSource and Web Locks).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../helpers/fake-event-source';

/** Web Locks with one lock at a time, in order; `vanish` lets go of the holder's as a closed tab does. */
class FakeLocks {
  private holder: (() => void) | null = null;
  private readonly waiting: (() => void)[] = [];
  request(_name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        this.holder = resolve;
        void callback().then(() => this.next(resolve));
      };
      options.signal?.addEventListener('abort', () => {
        const at = this.waiting.indexOf(grant);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new Error('aborted'));
      });
      if (this.holder === null) queueMicrotask(grant);
      else this.waiting.push(grant);
    });
  }
  vanish(): void {
    this.holder = null;
    this.waiting.shift()?.();
  }
  private next(done: () => void): void {
    if (this.holder !== done) return;
    this.holder = null;
    this.waiting.shift()?.();
  }
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, String(value)) };
}

const TOKEN = 'tok-0123456789abcdefghij';
let locks: FakeLocks;

beforeEach(() => {
  FakeEventSource.made = [];
  locks = new FakeLocks();
  const location = { hash: '', pathname: '/', search: '' };
  vi.stubGlobal('window', { location, addEventListener: () => {}, removeEventListener: () => {} });
  vi.stubGlobal('history', { replaceState: () => void (location.hash = '') });
  vi.stubGlobal('sessionStorage', memoryStorage());
  vi.stubGlobal('localStorage', memoryStorage());
  vi.stubGlobal('navigator', { locks });
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A tab opened on the printed link, following run.status. */
async function openTab(): Promise<void> {
  (window.location as { hash: string }).hash = `#token=${TOKEN}`;
  const { connect } = await import('../../src/renderer/src/transport');
  const client = await connect();
  client.on('run.status', () => {});
}

/** Lets the channel's messages, posted by one tab, reach the others (each is a task of its own). */
async function delivered(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('tabs sharing the event stream', () => {
  it('a tab that joined while the stream opened, taking it over before any event, asks for what came after the stream’s start', async () => {
    await openTab(); // tab A: takes the lock, opens the stream
    await vi.waitFor(() => expect(FakeEventSource.made).toHaveLength(1));
    const first = FakeEventSource.made[0]!;
    expect(first.url).toBe(`/api/events?token=${TOKEN}`);
    await openTab(); // tab B: says hello, which A, whose stream is not open yet, does not answer; waits for the lock
    await delivered();
    // A's stream opens, and the server says where it starts: event 5 (no event comes after it).
    first.fire('open');
    first.fire('ready', '{}', '5');
    await delivered();
    // A closes: B takes the stream, and names event 5, so that what the server pushed meanwhile comes.
    first.close();
    locks.vanish();
    await vi.waitFor(() => expect(FakeEventSource.made).toHaveLength(2));
    expect(FakeEventSource.made[1]!.url).toBe(`/api/events?token=${TOKEN}&after=5`);
  });
});
