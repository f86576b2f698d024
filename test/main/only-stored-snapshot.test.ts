// Reads of several statements, run by another process's delete (`aisle delete` beside the app, on
// the same file in WAL) between two of them: each reads one snapshot (Store.snapshot), so the run
// is read whole, as it was before the delete, or found gone, never some of each. A delete between
// two statements made runs.metrics and compare.runs answer 404 though asked with onlyStored, and
// runs.get and qtables.get answer 404 without it for a run their first statement had found. The
// delete is made from a spy on one of the store's reads, on a connection of its own, the first
// time the handler calls it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/main/store/db';
import { Store } from '../../src/main/store';
import { runsCommand, showCommand } from '../../src/cli/inspect';
import { compareCommand } from '../../src/cli/compare';
import { qtableCommand } from '../../src/cli/qtable';
import { metricsCommand } from '../../src/cli/metrics';
import { WINDOW_EPISODES } from '../../src/main/metrics-csv';
import { cliff, finishedCliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let runIds: number[];
// Not tempDir's: it removes its folders after each test, and the database is shared by the file's
// tests (the service's connection kept the removed file, and another connection made a new one).
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'aisle-snapshot-'));
  t = openService({ workers: 1, dbPath: join(folder, 'aisle.db') });
  const launched = await t.call('experiments.launch', { experiment: cliff({ name: 'read while deleted', seeds: 16, episodes: 50, checkpoints: 3 }) });
  runIds = [...launched.runIds];
  await t.until(runIds);
});

afterAll(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  // No read left its transaction open: the pool's next write would have landed in it.
  expect(t.store.db.inTransaction).toBe(false);
});

/** A run of the experiment no test has used yet. */
function freshRun(): number {
  return runIds.shift()!;
}

/** Runs `sql` with `id` on a connection of its own, as another process (`aisle delete`) would. */
function elsewhere(sql: string, id: number): void {
  const other = openDatabase(t.dbPath);
  try {
    expect(other.prepare(sql).run(id).changes).toBe(1);
  } finally {
    other.close();
  }
}

type Read = 'getRunItem' | 'getRun' | 'listCheckpoints' | 'getCheckpoint' | 'storedRunIds' | 'metricNames' | 'experimentRuns' | 'experimentName' | 'readMetricRaw';

/**
 * The first call of `method` on the service's store (or, `on` Store.prototype, on any store: a
 * command's own) deletes run `id` elsewhere (or what `sql` deletes), then reads as it would have.
 */
function deleteRunAtFirst(method: Read, id: number, sql = 'DELETE FROM runs WHERE id = ?', on: Store = t.store): void {
  const original = on[method] as (...args: unknown[]) => unknown;
  vi.spyOn(on, method).mockImplementationOnce(function (this: Store, ...args: unknown[]) {
    elsewhere(sql, id);
    return original.apply(this, args);
  } as never);
}

/** What a command run in this process (`aisle …` on the service's database) printed; it must exit 0. */
function printed(command: () => number): string {
  const out: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => (out.push(String(text)), true));
  try {
    expect(command()).toBe(0);
  } finally {
    write.mockRestore();
  }
  return out.join('');
}

