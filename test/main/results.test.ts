// Results files (aisle.results/v1): experiments exported with everything their runs own, imported
// into another database with new ids, once, and all or nothing.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { exportResults } from '../../src/main/results/export';
import { RESULTS_APPLICATION_ID, RESULTS_META_SQL } from '../../src/main/results/format';
import { DamagedResultsError, importResults } from '../../src/main/results/import';
import { LATEST_VERSION, MIGRATIONS, migrate, NotFoundError, Store, type NewExperiment } from '../../src/main/store';
import { decodeRunState, encodeRunState } from '../../src/engine/resume/format';
import { behaviourConfig } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { tabularPolicy } from '../helpers/policy';
import { recutAcrossCell } from '../helpers/recut-chunks';
import { tempDir } from '../helpers/tmp';

function experiment(name: string, seeds: number[]): NewExperiment {
  const config = { name, env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 5000, seeds };
  // The identity a launch stores (its environment, agent and episodes), which an import checks.
  const identity = configHash(behaviourConfig(config));
  return {
    name,
    config,
    configHash: identity,
    source: 'form',
    runs: seeds.map((seed) => ({ seed, config: { ...config, seed }, configHash: identity, appVersion: '0.1.0', episodesTotal: 5000 })),
  };
}

/** A paused run's saved state, as resume reads it: its run's, with one array of its own. */
function savedState(seed: number): Uint8Array {
  return encodeRunState({ envId: 'shelf', agentId: 'q-learning', seed, episodes: 5000, episode: 3000, loop: null, env: null, agent: null, blobs: [Uint8Array.of(7, 1, 2, 3, seed)] });
}

/**
 * An experiment trained by hand: each run 5,000 episodes of metrics (two chunk cells, NaN gaps in
 * one metric), two Q-table checkpoints and a policy; the last run paused with a state to resume from.
 */
function trained(store: Store, name: string, seeds: number[]): number {
  const { experiment: created, runs } = store.createExperimentWithRuns(experiment(name, seeds));
  runs.forEach((run, r) => {
    store.markRunning(run.id);
    const episodes = r === runs.length - 1 ? 3000 : 5000;
    const ret = Float32Array.from({ length: episodes }, (_, i) => Math.sin(i * 0.01 + run.seed) * 10);
    const loss = Float32Array.from({ length: episodes }, (_, i) => (i % 7 === 0 ? NaN : 1 / (i + 1 + run.seed)));
    const length = Float32Array.from({ length: episodes }, (_, i) => i % 20);
    store.appendMetrics(run.id, { start: 0, count: episodes, columns: { return: ret, 'train/loss': loss, length } });
    for (const episode of [1000, episodes]) {
      store.addCheckpoint(run.id, { episode, kind: 'qtable', states: 2, actions: 3, data: Float64Array.from({ length: 6 }, (_, i) => i * run.seed + episode / 7), labels: { actions: ['a', 'b', 'c'] } });
    }
    const provenance = { ...tabularPolicy().provenance, runId: run.id, seed: run.seed };
    store.savePolicy({ runId: run.id, name: `${name} run ${run.id}`, json: JSON.stringify(tabularPolicy({ provenance })) });
    if (r === runs.length - 1) store.finishRun(run.id, 'paused', { summary: { return: { last100: 1 } }, state: { episode: 3000, data: savedState(run.seed) } });
    else store.finishRun(run.id, 'completed', { summary: { return: { last100: r + 0.5 } }, greedy: { expectedReturn: -r } });
  });
  return created.id;
}

