// `aisle delete run|experiment`: the app's deletes (same checks, same reason for an active run, one
// transaction), shown first and done only with --yes; refusals delete nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle, cliffExperimentFile } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const ELSEWHERE = 'in another process (`aisle run`, or another window of the app)';

/** A database with two experiments of two short runs each (seeds 0 and 1), trained by `aisle run`. */
function twoExperiments(): { db: string; experiments: { id: number; runIds: number[] }[] } {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const file = cliffExperimentFile(dir);
  const experiments = [0, 1].map(() => {
    const run = aisle(['run', file, '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    const { experimentId, runs } = JSON.parse(run.stdout) as { experimentId: number; runs: { runId: number }[] };
    return { id: experimentId, runIds: runs.map((r) => r.runId) };
  });
  return { db, experiments };
}

/** What the database holds: experiments with their runs, and the runs' metric series and checkpoints. */
function stored(db: string) {
  const store = Store.open(db, { reader: true });
  try {
    const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      experiments: store.listExperiments().map((e) => ({ id: e.id, runs: store.experimentRuns(e.id).map((r) => r.id) })),
      metricSeries: count('metric_series'),
      checkpoints: count('checkpoints'),
    };
  } finally {
    store.close();
  }
}

describe('aisle delete', () => {
  it('deletes several runs at once, and an experiment with its runs, metrics and checkpoints', () => {
    const { db, experiments } = twoExperiments();
    const [first, second] = experiments as [{ id: number; runIds: number[] }, { id: number; runIds: number[] }];
    const before = stored(db);
    expect(before.metricSeries).toBeGreaterThan(0);
    expect(before.checkpoints).toBeGreaterThan(0);

    const runs = aisle(['delete', 'run', ...first.runIds.map(String), '--yes'], { db });
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toBe(
      `deleted 2 runs:\n  run ${first.runIds[0]}: experiment ${first.id} "cliff q-learning", seed 0, completed\n  run ${first.runIds[1]}: experiment ${first.id} "cliff q-learning", seed 1, completed\n`,
    );
    const afterRuns = stored(db);
    // The experiment stays, without runs; the other experiment's runs are untouched.
    expect(afterRuns.experiments).toEqual([
      { id: first.id, runs: [] },
      { id: second.id, runs: second.runIds },
    ]);
    expect(afterRuns.metricSeries).toBe(before.metricSeries / 2);
    expect(afterRuns.checkpoints).toBe(before.checkpoints / 2);

    const experiment = aisle(['delete', 'experiment', String(second.id), '--yes', '--json'], { db });
    expect(experiment.code, experiment.stderr).toBe(0);
    expect(JSON.parse(experiment.stdout)).toEqual({ deleted: [second.id], experiments: [{ id: second.id, name: 'cliff q-learning', runs: second.runIds }] });
    expect(stored(db)).toEqual({ experiments: [{ id: first.id, runs: [] }], metricSeries: 0, checkpoints: 0 });

    const empty = aisle(['delete', 'experiment', String(first.id), '--yes'], { db });
    expect(empty.code, empty.stderr).toBe(0);
    // Not "and its 0 runs", as the app's dialog says "It has no runs.".
    expect(empty.stdout).toBe(`deleted experiment ${first.id} "cliff q-learning", which has no runs\n`);
    expect(stored(db).experiments).toEqual([]);
  });

  it('without --yes says what it would delete, deletes nothing and exits 1', () => {
    const { db, experiments } = twoExperiments();
    const [first] = experiments as [{ id: number; runIds: number[] }];
    const before = stored(db);

    const experiment = aisle(['delete', 'experiment', String(first.id)], { db });
    expect(experiment.code).toBe(1);
    expect(experiment.stdout).toBe(`would delete experiment ${first.id} "cliff q-learning" and its 2 runs (${first.runIds.join(', ')})\n`);
    expect(experiment.stderr).toBe('aisle: nothing deleted: add --yes to delete\n');

    const run = aisle(['delete', 'run', String(first.runIds[1])], { db });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`would delete 1 run:\n  run ${first.runIds[1]}: experiment ${first.id} "cliff q-learning", seed 1, completed\n`);
    expect(run.stderr).toBe('aisle: nothing deleted: add --yes to delete\n');

    // With --json, the dry run's list as --yes --json would name what it deleted, beside the error.
    const json = aisle(['delete', 'run', String(first.runIds[0]), '--json'], { db });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        exitCode: 1,
        problems: ['nothing deleted: add --yes to delete'],
        wouldDelete: { runs: [{ id: first.runIds[0], experimentId: first.id, experimentName: 'cliff q-learning', seed: 0, status: 'completed' }] },
      },
    });
    const experimentJson = aisle(['delete', 'experiment', String(first.id), '--json'], { db });
    expect(experimentJson.code).toBe(1);
    expect((JSON.parse(experimentJson.stdout) as { error: { wouldDelete: unknown } }).error.wouldDelete).toEqual({ experiments: [{ id: first.id, name: 'cliff q-learning', runs: first.runIds }] });
    expect(stored(db)).toEqual(before);
  });

  it('deletes several experiments in one go, each listed first', () => {
    const { db, experiments } = twoExperiments();
    const [first, second] = experiments as [{ id: number; runIds: number[] }, { id: number; runIds: number[] }];
    const asked = aisle(['delete', 'experiment', String(first.id), String(second.id)], { db });
    expect(asked.code).toBe(1);
    expect(asked.stdout).toBe(
      `would delete 2 experiments:\n  experiment ${first.id} "cliff q-learning" and its 2 runs (${first.runIds.join(', ')})\n  experiment ${second.id} "cliff q-learning" and its 2 runs (${second.runIds.join(', ')})\n`,
    );
    expect(stored(db).experiments).toHaveLength(2);
    const done = aisle(['delete', 'experiment', String(first.id), String(second.id), String(first.id), '--yes', '--json'], { db });
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toEqual({
      deleted: [first.id, second.id],
      experiments: [
        { id: first.id, name: 'cliff q-learning', runs: first.runIds },
        { id: second.id, name: 'cliff q-learning', runs: second.runIds },
      ],
    });
    expect(stored(db)).toEqual({ experiments: [], metricSeries: 0, checkpoints: 0 });
  });

  it('refuses an unknown id, naming it and where ids are listed: exit 2, nothing deleted', () => {
    const { db, experiments } = twoExperiments();
    const [first] = experiments as [{ id: number; runIds: number[] }];
    const before = stored(db);
    for (const [args, line] of [
      // All or nothing: the known run named with it stays.
      [['delete', 'run', String(first.runIds[0]), '999', '--yes'], 'aisle: run 999 does not exist: list runs with `aisle runs`\n'],
      [['delete', 'experiment', '999', '--yes'], 'aisle: experiment 999 does not exist: list experiments with `aisle experiments`\n'],
      // So for experiments: the known one named with it stays.
      [['delete', 'experiment', String(first.id), '999', '--yes'], 'aisle: experiment 999 does not exist: list experiments with `aisle experiments`\n'],
      [['delete', 'run', 'one', '--yes'], 'aisle: runId must be a whole number from 1 up, or a range of them such as 21-40, got "one"\n(run `aisle delete run --help` for usage)\n'],
    ] as const) {
      const r = aisle([...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(line);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    const json = aisle(['delete', 'experiment', '999', '--yes', '--json'], { db });
    expect(JSON.parse(json.stdout)).toEqual({ error: { exitCode: 2, problems: ['experiment 999 does not exist: list experiments with `aisle experiments`'] } });
    expect(stored(db)).toEqual(before);
    // A mistyped --db is not created empty.
    const missing = join(tempDir(), 'typo.db');
    expect(aisle(['delete', 'experiment', '1', '--yes'], { db: missing }).code).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });

  it("refuses runs another process trains or queued, in the app's words, and deletes them once that process is gone", () => {
    const db = join(tempDir(), 'a.db');
    // This test's process stands for `aisle run`: its Store's session is alive while the CLI looks.
    const other = Store.open(db);
    try {
      const spec = { seed: 0, config: {}, configHash: 'd'.repeat(64), appVersion: 'test', episodesTotal: 100 };
      const { experiment, runs } = other.createExperimentWithRuns({ name: 'training elsewhere', config: {}, configHash: 'd'.repeat(64), runs: [spec, { ...spec, seed: 1 }, { ...spec, seed: 2 }] });
      const [done, running, queued] = runs.map((r) => r.id) as [number, number, number];
      other.markRunning(done);
      other.finishRun(done, 'completed', { summary: {} });
      other.markRunning(running);

      const refusedRuns = aisle(['delete', 'run', String(done), String(running), '--yes'], { db });
      expect(refusedRuns.code).toBe(2);
      expect(refusedRuns.stderr).toBe(`aisle: run ${running} is running ${ELSEWHERE}: stop it there first\n`);
      const refusedExperiment = aisle(['delete', 'experiment', String(experiment.id), '--yes', '--json'], { db });
      expect(refusedExperiment.code).toBe(2);
      expect(JSON.parse(refusedExperiment.stdout)).toEqual({
        error: { exitCode: 2, problems: [`experiment ${experiment.id} has active runs: run ${running} is running, run ${queued} is queued ${ELSEWHERE}: stop them there first`] },
      });
      // Refused before --yes is asked for: no "add --yes" for what --yes would not delete.
      expect(aisle(['delete', 'run', String(running)], { db }).stderr).toBe(`aisle: run ${running} is running ${ELSEWHERE}: stop it there first\n`);
      expect(stored(db).experiments).toEqual([{ id: experiment.id, runs: [done, running, queued] }]);

      // The process dies (kill -9: its session stays behind, naming a pid that is gone): its runs
      // are interrupted, as the app would mark them, and deleted with the experiment.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      other.db.prepare('UPDATE store_sessions SET pid = ?').run(gone);
      const deleted = aisle(['delete', 'experiment', String(experiment.id), '--yes'], { db });
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stdout).toBe(`deleted experiment ${experiment.id} "training elsewhere" and its 3 runs (${done}, ${running}, ${queued})\n`);
      expect(stored(db).experiments).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('deletes a run queued before runs had owners, when no other process has the database open', () => {
    const db = join(tempDir(), 'a.db');
    const store = Store.open(db);
    const spec = { seed: 0, config: {}, configHash: 'e'.repeat(64), appVersion: 'old', episodesTotal: 5 };
    const { runs } = store.createExperimentWithRuns({ name: 'orphan', config: {}, configHash: 'e'.repeat(64), runs: [spec] });
    const runId = runs[0]!.id;
    // As an older version left it: no owner, and no session (a reader opening finds no dead one to recover).
    store.db.prepare('UPDATE runs SET owner_session = NULL').run();
    store.db.prepare('DELETE FROM store_sessions').run();
    store.db.close();
    // Nothing will ever start it, and the CLI has no `cancel`: it is interrupted, then deleted.
    const r = aisle(['delete', 'run', String(runId), '--yes'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`deleted 1 run:\n  run ${runId}: experiment 1 "orphan", seed 0, interrupted\n`);
    expect(stored(db).experiments).toEqual([{ id: 1, runs: [] }]);
  });
});
