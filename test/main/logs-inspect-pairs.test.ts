// A logs file with too many combinations of its few-valued columns' values (more than
// MAX_COMBINATIONS) has some columns left out of the combinations the inspection sends: their
// values kept the file's counts under the other filters, so a filter list offered "u2 = 45 (416
// rows)" where, with campaign = women chosen, no row remains (and the evaluation then refused it).
// The inspection now sends, for those columns, which of their values share a row with each value of
// every other listed column, and such a value reads "(0 rows)" — in both directions.
import { describe, expect, it } from 'vitest';
import { inspectLogs, MAX_COMBINATIONS } from '../../src/main/logs-task';
import { filteredValues } from '../../src/renderer/src/components/logs-filters';

// 40,000 rows: policy × campaign × u1 (50) × item (3) × click fit the combinations, u2 (50) does not.
// u2's values 40–49 occur on the men's rows only, and u1's 0–4 on bts's only.
let s = 3;
const rnd = (n: number) => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return (s >>> 8) % n;
};
const rows = Array.from({ length: 40_000 }, (_, i) => {
  const campaign = rnd(2) ? 'men' : 'women';
  const policy = i % 2 ? 'random' : 'bts';
  return { policy, campaign, u1: policy === 'bts' ? rnd(50) : 5 + rnd(45), u2: campaign === 'men' ? rnd(50) : rnd(40), item: `i${rnd(3)}`, click: rnd(2) };
});
const lines = ['policy,campaign,u1,u2,item,click,pscore', ...rows.map((r) => `${r.policy},${r.campaign},${r.u1},${r.u2},${r.item},${r.click},0.3333`)];

const countsOf = (where: Record<string, string>, column: string) => new Map(filteredValues(inspection, where).get(column)!.map((v) => [v.value, v.rows]));
const inspection = inspectLogs(lines, 'wide.csv');

describe('the filters of a file with too many combinations', () => {
  it('leave u2 out of the combinations, and send its pairs with every other listed column', () => {
    expect(inspection.combinations.rows.length).toBeLessThanOrEqual(MAX_COMBINATIONS);
    expect(inspection.combinations.columns).not.toContain('u2');
    expect(inspection.pairs!.map((p) => p.columns.join('×')).sort()).toEqual(['campaign×u2', 'policy×u2', 'u1×u2', 'u2×click', 'u2×item', 'u2×pscore']);
  });

  it('mark "(0 rows)" a value of the column left out that no row keeps under a filter, and the values of others under a filter on it', () => {
    const women = countsOf({ campaign: 'women' }, 'u2');
    for (let v = 0; v < 50; v++) {
      const kept = rows.some((r) => r.campaign === 'women' && r.u2 === v);
      expect(women.get(String(v))! > 0, `u2=${v}`).toBe(kept);
    }
    expect(women.get('45')).toBe(0);
    // The other way: with u2 = 45, only the men's rows remain.
    const campaigns = countsOf({ u2: '45' }, 'campaign');
    expect(campaigns.get('women')).toBe(0);
    expect(campaigns.get('men')).toBeGreaterThan(0);
    // Combined columns follow each other as before: u1 = 2 is bts's only, policy = random keeps none of it.
    expect(countsOf({ policy: 'random' }, 'u1').get('2')).toBe(0);
    // Without a filter every count is the file's.
    expect(countsOf({}, 'u2').get('45')).toBe(rows.filter((r) => r.u2 === 45).length);
  });

  it('send no pairs when every listed column is combined', () => {
    const few = inspectLogs(lines.slice(0, 200), 'few.csv');
    expect(few.pairs).toBeUndefined();
  });
});