describe('runs.get and qtables.get (storedRead)', () => {
  it('a run deleted after the read began is read whole, as before the delete', async () => {
    const id = freshRun();
    const before = await t.call('runs.get', { id, onlyStored: true });
    expect(before.checkpoints.length).toBeGreaterThan(0);
    deleteRunAtFirst('listCheckpoints', id);
    expect(await t.call('runs.get', { id, onlyStored: true })).toEqual(before);
    // Gone for the next read.
    expect(await t.call('runs.get', { id, onlyStored: true })).toEqual({ runNotStored: id });
  });

  it('without onlyStored too: the run as it was (it answered 404 from a later statement)', async () => {
    const id = freshRun();
    const before = await t.call('runs.get', { id });
    deleteRunAtFirst('listCheckpoints', id);
    expect(await t.call('runs.get', { id })).toEqual(before);
    expect(await t.fail('runs.get', { id })).toMatchObject({ status: 404 });
  });

  it('a run deleted before the read began: RunNotStored, as before', async () => {
    const id = freshRun();
    deleteRunAtFirst('getRunItem', id);
    expect(await t.call('runs.get', { id, onlyStored: true })).toEqual({ runNotStored: id });
  });

  it('a Q-table whose run is deleted between its checkpoint list and the checkpoint: the table as it was', async () => {
    const id = freshRun();
    const table = await t.call('qtables.get', { runId: id });
    const checkpointId = table.checkpoints[0]!.id;
    const first = await t.call('qtables.get', { runId: id, checkpointId });
    deleteRunAtFirst('getCheckpoint', id);
    // It answered RunNotStored (and 404 without the flag), the run being found at its first statement.
    expect(await t.call('qtables.get', { runId: id, checkpointId, onlyStored: true })).toEqual(first);
    expect(await t.call('qtables.get', { runId: id, checkpointId, onlyStored: true })).toEqual({ runNotStored: id });
  });
});

describe('runs.metrics', () => {
  it('a run deleted between the question whether it is stored and its read: its curve as it was, not 404', async () => {
    const [kept, id] = [freshRun(), freshRun()];
    const asked = { runIds: [kept, id], metric: 'return', maxPoints: 20, onlyStored: true as const };
    const before = await t.call('runs.metrics', asked);
    expect(before.map((s) => s.runId)).toEqual([kept, id]);
    deleteRunAtFirst('metricNames', id);
    expect(await t.call('runs.metrics', asked)).toEqual(before);
    // Gone for the next read: left out.
    expect(await t.call('runs.metrics', asked)).toEqual([before[0]]);
  });

  it('a run deleted before the read began is left out, as before', async () => {
    const [kept, id] = [freshRun(), freshRun()];
    const asked = { runIds: [kept, id], metric: 'return', maxPoints: 20, onlyStored: true as const };
    const before = await t.call('runs.metrics', asked);
    deleteRunAtFirst('storedRunIds', id);
    expect(await t.call('runs.metrics', asked)).toEqual([before[0]]);
  });
});

describe('compare.runs with onlyStored', () => {
  const asked = { metric: 'return', withoutEpisodes: 'leaveOut' as const, unrecordedMetric: 'return' as const, onlyStored: true as const };

  it('a run deleted after its item was read: compared as it was, not 404 from its metric names', async () => {
    const [kept, id] = [freshRun(), freshRun()];
    const before = await t.call('compare.runs', { ...asked, runIds: [kept, id] });
    expect(before.groups.map((g) => g.runIds)).toEqual([[kept, id]]);
    deleteRunAtFirst('metricNames', id);
    expect(await t.call('compare.runs', { ...asked, runIds: [kept, id] })).toEqual(before);
    // Gone for the next read: left out and named.
    const after = await t.call('compare.runs', { ...asked, runIds: [kept, id] });
    expect(after.notStored).toEqual({ runIds: [id], experimentIds: [] });
    expect(after.groups.map((g) => g.runIds)).toEqual([[kept]]);
  });

  it("an experiment's run, or the experiment, deleted after the experiment was found: compared as it was", async () => {
    const launched = await t.call('experiments.launch', { experiment: cliff({ name: 'compared while deleted', seeds: 3, episodes: 50 }) });
    await t.until(launched.runIds);
    const second = launched.runIds[1]!;
    const experimentIds = [launched.experimentId];
    const before = await t.call('compare.runs', { ...asked, runIds: [], experimentIds });
    expect(before.groups.map((g) => g.runIds)).toEqual([launched.runIds]);
    // Its runs listed, then one of them deleted before its item is read: it answered 404.
    deleteRunAtFirst('getRunItem', second);
    expect(await t.call('compare.runs', { ...asked, runIds: [], experimentIds })).toEqual(before);
    // The experiment deleted whole once its name was read: it was compared without runs, none named gone.
    const rest = await t.call('compare.runs', { ...asked, runIds: [], experimentIds });
    deleteRunAtFirst('experimentRuns', launched.experimentId, 'DELETE FROM experiments WHERE id = ?');
    expect(await t.call('compare.runs', { ...asked, runIds: [], experimentIds })).toEqual(rest);
    expect(rest.groups.map((g) => g.runIds)).toEqual([launched.runIds.filter((r) => r !== second)]);
    expect(await t.call('compare.runs', { ...asked, runIds: [], experimentIds })).toMatchObject({ groups: [], notStored: { runIds: [], experimentIds } });
  });
});

