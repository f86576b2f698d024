// The app's Resume (runs.resume) on a run interrupted by a crash: its run detail offers to continue
// from its last autosave (resumableAt), and resuming it plays the episodes after the autosave again,
// to the metrics, summary and final Q-table of the run straight through.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRunState } from '../../src/engine/resume/format';
import { train, type RunSpec } from '../../src/engine/train';
import { Store } from '../../src/main/store';
import { storeOneRun } from '../helpers/one-run';
import { CLIFF_MDP, openService, type TestService } from '../helpers/service';
import { tempDir } from '../helpers/tmp';

const SPEC = { env: { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 200 }, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 }, episodes: 3000, seed: 3, checkpoints: 2 } as RunSpec;

let t: TestService | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("the app's Resume of an interrupted run", () => {
  it('continues from its last autosave, the episodes stored after it played again', async () => {
    // The run as its process stored it before it died: an autosave at `at`, episodes past it.
    const rows: number[][] = [];
    let state: { episode: number; data: Uint8Array } | undefined;
    const straight = train(SPEC, {
      onEpisode: (_e, row) => void rows.push(Array.from(row)),
      // As the worker trains: its checkpoints are taken, and the state counts them.
      onCheckpoint: () => {},
      stateWanted: () => state === undefined && rows.length >= 150,
      onState: (s) => void (state = { episode: s.episode, data: encodeRunState(s) }),
    });
    const at = state!.episode;
    const file = join(tempDir(), 'crashed.db');
    const before = Store.open(file);
    const runId = storeOneRun(before, 'crashed', SPEC);
    before.markRunning(runId);
    const stored = at + 50;
    const columns = Object.fromEntries(straight.metricNames.map((name, m) => [name, Float32Array.from(rows.slice(0, stored), (r) => r[m]!)]));
    before.appendMetrics(runId, { start: 0, count: at, columns: Object.fromEntries(Object.entries(columns).map(([n, v]) => [n, v.slice(0, at)])) });
    before.autosaveRun(runId, state!);
    before.appendMetrics(runId, { start: at, count: stored - at, columns: Object.fromEntries(Object.entries(columns).map(([n, v]) => [n, v.slice(at)])) });
    before.close(); // its process ends with the run unfinished

    t = openService({ workers: 1, dbPath: file });
    const detail = await t.call('runs.get', { id: runId });
    expect(detail.status).toBe('interrupted');
    expect(detail.episodesDone).toBe(stored);
    expect(detail.resumableAt).toBe(at);
    expect(await t.call('runs.resume', { id: runId })).toMatchObject({ runId, episode: at });
    const [end] = await t.until([runId], ['completed', 'failed', 'cancelled']);
    expect(end, JSON.stringify(t.store.getRun(runId).error)).toMatchObject({ status: 'completed' });
    const run = t.store.getRun(runId);
    expect(run.episodesDone).toBe(SPEC.episodes);
    expect(run.summary).toEqual(JSON.parse(JSON.stringify(straight.summary)));
    straight.metricNames.forEach((name, m) => expect(Array.from(t!.store.readMetricRaw(runId, name)), name).toEqual(rows.map((r) => Math.fround(r[m]!))));
    const checkpoints = t.store.listCheckpoints(runId);
    expect(Array.from(t.store.getCheckpoint(checkpoints[checkpoints.length - 1]!.id).data)).toEqual(Array.from(straight.values!.q));
  });
});
