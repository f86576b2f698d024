// `aisle logs mdp` warns when one row drives a cell's fitted mean (src/engine/ope/dominant-rows.ts):
// on stderr and in --json's `warnings` (and `dominant`), naming the file's line, the cell, the
// reward and its share, exit 0 with the simulator written; silent on ordinary logs. On the real
// data beside the checkout: Online Retail's order of 80,995 units is named, Open Bandit is not.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aisle as aisleWith, unwrapped } from '../helpers/cli';
import { sharedData } from '../helpers/shared-data';

const dir = mkdtempSync(join(tmpdir(), 'aisle-logs-dominant-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aisle = (args: string[]) => aisleWith(args, { db: join(dir, 'aisle.db'), cwd: dir });

/** Purchases of items a, b, c on two pages, 1 to 9 units each; `extra` rows appended after them. */
function purchases(extra: string[] = []): string {
  const lines = ['page,item,qty'];
  for (let k = 0; k < 60; k++) lines.push(`${1 + (k % 2)},${'abc'[k % 3]},${1 + ((k * 7) % 9)}`);
  return `${[...lines, ...extra].join('\n')}\n`;
}
const columns = ['--context-column', 'page', '--action-column', 'item', '--reward-column', 'qty'];
const NAMED = 'one row drives the fitted mean of a cell: purchases.csv:62 (page=2, item=b): "qty" 5,000, ';

describe('aisle logs mdp: a row that drives a cell', () => {
  writeFileSync(join(dir, 'purchases.csv'), purchases(['2,b,5000']));
  writeFileSync(join(dir, 'ordinary.csv'), purchases(['2,b,9']));

  it('warns on stderr, naming the line, the cell, the reward and its share, and what to do; writes the simulator, exit 0', () => {
    const r = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '-o', 'sim.mdp.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'sim.mdp.json'))).toBe(true);
    const stderr = unwrapped(r.stderr);
    expect(stderr).toContain(`aisle: warning: ${NAMED}`);
    expect(stderr).toMatch(/"qty" 5,000, 9\d\.\d % of the cell's fitted mean, [\d,.]+ with it and [\d.]+ without it \(11 rows in the cell\)\. /);
    expect(stderr).toContain('leave it out of a copy of the file (--where keeps the rows with a value, so it leaves one row out only when a column marks it), cap the reward column, or raise --prior (now 1 pseudo-row; ');
    expect(r.stdout).toMatch(/^wrote /);
  });

  it('gives the warning in --json, with the rows as data', () => {
    const r = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '-o', 'sim.mdp.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { warnings: string[]; dominant: { count: number; rows: Record<string, unknown>[] } };
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toContain(NAMED);
    expect(summary.dominant.count).toBe(1);
    expect(summary.dominant.rows[0]).toMatchObject({ context: '2', action: 'b', line: 62, reward: 5000, cellRows: 11 });
  });

  it('warns as it writes the MDP to stdout', () => {
    const r = aisle(['logs', 'mdp', 'purchases.csv', ...columns]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'aisle.mdp/v1' });
    expect(unwrapped(r.stderr)).toContain(`aisle: warning: ${NAMED}`);
  });

  it('says nothing of ordinary logs', () => {
    const r = aisle(['logs', 'mdp', 'ordinary.csv', ...columns, '-o', 'ordinary.mdp.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ warnings: [], dominant: { count: 0, rows: [] } });
  });

  const RETAIL = sharedData('online-retail/online_retail_events.csv');
  it.skipIf(!existsSync(RETAIL))(`names Online Retail's order of 80,995 units (${RETAIL}; skipped when it is absent)`, () => {
    const r = aisle(['logs', 'mdp', RETAIL, '--action-column', 'item', '--reward-column', 'qty', '-o', 'retail.mdp.json']);
    expect(r.code, r.stderr).toBe(0);
    const stderr = unwrapped(r.stderr);
    expect(stderr).toContain(`aisle: warning: one row drives the fitted mean of each of 15 cells, the 3 whose mean it moves most: ${RETAIL}:395871 (item=23843): "qty" 80,995, 99.9 % of the cell's fitted mean, 40,504.01 with it and 12.81 without it (1 row in the cell); ${RETAIL}:36976 (item=23166): "qty" 74,215, 95.2 %`);
    // The prior counted once: 10,000 pseudo-rows leave no row driving its cell (counted twice, two still did).
    const raised = aisle(['logs', 'mdp', RETAIL, '--action-column', 'item', '--reward-column', 'qty', '--prior', '10000', '-o', 'retail.mdp.json', '--json']);
    expect(raised.code, raised.stderr).toBe(0);
    expect(JSON.parse(raised.stdout)).toMatchObject({ dominant: { count: 0 } });
  });

  const OBD = sharedData('open-bandit/obd_events.csv');
  it.skipIf(!existsSync(OBD))(`says nothing of Open Bandit's clicks (${OBD}; skipped when it is absent)`, () => {
    for (const prior of ['0', '1']) {
      const r = aisle(['logs', 'mdp', OBD, '--where', 'policy=bts', '--prior', prior, '-o', 'obd.mdp.json', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ dominant: { count: 0 } });
      expect(r.stderr).not.toContain('drives');
    }
  });
});
