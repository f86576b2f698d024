/**
 * The Electron main process, kept thin: where things are (database, preload, pages, worker) and
 * the lab service; everything else is src/main/shell.ts, which receives electron as a parameter.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell } from 'electron';
import { AisleService } from './service';
import { Store } from './store';
import { APP_FOLDER, DB_FILE, resolveDbPath } from './store/paths';
import { APP_VERSION } from './version';
import { startShell } from './shell';

const here = dirname(fileURLToPath(import.meta.url)); // out/main

/** `--db path` or `--db=path` among Electron's arguments. */
export function dbFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--db') return argv[i + 1];
    if (arg.startsWith('--db=')) return arg.slice('--db='.length);
  }
  return undefined;
}

// The same folder the CLI uses (~/.config/Aisle, ~/Library/Application Support/Aisle, %APPDATA%\Aisle),
// whatever package.json's name is; must be set before `ready`.
app.setPath('userData', join(app.getPath('appData'), APP_FOLDER));
const flag = dbFlag(process.argv);
const dbPath = flag || process.env.AISLE_DB ? resolveDbPath({ flag, env: process.env }) : join(app.getPath('userData'), DB_FILE);
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

void startShell(
  { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell },
  {
    rendererIndex: join(here, '..', 'renderer', 'index.html'),
    ...(devServerUrl ? { devServerUrl } : {}),
    preloadPath: join(here, '..', 'preload', 'index.cjs'),
    windowStateFile: join(app.getPath('userData'), 'window-state.json'),
    themeFile: join(app.getPath('userData'), 'theme.json'),
    dbPath,
    version: APP_VERSION,
    createService: () => {
      const store = Store.open(dbPath);
      try {
        const service = new AisleService({ store, workerPath: join(here, 'worker.js'), door: 'electron', dbPath });
        return {
          handlers: service.handlers,
          on: (listener) => service.on(listener),
          close: async () => {
            try {
              await service.close();
            } finally {
              store.close();
            }
          },
        };
      } catch (e) {
        store.close();
        throw e;
      }
    },
  },
);
