// `aisle compare` end to end: the same statistics as the app's Compare (one service function),
// printed as tables with verdicts, whole as JSON, or as a Markdown report; bad selections exit 2
// with one line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/shared/dto';
import { Store } from '../../src/main/store';
import { aisle, ROOT, unwrapped } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const cliffMdp = join(ROOT, 'resources/experiments/cliff.mdp.json');

function experiment(dir: string, name: string, agent: Record<string, unknown>, seeds: number): string {
  const file = join(dir, `${name}.json`);
  const env = { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 200 };
  writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name, env, agent: { gamma: 1, epsilon: 0.1, ...agent }, episodes: 300, seeds }));
  return file;
}

describe('aisle compare', () => {
  it("--json gives each cell's verdict as the tables print it, so a script need not rebuild the rules", () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    // Exploring half the time next to the cliff costs far more than 5 % does: 5 runs against 5 can show it.
    for (const [name, epsilon] of [
      ['careful', 0.05],
      ['reckless', 0.5],
    ] as const) {
      const r = aisle(['run', experiment(dir, name, { id: 'q-learning', alpha: 0.5, epsilon }, 5)], { db });
      expect(r.code, r.stderr).toBe(0);
    }
    const json = aisle(['--json', 'compare', '1', '2'], { db });
    expect(json.code, json.stderr).toBe(0);
    const { verdicts } = JSON.parse(json.stdout) as { verdicts: unknown };
    // With the test the verdict rests on: 5 runs all above 5, p = 2 / C(10, 5); one pair, so no correction.
    const test = { mannWhitneyP: expect.closeTo(2 / 252, 14), holmP: expect.closeTo(2 / 252, 14), pairs: 1 };
    expect(verdicts).toEqual([
      [null, { verdict: 'better', test }],
      [{ verdict: 'worse', test }, null],
    ]);
    const text = aisle(['compare', '1', '2'], { db });
    expect(text.stdout).toMatch(/^A\s{2,}–\s{2,}1 \[1, 1\] better$/m);
    expect(text.stdout).toMatch(/^B\s{2,}0 \[0, 0\] worse\s{2,}–$/m);
  });

  it('prints final performance, the improvement matrix with verdicts, and the differing settings', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    for (const [name, agent] of [
      ['q', { id: 'q-learning', alpha: 0.5 }],
      ['sarsa', { id: 'sarsa', alpha: 0.5 }],
    ] as const) {
      const r = aisle(['run', experiment(dir, name, agent, 3)], { db });
      expect(r.code, r.stderr).toBe(0);
    }
    const json = aisle(['--json', 'compare', '1', '2', '--final-window', '50'], { db });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as CompareResult & { verdicts: unknown };
    expect(result).toMatchObject({ metric: 'return', finalWindow: 50, differences: ['agent.id'] });
    expect(result.groups.map((g) => [g.label, g.runIds.length])).toEqual([
      ['q · q-learning', 3],
      ['sarsa · sarsa', 3],
    ]);

    const text = aisle(['compare', '1', '2', '--final-window', '50'], { db });
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    // The heading sentence, wrapped at the output's width (100 off a terminal), words whole.
    expect(lines.slice(0, 3)).toEqual([
      "return: a run's final value is its mean over its last 50 episodes; 95 % CIs: Student's t for the",
      'mean, percentile bootstrap for the IQM and P(X > Y) (rliable, 2,000 resamples, seed 0)',
      '',
    ]);
    expect(Math.max(...lines.filter((l) => !l.startsWith('───')).map((l) => l.length))).toBeLessThanOrEqual(100);
    // Each group's row carries the JSON's numbers.
    result.groups.forEach((g, i) => {
      const row = lines.find((l) => l.startsWith(`${'AB'[i]}  ${g.label}`))!;
      expect(row, text.stdout).toBeDefined();
      const cells = row.slice(`${'AB'[i]}  ${g.label}`.length).trim().split(/\s{2,}/);
      expect(cells[0]).toBe('3');
      expect(cells[1]).toBe('0–2');
      expect(Number(cells[2])).toBeCloseTo(g.final.mean, 3);
      expect(Number(cells[4])).toBeCloseTo(g.final.iqm, 3);
    });
    // P(A > B) and P(B > A) as the JSON has them; 3 runs against 3 cannot reach the 5 % level
    // whatever the interval, so neither cell is called better or worse, and the output says why.
    const cell = result.improvement[0]![1]!;
    const rowA = lines.find((l) => /^A\s{2,}–/.test(l))!;
    expect(rowA).toContain(`[${Number(cell.lo.toPrecision(3))}, ${Number(cell.hi.toPrecision(3))}]`);
    expect(rowA.trimEnd().endsWith('no verdict')).toBe(true);
    expect(text.stdout).not.toMatch(/\b(better|worse)$/m);
    expect(text.stdout).toContain('no verdict: 3 against 3 runs cannot reach the 5 % level;');
    // Three runs a group: the caution about complete separation.
    expect(text.stdout).toContain('Few runs: the smallest groups here have 3 and 3.');
    expect(text.stdout).toContain('settings that differ: agent.id');

    // The JSON carries the verdicts too: none here, and why, as the tables say.
    expect(result.verdicts).toEqual([
      [null, { verdict: null, withheld: expect.stringMatching(/^no verdict: 3 against 3 runs cannot reach the 5 % level;/) }],
      [{ verdict: null, withheld: expect.stringMatching(/^no verdict: 3 against 3 runs/) }, null],
    ]);

    // --markdown: the report, its rows carrying the tables' very figures, its caveats the same words.
    const markdown = aisle(['compare', '1', '2', '--final-window', '50', '--markdown'], { db });
    expect(markdown.code, markdown.stderr).toBe(0);
    const report = markdown.stdout.split('\n');
    expect(report[0]).toBe('# Aisle comparison: return, 2 groups');
    expect(markdown.stdout).toContain('Compared: experiments #1 “q”, #2 “sarsa”.');
    expect(report).toContain('| group | runs | seeds | mean | mean 95% CI (t) | IQM | IQM 95% CI (bootstrap) |');
    result.groups.forEach((g, i) => {
      const textCells = lines.find((l) => l.startsWith(`${'AB'[i]}  ${g.label}`))!.slice(`${'AB'[i]}  ${g.label}`.length).trim().split(/\s{2,}/);
      expect(report).toContain(`| ${'AB'[i]} · ${g.label} | ${textCells.join(' | ')} |`);
    });
    expect(report.find((l) => l.startsWith('| A | – | '))).toMatch(/ no verdict \|$/);
    expect(markdown.stdout).toContain('Few runs: the smallest groups here have 3 and 3.');
    expect(report).toContain('| agent.id | q-learning | sarsa |');

    // The first experiment launched again: its runs repeat runs 1–3 and count once.
    expect(aisle(['run', experiment(dir, 'q', { id: 'q-learning', alpha: 0.5 }, 3)], { db }).code).toBe(0);
    const again = aisle(['compare', '1', '3'], { db });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^A {2}q · q-learning +3 +0–2 /m);
    expect(again.stdout).toContain('Counted once: these runs repeat a configuration and seed already compared');
    expect(again.stdout).toContain('  run 7 repeats run 1 (seed 0)\n  run 8 repeats run 2 (seed 1)\n  run 9 repeats run 3 (seed 2)\n');
    expect(again.stdout).not.toContain('warning:'); // one environment

    // Runs as ranges, as the app's run box takes them: the same groups as the experiments' ids.
    const groupsOf = (args: string[]) => (JSON.parse(aisle(['--json', 'compare', ...args], { db }).stdout) as CompareResult).groups.map((g) => g.runIds);
    expect(groupsOf(['--runs', '1-3', '4..6'])).toEqual(groupsOf(['1', '2']));
    const backwards = aisle(['compare', '--runs', '6-4'], { db });
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--runs: "6-4" is not a range of ids: write the lower first, e.g. 4-6\n');
    expect(aisle(['compare', '--runs', '1-5000'], { db }).stderr).toContain('names 5,000 ids, more than 1,000 in one range: give a shorter one');

    // One run a group: no matrix of 0s and 1s without intervals, one line instead (--json keeps it).
    const singles = aisle(['compare', '--runs', '1', '4'], { db });
    expect(singles.code, singles.stderr).toBe(0);
    expect(singles.stdout.replace(/\s+/g, ' ')).toContain('probability of improvement: left out, as every group has 1 run and no pair of runs can tell a difference from chance: give each 5+ seeds to compare (--json has the matrix)');
    expect(singles.stdout).not.toMatch(/^A {2,}– /m);
    expect(singles.stdout).toContain('settings that differ: agent.id');
    expect((JSON.parse(aisle(['--json', 'compare', '--runs', '1', '4'], { db }).stdout) as CompareResult).improvement).toHaveLength(2);

    // A bandit beside the cliff: the returns are not on one scale, and the output says so first.
    const bandit = join(dir, 'bandit.json');
    writeFileSync(bandit, JSON.stringify({ format: 'aisle.experiment/v1', name: 'arms', env: { id: 'bandit-testbed' }, agent: { id: 'ucb1' }, episodes: 100, seeds: 3 }));
    expect(aisle(['run', bandit], { db }).code).toBe(0);
    // One run of the cliff against the bandit: no interval from one run, no verdict across environments.
    const single = aisle(['compare', '4', '--runs', '1'], { db });
    expect(single.code, single.stderr).toBe(0);
    expect(single.stdout).toMatch(/^[AB] {2}q · q-learning +1 +0 +\S+ +n\/a \(1 run\) +\S+ +n\/a \(1 run\)$/m);
    expect(single.stdout).toContain('no verdict: a group has 1 run, too few to tell a difference from chance');
    expect(single.stdout).not.toMatch(/\b(better|worse)$/m);
    // --json as the text: no interval (null), where a zero-width one (lo = hi = the value) read as certainty.
    const singleJson = JSON.parse(aisle(['--json', 'compare', '4', '--runs', '1'], { db }).stdout) as CompareResult;
    const one = singleJson.groups.find((g) => g.runIds.length === 1)!;
    expect(one.final).toMatchObject({ meanLo: null, meanHi: null, iqmLo: null, iqmHi: null });
    // Nor a band around its curve: null at every point, as the final interval.
    expect([...one.lo, ...one.hi].every((v) => v === null)).toBe(true);
    expect(singleJson.groups.find((g) => g.runIds.length > 1)!.lo.every((v) => typeof v === 'number')).toBe(true);
    const tasks = aisle(['compare', '1', '4'], { db });
    expect(tasks.code, tasks.stderr).toBe(0);
    // The warning comes right after the heading sentence (both wrapped: rejoined here).
    const paragraphs = tasks.stdout.split('\n\n')[0]!.replace(/\n/g, ' ');
    expect(paragraphs.slice(paragraphs.indexOf('warning:'))).toBe(
      'warning: These groups run on different environments (tabular-mdp, bandit-testbed): a return in one is not on the scale of another, ' +
        'so the shared axis, the ranking and the probability of improvement compare tasks, not agents. Compare agents on one environment. ' +
        // The bandit trained 100 episodes, the cliff 300: their final windows sit at different points of training too.
        "warning: These groups trained for different numbers of episodes (100 and 300): the final value, a run's mean over its last 100 episodes, " +
        'sits at a different point of training in each group, so a difference is partly how long each trained. Compare them at a common episode count: ' +
        'rerun the groups with the same number of episodes.',
    );
  });

  it('refuses an empty selection, an unknown experiment and a metric no run records, exit 2 and one line', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', experiment(dir, 'q', { id: 'q-learning', alpha: 0.5 }, 1)], { db }).code).toBe(0);
    const none = aisle(['compare'], { db });
    expect([none.code, none.stderr]).toEqual([2, 'aisle: nothing to compare: name experiments (aisle compare 1 2) or runs (--runs 3 4 5); `aisle experiments` lists them\n']);
    const unknown = aisle(['compare', '9'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/experiment 9/);
    const metric = aisle(['compare', '--runs', '1', '--metric', 'loss'], { db });
    expect(metric.code).toBe(2);
    expect(metric.stderr).toBe('aisle: --metric: "loss" is recorded by none of the selected runs: choose one of length, return, train/epsilon\n');
    // --markdown and --json both say what to print: a usage error, whichever comes first.
    for (const args of [['compare', '1', '--markdown', '--json'], ['--json', 'compare', '1', '--markdown']]) {
      const both = aisle(args, { db });
      expect(both.code).toBe(2);
      expect(both.stderr).toBe('aisle: --markdown and --json both choose what is printed: give one of them\n');
    }
    const bad = aisle(['compare', 'x'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/experimentId must be a whole number/);
  });

  it('says which experiment named is left out for having no stored episodes, rather than dropping it silently', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', experiment(dir, 'q', { id: 'q-learning', alpha: 0.5 }, 1)], { db }).code).toBe(0);
    // An experiment whose runs never started (the process that queued them was killed).
    const store = Store.open(db);
    // Its settings as a launch stores them: commands check a stored config as `aisle again` does.
    const settings = { env: { id: 'seed-toy' }, agent: { id: 'q-learning' }, episodes: 300 };
    const config = { format: 'aisle.experiment/v1', name: 'never started', ...settings, seeds: [0, 1] };
    const spec = { seed: 0, config: { ...settings, seed: 0 }, configHash: 'f'.repeat(64), appVersion: 'test', episodesTotal: 300 };
    const { experiment: queued } = store.createExperimentWithRuns({ name: 'never started', config, configHash: 'f'.repeat(64), runs: [spec, { ...spec, seed: 1, config: { ...settings, seed: 1 } }] });
    store.db.prepare("UPDATE runs SET status = 'interrupted' WHERE experiment_id = ?").run(queued.id);
    store.close();
    for (const json of [[], ['--json']]) {
      const r = aisle([...json, 'compare', '1', String(queued.id)], { db });
      expect(r.code, r.stderr).toBe(0);
      expect(unwrapped(r.stderr)).toBe(`aisle: warning: experiment ${queued.id} "never started" is left out: none of its 2 runs (2 interrupted) stored an episode: train it again to compare it: aisle --db ${db} again ${queued.id}\n`);
    }
    // Named alone, it is the reason there is nothing to compare, in those words.
    const alone = aisle(['compare', String(queued.id)], { db });
    expect([alone.code, alone.stderr]).toEqual([2, `aisle: experiment ${queued.id} "never started": none of its 2 runs (2 interrupted) stored an episode: train it again to compare it: aisle --db ${db} again ${queued.id}\n`]);
  });
});

