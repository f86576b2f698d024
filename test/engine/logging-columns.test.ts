// The columns of logging policies, campaigns or pages that the rows kept still mix, as the logs
// reader finds them (what `aisle ope`, `aisle logs mdp` and the app's Train on these logs warn of)
// and in the words the Off-policy screen shows.
import { describe, expect, it } from 'vitest';
import { parseLogLines } from '../../src/engine/ope/csv';
import { mixedColumns, mixedColumnsText, splitsLogging, type ValueCounts } from '../../src/engine/ope/logging-columns';
import { fitLogsTask } from '../../src/main/logs-task';

// Open Bandit's shape: two logging policies, two campaigns, the position as context, a user feature.
const LINES = ['policy,campaign,item,position,click,pscore,uf0'];
for (const [policy, campaign] of [
  ['random', 'men'],
  ['random', 'women'],
  ['bts', 'men'],
])
  for (let i = 0; i < 6; i++) LINES.push(`${policy},${campaign},${i % 3},${1 + (i % 2)},${i % 2},0.3,${i}`);

describe('the logs reader names the logging columns the rows kept mix', () => {
  it('names policy and campaign when nothing is filtered, never the context (position) or a user feature', async () => {
    const read = await parseLogLines(LINES, 'obd.csv');
    expect(read.columns.context).toBe('position');
    expect(read.mixed).toEqual([
      { name: 'policy', values: ['bts', 'random'] },
      { name: 'campaign', values: ['men', 'women'] },
    ]);
  });

  it('leaves out a filtered column, and a column the rows kept hold one value of', async () => {
    expect((await parseLogLines(LINES, 'obd.csv', { where: { policy: 'random' } })).mixed).toEqual([{ name: 'campaign', values: ['men', 'women'] }]);
    // bts logged the men's campaign only
    expect((await parseLogLines(LINES, 'obd.csv', { where: { policy: 'bts' } })).mixed).toEqual([]);
    expect((await parseLogLines(LINES, 'obd.csv', { where: { policy: 'random', campaign: 'women' } })).mixed).toEqual([]);
  });

  it('does not call a column of over 50 values among the rows kept mixed (an id, not a campaign)', async () => {
    const many = ['slot_id,item,click,pscore', ...Array.from({ length: 60 }, (_, i) => `${i},${i % 2},0,0.5`)];
    expect((await parseLogLines(many, 'many.csv')).mixed).toEqual([]);
    expect((await parseLogLines(many.slice(0, 51), 'many.csv')).mixed.map((m) => m.name)).toEqual(['slot_id']);
  });

  it('says it in the Off-policy screen’s words, with where to pick one value', () => {
    const text = mixedColumnsText([{ name: 'policy', values: ['bts', 'random'] }], 'with --where');
    expect(text).toMatch(/^The rows kept mix 2 values of policy \(bts, random\)\. This column says which policy logged a row or where it was shown: .* Pick one value of each with --where, unless/);
  });

  it('the app’s Train on these logs gets them with the simulator', async () => {
    const fit = await fitLogsTask({ text: LINES.join('\n'), fileName: 'obd.csv', where: { policy: 'random' }, columns: {}, priorStrength: 1, holdout: {} });
    expect(fit.ok && fit.mixed).toEqual([{ name: 'campaign', values: ['men', 'women'] }]);
    const one = await fitLogsTask({ text: LINES.join('\n'), fileName: 'obd.csv', where: { policy: 'random', campaign: 'men' }, columns: {}, priorStrength: 1, holdout: {} });
    expect(one.ok && one.mixed).toEqual([]);
  });
});

describe('splitsLogging', () => {
  it('takes a column naming the logging policy, campaign, page or slot as splitting the logs, and user or item features as context', () => {
    for (const name of ['policy', 'campaign', 'logging_policy', 'behaviorPolicy', 'campaignId', 'Page', 'slot', 'position', 'variant', 'campaigns']) expect(splitsLogging(name), name).toBe(true);
    for (const name of ['uf0', 'uf3', 'affinity', 'if1', 'user_segment', 'device', 'age', 'ts_ms', 'item', 'click', 'apolicyx']) expect(splitsLogging(name), name).toBe(false);
  });
});

describe('mixedColumns', () => {
  // Each column's values with the rows the filters keep, as the Off-policy screen counts them (its filteredValues):
  // here under policy=random, of Open Bandit's policy × campaign × two user features.
  const kept = (counts: Record<string, Record<string, number>>): Map<string, ValueCounts> =>
    new Map(Object.entries(counts).map(([name, values]) => [name, Object.entries(values).map(([value, rows]) => ({ value, rows }))]));
  const underRandom = kept({ policy: { bts: 0, random: 8 }, campaign: { men: 4, women: 4 }, uf0: { '0': 4, '1': 4 }, affinity: { '0': 4, '1': 4 } });

  it('names the unfiltered logging columns with several values among the kept rows, never a user feature, which still mixes', () => {
    expect(mixedColumns(underRandom, { policy: 'random' }, [])).toEqual([{ name: 'campaign', values: ['men', 'women'] }]);
    // Without the filter, policy's other value still counts as kept; with rows in one value only, it is not mixed.
    expect(mixedColumns(underRandom, {}, []).map((m) => m.name)).toEqual(['campaign']);
    expect(mixedColumns(kept({ policy: { bts: 10, random: 20 }, campaign: { men: 20, women: 10 } }), {}, [])).toEqual([
      { name: 'policy', values: ['bts', 'random'] },
      { name: 'campaign', values: ['men', 'women'] },
    ]);
  });

  it('leaves out a column of a role, and one a filter picked', () => {
    const both = kept({ policy: { bts: 10, random: 20 }, campaign: { men: 20, women: 10 } });
    expect(mixedColumns(both, {}, ['campaign', null])).toEqual([{ name: 'policy', values: ['bts', 'random'] }]);
    expect(mixedColumns(both, { campaign: 'women' }, [])).toEqual([{ name: 'policy', values: ['bts', 'random'] }]);
    // One campaign chosen too: nothing left to pick, though uf0 and affinity still vary.
    expect(mixedColumns(underRandom, { policy: 'random', campaign: 'men' }, [])).toEqual([]);
  });

  it('writes an empty value as "(empty)"', () => {
    expect(mixedColumns(kept({ page: { '': 3, home: 2 } }), {}, [])).toEqual([{ name: 'page', values: ['(empty)', 'home'] }]);
  });
});
