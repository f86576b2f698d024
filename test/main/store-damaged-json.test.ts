// A run's or experiment's stored JSON (config, summary, exact report) that no longer parses (a disk's
// damage inside the row, or an edit past the table's CHECK, which SQLite applies on writes only) is
// read as damage, naming the row: before, every command that read it (`aisle runs`, `show`, `metrics`,
// `resume`, the app's run page) stopped on JSON.parse's bare words ("Unterminated string in JSON at
// position 3603"), which named neither the run nor the database, nor what to do.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DamagedDataError, Store } from '../../src/main/store';

let store: Store;
let runId: number;
let experimentId: number;

beforeEach(() => {
  store = Store.open(':memory:');
  const config = { name: 'e', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [0] };
  const created = store.createExperimentWithRuns({
    name: 'e',
    config,
    configHash: 'a'.repeat(64),
    runs: [{ seed: 0, config: { ...config, seed: 0 }, configHash: 'a'.repeat(64), appVersion: '0.1.0', episodesTotal: 10 }],
  });
  experimentId = created.experiment.id;
  runId = created.runs[0]!.id;
  store.markRunning(runId);
  store.finishRun(runId, 'paused', { summary: { return: { last100: 1 } }, greedy: { expectedReturn: 2 } });
});

afterEach(() => store.close());

/** Cuts the stored text of `column` short, past the table's CHECK (json_valid), as damage would. */
function cutShort(table: 'runs' | 'experiments' | 'checkpoints', column: string, id: number): void {
  store.db.pragma('ignore_check_constraints = ON');
  store.db.prepare(`UPDATE ${table} SET ${column} = substr(${column}, 1, length(${column}) - 3) WHERE id = ?`).run(id);
  store.db.pragma('ignore_check_constraints = OFF');
}

function damage(read: () => unknown): DamagedDataError {
  try {
    read();
  } catch (e) {
    expect(e).toBeInstanceOf(DamagedDataError);
    return e as DamagedDataError;
  }
  throw new Error('read as sound');
}

it("a run's config", () => {
  cutShort('runs', 'config', runId);
  for (const read of [() => store.getRun(runId), () => store.getRunConfig(runId), () => store.listRuns(), () => store.resumeRun(runId)]) {
    const e = damage(read);
    expect(e.message).toMatch(new RegExp(`^run ${runId}'s config: is not JSON \\(.+\\)$`));
    expect(e.code).toBe('SQLITE_CORRUPT');
  }
  // Nothing changed: the run is still paused.
  expect(store.getRunItem(runId).status).toBe('paused');
});

it("a run's summary and exact report", () => {
  cutShort('runs', 'summary', runId);
  expect(damage(() => store.getRunState(runId)).message).toMatch(new RegExp(`^run ${runId}'s summary: is not JSON`));
  store.db.prepare(`UPDATE runs SET summary = NULL WHERE id = ?`).run(runId);
  cutShort('runs', 'greedy', runId);
  expect(damage(() => store.getRun(runId)).message).toMatch(new RegExp(`^run ${runId}'s exact report: is not JSON`));
});

it("a run's summary and exact report that parse but hold other than numbers, as aisle check names them", () => {
  // Edited past what the store writes, they still parsed: `aisle show` listed a metric "x" of no value, exit 0.
  const edit = (column: 'summary' | 'greedy', json: string) => store.db.prepare(`UPDATE runs SET ${column} = ? WHERE id = ?`).run(json, runId);
  edit('summary', '{"x": 1}');
  for (const read of [() => store.getRunState(runId), () => store.getRun(runId), () => store.listRuns()]) {
    const e = damage(read);
    expect(e.message).toBe(`run ${runId}'s summary: x: must be an object`);
    expect(e.code).toBe('SQLITE_CORRUPT');
  }
  edit('summary', '{"return": {"last100": "1"}}');
  expect(damage(() => store.getRun(runId)).message).toBe(`run ${runId}'s summary: return.last100: must be a number, got "1"`);
  edit('summary', '{"return": {"last100": 1, "mean": null}}'); // JSON's NaN: read as sound
  edit('greedy', '[1, 2]');
  expect(damage(() => store.getRun(runId)).message).toBe(`run ${runId}'s exact report: must be an object`);
  edit('greedy', '{"expectedReturn": 2}');
  expect(store.getRun(runId).summary).toEqual({ return: { last100: 1, mean: null } });
});

it("an experiment's config", () => {
  // Its listing index reads the config on every write (damage on disk passes no write, nor the index).
  store.db.exec('DROP INDEX experiments_listing');
  cutShort('experiments', 'config', experimentId);
  for (const read of [() => store.getExperiment(experimentId), () => store.listExperiments()]) {
    expect(damage(read).message).toMatch(new RegExp(`^experiment ${experimentId}'s config: is not JSON \\(.+\\)$`));
  }
});

it("a checkpoint's shape and labels", () => {
  const { id } = store.addCheckpoint(runId, { episode: 4, kind: 'qtable', states: 1, actions: 2, data: Float64Array.of(1, 2), labels: { actions: ['a', 'b'] } });
  cutShort('checkpoints', 'labels', id);
  expect(damage(() => store.getCheckpoint(id)).message).toMatch(new RegExp(`^run ${runId}'s checkpoint after 5 episodes: its labels are not JSON \\(.+\\)$`));
  cutShort('checkpoints', 'shape', id);
  for (const read of [() => store.getCheckpoint(id), () => store.listCheckpoints(runId)]) {
    expect(damage(read).message).toMatch(new RegExp(`^run ${runId}'s checkpoint after 5 episodes: its shape is not JSON \\(.+\\)$`));
  }
});

