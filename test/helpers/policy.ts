// Shared pieces for policy tests: small valid policies, the runtime's load errors, a served action
// against the agent's, and a stored run trained again to compare with.
import { expect } from 'vitest';
import { loadPolicy, PolicyLoadError } from '../../src/engine/policy/runtime';
import { defaultKernels, simdKernels } from '../../src/engine/nn';
import { prepareRun, train, type RunSpec } from '../../src/engine/train';
import type { PolicyFile } from '../../src/engine/policy/format';
import { EnvironmentBuilds } from '../../src/main/policies';
import type { Store } from '../../src/main/store';

/**
 * Why `policy` cannot run on `experiment`'s environment, as policies.fits says it in the Policies
 * screen's picker (EnvironmentBuilds' fit check, on a database of that one experiment); undefined
 * where it fits.
 */
export function fitProblem(policy: PolicyFile, experiment: { env: unknown }): string | undefined {
  const builds = new EnvironmentBuilds({
    experimentEnvironmentKeys: () => [{ id: 1, key: 'its environment' }],
    experimentEnvironment: () => experiment.env,
    getRunConfig: (id) => {
      throw new Error(`no run ${id} here`);
    },
    storedRunIds: () => [],
  });
  return builds.fitProblem(policy, 1);
}

/**
 * A policy file's text under another name: the service does not store a file it already holds (an
 * exported one imported back), so a test that wants an imported copy imports a renamed one.
 */
export function renamed(text: string, name: string): string {
  return JSON.stringify({ ...(JSON.parse(text) as object), name });
}

/** A small valid tabular policy (2 states × 3 actions), with fields replaced by `extra`. */
export function tabularPolicy(extra: Record<string, unknown> = {}) {
  return {
    format: 'aisle.policy/v1',
    kind: 'tabular',
    env: { id: 'tabular-mdp', params: { maxSteps: 10 }, mdpHash: 'ab', hash: 'cd' },
    states: ['home', 'cart'],
    actions: ['shoes', 'hats', 'bags'],
    q: [[0, 2, 1], [5, 1, 1]],
    greedy: [1, 0],
    provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-11-28T00:00:00Z' },
    ...extra,
  };
}

/**
 * A small valid context-free policy (3 actions, `hats` served to everyone), with fields replaced by
 * `extra`: its shop's catalog has an item per action, named by it (import refuses a policy its own
 * settings do not fit, in size or in labels).
 */
export function contextFreePolicy(extra: Record<string, unknown> = {}) {
  const actions = Array.isArray(extra.actions) ? (extra.actions as string[]) : ['shoes', 'hats', 'bags'];
  const catalog = { items: actions.map((id) => ({ id, category: 0, price: 10, quality: 0.5, attractiveness: 0 })) };
  return {
    format: 'aisle.policy/v1',
    kind: 'context-free',
    env: { id: 'shop', params: { catalog, observation: 'vector' }, hash: 'cd' },
    actions: ['shoes', 'hats', 'bags'],
    values: [0.25, 0.5, 0.125],
    greedy: 1,
    provenance: { runId: 1, agent: 'thompson', seed: 0, episodes: 10, configHash: 'x', appVersion: '0.1.0', createdAt: '2026-11-28T00:00:00Z' },
    ...extra,
  };
}

/** The message the runtime refuses a policy with (the test fails if it loads). */
export function loadError(doc: unknown): string {
  try {
    loadPolicy(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyLoadError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/**
 * A served action against an agent that computes in float64 (LinUCB's θ̂ᵀx, exported as float32
 * weights): the outputs agree to float32 rounding and the actions agree except at a near-tie, where
 * the served action must be one of the tied.
 */
export function expectSameAction(served: number, outputs: readonly number[], greedy: number, what: string): void {
  const top = Math.max(...outputs);
  const tied = outputs.flatMap((v, a) => (top - v <= 1e-5 * Math.max(1, Math.abs(top)) ? [a] : []));
  if (tied.length === 1) expect(served, what).toBe(greedy);
  else expect(tied, what).toContain(served);
}

/**
 * A served action against a network agent's (DQN, PPO). The runtime computes as the WebAssembly
 * SIMD kernel acts, so where the agent ran it (every Node this project supports) the action is the
 * agent's, near-ties included; on the reference kernels (float64 sums) as expectSameAction.
 */
export function expectNetworkAction(served: number, outputs: readonly number[], greedy: number, what: string): void {
  if (defaultKernels() === simdKernels) expect(served, what).toBe(greedy);
  else expectSameAction(served, outputs, greedy, what);
}

/** A stored run trained again in-process from its config: the same agent, bit for bit. */
export function retrainRun(store: Store, runId: number) {
  const spec = store.getRun(runId).config as RunSpec;
  const prepared = prepareRun(spec);
  train(spec, {}, prepared);
  return prepared;
}
