/**
 * The shop's baselines — LinUCB, the myopic oracle and most-popular — on small environments written
 * here: LinUCB's Sherman–Morrison inverse against a direct inverse recomputed from the pulls, LinUCB
 * on a linear bandit with known weights, the oracle against a fake true model, most-popular on
 * Bernoulli arms, and every parameter schema.
 */
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/engine/agent';
import type { AgentDefinition, ParamsSchema } from '../../src/engine/definitions';
import type { Env, EnvOracle, Observation, StepResult } from '../../src/engine/env';
import { parseExperiment } from '../../src/engine/experiment';
import { parseOrThrow } from '../../src/engine/params';
import { findAgent } from '../../src/engine/registry';
import { Rng, Stream } from '../../src/engine/rng';
import { box, discrete, type Space } from '../../src/engine/spaces';
import { linucb, LinUcbAgent } from '../../src/engine/agents/linucb';
import { myopicOracle } from '../../src/engine/agents/myopic-oracle';
import { mostPopular } from '../../src/engine/agents/most-popular';

function make<P extends ParamsSchema>(def: AgentDefinition<P>, raw: object, k: number, observationSpace: Space, seed = 0, oracle?: EnvOracle): Agent<Observation> {
  const p = parseOrThrow(def.params, raw);
  return def.create(p, { observationSpace, actionSpace: discrete(k), rng: new Rng(seed, Stream.agent), episodes: 1000, ...(oracle ? { oracle } : {}) });
}

/** Gauss–Jordan inverse with partial pivoting of a row-major n × n matrix (the test's own). */
function invert(m: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    for (let j = 0; j < n; j++) {
      [a[c * n + j], a[p * n + j]] = [a[p * n + j]!, a[c * n + j]!];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j]!, inv[c * n + j]!];
    }
    const pivot = a[c * n + c]!;
    for (let j = 0; j < n; j++) {
      a[c * n + j]! /= pivot;
      inv[c * n + j]! /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * n + c]!;
      for (let j = 0; j < n; j++) {
        a[r * n + j]! -= f * a[c * n + j]!;
        inv[r * n + j]! -= f * inv[c * n + j]!;
      }
    }
  }
  return inv;
}

/**
 * A linear contextual bandit: each episode draws a context x ~ U[0,1]^3, and arm a pays
 * θ_aᵀx + N(0, 0.1²). The best arm depends on the context.
 */
const THETA = [
  [0.9, 0.1, 0.0],
  [0.1, 0.8, 0.1],
  [0.0, 0.2, 0.7],
  [0.3, 0.3, 0.3],
];
const meanOf = (a: number, x: ArrayLike<number>) => THETA[a]!.reduce((s, w, i) => s + w * x[i]!, 0);

class LinearBandit implements Env<Float32Array> {
  readonly id = 'linear-bandit';
  readonly observationSpace = box(3, 0, 1);
  readonly actionSpace = discrete(THETA.length);
  readonly episodeMetricNames = [];
  readonly x = new Float32Array(3);
  private rng = new Rng(0, Stream.env);
  private readonly result: StepResult<Float32Array> = { observation: this.x, reward: 0, terminated: true, truncated: false };
  reset(seed?: number): Float32Array {
    if (seed !== undefined) this.rng = new Rng(seed, Stream.env);
    for (let i = 0; i < 3; i++) this.x[i] = this.rng.next();
    return this.x;
  }
  step(a: number): StepResult<Float32Array> {
    this.result.reward = meanOf(a, this.x) + 0.1 * this.rng.normal();
    return this.result;
  }
  episodeMetrics(): void {}
}

/** Plays one-pull episodes; returns the regret of each pull against the best arm for its context. */
function playLinear(agent: Agent<Observation>, pulls: number, seed: number, record?: (x: Float32Array, a: number) => void): Float64Array {
  const env = new LinearBandit();
  const regret = new Float64Array(pulls);
  for (let t = 0; t < pulls; t++) {
    const x = env.reset(t === 0 ? seed : undefined);
    const a = agent.start(x);
    record?.(Float32Array.from(x), a);
    const best = Math.max(...THETA.map((_, b) => meanOf(b, x)));
    regret[t] = best - meanOf(a, x);
    const r = env.step(a);
    agent.end(r.reward, r.observation, true);
  }
  return regret;
}

const mean = (v: ArrayLike<number>, from = 0, to = v.length) => {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]!;
  return s / (to - from);
};

