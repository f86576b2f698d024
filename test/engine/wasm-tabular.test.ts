/**
 * The WebAssembly fast path of tabular training against its reference, the JavaScript loop: for
 * every environment × agent pair it covers, over seeds, ε schedules, initial values and MDP shapes,
 * both give the same bits in every episode's metrics, the Q-tables, checkpoints, summaries and
 * greedy reports, and leave the agent in the same state; a run stopped at any episode (inside a
 * chunk, at its edge, at a checkpoint) ends identically; without the kernel, training falls back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TabularAgent } from '../../src/engine/agents/tabular';
import type { MdpFile } from '../../src/engine/mdp/format';
import { Rng } from '../../src/engine/rng';
import { prepareRun, train, type RunSpec, type TrainOptions, type TrainResult } from '../../src/engine/train';
import { tabularKernelModule } from '../../src/engine/wasm/tabular';

const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8')) as MdpFile;

/**
 * A random MDP with what the cliff lacks: pairs with more than 8 transitions (the binary search),
 * several start states, fractional and negative rewards, and terminal states reached by chance.
 */
function randomMdp(seed: number): MdpFile {
  const rng = new Rng(seed, 99);
  const states = 14;
  const actions = 3;
  const terminal = [12, 13];
  const transitions: [number, number, number, number, number][] = [];
  for (let s = 0; s < states; s++) {
    if (terminal.includes(s)) continue;
    for (let a = 0; a < actions; a++) {
      const n = 1 + rng.int(states - 1); // 1..13 next states, some pairs above the linear-scan limit of 8
      const next = Array.from({ length: states }, (_, i) => i).sort(() => rng.next() - 0.5).slice(0, n);
      const weights = next.map(() => 0.05 + rng.next());
      const total = weights.reduce((x, y) => x + y, 0);
      let left = 1;
      next.forEach((ns, i) => {
        const p = i === n - 1 ? left : weights[i]! / total;
        left -= p;
        transitions.push([s, a, p, ns, Math.round((rng.next() * 4 - 2) * 1000) / 1000]);
      });
    }
  }
  return { format: 'aisle.mdp/v1', name: 'random', states, actions, start: { '0': 0.5, '3': 0.25, '7': 0.25 }, terminal, transitions };
}

const ENVS: Record<string, Record<string, unknown>> = {
  'seed-toy 10x5': { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 100 },
  'seed-toy 2x3 (ties)': { id: 'seed-toy', states: 2, actions: 3, stepsPerEpisode: 7 },
  // seed-toy × Q-learning's loop draws the environment 256 steps ahead: an episode of two whole blocks
  'seed-toy 4x3, 512 steps': { id: 'seed-toy', states: 4, actions: 3, stepsPerEpisode: 512 },
  cliff: { id: 'tabular-mdp', mdp: cliff, maxSteps: 1000 },
  'cliff truncated at 15': { id: 'tabular-mdp', mdp: cliff, maxSteps: 15 },
  'random MDP': { id: 'tabular-mdp', mdp: randomMdp(5), maxSteps: 40 },
};

const AGENTS = ['q-learning', 'sarsa', 'expected-sarsa', 'double-q-learning'];

const SETTINGS: Record<string, Record<string, unknown>> = {
  'ε 0.1': { alpha: 0.1, gamma: 0.99, epsilon: 0.1, initialQ: 0 },
  'ε schedule, optimistic': { alpha: 0.5, gamma: 1, epsilon: { start: 1, end: 0.05, decayEpisodes: 40 }, initialQ: 3 },
  'greedy (ε 0), ties': { alpha: 1, gamma: 0.9, epsilon: 0, initialQ: -2 },
};

function spec(env: string, agent: string, settings: string, seed: number, episodes = 60, checkpoints = 4): RunSpec {
  return { env: ENVS[env] as RunSpec['env'], agent: { id: agent, ...SETTINGS[settings] }, episodes, seed, checkpoints };
}

interface Outcome {
  readonly result: TrainResult;
  readonly rows: Float64Array;
  readonly checkpoints: { episode: number; q: Float64Array }[];
  readonly agent: TabularAgent;
}

/** Trains with one backend, recording every row and checkpoint; onEpisode stops the run at `stopAt`. */
function play(s: RunSpec, backend: TrainOptions['backend'], stopAt = -1): Outcome {
  const rows: number[] = [];
  const checkpoints: Outcome['checkpoints'] = [];
  const prepared = prepareRun(s);
  const result = train(
    s,
    {
      onEpisode: (episode, row) => {
        rows.push(...row);
        return episode !== stopAt;
      },
      onCheckpoint: (episode, values) => void checkpoints.push({ episode, q: Float64Array.from(values.q) }),
    },
    prepared,
    { backend },
  );
  return { result, rows: Float64Array.from(rows), checkpoints, agent: prepared.agent as TabularAgent };
}

