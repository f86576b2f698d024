// A page opened at an address the browser-mode host does not answer at (an SSH tunnel to another
// local port, a name the host does not take) is refused 403 on every call and on its event stream.
// The bar said "Lost the connection … Reconnecting…" and the stream was tried again every 3 s, for
// ever; it now says the address is the trouble, once, and stops asking. A fake EventSource and fetch
// stand in for the page's (one tab: no BroadcastChannel).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../../src/shared/client';
import { FakeEventSource } from '../helpers/fake-event-source';

const TOKEN = 'tok-0123456789abcdefghij';

/** The host's answer to every call: its refusal of this address, or of this token. */
function answering(status: number, name: string, message: string) {
  return vi.fn(() => Promise.resolve({ status, json: () => Promise.resolve({ ok: false, error: { name, message, status } }) }));
}

beforeEach(() => {
  FakeEventSource.made = [];
  const location = { hash: `#token=${TOKEN}`, pathname: '/', search: '', host: '127.0.0.1:8080' };
  vi.stubGlobal('window', { location, addEventListener: () => {}, removeEventListener: () => {} });
  vi.stubGlobal('history', { replaceState: () => void (location.hash = '') });
  vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => {} });
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} });
  vi.stubGlobal('BroadcastChannel', undefined);
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.useFakeTimers();
  vi.resetModules();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function heardAfterRefusal(fetch: ReturnType<typeof answering>): Promise<Connection[]> {
  vi.stubGlobal('fetch', fetch);
  const { connect } = await import('../../src/renderer/src/transport');
  const client = await connect();
  const heard: Connection[] = [];
  client.onConnection((state) => heard.push(state));
  client.on('run.status', () => {});
  expect(FakeEventSource.made).toHaveLength(1);
  FakeEventSource.made[0]!.refused();
  await vi.advanceTimersByTimeAsync(10_000);
  return heard;
}

describe('a page at an address the host refuses', () => {
  it('says so once and stops asking, where it said Reconnecting… and tried every 3 s', async () => {
    const heard = await heardAfterRefusal(answering(403, 'Forbidden', 'Host 127.0.0.1:8080 is not this host (127.0.0.1:5717): open Aisle at the link it printed'));
    expect(heard).toEqual(['misaddressed']);
    expect(FakeEventSource.made).toHaveLength(1);
  });

  it('is told apart from a token from before a restart, which stays refused', async () => {
    expect(await heardAfterRefusal(answering(401, 'Unauthorized', 'this link is from before Aisle was restarted'))).toEqual(['refused']);
    expect(FakeEventSource.made).toHaveLength(1);
  });
});
