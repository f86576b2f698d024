// An off-policy evaluation tells how far its bootstrap has gone (the CLI's progress bar, the app's
// "Resampling: 41,000 of 100,000"): counted over every target and a `logs` target's truth, never
// backwards, ending at the total; and the estimates are the very same with a listener or without,
// whether it answers at once or makes the evaluation wait (the CLI awaits between steps so that
// Ctrl-C gets in). What the listener throws stops the evaluation.
import { describe, expect, it } from 'vitest';
import { parseLogLines, parseTargetRowLines } from '../../src/engine/ope/csv';
import { evaluateOffPolicy, offPolicySteps } from '../../src/engine/ope/estimators';
import { evaluateTargets, type OpeProgress, type TargetSpec } from '../../src/engine/ope/run';
import { uniformTarget } from '../../src/engine/ope/targets';

const TEXT = [
  'policy,action,reward,pscore,context',
  'random,a,1,0.5,x',
  'random,b,0,0.5,x',
  'random,a,0,0.5,y',
  'random,b,1,0.5,y',
  'random,a,1,0.5,x',
  'random,b,0,0.5,y',
  'random,a,0,0.5,x',
  'prod,a,1,,x',
  'prod,a,0,,y',
  'prod,b,1,,x',
  'prod,a,1,,y',
].join('\n');
const lines = () => TEXT.split('\n');
const SPECS: TargetSpec[] = [{ kind: 'uniform' }, { kind: 'logs', where: { policy: 'prod' } }, { kind: 'action', action: 'b' }];
const slice = (w: Readonly<Record<string, string>>) => parseTargetRowLines(lines(), 'logs.csv', { where: w });
const OPTIONS = { resamples: 2500, seed: 11 };

describe('the progress of an off-policy evaluation', () => {
  it('is told over every target and the truth, never backwards, ending at the total; the results are the same without it', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    const told: OpeProgress[] = [];
    const withProgress = await evaluateTargets(data, SPECS, slice, { ...OPTIONS, onProgress: (p) => void told.push(p) });
    const without = await evaluateTargets(data, SPECS, slice, OPTIONS);
    expect(withProgress).toEqual(without);
    // Three targets' estimates and the logs target's truth, 2,500 resamples each.
    const total = 4 * 2500;
    expect(told.length).toBeGreaterThan(10);
    expect(told.every((p) => p.total === total && p.targets === 3)).toBe(true);
    for (let i = 1; i < told.length; i++) {
      expect(told[i]!.done).toBeGreaterThan(told[i - 1]!.done);
      expect(told[i]!.target).toBeGreaterThanOrEqual(told[i - 1]!.target);
    }
    expect(told.at(-1)).toEqual({ done: total, total, target: 2, targets: 3 });
    // Each target's phases end exactly where they should: the uniform target's at 2,500, the logs target's truth and estimates at 5,000 and 7,500.
    expect(told.filter((p) => p.target === 0).at(-1)!.done).toBe(2500);
    expect(told.filter((p) => p.target === 1).map((p) => p.done)).toContain(5000);
    expect(told.filter((p) => p.target === 1).at(-1)!.done).toBe(7500);
    // Told at most ~1000 times per target phase, however many resamples: a display throttles the rest.
    expect(told.length).toBeLessThanOrEqual(4 * 1000);
  });

  it('gives the same estimates when the listener makes the evaluation wait at every step', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    const waited = await evaluateTargets(data, SPECS, slice, { ...OPTIONS, onProgress: () => new Promise<void>((done) => setImmediate(done)) });
    expect(waited).toEqual(await evaluateTargets(data, SPECS, slice, OPTIONS));
  });

  it('stops where the listener throws', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    let calls = 0;
    const stopped = evaluateTargets(data, SPECS, slice, {
      ...OPTIONS,
      onProgress: (p) => {
        calls++;
        if (p.done >= 100) throw new Error('stopped by the user');
      },
    });
    await expect(stopped).rejects.toThrow('stopped by the user');
    expect(calls).toBe(34); // every 3 resamples (2,500 / 1,000, rounded up): the 34th step reaches 102
  });

  it('is a step at a time of evaluateOffPolicy: its steps end at the resamples, its report the same', async () => {
    const data = await parseLogLines(lines(), 'logs.csv', { where: { policy: 'random' } });
    const steps = offPolicySteps(data, uniformTarget(data), { resamples: 37, seed: 2 });
    const done: number[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) done.push(step.value);
    expect(done).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
    expect(step.value).toEqual(evaluateOffPolicy(data, uniformTarget(data), { resamples: 37, seed: 2 }));
  });
});