/** The same doubles, bit for bit (+0 and −0 differ; NaN equals NaN). */
function expectSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const a = new BigUint64Array(Float64Array.from(actual).buffer);
  const e = new BigUint64Array(Float64Array.from(expected).buffer);
  const at = a.findIndex((bits, i) => bits !== e[i]);
  if (at >= 0) expect.fail(`${what}: first difference at [${at}]: ${actual[at]} (wasm) vs ${expected[at]} (js)`);
}

function expectSameRun(wasm: Outcome, js: Outcome): void {
  expect(wasm.result.backend).toBe('wasm');
  expect(js.result.backend).toBe('js');
  expectSameBits(wasm.rows, js.rows, 'per-episode metrics');
  const { backend: _w, values: wv, ...wRest } = wasm.result;
  const { backend: _j, values: jv, ...jRest } = js.result;
  expect(wRest).toEqual(jRest); // status, episodes, steps, metric names, summary, greedy report
  for (const name of js.result.metricNames) {
    expectSameBits([wasm.result.summary[name]!.mean, wasm.result.summary[name]!.last100], [js.result.summary[name]!.mean, js.result.summary[name]!.last100], `summary ${name}`);
  }
  expectSameBits(wv!.q, jv!.q, 'final Q');
  expect(wasm.checkpoints.map((c) => c.episode)).toEqual(js.checkpoints.map((c) => c.episode));
  wasm.checkpoints.forEach((c, i) => expectSameBits(c.q, js.checkpoints[i]!.q, `checkpoint at episode ${c.episode}`));
  // The agents continue identically: same tables, schedule position, and generator.
  const w = wasm.agent.learningState();
  const j = js.agent.learningState();
  expect(w.episode).toBe(j.episode);
  w.tables.forEach((t, k) => expectSameBits(t, j.tables[k]!, `table ${k}`));
  expect([w.rng.nextU32(), w.rng.nextU32()]).toEqual([j.rng.nextU32(), j.rng.nextU32()]);
  expect(wasm.agent.greedyAction(1)).toBe(js.agent.greedyAction(1));
}

