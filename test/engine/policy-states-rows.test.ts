// A tabular policy whose states were edited apart from its rows (a state's label removed, q, greedy
// and updated left as they are) blamed q: 'policy.q: must have one row per state (1), got 2', sending
// the reader to the rows that are right. The loader, which the CLI (eval, policies import), the app's
// Import and the runtime share, now names states when the others agree on their count, and q when
// it is q that differs.
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/engine/policy/format';
import { ValidationError } from '../../src/engine/params';
import { loadError, tabularPolicy } from '../helpers/policy';

function parseError(raw: unknown): string {
  try {
    parsePolicy(raw);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.join('\n');
    throw e;
  }
  throw new Error('parsePolicy accepted the file');
}

describe('a tabular policy whose states and q rows differ in number', () => {
  it('names states when a label was removed and q and greedy agree', () => {
    const removed = tabularPolicy({ states: ['home'] });
    const said = 'policy.states: has 1 label, but policy.q and policy.greedy have 2 rows, one per state: give one label per state (to take a state out, remove its row from policy.q and policy.greedy too)';
    expect(loadError(removed)).toBe(said);
    expect(parseError(removed)).toBe(said); // eval, import and the app read it through parsePolicy
  });

  it('names states, with updated among the others, when a label was added', () => {
    const added = tabularPolicy({ states: ['home', 'cart', 'checkout'], updated: [true, true] });
    expect(loadError(added)).toBe(
      'policy.states: has 3 labels, but policy.q, policy.greedy and policy.updated have 2 rows, one per state: give one label per state (to take a state out, remove its row from policy.q, policy.greedy and policy.updated too)',
    );
  });

  it('still names q when q alone differs from states and greedy', () => {
    expect(loadError(tabularPolicy({ q: [[0, 2, 1]] }))).toBe('policy.q: must have one row per state (2), got 1');
    // updated disagreeing with q leaves the count in doubt: q is named, as states and greedy agree.
    expect(loadError(tabularPolicy({ states: ['home'], updated: [true] }))).toBe('policy.q: must have one row per state (1), got 2');
    expect(loadError(tabularPolicy({ q: 'rows' }))).toBe('policy.q: must have one row per state (2), got "rows"');
  });
});
