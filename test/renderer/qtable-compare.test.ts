// The Q-tables screen's comparison: a state never updated (every action at one value) has no greedy
// action, is counted apart, and neither agrees nor disagrees; the agreement covers the states where
// both tables have a greedy action.
import { describe, expect, it } from 'vitest';
import type { QTable } from '../../src/shared/dto';
import { agreementPercent, compareTables, greedyAction, NO_GREEDY, qValueColumnTexts, shownActions, TOP_VALUES, type Comparison } from '../../src/renderer/src/components/qtable-compare';

function table(q: number[][]): QTable {
  return { runId: 1, checkpointId: 10, episode: 100, states: q.map((_, s) => `s${s}`), actions: q[0]!.map((_, a) => `c${a}`), q, checkpoints: [] };
}

describe('shownActions', () => {
  it('lists a few actions whole, in order, and of many only the largest TOP_VALUES, greedy first, unless all are asked', () => {
    expect(TOP_VALUES).toBe(5);
    expect(shownActions([3, 1, 2, 0])).toEqual([0, 1, 2, 3]);
    expect(shownActions([0, 1, 2, 3, 4, 5])).toEqual([0, 1, 2, 3, 4, 5]);
    // 1,000 actions: the five largest, largest first; a tie keeps the table's order, so the greedy action (the first largest) leads.
    const row = Array.from({ length: 1000 }, (_, a) => (a % 7) - a / 1000);
    row[640] = 9;
    row[12] = 9;
    expect(shownActions(row)).toEqual([12, 640, 6, 13, 20]);
    expect(shownActions(row)[0]).toBe(greedyAction(row));
    expect(shownActions(row, true)).toHaveLength(1000);
    // All of them in the same order, the five shown first leading: not the table's order, where they hid among the zeros.
    const all = shownActions(row, true);
    expect(all.slice(0, TOP_VALUES)).toEqual([12, 640, 6, 13, 20]);
    for (let k = 1; k < all.length; k++) expect(row[all[k - 1]!]!).toBeGreaterThanOrEqual(row[all[k]!]!);
    expect(new Set(all).size).toBe(1000);
    // A few actions stay in the table's order, all or not.
    expect(shownActions([3, 1, 2, 0], true)).toEqual([0, 1, 2, 3]);
  });
});

describe('greedyAction', () => {
  it('takes the first largest value, and none when every action holds one value', () => {
    expect(greedyAction([0, 2, 2])).toBe(1);
    expect(greedyAction([-1, -3])).toBe(0);
    expect(greedyAction([0, 0, 0, 0])).toBe(NO_GREEDY);
    // The agent's initial value changes nothing where there are several actions.
    expect(greedyAction([0, 0, 0, 0], 1)).toBe(NO_GREEDY);
  });

  it('marks the one action of a state updated from the initial value, and none of one still at it', () => {
    // One action: its row is always "every action at one value", which marked every state never updated.
    expect(greedyAction([5], 0)).toBe(0);
    expect(greedyAction([0], 0)).toBe(NO_GREEDY);
    expect(greedyAction([-2], -2)).toBe(NO_GREEDY);
    // The initial value unknown: nothing says it was never updated.
    expect(greedyAction([5])).toBe(0);
    const one = { ...table([[0.5], [0], [-1]]), initialQ: 0 };
    const cmp = compareTables(one, { ...one, q: [[0.5], [0.25], [-1]] }) as Comparison;
    expect(cmp.greedyA).toEqual([0, NO_GREEDY, 0]);
    expect([cmp.untouchedA.states, cmp.untouchedB.states, cmp.comparable, cmp.agreement]).toEqual([1, 0, 2, 100]);
  });
});

