import { describe, expect, it } from 'vitest';
import { assertEnv, checkEnv } from '../../src/engine/check-env';
import type { Env, StepResult } from '../../src/engine/env';
import { BanditTestbedEnv, banditTestbed } from '../../src/engine/envs/bandit-testbed';
import { SeedToyEnv, seedToy } from '../../src/engine/envs/seed-toy';
import { TabularMdpEnv, createTabularMdpEnv, tabularMdp } from '../../src/engine/envs/tabular-mdp';
import { parseMdp } from '../../src/engine/mdp/format';
import { ValidationError } from '../../src/engine/params';
import { Rng, Stream } from '../../src/engine/rng';
import { discrete } from '../../src/engine/spaces';
import { jsonSchemaOf } from '../../src/engine/json-schema';

const chainFile = {
  format: 'aisle.mdp/v1',
  states: 2,
  actions: ['stay', 'move'],
  start: { '0': 1 },
  transitions: [[0, 0, 1, 0, 0], [0, 1, 1, 1, 1], [1, 0, 1, 1, 2], [1, 1, 1, 0, 0]],
};

/** From state 0 (start 1/4) or 1 (start 3/4): action 0 goes to 2, 3, 4 w.p. 0.5, 0.3, 0.2; action 1 to 2..11 w.p. ∝ 1..10. */
const fanFile = (() => {
  const transitions: number[][] = [];
  for (const s of [0, 1]) {
    [0.5, 0.3, 0.2].forEach((p, i) => transitions.push([s, 0, p, 2 + i, i]));
    for (let i = 0; i < 10; i++) transitions.push([s, 1, (i + 1) / 55, 2 + i, 10 + i]);
  }
  return { format: 'aisle.mdp/v1', states: 12, actions: 2, start: { '0': 0.25, '1': 0.75 }, terminal: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], transitions };
})();

/** A loop with noise: from 0, action 0 moves to 1 or 2 (1/2 each), state 2 returns to 0; never terminates. */
const noisyLoop = {
  format: 'aisle.mdp/v1',
  states: 3,
  actions: 2,
  start: { '0': 1 },
  transitions: [[0, 0, 0.5, 1, 1], [0, 0, 0.5, 2, 0], [0, 1, 1, 0, 0.5], [1, 0, 1, 2, 0], [1, 1, 1, 0, 1], [2, 0, 1, 0, 0], [2, 1, 0.3, 1, 2], [2, 1, 0.7, 2, -1]],
};

/** Chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((acc, c, i) => acc + (c - n * probs[i]!) ** 2 / (n * probs[i]!), 0);
}

describe('checkEnv', () => {
  it('passes the shipped environments', () => {
    expect(checkEnv(() => seedToy.create(seedToy.params.parse({})))).toEqual([]);
    expect(checkEnv(() => seedToy.create(seedToy.params.parse({ states: 3, actions: 2, stepsPerEpisode: 7 })), { seed: 42, steps: 300 })).toEqual([]);
    expect(checkEnv(() => tabularMdp.create(tabularMdp.params.parse({ mdp: chainFile, maxSteps: 5 })), { deterministic: true })).toEqual([]);
    expect(checkEnv(() => tabularMdp.create(tabularMdp.params.parse({ mdp: noisyLoop, maxSteps: 50 })))).toEqual([]);
    expect(checkEnv(() => tabularMdp.create(tabularMdp.params.parse({ mdp: fanFile })))).toEqual([]);
    expect(checkEnv(() => banditTestbed.create(banditTestbed.params.parse({})))).toEqual([]);
    expect(() => assertEnv(() => new BanditTestbedEnv(3), { seed: 5, steps: 50 })).not.toThrow();
  });

  it('says when a deterministic environment needs the opt-out', () => {
    expect(checkEnv(() => createTabularMdpEnv(parseMdp(chainFile), 5))).toEqual([
      'seeds 0 and 1 give the same trajectory: the seed is ignored (pass deterministic: true if the environment has no randomness)',
    ]);
  });

  /** A minimal environment whose faults are switched on one at a time. */
  class Broken implements Env<number> {
    static calls = 0;
    readonly id = 'broken';
    readonly observationSpace = discrete(3);
    readonly actionSpace = discrete(2);
    readonly episodeMetricNames: readonly string[] = ['score'];
    private rng = new Rng(0);
    private t = 0;
    private readonly r: StepResult<number> = { observation: 0, reward: 0, terminated: false, truncated: false };
    constructor(private readonly fault: 'outside' | 'unseeded' | 'metrics' | 'reward' | 'none') {}
    reset(seed?: number): number {
      if (seed !== undefined) this.rng = new Rng(this.fault === 'unseeded' ? Broken.calls++ : seed, Stream.env);
      this.t = 0;
      return 0;
    }
    step(): StepResult<number> {
      this.t++;
      this.r.observation = this.fault === 'outside' && this.t === 3 ? 3 : this.rng.int(3);
      this.r.reward = this.fault === 'reward' ? NaN : this.rng.next();
      this.r.truncated = this.t >= 5;
      return this.r;
    }
    episodeMetrics(out: Float64Array, offset: number): void {
      out[offset] = 1;
      if (this.fault === 'metrics') out[offset + 1] = 2;
    }
  }

  it('catches a broken environment', () => {
    expect(checkEnv(() => new Broken('none'))).toEqual([]);
    expect(checkEnv(() => new Broken('outside'))).toEqual(['step 2 (seed 0): observation 3 is outside the observation space Discrete(3)']);
    expect(checkEnv(() => new Broken('reward'))).toEqual(['step 0 (seed 0): reward NaN is not a finite number']);
    expect(checkEnv(() => new Broken('metrics'))).toEqual(['step 4 (seed 0): episodeMetrics wrote outside its 1 slot (episodeMetricNames has 1 names)']);
    const unseeded = checkEnv(() => new Broken('unseeded'));
    expect(unseeded[0]).toMatch(/^two environments with seed 0 and the same actions differ \(at trace entry \d+\)/);
    expect(unseeded[1]).toMatch(/^reset\(0\) on a used environment does not reproduce a fresh one/);
    expect(() => assertEnv(() => new Broken('reward'))).toThrow(/fails checkEnv:\n- step 0 \(seed 0\): reward NaN/);
    expect(checkEnv(() => ({ ...new Broken('none'), actionSpace: discrete(2), observationSpace: { kind: 'discrete', n: 0 } }) as unknown as Env)).toEqual([
      'observationSpace is Discrete(0): n must be a whole number ≥ 1',
    ]);
  });
});

