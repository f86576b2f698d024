// `aisle compare` on a real sweep of alpha (the quickstart's cliff, 3 values × 3 seeds, a few
// episodes): the parameter study's table under the final performance, sorted by alpha, with the
// final-performance table's figures; `--json` gives it as `parameterStudy`, `--markdown` as a
// section of the report; two experiments of the sweep make no study. On a sweep of alpha by epsilon
// (3 × 3), --study-x puts either on x, as the app's "On the x axis" does; a setting that cannot go
// there is a usage error naming those that can.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/shared/dto';
import type { ParameterStudyPoint } from '../../src/shared/parameter-study';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('aisle compare on a sweep', () => {
  it('prints the parameter study sorted by the swept value, with the final-performance figures, as text, JSON and Markdown', () => {
    const db = join(tempDir(), 'a.db');
    const quickstart = join(ROOT, 'resources/experiments/quickstart.json');
    // Listed out of order: the experiments are made in this order (0.5 is experiment 1), the study sorts by value.
    const run = aisle(['run', quickstart, '--set', 'agent.alpha=0.5,0.1,0.3', '--seeds', '3', '--episodes', '40', '--workers', '2'], { db, env: { COLUMNS: '120' } });
    expect(run.code, run.stderr).toBe(0);
    // The sweep's own comparison at its end has the study too.
    expect(run.stdout).toContain('parameter study: mean final return against agent.alpha');

    const json = aisle(['--json', 'compare', '1', '2', '3'], { db });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as CompareResult & { parameterStudy: { x: string; series?: string; logScale: boolean; points: ParameterStudyPoint[] } | null };
    expect(result.differences).toEqual(['agent.alpha']);
    const study = result.parameterStudy!;
    expect(study).toMatchObject({ x: 'agent.alpha', logScale: false });
    expect(study.series).toBeUndefined();
    expect(study.points.map((p) => p.x)).toEqual([0.1, 0.3, 0.5]);
    for (const p of study.points) {
      const g = result.groups[p.group]!;
      expect((g.config.agent as { alpha: number }).alpha).toBe(p.x);
      expect(p).toEqual({ group: p.group, x: p.x, n: 3, mean: g.final.mean, lo: g.final.meanLo, hi: g.final.meanHi });
    }

    // The terminal's table: under the final performance, a row per value in order, its mean and
    // interval written as the final-performance row of the same group writes them.
    // Wide enough for the groups' labels to stay in their rows.
    const text = aisle(['compare', '1', '2', '3'], { db, env: { COLUMNS: '250' } });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    const header = lines.findIndex((l) => /^agent\.alpha\s+group\s+runs\s+mean\s+mean 95% CI \(t\)$/.test(l));
    expect(header).toBeGreaterThan(lines.findIndex((l) => l.startsWith('group ')));
    const rows = lines.slice(header + 2, header + 5).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r.slice(0, 3))).toEqual(study.points.map((p) => [String(p.x), 'ABC'[p.group], '3']));
    for (const [alpha, letter, , mean, interval] of rows) {
      const groupRow = lines.find((l) => l.startsWith(`${letter}  `) && l.includes(`alpha=${alpha})`));
      expect(groupRow, `the final-performance row of ${letter}`).toBeDefined();
      // letter, label, runs, seeds, then the mean and its interval
      expect(groupRow!.split(/\s{2,}/).slice(4, 6)).toEqual([mean, interval]);
    }

    const markdown = aisle(['compare', '1', '2', '3', '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    const md = markdown.stdout.split('\n');
    const section = md.indexOf('## Parameter study');
    expect(section).toBeGreaterThan(md.indexOf('## Final performance'));
    expect(section).toBeLessThan(md.indexOf('## Probability of improvement'));
    const tableStart = md.indexOf('| agent.alpha | group | runs | mean | mean 95% CI (t) |');
    expect(tableStart).toBeGreaterThan(section);
    expect(md[tableStart + 1]).toBe('| --- | --- | --: | --: | --: |');
    expect(md.slice(tableStart + 2, tableStart + 5).map((l) => l.split(' | ')[0])).toEqual(['| 0.1', '| 0.3', '| 0.5']);

    // Two values of alpha are a difference, not a curve: no study.
    const two = JSON.parse(aisle(['--json', 'compare', '1', '2'], { db }).stdout) as { parameterStudy: unknown };
    expect(two.parameterStudy).toBeNull();
    const twoText = aisle(['compare', '1', '2'], { db }).stdout;
    expect(twoText).not.toContain('parameter study');
    expect(aisle(['compare', '1', '2', '--markdown'], { db }).stdout).not.toContain('## Parameter study');

    // --study-x: alpha is the only setting with values to put on x; two experiments have no study at all.
    const epsilon = aisle(['compare', '1', '2', '3', '--study-x', 'agent.epsilon'], { db });
    expect(epsilon.code).toBe(2);
    expect(epsilon.stdout).toBe('');
    expect(epsilon.stderr.trim().split('\n')).toEqual(['aisle: --study-x agent.epsilon is not a setting the parameter study can put on x: only agent.alpha can go there']);
    expect(aisle(['compare', '1', '2', '3', '--study-x', 'agent.alpha'], { db, env: { COLUMNS: '250' } }).stdout).toBe(text.stdout);
    const none = aisle(['compare', '1', '2', '--study-x', 'agent.alpha'], { db });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^aisle: --study-x agent\.alpha: these groups make no parameter study .*, so there is no x to choose\n$/);
  });

  it('puts the setting --study-x names on x, as the app\'s "On the x axis", when two could go there; another is a usage error naming them', () => {
    const db = join(tempDir(), 'b.db');
    const quickstart = join(ROOT, 'resources/experiments/quickstart.json');
    const run = aisle(['run', quickstart, '--set', 'agent.alpha=0.1,0.3,0.5', '--set', 'agent.epsilon=0.05,0.1,0.2', '--seeds', '2', '--episodes', '20', '--workers', '2'], { db });
    expect(run.code, run.stderr).toBe(0);
    const ids = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    type Study = { x: string; series?: string; points: ParameterStudyPoint[] };
    const studyOf = (args: string[]) => {
      const r = aisle(['--json', 'compare', ...ids, ...args], { db });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { parameterStudy: Study }).parameterStudy;
    };

    // A tie of three values each: alpha, the first that differs, by default; epsilon when asked.
    expect(studyOf([])).toMatchObject({ x: 'agent.alpha', series: 'agent.epsilon' });
    const swapped = studyOf(['--study-x', 'agent.epsilon']);
    expect(swapped).toMatchObject({ x: 'agent.epsilon', series: 'agent.alpha' });
    expect(swapped.points.map((p) => [p.x, p.series])).toEqual([0.05, 0.1, 0.2].flatMap((e) => [0.1, 0.3, 0.5].map((a) => [e, a])));
    expect(studyOf(['--study-x', 'agent.alpha']).points.map((p) => [p.x, p.series])).toEqual([0.1, 0.3, 0.5].flatMap((a) => [0.05, 0.1, 0.2].map((e) => [a, e])));

    // The terminal's table and the report put epsilon first, a row per group in epsilon's order.
    const text = aisle(['compare', ...ids, '--study-x', 'agent.epsilon'], { db, env: { COLUMNS: '250' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('parameter study: mean final return against agent.epsilon');
    const lines = text.stdout.split('\n');
    const header = lines.findIndex((l) => /^agent\.epsilon\s+agent\.alpha\s+group\s+runs\s+mean\s+mean 95% CI \(t\)$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines.slice(header + 2, header + 11).map((l) => l.split(/\s{2,}/).slice(0, 2).join(' '))).toEqual(swapped.points.map((p) => `${p.x} ${String(p.series)}`));
    const markdown = aisle(['compare', ...ids, '--study-x', 'agent.epsilon', '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain('| agent.epsilon | agent.alpha | group | runs | mean | mean 95% CI (t) |');

    // gamma did not vary: one line naming the two that can go on x, exit 2, nothing on stdout.
    const gamma = aisle(['compare', ...ids, '--study-x', 'agent.gamma'], { db });
    expect(gamma.code).toBe(2);
    expect(gamma.stdout).toBe('');
    expect(gamma.stderr).toBe('aisle: --study-x agent.gamma is not a setting the parameter study can put on x: choose agent.alpha or agent.epsilon\n');
    // An empty path is shown as one, not as a double space.
    const empty = aisle(['compare', ...ids, '--study-x', ''], { db });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('aisle: --study-x "" is not a setting the parameter study can put on x: choose agent.alpha or agent.epsilon\n');
  });
});