describe('compareTables', () => {
  it('counts never-updated states apart instead of as disagreements (the review’s "Greedy A: c0" for c0 0 c1 0 c2 0)', () => {
    const a = table([
      [0, 0, 0], // never updated in A
      [0, 0, 0], // never updated in A or B
      [1, 2, 0], // agree on c1
      [3, 1, 0], // disagree: c0 against c2
      [1, 0, 0], // agree on c0
    ]);
    const b = table([
      [0, 0, 2],
      [0, 0, 0],
      [0, 5, 1],
      [0, 1, 2],
      [4, 4, 4], // never updated in B
    ]);
    const cmp = compareTables(a, b) as Comparison;
    expect(cmp.greedyA).toEqual([NO_GREEDY, NO_GREEDY, 1, 0, 0]);
    expect(cmp.greedyB).toEqual([2, NO_GREEDY, 1, 2, NO_GREEDY]);
    expect(cmp.differing).toEqual([3]);
    expect(cmp.comparable).toBe(2);
    expect(cmp.agreement).toBe(50);
    expect([cmp.untouchedA.states, cmp.untouchedB.states]).toEqual([2, 2]);
    expect(cmp.maxAbsDiff).toBe(4); // s4: 4 − 0
  });

  it('has no agreement when no state has a greedy action in both, and refuses tables of different shapes', () => {
    const cmp = compareTables(table([[0, 0]]), table([[1, 0]])) as Comparison;
    expect([cmp.agreement, cmp.comparable, cmp.differing]).toEqual([null, 0, []]);
    expect(compareTables(table([[0, 0]]), table([[0, 0, 0]]))).toMatch(/^The tables have different shapes \(1 × 2 and 1 × 3\)/);
  });

  it('refuses tables of one shape but different environments, naming why, and compares one environment’s runs of other settings', () => {
    // A cliff's 48 × 4 table against a 48-state, 4-action toy's: diffed cell by cell, they compared nothing.
    const cliff = { ...table([[-1, -2], [-3, -1]]), states: ['r0c0', 'r0c1'], actions: ['up', 'right'] };
    const toy = { ...table([[0.5, 0.1], [0.2, 0.6]]), states: ['0', '1'], actions: ['0', '1'] };
    expect(compareTables(cliff, toy, 'tabular-mdp', 'seed-toy')).toBe('The tables are of different environments (tabular-mdp and seed-toy): pick runs of the same environment to diff them.');
    // Environments unknown (a run's details unread): its states' names tell.
    expect(compareTables(cliff, toy)).toBe('The tables name their states differently (state 0 is “r0c0” in A and “0” in B), so they are of different environments: pick runs of the same environment to diff them.');
    expect(compareTables(cliff, { ...cliff, actions: ['up', 'down'] }, 'tabular-mdp', 'tabular-mdp')).toBe(
      'The tables name their actions differently (action 1 is “right” in A and “down” in B), so they are of different environments: pick runs of the same environment to diff them.',
    );
    // One environment with other settings (an MDP's rewards edited, a sweep of the shop's fatigue): compared.
    const edited = { ...cliff, q: [[-1, -4], [-1, -3]] };
    const cmp = compareTables(cliff, edited, 'tabular-mdp', 'tabular-mdp') as Comparison;
    expect(cmp.differing).toEqual([1]);
    expect(cmp.maxAbsDiff).toBe(2);
  });
});

/** One column's texts for a single state's row. */
function rowTexts(row: readonly number[], shown: readonly number[], greedy: number): string[] {
  return qValueColumnTexts([{ row, shown, greedy }])[0]!;
}

