/**
 * The exact solver near γ = 1: stopping on a small change alone (≤ 1e-15 of the values) left the
 * stages not computed up to change · γ/(1−γ), 1e-9 of the values at γ = 0.999999, which is the size
 * of Compare's "too close to call". The stop now bounds what the rest could add, and the solver
 * reports the bound it achieved.
 */
import { describe, expect, it } from 'vitest';
import { parseMdp } from '../../src/engine/mdp/format';
import { evaluatePolicy, policyValues, valueIteration } from '../../src/engine/mdp/solve';

/**
 * "stay" in 0 pays 1 and stays; "go" pays 0 and moves to 1, where either action pays 2 and stays.
 * V*(1) = 2/(1−γ), V*(0) = max(1/(1−γ), γ · 2/(1−γ)) = 2γ/(1−γ) for γ > 1/2.
 */
const chain = parseMdp({
  format: 'aisle.mdp/v1',
  states: 2,
  actions: ['stay', 'go'],
  start: { '0': 1 },
  terminal: [],
  transitions: [[0, 0, 1, 0, 1], [0, 1, 1, 1, 0], [1, 0, 1, 1, 2], [1, 1, 1, 1, 2]],
});

const GAMMA = 0.999999;
// 1 − γ is exact in f64 for γ in [1/2, 1] (Sterbenz), so these are the exact values for the f64 γ, rounded once or twice.
const exact = [(2 * GAMMA) / (1 - GAMMA), 2 / (1 - GAMMA)];
// Far more stages than the values need to settle (2.3·10⁷): the infinite-horizon values, up to γ^H ≈ e^-1000.
const HORIZON = 1e9;

// On the WebAssembly kernel only: the JavaScript loops take 5 times as long on these 2.3·10⁷ stages, and
// test/engine/solve-wasm.test.ts holds their values and stage counts to the kernel's, bit for bit.
describe('value iteration at γ = 0.999999', () => {
  it('stops within the bound it reports, and the bound is far below 1e-9 of the values', () => {
    const sol = valueIteration(chain, { gamma: GAMMA, horizon: HORIZON });
    expect([...sol.policy]).toEqual([1, 0]);
    expect(sol.iterations).toBeLessThan(HORIZON);
    for (const s of [0, 1]) expect(Math.abs(sol.v[s]! - exact[s]!)).toBeLessThanOrEqual(sol.errorBound);
    // The old stop's error: 1e-9 · 2·10⁶ = 2·10⁻³. Round-off alone is about 1e-16 · 2·10⁶ / 10⁻⁶ = 2·10⁻⁴.
    expect(sol.errorBound).toBeLessThan(1e-9 * exact[1]! / 2);
    for (const s of [0, 1]) expect(Math.abs(sol.v[s]! - exact[s]!)).toBeLessThan(1e-9 * exact[1]! / 2);
    expect(sol.optimalReturn).toBe(sol.v[0]);
  });
});

describe('the error bound', () => {
  it('holds the finite-horizon values where every stage ran (round-off only), for the optimum and for a policy', () => {
    // Horizon 10⁶ at γ = 0.999999: no stop (the values are still growing); V_0(1) = 2 (1 − γ^H)/(1 − γ).
    const opts = { gamma: GAMMA, horizon: 1e6 };
    const sol = valueIteration(chain, opts);
    expect(sol.iterations).toBe(1e6);
    const finite = -Math.expm1(1e6 * Math.log(GAMMA)) / (1 - GAMMA);
    expect(Math.abs(sol.v[1]! - 2 * finite)).toBeLessThanOrEqual(sol.errorBound);
    expect(sol.errorBound).toBeLessThan(1e-9 * finite);
    // "stay" forever from state 0 pays 1 a step: V_0(0) = (1 − γ^H)/(1 − γ).
    const stay = policyValues(chain, Int32Array.from([0, 0]), opts);
    expect(Math.abs(stay.v[0]! - finite)).toBeLessThanOrEqual(stay.errorBound);
    expect(stay.errorBound).toBeLessThan(1e-9 * finite);
    expect(evaluatePolicy(chain, Int32Array.from([0, 0]), opts)).toBe(stay.v[0]);
  });

  it('is tiny where the values settle fast (γ = 0.9)', () => {
    const sol = valueIteration(chain, { gamma: 0.9, horizon: 1000 });
    expect(sol.iterations).toBeLessThan(1000);
    expect(Math.abs(sol.v[1]! - 20)).toBeLessThanOrEqual(sol.errorBound);
    expect(sol.errorBound).toBeLessThan(1e-12);
  });
});
