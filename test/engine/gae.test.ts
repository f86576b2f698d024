// GAE (src/engine/agents/gae.ts) against its definition, recomputed here in float64 by a different
// route: first every TD error δ_t with the next state's value spelled out case by case, then each
// advantage as the forward sum Â_t = Σ_{k=t}^{end of its episode} (γλ)^{k−t} δ_k (Schulman et al.
// 2016, eq. 16), rather than the backward recursion the module uses.
import { describe, expect, it } from 'vitest';
import { computeGae } from '../../src/engine/agents/gae';
import { RolloutBuffer } from '../../src/engine/agents/rollout-buffer';
import { Rng, shuffledIndices } from '../../src/engine/rng';

type End = 'none' | 'terminated' | 'truncated';

/**
 * Nine steps: an episode of 3 that terminates, one of 4 cut by a time limit, and 2 steps of a
 * third still running when the rollout ends.
 */
const steps: { r: number; v: number; end: End; vTrunc?: number }[] = [
  { r: 1.0, v: 0.5, end: 'none' },
  { r: -0.5, v: 0.8, end: 'none' },
  { r: 2.0, v: 1.1, end: 'terminated' },
  { r: 0.3, v: -0.2, end: 'none' },
  { r: 0.0, v: 0.4, end: 'none' },
  { r: 1.5, v: 0.9, end: 'none' },
  { r: -1.0, v: 0.7, end: 'truncated', vTrunc: 2.5 },
  { r: 0.7, v: 0.1, end: 'none' },
  { r: 0.2, v: 0.6, end: 'none' },
];
const LAST_VALUE = -0.35; // V(s_9), the observation after the rollout

function input(rows = steps) {
  return {
    rewards: rows.map((s) => s.r),
    values: rows.map((s) => s.v),
    terminated: rows.map((s) => (s.end === 'terminated' ? 1 : 0)),
    truncated: rows.map((s) => (s.end === 'truncated' ? 1 : 0)),
    truncationValues: rows.map((s) => s.vTrunc ?? 0),
  };
}

function reference(gamma: number, lambda: number): { adv: number[]; ret: number[] } {
  const n = steps.length;
  const delta = steps.map((s, t) => {
    let next: number;
    if (s.end === 'terminated') next = 0; // nothing follows a terminal state
    else if (s.end === 'truncated') next = s.vTrunc!; // the state the time limit cut off
    else if (t === n - 1) next = LAST_VALUE;
    else next = steps[t + 1]!.v;
    return s.r + gamma * next - s.v;
  });
  const adv = steps.map((_, t) => {
    let sum = 0;
    for (let k = t, w = 1; k < n; k++, w *= gamma * lambda) {
      sum += w * delta[k]!;
      if (steps[k]!.end !== 'none') break; // the episode ends at k
    }
    return sum;
  });
  return { adv, ret: adv.map((a, t) => a + steps[t]!.v) };
}

function run(gamma: number, lambda: number, rows = steps, lastValue = LAST_VALUE) {
  const adv = new Float64Array(rows.length);
  const ret = new Float64Array(rows.length);
  computeGae(adv, ret, input(rows), rows.length, lastValue, gamma, lambda);
  return { adv, ret };
}

describe('computeGae', () => {
  it.each([
    [0.99, 0.95],
    [0.9, 0],
    [0.9, 1],
    [1, 0.5],
  ])('equals the forward-sum definition (γ %s, λ %s) within 1e-6', (gamma, lambda) => {
    const got = run(gamma, lambda);
    const want = reference(gamma, lambda);
    for (let t = 0; t < steps.length; t++) {
      expect(Math.abs(got.adv[t]! - want.adv[t]!), `Â_${t}`).toBeLessThan(1e-6);
      expect(Math.abs(got.ret[t]! - want.ret[t]!), `R̂_${t}`).toBeLessThan(1e-6);
    }
  });

  it('λ = 1 makes R̂ the discounted Monte-Carlo return (bootstrapped only at truncation)', () => {
    const g = 0.9;
    const { ret } = run(g, 1);
    expect(ret[0]).toBeCloseTo(1 + g * -0.5 + g * g * 2, 12); // terminated: no bootstrap
    expect(ret[3]).toBeCloseTo(0.3 + g * 0 + g ** 2 * 1.5 + g ** 3 * (-1 + g * 2.5), 12); // truncated: γ·V(s_trunc)
    expect(ret[7]).toBeCloseTo(0.7 + g * (0.2 + g * LAST_VALUE), 12); // rollout end: γ·V(s_n)
  });

  it('a truncation is what stable-baselines3 does: reward + γ·V(terminal obs), then the episode cut', () => {
    const g = 0.97;
    const sb3 = steps.map((s) => (s.end === 'truncated' ? { r: s.r + g * s.vTrunc!, v: s.v, end: 'terminated' as End } : s));
    const ours = run(g, 0.9);
    const theirs = run(g, 0.9, sb3);
    for (let t = 0; t < steps.length; t++) expect(ours.adv[t]).toBeCloseTo(theirs.adv[t]!, 12);
  });

  it('does not leak advantages across an episode end, and ignores lastValue after a final end', () => {
    const ends = steps.slice(0, 3); // the rollout ends with the terminated episode
    expect(run(0.99, 0.95, ends, 100).adv).toEqual(run(0.99, 0.95, ends, -100).adv);
    const a = run(0.99, 0.95);
    const bumped = steps.map((s, t) => (t === 4 ? { ...s, r: s.r + 10 } : s));
    const b = run(0.99, 0.95, bumped);
    for (let t = 0; t < 3; t++) expect(b.adv[t]).toBe(a.adv[t]); // before the termination: untouched
    for (let t = 7; t < 9; t++) expect(b.adv[t]).toBe(a.adv[t]); // after the truncation: untouched
    expect(b.adv[3]).not.toBe(a.adv[3]);
  });
});

describe('RolloutBuffer', () => {
  it('records steps in two halves and computes GAE over them', () => {
    const buf = new RolloutBuffer(steps.length, 2);
    const obs = new Float32Array(2);
    steps.forEach((s, t) => {
      obs[0] = t;
      obs[1] = -t;
      buf.add(obs, t % 3, -Math.log(3), s.v);
      buf.complete(s.r, s.end === 'terminated', s.end === 'truncated', s.vTrunc ?? 99);
    });
    expect(buf.full).toBe(true);
    expect(Array.from(buf.obs.subarray(10, 12))).toEqual([5, -5]);
    expect(Array.from(buf.truncationValues)).toEqual(steps.map((s) => s.vTrunc ?? 0)); // stored only at truncations
    buf.computeReturnsAndAdvantages(LAST_VALUE, 0.99, 0.95);
    const want = reference(0.99, 0.95);
    for (let t = 0; t < steps.length; t++) expect(buf.advantages[t]).toBeCloseTo(want.adv[t]!, 9);
    expect(() => buf.add(obs, 0, 0, 0)).toThrow(/full/);
    buf.reset();
    expect(() => buf.complete(0, false, false)).toThrow(/no action/);
    buf.add(obs, 0, 0, 0);
    expect(() => buf.add(obs, 0, 0, 0)).toThrow(/no reward/);
  });

  it('draws minibatch orders that are permutations, reproducibly from the seed', () => {
    const a = new Int32Array(50);
    const b = new Int32Array(50);
    shuffledIndices(a, 50, new Rng(7));
    shuffledIndices(b, 50, new Rng(7));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
