// Policies → Evaluate and `aisle eval` report a policy's exact value as a run reports its greedy
// policy's (greedyReport): the same figures, and no normalised score made of round-off where the
// random policy is as good as the optimum.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/engine/experiment';
import { parseMdp } from '../../src/engine/mdp/format';
import { greedyReport } from '../../src/engine/mdp/solve';
import { parsePolicy } from '../../src/engine/policy/format';
import { evaluatePolicyFile } from '../../src/main/policies';

/** Three states in a ring, three actions; `reward(a)` for action a everywhere. */
function ring(reward: (action: number) => number, start = 0) {
  const transitions = [0, 1, 2].flatMap((s) => [0, 1, 2].map((a) => [s, a, 1, (s + a) % 3, reward(a)]));
  return { format: 'aisle.mdp/v1', states: 3, actions: 3, start: { [String(start)]: 1 }, terminal: [], transitions };
}

function evaluate(mdp: ReturnType<typeof ring>, greedy: number[], states = ['0', '1', '2']) {
  const policy = parsePolicy({
    format: 'aisle.policy/v1',
    kind: 'tabular',
    env: { id: 'tabular-mdp', params: { maxSteps: 10 }, hash: 'x' },
    states,
    actions: ['0', '1', '2'],
    q: greedy.map((best) => [0, 1, 2].map((a) => (a === best ? 1 : 0))),
    greedy,
    provenance: { runId: 1, agent: 'q-learning', seed: 0, episodes: 10, configHash: 'x', appVersion: 'test', createdAt: '2026-12-01T00:00:00Z' },
  });
  const experiment = parseExperiment({ format: 'aisle.experiment/v1', name: 'ring', env: { id: 'tabular-mdp', mdp, maxSteps: 10 }, agent: { id: 'q-learning', gamma: 0.9 }, episodes: 10, seeds: 1 });
  return evaluatePolicyFile(policy, experiment, { episodes: 2, seed: 0 });
}

describe('the exact evaluation of a policy file', () => {
  it("gives greedyReport's figures: action 2 pays 1, the others 0", () => {
    const mdp = ring((a) => (a === 2 ? 1 : 0));
    const exact = evaluate(mdp, [1, 1, 1]).exact!;
    const q = new Float64Array(9);
    for (let s = 0; s < 3; s++) q[s * 3 + 1] = 1;
    const { gamma, horizon, ...report } = greedyReport(parseMdp(mdp), q, { gamma: 0.9, horizon: 10 });
    expect(exact).toMatchObject({ ...report, gamma, horizon });
    // By hand: always action 1 earns 0; the optimum, always 2, earns Σ_{t<10} 0.9^t = 10·(1 − 0.9^10);
    // random earns a third of it. Score (0 − ⅓) / (1 − ⅓) = −½.
    expect(exact.expectedReturn).toBe(0);
    expect(exact.optimalReturn).toBeCloseTo(10 * (1 - 0.9 ** 10), 12);
    expect(exact.normalizedScore).toBeCloseTo(-0.5, 12);
  });

  it('serves each state its own action where the labels are numbers of other states (positions "1", "2", "3")', () => {
    // Only state 1 (labelled "2", the start) takes action 2, which pays 1 and moves on to state 0,
    // where action 0 stays put. Index 1 read as the label "1" (state 0) would stay put from the start: 0.
    const { exact, monteCarlo } = evaluate(ring((a) => (a === 2 ? 1 : 0), 1), [0, 2, 0], ['1', '2', '3']);
    expect(exact!.expectedReturn).toBe(1);
    expect(monteCarlo.meanReturn).toBe(1);
  });

  it('has no score where every action pays the same 10⁹: the random return differs from the optimum by round-off only', () => {
    const exact = evaluate(ring(() => 1e9), [0, 1, 2]).exact!;
    expect(exact.optimalityGap).toBe(0);
    const roundOff = Math.abs(exact.optimalReturn - exact.randomReturn); // thirds of 10⁹, summed
    expect(roundOff).toBeGreaterThan(0);
    expect(roundOff).toBeLessThan(1e-5);
    expect(exact.normalizedScore).toBeNull();
  });
});
