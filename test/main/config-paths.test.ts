// Config trees by dot path: the settings that differ between two configurations, as the policy
// evaluation's warning and Compare's labels word them.
import { describe, expect, it } from 'vitest';
import { describeSetting, differingPaths, settingChanges } from '../../src/main/config-paths';

describe('config paths', () => {
  const trained = { id: 'shop', params: { fatigueLoss: 0.3, reward: 'clicks', weights: { click: 1 } }, mdpHash: 'ab' };
  const here = { id: 'shop', params: { fatigueLoss: 0.1, reward: 'revenue', weights: { click: 1 }, maxSteps: 50 } };

  it('lists the differing paths, a missing value counting as one', () => {
    expect(differingPaths([trained, here])).toEqual(['params.fatigueLoss', 'params.reward', 'mdpHash', 'params.maxSteps']);
    expect(differingPaths([trained, trained])).toEqual([]);
    expect(describeSetting(here, 'params.reward')).toBe('params.reward=revenue');
  });

  it('words the changes from one configuration to another, at most max of them', () => {
    expect(settingChanges(trained, here)).toBe('params.fatigueLoss 0.3 → 0.1, params.reward clicks → revenue, mdpHash ab → –, params.maxSteps – → 50');
    expect(settingChanges(trained, here, 2)).toBe('params.fatigueLoss 0.3 → 0.1, params.reward clicks → revenue and 2 more');
    expect(settingChanges(trained, trained)).toBe('');
  });
});
