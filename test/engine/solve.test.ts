import { describe, expect, it } from 'vitest';
import { createTabularMdpEnv } from '../../src/engine/envs/tabular-mdp';
import { parseMdp } from '../../src/engine/mdp/format';
import { evaluatePolicy, greedyPolicy, greedyReport, uniformRandomPolicy, valueIteration } from '../../src/engine/mdp/solve';
import { Rng, Stream } from '../../src/engine/rng';

type Row = [number, number, number, number, number];
interface File {
  format: 'aisle.mdp/v1';
  states: number | string[];
  actions: number | string[];
  start: Record<string, number>;
  terminal: number[];
  transitions: Row[];
}

/** States 0, 1; "stay" (0) keeps the state, "move" (1) switches; rewards: move 0→1 pays 1, stay in 1 pays 2. */
const chain: File = {
  format: 'aisle.mdp/v1',
  states: 2,
  actions: ['stay', 'move'],
  start: { '0': 1 },
  terminal: [],
  transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]],
};

/**
 * start (0), middle (1), goal (2, terminal). From start, "safe" goes to middle paying 1; "risky" pays 4
 * and ends with probability 1/2, else stays at start with 0. From middle, "safe" ends paying 1; "risky"
 * ends paying 10 with probability 0.2, else stays in middle paying −1.
 */
const gamble: File = {
  format: 'aisle.mdp/v1',
  states: ['start', 'middle', 'goal'],
  actions: ['safe', 'risky'],
  start: { '0': 1 },
  terminal: [2],
  transitions: [[0, 0, 1, 1, 1], [0, 1, 0.5, 2, 4], [0, 1, 0.5, 0, 0], [1, 0, 1, 2, 1], [1, 1, 0.2, 2, 10], [1, 1, 0.8, 1, -1]],
};

/** "cash" ends now paying 1; "invest" pays 0 but leads to state 1, where either action ends paying 3. */
const invest: File = {
  format: 'aisle.mdp/v1',
  states: 3,
  actions: ['cash', 'invest'],
  start: { '0': 1 },
  terminal: [2],
  transitions: [[0, 0, 1, 2, 1], [0, 1, 1, 1, 0], [1, 0, 1, 2, 3], [1, 1, 1, 2, 3]],
};

const close = (actual: ArrayLike<number>, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((x, i) => expect(actual[i]).toBeCloseTo(x, 12));
};

