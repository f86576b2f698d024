// The experiment `aisle shop calibrate --experiment` writes describes the calibration with its
// counts grouped as the command's own output gives them (QA: "16871 sessions" in the description,
// where the output and the shop-calibrated preset say 16,871).
import { describe, expect, it } from 'vitest';
import { calibratedExperiment, type ShopConfig } from '../../src/cli/shop';

describe('calibratedExperiment', () => {
  it('groups every count of its description by thousands', () => {
    const config = {
      calibration: { source: 'online_retail_events.csv', rows: 396_337, customers: 4334, from: '2010-12-01T08:26:00Z', to: '2011-12-09T12:50:00Z', sessions: 16_871, sessionGapMinutes: 60, sessionLength: { mean: 23.49 } },
      catalog: { items: [], categories: [] },
      env: {},
    } as unknown as ShopConfig;
    const { description } = calibratedExperiment(config, '/tmp/shop.json', '/tmp/exp.json') as { description: string };
    expect(description).toContain('(396,337 purchase lines, 4,334 customers, 2010-12-01 to 2011-12-09)');
    expect(description).toContain('; 16,871 sessions (a customer\'s purchases at most 60 min apart) of mean length 23.49 give');
  });
});
