// A fit whose cell's mean one row drives (src/engine/ope/dominant-rows.ts): the rule fires on a
// row far beyond the others that holds most of its cell's fitted mean, names its line, cell, reward
// and share, and the cell's mean with and without it; it stays silent on clicks however few per cell,
// on ordinary spread, on a purchase and its cancellation in one cell, and once the prior outweighs the row.
import { describe, expect, it } from 'vitest';
import { parseLogLinesToFit } from '../../src/engine/ope/csv';
import { APP_DOMINANT_FIX, CLEARING_PRIORS, CLI_DOMINANT_FIX, DOMINANT_ROWS_LISTED, dominantRows, dominantRowsText, EXTREME_RATIO, shrunkMean } from '../../src/engine/ope/dominant-rows';
import { rewardModel, fitSimulator } from '../../src/engine/ope/simulator';
import { Rng } from '../../src/engine/rng';

/** A logs CSV's lines: a header, then `context,action,reward` rows. */
function csv(rows: readonly (readonly [string | number, string | number, number])[]): string[] {
  return ['context,action,reward', ...rows.map((r) => r.join(','))];
}

/** 2 contexts × 3 actions, 20 rows each, rewards 1 … 10 drawn with a fixed seed. */
function ordinary(seed = 5): [number, number, number][] {
  const rng = new Rng(seed);
  const rows: [number, number, number][] = [];
  for (let k = 0; k < 20; k++) for (let x = 1; x <= 2; x++) for (let a = 0; a < 3; a++) rows.push([x, a, 1 + rng.int(10)]);
  return rows;
}

const fit = async (lines: string[], prior = 1, holdout: { holdout?: number } = {}) => fitSimulator(await parseLogLinesToFit(lines, 'logs.csv', {}, holdout), { priorStrength: prior, ...holdout });

