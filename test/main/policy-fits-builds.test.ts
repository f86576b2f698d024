// policies.fits, asked each time a policy is chosen in Policies → Evaluate and again each time
// experiments change, built each MDP experiment's environment twice a call (once for the fit check,
// once more to hash it in the MDP lookup that says whether "the one it was trained on" is here) and
// did it all again at the next call: ~0.7 s a call with one 20,000-state MDP, ~5 s with ten. The
// environments are now built once, hashed in the same build, and kept from call to call
// (EnvironmentBuilds). Counted here by the MDP's compiling (parseMdp) and hashing (envFingerprints).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { labelOf } from '../../src/engine/spaces';
import { createEnv } from '../../src/main/policies';
import { envFingerprint } from '../../src/main/fingerprint';
import { tabularPolicy } from '../helpers/policy';
import { CLIFF_MDP, openService, type TestService } from '../helpers/service';

const counts = vi.hoisted(() => ({ builds: 0, hashes: 0 }));
vi.mock('../../src/engine/mdp/format', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/engine/mdp/format')>();
  return { ...actual, parseMdp: (...args: Parameters<typeof actual.parseMdp>) => (counts.builds++, actual.parseMdp(...args)) };
});
vi.mock('../../src/main/fingerprint', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/main/fingerprint')>();
  return { ...actual, envFingerprints: (...args: Parameters<typeof actual.envFingerprints>) => (counts.hashes++, actual.envFingerprints(...args)) };
});

let t: TestService;
afterEach(async () => {
  await t?.close();
});

/** The builds and hashes `work` made. */
async function counted(work: () => Promise<unknown>): Promise<{ builds: number; hashes: number }> {
  counts.builds = counts.hashes = 0;
  await work();
  return { ...counts };
}

