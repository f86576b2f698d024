// Why a policy cannot run on an environment, in the Policies screen's environment picker and Evaluate's
// refusal: sizes are grouped as everywhere else in the app ("20,000 states", not "20000 states").
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/engine/policy/format';
import { contextFreePolicy, fitProblem, tabularPolicy } from '../helpers/policy';

/** An inline MDP of `states` states and 3 actions: state 0 moves to state 1, every other state ends the episode. */
function bigMdp(states: number) {
  return {
    format: 'aisle.mdp/v1',
    states,
    actions: 3,
    start: { 0: 1 },
    terminal: Array.from({ length: states - 1 }, (_, i) => i + 1),
    transitions: [0, 1, 2].map((a) => [0, a, 1, 1, 0]),
  };
}

describe('why a policy does not fit an environment', () => {
  it('groups the thousands of a large environment, as the sizes beside it read', () => {
    const policy = parsePolicy(tabularPolicy());
    expect(fitProblem(policy, { env: { id: 'tabular-mdp', mdp: bigMdp(20_000), maxSteps: 10 } })).toBe(
      'policy: has 2 states × 3 actions but the environment has 20,000 states × 3 actions: evaluate it on the environment it was trained on',
    );
  });

  it("groups a bandit's thousand arms too", () => {
    const policy = parsePolicy(contextFreePolicy());
    expect(fitProblem(policy, { env: { id: 'bandit-testbed', arms: 1000 } })).toBe(
      'policy: has 3 actions but the environment has 1,000: evaluate it on the environment it was trained on',
    );
  });
});
