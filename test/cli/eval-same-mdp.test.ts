// `aisle eval <policy.json>` of an MDP policy (its file names the MDP by hash only) whose run and
// experiment were deleted refused ("… that a policy file names but does not hold, and its run 1 is
// not in the database"), though another experiment there was on the same MDP, which the app's
// Policies → Evaluate takes since 94a8a9ca (sameMdpExperiment). The CLI takes it too, saying which;
// the other experiment's settings that differ (maxSteps) are warned of as for any other
// environment, and the exact value's γ is still the one the policy was trained with, not that
// experiment's agent's.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aisle, cliffExperimentFile, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

interface Report {
  monteCarlo: { episodes: number };
  exact?: { gamma: number; gammaFrom: string; horizon: number };
  warnings: string[];
}

/** A database with run 1 (experiment 1, its policy exported, then both deleted) and experiment 2 of `other`'s settings on the same MDP. */
function orphanedPolicy(other: Record<string, unknown>): { db: string; policy: string } {
  const dir = tempDir('aisle-eval-same-mdp-');
  const db = join(dir, 'a.db');
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  mkdirSync(first);
  mkdirSync(second);
  expect(aisle(['run', cliffExperimentFile(first, { seeds: 1 })], { db }).code).toBe(0);
  expect(aisle(['run', cliffExperimentFile(second, { seeds: 1, ...other })], { db }).code).toBe(0);
  const policy = join(dir, 'cliff-policy.json');
  expect(aisle(['export', '1', '-o', policy], { db }).code).toBe(0);
  const deleted = aisle(['delete', 'experiment', '1', '--yes'], { db });
  expect(deleted.code, deleted.stderr).toBe(0);
  return { db, policy };
}

describe('aisle eval of an MDP policy whose run and experiment were deleted', () => {
  it('evaluates it on another experiment here on the same MDP (another config: more episodes), saying which', () => {
    const { db, policy } = orphanedPolicy({ episodes: 150 });
    const r = aisle(['eval', policy, '--episodes', '5'], { db, env: { COLUMNS: '1000' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^policy .*cliff-policy\.json on tabular-mdp \(the MDP it was trained on, read from experiment 2 in the database: its run 1 and experiment 1 are not there\)$/m);
    // The same environment (the episodes are the agent's, not the environment's): nothing to warn of.
    expect(r.stderr).toBe('');
  });

  it("warns of the settings that differ from the policy's, and keeps the γ it was trained with", () => {
    const { db, policy } = orphanedPolicy({ env: { id: 'tabular-mdp', mdp: join(__dirname, '../../resources/experiments/cliff.mdp.json'), maxSteps: 50 }, agent: { id: 'q-learning', alpha: 0.5, gamma: 0.9, epsilon: 0.1 } });
    const r = aisle(['--json', 'eval', policy, '--episodes', '5'], { db });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(unwrapped(report.warnings.join('\n'))).toMatch(/^the environment differs from the one the policy was trained on: params\.maxSteps 200 → 50 /m);
    // Trained with γ 1 (cliffExperimentFile's agent): the other experiment's agent's 0.9 is not the training's.
    expect(report.exact).toMatchObject({ gamma: 1, gammaFrom: 'policy', horizon: 50 });
  });

  it('still refuses it where no experiment is on that MDP, saying so', () => {
    const { db, policy } = orphanedPolicy({});
    expect(aisle(['delete', 'experiment', '2', '--yes'], { db }).code).toBe(0);
    const r = aisle(['eval', policy, '--episodes', '5'], { db });
    expect(r.code).toBe(2);
    expect(unwrapped(r.stderr)).toMatch(/that a policy file names but does not hold, and neither its run 1 nor any experiment in the database \(--db\) is on that MDP: give the experiment whose environment to evaluate on/);
  });
});
