// Pausing a run on the job pool, and holding a resumed run to the same run trained straight through.
import { expect } from 'vitest';
import { resolve } from 'node:path';
import { JobPool } from '../../src/main/jobs/pool';
import { pauseRun } from '../../src/main/resume';
import type { Store } from '../../src/main/store';
import type { Agent } from '../../src/engine/agent';
import { encodeRunState } from '../../src/engine/resume/format';
import { captureState, type TypedArray } from '../../src/engine/resume/state-tree';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';

export const notElsewhere = () => null;

const WORKER = resolve(__dirname, '../../out/main/worker.js');

/** A pool of one worker (the build's), its metrics flushed every 5 ms: what the pause tests train on. */
export function poolOfOne(store: Store): JobPool {
  return new JobPool({ workerPath: WORKER, sink: store, size: 1, flushMs: 5 });
}

/** Trains `s` as run `runId` on a pool of its own until it is paused after its first episode, then closes that pool. */
export async function pausedOnItsOwnPool(store: Store, runId: number, s: RunSpec): Promise<void> {
  const pool = poolOfOne(store);
  pool.enqueue(runId, s);
  await pauseAfter(pool, store, runId, 1);
  await pool.idle();
  await pool.close();
}

/** Pauses the run once it has played `after` episodes; resolves when the pause is recorded. */
export async function pauseAfter(pool: JobPool, store: Store, runId: number, after: number): Promise<void> {
  let asked = false;
  const paused = new Promise<void>((res) => pool.on('status', (e) => e.runId === runId && e.status === 'paused' && res()));
  pool.on('progress', (p) => {
    if (p.runId !== runId || asked || p.episodesDone < after) return;
    asked = true;
    pauseRun(store, pool, runId, notElsewhere);
  });
  await paused;
}

/** Trains `s` straight through in-process, and holds the stored run to it. */
export function expectStoredEqualsStraight(store: Store, runId: number, s: RunSpec): void {
  const rows: number[][] = [];
  const snapshots = new Set<number>();
  const local = train(s, { onEpisode: (_e, row) => void rows.push(Array.from(row)), onCheckpoint: (e) => void snapshots.add(e), onWeights: (e) => void snapshots.add(e) });
  const run = store.getRun(runId);
  expect(run.status).toBe('completed');
  expect(run.episodesDone).toBe(s.episodes);
  expect(run.summary).toEqual(JSON.parse(JSON.stringify(local.summary)));
  local.metricNames.forEach((name, m) => {
    const stored = Array.from(store.readMetricRaw(runId, name));
    expect(stored, name).toEqual(rows.map((r) => Math.fround(r[m]!)));
  });
  const final = store.listCheckpoints(runId).filter((c) => c.episode === s.episodes - 1);
  const table = final.find((c) => c.kind === 'qtable');
  const weights = final.find((c) => c.kind === 'weights');
  if (local.values) expect(Array.from(store.getCheckpoint(table!.id).data)).toEqual(Array.from(local.values.q));
  if (local.weights) expect(Array.from(store.getWeights(weights!.id).params)).toEqual(Array.from(local.weights.params));
  // The snapshots of the run straight through, and no other: not one taken where it stopped.
  if (local.values || local.weights) {
    const stored = [...new Set(store.listCheckpoints(runId).map((c) => c.episode))].sort((a, b) => a - b);
    expect(stored, 'snapshot episodes').toEqual([...snapshots, s.episodes - 1].sort((a, b) => a - b));
  }
}

/**
 * Trains `s` in-process, stopped after episode `after` with its state kept: the agent, the bytes its
 * state copies from the agent's typed arrays, and the whole encoded state's length.
 */
export function pausedStateBytes(s: RunSpec, after: number): { agent: Agent; agentBytes: number; encodedBytes: number } {
  const prepared = prepareRun(s);
  const result = train(s, { onEpisode: (episode) => episode < after }, prepared, { keepState: true });
  const blobs: TypedArray[] = [];
  captureState(prepared.agent, blobs, 'agent');
  return { agent: prepared.agent, agentBytes: blobs.reduce((n, b) => n + b.byteLength, 0), encodedBytes: encodeRunState(result.state!).length };
}
