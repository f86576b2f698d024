// A shop run paused on the job pool (real worker threads) and resumed in another pool, as another
// process would: its stored checkpoint holds the run's state without the shop's model (built again
// from the parameters where it resumes), and the run ends as it would have straight through, bit
// for bit, its users' tastes drifting every episode and shifting halfway.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { resumeRun } from '../../src/main/resume';
import { Store } from '../../src/main/store';
import { decodeRunState } from '../../src/engine/resume/format';
import type { StateNode } from '../../src/engine/resume/state-tree';
import type { RunSpec } from '../../src/engine/train';
import { storeOneRun } from '../helpers/one-run';
import { expectStoredEqualsStraight, pausedOnItsOwnPool, poolOfOne } from '../helpers/resume';
import { tempDir } from '../helpers/tmp';

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
    const runId = storeOneRun(store, 'shop pause', SPEC);
    await pausedOnItsOwnPool(store, runId, SPEC);
    const paused = store.getRun(runId);
    expect(paused.status).toBe('paused');
    expect(paused.episodesDone, 'paused before the end').toBeLessThan(SPEC.episodes);

    const db = new Database(file, { readonly: true });
    const row = db.prepare<[number], { data: Buffer }>('SELECT data FROM run_states WHERE run_id = ?').get(runId)!;
    db.close();
    const env = (decodeRunState(new Uint8Array(row.data)).env as { $fields: Record<string, StateNode> }).$fields;
    expect(Object.keys(env)).not.toContain('model');
    expect(Object.keys(env)).toContain('affinity');

    const second = poolOfOne(store);
    expect(resumeRun(store, second, runId).episode).toBe(paused.episodesDone);
    await second.idle();
    await second.close();
    expectStoredEqualsStraight(store, runId, SPEC);
    store.close();
  });
});