describe('valueIteration against hand-solved MDPs', () => {
  it('two-state chain, γ = 0.9, horizon 3', () => {
    // t=2: Q(0,·) = [0, 1], Q(1,·) = [2, 0]                          → V_2 = [1, 2]
    // t=1: Q(0,·) = [0.9·1, 1 + 0.9·2] = [0.9, 2.8]; Q(1,·) = [2 + 0.9·2, 0.9·1] = [3.8, 0.9] → V_1 = [2.8, 3.8]
    // t=0: Q(0,·) = [0.9·2.8, 1 + 0.9·3.8] = [2.52, 4.42]; Q(1,·) = [2 + 0.9·3.8, 0.9·2.8] = [5.42, 2.52]
    const sol = valueIteration(parseMdp(chain), { gamma: 0.9, horizon: 3 });
    close(sol.q, [2.52, 4.42, 5.42, 2.52]);
    close(sol.v, [4.42, 5.42]);
    expect(sol.optimalReturn).toBeCloseTo(4.42, 12);
    expect([...sol.policy]).toEqual([1, 0]);
    expect(sol.iterations).toBe(3);
  });

  it('two-state chain, γ = 1, horizon 3', () => {
    // V_2 = [1, 2]; V_1 = [max(1, 1+2), max(2+2, 0+1)] = [3, 4]; Q_0 = [[3, 1+4], [2+4, 3]] = [[3, 5], [6, 3]]
    // The best path from 0 is move, stay, stay: 1 + 2 + 2 = 5.
    const sol = valueIteration(parseMdp(chain), { gamma: 1, horizon: 3 });
    close(sol.q, [3, 5, 6, 3]);
    expect(sol.optimalReturn).toBe(5);
    expect([...sol.policy]).toEqual([1, 0]);
  });

  it('stochastic MDP with a terminal state: a short horizon prefers the gamble', () => {
    const mdp = parseMdp(gamble);
    // Horizon 2, γ = 0.9. t=1: Q(start) = [1, 0.5·4 + 0.5·0] = [1, 2]; Q(middle) = [1, 0.2·10 + 0.8·(−1)] = [1, 1.2]
    // → V_1 = [2, 1.2, 0]. t=0: Q(start,safe) = 1 + 0.9·1.2 = 2.08; Q(start,risky) = 2 + 0.5·0.9·2 = 2.9;
    // Q(middle,safe) = 1; Q(middle,risky) = 2 + 0.8·(−1 + 0.9·1.2) = 2.064.
    const short = valueIteration(mdp, { gamma: 0.9, horizon: 2 });
    close(short.q, [2.08, 2.9, 1, 2.064, 0, 0]);
    expect(short.optimalReturn).toBeCloseTo(2.9, 12);
    expect([...short.policy]).toEqual([1, 1, 0]);
    // Long horizon: V(middle) = max(1, 2 + 0.8·(−1 + 0.9·V)) → risky, V = 1.2 / 0.28 = 30/7.
    // V(start): safe = 1 + 0.9·30/7 = 34/7; risky = 2 + 0.45·V(start) = 2 + 0.45·34/7 = 29.3/7 < 34/7 → safe.
    // (γ^1000 ≈ 1e-46, so 1000 steps equal the infinite horizon to double precision.)
    const long = valueIteration(mdp, { gamma: 0.9, horizon: 1000 });
    close(long.v, [34 / 7, 30 / 7, 0]);
    close(long.q, [34 / 7, 29.3 / 7, 1, 30 / 7, 0, 0]);
    expect([...long.policy]).toEqual([0, 1, 0]);
    expect(long.iterations).toBeLessThan(1000); // the values settled long before
  });

  it('a one-step horizon takes the cash, a longer one invests', () => {
    const mdp = parseMdp(invest);
    // H = 1: Q(0) = [1, 0] → cash. H ≥ 2 (γ = 1): Q(0, invest) = 0 + V_1(1) = 3 > 1 → invest.
    const one = valueIteration(mdp, { gamma: 1, horizon: 1 });
    expect([one.policy[0], one.optimalReturn]).toEqual([0, 1]);
    const long = valueIteration(mdp, { gamma: 1, horizon: 1_000_000 });
    expect([long.policy[0], long.optimalReturn]).toEqual([1, 3]);
    expect(long.iterations).toBe(3); // V_{H−1} = [1, 3, 0], V_{H−2} = [3, 3, 0] = V_{H−3}: stop
  });

  it('rejects a gamma outside [0, 1] and a horizon below 1', () => {
    const mdp = parseMdp(chain);
    expect(() => valueIteration(mdp, { gamma: 1.5, horizon: 3 })).toThrow(/gamma must be in \[0, 1\]/);
    expect(() => valueIteration(mdp, { gamma: 0.9, horizon: 0 })).toThrow(/horizon must be a whole number ≥ 1/);
  });
});

/** A random MDP: K next states per pair, some terminal states, rewards in [−1, 1). */
function randomMdp(seed: number, S: number, A: number, K: number): File {
  const rng = new Rng(seed, Stream.eval);
  const terminal = [S - 1];
  const transitions: Row[] = [];
  for (let s = 0; s < S - 1; s++) {
    for (let a = 0; a < A; a++) {
      const targets = [...new Set(Array.from({ length: K }, () => rng.int(S)))];
      const w = targets.map(() => 0.1 + rng.next());
      const total = w.reduce((x, y) => x + y, 0);
      targets.forEach((ns, i) => transitions.push([s, a, w[i]! / total, ns, 2 * rng.next() - 1]));
    }
  }
  return { format: 'aisle.mdp/v1', states: S, actions: A, start: { '0': 0.5, '1': 0.5 }, terminal, transitions };
}

