// Migration 15 and the Experiments screen's page in SQL (Listing.experimentPage): a version-14 file
// gains experiments_listing, and the page's sorts and search read the config fields from it, never
// parsing an experiment's config (up to tens of MB with an inline MDP; 30 to 40 ms a sort over
// 6,402 small ones without the index).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_SORTS } from '../../src/shared/dto';
import { MIGRATIONS, Store, migrate, schemaVersion } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const HASH = 'c'.repeat(64);

describe('migration 15', () => {
  it('indexes a version-14 file’s experiments, which then page by their config’s fields', () => {
    const path = join(tempDir(), 'v14.db');
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 14));
    const insert = db.prepare(`INSERT INTO experiments (name, config, config_hash, created_at) VALUES (?, ?, ?, ?)`);
    insert.run('old one', JSON.stringify({ env: { id: 'shop' }, agent: { id: 'dqn' }, episodes: 50, description: 'kept' }), HASH, 1);
    insert.run('old two', JSON.stringify({ env: { id: 'bandit' }, agent: { id: 'ucb1' }, episodes: 'many' }), HASH, 2);
    db.close();

    const store = Store.open(path);
    expect(schemaVersion(store.db)).toBeGreaterThanOrEqual(15);
    expect(store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'experiments_listing'`).pluck().get()).toBe('experiments_listing');
    expect(store.listExperimentPage({ sort: 'env' }).experiments.map((e) => e.name)).toEqual(['old two', 'old one']);
    // Episodes that are not a whole number sort as the summary shows them: 0.
    expect(store.listExperimentPage({ sort: 'episodes' }).experiments.map((e) => [e.name, e.episodes])).toEqual([['old two', 0], ['old one', 50]]);
    expect(store.listExperimentPage({ search: 'KEPT' })).toMatchObject({ total: 1, experiments: [{ name: 'old one', description: 'kept' }] });
    store.close();
  });
});

describe('the experiments page', () => {
  it('reads the config fields from experiments_listing, not from the configs, for every sort and the search', () => {
    const store = Store.open(':memory:');
    const config = { env: { id: 'tabular-mdp', mdp: { states: 2 } }, agent: { id: 'sarsa' }, episodes: 5, description: 'École' };
    for (let i = 0; i < 30; i++) store.createExperimentWithRuns({ name: `e${i}`, config, configHash: HASH, runs: [] });
    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail);
    // The SQL the page prepares, for each sort with and without a search.
    const prepared: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => (prepared.push(sql), prepare(sql))) as typeof store.db.prepare;
    for (const sort of EXPERIMENT_SORTS) {
      for (const search of [undefined, 'ecole', '#3']) store.listExperimentPage({ sort, descending: true, ...(search ? { search } : {}), offset: 10, limit: 5 });
    }
    store.db.prepare = prepare;
    const pages = prepared.filter((sql) => sql.includes('config'));
    expect(pages.length).toBeGreaterThanOrEqual(EXPERIMENT_SORTS.length - 1); // every sort but id, runs and createdAt reads a config field
    for (const sql of pages) {
      const detail = plan(sql.replaceAll('?', "'3'"));
      expect(detail, sql).toContain('SCAN experiments USING COVERING INDEX experiments_listing');
    }
    expect(store.listExperimentPage({ search: 'ecole', sort: 'name', offset: 10, limit: 5 })).toMatchObject({ total: 30, experiments: [{ name: 'e18' }, { name: 'e19' }, { name: 'e2' }, { name: 'e20' }, { name: 'e21' }] });
    store.close();
  });
});

describe('the experiments page orders and finds as the screen did when it read every experiment', () => {
  /** Experiments as experiments-query.test's list (the screen's own sort, before experiments.page) had them. */
  function stored(store: Store, name: string, fields: { description?: string; env?: string; agent?: string; episodes?: number; completed?: number; queued?: number; createdAt?: number }) {
    const config = { name, env: { id: fields.env ?? 'tabular-mdp' }, agent: { id: fields.agent ?? 'q-learning' }, episodes: fields.episodes ?? 100, ...(fields.description ? { description: fields.description } : {}) };
    const spec = { seed: 0, config, configHash: HASH, appVersion: 'test', episodesTotal: 1 };
    const { experiment, runs } = store.createExperimentWithRuns({ name, config, configHash: HASH, runs: Array.from({ length: (fields.completed ?? 2) + (fields.queued ?? 0) }, () => spec) });
    for (const run of runs.slice(0, fields.completed ?? 2)) {
      store.markRunning(run.id);
      store.finishRun(run.id, 'completed', { summary: {} });
    }
    store.db.prepare('UPDATE experiments SET created_at = ? WHERE id = ?').run(fields.createdAt ?? 1_000 * experiment.id, experiment.id);
  }

  it('orders by each column, ties by number in the same direction', () => {
    const store = Store.open(':memory:');
    stored(store, 'Cliff Q-learning', { description: 'Step size 0.5', completed: 3, episodes: 300 });
    stored(store, 'bandit check', { env: 'bandit-testbed', agent: 'UCB1', completed: 1, queued: 4, episodes: 50 });
    stored(store, 'alpha sweep (alpha=0.1)', { env: 'seed-toy', agent: 'sarsa', completed: 0, episodes: 300 });
    stored(store, 'Bandit check', { env: 'bandit-testbed', agent: 'ucb1', completed: 5, episodes: 50, createdAt: 500 });
    const order = (sort: (typeof EXPERIMENT_SORTS)[number], descending: boolean) => store.listExperimentPage({ sort, descending }).experiments.map((e) => e.id);
    expect(order('id', true)).toEqual([4, 3, 2, 1]);
    expect(order('id', false)).toEqual([1, 2, 3, 4]);
    // Names ignore case: "bandit check" and "Bandit check" tie, and their numbers order them.
    expect(order('name', false)).toEqual([3, 2, 4, 1]);
    expect(order('name', true)).toEqual([1, 4, 2, 3]);
    expect(order('env', false)).toEqual([2, 4, 3, 1]);
    expect(order('agent', false)).toEqual([1, 3, 2, 4]);
    expect(order('episodes', true)).toEqual([3, 1, 4, 2]);
    // Every run counts, whatever its status: 5, 5 (1 completed, 4 queued), 3, 0.
    expect(order('runs', true)).toEqual([4, 2, 1, 3]);
    expect(order('createdAt', false)).toEqual([4, 1, 2, 3]);
    const found = (search: string) => store.listExperimentPage({ search, sort: 'id' }).experiments.map((e) => e.id);
    expect(found('  STEP SIZE ')).toEqual([1]);
    expect(found('bandit-TESTBED')).toEqual([2, 4]);
    expect(found('alpha=0.1')).toEqual([3]);
    expect(found('0.5')).toEqual([1]);
    store.close();
  });

  it('sorts "École" with the e\'s and finds names in any script\'s case, accents aside', () => {
    const store = Store.open(':memory:');
    for (const name of ['zz 中文', 'ÉCOLE Ünïcødé café', 'many A', 'σίσυφος', 'İstanbul', 'alpha']) stored(store, name, {});
    expect(store.listExperimentPage({ sort: 'name' }).experiments.map((e) => e.name)).toEqual(['alpha', 'ÉCOLE Ünïcødé café', 'İstanbul', 'many A', 'zz 中文', 'σίσυφος']);
    const found = (search: string) => store.listExperimentPage({ search }).experiments.map((e) => e.name);
    for (const search of ['école', 'ÜNÏCØDÉ', 'CAFÉ', 'ecole']) expect(found(search), search).toEqual(['ÉCOLE Ünïcødé café']);
    expect(found('ΣΊΣΥΦΟΣ')).toEqual(['σίσυφος']);
    expect(found('istanbul')).toEqual(['İstanbul']);
    store.close();
  });
});
