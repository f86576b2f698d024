// An environment's fingerprint covers what it does, not what it is called: an MDP renamed (a fitted
// simulator's "from 10000 rows" reworded "from 10,000 rows") keeps its hash, so its policies and
// fits still name it; and a hash an earlier version took with the name in it still names it too.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/engine/canonical';
import { parseExperiment } from '../../src/engine/experiment';
import { canonicalMdpJson, parseMdp, type MdpFile } from '../../src/engine/mdp/format';
import type { PolicyFile } from '../../src/engine/policy/format';
import { simulatorEnvHash, withoutStaleFit } from '../../src/main/fitted-env';
import { evaluatePolicyFile } from '../../src/main/policies';
import { cliff, CLIFF_MDP, openService, type TestService } from '../helpers/service';
import { logsCsv, syntheticRows } from '../helpers/logs-csv';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const renamed = (mdp: unknown, name: string) => ({ ...(mdp as MdpFile), name });

/** The fingerprint as versions before this one took it, the MDP's name in its hash: recomputed here, not through the app's code. */
function namedFingerprint(mdp: unknown, params: Record<string, unknown>) {
  const body = { id: 'tabular-mdp', params, mdpHash: sha256(canonicalMdpJson(parseMdp(mdp))) };
  return { ...body, hash: sha256(canonicalJson(body)) };
}

let t: TestService;
let runId: number;
let policy: PolicyFile;
let policyId: number;

beforeAll(async () => {
  t = openService({ workers: 1 });
  const launched = await t.call('experiments.launch', { experiment: cliff({ seeds: 1, episodes: 50 }) });
  runId = launched.runIds[0]!;
  await t.until([runId]);
  ({ policy, policyId } = await t.call('policies.export', { runId }));
});
afterAll(async () => {
  await t.close();
});

/** Evaluates `file` on the cliff experiment with `mdp` for its MDP. */
const evaluateOn = (file: PolicyFile, mdp: unknown) => evaluatePolicyFile(file, parseExperiment({ ...cliff(), env: { id: 'tabular-mdp', mdp, maxSteps: 200 } }), { episodes: 2, seed: 0 });

describe('a fitted simulator', () => {
  it('keeps its hash when its name is worded otherwise, and not when what it does changes', async () => {
    const fit = await t.call('logs.simulator', { text: logsCsv(syntheticRows(400, 3)), fileName: 'logs.csv', where: {}, prior: 1 });
    if (!fit.ok) throw new Error(fit.problems.join('\n'));
    const mdp = fit.mdp as MdpFile;
    expect(mdp.name).toMatch(/from 400 rows$/);
    expect(simulatorEnvHash(mdp)).toBe(fit.envHash);
    expect(simulatorEnvHash(renamed(mdp, mdp.name!.replace('400 rows', 'four hundred rows')))).toBe(fit.envHash);
    const paid = structuredClone(mdp);
    paid.transitions[0]![4] = 7; // [state, action, probability, nextState, reward]
    expect(simulatorEnvHash(paid)).not.toBe(simulatorEnvHash(mdp));
  });
});

describe('a policy and a fit on a renamed MDP', () => {
  it('evaluate as on their own environment, and the fit applies', () => {
    const evaluation = evaluateOn(policy, renamed(CLIFF_MDP, 'the cliff, renamed'));
    expect(evaluation.fingerprintMatches).toBe(true);
    expect(evaluation.warnings).toEqual([]);
    const fittedTo = { logs: 'logs.csv', where: {}, rows: 10, envHash: policy.env.hash };
    const experiment = parseExperiment({ ...cliff(), env: { id: 'tabular-mdp', mdp: renamed(CLIFF_MDP, 'the cliff, renamed'), maxSteps: 200 }, fittedTo });
    expect(withoutStaleFit(experiment).dropped).toBeUndefined();
  });
});

describe('a hash an earlier version took with the MDP’s name in it', () => {
  const legacy = () => namedFingerprint(CLIFF_MDP, { maxSteps: 200 });

  it('differs from this version’s (the name is in it), yet still names the environment', () => {
    expect(legacy().hash).not.toBe(policy.env.hash);
    const evaluation = evaluateOn({ ...policy, env: legacy() }, CLIFF_MDP);
    expect(evaluation.fingerprintMatches).toBe(true);
    expect(evaluation.warnings).toEqual([]);
    const experiment = parseExperiment({ ...cliff(), fittedTo: { logs: 'logs.csv', where: {}, rows: 10, envHash: legacy().hash } });
    expect(withoutStaleFit(experiment).dropped).toBeUndefined();
  });

  it('in a policy exported before, which exporting the run again finds rather than storing it twice', async () => {
    const text = t.store.getPolicy(policyId).json.replace(policy.env.mdpHash!, legacy().mdpHash).replace(policy.env.hash, legacy().hash);
    t.store.db.prepare('UPDATE policies SET json = ? WHERE id = ?').run(text, policyId);
    const again = await t.call('policies.export', { runId });
    expect(again.policyId).toBe(policyId);
    expect(again.text).toBe(text);
    expect(t.store.listPolicies()).toHaveLength(1);
  });
});