it("a run's config beside its experiment's: not beside, so the config's own read says it is damaged", () => {
  cutShort('runs', 'config', runId);
  // SQLite's JSON functions refused the text ('malformed JSON', no row named): aisle compare and results export stopped there.
  expect(store.besideExperiment(runId, ['env', 'agent'])).toBeUndefined();
  expect(damage(() => store.getRunConfig(runId)).message).toMatch(new RegExp(`^run ${runId}'s config: is not JSON`));
});

it("a stored policy's file: the policies' actions name it, not SQLite's 'malformed JSON'", () => {
  const json = JSON.stringify({ format: 'aisle.policy/v1', kind: 'tabular', actions: ['a', 'b'] });
  const id = store.savePolicy({ runId, origin: 'export', name: 'p', json, envId: 'shelf', kind: 'tabular', states: 1, actions: 2 });
  store.db.pragma('ignore_check_constraints = ON');
  store.db.prepare('UPDATE policies SET json = substr(json, 1, length(json) - 3) WHERE id = ?').run(id);
  store.db.pragma('ignore_check_constraints = OFF');
  expect(damage(() => store.policyActions()).message).toMatch(new RegExp(`^stored policy #${id}: its file is not JSON$`));
});

it("a run's summary and exact report in the runs list: listed without their numbers, the others as they are", () => {
  const other = store.createExperimentWithRuns({
    name: 'f',
    config: { name: 'f', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seeds: [1] },
    configHash: 'b'.repeat(64),
    runs: [{ seed: 1, config: { name: 'f', env: { id: 'shelf' }, agent: { id: 'q-learning' }, episodes: 10, seed: 1 }, configHash: 'b'.repeat(64), appVersion: '0.1.0', episodesTotal: 10 }],
  }).runs[0]!.id;
  cutShort('runs', 'summary', runId);
  cutShort('runs', 'greedy', runId);
  // SQLite's JSON functions refused the damaged text ('malformed JSON'): the app's whole Runs screen failed for one run.
  const page = store.listRunItems({});
  expect(page.runs.map((r) => r.id).sort()).toEqual([runId, other].sort());
  const listed = store.getRunItem(runId);
  expect([listed.status, listed.greedyReturn ?? null]).toEqual(['paused', null]);
  // Its own read says it is damaged.
  expect(damage(() => store.getRun(runId)).message).toMatch(new RegExp(`^run ${runId}'s summary: is not JSON`));
});

it("an experiment's config in the experiments list: listed without its settings, the others as they are", () => {
  const other = store.createExperimentWithRuns({ name: 'f', config: { name: 'f', env: { id: 'shelf' }, agent: { id: 'sarsa' }, episodes: 7, seeds: [] }, configHash: 'b'.repeat(64), runs: [] }).experiment.id;
  store.db.exec('DROP INDEX experiments_listing');
  cutShort('experiments', 'config', experimentId);
  // SQLite's JSON functions refused the damaged text ('malformed JSON'): the whole Experiments screen failed for one experiment.
  for (const listed of [store.listExperimentEntries(), store.listExperimentPage({}).experiments]) {
    expect(listed.map((e) => [e.id, e.name, e.agentId, e.episodes]).sort()).toEqual([
      [experimentId, 'e', '', 0],
      [other, 'f', 'sarsa', 7],
    ]);
  }
  expect(damage(() => store.getExperiment(experimentId)).message).toMatch(new RegExp(`^experiment ${experimentId}'s config: is not JSON`));
});

it("an experiment's config in the environments Policies checks a policy against: none for it, the others as they are", () => {
  const other = store.createExperimentWithRuns({ name: 'f', config: { name: 'f', env: { id: 'shelf', n: 3 }, agent: { id: 'sarsa' }, episodes: 7, seeds: [] }, configHash: 'b'.repeat(64), runs: [] }).experiment.id;
  store.db.exec('DROP INDEX experiments_listing');
  cutShort('experiments', 'config', experimentId);
  // SQLite's json_extract refused the damaged text ('malformed JSON'): policies.fits failed for every policy.
  expect(store.experimentEnvironment(experimentId)).toBeUndefined();
  expect(store.experimentEnvironment(other)).toEqual({ id: 'shelf', n: 3 });
  expect(store.experimentEnvironmentKeys().map((k) => k.id).sort()).toEqual([experimentId, other].sort());
});

it("an experiment's config on a rename: refused as damage, nothing changed", () => {
  store.db.exec('DROP INDEX experiments_listing');
  cutShort('experiments', 'config', experimentId);
  // SQLite's json_set refused the damaged text ('malformed JSON').
  expect(damage(() => store.editExperiment(experimentId, { name: 'g' })).message).toMatch(new RegExp(`^experiment ${experimentId}'s config: is not JSON \\(.+\\)$`));
  expect(store.experimentName(experimentId)).toBe('e');
});
