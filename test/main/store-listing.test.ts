// Migrations 2, 3 and 7 and the run listing: a version-1 file keeps its runs and policies (ids,
// sequence) and gains listing columns; a version-6 file's index gains episodes_total (and
// migration 12's training time is tested with the other migrations, in store.test.ts); the paged,
// searched, sorted list matches a plain recomputation; and the listing queries read the covering
// index, never the runs' rows.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, Store, migrate, type RunListItem, type RunListSort } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';
import { searchFold } from '../../src/shared/search-fold';

const HASH = 'c'.repeat(64);

/** A database file at an older schema version, holding experiment 1 ("old"). */
function fileAt(version: number): { path: string; db: Database.Database } {
  const path = join(tempDir(), `v${version}.db`);
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, version));
  db.prepare(`INSERT INTO experiments (name, config, config_hash, created_at) VALUES ('old', '{}', ?, 1)`).run(HASH);
  return { path, db };
}

describe('migrations 2 and 3', () => {
  it('add listing columns to existing runs and rebuild policies, keeping ids and the sequence', () => {
    const { path, db } = fileAt(1);
    const config = JSON.stringify({ env: { id: 'tabular-mdp', mdp: { big: true } }, agent: { id: 'sarsa' }, episodes: 5, seed: 0 });
    db.prepare(`INSERT INTO runs (experiment_id, seed, status, config, config_hash, app_version, episodes_total, created_at, summary)
                VALUES (1, 0, 'completed', ?, ?, '0.1.0', 5, 2, '{"return":{"mean":1,"last100":-13}}')`).run(config, HASH);
    const policy = JSON.stringify({ env: { id: 'tabular-mdp' }, states: ['a', 'b'], actions: ['x'] });
    for (const name of ['one', 'two', 'three']) {
      db.prepare(`INSERT INTO policies (run_id, name, json, created_at) VALUES (1, ?, ?, 3)`).run(name, policy);
    }
    db.prepare(`DELETE FROM policies WHERE id = 3`).run();
    db.close();

    const store = Store.open(path);
    expect(store.getRunItem(1)).toMatchObject({ envId: 'tabular-mdp', agentId: 'sarsa', returnLast100: -13, experimentName: 'old' });
    // A stored column (hidden 0), not a generated one: finishing a run writes it.
    const columns = store.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo('runs')`).all() as { name: string; hidden: number }[];
    expect(columns.find((c) => c.name === 'return_last100')).toEqual({ name: 'return_last100', hidden: 0 });
    expect(store.listPolicies()).toEqual([
      { id: 1, runId: 1, origin: 'export', name: 'one', envId: 'tabular-mdp', kind: 'tabular', states: 2, actions: 1, createdAt: 3 },
      { id: 2, runId: 1, origin: 'export', name: 'two', envId: 'tabular-mdp', kind: 'tabular', states: 2, actions: 1, createdAt: 3 },
    ]);
    // Id 3 was used before the rebuild: it is never handed out again.
    expect(store.savePolicy({ origin: 'import', json: policy })).toBe(4);
    expect(store.getPolicy(4)).toMatchObject({ runId: null, origin: 'import', envId: 'tabular-mdp', states: 2, actions: 1 });
    store.deleteRuns([1]);
    expect(store.listPolicies().map((p) => p.runId)).toEqual([null, null, null]);
    store.deletePolicy(4);
    expect(() => store.deletePolicy(4)).toThrow('policy 4 does not exist');
    store.close();
  });
});

describe('migration 7', () => {
  it('puts episodes_total in runs_listing, and progress sorts by the fraction done', () => {
    const { path, db } = fileAt(6);
    const insert = db.prepare(`INSERT INTO runs (experiment_id, seed, status, config, config_hash, app_version, episodes_total, episodes_done, created_at)
                               VALUES (1, 0, ?, '{}', ?, '0.1.0', ?, ?, 2)`);
    insert.run('running', HASH, 100_000, 50_000); // 1: half done, most episodes
    insert.run('completed', HASH, 500, 500); // 2: all done
    insert.run('running', HASH, 10, 1); // 3: a tenth
    insert.run('running', HASH, 1000, 500); // 4: half, as run 1
    db.close();

    const store = Store.open(path);
    const columns = store.db.prepare(`SELECT name FROM pragma_index_info('runs_listing')`).pluck().all() as string[];
    expect(columns).toContain('episodes_total');
    const order = (descending: boolean) => store.listRunItems({ sort: 'episodesDone', descending }).runs.map((r) => r.id);
    expect(order(true)).toEqual([2, 4, 1, 3]);
    expect(order(false)).toEqual([3, 1, 4, 2]);
    store.close();
  });
});

describe('run listing', () => {
  /** 3 experiments × 400 runs in mixed states, and the rows to check the list against. */
  function fill(store: Store): RunListItem[] {
    const specs = [
      // Neither names (capitals after small letters) nor agents nor environments sort as ids do.
      { name: 'cliff alpha', env: 'tabular-mdp', agent: 'sarsa' },
      { name: 'Toy sweep', env: 'seed-toy', agent: 'q-learning' },
      { name: 'Bandit 100%_done', env: 'bandit-testbed', agent: 'ucb1' },
    ];
    for (const spec of specs) {
      const runs = Array.from({ length: 400 }, (_, seed) => ({
        seed,
        config: { env: { id: spec.env }, agent: { id: spec.agent }, episodes: 10, seed },
        configHash: HASH,
        appVersion: 'test',
        episodesTotal: 10,
      }));
      store.createExperimentWithRuns({ name: spec.name, config: {}, configHash: HASH, runs });
    }
    // Statuses, start times, progress and summaries without the lifecycle's cost (ties on purpose;
    // totals of 10 to 50 episodes, so the most episodes done is not the largest fraction).
    store.db.exec(`
      UPDATE runs SET status = CASE id % 4 WHEN 0 THEN 'completed' WHEN 1 THEN 'running' WHEN 2 THEN 'failed' ELSE 'queued' END,
                      started_at = CASE WHEN id % 4 = 3 THEN NULL ELSE 1000 + (id * 7) % 50 END,
                      finished_at = CASE WHEN id % 4 IN (0, 2) THEN 1000 + (id * 7) % 50 + (id * 13) % 90 END,
                      episodes_total = 10 * (1 + id % 5),
                      episodes_done = (id * 3) % (10 * (1 + id % 5) + 1),
                      summary = CASE WHEN id % 4 = 0 THEN json_object('return', json_object('mean', 0, 'last100', (id * 37) % 101 - 50.5)) END;
      UPDATE runs SET return_last100 = json_extract(summary, '$.return.last100');
      -- Training times that do not follow start and end (runs paused a while), ties on purpose;
      -- a running run's counts on from its last batch.
      UPDATE runs SET active_ms = CASE WHEN started_at IS NOT NULL THEN (id * 11) % 70 END,
                      progress_at = CASE WHEN started_at IS NOT NULL THEN started_at + (id * 5) % 30 END;`);
    // Checkpoints for every fifth run: a Q-table for those whose id is also a multiple of 3, else a network's weights.
    store.db.exec(`
      INSERT INTO checkpoints (run_id, episode, kind, shape, created_at, data)
      SELECT id, 0, CASE WHEN id % 3 = 0 THEN 'qtable' ELSE 'weights' END, '[1, 1]', 0, zeroblob(8) FROM runs WHERE id % 5 = 0;`);
    return Array.from({ length: 1200 }, (_, i) => store.getRunItem(i + 1));
  }

  const NOW = Date.now(); // one clock for every comparison (only the order of the runs counts)
  const key: Record<RunListSort, (r: RunListItem) => number | string | null> = {
    id: (r) => r.id,
    createdAt: (r) => r.createdAt,
    startedAt: (r) => r.startedAt,
    finishedAt: (r) => r.finishedAt,
    episodesDone: (r) => r.episodesDone / r.episodesTotal,
    status: (r) => r.status,
    returnLast100: (r) => r.returnLast100,
    seed: (r) => r.seed,
    // Training time; a run still going counts until now (SQLite's clock): longer than any stopped one here.
    elapsed: (r) => (r.activeMs === null ? null : r.activeAt === null ? r.activeMs : r.activeMs + NOW - r.activeAt),
    // Folded as the search folds it (aisle_fold: any script's case, accents aside).
    experiment: (r) => searchFold(r.experimentName),
    agent: (r) => r.agentId,
    env: (r) => r.envId,
  };

  /** The listing's order: by the key in the direction asked, runs without a value last either way; ties by id in the same direction. */
  function reference(all: RunListItem[], sort: RunListSort, descending: boolean, keep: (r: RunListItem) => boolean): number[] {
    const sign = descending ? -1 : 1;
    const cmp = (a: RunListItem, b: RunListItem): number => {
      const [x, y] = [key[sort](a), key[sort](b)];
      if (x === null || y === null) return x === y ? sign * (a.id - b.id) : x === null ? 1 : -1;
      const byKey = x === y ? 0 : x < y ? -1 : 1;
      return sign * (byKey !== 0 ? byKey : a.id - b.id);
    };
    return all.filter(keep).sort(cmp).map((r) => r.id);
  }

  it('filters, searches, sorts and pages like a plain recomputation', () => {
    const store = Store.open(join(tempDir(), 'list.db'));
    const all = fill(store);
    const cases: { query: Parameters<Store['listRunItems']>[0]; keep: (r: RunListItem) => boolean }[] = [
      { query: {}, keep: () => true },
      { query: { experimentId: 2 }, keep: (r) => r.experimentId === 2 },
      { query: { status: ['completed', 'failed'] }, keep: (r) => r.status === 'completed' || r.status === 'failed' },
      { query: { search: 'SARSA' }, keep: (r) => r.agentId === 'sarsa' },
      { query: { search: 'toy' }, keep: (r) => r.envId === 'seed-toy' || r.experimentName.toLowerCase().includes('toy') },
      { query: { search: '100%_' }, keep: (r) => r.experimentName === 'Bandit 100%_done' },
      { query: { search: '%' }, keep: (r) => r.experimentName.includes('%') },
      { query: { search: '#777' }, keep: (r) => r.id === 777 },
      { query: { experimentId: 1, status: ['completed'], search: 'alpha' }, keep: (r) => r.experimentId === 1 && r.status === 'completed' },
      // Runs that stored a Q-table (Q-tables' pickers), or any checkpoint (Policies' export picker).
      { query: { stored: 'qtable' }, keep: (r) => r.id % 15 === 0 },
      { query: { stored: 'any', status: ['completed', 'failed'], search: 'toy' }, keep: (r) => r.id % 5 === 0 && ['completed', 'failed'].includes(r.status) && r.experimentId === 2 },
    ];
    for (const { query, keep } of cases) {
      for (const sort of Object.keys(key) as RunListSort[]) {
        for (const descending of [false, true]) {
          const expected = reference(all, sort, descending, keep);
          const pages: number[] = [];
          for (let offset = 0; offset < expected.length + 1; offset += 250) {
            const page = store.listRunItems({ ...query, sort, descending, offset, limit: 250 });
            expect(page.total).toBe(expected.length);
            pages.push(...page.runs.map((r) => r.id));
          }
          expect(pages, `${JSON.stringify(query)} ${sort} ${descending}`).toEqual(expected);
        }
      }
    }
    const page = store.listRunItems({ sort: 'returnLast100', descending: true, limit: 1 });
    expect(page.runs[0]).toEqual(all.find((r) => r.id === page.runs[0]!.id));
    expect(page.runs[0]).toMatchObject({ experimentName: expect.any(String), status: 'completed', returnLast100: 50 - 0.5 });
    store.close();
  });

  it("finds and sorts experiment names in any script's case, accents aside, as the Experiments screen does", () => {
    const store = Store.open(':memory:');
    const spec = { seed: 0, config: {}, configHash: 'f'.repeat(64), appVersion: 'test', episodesTotal: 10 };
    const names = ['zz 中文', 'ÉCOLE Ünïcødé café', 'many A', 'σίσυφος', 'İstanbul', 'alpha'];
    const ids = names.map((name) => store.createExperimentWithRuns({ name, config: {}, configHash: 'f'.repeat(64), runs: [spec] }).runs[0]!.id);
    const found = (search: string) => store.listRunItems({ search }).runs.map((r) => r.experimentName);
    for (const search of ['école', 'ECOLE', 'ünïcødé', 'CAFÉ', 'cafe']) expect(found(search), search).toEqual(['ÉCOLE Ünïcødé café']);
    expect(found('ΣΊΣΥΦΟΣ')).toEqual(['σίσυφος']);
    expect(found('istanbul')).toEqual(['İstanbul']);
    expect(found('中文')).toEqual(['zz 中文']);
    // "É" with the e's, not after "zz" (NOCASE compared its bytes).
    expect(store.listRunItems({ sort: 'experiment' }).runs.map((r) => r.experimentName)).toEqual(['alpha', 'ÉCOLE Ünïcødé café', 'İstanbul', 'many A', 'zz 中文', 'σίσυφος']);
    expect(ids).toHaveLength(6);
    store.close();
  });

  it('reads only the covering index to filter, sort and count', () => {
    const store = Store.open(':memory:');
    fill(store);
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail);
    const inner = plan(`SELECT id FROM runs INDEXED BY runs_listing WHERE agent_id LIKE '%a%' ORDER BY return_last100 DESC, id DESC LIMIT 100`);
    expect(inner).toContain('SCAN runs USING COVERING INDEX runs_listing');
    // Progress (episodes_total is stored after the config) and the experiment's name (from its
    // own, small table) sort without reading runs' rows either.
    const byProgress = plan(`SELECT id FROM runs INDEXED BY runs_listing ORDER BY CAST(episodes_done AS REAL) / episodes_total, id LIMIT 100`);
    expect(byProgress).toContain('SCAN runs USING COVERING INDEX runs_listing');
    // Training time, a running run's to now, from active_ms and progress_at, both in the index.
    const byTraining = plan(`SELECT id FROM runs INDEXED BY runs_listing
      ORDER BY (CASE WHEN status = 'running' THEN active_ms + max(0, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - progress_at) ELSE active_ms END), id LIMIT 100`);
    expect(byTraining).toContain('SCAN runs USING COVERING INDEX runs_listing');
    const byName = plan(`SELECT id FROM runs INDEXED BY runs_listing
                         ORDER BY (SELECT name FROM experiments WHERE experiments.id = runs.experiment_id) COLLATE NOCASE, id LIMIT 100`);
    expect(byName).toEqual(expect.arrayContaining(['SCAN runs USING COVERING INDEX runs_listing', 'SEARCH experiments USING INTEGER PRIMARY KEY (rowid=?)']));
    // The "stored a Q-table" filter (the Q-tables and Policies pickers) reads the checkpoints' index
    // alone (migration 14): checkpoints_by_run read each checkpoint's row for its kind.
    const prepared: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof store.db.prepare;
    for (const stored of ['qtable', 'any'] as const) store.listRunItems({ stored, status: ['completed'], sort: 'returnLast100' });
    store.db.prepare = prepare;
    const checkpointPlans = prepared.flatMap((sql) => plan(sql.replaceAll('?', "'qtable'")).filter((d) => d.includes('checkpoints')));
    expect(checkpointPlans.length).toBeGreaterThanOrEqual(4); // the count and the page, of each filter
    for (const detail of checkpointPlans) expect(detail).toMatch(/^SEARCH checkpoints (EXISTS )?USING COVERING INDEX checkpoints_by_run(_kind)? \(run_id=\?( AND kind=\?)?\)$/);
    expect(checkpointPlans.filter((d) => d.includes('kind=?'))).toHaveLength(2);
    const t = performance.now();
    for (let i = 0; i < 20; i++) store.listRunItems({ search: 'a', sort: 'returnLast100', descending: true, offset: 600, limit: 100 });
    console.log(`runs list, 1,200 runs, search + sort + offset 600: ${((performance.now() - t) / 20).toFixed(2)} ms`);
    store.close();
  });
});

describe('listed experiments', () => {
  it("show their config's fields (read once, kept), and forget a deleted experiment's", () => {
    const store = Store.open(join(tempDir(), 'list.db'));
    const make = (description: string, episodes: number, hash: string) =>
      store.createExperimentWithRuns({
        name: description,
        config: { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes, seeds: [0, 1], description },
        configHash: hash,
        runs: [],
      }).experiment.id;
    const first = make('the first', 10, 'a'.repeat(64));
    expect(store.listExperimentEntries().find((e) => e.id === first)).toMatchObject({ envId: 'seed-toy', agentId: 'q-learning', episodes: 10, seeds: 2, description: 'the first' });
    expect(store.experimentDescription(first)).toBe('the first');
    store.deleteExperiment(first);
    expect(store.experimentDescription(first)).toBeNull();
    const second = make('the second', 20, 'b'.repeat(64));
    expect(second).not.toBe(first);
    expect(store.experimentDescription(second)).toBe('the second');
    expect(store.listExperimentEntries().find((e) => e.id === second)).toMatchObject({ episodes: 20, description: 'the second' });
    store.close();
  });
});
