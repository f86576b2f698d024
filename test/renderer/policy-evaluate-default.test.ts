// The environment the Policies screen's Evaluate panel first offers for a policy. A tabular MDP's
// policy without its run here (imported, or its run deleted) names its MDP by hash only; the panel
// took the newest tabular-mdp experiment whatever it was, so a cliff-walking experiment launched
// after opened a 5 × 34 Open Bandit policy's panel on a disabled option marked "cannot run this
// policy" and its error line, though older experiments held the policy's MDP.
import { describe, expect, it } from 'vitest';
import { defaultEnvironment, ownEnvironmentLabel, type FitsRead } from '../../src/renderer/src/components/policy-evaluate';

const EXPERIMENTS = [
  { id: 19, envId: 'tabular-mdp' }, // the cliff, newest first as experiments.names lists them
  { id: 18, envId: 'tabular-mdp' }, // a simulator of the policy's logs
  { id: 7, envId: 'shop' },
];
const FITS: FitsRead = {
  current: true,
  data: [
    { experimentId: 19, problem: 'has 5 states × 34 actions but the environment has 48 states × 4 actions' },
    { experimentId: 18, problem: null },
    { experimentId: 7, problem: 'has 34 actions but the environment has 4' },
  ],
};
const IMPORTED = { envId: 'tabular-mdp', runId: null };

describe('defaultEnvironment', () => {
  it('offers an MDP policy without its run an experiment it fits, not the newest of its environment', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, FITS)).toBe(18);
  });

  it('waits for the fits of this policy, and offers none when none fits', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: false, data: FITS.data })).toBe('wait');
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: true })).toBe('wait');
    const none: FitsRead = { current: true, data: FITS.data!.map((f) => ({ ...f, problem: f.problem ?? 'has 5 states' })) };
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, none)).toBeNull();
    expect(defaultEnvironment(IMPORTED, [{ id: 7, envId: 'shop' }], undefined, FITS)).toBeNull();
  });

  it('offers the newest of its environment when the fits failed to read (Evaluate then says what the service answers)', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: false, error: new Error('offline') })).toBe(19);
  });

  it('offers the experiment it was trained in, else the one it was trained on', () => {
    expect(defaultEnvironment({ envId: 'tabular-mdp', runId: 3 }, EXPERIMENTS, 19, { current: false })).toBe(19);
    expect(defaultEnvironment({ envId: 'tabular-mdp', runId: 3 }, EXPERIMENTS, 2, { current: false })).toBe('own');
    expect(defaultEnvironment({ envId: 'shop', runId: null }, EXPERIMENTS, undefined, { current: false })).toBe('own');
  });
});

describe('ownEnvironmentLabel', () => {
  it("says where an MDP policy without its run finds its environment: its MDP in an experiment here, not its file", () => {
    // The file names the MDP by hash only: "its run here, or its file" named a source that cannot serve it.
    expect(ownEnvironmentLabel(IMPORTED)).toBe('the one it was trained on (its MDP, from an experiment here)');
    expect(ownEnvironmentLabel({ envId: 'shop', runId: null })).toBe('the one it was trained on (its run here, or its file)');
    expect(ownEnvironmentLabel({ envId: 'tabular-mdp', runId: 4 })).toBe('the one it was trained on (run 4)');
  });
});