describe('experiments.get and experiments.page', () => {
  it('an experiment deleted once its row was read: read with its runs, as before the delete (it had none)', async () => {
    const launched = await finishedCliff(t, 'read, then deleted', 2);
    const before = await t.call('experiments.get', { id: launched.experimentId });
    expect(before.runIds).toEqual(launched.runIds);
    deleteRunAtFirst('experimentRuns', launched.experimentId, 'DELETE FROM experiments WHERE id = ?');
    expect(await t.call('experiments.get', { id: launched.experimentId })).toEqual(before);
    expect(await t.fail('experiments.get', { id: launched.experimentId })).toMatchObject({ status: 404 });
  });

  it("an experiment deleted between the page's count and its rows: the page as before the delete (one short of its total)", async () => {
    const launched = await finishedCliff(t, 'listed, then deleted');
    const before = await t.call('experiments.page', {});
    expect(before.experiments.map((e) => e.id)).toContain(launched.experimentId);
    const listing = t.store['listing'];
    const rows = listing.experiments.bind(listing);
    vi.spyOn(listing, 'experiments').mockImplementationOnce((ids) => {
      elsewhere('DELETE FROM experiments WHERE id = ?', launched.experimentId);
      return rows(ids);
    });
    expect(await t.call('experiments.page', {})).toEqual(before);
    const after = await t.call('experiments.page', {});
    expect(after.total).toBe(before.total - 1);
    expect(after.experiments.map((e) => e.id)).not.toContain(launched.experimentId);
  });
});

describe('runs.list and runs.metricsCsv', () => {
  it("a run deleted between the list's count and its rows: the page as before the delete (one short of its total)", async () => {
    const id = freshRun();
    const before = await t.call('runs.list', {});
    expect(before.runs.map((r) => r.id)).toContain(id);
    // Listing.runs counts, then reads the page: the delete goes in as the page's statement is made.
    const listing = t.store['listing'] as unknown as { cached(sql: string): unknown };
    const statement = listing.cached.bind(listing);
    let deleted = false;
    vi.spyOn(listing, 'cached').mockImplementation((sql) => {
      if (!deleted && sql.includes(' AS page')) {
        deleted = true;
        elsewhere('DELETE FROM runs WHERE id = ?', id);
      }
      return statement(sql);
    });
    expect(await t.call('runs.list', {})).toEqual(before);
    expect(deleted).toBe(true);
    const after = await t.call('runs.list', {});
    expect(after.total).toBe(before.total - 1);
    expect(after.runs.map((r) => r.id)).not.toContain(id);
  });

  it('a run deleted before its values are read: its CSV as it was, not 404', async () => {
    const id = freshRun();
    const before = await t.call('runs.metricsCsv', { id });
    deleteRunAtFirst('readMetricRaw', id);
    expect(await t.call('runs.metricsCsv', { id })).toEqual(before);
    expect(await t.fail('runs.metricsCsv', { id })).toMatchObject({ status: 404 });
  });
});

