// The Open Bandit Dataset as downloaded (open_bandit_dataset/random/men/men.csv) names its columns
// item_id, position, click and propensity_score, after an unnamed index column (pandas' to_csv);
// only the Open Bandit Pipeline's loaded feedback, and converted copies, say item and pscore. The
// README said the dataset's columns "work as they are", yet a downloaded file was refused with
// 'has no column "action" or "item"' and 'has no column "propensity" or "pscore"' (found by the
// real-data audit, with a file in the downloaded layout). They are now among the usual names.
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseLogLinesToFit } from '../../src/engine/ope/csv';
import { inspectLogsText } from '../../src/main/logs-task';
import { problemsOf } from '../helpers/validation-problems';

/** Four impressions in the downloaded files' layout (their timestamps, hashed user features, affinities). */
const DOWNLOADED = [
  ',timestamp,item_id,position,click,propensity_score,user_feature_0,user_feature_1,user-item_affinity_0,user-item_affinity_1',
  '0,2019-11-24 00:00:17.884186+00:00,14,3,0,0.0294118,81ce123cbb5bd8ce818f60fb3586bba5,03a5648a76832f83c859d46bc06cb64a,0.0,0.0',
  '1,2019-11-24 00:00:24.119281+00:00,10,3,0,0.0294118,81ce123cbb5bd8ce818f60fb3586bba5,03a5648a76832f83c859d46bc06cb64a,0.0,0.0',
  '2,2019-11-24 00:00:24.119281+00:00,29,1,1,0.0294118,e2d0c6d2e2a5dd4c8ac1c7b3bd6e2b30,2d03db5543b14483e52d761760686b64,0.0,1.0',
  '3,2019-11-24 00:00:31.338023+00:00,14,2,0,0.0294118,e2d0c6d2e2a5dd4c8ac1c7b3bd6e2b30,2d03db5543b14483e52d761760686b64,0.0,0.0',
];

describe('the Open Bandit Dataset as downloaded', () => {
  it('is read with no column named: item_id the action, propensity_score the propensity', async () => {
    const read = await parseLogLines(DOWNLOADED, 'men.csv');
    expect(read.columns).toEqual({ action: 'item_id', reward: 'click', propensity: 'propensity_score', context: 'position' });
    expect(read.actionLabels).toEqual(['10', '14', '29']);
    expect([...read.propensity]).toEqual([0.0294118, 0.0294118, 0.0294118, 0.0294118]);
    expect([...read.reward]).toEqual([0, 0, 1, 0]);
    const fit = await parseLogLinesToFit(DOWNLOADED, 'men.csv');
    expect(fit.columns.propensity).toBe('propensity_score');
  });

  it('gets its roles offered on the Off-policy screen', () => {
    const inspected = inspectLogsText(DOWNLOADED.join('\n'), 'men.csv');
    expect(inspected).toMatchObject({ ok: true, roles: { action: 'item_id', reward: 'click', propensity: 'propensity_score', context: 'position' } });
  });

  it('keeps the generic and the converted names first, and lists all three when none is there', async () => {
    const both = ['item,item_id,click,pscore,propensity_score', 'a,x,0,0.5,0.25', 'b,y,1,0.5,0.25'];
    expect((await parseLogLines(both, 'logs.csv')).columns).toMatchObject({ action: 'item', propensity: 'pscore' });
    expect(await problemsOf(() => parseLogLines(['sku,click', 'a,0'], 'logs.csv'))).toEqual([
      expect.stringMatching(/^logs\.csv: has no column "action", "item" or "item_id" \(its columns: sku, click\)/),
      expect.stringMatching(/^logs\.csv: has no column "propensity", "pscore" or "propensity_score" \(its columns: sku, click\)/),
    ]);
  });
});
