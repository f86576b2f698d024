// experiments.exportResults and importResults: the app's doors to `aisle results`, bytes over the
// contract, made in a worker thread that leaves the service free to answer, errors as one line
// naming the file the user picked.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { behaviourConfig, type Experiment } from '../../src/engine/experiment';
import { configHash } from '../../src/main/hash';
import { exportResults } from '../../src/main/results/export';
import { Store } from '../../src/main/store';
import type { CommandOutput } from '../../src/shared/contract';
import type { ResultsImport } from '../../src/shared/dto';
import { cliff, closedAfterEach, finishedCliff, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const service = closedAfterEach();
const finished = (t: TestService, name: string) => finishedCliff(t, name, 2);
/** An import's answer that stored (or found) the file's experiments: a refusal fails the test, naming its problems. */
function accepted(reply: CommandOutput<'experiments.importResults'>): ResultsImport {
  if (!reply.ok) throw new Error(`refused: ${reply.problems.join('; ')}`);
  return reply;
}

describe('experiments.exportResults / importResults', () => {
  it('carry experiments between two services as a file to save, once, and push the change', async () => {
    const home = service();
    const away = service();
    await finished(home, 'skipped');
    const chosen = await finished(home, 'chosen');
    await finished(away, 'already here');
    const exported = await home.call('experiments.exportResults', { ids: [chosen.experimentId] });
    expect(exported).toMatchObject({ fileName: `experiment-${chosen.experimentId}.aisle-results`, experiments: [{ id: chosen.experimentId, name: 'chosen', runs: 2, policies: 0 }] });
    expect(Buffer.from(exported.base64, 'base64').subarray(0, 16).toString()).toBe('SQLite format 3\0');

    const from = away.events.length;
    const imported = accepted(await away.call('experiments.importResults', { base64: exported.base64, fileName: 'night.aisle-results' }));
    expect(imported.experiments).toEqual([expect.objectContaining({ from: chosen.experimentId, id: 2, alreadyImported: false, runs: [{ from: chosen.runIds[0], id: 3 }, { from: chosen.runIds[1], id: 4 }] })]);
    expect(away.events.slice(from).map((e) => e.event)).toEqual(['experiments.changed']);
    // The worker's commit reads to SQLite as another connection's: the service's next look for other
    // processes' changes does not tell of it again (nor of each of its runs).
    away.service.checkExternalChanges();
    expect(away.events.slice(from).map((e) => e.event)).toEqual(['experiments.changed']);
    expect((await away.call('experiments.list', {})).map((e) => e.name).sort()).toEqual(['already here', 'chosen']);
    expect((await away.call('runs.metricsCsv', { id: 3 })).text).toBe((await home.call('runs.metricsCsv', { id: chosen.runIds[0]! })).text);

    const again = accepted(await away.call('experiments.importResults', { base64: exported.base64, fileName: 'night.aisle-results' }));
    expect(again.experiments).toEqual([expect.objectContaining({ id: 2, alreadyImported: true })]);
  });

  it('refuse a file that is not one, or a damaged one, naming it in plain words (an answer, not a failed call), and an unknown experiment with a 404', async () => {
    const t = service();
    // Was a 400, which the browser mode's page logged in its console as a failed resource: the user's file refused is an answer, as policies.import gives.
    const bad = await t.call('experiments.importResults', { base64: Buffer.from('not a database at all, not even close').toString('base64'), fileName: 'notes.txt' });
    expect(bad).toEqual({ ok: false, problems: ['notes.txt: is not an Aisle results file (not a SQLite database): give a file `aisle results export` wrote'] });
    expect(await t.fail('experiments.exportResults', { ids: [9] })).toMatchObject({ status: 404, message: 'experiment 9 does not exist: the Experiments screen lists the experiments there are' });
    await finished(t, 'cut short');
    const whole = Buffer.from((await t.call('experiments.exportResults', { ids: [1] })).base64, 'base64');
    const half = whole.subarray(0, whole.length / 2).toString('base64');
    expect(await t.call('experiments.importResults', { base64: half, fileName: 'night.aisle-results' })).toEqual({
      ok: false,
      problems: ["night.aisle-results: is damaged (its database failed SQLite's integrity check): export it again from the source, or copy it again in full if it was cut short"],
    });
    // Nothing stored by either, and no change pushed.
    expect((await t.call('experiments.list', {})).map((e) => e.name)).toEqual(['cut short']);
    // The request itself malformed (no file name) is still the contract's 400.
    expect(await t.fail('experiments.importResults', { base64: half, fileName: '' })).toMatchObject({ status: 400 });
  });

  it('import a large file in a worker: another call answers while it runs, and the Experiments list learns of it once', async () => {
    const file = largeResultsFile(tempDir());
    const base64 = readFileSync(file).toString('base64');
    expect(base64.length).toBeGreaterThan(16 * 2 ** 20);
    const t = service();
    const from = t.events.length;
    let importedAt: number | undefined;
    const importing = t.call('experiments.importResults', { base64, fileName: 'large.aisle-results' }).then((reply) => {
      importedAt = performance.now();
      return accepted(reply);
    });
    // On the service's thread the import ran whole before this call was even read.
    expect(await t.call('experiments.list', {})).toEqual([]);
    expect(importedAt).toBeUndefined();
    const imported = await importing;
    expect(imported.experiments).toEqual([expect.objectContaining({ id: 1, alreadyImported: false, runs: [1, 2, 3].map((id) => ({ from: id, id })) })]);
    expect((await t.call('experiments.list', {})).map((e) => e.name)).toEqual(['large']);
    expect(t.store.readMetricRaw(3, 'train/epsilon')).toHaveLength(LARGE_EPISODES);
    t.service.checkExternalChanges();
    expect(t.events.slice(from)).toEqual([expect.objectContaining({ event: 'experiments.changed', payload: { experimentId: 1 } })]);
  });

  it("while the app's own import holds the database, a run says so, naming the file, and a launch waits for it rather than answering Busy", async () => {
    const home = service();
    const chosen = await finished(home, 'chosen');
    const { base64 } = await home.call('experiments.exportResults', { ids: [chosen.experimentId] });
    const t = service();
    // Holds the write lock as the import's own transaction would, for as long as the test needs:
    // the import, under way meanwhile, waits for it and commits once it is released.
    const lock = new Database(t.dbPath);
    try {
      let importing: Promise<ResultsImport> | undefined;
      t.service.on((event, payload) => {
        if (event !== 'run.status' || (payload as { status: string }).status !== 'running' || importing) return;
        lock.exec('BEGIN IMMEDIATE');
        importing = t.call('experiments.importResults', { base64, fileName: 'night.aisle-results' }).then(accepted);
      });
      const runId = (await t.call('experiments.launch', { experiment: cliff({ name: 'long', episodes: 3000, seeds: 1 }) })).runIds[0]!;
      const writer = 'this app is importing results (night.aisle-results)';
      const storage = () => t.events.filter((e) => e.event === 'run.storage').map((e) => e.payload);
      await vi.waitFor(() => expect(storage()).toEqual([{ runId, waiting: true, writer }]), { timeout: 30_000 });
      expect(await t.call('runs.waitingForDatabase', {})).toEqual([{ runId, writer }]);
      const launching = t.call('experiments.launch', { experiment: cliff({ name: 'during', episodes: 10, seeds: 1 }) });
      // Past the command's busy timeout (1 s), after which it answered Busy, "another Aisle process".
      await new Promise((resolve) => setTimeout(resolve, 1500));
      lock.exec('ROLLBACK');
      const launched = await launching;
      expect((await importing!).experiments).toEqual([expect.objectContaining({ name: 'chosen', alreadyImported: false })]);
      expect((await t.until(launched.runIds)).map((s) => s.status)).toEqual(['completed']);
      expect((await t.call('experiments.list', {})).map((e) => e.name).sort()).toEqual(['chosen', 'during', 'long']);
    } finally {
      if (lock.inTransaction) lock.exec('ROLLBACK');
      lock.close();
    }
  });

  it('remove the private folder of an import stopped halfway (its client gone) once its worker has stopped, not when the process ends', async () => {
    const base64 = readFileSync(largeResultsFile(tempDir())).toString('base64');
    const t = service();
    const scratch = tempDir();
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = scratch; // os.tmpdir() reads it on each call: the import's folder goes here
    try {
      const client = new AbortController();
      const importing = Promise.resolve(t.service.handlers['experiments.importResults']({ base64, fileName: 'large.aisle-results' }, { signal: client.signal })).catch((e: unknown) => e);
      // Stopped once its folder holds the picked file's copy: the worker is at work in it.
      await vi.waitFor(() => expect(readdirSync(scratch).flatMap((f) => readdirSync(join(scratch, f)))).toContain('picked.aisle-results'), { timeout: 30_000, interval: 5 });
      client.abort('its client went away');
      expect(((await importing) as Error).message).toBe('the import of the results file was stopped: its client went away');
      await vi.waitFor(() => expect(readdirSync(scratch)).toEqual([]), { timeout: 30_000 });
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
    }
  });

  it('make and read files on the service\'s thread for an in-memory database, which no worker can open', async () => {
    const memory = service(':memory:');
    const onDisk = service();
    const chosen = await finished(memory, 'in memory');
    const exported = await memory.call('experiments.exportResults', { ids: [chosen.experimentId] });
    expect(accepted(await onDisk.call('experiments.importResults', { base64: exported.base64, fileName: 'memory.aisle-results' })).experiments).toEqual([
      expect.objectContaining({ id: 1, alreadyImported: false }),
    ]);
    const back = await onDisk.call('experiments.exportResults', { ids: [1] });
    expect(accepted(await memory.call('experiments.importResults', { base64: back.base64, fileName: 'disk.aisle-results' })).experiments).toEqual([
      expect.objectContaining({ id: chosen.experimentId, alreadyImported: true }),
    ]);
  });
});

const LARGE_EPISODES = 400_000;

/**
 * A results file of one experiment of three completed runs of 400,000 episodes of four metrics
 * (~19 MB), written with the store directly: training it would take minutes.
 */
function largeResultsFile(dir: string): string {
  const store = Store.open(join(dir, 'large.db'));
  try {
    const config = cliff({ name: 'large', episodes: LARGE_EPISODES, seeds: 3 });
    const seeds = [0, 1, 2];
    // The identity a launch stores (environment, agent, episodes), which an import checks.
    const identity = configHash(behaviourConfig(config as unknown as Experiment));
    const { experiment, runs } = store.createExperimentWithRuns({
      name: 'large',
      config,
      configHash: identity,
      source: 'form',
      runs: seeds.map((seed) => ({ seed, config: { ...config, seed }, configHash: identity, appVersion: '0.1.0', episodesTotal: LARGE_EPISODES })),
    });
    for (const run of runs) {
      store.markRunning(run.id);
      const column = (k: number) => Float32Array.from({ length: LARGE_EPISODES }, (_, i) => Math.sin(i * 0.001 * k + run.seed));
      store.appendMetrics(run.id, { start: 0, count: LARGE_EPISODES, columns: { return: column(1), length: column(2), 'train/loss': column(3), 'train/epsilon': column(4) } });
      store.finishRun(run.id, 'completed', { summary: { return: { last100: run.seed } } });
    }
    const file = join(dir, 'large.aisle-results');
    exportResults(store, [experiment.id], file, 'large.db');
    return file;
  } finally {
    store.close();
  }
}
