// A shop run paused on the job pool (real worker threads) and resumed in another pool, as another
// process would: its stored checkpoint holds the run's state without the shop's model (built again
// from the parameters where it resumes), and the run ends as it would have straight through, bit
// for bit, its users' tastes drifting every episode and shifting halfway.
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JobPool } from '../../src/main/jobs/pool';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { decodeRunState } from '../../src/engine/resume/format';
import type { StateNode } from '../../src/engine/resume/state-tree';
import type { RunSpec } from '../../src/engine/train';
import { expectStoredEqualsStraight, pauseAfter } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

const WORKER = resolve(__dirname, '../../out/main/worker.js');

const SPEC = {
  env: { id: 'shop', items: 40, categories: 4, slateSize: 3, maxSteps: 12, driftStd: 0.05, shiftAt: 60_000, shiftMagnitude: 1 },
  agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 20_000 } },
  episodes: 120_000,
  seed: 3,
  checkpoints: 3,
} as unknown as RunSpec;

describe('a shop run paused and resumed on the job pool', () => {
  it('keeps no model in its checkpoint, and equals the run straight through (tastes drifting, shifting after the pause)', async () => {
    const file = join(tempDir(), 'shop-pause.db');
    const store = Store.open(file);
    const { runs } = store.createExperimentWithRuns({
      name: 'shop pause',
      config: {},
      configHash: 'a'.repeat(64),
      runs: [{ seed: SPEC.seed, config: SPEC, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: SPEC.episodes }],
    });
    const runId = runs[0]!.id;
    const first = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    first.enqueue(runId, SPEC);
    await pauseAfter(first, store, runId, 1);
    await first.idle();
    await first.close();
    const paused = store.getRun(runId);
    expect(paused.status).toBe('paused');
    expect(paused.episodesDone, 'paused before the end').toBeLessThan(SPEC.episodes);

    const db = new Database(file, { readonly: true });
    const row = db.prepare<[number], { data: Buffer }>('SELECT data FROM run_states WHERE run_id = ?').get(runId)!;
    db.close();
    const env = (decodeRunState(new Uint8Array(row.data)).env as { $fields: Record<string, StateNode> }).$fields;
    expect(Object.keys(env)).not.toContain('model');
    expect(Object.keys(env)).toContain('affinity');

    const second = new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
    expect(resumeRun(store, second, runId).episode).toBe(paused.episodesDone);
    await second.idle();
    await second.close();
    expectStoredEqualsStraight(store, runId, SPEC);
    store.close();
  });
});
