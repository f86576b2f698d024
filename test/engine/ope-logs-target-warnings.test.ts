// A `logs:` target whose rows both mix a column's values (two campaigns) and lack contexts the rows
// evaluated have: each is its own problem, with its own fix, and only the first was said (the
// unseen contexts' warning stood in an else), so the user who added the campaign to its rows then
// met the second on the next run. Both are said now, the mixed rows first.
import { describe, expect, it } from 'vitest';
import type { LoggedBandit } from '../../src/engine/ope';
import { loggedRows } from '../helpers/logged-bandit';
import { evaluateTargets } from '../../src/engine/ope/run';
import type { MixedColumn } from '../../src/engine/ope/logging-columns';
import { firstFive } from '../../src/engine/params';

const EVALUATED: LoggedBandit = {
  ...loggedRows([
    ['c1', 'a', 1],
    ['c1', 'b', 0],
    ['c2', 'a', 0],
    ['c2', 'b', 1],
  ]),
  propensity: Float64Array.of(0.5, 0.5, 0.5, 0.5),
};

async function warnings(mixed: readonly MixedColumn[]): Promise<readonly string[]> {
  const source = { ...loggedRows([['c1', 'a', 1], ['c1', 'b', 0], ['c1', 'a', 1]]), mixed };
  const run = await evaluateTargets(EVALUATED, [{ kind: 'logs', where: { policy: 'bts' } }], () => Promise.resolve(source), { resamples: 20, where: { policy: 'random' } });
  return run.targets[0]!.warnings;
}

describe("a logs: target's rows", () => {
  it('that lack a context the rows evaluated have are warned of', async () => {
    expect((await warnings([])).filter((w) => w.includes('never show context "c2"'))).toHaveLength(1);
  });

  it('that also mix a column are warned of both, the mixed rows first', async () => {
    const said = await warnings([{ name: 'campaign', values: ['men', 'women'] }]);
    const mixed = said.findIndex((w) => w.startsWith("the target's rows (policy=bts) mix 2 values of campaign (men, women)"));
    const unseen = said.findIndex((w) => w.startsWith('the target\'s rows (policy=bts) never show context "c2", which 50 % of the rows evaluated have'));
    expect(mixed).toBe(0);
    expect(unseen).toBe(1);
  });
});

describe('the contexts a warning lists', () => {
  it('are counted as the sentence counts them: 3,284, not 3284', () => {
    // "never show 3,284 contexts (1574553939519, …, … (3284 in all))", on Open Bandit's rows by ts_ms.
    expect(firstFive(Array.from({ length: 3284 }, (_, i) => `t${i}`))).toBe('t0, t1, t2, t3, t4, … (3,284 in all)');
    expect(firstFive(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e, … (6 in all)');
  });
});