describe('seed-toy', () => {
  it('moves to a uniform next state with a fair-coin reward, using one int and one next per step', () => {
    const env = new SeedToyEnv(10, 5, 100);
    const mirror = new Rng(3, Stream.env);
    expect(env.reset(3)).toBe(mirror.int(10));
    const steps = 200_000;
    const visits = new Array<number>(10).fill(0);
    let rewardSum = 0;
    let mismatches = 0;
    for (let i = 0; i < steps; i++) {
      const r = env.step(i % 5);
      if (r.observation !== mirror.int(10) || r.reward !== (mirror.next() < 0.5 ? 1 : 0)) mismatches++;
      if (r.terminated || r.truncated !== ((i + 1) % 100 === 0)) mismatches++;
      visits[r.observation]!++;
      rewardSum += r.reward;
      if (r.truncated && env.reset() !== mirror.int(10)) mismatches++;
    }
    expect(mismatches).toBe(0);
    // Bernoulli(0.5): sd of the mean is 0.5 / √n; allow 4 sd.
    expect(Math.abs(rewardSum / steps - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(steps));
    // 9 degrees of freedom: P(χ² > 33.7) ≈ 1e-4.
    expect(chiSquare(visits, new Array(10).fill(0.1))).toBeLessThan(33.7);
  });

  it('refuses to step before a seeded reset, after the end, or with a bad action', () => {
    const env = new SeedToyEnv(2, 2, 1);
    expect(() => env.step(0)).toThrow(/call reset\(seed\) before step\(\)/);
    expect(() => env.reset()).toThrow(/the first reset needs a seed/);
    env.reset(1);
    expect(() => env.step(2)).toThrow(/action 2 is not in 0..1/);
    expect(env.step(1).truncated).toBe(true);
    expect(() => env.step(0)).toThrow(/the episode has ended/);
  });
});

describe('bandit-testbed', () => {
  it('draws q* per seed and keeps it across unseeded resets', () => {
    const env = new BanditTestbedEnv(10);
    env.reset(1);
    const first = [...env.qStar];
    env.reset();
    expect([...env.qStar]).toEqual(first);
    env.reset(2);
    expect([...env.qStar]).not.toEqual(first);
    env.reset(1);
    expect([...env.qStar]).toEqual(first);
    const other = new BanditTestbedEnv(10);
    other.reset(1);
    expect([...other.qStar]).toEqual(first);
    expect(env.bestArm).toBe(first.indexOf(Math.max(...first)));
  });

  it('pays N(q*(a), 1) and reports reward and optimal per pull', () => {
    const env = new BanditTestbedEnv(5);
    env.reset(9);
    const pulls = 20_000;
    const sums = new Array<number>(5).fill(0);
    const out = new Float64Array(2);
    let mismatches = 0;
    for (let i = 0; i < pulls; i++) {
      const arm = i % 5;
      if (env.reset() !== 0) mismatches++;
      const r = env.step(arm);
      env.episodeMetrics(out, 0);
      if (!r.terminated || r.truncated || out[0] !== r.reward || out[1] !== (arm === env.bestArm ? 1 : 0)) mismatches++;
      sums[arm]! += r.reward;
    }
    expect(mismatches).toBe(0);
    // Each arm's mean of 4000 unit-variance pulls is within 4 / √4000 of q*.
    sums.forEach((s, a) => expect(Math.abs(s / (pulls / 5) - env.qStar[a]!)).toBeLessThan(4 / Math.sqrt(pulls / 5)));
    expect(env.episodeMetricNames).toEqual(['reward', 'optimal']);
    expect(env.observationSpace).toEqual(discrete(1));
  });
});

describe('tabular-mdp', () => {
  it('samples start states and transitions with the right frequencies', () => {
    const env = createTabularMdpEnv(parseMdp(fanFile), 10);
    const starts = [0, 0];
    const small = [0, 0, 0];
    const large = new Array<number>(10).fill(0);
    let mismatches = 0;
    for (let e = 0; e < 40_000; e++) {
      const s = env.reset(e === 0 ? 4 : undefined);
      starts[s]!++;
      const r = env.step(e % 2);
      if (!r.terminated || r.reward !== r.observation - 2 + (e % 2) * 10) mismatches++;
      if (e % 2 === 0) small[r.observation - 2]!++;
      else large[r.observation - 2]!++;
    }
    expect(mismatches).toBe(0);
    // P(χ² > x) ≈ 1e-4 at x = 15.1 (1 df), 18.4 (2 df), 33.7 (9 df).
    expect(chiSquare(starts, [0.25, 0.75])).toBeLessThan(15.1);
    expect(chiSquare(small, [0.5, 0.3, 0.2])).toBeLessThan(18.4);
    expect(chiSquare(large, Array.from({ length: 10 }, (_, i) => (i + 1) / 55))).toBeLessThan(33.7);
  });

  it('truncates at maxSteps, and an episode that ended must be reset', () => {
    const env = createTabularMdpEnv(parseMdp(chainFile), 3);
    expect(env.reset(1)).toBe(0);
    const seen = [1, 0, 0].map((a) => ({ ...env.step(a) })); // copy: the result object is reused
    expect(seen).toEqual([
      { observation: 1, reward: 1, terminated: false, truncated: false },
      { observation: 1, reward: 2, terminated: false, truncated: false },
      { observation: 1, reward: 2, terminated: false, truncated: true },
    ]);
    expect(() => env.step(0)).toThrow(/the episode has ended: call reset\(\)/);
    expect(env.reset()).toBe(0);
    expect(() => env.step(2)).toThrow(/action 2 is not in 0..1/);
    expect(env.mdp.states).toBe(2);
    expect(env.observationSpace).toEqual(discrete(2, ['0', '1']));
    expect(env.actionSpace).toEqual(discrete(2, ['stay', 'move']));
  });

  it('is created from its params: the chain by default, inline MDPs, never an unresolved path', () => {
    const env = tabularMdp.create(tabularMdp.params.parse({}));
    expect(env).toBeInstanceOf(TabularMdpEnv);
    expect((env as TabularMdpEnv).mdp.name).toBe('two-state chain');
    expect((env as TabularMdpEnv).maxSteps).toBe(1000);
    expect(() => tabularMdp.create(tabularMdp.params.parse({ mdp: 'shop.mdp.json' }))).toThrow(ValidationError);
    expect(() => tabularMdp.create(tabularMdp.params.parse({ mdp: 'shop.mdp.json' }))).toThrow(/mdp: "shop.mdp.json" is a file path the host did not resolve/);
    const broken = { ...chainFile, transitions: chainFile.transitions.slice(1) };
    expect(() => tabularMdp.create(tabularMdp.params.parse({ mdp: broken }))).toThrow(/mdp\.transitions: state 0 has no transitions for action 0 "stay"/);
    // Each run parses its params again; the compiled MDP is reused until the file changes.
    const first = tabularMdp.create(tabularMdp.params.parse({ mdp: fanFile })) as TabularMdpEnv;
    expect((tabularMdp.create(tabularMdp.params.parse({ mdp: fanFile })) as TabularMdpEnv).mdp).toBe(first.mdp);
    expect((tabularMdp.create(tabularMdp.params.parse({ mdp: { ...fanFile, start: { '0': 1 } } })) as TabularMdpEnv).mdp.start[0]).toBe(1);
    const bad = tabularMdp.params.safeParse({ mdp: 3, maxSteps: 0 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['must be the path of an aisle.mdp/v1 file or an inline aisle.mdp/v1 object, got 3', 'must be a whole number in [1, 10,000,000], got 0']);
  });

  it("describes inline MDPs with the file format's JSON Schema", () => {
    const schema = jsonSchemaOf(tabularMdp.params) as unknown as { properties: { mdp: { anyOf: { properties?: Record<string, unknown> }[] } } };
    expect(Object.keys(schema.properties.mdp.anyOf[1]!.properties!)).toContain('transitions');
  });
});
