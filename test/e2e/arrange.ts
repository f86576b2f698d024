/**
 * Arranging state for the Compare, Q-tables and Policies specs through the contract: launch an
 * experiment and wait for its runs, open a screen by its hash, save the screen's screenshot.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from '@playwright/test';
import type { RunPage } from '../../src/shared/dto';
import { call, expect, ROOT, type AisleServer } from './fixtures';

export interface Launched {
  readonly experimentId: number;
  readonly runIds: readonly number[];
}

/** Launches an experiment and waits until every one of its runs has completed. */
export async function launchAndWait(server: AisleServer, experiment: unknown, timeout = 45_000): Promise<Launched> {
  const launched = await call<Launched>(server, 'experiments.launch', { experiment });
  await expect
    .poll(
      async () => {
        const page = await call<RunPage>(server, 'runs.list', { experimentId: launched.experimentId, limit: 500 });
        const failed = page.runs.find((r) => r.status === 'failed' || r.status === 'interrupted' || r.status === 'cancelled');
        if (failed) throw new Error(`run ${failed.id} ended ${failed.status}: ${failed.error ?? ''}`);
        return page.runs.filter((r) => r.status === 'completed').length;
      },
      { timeout, intervals: [200, 300, 500] },
    )
    .toBe(launched.runIds.length);
  return launched;
}

/** Opens a screen in the already loaded app (the launch token stays in sessionStorage). */
export async function openScreen(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), hash);
}

/** The whole page by default; `fullPage: false` keeps the window's view (for long tables). */
export async function saveScreenshot(page: Page, screen: string, { fullPage = true }: { fullPage?: boolean } = {}): Promise<void> {
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // A screen's heading takes focus on arrival (for keyboard and screen-reader users); its focus
  // ring would only be noise in the docs.
  await page.evaluate(() => {
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && focused.tagName === 'H1') focused.blur();
  });
  await page.screenshot({ path: join(dir, `${screen}.png`), fullPage });
}

/**
 * The Off-policy screen with a logs file (logsCsv's columns) loaded, its uniform policy's rows kept,
 * and the uniform and the logging policy's greedy choice evaluated: the screen with every panel.
 */
export async function evaluateLogs(page: Page, logs: string): Promise<void> {
  await page.getByTestId('logs-input').setInputFiles(logs);
  await page.getByTestId('where-policy').selectOption('uniform');
  await page.getByTestId('target-logs').check();
  await page.getByTestId('target-logs-value').selectOption('greedy');
  await page.getByTestId('ope-evaluate').click();
  await expect(page.getByTestId('ope-target')).toHaveCount(2);
}

/**
 * Counts the answers to `command` the page has handled, for a check that nothing happened once an
 * answer came, in place of a fixed wait: each is counted a task after the page has read it (the code
 * awaiting it has run: its continuations are microtasks), then two animation frames on (what it set
 * is drawn). Installed on the loaded page, whose calls go through window.fetch as they are made.
 */
export async function countHandledAnswers(page: Page, command: string): Promise<() => Promise<number>> {
  await page.evaluate((name) => {
    const w = window as unknown as { handledAnswers?: Record<string, number> };
    if (!w.handledAnswers) {
      const counts: Record<string, number> = (w.handledAnswers = {});
      const fetchOf = window.fetch.bind(window);
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const res = await fetchOf(input, init);
        const called = /\/api\/call\/([\w.]+)$/.exec(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)?.[1];
        if (called !== undefined && called in counts) {
          const json = res.json.bind(res);
          res.json = async () => {
            try {
              return (await json()) as unknown;
            } finally {
              setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => (counts[called] = (counts[called] ?? 0) + 1))));
            }
          };
        }
        return res;
      };
    }
    w.handledAnswers[name] ??= 0;
  }, command);
  return () => page.evaluate((name) => (window as unknown as { handledAnswers: Record<string, number> }).handledAnswers[name] ?? 0, command);
}

/** The page's console errors and the contract's calls answered 4xx or 5xx, from now on. */
export function watchFailures(app: Page): { failed: string[]; answered: string[] } {
  const failed: string[] = [];
  app.on('console', (m) => {
    if (m.type() === 'error') failed.push(`${m.text()} (${m.location().url})`);
  });
  const answered: string[] = [];
  app.on('response', (r) => {
    if (r.url().includes('/api/call/') && r.status() >= 400) answered.push(`${r.status()} ${r.url().replace(/^.*\/api\/call\//, '')} ${r.request().postData() ?? ''}`);
  });
  return { failed, answered };
}

/**
 * Holds the page's contract calls `command` matches (and `only` keeps) until `release`: each then
 * reaches the server, or, given `answer`, is answered with it instead (a refusal the test stages);
 * the calls made after `release` reach the server either way. The page's other calls go on to the
 * routes set before this one. `held` counts the calls, `done` those answered (or failed) since.
 * `settled()`: every one sent so far is answered, to poll as `expect.poll(reads.settled).toBe(true)`:
 * a poll of `done` against `toBe(counts.held)` took `held` once, as the poll began, and a read the
 * page sent after it (Compare reads again on the delete's event) made `done` pass it for good.
 */
