// Commands that write while another process (`aisle run`, `aisle serve` deleting a large experiment)
// holds the database's write lock past the busy timeout: one message saying so and to try again,
// not SQLite's "database is locked", and nothing written.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_BUSY_MESSAGE } from '../../src/shared/dispatch';
import { tabularPolicy } from '../helpers/policy';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let other: Database.Database;
beforeEach(() => {
  t = openService({ busyTimeoutMs: 50 });
  other = new Database(t.dbPath); // another process's connection
});
afterEach(async () => {
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  await t.close();
});

describe('writing while another process holds the database', () => {
  it('reading answers meanwhile: lists, a run, its metrics (WAL readers take no lock)', async () => {
    const { experimentId, runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    await t.until(runIds);
    other.exec('BEGIN IMMEDIATE');
    expect((await t.call('runs.list', {})).runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    expect(await t.call('runs.get', { id: runIds[0]! })).toMatchObject({ id: runIds[0], status: 'completed', episodesDone: 20 });
    expect((await t.call('runs.metrics', { runIds: [...runIds], metric: 'return', maxPoints: 100 })).map((s) => s.total)).toEqual([20, 20]);
    expect((await t.call('experiments.list', {})).map((e) => e.id)).toEqual([experimentId]);
    expect((await t.call('experiments.get', { id: experimentId })).runIds).toEqual(runIds);
  });

  it('launching says another Aisle process is writing and to try again, and records nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    const error = await t.fail('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    expect(error).toEqual({ name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE });
    expect(error.message).toMatch(/another Aisle process .* is writing to the database .*try again/);
    other.exec('ROLLBACK');
    expect(await t.call('experiments.list', {})).toEqual([]);
    // Once it is done, the same launch goes through.
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    expect((await t.until(runIds)).map((s) => s.status)).toEqual(['completed', 'completed']);
  });

  it('deleting an experiment says the same, and leaves it whole', async () => {
    const { experimentId, runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    await t.until(runIds);
    other.exec('BEGIN IMMEDIATE');
    expect(await t.fail('experiments.delete', { id: experimentId })).toEqual({ name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE });
    other.exec('ROLLBACK');
    expect((await t.call('experiments.get', { id: experimentId })).runIds).toEqual(runIds);
  });

  it('importing a policy and deleting runs say the same, and store or delete nothing', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    await t.until(runIds);
    other.exec('BEGIN IMMEDIATE');
    const text = JSON.stringify(tabularPolicy());
    const busy = { name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE };
    expect(await t.fail('policies.import', { text, fileName: 'mine.json' })).toEqual(busy);
    expect(await t.fail('runs.delete', { ids: runIds })).toEqual(busy);
    other.exec('ROLLBACK');
    expect(await t.call('policies.list', {})).toEqual([]);
    expect((await t.call('runs.list', {})).runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    expect(await t.call('policies.import', { text, fileName: 'mine.json' })).toMatchObject({ ok: true, alreadyStored: false });
  });

  it('deleting runs or an experiment that commits just before another process takes the lock says it is done, not Busy', async () => {
    const { experimentId, runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 2 }) });
    await t.until(runIds);
    // The other process takes the lock right after the delete commits, before the store gives the
    // freed pages back (which is then left for later).
    const exec = t.store.db.exec.bind(t.store.db);
    const spy = vi.spyOn(t.store.db, 'exec').mockImplementation((sql) => {
      if (sql.includes('incremental_vacuum') && !other.inTransaction) other.exec('BEGIN IMMEDIATE');
      return exec(sql);
    });
    expect(await t.call('runs.delete', { ids: [runIds[0]!] })).toEqual({ deleted: [runIds[0]] });
    other.exec('ROLLBACK');
    expect(await t.call('experiments.delete', { id: experimentId })).toEqual({ deleted: experimentId });
    other.exec('ROLLBACK');
    spy.mockRestore();
    expect(await t.call('experiments.list', {})).toEqual([]);
  });

  it('deleting several runs is all or nothing: another process taking the lock right after a commit leaves none half-deleted', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 3 }) });
    await t.until(runIds);
    // The other process takes the lock as soon as it can: right after the store's first commit.
    const exec = t.store.db.exec.bind(t.store.db);
    const spy = vi.spyOn(t.store.db, 'exec').mockImplementation((sql) => {
      const db = exec(sql);
      if (!other.inTransaction) other.exec('BEGIN IMMEDIATE');
      return db;
    });
    expect(await t.call('runs.delete', { ids: [...runIds] })).toEqual({ deleted: runIds });
    spy.mockRestore();
    other.exec('ROLLBACK');
    expect((await t.call('runs.list', {})).runs).toEqual([]);
    // With the lock held from the start: one Busy answer, and every run still there.
    const again = await t.call('experiments.launch', { experiment: cliff({ episodes: 20, seeds: 3 }) });
    await t.until(again.runIds);
    other.exec('BEGIN IMMEDIATE');
    expect(await t.fail('runs.delete', { ids: [...again.runIds] })).toEqual({ name: 'Busy', status: 503, message: DATABASE_BUSY_MESSAGE });
    other.exec('ROLLBACK');
    expect((await t.call('runs.list', {})).runs.map((r) => r.id).sort()).toEqual([...again.runIds].sort());
  });

  it('pushes run.storage and answers runs.waitingForDatabase: the run waits while the lock holds its results up, and no longer once they are written', async () => {
    // The other process starts a long write as the run starts: every result of the run waits.
    t.service.on((event, payload) => {
      if (event === 'run.status' && (payload as { status: string }).status === 'running') other.exec('BEGIN IMMEDIATE');
    });
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 3000, seeds: 1 }) });
    const runId = runIds[0]!;
    const storage = () => t.events.filter((e) => e.event === 'run.storage').map((e) => e.payload);
    // After about a second it says so.
    await vi.waitFor(() => expect(storage()).toEqual([{ runId, waiting: true }]), { timeout: 30_000 });
    // A page opened meanwhile asks which runs wait.
    expect(await t.call('runs.waitingForDatabase', {})).toEqual([{ runId }]);
    other.exec('ROLLBACK');
    expect((await t.until(runIds)).map((s) => s.status)).toEqual(['completed']);
    expect(storage()).toEqual([
      { runId, waiting: true },
      { runId, waiting: false },
    ]);
    expect(await t.call('runs.waitingForDatabase', {})).toEqual([]);
    expect((await t.call('runs.get', { id: runId })).episodesDone).toBe(3000);
  });
});
