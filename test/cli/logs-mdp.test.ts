// `aisle logs mdp` end to end: a simulator fitted to logs written here (clicks with known
// probabilities, uniform logging), an agent trained on it with `aisle run`, its policy exported and
// evaluated with `aisle ope --holdout` on the rows the fit left out; then the refusals (exit 2,
// the option named, nothing written).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMdp } from '../../src/engine/mdp/format';
import { Rng } from '../../src/engine/rng';
import { aisle as aisleWith, unwrapped } from '../helpers/cli';
import { heldOut } from '../helpers/logs-csv';
import { plural } from '../../src/shared/text';
import { sharedData } from '../helpers/shared-data';

const dir = mkdtempSync(join(tmpdir(), 'aisle-logs-mdp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aisle = (args: string[], env: Record<string, string> = {}) => aisleWith(args, { db: join(dir, 'aisle.db'), cwd: dir, env });

/** P(click | position, item): item 2 is best at position 1, item 0 at position 2. */
const THETA = [
  [0.1, 0.1, 0.6],
  [0.5, 0.1, 0.1],
];
const ROWS = 1500;
/** How many of the rows `--holdout 3` sets aside (the engine's own split). */
const HELD = heldOut(ROWS, 3).filter(Boolean).length;

const LOGS = join(dir, 'logs.csv');
{
  const rng = new Rng(17);
  const lines = ['position,item,click,pscore'];
  for (let i = 0; i < ROWS; i++) {
    const position = 1 + rng.int(2);
    const item = rng.int(3);
    lines.push(`${position},${item},${rng.next() < THETA[position - 1]![item]! ? 1 : 0},${1 / 3}`);
  }
  writeFileSync(LOGS, `${lines.join('\n')}\n`);
}

describe('aisle logs mdp', () => {
  it('fits a simulator on all but 1 row in 3; an agent trained on it, evaluated on those rows, beats uniform', () => {
    const fit = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'sim.mdp.json', '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    const summary = JSON.parse(fit.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ states: 4, actions: 3, rowsRead: ROWS, rowsKept: ROWS, rowsFitted: ROWS - HELD, holdout: 3, rewards: 'bernoulli', priorStrength: 1 });
    expect(summary.best as number).toBeGreaterThan(summary.logged as number);
    const mdp = parseMdp(JSON.parse(readFileSync(join(dir, 'sim.mdp.json'), 'utf8')));
    expect(mdp.stateLabels).toEqual(['1', '2', '(end: 1)', '(end: 0)']);
    expect(mdp.actionLabels).toEqual(['0', '1', '2']);

    writeFileSync(
      join(dir, 'learn.json'),
      JSON.stringify({
        format: 'aisle.experiment/v1',
        name: 'learn from the logs',
        env: { id: 'tabular-mdp', mdp: 'sim.mdp.json', maxSteps: 1 },
        agent: { id: 'q-learning', alpha: 0.1, gamma: 0, epsilon: 0.2 },
        episodes: 4000,
        seeds: [3],
      }),
    );
    const run = aisle(['run', 'learn.json', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [trained] = (JSON.parse(run.stdout) as { runs: { runId: number; greedy: { normalizedScore: number } }[] }).runs;
    expect(trained!.greedy.normalizedScore).toBeGreaterThan(0.99); // the best item per position, under the model

    const exported = aisle(['export', String(trained!.runId), '-o', 'learned.json']);
    expect(exported.code, exported.stderr).toBe(0);
    const ope = aisle(['ope', 'logs.csv', '--holdout', '3', '--target', 'learned.json', '--target', 'uniform', '--resamples', '200', '--json']);
    expect(ope.code, ope.stderr).toBe(0);
    const report = JSON.parse(ope.stdout) as { logs: { rowsEvaluated: number; holdout: number }; targets: { spec: string; estimates: { ips: { point: number; lo: number; hi: number } } }[] };
    expect(report.logs).toMatchObject({ rowsEvaluated: HELD, holdout: 3 });
    const [learned, uniform] = report.targets;
    expect(learned!.spec).toBe('learned.json');
    // The learned policy shows each position's best item (true value (0.6 + 0.5) / 2); uniform
    // earns the mean click (≈ 0.25); the ~500 held-out rows tell them apart.
    expect(learned!.estimates.ips.lo).toBeGreaterThan(uniform!.estimates.ips.hi);
    expect(learned!.estimates.ips.point).toBeGreaterThan(0.45);
    expect(learned!.estimates.ips.point).toBeLessThan(0.65);
  });

  it('says in words what it wrote and how to use it, and prints the MDP without -o', () => {
    const text = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'text.mdp.json']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('a state per context, 2 (column "position") and two end states');
    expect(text.stdout).toContain(`fitted on ${(ROWS - HELD).toLocaleString('en-US')} rows of 1,500, ${HELD} rows held out (--holdout 3: each row by its own seeded draw, with chance 1 in 3; about 500 expected)`);
    expect(text.stdout).toContain('aisle ope logs.csv --holdout 3');
    expect(text.stdout).toContain('"mdp": "text.mdp.json", "maxSteps": 1');
    const printed = aisle(['logs', 'mdp', 'logs.csv', '--context-column', 'none', '--prior', '0']);
    expect(printed.code, printed.stderr).toBe(0);
    const mdp = parseMdp(JSON.parse(printed.stdout));
    expect(mdp.stateLabels).toEqual(['(no context)', '(end: 1)', '(end: 0)']);
    // Into a stream the MDP has no path an experiment could name: the line said `"mdp": "/dev/stdout"`.
    const streamed = aisle(['logs', 'mdp', 'logs.csv', '--context-column', 'none', '--prior', '0', '-o', '/dev/stdout']);
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(parseMdp(JSON.parse(streamed.stdout)).stateLabels).toEqual(mdp.stateLabels);
    expect(streamed.stderr).toContain('"mdp": "<sim.mdp.json>", "maxSteps": 1');
    expect(streamed.stderr).not.toContain('"mdp": "/dev/stdout"');
  });

  it('--experiment also writes an experiment on the simulator, by its relative path, that aisle run trains', () => {
    const r = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'sims/sim.mdp.json', '--experiment', 'exp/learn.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { path: string; experimentPath: string };
    expect(summary.experimentPath).toBe(join(dir, 'exp', 'learn.json'));
    const experiment = JSON.parse(readFileSync(join(dir, 'exp', 'learn.json'), 'utf8')) as { env: Record<string, unknown>; agent: Record<string, unknown>; episodes: number; description: string };
    expect(experiment.env).toEqual({ id: 'tabular-mdp', mdp: '../sims/sim.mdp.json', maxSteps: 1 });
    expect(experiment.agent).toMatchObject({ id: 'q-learning', gamma: 0 });
    expect(experiment.episodes).toBe(2000 * 2 * 3); // 2,000 per context and action
    expect(experiment.description).toContain('aisle ope logs.csv --holdout 3 --target policy.json');
    expect(experiment).toMatchObject({ name: 'learn from logs.csv', seeds: 5 });
    // The rows and the prior it was fitted with are recorded, and repeated in the command that evaluates on the rows held out.
    const some = aisle(['logs', 'mdp', 'logs.csv', '--where', 'position=1', '--prior', '100', '--holdout', '3', '-o', 'some.mdp.json', '--experiment', 'some.json']);
    expect(some.code, some.stderr).toBe(0);
    const filtered = JSON.parse(readFileSync(join(dir, 'some.json'), 'utf8')) as { description: string };
    expect(filtered.description).toMatch(/^Q-learning on a simulator fitted to logs\.csv \(the rows with position=1; [\d,]+ rows fitted, 1 row in 3 held out; prior 100 pseudo-rows; 1 context × 3 actions\): one decision per episode\./);
    expect(filtered.description).toContain('`aisle ope logs.csv --where position=1 --holdout 3 --prior 100 --target policy.json`');
    const run = aisle(['run', 'exp/learn.json', '--seeds', '1', '--episodes', '3000', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [trained] = (JSON.parse(run.stdout) as { runs: { status: string; greedy: { optimalReturn: number } }[] }).runs;
    expect(trained!.status).toBe('completed');
    expect(trained!.greedy.optimalReturn).toBeGreaterThan(0.4); // (0.6 + 0.5) / 2 in truth; the fit's estimate

    // The experiment names the MDP: without -o there is nothing to name, and both are written or neither.
    const alone = aisle(['logs', 'mdp', 'logs.csv', '--experiment', 'alone.json']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--experiment: the experiment refers to the MDP file: give -o/);
    // Nor when -o is a stream: the experiment named the MDP '../../dev/stdout', which `aisle run` then read.
    for (const stream of ['/dev/stdout', '/dev/null']) {
      const streamed = aisle(['logs', 'mdp', 'logs.csv', '-o', stream, '--experiment', 'streamed.json']);
      expect(streamed).toMatchObject({ code: 2, stdout: '' });
      expect(streamed.stderr).toBe(`aisle: --experiment: the experiment refers to the MDP by its file, and -o ${stream} is a stream (a pipe, a terminal or standard output), not a file: give -o a file, -o <sim.mdp.json>\n`);
    }
    expect(existsSync(join(dir, 'streamed.json'))).toBe(false);
    const blocked = aisle(['logs', 'mdp', 'logs.csv', '-o', 'both.mdp.json', '--experiment', 'exp']); // a folder
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toMatch(/--experiment exp: is a folder/);
    expect(existsSync(join(dir, 'both.mdp.json'))).toBe(false);
    expect(existsSync(join(dir, 'alone.json'))).toBe(false);
  });

  it('a policy learned on the simulator carries the rows fitted, and aisle ope warns on stderr when it scores them, not on the rows held out', () => {
    const fit = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'own.mdp.json', '--experiment', 'own.json']);
    expect(fit.code, fit.stderr).toBe(0);
    const experiment = JSON.parse(readFileSync(join(dir, 'own.json'), 'utf8')) as { fittedTo: { envHash: string } };
    expect(experiment.fittedTo).toEqual({ logs: 'logs.csv', where: {}, holdout: 3, rows: ROWS - HELD, envHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const run = aisle(['run', 'own.json', '--seeds', '1', '--episodes', '2000', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [trained] = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs;
    const exported = aisle(['export', String(trained!.runId), '-o', 'own-policy.json']);
    expect(exported.code, exported.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(join(dir, 'own-policy.json'), 'utf8')) as { env: { hash: string }; provenance: Record<string, unknown> };
    expect(policy.provenance.fittedTo).toEqual(experiment.fittedTo);
    // The environment fitted, as the file names its MDP, is the one the run trained in.
    expect(policy.env.hash).toBe(experiment.fittedTo.envHash);

    // Every row scored: the 2/3 it was fitted on are among them, counted, with the options that score the others.
    const all = aisle(['ope', 'logs.csv', '--target', 'own-policy.json', '--resamples', '50']);
    expect(all.code, all.stderr).toBe(0);
    const n = (x: number) => x.toLocaleString('en-US');
    const warning = unwrapped(all.stderr);
    expect(warning).toMatch(new RegExp(`^aisle: warning: own-policy\\.json was learned on a simulator fitted to ${n(ROWS - HELD)} of the ${n(ROWS)} rows scored \\(logs\\.csv, every row, ${n(ROWS - HELD)} rows fitted, 1 row in 3 held out\\)`));
    expect(warning).toContain('score it on the rows the fit held out: `aisle ope logs.csv --holdout 3 …`');
    expect(warning.split('\n')).toHaveLength(2); // one warning, then the end of the output
    expect(all.stdout).not.toContain('fitted to');
    // Wrapped to the output width as stdout's sentences are, every word kept; --json as it was.
    const narrow = aisle(['ope', 'logs.csv', '--target', 'own-policy.json', '--resamples', '50'], { COLUMNS: '60' });
    const lines = narrow.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(unwrapped(narrow.stderr)).toBe(warning);
    const json = (columns: string) => aisle(['ope', 'logs.csv', '--target', 'own-policy.json', '--resamples', '50', '--json'], { COLUMNS: columns }).stdout;
    expect(json('60')).toBe(json('100000'));
    // Another holdout scores rows of both parts: those fitted are counted among them.
    const other = aisle(['ope', 'logs.csv', '--holdout', '2', '--target', 'own-policy.json', '--resamples', '50', '--json']);
    expect(other.code, other.stderr).toBe(0);
    const [overlap] = (JSON.parse(other.stdout) as { fitOverlaps: { fitted: number; scored: number }[] }).fitOverlaps;
    const fitted = heldOut(ROWS, 3).filter((held, i) => !held && heldOut(ROWS, 2)[i]).length;
    expect(overlap).toMatchObject({ fitted, scored: heldOut(ROWS, 2).filter(Boolean).length });
    expect(unwrapped(other.stderr)).toContain(`fitted to ${n(fitted)} of the ${n(overlap!.scored)} rows scored`);
    // The rows the fit held out: nothing to say.
    const held = aisle(['ope', 'logs.csv', '--holdout', '3', '--target', 'own-policy.json', '--resamples', '50']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stderr).toBe('');

    // A policy exported before fits were recorded: which rows it learned from is not known, and it says so.
    const { fittedTo: _fittedTo, ...older } = policy.provenance;
    writeFileSync(join(dir, 'older-policy.json'), JSON.stringify({ ...policy, provenance: older }));
    const old = aisle(['ope', 'logs.csv', '--target', 'older-policy.json', '--resamples', '50']);
    expect(old.code, old.stderr).toBe(0);
    expect(unwrapped(old.stderr)).toMatch(/^aisle: warning: older-policy\.json was learned in the experiment "learn from logs\.csv" on a simulator fitted to these logs, and exported before Aisle recorded which of their rows a fit used/);
  });

  it('aisle run on an experiment whose env was edited after the fit says once that its fittedTo no longer applies, and its policies do not carry it', () => {
    const fit = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'edited.mdp.json', '--experiment', 'edited.json']);
    expect(fit.code, fit.stderr).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'edited.json'), 'utf8')) as { env: Record<string, unknown>; fittedTo: Record<string, unknown> };
    const policyOf = (experiment: string, seeds: string[] = []) => {
      const run = aisle(['run', experiment, '--seeds', '1', '--episodes', '200', '--json', ...seeds]);
      expect(run.code, run.stderr).toBe(0);
      const [trained] = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs;
      const out = `${experiment}-policy.json`;
      expect(aisle(['export', String(trained!.runId), '-o', out]).code).toBe(0);
      return { stderr: run.stderr, provenance: (JSON.parse(readFileSync(join(dir, out), 'utf8')) as { provenance: Record<string, unknown> }).provenance };
    };
    writeFileSync(join(dir, 'edited.json'), JSON.stringify({ ...file, env: { ...file.env, maxSteps: 2 } }));
    const edited = policyOf('edited.json');
    expect(unwrapped(edited.stderr).match(/no longer applies/g)).toHaveLength(1);
    expect(unwrapped(edited.stderr)).toMatch(/^aisle: warning: fittedTo: no longer applies: it records the rows of logs\.csv a simulator was fitted to, and env is no longer that simulator .*so it was not copied/m);
    expect(edited.provenance).not.toHaveProperty('fittedTo');
    // A sweep of the env: each experiment's fingerprint, and so its words, differ; it is said once all the same, as the app's launch replies it.
    const swept = aisle(['run', 'edited.json', '--seeds', '1', '--episodes', '20', '--set', 'env.maxSteps=2,3', '--json']);
    expect(swept.code, swept.stderr).toBe(0);
    expect(unwrapped(swept.stderr).match(/no longer applies/g)).toHaveLength(1);
    // Written before fits named their environment: kept, as it was then.
    const { envHash: _envHash, ...older } = file.fittedTo;
    writeFileSync(join(dir, 'older.json'), JSON.stringify({ ...file, env: { ...file.env, maxSteps: 2 }, fittedTo: older }));
    const old = policyOf('older.json');
    expect(old.stderr).not.toContain('fittedTo');
    expect(old.provenance.fittedTo).toEqual(older);
  });

  it("the aisle ope it says to run on the rows held out runs as printed on logs with columns of their own names", () => {
    // The same logs, their columns named as a team's own logs might be: read only with the column options.
    const [, ...rows] = readFileSync(LOGS, 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'own-columns.csv'), `${['slot,shown,clicked,prob', ...rows].join('\n')}\n`);
    const columns = ['--action-column', 'shown', '--reward-column', 'clicked', '--propensity-column', 'prob', '--context-column', 'slot'];
    const fit = aisle(['logs', 'mdp', 'own-columns.csv', ...columns, '--where', 'slot=1', '--prior', '10', '--holdout', '3', '-o', 'own-columns.mdp.json', '--experiment', 'own-columns.json']);
    expect(fit.code, fit.stderr).toBe(0);
    const { description } = JSON.parse(readFileSync(join(dir, 'own-columns.json'), 'utf8')) as { description: string };
    const expected = `aisle ope own-columns.csv --where slot=1 ${columns.join(' ')} --holdout 3 --prior 10 --target policy.json`;
    for (const said of [fit.stdout, description]) {
      const command = /`(aisle ope [^`]*)`/.exec(said)?.[1];
      expect(command).toBe(expected);
      // Run as printed (uniform in place of the policy file the user would have exported).
      const ope = aisle([...command!.replace('policy.json', 'uniform').split(' ').slice(1), '--resamples', '50', '--json']);
      expect(ope.code, ope.stderr).toBe(0);
      expect((JSON.parse(ope.stdout) as { logs: { holdout: number } }).logs.holdout).toBe(3);
    }
  });

  it('--holdout-last p fits on the rows before the last p % and aisle ope --holdout-last p evaluates on exactly those', () => {
    const fit = aisle(['logs', 'mdp', 'logs.csv', '--holdout-last', '20%', '-o', 'last.mdp.json', '--experiment', 'last.json', '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    const summary = JSON.parse(fit.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ rowsKept: ROWS, rowsFitted: ROWS - 300, holdoutLast: 20 });
    expect(summary.holdout).toBeUndefined();
    const clicks = readFileSync(LOGS, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[2]));
    // Logged mean on the rows fitted: the first 1,200; on those held out: the last 300.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(summary.logged as number).toBeCloseTo(mean(clicks.slice(0, ROWS - 300)), 12);
    const experiment = JSON.parse(readFileSync(join(dir, 'last.json'), 'utf8')) as { description: string };
    expect(experiment.description).toContain('aisle ope logs.csv --holdout-last 20 --target policy.json');
    const text = aisle(['logs', 'mdp', 'logs.csv', '--holdout-last', '20', '-o', 'last.mdp.json']);
    expect(text.stdout).toContain(`fitted on ${(ROWS - 300).toLocaleString('en-US')} rows of 1,500, the last 20 % held out: evaluate a policy learned on it there with \`aisle ope logs.csv --holdout-last 20 --target policy.json\``);

    const ope = aisle(['ope', 'logs.csv', '--holdout-last', '20', '--target', 'uniform', '--resamples', '50', '--json']);
    expect(ope.code, ope.stderr).toBe(0);
    const report = JSON.parse(ope.stdout) as { logs: Record<string, unknown>; logged: { point: number } };
    expect(report.logs).toMatchObject({ rowsEvaluated: 300, holdoutLast: 20 });
    expect(report.logged.point).toBeCloseTo(mean(clicks.slice(ROWS - 300)), 12);
    const words = aisle(['ope', 'logs.csv', '--holdout-last', '20', '--target', 'uniform', '--resamples', '50']);
    expect(words.stdout).toContain('evaluated on the 300 rows held out (the last 20 %)');

    for (const [extra, message] of [
      [['--holdout-last', '0'], /--holdout-last must be a percentage above 0 and below 100/],
      [['--holdout-last', '100'], /--holdout-last must be a percentage above 0 and below 100/],
      [['--holdout-last', 'most'], /--holdout-last must be a percentage/],
      [['--holdout-last', '20', '--holdout', '3'], /--holdout-last.*cannot be used with.*--holdout/],
    ] as const) {
      for (const command of [['logs', 'mdp', 'logs.csv', '-o', 'bad.mdp.json'], ['ope', 'logs.csv', '--target', 'uniform']]) {
        const r = aisle([...command, ...extra]);
        expect(r.code, `${command[0]} ${extra.join(' ')}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      expect(existsSync(join(dir, 'bad.mdp.json'))).toBe(false);
    }
  });

  it('refuses bad options with one line naming them, exit 2, and writes nothing', () => {
    const cases: [string[], RegExp][] = [
      [['--holdout', '1'], /--holdout must be a whole number from 2/],
      [['--holdout', '1000000'], /--holdout 1000000: holding out 1 row in 1000000 of the 1,500 rows kept holds out none of them: give a smaller holdout/],
      [['--prior', '-1'], /--prior must be a number in \[0, 1,000,000\]/],
      [['--name', 'bell\u0007'], /--name must be 1 to 200 characters, none of them control characters/],
      [['--reward-column', 'revenue'], /revenue/],
      [['--where', 'policy=bts'], /policy/],
    ];
    for (const [extra, message] of cases) {
      const r = aisle(['logs', 'mdp', 'logs.csv', '-o', 'bad.mdp.json', ...extra]);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(dir, 'bad.mdp.json'))).toBe(false);
    }
    const overwrite = aisle(['logs', 'mdp', 'logs.csv', '-o', 'logs.csv']);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/-o logs\.csv: would replace the logs file/);
    expect(readFileSync(LOGS, 'utf8').startsWith('position,item,click,pscore\n')).toBe(true);
    const opeHoldout = aisle(['ope', 'logs.csv', '--target', 'uniform', '--holdout', '0']);
    expect(opeHoldout.code).toBe(2);
    expect(opeHoldout.stderr).toMatch(/--holdout must be a whole number from 2/);
  });

  const REAL = sharedData('open-bandit/obd_events.csv');
  it.skipIf(!existsSync(REAL))(`fits the Open Bandit sample as the README shows (${REAL}; skipped when it is absent)`, () => {
    const r = aisle(['logs', 'mdp', REAL, '--where', 'policy=random,campaign=men', '--holdout', '3', '--prior', '100', '-o', 'obd-men.mdp.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { states: number; actions: number; rowsFitted: number; logged: number; best: number };
    expect(summary).toMatchObject({ states: 5, actions: 34, rowsFitted: 6609 });
    expect(summary.logged).toBeCloseTo(0.0038, 4);
    expect(summary.best).toBeCloseTo(0.0121, 4);
    const text = aisle(['logs', 'mdp', REAL, '--where', 'policy=random,campaign=men', '--holdout', '3', '--prior', '100', '-o', 'obd-men.mdp.json']);
    expect(text.stdout).toContain('fitted on 6,609 rows of the 10,000 rows with policy=random, campaign=men (40,000 in the file), 3,391 rows held out (--holdout 3: each row by its own seeded draw, with chance 1 in 3; about 3,333 expected)');
  });
});

describe('aisle logs mdp --holdout 3 then aisle ope --holdout 3 on logs whose production rows log no propensity', () => {
  // The rows the fit keeps log none (a deterministic production policy); those it holds out were
  // logged with their propensity (1/3), so ope can weight them.
  const held = heldOut(ROWS, 3);
  const lines = readFileSync(LOGS, 'utf8').trimEnd().split('\n');
  const emptied = (keep: (i: number) => boolean) => `${lines.map((line, j) => (j > 0 && !keep(j - 1) ? line.replace(/,[^,]*$/, ',') : line)).join('\n')}\n`;
  writeFileSync(join(dir, 'production.csv'), emptied((i) => held[i]!));
  const heldRow = held.indexOf(true);
  writeFileSync(join(dir, 'one-held-empty.csv'), emptied((i) => held[i]! && i !== heldRow));

  it('fits the same simulator as on logs where every row has one, and ope evaluates the rows it held out', () => {
    expect(readFileSync(join(dir, 'production.csv'), 'utf8')).toMatch(/\n\d,\d,\d,\n/);
    const fit = aisle(['logs', 'mdp', 'production.csv', '--holdout', '3', '-o', 'production.mdp.json', '--json']);
    expect(fit.code, fit.stderr).toBe(0);
    expect(JSON.parse(fit.stdout)).toMatchObject({ rowsFitted: ROWS - HELD, columns: { propensity: 'pscore' } });
    const full = aisle(['logs', 'mdp', 'logs.csv', '--holdout', '3', '-o', 'full.mdp.json']);
    expect(full.code, full.stderr).toBe(0);
    expect(readFileSync(join(dir, 'production.mdp.json'), 'utf8')).toBe(readFileSync(join(dir, 'full.mdp.json'), 'utf8'));
    const ope = aisle(['ope', 'production.csv', '--holdout', '3', '--target', 'uniform', '--json']);
    expect(ope.code, ope.stderr).toBe(0);
  });

  it('refuses a row held out without one by its line, as ope --holdout 3 does, exit 2, nothing written', () => {
    const fit = aisle(['logs', 'mdp', 'one-held-empty.csv', '--holdout', '3', '-o', 'held-empty.mdp.json']);
    expect(fit.code).toBe(2);
    const line = `one-held-empty.csv:${heldRow + 2}: column "pscore": must be a decimal number in (0, 1]`;
    expect(fit.stderr).toContain(line);
    expect(existsSync(join(dir, 'held-empty.mdp.json'))).toBe(false);
    const ope = aisle(['ope', 'one-held-empty.csv', '--holdout', '3', '--target', 'uniform']);
    expect(ope.code).toBe(2);
    expect(ope.stderr).toContain(line);
  });
});

describe('aisle logs mdp on a small file, its reward column named as a past participle', () => {
  // Six rows; --holdout 3 draws each row's fate on its own, so it may hold out more than 6 / 3.
  writeFileSync(join(dir, 'small.csv'), 'item,clicked,pscore\na,1,0.5\nb,0,0.5\na,0,0.5\nb,1,0.5\na,1,0.5\nb,0,0.5\n');
  const held = heldOut(6, 3).filter(Boolean).length;

  it('says how many rows --holdout held out and what the option asks (a chance per row), and names the reward column without inflecting it', () => {
    expect(held).not.toBe(2); // the draw the line has to explain: not the 6 / 3 the option suggests
    const r = aisle(['logs', 'mdp', 'small.csv', '--reward-column', 'clicked', '--holdout', '3', '-o', 'small.mdp.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`fitted on ${plural(6 - held, 'row')} of 6, ${plural(held, 'row')} held out (--holdout 3: each row by its own seeded draw, with chance 1 in 3; about 2 expected): evaluate`);
    expect(r.stdout).toContain('a step pays 1 with the probability the reward model gives its context and action, else 0 (every value of the reward column "clicked" is 0 or 1)\n');
    expect(r.stdout).toContain('the logging policy\'s mean "clicked" on these rows: ');
    expect(r.stdout).not.toMatch(/clickeds/);
    const json = JSON.parse(aisle(['logs', 'mdp', 'small.csv', '--reward-column', 'clicked', '--holdout', '3', '-o', 'small.mdp.json', '--json']).stdout) as { rowsFitted: number; holdout: number };
    expect(json).toMatchObject({ rowsFitted: 6 - held, holdout: 3 });
  });
});

describe('aisle logs mdp on logs without propensities (a shop\'s purchase records)', () => {
  // Item a sells 2 or 4 at a time, b 1, c 10: no propensity column, and none is needed to fit.
  const PURCHASES = join(dir, 'purchases.csv');
  writeFileSync(PURCHASES, 'customer,item,qty\n1,a,2\n1,b,1\n2,a,4\n2,c,10\n3,b,1\n3,a,2\n');
  const columns = ['--action-column', 'item', '--reward-column', 'qty', '--context-column', 'none'];

  it('fits a simulator, the reward model being the mean qty per item, and says a learned policy cannot be evaluated on these logs', () => {
    const r = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '--prior', '0', '-o', 'purchases.mdp.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ actions: 3, contexts: 1, rowsRead: 6, rowsFitted: 6, rewards: 'mean', columns: { action: 'item', reward: 'qty', propensity: null, context: null } });
    expect(summary.logged).toBeCloseTo(20 / 6, 12);
    expect(summary.best).toBe(10); // item c's mean, with no shrinkage
    const mdp = parseMdp(JSON.parse(readFileSync(join(dir, 'purchases.mdp.json'), 'utf8')));
    expect(mdp.actionLabels).toEqual(['a', 'b', 'c']);
    // The reward column by its name, quoted, never inflected ("the logs' qtys").
    const words = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '-o', 'purchases.mdp.json']);
    expect(words.stdout).toContain('a step pays the mean "qty" the reward model gives its context and action (the values of the reward column "qty" are not all 0 or 1: their spread is not simulated)');
    expect(words.stdout).toContain('the logging policy\'s mean "qty" on these rows: ');

    const text = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '--holdout', '2', '-o', 'purchases.mdp.json', '--experiment', 'purchases.json']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/fitted on \d rows? of 6, \d rows? held out \(--holdout 2: each row by its own seeded draw, with chance 1 in 2; about 3 expected\)\n/);
    expect(text.stdout).toContain('the logs have no propensity column: the fit needs none, but `aisle ope` cannot evaluate a policy learned on this simulator on these logs');
    expect(text.stdout).not.toContain('aisle ope purchases.csv');
    const { description } = JSON.parse(readFileSync(join(dir, 'purchases.json'), 'utf8')) as { description: string };
    expect(description).toContain('These logs have no propensity column, so a policy learned on this simulator cannot be evaluated off-policy on them');
    expect(description).not.toContain('aisle ope');
  });

  it('refuses a propensity column named that the file lacks, and checks one it has on the rows held out only, exit 2, nothing written', () => {
    const named = aisle(['logs', 'mdp', 'purchases.csv', ...columns, '--propensity-column', 'prob', '-o', 'none.mdp.json']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('purchases.csv: has no column "prob" (its columns: customer, item, qty): name the propensity column with --propensity-column');
    writeFileSync(join(dir, 'bad-pscore.csv'), 'item,qty,pscore\na,2,0.5\nb,1,2\n');
    // Held out (the last 50 %), line 3 is a row `aisle ope --holdout-last 50` would weight: refused as it refuses it.
    const bad = aisle(['logs', 'mdp', 'bad-pscore.csv', '--reward-column', 'qty', '--holdout-last', '50', '-o', 'none.mdp.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-pscore.csv:3: column "pscore": must be a decimal number in (0, 1]');
    expect(existsSync(join(dir, 'none.mdp.json'))).toBe(false);
    // Fitted, the row's propensity is not read: without a holdout, or told to read none, the same file fits.
    expect(aisle(['logs', 'mdp', 'bad-pscore.csv', '--reward-column', 'qty']).code).toBe(0);
    expect(aisle(['logs', 'mdp', 'bad-pscore.csv', '--reward-column', 'qty', '--propensity-column', 'none']).code).toBe(0);
  });

  it('aisle ope refuses them with one message naming the column and why, exit 2', () => {
    const r = aisle(['ope', 'purchases.csv', ...columns, '--target', 'uniform']);
    expect(r.code).toBe(2);
    expect(unwrapped(r.stderr)).toContain(
      'purchases.csv: has no column "propensity", "pscore" or "propensity_score" (its columns: customer, item, qty): name the propensity column with --propensity-column (the logging policy\'s probability of showing each row\'s action, by which off-policy estimates (IPS, SNIPS, DR) weight the row;',
    );
    expect(unwrapped(r.stderr)).toContain('logs without it cannot be evaluated off-policy, though a simulator can be fitted to them)');
    const none = aisle(['ope', 'purchases.csv', ...columns, '--propensity-column', 'none', '--target', 'uniform']);
    expect(none.code).toBe(2);
    expect(unwrapped(none.stderr)).toContain('purchases.csv: off-policy evaluation needs the propensity column (');
  });

  const RETAIL = sharedData('online-retail/online_retail_events.csv');
  it.skipIf(!existsSync(RETAIL))(`fits the Online Retail purchases, which have no propensity column (${RETAIL}; skipped when it is absent)`, () => {
    const r = aisle(['logs', 'mdp', RETAIL, '--action-column', 'item', '--reward-column', 'qty', '--context-column', 'none', '-o', 'retail.mdp.json', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ states: 2, actions: 3659, contexts: 1, rowsRead: 396_337, rowsFitted: 396_337, rewards: 'mean', columns: { propensity: null } });
  });
});
