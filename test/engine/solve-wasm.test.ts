/**
 * The exact solver's WebAssembly stage loops against their reference, the JavaScript loops: on
 * hand-solved and random MDPs (terminal states, several start states, uneven transition counts),
 * with γ < 1 stopping early, γ = 1 and γ = 0, both give the same bits in the values, Q, policy,
 * stage counts and returns; without the kernel, the solver falls back to the JavaScript loops.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseMdp, type Mdp, type MdpFile } from '../../src/engine/mdp/format';
import { evaluatePolicy, greedyReport, policyValues, uniformRandomPolicy, valueIteration, type HorizonOptions } from '../../src/engine/mdp/solve';
import { Rng } from '../../src/engine/rng';
import { mdpSolver } from '../../src/engine/wasm/mdp';

type Row = [number, number, number, number, number];

/** solve.test.ts's chain and gamble: a terminal-free MDP and one with a terminal state reached by chance. */
const chain: MdpFile = {
  format: 'aisle.mdp/v1',
  states: 2,
  actions: 2,
  start: { '0': 1 },
  terminal: [],
  transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]],
};
const gamble: MdpFile = {
  format: 'aisle.mdp/v1',
  states: 3,
  actions: 2,
  start: { '0': 1 },
  terminal: [2],
  transitions: [[0, 0, 1, 1, 1], [0, 1, 0.5, 2, 4], [0, 1, 0.5, 0, 0], [1, 0, 1, 2, 1], [1, 1, 0.2, 2, 10], [1, 1, 0.8, 1, -1]],
};

/** 1 to 9 next states per pair (so pairs differ in length), a fifth of the states terminal, three start states. */
function randomMdp(seed: number, states: number, actions: number): MdpFile {
  const rng = new Rng(seed, 7);
  const terminal = Array.from({ length: states }, (_, s) => s).filter((s) => s > 2 && s % 5 === 0);
  const transitions: Row[] = [];
  for (let s = 0; s < states; s++) {
    if (terminal.includes(s)) continue;
    for (let a = 0; a < actions; a++) {
      const next = [...new Set(Array.from({ length: 1 + rng.int(9) }, () => rng.int(states)))].sort((x, y) => x - y);
      const weights = next.map(() => 0.05 + rng.next());
      const total = weights.reduce((x, y) => x + y, 0);
      next.forEach((ns, i) => transitions.push([s, a, weights[i]! / total, ns, 2 * rng.next() - 1]));
    }
  }
  return { format: 'aisle.mdp/v1', states, actions, start: { '0': 0.5, '1': 0.25, '2': 0.25 }, terminal, transitions };
}

const MDPS: Record<string, MdpFile> = {
  chain,
  gamble,
  'random 40×3': randomMdp(1, 40, 3),
  'random 300×4': randomMdp(2, 300, 4),
  'random 120×1': randomMdp(3, 120, 1),
};

const HORIZONS: [string, HorizonOptions][] = [
  ['γ 0.9, stopping early', { gamma: 0.9, horizon: 2000 }],
  ['γ 0.99, all stages', { gamma: 0.99, horizon: 300, earlyStop: false }],
  ['γ 1', { gamma: 1, horizon: 150 }],
  ['γ 1, one stage', { gamma: 1, horizon: 1 }],
  ['γ 0', { gamma: 0, horizon: 20 }],
];

const bits = (x: Float64Array) => [...new BigUint64Array(x.buffer, x.byteOffset, x.length)];

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(bits(actual)).toEqual(bits(expected));
}

/** A deterministic and a stochastic policy with zero-probability actions, drawn from `seed`. */
function policies(mdp: Mdp, seed: number): [Int32Array, Float64Array] {
  const rng = new Rng(seed, 3);
  const deterministic = Int32Array.from({ length: mdp.states }, () => rng.int(mdp.actions));
  const stochastic = new Float64Array(mdp.states * mdp.actions);
  for (let s = 0; s < mdp.states; s++) {
    const w = Array.from({ length: mdp.actions }, () => (rng.next() < 0.3 ? 0 : rng.next()));
    if (!w.some((x) => x > 0)) w[0] = 1;
    const total = w.reduce((x, y) => x + y, 0);
    w.forEach((x, a) => (stochastic[s * mdp.actions + a] = x / total));
  }
  return [deterministic, stochastic];
}

