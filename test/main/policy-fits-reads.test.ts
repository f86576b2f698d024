// policies.fits (the Policies screen's environment picker, asked again as experiments come and go)
// read every experiment's whole config at every call, twice: 1 s on a database of 6,400
// experiments, holding the thread that answers every screen. Each experiment's environment is now
// keyed once (store.experimentEnvironmentKeys), and each distinct environment read once, what was
// built of it kept for the calls after (policy-fits-builds.test.ts counts the builds).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePolicy } from '../../src/engine/policy/format';
import { contextFreePolicy, fitProblem } from '../helpers/policy';
import { openService, type TestService } from '../helpers/service';

let t: TestService;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

describe('policies.fits on many experiments', () => {
  it("reads each distinct environment once a call, and no experiment's config", async () => {
    t = openService({ workers: 1 });
    const json = JSON.stringify(contextFreePolicy());
    const policyId = t.store.savePolicy({ json, origin: 'import' });
    // A sweep's experiments share their environment: three bandits of 3 arms (one written in another
    // key order), two of 5, and a shop.
    const envs: unknown[] = [
      { id: 'bandit-testbed', arms: 3 },
      { arms: 3, id: 'bandit-testbed' },
      { id: 'bandit-testbed', arms: 5 },
      { id: 'bandit-testbed', arms: 3 },
      { id: 'bandit-testbed', arms: 5 },
      { id: 'seed-toy', states: 4, actions: 3 },
    ];
    for (const [i, env] of envs.entries()) {
      const config = { format: 'aisle.experiment/v1', name: `e${i}`, env, agent: { id: 'ucb1', c: 1 + i }, episodes: 5, seeds: 1 };
      t.store.createExperimentWithRuns({ name: `e${i}`, config, configHash: String(i).repeat(64), runs: [] });
    }
    const policy = parsePolicy(JSON.parse(json));
    const expected = envs.map((env, i) => ({ experimentId: i + 1, problem: fitProblem(policy, { env }) ?? null }));
    expect(expected.filter((e) => e.problem === null).map((e) => e.experimentId)).toEqual([1, 2, 4, 6]);

    const configs = vi.spyOn(t.store, 'getExperiment');
    const listed = vi.spyOn(t.store, 'listExperiments');
    const environments = vi.spyOn(t.store, 'experimentEnvironment');
    expect(await t.call('policies.fits', { policyId })).toEqual({ own: null, experiments: expected });
    expect(environments.mock.calls.map((c) => c[0])).toEqual([1, 3, 6]); // the first of each environment
    // What was built of each is kept for the next call (EnvironmentBuilds): none read again.
    environments.mockClear();
    expect(await t.call('policies.fits', { policyId })).toEqual({ own: null, experiments: expected });
    expect(configs).not.toHaveBeenCalled();
    expect(listed).not.toHaveBeenCalled();
    expect(environments).not.toHaveBeenCalled();

    // An experiment renamed keeps its key; one deleted leaves the answer; one added is answered.
    t.store.editExperiment(2, { name: 'renamed' });
    t.store.deleteExperiment(4);
    const config = { format: 'aisle.experiment/v1', name: 'e7', env: { id: 'bandit-testbed', arms: 3 }, agent: { id: 'ucb1' }, episodes: 5, seeds: 1 };
    const added = t.store.createExperimentWithRuns({ name: 'e7', config, configHash: '7'.repeat(64), runs: [] }).experiment.id;
    environments.mockClear();
    expect(await t.call('policies.fits', { policyId })).toEqual({ own: null, experiments: [...expected.filter((e) => e.experimentId !== 4), { experimentId: added, problem: null }] });
    expect(environments).not.toHaveBeenCalled(); // the added one is keyed (read once by the listing), its environment experiment 1's, kept
  });
});