describe('qValueColumnTexts', () => {
  it("gives a row the decimals that tell its greedy value from the others (a 20,000-state MDP's Q values barely moved from 0)", () => {
    // Every value read -0.291 at fmt's 3 decimals: the bold greedy one looked no larger than the rest.
    const row = [-0.29134, -0.29151, -0.29118, -0.29147];
    const greedy = greedyAction(row);
    expect(greedy).toBe(2);
    const texts = rowTexts(row, shownActions(row), greedy);
    expect(texts).toEqual(['-0.2913', '-0.2915', '-0.2912', '-0.2915']);
    expect(new Set(texts.filter((_, a) => a !== greedy))).not.toContain(texts[greedy]);
  });

  it("keeps fmt's 3 decimals where they tell the values apart, and a tie with the greedy value reads alike", () => {
    expect(rowTexts([2.228, 2.254, 2.741, 1.995], [0, 1, 2, 3], 2)).toEqual(['2.228', '2.254', '2.741', '1.995']);
    // The first of two equal values is the greedy one: they need no more decimals to differ.
    expect(rowTexts([1.5, 1.5, 0.25], [0, 1, 2], 0)).toEqual(['1.50', '1.50', '0.25']);
  });

  it("writes a column's values with one number of decimals: each one's own trailing zeros dropped put -24.91 beside -25.176", () => {
    const column = qValueColumnTexts([
      { row: [-24.91, -25.176, -26.5], shown: [0, 1, 2], greedy: 0 },
      { row: [-30, -12.25, -13.0004], shown: [0, 1, 2], greedy: 1 },
    ]);
    expect(column).toEqual([
      ['-24.910', '-25.176', '-26.500'],
      ['-30.000', '-12.250', '-13.000'],
    ]);
    // A row that needs more decimals to tell its greedy value apart gives them to the whole column.
    const wider = qValueColumnTexts([
      { row: [-24.91, -25.176], shown: [0, 1], greedy: 0 },
      { row: [-0.29118, -0.29134], shown: [0, 1], greedy: 0 },
    ]);
    expect(wider).toEqual([
      ['-24.9100', '-25.1760'],
      ['-0.2912', '-0.2913'],
    ]);
    // Zeros the whole column ends in are dropped, thousands grouped; a tiny negative reads 0, not -0.000.
    expect(qValueColumnTexts([{ row: [1200.5, -0.0001, 3], shown: [0, 1, 2], greedy: 0 }])).toEqual([['1,200.5', '0.0', '3.0']]);
    // Below 1 throughout: two significant digits of the largest, as Compare's columns.
    expect(qValueColumnTexts([{ row: [0.0052, 0.0004], shown: [0, 1], greedy: 0 }])).toEqual([['0.0052', '0.0004']]);
  });

  it('widens only the shown values of a row of many actions, and stops at 12 decimals', () => {
    const row = Array.from({ length: 1000 }, (_, a) => (a === 7 ? 1 + 1e-5 : a === 9 ? 1 : 0));
    const shown = shownActions(row);
    expect(rowTexts(row, shown, 7)).toEqual(['1.00001', '1.00000', '0.00000', '0.00000', '0.00000']);
    // Values 1e-14 apart are shown at the cap rather than looping on.
    expect(rowTexts([1 + 1e-14, 1], [0, 1], 0)).toEqual(['1', '1']);
  });

  it("formats a column of the 100,000 values and more that all of a large MDP's differing states show", () => {
    const rows = Array.from({ length: 40_000 }, (_, s) => ({ row: [s / 7, -s / 3, 1, 0.5], shown: [0, 1, 2, 3], greedy: 0 }));
    const column = qValueColumnTexts(rows);
    expect(column).toHaveLength(40_000);
    expect(column[39_999]).toEqual(['5,714.143', '-13,333.000', '1.000', '0.500']);
  });
});

describe('agreementPercent', () => {
  /** Two tables of `states` two-action states, every state with a greedy action, the first `differ` of them with the other one in B. */
  const pair = (states: number, differ: number) => {
    const a = table(Array.from({ length: states }, () => [1, 0]));
    const b = table(Array.from({ length: states }, (_, s) => (s < differ ? [0, 1] : [1, 0])));
    return compareTables(a, b) as Comparison;
  };

  it('writes one decimal, more only to tell a table where some state differs from 100 %', () => {
    expect(agreementPercent(pair(47, 30))).toBe('36.2');
    expect(agreementPercent(pair(200, 2))).toBe('99');
    expect(agreementPercent(pair(3000, 2))).toBe('99.9');
    expect(agreementPercent(pair(5, 0))).toBe('100');
    // Two late checkpoints of a 20,000-state table: 19,998 of 20,000 read "100 %", as if none had changed.
    expect(agreementPercent(pair(20_000, 2))).toBe('99.99');
    expect(agreementPercent(pair(20_000, 1))).toBe('99.995');
    expect(agreementPercent(pair(4, 4))).toBe('0');
    expect(agreementPercent(pair(3000, 2999))).toBe('0.033');
  });

  it('is a dash when no state has a greedy action in both tables', () => {
    const flat = table([[0, 0]]);
    expect(agreementPercent(compareTables(flat, flat) as Comparison)).toBe('–');
  });
});
