/**
 * The compare view at scale: 20 runs × 100k episodes (two configs × 10 seeds) written straight into
 * a fresh store, then (1) the `compare.runs` query through the dispatcher, as the doors call it, and
 * (2) the time from asking for the Compare screen to its chart drawn, in headless Chromium through
 * the browser-mode host. Used by `npm run bench` (bench 'compare').
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '../engine/rng';
import { dispatch } from '../shared/dispatch';
import { Store } from '../main/store';
import { AisleService } from '../main/service';
import { startHost } from '../main/host/http-host';

export interface CompareBench {
  runs: number;
  episodes: number;
  queryMs: number;
  /** Request (hash change) to the compare chart drawn; null when no Chromium could run. */
  drawMs: number | null;
  note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Two experiments of 10 seeds, 100k episodes each, with noisy learning curves. */
function fill(store: Store, episodes: number): number[] {
  const ids: number[] = [];
  for (const [k, agent] of [[0, 'q-learning'], [1, 'sarsa']] as const) {
    const config = { env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 }, agent: { id: agent, alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 }, episodes };
    const hash = String(k + 1).repeat(64);
    const { runs } = store.createExperimentWithRuns({
      name: `bench ${agent}`,
      config: { format: 'aisle.experiment/v1', name: `bench ${agent}`, ...config, seeds: Array.from({ length: 10 }, (_, i) => i), checkpoints: 0 },
      configHash: hash,
      runs: Array.from({ length: 10 }, (_, seed) => ({ seed, config: { ...config, seed, checkpoints: 0 }, configHash: hash, appVersion: 'bench', episodesTotal: episodes })),
    });
    for (const run of runs) {
      const rng = new Rng(run.id, 7);
      store.markRunning(run.id);
      const batch = 10_000;
      for (let start = 0; start < episodes; start += batch) {
        const values = new Float32Array(batch);
        for (let i = 0; i < batch; i++) values[i] = 50 * (1 - Math.exp(-(start + i) / (20_000 + 5_000 * k))) + 5 * rng.normal();
        store.appendMetrics(run.id, { start, count: batch, columns: { return: values } }, start + batch);
      }
      store.finishRun(run.id, 'completed', { summary: {} });
      ids.push(run.id);
    }
  }
  return ids;
}

export async function benchCompare(dir: string, workerPath: string, rendererDir: string, { episodes = 100_000, quick = false } = {}): Promise<CompareBench> {
  const dbPath = join(dir, 'compare-bench.db');
  const store = Store.open(dbPath);
  const runIds = fill(store, episodes);
  const service = new AisleService({ store, workerPath, door: 'browser', dbPath });
  try {
    const input = { runIds, metric: 'return', maxPoints: 2000 };
    const times: number[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const t = performance.now();
      const reply = await dispatch(service.handlers, 'compare.runs', input);
      times.push(performance.now() - t);
      if (!reply.ok) throw new Error(`compare.runs failed: ${reply.error.message}`);
    }
    const queryMs = median(times);

    let chromium: typeof import('playwright-core').chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      return { runs: runIds.length, episodes, queryMs, drawMs: null, note: 'playwright-core is not installed' };
    }
    const host = await startHost({ handlers: service.handlers, subscribe: (l) => service.on(l), rendererDir });
    let browser;
    try {
      browser = await chromium.launch({
        executablePath: process.env.AISLE_CHROMIUM ?? '/usr/bin/chromium',
        // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir).
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    } catch (e) {
      await host.close();
      return { runs: runIds.length, episodes, queryMs, drawMs: null, note: `no Chromium: ${(e as Error).message.split('\n')[0]}` };
    }
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.goto(host.url);
      await page.waitForSelector('nav');
      const draws: number[] = [];
      for (let i = 0; i < (quick ? 2 : 5); i++) {
        // Leave the screen, then ask for the comparison and time until its chart has drawn.
        await page.evaluate(() => (window.location.hash = '#/runs'));
        await page.waitForFunction(() => !document.querySelector('canvas[data-drawn]'));
        const ms = await page.evaluate(async (ids) => {
          // window.performance: the page's clock (a bare `performance` here is this module's import,
          // renamed by the bundler, and would not exist in the page).
          const t0 = window.performance.now();
          window.location.hash = `#/compare?runs=${ids.join(',')}&metric=return`;
          await new Promise<void>((resolve) => {
            const check = () => (document.querySelector('canvas[data-drawn]') ? resolve() : requestAnimationFrame(check));
            check();
          });
          return window.performance.now() - t0;
        }, runIds);
        draws.push(ms);
      }
      return { runs: runIds.length, episodes, queryMs, drawMs: median(draws) };
    } finally {
      await browser.close();
      await host.close();
    }
  } finally {
    await service.close();
    store.close();
  }
}
