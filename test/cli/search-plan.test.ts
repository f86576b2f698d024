// `aisle run --sample` before anything is trained (src/cli/search.ts and expandSweep in src/cli/sweep.ts):
// the plan's refusals, the warnings and a problem of one drawn trial, without spawning the command.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/engine/params';
import { sampleValues } from '../../src/engine/sweep-sample';
import { parseSample, searchPlan } from '../../src/cli/search';
import { expandSweep, parseSetting } from '../../src/cli/sweep';
import { ROOT } from '../helpers/cli';

const plan = (samples: string[], trials: number, searchSeed?: number) => searchPlan({ sample: samples.map(parseSample), trials, ...(searchSeed !== undefined ? { searchSeed } : {}) }, []);

/** The problems expandSweep refuses with (none: it did not refuse). */
function refusal(run: () => unknown): readonly string[] {
  try {
    run();
    return [];
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
}

describe('a random search before training', () => {
  it('refuses more trials than the samples draw apart, naming the count, and takes as many', () => {
    expect(() => plan(['agent.alpha=uniform:0.5:0.51'], 12)).toThrow(
      '--trials 12 asks for more trials than the 11 distinct values of --sample agent.alpha=uniform:0.5:0.51: give --trials 11 or fewer, or draw from more values (more choices, a wider range)',
    );
    expect(() => plan(['agent.gamma=choice:0.9,0.99', 'env.maxSteps=int:10:11'], 5)).toThrow('--trials 5 asks for more trials than the 4 distinct combinations of --sample agent.gamma=choice:0.9,0.99 --sample env.maxSteps=int:10:11:');
    expect(plan(['agent.gamma=choice:0.9,0.99', 'env.maxSteps=int:10:11'], 4)).toMatchObject({ trials: 4 });
  });

  it('warns once of a --sample of a parameter the other settings make inert, as of a --set', () => {
    const calibrated = join(ROOT, 'resources/experiments/shop-calibrated.json');
    const { experiments, warnings } = expandSweep(calibrated, [], { episodes: 2, seeds: 1 }, plan(['env.items=int:20:50', 'agent.alpha=uniform:0.01:0.1'], 4));
    expect(experiments).toHaveLength(4);
    // Its explicit catalog replaces the generator's items.
    expect(warnings).toEqual(["--sample env.items=int:20:50: the shop environment's other settings make env.items do nothing here: the values drawn for it change nothing"]);
    const small = join(ROOT, 'resources/experiments/shop-small.json');
    expect(expandSweep(small, [], { episodes: 2, seeds: 1 }, plan(['env.items=int:4:6'], 3)).warnings).toEqual([]);
  });

  it("warns of a --set or --sample of an agent parameter the agent's other settings make inert, as of an environment's", () => {
    // Thompson sampling's Gaussian prior does nothing under its Bernoulli model, and the Beta prior nothing under the Gaussian.
    const large = join(ROOT, 'resources/experiments/shop-large.json');
    expect(expandSweep(large, [parseSetting('agent.priorMean=0,1')], { episodes: 2, seeds: 1 }).warnings).toEqual([
      "--set agent.priorMean=0,1: the thompson agent's other settings make agent.priorMean do nothing here: the experiments it makes train alike",
    ]);
    expect(expandSweep(large, [], { episodes: 2, seeds: 1 }, plan(['agent.noiseVariance=log:0.1:10'], 2)).warnings).toEqual([
      "--sample agent.noiseVariance=log:0.1:10: the thompson agent's other settings make agent.noiseVariance do nothing here: the values drawn for it change nothing",
    ]);
    expect(expandSweep(large, [parseSetting('agent.priorAlpha=1,2')], { episodes: 2, seeds: 1 }).warnings).toEqual([]);
    const gaussian = [parseSetting('agent.model=gaussian'), parseSetting('agent.priorAlpha=1,2')];
    expect(expandSweep(large, gaussian, { episodes: 2, seeds: 1 }).warnings).toEqual([
      "--set agent.priorAlpha=1,2: the thompson agent's other settings make agent.priorAlpha do nothing here: the experiments it makes train alike",
    ]);
  });

  it('refuses a uniform or log draw of a whole-number field once, before training, suggesting int', () => {
    // Whole bounds pass the field, and then nearly every draw (48.7) failed in its own trial.
    const cliff = join(ROOT, 'resources/experiments/cliff-sarsa.json');
    expect(refusal(() => expandSweep(cliff, [], { episodes: 2, seeds: 1 }, plan(['env.maxSteps=uniform:10:100'], 4)))).toEqual([
      '--sample env.maxSteps=uniform:10:100: env.maxSteps takes whole numbers, which a uniform draw (10.5) is not: draw them with int:10:100',
    ]);
    expect(refusal(() => expandSweep(cliff, [], { episodes: 2, seeds: 1 }, plan(['env.maxSteps=log:10:1000'], 4)))).toEqual([
      '--sample env.maxSteps=log:10:1000: env.maxSteps takes whole numbers, which a log-uniform draw (10.5) is not: draw them with int:10:1000 (whole numbers, each as likely)',
    ]);
    expect(refusal(() => expandSweep(cliff, [], { episodes: 2, seeds: 1 }, plan(['env.maxSteps=int:10:100'], 4)))).toEqual([]);
    // A field that takes any number is not asked.
    expect(refusal(() => expandSweep(cliff, [], { episodes: 2, seeds: 1 }, plan(['agent.alpha=uniform:0.1:0.9'], 4)))).toEqual([]);
  });

  it('says a problem of some drawn trials by the trial and its values, when every bound passes alone', () => {
    // Each bound passes beside the file's other value (items 6, categories 2); a trial drawing more categories than items does not.
    const small = join(ROOT, 'resources/experiments/shop-small.json');
    const search = plan(['env.items=int:2:6', 'env.categories=int:2:6'], 8, 3);
    const [items, categories] = sampleValues(
      search!.samples.map((s) => s.distribution),
      8,
      3,
    ) as number[][];
    const bad = items!.flatMap((n, t) => (categories![t]! > n ? [t] : []));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(8);
    expect(refusal(() => expandSweep(small, [], { episodes: 2, seeds: 1 }, search))).toEqual(
      bad.map((t) => `--sample trial ${t + 1} (items=${items![t]}, categories=${categories![t]}): env.categories: ${categories![t]} exceeds items ${items![t]}: every category needs an item; lower categories or raise items`),
    );
  });
});
