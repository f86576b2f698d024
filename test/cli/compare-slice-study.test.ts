// `aisle compare` on a hand-made random search: five runs of the quickstart's cliff, each its own
// experiment at an (alpha, epsilon) pair of its own (no grid: no value shared), a few episodes. The
// parameter study is the slice study: --json gives `kind: 'slice'`, a panel per setting with every
// group's final-performance figures by value, and the best group (the highest mean); the terminal
// prints one table, a column per setting, best first; the report has it as its section; --study-x
// is a usage error (a panel per setting, no x to choose).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/shared/dto';
import type { SliceStudy } from '../../src/shared/slice-study';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

// As a random search would sample them: alpha log-uniform over 0.001 … 1, epsilon uniform.
const PAIRS: readonly [number, number][] = [
  [0.42, 0.07],
  [0.006, 0.21],
  [0.09, 0.12],
  [0.8, 0.28],
  [0.035, 0.03],
];

describe('aisle compare on a random search', () => {
  it('prints a slice study: a panel per setting in --json, one table best first in the terminal and the report', () => {
    const db = join(tempDir(), 'search.db');
    const quickstart = join(ROOT, 'resources/experiments/quickstart.json');
    for (const [alpha, epsilon] of PAIRS) {
      const run = aisle(['run', quickstart, '--set', `agent.alpha=${alpha}`, '--set', `agent.epsilon=${epsilon}`, '--seeds', '2', '--episodes', '30'], { db });
      expect(run.code, run.stderr).toBe(0);
    }
    const ids = ['1', '2', '3', '4', '5'];
    const json = aisle(['--json', 'compare', ...ids], { db });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as CompareResult & { parameterStudy: SliceStudy };
    expect(result.differences).toEqual(['agent.alpha', 'agent.epsilon']);
    const study = result.parameterStudy;
    expect(study.kind).toBe('slice');
    expect(study.panels.map((p) => [p.x, p.logScale])).toEqual([
      ['agent.alpha', true], // 0.006 … 0.8: more than 2 decades
      ['agent.epsilon', false],
    ]);
    for (const panel of study.panels) {
      const setting = panel.x.slice('agent.'.length) as 'alpha' | 'epsilon';
      expect(panel.points.map((p) => p.x)).toEqual(PAIRS.map(([alpha, epsilon]) => (setting === 'alpha' ? alpha : epsilon)).sort((a, b) => a - b));
      for (const p of panel.points) {
        const g = result.groups[p.group]!;
        expect((g.config.agent as Record<string, number>)[setting]).toBe(p.x);
        expect(p).toEqual({ group: p.group, x: p.x, n: 2, mean: g.final.mean, lo: g.final.meanLo, hi: g.final.meanHi });
      }
    }
    const means = result.groups.map((g) => g.final.mean);
    expect(study.best).toBe(means.indexOf(Math.max(...means)));
    expect(study.points.map((p) => p.group)[0]).toBe(study.best);

    // The terminal: one table, a column per setting, best first, figures as the final-performance rows write them.
    const text = aisle(['compare', ...ids], { db, env: { COLUMNS: '250' } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('parameter study: a search, not a grid');
    const letter = 'ABCDE'[study.best]!;
    const [alpha, epsilon] = PAIRS[study.best]!;
    expect(text.stdout).toMatch(new RegExp(`best: ${letter}, alpha=${alpha}, epsilon=${epsilon}, mean -?\\d`));
    const lines = text.stdout.split('\n');
    const header = lines.findIndex((l) => /^agent\.alpha\s+agent\.epsilon\s+group\s+runs\s+mean\s+mean 95% CI \(t\)$/.test(l));
    expect(header).toBeGreaterThan(lines.findIndex((l) => l.startsWith('group ')));
    const rows = lines.slice(header + 2, header + 7).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[2])).toEqual(study.points.map((p) => 'ABCDE'[p.group]));
    for (const [a, e, l, , mean, interval] of rows) {
      const groupRow = lines.find((line) => line.startsWith(`${l}  `) && line.includes(`alpha=${a}`) && line.includes(`epsilon=${e}`));
      expect(groupRow, `the final-performance row of ${l}`).toBeDefined();
      expect(groupRow!.split(/\s{2,}/).slice(4, 6)).toEqual([mean, interval]);
    }

    const markdown = aisle(['compare', ...ids, '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    const md = markdown.stdout.split('\n');
    const section = md.indexOf('## Parameter study');
    expect(section).toBeGreaterThan(md.indexOf('## Final performance'));
    const tableStart = md.indexOf('| agent.alpha | agent.epsilon | group | runs | mean | mean 95% CI (t) |');
    expect(tableStart).toBeGreaterThan(section);
    expect(md[tableStart + 2]!.startsWith(`| ${alpha} | ${epsilon} | ${letter} | 2 |`)).toBe(true);

    const studyX = aisle(['compare', ...ids, '--study-x', 'agent.alpha'], { db });
    expect(studyX.code).toBe(2);
    expect(studyX.stdout).toBe('');
    expect(studyX.stderr).toMatch(/^aisle: --study-x agent\.alpha: these groups are a search, not a grid .*leave out --study-x\n$/);
  });
});