/** Everything an experiment holds, ids left out (they differ between databases): rows as SQLite stores them, every column. */
function contents(store: Store, experimentId: number) {
  const db = store.db;
  const without = <T extends Record<string, unknown>>(row: T, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
  const experimentRow = db.prepare('SELECT * FROM experiments WHERE id = ?').get(experimentId) as Record<string, unknown>;
  const runs = db.prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id').all(experimentId) as Record<string, unknown>[];
  return {
    experiment: without(experimentRow, 'id', 'revision', 'runs_deleted'),
    runs: runs.map((run) => {
      const id = run.id as number;
      return {
        row: without(run, 'id', 'experiment_id', 'owner_session'),
        metrics: store.metricSeries(id).map((s) => ({ ...s, values: Array.from(store.readMetricRaw(id, s.name)) })),
        chunks: db.prepare('SELECT c.start_episode, c.count, c.present, c.min, c.max, c.sum, hex(c.data) AS data FROM metric_chunks c JOIN metric_series s ON s.id = c.series_id WHERE s.run_id = ? ORDER BY s.name, c.start_episode').all(id),
        checkpoints: store.listCheckpoints(id).map((c) => without({ ...store.getCheckpoint(c.id), data: Array.from(store.getCheckpoint(c.id).data) }, 'id', 'runId')),
        policies: store.listPolicies(id).map((p) => without({ ...p, json: store.getPolicy(p.id).json }, 'id', 'runId')),
        state: db.prepare('SELECT episode, created_at, hex(data) AS data FROM run_states WHERE run_id = ?').get(id) ?? null,
        resumableAt: store.resumableAt(id),
      };
    }),
  };
}

/** The whole database's rows, per table, to show an import that failed changed nothing. */
function everything(store: Store): Record<string, unknown[]> {
  const tables = ['experiments', 'runs', 'metric_series', 'metric_chunks', 'checkpoints', 'run_states', 'policies', 'sqlite_sequence'];
  return Object.fromEntries(tables.map((t) => [t, store.db.prepare(`SELECT * FROM ${t}`).all()]));
}

let dir: string;
let home: Store;
let away: Store;
beforeEach(() => {
  dir = tempDir('aisle-results-');
  home = Store.open(path.join(dir, 'home.db'));
  away = Store.open(path.join(dir, 'away.db'));
});
afterEach(() => {
  home.close();
  away.close();
});

/** Home: experiment 1 (not exported) and 2 (exported, three seeds, one paused). Away: experiments 1–3 already, so every id collides. */
function exported(): { file: string; experimentId: number } {
  trained(home, 'not exported', [0]);
  const experimentId = trained(home, 'ten seeds', [0, 1, 2]);
  for (const name of ['a', 'b', 'c']) trained(away, name, [5, 6]);
  const file = path.join(dir, 'out', 'ten.aisle-results');
  const written = exportResults(home, [experimentId], file, '/home/alice/.config/Aisle/home.db');
  expect(written.experiments).toEqual([{ id: experimentId, name: 'ten seeds', runs: 3, checkpoints: 6, policies: 3 }]);
  return { file, experimentId };
}

/** A copy of the results file `file` with `sql` run on its rows, named edited.aisle-results. */
function editedCopy(file: string, sql: string): string {
  const copy = path.join(dir, 'edited.aisle-results');
  fs.copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return copy;
}

describe('results files', () => {
  it('carry an experiment to another database whose ids collide: every row and value as at home, with new ids', () => {
    const { file, experimentId } = exported();
    const before = contents(home, experimentId);
    // Every column travels, the runs' training times (active_ms) among them.
    expect(before.runs.map((r) => typeof r.row.active_ms)).toEqual(['number', 'number', 'number']);
    const imported = importResults(away, file);
    expect(imported.origin).toMatchObject({ format: 'aisle.results/v1', sourceDatabase: 'home.db' }); // the file name only: the folder names the user
    const [only] = imported.experiments;
    expect(imported.experiments).toHaveLength(1);
    expect(only).toMatchObject({ from: experimentId, id: 4, name: 'ten seeds', alreadyImported: false, checkpoints: 6 });
    // Runs 1–7 are away's own (three experiments of two runs, one each of "not exported" at home is not carried).
    expect(only!.runs.map((r) => r.id)).toEqual([7, 8, 9]);
    expect(only!.policies.map((p) => p.id)).toEqual([7, 8, 9]);
    expect(contents(away, only!.id)).toEqual(before);
    // The paused run resumes here, from the state it was paused with.
    const paused = away.resumeRun(9);
    expect(Array.from(decodeRunState(paused.state!).blobs[0]!)).toEqual([7, 1, 2, 3, 2]);
    expect(paused.experimentId).toBe(4);
    // Only the experiment chosen travelled, and away's own experiments are untouched.
    expect(away.listExperiments().map((e) => e.name)).toEqual(['a', 'b', 'c', 'ten seeds']);
    expect(contents(away, 1).runs).toHaveLength(2);
  });

  it('a results file is not opened as a database (it was switched to WAL and written to): refused, left as it was', () => {
    const { file } = exported();
    const bytes = fs.readFileSync(file);
    expect(() => Store.open(file, { reader: true })).toThrow(/ten\.aisle-results is an Aisle results file \(`aisle results export` writes them\), not a database: import it with `aisle results import ten\.aisle-results`/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    // And it still imports.
    expect(importResults(away, file).experiments.map((e) => e.alreadyImported)).toEqual([false]);
  });

  it("refuses a file whose experiment's name was edited past what a rename takes (a newline, 306 characters): nothing imported", () => {
    const { file } = exported();
    const before = everything(away);
    for (const [name, problem] of [
      ['two\nlines', 'must not contain control characters'],
      ['x'.repeat(306), 'has 306 characters, more than 200: shorten it'],
    ] as const) {
      const copy = path.join(dir, 'edited.aisle-results');
      fs.copyFileSync(file, copy);
      const db = new Database(copy);
      db.prepare('UPDATE experiments SET name = ?').run(name);
      db.close();
      expect(() => importResults(away, copy)).toThrow(`edited.aisle-results: experiment 2's name: ${problem}`);
    }
    expect(everything(away)).toEqual(before);
  });

  it('refuses a file whose configs, counts or policies were edited past what the app reads: one line naming the row, nothing imported', () => {
    const { file } = exported();
    const before = everything(away);
    const edits: [string, string][] = [
      [`UPDATE runs SET config = '{"x":1}' WHERE id = 3`, "run 3's config: env: must be an object with an id"],
      [`UPDATE runs SET config = json_set(config, '$.seed', -1) WHERE id = 2`, "run 2's config: seed: must be a whole number ≥ 0"],
      [`UPDATE experiments SET config = json_remove(config, '$.agent.id')`, "experiment 2's config: agent.id: must be a name"],
      ['UPDATE runs SET episodes_done = 999999 WHERE id = 4', 'run 4: 999999 episodes done of 5000'],
      // A summary or exact report whose value is not a number (the run's page printed −∞), or not an object.
      [`UPDATE runs SET summary = '{"return":{"mean":"abc"}}' WHERE id = 3`, 'run 3\'s summary: return.mean: must be a number, got "abc"'],
      [`UPDATE runs SET summary = '[1]' WHERE id = 3`, "run 3's summary: must be an object"],
      [`UPDATE runs SET greedy = '{"expectedReturn":"x"}' WHERE id = 2`, 'run 2\'s exact report: expectedReturn: must be a number, got "x"'],
      ['UPDATE runs SET seed = 99 WHERE id = 2', 'run 2: its row lists seed 99, and its config says '],
      // A metric chunk deleted: the first (episodes 0…) or the last of the series.
      [`DELETE FROM metric_chunks WHERE series_id = (SELECT id FROM metric_series WHERE run_id = 2 AND name = 'return') AND start_episode = 0`, 'run 2\'s metric "return": its values from episode 0 on are missing'],
      [
        `DELETE FROM metric_chunks WHERE series_id = (SELECT id FROM metric_series WHERE run_id = 3 AND name = 'length') AND start_episode = (SELECT max(start_episode) FROM metric_chunks WHERE series_id = (SELECT id FROM metric_series WHERE run_id = 3 AND name = 'length'))`,
        'run 3\'s metric "length": its values from episode 4096 on are missing',
      ],
      [`UPDATE policies SET json = json_set(json, '$.actions', 'x') WHERE id = 3`, 'policy 3: policy.actions: must be an array of labels, got "x"'],
      [`UPDATE policies SET json = json_set(json, '$.q[1][0]', 0) WHERE id = 2`, 'policy 2: policy.greedy[1]: action 0 (q 0) is not a best action'],
      ['UPDATE policies SET actions = 4 WHERE id = 4', 'policy 4: its row lists actions 4, and its file says 3'],
      // The paused run's saved state (run 4's) belongs to another run: its seed is not run 4's.
      [`UPDATE run_states SET data = x'${Buffer.from(savedState(7)).toString('hex')}' WHERE run_id = 4`, 'run 4\'s saved state: checkpoint.seed: 7 is not the run\'s 2: the checkpoint belongs to another run'],
    ];
    for (const [sql, problem] of edits) {
      const copy = path.join(dir, 'edited.aisle-results');
      fs.copyFileSync(file, copy);
      const db = new Database(copy);
      expect(db.prepare(sql).run().changes).toBeGreaterThan(0);
      db.close();
      expect(() => importResults(away, copy)).toThrow(`edited.aisle-results: ${problem}`);
      expect(() => importResults(away, copy)).toThrow(/\(a file edited by hand\? export it again from the source\)$/);
    }
    expect(everything(away)).toEqual(before);
    // The file as exported imports.
    expect(importResults(away, file).experiments.map((e) => e.alreadyImported)).toEqual([false]);
  });

  it("refuses a file whose runs break what the app's own writes keep (settings matching their identity and the runs list's columns, metrics from episode 0 to the episodes done in chunks within their cells, a saved state within them): nothing imported", () => {
    const { file } = exported();
    const before = everything(away);
    const series = (run: number, name: string) => `(SELECT id FROM metric_series WHERE run_id = ${run} AND name = '${name}')`;
    // Run 4 (seed 2, paused after 3,000 episodes) with a saved state of its own after 4,000.
    const later = encodeRunState({ ...decodeRunState(savedState(2)), episode: 4000 });
    // Run 2's "return" cut again into chunks of episodes 0–2999 and 3000–4999, the second across
    // episode 4096, every value and summary sound: a read from 4096 on looks for chunks from there.
    const recut = (db: Database.Database) => recutAcrossCell(db, 2, 'return');
    const edits: [string | ((db: Database.Database) => void), string][] = [
      [recut, 'run 2\'s metric "return": its chunk of episodes 3000–4999 runs past episode 4095, where the store ends every chunk (one per 4096 episodes)'],
      // A metric stored from episode 4,096 on (its first chunk gone, the series said to start there):
      // its chunks follow one another, and it was charted as episodes 0–903.
      [
        `DELETE FROM metric_chunks WHERE series_id = ${series(2, 'return')} AND start_episode = 0; UPDATE metric_series SET first_episode = 4096 WHERE id = ${series(2, 'return')}`,
        'run 2\'s metric "return": its values start at episode 4096, not 0 (a run stores every metric from its first episode)',
      ],
      // Episodes done fewer, or more, than its metrics hold.
      ['UPDATE runs SET episodes_done = 4000 WHERE id = 3', 'run 3\'s metric "length": its values cover 5000 episodes, and the run\'s row lists 4000 episodes done'],
      [
        `DELETE FROM metric_chunks WHERE start_episode >= 4096 AND series_id IN (SELECT id FROM metric_series WHERE run_id = 2); UPDATE metric_series SET next_episode = 4096 WHERE run_id = 2`,
        'run 2\'s metric "length": its values cover 4096 episodes, and the run\'s row lists 5000 episodes done',
      ],
      // The saved state's row and bytes disagree, or it continues past the episodes done.
      ['UPDATE run_states SET episode = 2000 WHERE run_id = 4', "run 4's saved state: its row lists episode 2000, and its state says 3000"],
      [`UPDATE run_states SET episode = 4000, data = x'${Buffer.from(later).toString('hex')}' WHERE run_id = 4`, "run 4's saved state: it continues at episode 4000, past the run's 3000 episodes done"],
    ];
    // Settings that are not those their stored identity was made from (Compare groups runs by it),
    // or a run whose identity is not its experiment's, as `aisle check` finds them.
    const identity = (episodes: number) => configHash(behaviourConfig({ env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes }));
    const otherSettings = 'its environment, agent or episodes are not those its stored identity (config_hash) was made from';
    edits.push(
      // The runs list's columns, copied from the config when a run is made.
      ["UPDATE runs SET env_id = 'cliff' WHERE id = 2", 'run 2: its row lists environment "cliff", and its config says "shelf"'],
      ["UPDATE runs SET agent_id = 'sarsa' WHERE id = 3", 'run 3: its row lists agent "sarsa", and its config says "q-learning"'],
      ['UPDATE runs SET episodes_total = 6000 WHERE id = 2', 'run 2: its row lists 6000 episodes in total, and its config says 5000'],
      [`UPDATE experiments SET config = json_set(config, '$.episodes', 4000)`, `experiment 2's config: ${otherSettings}`],
      [`UPDATE runs SET config = json_set(config, '$.agent.alpha', 0.9) WHERE id = 3`, `run 3's config: ${otherSettings}`],
      [`UPDATE runs SET config_hash = '${identity(4000)}' WHERE id = 2`, `run 2's config: ${otherSettings}`],
      [`UPDATE runs SET config = json_set(config, '$.episodes', 4000), config_hash = '${identity(4000)}' WHERE id = 2`, "run 2: its stored identity (config_hash) is not its experiment 2's, whose settings it was trained on"],
    );
    for (const [sql, problem] of edits) {
      const copy = path.join(dir, 'edited.aisle-results');
      fs.copyFileSync(file, copy);
      const db = new Database(copy);
      if (typeof sql === 'string') db.exec(sql);
      else sql(db);
      db.close();
      expect(() => importResults(away, copy)).toThrow(`edited.aisle-results: ${problem}`);
      expect(() => importResults(away, copy)).toThrow(/\(a file edited by hand\? export it again from the source\)$/);
    }
    expect(everything(away)).toEqual(before);
    expect(importResults(away, file).experiments.map((e) => e.alreadyImported)).toEqual([false]);
  });

  it('refuses a checkpoint whose kind or shape is not one Aisle writes, as damage, not with a RangeError or TypeError (test/main/results-fuzz: rows seeds 11 and 34 of its first fixture)', () => {
    // Were 'checkpoint 5 holds "table", not a Q-table' (RangeError) and 'number -1 is not iterable' (TypeError): exit 1.
    const { file } = exported();
    const before = everything(away);
    for (const [sql, problem] of [
      ["UPDATE checkpoints SET kind = 'table' WHERE id = (SELECT min(id) FROM checkpoints)", 'its kind "table" is not one Aisle writes ("qtable" for a Q-table, "weights" for a network\'s)'],
      ["UPDATE checkpoints SET shape = '-1' WHERE id = (SELECT min(id) FROM checkpoints)", 'its shape -1 is not [states, actions]'],
      ['UPDATE checkpoints SET shape = \'{"rows":2}\' WHERE id = (SELECT min(id) FROM checkpoints)', 'its shape {"rows":2} is not [states, actions]'],
    ] as const) {
      const copy = editedCopy(file, sql);
      expect(() => importResults(away, copy)).toThrow(new RegExp(`edited\\.aisle-results: is damaged \\(the file's run \\d+'s checkpoint after [\\d,]+ episodes: ${problem.replace(/[()[\]{}."]/g, '\\$&')}\\)`));
    }
    expect(everything(away)).toEqual(before);
  });

  it('quotes a row\'s text cut to 60 characters and its control characters escaped, not whole (test/main/results-fuzz: rows seeds 22, 42 and 422 of its first fixture)', () => {
    // Each was quoted whole: a refusal of 5,000 characters and more.
    const { file } = exported();
    const long = 'x'.repeat(5000);
    for (const [sql, problem] of [
      [`UPDATE runs SET agent_id = '${long}' WHERE id = 3`, `run 3: its row lists agent "${'x'.repeat(60)}"…, and its config says "q-learning"`],
      [`UPDATE policies SET env_id = '${long}' WHERE id = 4`, `policy 4: its row lists envId "${'x'.repeat(60)}"…, and its file says "tabular-mdp"`],
      [`UPDATE metric_series SET name = 'return' || char(27) || '[2J', next_episode = 4000 WHERE run_id = 2 AND name = 'return'`, 'run 2\'s metric "return\\u001b[2J": '],
      [`UPDATE aisle_results SET format = '${long}'`, `is an "${'x'.repeat(60)}"… file, and this Aisle reads aisle.results/v1`],
    ] as const) {
      const copy = editedCopy(file, sql);
      expect(() => importResults(away, copy), sql.slice(0, 60)).toThrow(`edited.aisle-results: ${problem}`);
    }
  });

  it("refuses an experiment's description a launch or a rename refuses (ESC[31m, U+202E, 10,001 characters), which `aisle rename` printed raw, and a config's agent or env id with a control character; a newline and a tab, which a description may hold, pass", () => {
    const { file, experimentId } = exported();
    const before = everything(away);
    for (const [text, problem] of [
      ["'a' || char(27) || '[31mred'", 'must not contain control characters other than newline and tab (found U+001B at character 2): remove it'],
      ["'a' || char(8238) || 'b'", 'must not contain control characters other than newline and tab (found U+202E at character 2): remove it'],
      [`'${'x'.repeat(10_001)}'`, 'has 10,001 characters, more than 10,000: shorten it'],
    ] as const) {
      const copy = editedCopy(file, `UPDATE experiments SET config = json_set(config, '$.description', ${text}) WHERE id = ${experimentId}`);
      expect(() => importResults(away, copy), text.slice(0, 30)).toThrow(`experiment ${experimentId}'s description: ${problem}`);
    }
    expect(everything(away)).toEqual(before);
    // An agent's or environment's id, which \`aisle runs\` and \`aisle show\` print and Aisle never writes with one.
    for (const part of ['agent', 'env']) {
      const copy = editedCopy(file, `UPDATE experiments SET config = json_set(config, '$.${part}.id', 'q' || char(27) || '[31m') WHERE id = ${experimentId}`);
      expect(() => importResults(away, copy)).toThrow(`experiment ${experimentId}'s config: ${part}.id: must not contain control characters (found U+001B at character 2)`);
    }
    expect(everything(away)).toEqual(before);
    const lines = editedCopy(file, `UPDATE experiments SET config = json_set(config, '$.description', 'two' || char(10) || 'lines' || char(9) || 'tab') WHERE id = ${experimentId}`);
    expect(() => importResults(away, lines)).not.toThrow();
  });

  it('import the same file once: the second time names the experiment it was imported as, and copies nothing', () => {
    const { file } = exported();
    importResults(away, file);
    const after = everything(away);
    const again = importResults(away, file);
    expect(again.experiments).toEqual([{ from: 2, id: 4, name: 'ten seeds', alreadyImported: true, runs: [], policies: [], checkpoints: 0 }]);
    expect(everything(away)).toEqual(after);
    // Back home, where it came from, it is already there as itself.
    expect(importResults(home, file).experiments[0]).toMatchObject({ id: 2, alreadyImported: true });
    // Renamed here, it is still the same experiment; with a run deleted here, it is another one.
    away.editExperiment(4, { name: 'renamed' });
    expect(importResults(away, file).experiments[0]).toMatchObject({ id: 4, alreadyImported: true });
    away.deleteRuns([9]);
    expect(importResults(away, file).experiments[0]).toMatchObject({ id: 5, alreadyImported: false });
  });

  it("imports every experiment of a sweep made within one millisecond: the second is not taken for the first one's copy", () => {
    // Four experiments of one behaviour hash, seeds and creation time: two differ in their
    // evaluation, two only in their name and description (a sweep of the description).
    const ids = [{ every: 2 }, { every: 3 }, { every: 3, description: 'x' }, { every: 3, description: 'y' }].map(({ every, description }, i) => {
      const base = experiment(`sweep ${i}`, [0]);
      const config = { ...base.config as Record<string, unknown>, evaluation: { every, episodes: 1 }, ...(description ? { description } : {}) };
      return home.createExperimentWithRuns({ ...base, config }).experiment.id;
    });
    home.db.prepare('UPDATE experiments SET created_at = 1700000000000').run();
    home.db.prepare("UPDATE runs SET created_at = 1700000000000, status = 'completed'").run();
    const file = path.join(dir, 'sweep.aisle-results');
    exportResults(home, ids, file, 'home.db');
    const first = importResults(away, file).experiments;
    expect(first.map((e) => [e.name, e.alreadyImported])).toEqual([['sweep 0', false], ['sweep 1', false], ['sweep 2', false], ['sweep 3', false]]);
    expect(new Set(first.map((e) => e.id)).size).toBe(4);
    // Imported again, each is recognised as its own copy, once.
    const again = importResults(away, file).experiments;
    expect(again.map((e) => [e.id, e.alreadyImported])).toEqual(first.map((e) => [e.id, true]));
    expect(away.listExperiments()).toHaveLength(4);
  });

  it('refuse a file whose metric values or checkpoint no longer match their checks (SQLite checks pages, not BLOBs): nothing imported', () => {
    const { file } = exported();
    const before = everything(away);
    const damage = (sql: string) => {
      const copy = path.join(dir, `damaged-${Math.random().toString(36).slice(2)}.aisle-results`);
      fs.copyFileSync(file, copy);
      const db = new Database(copy);
      db.exec(sql);
      db.close();
      try {
        importResults(away, copy);
      } catch (e) {
        if (e instanceof DamagedResultsError) return e.problems;
        throw e;
      }
      return ['imported'];
    };
    const [chunk] = damage("UPDATE metric_chunks SET data = zeroblob(length(data)) WHERE series_id = (SELECT min(id) FROM metric_series WHERE name = 'return')");
    expect(chunk).toMatch(/: is damaged \(the file's run \d+'s metric "return", episodes [\d,]+–[\d,]+: the stored values do not match the summary stored beside them\): export it again from the source/);
    const [state] = damage("UPDATE run_states SET data = zeroblob(40)");
    expect(state).toMatch(/: is damaged \(the file's run \d+'s saved state is not an Aisle run state \(its first bytes are not "AISLERUN"\)\)/);
    const [checkpoint] = damage('UPDATE checkpoints SET data = zeroblob(length(data)) WHERE id = (SELECT min(id) FROM checkpoints)');
    expect(checkpoint).toMatch(/: is damaged \(the file's run \d+'s checkpoint after [\d,]+ episodes: its stored values do not match their digest\)/);
    // The digest covers the values: a shape or labels edited apart from them are checked against them.
    const [shape] = damage("UPDATE checkpoints SET shape = '[3,3]' WHERE id = (SELECT min(id) FROM checkpoints)");
    expect(shape).toMatch(/: is damaged \(the file's run \d+'s checkpoint after 1,001 episodes: its shape \[3,3\] does not fit its 6 values\)/);
    const [labels] = damage(`UPDATE checkpoints SET labels = '{"actions":["a"]}' WHERE id = (SELECT min(id) FROM checkpoints)`);
    expect(labels).toMatch(/: is damaged \(the file's run \d+'s checkpoint after 1,001 episodes: its actions labels are not 3, one per action\)/);
    expect(everything(away)).toEqual(before);
  });

  it('refuse a truncated file, and another program\'s SQLite file, with one line naming it; the database unchanged', () => {
    const { file } = exported();
    const before = everything(away);
    const bytes = fs.readFileSync(file);
    const truncated = path.join(dir, 'truncated.aisle-results');
    /** The one line a damaged file is refused with, in words for its user; SQLite's own kept apart. */
    const damagedLine = `${truncated}: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short`;
    const refusal = (): DamagedResultsError => {
      try {
        importResults(away, truncated);
      } catch (e) {
        if (e instanceof DamagedResultsError) return e;
        throw e;
      }
      throw new Error('imported a damaged file');
    };
    // Cut in half, and short of its last page only (which the file's first pages, read to open it, do not show).
    for (const length of [Math.floor(bytes.length / 2), bytes.length - 4096]) {
      fs.writeFileSync(truncated, bytes.subarray(0, length));
      expect(refusal()).toMatchObject({ problems: [damagedLine], details: ['database disk image is malformed'] });
    }
    // Whole, but a page overwritten that opening the file and reading what it is does not reach:
    // SQLite finds it only when a read gets there, the check at once.
    for (let page = bytes.length / 4096 - 1; ; page--) {
      const damaged = Buffer.from(bytes);
      damaged.fill(0xff, page * 4096, (page + 1) * 4096);
      fs.writeFileSync(truncated, damaged);
      const probe = new Database(truncated);
      try {
        probe.prepare('SELECT * FROM aisle_results').all();
        break;
      } catch {
        expect(page).toBeGreaterThan(1);
      } finally {
        probe.close();
      }
    }
    expect(refusal().problems).toEqual([damagedLine]);
    // A page at the end that nothing uses (the header counting it): the file reads, and only
    // SQLite's check finds it. Its findings (pages, trees, cells) stay out of the line, in the details.
    const padded = Buffer.concat([bytes, Buffer.alloc(4096)]);
    padded.writeUInt32BE(bytes.readUInt32BE(28) + 1, 28);
    fs.writeFileSync(truncated, padded);
    const found = refusal();
    expect(found).toBeInstanceOf(ValidationError); // a user's error: exit 2, a 400
    expect(found.problems).toEqual([damagedLine]);
    expect(found.details).toEqual([`Page ${bytes.length / 4096 + 1}: never used`]);
    const foreign = path.join(dir, 'foreign.sqlite');
    const other = new Database(foreign);
    other.exec('CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES (1)');
    other.close();
    expect(() => importResults(away, foreign)).toThrow(`${foreign}: is not an Aisle results file (a SQLite database of another program, tables: songs): give a file \`aisle results export\` wrote`);
    const notSqlite = path.join(dir, 'notes.txt');
    fs.writeFileSync(notSqlite, 'x'.repeat(2000));
    expect(() => importResults(away, notSqlite)).toThrow(/notes\.txt: is not an Aisle results file \(not a SQLite database\)/);
    // An Aisle database is not a results file either.
    expect(() => importResults(away, path.join(dir, 'home.db'))).toThrow(/home\.db: is an Aisle database, not a results file/);
    expect(everything(away)).toEqual(before);
    // The files are left as they were (import reads a copy).
    expect(fs.readFileSync(foreign).equals(fs.readFileSync(foreign))).toBe(true);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuse a file from a newer Aisle with the store\'s words, and leave the file as it was', () => {
    const { file } = exported();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const bytes = fs.readFileSync(file);
    expect(() => importResults(away, file)).toThrow(`was written by a newer Aisle (schema ${LATEST_VERSION + 1}, this build knows ${LATEST_VERSION})`);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('read a file written at an older schema (before run states), migrated forward on a copy', () => {
    const file = path.join(dir, 'old.aisle-results');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, 10));
    old.pragma(`application_id = ${RESULTS_APPLICATION_ID}`);
    old.exec(RESULTS_META_SQL);
    const oldConfig = JSON.stringify({ name: 'old one', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 3 });
    const identity = configHash(behaviourConfig({ env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 3 }));
    old.exec(`INSERT INTO aisle_results VALUES ('aisle.results/v1', '0.0.9', '/old/aisle.db', 'old-host', 1000)`);
    old.exec(`INSERT INTO experiments (id, name, config, config_hash, created_at) VALUES (5, 'old one', '${oldConfig}', '${identity}', 1)`);
    old.exec(`INSERT INTO runs (id, experiment_id, seed, status, config, config_hash, app_version, episodes_total, episodes_done, created_at, started_at, finished_at, summary, env_id, agent_id)
              VALUES (9, 5, 3, 'completed', '${JSON.stringify({ ...JSON.parse(oldConfig), seed: 3 })}', '${identity}', '0.0.9', 3, 3, 1, 2000, 9500, '{"return":{"last100":2}}', 'shelf', 'q-learning')`);
    old.exec(`INSERT INTO metric_series (id, run_id, name, first_episode, next_episode) VALUES (4, 9, 'return', 0, 3)`);
    const values = Float32Array.of(1, 2, 3);
    old.prepare('INSERT INTO metric_chunks VALUES (4, 0, 3, 3, 1, 3, 6, ?)').run(Buffer.from(values.buffer));
    old.prepare(`INSERT INTO checkpoints (run_id, episode, kind, shape, created_at, data) VALUES (9, 3, 'qtable', '[1,2]', 1, ?)`).run(Buffer.from(Float64Array.of(0.5, -1).buffer));
    old.close();
    const before = fs.readFileSync(file);
    for (const name of ['a', 'b', 'c']) trained(away, name, [5]);

    const [imported] = importResults(away, file).experiments;
    expect(imported).toMatchObject({ from: 5, id: 4, alreadyImported: false, runs: [{ from: 9, id: 4 }], checkpoints: 1 });
    // Its training time, which the file did not hold, is its start to its end, as the store's migration gives old runs.
    expect(away.getRun(4)).toMatchObject({ experimentId: 4, seed: 3, status: 'completed', appVersion: '0.0.9', summary: { return: { last100: 2 } }, startedAt: 2000, finishedAt: 9500, activeMs: 7500 });
    expect(Array.from(away.readMetricRaw(4, 'return'))).toEqual([1, 2, 3]);
    expect(Array.from(away.getCheckpoint(away.listCheckpoints(4)[0]!.id).data)).toEqual([0.5, -1]);
    expect(away.resumableAt(4)).toBeNull();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reuse a policy whose very file is stored here already, or earlier in the file, rather than store a copy, and give one no run holds to its imported run', () => {
    const experimentId = trained(home, 'policies', [0, 1, 2]);
    const [first, second, third] = home.experimentRuns(experimentId).map((r) => r.id);
    const policyOf = (runId: number) => home.listPolicies(runId)[0]!;
    // The third run made the first one's policy too: the same file, byte for byte.
    const again = home.savePolicy({ runId: third!, name: 'the first again', json: home.getPolicy(policyOf(first!).id).json });
    // Away holds the second run's policy already (`aisle policies import` of the file exported at home).
    trained(away, 'own', [5]);
    const storedHere = away.savePolicy({ runId: null, origin: 'import', name: 'from home', json: home.getPolicy(policyOf(second!).id).json });
    const before = away.getPolicy(storedHere);
    const file = path.join(dir, 'policies.aisle-results');
    exportResults(home, [experimentId], file, 'home.db');

    const [imported] = importResults(away, file).experiments;
    expect(imported!.policies).toEqual([
      { from: policyOf(first!).id, id: 3, alreadyStored: false },
      { from: policyOf(second!).id, id: storedHere, alreadyStored: true },
      { from: policyOf(third!).id, id: 4, alreadyStored: false },
      { from: again, id: 3, alreadyStored: true },
    ]);
    // Away's own, the one it had, and the two new ones: each file once, the one it had as it was.
    expect(away.listPolicies().map((p) => p.id)).toEqual([1, storedHere, 3, 4]);
    expect(away.db.prepare('SELECT count(DISTINCT json) FROM policies').pluck().get()).toBe(4);
    // The one it had, no run's here, is now the imported second run's, which is its run again;
    // the file the third run made twice stays the first's (a policy has one run).
    expect(away.getPolicy(storedHere)).toEqual({ ...before, runId: imported!.runs[1]!.id });
    expect(imported!.runs.map((r) => away.listPolicies(r.id).map((p) => p.id))).toEqual([[3], [storedHere], [4]]);
  });

  it('leave the database as it was when the import fails halfway', () => {
    const { file } = exported();
    // Experiments, runs and metrics go in before checkpoints: a failure there comes halfway.
    away.db.exec("CREATE TRIGGER refuse_checkpoints BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'forced failure'); END");
    const before = everything(away);
    expect(() => importResults(away, file)).toThrow('forced failure');
    expect(everything(away)).toEqual(before);
    // Nothing attached is left behind: the next import works.
    away.db.exec('DROP TRIGGER refuse_checkpoints');
    expect(importResults(away, file).experiments[0]).toMatchObject({ id: 4, alreadyImported: false });
  });
});

describe('exporting results', () => {
  it('refuses unknown experiments, naming each, and an experiment still training; an existing file is kept', () => {
    const id = trained(home, 'done', [0]);
    const file = path.join(dir, 'kept.aisle-results');
    fs.writeFileSync(file, 'before');
    expect(() => exportResults(home, [id, 7, 9], file, 'home.db')).toThrow(new NotFoundError('experiment', [7, 9]));
    const { runs } = home.createExperimentWithRuns(experiment('training', [0, 1]));
    home.markRunning(runs[0]!.id);
    expect(() => exportResults(home, [id, 2], file, 'home.db')).toThrow(
      `experiment 2 has runs still training: ${runs[0]!.id} (running), ${runs[1]!.id} (queued); wait for them to finish, or pause them`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('before');
    expect(fs.readdirSync(dir).sort()).toEqual(['away.db', 'away.db-shm', 'away.db-wal', 'home.db', 'home.db-shm', 'home.db-wal', 'kept.aisle-results']);
  });

  it('writes one self-contained file in the store\'s schema, marked as results', () => {
    const { file } = exported();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['ten.aisle-results']);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(RESULTS_APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      // Only the chosen experiment, with its ids as at home.
      expect(db.prepare('SELECT id FROM experiments').pluck().all()).toEqual([2]);
      expect(db.prepare('SELECT id FROM runs').pluck().all()).toEqual([2, 3, 4]);
      expect(db.prepare('SELECT count(*) FROM store_sessions').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