describe('policies.fits builds each environment once', () => {
  it('for the fit check and the MDP lookup alike, and not again at the next call until an environment is new', async () => {
    t = openService({ workers: 1 });
    const cliff = { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 100 };
    // Another MDP: the first step's reward changed.
    const other = structuredClone(CLIFF_MDP) as { transitions: number[][] };
    other.transitions[0]![4] = -2;
    let made = 0;
    const add = (name: string, env: unknown) => {
      made += 1;
      const config = { format: 'aisle.experiment/v1', name, env, agent: { id: 'q-learning' }, episodes: 5, seeds: 1 };
      return t.store.createExperimentWithRuns({ name, config, configHash: String(made).repeat(64), runs: [] }).experiment.id;
    };
    const first = add('a', cliff);
    const second = add('b', { ...cliff, mdp: other });
    add('c', cliff); // the first one's environment: one build for both

    // Imported, on an MDP no experiment here is on: the lookup looks at every MDP experiment.
    const elsewhere = t.store.savePolicy({ json: JSON.stringify(tabularPolicy()), origin: 'import' });
    const answer = await t.call('policies.fits', { policyId: elsewhere });
    expect(answer.own).toMatch(/^its MDP \(sha256 ab…\) is not in this database/);
    expect(answer.experiments.map((e) => e.problem)).toEqual(Array(3).fill('policy: has 2 states × 3 actions but the environment has 48 states × 4 actions: evaluate it on the environment it was trained on'));

    const fits = (policyId: number) => counted(() => t.call('policies.fits', { policyId }));
    // On a database opened afresh the old code built each twice at every call: { builds: 4, hashes: 2 }.
    await t.close();
    t = openService({ dbPath: t.dbPath, workers: 1 });
    expect(await fits(elsewhere)).toEqual({ builds: 2, hashes: 2 });
    expect(await fits(elsewhere)).toEqual({ builds: 0, hashes: 0 });
    expect(await t.call('policies.fits', { policyId: elsewhere })).toEqual(answer);

    // Trained on the first one's MDP, its run gone: found among what the fit check built, nothing built again.
    const env = createEnv(cliff);
    const space = env.observationSpace as { kind: 'discrete'; n: number };
    const states = Array.from({ length: space.n }, (_, s) => labelOf(space, s));
    const trained = tabularPolicy({
      env: envFingerprint(cliff, env),
      states,
      actions: Array.from({ length: env.actionSpace.n }, (_, a) => labelOf(env.actionSpace, a)),
      q: states.map(() => [0, 0, 0, 0]),
      greedy: states.map(() => 0),
      provenance: { ...tabularPolicy().provenance, runId: 9, experimentId: first },
    });
    const here = t.store.savePolicy({ json: JSON.stringify(trained), origin: 'import' });
    expect(await fits(here)).toEqual({ builds: 0, hashes: 0 });
    expect((await t.call('policies.fits', { policyId: here })).own).toBeNull();

    // A rename or a description keeps the environment: nothing built.
    t.store.editExperiment(second, { name: 'renamed', description: 'the other MDP' });
    expect(await fits(elsewhere)).toEqual({ builds: 0, hashes: 0 });
    // An experiment deleted drops what was kept of its environment (none other is on it): built again
    // when an experiment on it comes back.
    t.store.deleteExperiment(second);
    expect(await fits(elsewhere)).toEqual({ builds: 0, hashes: 0 });
    add('b again', { ...cliff, mdp: other });
    expect(await fits(elsewhere)).toEqual({ builds: 1, hashes: 1 });
    expect(await fits(elsewhere)).toEqual({ builds: 0, hashes: 0 });
  });

  // The lookup tries the policy's own run first, by the id its file names and as runs of its config
  // and seed (its results imported, under another id): those runs' environments were read, built
  // and hashed again at every call (~0.5 s a call on a 20,000-state MDP), and again by Evaluate.
  it("builds the policy's runs once too, for Evaluate as well, and never serves a run deleted", async () => {
    t = openService({ workers: 1 });
    const cliff = { id: 'tabular-mdp', mdp: CLIFF_MDP, maxSteps: 100 };
    const other = structuredClone(CLIFF_MDP) as { transitions: number[][] };
    other.transitions[0]![4] = -2;
    // The run on the cliff, its experiment on another MDP: once the run is deleted, nothing here is on the cliff.
    const experiment = (env: unknown) => ({ format: 'aisle.experiment/v1', name: 'a', env, agent: { id: 'q-learning' }, episodes: 5, seeds: 1 });
    const configHash = 'c'.repeat(64);
    const run = t.store.createExperimentWithRuns({
      name: 'a',
      config: experiment({ ...cliff, mdp: other }),
      configHash: 'e'.repeat(64),
      runs: [{ seed: 0, config: { ...experiment(cliff), seed: 0 }, configHash, appVersion: 'test', episodesTotal: 5 }],
    }).runs[0]!.id;
    const env = createEnv(cliff);
    const space = env.observationSpace as { kind: 'discrete'; n: number };
    const states = Array.from({ length: space.n }, (_, s) => labelOf(space, s));
    const trainedThere = (runId: number) =>
      t.store.savePolicy({
        origin: 'import',
        json: JSON.stringify(
          tabularPolicy({
            env: envFingerprint(cliff, env),
            states,
            actions: Array.from({ length: env.actionSpace.n }, (_, a) => labelOf(env.actionSpace, a)),
            q: states.map(() => [0, 0, 0, 0]),
            greedy: states.map(() => 0),
            provenance: { ...tabularPolicy().provenance, runId, seed: 0, configHash },
          }),
        ),
      });
    const byId = trainedThere(run); // its file names the run by its id here
    const renamed = trainedThere(run + 100); // its run here under another id: found by its config and seed

    await t.close();
    t = openService({ dbPath: t.dbPath, workers: 1 });
    const fits = (policyId: number) => counted(() => t.call('policies.fits', { policyId }));
    // The experiment's environment for the fit check, the run's for the lookup; the old code built and hashed the run's again at each call.
    expect(await fits(byId)).toEqual({ builds: 2, hashes: 2 });
    expect(await fits(byId)).toEqual({ builds: 0, hashes: 0 });
    expect(await fits(renamed)).toEqual({ builds: 0, hashes: 0 });
    expect((await t.call('policies.fits', { policyId: renamed })).own).toBeNull();
    // Evaluate finds it where the picker did, nothing built again in this process (the worker builds its own).
    let environment: string | undefined;
    expect(await counted(async () => ({ environment } = await t.call('policies.evaluate', { policyId: renamed, episodes: 5 })))).toEqual({ builds: 0, hashes: 0 });
    expect(environment).toBe(`the MDP of run ${run} in the database (the file names its MDP by hash only, and this one has it)`);

    // The run deleted: no longer offered, for either policy, and nothing built for it.
    t.store.deleteRuns([run]);
    for (const policyId of [byId, renamed]) {
      expect(await fits(policyId)).toEqual({ builds: 0, hashes: 0 });
      expect((await t.call('policies.fits', { policyId })).own).toMatch(/^its MDP \(sha256 [0-9a-f]{12}…\) is not in this database/);
    }
    expect((await t.fail('policies.evaluate', { policyId: byId, episodes: 5 })).message).toMatch(/no run or experiment in this database is on that MDP/);
  });
});
