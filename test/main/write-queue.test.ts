// The job pool's write queue on a pretend database: writes refused as locked wait in order and are
// retried with backoff, each written once, and said to wait only past a short while; another
// refusal fails only its run; a lock held past the give-up time fails the runs waiting; a large
// backlog says so until half of it is written; no write waits out the busy timeout.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WriteQueue, type QueuedWrite, type WriteQueueOptions } from '../../src/main/jobs/write-queue';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** A database that refuses writes while `locked`, and one run's writes while `refuse` says so. */
function pretend(options: Partial<WriteQueueOptions> = {}) {
  const db = { locked: false, refuse: undefined as number | undefined, written: [] as string[], attempts: [] as number[] };
  const hooks = { waiting: 0, resumed: 0, full: [] as boolean[], failed: [] as string[] };
  const queue = new WriteQueue(
    {
      retryMs: { first: 10, most: 40 },
      giveUpMs: 1000,
      reportAfterMs: 25,
      maxBacklogBytes: 1000,
      withoutWaiting: (write) => write(),
      now: () => Date.now(),
      ...options,
    },
    {
      waiting: () => void hooks.waiting++,
      resumed: () => void hooks.resumed++,
      full: (f) => void hooks.full.push(f),
      failed: (runId, error) => void hooks.failed.push(`${runId}: ${error.message}`),
    },
  );
  const write = (runId: number, what: string, bytes = 0, done?: () => void): QueuedWrite => ({
    runId,
    bytes,
    write: () => {
      db.attempts.push(Date.now());
      if (db.refuse === runId) throw full();
      if (db.locked) throw busy();
      db.written.push(what);
    },
    ...(done ? { done } : {}),
  });
  return { db, hooks, queue, write };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WriteQueue', () => {
  it('writes at once while the database is free', () => {
    const { db, hooks, queue, write } = pretend();
    const done: string[] = [];
    queue.write(write(1, 'a', 0, () => done.push('a')));
    expect(db.written).toEqual(['a']);
    expect(done).toEqual(['a']);
    expect(hooks).toMatchObject({ waiting: 0, resumed: 0 });
  });

  it('keeps the writes a lock holds up, in order, and writes each once when it is released, retrying at growing intervals', () => {
    const { db, hooks, queue, write } = pretend();
    const done: string[] = [];
    db.locked = true;
    for (const [runId, what] of [[1, 'a'], [2, 'b'], [1, 'c']] as const) queue.write(write(runId, what, 0, () => done.push(what)));
    // Not said yet: a normal commit of another process is over by the first retry or two.
    expect(hooks.waiting).toBe(0);
    expect(queue.held).toBe(false);
    vi.advanceTimersByTime(10);
    expect(hooks.waiting).toBe(0);
    vi.advanceTimersByTime(20);
    expect(hooks.waiting).toBe(1); // refused again 30 ms on: past reportAfterMs
    expect(queue.held).toBe(true);
    vi.advanceTimersByTime(170);
    // The first try, then 10, 20, 40, 40 … ms apart (only the first write is tried while locked).
    expect(db.attempts.slice(0, 6)).toEqual([0, 10, 30, 70, 110, 150]);
    db.locked = false;
    vi.advanceTimersByTime(40);
    expect(db.written).toEqual(['a', 'b', 'c']);
    expect(done).toEqual(['a', 'b', 'c']);
    expect(hooks).toMatchObject({ waiting: 1, resumed: 1, failed: [] });
    expect(queue.held).toBe(false);
    queue.write(write(2, 'd'));
    expect(db.written).toEqual(['a', 'b', 'c', 'd']); // free again: at once
  });

  it('fails only the run whose write is refused for another reason, dropping its other writes', () => {
    const { db, hooks, queue, write } = pretend();
    db.locked = true;
    for (const [runId, what] of [[1, 'a'], [2, 'b'], [1, 'c'], [2, 'd']] as const) queue.write(write(runId, what));
    vi.advanceTimersByTime(30); // said to wait
    db.locked = false;
    db.refuse = 1; // the disk filled up meanwhile, and run 1's batch no longer fits
    vi.advanceTimersByTime(40);
    expect(hooks.failed).toEqual(['1: database or disk is full']);
    expect(db.written).toEqual(['b', 'd']);
    expect(hooks.resumed).toBe(1);
  });

  it('fails every run waiting once the lock has been held past the give-up time', () => {
    const { db, hooks, queue, write } = pretend({ giveUpMs: 500 });
    db.locked = true;
    queue.write(write(1, 'a'));
    queue.write(write(2, 'b'));
    vi.advanceTimersByTime(480);
    expect(hooks.failed).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(hooks.failed).toEqual(['1: the database was locked by another process for over 0.5 s', '2: the database was locked by another process for over 0.5 s']);
    expect(queue.held).toBe(false);
    db.locked = false;
    vi.advanceTimersByTime(1000);
    expect(db.written).toEqual([]); // dropped, not written late
  });

  it('says the backlog is full past the limit, and no longer once half of it is written', () => {
    const { db, hooks, queue, write } = pretend({ maxBacklogBytes: 100 });
    db.locked = true;
    queue.write(write(1, 'a', 60));
    expect(hooks.full).toEqual([]);
    queue.write(write(1, 'b', 60));
    queue.write(write(1, 'c', 60));
    expect(hooks.full).toEqual([true]);
    db.locked = false;
    vi.advanceTimersByTime(10);
    expect(hooks.full).toEqual([true, false]);
    expect(db.written).toEqual(['a', 'b', 'c']);
  });

  it('a lock released before the first retry is not said, and its write goes through then', () => {
    const { db, hooks, queue, write } = pretend();
    db.locked = true;
    queue.write(write(1, 'a'));
    queue.write(write(1, 'b'));
    expect(db.attempts).toHaveLength(1); // the second waits behind the first, untried
    db.locked = false;
    vi.advanceTimersByTime(10);
    expect(db.written).toEqual(['a', 'b']);
    expect(hooks).toMatchObject({ waiting: 0, resumed: 0, failed: [] });
  });

  it('every write runs without the busy timeout, the first try as well as the retries', () => {
    const calls: string[] = [];
    const { db, queue, write } = pretend({
      withoutWaiting: (w) => {
        calls.push('withoutWaiting');
        w();
      },
    });
    db.locked = true;
    queue.write(write(1, 'a'));
    expect(calls).toEqual(['withoutWaiting']); // the main thread does not wait for the lock even once
    db.locked = false;
    vi.advanceTimersByTime(10);
    expect(calls).toEqual(['withoutWaiting', 'withoutWaiting']);
    queue.write(write(1, 'b'));
    expect(calls).toHaveLength(3);
    expect(db.written).toEqual(['a', 'b']);
  });
});
