// Run detail's Metrics CSV never takes the CSV through the contract's JSON: in the desktop app main
// saves it (the preload's saveMetricsCsv), in a browser the page fetches the host's streamed file
// with its token and downloads those bytes. The page's globals are stand-ins.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallError, type Client, type FetchedFile, type PreloadApi } from '../../src/shared/client';
import { saveMetricsCsv } from '../../src/renderer/src/components/policy-files';
import { FakeEventSource } from '../helpers/fake-event-source';

const TOKEN = 'tok-0123456789abcdefghij';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A client whose contract calls fail the test: the CSV must not come through one. */
function client(door: 'electron' | 'browser', fetchFile?: Client['fetchFile']): Client {
  return {
    door,
    call: () => Promise.reject(new Error('the CSV went through a contract call')),
    on: () => () => {},
    onConnection: () => () => {},
    ...(fetchFile ? { fetchFile } : {}),
  };
}

describe('in the desktop app', () => {
  it('asks main to save it, and says what main saved where', async () => {
    const save = vi.fn<PreloadApi['saveMetricsCsv']>(() => Promise.resolve({ ok: true, saved: true, path: '/home/me/run-7-metrics.csv', episodes: 1000, metrics: 3 }));
    vi.stubGlobal('window', { aisle: { saveMetricsCsv: save } });
    expect(await saveMetricsCsv(client('electron'), 7)).toEqual({ saved: true, where: '/home/me/run-7-metrics.csv', episodes: 1000, metrics: 3 });
    expect(save.mock.calls).toEqual([[7]]);
    save.mockResolvedValueOnce({ ok: true, saved: false });
    expect(await saveMetricsCsv(client('electron'), 7)).toEqual({ saved: false });
  });

  it("throws main's refusal as the call's error, for the page to show inline", async () => {
    const error = { name: 'Conflict', message: 'run 7 has no metrics yet (status queued)', status: 409 as const };
    vi.stubGlobal('window', { aisle: { saveMetricsCsv: () => Promise.resolve({ ok: false, error }) } });
    const thrown = await saveMetricsCsv(client('electron'), 7).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(CallError);
    expect(thrown).toMatchObject({ command: 'runs.metricsCsv', ...error });
  });
});

describe('in a browser', () => {
  it("downloads the host's streamed file, telling its episodes and metrics from its headers", async () => {
    const clicked: { href: string; download: string }[] = [];
    const link = { href: '', download: '', style: {}, click: () => clicked.push({ href: link.href, download: link.download }), remove: () => {} };
    vi.stubGlobal('document', { createElement: () => link, body: { append: () => {} } });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:csv', revokeObjectURL: () => {} });
    vi.stubGlobal('window', {});
    const headers: Record<string, string> = { 'x-aisle-episodes': '1000000', 'x-aisle-metrics': '5' };
    const fetchFile = vi.fn((_path: string) => Promise.resolve<FetchedFile>({ blob: new Blob(['episode\n']), header: (name) => headers[name] ?? null }));
    expect(await saveMetricsCsv(client('browser', fetchFile), 7)).toEqual({ saved: true, where: 'your downloads (run-7-metrics.csv)', episodes: 1_000_000, metrics: 5 });
    expect(fetchFile.mock.calls).toEqual([['/api/metrics-csv/7', 'runs.metricsCsv']]);
    expect(clicked).toEqual([{ href: 'blob:csv', download: 'run-7-metrics.csv' }]);
  });
});

describe("the browser transport's fetchFile", () => {
  beforeEach(() => {
    const location = { hash: `#token=${TOKEN}`, pathname: '/', search: '', host: '127.0.0.1:5717' };
    vi.stubGlobal('window', { location, addEventListener: () => {}, removeEventListener: () => {} });
    vi.stubGlobal('history', { replaceState: () => void (location.hash = '') });
    const storage = () => {
      const kept = new Map<string, string>();
      return { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    };
    vi.stubGlobal('sessionStorage', storage());
    vi.stubGlobal('localStorage', storage());
    vi.stubGlobal('BroadcastChannel', undefined);
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.resetModules();
  });

  it('GETs the file with the token in its header, and throws a refusal as the call’s error', async () => {
    const blob = new Blob(['episode,return\n0,1\n']);
    const fetch = vi.fn((_path: string, _init: { headers: Record<string, string> }) =>
      Promise.resolve({ ok: true, status: 200, blob: () => Promise.resolve(blob), headers: new Headers({ 'x-aisle-episodes': '1' }) }),
    );
    vi.stubGlobal('fetch', fetch);
    const { connect } = await import('../../src/renderer/src/transport');
    const browser = await connect();
    const file = await browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv');
    expect(file.blob).toBe(blob);
    expect(file.header('x-aisle-episodes')).toBe('1');
    expect(fetch.mock.calls[0]![0]).toBe('/api/metrics-csv/7');
    expect(fetch.mock.calls[0]![1].headers).toEqual({ 'x-aisle-token': TOKEN });
    const error = { name: 'NotFound', message: 'no run 7', status: 404 };
    fetch.mockResolvedValueOnce({ ok: false, status: 404, json: () => Promise.resolve({ ok: false, error }) } as never);
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ command: 'runs.metricsCsv', ...error });
    // The connection cut before the end: said as a call that got no answer.
    fetch.mockResolvedValueOnce({ ok: true, status: 200, blob: () => Promise.reject(new TypeError('network error')), headers: new Headers() } as never);
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ name: 'Offline', message: expect.stringMatching(/^Aisle is not reachable \(network error\)/) });
  });
});
