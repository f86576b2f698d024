// A context-free policy ranked for slate positions (aisle ope --positions, the Off-policy screen's
// "k-th best at position k") on logs whose contexts are not positions it can rank: each refusal says
// what to do, where it said only what was wrong ("the logs have position 4, but p.json ranks only 3
// actions").
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { policyTarget } from '../../src/engine/ope/run';
import { parsePolicy } from '../../src/engine/policy/format';
import { logs } from '../helpers/logged-bandit';
import { contextFreePolicy } from '../helpers/policy';

function refusal(contexts: string[]): readonly string[] {
  const data = logs(contexts.map((c) => [c, 'hats', 1, 0.5]));
  try {
    policyTarget(parsePolicy(contextFreePolicy()), 'p.json', data, true);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

const EVERYWHERE = 'or leave positions out (--positions; on the Off-policy screen, "k-th best at position k") to serve its best action everywhere';

describe('positions the policy cannot rank', () => {
  it('a position past its actions: keep the positions it ranks, or leave positions out', () => {
    expect(refusal(['1', '4'])).toEqual([`positions: the logs have position 4, but p.json ranks only 3 actions: keep only the rows of positions 1 to 3 (a copy of the logs without the others), ${EVERYWHERE}`]);
  });

  it('a context that is not a position: read the positions as the context, or leave positions out', () => {
    expect(refusal(['1', 'home'])).toEqual([
      `positions: context "home" is not a position 1, 2, …: the context column must hold slate positions: read the logs with the column that holds them as the context (--context-column; on the Off-policy screen, context), ${EVERYWHERE}`,
    ]);
  });

  it('ranks positions it can', () => {
    expect(refusal(['1', '2', '3'])).toEqual([]);
  });
});
