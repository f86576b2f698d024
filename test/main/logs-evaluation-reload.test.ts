// Reloading the page (browser mode, or the Electron window) while a long off-policy evaluation ran
// lost it: the host aborted the page's calls when it went, which stopped the evaluation's worker at
// once, and the page loaded again had no way to follow it. A named evaluation whose every page went
// now goes on for a grace, for a page loaded again to follow it (logs.followEvaluation: its answer,
// its progress going on); with none following by then it is stopped, so nothing runs for nobody.
// The worker is a fake here: what is held is which signal stops it and who gets its answer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogsTaskResult } from '../../src/main/logs-task';
import type { ServiceContext } from '../../src/main/service/context';
import { logHandlers } from '../../src/main/service/logs';
import { startHost } from '../../src/main/host/http-host';
import { dispatch } from '../../src/shared/dispatch';
import type { Handlers } from '../../src/shared/contract';
import { tempDir } from '../helpers/tmp';

interface FakeRun {
  readonly signal: AbortSignal;
  finish(answer: LogsTaskResult): void;
}
const runs: FakeRun[] = [];

vi.mock('../../src/main/jobs/run-in-worker', () => ({
  evaluateLogsInWorker: (_path: string, _task: unknown, opts: { signal: AbortSignal; onExited?: () => void }) =>
    new Promise((resolve, reject) => {
      runs.push({ signal: opts.signal, finish: resolve });
      opts.signal.addEventListener('abort', () => {
        reject(new Error('the worker was terminated'));
        opts.onExited?.();
      });
    }),
  inspectLogsInWorker: () => Promise.reject(new Error('not in this test')),
  fitLogsInWorker: () => Promise.reject(new Error('not in this test')),
}));

const GRACE = 30_000;
const result = { ok: true as const, result: { logged: { point: 0.1 } } } as unknown as LogsTaskResult;
const input = { text: 'action,reward,pscore\n', fileName: 'logs.csv', targets: [{ kind: 'uniform' }], resamples: 100_000, evaluationId: 'ope-1' };

let handlers: Handlers;
beforeEach(() => {
  vi.useFakeTimers();
  runs.length = 0;
  const ctx = { workerPath: 'worker.js', closing: new AbortController().signal, emit: () => {} } as unknown as ServiceContext;
  handlers = logHandlers(ctx, { graceMs: GRACE }) as unknown as Handlers;
});
afterEach(() => {
  vi.useRealTimers();
});

/** A page: its calls' signal aborts when it goes. */
function page() {
  const gone = new AbortController();
  return { call: (name: string, body: unknown) => dispatch(handlers, name, body, { signal: gone.signal }), leave: () => gone.abort('reloaded') };
}
const flush = () => vi.advanceTimersByTimeAsync(0);

