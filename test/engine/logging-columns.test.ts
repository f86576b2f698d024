// The columns of logging policies, campaigns or pages that the rows kept still mix, as the logs
// reader finds them (what `aisle ope`, `aisle logs mdp` and the app's Train on these logs warn of)
// and in the words the Off-policy screen shows.
import { describe, expect, it } from 'vitest';
import { parseLogLines } from '../../src/engine/ope/csv';
import { mixedColumnsText } from '../../src/engine/ope/logging-columns';
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