describe('runs with no value of the metric in their final window', () => {
  it('are named in a warning and left out of the runs counted, "1 of 2", where they counted as runs silently', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    // Seed 1's run never records train/loss: its learning starts after its last transition. Seed 0's does.
    const file = join(dir, 'dqn.json');
    const env = { id: 'tabular-mdp', mdp: cliffMdp, maxSteps: 50 };
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'dqn', env, agent: { id: 'dqn', gamma: 0.99, learningStarts: 100, batchSize: 8, hidden: [8] }, episodes: 4, seeds: 1 }));
    expect(aisle(['run', file], { db }).code).toBe(0);
    writeFileSync(file, JSON.stringify({ format: 'aisle.experiment/v1', name: 'dqn late', env, agent: { id: 'dqn', gamma: 0.99, learningStarts: 100_000, batchSize: 8, hidden: [8] }, episodes: 4, seeds: 1 }));
    expect(aisle(['run', file], { db }).code).toBe(0);
    const r = aisle(['compare', '1', '2', '--metric', 'train/loss'], { db, env: { COLUMNS: '200' } });
    expect(r.code, r.stderr).toBe(0);
    expect(unwrapped(r.stdout)).toContain('warning: Run 2 has no finite value of train/loss in its last 100 episodes: left out of the final values and their statistics (the runs column counts the others)');
    expect(r.stdout).toMatch(/^B {2}dqn late · dqn {2}0 of 1 /m);
    const json = aisle(['compare', '1', '2', '--metric', 'train/loss', '--json'], { db });
    const result = JSON.parse(json.stdout) as CompareResult;
    expect(result.groups.map((g) => g.final.values.map((v) => v === null))).toEqual([[false], [true]]);
  });
});

