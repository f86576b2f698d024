// A network policy's feature range (its vector encoding's low and high) against its environment's: the
// runtime refuses any feature outside the file's range, so a file whose range was edited narrower than
// the environment's was imported, then ended every evaluation midway, exit 1, blaming the observation's
// scale ("observation[0] … must be within [1, 1] …: send it on the scale the environment gives it").
// Import and evaluation refuse it up front, naming the field, as they refuse an edited label.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { parsePolicy, type PolicyFile } from '../../src/engine/policy/format';
import { evaluatePolicyFile, policyEnvironment, readPolicyText } from '../../src/main/policies';
import { fitProblem } from '../helpers/policy';

/** The shop-fatigue DQN's export (features in [0, 1]), its encoding's range edited. */
function dqnText(range: { low?: number; high?: number } = {}): string {
  const policy = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/fuzz-policies/dqn.json'), 'utf8')) as { network: { encoding: Record<string, unknown> } };
  Object.assign(policy.network.encoding, range);
  return JSON.stringify(policy);
}

const dqn = (range?: { low?: number; high?: number }): PolicyFile => parsePolicy(JSON.parse(dqnText(range)));

function evaluationProblems(policy: PolicyFile): readonly string[] {
  try {
    evaluatePolicyFile(policy, policyEnvironment(policy, null, 'the policy'), { episodes: 2, seed: 0, trained: true });
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe("a network policy's feature range", () => {
  it('refuses at import a low edited above the environment\'s, naming the field', () => {
    const read = readPolicyText(dqnText({ low: 1 }), 'dqn.json');
    expect(read).toEqual({
      ok: false,
      problems: [
        'policy.network.encoding.low: is 1, above 0: the environment gives features in [0, 1], and the policy refuses any outside its range: the file was edited after export: export the policy again from its run',
      ],
    });
  });

  it("refuses at import a high edited below the environment's", () => {
    const read = readPolicyText(dqnText({ high: 0.5 }), 'dqn.json');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems).toEqual([expect.stringMatching(/^policy\.network\.encoding\.high: is 0\.5, below 1: /)]);
  });

  it('refuses the evaluation before its first episode, as invalid input, not a failed run', () => {
    expect(evaluationProblems(dqn({ low: 1 }))).toEqual([
      'policy.network.encoding.low: is 1, above 0: the environment gives features in [0, 1], and the policy refuses any outside its range: ' +
        'the environment is the one its file names, so the file was edited after export: export the policy again from its run',
    ]);
    // The Policies screen's picker marks that environment before Evaluate is pressed.
    expect(fitProblem(dqn({ low: 1 }), policyEnvironment(dqn(), null, 'the policy'))).toMatch(/^policy\.network\.encoding\.low: is 1, above 0: .*: evaluate it on the environment it was trained on$/);
  });

  it('takes the range as exported, a wider one, and none', () => {
    for (const range of [{}, { low: -1, high: 2 }, { low: undefined, high: undefined }]) {
      expect(readPolicyText(dqnText(range), 'dqn.json').ok).toBe(true);
      expect(evaluationProblems(dqn(range))).toEqual([]);
    }
  });
});
