// PPO (src/engine/agents/ppo.ts): the clipped surrogate's and the value loss's gradients against
// float64 finite differences, learning on the bandit testbed, bitwise determinism through train(),
// the diagnostics, the exported weights and the parameter schema. The shop run is ppo-shop.test.ts.
import { describe, expect, it } from 'vitest';
import { argmax } from '../../src/engine/agent';
import { Minibatch, PpoAgent, clippedSurrogateLoss, ppo, ppoStateBytes, valueLoss, type SurrogateStats } from '../../src/engine/agents/ppo';
import { parseExperiment } from '../../src/engine/experiment';
import { logSoftmax, parameterCount } from '../../src/engine/nn';
import { parseOrThrow, ValidationError } from '../../src/engine/params';
import { Rng, Stream } from '../../src/engine/rng';
import { box, discrete } from '../../src/engine/spaces';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';
import { jsonSchemaOf } from '../../src/engine/json-schema';
import { pausedStateBytes } from '../helpers/resume';

const H = 1e-6;

/** Central differences of a float64 function in every coordinate of x. */
function numericGrad(f: (x: Float64Array) => number, x0: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(x0);
  return Float64Array.from(x, (_, j) => {
    const v = x[j]!;
    x[j] = v + H;
    const up = f(x);
    x[j] = v - H;
    const down = f(x);
    x[j] = v;
    return (up - down) / (2 * H);
  });
}

/** As test/engine/nn-grad.test.ts: relative error < 1e-3 against a floor of 1e-2 × the largest entry. */
function expectGradClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>): void {
  let maxAbs = 0;
  for (let j = 0; j < numeric.length; j++) maxAbs = Math.max(maxAbs, Math.abs(numeric[j]!));
  expect(maxAbs).toBeGreaterThan(0);
  for (let j = 0; j < numeric.length; j++) {
    const e = Math.abs(analytic[j]! - numeric[j]!) / Math.max(Math.abs(analytic[j]!), Math.abs(numeric[j]!), 1e-2 * maxAbs);
    if (!(e < 1e-3)) expect.fail(`entry ${j}: analytic ${analytic[j]} vs numeric ${numeric[j]} (rel. error ${e.toExponential(2)})`);
  }
}

function logSoftmax64(z: ArrayLike<number>, o: number, n: number): number[] {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, z[o + j]!);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(z[o + j]! - m);
  return Array.from({ length: n }, (_, j) => z[o + j]! - m - Math.log(s));
}

