// The CLI says whether a greedy policy is optimal, near it or far from it, as the app does
// (src/shared/gap-text.ts): in `aisle run`'s table, `aisle show` and `aisle eval`, and as `closeness`
// in their JSON. A policy that walks off the cliff scores above 0.9, so the score alone misleads.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { gapText, type Closeness, type ExactReturns } from '../../src/shared/gap-text';
import { aisle, ROOT } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

type Exact = ExactReturns & { normalizedScore: number; closeness: Closeness };

/** Q-learning on the cliff for `episodes` episodes, one seed: its experiment file. */
function cliff(dir: string, episodes: number): string {
  const file = join(dir, `cliff-${episodes}.json`);
  const mdp = join(ROOT, 'resources/experiments/cliff.mdp.json');
  writeFileSync(
    file,
    JSON.stringify({ format: 'aisle.experiment/v1', name: 'cliff', env: { id: 'tabular-mdp', mdp, maxSteps: 200 }, agent: { id: 'q-learning', alpha: 0.5, gamma: 1, epsilon: 0.1 }, episodes, seeds: 1 }),
  );
  return file;
}

const WIDE = { COLUMNS: '1000' };

/** Trains, exports and evaluates: the run's greedy report and the eval's exact one, with every output. */
function trainAndEvaluate(episodes: number) {
  const dir = tempDir();
  const db = join(dir, 'a.db');
  const exp = cliff(dir, episodes);
  const run = aisle(['run', exp, '--json'], { db });
  expect(run.code, run.stderr).toBe(0);
  const { runId, greedy } = (JSON.parse(run.stdout) as { runs: { runId: number; greedy: Exact }[] }).runs[0]!;
  const policy = join(dir, 'policy.json');
  expect(aisle(['export', String(runId), '-o', policy], { db }).code).toBe(0);
  const evalJson = aisle(['eval', policy, '--env', exp, '--episodes', '5', '--json'], { db });
  expect(evalJson.code, evalJson.stderr).toBe(0);
  return {
    greedy,
    exact: (JSON.parse(evalJson.stdout) as { exact: Exact }).exact,
    table: aisle(['run', exp], { db }).stdout,
    // Wide enough for each sentence on a line of its own (they wrap to a narrower one: terminal-width-reports.test.ts).
    show: aisle(['show', String(runId)], { db, env: WIDE }).stdout,
    showJson: JSON.parse(aisle(['show', String(runId), '--json'], { db }).stdout) as { greedy: Exact },
    evalText: aisle(['eval', policy, '--env', exp, '--episodes', '5'], { db, env: WIDE }).stdout,
  };
}

