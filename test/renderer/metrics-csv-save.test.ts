// Run detail's Metrics CSV never takes the CSV through the contract's JSON: in the desktop app main
// saves it (the preload's saveMetricsCsv), in a browser the page fetches the host's streamed file
// with its token and writes its bytes to the file a save picker gave (Chromium) or downloads them
// (elsewhere); a download cut before its end says why. The page's globals are stand-ins.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallError, type Client, type FetchedFile, type PreloadApi } from '../../src/shared/client';
import { saveMetricsCsv } from '../../src/renderer/src/components/policy-files';
import { FakeEventSource } from '../helpers/fake-event-source';

const TOKEN = 'tok-0123456789abcdefghij';

afterEach(() => {
  vi.unstubAllGlobals();
});

/**
 * A client whose contract calls fail the test (the CSV must not come through one), but for
 * runs.stored, answered by `stored` (what a download cut before its end asks).
 */
function client(door: 'electron' | 'browser', fetchFile?: Client['fetchFile'], stored: (ids: number[]) => Promise<number[]> = () => Promise.reject(new Error('runs.stored was asked'))): Client {
  return {
    door,
    call: ((command: string, input: { ids: number[] }) => (command === 'runs.stored' ? stored(input.ids) : Promise.reject(new Error('the CSV went through a contract call')))) as Client['call'],
    on: () => () => {},
    onConnection: () => () => {},
    ...(fetchFile ? { fetchFile } : {}),
  };
}

const HEADERS: Record<string, string> = { 'x-aisle-episodes': '1000000', 'x-aisle-metrics': '5' };
const bytes = (text: string) => new TextEncoder().encode(text);

/** The host's file: `chunks` as they arrive, then the end, or the connection cut (`cut`) before it. */
function fetched(chunks: string[], cut?: Error): FetchedFile {
  const left = [...chunks];
  // One chunk a read (an error in start would drop the chunks queued before it).
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = left.shift();
      if (next !== undefined) controller.enqueue(bytes(next));
      else if (cut) controller.error(cut);
      else controller.close();
    },
  });
  return { body, blob: () => new Response(body).blob(), header: (name) => HEADERS[name] ?? null };
}

/** A page where a download (a[download] click) fails the test: the bytes must go elsewhere. */
function noDownload(): void {
  vi.stubGlobal('document', { createElement: () => ({ click: () => expect.fail('downloaded as a Blob') }), body: { append: () => {} } });
}

/**
 * Chromium's save picker, picking `name`: what its writable got (the bytes it was given, whether
 * it was closed, so they landed, or aborted, so they did not), and whether the file was removed.
 */