describe('PPO losses', () => {
  const B = 8;
  const A = 4;
  const EPS = 0.2;
  const ENT = 0.05;
  // Target ratios r_i on both sides of the clip interval, with advantages of both signs: rows where
  // the clipped term is the max (no gradient) and rows where the unclipped one is.
  const targetRatios = [0.5, 0.9, 1.05, 1.5, 0.6, 1.1, 1.4, 0.95];
  const advantages = [1.3, -0.7, 0.4, 2.0, -1.5, -0.2, -0.9, 0.8];

  function setUp() {
    const rng = new Rng(11);
    const logits = Float32Array.from({ length: B * A }, () => 4 * rng.next() - 2);
    const mb = new Minibatch(B, A);
    logSoftmax(mb.logp, logits, B, A);
    for (let i = 0; i < B; i++) {
      mb.actions[i] = i % A;
      mb.advantages[i] = advantages[i]!;
      mb.oldLogProbs[i] = mb.logp[i * A + mb.actions[i]!]! - Math.log(targetRatios[i]!);
    }
    return { logits, mb };
  }

  /** L^CLIP − c₂·S in float64, from the logits. */
  function loss64(z: ArrayLike<number>, mb: Minibatch): { total: number; pg: number; ent: number } {
    let pg = 0;
    let ent = 0;
    for (let i = 0; i < B; i++) {
      const lp = logSoftmax64(z, i * A, A);
      const r = Math.exp(lp[mb.actions[i]!]! - mb.oldLogProbs[i]!);
      const adv = mb.advantages[i]!;
      pg += Math.max(-adv * r, -adv * Math.min(Math.max(r, 1 - EPS), 1 + EPS));
      ent -= lp.reduce((h, l) => h + Math.exp(l) * l, 0);
    }
    return { total: pg / B - (ENT * ent) / B, pg: pg / B, ent: ent / B };
  }

  it('the clipped surrogate with entropy bonus has the gradient of its float64 finite differences', () => {
    const { logits, mb } = setUp();
    const dLogits = new Float32Array(B * A);
    const stats: SurrogateStats = { policyLoss: 0, entropy: 0, approxKl: 0, clipfrac: 0 };
    clippedSurrogateLoss(stats, dLogits, mb, B, A, EPS, ENT);
    // The test covers both branches and stays away from the kinks at r = 1 ± ε.
    const clippedRows = mb.coefs.filter((c) => c === 0).length;
    expect(clippedRows).toBeGreaterThan(1);
    expect(clippedRows).toBeLessThan(B - 1);
    expectGradClose(dLogits, numericGrad((z) => loss64(z, mb).total, logits));

    const want = loss64(logits, mb);
    expect(stats.policyLoss).toBeCloseTo(want.pg, 5);
    expect(stats.entropy).toBeCloseTo(want.ent, 5);
    const kl = targetRatios.reduce((s, r) => s + (r - 1 - Math.log(r)), 0) / B;
    expect(stats.approxKl).toBeCloseTo(kl, 5);
    expect(stats.clipfrac).toBe(targetRatios.filter((r) => Math.abs(r - 1) > EPS).length / B);
  });

  it.each([0, 0.3])('the value loss (clipRangeVf %s) has the gradient of its float64 finite differences', (clipVf) => {
    const mb = new Minibatch(6, 2);
    const values = Float32Array.from([0.5, -1.2, 2.0, 0.1, 0.9, -0.4]);
    mb.oldValues.set([0.4, -0.5, 2.6, 0.2, 0.3, -0.45]); // |V − V_old| on both sides of 0.3
    mb.returns.set([1.0, -2.0, 1.5, 0.8, 0.7, 1.0]);
    const vf = 0.7;
    const loss = (v: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < 6; i++) {
        const un = (v[i]! - mb.returns[i]!) ** 2;
        const vc = mb.oldValues[i]! + Math.min(Math.max(v[i]! - mb.oldValues[i]!, -clipVf), clipVf);
        s += clipVf > 0 ? Math.max(un, (vc - mb.returns[i]!) ** 2) : un;
      }
      return (0.5 * s) / 6;
    };
    const d = new Float32Array(6);
    expect(valueLoss(d, values, mb, 6, clipVf, vf)).toBeCloseTo(loss(values), 6);
    expectGradClose(d, numericGrad((v) => vf * loss(v), values));
  });
});

function banditSpec(seed: number, episodes: number): RunSpec {
  return { env: { id: 'bandit-testbed', arms: 10 }, agent: { id: 'ppo' }, episodes, seed };
}

describe('PPO learning', () => {
  it('learns the bandit testbed: reward and best-arm frequency rise (3 seeds, default parameters)', () => {
    // Uniform play earns mean q* ≈ 0 and pulls the best arm 10 % of the time; the best arm pays
    // about 1.5 on average. A sign error, a wrong ratio or a dead gradient leaves both flat.
    const seeds = [0, 1, 2];
    let gain = 0;
    let optimalFirst = 0;
    let optimalLast = 0;
    for (const seed of seeds) {
      const rows: number[][] = [];
      const result = train(banditSpec(seed, 3000), { onEpisode: (_e, r) => void rows.push(Array.from(r)) });
      const m = (name: string, from: number, to: number) => {
        const k = result.metricNames.indexOf(name);
        return rows.slice(from, to).reduce((s, r) => s + r[k]!, 0) / (to - from);
      };
      gain += m('reward', 2500, 3000) - m('reward', 0, 500);
      optimalFirst += m('optimal', 0, 500);
      optimalLast += m('optimal', 2500, 3000);
    }
    gain /= seeds.length;
    optimalFirst /= seeds.length;
    optimalLast /= seeds.length;
    expect(gain).toBeGreaterThan(0.6);
    expect(optimalFirst).toBeLessThan(0.25);
    expect(optimalLast).toBeGreaterThan(0.6);
  });
});

