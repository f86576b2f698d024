/**
 * runInWorker's `cleanup` (the scratch folder of a results export or import): called exactly once
 * on every way a task ends, and, once a worker was started, only after it has exited (it could still
 * write there before). The worker is a tiny fixture that answers, fails, exits or hangs on request.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInWorker, TaskSlots } from '../../src/main/jobs/run-in-worker';
import { ValidationError } from '../../src/engine/params';
import type { WorkerTask } from '../../src/main/jobs/protocol';

const WORKER = resolve(__dirname, '../fixtures/task-worker.mjs');

/** A read-policy task whose text tells the fixture worker what to do. */
const task = (text: 'answer' | 'fail' | 'exit' | 'throw' | 'hang'): WorkerTask => ({ type: 'read-policy', text, fileName: `${text}.json` });

/** A cleanup that counts its calls, and a promise of its first. */
function counted() {
  let calls = 0;
  let first!: () => void;
  const called = new Promise<void>((r) => (first = r));
  return {
    cleanup: () => {
      calls++;
      first();
    },
    called,
    get calls() {
      return calls;
    },
  };
}

/** Lets pending events (a second `exit`, a late listener) arrive before counting again. */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('runInWorker cleanup', () => {
  it('runs once, at once, when the task was stopped before it asked for a slot', async () => {
    const c = counted();
    const stopped = new AbortController();
    stopped.abort('its client went away');
    await expect(runInWorker(WORKER, task('answer'), stopped.signal, c.cleanup, new TaskSlots(1, 1))).rejects.toThrow('the reading of the policy file was stopped: its client went away');
    expect(c.calls).toBe(1);
    await settle();
    expect(c.calls).toBe(1);
  });

  it('runs once when the slot is refused (too many waiting), and once when the task is stopped while it waits', async () => {
    const slots = new TaskSlots(1, 1);
    const held = await slots.acquire(undefined, 'evaluation');
    const waiting = counted();
    const stopped = new AbortController();
    const waits = runInWorker(WORKER, task('answer'), stopped.signal, waiting.cleanup, slots);
    const refused = counted();
    await expect(runInWorker(WORKER, task('answer'), undefined, refused.cleanup, slots)).rejects.toMatchObject({ status: 503 });
    expect(refused.calls).toBe(1);
    expect(waiting.calls).toBe(0);
    stopped.abort('its client went away');
    await expect(waits).rejects.toThrow('was stopped: its client went away');
    expect(waiting.calls).toBe(1);
    held();
    await settle();
    expect([refused.calls, waiting.calls]).toEqual([1, 1]);
  });

  it('runs once when the task is stopped after its slot was given, before a worker started', async () => {
    const c = counted();
    const stopped = new AbortController();
    const run = runInWorker(WORKER, task('answer'), stopped.signal, c.cleanup, new TaskSlots(1, 1));
    stopped.abort('its client went away'); // the slot is given on the next microtask
    await expect(run).rejects.toThrow('was stopped: its client went away');
    expect(c.calls).toBe(1);
    await settle();
    expect(c.calls).toBe(1);
  });

  it('runs once when the worker cannot be created, and gives the slot back', async () => {
    const c = counted();
    const slots = new TaskSlots(1, 0);
    // Not absolute, nor starting with ./: Worker refuses it synchronously.
    await expect(runInWorker('no-such-worker.js', task('answer'), undefined, c.cleanup, slots)).rejects.toMatchObject({ code: 'ERR_WORKER_PATH' });
    expect(c.calls).toBe(1);
    (await slots.acquire(undefined, 'evaluation'))(); // the slot is free again (else refused: 0 may wait)
    await settle();
    expect(c.calls).toBe(1);
  });

  for (const [how, text, outcome] of [
    ['answers', 'answer', { resolves: { read: 'answer.json' } }],
    ['fails the task (a ValidationError)', 'fail', { rejects: ValidationError }],
    ['is stopped while it works', 'hang', { rejects: /was stopped: its client went away/ }],
  ] as const) {
    it(`runs once, after the worker has exited, when the worker ${how}`, async () => {
      const c = counted();
      const stopped = new AbortController();
      const run = runInWorker<unknown>(WORKER, task(text), stopped.signal, c.cleanup, new TaskSlots(1, 1));
      if (text === 'hang') setTimeout(() => stopped.abort('its client went away'), 100);
      if ('resolves' in outcome) expect(await run).toEqual(outcome.resolves);
      else await expect(run).rejects.toThrow(outcome.rejects);
      // The answer comes before the worker is terminated: the folder must still be there.
      expect(c.calls).toBe(0);
      await c.called;
      await settle();
      expect(c.calls).toBe(1);
    });
  }

  it('gives its slot back once the worker has exited, not when it answered', async () => {
    const c = counted();
    const slots = new TaskSlots(1, 1);
    expect(await runInWorker<unknown>(WORKER, task('answer'), undefined, c.cleanup, slots)).toEqual({ read: 'answer.json' });
    // Answered, its worker not yet exited: the next task waits for the slot, and gets it only after the exit.
    const order: string[] = [];
    void c.called.then(() => order.push('exited'));
    const next = slots.acquire(undefined, 'evaluation').then((release) => {
      order.push('slot');
      release();
    });
    await next;
    expect(order).toEqual(['exited', 'slot']);
  });

  for (const [how, text, message] of [
    ['exits before answering', 'exit', 'the worker stopped (exit code 3) before answering'],
    ['throws an uncaught error', 'throw', 'the task worker broke'],
  ] as const) {
    it(`runs once when the worker ${how}`, async () => {
      const c = counted();
      await expect(runInWorker(WORKER, task(text), undefined, c.cleanup, new TaskSlots(1, 1))).rejects.toThrow(message);
      await c.called;
      await settle();
      expect(c.calls).toBe(1);
    });
  }

  it('a cleanup that throws (a folder made read-only meanwhile) still gives the slot back, and the answer stands', async () => {
    const slots = new TaskSlots(1, 0);
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args.join(' '));
    try {
      let thrown = false;
      const cleanup = () => {
        thrown = true;
        throw new Error("EACCES: permission denied, unlink 'x.tmp'");
      };
      expect(await runInWorker<unknown>(WORKER, task('answer'), undefined, cleanup, slots)).toEqual({ read: 'answer.json' });
      // Given back after the exit (the cleanup threw there): 0 may wait, so this is refused if it was not.
      await expect.poll(() => thrown).toBe(true);
      await settle();
      (await slots.acquire(undefined, 'evaluation'))();
      expect(warned).toEqual(["aisle: after the reading of the policy file: EACCES: permission denied, unlink 'x.tmp'"]);
    } finally {
      console.warn = warn;
    }
  });
});
