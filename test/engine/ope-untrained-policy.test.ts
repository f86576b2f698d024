// A policy target that learned nothing where it is evaluated: a tabular policy whose states for the
// logs' contexts were never updated (every action at one value: a Q-learning run on rare clicks
// that saw none) serves its first action there, a tie-break, and aisle ope and the Off-policy
// screen gave that action's estimates (on Open Bandit's held-out rows, IPS 0.0509 beside the logs'
// 0.0070) without a word, though the export had said it.
import { describe, expect, it } from 'vitest';
import { evaluateTargets } from '../../src/engine/ope/run';
import { parsePolicy } from '../../src/engine/policy/format';
import { logs } from '../helpers/logged-bandit';


const DATA = logs([
  ['1', 'a', 1, 0.5],
  ['1', 'b', 0, 0.5],
  ['2', 'a', 0, 0.5],
  ['2', 'b', 1, 0.5],
  ['2', 'b', 0, 0.5],
  ['3', 'a', 1, 0.5],
  ['3', 'b', 0, 0.5],
  ['3', 'a', 0, 0.5],
]);

const provenance = { runId: 1, agent: 'q-learning', seed: 0, episodes: 2, configHash: 'b'.repeat(64), appVersion: 'test', createdAt: '2026-12-07T00:00:00.000Z' };
const env = { id: 'tabular-mdp', params: {}, mdpHash: 'a'.repeat(64), hash: 'c'.repeat(64) };

function tabular(q: number[][], greedy: number[], updated?: boolean[]) {
  return parsePolicy({ format: 'aisle.policy/v1', kind: 'tabular', env, states: ['1', '2', '3', '(end: 1)', '(end: 0)'], actions: ['a', 'b'], q, greedy, ...(updated ? { updated } : {}), provenance });
}

async function warnings(policy: ReturnType<typeof parsePolicy>): Promise<readonly string[]> {
  const run = await evaluateTargets(DATA, [{ kind: 'policy', policy, label: 'few.json' }], () => Promise.reject(new Error('no logs: target')), { resamples: 20 });
  return run.targets[0]!.warnings;
}

describe('a policy target that learned nothing in the contexts evaluated', () => {
  it('is warned of, with the contexts and their share of the rows (its file’s updated, as exported)', async () => {
    const none = tabular([[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], [0, 0, 0, 0, 0], [false, false, false, false, false]);
    expect(await warnings(none)).toContainEqual(
      'few.json: training never updated its states for any of the 3 contexts evaluated ("1", "2", "3"; 100 % of the rows): every action there holds one value (never reached in training, or no action came out ahead), so it serves its first action, a tie-break, and the estimates are that action\'s, not a choice it learned',
    );
  });

  it('names the ones it did not learn, read from the Q-table for a file without updated', async () => {
    const some = tabular([[0, 0.2], [0, 0], [0, 0], [0, 0], [0, 0]], [1, 0, 0, 0, 0]);
    expect(await warnings(some)).toContainEqual(
      'few.json: training never updated its states for 2 of the 3 contexts evaluated ("2", "3"; 75 % of the rows): every action there holds one value (never reached in training, or no action came out ahead), so it serves its first action, a tie-break, and the estimates are that action\'s there, not a choice it learned',
    );
  });

  it('says nothing of a policy that learned in every context evaluated (its end states do not count)', async () => {
    const all = tabular([[0, 0.2], [0.1, 0], [0.3, 0], [0, 0], [0, 0]], [1, 0, 0, 0, 0], [true, true, true, false, false]);
    expect((await warnings(all)).filter((w) => w.includes('never updated'))).toEqual([]);
  });

  it('warns of a context-free policy whose values are all equal', async () => {
    const flat = parsePolicy({ format: 'aisle.policy/v1', kind: 'context-free', env: { id: 'bandit-testbed', params: {}, hash: 'c'.repeat(64) }, actions: ['a', 'b'], values: [0.5, 0.5], greedy: 0, provenance: { ...provenance, agent: 'ucb1' } });
    const run = await evaluateTargets(DATA, [{ kind: 'policy', policy: flat, label: 'flat.json' }], () => Promise.reject(new Error('no logs: target')), { resamples: 20 });
    expect(run.targets[0]!.warnings).toContainEqual(
      'flat.json: every action holds one value (training never updated it, or no action came out ahead), so it serves its first action, a tie-break, and the estimates are that action\'s, not a choice it learned',
    );
  });
});

describe('a context-free policy of equal values ranked for positions', () => {
  it('says its ranking, not its first action, is the tie-break', async () => {
    const flat = parsePolicy({ format: 'aisle.policy/v1', kind: 'context-free', env: { id: 'bandit-testbed', params: {}, hash: 'c'.repeat(64) }, actions: ['a', 'b'], values: [0.5, 0.5], greedy: 0, provenance: { ...provenance, agent: 'ucb1' } });
    const two = logs([
      ['1', 'a', 1, 0.5],
      ['1', 'b', 0, 0.5],
      ['2', 'a', 0, 0.5],
      ['2', 'b', 1, 0.5],
    ]);
    const run = await evaluateTargets(two, [{ kind: 'policy', policy: flat, label: 'flat.json', positions: true }], () => Promise.reject(new Error('no logs: target')), { resamples: 20 });
    expect(run.targets[0]!.warnings).toContainEqual(
      "flat.json: every action holds one value (training never updated it, or no action came out ahead), so its ranking is a tie-break (its actions in the file's order), and the estimates are those of that order, not a choice it learned",
    );
  });
});
