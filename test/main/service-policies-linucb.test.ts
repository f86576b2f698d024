// LinUCB's greedy model exports as a one-layer linear network (`kind: "mlp"`): output a is θ̂_aᵀx
// plus the arm's bias weight. The runtime serves the agent's own greedy action on the shop's
// feature vectors, the app's export and evaluation take it like any network policy, and the
// weights are the agent's θ̂ as float32.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinUcbAgent } from '../../src/engine/agents/linucb';
import type { Observation } from '../../src/engine/env';
import type { MlpPolicyFile } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { Rng } from '../../src/engine/rng';
import type { prepareRun } from '../../src/engine/train';
import { expectSameAction, retrainRun } from '../helpers/policy';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
let runId: number;

const shopLinUcb = (bias: boolean) => ({
  format: 'aisle.experiment/v1',
  name: `shop linucb${bias ? '' : ' without bias'}`,
  env: { id: 'shop', items: 24, categories: 4, observation: 'vector', maxSteps: 20 },
  agent: { id: 'linucb', alpha: 0.5, bias },
  episodes: 150,
  seeds: 1,
  checkpoints: 2,
});

beforeAll(async () => {
  t = openService();
  const launched = await t.call('experiments.launch', { experiment: shopLinUcb(true) });
  runId = launched.runIds[0]!;
  await t.until([runId]);
});

afterAll(async () => {
  await t.close();
});

const retrain = (id: number) => retrainRun(t.store, id);

/** Feature vectors the shop shows along random sessions. */
function observations(env: ReturnType<typeof prepareRun>['env'], n: number): Float32Array[] {
  const rng = new Rng(11, 0);
  const out: Float32Array[] = [];
  let obs: Observation = env.reset(42);
  while (out.length < n) {
    out.push(Float32Array.from(obs as Float32Array));
    const r = env.step(rng.int(env.actionSpace.n));
    obs = r.terminated || r.truncated ? env.reset() : r.observation;
  }
  return out;
}

describe('exporting a LinUCB run', () => {
  it('stores weights checkpoints and exports one linear layer over the named features', async () => {
    expect(t.store.getRun(runId).status).toBe('completed');
    const detail = await t.call('runs.get', { id: runId });
    expect(detail.checkpoints.length).toBeGreaterThan(0);
    expect(detail.checkpoints.every((c) => c.kind === 'weights')).toBe(true);
    const exported = await t.call('policies.export', { runId });
    const policy = exported.policy as MlpPolicyFile;
    expect(policy.kind).toBe('mlp');
    const { env, agent } = retrain(runId);
    const space = env.observationSpace;
    if (space.kind !== 'box') throw new Error('expected a vector shop');
    expect(policy.network.layers).toEqual([{ in: space.size, out: 24, activation: 'linear' }]);
    expect(policy.network.encoding).toEqual({ kind: 'vector', size: space.size, features: space.labels, low: 0, high: 1 });
    expect(policy.network.output).toBe('q');
    expect(policy.provenance).toMatchObject({ runId, agent: 'linucb', episodes: 150 });
    // W's row a and b_a are θ̂_a as float32 (the stored θ̂ read through the agent's own weights()).
    const live = (agent as LinUcbAgent).weights();
    expect(policy.network.weights).toEqual(Array.from(live.params));
    expect(live.params.some((w) => w !== 0)).toBe(true);
  });

  it('the runtime serves the agent\'s greedy action (argmax θ̂ᵀx) on the shop\'s feature vectors', async () => {
    const exported = await t.call('policies.export', { runId });
    const served = loadPolicy(exported.text);
    const { env, agent } = retrain(runId);
    let distinct = 0;
    const xs = observations(env, 400);
    for (const [k, x] of xs.entries()) {
      const values = served.values(x);
      const top = Math.max(...values);
      if (values.filter((v) => v === top).length === 1) distinct++;
      expectSameAction(served.act(Array.from(x)), values, agent.greedyAction(x), `observation ${k}`);
    }
    // The check means something only if the model separates the arms on most contexts.
    expect(distinct).toBeGreaterThan(0.9 * xs.length);
  });

  it('without the bias feature the layer\'s biases are 0 and the choice is still the agent\'s', async () => {
    const launched = await t.call('experiments.launch', { experiment: shopLinUcb(false) });
    const id = launched.runIds[0]!;
    await t.until([id]);
    const exported = await t.call('policies.export', { runId: id });
    const policy = exported.policy as MlpPolicyFile;
    const [layer] = policy.network.layers;
    expect(policy.network.weights.slice(layer!.in * layer!.out)).toEqual(new Array(24).fill(0));
    const served = loadPolicy(exported.text);
    const { env, agent } = retrain(id);
    for (const [k, x] of observations(env, 200).entries()) expectSameAction(served.act(x), served.values(x), agent.greedyAction(x), `observation ${k}`);
  });

  it('evaluates like any network policy: Monte-Carlo on its own environment', async () => {
    const exported = await t.call('policies.export', { runId });
    const result = await t.call('policies.evaluate', { policyId: exported.policyId, episodes: 30, seed: 2 });
    expect(result.fingerprintMatches).toBe(true);
    expect(result.monteCarlo.episodes).toBe(30);
    expect(result.monteCarlo.meanReturn).toBeGreaterThan(0);
    expect(result.exact).toBeUndefined();
  });
});
