// A policy serves by index, so where its sizes fit an environment its labels are all that tells
// whether its state 0 is that environment's state 0. A label that differs is refused (evaluation,
// the Policies screen's picker, import), naming the field and both labels; an MDP that differs from
// the one the policy was trained on with the same states and actions, named alike, is a warning.
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/engine/experiment';
import { parsePolicy, type PolicyFile } from '../../src/engine/policy/format';
import { createEnv, evaluatePolicyFile, policyText, readPolicyText } from '../../src/main/policies';
import { envFingerprint } from '../../src/main/fingerprint';
import { APP_VERSION } from '../../src/main/version';
import { contextFreePolicy, fitProblem, renamed } from '../helpers/policy';
import { CLIFF_MDP, cliff, openService } from '../helpers/service';

/** A shop's funnel as an MDP: buying at home goes to the cart, browsing in the cart checks out. */
function shopMdp(edit: { states?: string[]; actions?: string[]; reward?: number } = {}) {
  return {
    format: 'aisle.mdp/v1',
    states: edit.states ?? ['home', 'cart', 'checkout'],
    actions: edit.actions ?? ['browse', 'buy'],
    start: { 0: 1 },
    terminal: [2],
    transitions: [
      [0, 0, 1, 0, 0],
      [0, 1, 1, 1, edit.reward ?? 1],
      [1, 0, 1, 2, 10],
      [1, 1, 1, 0, 0],
    ],
  };
}

/** The MDP with its home and cart swapped: the same shop, its states in another order. */
function reorderedMdp() {
  const at = [1, 0, 2];
  return { ...shopMdp(), states: ['cart', 'home', 'checkout'], start: { 1: 1 }, transitions: shopMdp().transitions.map(([s, a, p, t, r]) => [at[s!], a, p, at[t!], r]) };
}

function experiment(mdp: object): Pick<Experiment, 'env' | 'agent'> {
  return { env: { id: 'tabular-mdp', mdp, maxSteps: 20 }, agent: { id: 'q-learning', gamma: 0.9 } };
}

/** The policy trained on shopMdp() (buy at home, browse in the cart), with its fingerprint. */
function shopPolicy(): PolicyFile {
  const { env } = experiment(shopMdp());
  return parsePolicy({
    format: 'aisle.policy/v1',
    kind: 'tabular',
    env: envFingerprint(env, createEnv(env)),
    states: ['home', 'cart', 'checkout'],
    actions: ['browse', 'buy'],
    q: [[8, 9], [10, 8], [0, 0]],
    greedy: [1, 0, 0],
    provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 300, gamma: 0.9, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-12-07T00:00:00Z' },
  });
}

const ORDER_FIX = 'evaluate it on the environment it was trained on, or train a policy on this one';

describe('a policy on an environment whose labels differ', () => {
  it('refuses an MDP with its states in another order, whose figures would be another policy\'s', () => {
    const policy = shopPolicy();
    const problem =
      'policy.states[0]: state 0 is "home" in the policy but "cart" in the environment, whose state 1 is "home": its states are named in another order, and the policy takes them by index, ' +
      `so each state would be served another state's action: ${ORDER_FIX}`;
    expect(fitProblem(policy, experiment(reorderedMdp()))).toBe(problem);
    // Evaluated anyway it scored 0 against its own 10: refused, naming the field, before any episode.
    expect(() => evaluatePolicyFile(policy, experiment(reorderedMdp()), { episodes: 5, seed: 0 })).toThrow(problem);
  });

  it('refuses an MDP with a state renamed: a renamed state cannot be told from another one', () => {
    expect(fitProblem(shopPolicy(), experiment(shopMdp({ states: ['home', 'basket', 'checkout'] })))).toBe(
      'policy.states[1]: state 1 is "cart" in the policy but "basket" in the environment: the policy takes its states by index, and a renamed state cannot be told from another one: ' +
        "evaluate it on the environment it was trained on; if only the names changed, give both the same names (the environment the policy's, or the policy file the environment's)",
    );
  });

  it('cuts a label of a page of text, as a value is shown in any message', () => {
    const long = 'basket '.repeat(100);
    const problem = fitProblem(shopPolicy(), experiment(shopMdp({ states: ['home', long, 'checkout'] })))!;
    expect(problem.startsWith(`policy.states[1]: state 1 is "cart" in the policy but ${JSON.stringify(long.slice(0, 60))}… in the environment: `)).toBe(true);
    expect(problem).not.toContain(long);
  });

  it('refuses an MDP with its actions in another order, naming the action', () => {
    const swapped = { ...shopMdp({ actions: ['buy', 'browse'] }), transitions: shopMdp().transitions.map(([s, a, p, t, r]) => [s, 1 - a!, p, t, r]) };
    expect(fitProblem(shopPolicy(), experiment(swapped))).toBe(
      'policy.actions[0]: action 0 is "browse" in the policy but "buy" in the environment, whose action 1 is "browse": its actions are named in another order, and the policy takes them by index, ' +
        `so each action it chooses would be played as another: ${ORDER_FIX}`,
    );
  });

  it('warns in one line where only the MDP differs, its states and actions the same and named alike', () => {
    const policy = shopPolicy();
    const edited = experiment(shopMdp({ reward: 2 }));
    expect(fitProblem(policy, edited)).toBeUndefined();
    const { warnings, fingerprintMatches, exact } = evaluatePolicyFile(policy, edited, { episodes: 5, seed: 0 });
    expect(fingerprintMatches).toBe(false);
    expect(exact!.expectedReturn).toBeCloseTo(2 + 0.9 * 10, 9); // this MDP's figure, which the warning says it is
    const { env } = edited;
    const hash = envFingerprint(env, createEnv(env)).mdpHash!.slice(0, 12);
    expect(warnings).toEqual([
      `the MDP differs from the one the policy was trained on (sha256 ${hash}… here, ${policy.env.mdpHash!.slice(0, 12)}… in the policy), its states and actions the same and named alike: ` +
        "its transitions, rewards or start states were changed, so these figures are the policy's on this MDP, not on the one it learned on",
    ]);
  });

  it('evaluates, with a warning, where one side names its states by index only: there is nothing to check them against', () => {
    const plain = experiment({ ...shopMdp(), states: 3 });
    expect(fitProblem(shopPolicy(), plain)).toBeUndefined();
    const { warnings } = evaluatePolicyFile(shopPolicy(), plain, { episodes: 5, seed: 0 });
    expect(warnings[0]).toBe(
      'the environment names its states by index only, where the policy names them (home, cart, checkout): the policy takes them by index, and without names on both sides Aisle cannot check that each is the same state: ' +
        'check they are in the order it was trained on',
    );
  });
});

