// Network weights in the store: 'weights' checkpoints round-trip at float32 beside Q-tables, a
// malformed network is refused, policies carry their kind (migration 4), and a DQN run in a
// worker leaves weights checkpoints, the final one included.
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { NetworkLayout } from '../../src/engine/agent';
import { checkpointEpisodes, train, type RunSpec } from '../../src/engine/train';
import { JobPool } from '../../src/main/jobs/pool';
import { migrate, MIGRATIONS, Store } from '../../src/main/store';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

const layout: NetworkLayout = {
  layers: [{ in: 3, out: 4, activation: 'relu' }, { in: 4, out: 2, activation: 'linear' }],
  encoding: { kind: 'vector', size: 3 },
  output: 'q',
};
const PARAMS = 3 * 4 + 4 + 4 * 2 + 2;

function storeWithRun(specs: RunSpec[] = [{ env: { id: 'seed-toy' }, agent: { id: 'dqn' }, episodes: 1, seed: 0 }]) {
  const store = Store.open(join(tempDir(), 'weights.db'));
  const { runs } = store.createExperimentWithRuns({
    name: 'weights test',
    config: {},
    configHash: 'a'.repeat(64),
    runs: specs.map((s) => ({ seed: s.seed, config: s, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: s.episodes })),
  });
  return { store, ids: runs.map((r) => r.id) };
}

describe('weights checkpoints', () => {
  it('round-trip a network\'s parameters at float32 with its layout, listed beside Q-tables', () => {
    const { store, ids } = storeWithRun();
    const runId = ids[0]!;
    const data = Float32Array.from({ length: PARAMS }, (_, i) => Math.fround(Math.sin(i) * 1e-3 + i));
    const q = store.addCheckpoint(runId, { episode: 4, kind: 'qtable', states: 1, actions: 2, data: Float64Array.of(1, 2) });
    const info = store.addCheckpoint(runId, { episode: 9, kind: 'weights', network: layout, data });
    expect(info).toEqual({ id: info.id, runId, episode: 9, kind: 'weights', shape: [3, 2], network: layout, createdAt: info.createdAt });
    const list = store.listCheckpoints(runId);
    expect(list.map((c) => c.kind)).toEqual(['qtable', 'weights']);
    expect(list[1]).toEqual(info);
    expect(list[0]).toEqual(q);
    const back = store.getWeights(info.id);
    expect(back.params).toBeInstanceOf(Float32Array);
    expect(Array.from(back.params)).toEqual(Array.from(data));
    expect(back.network).toEqual(layout);
    expect(() => store.getCheckpoint(info.id)).toThrow(`checkpoint ${info.id} holds network weights, not a Q-table`);
    expect(() => store.getWeights(q.id)).toThrow(`checkpoint ${q.id} holds a Q-table, not network weights`);
    store.close();
  });

  it('refuse to read a Q-table or weights whose bytes were damaged on disk (migration 10), and read those written before unchecked', () => {
    const { store, ids } = storeWithRun();
    const runId = ids[0]!;
    const q = store.addCheckpoint(runId, { episode: 4, kind: 'qtable', states: 2, actions: 2, data: Float64Array.of(1, 2, 3, 4) });
    const w = store.addCheckpoint(runId, { episode: 9, kind: 'weights', network: layout, data: new Float32Array(PARAMS).fill(0.5) });
    // What a failing disk does to a BLOB's bytes: SQLite reads them back without complaint.
    const damage = (id: number) => {
      const data = store.db.prepare('SELECT data FROM checkpoints WHERE id = ?').pluck().get(id) as Buffer;
      data[3] = data[3]! ^ 0x40;
      store.db.prepare('UPDATE checkpoints SET data = ? WHERE id = ?').run(data, id);
    };
    damage(q.id);
    damage(w.id);
    expect(() => store.getCheckpoint(q.id)).toThrow(`run ${runId}'s checkpoint after 5 episodes: its stored values do not match their digest`);
    expect(() => store.getWeights(w.id)).toThrow(expect.objectContaining({ name: 'DamagedDataError', code: 'SQLITE_CORRUPT' }));
    // A checkpoint from before the digest has none, and reads as stored.
    store.db.prepare('UPDATE checkpoints SET digest = NULL WHERE id = ?').run(q.id);
    expect(store.getCheckpoint(q.id).data[0]).not.toBe(1);
    store.close();
  });

  it('refuse to read a checkpoint whose shape or layout was edited apart from its values (the digest covers the values only)', () => {
    const { store, ids } = storeWithRun();
    const runId = ids[0]!;
    const q = store.addCheckpoint(runId, { episode: 4, kind: 'qtable', states: 2, actions: 2, data: Float64Array.of(1, 2, 3, 4) });
    const w = store.addCheckpoint(runId, { episode: 9, kind: 'weights', network: layout, data: new Float32Array(PARAMS).fill(0.5) });
    const edit = store.db.prepare<[string, number]>('UPDATE checkpoints SET shape = ? WHERE id = ?');
    edit.run('[2,3]', q.id);
    expect(() => store.getCheckpoint(q.id)).toThrow(expect.objectContaining({ name: 'DamagedDataError', message: `run ${runId}'s checkpoint after 5 episodes: its shape [2,3] does not fit its 4 values` }));
    edit.run('[2,2]', q.id);
    store.db.prepare('UPDATE checkpoints SET labels = ? WHERE id = ?').run(JSON.stringify({ states: ['a', 'b', 'c'] }), q.id);
    expect(() => store.getCheckpoint(q.id)).toThrow(`run ${runId}'s checkpoint after 5 episodes: its states labels are not 2, one per state`);
    const wider = { ...layout, layers: [{ ...layout.layers[0]!, out: layout.layers[0]!.out + 1 }, ...layout.layers.slice(1)] };
    edit.run(JSON.stringify(wider), w.id);
    expect(() => store.getWeights(w.id)).toThrow(new RegExp(`^run ${runId}'s checkpoint after 10 episodes: its layout needs \\d+ parameters, and it holds ${PARAMS}$`));
    store.close();
  });

  it('refuses a network whose layout or parameter count does not hold together', () => {
    const { store, ids } = storeWithRun();
    const add = (network: NetworkLayout, data = new Float32Array(PARAMS)) => () => store.addCheckpoint(ids[0]!, { episode: 0, kind: 'weights', network, data });
    expect(add(layout, new Float32Array(PARAMS - 1))).toThrow(`the network has ${PARAMS} parameters, got ${PARAMS - 1}`);
    expect(add({ ...layout, layers: [layout.layers[0]!, { in: 5, out: 2, activation: 'linear' }] })).toThrow('layer 1 takes 5 inputs but layer 0 gives 4');
    expect(add({ ...layout, layers: [layout.layers[0]!, { in: 4, out: 2, activation: 'gelu' as never }] })).toThrow('layer 1 has unknown activation "gelu"');
    expect(add({ ...layout, encoding: { kind: 'one-hot', n: 7 } })).toThrow('the encoding gives 7 inputs but the first layer takes 3');
    expect(add({ ...layout, output: 'v' as never })).toThrow('unknown network output "v"');
    expect(add({ ...layout, layers: [] })).toThrow('a network needs at least one layer');
    expect(store.listCheckpoints(ids[0]!)).toEqual([]);
    store.close();
  });
});