function picker(name = 'run-7-metrics.csv', canRemove = true) {
  const file = { written: [] as string[], closed: false, aborted: false, removed: false, asked: [] as unknown[] };
  const decoder = new TextDecoder();
  const handle = {
    name,
    createWritable: () =>
      Promise.resolve(
        new WritableStream<Uint8Array>({
          write: (chunk) => void file.written.push(decoder.decode(chunk)),
          close: () => void (file.closed = true),
          abort: () => void (file.aborted = true),
        }),
      ),
    ...(canRemove ? { remove: () => Promise.resolve(void (file.removed = true)) } : {}),
  };
  const show = vi.fn((options: unknown) => (file.asked.push(options), Promise.resolve(handle)));
  return { file, show };
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

describe('in a browser without a save picker (Firefox, Safari)', () => {
  it("downloads the host's streamed file, telling its episodes and metrics from its headers", async () => {
    const clicked: { href: string; download: string }[] = [];
    const link = { href: '', download: '', style: {}, click: () => clicked.push({ href: link.href, download: link.download }), remove: () => {} };
    vi.stubGlobal('document', { createElement: () => link, body: { append: () => {} } });
    let held: Blob | undefined;
    vi.stubGlobal('URL', { createObjectURL: (blob: Blob) => ((held = blob), 'blob:csv'), revokeObjectURL: () => {} });
    vi.stubGlobal('window', {});
    const fetchFile = vi.fn((_path: string) => Promise.resolve(fetched(['episode,', 'return\n0,1\n'])));
    expect(await saveMetricsCsv(client('browser', fetchFile), 7)).toEqual({ saved: true, where: 'your downloads (run-7-metrics.csv)', episodes: 1_000_000, metrics: 5 });
    expect(fetchFile.mock.calls).toEqual([['/api/metrics-csv/7', 'runs.metricsCsv']]);
    expect(clicked).toEqual([{ href: 'blob:csv', download: 'run-7-metrics.csv' }]);
    expect(await held!.text()).toBe('episode,return\n0,1\n');
  });

  it('says the run was deleted during the download, or Aisle stopped, where the browser says only "network error"', async () => {
    vi.stubGlobal('window', {});
    noDownload();
    const cut = () => Promise.resolve(fetched(['episode,return\n'], new TypeError('network error')));
    const asked: number[][] = [];
    const deleted = await saveMetricsCsv(client('browser', cut, (ids) => (asked.push(ids), Promise.resolve([]))), 7).catch((e: unknown) => e);
    expect(deleted).toBeInstanceOf(CallError);
    expect(deleted).toMatchObject({ name: 'NotFound', status: 404, message: 'run 7 was deleted during the download: nothing was saved' });
    expect(asked).toEqual([[7]]);
    const offline = new CallError('runs.stored', { name: 'Offline', message: 'Aisle is not reachable (Failed to fetch): was it stopped? Start it again and open the new link it prints.', status: 500 });
    await expect(saveMetricsCsv(client('browser', cut, () => Promise.reject(offline)), 7)).rejects.toMatchObject({
      name: 'Offline',
      message: 'the download was cut, nothing was saved: Aisle is not reachable (Failed to fetch): was it stopped? Start it again and open the new link it prints.',
    });
    // The run still stored and Aisle answering: the cut is said as the browser said it.
    await expect(saveMetricsCsv(client('browser', cut, () => Promise.resolve([7])), 7)).rejects.toMatchObject({
      name: 'Offline',
      message: 'the download was cut before its end (network error): nothing was saved; press Metrics CSV again',
    });
  });
});

describe("in a browser with a save picker (Chromium's File System Access)", () => {
  it('writes the bytes to the picked file as they arrive, never as a Blob', async () => {
    const { file, show } = picker('mine.csv');
    vi.stubGlobal('window', { showSaveFilePicker: show });
    noDownload();
    const fetchFile = vi.fn((_path: string) => Promise.resolve(fetched(['episode,return\n', '0,1\n', '1,2\n'])));
    expect(await saveMetricsCsv(client('browser', fetchFile), 7)).toEqual({ saved: true, where: 'mine.csv', episodes: 1_000_000, metrics: 5 });
    expect(file).toMatchObject({ written: ['episode,return\n', '0,1\n', '1,2\n'], closed: true, aborted: false, removed: false });
    expect(file.asked).toEqual([{ suggestedName: 'run-7-metrics.csv', types: [{ description: 'CSV file', accept: { 'text/csv': ['.csv'] } }] }]);
  });

  it('saves nothing, fetching nothing, when the picker is cancelled; downloads when it cannot be shown', async () => {
    const fetchFile = vi.fn((_path: string) => Promise.resolve(fetched(['episode\n'])));
    vi.stubGlobal('window', { showSaveFilePicker: () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError')) });
    expect(await saveMetricsCsv(client('browser', fetchFile), 7)).toEqual({ saved: false });
    expect(fetchFile).not.toHaveBeenCalled();
    const link = { href: '', download: '', style: {}, click: () => {}, remove: () => {} };
    vi.stubGlobal('document', { createElement: () => link, body: { append: () => {} } });
    vi.stubGlobal('URL', { createObjectURL: () => 'blob:csv', revokeObjectURL: () => {} });
    vi.stubGlobal('window', { showSaveFilePicker: () => Promise.reject(new DOMException('Cross origin sub frames aren\'t allowed to show a file picker.', 'SecurityError')) });
    expect(await saveMetricsCsv(client('browser', fetchFile), 7)).toMatchObject({ saved: true, where: 'your downloads (run-7-metrics.csv)' });
  });

  it("removes the picked file when the host refuses the CSV, and throws the refusal", async () => {
    const { file, show } = picker();
    vi.stubGlobal('window', { showSaveFilePicker: show });
    const error = new CallError('runs.metricsCsv', { name: 'Conflict', message: 'run 7 has 300000000 metric values, more than 200000000', status: 409 });
    await expect(saveMetricsCsv(client('browser', () => Promise.reject(error)), 7)).rejects.toBe(error);
    expect(file.removed).toBe(true);
  });

  it('discards what it wrote and removes the file when the run is deleted during the download, and says so', async () => {
    const { file, show } = picker();
    vi.stubGlobal('window', { showSaveFilePicker: show });
    noDownload();
    const cut = () => Promise.resolve(fetched(['episode,return\n', '0,1\n'], new TypeError('network error')));
    await expect(saveMetricsCsv(client('browser', cut, () => Promise.resolve([])), 7)).rejects.toMatchObject({
      name: 'NotFound',
      message: 'run 7 was deleted during the download: nothing was saved (the file begun, run-7-metrics.csv, was removed)',
    });
    // Written, never closed: the writable's changes land only at close.
    expect(file).toMatchObject({ written: ['episode,return\n', '0,1\n'], closed: false, aborted: true, removed: true });
    // Where the browser cannot remove a file, the user is told to.
    const kept = picker('run-7-metrics.csv', false);
    vi.stubGlobal('window', { showSaveFilePicker: kept.show });
    await expect(saveMetricsCsv(client('browser', cut, () => Promise.resolve([])), 7)).rejects.toMatchObject({
      message: 'run 7 was deleted during the download: nothing was saved to run-7-metrics.csv: delete it',
    });
  });

  it('says a write that fails as such, stopping the download', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(bytes('0,1\n')), cancel: () => void (cancelled = true) });
    const handle = { name: 'full.csv', createWritable: () => Promise.resolve(new WritableStream({ write: () => Promise.reject(new DOMException('not enough space', 'QuotaExceededError')) })), remove: () => Promise.resolve() };
    vi.stubGlobal('window', { showSaveFilePicker: () => Promise.resolve(handle) });
    await expect(saveMetricsCsv(client('browser', () => Promise.resolve({ body, blob: () => Promise.reject(new Error('read as a Blob')), header: () => '1' })), 7)).rejects.toMatchObject({
      name: 'WriteError',
      message: 'could not write full.csv: not enough space (the file was removed): choose another folder',
    });
    expect(cancelled).toBe(true);
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
    const body = blob.stream();
    const fetch = vi.fn((_path: string, _init: { headers: Record<string, string> }) =>
      Promise.resolve({ ok: true, status: 200, body, blob: () => Promise.resolve(blob), headers: new Headers({ 'x-aisle-episodes': '1' }) }),
    );
    vi.stubGlobal('fetch', fetch);
    const { connect } = await import('../../src/renderer/src/transport');
    const browser = await connect();
    const file = await browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv');
    // Not read: the page writes its stream to a file, or takes it as a Blob where it cannot.
    expect(file.body).toBe(body);
    expect(await file.blob()).toBe(blob);
    expect(file.header('x-aisle-episodes')).toBe('1');
    expect(fetch.mock.calls[0]![0]).toBe('/api/metrics-csv/7');
    expect(fetch.mock.calls[0]![1].headers).toEqual({ 'x-aisle-token': TOKEN });
    const error = { name: 'NotFound', message: 'no run 7', status: 404 };
    fetch.mockResolvedValueOnce({ ok: false, status: 404, json: () => Promise.resolve({ ok: false, error }) } as never);
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ command: 'runs.metricsCsv', ...error });
    // No answer at all: said as a call that got none.
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ name: 'Offline', message: expect.stringMatching(/^Aisle is not reachable \(Failed to fetch\)/) });
  });

  it("says a refusal that carries no Reply by its HTTP status, as a call's answer is said (one parsing, replyOf)", async () => {
    const fetch = vi.fn((_path: string, _init: unknown) => Promise.resolve({ ok: false, status: 502, json: (): Promise<unknown> => Promise.reject(new SyntaxError('Unexpected token <')) }));
    vi.stubGlobal('fetch', fetch);
    const { connect } = await import('../../src/renderer/src/transport');
    const browser = await connect();
    const proxied = { name: 'HttpError', message: 'HTTP 502', status: 500 };
    // A proxy's page (not JSON): the file and a call alike.
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ command: 'runs.metricsCsv', ...proxied });
    await expect(browser.call('runs.stored', { ids: [7] })).rejects.toMatchObject({ command: 'runs.stored', ...proxied });
    // JSON that is no Reply, and a Reply that says ok on a refused file: by the status too.
    fetch.mockResolvedValueOnce({ ok: false, status: 404, json: () => Promise.resolve({ message: 'gone' }) });
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ name: 'HttpError', message: 'HTTP 404', status: 404 });
    fetch.mockResolvedValueOnce({ ok: false, status: 409, json: () => Promise.resolve({ ok: true, value: 1 }) });
    await expect(browser.fetchFile!('/api/metrics-csv/7', 'runs.metricsCsv')).rejects.toMatchObject({ name: 'HttpError', message: 'HTTP 409', status: 409 });
  });
});
