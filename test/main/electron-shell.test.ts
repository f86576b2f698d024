// The Electron shell against a faked `electron` module and a stub service: every contract command
// reaches the service through the ONE invoke channel (and only from the app's own page), the dialog
// channels work, the window is sandboxed and isolated, navigation and new windows are blocked, and
// the CSP header is installed; the page's theme reaches the native parts and the next start, and
// under System the window's background follows the OS.
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { commands, MAX_FILE_BYTES, MAX_FILE_CHARS, type CommandInput, type CommandName, type EventName, type Handlers } from '../../src/shared/contract';
import { IPC_EVENT, IPC_INVOKE, IPC_OPEN, IPC_SAVE, IPC_SAVE_METRICS_CSV, IPC_THEME } from '../../src/shared/client';
import { ContractFailure } from '../../src/shared/dispatch';
import type { MetricsCsv } from '../../src/main/service/runs';
import { NotFoundError } from '../../src/main/store';
import { CONTENT_SECURITY_POLICY } from '../../src/main/host/static-files';
import { PAGE_BACKGROUND, restorableBounds } from '../../src/main/window-state';
import { tempDir } from '../helpers/tmp';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    url = '';
    send = vi.fn();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    off(event: string, listener: Listener) {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
    getURL() {
      return this.url;
    }
  }
  class FakeWindow {
    static all: FakeWindow[] = [];
    static getAllWindows = () => FakeWindow.all;
    static fromWebContents = (contents: unknown) => FakeWindow.all.find((w) => w.webContents === contents) ?? null;
    webContents = new FakeWebContents();
    loadFile = vi.fn((file: string) => {
      this.webContents.url = `file://${file}`;
      return Promise.resolve();
    });
    loadURL = vi.fn(() => Promise.resolve());
    setBackgroundColor = vi.fn();
    listeners = new Map<string, Listener[]>();
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      FakeWindow.all.push(this);
    }
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once() {
      return this;
    }
    /** What closing the window does, as Electron orders it: 'close', then destroyed, then 'closed'. */
    close() {
      for (const l of this.listeners.get('close') ?? []) l();
      this.destroyed = true;
      FakeWindow.all.splice(FakeWindow.all.indexOf(this), 1);
      for (const l of this.listeners.get('closed') ?? []) l();
    }
    show() {}
    maximize = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1280, height: 820 };
    }
  }
  /** nativeTheme's events, as its EventEmitter keeps them: 'updated' when the OS switches (or the theme is set). */
  const themeListeners = new Map<string, Listener[]>();
  const ipcHandlers = new Map<string, Listener>();
  const ipcListeners = new Map<string, Listener>();
  const appListeners = new Map<string, Listener>();
  return {
    FakeWindow,
    themeListeners,
    ipcHandlers,
    ipcListeners,
    appListeners,
    headersListener: null as null | Listener,
    electron: {
      app: {
        isPackaged: true,
        enableSandbox: vi.fn(),
        requestSingleInstanceLock: vi.fn(() => true),
        whenReady: vi.fn(() => Promise.resolve()),
        on: vi.fn((event: string, listener: Listener) => appListeners.set(event, listener)),
        quit: vi.fn(),
        exit: vi.fn(),
        getPath: vi.fn(() => '/tmp'),
      },
      BrowserWindow: FakeWindow,
      ipcMain: {
        handle: vi.fn((channel: string, handler: Listener) => ipcHandlers.set(channel, handler)),
        on: vi.fn((channel: string, listener: Listener) => ipcListeners.set(channel, listener)),
      },
      dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn(), showErrorBox: vi.fn(), showMessageBox: vi.fn() },
      session: {
        defaultSession: {
          webRequest: { onHeadersReceived: vi.fn((l: Listener) => (fake.headersListener = l)) },
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
        },
      },
      Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
      shell: { openExternal: vi.fn(() => Promise.resolve()) },
      screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
      // The OS is dark here, so a window in Light differs from one that follows the OS.
      nativeTheme: {
        themeSource: 'system' as string,
        shouldUseDarkColors: true,
        on: (event: string, listener: Listener) => void themeListeners.set(event, [...(themeListeners.get(event) ?? []), listener]),
        removeListener: (event: string, listener: Listener) => void themeListeners.set(event, (themeListeners.get(event) ?? []).filter((l) => l !== listener)),
        emit: (event: string) => {
          for (const l of themeListeners.get(event) ?? []) l();
        },
      },
    },
  };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

