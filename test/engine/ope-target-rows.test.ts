// A `logs:` target's rows (empiricalTarget's source) only lend it their action frequencies and
// their mean reward: they are never weighted, so they need an action, a reward and a context, not
// a propensity (a deterministic production policy logs none). Every row evaluated still needs one.
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseTargetRowLines } from '../../src/engine/ope/csv';
import { evaluateTargets } from '../../src/engine/ope/run';
import { problemsOf } from '../helpers/validation-problems';

/** A randomised policy's rows with propensities, and a production policy's rows without (lines 8–11). */
const TEXT = [
  'policy,action,reward,pscore,context',
  'random,a,1,0.5,x',
  'random,b,0,0.5,x',
  'random,a,0,0.5,y',
  'random,b,1,0.5,y',
  'random,a,1,0.5,x',
  'random,b,0,0.5,y',
  'prod,a,1,,x',
  'prod,a,0,,y',
  'prod,b,1,,x',
  'prod,a,1,,y',
].join('\n');
const lines = (text = TEXT) => text.split('\n');
const OPTIONS = { resamples: 200, seed: 3 };

describe("a logs: target's rows", () => {
  it('read without propensities where theirs are empty, malformed or missing, and with them where every row has a valid one', async () => {
    const prod = await parseTargetRowLines(lines(), 'logs.csv', { where: { policy: 'prod' } });
    expect(prod.propensity).toBeNull();
    expect(prod.columns.propensity).toBe('pscore');
    expect(Array.from(prod.reward)).toEqual([1, 0, 1, 1]);
    expect(prod.actionLabels).toEqual(['a', 'b']);
    // One row of "NA" or 0 among valid ones: the rows keep none, and are read all the same.
    const oneBad = TEXT.replace('prod,a,1,,x', 'prod,a,1,0.5,x').replace('prod,a,0,,y', 'prod,a,0,NA,y').replace(/,,/g, ',1,');
    expect((await parseTargetRowLines(lines(oneBad), 'logs.csv', { where: { policy: 'prod' } })).propensity).toBeNull();
    const random = await parseTargetRowLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    expect(Array.from(random.propensity!)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    // A file without a propensity column at all.
    const noColumn = TEXT.replace(/,[^,]*,([xy]|context)$/gm, ',$1');
    expect(noColumn.split('\n')[0]).toBe('policy,action,reward,context');
    expect((await parseTargetRowLines(lines(noColumn), 'logs.csv', { where: { policy: 'prod' } })).propensity).toBeNull();
  });

  it('still need an action, a reward and a context, named by line and column', async () => {
    const bad = TEXT.replace('prod,a,0,,y', 'prod,a,lots,,y').replace('prod,b,1,,x', 'prod,,1,,x');
    expect(await problemsOf(() => parseTargetRowLines(lines(bad), 'logs.csv', { where: { policy: 'prod' } }))).toEqual([
      'logs.csv:9: column "reward": must be a finite decimal number (the reward, such as a click\'s 0 or 1), got "lots"',
      'logs.csv:10: column "action": is empty: every row needs the action it showed',
    ]);
    const noContext = TEXT.replace('prod,a,1,,y', 'prod,a,1,,');
    expect(await problemsOf(() => parseTargetRowLines(lines(noContext), 'logs.csv', { where: { policy: 'prod' } }))).toEqual([
      'logs.csv:11: column "context": is empty: every row needs a context (or read the logs without one)',
    ]);
  });

  it('are a target without propensities: its frequencies and its truth as with them, the estimates the same', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    const run = await evaluateTargets(data, [{ kind: 'logs', where: { policy: 'prod' } }], (w) => parseTargetRowLines(lines(), 'logs.csv', { where: w }), OPTIONS);
    const [prod] = run.targets;
    expect(prod!.truth).toMatchObject({ rows: 4, point: 0.75 });
    expect(prod!.truth!.lo).toBeLessThanOrEqual(0.75);
    expect(prod!.truth!.hi).toBeGreaterThanOrEqual(0.75);
    // The same rows with propensities give the same target, so the same estimates, and the same truth.
    const filled = TEXT.replace(/,,/g, ',1,');
    const withThem = await evaluateTargets(data, [{ kind: 'logs', where: { policy: 'prod' } }], (w) => parseLogLines(lines(filled), 'logs.csv', { where: w }), OPTIONS);
    expect(prod!.estimates).toEqual(withThem.targets[0]!.estimates);
    expect(prod!.truth).toEqual(withThem.targets[0]!.truth);
    // Its frequencies: x a, b (½ each); y a, a (a always). IPS = (1/6) Σ π(a_i | x_i) / 0.5 · r_i over the random rows: x a 1 twice, y b 1 (π 0).
    expect(prod!.estimates.ips.point).toBeCloseTo(((1 / 2 / 0.5) * 1 * 2 + (0 / 0.5) * 1) / 6, 12);
  });

  it('keep the truth they had where every one has a propensity (the same figures, seed for seed)', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'prod' } }).catch(() => undefined);
    expect(data).toBeUndefined(); // the production rows cannot be evaluated: they have none
    const random = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    const asTarget = (read: typeof parseLogLines | typeof parseTargetRowLines) =>
      evaluateTargets(random, [{ kind: 'logs', where: { policy: 'random' } }], (w) => read(lines(), 'logs.csv', { where: w }), OPTIONS);
    expect((await asTarget(parseTargetRowLines)).targets).toEqual((await asTarget(parseLogLines)).targets);
  });
});

describe('the rows evaluated', () => {
  it('still need a valid propensity: one without is refused with its line and column, whatever the target', async () => {
    const missing = TEXT.replace('random,b,1,0.5,y', 'random,b,1,,y');
    expect(await problemsOf(() => parseLogLines(lines(missing), 'logs.csv', { where: { policy: 'random' } }))).toEqual([
      'logs.csv:5: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got ""',
    ]);
    // Evaluating the production rows themselves: each is named.
    const prodProblems = await problemsOf(() => parseLogLines(lines(), 'logs.csv', { where: { policy: 'prod' } }));
    expect(prodProblems).toHaveLength(4);
    expect(prodProblems[0]).toBe('logs.csv:8: column "pscore": must be a decimal number in (0, 1], the logging policy\'s probability of showing this action, got ""');
  });
});
