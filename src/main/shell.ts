/**
 * The Electron shell's logic: the hardened window, the Content-Security-Policy, the one IPC door
 * into the contract (plus the two native-dialog channels and the theme's), event forwarding and
 * the app's lifecycle. Electron arrives as a parameter (index.ts passes the real module, tests pass
 * fakes), so nothing here imports electron at run time.
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type * as Electron from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_OPEN, IPC_SAVE, IPC_SAVE_METRICS_CSV, IPC_THEME, type SavedMetricsCsv } from '../shared/client';
import { MAX_FILE_CHARS, type EventName, type Handlers } from '../shared/contract';
import { dispatch, toContractError } from '../shared/dispatch';
import { cutToLength } from '../engine/experiment-text';
import { DatabaseOptionError } from './db-option';
import { CONTENT_SECURITY_POLICY } from './host/static-files';
import type { MetricsCsv } from './service/runs';
import { installMenu, readPickedFile } from './menu';
import { saveFileWhole } from './save-file';
import { loadTheme, loadWindowState, MIN_SIZE, restorableBounds, saveTheme, saveWindowState, themeChoice, windowBackground } from './window-state';

export type ElectronPieces = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'dialog' | 'session' | 'Menu' | 'shell' | 'screen' | 'nativeTheme'>;

/** What the shell needs of the lab service (AisleService satisfies it). */
export interface ShellService {
  readonly handlers: Handlers;
  on(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
  /** A run's metrics CSV in pieces, for Run detail's Metrics CSV (service/runs.ts metricsCsv). */
  metricsCsv(id: number): MetricsCsv;
}

export interface ShellConfig {
  /** The built page (out/renderer/index.html). */
  readonly rendererIndex: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), only when running unpackaged. */
  readonly devServerUrl?: string;
  /** The CommonJS preload (out/preload/index.cjs). */
  readonly preloadPath: string;
  /** Where the window's size and position are remembered. */
  readonly windowStateFile: string;
  /** Where the page's theme is remembered, for the window's colours before the page paints. */
  readonly themeFile: string;
  readonly dbPath: string;
  readonly version: string;
  /** Opens the store and creates the service; a throw is shown in an error box and quits. */
  readonly createService: () => ShellService;
}

/** The CSP for the app's page; the dev server additionally needs React Refresh's inline preamble and HMR's websocket. */
export function contentSecurityPolicy(devServerUrl?: string): string {
  if (!devServerUrl) return CONTENT_SECURITY_POLICY;
  const ws = new URL(devServerUrl);
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ws://${ws.host} ws://localhost:* ws://127.0.0.1:*`,
  );
}

/** Is `url` the app's own page (the built file, or the dev server when developing)? */
export function isAppUrl(url: string, config: Pick<ShellConfig, 'rendererIndex' | 'devServerUrl'>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (config.devServerUrl) return parsed.origin === new URL(config.devServerUrl).origin;
  if (parsed.protocol !== 'file:') return false;
  // fileURLToPath throws on a file URL no local path has (a host on Linux, an encoded slash): not the page,
  // said as such (a throw here escaped the theme channel's listener, and the invoke channels refused it in node's words).
  try {
    return resolve(fileURLToPath(parsed)) === resolve(config.rendererIndex);
  } catch {
    return false;
  }
}

/** The window's web preferences: no Node in the page, an isolated preload, the OS sandbox on. */
export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** The CSP header on every response, and no permission (camera, geolocation…) for any page. */
export function installSessionPolicy(session: Electron.Session, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } });
  });
  // Copying to the clipboard is the one permission the app's page uses.
  const allowed = new Set(['clipboard-sanitized-write']);
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => allowed.has(permission));
}

/**
 * No navigation away from the app (the page's own, a server redirect's, or a frame's: the app has
 * none), no new windows (https links open in the user's browser), no webviews.
 */
