// An export larger than a policy file holds (the runtime's POLICY_LIMITS) is refused before the
// file is built, naming the size, the limit and the fix: a shop trains on up to 100,000 items, and
// such a file was written and stored, then refused by eval, import and the runtime alike.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExportable, exportRunPolicy } from '../../src/main/policy-export';
import { POLICY_LIMITS } from '../../src/engine/policy/runtime';
import { Store } from '../../src/main/store';
import { ValidationError } from '../../src/engine/params';
import { tempDir } from '../helpers/tmp';

function storeWithRun(agent: string) {
  const store = Store.open(join(tempDir(), 'limits.db'));
  const spec = { env: { id: 'shop', items: 20_000, categories: 20 }, agent: { id: agent }, episodes: 1, seed: 0 };
  const { runs } = store.createExperimentWithRuns({ name: 'big shop', config: {}, configHash: 'a'.repeat(64), runs: [{ seed: 0, config: spec, configHash: 'a'.repeat(64), appVersion: 'test', episodesTotal: 1 }] });
  return { store, runId: runs[0]!.id };
}

const refused = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  return [];
};

describe('export size limits', () => {
  it("refuses a bandit's values over 20,000 actions, and a network with 20,000 outputs, with the limit and the fix", () => {
    const bandit = storeWithRun('thompson');
    bandit.store.addCheckpoint(bandit.runId, { episode: 0, kind: 'qtable', states: 1, actions: 20_000, data: new Float64Array(20_000) });
    expect(refused(() => exportRunPolicy(bandit.store, bandit.runId))).toEqual([
      `run ${bandit.runId}: its policy cannot be exported: it has 20,000 actions, more than the 10,000 a policy file holds: a policy is for serving a catalog of at most that many actions: train with fewer items, or with the shop's actionLevel "category"`,
    ]);
    expect(bandit.store.listPolicies()).toEqual([]);
    bandit.store.close();

    const network = storeWithRun('dqn');
    const layers = [{ in: 22, out: 2, activation: 'relu' as const }, { in: 2, out: 20_000, activation: 'linear' as const }];
    network.store.addCheckpoint(network.runId, { episode: 0, kind: 'weights', network: { layers, encoding: { kind: 'vector', size: 22 }, output: 'q' }, data: new Float32Array(22 * 2 + 2 + 2 * 20_000 + 20_000) });
    expect(refused(() => exportRunPolicy(network.store, network.runId))[0]).toMatch(/its policy cannot be exported: it has 20,000 actions, more than the 10,000/);
    network.store.close();
  });

  it('names a Q-table past the values or states limit, and a network past the weights limit; at the limits, nothing', () => {
    expect(POLICY_LIMITS).toEqual({ states: 1_000_000, actions: 10_000, values: 10_000_000, weights: 2 ** 24 });
    expect(refused(() => checkExportable(7, { states: 9091, actions: 1200 }))).toEqual([
      `run 7: its policy cannot be exported: its Q-table has 9,091 states × 1,200 actions = 10,909,200 values, more than the 10,000,000 a policy file holds: train with fewer items or states, or with the shop's actionLevel "category"`,
    ]);
    expect(refused(() => checkExportable(7, { states: 1_000_001, actions: 2 }))[0]).toMatch(/1,000,001 states, more than the 1,000,000/);
    expect(refused(() => checkExportable(7, { actions: 2, weights: 2 ** 24 + 1 }))[0]).toMatch(/16,777,217 weights, more than the 16,777,216 .*train a smaller network/);
    expect(refused(() => checkExportable(7, { states: 1000, actions: 10_000 }))).toEqual([]);
    expect(refused(() => checkExportable(7, { actions: 10_000, weights: 2 ** 24 }))).toEqual([]);
  });
});
