// `aisle compare --metric gini`: the shop's exposure Gini is better low, so the group whose runs end
// lower (a random policy, which shows every item alike, against most-popular, which shows the same
// few) is "better", the matrix is P(row < column), and the heading, --json and --markdown say so.
// A metric without a better direction (ε, a schedule followed) gets "higher" or "lower", never a verdict.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/shared/dto';
import { aisle } from '../helpers/cli';

let db = '';
// One database for the file's tests (tempDir's folders go after each test): the runs train once.
const dir = mkdtempSync(join(tmpdir(), 'aisle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  db = join(dir, 'a.db');
  // Tiny sessions, a short window for the catalogue metrics: seconds for 5 seeds each.
  const env = { id: 'shop', maxSteps: 5, metricsWindow: 20 };
  for (const [name, agent] of [
    ['random', { id: 'random' }],
    ['popular', { id: 'most-popular' }],
    ['careful', { id: 'q-learning', epsilon: 0.05 }],
    ['reckless', { id: 'q-learning', epsilon: 0.5 }],
  ] as const) {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env, agent, episodes: 60, seeds: 5 }));
    const r = aisle(['run', file], { db });
    expect(r.code, r.stderr).toBe(0);
  }
});

type Json = CompareResult & { verdicts: ({ verdict: string | null } | null)[][] };

describe('aisle compare by the metric’s direction', () => {
  it('--metric gini: the lower group is better, P(row < column), the direction named in the heading and in --json', () => {
    const json = aisle(['--json', 'compare', '1', '2', '--metric', 'gini', '--final-window', '20'], { db });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as Json;
    expect(result.direction).toBe('lower');
    expect(result.metricDirections).toMatchObject({ return: 'higher', gini: 'lower', clicks: 'higher', length: 'higher' });
    const [random, popular] = result.groups.map((g) => g.final.mean);
    expect(random!).toBeLessThan(popular!);
    // Every random run ends below every most-popular run: P(A < B) is 1, and A is better.
    expect(result.improvement[0]![1]!.p).toBe(1);
    expect(result.verdicts).toEqual([
      [null, { verdict: 'better', test: expect.objectContaining({ pairs: 1, holmP: expect.closeTo(2 / 252, 14) }) }],
      [{ verdict: 'worse', test: expect.objectContaining({ pairs: 1 }) }, null],
    ]);

    const text = aisle(['compare', '1', '2', '--metric', 'gini', '--final-window', '20'], { db, env: { COLUMNS: '1000' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^gini \(lower is better\): a run's final value is its mean over its last 20 episodes; .* P\(X < Y\) \(rliable/);
    expect(text.stdout).toContain("P(row < column) with its 95 % bootstrap CI: the chance that a run of the row's group ends below a run of the column's, as a lower gini is better");
    expect(text.stdout).toMatch(/^A\s{2,}–\s{2,}1 \[1, 1\] better$/m);
    expect(text.stdout).toMatch(/^B\s{2,}0 \[0, 0\] worse\s{2,}–$/m);

    const markdown = aisle(['compare', '1', '2', '--metric', 'gini', '--final-window', '20', '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toMatch(/^# Aisle comparison: gini \(lower is better\), 2 groups$/m);
    expect(markdown.stdout).toMatch(/^\| P\(row < column\) \| A \| B \|$/m);
    expect(markdown.stdout).toMatch(/^\| A \| – \| 1 \[1, 1\] better \|$/m);
    // 5 runs a group: the caution beside the intervals names the probability as the matrix does, P(X < Y).
    for (const out of [text.stdout, markdown.stdout].map((o) => o.replace(/\n/g, ' '))) {
      expect(out).toContain('the bootstrap intervals (IQM, P(X < Y)) cover the truth less often than 95 %');
      expect(out).not.toContain('P(X > Y)');
    }
  });

  it('--metric return on the same runs reads higher as better, as it always did', () => {
    const result = JSON.parse(aisle(['--json', 'compare', '1', '2', '--final-window', '20'], { db }).stdout) as Json;
    expect(result.direction).toBe('higher');
    const text = aisle(['compare', '1', '2', '--final-window', '20'], { db, env: { COLUMNS: '1000' } }).stdout;
    expect(text).toMatch(/^return: a run's final value/);
    expect(text).toContain('P(row > column) with its 95 % bootstrap CI');
  });

  it('--final-window 100000: the window is counted with its thousands grouped in the heading, as text and as Markdown', () => {
    const text = aisle(['compare', '1', '2', '--final-window', '100000'], { db, env: { COLUMNS: '1000' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^return: a run's final value is its mean over its last 100,000 episodes; /);
    const markdown = aisle(['compare', '1', '2', '--final-window', '100000', '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain("a run's final value is its mean over its last 100,000 episodes;");
  });

  it('--metric train/epsilon, a schedule with no better side: "lower" and "higher", no verdict of better or worse', () => {
    const json = aisle(['--json', 'compare', '3', '4', '--metric', 'train/epsilon', '--final-window', '20'], { db });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as Json;
    expect(result.direction).toBeNull();
    // ε 0.05 ends below ε 0.5 in every run: P(A > B) is 0, read "lower".
    expect(result.improvement[0]![1]!.p).toBe(0);
    expect(result.verdicts).toEqual([
      [null, { verdict: 'lower', test: expect.objectContaining({ pairs: 1, holmP: expect.closeTo(2 / 252, 14) }) }],
      [{ verdict: 'higher', test: expect.objectContaining({ pairs: 1 }) }, null],
    ]);
    const text = aisle(['compare', '3', '4', '--metric', 'train/epsilon', '--final-window', '20'], { db, env: { COLUMNS: '1000' } }).stdout;
    expect(text).toMatch(/^train\/epsilon \(no better direction\): a run's final value/);
    expect(text).toContain('train/epsilon has no better direction, so no cell says better or worse, only "higher" or "lower"');
    expect(text).toMatch(/^A\s{2,}–\s{2,}0 \[0, 0\] lower$/m);
    expect(text).not.toMatch(/better$|worse$/m);
  });
});
