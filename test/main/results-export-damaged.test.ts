// A results export of a database damaged on disk (a metric chunk, a checkpoint or a saved run state
// whose bytes no longer match what was stored beside them, which SQLite's page checks do not see)
// is refused, naming the experiment, with nothing written: before, it exported the damage, exit 0,
// into a file every import then refused as damaged ("export it again from the source").
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, afterEach, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { encodeRunState } from '../../src/engine/resume/format';
import { exportResults } from '../../src/main/results/export';
import { importResults } from '../../src/main/results/import';
import { Store } from '../../src/main/store';
import { configHash } from '../../src/main/hash';
import { behaviourConfig } from '../../src/engine/experiment';
import { tempDir } from '../helpers/tmp';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = tempDir();
  store = Store.open(path.join(dir, 'home.db'));
});

afterEach(() => store.close());

/** An experiment of one run: 10 episodes of metrics, a Q-table checkpoint, paused with its saved state. */
function stored(name: string): { experimentId: number; runId: number } {
  const config = { name, env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 20, seeds: [0] };
  const hash = configHash(behaviourConfig(config));
  const { experiment, runs } = store.createExperimentWithRuns({
    name,
    config,
    configHash: hash,
    runs: [{ seed: 0, config: { ...config, seed: 0 }, configHash: hash, appVersion: '0.1.0', episodesTotal: 20 }],
  });
  const runId = runs[0]!.id;
  store.markRunning(runId);
  store.appendMetrics(runId, { start: 0, count: 10, columns: { return: Float32Array.from({ length: 10 }, (_, i) => i / 3) } });
  store.addCheckpoint(runId, { episode: 9, kind: 'qtable', states: 2, actions: 2, data: Float64Array.of(0.5, 1.5, 2.5, 3.5) });
  const state = encodeRunState({ envId: 'shelf', agentId: 'q-learning', seed: 0, episodes: 20, episode: 10, loop: null, env: null, agent: null, blobs: [Uint8Array.of(1, 2, 3)] });
  store.finishRun(runId, 'paused', { summary: { return: { last100: 1 } }, state: { episode: 10, data: state } });
  return { experimentId: experiment.id, runId };
}

/** Flips a byte of a BLOB in place (the row's other columns, and SQLite's pages, stay sound). */
function flipByte(sql: string, id: number, at: number): void {
  const data = Buffer.from(store.db.prepare<[number], Buffer>(`SELECT data FROM ${sql}`).pluck().get(id)!);
  data[at]! ^= 0x55;
  store.db.prepare(`UPDATE ${sql.replace(/^(\w+) WHERE/, '$1 SET data = ? WHERE')}`).run(data, id);
}

/** Cuts a stored JSON text short, past the table's CHECK (json_valid), as damage inside the row would. */
function cutShort(table: string, column: string, where: string, id: number): void {
  store.db.pragma('ignore_check_constraints = ON');
  store.db.prepare(`UPDATE ${table} SET ${column} = substr(${column}, 1, length(${column}) - 3) WHERE ${where}`).run(id);
  store.db.pragma('ignore_check_constraints = OFF');
}

const damages: [string, (runId: number) => void, string][] = [
  ['a metric chunk', (runId) => flipByte('metric_chunks WHERE series_id = (SELECT id FROM metric_series WHERE run_id = ?)', runId, 5), `run RUN's metric "return", episodes 0–9: the stored values do not match`],
  ['a checkpoint', (runId) => flipByte('checkpoints WHERE run_id = ?', runId, 3), `run RUN's checkpoint after 10 episodes: its stored values do not match their digest`],
  ['a saved run state', (runId) => flipByte('run_states WHERE run_id = ?', runId, 30), `run RUN's saved state is damaged`],
  // Refused before by the results file's own CHECK, in SQLite's words ("CHECK constraint failed: json_valid(config)").
  ['a run\'s config', (runId) => cutShort('runs', 'config', 'id = ?', runId), `run RUN's config: is not JSON (`],
  ['a run\'s summary', (runId) => cutShort('runs', 'summary', 'id = ?', runId), `run RUN's summary: is not JSON (`],
  // Still JSON, but not the numbers a summary or exact report holds: exported, then refused by every import.
  ['a run\'s summary\'s values', (runId) => store.db.prepare(`UPDATE runs SET summary = '{"x": 1}' WHERE id = ?`).run(runId), `run RUN's summary: x: must be an object)`],
  ['a run\'s exact report\'s values', (runId) => store.db.prepare(`UPDATE runs SET greedy = '[1]' WHERE id = ?`).run(runId), `run RUN's exact report: must be an object)`],
  [
    'an experiment\'s config',
    (runId) => {
      // Its listing index reads the config at every write (damage on disk passes no write, nor the index).
      store.db.exec('DROP INDEX experiments_listing');
      cutShort('experiments', 'config', 'id = (SELECT experiment_id FROM runs WHERE id = ?)', runId);
    },
    `experiment EXPERIMENT's config: is not JSON (`,
  ],
  ['a checkpoint\'s shape', (runId) => cutShort('checkpoints', 'shape', 'run_id = ?', runId), `run RUN's checkpoint after 10 episodes: its shape is not JSON (`],
];

it.each(damages)('refuses an experiment with %s damaged, writing nothing, and exports the others', (_what, damage, found) => {
  const sound = stored('sound');
  const hurt = stored('hurt');
  damage(hurt.runId);
  const file = path.join(dir, 'out.aisle-results');
  let refusal: unknown;
  try {
    exportResults(store, [sound.experimentId, hurt.experimentId], file, 'home.db');
  } catch (e) {
    refusal = e;
  }
  expect(refusal).toBeInstanceOf(ValidationError);
  const [line] = (refusal as ValidationError).problems;
  expect(line).toContain(`experiment ${hurt.experimentId} cannot be exported: the database is damaged (${found.replace('RUN', String(hurt.runId)).replace('EXPERIMENT', String(hurt.experimentId))}`);
  expect(line).toContain('`aisle check` lists all its damage; export the other experiments, or restore the database from a backup');
  expect(fs.readdirSync(dir).filter((f) => !f.startsWith('home.db'))).toEqual([]);
  // The sound one exports, and imports.
  exportResults(store, [sound.experimentId], file, 'home.db');
  const away = Store.open(path.join(dir, 'away.db'));
  try {
    expect(importResults(away, file).experiments.map((e) => e.alreadyImported)).toEqual([false]);
  } finally {
    away.close();
  }
});
