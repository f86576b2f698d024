// DQN's speed through its own code path (train() → the agent → replay, networks, Adam) on the
// benchmark workload of /work/shared/bench/torch_dqn_step.py (obs 64 → 128 → 128 → 100, batch 64),
// beside the bare nn update of test/engine/nn-mlp.test.ts, measured interleaved in the same process
// (the machines are shared and noisy: the ratios hold, the absolute rates drift). Printed, not asserted.
import { describe, expect, it } from 'vitest';
import { maxOf } from '../../src/engine/agent';
import { dqn, dqnParams } from '../../src/engine/agents/dqn';
import type { Env, StepResult } from '../../src/engine/env';
import { Adam, huberSelected, Mlp } from '../../src/engine/nn';
import { Rng, Stream } from '../../src/engine/rng';
import { box, discrete } from '../../src/engine/spaces';
import { train, type PreparedRun, type RunSpec } from '../../src/engine/train';

const IN = 64, NA = 100, BATCH = 64, POOL = 1024, EPISODE = 50;

/** 64 features from a fixed pool of random vectors, 100 actions, reward in [0, 1), 50-step episodes. */
class FakeShop implements Env<Float32Array> {
  readonly id = 'fake-shop';
  readonly observationSpace = box(IN, -1, 1);
  readonly actionSpace = discrete(NA);
  readonly episodeMetricNames: readonly string[] = [];
  private readonly pool: Float32Array[];
  private rng = new Rng(0, Stream.env);
  private t = 0;
  private readonly result: StepResult<Float32Array>;
  constructor() {
    const data = new Rng(1, Stream.env);
    this.pool = Array.from({ length: POOL }, () => Float32Array.from({ length: IN }, () => 2 * data.next() - 1));
    this.result = { observation: this.pool[0]!, reward: 0, terminated: false, truncated: false };
  }
  reset(seed?: number): Float32Array {
    if (seed !== undefined) this.rng = new Rng(seed, Stream.env);
    this.t = 0;
    return this.pool[this.rng.int(POOL)]!;
  }
  step(action: number): StepResult<Float32Array> {
    this.t++;
    const r = this.result;
    r.observation = this.pool[(this.rng.int(POOL) + action) % POOL]!;
    r.reward = this.rng.next();
    r.terminated = this.rng.next() < 0.05;
    r.truncated = this.t >= EPISODE;
    return r;
  }
  episodeMetrics(): void {}
}

/** A prepared run of the agent on FakeShop, past learningStarts, and one block of training. */
function agentRun(agent: Record<string, unknown>): (minMs: number) => number {
  const spec: RunSpec = { env: { id: 'fake-shop' }, agent: { id: 'dqn', ...agent }, episodes: 1, seed: 1 };
  const env = new FakeShop();
  const params = dqnParams.parse({ hidden: [128, 128], batchSize: BATCH, learningStarts: BATCH, ...agent });
  const created = dqn.create(params, { observationSpace: env.observationSpace, actionSpace: env.actionSpace, rng: new Rng(1, Stream.agent), episodes: 1 });
  const prepared: PreparedRun = { env, agent: created, metricNames: ['return', 'length', ...created.episodeMetricNames], gamma: params.gamma, horizon: 1000 };
  train({ ...spec, episodes: 4 }, {}, prepared); // fill past learningStarts, warm the JIT
  return (minMs) => {
    const t0 = performance.now();
    let steps = 0, el: number;
    do { steps += train(spec, {}, prepared).steps; el = performance.now() - t0; } while (el < minMs);
    return (steps * 1000) / el; // one gradient step per environment step
  };
}

/** The bare update of nn-mlp.test.ts: DQN target (max over θ⁻), Huber, Adam, no clipping, no replay. */
function bareUpdate(): (minMs: number) => number {
  const rng = new Rng(1, Stream.agent);
  const spec = { sizes: [IN, 128, 128, NA], activations: ['relu', 'relu', 'linear'] as const };
  const online = new Mlp({ sizes: spec.sizes, activations: [...spec.activations] }, { rng, maxBatch: BATCH });
  const target = new Mlp({ sizes: spec.sizes, activations: [...spec.activations] }, { rng, maxBatch: BATCH });
  const adam = new Adam(online, { lr: 1e-3 });
  const data = new Rng(1, Stream.env);
  const s = Float32Array.from({ length: BATCH * IN }, () => 2 * data.next() - 1);
  const s2 = Float32Array.from({ length: BATCH * IN }, () => 2 * data.next() - 1);
  const a = Int32Array.from({ length: BATCH }, () => data.int(NA));
  const y = new Float32Array(BATCH);
  const update = () => {
    const qNext = target.forward(s2, BATCH);
    for (let i = 0; i < BATCH; i++) y[i] = 0.5 + 0.99 * maxOf(qNext, i * NA, NA);
    const q = online.forward(s, BATCH);
    online.zeroGrad();
    huberSelected(q, a, y, BATCH, NA, online.dOut);
    online.backward();
    adam.step();
  };
  for (let k = 0; k < 20; k++) update();
  return (minMs) => {
    const t0 = performance.now();
    let n = 0, el: number;
    do { update(); n++; el = performance.now() - t0; } while (el < minMs);
    return (n * 1000) / el;
  };
}

describe('DQN speed (printed, not asserted)', () => {
  it('updates/s on the 64-128-128-100 batch-64 workload, agent path vs the bare nn update', () => {
    const variants: [string, (minMs: number) => number][] = [
      ['bare nn update (nn-mlp.test.ts)', bareUpdate()],
      ['agent, DQN target, random acting', agentRun({ doubleDqn: false, epsilon: 1 })],
      ['agent, Double DQN, random acting', agentRun({ doubleDqn: true, epsilon: 1 })],
      ['agent, Double DQN, greedy acting', agentRun({ doubleDqn: true, epsilon: 0 })],
    ];
    const rates = variants.map(() => [] as number[]);
    for (let round = 0; round < 5; round++) variants.forEach(([, run], v) => rates[v]!.push(run(300)));
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
    const base = median(rates[0]!);
    for (const [v, [name]] of variants.entries()) {
      const m = median(rates[v]!);
      console.log(`${name.padEnd(36)} ${m.toFixed(0).padStart(5)} updates/s  (${(m / base).toFixed(2)} × bare)`);
    }
    expect(base).toBeGreaterThan(0);
  });
});