describe('importing a policy whose labels are not its own environment\'s', () => {
  it('refuses a file whose actions were reordered after export, as its own settings make them', () => {
    const file = contextFreePolicy();
    const exported = { ...file, provenance: { ...file.provenance, appVersion: APP_VERSION } }; // by this version
    expect(readPolicyText(JSON.stringify(exported), 'cf.json')).toMatchObject({ ok: true });
    const reordered = { ...exported, actions: ['hats', 'shoes', 'bags'] };
    expect(readPolicyText(JSON.stringify(reordered), 'cf.json')).toEqual({
      ok: false,
      problems: [
        'policy.actions[0]: action 0 is "hats" in the policy but "shoes" in the environment its settings make, whose action 1 is "hats": the policy file\'s actions were edited after export: export the policy again from its run',
      ],
    });
  });

  it('says that another version of Aisle may have named them otherwise, where its code makes them from the settings', () => {
    const exported = contextFreePolicy();
    const older = { ...exported, actions: ['hats', 'shoes', 'bags'], provenance: { ...exported.provenance, appVersion: '0.0.9' } };
    const read = readPolicyText(JSON.stringify(older), 'cf.json');
    expect(read.ok ? [] : read.problems).toEqual([
      'policy.actions[0]: action 0 is "hats" in the policy but "shoes" in the environment its settings make, whose action 1 is "hats": ' +
        "the policy file's actions were edited after export, or Aisle 0.0.9, which exported it, named them otherwise: export the policy again from its run",
    ]);
  });

  it('stores the file as it was exported, byte for byte', () => {
    const text = policyText(shopPolicy());
    const read = readPolicyText(text, 'shop.json');
    expect(read.ok && read.json).toBe(text);
  });
});

describe('the Policies screen and `aisle policies import` on an MDP the database holds', () => {
  it('refuses a file whose states were reordered after export, and an evaluation on an MDP whose states were, naming the field', async () => {
    const t = openService();
    try {
      const { experimentId, runIds } = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 20 }) });
      await t.until(runIds);
      const exported = await t.call('policies.export', { runId: runIds[0]! });
      // Its first two states' labels swapped: served by label, "r0c0" would get r0c1's action.
      const policy = JSON.parse(renamed(exported.text, 'edited')) as { states: string[]; env: { mdpHash: string } };
      const states = ['r0c1', 'r0c0', ...policy.states.slice(2)];
      expect(await t.call('policies.import', { text: JSON.stringify({ ...policy, states }), fileName: 'edited.json' })).toEqual({
        ok: false,
        problems: [
          `policy.states[0]: state 0 is "r0c1" in the policy but "r0c0" in the MDP it names (sha256 ${policy.env.mdpHash.slice(0, 12)}…, run ${runIds[0]}'s in this database), whose state 1 is "r0c1": ` +
            "the policy file's states were edited after export: export the policy again from its run",
        ],
      });
      // The cliff with its first two states' labels swapped: Evaluate and the picker refuse it alike.
      const swapped = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 5, name: 'swapped', env: { id: 'tabular-mdp', mdp: { ...(CLIFF_MDP as object), states }, maxSteps: 200 } }) });
      await t.until(swapped.runIds);
      const other = { id: swapped.experimentId };
      const refused = await t.fail('policies.evaluate', { policyId: exported.policyId, experimentId: other.id, episodes: 5 });
      expect(refused).toMatchObject({ status: 400, problems: [expect.stringMatching(/^policy\.states\[0\]: state 0 is "r0c0" in the policy but "r0c1" in the environment, whose state 1 is "r0c0": its states are named in another order/)] });
      const fits = await t.call('policies.fits', { policyId: exported.policyId });
      expect(fits.experiments.find((f) => f.experimentId === other.id)!.problem).toBe(refused.problems![0]);
      expect(fits.experiments.find((f) => f.experimentId === experimentId)!.problem).toBeNull();
    } finally {
      await t.close();
    }
  });
});
