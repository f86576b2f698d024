// Compare's parameter study (src/shared/parameter-study.ts), on comparisons built by hand: which
// setting goes on x (a number in every group with 3 values or more; the one with the most; the
// user's choice when it can be), the log-scale rule (above 0, 2 decades or more), the points sorted
// by value, a line per value of the other setting, a group of one run as a point without an
// interval, and no study at all where there is nothing to put on x.
import { describe, expect, it } from 'vitest';
import { studentTMeanCI } from '../../src/engine/stats';
import { finalPerformanceRows } from '../../src/shared/compare-text';
import type { CompareGroup, CompareResult } from '../../src/shared/dto';
import { parameterStudy, parameterStudyJson, parameterStudyRows, parameterStudyText, settingName, studyAxisTitle } from '../../src/shared/parameter-study';

/** A group of a q-learning config with `agent` over the defaults, whose runs ended at `finals`. */
function group(agent: Record<string, unknown>, finals: readonly number[], env: Record<string, unknown> = {}): CompareGroup {
  const { mean, lo, hi } = studentTMeanCI(finals);
  return {
    runIds: finals.map((_, i) => i + 1),
    seeds: finals.map((_, i) => i),
    final: { values: [...finals], mean, meanLo: lo, meanHi: hi, iqm: mean, iqmLo: lo, iqmHi: hi },
    config: { env: { id: 'tabular-mdp', maxSteps: 200, ...env }, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1, ...agent }, episodes: 300 },
  } as unknown as CompareGroup;
}

function compared(groups: readonly CompareGroup[], differences: readonly string[]): Pick<CompareResult, 'groups' | 'differences'> {
  return { groups, differences };
}

const SEEDS = [-30, -26, -28];