describe('a run of an experiment named that stored no episode', () => {
  it('is left out with a warning naming it, the others compared; named with --runs it is refused', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    expect(aisle(['run', experiment(dir, 'q', { id: 'q-learning', alpha: 0.5 }, 3)], { db }).code).toBe(0);
    // Run 3 as one cancelled before its first episode leaves it.
    const store = Store.open(db);
    store.db.prepare("UPDATE runs SET status = 'cancelled', episodes_done = 0 WHERE id = 3").run();
    store.close();
    for (const json of [[], ['--json']]) {
      const r = aisle([...json, 'compare', '1'], { db });
      expect(r.code, r.stderr).toBe(0);
      expect(unwrapped(r.stderr)).toBe('aisle: warning: experiment 1 "q": run 3 (cancelled) is left out: it stored no episode\n');
      if (json.length > 0) expect((JSON.parse(r.stdout) as { groups: { runIds: number[] }[] }).groups.map((g) => g.runIds)).toEqual([[1, 2]]);
    }
    const named = aisle(['compare', '--runs', '1', '2', '3'], { db });
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/run 3 has no stored episodes \(it is cancelled\)/);
  });
});

describe('differencesText', () => {
  it('counts the settings of different environments rather than listing them, and names at most 12', async () => {
    const { differencesText } = await import('../../src/cli/compare');
    expect(differencesText([])).toBe('none shown');
    expect(differencesText(['agent.alpha', 'env.maxSteps'])).toBe('agent.alpha, env.maxSteps');
    expect(differencesText(['agent.id', 'env.id', 'env.items', 'env.mdp', 'env.maxSteps'])).toBe('env.id (and 3 settings of the environments, not compared across environments), agent.id');
    const many = Array.from({ length: 20 }, (_, i) => `agent.p${i}`);
    expect(differencesText(many)).toBe(`${many.slice(0, 12).join(', ')}, … (20 in all; --json lists them)`);
  });
});
