// Off-policy's target list: how a stored policy is offered.
import { describe, expect, it } from 'vitest';
import { storedPolicyLabel } from '../../src/renderer/src/components/ope-targets';

describe('storedPolicyLabel', () => {
  it('names the policy with its kind and its actions counted with grouped digits', () => {
    // shop-large's exported Q-learning policy was offered as "(tabular, 1000 actions)".
    expect(storedPolicyLabel({ id: 2, name: 'shop-large q-learning — run 11', envId: 'shop', kind: 'tabular', actions: 1000 })).toBe(
      '#2 shop-large q-learning — run 11 (tabular, 1,000 actions)',
    );
    expect(storedPolicyLabel({ id: 7, name: null, envId: 'bandit-testbed', kind: 'context-free', actions: 1 })).toBe('#7 bandit-testbed policy (context-free, 1 action)');
  });
});
