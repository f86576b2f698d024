/**
 * How `aisle serve` opens the desktop's browser without putting a secret on its command line: the
 * browser is given a small redirect page, readable by this user only, that carries the one-time link
 * (every local user can read a process's command line, /proc/<pid>/cmdline, and could trade the code
 * before the browser did). Jupyter does the same (jupyter_server's `jpserver-<pid>-open.html`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorCode, makeDirectory } from '../main/make-dir';
import { defaultDbPath, userDataOverride } from '../main/store/paths';

/** The folder under the app's data folder that holds the pages (0700; each page 0600). */
export const OPEN_FOLDER = 'browser-open';
/** A page's name (its host's process id), or its temporary name while being written. */
const PAGE_NAME = /^open-(\d+)\.html(?:\.[A-Za-z0-9_-]+\.tmp)?$/;

/**
 * The app's data folder, as the desktop app names it: AISLE_USER_DATA, else the folder of the
 * default database (~/.config/Aisle, ~/Library/Application Support/Aisle, %APPDATA%\Aisle). Not
 * /tmp: a snap-confined browser (Ubuntu's Firefox and Chromium) cannot read it.
 */
export function appDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  return userDataOverride(env) ?? dirname(defaultDbPath(env, platform, home));
}

/** HTML text with the five characters that could end an attribute or start markup escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The redirect page: a script goes at once (location.replace, so the file is not left in history), a
 * meta refresh a second later where scripts are off, and a link to click. Nothing is fetched from
 * elsewhere. The page the link opens drops its fragment from the address and history.
 */
export function redirectPage(link: string): string {
  // In a script, "</script>" or "<!--" in the string would end or confuse it: < > & as \u escapes.
  const inScript = JSON.stringify(link).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const attr = escapeHtml(link);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    '<title>Opening Aisle</title>',
    `<script>location.replace(${inScript});</script>`,
    `<meta http-equiv="refresh" content="1; url=${attr}">`,
    '</head>',
    '<body>',
    `<p>Opening Aisle… If nothing happens, <a href="${attr}">open Aisle</a>.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Whether process `pid` is running (EPERM: it is, another user's). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

/**
 * Removes the pages in `folder` of hosts no longer running (stopped by a crash or SIGKILL, which left
 * theirs behind); returns their names. Best effort: a folder missing or unreadable holds none.
 */
export function removeStalePages(folder: string, running: (pid: number) => boolean = isRunning): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(PAGE_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isSafeInteger(pid) || pid === process.pid || running(pid)) continue;
    try {
      rmSync(join(folder, name), { force: true });
      removed.push(name);
    } catch {
      // Left for the next start.
    }
  }
  return removed;
}

export interface OpenPage {
  /** The page's path. */
  readonly path: string;
  /** Its file:// URL, for the opener. */
  readonly url: string;
  /** Deletes it (again is harmless). */
  remove(): void;
}

/**
 * Writes the redirect page to `link` as `open-<pid>.html` in `folder` (made 0700, as is an existing
 * one; the page 0600), whole or not at all: written beside it, then renamed. Modes are left to
 * Windows, whose app-data folder is the user's alone.
 */
export function writeOpenPage(folder: string, link: string, pid: number = process.pid, platform: NodeJS.Platform = process.platform): OpenPage {
  makeDirectory(folder, 0o700);
  if (platform !== 'win32') {
    // A link or someone else's folder in its place is not ours to write a secret into.
    const stat = lstatSync(folder);
    if (!stat.isDirectory()) throw new Error(`${folder} is not a folder`);
    if (process.getuid !== undefined && stat.uid !== process.getuid()) throw new Error(`${folder} belongs to another user`);
    chmodSync(folder, 0o700);
  }
  const path = join(folder, `open-${pid}.html`);
  const temporary = `${path}.${randomBytes(6).toString('base64url')}.tmp`;
  try {
    writeFileSync(temporary, redirectPage(link), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  return { path, url: pathToFileURL(path).href, remove: () => rmSync(path, { force: true }) };
}

/**
 * Whether the desktop opens HTML files in a snap (`<snap>_<app>.desktop`, installed by snapd): a
 * snap's browser may not read hidden folders at the top of the home folder, ~/.config among them.
 */
export function htmlOpensInSnap(
  handler: () => string = () => spawnSync('xdg-mime', ['query', 'default', 'text/html'], { encoding: 'utf8', timeout: 5_000 }).stdout ?? '',
  installed: (desktopFile: string) => boolean = (file) => existsSync(join('/var/lib/snapd/desktop/applications', file)),
): boolean {
  const name = handler().trim();
  return /^[a-z0-9-]+_[\w.-]+\.desktop$/.test(name) && installed(name);
}

export interface OpenLinkOptions {
  /** Where the page goes: the app data folder's OPEN_FOLDER. */
  readonly folder: string;
  /** Starts the desktop's opener on a URL. */
  readonly opener?: (url: string) => void;
  /** Whether the page could not be read by the browser the opener starts (a snap's, on Linux). */
  readonly unreadable?: () => boolean;
  /** Told why no browser was opened. */
  readonly warn: (message: string) => void;
}

/**
 * Opens the one-time `link` in the desktop's browser through a page only this user can read; returns
 * the page, to be removed when the host stops. A snap's browser, which could not read the page, is
 * given the link itself as before. A page that cannot be written opens nothing: the printed link is
 * there.
 */
export function openLink(link: string, { folder, opener = openWithDesktop, unreadable = () => process.platform === 'linux' && htmlOpensInSnap(), warn }: OpenLinkOptions): OpenPage | undefined {
  if (unreadable()) {
    opener(link);
    return undefined;
  }
  let page: OpenPage;
  try {
    page = writeOpenPage(folder, link);
  } catch (e) {
    warn(`no browser opened: the page that opens it could not be written in ${folder} (${e instanceof Error ? e.message : String(e)}): open the link above`);
    return undefined;
  }
  opener(page.url);
  return page;
}

/**
 * Opens `url` with the platform's opener; a missing opener or a failure is silently ignored.
 * Windows: `rundll32 url.dll,FileProtocolHandler <url>` hands the URL to the shell's ShellExecute
 * with no command interpreter in between. `cmd /c start "" <url>` gave it to cmd.exe, which splits a
 * command line at & and |, redirects at < and >, drops ^, and expands %NAME% even inside quotes: a
 * page under C:\Users\Tom&Jerry opened file:///C:/Users/Tom, the rest of the URL run as a command.
 * (pathToFileURL leaves & as it is; the percent-escapes it writes, %25 for a %, could read as %NAME%.)
 * The URL is one argument, which Node passes unquoted (pathToFileURL encodes its spaces and quotes),
 * and rundll32 gives FileProtocolHandler the rest of its command line as it is. (explorer.exe was
 * not taken: its own parsing of commas and switches may open a folder window instead.)
 */
export function openWithDesktop(url: string): void {
  const [command, args]: [string, string[]] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && !onPath(command)) return;
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener: the printed link is enough.
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}
