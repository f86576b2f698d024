// A database whose stored metric was damaged on disk, through the contract the app's screens use:
// the chart that reads it says the file is damaged and to restore it, not an "internal error" with
// SQLite's words; what the damage does not touch still reads.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_DAMAGED_MESSAGE } from '../../src/shared/dispatch';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService();
});
afterEach(async () => {
  await t.close();
});

describe('a run whose stored metric was damaged on disk', () => {
  it('reads as damaged where its values are read, naming them; the run still opens and lists, other runs read', async () => {
    const { runIds } = await t.call('experiments.launch', { experiment: cliff({ episodes: 50, seeds: 2 }) });
    await t.until(runIds);
    const [damaged, intact] = runIds as [number, number];
    const other = new Database(t.dbPath); // a failing disk's doing, as another connection
    const where = `series_id = (SELECT id FROM metric_series WHERE run_id = ${damaged} AND name = 'return')`;
    const data = other.prepare(`SELECT data FROM metric_chunks WHERE ${where}`).pluck().get() as Buffer;
    data.fill(0x7f, 40, 80);
    other.prepare(`UPDATE metric_chunks SET data = ? WHERE ${where}`).run(data);
    other.close();

    const error = await t.fail('runs.metrics', { runIds: [damaged], metric: 'return', maxPoints: 100 });
    expect(error).toEqual({
      name: 'Damaged',
      status: 500,
      message: `${DATABASE_DAMAGED_MESSAGE} (run ${damaged}'s metric "return", episodes 0–49: the stored values do not match the summary stored beside them)`,
    });
    expect((await t.call('runs.metrics', { runIds: [intact], metric: 'return', maxPoints: 100 }))[0]!.total).toBe(50);
    // The run still opens, with the summary it wrote when it finished, and is listed.
    expect(await t.call('runs.get', { id: damaged })).toMatchObject({ status: 'completed', summarySoFar: false });
    expect((await t.call('runs.list', {})).runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
  });
});
