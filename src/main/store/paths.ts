/** Where the run database lives: the per-user app-data folder Electron uses for "Aisle", unless
 * `--db` or `AISLE_DB` say otherwise. Pure path arithmetic; the folder is created on open. */
import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'Aisle';
export const DB_FILE = 'aisle.db';

/**
 * The folder Electron's `app.getPath('userData')` returns for productName "Aisle", plus `aisle.db`.
 * Platform and home are parameters so every platform's answer can be tested on any machine.
 */
export function defaultDbPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  switch (platform) {
    case 'win32': {
      const w = path.win32;
      const appData = nonEmpty(env.APPDATA) ?? w.join(home, 'AppData', 'Roaming');
      return w.join(appData, APP_FOLDER, DB_FILE);
    }
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER, DB_FILE);
    default: {
      // Chromium (and so Electron) takes XDG_CONFIG_HOME whenever it is set and non-empty.
      const config = nonEmpty(env.XDG_CONFIG_HOME) ?? path.posix.join(home, '.config');
      return path.posix.join(config, APP_FOLDER, DB_FILE);
    }
  }
}

export interface ResolveDbPathOptions {
  /** The `--db` command-line value, if given. */
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** `--db` wins, then `AISLE_DB`, then {@link defaultDbPath}. Relative paths resolve against the cwd. */
export function resolveDbPath({ flag, env = process.env }: ResolveDbPathOptions = {}): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.AISLE_DB);
  if (chosen === undefined) return defaultDbPath(env);
  return chosen === ':memory:' ? chosen : path.resolve(chosen);
}

/**
 * The app's data folder AISLE_USER_DATA names, resolved, or undefined when it is unset or blank: the
 * desktop app's userData and the CLI's browser-open pages read it alike (a blank value is no folder).
 */
export function userDataOverride(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = nonEmpty(env.AISLE_USER_DATA);
  return given === undefined ? undefined : path.resolve(given);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