/** Backward induction written independently, over the file's rows. */
function naiveValues(file: File, gamma: number, horizon: number, policy?: (s: number) => number[]): number {
  const S = typeof file.states === 'number' ? file.states : file.states.length;
  const A = typeof file.actions === 'number' ? file.actions : file.actions.length;
  let v = new Array<number>(S).fill(0);
  for (let t = 0; t < horizon; t++) {
    const q = Array.from({ length: S }, () => new Array<number>(A).fill(0));
    for (const [s, a, p, ns, r] of file.transitions) q[s]![a]! += p * (r + gamma * v[ns]!);
    v = q.map((row, s) => (file.terminal.includes(s) ? 0 : policy ? row.reduce((acc, x, a) => acc + policy(s)[a]! * x, 0) : Math.max(...row)));
  }
  return Object.entries(file.start).reduce((acc, [s, p]) => acc + p * v[Number(s)]!, 0);
}

describe('the early stop', () => {
  it('gives the numbers of the full recursion and of an independent implementation', () => {
    for (const [seed, gamma, horizon] of [[1, 0.5, 2000], [2, 0.9, 500], [3, 0.99, 300], [4, 1, 60], [5, 0, 10], [6, 0.9, 1]] as const) {
      const file = randomMdp(seed, 6, 3, 3);
      const mdp = parseMdp(file);
      const early = valueIteration(mdp, { gamma, horizon });
      const full = valueIteration(mdp, { gamma, horizon, earlyStop: false });
      expect(full.iterations).toBe(horizon);
      const scale = Math.max(1, Math.abs(full.optimalReturn));
      expect(Math.abs(early.optimalReturn - full.optimalReturn)).toBeLessThanOrEqual(1e-13 * scale);
      early.q.forEach((x, i) => expect(Math.abs(x - full.q[i]!)).toBeLessThanOrEqual(1e-13 * scale));
      expect([...early.policy]).toEqual([...full.policy]);
      expect(Math.abs(full.optimalReturn - naiveValues(file, gamma, horizon))).toBeLessThanOrEqual(1e-12 * scale);
      const random = uniformRandomPolicy(mdp);
      const evalEarly = evaluatePolicy(mdp, random, { gamma, horizon });
      const evalFull = evaluatePolicy(mdp, random, { gamma, horizon, earlyStop: false });
      expect(Math.abs(evalEarly - evalFull)).toBeLessThanOrEqual(1e-13 * scale);
      expect(Math.abs(evalFull - naiveValues(file, gamma, horizon, () => [1 / 3, 1 / 3, 1 / 3]))).toBeLessThanOrEqual(1e-12 * scale);
    }
    // γ = 0.5 over 2000 steps settles after a few dozen stages.
    expect(valueIteration(parseMdp(randomMdp(1, 6, 3, 3)), { gamma: 0.5, horizon: 2000 }).iterations).toBeLessThan(100);
  });
});