describe('WebAssembly tabular kernel', () => {
  it('is built and compiles here', () => {
    expect(tabularKernelModule()).toBeInstanceOf(WebAssembly.Module);
  });

  describe.each(Object.keys(ENVS))('%s', (env) => {
    it.each(AGENTS)('%s: identical to the JavaScript loop over seeds, ε schedules and initial values', (agent) => {
      for (const settings of Object.keys(SETTINGS)) {
        for (const seed of [0, 7]) {
          const s = spec(env, agent, settings, seed);
          expectSameRun(play(s, 'wasm'), play(s, 'js'));
        }
      }
    });
  });

  it('draws integers as Rng.int does for every range it uses (n ≤ 2^21)', () => {
    // The kernel computes ⌊u·2^-32·n⌋ as (u·n) >> 32 (assembly/rng.ts); here both forms meet on edge values.
    const us = [0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
    const rng = new Rng(3);
    for (let i = 0; i < 2000; i++) us.push(rng.nextU32());
    for (const n of [1, 2, 3, 5, 7, 10, 999, 10_000, 999_983, 1_000_000, 2 ** 21 - 1, 2 ** 21]) {
      for (const u of us) expect(Number((BigInt(u) * BigInt(n)) >> 32n)).toBe(Math.floor(u * 2.3283064365386963e-10 * n));
    }
    // …and a run with a large odd number of states draws the same next states.
    const big: RunSpec = { env: { id: 'seed-toy', states: 999_983, actions: 3, stepsPerEpisode: 50 }, agent: { id: 'q-learning' }, episodes: 20, seed: 4 };
    expectSameRun(play(big, 'wasm'), play(big, 'js'));
  });

  it('seed-toy × Q-learning: identical for every action count (the loops for 2–8 actions and the general one)', () => {
    // The loops for 2 to 8 actions scan a row whole (pairs of values, a tree of maxima) unless two
    // values are equal; few states and the greedy setting make rows with equal values common.
    for (let actions = 1; actions <= 11; actions++) {
      for (const settings of Object.keys(SETTINGS)) {
        const s: RunSpec = { ...spec('seed-toy 10x5', 'q-learning', settings, actions, 80), env: { id: 'seed-toy', states: 3, actions, stepsPerEpisode: 30 } };
        expectSameRun(play(s, 'wasm'), play(s, 'js'));
      }
    }
    // Rewards of 0 and 1 with initial values 0 and γ 0 keep ±0 apart in a row: the targets must not care.
    const zeros: RunSpec = { env: { id: 'seed-toy', states: 2, actions: 5, stepsPerEpisode: 50 }, agent: { id: 'q-learning', alpha: 1, gamma: 0, epsilon: 0.3, initialQ: 0 }, episodes: 40, seed: 3 };
    expectSameRun(play(zeros, 'wasm'), play(zeros, 'js'));
  });

  it('seed-toy × Q-learning: draws for every pair of equal values a row of 2–8 actions can hold', () => {
    // One state per pair (i, j) of actions, its row all different values but Q(s,i) = Q(s,j) = 1,
    // the running maximum when j is reached, so the greedy choice draws there (and, in the second
    // table, a larger value after j takes the choice back: the draw still happens).
    for (let actions = 2; actions <= 8; actions++) {
      const pairs: [number, number][] = [];
      for (let i = 0; i < actions; i++) for (let j = i + 1; j < actions; j++) pairs.push([i, j]);
      for (const laterMax of [false, true]) {
        const s: RunSpec = {
          env: { id: 'seed-toy', states: pairs.length, actions, stepsPerEpisode: 3 },
          agent: { id: 'q-learning', alpha: 1e-9, gamma: 0.5, epsilon: 0, initialQ: 0 },
          episodes: 4 * pairs.length,
          seed: actions,
        };
        const run = (backend: TrainOptions['backend']) => {
          const prepared = prepareRun(s);
          const q = (prepared.agent as TabularAgent).learningState().tables[0]!;
          pairs.forEach(([i, j], state) => {
            for (let a = 0; a < actions; a++) q[state * actions + a] = a === i || a === j ? 1 : -1 - a / 10;
            if (laterMax && j + 1 < actions) q[state * actions + actions - 1] = 2;
          });
          const rows: number[] = [];
          const result = train(s, { onEpisode: (_, row) => void rows.push(...row) }, prepared, { backend });
          return { result, rows: Float64Array.from(rows), checkpoints: [], agent: prepared.agent as TabularAgent };
        };
        expectSameRun(run('wasm'), run('js'));
      }
    }
  });

  it('leaves an agent whose table holds a value that is not finite to the JavaScript loop', () => {
    const s = spec('seed-toy 10x5', 'q-learning', 'ε 0.1', 1, 5);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const prepared = prepareRun(s);
      (prepared.agent as TabularAgent).learningState().tables[0]![7] = bad;
      expect(train(s, {}, prepared).backend).toBe('js');
      const forced = prepareRun(s);
      (forced.agent as TabularAgent).learningState().tables[0]![7] = bad;
      expect(() => train(s, {}, forced, { backend: 'wasm' })).toThrow(/not finite/);
    }
    expect(train(s, {}, prepareRun(s)).backend).toBe('wasm');
  });

  it('ends identically when a hook stops the run at any episode', () => {
    // 2,600 episodes of 20 steps: chunks of 1,024 episodes, and checkpoints at 519, 1039, 1559, 2079.
    const long = (agent: string): RunSpec => ({ ...spec('seed-toy 10x5', agent, 'ε schedule, optimistic', 3, 2600), env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 20 } });
    for (const stopAt of [0, 1, 517, 519, 1022, 1023, 1024, 1039, 1040, 2047, 2599]) {
      const s = long(stopAt % 2 === 0 ? 'q-learning' : 'double-q-learning');
      const wasm = play(s, 'wasm', stopAt);
      const js = play(s, 'js', stopAt);
      expect(js.result.status).toBe('cancelled'); // even at the last episode: the hook said stop
      expect(js.result.episodes).toBe(stopAt + 1);
      expectSameRun(wasm, js);
    }
    // Episodes long enough that the step budget, not the episode count, ends each chunk.
    // (5,000 steps are also 19 blocks of 256 and one of 136 for seed-toy × Q-learning's loop.)
    for (const agent of ['sarsa', 'q-learning']) {
      const longEpisodes: RunSpec = { env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 5000 }, agent: { id: agent }, episodes: 120, seed: 1, checkpoints: 3 };
      for (const stopAt of [30, 52, 53, 54, 100]) expectSameRun(play(longEpisodes, 'wasm', stopAt), play(longEpisodes, 'js', stopAt));
    }
    // An MDP with terminal states, stopped mid-chunk.
    const mdp = spec('random MDP', 'expected-sarsa', 'ε 0.1', 2, 3000);
    expectSameRun(play(mdp, 'wasm', 1500), play(mdp, 'js', 1500));
  });

  it('records whole chunks, with no per-episode hook, as the JavaScript loop records episode by episode', () => {
    // Without onEpisode nothing can stop a chunk midway, and the kernel's rows are summed as a block.
    const cases: RunSpec[] = [
      spec('seed-toy 10x5', 'q-learning', 'ε schedule, optimistic', 2, 2600, 7),
      { ...spec('seed-toy 10x5', 'q-learning', 'ε 0.1', 4, 130, 3), env: { id: 'seed-toy', states: 10, actions: 5, stepsPerEpisode: 5000 } },
      spec('random MDP', 'sarsa', 'ε 0.1', 5, 1500, 4),
    ];
    for (const s of cases) {
      const run = (backend: TrainOptions['backend']) => {
        const rows: number[] = [];
        const checkpoints: { episode: number; q: Float64Array }[] = [];
        const result = train(
          s,
          {
            onEpisodes: (_first, _count, block) => void rows.push(...block),
            onCheckpoint: (episode, values) => void checkpoints.push({ episode, q: Float64Array.from(values.q) }),
          },
          undefined,
          { backend },
        );
        return { result, rows, checkpoints };
      };
      const wasm = run('wasm');
      const js = run('js');
      expect(wasm.result.backend).toBe('wasm');
      expectSameBits(wasm.rows, js.rows, 'rows');
      const { backend: _w, values: wv, ...wRest } = wasm.result;
      const { backend: _j, values: jv, ...jRest } = js.result;
      expect(wRest).toEqual(jRest);
      for (const name of js.result.metricNames) {
        expectSameBits([wasm.result.summary[name]!.mean, wasm.result.summary[name]!.last100], [js.result.summary[name]!.mean, js.result.summary[name]!.last100], `summary ${name}`);
      }
      expectSameBits(wv!.q, jv!.q, 'final Q');
      expect(wasm.checkpoints.map((c) => c.episode)).toEqual(js.checkpoints.map((c) => c.episode));
      expect(js.checkpoints.length).toBeGreaterThan(1);
      wasm.checkpoints.forEach((c, i) => expectSameBits(c.q, js.checkpoints[i]!.q, `checkpoint at episode ${c.episode}`));
    }
  });

  it('continues an agent that has already trained as the JavaScript loop does', () => {
    const s = spec('cliff', 'sarsa', 'greedy (ε 0), ties', 1, 30);
    const twice = (backend: TrainOptions['backend']) => {
      const prepared = prepareRun(s);
      train(s, {}, prepared, { backend: 'js' });
      return train(s, {}, prepared, { backend });
    };
    const wasm = twice('wasm');
    const js = twice('js');
    expect(wasm.summary).toEqual(js.summary);
    expectSameBits(wasm.values!.q, js.values!.q, 'Q after a second run');
  });

  it('is the default where it applies, and the JavaScript loop elsewhere', () => {
    expect(train(spec('seed-toy 10x5', 'q-learning', 'ε 0.1', 1)).backend).toBe('wasm');
    const bandit: RunSpec = { env: { id: 'bandit-testbed', arms: 5 }, agent: { id: 'ucb1' }, episodes: 20, seed: 1 };
    expect(train(bandit).backend).toBe('js');
    expect(() => train(bandit, {}, undefined, { backend: 'wasm' })).toThrow(/backend "wasm" cannot run bandit-testbed with ucb1/);
    expect(train(spec('cliff', 'q-learning', 'ε 0.1', 1), {}, undefined, { backend: 'js' }).backend).toBe('js');
  });
});

