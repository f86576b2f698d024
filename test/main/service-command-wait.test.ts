// The app's commands wait for another process's write lock only briefly before answering Busy (the
// service answers every screen on one thread, which a waiting write stops); the CLI, in its own
// process, keeps the store's long wait.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/cli/context';
import { COMMAND_BUSY_TIMEOUT_MS } from '../../src/main/service';
import { BUSY_TIMEOUT_MS } from '../../src/main/store';
import { DATABASE_BUSY_MESSAGE } from '../../src/shared/dispatch';
import { cliff, openService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

let t: TestService | undefined;
let other: Database.Database | undefined;
afterEach(async () => {
  if (other?.inTransaction) other.exec('ROLLBACK');
  other?.close();
  await t?.close();
  t = other = undefined;
});

describe('how long a write waits for another process', () => {
  it('a command in the app waits the short command wait, then answers Busy; the store waits long again once the service closes', async () => {
    expect(COMMAND_BUSY_TIMEOUT_MS).toBeLessThan(BUSY_TIMEOUT_MS);
    t = openService(); // the store opened as the app opens it, with the long wait
    const store = t.store;
    expect(store.busyTimeoutMs).toBe(COMMAND_BUSY_TIMEOUT_MS);
    // The job pool's writes (made without waiting) leave the command wait as it was.
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    expect((await t.until(runIds)).map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(store.busyTimeoutMs).toBe(COMMAND_BUSY_TIMEOUT_MS);

    other = new Database(t.dbPath); // another process's connection
    other.exec('BEGIN IMMEDIATE');
    expect(await t.fail('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) })).toEqual({ name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE });
    expect(await t.fail('runs.delete', { ids: [...runIds] })).toEqual({ name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE });
    expect(store.busyTimeoutMs).toBe(COMMAND_BUSY_TIMEOUT_MS);
    other.exec('ROLLBACK');

    await t.service.close();
    expect(store.busyTimeoutMs).toBe(BUSY_TIMEOUT_MS); // the store's close (its runs marked interrupted) waits as long as before
  });

  it('a store opened with a shorter wait than the command wait keeps it', async () => {
    t = openService({ busyTimeoutMs: 50 });
    expect(t.store.busyTimeoutMs).toBe(50);
  });

  it('the CLI keeps the long wait: in its own process, waiting stops nothing else', () => {
    const store = openStore({ db: `${tempDir('aisle-cli-wait-')}/aisle.db` });
    try {
      expect(store.busyTimeoutMs).toBe(BUSY_TIMEOUT_MS);
    } finally {
      store.close();
    }
  });
});
