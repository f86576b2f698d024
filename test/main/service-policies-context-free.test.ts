// Context-free policies through the contract: a bandit run (one row of action values) exports as
// `kind: "context-free"` on a discrete environment and on vector observations alike, stays small
// for a thousand items, is listed and imported as its kind, and evaluates (Monte-Carlo on any
// environment with its actions; exactly on a tabular MDP or an exact shop) as the bandit's greedy
// action played in every state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollout } from '../../src/engine/evaluate';
import type { Mdp } from '../../src/engine/mdp/format';
import { evaluatePolicy } from '../../src/engine/mdp/solve';
import type { ContextFreePolicyFile } from '../../src/engine/policy/format';
import { loadPolicy } from '../../src/engine/policy/runtime';
import { createEnv, evaluatePolicyFile } from '../../src/main/policies';
import type { RunConfig } from '../../src/main/service/configs';
import { renamed, retrainRun } from '../helpers/policy';
import { CLIFF_MDP, cliff, openService, type TestService } from '../helpers/service';

const experiment = (name: string, env: Record<string, unknown>, agent: Record<string, unknown>, episodes = 60) => ({ format: 'aisle.experiment/v1', name, env, agent, episodes, seeds: 1, checkpoints: 2 });

const exactShop = { id: 'shop', exact: true, items: 6, categories: 2, segments: 1 };
const vectorShop = { id: 'shop', observation: 'vector', items: 6, categories: 2 };
/** shop-large.json's environment (1,000 items), trained briefly: the file's size depends on the items, not the sessions. */
const largeShop = { id: 'shop', items: 1000, categories: 20, segments: 4, noClickUtility: 3, maxSteps: 50 };

let t: TestService;
const runs: Record<'exact' | 'vector' | 'cliff' | 'large' | 'popular', number> = { exact: 0, vector: 0, cliff: 0, large: 0, popular: 0 };

beforeAll(async () => {
  t = openService({ workers: 3 });
  const launched = await Promise.all([
    t.call('experiments.launch', { experiment: experiment('thompson exact shop', exactShop, { id: 'thompson', model: 'bernoulli' }) }),
    t.call('experiments.launch', { experiment: experiment('ucb1 vector shop', vectorShop, { id: 'ucb1' }) }),
    t.call('experiments.launch', { experiment: { ...cliff({ name: 'cliff ε-greedy', seeds: 1, episodes: 60 }), env: { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 30 }, agent: { id: 'epsilon-greedy' } } }),
    t.call('experiments.launch', { experiment: experiment('shop large thompson', largeShop, { id: 'thompson', model: 'bernoulli' }, 20) }),
    t.call('experiments.launch', { experiment: experiment('popular vector shop', vectorShop, { id: 'most-popular' }) }),
  ]);
  [runs.exact, runs.vector, runs.cliff, runs.large, runs.popular] = launched.map((l) => l.runIds[0]!) as [number, number, number, number, number];
  await t.until(Object.values(runs));
});

afterAll(async () => {
  await t.close();
});

/** The run trained again in-process from its stored config. */
const retrain = (runId: number) => retrainRun(t.store, runId);

async function exported(runId: number): Promise<ContextFreePolicyFile> {
  const { policy, text } = await t.call('policies.export', { runId });
  expect(JSON.parse(text)).toEqual(policy);
  expect(policy.kind).toBe('context-free');
  return policy as ContextFreePolicyFile;
}

