/**
 * The Electron main process, kept thin: where things are (database, preload, pages, worker) and
 * the lab service; everything else is src/main/shell.ts, which receives electron as a parameter.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell } from 'electron';
import { AisleService } from './service';
import { Store } from './store';
import { APP_FOLDER, DB_FILE, userDataOverride } from './store/paths';
import { appDatabase, DatabaseOptionError } from './db-option';
import { APP_VERSION } from './version';
import { startShell } from './shell';

const here = dirname(fileURLToPath(import.meta.url)); // out/main

// The same folder the CLI uses (~/.config/Aisle, ~/Library/Application Support/Aisle, %APPDATA%\Aisle),
// whatever package.json's name is; must be set before `ready`. AISLE_USER_DATA names another (its
// window state, theme, one-app-at-a-time lock and default database): a second Aisle apart from the
// first, or a test's throwaway one, on every platform (XDG_CONFIG_HOME moves it on Linux only).
app.setPath('userData', userDataOverride(process.env) ?? join(app.getPath('appData'), APP_FOLDER));
// `--db lab/` names a folder: refused (createService throws, the shell says why) before anything is made.
const database = appDatabase(process.argv, process.env, () => join(app.getPath('userData'), DB_FILE));
const dbPath = database.path;
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
      if (database.problem !== undefined) throw new DatabaseOptionError(database.problem);
      const store = Store.open(dbPath);
      try {
        const service = new AisleService({ store, workerPath: join(here, 'worker.js'), door: 'electron', dbPath });
        return {
          handlers: service.handlers,
          on: (listener) => service.on(listener),
          metricsCsv: (id) => service.metricsCsv(id),
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