describe('PPO agent', () => {
  const chain: RunSpec = {
    env: { id: 'tabular-mdp', maxSteps: 20 },
    agent: { id: 'ppo', nSteps: 64, batchSize: 16, nEpochs: 3, targetKl: 0.05 },
    episodes: 40, // 800 steps: 12 updates
    seed: 5,
  };

  function trained(spec: RunSpec) {
    const prepared = prepareRun(spec);
    const rows: number[][] = [];
    train(spec, { onEpisode: (_e, r) => void rows.push(Array.from(r)) }, prepared);
    const agent = prepared.agent as PpoAgent;
    return { agent, rows, names: prepared.metricNames };
  }

  it('same seed ⇒ bitwise identical weights and metrics after the updates; another seed ⇒ different', () => {
    const a = trained(chain);
    const b = trained(chain);
    const c = trained({ ...chain, seed: 6 });
    const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
    expect(bits(a.agent.actor.params)).toEqual(bits(b.agent.actor.params));
    expect(bits(a.agent.critic.params)).toEqual(bits(b.agent.critic.params));
    expect(a.rows).toEqual(b.rows);
    expect(bits(a.agent.actor.params)).not.toEqual(bits(c.agent.actor.params));
  });

  it('reports the latest update\'s diagnostics: NaN before the first, the annealed learning rate after', () => {
    const { rows, names } = trained(chain);
    const k = (name: string) => names.indexOf(name);
    expect(names.slice(2)).toEqual(['train/policy_loss', 'train/value_loss', 'train/entropy', 'train/approx_kl', 'train/clipfrac', 'train/lr']);
    expect(rows[0]![k('train/lr')]).toBeNaN(); // 20 steps in: no update yet
    // The first update ends episode 4 (64 steps = 3.2 episodes; the rollout fills during episode 4):
    // its rollout began at episode 0, so lr = 3e-4 · (1 − 0/40). The one in episode 7 began at episode 3.
    expect(rows[3]![k('train/lr')]).toBeCloseTo(3e-4, 12);
    expect(rows[6]![k('train/lr')]).toBeCloseTo(3e-4 * (1 - 3 / 40), 12);
    const last = rows[rows.length - 1]!;
    for (const name of names.slice(2)) expect(Number.isFinite(last[k(name)]!), name).toBe(true);
    expect(last[k('train/entropy')]).toBeLessThanOrEqual(Math.log(2) + 1e-6);
    expect(last[k('train/clipfrac')]).toBeGreaterThanOrEqual(0);
  });

  it('acts greedily by the argmax of the policy logits and exports the actor\'s weights', () => {
    const { agent } = trained(chain);
    const w = agent.weights();
    expect(w.spec.sizes).toEqual([2, 64, 64, 2]);
    expect(w.spec.activations).toEqual(['tanh', 'tanh', 'linear']);
    expect(w.encoding).toEqual({ kind: 'one-hot', n: 2 });
    expect(w.output).toBe('logits');
    expect(w.params.length).toBe(parameterCount([2, 64, 64, 2]));
    expect(w.params).toBe(agent.actor.params); // a live view
    for (const s of [0, 1]) {
      const logits = agent.actor.forward(Float32Array.from([s === 0 ? 1 : 0, s === 1 ? 1 : 0]), 1);
      expect(agent.greedyAction(s)).toBe(argmax(Array.from(logits.subarray(0, 2)), 0, 2));
    }
  });

  it('records each step of a rollout where it belongs, with V(s′) at a truncation and nothing at a termination', () => {
    const p = parseOrThrow(ppo.params, { nSteps: 64, batchSize: 64 });
    const agent = ppo.create(p, { observationSpace: discrete(5), actionSpace: discrete(3), rng: new Rng(2, Stream.agent), episodes: 10 }) as PpoAgent;
    const v = (s: number) => agent.critic.forward(Float32Array.from({ length: 5 }, (_, i) => (i === s ? 1 : 0)), 1)[0]!;
    const a0 = agent.start(0);
    const a1 = agent.step(0.5, 1);
    agent.end(2, 4, false); // truncated in state 4
    const a3 = agent.start(2);
    agent.end(-1, 3, true); // terminated in state 3
    const r = agent.rollout;
    expect(r.size).toBe(3);
    expect(Array.from(r.actions.subarray(0, 3))).toEqual([a0, a1, a3]);
    expect(Array.from(r.rewards.subarray(0, 3))).toEqual([0.5, 2, -1]);
    expect(Array.from(r.truncated.subarray(0, 3))).toEqual([0, 1, 0]);
    expect(Array.from(r.terminated.subarray(0, 3))).toEqual([0, 0, 1]);
    expect(r.truncationValues[1]).toBe(v(4));
    expect(r.truncationValues[2]).toBe(0);
    expect(Array.from(r.values.subarray(0, 3))).toEqual([v(0), v(1), v(2)]);
    expect(Array.from(r.obs.subarray(5, 10))).toEqual([0, 1, 0, 0, 0]);
    const logp = new Float32Array(3);
    logSoftmax(logp, agent.actor.forward(Float32Array.from([0, 0, 1, 0, 0]), 1), 1, 3);
    expect(r.logProbs[2]).toBe(logp[a3]);
  });

  it('starts near the uniform policy and samples actions in proportion to it', () => {
    const p = parseOrThrow(ppo.params, { nSteps: 4096, batchSize: 4096 });
    const agent = ppo.create(p, { observationSpace: box(3, -1, 1), actionSpace: discrete(4), rng: new Rng(1, Stream.agent), episodes: 1 });
    const obs = Float32Array.from([0.2, -0.5, 0.9]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      counts[agent.start(obs)]!++;
      agent.end(0, obs, true);
    }
    for (const c of counts) expect(Math.abs(c / 4000 - 0.25)).toBeLessThan(0.03); // ±4.4 σ
  });

  it('runs on vector observations (the shop\'s feature mode)', () => {
    const rows: number[][] = [];
    const spec: RunSpec = { env: { id: 'shop', observation: 'vector', maxSteps: 20 }, agent: { id: 'ppo', nSteps: 64, batchSize: 32, nEpochs: 2 }, episodes: 30, seed: 1 };
    const result = train(spec, { onEpisode: (_e, r) => void rows.push(Array.from(r)) });
    expect(result.status).toBe('completed');
    expect(Number.isFinite(rows[rows.length - 1]![result.metricNames.indexOf('train/value_loss')]!)).toBe(true);
  });
});