describe('dominantRows', () => {
  it('names the row of 5,000 among rewards of 1 to 10 that holds most of its cell, by line, cell, reward and share', async () => {
    const rows = ordinary();
    rows.splice(30, 0, [2, 1, 5000]); // line 32: the header is line 1
    const f = await fit(csv(rows));
    expect(f.dominant.count).toBe(1);
    expect(f.dominant.rows).toHaveLength(1);
    const row = f.dominant.rows[0]!;
    expect(row).toMatchObject({ context: '2', action: '1', line: 32, row: 30, reward: 5000, cellRows: 21 });
    expect(row.share).toBeGreaterThan(0.9);
    // q̂ is the model the simulator pays; without the row the cell falls back among the others.
    expect(row.mean).toBeCloseTo(rewardModel(await parseLogLinesToFit(csv(rows), 'logs.csv'), 1)[1 * 3 + 1]!, 9);
    expect(row.mean).toBeGreaterThan(200);
    expect(row.meanWithout).toBeGreaterThan(1);
    expect(row.meanWithout).toBeLessThan(10);
    const text = dominantRowsText(f.dominant, 'logs.csv', f.columns, CLI_DOMINANT_FIX)!;
    expect(text).toMatch(/^one row drives the fitted mean of a cell: logs\.csv:32 \(context=2, action=1\): "reward" 5,000, 9\d\.\d % of the cell's fitted mean, [\d,.]+ with it and [\d.]+ without it \(21 rows in the cell\)\. /);
    expect(text).toContain('leave it out of a copy of the file (--where keeps the rows with a value, so it leaves one row out only when a column marks it), cap the reward column, or raise --prior (now 1 pseudo-row; ');
    expect(text).toContain(`A row drives its cell when its "reward" is at least ${EXTREME_RATIO} times the median nonzero |reward| fitted (`);
    expect(dominantRowsText(f.dominant, 'logs.csv', f.columns, APP_DOMINANT_FIX)).toContain('(the row filter keeps the rows with a value, so it leaves one row out only when a column marks it), cap the reward column, or raise the Prior (now 1 pseudo-row; ');
    // In 120 rows the row holds most of the overall mean too, which every cell is shrunk toward: no prior clears it.
    expect(f.dominant.clearingPrior).toBeNull();
    expect(text).toContain('or raise --prior (now 1 pseudo-row; up to 1,000,000 a row still drives its cell).');
    expect((await fit(csv(rows), 1_000_000)).dominant.count).toBe(1);
  });

  it("names a cell's only row by itself, as Online Retail's order of 80,995 units of an item bought once, without a context column", async () => {
    const rows: [string, string, number][] = [];
    for (let k = 0; k < 20_000; k++) rows.push(['', `i${k % 20}`, 1 + (k % 12)]);
    rows.push(['', 'once', 80995]);
    const lines = ['action,reward', ...rows.map((r) => `${r[1]},${r[2]}`)];
    const f = await fit(lines);
    expect(f.dominant.rows[0]).toMatchObject({ context: '', action: 'once', line: 20_002, reward: 80995, cellRows: 1 });
    // With the default prior and no context column the cell pays half the row and half the overall
    // mean, (80,995 + r̄) / 2, the prior counted once (counted twice, the row read ~3/4: 60,749.5).
    const rBar = (rows.reduce((sum, r) => sum + r[2], 0)) / rows.length;
    expect(f.dominant.rows[0]!.mean).toBeCloseTo(f.best, 6);
    expect(f.dominant.rows[0]!.mean).toBeCloseTo((80995 + rBar) / 2, 6);
    expect(dominantRowsText(f.dominant, 'logs.csv', f.columns, CLI_DOMINANT_FIX)).toMatch(/^one row drives the fitted mean of a cell: logs\.csv:20002 \(action=once\): "reward" 80,995, 99\.\d % of the cell's fitted mean, 40,50\d(\.\d+)? with it and [\d.]+ without it \(1 row in the cell\)/);
    // A prior of a hundred pseudo-rows still leaves the row ~99 % of the cell; a million weighs the cell as the overall mean, where the row is a third.
    expect((await fit(lines, 100)).dominant.count).toBe(1);
    expect((await fit(lines, 1_000_000)).dominant.count).toBe(0);
    // The warning names the first prior of its ladder that clears it, and the one before it does not.
    const clearing = f.dominant.clearingPrior!;
    expect(CLEARING_PRIORS).toContain(clearing);
    expect(dominantRowsText(f.dominant, 'logs.csv', f.columns, CLI_DOMINANT_FIX)).toContain(`or raise --prior (now 1 pseudo-row; at ${clearing.toLocaleString('en-US')} no row drives its cell, every cell then pulled that much harder toward its action's and the overall mean).`);
    expect((await fit(lines, clearing)).dominant.count).toBe(0);
    const before = CLEARING_PRIORS[CLEARING_PRIORS.indexOf(clearing) - 1]!;
    expect(before).toBeGreaterThan(1);
    const notYet = (await fit(lines, before)).dominant;
    expect(notYet.count).toBe(1);
    expect(notYet.clearingPrior).toBe(clearing);
  });

  it('names the row by its line in the file when rows before it are held out', async () => {
    const rows = ordinary(9);
    rows.push([1, 0, 9000]);
    const f = await fit(csv(rows), 1, { holdout: 3 });
    expect(f.rowsFitted).toBeLessThan(rows.length);
    expect(f.dominant.rows).toMatchObject([{ context: '1', action: '0', line: rows.length + 1, reward: 9000 }]);
  });

  it('lists the rows that move their cells most, and counts the others', async () => {
    const rows = ordinary(3);
    rows.push([1, 0, 3000], [1, 1, 9000], [1, 2, 5000], [2, 0, 7000], [2, 2, -4000]);
    const f = await fit(csv(rows));
    expect(f.dominant.count).toBe(5);
    expect(f.dominant.rows.map((r) => r.reward)).toEqual([9000, 7000, 5000].slice(0, DOMINANT_ROWS_LISTED));
    const text = dominantRowsText(f.dominant, 'logs.csv', f.columns, CLI_DOMINANT_FIX)!;
    expect(text).toMatch(/^one row drives the fitted mean of each of 5 cells, the 3 whose mean it moves most: logs\.csv:\d+ \(context=1, action=1\): "reward" 9,000, .*; 2 more cells like them\. .* chases those rows: leave them out/);
  });

  it('is silent on clicks, however few rows a cell has, on ordinary spread, and on a purchase and its cancellation in one cell', async () => {
    // Rare clicks, a cell of 2 rows with one: its mean rests on that click, which is rare-event noise (the prior's business), not a row out of line.
    const rng = new Rng(11);
    const clicks: [number, number, number][] = [];
    for (let i = 0; i < 3000; i++) clicks.push([1 + rng.int(3), rng.int(30), rng.next() < 0.005 ? 1 : 0]);
    clicks.push([1, 30, 1], [1, 30, 0]);
    const f = await fit(csv(clicks));
    expect(f.rewards).toBe('bernoulli');
    expect(f.dominant).toEqual({ rows: [], count: 0, median: 1, prior: 1, clearingPrior: null });
    expect(dominantRowsText(f.dominant, 'logs.csv', f.columns, CLI_DOMINANT_FIX)).toBeUndefined();
    // Revenue-like spread, one order 50 times the median: large, but not out of line.
    const spread = ordinary(4);
    spread.push([1, 1, 50 * 5.5]);
    expect((await fit(csv(spread))).dominant.count).toBe(0);
    // 80,995 units bought and cancelled in one cell: they cancel out, and hold half each.
    const cancelled = ordinary(6);
    cancelled.push([2, 2, 80995], [2, 2, -80995]);
    expect((await fit(csv(cancelled), 0)).dominant.count).toBe(0);
    expect((await fit(csv(cancelled))).dominant.count).toBe(0);
  });

  it('is silent when every reward is 0, and counts nothing without rows beyond the ratio', () => {
    const data = { actionLabels: ['a'], contextLabels: [''], action: new Int32Array(3), context: new Int32Array(3), reward: new Float64Array(3), propensity: null };
    expect(dominantRows(data, 1)).toEqual({ rows: [], count: 0, median: 0, prior: 1, clearingPrior: null });
  });

  it('shrunkMean is the reward model of one cell', () => {
    // The cell (2 rows, sum 10) is shrunk toward its action's other 8 rows (sum 20), themselves toward r̄ = 2.
    expect(shrunkMean(10, 2, 30, 10, 2, 1)).toBeCloseTo((10 + (20 + 2) / 9) / 3, 12);
    // The action's only cell: shrunk toward r̄ once.
    expect(shrunkMean(10, 2, 10, 2, 2, 1)).toBeCloseTo((10 + 2) / 3, 12);
    expect(shrunkMean(0, 0, 0, 0, 2, 0)).toBe(2);
    expect(shrunkMean(10, 2, 10, 2, 2, 0)).toBe(5);
  });
});
