// The Off-policy screen's row filters: a column's counts follow the other filters (not its own).
// Which columns the kept rows still mix is the engine's (test/engine/logging-columns.test.ts).
import { describe, expect, it } from 'vitest';
import { countsNotFollowing, emptyFilter, filteredValues, filtersOfRoles, loggedActions } from '../../src/renderer/src/components/logs-filters';
import type { LogsInspection } from '../../src/shared/dto';

// Open Bandit's shape: two logging policies and two campaigns, 10 rows each way but bts/women (none).
const inspection: LogsInspection = {
  rows: 30,
  columns: [
    { name: 'policy', values: [{ value: 'bts', rows: 10 }, { value: 'random', rows: 20 }] },
    { name: 'campaign', values: [{ value: 'men', rows: 20 }, { value: 'women', rows: 10 }] },
    { name: 'ts', values: null },
  ],
  combinations: {
    columns: ['policy', 'campaign'],
    rows: [
      [0, 0, 10],
      [1, 0, 10],
      [1, 1, 10],
    ],
  },
  roles: { action: null, reward: null, propensity: null, context: null },
};
const counts = (where: Record<string, string>) => Object.fromEntries([...filteredValues(inspection, where)].map(([name, values]) => [name, values.map((v) => v.rows)]));

describe('filteredValues', () => {
  it('counts each value among the rows the other filters keep', () => {
    expect(counts({})).toEqual({ policy: [10, 20], campaign: [20, 10] });
    // campaign=women leaves random's 10 rows and none of bts; campaign's own counts stay whole.
    expect(counts({ campaign: 'women' })).toEqual({ policy: [0, 10], campaign: [20, 10] });
    expect(counts({ campaign: 'men', policy: 'random' })).toEqual({ policy: [10, 10], campaign: [10, 10] });
  });

  it("keeps the file's counts of a column the inspection did not combine (too many combinations), and says which counts do not follow", () => {
    const some = { ...inspection, combinations: { columns: ['policy'], rows: [[0, 10], [1, 20]] } };
    const whole = filteredValues(some, { campaign: 'women' });
    expect(whole.get('policy')!.map((v) => v.rows)).toEqual([10, 20]);
    expect(whole.get('campaign')!.map((v) => v.rows)).toEqual([20, 10]);
    const names = ['policy', 'campaign'];
    expect(countsNotFollowing(some, {}, names)).toEqual([]);
    // A filter on the combined column: the other's counts are the file's.
    expect(countsNotFollowing(some, { policy: 'bts' }, names)).toEqual(['campaign']);
    // A filter on the other: it is left out of the combined column's counts (its own never count).
    expect(countsNotFollowing(some, { campaign: 'women' }, names)).toEqual(['policy']);
    expect(countsNotFollowing(some, { campaign: 'women', policy: 'bts' }, names)).toEqual(['policy', 'campaign']);
    expect(countsNotFollowing(inspection, { campaign: 'women', policy: 'bts' }, names)).toEqual([]);
  });
});

describe('filteredValues on Open Bandit columns', () => {
  // policy × campaign × uf0 × affinity, every combination present. Which of them still mix logging policies is the engine's to say (test/engine/logging-columns.test.ts).
  const obd: LogsInspection = {
    rows: 16,
    columns: ['policy', 'campaign', 'uf0', 'affinity'].map((name) => ({ name, values: (name === 'policy' ? ['bts', 'random'] : name === 'campaign' ? ['men', 'women'] : ['0', '1']).map((value) => ({ value, rows: 8 })) })),
    combinations: { columns: ['policy', 'campaign', 'uf0', 'affinity'], rows: Array.from({ length: 16 }, (_, i) => [i >> 3, (i >> 2) & 1, (i >> 1) & 1, i & 1, 1]) },
    roles: { action: null, reward: null, propensity: null, context: null },
  };
  const obdCounts = (where: Record<string, string>) => Object.fromEntries([...filteredValues(obd, where)].map(([name, values]) => [name, values.map((v) => v.rows)]));

  it('splits the rows a logging policy keeps among the campaigns and the user features alike', () => {
    expect(obdCounts({ policy: 'random' })).toEqual({ policy: [8, 8], campaign: [4, 4], uf0: [4, 4], affinity: [4, 4] });
    expect(obdCounts({ policy: 'random', campaign: 'men' })).toEqual({ policy: [4, 4], campaign: [4, 4], uf0: [2, 2], affinity: [2, 2] });
  });
});