describe('a named evaluation whose page is reloaded', () => {
  it('goes on, and the page loaded again follows it to its answer, past the grace', async () => {
    const first = page();
    const started = first.call('logs.evaluate', input);
    await flush();
    expect(runs).toHaveLength(1);
    first.leave();
    await flush();
    expect(runs[0]!.signal.aborted).toBe(false);

    const again = page();
    const followed = again.call('logs.followEvaluation', { evaluationId: 'ope-1' });
    await vi.advanceTimersByTimeAsync(GRACE * 2);
    // Followed, it is not stopped when the grace has passed; Cancel still reaches it.
    expect(runs[0]!.signal.aborted).toBe(false);
    runs[0]!.finish(result);
    expect(await followed).toEqual({ ok: true, value: result });
    expect(await started).toEqual({ ok: true, value: result });
    // Taken: there is nothing more to follow.
    expect(await again.call('logs.followEvaluation', { evaluationId: 'ope-1' })).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('is stopped when no page follows it within the grace, and following it then says why', async () => {
    const first = page();
    void first.call('logs.evaluate', input);
    await flush();
    first.leave();
    await vi.advanceTimersByTimeAsync(GRACE - 1);
    expect(runs[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs[0]!.signal.aborted).toBe(true);
    const reply = await page().call('logs.followEvaluation', { evaluationId: 'ope-1' });
    expect(reply).toEqual({
      ok: false,
      error: {
        name: 'NotFound',
        status: 404,
        message:
          'evaluationId: no off-policy evaluation named "ope-1" is under way or ended unseen: it was stopped when no page followed it for 30 s after its page went (reloaded or closed), its answer was taken, or it was never started',
      },
    });
    // The name is free again.
    const next = page().call('logs.evaluate', input);
    await flush();
    runs[1]!.finish(result);
    expect(await next).toEqual({ ok: true, value: result });
  });

  it('keeps the answer of one that ended while no page followed it, for the grace, for one page', async () => {
    const first = page();
    void first.call('logs.evaluate', input);
    await flush();
    first.leave();
    runs[0]!.finish(result);
    await flush();
    const again = page();
    expect(await again.call('logs.followEvaluation', { evaluationId: 'ope-1' })).toEqual({ ok: true, value: result });
    expect(await again.call('logs.followEvaluation', { evaluationId: 'ope-1' })).toMatchObject({ ok: false, error: { status: 404 } });

    const other = page();
    void other.call('logs.evaluate', { ...input, evaluationId: 'ope-2' });
    await flush();
    other.leave();
    runs[1]!.finish(result);
    await vi.advanceTimersByTimeAsync(GRACE);
    expect(await page().call('logs.followEvaluation', { evaluationId: 'ope-2' })).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('is cancelled from the page loaded again: both calls answer cancelled, once the worker is gone', async () => {
    const first = page();
    const started = first.call('logs.evaluate', input);
    await flush();
    first.leave();
    const again = page();
    const followed = again.call('logs.followEvaluation', { evaluationId: 'ope-1' });
    await flush();
    expect(await again.call('logs.cancelEvaluation', { evaluationId: 'ope-1' })).toEqual({ ok: true, value: { evaluationId: 'ope-1' } });
    expect(await followed).toEqual({ ok: true, value: { ok: false, problems: [], cancelled: true } });
    expect(await started).toEqual({ ok: true, value: { ok: false, problems: [], cancelled: true } });
    // One under way by the name is still refused a second start.
    const third = page();
    void third.call('logs.evaluate', { ...input, evaluationId: 'ope-3' });
    await flush();
    expect(await third.call('logs.evaluate', { ...input, evaluationId: 'ope-3' })).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it('a page that follows and goes again starts the grace anew', async () => {
    const first = page();
    void first.call('logs.evaluate', input);
    await flush();
    first.leave();
    await vi.advanceTimersByTimeAsync(GRACE - 10);
    const again = page();
    void again.call('logs.followEvaluation', { evaluationId: 'ope-1' });
    await vi.advanceTimersByTimeAsync(GRACE);
    again.leave();
    await vi.advanceTimersByTimeAsync(GRACE - 1);
    expect(runs[0]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs[0]!.signal.aborted).toBe(true);
  });
});

describe('through the browser-mode host', () => {
  const TOKEN = 'test-token-0123456789abcdefghij';
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a tab reloaded (its request dropped) follows the evaluation again over HTTP, to its answer', async () => {
    vi.useRealTimers();
    const host = await startHost({ handlers, subscribe: () => () => {}, rendererDir: tempDir(), token: TOKEN });
    try {
      const base = `http://127.0.0.1:${host.port}`;
      const post = (command: string, body: unknown, signal?: AbortSignal) =>
        fetch(`${base}/api/call/${command}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aisle-token': TOKEN, origin: base }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
      const reloaded = new AbortController();
      const first = post('logs.evaluate', input, reloaded.signal).catch(() => 'dropped');
      while (runs.length === 0) await pause(10);
      reloaded.abort();
      expect(await first).toBe('dropped');
      // The host hears the connection close (and aborts the call's signal) within moments.
      await pause(200);
      expect(runs[0]!.signal.aborted).toBe(false);
      const followed = post('logs.followEvaluation', { evaluationId: 'ope-1' });
      runs[0]!.finish(result);
      const reply = await followed;
      expect(reply.status).toBe(200);
      expect(await reply.json()).toEqual({ ok: true, value: result });
    } finally {
      await host.close();
    }
  });
});