/** A valid input for every command: the type makes a new command fail to compile until it is listed. */
const validInputs: { [K in CommandName]: CommandInput<K> } = {
  'app.info': {},
  'catalog.get': {},
  'experiments.validate': { experiment: {} },
  'experiments.parseFile': { text: '{}', fileName: 'e.json' },
  'presets.load': { file: 'quickstart.json' },
  'mdp.parseFile': { text: '{}', fileName: 'm.json' },
  'experiments.launch': { experiment: {} },
  'experiments.launchSweep': { experiment: {}, sweep: [{ path: 'agent.alpha', values: [0.1] }] },
  'experiments.list': {},
  'experiments.page': {},
  'experiments.names': {},
  'experiments.get': { id: 1 },
  'experiments.exportResults': { ids: [1] },
  'experiments.importResults': { base64: '', fileName: 'r.aisle-results' },
  'experiments.delete': { id: 1 },
  'experiments.deleteMany': { ids: [1] },
  'experiments.update': { id: 1, name: 'renamed' },
  'runs.list': {},
  'runs.get': { id: 1 },
  'runs.cancel': { ids: [1] },
  'runs.pause': { id: 1 },
  'runs.resume': { id: 1 },
  'runs.delete': { ids: [1] },
  'runs.stored': { ids: [1] },
  'runs.metrics': { runIds: [1], metric: 'return' },
  'runs.metricsCsv': { id: 1 },
  'runs.waitingForDatabase': {},
  'compare.runs': {},
  'qtables.get': { runId: 1 },
  'policies.export': { runId: 1 },
  'policies.import': { text: '{}', fileName: 'p.json' },
  'policies.list': {},
  'policies.get': { id: 1 },
  'policies.delete': { id: 1 },
  'policies.runtime': {},
  'policies.evaluate': { policyId: 1 },
  'policies.fits': { policyId: 1 },
  'policies.fitLogs': { actions: ['a'] },
  'logs.inspect': { text: 'action,reward,propensity\n', fileName: 'logs.csv' },
  'logs.evaluate': { text: 'action,reward,propensity\n', fileName: 'logs.csv', targets: [{ kind: 'uniform' }] },
  'logs.cancelEvaluation': { evaluationId: 'e1' },
  'logs.followEvaluation': { evaluationId: 'e1' },
  'logs.simulator': { text: 'action,reward,propensity\n', fileName: 'logs.csv' },
};

let dir: string;
let rendererIndex: string;
let calls: CommandName[];
/** The fake service's handlers, which a test may replace (dispatch looks each up at call time). */
let serviceHandlers: Record<string, (...args: never[]) => unknown>;
let emit: (event: EventName, payload: unknown) => void;
let closeService: ReturnType<typeof vi.fn<() => Promise<void>>>;
/** The fake service's metricsCsv, which a test may replace. */
let serviceMetricsCsv: (id: number) => MetricsCsv;

async function start() {
  const { startShell } = await import('../../src/main/shell');
  const electron = await import('electron');
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  serviceHandlers = handlers;
  for (const name of Object.keys(commands) as CommandName[]) handlers[name] = () => (calls.push(name), { answeredBy: name });
  const service = {
    handlers: handlers as unknown as Handlers,
    on: (listener: (event: EventName, payload: unknown) => void) => ((emit = listener), () => {}),
    close: closeService,
    metricsCsv: (id: number) => serviceMetricsCsv(id),
  };
  const shell = await startShell(electron as never, {
    rendererIndex,
    preloadPath: join(dir, 'preload', 'index.cjs'),
    windowStateFile: join(dir, 'window-state.json'),
    themeFile: join(dir, 'theme.json'),
    dbPath: join(dir, 'aisle.db'),
    version: '0.0.0-test',
    createService: () => service,
  });
  return { shell, window: fake.FakeWindow.all[0]! };
}

function ipcEvent(url: string | null, window = fake.FakeWindow.all[0]) {
  return { senderFrame: url === null ? null : { url }, sender: window?.webContents };
}

const invoke = (event: unknown, message: unknown) => fake.ipcHandlers.get(IPC_INVOKE)!(event, message) as Promise<{ ok: boolean; value?: unknown; error?: { status: number } }>;

beforeEach(() => {
  dir = tempDir('aisle-shell-');
  rendererIndex = join(dir, 'renderer', 'index.html');
  calls = [];
  closeService = vi.fn(() => Promise.resolve());
  serviceMetricsCsv = () => {
    throw new Error('metricsCsv was not expected');
  };
  fake.FakeWindow.all.length = 0;
  fake.ipcHandlers.clear();
  fake.ipcListeners.clear();
  fake.appListeners.clear();
  fake.themeListeners.clear();
  fake.electron.nativeTheme.themeSource = 'system';
  fake.electron.nativeTheme.shouldUseDarkColors = true;
  fake.electron.app.isPackaged = true;
  vi.clearAllMocks();
});

