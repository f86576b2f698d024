// The mean importance weight's check (offPolicyWarnings) where the logging policy makes choices the
// logs never show: a target built from the actions the logs do show (uniform over them) weighs each
// row above 1, rightly, and was said to have wrong propensities. It still says so of propensities
// that are wrong, and of rows that mix logging policies.
import { describe, expect, it } from 'vitest';
import { parseLogLines } from '../../src/engine/ope/csv';
import { evaluateOffPolicy, highestMeanWeight } from '../../src/engine/ope/estimators';
import { deterministicTarget, uniformTarget } from '../../src/engine/ope/targets';
import { Rng } from '../../src/engine/rng';

/** `rows` impressions of a uniform logging policy over `items` items (seeded), its propensity written as `written` (default: right, 1 / items). */
function uniformLogs(items: number, rows: number, seed: number, written = (a: number) => 1 / items + 0 * a, contexts = 1): string[] {
  const rng = new Rng(seed, 0);
  const lines = ['context,action,reward,propensity'];
  for (let i = 0; i < rows; i++) {
    const a = rng.int(items);
    lines.push(`${1 + rng.int(contexts)},item${a},${rng.next() < 0.1 ? 1 : 0},${written(a)}`);
  }
  return lines;
}

const meanWeightWarning = (warnings: readonly string[]) => warnings.find((w) => w.includes('mean importance weight'));

describe('the mean weight where the logging policy makes choices the logs never show', () => {
  it('is not said to be off for a uniform target over the actions shown: 800 rows of 400 items show about 346', async () => {
    const data = await parseLogLines(uniformLogs(400, 800, 21), 'logs.csv');
    const shown = data.actionLabels.length;
    expect(shown).toBeGreaterThan(320);
    expect(shown).toBeLessThan(370);
    const report = evaluateOffPolicy(data, uniformTarget(data), { resamples: 20 });
    // Every weight is (1/shown) / (1/400): right, and above 1 by 5 % or more because the other items were never logged.
    expect(report.diagnostics.meanWeight).toBeCloseTo(400 / shown, 12);
    expect(report.diagnostics.unsupportedMass).toBe(0);
    expect(meanWeightWarning(report.warnings)).toBeUndefined();
    expect(highestMeanWeight(data, uniformTarget(data))).toBeGreaterThan(1.1);
    // Nor on any of 20 other draws of such logs.
    for (let seed = 100; seed < 120; seed++) {
      const other = await parseLogLines(uniformLogs(400, 800, seed), 'logs.csv');
      expect(meanWeightWarning(evaluateOffPolicy(other, uniformTarget(other), { resamples: 10 }).warnings), `seed ${seed}`).toBeUndefined();
    }
  });

  it('nor for 300 rows of 100 items, several contexts, or a target of one action', async () => {
    const few = await parseLogLines(uniformLogs(100, 300, 3), 'logs.csv');
    expect(few.actionLabels.length).toBeLessThan(100);
    expect(meanWeightWarning(evaluateOffPolicy(few, uniformTarget(few), { resamples: 20 }).warnings)).toBeUndefined();
    const contexts = await parseLogLines(uniformLogs(200, 1500, 4, undefined, 3), 'logs.csv');
    expect(contexts.actionLabels.length).toBeLessThan(200);
    expect(meanWeightWarning(evaluateOffPolicy(contexts, uniformTarget(contexts), { resamples: 20 }).warnings)).toBeUndefined();
    const one = deterministicTarget(few, new Map([['*', few.actionLabels[0]!]]), 'always one');
    expect(meanWeightWarning(evaluateOffPolicy(few, one, { resamples: 20 }).warnings)).toBeUndefined();
  });

  it('is still said to be off where the propensities are wrong, the same rows written too small or too large', async () => {
    // 1 / 600 for each of 400 items: the actions shown would leave about 45 % of the choices unshown, far more than 800 rows can miss.
    const small = await parseLogLines(uniformLogs(400, 800, 21, () => 1 / 600), 'logs.csv');
    const tooSmall = evaluateOffPolicy(small, uniformTarget(small), { resamples: 20 });
    expect(tooSmall.diagnostics.meanWeight).toBeCloseTo(600 / small.actionLabels.length, 12);
    expect(meanWeightWarning(tooSmall.warnings)).toMatch(/^the mean importance weight is 1\.8\d*, expected between 1 and 1\.\d+ \(1 where the logging policy makes no choice these rows never show, 1\.\d+ where it makes choices no row here shows, .*\): are the propensities the logging policy's probabilities/);
    // Every item shown many times, propensities 15 % too small: no share can have been missed, the bound stays 1.
    const dense = await parseLogLines(uniformLogs(20, 4000, 8, () => 0.85 / 20), 'logs.csv');
    expect(dense.actionLabels.length).toBe(20);
    expect(highestMeanWeight(dense, uniformTarget(dense))).toBe(1);
    expect(meanWeightWarning(evaluateOffPolicy(dense, uniformTarget(dense), { resamples: 20 }).warnings)).toMatch(/^the mean importance weight is 1\.176, expected about 1:/);
    // Too large (1 / 250): below 1.
    const large = await parseLogLines(uniformLogs(400, 800, 21, () => 1 / 250), 'logs.csv');
    expect(meanWeightWarning(evaluateOffPolicy(large, uniformTarget(large), { resamples: 20 }).warnings)).toMatch(/^the mean importance weight is 0\.7\d*, expected about 1:/);
  });

  it('is still said to be off for rows that mix two logging policies over different items under the same labels', async () => {
    // One campaign logs 34 items uniformly, the other 46: the same labels 0–33 mean different items, as Open Bandit's men's and women's.
    const rng = new Rng(9, 0);
    const lines = ['context,action,reward,propensity'];
    for (let i = 0; i < 2000; i++) {
      const items = i % 2 === 0 ? 34 : 46;
      lines.push(`1,${rng.int(items)},${rng.next() < 0.05 ? 1 : 0},${1 / items}`);
    }
    const data = await parseLogLines(lines, 'logs.csv');
    const report = evaluateOffPolicy(data, uniformTarget(data), { resamples: 20 });
    expect(meanWeightWarning(report.warnings)).toMatch(/^the mean importance weight is 0\.87\d?, expected about 1:/);
  });
});