describe('PPO parameters', () => {
  it('has cleanrl / stable-baselines3 defaults', () => {
    expect(parseOrThrow(ppo.params, {})).toEqual({
      learningRate: 3e-4, annealLr: true, nSteps: 128, batchSize: 64, nEpochs: 10, gamma: 0.99, gaeLambda: 0.95,
      clipRange: 0.2, clipRangeVf: 0, normalizeAdvantage: true, entCoef: 0.01, vfCoef: 0.5, maxGradNorm: 0.5, targetKl: 0,
      hidden: [64, 64],
    });
    expect(ppo.check!(parseOrThrow(ppo.params, {}))).toEqual([]);
    const json = jsonSchemaOf(ppo.params) as { properties: Record<string, { description?: string; default?: unknown }> };
    for (const [key, field] of Object.entries(json.properties)) expect([key, typeof field.description, 'default' in field]).toEqual([key, 'string', true]);
  });

  it('names the range of a value out of range', () => {
    const problems = (raw: object) => {
      try {
        parseOrThrow(ppo.params, raw, 'agent');
        return [];
      } catch (e) {
        return (e as ValidationError).problems;
      }
    };
    expect(problems({ clipRange: 0 })).toEqual(['agent.clipRange: must be a number in (0, 10], got 0']);
    expect(problems({ gaeLambda: 1.5 })).toEqual(['agent.gaeLambda: must be a number in [0, 1], got 1.5']);
    expect(problems({ nEpochs: 2.5 })[0]).toMatch(/^agent\.nEpochs: must be a whole number/);
    expect(problems({ hidden: [64, 0] })[0]).toMatch(/^agent\.hidden\[1\]: must be a whole number in \[1, 1024\]/);
    expect(problems({ hidden: [] })).toEqual(['agent.hidden: must list 1 to 4 hidden layer widths (whole numbers in [1, 1024]), e.g. [64, 64]']);
    expect(problems({ nstep: 3 })[0]).toMatch(/unknown field "nstep"/);
  });

  it('says how to fix nSteps and batchSize that do not fit together', () => {
    const problems = (agent: object) => {
      try {
        parseExperiment({ format: 'aisle.experiment/v1', name: 'x', env: { id: 'bandit-testbed' }, agent: { id: 'ppo', ...agent } });
        return [];
      } catch (e) {
        return (e as ValidationError).problems;
      }
    };
    expect(problems({ nSteps: 100, batchSize: 64 })).toEqual([
      'agent.nSteps: 100 is not a multiple of batchSize 64, so minibatches would be uneven: set nSteps to 128 (or 64) or choose a batchSize that divides it',
    ]);
    expect(problems({ nSteps: 32, batchSize: 64 })).toEqual(['agent.batchSize: 64 exceeds nSteps 32: lower batchSize to at most 32 or raise nSteps to 64']);
    expect(problems({ nSteps: 256, batchSize: 64 })).toEqual([]);
    // Minibatches too large for memory are refused here, not by a failed allocation (or the
    // system's out-of-memory killer) once the run starts.
    expect(problems({ nSteps: 1_000_000, batchSize: 1_000_000, hidden: [1024] })).toEqual([
      'agent.batchSize: minibatches of 1,000,000 through the actor and critic of widths [1, 1024, …] need 23.0 GiB of working memory, more than 1 GiB: lower batchSize (and nSteps with it) or use narrower layers',
    ]);
    expect(problems({ nSteps: 4096, batchSize: 4096, hidden: [1024, 1024] })).toEqual([]);
  });

  it('refuses a rollout whose paused state the database could not keep, saying how far to lower nSteps', () => {
    // 2,048 steps of a 100,000-state one-hot passed (819 MB of rollout, under the 1 GiB limit) and
    // failed the run at its pause, or its first autosave: 'could not record the run: The bound
    // string, buffer, or bigint is too big' (better-sqlite3 holds a value under 512 MiB).
    const experiment = (nSteps: number) => ({
      format: 'aisle.experiment/v1', name: 'x', env: { id: 'seed-toy', states: 100_000, actions: 4 }, agent: { id: 'ppo', hidden: [8], nSteps, batchSize: 64 },
    });
    expect(() => parseExperiment(experiment(2048))).toThrow(
      'agent.nSteps: a paused or autosaved run keeps its rollout (2,048 steps of 100,000 features) and networks, 868 MiB, more than the 496 MiB one run\'s state may take in the database: lower nSteps to at most 1,024 (a multiple of batchSize 64)',
    );
    expect(() => parseExperiment(experiment(1024))).not.toThrow();
    expect(() => parseExperiment(experiment(1088))).toThrow(ValidationError);
  });

  it('estimates the bytes of its saved state: the typed arrays a run\'s state copies from the agent', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ id: 'shop', observation: 'vector', maxSteps: 12 }, { hidden: [16, 8], nSteps: 64, batchSize: 32 }],
      [{ id: 'seed-toy', states: 40, actions: 7, stepsPerEpisode: 10 }, { hidden: [5], nSteps: 30, batchSize: 3 }],
      [{ id: 'bandit-testbed', arms: 5 }, { hidden: [64, 64, 64], nSteps: 16, batchSize: 16 }],
    ];
    for (const [env, agent] of cases) {
      const paused = pausedStateBytes({ env: env as RunSpec['env'], agent: { id: 'ppo', ...agent } as RunSpec['agent'], episodes: 40, seed: 0 }, 20);
      const { actor } = paused.agent as PpoAgent;
      const estimate = ppoStateBytes(parseOrThrow(ppo.params, agent), actor.nIn, actor.nOut);
      expect(estimate, JSON.stringify(agent)).toBe(paused.agentBytes);
      // The whole encoded state adds the environment's and the loop's, and a header: the 16 MiB kept free.
      expect(paused.encodedBytes - estimate).toBeLessThan(2 ** 24);
    }
  });

  it('refuses observations too wide for its network, with the fix', () => {
    expect(ppo.compatible(discrete(48), discrete(4))).toBeNull();
    // Counts grouped as the other messages print them; the fix names where a vector is to be had (only the shop has one).
    expect(ppo.compatible(discrete(200_000), discrete(4))).toBe(
      'ppo feeds the observation to a neural network as 200,000 features (one-hot of the states), more than 100,000: choose the shop with observation "vector" (the other environments have only discrete states) or a tabular agent',
    );
    expect(ppo.compatible(box(200_000, 0, 1), discrete(4))).toMatch(/as 200,000 features \(a vector\), more than 100,000: give the shop fewer categories or segments, or choose a tabular agent$/);
    const p = parseOrThrow(ppo.params, { hidden: [1024, 1024, 1024, 1024], nSteps: 16_384, batchSize: 64 });
    const ctx = { observationSpace: discrete(90_000), actionSpace: discrete(4), rng: new Rng(0), episodes: 1 };
    expect(() => ppo.create(p, ctx)).toThrow(/hidden: actor and critic of widths \[90000, 1024, .*\] have [\d,]+ parameters, more than 16,777,216: use narrower layers\nnSteps: 16,384 steps of 90,000 features need 5\.5 GiB .*lower nSteps/s);
  });
});