describe('IPC', () => {
  it('registers ONE invoke channel plus the three dialog channels, and every command reaches the service through it', async () => {
    await start();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([IPC_INVOKE, IPC_OPEN, IPC_SAVE, IPC_SAVE_METRICS_CSV].sort());
    expect(Object.keys(validInputs).sort()).toEqual(Object.keys(commands).sort());
    const page = pathToFileURL(rendererIndex).href;
    for (const command of Object.keys(commands) as CommandName[]) {
      const reply = await invoke(ipcEvent(page), { command, input: validInputs[command] });
      expect(reply, command).toEqual({ ok: true, value: { answeredBy: command } });
    }
    expect(calls).toEqual(Object.keys(commands));
  });

  it('aborts a page’s calls when it is reloaded or closed, not when it moves between its own screens', async () => {
    await start();
    const page = pathToFileURL(rendererIndex).href;
    const { webContents } = fake.FakeWindow.all[0]!;
    const signals: AbortSignal[] = [];
    serviceHandlers['app.info'] = (_input: unknown, call: { signal?: AbortSignal }) => (signals.push(call.signal!), { answeredBy: 'app.info' });
    await invoke(ipcEvent(page), { command: 'app.info', input: {} });
    webContents.emit('did-navigate-in-page'); // #/runs → #/compare: the same page
    await invoke(ipcEvent(page), { command: 'app.info', input: {} });
    expect(signals[0]).toBe(signals[1]);
    expect(signals[0]!.aborted).toBe(false);
    webContents.emit('did-navigate'); // reloaded
    expect(signals[0]!.aborted).toBe(true);
    await invoke(ipcEvent(page), { command: 'app.info', input: {} });
    expect(signals[2]!.aborted).toBe(false);
    webContents.emit('destroyed');
    expect(signals[2]!.aborted).toBe(true);
    // Each page's listeners go with it: none left behind by a reload.
    expect(['did-navigate', 'render-process-gone', 'destroyed'].map((e) => webContents.listeners.get(e)?.length ?? 0)).toEqual([0, 0, 0]);
  });

  it('parses every input with the command’s schema before the service sees it', async () => {
    await start();
    const page = pathToFileURL(rendererIndex).href;
    const bad = await invoke(ipcEvent(page), { command: 'runs.get', input: { id: -1 } });
    expect(bad).toMatchObject({ ok: false, error: { status: 400, problems: [expect.stringMatching(/^id: /)] } });
    expect(await invoke(ipcEvent(page), { command: 'nope', input: {} })).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await invoke(ipcEvent(page), 'runs.list')).toMatchObject({ ok: false, error: { status: 400 } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['another local file', 'file:///tmp/evil.html'],
    // A URL node's fileURLToPath throws on (a host on Linux, an encoded slash): refused, not thrown as that.
    ['a file on another host', 'file://evil.example/share/index.html'],
    ['a file URL with an encoded slash', 'file:///tmp%2fevil/index.html'],
    ['a closed frame', null],
  ])('refuses messages from %s', async (_what, url) => {
    await start();
    await expect(invoke(ipcEvent(url), { command: 'app.info', input: {} })).rejects.toThrow(/refused/);
    await expect(fake.ipcHandlers.get(IPC_OPEN)!(ipcEvent(url), { title: 't', filters: [], multiple: false })).rejects.toThrow(/refused/);
    await expect(fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(url), { title: 't', defaultName: 'x', text: '' })).rejects.toThrow(/refused/);
    await expect(fake.ipcHandlers.get(IPC_SAVE_METRICS_CSV)!(ipcEvent(url), { id: 1 })).rejects.toThrow(/refused/);
    expect(calls).toEqual([]);
    expect(fake.electron.dialog.showOpenDialog).not.toHaveBeenCalled();
    expect(fake.electron.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('opens files with the native dialog and reads them in main', async () => {
    await start();
    const file = join(dir, 'policy.json');
    writeFileSync(file, '{"format":"aisle.policy/v1"}');
    fake.electron.dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [file] });
    const page = pathToFileURL(rendererIndex).href;
    const files = await fake.ipcHandlers.get(IPC_OPEN)!(ipcEvent(page), { title: 'Import policy', filters: [{ name: 'JSON', extensions: ['json'] }], multiple: true });
    expect(files).toEqual([{ name: 'policy.json', text: '{"format":"aisle.policy/v1"}' }]);
    expect(fake.electron.dialog.showOpenDialog.mock.calls[0]![1]).toMatchObject({ properties: ['openFile', 'multiSelections'] });
    await expect(fake.ipcHandlers.get(IPC_OPEN)!(ipcEvent(page), { title: 't', filters: [], multiple: false, path: '/etc' })).rejects.toThrow(/path/);
  });

  it('opens a file by the browser mode’s limit, 64 Mi characters: one of more bytes than that (mostly CJK) is read, one too large to hold them refused by its size', async () => {
    await start();
    const page = pathToFileURL(rendererIndex).href;
    const open = (file: string) => {
      fake.electron.dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [file] });
      return fake.ipcHandlers.get(IPC_OPEN)!(ipcEvent(page), { title: 'Import an experiment', filters: [], multiple: false }) as Promise<{ name: string; text: string }[]>;
    };
    // 22 Mi characters of 3 bytes each, 66 MB: the browser mode takes it; capped at 64 MB, the app refused it.
    const cjk = join(dir, 'catalog.json');
    const text = `"${'实'.repeat(22 * 2 ** 20)}"`;
    writeFileSync(cjk, text);
    expect(statSync(cjk).size).toBeGreaterThan(MAX_FILE_CHARS);
    const [read] = await open(cjk);
    expect(read!.text.length).toBe(text.length);
    // Past 3 bytes for each of 64 Mi characters (a byte-order mark besides), it cannot hold 64 Mi or fewer: refused unread (sparse here).
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_FILE_BYTES + 1);
    await expect(open(huge)).rejects.toThrow('huge.json: is 192 MB, more than the 64 Mi characters the app reads: use a smaller file, or the aisle command, which reads larger ones');
    // Within the bytes, past the characters: refused here, in the page's words, not sent to the page
    // to refuse (a mostly-ASCII file of 190 MB crossed as 380 MB of two-byte text).
    const long = join(dir, 'long.json');
    writeFileSync(long, 'a'.repeat(MAX_FILE_CHARS + 1));
    await expect(open(long)).rejects.toThrow('long.json: holds 64.000001 Mi characters, more than the 64 Mi characters the app reads: use a smaller file, or the aisle command, which reads larger ones');
  });

  it('saves files with the native dialog, writing in main', async () => {
    await start();
    const target = join(dir, 'out.json');
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    const page = pathToFileURL(rendererIndex).href;
    const result = await fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 'Export policy', defaultName: '../../policy.json', text: 'hello' });
    expect(result).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe('hello');
    expect(fake.electron.dialog.showSaveDialog.mock.calls[0]![1]).toMatchObject({ defaultPath: 'policy.json' });
    // Bytes (a chart's PNG) cross as base64 and are written as they were; anything else is refused.
    const png = join(dir, 'chart.png');
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: png });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    expect(await fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 'Save chart', defaultName: 'c.png', base64: bytes.toString('base64') })).toEqual({ saved: true, path: png });
    expect(readFileSync(png)).toEqual(bytes);
    await expect(fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 't', defaultName: 'c.png', base64: 'not base64!' })).rejects.toThrow();
    await expect(fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 't', defaultName: 'c.png', text: '', base64: '' })).rejects.toThrow();
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 't', defaultName: 'x', text: '' })).toEqual({ saved: false });
  });

  it("saves a run's metrics CSV from main: the dialog, then the file written piece by piece, nothing of it crossing IPC", async () => {
    await start();
    const page = pathToFileURL(rendererIndex).href;
    const save = (input: unknown) => fake.ipcHandlers.get(IPC_SAVE_METRICS_CSV)!(ipcEvent(page), input);
    // Pieces made only as they are written: counted, to tell a save that never made the CSV.
    let made = 0;
    const pieces = ['episode,length,return\n', '0,3,-1\n1,2,0.5\n', '2,,7\n'];
    const asked: number[] = [];
    serviceMetricsCsv = (id) => {
      asked.push(id);
      const counted = function* () {
        for (const p of pieces) {
          made++;
          yield p;
        }
      };
      return { fileName: `run-${id}-metrics.csv`, episodes: 3, metrics: ['length', 'return'], pieces: counted() };
    };
    const target = join(dir, 'metrics.csv');
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    expect(await save({ id: 7 })).toEqual({ ok: true, saved: true, path: target, episodes: 3, metrics: 2 });
    expect(asked).toEqual([7]);
    expect(readFileSync(target, 'utf8')).toBe(pieces.join(''));
    expect(made).toBe(3);
    expect(fake.electron.dialog.showSaveDialog.mock.calls[0]![1]).toMatchObject({ title: 'Save metrics', defaultPath: 'run-7-metrics.csv' });
    // Cancelled: nothing written, and no piece made.
    made = 0;
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await save({ id: 7 })).toEqual({ ok: true, saved: false });
    expect(made).toBe(0);
    // A folder that cannot be written: the contract's error shape, naming the file, for the page to show.
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: join(dir, 'no-such-folder', 'metrics.csv') });
    expect(await save({ id: 7 })).toMatchObject({ ok: false, error: { status: 500, message: expect.stringMatching(/^could not write .*no-such-folder.*metrics\.csv: .*: choose another folder$/) } });
    // A piece that cannot be made (the run deleted while its values are read) is that error, not
    // "could not write", and the half-written file is removed.
    serviceMetricsCsv = (id) => {
      asked.push(id);
      const failing = function* () {
        yield pieces[0]!;
        throw new NotFoundError('run', id);
      };
      return { fileName: `run-${id}-metrics.csv`, episodes: 3, metrics: ['length', 'return'], pieces: failing() };
    };
    const gone = join(dir, 'gone.csv');
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: gone });
    expect(await save({ id: 7 })).toMatchObject({ ok: false, error: { status: 404, message: expect.stringMatching(/^run 7 does not exist/) } });
    expect(existsSync(gone)).toBe(false);
    // The service's refusal (a run without metrics, an unknown run) comes as the contract's error, before any dialog.
    fake.electron.dialog.showSaveDialog.mockClear();
    serviceMetricsCsv = () => {
      throw new ContractFailure('run 7 has no metrics yet (status queued)', 409);
    };
    expect(await save({ id: 7 })).toEqual({ ok: false, error: { name: 'Conflict', message: 'run 7 has no metrics yet (status queued)', status: 409 } });
    expect(fake.electron.dialog.showSaveDialog).not.toHaveBeenCalled();
    // Anything but { id: a positive whole number } is refused.
    await expect(save({ id: -1 })).rejects.toThrow();
    await expect(save({ id: 1, path: '/etc/passwd' })).rejects.toThrow();
    expect(asked).toEqual([7, 7, 7, 7]); // the save, the cancelled one, the unwritable one, the failing one: not these
  });

  it('replaces a picked file only once the new one is whole: until then, and when the CSV cannot be made, it is as it was, with nothing left beside it', async () => {
    await start();
    const page = pathToFileURL(rendererIndex).href;
    const yesterday = 'the policy exported yesterday\n';
    // Written into the file itself, a kill or a power cut mid-write (the app killed while it saves
    // a results file of tens of MB) left half a file at the path, the file it replaced gone.
    const target = join(dir, 'policy.json');
    writeFileSync(target, yesterday);
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: target });
    const text = `${'x'.repeat(8 << 20)}\n`; // written in several writes, the event loop turning between them
    const sizes = new Set<number>();
    let saving = true;
    const watch = () => {
      sizes.add(statSync(target).size);
      if (saving) setImmediate(watch);
    };
    watch();
    expect(await fake.ipcHandlers.get(IPC_SAVE)!(ipcEvent(page), { title: 'Export policy', defaultName: 'policy.json', text })).toEqual({ saved: true, path: target });
    saving = false;
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect([...sizes].filter((size) => size !== yesterday.length && size !== text.length), 'sizes the file had while it was saved').toEqual([]);

    // The metrics CSV, made piece by piece as it is written: halfway, the file is yesterday's still.
    const csv = join(dir, 'metrics.csv');
    writeFileSync(csv, yesterday);
    const piece = `${'1,2,3\n'.repeat(20_000)}`;
    let halfway: string | undefined;
    serviceMetricsCsv = (id) => ({
      fileName: `run-${id}-metrics.csv`,
      episodes: 1_200_000,
      metrics: ['a', 'b'],
      pieces: (function* () {
        // 60 pieces of 120 KB: by the 40th, the ones before it have been written (a writer takes a
        // few ahead of what it wrote, not dozens), into the file or beside it.
        for (let i = 0; i < 60; i++) {
          if (i === 40) halfway = readFileSync(csv, 'utf8');
          yield piece;
        }
      })(),
    });
    fake.electron.dialog.showSaveDialog.mockResolvedValue({ canceled: false, filePath: csv });
    expect(await fake.ipcHandlers.get(IPC_SAVE_METRICS_CSV)!(ipcEvent(page), { id: 7 })).toMatchObject({ ok: true, saved: true, path: csv });
    expect(halfway).toBe(yesterday);
    expect(readFileSync(csv, 'utf8')).toBe(piece.repeat(60));

    // The run deleted while its values are read: that error, and the file the user had is still there.
    writeFileSync(csv, yesterday);
    serviceMetricsCsv = (id) => ({
      fileName: `run-${id}-metrics.csv`,
      episodes: 3,
      metrics: ['a'],
      pieces: (function* () {
        yield 'episode,a\n';
        throw new NotFoundError('run', id);
      })(),
    });
    expect(await fake.ipcHandlers.get(IPC_SAVE_METRICS_CSV)!(ipcEvent(page), { id: 7 })).toMatchObject({ ok: false, error: { status: 404 } });
    expect(readFileSync(csv, 'utf8')).toBe(yesterday);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp')), 'no temporary left').toEqual([]);
  });

  it('forwards service events to every window', async () => {
    const { window } = await start();
    emit('run.progress', { runId: 1, episodesDone: 5, episodesTotal: 10 });
    expect(window.webContents.send).toHaveBeenCalledWith(IPC_EVENT, { event: 'run.progress', payload: { runId: 1, episodesDone: 5, episodesTotal: 10 } });
  });
});

