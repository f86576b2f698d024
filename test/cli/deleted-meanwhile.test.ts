// `aisle run` while another process deletes one of its runs once finished (the app's Delete, or
// `aisle delete`, on a sweep's first experiment while the next still trains): the command still
// prints what it trained and exits as it would have, the deleted run left out and named.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { experimentSummaryText } from '../../src/cli/run-summary';
import { aisle, aisleSpawn, seedToyExperiment, untilRuns, unwrapped } from '../helpers/cli';

describe('a run deleted by another process while aisle run trains the others', () => {
  it('is left out of the summary and named, and the command ends as it would have', { timeout: 120_000 }, async () => {
    const { db, file } = seedToyExperiment('toy', 20, 1);
    // One worker: experiment 1's short run finishes, then experiment 2's long one trains.
    const child = aisleSpawn(['--json', 'run', file, '--workers', '1', '--set', 'episodes=20,50000000'], { db });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    await untilRuns(db, (runs) => runs.some((r) => r.id === 1 && r.status === 'completed') && runs.some((r) => r.id === 2 && r.episodesDone >= 100));
    const deleted = aisle(['delete', 'run', '1', '--yes'], { db });
    expect(deleted.code, deleted.stderr).toBe(0);
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(130); // cancelled, as without the delete; not "run 1 does not exist", exit 2

    const report = JSON.parse(stdout) as { experiments: { experimentId: number; runs: { runId: number; status: string }[]; deletedRuns?: number[] }[] };
    expect(report.experiments.map(({ experimentId, runs, deletedRuns }) => ({ experimentId, runs: runs.map((r) => [r.runId, r.status]), deletedRuns }))).toEqual([
      { experimentId: 1, runs: [], deletedRuns: [1] },
      { experimentId: 2, runs: [[2, 'cancelled']], deletedRuns: undefined },
    ]);
    expect(unwrapped(stderr)).toContain('aisle: warning: run 1 was deleted by another process (`aisle delete`, or the app) once finished, while this one trained the others: left out of the summary');
  });
});

describe('every run of a lone experiment deleted by another process while aisle run trained it', () => {
  // Deleting waits for a run to finish, and a lone experiment's command then ends: the gap is short,
  // so its words are checked here rather than by racing a delete against it.
  it('is one line saying so, in place of a summary table of no rows', () => {
    const report = { experimentId: 3, runs: [], deletedRuns: [7, 8] };
    const line = 'experiment 3 "toy": its runs 7, 8 were deleted by another process (`aisle delete`, or the app) once finished, while this one trained: no summary to print';
    expect(experimentSummaryText(report, 'toy', 200)).toBe(`${line}\n`);
    expect(experimentSummaryText({ ...report, deletedRuns: [7] }, 'toy', 200)).toContain(': its run 7 was deleted by another process');
    // Wrapped to a narrow terminal as every sentence is, its words kept.
    const narrow = experimentSummaryText(report, 'toy', 60);
    for (const l of narrow.trimEnd().split('\n')) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(narrow.trimEnd().split('\n').join(' ')).toBe(line);
  });
});
