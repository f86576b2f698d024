// The browser mode keeps the launch token a link brought (#token=…) for reloads and for tabs opened
// without the link. It kept it as soon as the page read it, before the host had taken it, so any site
// could open 127.0.0.1:5717/#token=garbage and leave every tab opened later without the link
// refused, until the printed link was opened again. It is now kept for new tabs once a call is
// answered ok; for this tab's reloads at once (a reload before the first answer had lost it).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../helpers/fake-event-source';

const TOKEN = 'tok-0123456789abcdefghij';

let stored: Map<string, string>;
let session: Map<string, string>;

beforeEach(() => {
  FakeEventSource.made = [];
  stored = new Map([['aisle-token', 'the-good-one']]);
  const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
  const location = { hash: `#token=${TOKEN}`, pathname: '/', search: '', host: '127.0.0.1:5717' };
  vi.stubGlobal('window', { location, addEventListener: () => {}, removeEventListener: () => {} });
  vi.stubGlobal('history', { replaceState: () => void (location.hash = '') });
  session = new Map();
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => session.get(k) ?? null, setItem: (k: string, v: string) => void session.set(k, v) });
  vi.stubGlobal('localStorage', storage);
  vi.stubGlobal('BroadcastChannel', undefined);
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The host answering every call with `status`. */
function answering(status: number) {
  const body = status === 200 ? { ok: true, value: { version: 'test' } } : { ok: false, error: { name: 'Unauthorized', message: 'refused', status } };
  return vi.fn(() => Promise.resolve({ status, ok: status === 200, json: () => Promise.resolve(body) }));
}

async function callOnce(fetch: ReturnType<typeof answering>): Promise<void> {
  vi.stubGlobal('fetch', fetch);
  const { connect } = await import('../../src/renderer/src/transport');
  const client = await connect();
  await client.call('app.info', {}).catch(() => undefined); // a refusal throws: what is kept is the point
  expect(fetch).toHaveBeenCalledTimes(1);
}

describe("the token a link brings, kept for the tabs opened after", () => {
  it('is not kept for new tabs when the host refuses it: the token kept before stays', async () => {
    await callOnce(answering(401));
    expect(stored.get('aisle-token')).toBe('the-good-one');
  });

  it("is kept for this tab's reloads at once, before any answer", async () => {
    vi.stubGlobal('fetch', vi.fn(() => new Promise(() => {})));
    const { connect } = await import('../../src/renderer/src/transport');
    await connect();
    expect(session.get('aisle-token')).toBe(TOKEN);
    expect(stored.get('aisle-token')).toBe('the-good-one');
  });

  it('is kept once the host has taken it', async () => {
    await callOnce(answering(200));
    expect(stored.get('aisle-token')).toBe(TOKEN);
  });
});
