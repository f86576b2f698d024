// Screens that read every experiment for a little of it: Policies' Evaluate for the environments it
// offers (experiments.list's summaries, 3.9 MB at 6,400 experiments, at each one launched), New
// experiment for the names Run again's draft is numbered apart from, Runs to say that the
// experiment filtered to is not stored. Each now reads what it shows or checks: the numbers, names,
// environments and dates (experiments.names), the names of its repeats, the one
// experiment by its id.
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS_READ } from '../../src/renderer/src/components/policy-evaluate';
import { repeatNamesRead } from '../../src/renderer/src/screens/new-experiment';
import { missingExperimentRead } from '../../src/renderer/src/screens/runs';

describe('what screens read of the experiments', () => {
  it('Policies’ Evaluate reads their numbers, names, environments and dates, not their summaries', () => {
    expect(ENVIRONMENTS_READ).toBe('experiments.names');
  });

  it('New experiment from a stored one reads the names its repeat is numbered apart from, none for an unnamed one', () => {
    expect(repeatNamesRead({ name: 'cliff (3) (alpha=0.1, epsilon=0.05)' })).toEqual({ repeatsOf: 'cliff (3) (alpha=0.1, epsilon=0.05)' });
    expect(repeatNamesRead({ name: '' })).toBeNull();
    expect(repeatNamesRead({ env: { id: 'bandit' } })).toBeNull();
  });

  it('Runs asks whether the experiment filtered to is stored by its id alone, once it lists no runs', () => {
    expect(missingExperimentRead(12, 0)).toEqual({ ids: [12] });
    expect(missingExperimentRead(12, 3)).toBeNull();
    expect(missingExperimentRead(12, undefined)).toBeNull();
    expect(missingExperimentRead(undefined, 0)).toBeNull();
  });
});