export function hardenContents(contents: Electron.WebContents, shell: Pick<Electron.Shell, 'openExternal'>): void {
  const stayOnPage = (event: { url?: string; preventDefault(): void }, legacyUrl?: string) => {
    const target = event.url ?? legacyUrl;
    if (target !== contents.getURL()) event.preventDefault();
  };
  contents.on('will-navigate', stayOnPage);
  contents.on('will-redirect', stayOnPage);
  contents.on('will-frame-navigate', stayOnPage);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

const invokeMessage = z.object({ command: z.string().max(200), input: z.unknown() }).strict();
const openOptions = z
  .object({
    title: z.string().max(200),
    filters: z.array(z.object({ name: z.string().max(100), extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/)).max(20) }).strict()).max(10),
    multiple: z.boolean(),
  })
  .strict();
const saveDialog = { title: z.string().max(200), defaultName: z.string().max(255) };
// Text is written as UTF-8; bytes (a chart's PNG) cross as base64, which a zod string can bound and check.
const saveOptions = z.union([
  z.object({ ...saveDialog, text: z.string().max(MAX_FILE_CHARS) }).strict(),
  z.object({ ...saveDialog, base64: z.string().max(MAX_FILE_CHARS).regex(/^[A-Za-z0-9+/]*={0,2}$/) }).strict(),
]);
const metricsCsvOptions = z.object({ id: z.number().int().positive() }).strict();

/**
 * Where an IPC message came from, in words, when that is not Aisle's own page (another page, or a
 * frame closed since); null when it is. Every channel acts on the page's messages only: the invoke
 * channels refuse the others' (their caller awaits the refusal), the theme's logs and drops them.
 */
function foreignSender(event: Pick<Electron.IpcMainInvokeEvent, 'senderFrame'>, isTrusted: (url: string) => boolean): string | null {
  const url = event.senderFrame?.url;
  return url && isTrusted(url) ? null : `${url ?? 'a closed frame'}, not from Aisle's page`;
}

/**
 * The IPC channels: ONE invoke channel into the contract (every input parsed by its zod schema in
 * dispatch), plus the open/save dialogs. Every message's sender frame must be the app's own page.
 */
