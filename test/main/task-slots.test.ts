/** TaskSlots (run-in-worker.ts): how many tasks in worker threads run at once, wait, or are refused. */
import { describe, expect, it } from 'vitest';
import { TaskSlots } from '../../src/main/jobs/run-in-worker';
import { ContractFailure } from '../../src/shared/dispatch';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TaskSlots', () => {
  it('runs `size` at once, queues `waiting` more in order, refuses beyond with 503, and starts the next as one ends', async () => {
    const slots = new TaskSlots(2, 2);
    const a = await slots.acquire(undefined, 'evaluation');
    const b = await slots.acquire(undefined, 'evaluation');
    const started: string[] = [];
    const c = slots.acquire(undefined, 'evaluation').then((release) => (started.push('c'), release));
    const d = slots.acquire(undefined, 'evaluation').then((release) => (started.push('d'), release));
    const refused = await slots.acquire(undefined, 'evaluation').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ContractFailure);
    expect(refused).toMatchObject({ status: 503, name: 'Busy', message: 'too many tasks at once (2 running, 2 waiting): the evaluation was not started; try it again when some have finished' });
    // The slots are shared: a refused import is named as one, not as an evaluation.
    const refusedImport = await slots.acquire(undefined, 'import of the results file').catch((e: unknown) => e);
    expect(refusedImport).toMatchObject({ status: 503, message: 'too many tasks at once (2 running, 2 waiting): the import of the results file was not started; try it again when some have finished' });
    await tick();
    expect(started).toEqual([]);
    a();
    a(); // a second release of the same slot does nothing
    await tick();
    expect(started).toEqual(['c']);
    b();
    await tick();
    expect(started).toEqual(['c', 'd']);
    (await c)();
    (await d)();
    // All free again: two start at once.
    await slots.acquire(undefined, 'evaluation');
    await slots.acquire(undefined, 'evaluation');
  });

  it('drops a waiting task whose signal aborts, with its reason, and gives its place to the next', async () => {
    const slots = new TaskSlots(1, 5);
    const first = await slots.acquire(undefined, 'evaluation');
    const gone = new AbortController();
    const abandoned = slots.acquire(gone.signal, 'evaluation').catch((e: unknown) => e);
    let next = false;
    const later = slots.acquire(undefined, 'evaluation').then((release) => ((next = true), release));
    gone.abort('its client went away');
    expect(((await abandoned) as Error).message).toBe('the evaluation was stopped: its client went away');
    first();
    (await later)();
    expect(next).toBe(true);
  });
});