describe('PPO on a tabular MDP: the exact value of its greedy policy', () => {
  it('reports greedy.* from the argmax of its logits, equal to what that policy earns when played', async () => {
    const { readFileSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { rollout } = await import('../../src/engine/evaluate');
    const cliff = JSON.parse(readFileSync(resolve(__dirname, '../../resources/experiments/cliff.mdp.json'), 'utf8'));
    // Cliff walking is deterministic from a fixed start, so one played episode of the greedy policy
    // (undiscounted, cut at maxSteps) is its exact expected return under γ = 1, horizon = maxSteps.
    const spec: RunSpec = { env: { id: 'tabular-mdp', mdp: cliff, maxSteps: 60 }, agent: { id: 'ppo', gamma: 1 }, episodes: 150, seed: 3 };
    const prepared = prepareRun(spec);
    const result = train(spec, {}, prepared);
    const greedy = result.greedy!;
    expect(greedy).toBeDefined();
    expect(greedy.optimalReturn).toBe(-13);
    expect(greedy.expectedReturn).toBeLessThanOrEqual(greedy.optimalReturn + 1e-9);
    const played = rollout(prepareRun(spec).env, (s) => prepared.agent.greedyAction(s as number), 2, 0);
    expect(played.meanReturn).toBeCloseTo(greedy.expectedReturn, 9);
    expect(greedy.optimalityGap).toBeCloseTo(greedy.optimalReturn - greedy.expectedReturn, 9);
  });
});