describe('linucb', () => {
  it('keeps A_a⁻¹ equal to the direct inverse of λI + Σ x xᵀ after many Sherman–Morrison updates', () => {
    const lambda = 0.5;
    const agent = make(linucb, { alpha: 0.5, lambda }, THETA.length, box(3, 0, 1), 3) as LinUcbAgent;
    const pulls: { x: Float32Array; a: number }[] = [];
    playLinear(agent, 2000, 3, (x, a) => pulls.push({ x, a }));
    const d = 4; // 3 features + the bias
    for (let a = 0; a < THETA.length; a++) {
      const A = new Float64Array(d * d);
      for (let i = 0; i < d; i++) A[i * d + i] = lambda;
      let n = 0;
      for (const p of pulls) {
        if (p.a !== a) continue;
        n++;
        const x = [...p.x, 1];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) A[i * d + j]! += x[i]! * x[j]!;
      }
      expect(n, `arm ${a} pulled`).toBeGreaterThan(20);
      const direct = invert(A, d);
      const kept = agent.inverse(a);
      let scale = 0;
      direct.forEach((v) => (scale = Math.max(scale, Math.abs(v))));
      kept.forEach((v, i) => expect(Math.abs(v - direct[i]!) / scale, `arm ${a} entry ${i}`).toBeLessThan(1e-9));
    }
  });

  it('learns a linear bandit: regret falls and the greedy arm is the best for a known context', () => {
    const regrets = [0, 1, 2].map((seed) => playLinear(make(linucb, { alpha: 0.5 }, THETA.length, box(3, 0, 1), seed), 3000, seed));
    for (const r of regrets) {
      const early = mean(r, 0, 200);
      const late = mean(r, 2800, 3000);
      expect(late).toBeLessThan(0.25 * early);
      expect(late).toBeLessThan(0.02);
    }
    const agent = make(linucb, { alpha: 0.5 }, THETA.length, box(3, 0, 1), 7);
    playLinear(agent, 3000, 7);
    expect(agent.greedyAction(new Float32Array([1, 0, 0]))).toBe(0);
    expect(agent.greedyAction(new Float32Array([0, 1, 0]))).toBe(1);
    expect(agent.greedyAction(new Float32Array([0, 0.1, 1]))).toBe(2);
  });

  it('same seed ⇒ same pulls', () => {
    const run = (seed: number) => [...playLinear(make(linucb, {}, THETA.length, box(3, 0, 1), seed), 300, seed)];
    expect(run(5)).toEqual(run(5));
    expect(run(6)).not.toEqual(run(5));
  });

  it('needs a vector observation space', () => {
    expect(linucb.compatible(box(3, 0, 1), discrete(4))).toBeNull();
    expect(linucb.compatible(discrete(5), discrete(4))).toMatch(/^linucb needs a vector observation space \(Box\), but the environment observes 5 discrete states/);
    // A bandit testbed observes one state: "1 discrete state", not "1 discrete states".
    expect(linucb.compatible(discrete(1), discrete(4))).toMatch(/but the environment observes 1 discrete state: choose/);
    // The fix names where vectors are to be had, not a "vector observation mode" a tabular MDP has none of.
    expect(linucb.compatible(discrete(2), discrete(2))).toMatch(/: choose the shop with observation "vector" \(the other environments have only discrete states\) or a tabular or bandit agent$/);
    expect(linucb.compatible(box(999, 0, 1), discrete(1000))).toBe('linucb would keep 1,000 matrices of 1,000×1,000 numbers (8,000 MB): use fewer items or features');
  });
});

/** A fake simulator whose "true model" values are drawn afresh every step. */
class OracleEnv implements Env<number> {
  readonly id = 'fake-shop';
  readonly observationSpace = discrete(1);
  readonly actionSpace = discrete(6);
  readonly episodeMetricNames = [];
  readonly values = new Float64Array(6);
  private rng = new Rng(9, Stream.env);
  private t = 0;
  private readonly result: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };
  readonly oracle: EnvOracle = { immediateValues: (out) => out.set(this.values) };
  private draw(): void {
    for (let a = 0; a < 6; a++) this.values[a] = this.rng.next();
  }
  reset(): number {
    this.t = 0;
    this.draw();
    return 0;
  }
  step(a: number): StepResult<number> {
    this.result.reward = this.values[a]!;
    this.result.truncated = ++this.t === 10;
    this.draw();
    return this.result;
  }
  episodeMetrics(): void {}
}

describe('myopic-oracle', () => {
  it('takes the argmax of the true immediate values at every step', () => {
    const env = new OracleEnv();
    const agent = make(myopicOracle, {}, 6, discrete(1), 0, env.oracle);
    for (let episode = 0; episode < 20; episode++) {
      let a = agent.start(env.reset());
      for (;;) {
        const best = env.values.indexOf(Math.max(...env.values));
        expect(a).toBe(best);
        expect(agent.greedyAction(0)).toBe(best);
        const r = env.step(a);
        if (r.truncated) {
          agent.end(r.reward, r.observation, false);
          break;
        }
        a = agent.step(r.reward, r.observation);
      }
    }
    const out = new Float64Array(1);
    agent.episodeMetrics(out, 0);
    expect(agent.episodeMetricNames).toEqual(['train/oracle_value']);
    expect(out[0]).toBeGreaterThan(0.5); // the mean of the best of six uniforms is 6/7
  });

  it('breaks ties at random among the best actions only', () => {
    const oracle: EnvOracle = { immediateValues: (out) => out.set([0.2, 0.9, 0.1, 0.9, 0.9, 0.3]) };
    const agent = make(myopicOracle, {}, 6, discrete(1), 1, oracle);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(agent.start(0));
    expect([...seen].sort()).toEqual([1, 3, 4]);
  });

  it('refuses environments without a true model, with a message that says which to choose', () => {
    const env = new OracleEnv();
    expect(myopicOracle.compatible(discrete(1), discrete(6), env)).toBeNull();
    const why = myopicOracle.compatible(discrete(1), discrete(6), { id: 'bandit-testbed' });
    expect(why).toMatch(/^myopic-oracle needs a simulator that exposes its true model \(the shop\)/);
    expect(() => make(myopicOracle, {}, 6, discrete(1))).toThrow(/needs a simulator that exposes its true model/);
    expect(() =>
      parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'bandit-testbed' }, agent: { id: 'myopic-oracle' } }),
    ).toThrow(/agent\.id: myopic-oracle needs a simulator that exposes its true model/);
  });
});

