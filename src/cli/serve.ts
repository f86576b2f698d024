/**
 * `aisle serve`: the browser mode. Opens the run database, starts the lab service and the HTTP
 * host on loopback, prints the link (it carries the launch token) and opens the desktop's browser on
 * a one-time link (browser-open.ts) when there is one. SIGINT/SIGTERM close the host, the service and the
 * store, exit 0.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AisleService } from '../main/service';
import { startHost } from '../main/host/http-host';
import { isLoopback } from '../main/host/origins';
import { appDataFolder, OPEN_FOLDER, openLink, removeStalePages, type OpenPage } from './browser-open';
import { autosaveOption, EXIT, openStore, UsageError, warn, workerPath, type GlobalOptions } from './context';
import { onStopSignals } from './signal-stop';

export interface ServeOptions extends GlobalOptions {
  port?: number;
  host?: string;
  /** true: always try to open a browser; false: never; undefined: when a desktop session exists. */
  open?: boolean;
  /** Worker threads for the app's runs (default: the pool's, cores − 1): as `aisle run --workers`. */
  workers?: number;
}

/** The built renderer, next to the built CLI (out/renderer beside out/main). */
export function rendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'renderer'), join(here, '..', '..', 'renderer')]) if (existsSync(join(candidate, 'index.html'))) return candidate;
  throw new Error(`the app's pages were not found near ${here}: run \`npm run build\``);
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const pages = rendererDir();
  // Where the page that opens the browser goes; a host that crashed left its own there.
  const openFolder = join(appDataFolder(), OPEN_FOLDER);
  removeStalePages(openFolder);
  const autosave = autosaveOption(); // refused before the database opens
  const store = openStore(opts);
  // better-sqlite3 keeps the path the store was opened with (openStore resolved it).
  const service = new AisleService({ store, workerPath: workerPath(), door: 'browser', dbPath: store.db.name, ...autosave, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) });
  let host: Awaited<ReturnType<typeof startHost>>;
  try {
    const start = (port: number) =>
      startHost({
        handlers: service.handlers,
        subscribe: (listener) => service.on(listener),
        metricsCsv: (id) => service.metricsCsv(id),
        rendererDir: pages,
        port,
        ...(opts.host !== undefined ? { host: opts.host } : {}),
      });
    host = opts.port !== undefined ? await start(opts.port) : await onPreferredPort(start);
  } catch (e) {
    await service.close();
    store.close();
    throw listenProblem(e, opts) ?? e;
  }
  let opened: OpenPage | undefined;
  // Ready for Ctrl-C before the link is printed: whoever reads the link may stop us at once.
  // Ctrl-C, SIGTERM, or SIGHUP (the terminal closed) stops it cleanly (runs cancelled, checkpoints
  // kept), exit 0; a second signal does not wait, and the first's copy that `npx aisle serve` gets
  // from npm besides the terminal's is not a second (signal-stop's repeat window). The handlers stay
  // until the process ends: a copy that comes once the shutdown is done must not end it by the
  // signal's default action, which a shell reads as 130, not the clean stop's 0.
  const stopped = new Promise<number>((resolve) => {
    onStopSignals({
      stop: () => {
        void (async () => {
          try {
            await host.close();
            await service.close();
          } finally {
            opened?.remove();
            store.close();
            resolve(EXIT.ok);
          }
        })();
      },
    });
  });
  if (opts.host !== undefined && !isLoopback(opts.host)) {
    warn(`listening on ${opts.host}, so other machines on the network can reach this page (every call still needs the token in the link, but it travels unencrypted over plain HTTP: anyone who can watch the network can take it and use the app); omit --host to stay on this machine, or reach it through an SSH tunnel.`);
  }
  // One line even as JSON: the process keeps running, so a script reads the link line by line.
  process.stdout.write(opts.json ? `${JSON.stringify({ url: host.url })}\n` : `Aisle is running at ${host.url}\n`);
  // The browser is given a page that only this user can read, holding a one-time link: a command
  // line (readable by every local user) carries neither the token nor the code.
  if (opts.open !== false && (opts.open === true || hasDesktop())) {
    opened = openLink(host.onceUrl(), { folder: openFolder, warn });
    const page = opened;
    // A second Ctrl-C exits without waiting for the stop: the page goes all the same.
    if (page) process.once('exit', () => page.remove());
  }
  return stopped;
}

/**
 * What stopped the host from listening, as a usage problem (exit 2) naming the option to change, or
 * undefined for another failure.
 */
export function listenProblem(e: unknown, opts: Pick<ServeOptions, 'port' | 'host'>): UsageError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`--port ${opts.port}: the port is in use: pick another with --port, or omit it for a free one`);
  // A port below 1024 for a user without the rights to it (Linux, macOS before 10.14): it read "aisle: listen EACCES: permission denied 127.0.0.1:80", exit 1.
  if (code === 'EACCES') return new UsageError(`--port ${opts.port}: this user may not listen on it (ports below 1024 need administrator rights): pick one from 1024 to 65535, or omit --port for a free one`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL') {
    return new UsageError(`--host ${opts.host}: not an address of this machine: give one of its addresses, 127.0.0.1 (this machine only) or 0.0.0.0 (every network interface)`);
  }
  return undefined;
}

/**
 * The ports the browser mode tries first, in order, when no `--port` is given. The page keeps the
 * theme in the browser's storage, which belongs to the address's port: on the same port each
 * launch, the choice outlives a restart (the link's token still changes). 5717 to 5726 are
 * unassigned by IANA; when all ten are taken (ten Aisles open), any free port will do.
 */
export const PREFERRED_PORTS: readonly number[] = Array.from({ length: 10 }, (_, i) => 5717 + i);

/** Starts on the first of `ports` that is free, or on any free port (0) when none is. */
export async function onPreferredPort<T>(start: (port: number) => Promise<T>, ports: readonly number[] = PREFERRED_PORTS): Promise<T> {
  for (const port of ports) {
    try {
      return await start(port);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
    }
  }
  return start(0);
}

/** A graphical session a browser could open in (never true over plain SSH or in CI). */
export function hasDesktop(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.CI) return false;
  if (platform === 'darwin' || platform === 'win32') return !env.SSH_CONNECTION;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