describe('exporting a bandit run', () => {
  it('on a discrete environment: its values and greedy action, no states, in file order', async () => {
    const policy = await exported(runs.exact);
    const { agent, env } = retrain(runs.exact);
    const values = agent.values!();
    expect(values.states).toBe(1);
    expect(policy.values).toEqual(Array.from(values.q));
    expect(policy.actions).toHaveLength(env.actionSpace.n);
    expect(policy.greedy).toBe(agent.greedyAction(0));
    expect(Object.keys(policy)).toEqual(['format', 'kind', 'name', 'env', 'actions', 'values', 'greedy', 'provenance']);
    expect(policy.provenance).toMatchObject({ runId: runs.exact, agent: 'thompson' });
    expect(policy.env).toEqual((await t.call('runs.get', { id: runs.exact })).fingerprint);
    // The runtime serves the agent's greedy action whatever it is asked.
    const served = loadPolicy(policy);
    const S = env.observationSpace.kind === 'discrete' ? env.observationSpace.n : 0;
    expect(S).toBeGreaterThan(1);
    for (let s = 0; s < S; s++) expect(served.act(s)).toBe(agent.greedyAction(s));
  });

  it('on vector observations (where a tabular export is impossible), for a bandit and for most-popular', async () => {
    for (const runId of [runs.vector, runs.popular]) {
      const policy = await exported(runId);
      const { agent, env } = retrain(runId);
      expect(env.observationSpace.kind).toBe('box');
      expect(policy.values).toEqual(Array.from(agent.values!().q));
      const served = loadPolicy(policy);
      let obs = env.reset(5);
      for (let i = 0; i < 50; i++) {
        expect(served.act(obs)).toBe(agent.greedyAction(obs));
        const r = env.step(served.act(obs));
        obs = r.terminated || r.truncated ? env.reset() : r.observation;
      }
    }
  });

  it('for 1,000 items (shop-large\'s catalog) stays small: one value per item, not one row per state', async () => {
    const { text, policy } = await t.call('policies.export', { runId: runs.large });
    expect(policy.kind).toBe('context-free');
    expect(policy.actions).toHaveLength(1000);
    const bytes = Buffer.byteLength(text);
    expect(bytes).toBeLessThan(100_000);
    // What it replaces: the same row repeated for each of the environment's discrete states.
    const env = createEnv(largeShop);
    const states = env.observationSpace.kind === 'discrete' ? env.observationSpace.n : 0;
    expect(states).toBeGreaterThan(500);
    const row = `${JSON.stringify((policy as ContextFreePolicyFile).values, null, 1)},`.length;
    expect(bytes * 100).toBeLessThan(states * row);
  });

  it('is listed and imported as its kind, with no states', async () => {
    const { text, policyId } = await t.call('policies.export', { runId: runs.vector, name: 'same for all' });
    const listed = (await t.call('policies.list', {})).find((p) => p.id === policyId);
    expect(listed).toMatchObject({ kind: 'context-free', envId: 'shop', states: 0, actions: 6, name: 'same for all', origin: 'export' });
    const imported = await t.call('policies.import', { text: renamed(text, 'ranking'), fileName: 'ranking.json' });
    expect(imported).toMatchObject({ ok: true, policy: { kind: 'context-free', states: 0, actions: 6, origin: 'import', runId: null } });
    // In the store's own column too (the CLI saves without sizes: the store reads them from the file).
    const saved = t.store.savePolicy({ runId: null, origin: 'import', json: text });
    expect(t.store.getPolicy(saved)).toMatchObject({ kind: 'context-free', states: 0, actions: 6, envId: 'shop' });
  });

  it('refuses a corrupted file naming the field', async () => {
    const { text } = await t.call('policies.export', { runId: runs.exact });
    const policy = JSON.parse(text) as ContextFreePolicyFile;
    const worst = policy.values.indexOf(Math.min(...policy.values));
    const refused = await t.call('policies.import', { text: JSON.stringify({ ...policy, greedy: worst }), fileName: 'bad.json' });
    expect(refused).toEqual({ ok: false, problems: [expect.stringMatching(new RegExp(`^policy\\.greedy: action ${worst} \\(value .*\\) is not a best action of policy\\.values`))] });
    const short = await t.call('policies.import', { text: JSON.stringify({ ...policy, values: policy.values.slice(1) }), fileName: 'short.json' });
    expect(short).toEqual({ ok: false, problems: [`policy.values: must have one value per action (6), got 5`] });
  });
});

