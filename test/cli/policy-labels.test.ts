// `aisle policies import` and `aisle eval --env` with labels that are not the environment's: a
// policy serves by index, so an MDP whose states were reordered, or a file whose states were, is
// refused (exit 2, one line naming the field); an MDP edited with its states and actions kept is
// evaluated with one warning. And a policy moved to another database writes out byte for byte.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/store';
import { aisle, cliffExperimentFile, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('a policy whose labels are not its environment\'s', () => {
  it('is refused at import and at eval --env with exit 2 and one line; an MDP edited otherwise is a warning', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const experiment = cliffExperimentFile(dir, { seeds: 1, episodes: 50 });
    expect(aisle(['run', experiment], { db }).code).toBe(0);
    const file = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const policy = JSON.parse(readFileSync(file, 'utf8')) as { name: string; states: string[]; env: { mdpHash: string } };
    const swappedStates = ['r0c1', 'r0c0', ...policy.states.slice(2)];

    // The file's first two states swapped after export: served by label, r0c0 would get r0c1's action.
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...policy, name: 'edited', states: swappedStates }));
    const imported = aisle(['policies', 'import', edited], { db });
    expect(imported.code).toBe(2);
    expect(imported.stdout).toBe('');
    expect(unwrapped(imported.stderr)).toBe(
      `aisle: ${edited}: policy.states[0]: state 0 is "r0c1" in the policy but "r0c0" in the MDP it names (sha256 ${policy.env.mdpHash.slice(0, 12)}…, run 1's in this database), whose state 1 is "r0c1": ` +
        "the policy file's states were edited after export: export the policy again from its run\n",
    );

    // The cliff MDP with its first two states' names swapped: the policy as exported is refused on it.
    const mdp = JSON.parse(readFileSync(join(ROOT, 'resources/experiments/cliff.mdp.json'), 'utf8')) as { states: string[]; transitions: number[][] };
    const swappedMdp = join(dir, 'swapped.mdp.json');
    writeFileSync(swappedMdp, JSON.stringify({ ...mdp, states: swappedStates }));
    const onSwapped = join(dir, 'swapped.json');
    writeFileSync(onSwapped, JSON.stringify({ ...JSON.parse(readFileSync(experiment, 'utf8')), env: { id: 'tabular-mdp', mdp: swappedMdp, maxSteps: 200 } }));
    const ev = aisle(['eval', file, '--env', onSwapped, '--episodes', '5'], { db });
    expect(ev.code).toBe(2);
    expect(ev.stdout).toBe('');
    expect(unwrapped(ev.stderr)).toBe(
      `aisle: ${file}: policy.states[0]: state 0 is "r0c0" in the policy but "r0c1" in the environment, whose state 1 is "r0c0": its states are named in another order, and the policy takes them by index, ` +
        "so each state would be served another state's action: evaluate it on the environment it was trained on, or train a policy on this one\n",
    );

    // Rewards edited, the states and actions kept: evaluated, with one warning saying the MDP is another.
    const rewardsMdp = join(dir, 'rewards.mdp.json');
    writeFileSync(rewardsMdp, JSON.stringify({ ...mdp, transitions: mdp.transitions.map(([s, a, p, t, r]) => [s, a, p, t, r! * 2]) }));
    writeFileSync(onSwapped, JSON.stringify({ ...JSON.parse(readFileSync(experiment, 'utf8')), env: { id: 'tabular-mdp', mdp: rewardsMdp, maxSteps: 200 } }));
    const warned = aisle(['eval', file, '--env', onSwapped, '--episodes', '5'], { db, env: { COLUMNS: '1000' } });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(
      new RegExp(`^aisle: warning: the MDP differs from the one the policy was trained on \\(sha256 [0-9a-f]{12}… here, ${policy.env.mdpHash.slice(0, 12)}… in the policy\\), its states and actions the same and named alike: [^\\n]+\\n$`),
    );
  });

  it('moves to another database and writes out byte for byte as exported', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', cliffExperimentFile(dir, { seeds: 1 })], { db }).code).toBe(0);
    const file = join(dir, 'policy.json');
    expect(aisle(['export', '1', '-o', file], { db }).code).toBe(0);
    const away = join(dir, 'b.db');
    Store.open(away).close();
    expect(aisle(['policies', 'import', file], { db: away }).code).toBe(0);
    const back = join(dir, 'back.json');
    expect(aisle(['policies', 'export', '1', '-o', back], { db: away }).code).toBe(0);
    expect(readFileSync(back)).toEqual(readFileSync(file));
  });
});
