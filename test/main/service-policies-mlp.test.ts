// Network policies through the contract: a DQN run (one-hot states of the cliff MDP) and a PPO run
// (the shop's feature vectors) export as `kind: "mlp"` from their last weights checkpoint; the
// runtime serves the agent's own greedy actions; evaluation rolls out the runtime's act (and, on a
// tabular MDP, evaluates its greedy policy exactly); the Q-tables view never offers weights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../src/engine/env';
import type { MlpPolicyFile } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { Rng } from '../../src/engine/rng';
import { expectNetworkAction, renamed, retrainRun } from '../helpers/policy';
import { CLIFF_MDP, cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
let dqnRun: number;
let ppoRun: number;

const shopPpo = {
  format: 'aisle.experiment/v1',
  name: 'shop ppo',
  env: { id: 'shop', observation: 'vector' },
  agent: { id: 'ppo', hidden: [16], nSteps: 128, batchSize: 32 },
  episodes: 12,
  seeds: 1,
  checkpoints: 2,
};

beforeAll(async () => {
  t = openService();
  const dqn = await t.call('experiments.launch', {
    experiment: {
      ...cliff({ name: 'cliff dqn', seeds: 1, episodes: 20, checkpoints: 3 }),
      env: { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 100 },
      agent: { id: 'dqn', hidden: [16], learningStarts: 64, batchSize: 16, gamma: 1, epsilon: 0.2 },
    },
  });
  const ppo = await t.call('experiments.launch', { experiment: shopPpo });
  dqnRun = dqn.runIds[0]!;
  ppoRun = ppo.runIds[0]!;
  await t.until([dqnRun, ppoRun]);
});

afterAll(async () => {
  await t.close();
});

/** The run trained again in-process from its stored config. */
const retrain = (runId: number) => retrainRun(t.store, runId);

describe('network runs', () => {
  it('complete with weights checkpoints; the Q-tables view offers only Q-tables', async () => {
    for (const id of [dqnRun, ppoRun]) expect(t.store.getRun(id).status).toBe('completed');
    const detail = await t.call('runs.get', { id: dqnRun });
    const kinds = new Set(detail.checkpoints.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['qtable', 'weights'])); // DQN on discrete states keeps both
    expect(detail.checkpoints.filter((c) => c.kind === 'weights').at(-1)).toMatchObject({ episode: 19, states: 48, actions: 4 });
    const table = await t.call('qtables.get', { runId: dqnRun });
    expect(table.checkpoints.length).toBeGreaterThan(1);
    expect(table.checkpoints.every((c) => c.kind === 'qtable')).toBe(true);
    const weights = detail.checkpoints.find((c) => c.kind === 'weights')!;
    expect((await t.fail('qtables.get', { runId: dqnRun, checkpointId: weights.id })).status).toBe(404);
    // PPO keeps no Q-table at all: the refusal says why, and so does its detail, which the Q-tables screen reads instead of the table.
    const why = `run ${ppoRun} has no Q-table: PPO learns a network; export or evaluate its policy on the Policies screen`;
    expect(await t.fail('qtables.get', { runId: ppoRun })).toMatchObject({ status: 404, message: why });
    expect((await t.call('runs.get', { id: ppoRun })).noQTable).toBe(why);
    expect(detail.noQTable).toBeUndefined();
  });
});

