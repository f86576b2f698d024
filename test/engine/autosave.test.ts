/**
 * Autosave: train() hands the run's state to onState, while it trains, at a block's end where
 * stateWanted asks for it. Training goes on unchanged (the same metrics and final values as a run
 * that took none), the state is the one a pause at that block keeps, byte for byte, and a fresh
 * run resumed from it ends as the run straight through: on the JavaScript loop (a tabular agent,
 * DQN) and on the WebAssembly kernel.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MdpFile } from '../../src/engine/mdp/format';
import { decodeRunState, encodeRunState, type RunState } from '../../src/engine/resume/format';
import { train, type RunSpec, type TrainResult } from '../../src/engine/train';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8')) as MdpFile;

const CASES: Record<string, { spec: RunSpec; backend: 'js' | 'wasm' }> = {
  'q-learning on seed-toy, kernel': {
    spec: { env: { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 300 }, agent: { id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 3000 } }, episodes: 6000, seed: 4, checkpoints: 3 },
    backend: 'wasm',
  },
  'q-learning on the cliff, JavaScript': {
    spec: { env: { id: 'tabular-mdp', mdp: cliff, maxSteps: 60 }, agent: { id: 'q-learning', epsilon: 0.2 }, episodes: 300, seed: 4, checkpoints: 3 },
    backend: 'js',
  },
  'dqn on the cliff, JavaScript': {
    spec: { env: { id: 'tabular-mdp', mdp: cliff, maxSteps: 60 }, agent: { id: 'dqn', hidden: [8], batchSize: 8, bufferSize: 300, learningStarts: 30 }, episodes: 120, seed: 4, checkpoints: 2 },
    backend: 'js',
  },
};

interface Played {
  readonly result: TrainResult;
  /** Every episode's metrics, in order. */
  readonly rows: number[];
  readonly autosaves: { episode: number; bytes: Uint8Array }[];
}

/** Plays `spec`, asking for the state after the blocks numbered in `at` (0-based), stopping after block `pauseAt` if given. */
function play(spec: RunSpec, backend: 'js' | 'wasm', opts: { at?: readonly number[]; pauseAt?: number; resume?: RunState } = {}): Played {
  const rows: number[] = [];
  const autosaves: Played['autosaves'] = [];
  let block = -1;
  const result = train(
    spec,
    {
      onEpisodes(_first, count, values, width) {
        block++;
        rows.push(...values.subarray(0, count * width));
        return block !== opts.pauseAt;
      },
      stateWanted: () => opts.at?.includes(block) ?? false,
      onState: (state) => void autosaves.push({ episode: state.episode, bytes: encodeRunState(state) }),
    },
    undefined,
    { backend, keepState: true, ...(opts.resume ? { resume: opts.resume } : {}) },
  );
  return { result, rows, autosaves };
}

/** A state's trees and arrays, as plain values, without the arenas' offsets in the kernels' memory. */
function comparable(state: RunState): unknown {
  const { blobs, ...trees } = state;
  return { trees: JSON.parse(JSON.stringify(trees, (key, value: unknown) => (key === 'byteOffset' ? undefined : value))) as unknown, blobs: blobs.map((b) => Array.from(b)) };
}

function sameEnd(a: TrainResult, b: TrainResult): void {
  expect(a.episodes).toBe(b.episodes);
  expect(a.summary).toEqual(b.summary);
  expect(a.values?.q && Array.from(a.values.q)).toEqual(b.values?.q && Array.from(b.values.q));
  expect(a.weights?.params && Array.from(a.weights.params)).toEqual(b.weights?.params && Array.from(b.weights.params));
}

describe('autosave while training', () => {
  for (const [name, { spec, backend }] of Object.entries(CASES)) {
    it(`${name}: goes on unchanged, keeps a pause's state, and resumes to the straight run`, () => {
      const straight = play(spec, backend);
      expect(straight.result.backend).toBe(backend);
      const saved = play(spec, backend, { at: [2, 5] });
      expect(saved.autosaves.map((a) => a.episode)).toHaveLength(2);
      expect(saved.rows).toEqual(straight.rows);
      sameEnd(saved.result, straight.result);
      expect(saved.result.state, 'a run that completes keeps no state').toBeUndefined();

      const last = saved.autosaves[1]!;
      expect(last.episode).toBeGreaterThan(0);
      expect(last.episode).toBeLessThan(spec.episodes);
      // The pause at the same block keeps the same state: every array and field but where a network's
      // arena happens to sit in the kernels' memory (this process built other networks before).
      const paused = play(spec, backend, { pauseAt: 5 });
      expect(paused.result.state?.episode).toBe(last.episode);
      expect(comparable(decodeRunState(last.bytes))).toEqual(comparable(paused.result.state!));

      const resumed = play(spec, backend, { resume: decodeRunState(last.bytes) });
      const width = straight.result.metricNames.length;
      expect(resumed.rows).toEqual(straight.rows.slice(last.episode * width));
      sameEnd(resumed.result, straight.result);
    });
  }

  it('takes no state after the last episode, nor without onState', () => {
    const { spec, backend } = CASES['q-learning on the cliff, JavaScript']!;
    const everyBlock = play(spec, backend, { at: Array.from({ length: spec.episodes }, (_, i) => i) });
    expect(everyBlock.autosaves.map((a) => a.episode)).toEqual(Array.from({ length: spec.episodes - 1 }, (_, i) => i + 1));
    let asked = 0;
    train(spec, { stateWanted: () => ++asked > 0 }, undefined, { backend });
    expect(asked).toBe(0);
  });
});