describe('policies.evaluate', () => {
  it("a policy's run deleted after the policy was read: evaluated on that run's environment, not 404", async () => {
    const id = freshRun();
    const { policyId } = await t.call('policies.export', { runId: id });
    const asked = { policyId, episodes: 20, seed: 5 };
    const before = await t.call('policies.evaluate', asked);
    expect(before.environment).toBe(`run ${id}'s, the one it was trained on`);
    deleteRunAtFirst('getRun', id);
    expect(await t.call('policies.evaluate', asked)).toEqual(before);
    // The policy outlives its run: the next evaluation finds it without one.
    expect((await t.call('policies.evaluate', asked)).environment).not.toBe(before.environment);
  });
});

describe('aisle runs beside the app', () => {
  const listed = () => printed(() => runsCommand({ db: t.dbPath }));

  it("an experiment deleted between the page's read and its name's: the list as it was, not 'does not exist'", async () => {
    const launched = await finishedCliff(t, 'listed by the command');
    const before = listed();
    expect(before).toContain('listed by the command');
    deleteRunAtFirst('experimentName', launched.experimentId, 'DELETE FROM experiments WHERE id = ?', Store.prototype);
    expect(listed()).toBe(before);
    expect(listed()).not.toContain('listed by the command');
  });
});

describe('aisle show beside the app', () => {
  const shown = (id: number): unknown => JSON.parse(printed(() => showCommand(id, { db: t.dbPath, json: true })));

  it('a run deleted after the show began is shown whole, as before the delete (it said "does not exist" halfway)', () => {
    const id = freshRun();
    const before = shown(id) as { checkpoints: unknown[]; trainingMs: unknown };
    expect(before.checkpoints.length).toBeGreaterThan(0);
    // The command's own store (another connection): the delete goes in as it lists the checkpoints.
    deleteRunAtFirst('listCheckpoints', id, undefined, Store.prototype);
    expect(shown(id)).toEqual(before);
    expect(() => showCommand(id, { db: t.dbPath, json: true })).toThrow(`run ${id} does not exist`);
  });
});

describe('aisle compare beside the app', () => {
  const compared = (experimentId: number): unknown => JSON.parse(printed(() => compareCommand([experimentId], { db: t.dbPath, json: true })));

  it("a run deleted between its experiment's listing and its own read: compared as it was, not 'does not exist' halfway", async () => {
    const launched = await finishedCliff(t, 'compared by the command', 3);
    const before = compared(launched.experimentId);
    deleteRunAtFirst('getRunItem', launched.runIds[2]!, undefined, Store.prototype);
    expect(compared(launched.experimentId)).toEqual(before);
    expect(compared(launched.experimentId)).not.toEqual(before);
  });
});

describe('aisle qtable beside the app', () => {
  const table = (runId: number): unknown => JSON.parse(printed(() => qtableCommand(runId, { db: t.dbPath, json: true })));

  it("a run deleted between its checkpoints' listing and the table's read: the table as it was", () => {
    const id = freshRun();
    const before = table(id);
    deleteRunAtFirst('getCheckpoint', id, undefined, Store.prototype);
    expect(table(id)).toEqual(before);
    expect(() => qtableCommand(id, { db: t.dbPath, json: true })).toThrow(`run ${id} does not exist`);
  });
});

