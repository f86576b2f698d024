// `aisle run`'s progress lines off a terminal (a log, CI) while another process holds the database:
// a run that ended while its writes waited says so once, its status last. The pool reports the
// wait over once everything waiting is written, after the runs' ends: their logs read
// "run 2 seed 0: cancelled" and then "run 2 seed 0: no longer waiting for the database", as if
// it still had something to write after it ended.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { showProgress } from '../../src/cli/run-progress';
import { DATABASE_WAIT_MESSAGE } from '../../src/main/jobs/pool-contract';
import type { Lab } from '../../src/main/lab';
import type { Experiment } from '../../src/engine/experiment';

const experiment = { name: 'toy', episodes: 100, seeds: [0, 1] } as unknown as Experiment;

const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
afterEach(() => {
  vi.restoreAllMocks();
  if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
});

describe('progress lines while the database is locked', () => {
  it('says a run no longer waits only while it goes on, not after its status said it ended', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const pool = new EventEmitter();
    showProgress({ pool } as unknown as Lab, [{ experimentId: 1, runIds: [1, 2], experiment, values: '' }]);
    for (const runId of [1, 2]) pool.emit('storeWaiting', { runId, message: DATABASE_WAIT_MESSAGE });
    // Run 2 ends (its end written once the lock is released); run 1 trains on; then the wait is over.
    pool.emit('status', { runId: 2, status: 'cancelled', summary: {} });
    for (const runId of [1, 2]) pool.emit('storeResumed', { runId });
    expect(lines.slice(1)).toEqual([
      `run 1 seed 0: ${DATABASE_WAIT_MESSAGE}\n`,
      `run 2 seed 1: ${DATABASE_WAIT_MESSAGE}\n`,
      'run 2 seed 1: cancelled\n',
      'run 1 seed 0: no longer waiting for the database\n',
    ]);
  });
});