describe('evaluating a context-free policy', () => {
  it('Monte-Carlo: the greedy action played throughout, on its own environment and on another with its actions', async () => {
    const { policyId, policy } = await t.call('policies.export', { runId: runs.vector });
    const greedy = (policy as ContextFreePolicyFile).greedy;
    const own = await t.call('policies.evaluate', { policyId, episodes: 200, seed: 4 });
    expect(own.fingerprintMatches).toBe(true);
    expect(own.warnings).toEqual([]);
    const played = rollout(createEnv(vectorShop), () => greedy, 200, 4);
    expect(own.monteCarlo).toEqual({ ...played, seed: 4 });
    // In the worker as in-process.
    expect(own).toEqual({ ...evaluatePolicyFile(policy, t.store.getRun(runs.vector).config as RunConfig, { episodes: 200, seed: 4, trained: true }), environment: `run ${runs.vector}'s, the one it was trained on` });

    // The same shop with discrete states: it ignores the observation, so it fits; the fingerprint differs.
    const discrete = { ...vectorShop, observation: 'discrete' };
    const elsewhere = await t.call('policies.evaluate', { policyId, experiment: experiment('discrete', discrete, { id: 'ucb1' }), episodes: 100, seed: 4 });
    expect(elsewhere.fingerprintMatches).toBe(false);
    expect(elsewhere.warnings[0]).toMatch(/params\.observation "?vector"? → "?discrete"?/);
    expect(elsewhere.monteCarlo).toEqual({ ...rollout(createEnv(discrete), () => greedy, 100, 4), seed: 4 });

    // Another number of actions does not.
    const wider = experiment('wider', { ...vectorShop, items: 8 }, { id: 'ucb1' });
    expect(await t.fail('policies.evaluate', { policyId, experiment: wider })).toMatchObject({
      status: 400,
      message: expect.stringContaining('policy: has 6 actions but the environment has 8: evaluate it on the environment it was trained on'),
    });
  });

  it('exactly on an exact shop: the expected return of the bandit\'s greedy action in every state', async () => {
    const { policyId, policy } = await t.call('policies.export', { runId: runs.exact });
    const { agent, env } = retrain(runs.exact);
    const mdp = (env as { mdp?: Mdp }).mdp!;
    const result = await t.call('policies.evaluate', { policyId, episodes: 100, seed: 2 });
    const gamma = result.exact!.gamma;
    const expected = evaluatePolicy(mdp, new Int32Array(mdp.states).fill(agent.greedyAction(0)), { gamma, horizon: result.exact!.horizon });
    expect(result.exact!.expectedReturn).toBe(expected);
    expect(result.exact!.optimalityGap).toBeGreaterThanOrEqual(-1e-9);
    expect(result.monteCarlo).toEqual({ ...rollout(createEnv(exactShop), () => (policy as ContextFreePolicyFile).greedy, 100, 2), seed: 2 });
  });

  it('exactly on a tabular MDP (the cliff), undiscounted, as the greedy action everywhere', async () => {
    const { policyId, policy } = await t.call('policies.export', { runId: runs.cliff });
    const { agent } = retrain(runs.cliff);
    const greedy = (policy as ContextFreePolicyFile).greedy;
    expect(greedy).toBe(agent.greedyAction(36));
    const result = await t.call('policies.evaluate', { policyId, episodes: 20, seed: 1 });
    const mdp = (createEnv({ id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 30 }) as { mdp?: Mdp }).mdp!;
    expect(result.exact).toMatchObject({ gamma: 1, horizon: 30 });
    expect(result.exact!.expectedReturn).toBe(evaluatePolicy(mdp, new Int32Array(48).fill(greedy), { gamma: 1, horizon: 30 }));
    // The cliff is deterministic: every episode returns the exact value.
    expect(result.monteCarlo.meanReturn).toBe(result.exact!.expectedReturn);
  });
});