describe('window and session', () => {
  it('creates the window isolated and sandboxed, with the CommonJS preload, on the built page', async () => {
    const { window } = await start();
    expect(fake.FakeWindow.all).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: join(dir, 'preload', 'index.cjs'),
    });
    expect(window.loadFile).toHaveBeenCalledWith(rendererIndex);
  });

  it('sandboxes every renderer (app.enableSandbox), before the app is ready, as Electron requires', async () => {
    await start();
    const { enableSandbox, whenReady } = fake.electron.app;
    expect(enableSandbox).toHaveBeenCalledTimes(1);
    expect(enableSandbox.mock.invocationCallOrder[0]!).toBeLessThan(whenReady.mock.invocationCallOrder[0]!);
  });

  it('blocks navigation away from the page, new windows and webviews; https links open in the browser', async () => {
    const { window } = await start();
    const contents = window.webContents;
    const page = contents.getURL();
    const away = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    const same = { url: page, preventDefault: vi.fn() };
    contents.emit('will-navigate', same, same.url);
    expect(same.preventDefault).not.toHaveBeenCalled();
    // A redirect, and a frame's navigation, are held to the page alike.
    for (const event of ['will-redirect', 'will-frame-navigate']) {
      const elsewhere = { url: 'file:///etc/passwd', preventDefault: vi.fn() };
      contents.emit(event, elsewhere);
      expect(elsewhere.preventDefault, event).toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(contents.openHandler!({ url: 'https://example.org/paper' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://example.org/paper');
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)']) expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('installs the CSP header on every response and denies permission requests', async () => {
    await start();
    expect(fake.electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
    const callback = vi.fn();
    fake.headersListener!({ responseHeaders: { 'X-Other': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: expect.objectContaining({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Other': ['1'] }) });
    const decide = vi.fn();
    const [onRequest] = fake.electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0] as [Listener];
    onRequest(null, 'geolocation', decide);
    expect(decide).toHaveBeenCalledWith(false);
  });

  it('has the File, View and Help menus, without developer tools when packaged', async () => {
    await start();
    const [template] = fake.electron.Menu.buildFromTemplate.mock.calls[0] as [{ label?: string; role?: string; submenu?: { label?: string; role?: string }[] }[]];
    const file = template.find((m) => m.label === 'File')!;
    expect(file.submenu!.map((i) => i.label ?? i.role)).toEqual(expect.arrayContaining(['Import experiment…', 'Import policy…']));
    expect(file.submenu!.some((i) => i.role === 'quit' || i.role === 'close')).toBe(true);
    const view = template.find((m) => m.label === 'View')!;
    expect(view.submenu!.some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(template.some((m) => m.role === 'help')).toBe(true);
    expect(fake.electron.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('closes the service (cancelling runs) before quitting', async () => {
    await start();
    const event = { preventDefault: vi.fn() };
    fake.appListeners.get('before-quit')!(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    expect(closeService).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalled());
  });

  it('waits for the service to close when asked to quit again meanwhile (Quit twice, the window closed, a SIGTERM)', async () => {
    await start();
    let closed!: () => void;
    closeService.mockImplementation(() => new Promise<void>((resolve) => (closed = resolve)));
    const quitRequests = [{ preventDefault: vi.fn() }, { preventDefault: vi.fn() }, { preventDefault: vi.fn() }];
    fake.appListeners.get('before-quit')!(quitRequests[0]);
    fake.appListeners.get('before-quit')!(quitRequests[1]);
    expect(quitRequests[1]!.preventDefault).toHaveBeenCalledTimes(1);
    expect(closeService).toHaveBeenCalledTimes(1);
    expect(fake.electron.app.quit).not.toHaveBeenCalled();
    closed();
    await vi.waitFor(() => expect(fake.electron.app.quit).toHaveBeenCalledTimes(1));
    // The quit that follows the close goes through.
    fake.appListeners.get('before-quit')!(quitRequests[2]);
    expect(quitRequests[2]!.preventDefault).not.toHaveBeenCalled();
    expect(closeService).toHaveBeenCalledTimes(1);
  });

  it('quits anyway when the service has not closed after QUIT_WAIT_MS', async () => {
    const { QUIT_WAIT_MS } = await import('../../src/main/shell');
    await start();
    closeService.mockImplementation(() => new Promise<void>(() => {}));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.useFakeTimers();
    try {
      fake.appListeners.get('before-quit')!({ preventDefault: vi.fn() });
      await vi.advanceTimersByTimeAsync(QUIT_WAIT_MS - 1);
      expect(fake.electron.app.quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.electron.app.quit).toHaveBeenCalledTimes(1);
      expect(error).toHaveBeenCalledWith('aisle: closing the service took over 15 s: quitting without it');
    } finally {
      vi.useRealTimers();
      error.mockRestore();
    }
  });

  it('brings the window forward on a second start, and says so when that start asked for another database', async () => {
    const { window } = await start();
    const dbPath = join(dir, 'aisle.db');
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalledWith({ dbPath });
    fake.appListeners.get('second-instance')!({}, ['aisle'], dir, { dbPath });
    expect(window.focus).toHaveBeenCalledTimes(1);
    expect(fake.electron.dialog.showMessageBox).not.toHaveBeenCalled();
    fake.appListeners.get('second-instance')!({}, ['aisle', '--db', 'other.db'], dir, { dbPath: join(dir, 'other.db') });
    expect(window.focus).toHaveBeenCalledTimes(2);
    expect(fake.electron.dialog.showMessageBox).toHaveBeenCalledWith(window, {
      type: 'info',
      message: 'Aisle is already open on another database',
      detail: `This window shows ${dbPath}.\n\n${join(dir, 'other.db')} was not opened: quit Aisle, then start it again with that database.`,
    });
  });

  it('quits at once, saying why, when another Aisle holds the lock', async () => {
    fake.electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect((await start()).shell).toBeNull();
      expect(stderr).toHaveBeenCalledWith('aisle: Aisle is already open: its window is brought forward\n');
    } finally {
      stderr.mockRestore();
    }
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.FakeWindow.all).toHaveLength(0);
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it.each([
    ['from the checkout', false, /npm run build:electron-sqlite/],
    ['packaged, where the package was made without rebuilding it', true, /^This package's better-sqlite3 is not built for the Electron it runs in \(The module was compiled .*\)\.\n\nThe package was made without rebuilding it for Electron: package again with electron-builder's npmRebuild/],
  ])('shows the reason and quits when better-sqlite3 is built for another ABI, %s', async (_where, packaged, advice) => {
    const { startShell } = await import('../../src/main/shell');
    const electron = await import('electron');
    fake.electron.app.isPackaged = packaged;
    const result = await startShell(electron as never, {
      rendererIndex,
      preloadPath: 'p',
      windowStateFile: join(dir, 'w.json'),
      themeFile: join(dir, 't.json'),
      dbPath: 'db',
      version: 'v',
      createService: () => {
        throw new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115.');
      },
    });
    expect(result).toBeNull();
    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledWith('Aisle cannot open its database', expect.stringMatching(advice));
    expect(fake.electron.app.exit).toHaveBeenCalledWith(1);
    expect(fake.ipcHandlers.size).toBe(0);
  });
});

describe('window state', () => {
  const state = { bounds: { x: 100, y: 80, width: 1000, height: 700 }, maximized: false };
  it('restores a position that is on a display, and drops one that is not', () => {
    expect(restorableBounds(state, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toEqual(state.bounds);
    expect(restorableBounds({ ...state, bounds: { ...state.bounds, x: 3000 } }, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toEqual({ width: 1000, height: 700 });
    expect(restorableBounds(null, [])).toEqual({ width: 1280, height: 820 });
  });

  it('opens a window that was maximized maximized, also when the display it was on is gone', async () => {
    for (const x of [100, 5000]) {
      fake.FakeWindow.all.length = 0;
      writeFileSync(join(dir, 'window-state.json'), JSON.stringify({ bounds: { ...state.bounds, x }, maximized: true }));
      const { window } = await start();
      expect(window.options).toMatchObject({ width: 1000, height: 700 });
      expect(window.maximize, `x ${x}`).toHaveBeenCalledTimes(1);
    }
  });

  it('cuts a window larger than the display it opens on (remembered from a bigger one) to that display', () => {
    const big = { bounds: { x: 40, y: 30, width: 2500, height: 1400 }, maximized: false };
    const laptop = { x: 0, y: 0, width: 1440, height: 877 };
    expect(restorableBounds(big, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 877 });
    // Too wide only: its height and top are kept. On the display left of the primary, whose x is negative.
    const wide = { bounds: { x: -1900, y: 100, width: 2000, height: 700 }, maximized: false };
    expect(restorableBounds(wide, [{ x: -1920, y: 0, width: 1920, height: 1040 }, laptop])).toEqual({ x: -1920, y: 100, width: 1920, height: 700 });
    // A window that fits stays where it was, even partly off its display.
    const offEdge = { bounds: { x: 1000, y: 200, width: 1000, height: 700 }, maximized: false };
    expect(restorableBounds(offEdge, [laptop])).toEqual(offEdge.bounds);
  });
});

describe('theme', () => {
  const STYLES = readFileSync(new URL('../../src/renderer/src/styles.css', import.meta.url), 'utf8');
  const setTheme = (url: string | null, choice: unknown) => fake.ipcListeners.get(IPC_THEME)!(ipcEvent(url), choice);

  /** A new launch of the shell on the same data folder: a fresh process knows only the OS's theme. */
  async function restart() {
    fake.FakeWindow.all.length = 0;
    fake.ipcHandlers.clear();
    fake.ipcListeners.clear();
    fake.themeListeners.clear();
    fake.electron.nativeTheme.themeSource = 'system';
    return start();
  }

  /** The OS switches between light and dark while the app is open. */
  function osSwitches(dark: boolean) {
    fake.electron.nativeTheme.shouldUseDarkColors = dark;
    fake.electron.nativeTheme.emit('updated');
  }

  it('opens the first time following the OS, in the page’s background', async () => {
    const { window } = await start();
    expect(fake.electron.nativeTheme.themeSource).toBe('system');
    expect(window.options.backgroundColor).toBe(PAGE_BACKGROUND.dark);
  });

  it('sets the native theme from the page’s choice, repaints the window’s background, and opens in it next time', async () => {
    const { window } = await start();
    const page = pathToFileURL(rendererIndex).href;
    setTheme(page, 'light');
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    expect(window.setBackgroundColor).toHaveBeenCalledWith(PAGE_BACKGROUND.light);

    const again = await restart();
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    expect(again.window.options.backgroundColor).toBe(PAGE_BACKGROUND.light);
    setTheme(page, 'system');
    expect((await restart()).window.options.backgroundColor).toBe(PAGE_BACKGROUND.dark);
  });

  it('under System, repaints the window’s background when the OS switches while the app is open', async () => {
    const { window } = await start();
    osSwitches(false);
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(PAGE_BACKGROUND.light);
    osSwitches(true);
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(PAGE_BACKGROUND.dark);
    expect(window.setBackgroundColor).toHaveBeenCalledTimes(2);
  });

  it('leaves a chosen Light or Dark alone when the OS switches, and follows it again once System is chosen', async () => {
    const { window } = await start();
    const page = pathToFileURL(rendererIndex).href;
    setTheme(page, 'dark');
    window.setBackgroundColor.mockClear();
    osSwitches(false);
    expect(window.setBackgroundColor).not.toHaveBeenCalled();
    setTheme(page, 'system');
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(PAGE_BACKGROUND.light);
    osSwitches(true);
    expect(window.setBackgroundColor).toHaveBeenLastCalledWith(PAGE_BACKGROUND.dark);
  });

  it('stops listening to the OS when the window closes, and a reopened window listens once', async () => {
    const { window } = await start();
    expect(fake.themeListeners.get('updated')).toHaveLength(1);
    window.close();
    expect(fake.themeListeners.get('updated')).toHaveLength(0);
    osSwitches(false);
    expect(window.setBackgroundColor).not.toHaveBeenCalled();

    // macOS keeps the app running without a window; the dock icon opens a new one.
    fake.appListeners.get('activate')!();
    const reopened = fake.FakeWindow.all[0]!;
    expect(reopened).not.toBe(window);
    expect(fake.themeListeners.get('updated')).toHaveLength(1);
    osSwitches(true);
    expect(reopened.setBackgroundColor).toHaveBeenCalledExactlyOnceWith(PAGE_BACKGROUND.dark);
    expect(window.setBackgroundColor).not.toHaveBeenCalled();
  });

  it('opens in the stored theme', async () => {
    writeFileSync(join(dir, 'theme.json'), '{"theme":"dark"}\n');
    fake.electron.nativeTheme.shouldUseDarkColors = false;
    try {
      const { window } = await start();
      expect(fake.electron.nativeTheme.themeSource).toBe('dark');
      expect(window.options.backgroundColor).toBe(PAGE_BACKGROUND.dark);
    } finally {
      fake.electron.nativeTheme.shouldUseDarkColors = true;
    }
  });

  it.each([
    ['a value that is no theme', 'pink', 'https://evil.example/'],
    ['a value that is not a string', { theme: 'dark' }, null],
    ['a theme as a number', 3, 'file://evil.example/share/index.html'],
  ])('ignores %s, and any theme from another page, with a log line and nothing thrown', async (_what, bad, foreignUrl) => {
    const { window } = await start();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(() => setTheme(pathToFileURL(rendererIndex).href, bad)).not.toThrow();
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/ignored the theme .*: expected system, light or dark/));
      expect(() => setTheme(foreignUrl, 'light')).not.toThrow();
      expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/ignored a theme from .*not from Aisle's page/));
    } finally {
      warn.mockRestore();
    }
    expect(fake.electron.nativeTheme.themeSource).toBe('system');
    expect(window.setBackgroundColor).not.toHaveBeenCalled();
    expect(existsSync(join(dir, 'theme.json'))).toBe(false);
  });

  it('logs a long value it ignores cut to 100 characters, never inside one', async () => {
    await start();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // Quoted, the emoji straddles the 100th character: a slice there logged half of it (a lone surrogate).
      setTheme(pathToFileURL(rendererIndex).href, `${'x'.repeat(98)}😀${'y'.repeat(500)}`);
      expect(warn).toHaveBeenLastCalledWith(`aisle: ignored the theme "${'x'.repeat(98)}😀: expected system, light or dark`);
    } finally {
      warn.mockRestore();
    }
  });

  it('paints the page’s own background: styles.css’s --bg, light and dark', () => {
    const declared = /^\s*--bg: light-dark\((#[0-9a-f]{6}), (#[0-9a-f]{6})\);$/m.exec(STYLES);
    expect(declared, 'styles.css declares --bg as light-dark(#light, #dark)').not.toBeNull();
    expect(PAGE_BACKGROUND).toEqual({ light: declared![1], dark: declared![2] });
  });
});