describe('loggedActions', () => {
  // Socks are logged by the random policy only, and only on women's campaign.
  const logs: LogsInspection = {
    rows: 40,
    columns: [
      { name: 'policy', values: [{ value: 'bts', rows: 20 }, { value: 'random', rows: 20 }] },
      { name: 'campaign', values: [{ value: 'men', rows: 30 }, { value: 'women', rows: 10 }] },
      { name: 'item', values: [{ value: 'hats', rows: 20 }, { value: 'shoes', rows: 15 }, { value: 'socks', rows: 5 }] },
    ],
    combinations: {
      columns: ['policy', 'campaign', 'item'],
      rows: [
        [0, 0, 0, 10],
        [0, 0, 1, 10],
        [1, 0, 0, 10],
        [1, 1, 1, 5],
        [1, 1, 2, 5],
      ],
    },
    roles: { action: 'item', reward: null, propensity: null, context: null },
  };

  it('gives the actions of the rows the filters keep, which the evaluation checks a policy against', () => {
    expect(loggedActions(logs, {}, 'item')).toEqual(['hats', 'shoes', 'socks']);
    // A policy of socks alone fits the whole file, but not bts's rows nor men's: the evaluation would refuse it there.
    expect(loggedActions(logs, { policy: 'bts' }, 'item')).toEqual(['hats', 'shoes']);
    expect(loggedActions(logs, { campaign: 'men' }, 'item')).toEqual(['hats', 'shoes']);
    expect(loggedActions(logs, { policy: 'random', campaign: 'women' }, 'item')).toEqual(['shoes', 'socks']);
  });

  it('keeps the one action a filter on the action column keeps, and says nothing when no row is kept or the actions are not listed', () => {
    expect(loggedActions(logs, { item: 'socks' }, 'item')).toEqual(['socks']);
    expect(loggedActions(logs, { item: 'socks', policy: 'bts' }, 'item')).toBeNull();
    expect(loggedActions(logs, { policy: 'bts', campaign: 'women' }, 'item')).toBeNull();
    expect(loggedActions({ ...logs, columns: logs.columns.map((c) => (c.name === 'item' ? { ...c, values: null } : c)) }, {}, 'item')).toBeNull();
    expect(loggedActions(logs, {}, '')).toBeNull();
  });

  it("keeps the file's actions where the counts do not follow a filter: more than the rows show, never fewer", () => {
    const partial = { ...logs, combinations: { columns: ['campaign', 'item'], rows: [[0, 0, 20], [0, 1, 10], [1, 1, 5], [1, 2, 5]] } };
    expect(loggedActions(partial, { policy: 'bts' }, 'item')).toEqual(['hats', 'shoes', 'socks']);
    expect(loggedActions(partial, { campaign: 'men' }, 'item')).toEqual(['hats', 'shoes']);
  });
});

describe('filtersOfRoles', () => {
  // The reward and the propensity are not offered as filters: a filter set on one while it had no
  // role (click = 1, the reward then another column) kept the clicked rows unseen once click became
  // the reward again, and Open Bandit's random rows were evaluated on their 46 clicks (a mean click of 1).
  it('drops a filter on the column now the reward or the propensity, and keeps the others', () => {
    const where = { policy: 'random', campaign: 'men', click: '1' };
    expect(filtersOfRoles(where, { reward: 'click', propensity: 'pscore' })).toEqual({ policy: 'random', campaign: 'men' });
    expect(filtersOfRoles({ policy: 'random', pscore: '0.0294118' }, { reward: 'click', propensity: 'pscore' })).toEqual({ policy: 'random' });
    // Nothing to drop: the same filters, as they were (no role, '' , is no column).
    expect(filtersOfRoles(where, { reward: 'affinity', propensity: '' })).toBe(where);
  });
});

describe('emptyFilter', () => {
  // Open Bandit's men's campaign shows items 0 to 33; the women's 0 to 45. Under campaign = men an
  // item of 34 and more is offered as "40 (0 rows)", and Evaluate read the whole file before
  // refusing it ("no row has policy=random, campaign=men, item=40").
  const items: LogsInspection = {
    rows: 30,
    columns: [
      { name: 'campaign', values: [{ value: 'men', rows: 20 }, { value: 'women', rows: 10 }] },
      { name: 'item', values: [{ value: '0', rows: 25 }, { value: '40', rows: 5 }] },
      { name: 'ts', values: null },
    ],
    combinations: { columns: ['campaign', 'item'], rows: [[0, 0, 20], [1, 0, 5], [1, 1, 5]] },
    roles: { action: 'item', reward: null, propensity: null, context: null },
  };
  const empty = (where: Record<string, string>) => emptyFilter(filteredValues(items, where), where);

  it('names the filter set last whose value keeps no row under the others', () => {
    expect(empty({ campaign: 'men', item: '40' })).toEqual({ column: 'item', value: '40' });
    expect(empty({ item: '40', campaign: 'men' })).toEqual({ column: 'campaign', value: 'men' });
  });

  it('says nothing when the filters keep rows, or a filter is on a column whose values are not counted', () => {
    expect(empty({})).toBeNull();
    expect(empty({ campaign: 'women', item: '40' })).toBeNull();
    expect(empty({ campaign: 'men', item: '0' })).toBeNull();
    expect(empty({ ts: '17' })).toBeNull();
  });

  it('refuses nothing the counts cannot tell: a column they leave out keeps its file count', () => {
    // Only item combined: campaign keeps the file's counts, item's ignore the campaign filter.
    const partial = { ...items, combinations: { columns: ['item'], rows: [[0, 25], [1, 5]] } };
    expect(emptyFilter(filteredValues(partial, { campaign: 'men', item: '40' }), { campaign: 'men', item: '40' })).toBeNull();
  });
});
