// The environment the Policies screen's Evaluate panel first offers for a policy. A tabular MDP's
// policy without its run here (imported, or its run deleted) names its MDP by hash only; the panel
// took the newest tabular-mdp experiment whatever it was, so a cliff-walking experiment launched
// after opened a 5 × 34 Open Bandit policy's panel on a disabled option marked "cannot run this
// policy" and its error line, though older experiments held the policy's MDP.
import { describe, expect, it } from 'vitest';
import { defaultEnvironment, ownEnvironmentFit, ownEnvironmentLabel, type FitsRead } from '../../src/renderer/src/components/policy-evaluate';

const EXPERIMENTS = [
  { id: 19, envId: 'tabular-mdp' }, // the cliff, newest first as experiments.names lists them
  { id: 18, envId: 'tabular-mdp' }, // a simulator of the policy's logs
  { id: 7, envId: 'shop' },
];
// The MDP the policy was trained on is in none of them (the simulator is another MDP of its shape).
const NOT_HERE = "its MDP (sha256 c1e547bd5793…) is not in this database (its file names it by hash only, and no run or experiment here is on it): create an experiment on that MDP (from the MDP's file, or import the results that hold one), or pick another environment";
const FITS: FitsRead = {
  current: true,
  data: {
    own: NOT_HERE,
    experiments: [
      { experimentId: 19, problem: 'has 5 states × 34 actions but the environment has 48 states × 4 actions' },
      { experimentId: 18, problem: null },
      { experimentId: 7, problem: 'has 34 actions but the environment has 4' },
    ],
  },
};
const IMPORTED = { envId: 'tabular-mdp', runId: null };

describe('defaultEnvironment', () => {
  it('offers an MDP policy without its run an experiment it fits, not the newest of its environment', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, FITS)).toBe(18);
  });

  it('waits for the fits of this policy, and offers none when none fits', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: false, data: FITS.data })).toBe('wait');
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: true })).toBe('wait');
    const none: FitsRead = { current: true, data: { own: NOT_HERE, experiments: FITS.data!.experiments.map((f) => ({ ...f, problem: f.problem ?? 'has 5 states' })) } };
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, none)).toBeNull();
    expect(defaultEnvironment(IMPORTED, [{ id: 7, envId: 'shop' }], undefined, FITS)).toBeNull();
  });

  // The service finds its MDP in an experiment here (its own, or another on that MDP): evaluated
  // there as the one it was trained on, not on the first experiment of its shape, another MDP.
  it('offers the one it was trained on when an experiment here holds its MDP', () => {
    expect(defaultEnvironment(IMPORTED, EXPERIMENTS, undefined, { current: true, data: { ...FITS.data!, own: null } })).toBe('own');
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

// "the one it was trained on" was offered for an MDP policy whose MDP is nowhere here (imported
// into another database): Evaluate pressed on it was refused. It is marked unavailable, saying why.
describe('ownEnvironmentFit', () => {
  it('marks the one it was trained on unavailable when the service finds its MDP nowhere here', () => {
    expect(ownEnvironmentFit(IMPORTED, FITS)).toEqual({ kind: 'misfit', reason: NOT_HERE });
    expect(ownEnvironmentFit(IMPORTED, { current: true, data: { ...FITS.data!, own: null } })).toEqual({ kind: 'fits' });
  });

  it('is checking until the fits answer for this policy, and offers it when they failed to read', () => {
    expect(ownEnvironmentFit(IMPORTED, { current: false, data: FITS.data })).toEqual({ kind: 'checking' });
    expect(ownEnvironmentFit(IMPORTED, { current: true })).toEqual({ kind: 'checking' });
    expect(ownEnvironmentFit(IMPORTED, { current: false, error: new Error('offline') })).toEqual({ kind: 'fits' });
  });

  it('offers it at once where it is always found: its run here, or settings its file holds', () => {
    expect(ownEnvironmentFit({ envId: 'tabular-mdp', runId: 4 }, { current: false })).toEqual({ kind: 'fits' });
    expect(ownEnvironmentFit({ envId: 'shop', runId: null }, { current: false })).toEqual({ kind: 'fits' });
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

describe("Evaluate's environment picker", () => {
  it('cuts a long experiment name as the policy picker cuts a policy’s: a name of 200 characters made it wider than the window', async () => {
    const { experimentOptionLabel } = await import('../../src/renderer/src/components/policy-evaluate');
    const label = experimentOptionLabel({ id: 9, name: `${'n'.repeat(200)}`, envId: 'tabular-mdp', createdAt: 0 });
    expect(label).toMatch(/^#9 n{47}… \(tabular-mdp, .+\)$/);
    expect(experimentOptionLabel({ id: 2, name: 'cliff', envId: 'tabular-mdp', createdAt: 0 })).toMatch(/^#2 cliff \(tabular-mdp, .+\)$/);
  });
});