describe('policies.kind (migration 4)', () => {
  it('reads the kind from the file, or takes the caller\'s, and marks older rows tabular', () => {
    const dir = tempDir();
    const file = join(dir, 'old.db');
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 3));
    const insert = raw.prepare(`INSERT INTO policies (run_id, origin, name, env_id, states, actions, created_at, json) VALUES (NULL, 'import', NULL, 'x', 0, 0, 0, ?)`);
    insert.run('{"kind":"mlp"}');
    insert.run('{"greedy":[]}');
    raw.close();

    const store = Store.open(file);
    expect(store.listPolicies().map((p) => p.kind)).toEqual(['mlp', 'tabular']);
    const fromJson = store.savePolicy({ json: '{"kind":"mlp","states":["a","b"],"actions":["x"]}' });
    const given = store.savePolicy({ json: '{}', kind: 'mlp', envId: 'shop', states: 0, actions: 10 });
    const plain = store.savePolicy({ json: '{"kind":""}' });
    expect(store.getPolicy(fromJson)).toMatchObject({ kind: 'mlp', states: 2, actions: 1 });
    expect(store.getPolicy(given)).toMatchObject({ kind: 'mlp', envId: 'shop', states: 0, actions: 10 });
    expect(store.getPolicy(plain).kind).toBe('tabular');
    store.close();
  });
});

describe('a DQN run in a worker', () => {
  it('stores weights checkpoints at the checkpoint episodes and at the end, equal to in-process training', async () => {
    const spec: RunSpec = { env: { id: 'shop', observation: 'vector' }, agent: { id: 'dqn', hidden: [16], learningStarts: 32, batchSize: 16 }, episodes: 12, seed: 4, checkpoints: 3 };
    const { store, ids } = storeWithRun([spec]);
    const pool = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    pool.enqueue(ids[0]!, spec);
    await pool.idle();
    await pool.close();
    expect(store.getRun(ids[0]!).status).toBe('completed');
    const checkpoints = store.listCheckpoints(ids[0]!);
    expect(checkpoints.every((c) => c.kind === 'weights')).toBe(true); // vector observations: no Q-table
    expect(checkpoints.map((c) => c.episode)).toEqual([...checkpointEpisodes(12, 3), 11]);
    const final = store.getWeights(checkpoints.at(-1)!.id);
    expect(final.network.layers).toEqual([
      { in: final.network.layers[0]!.in, out: 16, activation: 'relu' },
      { in: 16, out: final.network.layers[1]!.out, activation: 'linear' },
    ]);
    expect(final.network).toMatchObject({ encoding: { kind: 'vector' }, output: 'q' });
    // The worker trains exactly as in-process: the final weights are the same floats.
    const local = train(spec);
    expect(Array.from(final.params)).toEqual(Array.from(local.weights!.params));
    store.close();
  });
});
