/**
 * The e2e fixture: every test gets a fresh data folder, its own browser-mode host
 * (`aisle serve --port 0 --no-open --db <fresh>`) and a page already opened on the host's tokened
 * link, in Debian's Chromium (Playwright's own browser download cannot work here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, chromium, type Browser, type Page } from '@playwright/test';

// package.json says "type": "module", so Playwright loads this file as ESM: no __dirname, no require.
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.AISLE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface AisleServer {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dataDir: string;
  readonly dbPath: string;
  readonly process: ChildProcess;
}

/**
 * Starts `aisle serve` on the database in `dataDir` (a fresh one for a new folder), on a free port
 * unless given one (a restart on the same port); resolves once it prints its link. `workers`: its
 * pool's size (`--workers`), the pool's own (cores − 1) unless given.
 */
export async function startServer(dataDir: string, port = 0, opener?: string, workers?: number): Promise<AisleServer> {
  const dbPath = join(dataDir, 'aisle.db');
  // `opener`: a folder whose `xdg-open` stands in for the desktop's, which Aisle then runs on the page it
  // writes in the app data folder (`user-data` in the same folder) to open the link.
  const child = spawn(process.execPath, [join(ROOT, 'out/main/cli.js'), '--db', dbPath, 'serve', '--port', String(port), opener === undefined ? '--no-open' : '--open', ...(workers === undefined ? [] : ['--workers', String(workers)])], {
    cwd: ROOT,
    env: { ...process.env, AISLE_DB: '', ...(opener === undefined ? {} : { PATH: `${opener}:${process.env.PATH ?? ''}`, AISLE_USER_DATA: join(opener, 'user-data') }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`aisle serve did not start in 20 s:\n${out}\n${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Aisle is running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => rej(new Error(`aisle serve exited with ${code}:\n${out}\n${err}`)));
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: /token=([^&]+)/.exec(parsed.hash)![1]!, dataDir, dbPath, process: child };
}

export async function stopServer(server: AisleServer): Promise<void> {
  if (server.process.exitCode !== null) return;
  const exited = new Promise((res) => server.process.once('exit', res));
  server.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((res) => setTimeout(res, 5000))]);
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
}

/** Playwright gives every launch a fresh temporary profile (it refuses a --user-data-dir argument). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

interface Fixtures {
  /**
   * The server's training workers: the pool's own size (cores − 1) unless a spec pins it with
   * `test.use({ serverWorkers: 1 })`, as a test that counts on runs waiting queued behind one
   * another must (on 2 cores the pool has one worker, on 4 three, and the runs it expected queued ran).
   */
  serverWorkers: number | undefined;
  server: AisleServer;
  app: Page;
}

interface WorkerFixtures {
  browserInstance: Browser;
}

/**
 * A Chromium per Playwright worker, a fresh browser context per test: a context shares no storage,
 * cookies or cache with another, and launching Chromium for every test cost ~0.7 s of 140 tests.
 */
export const test = base.extend<Fixtures, WorkerFixtures>({
  serverWorkers: [undefined, { option: true }],
  server: async ({ serverWorkers }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aisle-e2e-'));
    const server = await startServer(dataDir, 0, undefined, serverWorkers);
    await use(server);
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  },
  browserInstance: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await launchChromium();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ server, browserInstance }, use) => {
    const context = await browserInstance.newContext({ viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await use(page);
    await context.close();
    if (errors.length) throw new Error(`the page threw:\n${errors.join('\n')}`);
  },
});

export { expect } from '@playwright/test';

/** Calls a contract command the way the page does (for arranging state quickly in a test). */
export async function call<T = unknown>(server: AisleServer, command: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${server.origin}/api/call/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-aisle-token': server.token, origin: server.origin },
    body: JSON.stringify(input),
  });
  const reply = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${command}: ${reply.error?.message}`);
  return reply.value as T;
}

/** A small cliff experiment (inline MDP) for arranging runs. */
export function cliffExperiment(name: string, agent: Record<string, unknown> = { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 }, extra: Record<string, unknown> = {}) {
  const mdp: unknown = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/cliff.mdp.json'), 'utf8'));
  return { format: 'aisle.experiment/v1', name, env: { id: 'tabular-mdp', mdp, maxSteps: 200 }, agent, episodes: 200, seeds: 3, ...extra };
}