describe('the verdict on a greedy policy, from the CLI', () => {
  it('calls a policy trained for one episode far from optimal, though its normalised score reads above 0.9', () => {
    const r = trainAndEvaluate(1);
    // The case the verdict is for: a gap over 10 % of the optimum, hidden by a high score.
    expect(r.greedy.optimalityGap).toBeGreaterThan(0.1 * Math.abs(r.greedy.optimalReturn));
    expect(r.greedy.normalizedScore).toBeGreaterThan(0.9);
    expect(r.greedy.closeness).toBe('far');
    expect(r.showJson.greedy.closeness).toBe('far');
    expect(r.exact.closeness).toBe('far');

    const sentence = gapText(r.exact, 4, r.exact.normalizedScore);
    expect(sentence).toMatch(/^Far from optimal: .* looks good only because the random policy does far worse/);
    // Right under the exact numbers, whose score is written with as many digits as the sentence's.
    const lines = /^exact \(gamma 1, .*, normalised score (\S+)\n(.*)$/m.exec(r.evalText);
    expect(lines, r.evalText).not.toBeNull();
    const [, score, next] = lines!;
    expect(next).toBe(sentence);
    expect(sentence).toContain(`Its normalised score, ${score},`);
    expect(r.show).toContain(`greedy policy, exact:\n  ${gapText(r.greedy, 4, r.greedy.normalizedScore)}\n`);
    // One run: its summary is printed one line per value.
    expect(r.table).toMatch(/^score {2,}\S+\nverdict {2,}far from optimal$/m);
  });

  it('calls a policy trained for 300 episodes optimal, with the same closeness in every output', () => {
    const r = trainAndEvaluate(300);
    expect(r.greedy.optimalityGap).toBeCloseTo(0, 9);
    expect([r.greedy.closeness, r.showJson.greedy.closeness, r.exact.closeness]).toEqual(['optimal', 'optimal', 'optimal']);
    expect(r.evalText).toMatch(/^exact \(.*\nOptimal: the policy’s expected return is the optimum\.$/m);
    expect(r.show).toContain('greedy policy, exact:\n  Optimal: the policy’s expected return is the optimum.\n');
    expect(r.table).toMatch(/^score {2,}1\nverdict {2,}optimal$/m);
  });

  it('`aisle show` never rounds a score just below 1 up to 1', () => {
    const dir = tempDir();
    const db = join(dir, 'a.db');
    const run = aisle(['run', cliff(dir, 1), '--json'], { db });
    expect(run.code, run.stderr).toBe(0);
    const { runId } = (JSON.parse(run.stdout) as { runs: { runId: number }[] }).runs[0]!;
    // A gap of 0.4 against a random policy's −9,990: a score of 0.99996, which 3 decimals make 1.
    const raw = new Database(db);
    const greedy = JSON.parse(raw.prepare('SELECT greedy FROM runs WHERE id = ?').pluck().get(runId) as string) as Record<string, unknown>;
    const returns = { expectedReturn: 9.6, optimalReturn: 10, randomReturn: -9990, optimalityGap: 0.4, normalizedScore: (9.6 + 9990) / 10_000 };
    raw.prepare('UPDATE runs SET greedy = ? WHERE id = ?').run(JSON.stringify({ ...greedy, ...returns }), runId);
    raw.close();
    const show = aisle(['show', String(runId)], { db });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('  greedy.normalizedScore = 0.99996\n');
    // The line says the score to 4 decimals, as the sentence above it does (gapText(g, 4, …)).
    const again = new Database(db);
    again.prepare('UPDATE runs SET greedy = json_set(greedy, \'$.normalizedScore\', 0.90954) WHERE id = ?').run(runId);
    again.close();
    const shown = aisle(['show', String(runId)], { db }).stdout;
    expect(shown).toContain('  greedy.normalizedScore = 0.9095\n');
  });

  it('names the score as looking good from 0.9 up only: 0.59 does not look good', () => {
    // An optimum of −10, a random policy's −110: a policy at −51 scores 0.59, at −19 0.91, both far (gaps of 41 and 9 against a size of 10).
    const at = (expectedReturn: number): ExactReturns => ({ expectedReturn, optimalReturn: -10, randomReturn: -110, optimalityGap: -10 - expectedReturn });
    const score = (r: ExactReturns) => (r.expectedReturn - r.randomReturn) / (r.optimalReturn - r.randomReturn);
    const low = at(-51);
    const high = at(-19);
    expect(score(low)).toBeCloseTo(0.59, 9);
    expect(score(high)).toBeCloseTo(0.91, 9);
    expect(gapText(low, 4, score(low))).toBe('Far from optimal: 41 below the optimum (-10), a gap of 4.1 times the optimal return’s size.');
    expect(gapText(high, 4, score(high))).toBe(
      'Far from optimal: 9 below the optimum (-10), a gap of 90 % of the optimal return’s size. Its normalised score, 0.91, looks good only because the random policy does far worse (-110).',
    );
    // Just below the line, nothing is said of the score.
    const under = at(-20.1);
    expect(score(under)).toBeLessThan(0.9);
    expect(gapText(under, 4, score(under))).not.toContain('looks good');
  });
});
