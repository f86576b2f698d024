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
});