describe('parameterStudy', () => {
  it('puts the one numeric setting that differs on x, its points sorted by value, each with its group’s mean and t interval', () => {
    // Launched out of order (0.5 first): the study reads by value, the tables by group.
    const groups = [group({ alpha: 0.5 }, [-20, -22, -21]), group({ alpha: 0.1 }, [-40, -35, -45]), group({ alpha: 0.3 }, SEEDS)];
    const study = parameterStudy(compared(groups, ['agent.alpha']))!;
    expect(study).toMatchObject({ x: 'agent.alpha', xChoices: ['agent.alpha'], logScale: false });
    expect(study.series).toBeUndefined();
    expect(study.points.map((p) => [p.x, p.group])).toEqual([
      [0.1, 1],
      [0.3, 2],
      [0.5, 0],
    ]);
    for (const p of study.points) {
      const f = groups[p.group]!.final;
      expect(p).toMatchObject({ n: 3, mean: f.mean, lo: f.meanLo, hi: f.meanHi });
    }
    expect(study.lines).toHaveLength(1);
    expect(study.lines[0]!.points).toBe(study.points);

    // The rows write the figures as the final-performance table writes its means, letters naming the groups.
    const table = finalPerformanceRows(groups);
    expect(parameterStudyRows(study, groups)).toEqual([
      ['0.1', 'B', '3', table[1]![2]!, table[1]![3]!],
      ['0.3', 'C', '3', table[2]![2]!, table[2]![3]!],
      ['0.5', 'A', '3', table[0]![2]!, table[0]![3]!],
    ]);
  });

  it('uses a log axis when the values are above 0 and span 2 decades or more, and says so', () => {
    const alphas = (values: number[]) => parameterStudy(compared(values.map((alpha) => group({ alpha }, SEEDS)), ['agent.alpha']))!;
    expect(alphas([0.001, 0.01, 0.1, 1]).logScale).toBe(true);
    expect(alphas([0.01, 0.1, 1]).logScale).toBe(true); // exactly 2 decades
    expect(alphas([0.02, 0.1, 1]).logScale).toBe(false); // 1.7 decades
    expect(alphas([0.1, 0.5, 1]).logScale).toBe(false);
    const withZero = parameterStudy(compared([0, 0.01, 1].map((epsilon) => group({ epsilon }, SEEDS)), ['agent.epsilon']))!;
    expect(withZero.logScale).toBe(false); // no log of 0
    expect(studyAxisTitle(alphas([0.001, 0.01, 1]))).toBe('alpha (agent.alpha), log scale');
    expect(studyAxisTitle(alphas([0.1, 0.5, 1]))).toBe('alpha (agent.alpha)');
    expect(parameterStudyText(alphas([0.001, 0.01, 1]), 'return')).toContain('against agent.alpha (log scale: its values span 2 decades or more)');
  });

  it('splits the points into a line per value of the second setting, named as the legend shows it', () => {
    const groups = [0.05, 0.2].flatMap((epsilon) => [0.5, 0.1, 0.3].map((alpha) => group({ alpha, epsilon }, SEEDS.map((s) => s - alpha * 10 - epsilon * 100))));
    const study = parameterStudy(compared(groups, ['agent.alpha', 'agent.epsilon']))!;
    expect(study).toMatchObject({ x: 'agent.alpha', series: 'agent.epsilon', xChoices: ['agent.alpha'] });
    expect(study.lines.map((l) => l.label)).toEqual(['epsilon=0.05', 'epsilon=0.2']);
    expect(study.lines.map((l) => l.points.map((p) => [p.x, p.series]))).toEqual([
      [
        [0.1, 0.05],
        [0.3, 0.05],
        [0.5, 0.05],
      ],
      [
        [0.1, 0.2],
        [0.3, 0.2],
        [0.5, 0.2],
      ],
    ]);
    // The table by x first, the series' values within.
    expect(parameterStudyRows(study, groups).map((r) => r.slice(0, 2))).toEqual([
      ['0.1', '0.05'],
      ['0.1', '0.2'],
      ['0.3', '0.05'],
      ['0.3', '0.2'],
      ['0.5', '0.05'],
      ['0.5', '0.2'],
    ]);
    expect(parameterStudyJson(study)).toEqual({ x: 'agent.alpha', series: 'agent.epsilon', logScale: false, points: study.points });
  });

  it('writes a setting’s numbers as Compare’s Configuration table does, in the legend, the axis’s points and the table: 30,000, not 30000', () => {
    const groups = [1000, 30000].flatMap((maxSteps) => [0.5, 0.1, 0.3].map((alpha) => group({ alpha }, SEEDS.map((s) => s - alpha * 10), { maxSteps })));
    const study = parameterStudy(compared(groups, ['agent.alpha', 'env.maxSteps']), 'agent.alpha')!;
    expect(study).toMatchObject({ x: 'agent.alpha', series: 'env.maxSteps' });
    expect(study.lines.map((l) => l.label)).toEqual(['maxSteps=1,000', 'maxSteps=30,000']);
    expect(parameterStudyRows(study, groups).map((r) => r.slice(0, 2))).toEqual([
      ['0.1', '1,000'],
      ['0.1', '30,000'],
      ['0.3', '1,000'],
      ['0.3', '30,000'],
      ['0.5', '1,000'],
      ['0.5', '30,000'],
    ]);
    // The JSON keeps the numbers.
    expect(parameterStudyJson(study)!.points.map((p) => p.series)).toEqual([1000, 30000, 1000, 30000, 1000, 30000]);
  });

  it('takes the setting with the most values for x, the other when the user asks for it, and a word for a series', () => {
    // alpha has 4 values, epsilon 3: alpha goes on x unless epsilon is asked for.
    const groups = [0.1, 0.2, 0.3, 0.4].flatMap((alpha) => [0.01, 0.1, 0.3].map((epsilon) => group({ alpha, epsilon }, SEEDS)));
    const study = parameterStudy(compared(groups, ['agent.epsilon', 'agent.alpha']))!;
    expect([study.x, study.series, study.xChoices]).toEqual(['agent.alpha', 'agent.epsilon', ['agent.alpha', 'agent.epsilon']]);
    expect(study.lines).toHaveLength(3);
    const swapped = parameterStudy(compared(groups, ['agent.epsilon', 'agent.alpha']), 'agent.epsilon')!;
    expect([swapped.x, swapped.series, swapped.logScale]).toEqual(['agent.epsilon', 'agent.alpha', false]);
    expect(swapped.lines.map((l) => l.label)).toEqual(['alpha=0.1', 'alpha=0.2', 'alpha=0.3', 'alpha=0.4']);
    expect(swapped.points.map((p) => p.x)).toEqual([0.01, 0.01, 0.01, 0.01, 0.1, 0.1, 0.1, 0.1, 0.3, 0.3, 0.3, 0.3]);
    // A setting that cannot go on x (or none at all) leaves the study's own choice.
    expect(parameterStudy(compared(groups, ['agent.epsilon', 'agent.alpha']), 'agent.gamma')!.x).toBe('agent.alpha');

    // A setting of words is a series, never an x; its lines in the order of their text.
    const agents = ['sarsa', 'q-learning'].flatMap((id) => [0.1, 0.3, 0.5].map((alpha) => group({ id, alpha }, SEEDS)));
    const byAgent = parameterStudy(compared(agents, ['agent.id', 'agent.alpha']))!;
    expect([byAgent.x, byAgent.series, byAgent.xChoices]).toEqual(['agent.alpha', 'agent.id', ['agent.alpha']]);
    expect(byAgent.lines.map((l) => l.label)).toEqual(['id=q-learning', 'id=sarsa']);
    expect(settingName('env.maxSteps')).toBe('maxSteps');
    expect(settingName('episodes')).toBe('episodes');
  });

  it('gives a group of one run its point without an interval, and says so', () => {
    const groups = [group({ alpha: 0.1 }, [-40]), group({ alpha: 0.3 }, SEEDS), group({ alpha: 0.5 }, [-20])];
    const study = parameterStudy(compared(groups, ['agent.alpha']))!;
    expect(study.points.map((p) => [p.n, p.lo, p.hi === null])).toEqual([
      [1, null, true],
      [3, groups[1]!.final.meanLo, false],
      [1, null, true],
    ]);
    // Its mean with the decimals of the table's column (the intervals of the others ask for them).
    const table = finalPerformanceRows(groups);
    expect(parameterStudyRows(study, groups)[0]).toEqual(['0.1', 'A', '1', table[0]![2]!, 'n/a (1 run)']);
    expect(table[0]![2]).toBe('-40.000');
    expect(parameterStudyText(study, 'return')).toContain('2 of the groups have one run, a point without an interval');
    const allOne = parameterStudy(compared([0.1, 0.3, 0.5].map((alpha) => group({ alpha }, [-30])), ['agent.alpha']))!;
    expect(parameterStudyText(allOne, 'return')).toContain('every group has one run, a point without an interval');
    expect(parameterStudyText(parameterStudy(compared([0.1, 0.3, 0.5].map((alpha) => group({ alpha }, SEEDS)), ['agent.alpha']))!, 'return')).not.toContain('one run');
  });

  it('is null when there is nothing to put on x: words, two values, three settings, or two groups at one point', () => {
    const none = (groups: CompareGroup[], differences: string[]) => parameterStudy(compared(groups, differences));
    // Two values make a difference, not a curve.
    expect(none([0.1, 0.5].map((alpha) => group({ alpha }, SEEDS)), ['agent.alpha'])).toBeNull();
    expect(none([0.1, 0.5].flatMap((alpha) => [0.05, 0.2].map((epsilon) => group({ alpha, epsilon }, SEEDS))), ['agent.alpha', 'agent.epsilon'])).toBeNull();
    // Three agents: words.
    expect(none(['q-learning', 'sarsa', 'expected-sarsa'].map((id) => group({ id }, SEEDS)), ['agent.id'])).toBeNull();
    // Three settings differ: no two-dimensional picture holds them.
    const three = [0.1, 0.3, 0.5].map((alpha, i) => group({ alpha, epsilon: [0.05, 0.1, 0.2][i], gamma: [0.9, 0.95, 0.99][i] }, SEEDS));
    expect(none(three, ['agent.alpha', 'agent.epsilon', 'agent.gamma'])).toBeNull();
    // Not a number in every group (a schedule object in one, or missing in one).
    expect(none([group({ alpha: 0.1 }, SEEDS), group({ alpha: 0.3 }, SEEDS), group({ alpha: '0.5' }, SEEDS)], ['agent.alpha'])).toBeNull();
    // One group, or none differing.
    expect(none([group({}, SEEDS)], [])).toBeNull();
    // Two groups with the same value of every setting shown would be one point.
    expect(none([0.1, 0.3, 0.5, 0.5].map((alpha) => group({ alpha }, SEEDS)), ['agent.alpha'])).toBeNull();
  });
});
