/**
 * Pause and resume: a run stopped between two episodes with keepState, its state written to bytes
 * and read back, and resumed in a fresh run gives what the same spec gives straight through, bit
 * for bit: every episode's metrics, the summary, the snapshots, the final Q-table or weights and
 * the greedy report. For every agent on the environments it runs on (shop drift included), on the
 * JavaScript loop and the WebAssembly kernel, stopped per episode (onEpisode) and per block
 * (onEpisodes, as the worker stops). Damaged or foreign states are refused naming the field.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MdpFile } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { decodeRunState, encodeRunState, RunStateFormatError, type RunState } from '../../src/engine/resume/format';
import { RESUMABLE_AGENTS, resumeProblem } from '../../src/engine/resume/run-state';
import { agents } from '../../src/engine/registry';
import { ExposureWindow, type EpisodeWindow } from '../../src/engine/envs/shop/metrics';
import { captureState, restoreState, type TypedArray } from '../../src/engine/resume/state-tree';
import { Rng } from '../../src/engine/rng';
import { createEpisodeWindow, WasmExposureWindow } from '../../src/engine/wasm/window';
import { prepareRun, train, type RunSpec, type TrainOptions, type TrainResult } from '../../src/engine/train';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8')) as MdpFile;

const ENVS = {
  'seed-toy': { id: 'seed-toy', states: 6, actions: 3, stepsPerEpisode: 30 },
  cliff: { id: 'tabular-mdp', mdp: cliff, maxSteps: 60 },
  bandit: { id: 'bandit-testbed', arms: 5 },
  // Drifting tastes with a shift inside the run: the environment's own state moves every episode.
  'shop drift': { id: 'shop', items: 8, categories: 2, maxSteps: 12, driftStd: 0.05, shiftAt: 25, shiftMagnitude: 1 },
  'shop drift, features': { id: 'shop', items: 8, categories: 2, maxSteps: 12, driftStd: 0.05, shiftAt: 25, shiftMagnitude: 1, observation: 'vector' },
  'shop exact': { id: 'shop', exact: true, items: 6, categories: 2, segments: 1, fatigueLevels: 2, catalogSeed: 11, maxSteps: 10 },
} as const;

/** Each agent on the environments it runs on, with settings that make it learn within a few dozen episodes. */
const CASES: readonly [agent: Record<string, unknown>, envs: readonly (keyof typeof ENVS)[]][] = [
  [{ id: 'q-learning', epsilon: { start: 1, end: 0.05, decayEpisodes: 30 } }, ['seed-toy', 'cliff', 'shop drift', 'shop exact']],
  [{ id: 'sarsa', epsilon: 0.2 }, ['seed-toy', 'cliff', 'shop exact']],
  [{ id: 'expected-sarsa' }, ['seed-toy', 'cliff']],
  [{ id: 'double-q-learning' }, ['seed-toy', 'cliff']],
  [{ id: 'epsilon-greedy' }, ['bandit', 'shop drift']],
  [{ id: 'ucb1' }, ['bandit', 'shop drift']],
  [{ id: 'thompson' }, ['bandit', 'shop drift']],
  [{ id: 'linucb' }, ['shop drift, features']],
  [{ id: 'random' }, ['bandit', 'shop drift']],
  [{ id: 'most-popular' }, ['shop drift']],
  [{ id: 'myopic-oracle' }, ['shop drift']],
  [{ id: 'dqn', hidden: [8], batchSize: 8, bufferSize: 200, learningStarts: 20, targetUpdate: 15 }, ['cliff', 'shop drift, features']],
  [{ id: 'ppo', hidden: [8], nSteps: 32, batchSize: 16, nEpochs: 2 }, ['cliff', 'shop drift', 'shop drift, features']],
];

const EPISODES = 60;

function spec(env: keyof typeof ENVS, agent: Record<string, unknown>, seed = 7): RunSpec {
  return { env: ENVS[env] as unknown as RunSpec['env'], agent: agent as RunSpec['agent'], episodes: EPISODES, seed, checkpoints: 5 };
}