export async function holdCalls(
  app: Page,
  command: RegExp,
  { only = () => true, answer }: { only?: (r: Request) => boolean; answer?: { status: number; body: unknown } } = {},
) {
  let release = () => {};
  let releasedYet = false;
  const released = new Promise<void>((r) => (release = r));
  const counts = { held: 0, done: 0 };
  const matches = (r: Request) => command.test(r.url().replace(/^.*\/api\/call\//, '')) && only(r);
  await app.route(/\/api\/call\//, async (route) => {
    if (!matches(route.request())) return route.fallback();
    counts.held++;
    const answered = answer !== undefined && !releasedYet;
    await released;
    if (answered) await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
    else await route.continue();
  });
  const finished = (r: Request) => void (matches(r) && counts.done++);
  app.on('requestfinished', finished);
  app.on('requestfailed', finished);
  return {
    counts,
    release: () => {
      releasedYet = true;
      release();
    },
    settled: () => counts.done === counts.held,
  };
}

/**
 * A read under way when what it reads is deleted (in another window, with `aisle delete`): holds the
 * page's calls `hold` matches (and `only` keeps), watches for failures from then on, does `read`
 * (opens the screen, or acts on it), waits until `held` calls are held (one or more if not given),
 * does `remove` (the delete, after whatever the test checks meanwhile), releases the calls and
 * waits until every one sent so far is answered. The failures are the test's to assert.
 */
export async function deletedWhileHeld(
  app: Page,
  steps: { hold: RegExp; only?: (r: Request) => boolean; read: () => Promise<unknown>; held?: number; remove: () => Promise<unknown> },
): Promise<{ reads: Awaited<ReturnType<typeof holdCalls>>; failed: string[]; answered: string[] }> {
  const reads = await holdCalls(app, steps.hold, { only: steps.only });
  const { failed, answered } = watchFailures(app);
  await steps.read();
  if (steps.held === undefined) await expect.poll(() => reads.counts.held).toBeGreaterThan(0);
  else await expect.poll(() => reads.counts.held).toBe(steps.held);
  await steps.remove();
  reads.release();
  await expect.poll(reads.settled).toBe(true);
  return { reads, failed, answered };
}

/**
 * Waits until the page's charts and heatmaps have caught up with a change of the window's size: a
 * canvas redraws for its new box through a ResizeObserver (delivered in the frame that lays the new
 * size out) and then a requestAnimationFrame, a frame or two after the resize, and React's work a
 * resize sets off can add one. Counted in frames, which a busy machine delays but does not reorder:
 * done once no canvas's `data-drawn` counter has moved for three frames in a row, after at least
 * three (a live screen that redraws every 700 ms settles between its redraws). Fails after 600
 * frames (some 10 s), naming the canvases that kept redrawing: a caller that went on would measure
 * or photograph a chart mid-redraw.
 */
export async function drawnSettled(page: Page): Promise<void> {
  const most = 600;
  const redrawing = await page.evaluate(
    (most) =>
      new Promise<string | null>((done) => {
        const canvases = () => [...document.querySelectorAll<HTMLElement>('canvas[data-drawn]')];
        const counters = () => canvases().map((c) => c.dataset.drawn).join(',');
        const before = new Map(canvases().map((c) => [c, Number(c.dataset.drawn)]));
        // A canvas by its test id, or its chart's, or what it tells a screen reader.
        const name = (c: HTMLElement) => c.dataset.testid ?? c.closest('[data-testid]')?.getAttribute('data-testid') ?? c.getAttribute('aria-label') ?? 'a canvas';
        let last = counters();
        let frames = 0;
        let still = 0;
        const frame = () => {
          const now = counters();
          frames++;
          still = now === last ? still + 1 : 0;
          last = now;
          if (frames >= 3 && still >= 3) return done(null);
          if (frames < most) return void requestAnimationFrame(frame);
          const moved = canvases().flatMap((c) => {
            const draws = Number(c.dataset.drawn) - (before.get(c) ?? 0);
            return draws === 0 ? [] : [`${name(c)} (${before.has(c) ? `${draws} draws` : 'new'})`];
          });
          done(moved.length > 0 ? moved.join(', ') : 'canvases came and went');
        };
        requestAnimationFrame(frame);
      }),
    most,
  );
  if (redrawing !== null) throw new Error(`drawnSettled: the canvases had not settled after ${most} frames, still redrawing: ${redrawing}`);
}

/**
 * Counts the progress pushes (run.progress) the page has handled, by run: each once the page's own
 * listener has returned. An init script: it counts from the page's next load on (reload it).
 */
export async function countProgressPushes(page: Page): Promise<(runId: number) => Promise<number>> {
  await page.addInitScript(() => {
    const handled: Record<number, number> = ((window as unknown as { progressHandled: Record<number, number> }).progressHandled = {});
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (this: EventSource, type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions) {
      if (type !== 'run.progress' || typeof listener !== 'function') return add.call(this, type, listener, options);
      return add.call(
        this,
        type,
        (e: Event) => {
          listener.call(this, e);
          const runId = (JSON.parse((e as MessageEvent<string>).data) as { runId: number }).runId;
          handled[runId] = (handled[runId] ?? 0) + 1;
        },
        options,
      );
    } as typeof EventSource.prototype.addEventListener;
  });
  return (runId) => page.evaluate((id) => (window as unknown as { progressHandled: Record<number, number> }).progressHandled[id] ?? 0, runId);
}