describe('evaluatePolicy', () => {
  it('the uniform random policy on the chain, γ = 1, horizon 3, by hand', () => {
    // V_2 = [½(0+1), ½(2+0)] = [0.5, 1]; V_1 = [½(0.5 + 1+1), ½(2+1 + 0.5)] = [1.25, 1.75];
    // V_0(0) = ½[(0 + 1.25) + (1 + 1.75)] = 2.
    const mdp = parseMdp(chain);
    expect(evaluatePolicy(mdp, uniformRandomPolicy(mdp), { gamma: 1, horizon: 3 })).toBeCloseTo(2, 12);
    expect(evaluatePolicy(mdp, Int32Array.of(1, 0), { gamma: 1, horizon: 3 })).toBe(5);
    expect(evaluatePolicy(mdp, Int32Array.of(0, 0), { gamma: 1, horizon: 3 })).toBe(0);
  });

  /** Expected return by enumerating every trajectory of `horizon` steps with its probability. */
  function enumerate(file: File, pi: number[][], gamma: number, horizon: number): number {
    const go = (s: number, depth: number, discount: number): number => {
      if (depth === horizon || file.terminal.includes(s)) return 0;
      let total = 0;
      for (const [fs, a, p, ns, r] of file.transitions) if (fs === s && pi[s]![a]! > 0) total += pi[s]![a]! * p * (discount * r + go(ns, depth + 1, discount * gamma));
      return total;
    };
    return Object.entries(file.start).reduce((acc, [s, p]) => acc + p * go(Number(s), 0, 1), 0);
  }

  it('a stochastic policy equals the enumeration of all trajectories', () => {
    const pi = [[0.3, 0.7], [0.6, 0.4], [1, 0]];
    const mdp = parseMdp(gamble);
    for (const [gamma, horizon] of [[0.9, 6], [1, 5], [0.5, 8]] as const) {
      expect(evaluatePolicy(mdp, Float64Array.from(pi.flat()), { gamma, horizon })).toBeCloseTo(enumerate(gamble, pi, gamma, horizon), 12);
    }
  });

  it('a stochastic policy agrees with Monte Carlo in the environment (4 standard errors)', () => {
    const pi = [0.3, 0.7, 0.6, 0.4, 1, 0];
    const gamma = 0.9;
    const horizon = 10;
    const mdp = parseMdp(gamble);
    const exact = evaluatePolicy(mdp, Float64Array.from(pi), { gamma, horizon });
    const env = createTabularMdpEnv(mdp, horizon);
    const rng = new Rng(7, Stream.agent);
    const episodes = 40_000;
    let sum = 0;
    let sumSq = 0;
    for (let e = 0; e < episodes; e++) {
      let s = env.reset(e === 0 ? 11 : undefined);
      let ret = 0;
      for (let discount = 1; ; discount *= gamma) {
        const r = env.step(rng.next() < pi[s * 2]! ? 0 : 1);
        ret += discount * r.reward;
        s = r.observation;
        if (r.terminated || r.truncated) break;
      }
      sum += ret;
      sumSq += ret * ret;
    }
    const mean = sum / episodes;
    const se = Math.sqrt((sumSq / episodes - mean * mean) / episodes);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
  });

  it('checks the policy', () => {
    const mdp = parseMdp(chain);
    const opts = { gamma: 1, horizon: 3 };
    expect(() => evaluatePolicy(mdp, Int32Array.of(0), opts)).toThrow(/one action per state \(2\)/);
    expect(() => evaluatePolicy(mdp, Int32Array.of(0, 2), opts)).toThrow(/policy\[1\] = 2 is not an action/);
    expect(() => evaluatePolicy(mdp, Float64Array.of(0.5, 0.4, 0.5, 0.5), opts)).toThrow(/state 0 sum to 0.9/);
  });
});

