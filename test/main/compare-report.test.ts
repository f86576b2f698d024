// The Markdown report of a comparison (src/shared/compare-report.ts), on comparisons the service
// made from real runs: the selection, the final-performance table with the command's figures, the
// improvement matrix with verdict words, the caveats only where they apply, the differing settings;
// and names that would break a table escaped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareText } from '../../src/cli/compare';
import { compareFileStem, compareReport, markdownText } from '../../src/shared/compare-report';
import { fewRunsIntervalsText } from '../../src/shared/compare-text';
import type { CompareResult } from '../../src/shared/dto';
import { cliff, openService, type TestService } from '../helpers/service';

let t: TestService;
beforeEach(() => {
  t = openService({ workers: 2 });
});
afterEach(async () => {
  await t.close();
});

/** The cells of a Markdown table row, `\|` kept inside its cell. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

async function compared(seeds: number): Promise<{ result: CompareResult; ids: [number, number] }> {
  const a = await t.call('experiments.launch', { experiment: cliff({ name: 'cliff fast', seeds }) });
  const b = await t.call('experiments.launch', { experiment: cliff({ name: 'cliff slow', seeds }, { alpha: 0.1 }) });
  await t.until([...a.runIds, ...b.runIds]);
  const result = await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId], finalWindow: 50 });
  return { result, ids: [a.experimentId, b.experimentId] };
}

describe('compareReport', () => {
  it('tables the final performance and the improvement matrix, with the few-runs caution for 3 seeds a group', async () => {
    const { result, ids } = await compared(3);
    const report = compareReport({ result, experiments: [{ id: ids[0], name: 'cliff fast' }, { id: ids[1], name: 'cliff slow' }], runIds: [], seed: 0 });
    const lines = report.split('\n');
    expect(lines[0]).toBe('# Aisle comparison: return, 2 groups');
    expect(report).toContain(`Compared: experiments #${ids[0]} “cliff fast”, #${ids[1]} “cliff slow”.`);
    expect(report).toContain(
      "return: a run's final value is its mean over its last 50 episodes; 95 % CIs: Student's t for the mean, percentile bootstrap for the IQM and P(X > Y) (rliable, 2,000 resamples, seed 0).",
    );

    // The final-performance table: its header, then a row per group carrying the service's numbers.
    const header = lines.indexOf('| group | runs | seeds | mean | mean 95% CI (t) | IQM | IQM 95% CI (bootstrap) |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe('| --- | --: | --- | --: | --: | --: | --: |');
    result.groups.forEach((g, i) => {
      const row = cells(lines[header + 2 + i]!);
      expect(row[0]).toBe(`${'AB'[i]} · ${g.label}`);
      expect(row.slice(1, 3)).toEqual(['3', '0–2']);
      expect(Number(row[3]!.replace(/,/g, ''))).toBeCloseTo(g.final.mean, 1);
      expect(row[4]).toMatch(/^\[-?[\d,.]+, -?[\d,.]+\]$/);
      expect(Number(row[5]!.replace(/,/g, ''))).toBeCloseTo(g.final.iqm, 1);
    });
    expect(result.groups.map((g) => g.label)).toEqual(['cliff fast · q-learning', 'cliff slow · q-learning']);

    // The matrix: P(A > B) with its interval, and "no verdict" (3 against 3 cannot reach 5 %), with why.
    const matrix = lines.indexOf('| P(row > column) | A | B |');
    expect(matrix).toBeGreaterThan(header);
    const rowA = cells(lines[matrix + 2]!);
    expect(rowA[0]).toBe('A');
    expect(rowA[1]).toBe('–');
    expect(rowA[2]).toMatch(/^[\d.]+ \[[\d.]+, [\d.]+\] no verdict$/);
    expect(Number(rowA[2]!.split(' ')[0])).toBeCloseTo(result.improvement[0]![1]!.p, 3);
    expect(report).toContain('- no verdict: 3 against 3 runs cannot reach the 5 % level;');

    // Caveats in the app's and the command's words.
    expect(report).toContain('> **Caution:** Few runs: the smallest groups here have 3 and 3.');
    expect(report).toContain('With fewer than 8 runs in a group, the bootstrap intervals (IQM, P(X > Y)) cover the truth less often than 95 %');
    // `aisle compare` says it too, beside its table: a percentile bootstrap of 3 runs covers the
    // IQM ~75 % of the time, not 95 % (of 2 runs its interval is [min, max], ~50 %).
    expect(compareText(result, 0, 10_000).replace(/\n/g, ' ')).toContain(fewRunsIntervalsText(result.direction));
    expect(report).not.toContain('Counted once');
    expect(report).not.toContain('not played all');

    // The settings that differ, a column per group.
    expect(lines).toContain('| parameter | A | B |');
    expect(lines).toContain('| agent.alpha | 0.5 | 0.1 |');
    expect(report.endsWith('\n')).toBe(true);
  });

  it('has no few-runs caution on verdicts when every group has 5 runs, but still the bootstrap intervals’ (below 8)', async () => {
    const { result, ids } = await compared(5);
    const report = compareReport({ result, experiments: [{ id: ids[0] }, { id: ids[1] }], runIds: [], seed: 0 });
    expect(report).toContain(`Compared: experiments #${ids[0]}, #${ids[1]}.`);
    expect(report).toMatch(/^\| A · cliff fast · q-learning \| 5 \| 0–4 \|/m);
    expect(report).not.toContain('Few runs');
    // 5 runs: the IQM's and P(X > Y)'s bootstrap intervals cover about 90 %, and the report and the command say so.
    expect(report.replace(/\n/g, ' ')).toContain(fewRunsIntervalsText(result.direction));
    expect(compareText(result, 0, 10_000).replace(/\n/g, ' ')).toContain(fewRunsIntervalsText(result.direction));
    // 5 against 5 can be called: the cells carry a verdict word only when their interval is on one side of ½.
    expect(report).not.toContain('cannot reach the 5 % level');
    expect(report).not.toContain('too few for the bootstrap interval');
    // Both trained 300 episodes: no word on training lengths.
    expect(result.trainingLengths).toBeUndefined();
    expect(report).not.toContain('different numbers of episodes');
  });

  it('writes the settings’ numbers as the app’s Configuration table does: 30,000, not 30000, and a decimal exact', async () => {
    const { result, ids } = await compared(2);
    // The same groups, told they trained 600 and 30,000 episodes and with a step size fmt would round.
    const settings = [
      { episodes: 600, alpha: 0.1234567 },
      { episodes: 30000, alpha: 0.00025 },
    ];
    const relabelled = {
      ...result,
      groups: result.groups.map((g, i) => ({ ...g, config: { ...g.config, episodes: settings[i]!.episodes, agent: { ...(g.config.agent as object), alpha: settings[i]!.alpha } } })),
      differences: [...result.differences, 'episodes'],
    } as CompareResult;
    const lines = compareReport({ result: relabelled, experiments: [{ id: ids[0] }, { id: ids[1] }], runIds: [], seed: 0 }).split('\n');
    expect(lines).toContain('| episodes | 600 | 30,000 |');
    expect(lines).toContain('| agent.alpha | 0.1234567 | 0.00025 |');
  });

  it('warns when the groups trained for different numbers of episodes, in the report, the command and --json', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ name: 'cliff long', seeds: 2, episodes: 240 }) });
    const b = await t.call('experiments.launch', { experiment: cliff({ name: 'cliff short', seeds: 2, episodes: 60 }) });
    await t.until([...a.runIds, ...b.runIds]);
    const result = await t.call('compare.runs', { experimentIds: [a.experimentId, b.experimentId], finalWindow: 50 });
    // --json prints the result whole: the lengths are there, ascending.
    expect(result.trainingLengths).toEqual([60, 240]);
    const warning =
      "These groups trained for different numbers of episodes (60 and 240): the final value, a run's mean over its last 50 episodes, " +
      'sits at a different point of training in each group';
    const report = compareReport({ result, experiments: [{ id: a.experimentId }, { id: b.experimentId }], runIds: [], seed: 0 });
    expect(report).toContain(`> **Warning:** ${warning}`);
    expect(report).toContain('Compare them at a common episode count: rerun the groups with the same number of episodes.');
    const text = compareText(result, 0, 10_000);
    expect(text).toContain(`warning: ${warning}`);
  });
});

describe('markdownText', () => {
  it('escapes what would end a cell or turn a name into markup, and joins lines', () => {
    expect(markdownText('a|b')).toBe('a\\|b');
    expect(markdownText('x_y *z* [l](u) <b> `c` \\')).toBe('x\\_y \\*z\\* \\[l\\](u) \\<b> \\`c\\` \\\\');
    expect(markdownText('two\nlines')).toBe('two lines');
  });

  it('keeps a name with | inside its cell of the tables', async () => {
    const a = await t.call('experiments.launch', { experiment: cliff({ name: 'pipes | and | bars', seeds: 1, episodes: 20 }) });
    await t.until(a.runIds);
    const result = await t.call('compare.runs', { runIds: [...a.runIds] });
    const report = compareReport({ result, experiments: [], runIds: a.runIds, seed: 0 });
    expect(report).toContain(`Compared: run #${a.runIds[0]}.`);
    const row = report.split('\n').find((l) => l.startsWith('| A · '))!;
    expect(cells(row)).toHaveLength(7);
    expect(cells(row)[0]).toBe('A · pipes \\| and \\| bars · q-learning');
    // One run: its intervals read n/a, and one group has no matrix.
    expect(cells(row)[4]).toBe('n/a (1 run)');
    expect(report).not.toContain('Probability of improvement');
    // Nor in the command's text: one group, no matrix, and still the caution beside its n/a intervals.
    const text = compareText(result, 0, 10_000);
    expect(text).not.toContain('P(row > column)');
    expect(text.replace(/\n/g, ' ')).toContain(fewRunsIntervalsText(result.direction));
  });
});

describe('compareFileStem', () => {
  it('names the file after the experiments and runs compared', () => {
    expect(compareFileStem([1, 2], [])).toBe('aisle-compare-1-2');
    expect(compareFileStem([3], [7, 8])).toBe('aisle-compare-3-runs-7-8');
    expect(compareFileStem([], [5])).toBe('aisle-compare-runs-5');
    expect(compareFileStem(Array.from({ length: 10 }, (_, i) => i + 1), [])).toBe('aisle-compare-1-2-3-4-5-6-7-8-and-2-more');
  });
});