/** Bernoulli arms, one pull per episode. */
function playBernoulli(agent: Agent<Observation>, means: readonly number[], pulls: number, seed: number) {
  const rng = new Rng(seed, Stream.env);
  const n = new Float64Array(means.length);
  const clicks = new Float64Array(means.length);
  for (let t = 0; t < pulls; t++) {
    const a = agent.start(0);
    const r = rng.next() < means[a]! ? 1 : 0;
    n[a]! += 1;
    clicks[a]! += r;
    agent.end(r, 0, true);
  }
  return { n, clicks };
}

describe('most-popular', () => {
  const MEANS = [0.05, 0.1, 0.3, 0.12, 0.2, 0.02];

  it('"rate" popularity converges to the arm with the highest mean reward', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const agent = make(mostPopular, {}, MEANS.length, discrete(1), seed);
      const { n, clicks } = playBernoulli(agent, MEANS, 5000, seed);
      const q = agent.values!().q;
      q.forEach((v, a) => expect(v).toBeCloseTo(n[a]! > 0 ? clicks[a]! / n[a]! : 0, 12));
      expect(agent.greedyAction(0), `seed ${seed}`).toBe(2);
      expect(n[2]! / 5000).toBeGreaterThan(0.7); // 1 − ε + ε/k ≈ 0.92 in the limit
    }
  });

  it('"count" popularity is each arm’s click count, and the chart feeds itself', () => {
    const agent = make(mostPopular, { popularity: 'count', epsilon: 0.05 }, MEANS.length, discrete(1), 0);
    const { n, clicks } = playBernoulli(agent, MEANS, 5000, 0);
    expect([...agent.values!().q]).toEqual([...clicks]);
    // The item on top is shown (and so clicked) most: its lead only grows.
    const top = agent.greedyAction(0);
    expect(n[top]! / 5000).toBeGreaterThan(0.9);
  });

  it('breaks ties at random before anything is learned, and ε = 0 never explores afterwards', () => {
    const first = new Set<number>();
    for (let seed = 0; seed < 30; seed++) first.add(make(mostPopular, { epsilon: 0 }, 6, discrete(1), seed).start(0));
    expect(first.size).toBeGreaterThan(3);
    const agent = make(mostPopular, { epsilon: 0 }, 6, discrete(1), 0);
    const a = agent.start(0);
    agent.end(1, 0, true);
    for (let i = 0; i < 50; i++) {
      expect(agent.start(0)).toBe(a);
      agent.end(1, 0, true);
    }
  });
});

describe('baseline schemas', () => {
  it('fill defaults, name the allowed range in errors and are registered', () => {
    expect(parseOrThrow(linucb.params, {})).toEqual({ alpha: 1, lambda: 1, bias: true });
    expect(parseOrThrow(myopicOracle.params, {})).toEqual({});
    expect(parseOrThrow(mostPopular.params, {})).toEqual({ popularity: 'rate', epsilon: 0.1 });
    const error = (def: AgentDefinition, raw: object) => () => parseOrThrow(def.params, raw, 'agent');
    expect(error(linucb, { alpha: -1 })).toThrow('agent.alpha: must be a number in [0, 100], got -1');
    expect(error(linucb, { lambda: 0 })).toThrow('agent.lambda: must be a number in (0, 1,000,000], got 0');
    expect(error(linucb, { bias: 1 })).toThrow('agent.bias: must be true or false, got 1');
    expect(error(mostPopular, { epsilon: 2 })).toThrow('agent.epsilon: must be a number in [0, 1], got 2');
    expect(error(mostPopular, { popularity: 'clicks' })).toThrow('agent.popularity: must be one of "rate", "count", got "clicks"');
    expect(error(myopicOracle, { epsilon: 0.1 })).toThrow('unknown field "epsilon"');
    expect([linucb, myopicOracle, mostPopular].map((d) => [d.id, d.family, findAgent(d.id) === d])).toEqual([
      ['linucb', 'bandit', true],
      ['myopic-oracle', 'baseline', true],
      ['most-popular', 'baseline', true],
    ]);
    for (const d of [linucb, myopicOracle, mostPopular]) expect(d.description.length).toBeGreaterThan(100);
  });
});