interface Played {
  readonly result: TrainResult;
  readonly rows: number[];
  /** Snapshots in order: episode, then its values or weights. */
  readonly snapshots: number[];
}

/** Trains, recording rows and snapshots; `stop` says after which episode (or block) to stop. */
function play(s: RunSpec, options: TrainOptions, stop?: { after: number; by: 'episode' | 'block' }): Played {
  const rows: number[] = [];
  const snapshots: number[] = [];
  const result = train(
    s,
    {
      onEpisode: (episode, row) => {
        rows.push(...row);
        return !(stop?.by === 'episode' && episode === stop.after);
      },
      onEpisodes: (first, count) => !(stop?.by === 'block' && first + count - 1 >= stop.after),
      onCheckpoint: (episode, values) => void snapshots.push(episode, ...values.q),
      onWeights: (episode, weights) => void snapshots.push(episode, ...weights.params),
    },
    prepareRun(s),
    options,
  );
  return { result, rows, snapshots };
}

/** The same doubles, bit for bit (NaN equals NaN, +0 and −0 differ). */
function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new BigUint64Array(Float64Array.from(actual).buffer);
  const e = new BigUint64Array(Float64Array.from(expected).buffer);
  for (let i = 0; i < a.length; i++) if (a[i] !== e[i]) expect(`${what}[${i}] = ${actual[i]}`).toBe(`${what}[${i}] = ${expected[i]}`);
}

/** Pauses `s` after `after`, resumes it from its state's bytes, and holds the two halves to `straight`. */
function expectResumedEqualsStraight(s: RunSpec, straight: Played, backend: TrainOptions['backend'], stop: { after: number; by: 'episode' | 'block' }): void {
  const first = play(s, { backend, keepState: true }, stop);
  expect(first.result.status).toBe('cancelled');
  expect(first.result.state, 'a run stopped between episodes keeps its state').toBeDefined();
  const bytes = encodeRunState(first.result.state!);
  const second = play(s, { backend, resume: decodeRunState(bytes) });
  expect(second.result.status).toBe('completed');
  expect(second.result.episodes).toBe(EPISODES);
  const what = `${s.agent.id} on ${s.env.id} (${backend}, stopped by ${stop.by} after ${stop.after})`;
  expectSameBits([...first.rows, ...second.rows], straight.rows, `${what}: rows`);
  expectSameBits([...first.snapshots, ...second.snapshots], straight.snapshots, `${what}: snapshots`);
  expect(second.result.summary, `${what}: summary`).toEqual(straight.result.summary);
  expect(second.result.steps).toBe(straight.result.steps);
  if (straight.result.values) expectSameBits(second.result.values!.q, straight.result.values.q, `${what}: Q-table`);
  if (straight.result.weights) expectSameBits(second.result.weights!.params, straight.result.weights.params, `${what}: weights`);
  expect(second.result.greedy).toEqual(straight.result.greedy);
}

