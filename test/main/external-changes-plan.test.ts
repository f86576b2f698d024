// The look at other processes' changes (external-changes.ts) reads the runs that can have changed by
// their ids and the status index, not by a scan of every run's row, and finds what the plain WHERE
// id > ? OR status IN (queued, running) OR id IN (seen) finds.
import { describe, expect, it } from 'vitest';
import { CANDIDATE_RUNS } from '../../src/main/service/external-changes';
import { Store } from '../../src/main/store';

const HASH = 'a'.repeat(64);
const STATUSES = ['completed', 'queued', 'running', 'failed', 'cancelled', 'interrupted', 'paused'];

function filled(): Store {
  const store = Store.open(':memory:');
  store.db.exec(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (1, 'e', '{}', '${HASH}', 0)`);
  const insert = store.db.prepare(`INSERT INTO runs (id, experiment_id, seed, status, config, config_hash, app_version, episodes_total, episodes_done, created_at)
                                   VALUES (?, 1, ?, ?, '{}', '${HASH}', 'test', 10, ?, 0)`);
  store.transaction(() => {
    for (let id = 1; id <= 300; id++) insert.run(id, id, STATUSES[(id * 7) % 11 < 7 ? (id * 7) % 11 : 0], id % 10);
  });
  return store;
}

describe('the runs a look at external changes reads', () => {
  it('are found by id and status index, never by scanning the runs', () => {
    const store = filled();
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${CANDIDATE_RUNS}`).all(250, '[3, 40]') as { detail: string }[]).map((p) => p.detail);
    expect(plan.filter((d) => /\bSCAN runs\b/.test(d))).toEqual([]);
    expect(plan).toEqual(expect.arrayContaining(['SEARCH runs USING INTEGER PRIMARY KEY (rowid>?)', 'SEARCH runs USING INDEX runs_by_status (status=?)']));
    store.close();
  });

  it('are the new runs, the queued and running ones, and those seen before, each once, by id', () => {
    const store = filled();
    const plain = store.db.prepare(`SELECT id, experiment_id, status, episodes_done, episodes_total FROM runs
      WHERE id > ? OR status IN ('queued', 'running') OR id IN (SELECT value FROM json_each(?)) ORDER BY id`);
    const candidates = store.db.prepare(CANDIDATE_RUNS);
    for (const [last, seen] of [[300, '[]'], [250, '[3, 40, 260, 999]'], [0, '[]'], [120, '[1, 2, 2]']] as const) {
      const found = candidates.all(last, seen);
      expect(found, `${last} ${seen}`).toEqual(plain.all(last, seen));
      expect(new Set(found.map((r) => (r as { id: number }).id)).size).toBe(found.length);
    }
    expect(candidates.all(300, '[]').length).toBeGreaterThan(0); // queued and running runs among the 300
    store.close();
  });
});