describe('Store.snapshot', () => {
  it('reads one snapshot: a delete committed elsewhere meanwhile is not seen until it ends', () => {
    const id = freshRun();
    const seen = t.store.snapshot(() => {
      t.store.getRunItem(id);
      elsewhere('DELETE FROM runs WHERE id = ?', id);
      return t.store.storedRunIds([id]);
    });
    expect(seen).toEqual([id]);
    expect(t.store.storedRunIds([id])).toEqual([]);
  });

  it('inside a transaction runs in it; a read that throws, or is async, leaves none open', () => {
    expect(t.store.transaction(() => t.store.snapshot(() => t.store.db.inTransaction))).toBe(true);
    expect(() =>
      t.store.snapshot(() => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(t.store.db.inTransaction).toBe(false);
    // An await would keep the transaction open across it: refused (better-sqlite3), rolled back.
    expect(() => t.store.snapshot(async () => 1)).toThrow('cannot return a promise');
  });
});

// The app's Metrics CSV (the desktop save, the browser download) and `aisle metrics` read a run's
// values a window of episodes at a time, with awaits between (the file, the client, a pipe): a run
// deleted by another process meanwhile ended them half-way with its 404. Each now reads one
// snapshot, held from its first piece to its last: the whole file, as the run was.
describe('streamed metrics: a run deleted mid-stream', () => {
  /** Runs of more episodes than a window holds, so that their values are read in two windows or more: the first for `aisle metrics`, the others for the app's. */
  let long: number;
  let others: number[];
  let whole: string;
  beforeAll(async () => {
    const launched = await t.call('experiments.launch', {
      experiment: { format: 'aisle.experiment/v1', name: 'streamed while deleted', env: { id: 'seed-toy', stepsPerEpisode: 10 }, agent: { id: 'q-learning' }, episodes: WINDOW_EPISODES + 5000, seeds: 4 },
    });
    await t.until(launched.runIds);
    [long, ...others] = launched.runIds as [number, ...number[]];
    whole = (await t.call('runs.metricsCsv', { id: long })).text;
    expect(whole.split('\n').length).toBe(WINDOW_EPISODES + 5000 + 2);
  });

  const longRun = (): number => others.shift()!;

  it("the app's Metrics CSV: the whole file, as an undisturbed one, though deleted after its first window", async () => {
    const id = longRun();
    const undisturbed = [...t.service.metricsCsv(id).pieces].join('');
    expect(undisturbed).toBe((await t.call('runs.metricsCsv', { id })).text);
    const pieces: string[] = [];
    for (const piece of t.service.metricsCsv(id).pieces) {
      pieces.push(piece);
      // The header, then a piece of the first window: the run goes before the second is read.
      if (pieces.length === 2) elsewhere('DELETE FROM runs WHERE id = ?', id);
      await new Promise((r) => setImmediate(r)); // as a writer awaits its file
    }
    expect(pieces.join('')).toBe(undisturbed);
    // Gone for the next one: 404, before any piece.
    expect(() => t.service.metricsCsv(id)).toThrow(`run ${id} does not exist`);
  });

  it('a stream given up half-way (a client gone) ends its snapshot: the log is checkpointed back whole after', () => {
    const id = longRun();
    /** A checkpoint from a connection of its own: how many frames of the log it copied back, of how many. */
    const checkpoint = (): { log: number; checkpointed: number } => {
      const other = openDatabase(t.dbPath);
      try {
        return (other.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0]!;
      } finally {
        other.close();
      }
    };
    for (const piece of t.service.metricsCsv(id).pieces) {
      expect(piece).not.toBe('');
      elsewhere('DELETE FROM runs WHERE id = ?', id);
      // Held: the delete's pages stay in the log past the snapshot.
      const held = checkpoint();
      expect(held.checkpointed).toBeLessThan(held.log);
      break;
    }
    const after = checkpoint();
    expect(after.checkpointed).toBe(after.log);
  });

  it('a run deleted before the first piece is read (the save dialog open): 404 there, nothing written', () => {
    const id = longRun();
    const csv = t.service.metricsCsv(id);
    elsewhere('DELETE FROM runs WHERE id = ?', id);
    const pieces = csv.pieces[Symbol.iterator]();
    expect(() => pieces.next()).toThrow(`run ${id} does not exist`);
  });

  it('aisle metrics to standard output: the whole CSV, though the run is deleted after its first window', async () => {
    const id = long;
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      out.push(String(text));
      if (out.length === 2) elsewhere('DELETE FROM runs WHERE id = ?', id);
      return true;
    });
    try {
      expect(await metricsCommand(id, { db: t.dbPath })).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(out.join('')).toBe(whole);
  });
});