describe('a paused run resumed equals the run straight through', () => {
  for (const [agent, envs] of CASES) {
    for (const env of envs) {
      it(`${agent.id} on ${env}`, () => {
        const s = spec(env, agent);
        const straight = play(s, { backend: 'js' });
        expect(straight.result.status).toBe('completed');
        for (const after of [0, 17, 41]) expectResumedEqualsStraight(s, straight, 'js', { after, by: 'episode' });
        expectResumedEqualsStraight(s, straight, 'js', { after: 29, by: 'block' });
      });
    }
  }

  for (const agent of ['q-learning', 'sarsa', 'expected-sarsa', 'double-q-learning']) {
    for (const env of ['seed-toy', 'cliff'] as const) {
      it(`${agent} on ${env} in the WebAssembly kernel`, () => {
        const s = spec(env, { id: agent, epsilon: { start: 1, end: 0.05, decayEpisodes: 30 } });
        const straight = play(s, { backend: 'wasm' });
        expect(straight.result.backend).toBe('wasm');
        for (const after of [0, 17, 41]) expectResumedEqualsStraight(s, straight, 'wasm', { after, by: 'episode' });
        // The worker stops at the end of a kernel chunk; a chunk ends at each snapshot episode.
        expectResumedEqualsStraight(s, straight, 'wasm', { after: 10, by: 'block' });
        // A state taken on one path resumes on the other: both play the same episodes.
        const paused = play(s, { backend: 'wasm', keepState: true }, { after: 20, by: 'episode' });
        const onJs = play(s, { backend: 'js', resume: paused.result.state! });
        expectSameBits([...paused.rows, ...onJs.rows], straight.rows, `${agent} on ${env}: kernel then JavaScript`);
      });
    }
  }

  // Greedy evaluation (every 7 episodes and at the last): a resumed run evaluates at the same
  // episodes with the same results, its evaluations starting at the first episode it plays.
  for (const [agent, env, backend] of [
    [{ id: 'q-learning' }, 'cliff', 'wasm'],
    [{ id: 'q-learning' }, 'cliff', 'js'],
    [{ id: 'dqn', hidden: [8], batchSize: 8, bufferSize: 200, learningStarts: 20, targetUpdate: 15 }, 'shop drift, features', 'js'],
  ] as const) {
    it(`${agent.id} on ${env} (${backend}) with greedy evaluation`, () => {
      const s: RunSpec = { ...spec(env, agent), evaluation: { every: 7, episodes: 3 } };
      const straight = play(s, { backend });
      expect(straight.result.backend).toBe(backend);
      expect(straight.rows.some((v) => Number.isNaN(v)) && straight.rows.some((v, i) => i > 0 && !Number.isNaN(v)), 'rows with and without an evaluation').toBe(true);
      for (const after of [6, 7, 30]) expectResumedEqualsStraight(s, straight, backend, { after, by: 'episode' });
    });
  }

  it('covers every agent the registry has (a new agent is either tested here or refused)', () => {
    const tested = new Set(CASES.map(([agent]) => agent.id as string));
    for (const { id } of agents) expect(RESUMABLE_AGENTS.has(id), id).toBe(tested.has(id));
  });
});

describe("the shop's exposure window through a checkpoint", () => {
  // Items 0..5 in two categories, four slates of two; the ring starts at 2 steps, so it grows after the pause.
  const category = Int32Array.from([0, 0, 0, 1, 1, 1]);
  const slates = Int32Array.from([0, 1, 1, 4, 2, 5, 3, 0]);
  const make = (kind: 'js' | 'wasm'): EpisodeWindow => (kind === 'js' ? new ExposureWindow(category, slates, 2, 3, 2) : createEpisodeWindow(category, slates, 2, 3, 2));
  const metrics = (w: EpisodeWindow) => [w.coverage(), w.diversity(), w.gini(), w.novelty(), ...w.exposures];
  const feed = (w: EpisodeWindow, rng: Rng, episodes: number, out: number[]) => {
    for (let e = 0; e < episodes; e++) {
      const steps = 1 + rng.int(6);
      for (let t = 0; t < steps; t++) w.record(rng.int(4), rng.int(7) - 1);
      w.closeEpisode();
      out.push(...metrics(w));
    }
  };

  for (const kind of ['js', 'wasm'] as const) {
    it(`${kind}: restored mid-way, it reports what the window straight through does (its ring grown meanwhile)`, () => {
      const straight: number[] = [];
      feed(make(kind), new Rng(3, 0), 40, straight);
      const first = make(kind);
      const rng = new Rng(3, 0);
      const resumed: number[] = [];
      feed(first, rng, 2, resumed);
      const blobs: TypedArray[] = [];
      const node = captureState(first, blobs);
      const second = make(kind);
      if (kind === 'wasm') expect(second).toBeInstanceOf(WasmExposureWindow);
      restoreState(second, node, blobs);
      feed(second, rng, 38, resumed);
      expectSameBits(resumed, straight, `${kind} window`);
    });
  }
});