describe('exporting a network policy', () => {
  it('DQN on one-hot states: the runtime serves the agent\'s greedy action in every state', async () => {
    const exported = await t.call('policies.export', { runId: dqnRun });
    const policy = exported.policy as MlpPolicyFile;
    expect(policy.kind).toBe('mlp');
    expect(policy.network.encoding).toEqual({ kind: 'one-hot', n: 48 });
    expect(policy.network.output).toBe('q');
    expect(policy.network.layers).toEqual([{ in: 48, out: 16, activation: 'relu' }, { in: 16, out: 4, activation: 'linear' }]);
    expect(policy.states![36]).toBe('r3c0 start');
    expect(policy.actions).toEqual(['up', 'right', 'down', 'left']);
    expect(policy.provenance).toMatchObject({ runId: dqnRun, agent: 'dqn', episodes: 20 });

    const served = loadPolicy(exported.text);
    const { agent } = retrain(dqnRun);
    for (let s = 0; s < 48; s++) expectNetworkAction(served.act(s), served.values(s), agent.greedyAction(s), `state ${s}`);
    expect(served.actLabel('r3c0 start')).toBe(policy.actions[served.act(36)]);

    const listed = (await t.call('policies.list', {})).find((p) => p.id === exported.policyId);
    expect(listed).toMatchObject({ kind: 'mlp', envId: 'tabular-mdp', states: 48, actions: 4, runId: dqnRun });
  });

  it('PPO on feature vectors: the runtime serves the argmax of the actor\'s logits on many observations', async () => {
    const exported = await t.call('policies.export', { runId: ppoRun, name: 'shop actor' });
    const policy = exported.policy as MlpPolicyFile;
    expect(policy.network.output).toBe('logits');
    expect(policy.network.encoding.kind).toBe('vector');
    expect(policy.states).toBeUndefined();
    const served = loadPolicy(exported.text);
    // The inputs are named as the environment names its features, for whoever builds the vector.
    const space = retrain(ppoRun).env.observationSpace;
    expect(space.kind === 'box' && space.labels).toBeTruthy();
    expect(served.features).toEqual(space.kind === 'box' ? space.labels : []);
    expect(served.features).toContain('engagement');
    // And their range, the shop's [0, 1]: a feature on another scale is refused, not served.
    expect(policy.network.encoding).toMatchObject({ low: 0, high: 1 });
    const engagement = served.features.indexOf('engagement');
    const onAnotherScale = Array.from({ length: served.features.length }, (_, i) => (i === engagement ? 70 : 0));
    expect(() => served.act(onAnotherScale)).toThrow(`observation[${engagement}] ("engagement") must be within [0, 1]`);
    const { agent, env } = retrain(ppoRun);
    const rng = new Rng(7, 0);
    let obs: Observation = env.reset(99);
    for (let k = 0; k < 300; k++) {
      const x = obs as Float32Array;
      expectNetworkAction(served.act(Array.from(x)), served.values(x), agent.greedyAction(x), `observation ${k}`);
      const r = env.step(rng.int(env.actionSpace.n));
      obs = r.terminated || r.truncated ? env.reset() : r.observation;
    }
    const listed = (await t.call('policies.list', {})).find((p) => p.id === exported.policyId);
    expect(listed).toMatchObject({ kind: 'mlp', name: 'shop actor', envId: 'shop', states: 0 });
  });
});

describe('evaluating a network policy', () => {
  it('rolls out the runtime\'s act, and on a tabular MDP evaluates its greedy policy exactly', async () => {
    const dqn = await t.call('policies.export', { runId: dqnRun });
    const result = await t.call('policies.evaluate', { policyId: dqn.policyId, episodes: 20, seed: 3 });
    expect(result.fingerprintMatches).toBe(true);
    expect(result.monteCarlo.episodes).toBe(20);
    expect(result.exact).toBeDefined();
    expect(result.exact!.optimalReturn).toBe(-13);
    expect(result.exact!.expectedReturn).toBeLessThanOrEqual(-13);

    const ppo = await t.call('policies.export', { runId: ppoRun });
    const shop = await t.call('policies.evaluate', { policyId: ppo.policyId, episodes: 5, seed: 1 });
    expect(shop.monteCarlo.episodes).toBe(5);
    expect(Number.isFinite(shop.monteCarlo.meanReturn)).toBe(true);
    expect(shop.exact).toBeUndefined();
    const discreteShop = { ...shopPpo, env: { id: 'shop', observation: 'discrete' } };
    expect(await t.fail('policies.evaluate', { policyId: ppo.policyId, experiment: discreteShop })).toMatchObject({
      status: 400,
      message: expect.stringMatching(/takes \d+ features but the environment has \d+ discrete states: evaluate it on the environment it was trained on/),
    });
  });

  it('imports an exported network policy, and refuses a corrupted one naming the field', async () => {
    const { text } = await t.call('policies.export', { runId: ppoRun });
    const imported = await t.call('policies.import', { text: renamed(text, 'actor'), fileName: 'actor.json' });
    expect(imported).toMatchObject({ ok: true, policy: { kind: 'mlp', origin: 'import', states: 0 } });
    const doc = JSON.parse(text) as MlpPolicyFile;
    doc.network.weights.pop();
    const refused = await t.call('policies.import', { text: JSON.stringify(doc), fileName: 'cut.json' });
    expect(refused).toEqual({ ok: false, problems: [expect.stringMatching(/^policy\.network\.weights: the layers need \d+ weights, got \d+$/)] });
  });
});