describe('without the WebAssembly kernel', () => {
  async function trainWithKernel(bytes: string | null) {
    vi.resetModules();
    vi.doMock('../../src/engine/wasm/generated/tabular.wasm', () => ({ tabularKernel: bytes, tabularKernelHash: 'test' }));
    try {
      return await import('../../src/engine/train');
    } finally {
      vi.doUnmock('../../src/engine/wasm/generated/tabular.wasm');
      vi.resetModules();
    }
  }

  it.each([
    ['not built (no AssemblyScript at install)', null, /: the tabular WebAssembly kernel was not built \(AssemblyScript was not installed when the app was built\)$/],
    ['not valid WebAssembly', btoa('not a wasm module'), /: the tabular WebAssembly kernel does not run here \(WebAssembly\.Module\(\): .+\)$/],
  ])('falls back to the JavaScript loop when the kernel is %s', async (_what, bytes, reason) => {
    const { train: trainFallback } = await trainWithKernel(bytes);
    const s = spec('cliff', 'double-q-learning', 'ε 0.1', 3);
    const fallback = trainFallback(s);
    const reference = train(s, {}, undefined, { backend: 'js' });
    expect(fallback.backend).toBe('js');
    expect(fallback.summary).toEqual(reference.summary);
    expectSameBits(fallback.values!.q, reference.values!.q, 'Q');
    expect(() => trainFallback(s, {}, undefined, { backend: 'wasm' })).toThrow(reason);
  });
});