export function registerIpc(
  electron: Pick<ElectronPieces, 'ipcMain' | 'dialog' | 'BrowserWindow'>,
  service: Pick<ShellService, 'handlers' | 'metricsCsv'>,
  isTrusted: (url: string) => boolean,
): void {
  const { ipcMain, dialog, BrowserWindow } = electron;
  const guard = (event: Electron.IpcMainInvokeEvent): Electron.BrowserWindow | null => {
    const foreign = foreignSender(event, isTrusted);
    if (foreign !== null) throw new Error(`refused: the request came from ${foreign}`);
    return BrowserWindow.fromWebContents(event.sender);
  };
  // A page's calls are aborted when it goes (reloaded, navigated away, closed, crashed), as the
  // browser mode's are when their request is: a worker task it started (an evaluation, an import)
  // stops instead of running on for nobody. In-page navigation (the app's #/ routes) is no going.
  const pages = new WeakMap<Electron.WebContents, AbortController>();
  const pageSignal = (contents: Electron.WebContents): AbortSignal => {
    const known = pages.get(contents);
    if (known) return known.signal;
    const gone = new AbortController();
    pages.set(contents, gone);
    const leave = () => {
      contents.off('did-navigate', leave).off('render-process-gone', leave).off('destroyed', leave);
      if (pages.get(contents) === gone) pages.delete(contents);
      gone.abort(new Error('the page that asked was reloaded or closed'));
    };
    contents.on('did-navigate', leave).on('render-process-gone', leave).on('destroyed', leave);
    return gone.signal;
  };
  ipcMain.handle(IPC_INVOKE, async (event, message: unknown) => {
    guard(event);
    const parsed = invokeMessage.safeParse(message);
    if (!parsed.success) return { ok: false, error: { name: 'InvalidInput', message: 'an IPC call must be { command, input }', status: 400 } };
    return dispatch(service.handlers, parsed.data.command, parsed.data.input, { signal: pageSignal(event.sender) });
  });
  ipcMain.handle(IPC_OPEN, async (event, raw: unknown) => {
    const window = guard(event);
    const options = openOptions.parse(raw);
    const dialogOptions: Electron.OpenDialogOptions = { title: options.title, filters: options.filters, properties: options.multiple ? ['openFile', 'multiSelections'] : ['openFile'] };
    const picked = window ? await dialog.showOpenDialog(window, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
    if (picked.canceled) return [];
    return Promise.all(picked.filePaths.map(readPickedFile));
  });
  ipcMain.handle(IPC_SAVE, async (event, raw: unknown) => {
    const window = guard(event);
    const options = saveOptions.parse(raw);
    const dialogOptions: Electron.SaveDialogOptions = { title: options.title, defaultPath: basename(options.defaultName) };
    const picked = window ? await dialog.showSaveDialog(window, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
    if (picked.canceled || !picked.filePath) return { saved: false };
    await saveFileWhole(picked.filePath, 'text' in options ? options.text : Buffer.from(options.base64, 'base64'));
    return { saved: true, path: picked.filePath };
  });
  // Run detail's Metrics CSV: made here and written to the picked file in pieces, never crossing
  // IPC (as runs.metricsCsv's text it did twice, main to page and back, held whole each way: the
  // CSV of a 1M-episode run is 43 MB). Refused before the dialog shows, as the call was.
  ipcMain.handle(IPC_SAVE_METRICS_CSV, async (event, raw: unknown): Promise<SavedMetricsCsv> => {
    const window = guard(event);
    const { id } = metricsCsvOptions.parse(raw);
    let csv: MetricsCsv;
    try {
      csv = service.metricsCsv(id);
    } catch (e) {
      return { ok: false, error: toContractError(e) };
    }
    const dialogOptions: Electron.SaveDialogOptions = { title: 'Save metrics', defaultPath: csv.fileName };
    const picked = window ? await dialog.showSaveDialog(window, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
    if (picked.canceled || !picked.filePath) return { ok: true, saved: false };
    // The pieces read the run's values as they are written, in one snapshot from the first on (a
    // run deleted after that is written whole): one that cannot be made (the run deleted while the
    // dialog was open) is that error, not "could not write", and the file is left as it was.
    let unmade: { error: unknown } | undefined;
    const pieces = (function* () {
      try {
        yield* csv.pieces;
      } catch (e) {
        unmade = { error: e };
        throw e;
      }
    })();
    try {
      await saveFileWhole(picked.filePath, pieces);
    } catch (e) {
      if (unmade) return { ok: false, error: toContractError(unmade.error) };
      return { ok: false, error: { name: 'WriteError', message: `could not write ${picked.filePath}: ${(e as Error).message}: choose another folder`, status: 500 } };
    }
    return { ok: true, saved: true, path: picked.filePath, episodes: csv.episodes, metrics: csv.metrics.length };
  });
}

/**
 * The page's Theme reaches what the page cannot colour: the menus and window frame macOS draws,
 * the context menus Electron draws elsewhere, and the window's background. Not a contract command, because the service (shared with the CLI and the browser
 * mode) has no window; a one-way message, because the page waits for nothing, so a refused one is
 * logged here and never thrown into the page. The choice is kept in main too, as the next start
 * needs it before the page exists.
 */
export function followTheme(electron: Pick<ElectronPieces, 'ipcMain' | 'nativeTheme' | 'BrowserWindow'>, themeFile: string, isTrusted: (url: string) => boolean): void {
  const { ipcMain, nativeTheme, BrowserWindow } = electron;
  ipcMain.on(IPC_THEME, (event, raw: unknown) => {
    const foreign = foreignSender(event, isTrusted);
    if (foreign !== null) return console.warn(`aisle: ignored a theme from ${foreign}`);
    const parsed = themeChoice.safeParse(raw);
    if (!parsed.success) return console.warn(`aisle: ignored the theme ${cutToLength(String(JSON.stringify(raw)), 100)}: expected system, light or dark`);
    // The page tells its choice on every start: only a change is applied and written.
    if (parsed.data === nativeTheme.themeSource) return;
    nativeTheme.themeSource = parsed.data;
    saveTheme(themeFile, parsed.data);
    const background = windowBackground(parsed.data, nativeTheme.shouldUseDarkColors);
    for (const window of BrowserWindow.getAllWindows()) if (!window.isDestroyed()) window.setBackgroundColor(background);
  });
}

/** Pushes every service event to every open window. */
export function forwardEvents(service: Pick<ShellService, 'on'>, BrowserWindow: ElectronPieces['BrowserWindow']): () => void {
  return service.on((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, { event, payload });
  });
}

/** The main window, in its remembered place and in the colour the page will paint (nativeTheme holds the chosen theme). */
export function createMainWindow(electron: Pick<ElectronPieces, 'BrowserWindow' | 'screen' | 'shell' | 'nativeTheme'>, config: ShellConfig): Electron.BrowserWindow {
  const state = loadWindowState(config.windowStateFile);
  const bounds = restorableBounds(state, electron.screen.getAllDisplays().map((d) => d.workArea));
  const window = new electron.BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Aisle',
    backgroundColor: windowBackground(electron.nativeTheme.themeSource, electron.nativeTheme.shouldUseDarkColors),
    webPreferences: secureWebPreferences(config.preloadPath),
  });
  // Maximized it was, maximized it opens: on the display it opens on when its own is gone.
  if (state?.maximized) window.maximize();
  followOsTheme(electron.nativeTheme, window);
  hardenContents(window.webContents, electron.shell);
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowState(config.windowStateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  if (config.devServerUrl) void window.loadURL(config.devServerUrl);
  else void window.loadFile(config.rendererIndex);
  return window;
}

/**
 * Under System the OS may switch between light and dark while the app is open: the page follows by
 * itself, the window's background (seen during a resize) is set again here. A chosen Light or Dark
 * is left alone (followTheme set it). The listener goes with the window, so a window reopened
 * (macOS's activate) does not leave one behind.
 */
export function followOsTheme(nativeTheme: Electron.NativeTheme, window: Electron.BrowserWindow): void {
  const onUpdated = () => {
    if (nativeTheme.themeSource === 'system' && !window.isDestroyed()) window.setBackgroundColor(windowBackground('system', nativeTheme.shouldUseDarkColors));
  };
  nativeTheme.on('updated', onUpdated);
  window.on('closed', () => nativeTheme.removeListener('updated', onUpdated));
}

/** How long quitting waits for the service to close before it quits anyway. */
export const QUIT_WAIT_MS = 15_000;

export interface RunningShell {
  readonly service: ShellService;
  readonly window: () => Electron.BrowserWindow | null;
}

/** Starts the app: one instance, the session policy, IPC, the menu, the window; closes the service on quit. */
export async function startShell(electron: ElectronPieces, config: ShellConfig): Promise<RunningShell | null> {
  const { app, BrowserWindow, dialog } = electron;
  // Every renderer sandboxed whatever its webPreferences say: the main window's ask for it, and
  // this holds for any other contents too (devtools, or a window a later change opens). Electron
  // takes it only before `ready`: before the first await.
  app.enableSandbox();
  // One app at a time (the lock is the userData folder's): a second start brings the first's window
  // forward, telling it the database it was asked for, which it says it did not open if another.
  if (!app.requestSingleInstanceLock({ dbPath: config.dbPath })) {
    process.stderr.write('aisle: Aisle is already open: its window is brought forward\n');
    app.quit();
    return null;
  }
  await app.whenReady();
  // Before anything is shown (the error box below included), in the theme the page last chose.
  electron.nativeTheme.themeSource = loadTheme(config.themeFile);
  let service: ShellService;
  try {
    service = config.createService();
  } catch (e) {
    // A --db the user must correct (`--db lab/`): its one line, also for the terminal it was typed in, exit 2 as the CLI's.
    const given = e instanceof DatabaseOptionError;
    if (given) process.stderr.write(`aisle: ${e.message}\n`);
    dialog.showErrorBox('Aisle cannot open its database', given ? e.message : describeStartupError(e, config.dbPath, app.isPackaged));
    app.exit(given ? 2 : 1);
    return null;
  }
  installSessionPolicy(electron.session.defaultSession, contentSecurityPolicy(config.devServerUrl));
  const isTrusted = (url: string) => isAppUrl(url, config);
  registerIpc(electron, service, isTrusted);
  followTheme(electron, config.themeFile, isTrusted);
  forwardEvents(service, BrowserWindow);
  let main: Electron.BrowserWindow | null = null;
  const open = () => {
    main = createMainWindow(electron, config);
    main.on('closed', () => (main = null));
  };
  installMenu(electron, { dev: !app.isPackaged, version: config.version, dbPath: config.dbPath, handlers: service.handlers, window: () => main });
  open();

  app.on('second-instance', (_event, _argv, _cwd, asked: unknown) => {
    if (!main) open();
    else {
      if (main.isMinimized()) main.restore();
      main.focus();
    }
    const other = otherDatabase(asked, config.dbPath);
    if (other !== null && main) void dialog.showMessageBox(main, otherDatabaseMessage(config.dbPath, other));
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting waits for the service to close (running runs stopped with their state kept, queued
  // ones marked, the database closed). Another request meanwhile (Quit again, the window closed,
  // a SIGTERM) waits for the same close: let through, it ended the process in the middle of it.
  let quitting: 'no' | 'closing' | 'closed' = 'no';
  app.on('before-quit', (event) => {
    if (quitting === 'closed') return;
    event.preventDefault();
    if (quitting === 'closing') return;
    quitting = 'closing';
    // The close is bounded (workers get 2 s to report): should it still hang, the app quits anyway,
    // its runs left for the next start to mark interrupted, rather than never.
    let stuck: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<void>((resolve) => {
      stuck = setTimeout(() => {
        console.error(`aisle: closing the service took over ${QUIT_WAIT_MS / 1000} s: quitting without it`);
        resolve();
      }, QUIT_WAIT_MS);
    });
    Promise.race([service.close().catch((e: unknown) => console.error('aisle: closing the service failed:', e)), hung]).finally(() => {
      clearTimeout(stuck);
      quitting = 'closed';
      app.quit();
    });
  });
  return { service, window: () => main };
}

/** The database a second start asked for (requestSingleInstanceLock's data), when it is not this app's. */
function otherDatabase(asked: unknown, dbPath: string): string | null {
  const path = asked !== null && typeof asked === 'object' ? (asked as { dbPath?: unknown }).dbPath : undefined;
  return typeof path === 'string' && resolve(path) !== resolve(dbPath) ? path : null;
}

function otherDatabaseMessage(dbPath: string, other: string): Electron.MessageBoxOptions {
  return {
    type: 'info',
    message: 'Aisle is already open on another database',
    detail: `This window shows ${dbPath}.\n\n${other} was not opened: quit Aisle, then start it again with that database.`,
  };
}

function describeStartupError(e: unknown, dbPath: string, packaged: boolean): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(message)) {
    // A package has no npm start nor AISLE_SQLITE_BINDING: its own better-sqlite3 was not rebuilt for its Electron.
    if (packaged) {
      return `This package's better-sqlite3 is not built for the Electron it runs in (${message.split('\n')[0]}).\n\nThe package was made without rebuilding it for Electron: package again with electron-builder's npmRebuild, on Node.js and npm from nodejs.org; see docs/packaging.md.`;
    }
    return `better-sqlite3 is built for Node.js, not for Electron (${message.split('\n')[0]}).\n\nBuild it for Electron with "npm run build:electron-sqlite" and start with "npm start" (which points the app at that build), or use the browser mode (npm start without Electron, or npx aisle serve); see docs/packaging.md.`;
  }
  return `${message}\n\nDatabase: ${dbPath}`;
}