describe('a state taken where no checkpoints were taken', () => {
  it('resumes under checkpoint hooks, its past checkpoints skipped (the kernel loop had played no episode, forever)', () => {
    const s = spec('seed-toy', { id: 'q-learning' });
    // Stopped after episode 29 by a loop with no checkpoint hooks: its checkpoint counter stays at 0.
    const first = train(s, { onEpisode: (episode) => episode < 29 }, prepareRun(s), { backend: 'js', keepState: true });
    expect(first.status).toBe('cancelled');
    expect(first.episodes).toBe(30);
    const straight = play(s, { backend: 'wasm' });
    const second = play(s, { backend: 'wasm', resume: decodeRunState(encodeRunState(first.state!)) });
    expect(second.result.status).toBe('completed');
    expect(second.result.episodes).toBe(EPISODES);
    // The checkpoints after the resumed episode are those of the straight run; none before it.
    const episodesOf = (snapshots: number[]) => snapshots.filter((_, i) => i % (1 + 6 * 3) === 0);
    expect(episodesOf(second.snapshots)).toEqual(episodesOf(straight.snapshots).filter((e) => e >= first.episodes));
    expectSameBits(second.result.values!.q, straight.result.values!.q, 'Q-table');
  });
});

describe('what cannot be resumed', () => {
  const s = spec('cliff', { id: 'q-learning' });
  const paused = () => play(s, { backend: 'js', keepState: true }, { after: 9, by: 'episode' }).result.state!;

  it('a stop inside an episode keeps no state: the episode under way is dropped', () => {
    const long: RunSpec = { ...spec('seed-toy', { id: 'q-learning' }), env: { id: 'seed-toy', states: 4, actions: 2, stepsPerEpisode: 5000 } };
    let polls = 0;
    const result = train(long, { stopRequested: () => ++polls > 3 }, prepareRun(long), { backend: 'js', keepState: true });
    expect(result.status).toBe('cancelled');
    expect(result.state).toBeUndefined();
  });

  it('nothing is kept without keepState (the hot path takes no state)', () => {
    expect(play(s, { backend: 'js' }, { after: 9, by: 'episode' }).result.state).toBeUndefined();
  });

  it('damaged bytes are refused by their checksum', () => {
    const bytes = encodeRunState(paused());
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0x10;
    expect(() => decodeRunState(bytes)).toThrow(new RunStateFormatError('is damaged: its checksum does not match its bytes'));
    expect(() => decodeRunState(new TextEncoder().encode('{"not":"a state"}'))).toThrow(/first bytes are not "AISLERUN"/);
    expect(() => decodeRunState(encodeRunState(paused()).subarray(0, 100))).toThrow(RunStateFormatError);
  });

  it('a state of another run is refused, naming the field', () => {
    const state = paused();
    const other = { ...s, seed: 8 };
    expect(() => train(other, {}, prepareRun(other), { resume: state })).toThrow(new ValidationError(['checkpoint.seed: 7 is not the run\'s 8: the checkpoint belongs to another run']));
    const bigger: RunSpec = { ...s, agent: { id: 'double-q-learning' } };
    expect(() => train(bigger, {}, prepareRun(bigger), { resume: state })).toThrow(/checkpoint.agentId/);
  });

  it('a state that does not fit the run is refused, naming the field', () => {
    const state = paused();
    // The Q-table is the one array of 48 states × 4 actions: cut short, it no longer fits the run's.
    const shorter: RunState = { ...state, blobs: state.blobs.map((b) => (b.length === 48 * 4 ? b.slice(0, 10) : b)) };
    expect(() => train(s, {}, prepareRun(s), { resume: shorter })).toThrow(/^checkpoint\.agent\.q: holds 192 values, the checkpoint 10/);
  });

  it('an agent outside the tested list is refused with its name', () => {
    expect(resumeProblem('q-learning')).toBeNull();
    expect(resumeProblem('some-new-agent')).toBe('agent.id: some-new-agent (some-new-agent) cannot be paused and resumed yet: its runs can only be run again from the start');
  });
});