describe('greedyPolicy and greedyReport', () => {
  it('greedy ties go to the lowest index', () => {
    expect([...greedyPolicy(Float64Array.of(1, 1, 0, 2, 2, 2), 2, 3)]).toEqual([0, 0]);
    expect([...greedyPolicy([0, 3, 3, -1, 0, -2], 2, 3)]).toEqual([1, 1]);
  });

  it('reports the chain numbers (γ = 1, horizon 3)', () => {
    const mdp = parseMdp(chain);
    const opts = { gamma: 1, horizon: 3 };
    // "stay" everywhere earns 0; optimal 5; random 2 → score (0 − 2) / (5 − 2) = −2/3.
    const stay = greedyReport(mdp, [1, 0, 1, 0], opts);
    expect(stay.expectedReturn).toBe(0);
    expect(stay.optimalReturn).toBe(5);
    expect(stay.randomReturn).toBeCloseTo(2, 12);
    expect(stay.optimalityGap).toBe(5);
    expect(stay.normalizedScore).toBeCloseTo(-2 / 3, 12);
    expect([stay.gamma, stay.horizon]).toEqual([1, 3]); // what the returns are computed with, for the reader
    const best = greedyReport(mdp, valueIteration(mdp, opts).q, opts);
    expect([best.expectedReturn, best.optimalityGap]).toEqual([5, 0]);
    expect(best.normalizedScore).toBeCloseTo(1, 12);
  });

  it('the optimum can lie beyond every stationary policy: a short horizon, by hand (γ = 0.9, horizon 3)', () => {
    // s0 "stop" ends paying 1; s0 "go" pays 0 to s1; s1 "stop" ends paying 10 or returns to s0
    // paying 0 (½ each); s1 "go" pays −1 and stays. Backward, V_3 = 0:
    //   t=2: Q(s0) = [1, 0], Q(s1) = [5, −1]                                  → V_2 = [1, 5]
    //   t=1: Q(s0) = [1, 0.9·5 = 4.5], Q(s1) = [5 + ½·0.9·1 = 5.45, −1 + 4.5 = 3.5] → V_1 = [4.5, 5.45]
    //   t=0: Q(s0) = [1, 0.9·5.45 = 4.905], Q(s1) = [5 + ½·0.9·4.5 = 7.025, −1 + 0.9·5.45 = 3.905]
    // The optimum, 4.905, goes, stops in s1 and, back in s0 with one step left, stops: a choice that
    // depends on the step. Of the four stationary policies the best, (go, stop), earns
    //   t=2: [0, 5]; t=1: [4.5, 5 + ½·0.9·0 = 5]; t=0: V(s0) = 0.9·5 = 4.5,
    // (stop, ·) earns 1, (go, go) 0.9·(−1 − 0.9) = −1.71. Uniform random, per stage:
    //   t=2: [½, 2]; t=1: [½ + ½·0.9·2 = 1.4, ½(5 + 0.45·½) + ½(−1 + 0.9·2) = 3.0125]; t=0: ½ + ½·0.9·3.0125 = 1.855625.
    const mdp = parseMdp({
      format: 'aisle.mdp/v1',
      states: ['s0', 's1', 'end'],
      actions: ['stop', 'go'],
      start: { '0': 1 },
      terminal: [2],
      transitions: [[0, 0, 1, 2, 1], [0, 1, 1, 1, 0], [1, 0, 0.5, 2, 10], [1, 0, 0.5, 0, 0], [1, 1, 1, 1, -1]],
    });
    const opts = { gamma: 0.9, horizon: 3 };
    const solution = valueIteration(mdp, opts);
    close(solution.q, [1, 4.905, 7.025, 3.905, 0, 0]);
    expect(solution.optimalReturn).toBeCloseTo(4.905, 12);
    const stationary = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([a0, a1]) => evaluatePolicy(mdp, Int32Array.of(a0!, a1!, 0), opts));
    close(stationary, [1, 1, 4.5, -1.71]);
    // The greedy policy of the optimal Q table is that best stationary one: 0.405 short of the optimum.
    const report = greedyReport(mdp, solution.q, opts);
    expect(report.expectedReturn).toBeCloseTo(4.5, 12);
    expect(report.randomReturn).toBeCloseTo(1.855625, 12);
    expect(report.optimalityGap).toBeCloseTo(0.405, 12);
    expect(report.normalizedScore).toBeCloseTo((4.5 - 1.855625) / (4.905 - 1.855625), 12); // 0.8672
    // Stopping at once does worse than random: a negative score, (1 − 1.855625) / 3.049375.
    expect(greedyReport(mdp, [1, 0, 1, 0, 0, 0], opts).normalizedScore).toBeCloseTo(-0.855625 / 3.049375, 12);
  });

  it('the score is null when every policy is as good as random', () => {
    const oneAction = parseMdp({ format: 'aisle.mdp/v1', states: 2, actions: 1, start: { '0': 1 }, transitions: [[0, 0, 0.5, 0, 1], [0, 0, 0.5, 1, 0], [1, 0, 1, 0, 2]] });
    const report = greedyReport(oneAction, [0, 0], { gamma: 0.9, horizon: 20 });
    expect(report.expectedReturn).toBeCloseTo(report.optimalReturn, 12);
    expect(report.normalizedScore).toBeNull();
    const sameRewards = parseMdp({ ...chain, transitions: chain.transitions.map(([s, a, p, ns]) => [s, a, p, ns, 1]) });
    expect(greedyReport(sameRewards, [0, 1, 0, 1], { gamma: 1, horizon: 4 }).normalizedScore).toBeNull();
    // Every action paying 10⁹ (MDP_LIMITS.reward): the random policy's value sums thirds of it and
    // lands a few 10⁻⁶ from the optimum's, round-off that must not become a score of 0 or 1.
    const large = parseMdp({
      format: 'aisle.mdp/v1',
      states: 3,
      actions: 3,
      start: { '0': 1 },
      transitions: [0, 1, 2].flatMap((s) => [0, 1, 2].map((a) => [s, a, 1, (s + a) % 3, 1e9] as Row)),
    });
    const tied = greedyReport(large, new Float64Array(9), { gamma: 0.9, horizon: 10 });
    expect(tied.optimalityGap).toBe(0);
    expect(tied.normalizedScore).toBeNull();
  });
});
