// A policy learned on the k-armed bandit testbed, evaluated on logs whose actions happen to share its
// arms' labels ("0" … "9": Open Bandit's items): its arms are synthetic, so the estimate is that of
// an arbitrary ranking of the logs' actions. It was evaluated without a word (`aisle ope
// obd_events.csv --target bandit.json` and the Off-policy screen's stored policy alike: "the policy
// in bandit.json (always 7)"); a warning under the target now says so. A policy of another
// environment (a shop's, a simulator's) gets no such warning.
import { describe, expect, it } from 'vitest';
import { logs } from '../helpers/logged-bandit';
import { evaluateTargets } from '../../src/engine/ope/run';
import { parsePolicy } from '../../src/engine/policy/format';

const rows: [string, string, number, number][] = Array.from({ length: 60 }, (_, i) => [String(1 + (i % 3)), String(i % 12), i % 7 === 0 ? 1 : 0, 1 / 12]);
const data = logs(rows);

const policyOf = (env: { id: string; params: Record<string, unknown> }) =>
  parsePolicy({
    format: 'aisle.policy/v1',
    kind: 'context-free',
    env: { ...env, hash: 'x' },
    actions: Array.from({ length: 10 }, (_, i) => String(i)),
    values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 1.1, 0.9, 0.8],
    greedy: 7,
    provenance: { runId: 6, agent: 'ucb1', seed: 0, episodes: 1000, configHash: 'x', appVersion: 'test', createdAt: '2026-12-06T00:00:00Z' },
  });

const noSlice = () => Promise.reject(new Error('no logs target here'));

describe('a policy learned on the bandit testbed as a target', () => {
  it('is evaluated with a warning that its arms are synthetic and match the logs by label only', async () => {
    const run = await evaluateTargets(data, [{ kind: 'policy', policy: policyOf({ id: 'bandit-testbed', params: { arms: 10 } }), label: 'bandit.json' }], noSlice, { resamples: 20 });
    const [target] = run.targets;
    expect(target!.name).toBe('the policy in bandit.json (always 7)');
    expect(target!.warnings[0]).toBe(
      "the policy was learned on the 10-armed bandit testbed, whose arms are synthetic (their rewards drawn from its seed), not on these logs: its actions (0, 1, 2, 3, 4, … (10 in all)) are the logs' by their labels only, so the estimate is that of an arbitrary choice among the logs' actions. Evaluate a policy learned on these logs instead (one trained on a simulator fitted to them: aisle logs mdp, or Train on these logs in the app).",
    );
  });

  it("warns of no other environment's policy", async () => {
    const run = await evaluateTargets(data, [{ kind: 'policy', policy: policyOf({ id: 'shop', params: {} }), label: 'shop.json' }], noSlice, { resamples: 20 });
    expect(run.targets[0]!.warnings.join('\n')).not.toMatch(/testbed/);
  });
});