describe('the WebAssembly stage loops', () => {
  it.each(Object.entries(MDPS))('give the JavaScript loops’ bits on %s', (_name, file) => {
    const mdp = parseMdp(file);
    expect(mdpSolver(mdp)).not.toBeNull();
    let stopped = 0;
    for (const [, opts] of HORIZONS) {
      const js = { ...opts, webAssembly: false };
      // Value iteration, then each kind of policy, then value iteration again: the instance's buffers are reused.
      for (let round = 0; round < 2; round++) {
        const wasm = valueIteration(mdp, opts);
        const reference = valueIteration(mdp, js);
        expectSameBits(wasm.v, reference.v);
        expectSameBits(wasm.q, reference.q);
        expect([...wasm.policy]).toEqual([...reference.policy]);
        expect(wasm.iterations).toBe(reference.iterations);
        expect(Object.is(wasm.optimalReturn, reference.optimalReturn)).toBe(true);
        expect(Object.is(wasm.errorBound, reference.errorBound)).toBe(true);
        if (wasm.iterations < opts.horizon) stopped++;
        for (const policy of [...policies(mdp, round), uniformRandomPolicy(mdp), reference.policy]) {
          const values = policyValues(mdp, policy, opts);
          const referenceValues = policyValues(mdp, policy, js);
          expectSameBits(values.v, referenceValues.v);
          expect(values.iterations).toBe(referenceValues.iterations);
          expect(Object.is(values.errorBound, referenceValues.errorBound)).toBe(true);
          expect(Object.is(evaluatePolicy(mdp, policy, opts), evaluatePolicy(mdp, policy, js))).toBe(true);
        }
      }
    }
    expect(stopped).toBeGreaterThan(0); // the early stop ran on the kernel too
  });

  it('give the JavaScript loops’ greedy report', () => {
    const mdp = parseMdp(randomMdp(4, 60, 3));
    const opts = { gamma: 0.95, horizon: 400 };
    const q = Float64Array.from({ length: mdp.states * mdp.actions }, (_, i) => Math.sin(i));
    const wasm = greedyReport(mdp, q, opts);
    const reference = greedyReport(parseMdp(randomMdp(4, 60, 3)), q, { ...opts, webAssembly: false });
    expect(wasm).toEqual(reference);
    expect(Object.is(wasm.expectedReturn, reference.expectedReturn)).toBe(true);
    expect(Object.is(wasm.optimalReturn, reference.optimalReturn)).toBe(true);
    expect(Object.is(wasm.randomReturn, reference.randomReturn)).toBe(true);
  });

  it('still check their input', () => {
    const mdp = parseMdp(chain);
    expect(() => valueIteration(mdp, { gamma: 1.5, horizon: 3 })).toThrow(/gamma must be in \[0, 1\]/);
    expect(() => evaluatePolicy(mdp, Int32Array.of(0, 2), { gamma: 1, horizon: 3 })).toThrow(/policy\[1\] = 2 is not an action/);
  });
});

describe('without the WebAssembly kernel', () => {
  async function solveWithKernel(bytes: string | null) {
    vi.resetModules();
    vi.doMock('../../src/engine/wasm/generated/mdp.wasm', () => ({ mdpKernel: bytes, mdpKernelHash: 'test' }));
    try {
      return { solve: await import('../../src/engine/mdp/solve'), wasm: await import('../../src/engine/wasm/mdp') };
    } finally {
      vi.doUnmock('../../src/engine/wasm/generated/mdp.wasm');
      vi.resetModules();
    }
  }

  it.each([
    ['not built (no AssemblyScript at install)', null],
    ['not valid WebAssembly', btoa('not a wasm module')],
  ])('solves on the JavaScript loops when the kernel is %s', async (_what, bytes) => {
    const { solve, wasm } = await solveWithKernel(bytes);
    const mdp = parseMdp(MDPS['random 40×3']!);
    expect(wasm.mdpSolver(mdp)).toBeNull();
    const opts = { gamma: 0.9, horizon: 500 };
    const fallback = solve.valueIteration(mdp, opts);
    const reference = valueIteration(mdp, { ...opts, webAssembly: false });
    expectSameBits(fallback.q, reference.q);
    expect(fallback.iterations).toBe(reference.iterations);
    const random = uniformRandomPolicy(mdp);
    expect(Object.is(solve.evaluatePolicy(mdp, random, opts), evaluatePolicy(mdp, random, { ...opts, webAssembly: false }))).toBe(true);
  });
});
